#!/usr/bin/env bash
# Builds and tests the Python package on a fresh machine: a Java runtime from Debian (for
# PySpark), a virtualenv in target/py-venv with the test dependencies from PyPI, the package
# installed with `pip install ./crates/qwen-meter-py` (maturin, release build), the abi3 wheel
# built with maturin, then the pytest suite (parity, batch, Arrow, chat, pricing, stubs,
# docstrings, Spark and Ray Data in local mode). Any failure fails the script.
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v java >/dev/null 2>&1; then
  sudo_=""; [ "$(id -u)" = 0 ] || sudo_="sudo"
  $sudo_ apt-get update -q >/dev/null
  $sudo_ apt-get install -y -q openjdk-17-jre-headless >/dev/null 2>&1 \
    || $sudo_ apt-get install -y -q default-jre-headless >/dev/null
fi

venv=target/py-venv
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
export PATH="$PWD/$venv/bin:$PATH"
export PIP_DISABLE_PIP_VERSION_CHECK=1
python -m pip install --quiet \
  "pytest>=8" "pyarrow>=14" pyarrow-stubs pandas "mypy>=1.10" tokenizers \
  "pyspark>=4,<5" "ray[data]>=2.9,<3"

# The wheel, built from the source directory exactly as `pip install ./crates/qwen-meter-py`
# builds it (isolated build, pip fetches maturin), then installed: one release build.
rm -f target/wheels/qwen_meter-*.whl
MATURIN_PEP517_ARGS="--locked" \
  python -m pip wheel --quiet --no-deps --wheel-dir target/wheels ./crates/qwen-meter-py
wheel=$(ls target/wheels/qwen_meter-*-cp39-abi3-*.whl)  # one abi3 wheel for CPython >= 3.9
python -m pip install --quiet --force-reinstall --no-deps "$wheel"

# Tests run from outside the source tree, so `import qwen_meter` is the installed package.
cd crates/qwen-meter-py/tests
QWEN_METER_PY_STRICT=1 python -m pytest -q -p no:cacheprovider --durations=5 .
