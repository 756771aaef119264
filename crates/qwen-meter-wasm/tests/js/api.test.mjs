// JS-side behaviour of the installed package: entry points, argument edge cases JSON cannot
// express, UTF-16 offsets, the browser entry, and random inputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { execFileSync } from 'node:child_process';
import * as qm from 'qwen-meter';

const require = createRequire(import.meta.url);
const pkgDir = dirname(require.resolve('qwen-meter/package.json'));

test('import and require resolve to the node entries and share one instance', () => {
  assert.match(import.meta.resolve('qwen-meter'), /\/index\.mjs$/);
  assert.match(require.resolve('qwen-meter'), /[\\/]index\.cjs$/);
  const cjs = require('qwen-meter');
  assert.equal(qm.countTokens, cjs.countTokens);
  assert.equal(qm.QwenMeterError, cjs.QwenMeterError);
  assert.equal(qm.default, cjs);
});

test('every entry exports the same names, and index.d.ts declares them', async () => {
  const browser = await import(pathToFileURL(join(pkgDir, 'browser.js')).href);
  const named = (m) => Object.keys(m).filter((k) => k !== 'default').sort();
  const esm = named(qm);
  const cjs = Object.keys(require('qwen-meter')).sort();
  const web = named(browser);
  assert.deepEqual(Object.keys(browser.default).sort(), web);
  assert.deepEqual(Object.keys(qm.default).sort(), esm);
  assert.deepEqual(cjs, esm);
  assert.deepEqual(web, esm);
  const dts = readFileSync(join(pkgDir, 'index.d.ts'), 'utf8');
  const declared = [...dts.matchAll(/^export (?:declare )?(?:function|class|const) (\w+)/gm)].map((m) => m[1]);
  assert.deepEqual([...new Set(declared)].sort(), esm);
});

test('the entries export exactly the Rust export table (plus the JS-side names)', () => {
  const table = JSON.parse(readFileSync(process.env.QWEN_METER_FIXTURES, 'utf8')).exports;
  const named = Object.keys(qm).filter((k) => k !== 'default').sort();
  assert.deepEqual(named, [...table, 'QwenMeterError', 'init', 'initSync', 'loadVocabulary', 'RateLimiter', 'Document'].sort());
});

test('errors are QwenMeterError instances with code, name and a stack', () => {
  let err;
  try {
    qm.decode([9707, 999999]);
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof qm.QwenMeterError);
  assert.ok(err instanceof Error);
  assert.equal(err.name, 'QwenMeterError');
  assert.equal(err.code, 'DECODE');
  assert.equal(err.message, 'decode: unknown token id 999999 at position 1');
  assert.equal(typeof err.stack, 'string');
});

