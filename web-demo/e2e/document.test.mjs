// Keystrokes in a 1 MB text: the page counts through a Document (createDocument) that follows
// the text by edits, so a keystroke anywhere re-tokenizes a few kilobytes, not the megabyte.
// Measures keydown -> new token count inside the page at random places (insertions after a
// space and deletions), checks every count against the native oracle at the end, writes
// artifacts/document-latency.json and asserts the 95th percentile loosely (the target is
// median <= 5 ms, p95 <= 16 ms on an idle machine; CI machines are shared).
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

/** About 1 MB of prose, CJK, code and special-token text. */
function oneMB() {
  const para =
    'Qwen models read text as tokens: pieces of words, whole words, punctuation and spaces. ' +
    '通义千问的分词器对中文同样高效。 fn main() { println!("{}", 42); } <|im_start|>user\r\n';
  let text = '';
  while (Buffer.byteLength(text) < 1024 * 1024) text += para;
  return text;
}

const KEYS = 40;
const LOOSE_P95_MS = 100;

function stats(list) {
  const s = [...list].sort((a, b) => a - b).map((x) => Math.round(x * 10) / 10);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { median: q(0.5), p95: q(0.95), max: s[s.length - 1], min: s[0] };
}

test('keystrokes at random places in a 1 MB text: the count follows exactly and fast', async () => {
  const text = oneMB();
  const t0 = Date.now();
  await pasteText(page, text);
  await settle(page);
  const pasteMs = Date.now() - t0;
  assert.equal(await number(page, 'token-count'), oracle([{ op: 'count', text, model: 'qwen3-max' }])[0].count);

  await page.evaluate(() => {
    const m = (window.__lat = { samples: [], t0: 0 });
    const input = document.querySelector('[data-testid="input"]');
    input.addEventListener('keydown', () => (m.t0 = performance.now()), true);
    const count = document.querySelector('[data-testid="token-count"]');
    new MutationObserver(() => {
      const t1 = performance.now();
      const t0 = m.t0;
      m.t0 = 0;
      if (t0) m.samples.push(t1 - t0);
    }).observe(count, { childList: true, characterData: true, subtree: true });
  });
  const input = page.getByTestId('input');
  await input.focus();
  let seed = 12345;
  const next = (n) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  let expected = text;
  let samples = 0;
  for (let i = 0; i < KEYS; i++) {
    // After a space: typing there always changes the count ("x" starts a new word); a
    // Backspace there joins two words.
    let at = next(expected.length);
    while (at < expected.length && expected[at - 1] !== ' ') at++;
    if (at >= expected.length) continue;
    await page.evaluate((p) => document.querySelector('[data-testid="input"]').setSelectionRange(p, p), at);
    const before = await number(page, 'token-count');
    if (i % 2 === 0) {
      await page.keyboard.press('x');
      expected = expected.slice(0, at) + 'x' + expected.slice(at);
    } else {
      await page.keyboard.press('Backspace');
      expected = expected.slice(0, at - 1) + expected.slice(at);
    }
    const want = oracle([{ op: 'count', text: expected, model: 'qwen3-max' }])[0].count;
    if (want !== before) {
      samples++;
      await page.waitForFunction((n) => window.__lat.samples.length >= n, samples, { polling: 5 });
    }
    await settle(page);
    assert.equal(await number(page, 'token-count'), want, `count after keystroke ${i + 1}`);
  }
  assert.equal(await input.inputValue(), expected);
  const ms = await page.evaluate(() => window.__lat.samples);
  assert.ok(ms.length >= KEYS / 2, `${ms.length} timed keystrokes`);
  const where = await page.evaluate(() => document.body.dataset.analysisWhere);
  const report = {
    textBytes: Buffer.byteLength(text),
    keystrokes: ms.length,
    analysedOn: where,
    pasteToSettledMs: pasteMs,
    keydownToCountMs: stats(ms),
  };
  writeFileSync(join(ensureArtifacts(), 'document-latency.json'), `${JSON.stringify(report, null, 2)}\n`);
  const r = report.keydownToCountMs;
  console.log(
    `1 MB text (${where}): keydown -> count median ${r.median} ms, p95 ${r.p95} ms, max ${r.max} ms ` +
      `over ${ms.length} keystrokes; paste to settled ${pasteMs} ms`,
  );
  assert.ok(r.p95 <= LOOSE_P95_MS, `p95 ${r.p95} ms > ${LOOSE_P95_MS} ms`);
});
