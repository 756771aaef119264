#!/usr/bin/env bash
# Tests the npm package `qwen-meter` the way a user gets it.
#
#   crates/qwen-meter-wasm/test.sh
#
# 1. cargo test and clippy of the crate (native), then build.sh (the package, in pkg/);
# 2. the native fixture generator (release) writes what the core answers for a list of inputs
#    and the throughput text (the budget test runs it again for native timings);
# 3. `npm pack`, then a fresh scratch project in a temp dir installs the tarball and runs the
#    `node --test` suite in tests/js there: ESM `import` and CommonJS `require`, every fixture
#    (counts, ids, offsets, truncation, decode, errors), JS-only checks, and the budgets
#    (size, start-up, throughput against native, memory growth);
# 4. a Vite 7 production build of a tiny page that imports the package (tests/vite), checked
#    for the .wasm and Qwen3.5 vocabulary assets and the entry chunk that references them;
# 5. headless Chromium (Debian's, installed if missing): a page importing the package's
#    browser entry as a plain ES module (no bundler) runs a slice of the fixtures, before and
#    after `loadVocabulary('qwen3.5')`, and the Vite-built page counts tokens with both
#    vocabularies, the second one fetched on first use (tests/browser).
#
# Needs: Rust (rustup), Node >= 20 with npm, and access to crates.io, the npm registry and
# Debian's archive the first time (wasm-bindgen-cli, binaryen, vite, chromium). Set KEEP_TMP=1 to keep the temp dir.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
start_s=$(date +%s)
log() { printf '[test.sh] %s\n' "$*" >&2; }
tmp="$(mktemp -d)"
if [ "${KEEP_TMP:-0}" = "1" ]; then log "temp dir: $tmp"; else trap 'rm -rf "$tmp"' EXIT; fi

cd "$root"
log "cargo test + clippy (native)"
cargo test -p qwen-meter-wasm --locked --quiet
cargo clippy -p qwen-meter-wasm --all-targets --locked --quiet -- -D warnings

log "build the package"
"$here/build.sh" "$here/pkg"
# After build.sh, which installs the wasm32 target on a fresh machine.
cargo clippy -p qwen-meter-wasm --lib --target wasm32-unknown-unknown --locked --quiet -- -D warnings

log "native side: fixtures and the throughput text"
cargo build -p qwen-meter-wasm --bin qwen-meter-wasm-fixtures --release --locked --quiet
target_dir="$(cargo metadata --format-version 1 --no-deps --offline \
  | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).target_directory))')"
gen="$target_dir/release/qwen-meter-wasm-fixtures"
"$gen" fixtures "$tmp/fixtures.json"
"$gen" bench-text "$tmp/bench.txt"

