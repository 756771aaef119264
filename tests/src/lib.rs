//! Shared helpers for qwen-meter's parity tests.
//!
//! The *reference* is the Hugging Face `tokenizers` crate (default features, Oniguruma
//! regex) loading the official Qwen3 `tokenizer.json`, committed gzip-compressed as
//! `tests/fixtures/qwen3-tokenizer.json.gz`, or for Qwen3.5 the `tokenizer.json` that
//! `qwen-meter-gen qwen3_5` writes from the ranks file (`qwen3_5-tokenizer.json.gz`).
//! Everything here reads only those fixtures (never anything outside the repository), and
//! checks their SHA-256 on load.
//!
//! Which of the two a thread tests is its [`target`] (Qwen3 unless [`set_target`] says
//! otherwise): the core, the reference and the generators all follow it, so every suite
//! runs for Qwen3.5 by setting the target first.
//!
//! - [`reference`] / [`reference_ordinary`]: the reference tokenizers, loaded once;
//! - [`ref_encode`], [`ref_encode_ordinary`], [`ref_normalized`]: what the reference says;
//! - [`check`]: every invariant the core must satisfy on one input, with shrinking;
//! - [`generators`]: seeded generators of hard inputs; [`rng`]: the seeded PRNG;
//! - [`escape`] / [`unescape`]: unambiguous text for reports and fixture files.

use std::io::Read;
use std::sync::OnceLock;

use sha2::{Digest, Sha256};
use tokenizers::{OffsetReferential, OffsetType, Tokenizer};

pub mod check;
pub mod generators;
pub mod rng;

/// The tokenizer a thread's checks compare with its reference.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// `Tokenizer::qwen3()` against the official Qwen3 tokenizer.json.
    Qwen3,
    /// `Tokenizer::qwen3_5()` against the generated Qwen3.5 tokenizer.json.
    Qwen3_5,
}

thread_local! {
    static TARGET: std::cell::Cell<Target> = const { std::cell::Cell::new(Target::Qwen3) };
}

/// This thread's target (Qwen3 unless set).
pub fn target() -> Target {
    TARGET.with(|t| t.get())
}

/// Sets this thread's target; threads that checks spawn inherit it.
pub fn set_target(t: Target) {
    TARGET.with(|c| c.set(t));
}

/// SHA-256 of the decompressed Qwen3.5 reference tokenizer.json (as `qwen-meter-gen qwen3_5`
/// writes it from the ranks file).
pub const QWEN3_5_TOKENIZER_JSON_SHA256: &str =
    "623f121d5f5f2d8dbdbcd6380f71c23f869c988f45aabc1f6626436a0ef0e05f";

static QWEN3_5_TOKENIZER_JSON_GZ: &[u8] = include_bytes!("../fixtures/qwen3_5-tokenizer.json.gz");

/// Id of Qwen3.5's `<|endoftext|>`, its first added token.
pub const QWEN3_5_ENDOFTEXT_ID: u32 = 248_044;

/// Number of Qwen3.5's byte-level BPE tokens.
pub const QWEN3_5_BPE_VOCAB_SIZE: u32 = 248_044;

/// The target's number of BPE tokens (ids below are ordinary tokens).
pub fn bpe_vocab_size() -> u32 {
    match target() {
        Target::Qwen3 => BPE_VOCAB_SIZE,
        Target::Qwen3_5 => QWEN3_5_BPE_VOCAB_SIZE,
    }
}

/// SHA-256 of the decompressed official Qwen3 tokenizer.json.
pub const TOKENIZER_JSON_SHA256: &str =
    "aeb13307a71acd8fe81861d94ad54ab689df773318809eed3cbe794b4492dae4";

/// The compressed fixture, embedded at compile time (so tests never read files outside
/// the repository, and the fuzzer needs no path at run time).
static TOKENIZER_JSON_GZ: &[u8] = include_bytes!("../fixtures/qwen3-tokenizer.json.gz");

/// Id of `<|endoftext|>`, the first added token.
pub const ENDOFTEXT_ID: u32 = 151_643;

/// Number of byte-level BPE tokens (ids below this are ordinary tokens).
pub const BPE_VOCAB_SIZE: u32 = 151_643;

/// Lower-case hex of a SHA-256 digest.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn gunzip_checked(gz: &[u8], sha256: &str, what: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(16 << 20);
    flate2::read::GzDecoder::new(gz)
        .read_to_end(&mut out)
        .unwrap_or_else(|_| panic!("{what} is not valid gzip"));
    assert_eq!(
        sha256_hex(&out),
        sha256,
        "{what} does not hold the expected file"
    );
    out
}

