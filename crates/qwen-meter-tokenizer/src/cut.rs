//! Safe cuts: places where a text can be split for parallel counting without changing its
//! tokens, decided from the two characters around the place alone.
//!
//! [`Tokenizer::stable_cut`] finds the last cut that no continuation can move, but it has to
//! split (and partly encode) the text to find it. A caller that splits a large input into
//! chunks for several threads, such as the CLI, wants something it can afford at every chunk
//! end: a cut at `p` such that `encode(text) == encode(text[..p]) ++ encode(text[p..])` for
//! the whole text, whatever comes after. These rules give that cheaply, and conservatively
//! (many true cuts are not recognised; none that is recognised is wrong).
//!
//! # Why the cuts are safe
//!
//! The tokenizer finds special tokens, NFC-normalises the text between them, splits it with
//! the generation's pattern and runs BPE inside each piece. A cut at `p` is safe when
//! 1. no special token covers both `p - 1` and `p`,
//! 2. NFC never combines or reorders across `p`,
//! 3. some piece of the whole text ends exactly at `p`, and
//! 4. the last piece before `p` is the same when the text ends at `p` (the patterns only look
//!    past a match in `\s+(?!\S)`, so this holds when the character before `p` is not
//!    whitespace, or when the piece is taken by `\s*[\r\n]+`).
//!
//! The patterns have no look-behind, so the pieces after `p` depend on `text[p..]` alone.
//! [`Tokenizer::is_safe_cut`] accepts:
//!
//! - **A** `p - 1` an ASCII letter, `p` an ASCII character that is neither a letter nor a
//!   digit: letter runs (and contractions) end at the first non-letter, so a piece ends at `p`.
//!   (Qwen3.5's pattern lets combining marks join a letter run; an ASCII character is no mark.)
//! - **B** `p - 1` a `\n`, `p` a visible ASCII character or a CJK, kana or Hangul letter: every
//!   alternative that can hold a `\n` (`\s*[\r\n]+`, `\s+`, the trailing `[\r\n]*` of a
//!   punctuation run) stops before a non-space, and `\n` never composes under NFC.
//! - **C** `p` an ASCII digit after a visible ASCII character: `\p{N}` pieces are single
//!   characters and no other alternative holds a digit.
//! - **D** `p` a CJK punctuation mark (`。`, `，`, `、`, `！`, ...) after a CJK, kana, Hangul
//!   or ASCII letter or digit: the letter run ends there, and these marks are NFC-inert.
//!
//! ASCII characters (and the listed CJK marks) have combining class 0 and are never the second
//! half of a canonical composition, so NFC treats the two sides independently (2). For (1),
//! every rule rejects a cut whose two neighbouring bytes both occur in the tokenizer's special
//! tokens (for Qwen: `<`, `|`, `>`, `_`, `/`, letters, and digits for `<|extra_N|>`); with
//! special tokens off (ordinary text) no special token is matched, so (1) is void.
//!
//! The parity suite checks these cuts against the reference tokenizer: for generated texts of
//! every kind and both patterns, every cut accepted here splits the reference's ids exactly.

use crate::tokenizer::Tokenizer;

fn is_cjk_letter(c: char) -> bool {
    matches!(c as u32,
        0x3041..=0x3096      // Hiragana letters
        | 0x30A1..=0x30FA    // Katakana letters
        | 0x3400..=0x4DBF    // CJK Extension A
        | 0x4E00..=0x9FFF    // CJK Unified Ideographs
        | 0xAC00..=0xD7A3 // Hangul syllables
    )
}

fn is_cjk_punct(c: char) -> bool {
    matches!(
        c,
        '、' | '。'
            | '〈'
            | '〉'
            | '《'
            | '》'
            | '「'
            | '」'
            | '『'
            | '』'
            | '【'
            | '】'
            | '！'
            | '（'
            | '）'
            | '，'
            | '：'
            | '；'
            | '？'
    )
}

impl Tokenizer {
    /// Whether cutting `text` at byte `p` leaves its tokens unchanged: the tokens of `text`
    /// are those of `text[..p]` followed by those of `text[p..]`, whatever follows `text`.
    /// `special` says whether special tokens are matched (as in `encode`) or not (as in
    /// `encode_ordinary`). Decided from the characters around `p` only, conservatively (see
    /// the module docs of `cut.rs`); `p` outside `1..text.len()` or inside a character is
    /// never a safe cut.
    ///
    /// Public (hidden) for callers that split large inputs themselves, such as the CLI's
    /// parallel counting: they cut where the engine says, and the parity tests cover it.
    ///
    /// ```
    /// let tok = qwen_meter_tokenizer::Tokenizer::qwen3();
    /// let text = "Hello, world!\nBye.";
    /// assert!(tok.is_safe_cut(text, 5, true)); // "Hello" | ", world!..."
    /// assert!(!tok.is_safe_cut(text, 6, true)); // a space run may join the next word
    /// let p = 14; // after the newline
    /// assert!(tok.is_safe_cut(text, p, true));
    /// let mut split = tok.encode(&text[..p]);
    /// split.extend(tok.encode(&text[p..]));
    /// assert_eq!(split, tok.encode(text));
    /// ```
    #[doc(hidden)]
    pub fn is_safe_cut(&self, text: &str, p: usize, special: bool) -> bool {
        let bytes = text.as_bytes();
        if p == 0 || p >= bytes.len() || !text.is_char_boundary(p) {
            return false;
        }
        let (a, b) = (bytes[p - 1], bytes[p]);
        if special && self.specials.has_byte(a) && self.specials.has_byte(b) {
            return false;
        }
        if b.is_ascii() {
            return (a.is_ascii_alphabetic() && !b.is_ascii_alphanumeric()) // A
                || (a == b'\n' && b.is_ascii_graphic()) // B
                || (b.is_ascii_digit() && a.is_ascii_graphic()); // C
        }
        let c = text[p..].chars().next().unwrap_or('\0');
        if a == b'\n' {
            return is_cjk_letter(c); // B
        }
        if is_cjk_punct(c) {
            let before = text[..p].chars().next_back().unwrap_or('\0');
            return before.is_ascii_alphanumeric() || is_cjk_letter(before); // D
        }
        false
    }

    /// The last safe cut of `text` (see [`Tokenizer::is_safe_cut`]) at or after byte `from`,
    /// searching from the end; `None` when there is none.
    ///
    /// ```
    /// let tok = qwen_meter_tokenizer::Tokenizer::qwen3();
    /// let text = "one two\nthree four";
    /// assert_eq!(tok.last_safe_cut(text, 0, true), Some(13)); // "three" | " four"
    /// assert_eq!(tok.last_safe_cut(text, 14, true), None);
    /// ```
    #[doc(hidden)]
    pub fn last_safe_cut(&self, text: &str, from: usize, special: bool) -> Option<usize> {
        let from = from.max(1);
        let mut p = text.len().checked_sub(1)?;
        while p >= from {
            if self.is_safe_cut(text, p, special) {
                return Some(p);
            }
            p -= 1;
        }
        None
    }
}
