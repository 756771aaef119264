#!/usr/bin/env bash
# End-to-end tests of the web page in a real headless Chromium, on a fresh machine.
#
#   web-demo/test.sh
#
# 1. Debian's chromium (apt-get) if /usr/bin/chromium is missing, and fonts for CJK and emoji
#    so the screenshots show real glyphs (WEB_DEMO_FONTS=0 skips the fonts);
# 2. npm ci in web-demo (playwright-core drives Chromium, axe-core checks accessibility);
# 3. the npm package, built by crates/qwen-meter-wasm/build.sh and copied into the page;
# 4. the native oracle (web-demo/native): the Rust core's own counts, costs, fits and plans,
#    which the tests compare the page against;
# 5. the static server on a free port, the tests (node --test e2e/*.test.mjs), the server
#    stopped. Fails on any failure. Screenshots and the typing-latency report go to
#    web-demo/artifacts/.
#
# Environment: CARGO_TARGET_DIR is honoured; QWEN_METER_PKG=<dir> tests an already built
# package; SKIP_BUILD=1 reuses the package already in the page; CHROMIUM=<path> another browser.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
log() { printf '\n[web-demo] %s (%s)\n' "$*" "$(date +%H:%M:%S)" >&2; }

sudo_=""
[ "$(id -u)" = 0 ] || sudo_="sudo"
apt_updated=0
apt_install() {
  if [ "$apt_updated" = 0 ]; then
    $sudo_ apt-get update -q >/dev/null
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y -q "$@" >/dev/null
}

# --- 1. browser ---------------------------------------------------------------------------
export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM" ]; then
  log "installing chromium (apt-get)"
  apt_install chromium
fi
if [ "${WEB_DEMO_FONTS:-1}" != "0" ] && command -v fc-list >/dev/null 2>&1; then
  missing=()
  [ -n "$(fc-list :lang=zh family)" ] || missing+=(fonts-noto-cjk)
  fc-list : family | grep -i 'color emoji' >/dev/null || missing+=(fonts-noto-color-emoji)
  [ -n "$(fc-list :lang=hi family)" ] || missing+=(fonts-noto-core)
  if [ "${#missing[@]}" -gt 0 ]; then
    log "installing fonts for the screenshots: ${missing[*]} (apt-get; WEB_DEMO_FONTS=0 skips)"
    apt_install "${missing[@]}" || log "fonts not installed; screenshots may show boxes for CJK and emoji"
  fi
fi
"$CHROMIUM" --version >&2 || true

# --- 2. npm dev dependencies --------------------------------------------------------------
log "npm ci (web-demo)"
(cd "$here" && npm ci --no-audit --no-fund)

# --- 3. the package -----------------------------------------------------------------------
log "npm package qwen-meter into the page"
bash "$here/scripts/package.sh"

# --- 4. native oracle ---------------------------------------------------------------------
log "native oracle (cargo build --release, web-demo/native)"
oracle_json="$(cargo build --release --manifest-path "$here/native/Cargo.toml" --message-format=json)"
ORACLE="$(printf '%s\n' "$oracle_json" | node -e '
  let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
    for (const line of s.split("\n")) {
      if (!line.startsWith("{")) continue;
      const m = JSON.parse(line);
      if (m.reason === "compiler-artifact" && m.executable && m.target.name === "web-demo-oracle") console.log(m.executable);
    }
  });')"
if [ ! -x "$ORACLE" ]; then
  log "cargo did not report the web-demo-oracle executable"
  exit 1
fi
export ORACLE

# --- 5. server and tests ------------------------------------------------------------------
log "static server"
server_log="$(mktemp)"
node "$here/server.mjs" --port 0 >"$server_log" 2>&1 &
server_pid=$!
cleanup() {
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  rm -f "$server_log"
}
trap cleanup EXIT
for _ in $(seq 100); do
  BASE_URL="$(sed -n 's/^Serving \(http[^ ]*\).*/\1/p' "$server_log")"
  [ -n "$BASE_URL" ] && break
  if ! kill -0 "$server_pid" 2>/dev/null; then
    cat "$server_log" >&2
    log "the server did not start"
    exit 1
  fi
  sleep 0.1
done
if [ -z "$BASE_URL" ]; then
  log "the server printed no URL"
  exit 1
fi
export BASE_URL
log "end-to-end tests against $BASE_URL"
cd "$here"
rm -rf artifacts
# One file at a time: the typing-latency figures should not share the CPU with other tests.
node --test --test-concurrency=1 e2e/*.test.mjs
log "all web-demo tests passed; screenshots and typing-latency.json in web-demo/artifacts/"
