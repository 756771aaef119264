//! NFC exactly as the reference computes it, touching only the spans that need it.
//!
//! The reference normalises with `unicode-normalization-alignments` 0.1.12, whose tables are
//! Unicode 9.0; we call the same crate, so newer characters behave as in the reference (an
//! unassigned-in-9.0 mark is not reordered, newer compositions are not made). Most text is
//! already NFC: a character that is a starter with NFC_QC=Yes (ASCII, CJK, most letters) can
//! neither change nor combine with what precedes it, so only runs of other characters, plus the
//! one character before each run, are handed to the normaliser. Text that no run changes is
//! returned borrowed, with no copy.

use std::borrow::Cow;

use unicode_normalization_alignments::{IsNormalized, UnicodeNormalization, is_nfc_quick};

use crate::pretokenize::{NFC_LONE_MARK_OK, NFC_UNSAFE, char_bits, non_ascii_run_end};

/// A span that NFC rewrote: `norm` in the normalised text came from `orig` in the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Rewrite {
    pub norm_start: usize,
    pub norm_end: usize,
    pub orig_start: usize,
    pub orig_end: usize,
}

/// Normalised text and where it differs from the input.
pub(crate) struct Normalized<'a> {
    pub text: Cow<'a, str>,
    /// Rewritten spans in order; empty when `text` is borrowed.
    pub rewrites: Vec<Rewrite>,
}

impl Normalized<'_> {
    /// Input offset of normalised offset `p` used as a range start, and whether the two
    /// texts are split at exactly that point (false strictly inside a rewritten span).
    pub(crate) fn map_start(&self, p: usize) -> (usize, bool) {
        self.map(p, true)
    }

    /// Input offset of normalised offset `p` used as a range end.
    pub(crate) fn map_end(&self, p: usize) -> usize {
        self.map(p, false).0
    }

    fn map(&self, p: usize, start: bool) -> (usize, bool) {
        // Last rewrite starting at or before p.
        let i = self.rewrites.partition_point(|r| r.norm_start <= p);
        self.map_after(i, p, start)
    }

    /// [`Normalized::map`] given `i`, the number of rewrites that start at or before `p`.
    fn map_after(&self, i: usize, p: usize, start: bool) -> (usize, bool) {
        if i == 0 {
            return (p, true);
        }
        let r = self.rewrites[i - 1];
        if p == r.norm_start {
            (r.orig_start, true)
        } else if p < r.norm_end {
            (if start { r.orig_start } else { r.orig_end }, false)
        } else {
            (p - r.norm_end + r.orig_end, true)
        }
    }
}

/// Maps nondecreasing offsets of a [`Normalized`] text back to the input, stepping through the
/// rewrites instead of searching them: a walk over the pieces of text that NFC rewrote
/// throughout (letters with combining marks) would otherwise pay a binary search per piece.
pub(crate) struct Mapper<'n, 'a> {
    norm: &'n Normalized<'a>,
    /// Rewrites starting at or before the last offset mapped.
    i: usize,
}

impl<'n, 'a> Mapper<'n, 'a> {
    pub(crate) fn new(norm: &'n Normalized<'a>) -> Self {
        Mapper { norm, i: 0 }
    }

    fn advance(&mut self, p: usize) -> usize {
        let r = &self.norm.rewrites;
        while self.i < r.len() && r[self.i].norm_start <= p {
            self.i += 1;
        }
        self.i
    }

    /// [`Normalized::map_start`] of `p`, no smaller than any offset mapped before.
    pub(crate) fn map_start(&mut self, p: usize) -> (usize, bool) {
        let i = self.advance(p);
        self.norm.map_after(i, p, true)
    }

    /// [`Normalized::map_end`] of `p`, no smaller than any offset mapped before.
    pub(crate) fn map_end(&mut self, p: usize) -> usize {
        let i = self.advance(p);
        self.norm.map_after(i, p, false).0
    }
}

#[inline]
fn is_unsafe(c: char) -> bool {
    char_bits(c as u32) & NFC_UNSAFE != 0
}