test('arguments JSON cannot express are rejected with their kind', () => {
  const cases = [
    [() => qm.isWithinTokenLimit('x', NaN), 'isWithinTokenLimit: limit: expected a non-negative integer, got NaN'],
    [() => qm.isWithinTokenLimit('x', -Infinity), 'isWithinTokenLimit: limit: expected a non-negative integer, got -Infinity'],
    [() => qm.truncate('x', 5n), 'truncate: maxTokens: expected a non-negative integer, got bigint'],
    [() => qm.countTokens(Symbol('s')), 'countTokens: text: expected a string, got symbol'],
    [() => qm.countTokens(() => 'x'), 'countTokens: text: expected a string, got function'],
    [() => qm.countTokens(new String('x')), 'countTokens: text: expected a string, got object'],
    [() => qm.decode([1, undefined]), 'decode: ids[1]: expected a token id (integer), got null'],
    [() => qm.decode([NaN]), 'decode: ids[0]: expected a token id (integer), got null'],
    [() => qm.countTokens('x', () => 1), 'countTokens: options: expected an object, got function'],
    [() => qm.estimateCost(Symbol('r')), 'estimateCost: request: expected an object, got symbol'],
    [() => qm.decode(new Int32Array([1, 2])), 'decode: ids: expected an array or Uint32Array of token ids, got object'],
  ];
  for (const [fn, message] of cases) {
    assert.throws(fn, (e) => e instanceof qm.QwenMeterError && e.message === message && e.code === 'INVALID_ARGUMENT', message);
  }
  // Objects are read as JSON.stringify reads them: what it cannot read is an error naming the
  // argument, and exceptions from getters are caught before they reach the WebAssembly frames.
  assert.throws(
    () => qm.countTokens('x', { generation: 1n }),
    (e) => e instanceof qm.QwenMeterError && e.message.startsWith('countTokens: options: cannot be read as JSON data'),
  );
  const cyclic = { model: 'qwen3-max', inputTokens: 1 };
  cyclic.self = cyclic;
  assert.throws(() => qm.estimateCost(cyclic), (e) => e.code === 'INVALID_ARGUMENT' && e.message.startsWith('estimateCost: request: cannot be read as JSON data'));
  const before = qm.wasmMemoryBytes();
  for (let i = 0; i < 10_000; i++) {
    const trap = { get generation() { throw new Error('boom'); } };
    assert.throws(() => qm.countTokens('x', trap), (e) => e instanceof qm.QwenMeterError && e.message === 'countTokens: options: cannot be read as JSON data (boom)');
    const proxy = new Proxy([1, 2], { get(t, k) { if (k === '1') throw new Error('trap'); return Reflect.get(t, k); } });
    assert.throws(() => qm.decode(proxy), (e) => e instanceof qm.QwenMeterError && e.message === 'decode: ids: cannot be read as JSON data (trap)');
  }
  assert.equal(qm.wasmMemoryBytes(), before, 'no memory growth from 20,000 caught exceptions');
  assert.equal(qm.countTokens('Hello, world!'), 4);
  // undefined and function fields are dropped, as JSON does.
  assert.equal(qm.countTokens('<think>', { generation: () => 'qwen2' }), 1);
  // `undefined` fields are absent; Infinity is "no limit".
  assert.equal(qm.countTokens('<think>', { generation: undefined, ordinary: undefined }), 1);
  assert.equal(qm.isWithinTokenLimit('Hello, world!', Infinity), 4);
  assert.equal(qm.truncate('Hello, world!', Infinity), 'Hello, world!');
});

test('typed arrays and arrays decode alike', () => {
  const ids = qm.encode('Qwen 通义千问 🦀');
  assert.ok(Array.isArray(ids));
  assert.equal(qm.decode(Uint32Array.from(ids)), qm.decode(ids));
  const bytes = qm.decodeBytes(Uint32Array.from(ids));
  assert.ok(bytes instanceof Uint8Array);
  assert.equal(Buffer.from(bytes).toString('utf8'), 'Qwen 通义千问 🦀');
});

test('lone surrogates count as U+FFFD, as TextEncoder sends them', () => {
  assert.equal(qm.countTokens('a\uD800b'), qm.countTokens('a\uFFFDb'));
  assert.deepEqual(qm.encode('\uDFFFx'), qm.encode('\uFFFDx'));
  const spans = qm.encodeWithOffsets('ab\uD83Dcd');
  assert.equal(spans.at(-1).end, 5);
});

/** Deterministic random strings over awkward characters, including lone surrogates. */
function* randomTexts(n, seed = 1) {
  const pool = ['a', 'Z', ' ', '  ', '\n', '\t', "'", "'s", '1', '23', '中', 'é', 'e\u0301', '\u0323', '👋', '🏽',
    '\u200d', '<|im_end|>', '<think>', '<|', 'ſ', '\u3000', 'ß', '.', '🦀', '\uD800', '\uDC00', '\r\n', 'ﬁ', '𝔘'];
  let s = seed;
  const next = () => (s = (s * 1103515245 + 12345) % 2147483648);
  for (let i = 0; i < n; i++) {
    let t = '';
    const len = next() % 60;
    for (let j = 0; j < len; j++) t += pool[next() % pool.length];
    yield t;
  }
}

