//! `qwen-meter count` against the library: files, directories, stdin, `--text`, a large
//! generated file, chunk sizes, generations, JSON and table output.

use std::fs;

use crate::common::{json, mixed_text, qm};
use predicates::prelude::*;
use qwen_meter::{Generation, Tokenizer};

fn lib_count(text: &str) -> u64 {
    Tokenizer::qwen3().count(text) as u64
}

#[test]
fn counts_a_file_like_the_library() {
    let dir = tempfile::tempdir().unwrap();
    let text = mixed_text(1, 20_000);
    let p = dir.path().join("a.txt");
    fs::write(&p, &text).unwrap();
    let v = json(qm().args(["count", "--json"]).arg(&p));
    let f = &v["files"][0];
    assert_eq!(f["tokens"], lib_count(&text));
    assert_eq!(f["chars"], text.chars().count() as u64);
    assert_eq!(f["bytes"], text.len() as u64);
    assert_eq!(v["total"]["tokens"], lib_count(&text));
    assert_eq!(v["tokenizer"]["generation"], "qwen3");
    assert_eq!(v["tokenizer"]["special_tokens"], true);

    // The table shows the same numbers.
    let expected = format!("{}", lib_count(&text));
    qm().arg("count")
        .arg(&p)
        .assert()
        .success()
        .stdout(predicate::str::contains(expected))
        .stdout(predicate::str::contains("tokens"));
}

#[test]
fn counts_stdin_and_text() {
    let text = mixed_text(2, 5_000);
    let v = json(qm().args(["count", "--json"]).write_stdin(text.clone()));
    assert_eq!(v["files"][0]["path"], "-");
    assert_eq!(v["files"][0]["tokens"], lib_count(&text));

    let v = json(
        qm().args(["count", "--json", "-"])
            .write_stdin(text.clone()),
    );
    assert_eq!(v["files"][0]["tokens"], lib_count(&text));

    let v = json(qm().args(["count", "--json", "--text", "Hello, world!"]));
    assert_eq!(v["files"][0]["tokens"], 4);
    assert_eq!(v["files"][0]["path"], "<text>");
}

#[test]
fn generation_and_ordinary_change_the_tokenizer() {
    let text = "<|im_start|>user\n<think>hi</think><|im_end|>";
    for (name, g) in [
        ("qwen3", Generation::Qwen3),
        ("qwen2.5", Generation::Qwen2_5),
        ("qwen2", Generation::Qwen2),
        ("qwen", Generation::Qwen),
    ] {
        let tok = Tokenizer::for_generation(g);
        let v = json(qm().args(["count", "--json", "-g", name, "--text", text]));
        assert_eq!(v["files"][0]["tokens"], tok.count(text) as u64, "{name}");
        assert_eq!(v["tokenizer"]["generation"], name);
        let v = json(qm().args(["--ordinary", "count", "--json", "-g", name, "--text", text]));
        assert_eq!(
            v["files"][0]["tokens"],
            tok.count_ordinary(text) as u64,
            "{name} ordinary"
        );
        assert_eq!(v["tokenizer"]["special_tokens"], false);
    }
}

