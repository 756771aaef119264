// Typing, pasting and dropping text in several scripts: the token count equals the native
// core's, the character count is the number of code points, and the token view draws every
// token (ids equal the native encoding; characters never broken).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launch, number, openPage, oracle, pasteText, settle, startServer } from './helpers.mjs';

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

const SAMPLES = {
  latin: 'The quick brown fox jumps over the lazy dog. 0123456789 café naïve',
  cjk: '通义千问是阿里巴巴的大语言模型。日本語のテキスト、カタカナも数えます。한국어 문장도 있습니다.',
  arabicHebrew: 'مرحبا بالعالم، هذا نص عربي للاختبار. שלום עולם, זה טקסט בעברית.',
  indicThai: 'नमस्ते दुनिया, यह एक परीक्षण है। வணக்கம் உலகம் สวัสดีชาวโลก ภาษาไทย',
  cyrillicGreek: 'Съешь же ещё этих мягких французских булок, да выпей чаю. Γειά σου Κόσμε!',
  emoji: 'Hi 👋🏽 family 👨‍👩‍👧‍👦 flags 🇯🇵🇫🇷 fire ❤️‍🔥 e\u0301 ZWJ done 🫠',
  whitespace: 'a\n\n  b\t\tc   \r\n d\u00a0e\u3000f\n',
  code: 'fn main() {\n    let x = vec![1, 2, 3];\n    println!("{x:?}");\n}\n',
  special: '<|im_start|>user\nHello<|im_end|>\n<think>\n\n</think>',
};

/** The count and character count the page shows for the current input. */
async function shown() {
  await settle(page);
  return { tokens: await number(page, 'token-count'), chars: await number(page, 'char-count') };
}

function expectedCount(text, model = 'qwen3-max', ordinary = false) {
  return oracle([{ op: 'count', text, model, ordinary }])[0].count;
}

test('typed text in several scripts counts as the native core does', async () => {
  const input = page.getByTestId('input');
  for (const key of ['latin', 'cjk', 'emoji', 'cyrillicGreek']) {
    const text = SAMPLES[key];
    await input.fill('');
    await input.focus();
    await page.keyboard.type(text, { delay: 0 });
    assert.equal(await input.inputValue(), text);
    const got = await shown();
    assert.equal(got.tokens, expectedCount(text), `token count of ${key}`);
    assert.equal(got.chars, [...text].length, `character count of ${key}`);
  }
});

test('pasted text in several scripts counts as the native core does', async () => {
  const texts = Object.values(SAMPLES);
  const expected = oracle(texts.map((text) => ({ op: 'count', text, model: 'qwen3-max' })));
  for (const [i, text] of texts.entries()) {
    await pasteText(page, text);
    assert.equal(await page.getByTestId('input').inputValue(), text.replace(/\r\n?/g, '\n'));
    const value = await page.getByTestId('input').inputValue();
    const got = await shown();
    // A textarea stores line breaks as \n: the count is of what the box holds.
    const want = value === text ? expected[i].count : expectedCount(value);
    assert.equal(got.tokens, want, `token count of sample ${i}`);
    assert.equal(got.chars, [...value].length);
  }
  // Everything at once, then appended keystrokes.
  const all = texts.join('\n');
  await pasteText(page, all);
  await page.keyboard.type(' and more', { delay: 0 });
  const value = await page.getByTestId('input').inputValue();
  assert.equal((await shown()).tokens, expectedCount(value));
});

test('special-token text: special tokens by default, plain text with the switch', async () => {
  const text = SAMPLES.special;
  await pasteText(page, text);
  assert.equal((await shown()).tokens, expectedCount(text));
  await page.getByLabel('Special-token text as plain text').check();
  assert.equal((await shown()).tokens, expectedCount(text, 'qwen3-max', true));
  assert.notEqual(expectedCount(text), expectedCount(text, 'qwen3-max', true));
  await page.getByLabel('Special-token text as plain text').uncheck();
  await settle(page);
});

test('the token view shows every token; ids equal the native encoding', async () => {
  const text = Object.values(SAMPLES).join(' ');
  await pasteText(page, text);
  await settle(page);
  const value = await page.getByTestId('input').inputValue();
  const [{ ids }] = oracle([{ op: 'encode', text: value, model: 'qwen3-max' }]);
  const view = page.getByTestId('token-view');

  // Text mode: spans hold whole characters (no lone surrogates), and grouping only merges.
  const spans = await view.locator('.tok').evaluateAll((els) => els.map((e) => e.textContent));
  assert.ok(spans.length > 0 && spans.length <= ids.length);
  for (const s of spans) assert.ok(s.isWellFormed(), `span ${JSON.stringify(s)} breaks a character`);
  // The drawn text, whitespace marks turned back, is the input.
  const drawn = await view.evaluate((el) => el.textContent);
  const unmark = (s) => s.replace(/↵\n/g, '\n').replace(/·/g, ' ').replace(/→/g, '\t');
  assert.equal(unmark(drawn), value.replace(/\u00b7/g, ' ').replace(/→/g, '\t'));

  // Ids mode: the ids, in order, are the native encoding.
  await page.getByLabel('Show token ids').check();
  const shownIds = (await view.evaluate((el) => el.innerText)).trim().split(/\s+/).map(Number);
  assert.deepEqual(shownIds, ids);
  // Groups of split characters carry several ids.
  const split = await view.locator('.tok.split').count();
  assert.ok(split > 0, 'the emoji sample has tokens that split a character');
  await page.getByLabel('Show token ids').uncheck();
});