/// True when the character starting at byte `i` of `s` cannot interact with what precedes it
/// under NFC, so NFC of `s[..i]` and `s[i..]` can be computed separately.
pub(crate) fn is_nfc_boundary(s: &str, i: usize) -> bool {
    match s[i..].chars().next() {
        None => true,
        Some(c) => !is_unsafe(c),
    }
}

/// Start of the first NFC-unsafe character at or after `i` (a char boundary), or `s.len()`.
///
/// This scan is all the work for text that is already NFC, so it avoids decoding: ASCII goes
/// sixteen bytes at a time, and a two- or three-byte character costs one bit of its chunk's
/// mask (see `pretokenize.rs`).
fn next_unsafe(s: &[u8], mut i: usize) -> usize {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    loop {
        // ASCII is all safe: whole words at a time.
        while let Some(w) = s.get(i..i + 16) {
            let a = u64::from_le_bytes(w[..8].try_into().unwrap()) & HIGH;
            let b = u64::from_le_bytes(w[8..].try_into().unwrap()) & HIGH;
            if a | b != 0 {
                // Straight to the first non-ASCII byte (little-endian: lowest bit first).
                i += if a != 0 {
                    a.trailing_zeros() / 8
                } else {
                    8 + b.trailing_zeros() / 8
                } as usize;
                break;
            }
            i += 16;
        }
        // Character by character up to the next run of ASCII, where words may pay again.
        loop {
            i = non_ascii_run_end::<0, false, false>(s, i, |bits| bits & NFC_UNSAFE == 0);
            let Some(&b) = s.get(i) else {
                return i;
            };
            if b >= 0x80 {
                return i;
            }
            i += 1;
            // A lone space or the like between other characters is not such a run.
            if s.get(i).is_none_or(|&b| b < 0x80) {
                break;
            }
        }
    }
}

