#!/usr/bin/env bash
# Builds the npm package `qwen-meter` into crates/qwen-meter-wasm/pkg (or $1).
#
#   crates/qwen-meter-wasm/build.sh [OUT_DIR]
#
# 1. the wasm32-unknown-unknown target (rustup) and wasm-bindgen-cli at exactly the version of
#    the wasm-bindgen crate in Cargo.lock (installed from crates.io when missing; wasm-pack is
#    not used because its own downloads need more than crates.io);
# 2. the crate in release for wasm32 (fat LTO, one codegen unit, panic=abort; opt-level "z"
#    for size except the core crate qwen-meter and the tokenizer engine qwen-meter-tokenizer
#    at 3 for speed: the chat template engine and serde code are large and cold, the
#    tokenizer is small and hot; at "z" the engine counted 1.3-1.7x slower warm, for 16 KB
#    less gzipped, see bench/README.md);
# 3. wasm-bindgen twice on the same module: `--target web` (ES module glue for browsers and
#    bundlers) and `--target nodejs` (CommonJS glue that reads the .wasm synchronously); both
#    glues import the same, byte-identical .wasm, which is shipped once;
# 4. wasm-opt -O3 from the npm package `binaryen` (pinned below; skip with WASM_OPT=0);
# 5. the package files from npm/: package.json, types and README as they are; the Qwen3.5
#    vocabulary (crates/qwen-meter-tokenizer/data/qwen3_5.vocab), a second asset the entries
#    load on first use, left out of the .wasm (the core is built without `embed-qwen3_5`); the entries
#    (index.cjs, index.mjs, browser.js) and shared.js/shared.cjs written by npm/gen-entries.mjs
#    from their templates, with the export lists of the Rust table (src/exports.rs) as the
#    glue has them.
#
# Environment: CARGO_TARGET_DIR is honoured (tools are cached under it, in wasm-tools/).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="${1:-$here/pkg}"
binaryen_version="132.0.0"
start_s=$(date +%s)

log() { printf '[build.sh] %s\n' "$*" >&2; }

cd "$root"
target_dir="$(cargo metadata --format-version 1 --no-deps --offline 2>/dev/null \
  | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).target_directory))' \
  || true)"
target_dir="${target_dir:-${CARGO_TARGET_DIR:-$root/target}}"
tools="$target_dir/wasm-tools"
mkdir -p "$tools"

# --- 1. toolchain --------------------------------------------------------------------------
if command -v rustup >/dev/null 2>&1; then
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    log "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
fi

wb_version="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)"
if [ -z "$wb_version" ]; then
  log "cannot find the wasm-bindgen version in Cargo.lock"; exit 1
fi
wasm_bindgen=""
for candidate in "$tools/wasm-bindgen-$wb_version/bin/wasm-bindgen" "$(command -v wasm-bindgen || true)"; do
  if [ -n "$candidate" ] && [ -x "$candidate" ] \
     && [ "$("$candidate" --version 2>/dev/null)" = "wasm-bindgen $wb_version" ]; then
    wasm_bindgen="$candidate"; break
  fi
done
if [ -z "$wasm_bindgen" ]; then
  log "installing wasm-bindgen-cli $wb_version from crates.io (a few minutes, once)"
  dest="$tools/wasm-bindgen-$wb_version"
  cargo install wasm-bindgen-cli --version "=$wb_version" --root "$dest" --locked \
    || cargo install wasm-bindgen-cli --version "=$wb_version" --root "$dest"
  wasm_bindgen="$dest/bin/wasm-bindgen"
fi
log "using $("$wasm_bindgen" --version) ($wasm_bindgen)"

# --- 2. the .wasm --------------------------------------------------------------------------
log "cargo build (release, wasm32-unknown-unknown)"
CARGO_PROFILE_RELEASE_LTO=fat \
CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1 \
CARGO_PROFILE_RELEASE_OPT_LEVEL=z \
CARGO_PROFILE_RELEASE_PANIC=abort \
CARGO_PROFILE_RELEASE_DEBUG=false \
CARGO_PROFILE_RELEASE_STRIP=false \
  cargo build -p qwen-meter-wasm --lib --release --target wasm32-unknown-unknown \
    --config 'profile.release.package.qwen-meter.opt-level=3' \
    --config 'profile.release.package.qwen-meter-tokenizer.opt-level=3'
raw="$target_dir/wasm32-unknown-unknown/release/qwen_meter_wasm.wasm"

# --- 3. glue -------------------------------------------------------------------------------
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$wasm_bindgen" --target web --out-dir "$work/web" --out-name qwen_meter "$raw"
"$wasm_bindgen" --target nodejs --out-dir "$work/node" --out-name qwen_meter "$raw"
if ! cmp -s "$work/web/qwen_meter_bg.wasm" "$work/node/qwen_meter_bg.wasm"; then
  log "the web and nodejs outputs differ in their .wasm; one shared file is not possible"; exit 1
fi
grep -q "qwen_meter_bg.wasm" "$work/node/qwen_meter.js" \
  || { log "nodejs glue does not load qwen_meter_bg.wasm"; exit 1; }

# --- 4. wasm-opt ---------------------------------------------------------------------------
wasm="$work/web/qwen_meter_bg.wasm"
if [ "${WASM_OPT:-1}" != "0" ]; then
  wasm_opt="$tools/binaryen-$binaryen_version/node_modules/.bin/wasm-opt"
  if [ ! -x "$wasm_opt" ]; then
    log "installing binaryen@$binaryen_version (npm) for wasm-opt"
    mkdir -p "$tools/binaryen-$binaryen_version"
    (cd "$tools/binaryen-$binaryen_version" \
      && echo '{"private":true}' > package.json \
      && npm install --no-audit --no-fund --silent "binaryen@$binaryen_version")
  fi
  log "wasm-opt -O3"
  "$wasm_opt" -O3 --enable-bulk-memory --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "$wasm" -o "$work/opt.wasm"
  wasm="$work/opt.wasm"
fi

# --- 5. package ----------------------------------------------------------------------------
rm -rf "$out"
mkdir -p "$out"
cp "$wasm" "$out/qwen_meter_bg.wasm"
sed '/@ts-self-types/d' "$work/web/qwen_meter.js" > "$out/qwen_meter_web.js"
sed '/@ts-self-types/d' "$work/node/qwen_meter.js" > "$out/qwen_meter_node.cjs"
cp "$here/npm/package.json" "$here/npm/index.d.ts" "$here/npm/README.md" "$out/"
cp "$root/crates/qwen-meter-tokenizer/data/qwen3_5.vocab" "$out/qwen3_5.vocab"
# The entries' export lists come from the glue, that is from the Rust export table.
node "$here/npm/gen-entries.mjs" "$out/qwen_meter_web.js" "$here/npm" "$out"

gz() { gzip -9c "$1" | wc -c; }
log "package in $out ($(( $(date +%s) - start_s )) s):"
for f in qwen_meter_bg.wasm qwen_meter_web.js qwen_meter_node.cjs browser.js index.cjs qwen3_5.vocab; do
  printf '  %-22s %9d bytes, %8d gzipped\n' "$f" "$(wc -c < "$out/$f")" "$(gz "$out/$f")" >&2
done