test('hover and keyboard focus show a token’s id, bytes and text', async () => {
  await pasteText(page, 'Hello 世界 👋🏽');
  await settle(page);
  const view = page.getByTestId('token-view');
  const tip = page.locator('#token-tip');
  await view.locator('.tok').first().hover();
  await tip.waitFor({ state: 'visible' });
  const [{ ids }] = oracle([{ op: 'encode', text: 'Hello 世界 👋🏽', model: 'qwen3-max' }]);
  await page.waitForFunction(() => !document.querySelector('#token-tip').textContent.includes('…'));
  const first = await tip.textContent();
  assert.match(first, new RegExp(`id ${ids[0]}\\b`));
  assert.match(first, /bytes 48 65 6c 6c 6f/);
  assert.match(first, /text Hello/);

  // Keyboard: focus the view, move with the arrow keys.
  await page.mouse.move(0, 0);
  await view.focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  const focused = await page.evaluate(() => document.activeElement.dataset.g);
  assert.equal(focused, '1');
  await tip.waitFor({ state: 'visible' });
  assert.match(await tip.textContent(), new RegExp(`id ${ids[1]}\\b`));
  const described = await page.evaluate(() => document.activeElement.getAttribute('aria-describedby'));
  assert.equal(described, 'token-tip');
  await page.keyboard.press('End');
  await page.waitForFunction(() => !document.querySelector('#token-tip').textContent.includes('…'));
  const last = await tip.textContent();
  assert.match(last, /they split a character/);
  await page.keyboard.press('Escape');
});

test('dropping a text file counts its contents', async () => {
  const text = `${SAMPLES.cjk}\n${SAMPLES.latin}\n`.repeat(50);
  await page.getByTestId('input').fill('');
  await page.evaluate((content) => {
    const dt = new DataTransfer();
    dt.items.add(new File([content], 'dropped.txt', { type: 'text/plain' }));
    const target = document.querySelector('[data-testid="input"]');
    target.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
    target.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, text);
  await page.waitForFunction((n) => document.querySelector('[data-testid="input"]').value.length === n, text.length);
  assert.equal((await shown()).tokens, expectedCount(text));
  assert.match(await page.locator('#status').textContent(), /dropped\.txt/);
});

test('a 1 MB paste is counted without freezing the page', async () => {
  const unit = Object.values(SAMPLES).join('\n');
  let big = '';
  while (big.length < 1_000_000) big += unit;
  const bytes = Buffer.byteLength(big);
  await page.getByTestId('input').fill('');
  await settle(page);
  // Watch the main thread: when the paste and input events fire, when the count changes,
  // and the long tasks (over 50 ms) meanwhile.
  await page.evaluate(() => {
    const log = (window.__paste = { tasks: [] });
    const input = document.querySelector('[data-testid="input"]');
    input.addEventListener('paste', () => (log.paste = performance.now()), { once: true, capture: true });
    input.addEventListener('input', () => (log.input = performance.now()), { once: true, capture: true });
    const count = document.querySelector('[data-testid="token-count"]');
    new MutationObserver((_, obs) => {
      log.count = performance.now();
      obs.disconnect();
    }).observe(count, { childList: true, characterData: true, subtree: true });
    log.observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) log.tasks.push({ start: e.startTime, ms: e.duration });
    });
    log.observer.observe({ entryTypes: ['longtask'] });
  });
  await pasteText(page, big);
  const want = expectedCount(big);
  await page.waitForFunction((n) => document.querySelector('[data-testid="token-count"]').textContent === String(n), want, {
    timeout: 30_000,
  });
  await settle(page);
  const t = await page.evaluate(() => {
    const log = window.__paste;
    log.observer.disconnect();
    const during = log.tasks.filter((x) => x.start >= log.paste - 1);
    const paste = during.find((x) => x.start <= log.paste + 1);
    return {
      pasteToInput: log.input - log.paste,
      inputToCount: log.count - log.input,
      pasteTask: paste ? paste.ms : 0,
      longest: Math.max(0, ...during.filter((x) => x !== paste).map((x) => x.ms)),
    };
  });
  console.log(
    `1 MB paste (${bytes} bytes, ${want} tokens): Chromium's own paste into the textarea ${t.pasteToInput.toFixed(0)} ms; ` +
      `count shown ${t.inputToCount.toFixed(0)} ms after the input event; longest other main-thread task ${t.longest.toFixed(0)} ms`,
  );
  // The worker counts: the page itself never blocks for long (layout of the new text aside).
  assert.ok(t.inputToCount < 5000, `count took ${t.inputToCount} ms`);
  const note = await page.locator('#token-view-note').textContent();
  assert.match(note, /Showing the first/);
  // Typing right after still answers.
  await page.keyboard.type('!');
  await page.waitForFunction((n) => document.querySelector('[data-testid="token-count"]').textContent !== String(n), want);
  await page.getByTestId('input').focus();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await settle(page);
  assert.deepEqual(page.problems, []);
});
