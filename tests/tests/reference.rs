//! The reference itself: the fixture is the official file, the helpers compute what the
//! other tests claim they compute, and the known traps of ARCHITECTURE.md ("The reference")
//! hold for it. None of these involve qwen-meter; they make sure the parity tests measure
//! against the right thing.

use qwen_meter_tests::generators::SPECIAL_TOKENS;
use qwen_meter_tests::{
    BPE_VOCAB_SIZE, ENDOFTEXT_ID, TOKENIZER_JSON_SHA256, added_tokens, ref_encode,
    ref_encode_ordinary, ref_normalized, ref_normalized_ordinary, reference, reference_ordinary,
    sha256_hex, tokenizer_json,
};
use tokenizers::{OffsetReferential, OffsetType, PreTokenizedString, PreTokenizer};

#[test]
fn fixture_is_the_official_tokenizer_json() {
    assert_eq!(sha256_hex(tokenizer_json()), TOKENIZER_JSON_SHA256);
    assert_eq!(
        reference().get_vocab_size(false),
        BPE_VOCAB_SIZE as usize,
        "byte-level BPE vocabulary"
    );
    assert_eq!(
        reference().get_vocab_size(true),
        BPE_VOCAB_SIZE as usize + 26
    );
}

#[test]
fn added_tokens_are_the_26_qwen3_tokens_the_generators_use() {
    let added = added_tokens();
    assert_eq!(added.len(), 26);
    for (i, (id, content)) in added.iter().enumerate() {
        assert_eq!(*id, ENDOFTEXT_ID + i as u32);
        assert_eq!(content, SPECIAL_TOKENS[i], "generator list is in id order");
        assert_eq!(ref_encode(content), vec![*id], "{content} is one token");
        assert!(
            ref_encode_ordinary(content)
                .iter()
                .all(|&t| t < BPE_VOCAB_SIZE),
            "ordinary reference encodes {content} as plain text"
        );
        assert!(content.starts_with('<'), "check.rs relies on this");
    }
}

/// The ordinary reference (added_tokens emptied) is the right model of "special-token text
/// treated as plain text": on text without added-token text it equals the reference; on
/// text with it, it gives no added-token ids, and its ids are the byte-level BPE encoding of
/// the NFC of the whole text (so special-token text is normalised and merged with its
/// neighbours like any other text).
#[test]
fn ordinary_reference_is_plain_text_encoding() {
    for text in [
        "Hello world",
        "a < b and c > d, <| no token |>",
        "<|im_start",
        "im_end|>",
        "e\u{301} x'ſt \u{3000}中文",
    ] {
        assert_eq!(ref_encode_ordinary(text), ref_encode(text), "{text:?}");
    }
    let text = "<|im_start|>user\nHi<|im_end|>\n<think>\n\n</think>";
    let special = ref_encode(text);
    let ordinary = ref_encode_ordinary(text);
    assert!(special.contains(&151_644) && special.contains(&151_667));
    assert!(ordinary.iter().all(|&id| id < BPE_VOCAB_SIZE));
    assert_eq!(reference().decode(&ordinary, false).unwrap(), text);
    // The pieces around special-token text merge as plain text: "<|" starts a piece.
    let pieces = split_pieces("x<|im_end|>y");
    assert_eq!(pieces, ["x", "<|", "im", "_end", "|>", "y"]);
    // Normalisation is over the whole text: `>` + U+0338 composes to U+226F only when the
    // `>` is not part of a special token.
    assert_eq!(
        ref_normalized_ordinary("<|im_end|>\u{338}"),
        "<|im_end|\u{226F}"
    );
    assert_eq!(ref_normalized("<|im_end|>\u{338}"), "<|im_end|>\u{338}");
}

/// `ref_normalized` is the reference's own view: it equals the reference's decode of its
/// ids for texts with and without special tokens.
#[test]
fn normalized_helper_matches_reference_decode() {
    for text in [
        "plain ascii",
        "e\u{301}\u{316} A\u{30A} \u{212B} \u{AC00}\u{11A8} \u{1100}\u{1161}\u{11A8}",
        "<|im_start|>e\u{301}<|im_end|>\u{301}",
        "\u{915}\u{93C} \u{958} \u{FB1D} \u{2126}",
        "",
    ] {
        let ids = ref_encode(text);
        let dec = reference().decode(&ids, false).unwrap();
        assert_eq!(ref_normalized(text), dec, "{text:?}");
        let ids = ref_encode_ordinary(text);
        let dec = reference_ordinary().decode(&ids, false).unwrap();
        assert_eq!(ref_normalized_ordinary(text), dec, "{text:?}");
    }
}

fn split_pieces(text: &str) -> Vec<String> {
    let r = reference_ordinary();
    let mut pre = PreTokenizedString::from(text);
    r.get_pre_tokenizer()
        .unwrap()
        .pre_tokenize(&mut pre)
        .unwrap();
    pre.get_splits(OffsetReferential::Original, OffsetType::Byte)
        .into_iter()
        .map(|(s, _, _)| byte_level_to_text(s))
        .collect()
}

