//! `--tokenizer FILE`: the official Qwen3 tokenizer.json (the repository's test fixture) and
//! the Qwen3 vocabulary written as a tiktoken file give the built-in tokenizer's ids and
//! counts on every command that tokenizes; a tiktoken file needs `--generation`; bad files
//! and commands that do not tokenize get clear errors.

use std::io::Read;

use crate::common::{json, qm};

fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for c in bytes.chunks(3) {
        let n = (c[0] as u32) << 16
            | (*c.get(1).unwrap_or(&0) as u32) << 8
            | *c.get(2).unwrap_or(&0) as u32;
        for i in 0..4 {
            if i <= c.len() {
                out.push(ABC[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[test]
fn tokenizer_files_count_like_the_builtin_tokenizer() {
    let dir = tempfile::tempdir().unwrap();
    let tok = qwen_meter::Tokenizer::qwen3();
    // The ordinary vocabulary as a tiktoken file (ranks below the first special token).
    let first_special = tok
        .special_tokens()
        .iter()
        .map(|(_, id)| *id)
        .min()
        .unwrap();
    let mut tiktoken = String::new();
    for id in 0..first_special {
        tiktoken.push_str(&format!("{} {id}\n", base64(tok.token_bytes(id).unwrap())));
    }
    let tt = dir.path().join("qwen.tiktoken");
    std::fs::write(&tt, tiktoken).unwrap();
    let gz = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/qwen3-tokenizer.json.gz");
    let mut tj_text = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(gz).unwrap())
        .read_to_end(&mut tj_text)
        .unwrap();
    let tj = dir.path().join("tokenizer.json");
    std::fs::write(&tj, tj_text).unwrap();
    let text = "Hello, world! <|im_start|>user\n通义千问 naïve 🦀 1234";
    let want: Vec<u32> = tok.encode(text);
    for extra in [
        &["--tokenizer", tj.to_str().unwrap()][..],
        &["--tokenizer", tt.to_str().unwrap(), "--generation", "qwen3"],
    ] {
        let v = json(qm().args(["encode", "--json"]).args(extra).arg(text));
        let ids: Vec<u32> = v["ids"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i.as_u64().unwrap() as u32)
            .collect();
        assert_eq!(ids, want, "{extra:?}");
        assert_eq!(v["tokenizer"]["generation"], "qwen3", "{extra:?}");
        assert!(v["tokenizer"]["file"].is_string());
        let v = json(qm().args(["count", "--json", "--text", text]).args(extra));
        assert_eq!(v["total"]["tokens"], want.len(), "{extra:?}");
    }
    // A tiktoken file has no special tokens of its own.
    qm().args(["encode", "--tokenizer"])
        .arg(&tt)
        .arg("hi")
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--generation"));
    // A file that is neither.
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, r#"{"model": {"type": "WordPiece"}}"#).unwrap();
    qm().args(["count", "--text", "hi", "--tokenizer"])
        .arg(&bad)
        .assert()
        .code(3)
        .stderr(predicates::str::contains("cannot load the tokenizer"));
    // Commands that do not tokenize refuse it rather than ignore it.
    qm().args(["cost", "-m", "qwen3-max", "-i", "5", "--tokenizer"])
        .arg(&tj)
        .assert()
        .code(2);
}
