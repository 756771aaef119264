// A 1 MB text: the page counts through a Document (createDocument) that follows the text by
// edits, so a keystroke anywhere re-tokenizes a few kilobytes, not the megabyte.
//
// Measured inside the page, as the issue times it: from the `input` event to the change of
// the token count, for keystrokes at random places (a letter typed after a space, a
// Backspace there), and for the first count of the freshly pasted megabyte. The browser's own
// editing of a 1 MB textarea (keydown -> input, before the page sees anything) is reported
// beside it. Every count is checked against the native oracle, and after the keystrokes the
// token view, the cost and the context meter show the same text's numbers. The figures go to
// artifacts/document-latency.json and the test's output; the 95th percentile is asserted
// loosely (the target is median <= 5 ms, p95 <= 16 ms on an idle machine; CI machines are
// shared).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ensureArtifacts, launch, number, openPage, oracle, oraclePath, pageState, settle, startServer } from './helpers.mjs';

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

/** About 1 MB of prose, CJK, code and special-token text (LF line breaks, as a textarea keeps). */
function oneMB() {
  const para =
    'Qwen models read text as tokens: pieces of words, whole words, punctuation and spaces. ' +
    '通义千问的分词器对中文同样高效。 fn main() { println!("{}", 42); } <|im_start|>user\n';
  let text = '';
  while (Buffer.byteLength(text) < 1024 * 1024) text += para;
  return text;
}

const KEYS = 40;
const LOOSE_P95_MS = 50;

function stats(list) {
  const s = [...list].sort((a, b) => a - b).map((x) => Math.round(x * 10) / 10);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { median: q(0.5), p95: q(0.95), max: s[s.length - 1], min: s[0] };
}

/** The keystrokes (position, key) and the text after each, from a fixed seed. */
function plan(text) {
  let seed = 12345;
  const next = (n) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const steps = [];
  let cur = text;
  while (steps.length < KEYS) {
    // After a space: typing there always changes the count ("x" starts a new word); a
    // Backspace there joins two words.
    let at = next(cur.length);
    while (at < cur.length && cur[at - 1] !== ' ') at++;
    if (at >= cur.length) continue;
    const key = steps.length % 2 === 0 ? 'x' : 'Backspace';
    cur = key === 'x' ? cur.slice(0, at) + 'x' + cur.slice(at) : cur.slice(0, at - 1) + cur.slice(at);
    steps.push({ at, key, text: cur });
  }
  return steps;
}

/**
 * Native time of a first count of `text`: a fresh oracle process counting it, less one
 * counting a word (process start and vocabulary load); the best of three.
 */
function nativeFirstCountMs(text) {
  const run = (t) => {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(oraclePath(), [], { input: `${JSON.stringify({ op: 'count', text: t, model: 'qwen3-max' })}\n` });
    assert.equal(r.status, 0);
    return Number(process.hrtime.bigint() - t0) / 1e6;
  };
  let best = Infinity;
  for (let i = 0; i < 3; i++) best = Math.min(best, run(text) - run('word'));
  return Math.round(best);
}

