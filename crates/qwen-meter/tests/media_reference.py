#!/usr/bin/env python3
"""Differential test of qwen-meter's image tokens against transformers' `smart_resize`.

The reference is the function in transformers' Qwen2-VL image processor
(`models/qwen2_vl/image_processing_qwen2_vl.py`), which transformers also maps to Qwen2.5-VL,
Qwen3-VL, Qwen3.5 and Qwen3-Omni (`models/auto/image_processing_auto.py`, checked below) with
their patch sizes: factor 28 (patch 14 x merge 2) and 32 (patch 16 x merge 2). The module
imports torch at the top, which a counting test does not need, so the function's source is
taken from the installed file and run on its own: it is the installed code, byte for byte.

Random sizes (uniform, log-uniform, half-way ties such as 720/32 = 22.5, aspect ratios near
200) are sent to the Rust example `image_tokens` for each factor with the bounds of every
vision profile and with random bounds; resized sizes and token counts must be equal, and
sizes Python rejects (aspect ratio over 200) must be errors in Rust.

Usage: python3 crates/qwen-meter/tests/media_reference.py [--cases N] [--seed S]
Needs: pip install transformers (no model download, no torch).
"""

import argparse
import ast
import math
import os
import random
import subprocess
import sys

import transformers

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
MODELS = os.path.join(os.path.dirname(transformers.__file__), "models")


def load_function(path, name):
    """The top-level function `name` of the Python file at `path`, compiled alone."""
    with open(path, encoding="utf-8") as f:
        tree = ast.parse(f.read(), path)
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            module = ast.Module(body=[node], type_ignores=[])
            namespace = {"math": math}
            exec(compile(module, path, "exec"), namespace)
            return namespace[name]
    sys.exit(f"FAIL: no function {name} in {path}")


def check_mapping():
    """transformers uses the Qwen2-VL image processor for every Qwen vision family."""
    with open(os.path.join(MODELS, "auto", "image_processing_auto.py"), encoding="utf-8") as f:
        text = f.read()
    for family in ["qwen2_5_vl", "qwen3_vl", "qwen3_5", "qwen3_omni_moe"]:
        line = next((l for l in text.splitlines() if f'("{family}",' in l), "")
        if "Qwen2VLImageProcessor" not in line:
            sys.exit(f"FAIL: transformers no longer maps {family} to Qwen2VLImageProcessor: {line!r}")


# The profiles' image bounds in tokens (min, default max) and factor: Model Studio's vision
# guide and the processors' configs, as in src/media/profile.rs.
PROFILES = {
    "qwen3-api": (32, 4, 2560, 11),
    "qwen2.5-api": (28, 4, 1280, 11),
    "qwen3-omni-api": (32, 4, 1280, 11),
    "qwen-omni-turbo-api": (28, 4, 1280, 11),
    "qwen3-open-weights": (32, 64, 16384, 1),
    "qwen2.5-open-weights": (28, 4, 16384, 1),
}


def random_size(rng, factor):
    kind = rng.randrange(5)
    if kind == 0:  # everyday sizes
        return rng.randint(1, 5000), rng.randint(1, 5000)
    if kind == 1:  # log-uniform, tiny to huge
        return (int(math.exp(rng.uniform(0, math.log(40000)))),
                int(math.exp(rng.uniform(0, math.log(40000)))))
    if kind == 2:  # sides on a half-way tie of round(side / factor)
        return ((2 * rng.randint(0, 150) + 1) * factor // 2 if factor % 2 == 0 else rng.randint(1, 5000),
                (2 * rng.randint(0, 150) + 1) * factor // 2)
    if kind == 3:  # aspect ratios around the 200 limit
        short = rng.randint(1, 60)
        return short, max(1, int(short * rng.uniform(190, 210)))
    # multiples of the factor and their neighbours
    return (rng.randint(1, 200) * factor + rng.choice([-1, 0, 1]),
            rng.randint(1, 200) * factor + rng.choice([-1, 0, 1]))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=15000, help="sizes per factor (default 15000)")
    parser.add_argument("--seed", type=int, default=20261203)
    args = parser.parse_args()

    check_mapping()
    smart_resize = load_function(os.path.join(MODELS, "qwen2_vl", "image_processing_qwen2_vl.py"), "smart_resize")
    rng = random.Random(args.seed)

    lines, expected = [], []
    counts = {28: 0, 32: 0}
    for factor in (28, 32):
        names = [n for n, p in PROFILES.items() if p[0] == factor]
        for i in range(args.cases):
            w, h = random_size(rng, factor)
            w, h = max(w, 1), max(h, 1)
            if i % 3 == 2:
                # Random bounds for the bare algorithm.
                lo = rng.randint(1, 256) * factor * factor
                hi = lo + rng.randint(0, 20000) * factor * factor
                rules, min_side = f"{factor}:{lo}:{hi}", 1
            else:
                name = names[i % len(names)]
                _, lo_t, hi_t, min_side = PROFILES[name]
                lo, hi, rules = lo_t * factor * factor, hi_t * factor * factor, name
            try:
                if min(w, h) < min_side:
                    raise ValueError("side")
                rh, rw = smart_resize(h, w, factor=factor, min_pixels=lo, max_pixels=hi)
                want = f"{rw}x{rh} {(rh // factor) * (rw // factor) + 2}"
            except ValueError:
                want = "error"
            lines.append(f"{rules} {w}x{h}")
            expected.append(want)
            counts[factor] += 1

    cmd = ["cargo", "run", "--quiet", "--locked", "-p", "qwen-meter", "--example", "image_tokens"]
    run = subprocess.run(cmd, cwd=ROOT, input="\n".join(lines) + "\n", capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"FAIL: {' '.join(cmd)} exited {run.returncode}\n{run.stderr}")
    got = run.stdout.splitlines()
    if len(got) != len(lines):
        sys.exit(f"FAIL: {len(lines)} cases sent, {len(got)} answers")
    bad = []
    errors = 0
    for line, want, have in zip(lines, expected, got):
        if want == "error":
            errors += 1
            ok = have.startswith("error:")
        else:
            ok = have == want
        if not ok:
            bad.append(f"  {line}: transformers {want!r}, qwen-meter {have!r}")
    if bad:
        print(f"FAIL: {len(bad)} of {len(lines)} differ:", *bad[:20], sep="\n")
        sys.exit(1)
    print(f"media reference: {len(lines)} sizes equal to transformers {transformers.__version__} smart_resize "
          f"({counts[28]} at factor 28, {counts[32]} at factor 32; {errors} rejected by both)")


if __name__ == "__main__":
    main()
