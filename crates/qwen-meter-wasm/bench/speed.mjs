// countTokens of the npm package against the native core, per kind of the bench corpus,
// warm and on a first pass, in one interleaved run (issue: WASM at least 85% of native warm,
// 60% on a first pass).
//
//   node crates/qwen-meter-wasm/bench/speed.mjs [--pkg DIR] [--native BIN] [--fresh N]
//                                              [--rounds N] [--kinds english,cjk] [--json FILE]
//
// --pkg: the built package (build.sh's output; default crates/qwen-meter-wasm/pkg), or several,
//   comma-separated, to compare builds in the same interleaved run;
// --native: the fixture generator, built with
//   cargo build -p qwen-meter-wasm --bin qwen-meter-wasm-fixtures --release
//   (default target/release/qwen-meter-wasm-fixtures);
// --fresh: fresh processes per kind and side (default 5); --rounds: warm counts in each
//   (default 5); --node-flags: flags for the WASM side's Node processes, space-separated (to
//   try V8 options such as --no-liftoff).
//
// Each kind's text is the concatenation of its files in benches/corpus/KIND (sorted by name,
// as benches/src/corpus.rs lists them), written once to a temp file that both sides read.
// Every sample is a fresh process, native and WASM taking turns so that load from other
// processes hits both alike. In it: start-up (load the package, or build the tables, by
// counting "Hello, world!"; not timed), then the first count of the kind's text, which it has
// never seen ("first"), then untimed counts until 4 MB of it have been counted (the engine's
// lazily built tables exist and the JIT has settled), then `rounds` rounds of counting the
// same text again, at least 8 MB each ("warm": time per count in the best round).
// Times are the CPU time of the thread that counts (on Linux, /proc/thread-self/schedstat:
// Node 20 has no per-thread clock of its own), as in benches' bench-report, and of the whole
// process, which on the WASM side adds V8's background compilation (tier-up to TurboFan) and
// GC: on a machine with a spare core those run beside the count, on a busy one they are part
// of its cost. Wall times are kept in the --json output. Per kind: the best and the median
// over the fresh processes, and WASM speed / native speed (= native time / WASM time).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};

// The WASM half of one sample, run in a fresh process (`--child PKG TEXT ROUNDS`).
if (args[0] === '--child') {
  const [, pkg, textPath, rounds] = args;
  const qm = createRequire(import.meta.url)(join(resolve(pkg), 'index.cjs'));
  const text = readFileSync(textPath, 'utf8');
  qm.countTokens('Hello, world!');
  // The main thread's CPU time in ms: Linux's schedstat (nanoseconds on the CPU), read by
  // this thread (Node 20 has no process.threadCpuUsage). The kernel brings it up to date at
  // each scheduler tick (about 4 ms here), so a reading lags by up to a tick: a first count
  // of 15 ms is known to about 25%, warm rounds are long enough not to care.
  const threadMs = () => Number(readFileSync('/proc/thread-self/schedstat', 'latin1').split(' ')[0]) / 1e6;
  const timed = () => {
    const s0 = threadMs();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const n = qm.countTokens(text);
    const c = process.cpuUsage(c0);
    return { n, thread: threadMs() - s0, cpu: (c.user + c.system) / 1000, wall: performance.now() - t0 };
  };
  const first = timed();
  // As many passes as the native side makes before timing (see `warm_up_passes` in
  // src/bin/fixtures.rs): at least 4 MB of text, and at least 2 passes.
  const bytes = Buffer.byteLength(text);
  for (let i = 1; i < Math.max(2, Math.ceil(4_000_000 / Math.max(bytes, 1))); i++) qm.countTokens(text);
  // Rounds of at least 8 MB of counting (`round_passes` in src/bin/fixtures.rs): the thread
  // clock below moves in scheduler ticks (about 4 ms), too coarse for one count.
  const perRound = Math.ceil(8_000_000 / Math.max(bytes, 1));
  const warm = [];
  for (let i = 0; i < +rounds; i++) {
    const s0 = threadMs();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let k = 0; k < perRound; k++) {
      const n = qm.countTokens(text);
      if (n !== first.n) throw new Error(`count changed from ${first.n} to ${n}`);
    }
    const c = process.cpuUsage(c0);
    warm.push({ thread: (threadMs() - s0) / perRound, cpu: (c.user + c.system) / 1000 / perRound, wall: (performance.now() - t0) / perRound });
  }
  console.log(JSON.stringify({
    bytes,
    tokens: first.n,
    firstThreadMs: first.thread,
    firstCpuMs: first.cpu,
    firstWallMs: first.wall,
    warmThreadMs: Math.min(...warm.map((w) => w.thread)),
    warmCpuMs: Math.min(...warm.map((w) => w.cpu)),
    warmWallMs: Math.min(...warm.map((w) => w.wall)),
    wasmMemoryBytes: qm.wasmMemoryBytes(),
  }));
  process.exit(0);
}