#[test]
fn directories_with_globs_hidden_and_totals() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("docs/sub")).unwrap();
    fs::create_dir_all(root.join(".git")).unwrap();
    fs::create_dir_all(root.join("target")).unwrap();
    let files = [
        ("docs/a.md", mixed_text(3, 3000)),
        ("docs/sub/b.md", mixed_text(4, 2000)),
        ("docs/c.txt", mixed_text(5, 1000)),
        ("target/d.md", mixed_text(6, 1000)),
        (".git/e.md", mixed_text(7, 1000)),
        (".hidden.md", mixed_text(8, 1000)),
        ("README.md", mixed_text(9, 1500)),
    ];
    for (p, t) in &files {
        fs::write(root.join(p), t).unwrap();
    }
    let tokens = |name: &str| lib_count(&files.iter().find(|(p, _)| *p == name).unwrap().1);

    let v = json(
        qm().args([
            "count",
            "--json",
            "--include",
            "*.md",
            "--exclude",
            "target",
        ])
        .current_dir(root)
        .arg("."),
    );
    let paths: Vec<String> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap().replace('\\', "/"))
        .collect();
    assert_eq!(paths, ["./README.md", "./docs/a.md", "./docs/sub/b.md"]);
    let want = tokens("README.md") + tokens("docs/a.md") + tokens("docs/sub/b.md");
    assert_eq!(v["total"]["tokens"], want);
    assert_eq!(v["total"]["files"], 3);
    assert_eq!(v["total"]["errors"], 0);

    // --hidden enters hidden directories and counts hidden files.
    let v = json(
        qm().args(["count", "--json", "--hidden", "-i", "*.md"])
            .current_dir(root)
            .arg("."),
    );
    assert_eq!(v["total"]["files"], 6);

    // The table has one row per file and a total row.
    qm().args(["count", "-i", "*.md", "-x", "target/**"])
        .current_dir(root)
        .arg(".")
        .assert()
        .success()
        .stdout(predicate::str::contains("total (3 files)"))
        .stdout(predicate::str::contains(want.to_string()));

    // An explicitly named file is counted whatever the globs.
    let v = json(
        qm().args(["count", "--json", "-i", "*.md", "docs/c.txt"])
            .current_dir(root),
    );
    assert_eq!(v["files"][0]["tokens"], tokens("docs/c.txt"));
}

#[test]
fn a_large_generated_file_streams_and_matches_the_library() {
    let dir = tempfile::tempdir().unwrap();
    // About 20 MB with a 2 MB stretch that has no newline at all.
    let mut text = mixed_text(10, 9_000_000);
    text.push_str(&"word, 12 ".repeat(230_000));
    text.push_str(&mixed_text(11, 9_000_000));
    let p = dir.path().join("big.txt");
    fs::write(&p, &text).unwrap();
    let want = lib_count(&text);
    for extra in [vec!["-j", "2"], vec!["-j", "3", "--chunk-size", "1000"]] {
        let v = json(qm().args(["count", "--json"]).args(&extra).arg(&p));
        assert_eq!(v["files"][0]["tokens"], want, "{extra:?}");
        assert_eq!(v["files"][0]["bytes"], text.len() as u64);
        assert_eq!(v["files"][0]["chars"], text.chars().count() as u64);
    }
}

#[test]
fn a_long_stretch_without_safe_points_is_counted_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = mixed_text(13, 50_000);
    text.push_str(&"🦀 👋🏽  <think> ".repeat(20_000));
    text.push_str(&mixed_text(14, 50_000));
    let p = dir.path().join("emoji.txt");
    fs::write(&p, &text).unwrap();
    for extra in [
        vec!["--chunk-size", "4096"],
        vec!["--ordinary", "--chunk-size", "1000"],
    ] {
        let ordinary = extra.contains(&"--ordinary");
        let want = if ordinary {
            Tokenizer::qwen3().count_ordinary(&text)
        } else {
            Tokenizer::qwen3().count(&text)
        };
        let v = json(
            qm().args(["count", "--json", "-j", "2"])
                .args(&extra)
                .arg(&p),
        );
        assert_eq!(v["files"][0]["tokens"], want as u64, "{extra:?}");
        assert_eq!(v["files"][0]["chars"], text.chars().count() as u64);
    }
}

#[test]
fn many_files_across_threads_keep_their_own_counts() {
    let dir = tempfile::tempdir().unwrap();
    let mut want = Vec::new();
    for i in 0..40 {
        let t = mixed_text(100 + i, 500 + 300 * i as usize);
        let p = dir.path().join(format!("f{i:02}.txt"));
        fs::write(&p, &t).unwrap();
        want.push(lib_count(&t));
    }
    let v = json(
        qm().args(["count", "--json", "-j", "4", "--chunk-size", "2000"])
            .arg(dir.path()),
    );
    let got: Vec<u64> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["tokens"].as_u64().unwrap())
        .collect();
    assert_eq!(got, want);
    assert_eq!(v["total"]["tokens"], want.iter().sum::<u64>());
}

#[test]
fn quiet_and_non_terminal_runs_print_no_progress() {
    let text = mixed_text(12, 50_000);
    for args in [vec!["count"], vec!["count", "--quiet"]] {
        qm().args(&args)
            .write_stdin(text.clone())
            .assert()
            .success()
            .stderr(predicate::str::is_empty());
    }
}
