// Small formatting helpers shared by the page modules.

const grouped = new Intl.NumberFormat('en-US');

/** 1234567 -> "1,234,567". */
export function int(n) {
  return Number.isFinite(n) ? grouped.format(n) : '–';
}

/** A per-minute rate: whole numbers as is, others with one decimal ("1,090.9"). */
export function rate(n) {
  if (!Number.isFinite(n)) return '–';
  return new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 }).format(n);
}

/** 0.25 -> "25%". */
export function percent(x) {
  if (!Number.isFinite(x)) return '–';
  const p = x * 100;
  if (p > 0 && p < 0.1) return '<0.1%';
  return `${p < 10 && p > 0 ? p.toFixed(1) : Math.round(p)}%`;
}

const SYMBOLS = { USD: '$', CNY: '¥' };

/** An exact decimal amount with its currency: "$0.0060048" / "¥0.12". */
export function money(amount, currency) {
  if (amount === undefined || amount === null) return '–';
  const sym = SYMBOLS[currency] ?? '';
  return sym ? `${sym}${amount}` : `${amount} ${currency}`;
}

/** Token counts in K as price lists write them (32000 -> "32K"). */
export function kilo(n) {
  if (n === null || n === undefined) return '∞';
  if (n >= 1000 && n % 1000 === 0) return `${n / 1000}K`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024}Ki`;
  return int(n);
}

/** Bytes as hex pairs: "48 65 6c". */
export function hex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}

/** Text with invisible characters spelled out, for the tooltip ("a\\n" -> "a⏎"). */
export function visible(text) {
  return spellInvisible(
    text
      .replace(/ /g, '·')
      .replace(/\t/g, '→')
      .replace(/\r\n|\n|\r/g, '↵')
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`),
    (label) => `⟨${label}⟩`,
    (plain) => plain,
  );
}

/** "U+202E" for a code point. */
export function codePointLabel(cp) {
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The code points of a text as labels: "U+0041 U+030A". */
export function codePointLabels(text) {
  return Array.from(text, (c) => codePointLabel(c.codePointAt(0))).join(' ');
}

// Characters a view spells out instead of drawing: format characters (bidi controls such as
// U+202E, which would reorder the text around them, zero-width spaces and joiners, the BOM,
// soft hyphens), other controls, line and paragraph separators, private-use, unassigned and
// lone surrogate code points (no glyph to show).
const INVISIBLE = /[\p{Cf}\p{Cc}\p{Zl}\p{Zp}\p{Co}\p{Cn}\p{Cs}]/gu;
// Inside an emoji sequence, the zero-width joiner and tag characters are part of one glyph
// (a family, a subdivision flag) and stay as they are. Emoji are told by code point ranges,
// not by a regular expression: Debian's Chromium 156 matches nothing with
// \p{Extended_Pictographic}, nor with an astral class before `$` (/[\u{1F000}-\u{1FAFF}]$/u).
const EMOJI_RANGES = [
  [0xa9, 0xa9], [0xae, 0xae], [0x203c, 0x203c], [0x2049, 0x2049], [0x2122, 0x2122], [0x2139, 0x2139],
  [0x2190, 0x21ff], [0x2300, 0x23ff], [0x24c2, 0x24c2], [0x25a0, 0x27bf], [0x2900, 0x297f],
  [0x2b00, 0x2bff], [0x3030, 0x3030], [0x303d, 0x303d], [0x3297, 0x3297], [0x3299, 0x3299],
  [0xfe0f, 0xfe0f], [0x1f000, 0x1faff], [0xe0020, 0xe007f],
];

/** Whether the character before index `i` of `text` can be part of an emoji sequence. */
function emojiBefore(text, i) {
  if (i === 0) return false;
  let cp = text.charCodeAt(i - 1);
  if (cp >= 0xdc00 && cp <= 0xdfff && i >= 2) cp = text.codePointAt(i - 2);
  return EMOJI_RANGES.some(([lo, hi]) => cp >= lo && cp <= hi);
}

/**
 * Calls `label(…)` for each invisible character of `text` ("U+202E") and `plain(…)` for the
 * text between them, and joins the results: the building block of the token view's escapes.
 */
export function spellInvisible(text, label, plain) {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(INVISIBLE)) {
    const c = m[0];
    const i = m.index;
    const cp = c.codePointAt(0);
    // The joiner and tag characters: the glue of emoji sequences.
    if ((cp === 0x200d || (cp >= 0xe0020 && cp <= 0xe007f)) && emojiBefore(text, i)) continue;
    out += plain(text.slice(last, i)) + label(codePointLabel(cp));
    last = i + c.length;
  }
  return out + plain(text.slice(last));
}

/** Number of Unicode code points (what a person calls characters) in a string. */
export function codePoints(text) {
  let n = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // A high surrogate followed by a low one is one character.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/** Length of the UTF-8 encoding of a string (lone surrogates count as U+FFFD, 3 bytes). */
export function utf8Length(text) {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}
