// The page's document path (site/api.js) in Node, on the package the page serves
// (site/vendor/qwen-meter): random edits of the text, as the textarea makes them (typing,
// deleting, pasting over a selection, surrogate pairs), keep the count, characters and bytes
// equal to a full count, and `spans` gives the tokens of the drawn prefix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as api from '../site/api.js';
import { codePoints, utf8Length } from '../site/format.js';

// Not helpers.mjs: this test needs no browser (nor playwright).
const vendor = join(dirname(fileURLToPath(import.meta.url)), '..', 'site', 'vendor', 'qwen-meter');
const qm = await import(join(vendor, 'browser.js'));
qm.initSync(readFileSync(join(vendor, 'qwen_meter_bg.wasm')));

const PIECES = [' ', 'word', ' x', '\n', '\r\n', '🦀', '👋🏽', '<|im_start|>', '<think>', 'é', 'e\u0301', '中文', '   ', '\t', '42'];

test('documentOf follows every edit exactly', () => {
  let s = 99;
  const next = (n) => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s % n;
  };
  const piece = () => PIECES[next(PIECES.length)];
  let text = Array.from({ length: 4000 }, piece).join('');
  for (const opts of [{ generation: 'qwen3', ordinary: false }, { generation: 'qwen3', ordinary: true }]) {
    for (let i = 0; i < 400; i++) {
      const a = next(text.length + 1);
      const b = Math.min(text.length, a + next(4) * next(8));
      const r = next(3) === 0 ? '' : Array.from({ length: 1 + next(3) }, piece).join('');
      // The textarea never splits a pair; the random edit may: that is what documentOf repairs.
      text = text.slice(0, a) + r + text.slice(b);
      const d = api.documentOf(qm, text, opts);
      assert.equal(d.doc.count(), qm.countTokens(text, opts), `edit ${i}`);
      assert.equal(d.chars, codePoints(text));
      assert.equal(d.bytes, utf8Length(text));
    }
  }
});

test('spans gives the first tokens of the text and the full count', () => {
  const text = 'Hello, world! 通义千问 <|im_start|> 🦀 '.repeat(500);
  const state = { mode: 'text', text, model: 'qwen3-max' };
  const r = api.spans(qm, state, 300);
  const all = qm.encodeWithOffsets(text);
  assert.equal(r.total, all.length);
  assert.deepEqual(Array.from(r.ids), all.slice(0, 300).map((t) => t.id));
  assert.deepEqual(Array.from(r.start), all.slice(0, 300).map((t) => t.start));
  assert.deepEqual(Array.from(r.end), all.slice(0, 300).map((t) => t.end));
});

test('commonStart and commonEnd find the edit in a long text, at every block size', () => {
  const naiveStart = (x, y, max) => {
    let i = 0;
    while (i < max && x.charCodeAt(i) === y.charCodeAt(i)) i++;
    return i;
  };
  const naiveEnd = (x, y, max) => {
    let i = 0;
    while (i < max && x.charCodeAt(x.length - 1 - i) === y.charCodeAt(y.length - 1 - i)) i++;
    return i;
  };
  let s = 7;
  const next = (n) => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s % n;
  };
  const base = Array.from({ length: 60000 }, () => PIECES[next(PIECES.length)]).join('');
  assert.ok(base.length > 1 << 17);
  for (let i = 0; i < 200; i++) {
    const a = next(base.length + 1);
    const b = Math.min(base.length, a + next(3) * next(70000));
    const text = base.slice(0, a) + ['', 'x', '🦀', ' '.repeat(next(5000))][next(4)] + base.slice(b);
    const max = Math.min(base.length, text.length);
    const start = api.commonStart(base, text, max);
    assert.equal(start, naiveStart(base, text, max));
    assert.equal(api.commonEnd(base, text, max - start), naiveEnd(base, text, max - start));
  }
});
