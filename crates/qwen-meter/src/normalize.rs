//! NFC exactly as the reference computes it, touching only the spans that need it.
//!
//! The reference normalises with `unicode-normalization-alignments` 0.1.12, whose tables are
//! Unicode 9.0; we call the same crate, so newer characters behave as in the reference (an
//! unassigned-in-9.0 mark is not reordered, newer compositions are not made). Most text is
//! already NFC: a character that is a starter with NFC_QC=Yes (ASCII, CJK, most letters) can
//! neither change nor combine with what precedes it, so only runs of other characters, plus the
//! one character before each run, are handed to the normaliser. Text without such runs is
//! returned borrowed, with no copy.

use std::borrow::Cow;

use unicode_normalization_alignments::UnicodeNormalization;

use crate::pretokenize::{NFC_UNSAFE, char_bits};

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

/// NFC of `text`, borrowed when it is already normalised.
pub(crate) fn nfc(text: &str) -> Normalized<'_> {
    let bytes = text.as_bytes();
    // Fast scan: ASCII and safe characters need nothing.
    let mut i = 0;
    let first_unsafe = loop {
        // Skip ASCII eight bytes at a time.
        while i + 8 <= bytes.len()
            && u64::from_le_bytes(bytes[i..i + 8].try_into().unwrap()) & 0x8080_8080_8080_8080 == 0
        {
            i += 8;
        }
        if i >= bytes.len() {
            return Normalized {
                text: Cow::Borrowed(text),
                rewrites: Vec::new(),
            };
        }
        if bytes[i] < 0x80 {
            i += 1;
            continue;
        }
        let c = text[i..].chars().next().unwrap();
        if is_unsafe(c) {
            break i;
        }
        i += c.len_utf8();
    };
    let mut out = String::with_capacity(text.len() + 16);
    let mut rewrites = Vec::new();
    let mut copied = 0; // input bytes already accounted for
    let mut i = first_unsafe;
    while i < bytes.len() {
        let c = text[i..].chars().next().unwrap();
        if !is_unsafe(c) {
            i += c.len_utf8();
            continue;
        }
        // The span starts at the preceding character (a starter it may combine with), unless
        // that character already belongs to the previous span.
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
    if rewrites.is_empty() {
        return Normalized {
            text: Cow::Borrowed(text),
            rewrites,
        };
    }
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

    #[test]
    fn reorders_marks() {
        // dot below (220) before acute (230) after reordering, composed with the base.
        assert_eq!(nfc("a\u{301}\u{323}").text, "\u{1ea1}\u{301}");
    }
}
