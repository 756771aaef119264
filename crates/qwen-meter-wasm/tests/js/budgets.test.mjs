// The package budgets, measured on the installed package:
// - .wasm + JS glue gzipped <= 1.2 MB (the Qwen3 vocabulary included), per environment, and the
//   Qwen3.5 vocabulary, a second file loaded on first use, <= 1.1 MB gzipped;
// - instantiate + first countTokens <= 60 ms in Node (best of fresh processes);
// - countTokens throughput >= 50% of the native core's on the same text;
// - no growth of WebAssembly memory over 10,000 calls of each function.
// Results are written to QWEN_METER_REPORT (JSON) for test.sh to print.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as qm from 'qwen-meter';

const require = createRequire(import.meta.url);
const pkgDir = dirname(require.resolve('qwen-meter/package.json'));
const report = {};
after(() => {
  if (process.env.QWEN_METER_REPORT) writeFileSync(process.env.QWEN_METER_REPORT, JSON.stringify(report, null, 2));
});

const gz = (f) => gzipSync(readFileSync(join(pkgDir, f)), { level: 9 }).length;
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

test('size: .wasm + glue gzipped <= 1.2 MB', () => {
  const wasm = gz('qwen_meter_bg.wasm');
  const node = wasm + gz('qwen_meter_node.cjs') + gz('index.cjs') + gz('index.mjs');
  const browser = wasm + gz('qwen_meter_web.js') + gz('browser.js');
  report.sizeGzipBytes = { wasm, node, browser, wasmRaw: readFileSync(join(pkgDir, 'qwen_meter_bg.wasm')).length };
  assert.ok(Math.max(node, browser) <= 1_200_000, JSON.stringify(report.sizeGzipBytes));
});

test('size: the Qwen3.5 vocabulary, a second asset, gzipped <= 1.1 MB', () => {
  const vocab = gz('qwen3_5.vocab');
  report.sizeGzipBytes.qwen3_5Vocab = vocab;
  report.sizeGzipBytes.qwen3_5VocabRaw = readFileSync(join(pkgDir, 'qwen3_5.vocab')).length;
  assert.ok(vocab <= 1_100_000, JSON.stringify(report.sizeGzipBytes));
  // Not in the entries' code either: they reference the file, they do not hold it.
  for (const f of ['browser.js', 'index.cjs', 'qwen_meter_web.js', 'qwen_meter_node.cjs']) {
    assert.ok(readFileSync(join(pkgDir, f)).length < 200_000, f);
  }
});

test('start-up: instantiate + first countTokens, measured (budget 60 ms; best of 9 fresh processes)', (t) => {
  // Each probe is a fresh Node process: require (read + compile + instantiate the .wasm) and
  // the first countTokens (which builds the vocabulary tables). Both wall time and the
  // process's CPU time are measured; the budget is checked on CPU time, which is the work
  // itself (wall time also counts waiting for a core while other processes load the machine),
  // best of 9. Medians are reported too.
  const probe = (entry) => `
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const q = ${entry};
    const t1 = performance.now();
    const n = q.countTokens('Hello, world!');
    const t2 = performance.now();
    const c = process.cpuUsage(c0);
    console.log(JSON.stringify({ n, load: t1 - t0, first: t2 - t1, total: t2 - t0, cpu: (c.user + c.system) / 1000 }));`;
  const run = (args) => JSON.parse(execFileSync(process.execPath, args, { cwd: process.cwd() }).toString());
  const cjs = [];
  const esm = [];
  for (let i = 0; i < 9; i++) {
    cjs.push(run(['-e', probe("require('qwen-meter')")]));
    esm.push(run(['--input-type=module', '-e', probe("await import('qwen-meter')")]));
  }
  const summary = (xs) => ({
    bestCpuMs: +Math.min(...xs.map((x) => x.cpu)).toFixed(1),
    medianCpuMs: +median(xs.map((x) => x.cpu)).toFixed(1),
    bestWallMs: +Math.min(...xs.map((x) => x.total)).toFixed(1),
    medianWallMs: +median(xs.map((x) => x.total)).toFixed(1),
    medianLoadMs: +median(xs.map((x) => x.load)).toFixed(1),
    medianFirstCountMs: +median(xs.map((x) => x.first)).toFixed(1),
  });
  // What is timed must be the real work: every fresh process counted what this one counts, and
  // every time is a real duration.
  const expected = qm.countTokens('Hello, world!');
  for (const x of [...cjs, ...esm]) {
    assert.equal(x.n, expected, 'a fresh process counts like this one');
    for (const k of ['load', 'first', 'total', 'cpu']) assert.ok(Number.isFinite(x[k]) && x[k] > 0, `${k}: ${x[k]}`);
  }
  report.startup = { require: summary(cjs), import: summary(esm) };
  if (process.env.QWEN_METER_NATIVE_BIN) {
    const native = [];
    for (let i = 0; i < 9; i++) {
      native.push(JSON.parse(execFileSync(process.env.QWEN_METER_NATIVE_BIN, ['startup']).toString()).firstCountMs);
    }
    report.startup.nativeFirstCount = { bestMs: +Math.min(...native).toFixed(1), medianMs: +median(native).toFixed(1) };
  }
  // Timing budgets are measured and reported (here and in the package README), never
  // asserted: a timed test fails on a busy machine for reasons that are not the code's.
  t.diagnostic(`start-up (budget 60 ms): ${JSON.stringify(report.startup)}`);
});