test('offsets index the JS string: UTF-16 and byte ranges cover the same text', () => {
  for (const text of randomTexts(500, 3)) {
    const spans = qm.encodeWithOffsets(text);
    assert.deepEqual(spans.map((s) => s.id), qm.encode(text));
    const utf8 = Buffer.from(text, 'utf8');
    let prevEnd = 0;
    for (const s of spans) {
      assert.equal(
        text.slice(s.start, s.end).toWellFormed(),
        utf8.subarray(s.byteStart, s.byteEnd).toString('utf8'),
        JSON.stringify({ text, s }),
      );
      assert.ok(s.start <= prevEnd, 'spans leave no gap');
      prevEnd = Math.max(prevEnd, s.end);
    }
    assert.equal(prevEnd, text.length);
  }
});

test('random inputs: counts, limits and truncation agree, nothing traps', () => {
  for (const text of randomTexts(2000, 11)) {
    for (const generation of ['qwen3', 'qwen2']) {
      const o = { generation };
      const n = qm.countTokens(text, o);
      assert.equal(qm.encode(text, o).length, n);
      assert.equal(qm.isWithinTokenLimit(text, n, o), n);
      if (n > 0) assert.equal(qm.isWithinTokenLimit(text, n - 1, o), false);
      const half = n >> 1;
      const head = qm.truncate(text, half, o);
      const tail = qm.truncate(text, half, { ...o, keep: 'end' });
      assert.ok(text.toWellFormed().startsWith(head), 'start kept');
      assert.ok(text.toWellFormed().endsWith(tail), 'end kept');
      assert.ok(qm.countTokens(head, o) <= half && qm.countTokens(tail, o) <= half);
    }
  }
});

test('browser entry: refuses calls before init, then works from bytes', async () => {
  const browser = await import(pathToFileURL(join(pkgDir, 'browser.js')).href);
  assert.throws(() => browser.countTokens('x'), (e) => e instanceof browser.QwenMeterError && e.code === 'NOT_INITIALISED');
  assert.throws(() => browser.initSync(), /initSync: expected the .wasm bytes/);
  await assert.rejects(browser.init(new Uint8Array([0, 1, 2, 3])), (e) => e instanceof browser.QwenMeterError && e.code === 'INIT' && /^init: could not load the WebAssembly module/.test(e.message));
  await browser.init(readFileSync(join(pkgDir, 'qwen_meter_bg.wasm')));
  await browser.init(); // already initialised: resolves without fetching
  for (const text of randomTexts(50, 5)) {
    assert.deepEqual(browser.encode(text), qm.encode(text));
    assert.deepEqual(browser.encodeWithOffsets(text), qm.encodeWithOffsets(text));
  }
  assert.throws(() => browser.decode([999999]), (e) => e instanceof browser.QwenMeterError && e.code === 'DECODE');
});

test('RateLimiter: a class with free(), default clock, bounded permits', () => {
  const limiter = new qm.RateLimiter({ rpm: 600, tpm: 1_000_000 });
  assert.ok(limiter instanceof qm.RateLimiter);
  assert.deepEqual(limiter.limits, { rpm: 600, tpm: 1_000_000 });
  const first = limiter.acquire(1_000); // nowMs defaults to performance.now()
  assert.equal(first.go, true);
  assert.equal(limiter.recordUsage(first.permit, 800), true);
  // Permits never recorded are forgotten after a minute: memory stays bounded.
  let now = 10_000_000;
  for (let i = 0; i < 5_000; i++) {
    const d = limiter.acquire(10, now);
    now += d.go ? 100 : d.waitMs;
  }
  assert.ok(limiter.pendingPermits <= 600, `pending ${limiter.pendingPermits}`);
  limiter.free();
  assert.throws(() => limiter.acquire(1, now)); // freed: a JS error, not a trap
  assert.equal(qm.countTokens('still alive'), 2);
  assert.throws(() => new qm.RateLimiter({ rpm: 1 }), (e) => e instanceof qm.QwenMeterError && e.message === 'RateLimiter: limits.tpm: is required (or give model and region to use the catalog\'s limits)');
  const fromCatalog = new qm.RateLimiter({ model: 'qwen-plus', region: 'international' });
  assert.deepEqual(fromCatalog.limits, { rpm: 600, tpm: 1_000_000 });
  fromCatalog.free();
});

