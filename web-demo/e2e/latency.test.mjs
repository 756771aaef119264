// Typing latency: in a 100 KB text, the time from a keystroke (keydown) to the new token count
// on screen, measured inside the page. Also: the page works offline once loaded, and loads
// nothing from other origins.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ensureArtifacts, launch, number, openPage, oracle, pasteText, settle, startServer } from './helpers.mjs';

let server;
let browser;
let page;

before(async () => {
  server = await startServer();
  browser = await launch();
  page = await openPage(browser.context, server.url);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** About 100 KB of prose with some CJK, ending in a letter. */
function hundredKB() {
  const para =
    'Qwen models read text as tokens: pieces of words, whole words, punctuation and spaces. ' +
    'A page that counts them as you type must answer within a frame or two. 通义千问的分词器对中文同样高效。\n';
  let text = '';
  while (Buffer.byteLength(text) < 100 * 1024) text += para;
  return `${text}The end`;
}

const LIMIT_MS = 50;
const KEYS = 40;

function stats(list) {
  const s = [...list].sort((a, b) => a - b).map((x) => Math.round(x * 10) / 10);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { median: q(0.5), p95: q(0.95), max: s[s.length - 1], min: s[0] };
}

/** Types KEYS digits at the end of a 100 KB text, one at a time; keydown -> count samples. */
async function measure(page) {
  const text = hundredKB();
  await pasteText(page, text);
  await settle(page);
  const before = await number(page, 'token-count');
  assert.equal(before, oracle([{ op: 'count', text, model: 'qwen3-max' }])[0].count);

  // In the page: keydown time, and the time the count's text changes (and the next frame).
  await page.evaluate(() => {
    const m = (window.__lat = { samples: [], t0: 0 });
    const input = document.querySelector('[data-testid="input"]');
    input.addEventListener('keydown', () => (m.t0 = performance.now()), true);
    const count = document.querySelector('[data-testid="token-count"]');
    new MutationObserver(() => {
      const t1 = performance.now();
      const t0 = m.t0;
      m.t0 = 0;
      if (!t0) return;
      requestAnimationFrame(() => {
        const t2 = performance.now();
        m.samples.push({ count: t1 - t0, frame: t2 - t0, value: count.textContent });
      });
    }).observe(count, { childList: true, characterData: true, subtree: true });
  });
  await page.getByTestId('input').focus();
  await page.keyboard.press('Control+End');

  // Digits: Qwen splits numbers into single digits, so every keystroke adds one token.
  for (let i = 0; i < KEYS; i++) {
    await page.keyboard.press(String(i % 10));
    await page.waitForFunction((n) => window.__lat.samples.length === n, i + 1, { polling: 5 });
    await settle(page); // the token view redraws after a pause; measure each key from rest
  }
  const samples = await page.evaluate(() => window.__lat.samples);
  assert.equal(samples.length, KEYS);
  samples.forEach((s, i) => assert.equal(Number(s.value), before + i + 1, `count after key ${i + 1}`));
  const typed = await page.getByTestId('input').inputValue();
  assert.equal(await number(page, 'token-count'), oracle([{ op: 'count', text: typed, model: 'qwen3-max' }])[0].count);

  // A burst: keys 30 ms apart, without waiting for answers.
  await page.evaluate(() => (window.__lat.samples = []));
  for (let i = 0; i < 20; i++) await page.keyboard.press(String(i % 10), { delay: 0 }).then(() => page.waitForTimeout(30));
  await settle(page);
  const burst = await page.evaluate(() => window.__lat.samples);
  const final = await page.getByTestId('input').inputValue();
  assert.equal(await number(page, 'token-count'), oracle([{ op: 'count', text: final, model: 'qwen3-max' }])[0].count);

  const where = await page.evaluate(() => document.body.dataset.analysisWhere);
  return { text, before, samples, burst, where };
}

test(`after a keystroke in a 100 KB text the count updates within ${LIMIT_MS} ms`, async () => {
  const main = await measure(page);
  // The same with every analysis in the worker (?engine=worker), for comparison.
  const workerPage = await openPage(browser.context, `${server.url}?engine=worker`);
  const worker = await measure(workerPage);
  await workerPage.close();

  const summary = (m) => ({
    analysedOn: m.where,
    keydownToCountMs: stats(m.samples.map((s) => s.count)),
    keydownToNextFrameMs: stats(m.samples.map((s) => s.frame)),
    burst30msApart: { keystrokes: 20, answered: m.burst.length, keydownToCountMs: stats(m.burst.map((s) => s.count)) },
  });
  const report = {
    textBytes: Buffer.byteLength(main.text),
    tokens: main.before,
    keystrokes: KEYS,
    limitMs: LIMIT_MS,
    default: summary(main),
    workerOnly: summary(worker),
  };
  writeFileSync(join(ensureArtifacts(), 'typing-latency.json'), `${JSON.stringify(report, null, 2)}\n`);
  const f = (x) => x.toFixed(1);
  const line = (name, r) =>
    `${name} (${r.analysedOn}): keydown -> count median ${f(r.keydownToCountMs.median)} ms, ` +
    `p95 ${f(r.keydownToCountMs.p95)} ms, max ${f(r.keydownToCountMs.max)} ms; next frame median ` +
    `${f(r.keydownToNextFrameMs.median)} ms; burst median ${f(r.burst30msApart.keydownToCountMs.median)} ms`;
  console.log(`typing latency in ${report.textBytes} bytes (${report.tokens} tokens), ${KEYS} keystrokes`);
  console.log(`${line('default', report.default)}`);
  console.log(`${line('worker only', report.workerOnly)}`);
  assert.equal(report.default.analysedOn, 'main', 'a 100 KB prompt is analysed in the keystroke');
  assert.equal(report.workerOnly.analysedOn, 'worker');
  // The bar, asserted on the 95th percentile of 40 keystrokes so that one scheduler
  // hiccup on a shared CI machine does not fail the run; the maximum is reported above.
  const p95 = report.default.keydownToCountMs.p95;
  assert.ok(p95 <= LIMIT_MS, `95% of keystrokes within ${p95} ms (limit ${LIMIT_MS})`);
  assert.deepEqual(page.problems, []);
});

test('first load: time until the page answers, and what it downloads', async () => {
  const fresh = await launch(); // empty cache
  try {
    const p = await fresh.context.newPage();
    const files = [];
    p.on('requestfinished', async (r) => {
      const sizes = await r.sizes().catch(() => null);
      files.push({ url: r.url(), bytes: sizes ? sizes.responseBodySize : 0 });
    });
    const t0 = Date.now();
    await p.goto(server.url);
    await p.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    const readyMs = Date.now() - t0;
    const total = files.reduce((n, f) => n + f.bytes, 0);
    const wasm = files.filter((f) => f.url.endsWith('.wasm')).reduce((n, f) => n + f.bytes, 0);
    console.log(
      `first load: ready (catalog and three WebAssembly instances) ${readyMs} ms after navigation; ` +
        `${files.length} requests, ${(total / 1024).toFixed(0)} KiB (uncompressed; the .wasm ${(wasm / 1024).toFixed(0)} KiB, fetched and compiled once for the page and both workers)`,
    );
    assert.ok(files.every((f) => f.url.startsWith(server.url)));
    assert.equal(files.filter((f) => f.url.endsWith('.wasm')).length, 1, 'the .wasm is downloaded once');
  } finally {
    await fresh.close();
  }
});

test('works offline once loaded; nothing is loaded from another origin', async () => {
  await browser.context.setOffline(true);
  try {
    const text = 'Offline: 你好, мир! 👋';
    await pasteText(page, text);
    await settle(page);
    assert.equal(await number(page, 'token-count'), oracle([{ op: 'count', text, model: 'qwen3-max' }])[0].count);
    await page.getByTestId('model-select').selectOption('qwen-plus');
    await settle(page);
    assert.equal(await number(page, 'token-count'), oracle([{ op: 'count', text, model: 'qwen-plus' }])[0].count);
    assert.notEqual(await page.getByTestId('cost-total').getAttribute('data-amount'), '');
  } finally {
    await browser.context.setOffline(false);
  }
  assert.deepEqual(page.problems, []);
});