/// The target's reference tokenizer.json: the official Qwen3 file, checked against
/// [`TOKENIZER_JSON_SHA256`], or the generated Qwen3.5 one, checked against
/// [`QWEN3_5_TOKENIZER_JSON_SHA256`].
pub fn tokenizer_json() -> &'static [u8] {
    if target() == Target::Qwen3_5 {
        static JSON35: OnceLock<Vec<u8>> = OnceLock::new();
        return JSON35.get_or_init(|| {
            gunzip_checked(
                QWEN3_5_TOKENIZER_JSON_GZ,
                QWEN3_5_TOKENIZER_JSON_SHA256,
                "tests/fixtures/qwen3_5-tokenizer.json.gz",
            )
        });
    }
    static JSON: OnceLock<Vec<u8>> = OnceLock::new();
    JSON.get_or_init(|| {
        let mut out = Vec::with_capacity(12 << 20);
        flate2::read::GzDecoder::new(TOKENIZER_JSON_GZ)
            .read_to_end(&mut out)
            .expect("tests/fixtures/qwen3-tokenizer.json.gz is not valid gzip");
        let digest = sha256_hex(&out);
        assert_eq!(
            digest, TOKENIZER_JSON_SHA256,
            "tests/fixtures/qwen3-tokenizer.json.gz does not hold the official Qwen3 tokenizer.json"
        );
        out
    })
}

/// One lazily built value per target.
struct PerTarget<T>([OnceLock<T>; 2]);

impl<T> PerTarget<T> {
    const fn new() -> Self {
        PerTarget([OnceLock::new(), OnceLock::new()])
    }
    fn get_or_init(&self, f: impl FnOnce() -> T) -> &T {
        self.0[target() as usize].get_or_init(f)
    }
}

/// The added tokens of the target's tokenizer.json: `(id, content)`, in id order.
pub fn added_tokens() -> &'static [(u32, String)] {
    static ADDED: PerTarget<Vec<(u32, String)>> = PerTarget::new();
    ADDED.get_or_init(|| {
        let json: serde_json::Value =
            serde_json::from_slice(tokenizer_json()).expect("tokenizer.json is valid JSON");
        let mut out: Vec<(u32, String)> = json["added_tokens"]
            .as_array()
            .expect("added_tokens is an array")
            .iter()
            .map(|t| {
                (
                    t["id"].as_u64().expect("added token id") as u32,
                    t["content"]
                        .as_str()
                        .expect("added token content")
                        .to_owned(),
                )
            })
            .collect();
        out.sort();
        out
    })
}

/// The reference tokenizer: `tokenizers` loading the target's tokenizer.json.
pub fn reference() -> &'static Tokenizer {
    static REF: PerTarget<Tokenizer> = PerTarget::new();
    REF.get_or_init(|| {
        Tokenizer::from_bytes(tokenizer_json()).expect("reference loads tokenizer.json")
    })
}

/// The reference with special-token matching disabled: the same tokenizer.json with an
/// empty `added_tokens` list, so `<|im_start|>` etc. are ordinary text (normalised and
/// byte-level BPE encoded like any other text). This is what `encode_ordinary` must match.
///
/// (`set_encode_special_tokens(true)` would not do: it only affects tokens marked
/// `special: true`, and Qwen3 has added tokens such as `<think>` that are not.)
pub fn reference_ordinary() -> &'static Tokenizer {
    static REF: PerTarget<Tokenizer> = PerTarget::new();
    REF.get_or_init(|| {
        let mut json: serde_json::Value =
            serde_json::from_slice(tokenizer_json()).expect("tokenizer.json is valid JSON");
        json["added_tokens"] = serde_json::Value::Array(Vec::new());
        let bytes = serde_json::to_vec(&json).expect("re-serialise tokenizer.json");
        Tokenizer::from_bytes(bytes).expect("reference loads tokenizer.json without added tokens")
    })
}

/// Reference ids of `text` (`add_special_tokens = false`; special-token text recognised).
pub fn ref_encode(text: &str) -> Vec<u32> {
    reference()
        .encode(text, false)
        .expect("reference encode")
        .get_ids()
        .to_vec()
}

/// Reference ids of `text` with special-token text treated as plain text.
pub fn ref_encode_ordinary(text: &str) -> Vec<u32> {
    reference_ordinary()
        .encode(text, false)
        .expect("reference encode")
        .get_ids()
        .to_vec()
}

fn normalized_with(tok: &Tokenizer, text: &str) -> String {
    let pre = tok
        .get_added_vocabulary()
        .extract_and_normalize(tok.get_normalizer(), text);
    pre.get_splits(OffsetReferential::Original, OffsetType::Byte)
        .into_iter()
        .map(|(s, _, _)| s)
        .collect()
}