test('catalog: models, exact decimal strings with float companions', () => {
  const models = qm.listModels();
  assert.ok(models.length >= 15);
  assert.ok(models.some((m) => m.id === 'qwen3-max'));
  const cost = qm.estimateCost({ model: 'qwen3-max', inputTokens: 50_000, outputTokens: 2_000 });
  assert.equal(cost.total, '0.144');
  assert.equal(cost.totalNumber, 0.144);
  assert.equal(cost.currency, 'USD');
  assert.equal(cost.breakdown.input, '0.12');
  const fromText = qm.estimateCost({ model: 'qwen-plus', text: 'Hello, world!', outputTokens: 500, thinking: true });
  assert.equal(fromText.usage.inputTokens, 4);
  assert.equal(fromText.total, '0.0020016');
  assert.throws(() => qm.estimateCost({ model: 'qwen3max', inputTokens: 1 }), (e) => e.code === 'CATALOG' && /did you mean qwen3-max/.test(e.message));
});

test('image sizes from Uint8Array headers and image tokens by model or profile', () => {
  const png = new Uint8Array([
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52,
    0, 0, 0x07, 0x80, 0, 0, 0x04, 0x38,
  ]);
  const size = qm.imageSize(png);
  assert.equal(size.width, 1920);
  assert.equal(size.height, 1080);
  assert.equal(qm.countImageTokens(size, { model: 'qwen3.5-plus' }).tokens, 2042);
  assert.equal(qm.countImageTokens(size, { model: 'qvq-max' }).tokens, 1224);
  assert.equal(qm.countImageTokens({ width: 4000, height: 3000 }, { highResolution: true }).tokens, 11752);
  assert.throws(() => qm.imageSize('not bytes'), (e) => e.code === 'INVALID_ARGUMENT' && e.message.startsWith('imageSize: bytes: expected a Uint8Array'));
  assert.throws(() => qm.imageSize(png.subarray(0, 20)), (e) => /PNG header truncated/.test(e.message));
  const cost = qm.estimateCost({ model: 'qwen3.5-plus', inputTokens: 58, imageTokens: 2042, outputTokens: 500, thinking: false });
  assert.equal(cost.usage.inputTokens, 2100);
  assert.equal(cost.usage.imageTokens, 2042);
});

// ---- the Qwen3.5 vocabulary, a second file loaded on first use ------------------------------

const fixtureCases = () => JSON.parse(readFileSync(process.env.QWEN_METER_FIXTURES, 'utf8')).cases;
const fixture = (name) => {
  const c = fixtureCases().find((x) => x.name === name);
  assert.ok(c, `fixture ${name}`);
  return c;
};

/** Runs `code` in a fresh Node process (CommonJS, or ESM with `esm`); returns its JSON output. */
function fresh(code, esm = false) {
  const args = esm ? ['--input-type=module', '-e', code] : ['-e', code];
  return JSON.parse(execFileSync(process.execPath, args, { cwd: process.cwd() }).toString());
}

test('Qwen3.5: Node reads the vocabulary file on the first call that needs it (CommonJS and ESM)', () => {
  const count = fixture('countTokens devanagari [qwen3.5 ordinary=false]');
  const chat = fixtureCases().find((c) => c.call === 'countChat' && c.name.endsWith('[model qwen3.5-plus]'));
  const probe = (load) => `
    const q = ${load};
    const before = q.hasVocabulary('qwen3.5');
    const first = ${JSON.stringify(chat.args)};
    const chat = q.countChat(first[0], first[1]);
    const after = q.hasVocabulary('qwen3.5');
    const n = q.countTokens(${JSON.stringify(count.args[0])}, { generation: 'qwen3.5' });
    console.log(JSON.stringify({ before, chat, after, n }));`;
  for (const [esm, load] of [[false, "require('qwen-meter')"], [true, "await import('qwen-meter')"]]) {
    const got = fresh(probe(load), esm);
    assert.deepEqual(got, { before: false, chat: chat.value, after: true, n: count.value }, load);
  }
  // A program that only uses the built-in vocabulary never reads the file.
  const plain = fresh(`const q = require('qwen-meter'); q.countTokens('x'); q.countChat([{ role: 'user', content: 'x' }], { model: 'qwen3-max' });
    q.estimateCost({ model: 'qwen3.5-plus', inputTokens: 10 }); console.log(JSON.stringify(q.hasVocabulary('qwen3.5')));`);
  assert.equal(plain, false);
});

