// createDocument: an editable text whose count follows its edits. Checked against the
// package's own full-text functions after every edit (UTF-16 ranges, surrogate pairs, special
// tokens, CRLF, runs of spaces), argument errors, and no WebAssembly memory growth over
// 100,000 edits and 1,000 documents created and freed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as qm from 'qwen-meter';

const FRAGMENTS = [
  'the', ' quick', ' brown', 'fox', ' ', '   ', '\t', '\n', '\r\n', 'e\u0301', '\u0301', '한',
  '<|im_start|>', '<|im_end|>', '<think>', '<|im_', 'start|>', "'s", '123', '通义千问', '。',
  '🦀', '👋🏽', '\u200D', '\u202E', '\u00A0', '\u3000', 'x', 'é',
];

function rng(seed) {
  let s = seed >>> 0;
  return (n) => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s % n;
  };
}

function randomText(next, pieces) {
  let t = '';
  for (let i = 0; i < pieces; i++) t += FRAGMENTS[next(FRAGMENTS.length)];
  return t;
}

test('edits in UTF-16 ranges keep count, text and tokens equal to a full count', () => {
  const next = rng(12345);
  for (const options of [undefined, { ordinary: true }, { generation: 'qwen2.5' }]) {
    let text = randomText(next, 3000);
    const doc = qm.createDocument(text, options);
    try {
      assert.equal(doc.count(), qm.countTokens(text, options));
      for (let i = 0; i < 300; i++) {
        // Any UTF-16 index, half of a surrogate pair included: those must be refused.
        let a = next(text.length + 1);
        let b = Math.min(text.length, a + next(6));
        const r = next(3) === 0 ? '' : randomText(next, 1 + next(3));
        const half = (k) => k > 0 && k < text.length && /[\uDC00-\uDFFF]/.test(text[k]);
        if (half(a) || half(b)) {
          assert.throws(() => doc.edit(a, b, r), /surrogate pair/);
          continue;
        }
        const n = doc.edit(a, b, r);
        text = text.slice(0, a) + r + text.slice(b);
        assert.equal(n, qm.countTokens(text, options), `edit ${i}`);
        assert.equal(doc.count(), n);
        assert.equal(doc.length, text.length);
        if (i % 50 === 0) {
          assert.equal(doc.text(), text);
          const all = qm.encodeWithOffsets(text, options);
          assert.deepEqual(doc.tokens(), all);
          const s = next(text.length + 1);
          const e = Math.min(text.length, s + 200);
          assert.deepEqual(doc.tokens(s, e), all.filter((t) => t.end > s && t.start < e));
        }
      }
    } finally {
      doc.free();
    }
  }
});

test('bad arguments throw a QwenMeterError that names them', () => {
  const doc = qm.createDocument('a🦀');
  try {
    assert.throws(() => doc.edit(0, 9, 'x'), (e) => e instanceof qm.QwenMeterError && /end: 9 is past the end/.test(e.message));
    assert.throws(() => doc.edit(2, 1, 'x'), /start: 2 is after end 1/);
    assert.throws(() => doc.edit(-1, 1, 'x'), /Document\.edit: start/);
    assert.throws(() => doc.edit(0, 1), /Document\.edit: replacement/);
    assert.equal(doc.text(), 'a🦀');
  } finally {
    doc.free();
  }
  assert.throws(() => qm.createDocument(42), /createDocument: text/);
  assert.throws(() => qm.createDocument('x', { generation: 'gpt' }), /createDocument: options\.generation/);
});

test('memory: no WebAssembly memory growth over 100,000 edits and 1,000 documents', () => {
  const next = rng(777);
  let text = randomText(next, 20_000);
  const doc = qm.createDocument(text);
  const keystroke = () => {
    const a = next(doc.length + 1);
    if (next(2) === 0 && a < doc.length) {
      // Delete one code unit's character (both halves of a pair).
      const b = /[\uD800-\uDBFF]/.test(text[a]) ? a + 2 : a + 1;
      if (/[\uDC00-\uDFFF]/.test(text[a])) return;
      doc.edit(a, b, '');
      text = text.slice(0, a) + text.slice(b);
    } else {
      if (a > 0 && /[\uDC00-\uDFFF]/.test(text[a])) return;
      const c = 'ea 中\n'[next(5)];
      doc.edit(a, a, c);
      text = text.slice(0, a) + c + text.slice(a);
    }
  };
  try {
    // Warm-up: the engine builds its lazy tables (a token trie, a memo of pieces) once it
    // has seen enough text; that one-time growth happens within the first ~35,000 edits here.
    qm.countTokens(text.repeat(10));
    for (let i = 0; i < 40_000; i++) keystroke();
    const before = qm.wasmMemoryBytes();
    for (let i = 0; i < 100_000; i++) keystroke();
    assert.equal(qm.wasmMemoryBytes() - before, 0, 'growth over 100,000 edits');
    assert.equal(doc.count(), qm.countTokens(text));
    const before2 = qm.wasmMemoryBytes();
    for (let i = 0; i < 1_000; i++) qm.createDocument(text.slice(0, 5_000)).free();
    assert.equal(qm.wasmMemoryBytes() - before2, 0, 'growth over 1,000 documents');
  } finally {
    doc.free();
  }
});