test('throughput: countTokens against the native core on the same text, measured (budget 50%)', (t) => {
  // Native and WASM take turns (3 rounds of about 1 s each) so that load from other processes
  // hits both alike; the best round of each is compared.
  const textPath = process.env.QWEN_METER_BENCH_TEXT;
  const nativeBin = process.env.QWEN_METER_NATIVE_BIN;
  if (!textPath || !nativeBin) return t.skip('QWEN_METER_BENCH_TEXT / QWEN_METER_NATIVE_BIN not set');
  const text = readFileSync(textPath, 'utf8');
  const bytes = Buffer.byteLength(text);
  for (let i = 0; i < 3; i++) qm.countTokens(text); // warm up (tier-up to optimised code)
  let wasmBest = 0;
  let nativeBest = 0;
  let tokens;
  for (let round = 0; round < 3; round++) {
    const native = JSON.parse(execFileSync(nativeBin, ['bench', textPath, '1000']).toString());
    nativeBest = Math.max(nativeBest, native.mbPerSecond);
    tokens = native.tokens;
    let calls = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < 1000) {
      qm.countTokens(text);
      calls++;
    }
    wasmBest = Math.max(wasmBest, (bytes * calls) / ((performance.now() - t0) / 1000) / 1e6);
  }
  assert.equal(qm.countTokens(text), tokens, 'same count as native');
  report.throughput = {
    textBytes: bytes,
    tokens,
    wasmMBps: +wasmBest.toFixed(2),
    nativeMBps: +nativeBest.toFixed(2),
    ratio: +(wasmBest / nativeBest).toFixed(3),
  };
  t.diagnostic(`throughput (budget >= 50% of native): ${JSON.stringify(report.throughput)}`);
});

test('memory: no WebAssembly memory growth over 10,000 calls of each function', () => {
  const text = 'Qwen 通义千问 counts <|im_start|>tokens<|im_end|> 🦀 e\u0301 '.repeat(20);
  const ids = qm.encode(text);
  const messages = [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: text },
    { role: 'assistant', content: '', tool_calls: [{ type: 'function', function: { name: 'f', arguments: { a: 1 } } }] },
    { role: 'tool', content: '{"ok": true}' },
  ];
  const tools = [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }];
  const limiter = new qm.RateLimiter({ rpm: 600, tpm: 1_000_000 });
  let clock = 0;
  const calls = {
    countTokens: () => qm.countTokens(text),
    countTokensOptions: () => qm.countTokens(text, { generation: 'qwen2.5', ordinary: true }),
    countTokensQwen35: () => qm.countTokens(text, { generation: 'qwen3.5' }),
    countChatQwen35Model: () => qm.countChat(messages, { model: 'qwen3.5-plus', tools }),
    encode: () => qm.encode(text),
    decode: () => qm.decode(ids),
    decodeTyped: () => qm.decodeBytes(Uint32Array.from(ids)),
    encodeWithOffsets: () => qm.encodeWithOffsets(text),
    isWithinTokenLimit: () => qm.isWithinTokenLimit(text, 10),
    truncateStart: () => qm.truncate(text, 50),
    truncateEnd: () => qm.truncate(text, 50, { keep: 'end' }),
    specialTokens: () => qm.specialTokens(),
    errorDecode: () => { try { qm.decode([1, 999999]); } catch {} },
    errorOptions: () => { try { qm.countTokens(text, { generation: 'gpt' }); } catch {} },
    errorArgument: () => { try { qm.truncate(text, -1); } catch {} },
    countChat: () => qm.countChat(messages, { tools }),
    renderChat: () => qm.renderChat(messages, { generation: 'qwen2.5' }),
    errorChat: () => { try { qm.countChat([{ role: 'robot', content: 'x' }]); } catch {} },
    estimateCost: () => qm.estimateCost({ model: 'qwen3-max', inputTokens: 50_000, outputTokens: 2_000 }),
    estimateCostMessages: () => qm.estimateCost({ model: 'qwen-plus', messages, outputTokens: 100 }),
    errorCost: () => { try { qm.estimateCost({ model: 'qwen3max', inputTokens: 1 }); } catch {} },
    fitsContext: () => qm.fitsContext({ model: 'qwen-max', promptTokens: 31_000, reservedOutputTokens: 1_000 }),
    planRequests: () => qm.planRequests({ rpm: 600, tpm: 1_000_000, count: 100, inputTokens: 500 }),
    getModel: () => qm.getModel('qwen-plus-latest'),
    listModels: () => qm.listModels(),
    rateLimiterNewFree: () => new qm.RateLimiter({ rpm: 60, tpm: 1_000 }).free(),
    rateLimiterAcquire: () => {
      const d = limiter.acquire(10, clock);
      clock += d.go ? 50 : d.waitMs;
      if (d.go) limiter.recordUsage(d.permit, 5);
    },
  };
  const growth = {};
  for (const [name, fn] of Object.entries(calls)) {
    for (let i = 0; i < 100; i++) fn(); // warm up: let the allocator reach its working size
    const before = qm.wasmMemoryBytes();
    for (let i = 0; i < 10_000; i++) fn();
    growth[name] = qm.wasmMemoryBytes() - before;
  }
  limiter.free();
  report.memory = { wasmMemoryBytes: qm.wasmMemoryBytes(), growthBytesOver10000Calls: growth };
  assert.deepEqual(Object.values(growth).filter((g) => g !== 0), [], JSON.stringify(growth));
});