test('Qwen3.5: counts differ from Qwen3 and match the native Qwen3.5 tokenizer', () => {
  let differ = 0;
  for (const c of fixtureCases()) {
    const m = /^countTokens (.*) \[qwen3\.5 ordinary=false\]$/.exec(c.name);
    if (!m) continue;
    const text = c.args[0];
    assert.equal(qm.countTokens(text, { generation: 'qwen3.5' }), c.value, c.name);
    assert.equal(qm.countTokens(text, { generation: 'qwen3.6' }), c.value, `${c.name} (qwen3.6)`);
    if (c.value !== qm.countTokens(text, { generation: 'qwen3' })) differ++;
  }
  assert.ok(differ >= 3, `${differ} texts count differently`);
  assert.equal(qm.hasVocabulary('qwen3.5'), true);
  assert.equal(qm.installVocabulary('qwen3.5', new Uint8Array([1, 2, 3])), false, 'already installed: bytes unread');
});

test('Qwen3.5: loadVocabulary in Node resolves, and reports a file it cannot read', async () => {
  await qm.loadVocabulary();
  await qm.loadVocabulary('qwen3.6');
  await qm.loadVocabulary('qwen3');
  await assert.rejects(qm.loadVocabulary('gpt'), (e) => e instanceof qm.QwenMeterError && e.code === 'INVALID_ARGUMENT');
  const missing = fresh(`const q = require('qwen-meter');
    q.loadVocabulary('qwen3.5', '/nonexistent/qwen3_5.vocab').then(() => console.log('null'), (e) => console.log(JSON.stringify([e.code, e.message, q.hasVocabulary('qwen3.5')])));`);
  assert.equal(missing[0], 'LOAD');
  assert.match(missing[1], /^loadVocabulary: could not read the qwen3\.5 vocabulary from \/nonexistent\/qwen3_5\.vocab/);
  assert.equal(missing[2], false);
});

test('Qwen3.5 in the browser entry: a clear error until loadVocabulary, then exact counts', async () => {
  // The same module instance as the test above (initialised; Qwen3.5 never loaded in it).
  const browser = await import(pathToFileURL(join(pkgDir, 'browser.js')).href);
  await browser.init(readFileSync(join(pkgDir, 'qwen_meter_bg.wasm')));
  assert.equal(browser.hasVocabulary('qwen3.5'), false);
  for (const call of [
    () => browser.countTokens('x', { generation: 'qwen3.5' }),
    () => browser.countChat([{ role: 'user', content: 'x' }], { model: 'qwen3.6-plus' }),
    () => browser.estimateCost({ model: 'qwen3.5-flash', text: 'x' }),
  ]) {
    assert.throws(call, (e) => e instanceof browser.QwenMeterError && e.code === 'VOCABULARY_NOT_LOADED' && e.message.includes("call `await loadVocabulary('qwen3.5')` first"));
  }
  // Node's fetch has no file: URLs, so the default source fails here, with what to do.
  await assert.rejects(browser.loadVocabulary('qwen3.5'), (e) => e instanceof browser.QwenMeterError && e.code === 'LOAD' && /qwen3_5\.vocab/.test(e.message));
  await assert.rejects(browser.loadVocabulary('qwen3.5', new Uint8Array([1, 2, 3])), (e) => e.code === 'INVALID_ARGUMENT' && /^installVocabulary: bytes: /.test(e.message));
  const bytes = readFileSync(join(pkgDir, 'qwen3_5.vocab'));
  await Promise.all([browser.loadVocabulary('qwen3.5', bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)), browser.loadVocabulary('qwen3.5', bytes)]);
  assert.equal(browser.hasVocabulary('qwen3.5'), true);
  for (const text of randomTexts(30, 7)) {
    assert.deepEqual(browser.encode(text, { generation: 'qwen3.5' }), qm.encode(text, { generation: 'qwen3.5' }));
  }
});
