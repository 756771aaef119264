//! Regression tests for issue 17's bugs: bounded memory and exact counts on long runs with no
//! split point (file and standard input), `plan` totals that do not fit 64 bits, hints that
//! only name flags the command has, the `cost` error for batch with cache; and generated
//! `plan` and `cost` inputs (edge values included) that must never crash the command.

use std::fs::File;
use std::process::{Command, Stdio};

use crate::common::{Rng, qm};

/// Peak resident memory (KiB) of the binary run with `args`, fed `stdin` (a file) or not,
/// and its stdout: the child's `VmHWM` (its high-water mark) from `/proc`, read every few
/// milliseconds while it runs (the last reading before it exits is its peak, give or take
/// the last few milliseconds).
fn peak_kib(args: &[&str], stdin: Option<&std::path::Path>) -> (u64, String) {
    let bin = assert_cmd::cargo::cargo_bin("qwen-meter");
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("out.json");
    let mut cmd = Command::new(bin);
    cmd.args(args)
        .stdout(Stdio::from(File::create(&out_path).unwrap()))
        .stderr(Stdio::null());
    cmd.stdin(match stdin {
        Some(p) => Stdio::from(File::open(p).unwrap()),
        None => Stdio::null(),
    });
    let mut child = cmd.spawn().expect("spawns");
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if let Ok(s) = std::fs::read_to_string(&status_file) {
            let hwm = s
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok());
            peak = peak.max(hwm.unwrap_or(0));
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    };
    assert!(status.success(), "{args:?} failed");
    assert!(peak > 0, "the child's memory was read");
    (peak, std::fs::read_to_string(out_path).unwrap())
}

/// One line of emoji (one piece for the pattern, no safe point for the chunker): memory does
/// not grow with its length, through a file or standard input, and the count is exact.
/// (Before the fix the whole line was held, and counting it took quadratic time.)
#[cfg(target_os = "linux")]
#[test]
fn long_runs_without_split_points_stay_in_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let small = dir.path().join("small.txt");
    let large = dir.path().join("large.txt");
    std::fs::write(&small, "😀".repeat(250_000)).unwrap();
    std::fs::write(&large, "😀".repeat(1_500_000)).unwrap();
    // Small chunks, so the streaming counter takes over after 128 KiB.
    let flags = ["count", "--json", "-q", "-j", "1", "--chunk-size", "65536"];
    let run = |path: &std::path::Path, stdin: bool| {
        let p = path.to_str().unwrap();
        let (kib, out) = if stdin {
            peak_kib(&flags, Some(path))
        } else {
            peak_kib(&[&flags[..], &[p]].concat(), None)
        };
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        (kib, v["total"]["tokens"].as_u64().unwrap())
    };
    let tok = qwen_meter::Tokenizer::qwen3();
    for stdin in [false, true] {
        let (small_kib, small_tokens) = run(&small, stdin);
        let (large_kib, large_tokens) = run(&large, stdin);
        assert_eq!(small_tokens, tok.count(&"😀".repeat(250_000)) as u64);
        assert_eq!(large_tokens, tok.count(&"😀".repeat(1_500_000)) as u64);
        // 5 MB more input: the peak may move by noise, not by the input's size.
        assert!(
            large_kib < small_kib + 2048,
            "stdin {stdin}: peak {small_kib} KiB for 1 MB, {large_kib} KiB for 6 MB"
        );
    }
}

#[test]
fn plan_totals_that_overflow_are_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("r.jsonl");
    let big = "{\"input_tokens\": 10000000000000000000}\n";
    std::fs::write(&f, big.repeat(2)).unwrap();
    let out = qm()
        .args(["plan", "--rpm", "10", "--tpm", "18446744073709551615"])
        .arg(&f)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("add up to more than"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    // Input and output that fit apart but not together.
    std::fs::write(
        &f,
        "{\"input_tokens\": 10000000000000000000, \"output_tokens\": 0}\n{\"input_tokens\": 0, \"output_tokens\": 10000000000000000000}\n",
    )
    .unwrap();
    let out = qm()
        .args(["plan", "--rpm", "10", "--tpm", "18446744073709551615"])
        .arg(&f)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4), "{out:?}");
}