/// The text as the reference normalises it when encoding (special tokens split off first,
/// then NFC on each remaining piece, exactly as `Tokenizer::encode` does). `decode(encode(x))`
/// must give this.
pub fn ref_normalized(text: &str) -> String {
    normalized_with(reference(), text)
}

/// The text as the reference normalises it with special tokens treated as plain text (NFC
/// of the whole text).
pub fn ref_normalized_ordinary(text: &str) -> String {
    normalized_with(reference_ordinary(), text)
}

/// Unambiguous, copy-pasteable Rust string-literal body of `s`: printable ASCII as is,
/// `\n` `\r` `\t` `\\` `\"` escaped, everything else as `\u{XXXX}`.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            ' '..='~' => out.push(c),
            _ => out.push_str(&format!("\\u{{{:X}}}", c as u32)),
        }
    }
    out
}

/// Like [`escape`], but long runs of one character are written as `<c x N>` (for reports
/// only; not reversible by [`unescape`]).
pub fn escape_compact(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let mut j = i + 1;
        while j < chars.len() && chars[j] == chars[i] {
            j += 1;
        }
        let one = escape(&chars[i].to_string());
        if j - i >= 8 {
            out.push_str(&format!("<{one} x {}>", j - i));
        } else {
            for _ in i..j {
                out.push_str(&one);
            }
        }
        i = j;
    }
    out
}

/// Inverse of [`escape`]: `\n \r \t \0 \\ \" \' \u{X..}` escapes, everything else literal.
pub fn unescape(s: &str) -> Result<String, String> {
    let mut out = String::with_capacity(s.len());
    let mut it = s.chars();
    while let Some(c) = it.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match it.next() {
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some('0') => out.push('\0'),
            Some('\\') => out.push('\\'),
            Some('"') => out.push('"'),
            Some('\'') => out.push('\''),
            Some('u') => {
                if it.next() != Some('{') {
                    return Err(format!("expected '{{' after \\u in {s:?}"));
                }
                let mut hex = String::new();
                loop {
                    match it.next() {
                        Some('}') => break,
                        Some(h) if h.is_ascii_hexdigit() && hex.len() < 6 => hex.push(h),
                        other => return Err(format!("bad \\u{{..}} escape ({other:?}) in {s:?}")),
                    }
                }
                let v = u32::from_str_radix(&hex, 16).map_err(|e| format!("{e} in {s:?}"))?;
                out.push(char::from_u32(v).ok_or_else(|| format!("U+{v:X} is not a char"))?);
            }
            other => return Err(format!("unknown escape \\{other:?} in {s:?}")),
        }
    }
    Ok(out)
}

/// Scale factor for generated-case counts: 1 normally, 20 with `QWEN_METER_HEAVY=1`, or
/// `QWEN_METER_SCALE=<float>` explicitly.
pub fn case_scale() -> f64 {
    if let Ok(s) = std::env::var("QWEN_METER_SCALE")
        && let Ok(v) = s.trim().parse::<f64>()
        && v > 0.0
    {
        return v;
    }
    match std::env::var("QWEN_METER_HEAVY") {
        Ok(v) if !v.is_empty() && v != "0" => 20.0,
        _ => 1.0,
    }
}

/// `true` in heavy mode (see [`case_scale`]).
pub fn heavy() -> bool {
    case_scale() > 1.0
}

/// The base seed: `QWEN_METER_SEED` if set (decimal or 0x-hex), else a fixed seed in
/// normal mode (reproducible CI) and a time-derived one in heavy mode (new cases each run).
pub fn base_seed() -> u64 {
    if let Ok(s) = std::env::var("QWEN_METER_SEED") {
        let s = s.trim();
        let parsed = match s.strip_prefix("0x") {
            Some(hex) => u64::from_str_radix(hex, 16).ok(),
            None => s.parse().ok(),
        };
        if let Some(v) = parsed {
            return v;
        }
    }
    if heavy() {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0x5eed)
    } else {
        0x0051_7733_6d65_7465
    }
}

/// Write a line straight to the process's stderr, bypassing libtest's output capture, so
/// the generated-case counts show in a plain `cargo test` run too.
pub fn report_line(line: &str) {
    use std::io::Write;
    let stderr = std::io::stderr();
    let mut lock = stderr.lock();
    let _ = writeln!(lock, "{line}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_round_trips() {
        let s = "a\"b\\c\n\r\t\u{0}\u{7f}é中\u{10FFFF}\u{1F468}\u{200D}";
        assert_eq!(unescape(&escape(s)).unwrap(), s);
        assert_eq!(escape("é\n"), "\\u{E9}\\n");
        assert!(unescape("\\q").is_err());
        assert!(unescape("\\u{D800}").is_err());
    }
}
