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
  return text
    .replace(/ /g, '·')
    .replace(/\t/g, '→')
    .replace(/\r\n|\n|\r/g, '↵')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
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