log "npm pack + install into a fresh project"
(cd "$here/pkg" && npm pack --silent --pack-destination "$tmp" > "$tmp/packed.txt")
tarball="$tmp/$(tail -n 1 "$tmp/packed.txt")"
log "tarball: $(basename "$tarball") ($(wc -c < "$tarball") bytes)"
app="$tmp/app"
mkdir -p "$app"
cp "$here"/tests/js/* "$app/"
(cd "$app" \
  && printf '{"name":"qwen-meter-scratch","private":true,"version":"0.0.0"}\n' > package.json \
  && npm install --no-audit --no-fund --silent "$tarball")

log "node --test: ESM + CommonJS against the native fixtures, JS-side checks"
(cd "$app" && QWEN_METER_FIXTURES="$tmp/fixtures.json" \
  node --test --test-reporter=spec fixtures.test.mjs fixtures.test.cjs api.test.mjs document.test.mjs)

log "node --test: budgets (alone, so no other test competes for the CPU)"
(cd "$app" && QWEN_METER_BENCH_TEXT="$tmp/bench.txt" \
  QWEN_METER_NATIVE_BIN="$gen" \
  QWEN_METER_REPORT="$tmp/budgets.json" \
  node --test --test-reporter=spec budgets.test.mjs)

log "Vite 7 production build of a page that imports the package"
site="$tmp/vite-app"
mkdir -p "$site"
cp -r "$here"/tests/vite/. "$site/"
(cd "$site" \
  && printf '{"name":"qwen-meter-vite-scratch","private":true,"version":"0.0.0","type":"module"}\n' > package.json \
  && npm install --no-audit --no-fund --silent "vite@7" "$tarball" \
  && npx vite build --logLevel warn \
  && node check-dist.mjs dist)

log "TypeScript: index.d.ts against typical calls (tsc --strict)"
mkdir -p "$tmp/ts"
cp "$here/tests/types/check.ts" "$tmp/ts/"
(cd "$tmp/ts" \
  && printf '{"name":"qwen-meter-ts-scratch","private":true,"version":"0.0.0","type":"module"}\n' > package.json \
  && npm install --no-audit --no-fund --silent "typescript@5" "$tarball" \
  && npx tsc --strict --noEmit --module nodenext --moduleResolution nodenext \
       --target es2022 --lib es2022,dom check.ts)

log "headless Chromium: the browser entry as a plain ES module, and the Vite-built page"
if ! command -v chromium >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  log "installing Debian's chromium"
  apt-get update -q >/dev/null
  apt-get install -y -q chromium >/dev/null
fi
if command -v chromium >/dev/null 2>&1; then
  mkdir -p "$tmp/browser"
  cp "$here/tests/browser/plain.html" "$tmp/browser/"
  node "$here/tests/browser/pick-cases.mjs" "$tmp/fixtures.json" > "$tmp/browser/cases.json"
  node "$here/tests/browser/serve.mjs" "$tmp/port" "/pkg=$app/node_modules/qwen-meter" \
    "/t=$tmp/browser" "=$site/dist" &
  server=$!
  for _ in $(seq 50); do [ -s "$tmp/port" ] && break; sleep 0.1; done
  port="$(cat "$tmp/port")"
  browse() {
    chromium --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
      --virtual-time-budget=30000 --dump-dom "http://127.0.0.1:$port/$1" 2>/dev/null
  }
  browse t/plain.html > "$tmp/plain.dom" || true
  browse index.html > "$tmp/vite.dom" || true
  kill "$server" 2>/dev/null || true
  result="$(sed -n 's/.*<pre id="result">\([^<]*\).*/\1/p' "$tmp/plain.dom" | head -n 1)"
  case "$result" in
    PASS*) log "plain ES module page: $result cases match the native core" ;;
    *) log "plain ES module page failed:"; cat "$tmp/plain.dom" >&2; exit 1 ;;
  esac
  # The page's text (tests/vite/index.html), which the two vocabularies count differently.
  text='Hello, 通义千问! नमस्ते दुनिया'
  want="$(cd "$app" && node -e "console.log(require('qwen-meter').countTokens(process.argv[1]))" "$text")"
  want35="$(cd "$app" && node -e "console.log(require('qwen-meter').countTokens(process.argv[1], { generation: 'qwen3.5' }))" "$text")"
  if [ "$want" = "$want35" ]; then log "the Vite page's text counts the same with both vocabularies"; exit 1; fi
  if grep -q "<output id=\"count\">$want tokens" "$tmp/vite.dom"; then
    log "Vite-built page: counts $want tokens in Chromium"
  else
    log "Vite-built page failed (expected $want tokens):"; cat "$tmp/vite.dom" >&2; exit 1
  fi
  if grep -q "<output id=\"count35\">$want35 tokens with Qwen3.5 (vocabulary fetched 0 times before, 1 after)" "$tmp/vite.dom"; then
    log "Vite-built page: loads the Qwen3.5 vocabulary asset on first use, counts $want35 tokens with it"
  else
    log "Vite-built page failed with Qwen3.5 (expected $want35 tokens, the vocabulary fetched once by loadVocabulary):"
    cat "$tmp/vite.dom" >&2; exit 1
  fi
else
  log "chromium is not available and could not be installed (apt-get install chromium as root)"
  exit 1
fi

log "budgets (measured in this run):"
node -e 'const r=require(process.argv[1]);for(const [k,v] of Object.entries(r))console.error(`  ${k}: ${JSON.stringify(v)}`)' "$tmp/budgets.json"
log "all passed in $(( $(date +%s) - start_s )) s"
