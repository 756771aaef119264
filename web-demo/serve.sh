#!/usr/bin/env bash
# Builds the npm package `qwen-meter`, puts it into the page and serves the page on localhost.
#
#   web-demo/serve.sh [--port 8080] [--host 127.0.0.1]
#
# Prints the URL to open. The page is static (web-demo/site): the server only hands out files,
# and once loaded the page works offline. Needs Rust (rustup) and Node 20+; the first build
# installs wasm-bindgen-cli from crates.io and takes a few minutes.
# Environment: QWEN_METER_PKG=<dir> serves an already built package; SKIP_BUILD=1 reuses the
# last one.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bash "$here/scripts/package.sh"
exec node "$here/server.mjs" "$@"
