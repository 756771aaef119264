"""Throughput of qwen_meter's batch calls against the other Python tokenizers, in one process.

Every engine tokenizes the same documents: the benches' corpus (benches/corpus) cut into
documents of 200 B to 20 KB (log-uniform sizes, cut at line ends where possible, fixed
seed). Each engine's ids are checked against the reference (Hugging Face `tokenizers`
loading the official Qwen3 tokenizer.json) before it is timed, and the table says how many
documents differ.

Single thread and all threads, in the same process:
- qwen_meter: `count_batch(docs, threads=1)` / `count_batch(docs)` (and encode_batch);
- tokenizers: `encode_batch` with TOKENIZERS_PARALLELISM=false / true;
- tiktoken (a Qwen3 Encoding built from the same vocabulary and pre-tokenizer pattern; it
  has no NFC step): `encode_ordinary_batch(num_threads=1)` / `(num_threads=cores)`;
- fastokens: `encode` in a loop / `encode_batch_flat`;
- kitoken: `encode` in a loop / `encode_all`.

Run: python crates/qwen-meter-py/bench/bench.py [--repeat N]  (needs the packages above:
pip install tokenizers tiktoken fastokens kitoken). Engines that are not installed are
skipped.
"""

import argparse
import base64
import gzip
import json
import math
import os
import random
import time
from pathlib import Path
from typing import Callable, Dict, List, Tuple

REPO = Path(__file__).resolve().parents[3]
CORPUS = REPO / "benches" / "corpus"
TOKENIZER_JSON = REPO / "tests" / "fixtures" / "qwen3-tokenizer.json.gz"


