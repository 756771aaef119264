#!/usr/bin/env bash
# Builds the npm package `qwen-meter` with the repository's own build
# (crates/qwen-meter-wasm/build.sh) and copies it into the page, as site/vendor/qwen-meter/.
# The page imports the package's browser entry (browser.js, a plain ES module) from there.
#
#   web-demo/scripts/package.sh
#
# Environment:
#   QWEN_METER_PKG=<dir>  use an already built package directory instead of building
#   SKIP_BUILD=1          keep site/vendor/qwen-meter as it is when it holds a package
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root="$(cd "$here/.." && pwd)"
dest="$here/site/vendor/qwen-meter"
log() { printf '[web-demo] %s\n' "$*" >&2; }

if [ "${SKIP_BUILD:-0}" = "1" ] && [ -f "$dest/browser.js" ] && [ -f "$dest/qwen_meter_bg.wasm" ]; then
  log "SKIP_BUILD=1: using the package already in $dest"
  exit 0
fi

if [ -n "${QWEN_METER_PKG:-}" ]; then
  pkg="$QWEN_METER_PKG"
  log "using the package in $pkg"
else
  build="$root/crates/qwen-meter-wasm/build.sh"
  if [ ! -f "$build" ]; then
    log "missing $build: this checkout has no WASM package to build"
    exit 1
  fi
  pkg="$(mktemp -d)"
  trap 'rm -rf "$pkg"' EXIT
  log "building the npm package (crates/qwen-meter-wasm/build.sh)"
  bash "$build" "$pkg"
fi

for f in package.json browser.js qwen_meter_web.js qwen_meter_bg.wasm; do
  if [ ! -f "$pkg/$f" ]; then
    log "the package in $pkg has no $f"
    exit 1
  fi
done
rm -rf "$dest"
mkdir -p "$dest"
cp -R "$pkg"/. "$dest"/
log "package $(node -p "require('$dest/package.json').version") copied to site/vendor/qwen-meter"
