//! `encode`, `decode`, `tokens` and `truncate` against the library.

use std::fs;

use crate::common::{json, mixed_text, qm};
use predicates::prelude::*;
use qwen_meter::{Keep, Tokenizer};

#[test]
fn encode_prints_the_library_ids_in_every_format() {
    let tok = Tokenizer::qwen3();
    qm().args(["encode", "Hello, world!"])
        .assert()
        .success()
        .stdout("9707 11 1879 0\n");
    qm().args(["encode", "--format", "json", "Hello, world!"])
        .assert()
        .stdout("[9707,11,1879,0]\n");
    qm().args(["encode", "--format", "lines", "Hello, world!"])
        .assert()
        .stdout("9707\n11\n1879\n0\n");

    let text = mixed_text(30, 5000);
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("t.txt");
    fs::write(&p, &text).unwrap();
    let v = json(qm().args(["encode", "--json", "--file"]).arg(&p));
    let ids: Vec<u32> = serde_json::from_value(v["ids"].clone()).unwrap();
    assert_eq!(ids, tok.encode(&text));
    assert_eq!(v["count"], ids.len());

    let v = json(
        qm().args(["encode", "--json", "--ordinary"])
            .write_stdin(text.clone()),
    );
    let ids: Vec<u32> = serde_json::from_value(v["ids"].clone()).unwrap();
    assert_eq!(ids, tok.encode_ordinary(&text));
}

#[test]
fn decode_accepts_every_id_format_and_round_trips() {
    for input in [
        "9707 11 1879 0",
        "9707,11,1879,0",
        "[9707, 11, 1879, 0]",
        "{\"ids\": [9707, 11, 1879, 0]}",
        "9707\n11\n1879\n0\n",
    ] {
        qm().arg("decode")
            .write_stdin(input)
            .assert()
            .success()
            .stdout("Hello, world!");
    }
    qm().args(["decode", "9707", "11", "1879", "0"])
        .assert()
        .stdout("Hello, world!");

    // The round trip gives the NFC form of the text, as the library does.
    let tok = Tokenizer::qwen3();
    let text = mixed_text(31, 4000);
    let want = tok.decode(&tok.encode(&text)).unwrap();
    let enc = qm()
        .args(["encode", "--json"])
        .write_stdin(text.clone())
        .output()
        .unwrap();
    qm().arg("decode")
        .write_stdin(enc.stdout)
        .assert()
        .success()
        .stdout(want);
    let v = json(qm().args(["decode", "--json", "9707"]));
    assert_eq!(v["text"], "Hello");
    assert_eq!(v["count"], 1);
}

#[test]
fn tokens_lists_every_token_with_offsets_and_bytes() {
    let tok = Tokenizer::qwen3();
    let text = "naïve café 🦀 <think>ok</think>\n通义千问";
    let v = json(qm().args(["tokens", "--json", text]));
    let spans = tok.encode_with_offsets(text);
    let tokens = v["tokens"].as_array().unwrap();
    assert_eq!(tokens.len(), spans.len());
    assert_eq!(v["count"], spans.len());
    for (t, s) in tokens.iter().zip(&spans) {
        assert_eq!(t["id"], s.id);
        assert_eq!(t["start"], s.start);
        assert_eq!(t["end"], s.end);
        let bytes = tok.token_bytes(s.id).unwrap();
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(t["bytes"], hex);
        assert_eq!(t["text"].as_str(), std::str::from_utf8(bytes).ok());
        assert_eq!(t["special"], s.id >= 151_643);
    }
    qm().args(["tokens", text])
        .assert()
        .success()
        .stdout(predicate::str::contains("\"<think>\" (special)"))
        .stdout(predicate::str::contains("\\xf0\\x9f"))
        .stdout(predicate::str::contains(format!("{} tokens", spans.len())));
}

#[test]
fn truncate_keeps_what_the_library_keeps() {
    let tok = Tokenizer::qwen3();
    let text = mixed_text(32, 6000);
    for (n, keep, flag) in [
        (1usize, Keep::Start, "start"),
        (100, Keep::Start, "start"),
        (100, Keep::End, "end"),
        (777, Keep::End, "end"),
        (1_000_000, Keep::Start, "start"),
    ] {
        let want = tok.truncate(&text, n, keep);
        qm().args(["truncate", "--max-tokens", &n.to_string(), "--keep", flag])
            .write_stdin(text.clone())
            .assert()
            .success()
            .stdout(want.to_string());
        let v = json(
            qm().args(["truncate", "--json", "-n", &n.to_string(), "-k", flag])
                .write_stdin(text.clone()),
        );
        assert_eq!(v["text"], want);
        assert_eq!(v["tokens_before"], tok.count(&text));
        assert_eq!(v["tokens_after"], tok.count(want));
        assert_eq!(v["truncated"], want.len() != text.len());
        assert_eq!(v["bytes_after"], want.len());
    }
    let want = tok.truncate_ordinary(&text, 50, Keep::Start);
    qm().args(["truncate", "--ordinary", "-n", "50"])
        .write_stdin(text.clone())
        .assert()
        .stdout(want.to_string());
}

/// Texts over 1 MiB are tokenized on every core (the engine's `encode_parallel` /
/// `count_parallel`, which cut them where the tokens cannot change): the ids and counts are
/// still those of the library's single-threaded calls.
#[test]
fn large_texts_encode_and_count_like_the_library() {
    let tok = Tokenizer::qwen3();
    let text = mixed_text(33, 1_500_000);
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("large.txt");
    fs::write(&p, &text).unwrap();
    let v = json(qm().args(["encode", "--json", "--file"]).arg(&p));
    let ids: Vec<u32> = serde_json::from_value(v["ids"].clone()).unwrap();
    assert!(ids == tok.encode(&text), "encode of a 1.5 MB file");
    let v = json(
        qm().args(["encode", "--json", "--ordinary", "--file"])
            .arg(&p),
    );
    let ids: Vec<u32> = serde_json::from_value(v["ids"].clone()).unwrap();
    assert!(ids == tok.encode_ordinary(&text), "encode --ordinary");
    let v = json(
        qm().args(["truncate", "--json", "-n", "1000", "--file"])
            .arg(&p),
    );
    assert_eq!(v["tokens_before"], tok.count(&text));
    assert_eq!(
        v["tokens_after"],
        tok.count(tok.truncate(&text, 1000, Keep::Start))
    );
}

#[test]
fn help_has_examples_for_every_subcommand() {
    for sub in [
        "count", "encode", "decode", "tokens", "truncate", "chat", "cost", "models", "plan",
    ] {
        qm().args([sub, "--help"])
            .assert()
            .success()
            .stdout(predicate::str::contains("Examples:"))
            .stdout(predicate::str::contains(format!("qwen-meter {sub}")));
    }
    qm().arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("Exit codes"));
    qm().arg("--version").assert().success();
}
