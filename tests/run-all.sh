#!/usr/bin/env bash
# Runs every test of qwen-meter on a fresh machine, installing what the tests need first:
# Jinja2 (chat-template reference), the wasm32 target and the pinned wasm-bindgen-cli (npm
# package), npm dev dependencies and Debian's chromium (web page); the Python package's
# virtualenv, PyPI test dependencies and a Java runtime (crates/qwen-meter-py/test.sh).
# `.ci/run` calls this.
#
# QWEN_METER_HEAVY=1 runs the property tests with many more generated cases.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s (%s)\n' "$1" "$(date +%H:%M:%S)"; }

step "set-up"
python3 -c 'import jinja2' 2>/dev/null || python3 -m pip install --quiet jinja2
# transformers for the media differential test (only its smart_resize source is run: no torch, no model).
python3 -c 'import transformers' 2>/dev/null || python3 -m pip install --quiet transformers
# Debian's chromium for the browser tests (the npm package's and the page's).
if ! command -v chromium >/dev/null 2>&1; then
  sudo_=""; [ "$(id -u)" = 0 ] || sudo_="sudo"
  $sudo_ apt-get update -q >/dev/null
  $sudo_ apt-get install -y -q chromium >/dev/null
fi
# wasm32 target and wasm-bindgen-cli pinned to Cargo.lock: crates/qwen-meter-wasm/build.sh.

step "format and lints"
cargo fmt --all --check
cargo clippy --workspace --all-targets --locked -- -D warnings
# fuzz/ is its own workspace (cargo fuzz wants that); check it too.
cargo fmt --manifest-path fuzz/Cargo.toml --check
cargo clippy --manifest-path fuzz/Cargo.toml --all-targets --locked -- -D warnings

step "core, catalog, chat, CLI (unit, integration and doc tests)"
cargo test --workspace --locked --exclude qwen-meter-tests --exclude qwen-meter-benches

step "parity with the reference tokenizer (release: hundreds of thousands of cases)"
cargo test --release --locked -p qwen-meter-tests -- --nocapture

step "Python package: pip wheel + install, pytest (parity, batch, Arrow, chat, cost, stubs, Spark and Ray local)"
crates/qwen-meter-py/test.sh

step "media tokens: 30,000 image sizes against transformers' smart_resize (factors 28 and 32)"
python3 crates/qwen-meter/tests/media_reference.py

step "npm package: build, npm pack, Node ESM/CommonJS, Vite, TypeScript, Chromium"
crates/qwen-meter-wasm/test.sh

step "web page: end-to-end in headless Chromium (counts, costs, truncate, chat, axe, screenshots, typing latency)"
web-demo/test.sh

step "all tests passed"