/// `chat` and `plan` have no `--lossy`: their UTF-8 errors must not suggest it; `count` and
/// `encode` have it and do.
#[test]
fn hints_only_name_flags_the_command_has() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("random.bin");
    std::fs::write(&bad, b"\xff\xfe\x00binary").unwrap();
    for cmd in ["chat", "plan"] {
        let mut c = qm();
        c.arg(cmd).arg(&bad);
        if cmd == "plan" {
            c.args(["--rpm", "10", "--tpm", "1000"]);
        }
        let out = c.output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{cmd}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("invalid UTF-8 at byte offset 0"),
            "{cmd}: {err}"
        );
        assert!(!err.contains("--lossy"), "{cmd}: {err}");
    }
    for args in [&["count"][..], &["encode", "--file"]] {
        let out = qm().args(args).arg(&bad).output().unwrap();
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("--lossy"),
            "{args:?}"
        );
    }
}

#[test]
fn batch_with_cache_names_the_flags() {
    let out = qm()
        .args(["cost", "--model", "qwen-plus", "--input-tokens", "10000"])
        .args(["--cached-tokens", "8000", "--batch"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--batch") && err.contains("--cached-tokens"),
        "{err}"
    );
    assert!(!err.contains("set batch to false"), "{err}");
}

/// A value for a token-count flag: edge values half of the time.
fn value(rng: &mut Rng) -> u64 {
    const EDGES: [u64; 8] = [
        0,
        1,
        32_000,
        1_000_000,
        u32::MAX as u64,
        10_000_000_000_000_000_000,
        u64::MAX - 1,
        u64::MAX,
    ];
    if rng.below(2) == 0 {
        EDGES[rng.below(EDGES.len())]
    } else {
        rng.next_u64() >> rng.below(64)
    }
}

/// Generated `cost` and `plan` inputs: the command ends with a documented exit code and a
/// message, never a crash, and JSON output (when it succeeds) parses.
#[test]
fn generated_cost_and_plan_inputs_never_crash() {
    let mut rng = Rng(0x17_17_17);
    let models = [
        "qwen3-max",
        "qwen-plus",
        "qwen-flash",
        "qwen3-coder-plus",
        "qwen-turbo",
    ];
    for _ in 0..60 {
        let mut c = qm();
        c.args(["cost", "--model", models[rng.below(models.len())]]);
        if rng.below(2) == 0 {
            c.arg("--json");
        }
        c.args(["--input-tokens", &value(&mut rng).to_string()]);
        c.args(["--output-tokens", &value(&mut rng).to_string()]);
        if rng.below(3) == 0 {
            c.args(["--cached-tokens", &value(&mut rng).to_string()]);
        }
        if rng.below(4) == 0 {
            c.args(["--cache", "explicit", "--cache-creation-tokens"]);
            c.arg(value(&mut rng).to_string());
        }
        for flag in ["--thinking", "--batch"] {
            if rng.below(3) == 0 {
                c.arg(flag);
            }
        }
        check(c.output().unwrap(), "cost");
    }
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("r.jsonl");
    for _ in 0..60 {
        let mut lines = String::new();
        for _ in 0..1 + rng.below(4) {
            lines.push_str(&match rng.below(5) {
                0 => format!("{{\"input_tokens\": {}}}\n", value(&mut rng)),
                1 => format!(
                    "{{\"text\": \"hi\", \"output_tokens\": {}}}\n",
                    value(&mut rng)
                ),
                2 => "{\"input_tokens\": -1}\n".to_string(),
                _ => format!(
                    "{{\"input_tokens\": {}, \"output_tokens\": {}}}\n",
                    value(&mut rng),
                    value(&mut rng)
                ),
            });
        }
        std::fs::write(&f, lines).unwrap();
        let mut c = qm();
        c.arg("plan").arg("--json").arg(&f);
        match rng.below(3) {
            0 => c.args(["--model", models[rng.below(models.len())]]),
            _ => c.args([
                "--rpm",
                &value(&mut rng).to_string(),
                "--tpm",
                &value(&mut rng).to_string(),
            ]),
        };
        check(c.output().unwrap(), "plan");
    }
}

fn check(out: std::process::Output, what: &str) {
    let err = String::from_utf8_lossy(&out.stderr);
    let code = out.status.code().expect("exited, not killed");
    assert!(
        [0, 2, 3, 4, 5].contains(&code),
        "{what}: exit {code}: {err}"
    );
    assert!(!err.contains("panicked"), "{what}: {err}");
    if code == 0 && out.stdout.starts_with(b"{") {
        serde_json::from_slice::<serde_json::Value>(&out.stdout).expect("JSON output");
    } else if code != 0 {
        assert!(
            err.contains("error"),
            "{what}: exit {code} without a message"
        );
    }
}

/// Errors in chat and plan inputs say which field, what was found and what shapes are
/// accepted, in JSON words; serde's Rust wording (`untagged enum Content`, `expected u64`,
/// `struct Message`, `sequence`) never shows.
#[test]
fn json_input_errors_use_no_serde_wording() {
    let serde_words = ["untagged", "enum", "struct", "u64", "sequence", "map,", "`"];
    let cases: [(&str, &str, &str); 4] = [
        (
            "chat",
            r#"[{"role":"user","content":5}]"#,
            "messages[0].content",
        ),
        (
            "chat",
            r#"[{"role":"user","content":"x"}, 3]"#,
            "messages[1]",
        ),
        ("chat", r#"{"messages": {}}"#, "messages"),
        (
            "chat",
            r#"{"messages": [{"role":"user","content":[{"type":"text","text":7}]}]}"#,
            "text",
        ),
    ];
    let plan_cases = [
        (r#"{"input_tokens": "5"}"#, "input_tokens"),
        (r#"{"input_tokens": 5, "foo": 1}"#, "\"foo\""),
        (r#"{"input_tokens": -1}"#, "input_tokens"),
        (r#"[1, 2]"#, "expected a JSON object"),
        (r#"{"input_tokens": 5"#, "not valid JSON"),
    ];
    let all = cases
        .iter()
        .map(|(c, body, field)| (*c, body.to_string(), *field))
        .chain(plan_cases.iter().map(|(b, f)| ("plan", b.to_string(), *f)));
    for (cmd, body, field) in all {
        let mut c = qm();
        c.args([cmd, "-"]);
        if cmd == "plan" {
            c.args(["--rpm", "10", "--tpm", "1000"]);
        }
        let out = c.write_stdin(body.clone()).output().unwrap();
        assert_eq!(out.status.code(), Some(4), "{body}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(field), "{body}: {err}");
        for w in serde_words {
            assert!(!err.contains(w), "{body}: {w:?} in {err}");
        }
    }
}

/// `models` fits a 100-column terminal and lists the aliases of the models it shows.
#[test]
fn models_fits_100_columns_and_lists_aliases() {
    let out = qm().arg("models").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for line in text.lines() {
        assert!(
            line.chars().count() <= 100,
            "{} columns: {line}",
            line.chars().count()
        );
    }
    let catalog = qwen_meter::Catalog::builtin();
    for m in catalog.models() {
        for a in &m.aliases {
            assert!(
                text.contains(&format!("{a} = {}", m.id)),
                "alias {a} of {}",
                m.id
            );
        }
    }
}

/// A model whose tokenizer is not the default one says so on stderr; `--generation` or
/// `--quiet` silence the note.
#[test]
fn a_model_that_changes_the_tokenizer_says_so() {
    let out = qm()
        .args(["count", "--text", "hi", "--model", "qwen-max"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("qwen2.5 tokenizer, not the default qwen3"),
        "{err}"
    );
    for extra in ["--quiet", "--generation=qwen2.5"] {
        let out = qm()
            .args(["count", "--text", "hi", "--model", "qwen-max", extra])
            .output()
            .unwrap();
        assert!(
            !String::from_utf8_lossy(&out.stderr).contains("note"),
            "{extra}"
        );
    }
    // The default tokenizer gets no note.
    let out = qm()
        .args(["count", "--text", "hi", "--model", "qwen3-max"])
        .output()
        .unwrap();
    assert!(out.stderr.is_empty());
}

/// `chat` without `--model` takes the request's `"model"` (tokenizer, template and price);
/// an unknown one gets a note and is not priced.
#[test]
fn chat_uses_the_request_model() {
    let body = r#"{"model": "qwen-max", "messages": [{"role": "user", "content": "Hi"}]}"#;
    let out = qm()
        .args(["chat", "--json", "-"])
        .write_stdin(body)
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["tokenizer"]["generation"], "qwen2.5");
    assert_eq!(v["model"]["id"], "qwen-max");
    assert!(v["cost"]["total"].is_string(), "{v}");
    let unknown = body.replace("qwen-max", "my-finetune");
    let out = qm()
        .args(["chat", "--json", "-"])
        .write_stdin(unknown)
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v.get("cost").is_none());
    assert!(String::from_utf8_lossy(&out.stderr).contains("\"my-finetune\" is not in the catalog"));
}
