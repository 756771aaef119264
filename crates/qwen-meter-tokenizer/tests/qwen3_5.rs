//! The Qwen3.5 tokenizer: the token ids llama.cpp printed for a Qwen3.6 model (pinned in
//! `data/qwen3_5-probes.json`), the embedded vocabulary against the ranks file's checksum,
//! and the ways to build the tokenizer (embedded, compact bytes, tiktoken file).

use base64::Engine;
use qwen_meter_tokenizer::{Generation, Keep, Tokenizer};
use sha2::{Digest, Sha256};

/// SHA-256 of `qwen3_5.tiktoken`, the ranks file the embedded vocabulary is generated from.
const RANKS_SHA256: &str = "8dde380a6405e935f5de16a99eb61c824f3f814dd1ed298784c72babb7a03cdd";

fn tiktoken_text(tok: &Tokenizer) -> String {
    let mut out = String::with_capacity(4_600_000);
    for id in 0..tok.vocab_size() as u32 {
        let bytes = tok
            .token_bytes(id)
            .expect("every id below vocab_size has bytes");
        out.push_str(&base64::engine::general_purpose::STANDARD.encode(bytes));
        out.push(' ');
        out.push_str(&id.to_string());
        out.push('\n');
    }
    out
}

/// The seven probes of a Qwen3.6 model served by llama.cpp (which tokenizes by merges).
#[test]
fn probes_match_llama_cpp() {
    let json: serde_json::Value =
        serde_json::from_str(include_str!("data/qwen3_5-probes.json")).unwrap();
    let probes = json["probes"].as_array().unwrap();
    assert_eq!(probes.len(), 7);
    let tok = Tokenizer::qwen3_5();
    for p in probes {
        let text = p["text"].as_str().unwrap();
        let want: Vec<u32> = p["ids"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap() as u32)
            .collect();
        let got = if p["special"].as_bool().unwrap() {
            tok.encode(text)
        } else {
            tok.encode_ordinary(text)
        };
        assert_eq!(got, want, "{text:?}");
        assert_eq!(tok.decode(&got).unwrap(), text);
    }
}

#[test]
fn embedded_vocabulary_matches_the_ranks_file_checksum() {
    let tok = Tokenizer::qwen3_5();
    assert_eq!(tok.vocab_size(), 248_044);
    let digest = format!("{:x}", Sha256::digest(tiktoken_text(tok).as_bytes()));
    assert_eq!(digest, RANKS_SHA256);
}

#[test]
fn generation_names_and_specials() {
    let tok = Tokenizer::qwen3_5();
    assert_eq!(tok.generation(), Some(Generation::Qwen3_5));
    assert_eq!(Generation::Qwen3_5.name(), "qwen3.5");
    assert_eq!("qwen3.6".parse::<Generation>(), Ok(Generation::Qwen3_5));
    let specials = tok.special_tokens();
    assert_eq!(specials.len(), 33);
    assert_eq!(specials[0], ("<|endoftext|>", 248_044));
    assert_eq!(specials[32], ("<|audio_pad|>", 248_076));
    assert_eq!(tok.special_token_id("<think>"), Some(248_068));
}

/// The 232 tokens that no merge produces decode, but nothing encodes to them: 毛泽东 is one
/// of them.
#[test]
fn unmerged_tokens_decode_but_are_never_emitted() {
    let tok = Tokenizer::qwen3_5();
    let text = "毛泽东";
    let whole = (0..tok.vocab_size() as u32)
        .find(|&id| tok.token_bytes(id) == Some(text.as_bytes()))
        .expect("the vocabulary has the token");
    let ids = tok.encode(text);
    assert!(ids.len() > 1 && !ids.contains(&whole), "{ids:?}");
    assert_eq!(tok.decode(&[whole]).unwrap(), text);
    assert_eq!(tok.decode(&ids).unwrap(), text);
}

/// Everything else on a text with marks in Indic, Thai and Latin words.
#[test]
fn every_operation_works() {
    let tok = Tokenizer::qwen3_5();
    let text = "नमस्ते दुनिया, สวัสดีครับ e\u{301}te\u{301} <|im_start|>user\nHi!";
    let ids = tok.encode(text);
    assert_eq!(tok.count(text), ids.len());
    assert_eq!(tok.count_within(text, ids.len()), Some(ids.len()));
    assert_eq!(tok.count_within(text, ids.len() - 1), None);
    assert_eq!(tok.decode(&ids).unwrap(), text.replace("e\u{301}", "é"));
    let spans = tok.encode_with_offsets(text);
    assert_eq!(spans.iter().map(|s| s.id).collect::<Vec<_>>(), ids);
    for n in 0..=ids.len() {
        assert!(tok.count(tok.truncate(text, n, Keep::Start)) <= n);
        assert!(tok.count(tok.truncate(text, n, Keep::End)) <= n);
    }
    let mut counter = tok.counter();
    for c in text.chars() {
        counter.push(&c.to_string());
    }
    assert_eq!(counter.finish(), ids.len());
    // Marks join the letters before them: Devanagari words are pieces of their own.
    assert!(tok.count("नमस्ते") < Tokenizer::qwen3().count("नमस्ते"));
}

#[test]
fn compact_and_tiktoken_loads_give_the_embedded_tokenizer() {
    let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/data/qwen3_5.vocab")).unwrap();
    let compact = Tokenizer::from_compact(Generation::Qwen3_5, &bytes).unwrap();
    let err = Tokenizer::from_compact(Generation::Qwen3, &bytes)
        .err()
        .unwrap();
    assert!(err.to_string().contains("248044"), "{err}");
    let tiktoken = Tokenizer::from_tiktoken(
        tiktoken_text(Tokenizer::qwen3_5()).as_bytes(),
        Generation::Qwen3_5,
    )
    .unwrap();
    for sample in [
        "Hello, world! transformers",
        "人工智能 毛泽东 你好，世界！",
        "สวัสดีครับ ผมชื่ออเล็กซ์",
        "नमस्ते e\u{301} 🎉 <think>x</think>",
    ] {
        let want = Tokenizer::qwen3_5().encode(sample);
        assert_eq!(compact.encode(sample), want, "{sample:?}");
        assert_eq!(tiktoken.encode(sample), want, "{sample:?}");
    }
    assert!(Tokenizer::install_compact(Generation::Qwen3_5, b"not read").is_ok());
}