/// Undo GPT-2's byte-to-unicode mapping.
fn byte_level_to_text(s: &str) -> String {
    let map: std::collections::HashMap<char, u8> = qwen_meter_tokenizer::byte_level_table()
        .iter()
        .enumerate()
        .map(|(b, &c)| (char::from_u32(c).unwrap(), b as u8))
        .collect();
    let bytes: Vec<u8> = s.chars().map(|c| map[&c]).collect();
    String::from_utf8_lossy(&bytes).into_owned()
}

/// The traps listed in ARCHITECTURE.md hold for the reference (so the parity tests that
/// replay them test what they claim).
#[test]
fn known_traps_hold_for_the_reference() {
    // (?i:...) uses Unicode case folding: x'ſt splits as x, 'ſ, t.
    assert_eq!(split_pieces("x'ſt"), ["x", "'ſ", "t"]);
    assert_eq!(split_pieces("x'ST"), ["x", "'S", "T"]);
    assert_eq!(split_pieces("we'LL"), ["we", "'LL"]);
    // Kelvin sign has a canonical singleton decomposition: NFC turns it into K first.
    assert_eq!(ref_normalized("\u{212A}"), "K");
    // \s+(?!\S) leaves the last space of a run to the next word.
    assert_eq!(split_pieces("a   b"), ["a", "  ", " b"]);
    assert_eq!(split_pieces("a \n\n b"), ["a", " \n\n", " b"]);
    // Reference NFC is Unicode 9.0: U+1DFA (Unicode 14, ccc 218) is not reordered before
    // U+0301 (ccc 230)... it has class 0 there, so nothing moves across it.
    assert_eq!(ref_normalized("a\u{301}\u{1DFA}"), "\u{E1}\u{1DFA}");
    assert_eq!(ref_normalized("a\u{1DFA}\u{301}"), "a\u{1DFA}\u{301}");
    // ...whereas a Unicode 9.0 mark of class 220 is reordered and the acute still composes.
    assert_eq!(ref_normalized("a\u{316}\u{301}"), "\u{E1}\u{316}");
    // Compositions newer than Unicode 9.0 are not made (Dives Akuru, Unicode 13).
    assert_eq!(ref_normalized("\u{11935}\u{11930}"), "\u{11935}\u{11930}");
    // Composition exclusions stay decomposed.
    assert_eq!(ref_normalized("\u{958}"), "\u{915}\u{93C}");
    // Special tokens are matched before splitting and normalisation.
    assert_eq!(ref_encode("<|im_start|>"), vec![151_644]);
    assert_eq!(ref_encode("<think>"), vec![151_667]);
}

/// The Qwen3.5 reference: the generated file, its 33 added tokens (the generators' list),
/// 247,556 merges derived from the ranks, the Qwen3.5 split pattern (marks join letter runs)
/// and the seven token-id probes of a Qwen3.6 model served by llama.cpp.
#[test]
fn qwen3_5_reference_is_the_generated_file() {
    use qwen_meter_tests::generators::QWEN3_5_SPECIAL_TOKENS;
    use qwen_meter_tests::{QWEN3_5_BPE_VOCAB_SIZE, QWEN3_5_ENDOFTEXT_ID, Target, set_target};
    set_target(Target::Qwen3_5);
    assert_eq!(
        sha256_hex(tokenizer_json()),
        qwen_meter_tests::QWEN3_5_TOKENIZER_JSON_SHA256
    );
    let json: serde_json::Value = serde_json::from_slice(tokenizer_json()).unwrap();
    assert_eq!(json["model"]["merges"].as_array().unwrap().len(), 247_556);
    assert_eq!(
        reference().get_vocab_size(false),
        QWEN3_5_BPE_VOCAB_SIZE as usize
    );
    let added = added_tokens();
    assert_eq!(added.len(), 33);
    for (i, (id, content)) in added.iter().enumerate() {
        assert_eq!(*id, QWEN3_5_ENDOFTEXT_ID + i as u32);
        assert_eq!(
            content, QWEN3_5_SPECIAL_TOKENS[i],
            "generator list is in id order"
        );
        assert_eq!(ref_encode(content), vec![*id], "{content} is one token");
    }
    // Marks join letter runs, also after punctuation; they are never in punctuation runs.
    assert_eq!(split_pieces("नमस्ते"), ["नमस्ते"]);
    assert_eq!(
        split_pieces("!\u{301}a!!\u{301}"),
        ["!\u{301}a", "!!", "\u{301}"]
    );
    let probes: serde_json::Value = serde_json::from_str(include_str!(
        "../../crates/qwen-meter-tokenizer/tests/data/qwen3_5-probes.json"
    ))
    .unwrap();
    for p in probes["probes"].as_array().unwrap() {
        let text = p["text"].as_str().unwrap();
        let want: Vec<u32> = p["ids"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap() as u32)
            .collect();
        let got = if p["special"].as_bool().unwrap() {
            ref_encode(text)
        } else {
            ref_encode_ordinary(text)
        };
        assert_eq!(got, want, "{text:?}");
    }
}
