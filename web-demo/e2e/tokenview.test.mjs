// The token view's escapes: bidi controls and other invisible characters become visible
// `⟨U+XXXX⟩` escapes, never drawn as themselves (a U+202E would reverse the rest of the line
// in the view), emoji sequences keep their joiners, and the tooltip lists code points for
// glyph-less characters. First on the page's own modules in Node, then in the page in
// headless Chromium: the view is drawn in the order of the text, whatever controls it holds.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { visibleHtml } from '../site/tokenview.js';
import { launch, openPage, settle, startServer } from './helpers.mjs';
import { codePointLabels, visible } from '../site/format.js';

const BIDI = [
  0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069, 0x200e, 0x200f, 0x061c,
];

test('bidi controls are escapes, in place, and never reach the view as themselves', () => {
  for (const cp of BIDI) {
    const c = String.fromCodePoint(cp);
    const html = visibleHtml(`a${c}<tool_call>b`);
    const label = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
    assert.ok(!html.includes(c), `${label} drawn as itself: ${html}`);
    assert.equal(
      html,
      `a<span class="esc" title="${label}">⟨${label}⟩</span>&lt;tool_call&gt;b`,
    );
  }
});

test('other invisible and glyph-less characters are escapes too; emoji sequences are kept', () => {
  for (const cp of [0x200b, 0x200d, 0xfeff, 0x00ad, 0x2060, 0x2028, 0x2029, 0x0007, 0xe000, 0x10fffd, 0x0378]) {
    const c = String.fromCodePoint(cp);
    const html = visibleHtml(`x${c}y`);
    assert.ok(!html.includes(c), `U+${cp.toString(16)} drawn as itself: ${html}`);
    assert.match(html, /title="U\+[0-9A-F]{4,6}">⟨U\+[0-9A-F]{4,6}⟩</);
  }
  for (const emoji of ['👨\u200d👩\u200d👧', '🏳️\u200d🌈', '🏴\u{e0067}\u{e0062}\u{e0073}\u{e0063}\u{e0074}\u{e007f}', '👋🏽\u200d']) {
    assert.equal(visibleHtml(emoji), emoji);
  }
  // Whitespace keeps its marks; line breaks still break.
  assert.equal(visibleHtml(' \t\n'), '<span class="ws">·→↵\n</span><wbr>');
});

test('the tooltip spells out invisible characters and lists code points', () => {
  assert.equal(visible('a\u202eb c'), 'a⟨U+202E⟩b·c');
  assert.equal(codePointLabels('A\u030a🦀'), 'U+0041 U+030A U+1F980');
});

test('in the page: bidi controls never reorder the view; glyph-less characters show their code point on hover', async (t) => {
  const server = await startServer();
  const browser = await launch();
  after(async () => {
    await browser.close();
    await server.stop();
  });
  const page = await openPage(browser.context, server.url);
  // Each control before '<tool_call>' would, drawn as itself, reverse or isolate what follows.
  // Emoji sequences (a family, a subdivision flag) keep their joiners and tags.
  const emoji = '👨\u200d👩\u200d👧 🏴\u{e0067}\u{e0062}\u{e0073}\u{e0063}\u{e0074}\u{e007f}';
  const text = BIDI.map((cp) => `a${String.fromCodePoint(cp)}<tool_call>b`).join(' ') + ` \u{E000}\u{10FFFD} ${emoji}`;
  await page.getByTestId('input').fill(text);
  await settle(page);
  const view = await page.evaluate(() => {
    const root = document.querySelector('[data-testid="token-view"]');
    const toks = [...root.querySelectorAll('.tok')];
    // On each line, tokens in text order must also be in left-to-right order.
    const boxes = toks.map((el) => el.getClientRects()[0]).map((r) => ({ top: Math.round(r.top), left: r.left, right: r.right }));
    return { text: root.textContent, boxes, titles: [...root.querySelectorAll('.esc')].map((e) => e.title) };
  });
  for (const cp of BIDI) assert.ok(!view.text.includes(String.fromCodePoint(cp)), `U+${cp.toString(16)} drawn as itself`);
  const escaped = BIDI.map((cp) => `a⟨U+${cp.toString(16).toUpperCase().padStart(4, '0')}⟩<tool_call>b`).join('·');
  assert.ok(view.text.startsWith(escaped), view.text);
  assert.ok(view.text.endsWith(emoji.replace(' ', '·')), view.text);
  assert.deepEqual(view.titles, [...BIDI.map((cp) => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`), 'U+E000', 'U+10FFFD']);
  for (let i = 1; i < view.boxes.length; i++) {
    const [a, b] = [view.boxes[i - 1], view.boxes[i]];
    if (a.top === b.top) assert.ok(b.left >= a.right - 1, `token ${i} is drawn left of token ${i - 1}: ${JSON.stringify([a, b])}`);
  }
  // A private-use character has no glyph: its token's tooltip gives the code point.
  await page.locator('.tok', { hasText: '⟨U+E000⟩' }).first().hover();
  const tip = page.locator('#token-tip');
  await tip.waitFor({ state: 'visible' });
  assert.match(await tip.textContent(), /code points [^]*U\+E000/);
  assert.deepEqual(page.problems, []);
  t.diagnostic(`view: ${view.boxes.length} tokens drawn in text order`);
});