const pkgs = opt('pkg', join(root, 'crates/qwen-meter-wasm/pkg')).split(',').map((p) => resolve(p));
const native = resolve(opt('native', join(root, 'target/release/qwen-meter-wasm-fixtures')));
const fresh = +opt('fresh', 5);
const rounds = +opt('rounds', 5);
const nodeFlags = opt('node-flags', '').split(' ').filter(Boolean);
const corpus = join(root, 'benches/corpus');
const kinds = opt('kinds', undefined)?.split(',')
  ?? readdirSync(corpus).filter((k) => k !== 'LICENSES' && statSync(join(corpus, k)).isDirectory());

const tmp = mkdtempSync(join(tmpdir(), 'qwen-meter-speed-'));
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const stat = (xs, field) => ({ best: Math.min(...xs.map((x) => x[field])), median: median(xs.map((x) => x[field])) });
const FIELDS = ['firstThreadMs', 'warmThreadMs', 'firstCpuMs', 'warmCpuMs', 'firstWallMs', 'warmWallMs'];
const rows = pkgs.map(() => []); // per package, one row per kind
try {
  for (const kind of kinds) {
    const dir = join(corpus, kind);
    const text = readdirSync(dir).sort().map((f) => readFileSync(join(dir, f), 'utf8')).join('');
    const file = join(tmp, `${kind}.txt`);
    writeFileSync(file, text);
    const n = [];
    const w = pkgs.map(() => []);
    for (let i = 0; i < fresh; i++) {
      n.push(JSON.parse(execFileSync(native, ['speed', file, String(rounds)]).toString()));
      pkgs.forEach((pkg, j) => w[j].push(JSON.parse(execFileSync(process.execPath,
        [...nodeFlags, fileURLToPath(import.meta.url), '--child', pkg, file, String(rounds)]).toString())));
    }
    pkgs.forEach((pkg, j) => {
      if (n[0].tokens !== w[j][0].tokens) throw new Error(`${kind}: native counts ${n[0].tokens} tokens, ${pkg} ${w[j][0].tokens}`);
      const row = { kind, bytes: n[0].bytes, tokens: n[0].tokens, wasmMemoryBytes: w[j][0].wasmMemoryBytes };
      for (const field of FIELDS) row[field] = { native: stat(n, field), wasm: stat(w[j], field) };
      // WASM speed / native speed, by the best and by the median of the fresh processes.
      row.ratio = {};
      for (const clock of ['Thread', 'Cpu']) {
        for (const pass of ['first', 'warm']) {
          const t = row[`${pass}${clock}Ms`];
          row.ratio[`${pass}${clock}`] = { best: t.native.best / t.wasm.best, median: t.native.median / t.wasm.median };
        }
      }
      rows[j].push(row);
    });
    process.stderr.write(`${kind} done\n`);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

const f1 = (x) => x.toFixed(1);
const pct = (x) => `${(x * 100).toFixed(0)}%`;
const both = (s) => `${pct(s.best)} (${pct(s.median)})`;
console.log(`countTokens of the npm package against the native core (${native}); Node ${process.version}${nodeFlags.length ? ` ${nodeFlags.join(' ')}` : ''};`);
console.log(`${fresh} fresh processes per kind and side, interleaved, ${rounds} warm rounds each; MB/s by the thread's CPU time, best (median);`);
console.log('ratio = WASM speed / native speed by thread CPU time, best (median), and by process CPU time (which adds V8\'s background compilation and GC)');
pkgs.forEach((pkg, j) => {
  console.log(`\n${pkg}:\n`);
  console.log('| kind | size | native warm MB/s | WASM warm MB/s | warm ratio | warm ratio, process | native first MB/s | WASM first MB/s | first ratio | first ratio, process |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows[j]) {
    const speed = (t) => `${f1(r.bytes / t.best / 1e3)} (${f1(r.bytes / t.median / 1e3)})`;
    console.log(`| ${r.kind} | ${Math.round(r.bytes / 1e3)} KB `
      + `| ${speed(r.warmThreadMs.native)} | ${speed(r.warmThreadMs.wasm)} | ${both(r.ratio.warmThread)} | ${both(r.ratio.warmCpu)} `
      + `| ${speed(r.firstThreadMs.native)} | ${speed(r.firstThreadMs.wasm)} | ${both(r.ratio.firstThread)} | ${both(r.ratio.firstCpu)} |`);
  }
});
const json = opt('json', undefined);
if (json) writeFileSync(json, JSON.stringify(pkgs.map((pkg, j) => ({ pkg, rows: rows[j] })), null, 2));