/// NFC of `text`, borrowed when it is already normalised.
pub(crate) fn nfc(text: &str) -> Normalized<'_> {
    let bytes = text.as_bytes();
    let mut i = next_unsafe(bytes, 0);
    // Built only from the first span that NFC changes: most spans (a virama after its
    // consonant, say) come back as they were, and copying the text for them is wasted.
    let mut out = String::new();
    let mut rewrites = Vec::new();
    let mut span = String::new();
    let mut copied = 0; // input bytes already in `out` or in no need of it
    let mut last_end = 0; // end of the previous span
    while i < bytes.len() {
        // The span starts at the preceding character (a starter it may combine with), unless
        // that character already belongs to the previous span.
        let start = if i > last_end {
            text[..i].char_indices().next_back().map_or(i, |(p, _)| p)
        } else {
            i
        };
        let mut end = i;
        let mut run = 0;
        let mut lone_mark_ok = false;
        for ch in text[i..].chars() {
            let bits = char_bits(ch as u32);
            if bits & NFC_UNSAFE == 0 {
                break;
            }
            end += ch.len_utf8();
            run += 1;
            lone_mark_ok = bits & NFC_LONE_MARK_OK != 0;
        }
        // Most spans are one mark after a starter (a virama after its consonant), which the
        // table settles; the others take the quick check (the same crate and tables as the
        // normaliser). Either way "yes" means normalising would give the span back unchanged.
        if (run == 1 && lone_mark_ok) || is_nfc_quick(text[start..end].chars()) == IsNormalized::Yes
        {
            last_end = end;
            i = next_unsafe(bytes, end);
            continue;
        }
        span.clear();
        span.extend(text[start..end].nfc().map(|(ch, _)| ch));
        if span != text[start..end] {
            if out.capacity() == 0 {
                out.reserve(text.len() + 16);
            }
            out.push_str(&text[copied..start]);
            let norm_start = out.len();
            out.push_str(&span);
            rewrites.push(Rewrite {
                norm_start,
                norm_end: out.len(),
                orig_start: start,
                orig_end: end,
            });
            copied = end;
        }
        last_end = end;
        i = next_unsafe(bytes, end);
    }
    if rewrites.is_empty() {
        return Normalized {
            text: Cow::Borrowed(text),
            rewrites,
        };
    }
    out.push_str(&text[copied..]);
    Normalized {
        text: Cow::Owned(out),
        rewrites,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn composes_and_maps_back() {
        let n = nfc("cafe\u{301} ok");
        assert_eq!(n.text, "caf\u{e9} ok");
        assert_eq!(n.map_start(3), (3, true));
        assert_eq!(n.map_end(5), 6);
        assert_eq!(n.map_start(6), (7, true));
    }

    #[test]
    fn already_nfc_is_borrowed() {
        assert!(matches!(nfc("plain 中文 text é").text, Cow::Borrowed(_)));
    }

    /// Every character that the tables call NFC-unsafe stops the scan, wherever it falls
    /// relative to the sixteen-byte ASCII steps, and no other character does.
    #[test]
    fn scan_agrees_with_tables_for_every_char() {
        let mut s = String::new();
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            for pad in [0, 5, 16] {
                s.clear();
                s.extend(std::iter::repeat_n('a', pad));
                s.push(c);
                s.push_str("bcdefghijklmnopqrstuvwxyz");
                let want = if is_unsafe(c) { pad } else { s.len() };
                assert_eq!(next_unsafe(s.as_bytes(), 0), want, "U+{:04X}", c as u32);
            }
        }
    }

    /// The NFC of the text before the scan was made fast: every character decoded and looked
    /// up, the output built from the first unsafe character on.
    fn nfc_reference(text: &str) -> (String, Vec<Rewrite>) {
        let mut out = String::new();
        let mut rewrites = Vec::new();
        let mut copied = 0;
        let mut i = 0;
        while i < text.len() {
            let c = text[i..].chars().next().unwrap();
            if !is_unsafe(c) {
                i += c.len_utf8();
                continue;
            }
            let start = if i > copied {
                text[..i].char_indices().next_back().map_or(i, |(p, _)| p)
            } else {
                i
            };
            let mut end = i;
            for ch in text[i..].chars() {
                if !is_unsafe(ch) {
                    break;
                }
                end += ch.len_utf8();
            }
            out.push_str(&text[copied..start]);
            let norm_start = out.len();
            out.extend(text[start..end].nfc().map(|(ch, _)| ch));
            if out[norm_start..] != text[start..end] {
                rewrites.push(Rewrite {
                    norm_start,
                    norm_end: out.len(),
                    orig_start: start,
                    orig_end: end,
                });
            }
            copied = end;
            i = end;
        }
        out.push_str(&text[copied..]);
        (out, rewrites)
    }

    #[test]
    fn matches_reference_on_mixed_text() {
        // Starters, marks that change nothing, marks that compose or reorder, Hangul jamo,
        // characters NFC replaces, and one to four UTF-8 bytes.
        let alphabet: Vec<char> = "ae \n中文かが\u{3099}\u{309a}한\u{1100}\u{1161}\u{11a8}\
             \u{301}\u{323}\u{94d}क\u{9be}\u{9c7}\u{bcd}\u{2126}\u{f900}\u{1d15e}😀\
             \u{fb1d}\u{5b4}\u{345}ṩ"
            .chars()
            .collect();
        let mut next = crate::test_rng::xorshift(0x9E37_79B9_7F4A_7C15);
        for _ in 0..20_000 {
            let len = (next() % 40) as usize;
            let text: String = (0..len)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect();
            let n = nfc(&text);
            let (want, want_rewrites) = nfc_reference(&text);
            assert_eq!(n.text, want, "{text:?}");
            assert_eq!(n.rewrites, want_rewrites, "{text:?}");
            assert_eq!(matches!(n.text, Cow::Borrowed(_)), want_rewrites.is_empty());
        }
    }

    #[test]
    fn reorders_marks() {
        // dot below (220) before acute (230) after reordering, composed with the base.
        assert_eq!(nfc("a\u{301}\u{323}").text, "\u{1ea1}\u{301}");
    }
}