test('a 1 MB text: the first count and keystrokes at random places, exact and fast', async () => {
  const text = oneMB();
  const steps = plan(text);
  const want = oracle([text, ...steps.map((s) => s.text)].map((t) => ({ op: 'count', text: t, model: 'qwen3-max' }))).map(
    (a) => a.count,
  );

  // In the page: the time of the input event (before the page's own listener), of the
  // keydown before it, and of each change of the token count.
  await page.evaluate(() => {
    const m = (window.__lat = { samples: [], browser: [], t0: 0, keydown: 0 });
    window.addEventListener('keydown', () => (m.keydown = performance.now()), true);
    window.addEventListener(
      'input',
      () => {
        m.t0 = performance.now();
        if (m.keydown) m.browser.push(m.t0 - m.keydown);
        m.keydown = 0;
      },
      true,
    );
    const count = document.querySelector('[data-testid="token-count"]');
    new MutationObserver(() => {
      const t1 = performance.now();
      const t0 = m.t0;
      m.t0 = 0;
      if (t0) m.samples.push(t1 - t0);
    }).observe(count, { childList: true, characterData: true, subtree: true });
  });

  // The paste (into the empty textarea, through the clipboard): its first count.
  const input = page.getByTestId('input');
  await input.focus();
  await page.evaluate((t) => navigator.clipboard.writeText(t), text);
  await page.keyboard.press('Control+V');
  await page.waitForFunction(() => window.__lat.samples.length >= 1, null, { polling: 10, timeout: 30_000 });
  await settle(page);
  assert.equal(await input.inputValue(), text);
  assert.equal(await number(page, 'token-count'), want[0]);
  const firstCountMs = Math.round(await page.evaluate(() => window.__lat.samples.at(-1)));
  const nativeMs = nativeFirstCountMs(text);
  await page.evaluate(() => {
    window.__lat.samples = [];
    window.__lat.browser = [];
  });

  await input.focus();
  for (let i = 0; i < steps.length; i++) {
    const { at, key } = steps[i];
    await page.evaluate((p) => document.querySelector('[data-testid="input"]').setSelectionRange(p, p), at);
    await page.keyboard.press(key);
    await page.waitForFunction((n) => window.__lat.samples.length >= n, i + 1, { polling: 5 });
    // The token view redraws once typing pauses: each keystroke is measured from rest.
    await settle(page);
    assert.equal(await number(page, 'token-count'), want[i + 1], `count after keystroke ${i + 1}`);
  }
  const last = steps.at(-1).text;
  assert.equal(await input.inputValue(), last);

  // The token view, the context meter and the cost follow the edits.
  const count = want.at(-1);
  assert.equal(await page.evaluate(() => Number(document.body.dataset.viewTokens)), count);
  const s = await pageState(page);
  const [fit, cost] = oracle([
    { op: 'fit', model: s.model, thinking: s.thinking, promptTokens: count, outputTokens: s.outputTokens },
    { op: 'cost', model: s.model, region: s.region, inputTokens: count, outputTokens: s.outputTokens, thinking: s.thinking },
  ]);
  const meter = page.getByTestId('context-meter');
  assert.equal(Number(await meter.getAttribute('data-used')), count);
  assert.equal(Number(await meter.getAttribute('data-max')), fit.maxPromptTokens);
  assert.equal(await meter.getAttribute('data-fits'), String(fit.fits));
  if (cost.error) assert.equal(await page.getByTestId('cost-total').getAttribute('data-amount'), '');
  else assert.equal(await page.getByTestId('cost-total').getAttribute('data-amount'), cost.total);

  const lat = await page.evaluate(() => window.__lat);
  assert.equal(lat.samples.length, KEYS);
  const report = {
    textBytes: Buffer.byteLength(text),
    tokens: want[0],
    keystrokes: lat.samples.length,
    analysedOn: await page.evaluate(() => document.body.dataset.analysisWhere),
    inputToCountMs: stats(lat.samples),
    browserKeydownToInputMs: stats(lat.browser),
    firstCountAfterPasteMs: firstCountMs,
    nativeFirstCountMs: nativeMs,
  };
  writeFileSync(join(ensureArtifacts(), 'document-latency.json'), `${JSON.stringify(report, null, 2)}\n`);
  const r = report.inputToCountMs;
  const b = report.browserKeydownToInputMs;
  console.log(
    `1 MB text (${report.tokens} tokens, analysed on ${report.analysedOn}): input -> count median ${r.median} ms, ` +
      `p95 ${r.p95} ms, max ${r.max} ms over ${KEYS} keystrokes (the browser's own keydown -> input: ` +
      `median ${b.median} ms, p95 ${b.p95} ms); first count after the paste ${firstCountMs} ms in the page, ` +
      `${nativeMs} ms native`,
  );
  assert.ok(r.p95 <= LOOSE_P95_MS, `p95 ${r.p95} ms > ${LOOSE_P95_MS} ms`);
});