def documents(seed: int = 2026) -> List[str]:
    """The corpus files cut into 200 B - 20 KB documents."""
    rng = random.Random(seed)
    docs = []
    for path in sorted(CORPUS.glob("*/*.txt")):
        if path.parent.name == "LICENSES":
            continue
        text = path.read_text(encoding="utf-8")
        data = text.encode("utf-8")
        pos = 0
        while pos < len(data):
            size = int(math.exp(rng.uniform(math.log(200), math.log(20_000))))
            end = min(len(data), pos + size)
            if len(data) - end < 200:  # no short tail: it joins this document
                end = len(data)
            nl = data.rfind(b"\n", pos + max(200, size // 2), end) if end < len(data) else -1
            if nl > pos:
                end = nl + 1
            while end < len(data) and (data[end] & 0xC0) == 0x80:
                end += 1
            docs.append(data[pos:end].decode("utf-8"))
            pos = end
    return docs


def timed(f: Callable[[], object], repeat: int) -> Tuple[float, float]:
    """Best wall time and best process CPU time (every thread) of `repeat` runs.

    On a shared machine the CPU time of a single-threaded run is the steadier figure: it
    does not count the time other processes held the core."""
    wall = cpu = float("inf")
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        f()
        wall = min(wall, time.perf_counter() - t)
        cpu = min(cpu, time.process_time() - c)
    return wall, cpu


def tiktoken_encoding(tokenizer_json: dict):
    import tiktoken

    # Byte-level BPE maps bytes to printable characters; invert the map to get raw bytes.
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1))
    bs += list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    byte_of = {chr(c): b for b, c in zip(bs, cs)}
    ranks = {
        bytes(byte_of[ch] for ch in token): rank
        for token, rank in tokenizer_json["model"]["vocab"].items()
    }
    specials = {t["content"]: t["id"] for t in tokenizer_json["added_tokens"]}
    pattern = next(
        p["pattern"]["Regex"]
        for p in tokenizer_json["pre_tokenizer"]["pretokenizers"]
        if p["type"] == "Split"
    )
    return tiktoken.Encoding("qwen3", pat_str=pattern, mergeable_ranks=ranks, special_tokens=specials)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()

    import tokenizers

    import qwen_meter

    cores = os.cpu_count() or 1
    docs = documents()
    size = sum(len(d.encode("utf-8")) for d in docs)
    raw = gzip.decompress(TOKENIZER_JSON.read_bytes())
    ref_tok = tokenizers.Tokenizer.from_str(raw.decode("utf-8"))
    os.environ["TOKENIZERS_PARALLELISM"] = "true"
    reference = [e.ids for e in ref_tok.encode_batch(docs, add_special_tokens=False)]
    ref_total = sum(map(len, reference))
    print(
        f"{len(docs)} documents, {size / 1e6:.2f} MB, {ref_total} tokens, "
        f"{min(len(d.encode()) for d in docs)}-{max(len(d.encode()) for d in docs)} B each, "
        f"{cores} cores, best of {args.repeat}"
    )

    rows: List[Dict[str, object]] = []

    def add(engine: str, check: Callable[[], List[List[int]]], single: Callable[[], object],
            multi: Callable[[], object], note: str = "") -> None:
        ids = check()
        wrong = sum(1 for a, b in zip(ids, reference) if list(a) != b)
        t1, c1 = timed(single, args.repeat)
        tn, _ = timed(multi, args.repeat)
        rows.append({"engine": engine, "wrong": wrong, "t1": t1, "c1": c1, "tn": tn, "note": note})
        print(f"  {engine}: {size / t1 / 1e6:.1f} MB/s 1 thread ({size / c1 / 1e6:.1f} by CPU time), "
              f"{size / tn / 1e6:.1f} MB/s all")

    tok = qwen_meter.Tokenizer.qwen3()
    counts = tok.count_batch(docs)
    assert counts == [len(r) for r in reference], "qwen_meter counts differ from the reference"
    add("qwen_meter count_batch", lambda: tok.encode_batch(docs),
        lambda: tok.count_batch(docs, threads=1), lambda: tok.count_batch(docs))
    add("qwen_meter encode_batch", lambda: tok.encode_batch(docs),
        lambda: tok.encode_batch(docs, threads=1), lambda: tok.encode_batch(docs))
    try:
        import pyarrow as pa

        arrow_docs = pa.array(docs, type=pa.large_string())
        add("qwen_meter count_batch (pyarrow)", lambda: tok.encode_batch(docs),
            lambda: tok.count_batch(arrow_docs, threads=1), lambda: tok.count_batch(arrow_docs))
    except ImportError:
        pass

    def hf(parallel: bool) -> Callable[[], object]:
        def run() -> object:
            os.environ["TOKENIZERS_PARALLELISM"] = "true" if parallel else "false"
            return ref_tok.encode_batch(docs, add_special_tokens=False)
        return run

    add("tokenizers encode_batch", lambda: reference, hf(False), hf(True), "the reference")
    os.environ["TOKENIZERS_PARALLELISM"] = "true"

    try:
        enc = tiktoken_encoding(json.loads(raw))
        add("tiktoken encode_ordinary_batch", lambda: enc.encode_ordinary_batch(docs, num_threads=cores),
            lambda: enc.encode_ordinary_batch(docs, num_threads=1),
            lambda: enc.encode_ordinary_batch(docs, num_threads=cores), "no NFC step")
    except ImportError:
        print("  tiktoken: not installed")

    try:
        import fastokens

        fast = fastokens.Tokenizer.from_json_str(raw.decode("utf-8"))
        add("fastokens", lambda: [e.ids for e in fast.encode_batch(docs)],
            lambda: [fast.encode(d) for d in docs], lambda: fast.encode_batch_flat(docs),
            "1 thread: encode() per document")
    except ImportError:
        print("  fastokens: not installed")

    try:
        import kitoken

        kit = kitoken.Kitoken.from_tokenizers(raw)
        add("kitoken", lambda: kit.encode_all(docs, True),
            lambda: [kit.encode(d, True) for d in docs], lambda: kit.encode_all(docs, True),
            "1 thread: encode() per document")
    except ImportError:
        print("  kitoken: not installed")

    print()
    print("| engine | docs differing from reference | 1 thread MB/s (wall) | 1 thread MB/s (CPU time) "
          "| all threads MB/s (wall) | note |")
    print("| --- | ---: | ---: | ---: | ---: | --- |")
    for r in rows:
        print(
            f"| {r['engine']} | {r['wrong']} / {len(docs)} | {size / r['t1'] / 1e6:.1f} "
            f"| {size / r['c1'] / 1e6:.1f} | {size / r['tn'] / 1e6:.1f} | {r['note']} |"
        )


if __name__ == "__main__":
    main()
