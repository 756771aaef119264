//! Fuzz target: arbitrary bytes -> a small-chunked `Document` and a sequence of edits
//! (insertions, deletions, replacements of text built from whitespace kinds, special tokens and
//! their halves, compositions, combining marks, words and ASCII); after every edit the
//! document's count, ids and spans must equal a full re-tokenization of its text. Any
//! difference, or a panic, is a crash; the crash prints the text and the edit.
#![no_main]

use libfuzzer_sys::fuzz_target;
use qwen_meter_tests::escape;
use qwen_meter_tests::generators::{COMPOSITION_SEQS, MARKS, SPECIAL_TOKENS, WHITESPACE, WORDS};
use qwen_meter_tokenizer::{Document, Tokenizer};

/// Reads bytes as a little program; past the end every read gives 0.
struct Input<'a>(&'a [u8]);

impl Input<'_> {
    fn byte(&mut self) -> usize {
        let (&b, rest) = self.0.split_first().unwrap_or((&0, &[]));
        self.0 = rest;
        b as usize
    }

    /// One fragment of text: a whitespace kind, special token (or half of one), composition,
    /// mark, word or ASCII character.
    fn fragment(&mut self, s: &mut String) {
        let k = self.byte();
        match self.byte() % 8 {
            0 => s.push_str(WHITESPACE[k % WHITESPACE.len()]),
            1 => s.push_str(SPECIAL_TOKENS[k % SPECIAL_TOKENS.len()]),
            2 => {
                let t = SPECIAL_TOKENS[k % SPECIAL_TOKENS.len()];
                s.push_str(&t[..t.len() / 2]);
            }
            3 => s.push_str(COMPOSITION_SEQS[k % COMPOSITION_SEQS.len()]),
            4 => s.push(char::from_u32(MARKS[k % MARKS.len()]).unwrap_or('\u{301}')),
            5 => s.push_str(WORDS[k % WORDS.len()]),
            _ => s.push((k % 0x80) as u8 as char),
        }
    }

    fn text(&mut self, max: usize) -> String {
        let mut s = String::new();
        for _ in 0..self.byte() % max {
            self.fragment(&mut s);
        }
        s
    }

    /// A char boundary of `s`.
    fn boundary(&mut self, s: &str) -> usize {
        let mut at = ((self.byte() << 8) | self.byte()) % (s.len() + 1);
        while !s.is_char_boundary(at) {
            at -= 1;
        }
        at
    }
}

fuzz_target!(|data: &[u8]| {
    if data.len() > 4096 {
        return;
    }
    let tok = Tokenizer::qwen3();
    let mut input = Input(data);
    let mode = input.byte();
    let (special, chunk) = (mode & 1 == 0, 16 + (mode >> 1) % 48);
    let mut text = input.text(64);
    let mut doc = Document::with_chunk_size(tok, &text, special, chunk);
    while !input.0.is_empty() {
        let a = input.boundary(&text);
        let b = match input.byte() % 3 {
            0 => a,
            _ => input.boundary(&text).max(a),
        };
        let replacement = input.text(4);
        doc.edit(a..b, &replacement)
            .unwrap_or_else(|e| panic!("edit {a}..{b} of \"{}\": {e}", escape(&text)));
        let before = std::mem::take(&mut text);
        text = format!("{}{replacement}{}", &before[..a], &before[b..]);
        let what = || {
            format!(
                "after replacing {a}..{b} of \"{}\" with \"{}\" (chunks of {chunk})",
                escape(&before),
                escape(&replacement)
            )
        };
        assert_eq!(doc.text(), text, "text {}", what());
        let (count, ids, spans) = if special {
            (
                tok.count(&text),
                tok.encode(&text),
                tok.encode_with_offsets(&text),
            )
        } else {
            (
                tok.count_ordinary(&text),
                tok.encode_ordinary(&text),
                tok.encode_ordinary_with_offsets(&text),
            )
        };
        assert_eq!(doc.count(), count, "count {}", what());
        assert_eq!(doc.encode(), ids, "ids {}", what());
        assert_eq!(doc.tokens(0..text.len()), spans, "spans {}", what());
    }
});
