//! `Tokenizer::from_tokenizer_json` on small files: either split pattern, merges ranked by
//! their position whatever ids the tokens have, and a `LoadError` that says what and where
//! for files the engine cannot serve.

use qwen_meter_tokenizer::{Generation, Tokenizer};

const QWEN: &str = r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";
const QWEN3_5: &str = r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?[\p{L}\p{M}]+|\p{N}| ?[^\s\p{L}\p{M}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

/// GPT-2's byte-level character of a byte.
fn level(b: u8) -> char {
    let printable = |b: u32| (0x21..=0x7E).contains(&b) || (0xA1..=0xAC).contains(&b) || b >= 0xAE;
    let b = b as u32;
    if printable(b) {
        return char::from_u32(b).unwrap();
    }
    let n = (0..b).filter(|&x| !printable(x)).count() as u32;
    char::from_u32(256 + n).unwrap()
}

fn text(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| level(b)).collect()
}

/// A file with the 256 bytes (ids 0-255, or permuted by `id`), `extra` tokens after them and
/// `merges` in the given order.
fn file(
    pattern: &str,
    extra: &[&str],
    merges: &[(&str, &str)],
    id: impl Fn(u32) -> u32,
) -> Vec<u8> {
    let mut vocab = serde_json::Map::new();
    for b in 0..=255u8 {
        vocab.insert(text(&[b]), id(b as u32).into());
    }
    for (i, t) in extra.iter().enumerate() {
        vocab.insert(text(t.as_bytes()), id(256 + i as u32).into());
    }
    let merges: Vec<serde_json::Value> = merges
        .iter()
        .map(|(a, b)| serde_json::json!([text(a.as_bytes()), text(b.as_bytes())]))
        .collect();
    serde_json::to_vec(&serde_json::json!({
        "added_tokens": [{"id": 256 + extra.len(), "content": "<|im_start|>"}],
        "normalizer": {"type": "NFC"},
        "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
            {"type": "Split", "pattern": {"Regex": pattern}, "behavior": "Isolated", "invert": false},
            {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": false, "use_regex": false}
        ]},
        "model": {"type": "BPE", "vocab": vocab, "merges": merges}
    }))
    .unwrap()
}

#[test]
fn either_split_pattern() {
    let extra = ["\u{301}", "\u{301}a"];
    let merges = [("\u{301}", "a")];
    let f = |pattern| file_with_byte_merge(pattern, &extra, &merges);
    let qwen = Tokenizer::from_tokenizer_json(&f(QWEN)).unwrap();
    let qwen35 = Tokenizer::from_tokenizer_json(&f(QWEN3_5)).unwrap();
    // Qwen: "!\u{301}" is a punctuation run and "a" a word; Qwen3.5: the mark joins the word.
    assert_eq!(qwen.encode("!\u{301}a"), [b'!' as u32, 256, b'a' as u32]);
    assert_eq!(qwen35.encode("!\u{301}a"), [b'!' as u32, 257]);
    assert_eq!(qwen.encode("<|im_start|>"), [258]);
    assert_eq!(qwen.generation(), None);
}

/// [`file`] with the merge of U+0301's two bytes first.
fn file_with_byte_merge(pattern: &str, extra: &[&str], merges: &[(&str, &str)]) -> Vec<u8> {
    let mut json: serde_json::Value =
        serde_json::from_slice(&file(pattern, extra, merges, |i| i)).unwrap();
    let list = json["model"]["merges"].as_array_mut().unwrap();
    list.insert(0, serde_json::json!([text(&[0xCC]), text(&[0x81])]));
    serde_json::to_vec(&json).unwrap()
}

/// Ids in any order: the merge list's order is the priority. Here "bc" (listed first) wins
/// over "ab" although its id is higher, and the ids that come out are the file's.
#[test]
fn merge_priority_is_the_position_in_the_list() {
    let extra = ["ab", "bc"];
    let merges = [("b", "c"), ("a", "b")];
    let tok = Tokenizer::from_tokenizer_json(&file(QWEN, &extra, &merges, |i| i)).unwrap();
    assert_eq!(tok.encode("abc"), [b'a' as u32, 257]);
    // The same file with every id moved (a rotation): the same pieces, the moved ids.
    let n = 258;
    let rot = |i: u32| (i + 100) % n;
    let moved = Tokenizer::from_tokenizer_json(&file(QWEN, &extra, &merges, rot)).unwrap();
    assert_eq!(moved.encode("abc"), [rot(b'a' as u32), rot(257)]);
    assert_eq!(moved.encode("ab"), [rot(256)]);
    assert_eq!(moved.decode(&moved.encode("abcab")).unwrap(), "abcab");
    assert_eq!(moved.token_bytes(rot(257)), Some(&b"bc"[..]));
    let spans = moved.encode_with_offsets("ab c");
    assert_eq!(spans[0].id, rot(256));
}

/// Tokens no merge creates are never emitted, and decode.
#[test]
fn tokens_without_a_merge_are_never_emitted() {
    let tok =
        Tokenizer::from_tokenizer_json(&file(QWEN, &["ab", "abc"], &[("a", "b")], |i| i)).unwrap();
    assert_eq!(tok.encode("abc"), [256, b'c' as u32]);
    assert_eq!(tok.decode(&[257]).unwrap(), "abc");
}

#[test]
fn unservable_files_say_what_and_where() {
    let other = r"\w+|[^\w\s]+";
    let err = Tokenizer::from_tokenizer_json(&file(other, &[], &[], |i| i))
        .err()
        .unwrap();
    assert!(err.to_string().contains("pre_tokenizer"), "{err}");
    // A merge using a token that only a later merge creates.
    let err = Tokenizer::from_tokenizer_json(&file(
        QWEN,
        &["ab", "abc"],
        &[("ab", "c"), ("a", "b")],
        |i| i,
    ))
    .err()
    .unwrap();
    assert!(err.to_string().contains("model.merges[0]"), "{err}");
    assert!(err.to_string().contains("model.merges[1]"), "{err}");
    // Not byte-level: SentencePiece's word marker is no GPT-2 byte character.
    let mut json: serde_json::Value = serde_json::from_slice(&file(QWEN, &[], &[], |i| i)).unwrap();
    json["model"]["vocab"]["\u{2581}the"] = 256.into();
    let err = Tokenizer::from_tokenizer_json(&serde_json::to_vec(&json).unwrap())
        .err()
        .unwrap();
    assert!(err.to_string().contains("model.vocab"), "{err}");
    assert!(err.to_string().contains("byte-level"), "{err}");
}

/// A file with Qwen3.5's pattern and added tokens is recognised as Qwen3.5 only with its
/// whole vocabulary; a toy one is no generation.
#[test]
fn toy_files_are_no_generation() {
    let tok = Tokenizer::from_tokenizer_json(&file(QWEN3_5, &[], &[], |i| i)).unwrap();
    assert_ne!(tok.generation(), Some(Generation::Qwen3_5));
}
