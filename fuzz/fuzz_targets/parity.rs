//! Fuzz target: arbitrary bytes -> valid UTF-8 text (two ways), then every check of the
//! parity tests against the reference (encode, encode_ordinary, counts, count_within,
//! decode round trip, offsets, truncate at both ends). Any disagreement or core panic is a
//! crash; add the input to tests/fixtures/regressions.txt.
#![no_main]

use libfuzzer_sys::fuzz_target;
use qwen_meter_tests::check::check_text;
use qwen_meter_tests::escape;
use qwen_meter_tests::generators::{COMPOSITION_SEQS, MARKS, SPECIAL_TOKENS, WHITESPACE};

/// Bytes to chars reaching every plane: ASCII as is; 0x80-0xBF plus one byte: U+0080..U+407F;
/// 0xC0-0xDF plus two bytes: any scalar value (modulo 0x110000, surrogates shifted);
/// 0xE0-0xFF plus one byte: a whitespace kind, special token, composition or mark.
fn chars_from_bytes(data: &[u8]) -> String {
    let mut s = String::new();
    let mut i = 0;
    let next = |i: &mut usize| {
        let b = data.get(*i).copied().unwrap_or(0);
        *i += 1;
        b as u32
    };
    while i < data.len() {
        let b = next(&mut i);
        match b {
            0x00..=0x7F => s.push(b as u8 as char),
            0x80..=0xBF => {
                let v = 0x80 + (((b & 0x3F) << 8) | next(&mut i));
                s.push(char::from_u32(v).unwrap_or('\u{FFFD}'));
            }
            0xC0..=0xDF => {
                let v = (((b & 0x1F) << 16) | (next(&mut i) << 8) | next(&mut i)) % 0x11_0000;
                let v = if (0xD800..0xE000).contains(&v) { v + 0x800 } else { v };
                s.push(char::from_u32(v).unwrap_or('\u{FFFD}'));
            }
            _ => {
                let k = next(&mut i) as usize;
                match b & 3 {
                    0 => s.push_str(WHITESPACE[k % WHITESPACE.len()]),
                    1 => s.push_str(SPECIAL_TOKENS[k % SPECIAL_TOKENS.len()]),
                    2 => s.push_str(COMPOSITION_SEQS[k % COMPOSITION_SEQS.len()]),
                    _ => s.push(char::from_u32(MARKS[k % MARKS.len()]).unwrap_or('\u{301}')),
                }
            }
        }
    }
    s
}

/// Byte ranges of special-token text in `text` (leftmost, longest first).
fn special_matches(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(off) = text[i..].find('<') {
        let a = i + off;
        let longest = SPECIAL_TOKENS
            .iter()
            .filter(|t| text[a..].starts_with(**t))
            .map(|t| t.len())
            .max();
        match longest {
            Some(len) => {
                out.push((a, a + len));
                i = a + len;
            }
            None => i = a + 1,
        }
    }
    out
}

/// With `QWEN_METER_FUZZ_SKIP_KNOWN=1`: skip the known truncate bug reported from the parity
/// tests (Keep::Start cut strictly inside special-token text keeps one char too few, e.g.
/// `truncate(" <|im_start|>", 1, Keep::Start)` = `" <"` though `" <|"` is one token), so the
/// fuzzer can look for other bugs while that one is open.
fn known_issue(text: &str, f: &qwen_meter_tests::check::Failure) -> bool {
    if std::env::var_os("QWEN_METER_FUZZ_SKIP_KNOWN").is_none() {
        return false;
    }
    let Some((n, _, qwen_meter::Keep::Start)) = f.truncate else {
        return false;
    };
    let end = qwen_meter::Tokenizer::qwen3()
        .truncate(text, n, qwen_meter::Keep::Start)
        .len();
    special_matches(text)
        .iter()
        .any(|&(a, b)| a <= end && end < b)
}

fn check(kind: &str, text: &str) {
    if let Err(f) = check_text(text) {
        if known_issue(text, &f) {
            return;
        }
        panic!(
            "{kind} input \"{}\": {} failed\n{}",
            escape(text),
            f.check,
            f.detail
        );
    }
}

fuzz_target!(|data: &[u8]| {
    if data.len() > 4096 {
        return;
    }
    check("lossy", &String::from_utf8_lossy(data));
    check("planes", &chars_from_bytes(data));
});
