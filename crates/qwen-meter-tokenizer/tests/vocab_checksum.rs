//! The embedded vocabulary is the upstream one: rebuilding `qwen.tiktoken` from it gives
//! the file whose sha256 PROVENANCE records (dashscope 2.0.2, `qwen.tiktoken`).

use base64::Engine;
use qwen_meter_tokenizer::{Generation, Tokenizer};
use sha2::{Digest, Sha256};

const UPSTREAM_SHA256: &str = "b2b1b8dfb5cc5f024bafc373121c6aba3f66f9a5a0269e243470a1de16a33186";

fn tiktoken_text(tok: &Tokenizer) -> String {
    let mut out = String::with_capacity(2_600_000);
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

#[test]
fn embedded_vocabulary_matches_upstream_checksum() {
    let text = tiktoken_text(Tokenizer::qwen3());
    let digest = format!("{:x}", Sha256::digest(text.as_bytes()));
    assert_eq!(digest, UPSTREAM_SHA256);
    assert_eq!(Tokenizer::qwen3().vocab_size(), 151_643);
}

#[test]
fn every_generation_up_to_qwen3_shares_the_vocabulary() {
    for g in Generation::ALL
        .into_iter()
        .filter(|&g| g != Generation::Qwen3_5)
    {
        let tok = Tokenizer::for_generation(g);
        assert_eq!(tok.vocab_size(), 151_643, "{g:?}");
        assert_eq!(tok.token_bytes(9707), Some(&b"Hello"[..]));
    }
    let counts: Vec<usize> = Generation::ALL
        .iter()
        .map(|&g| Tokenizer::for_generation(g).special_tokens().len())
        .collect();
    assert_eq!(counts, [208, 3, 22, 26, 33]);
}

#[test]
fn loading_the_rebuilt_tiktoken_file_gives_the_same_tokenizer() {
    let text = tiktoken_text(Tokenizer::qwen3());
    let loaded = Tokenizer::from_tiktoken(text.as_bytes(), Generation::Qwen3)
        .expect("a valid tiktoken file");
    for sample in [
        "Hello, world!",
        "naïve café 中文 🦀 <think>x</think>",
        "    indented\n\tcode();",
        "ſtraße'S 1234567",
    ] {
        assert_eq!(
            loaded.encode(sample),
            Tokenizer::qwen3().encode(sample),
            "{sample:?}"
        );
    }
}

#[test]
fn malformed_tiktoken_files_name_the_line() {
    let err = Tokenizer::from_tiktoken(b"IQ== 0\nIg== 5\n", Generation::Qwen3)
        .err()
        .expect("out-of-order rank");
    assert!(err.to_string().contains("line 2"), "{err}");
    let err = Tokenizer::from_tiktoken(b"IQ== zero\n", Generation::Qwen3)
        .err()
        .expect("bad rank");
    assert!(err.to_string().contains("line 1"), "{err}");
    let err = Tokenizer::from_tiktoken(b"IQ== 0\n", Generation::Qwen3)
        .err()
        .expect("missing bytes");
    assert!(err.to_string().contains("byte 0x00"), "{err}");
}
