//! Every example in `qwen-meter --help`, in each subcommand's `--help` and in the crate README
//! runs, in a scratch directory that holds the files they name, and exits 0; examples that
//! show their output in a comment (`# 9707 11 1879 0`) print it. The README's sample output
//! is the command's real output.

use std::path::Path;
use std::process::{Command, Stdio};

use clap::CommandFactory;
use qwen_meter_cli::cli::Cli;

/// The files the examples name.
fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    let write = |name: &str, body: &[u8]| {
        let p = d.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, body).unwrap();
    };
    let prose = "The quick brown fox jumps over the lazy dog.\n".repeat(50);
    write("README.md", prose.as_bytes());
    write("crates/lib.rs", b"fn main() { println!(\"hi\"); }\n");
    write("crates/notes.md", b"# Notes\n\nSome text.\n");
    write("tests/it.rs", b"#[test]\nfn t() {}\n");
    write("target/debug/out.rs", b"not counted\n");
    write("long.txt", prose.as_bytes());
    write("book.txt", prose.as_bytes());
    write("chat.log", prose.as_bytes());
    write("prompt.txt", b"Hello, world!");
    write("ids.txt", b"9707 11 1879 0");
    write("big.log", b"log line \xff\xfe ok\n");
    // A PNG header of 640x480 (the media examples read only the size).
    write(
        "shot.png",
        &[
            0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, b'I', b'H', b'D', b'R', 0,
            0, 0x02, 0x80, 0, 0, 0x01, 0xE0,
        ],
    );
    let messages = r#"[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}]"#;
    write("conversation.json", messages.as_bytes());
    write(
        "request.json",
        format!(r#"{{"model":"qwen3-max","messages":{messages}}}"#).as_bytes(),
    );
    write(
        "requests.jsonl",
        b"{\"input_tokens\": 3000, \"output_tokens\": 500}\n\n{\"text\": \"Hello\", \"output_tokens\": 20}\n",
    );
    // Where the completion examples install their scripts (HOME is the scratch directory).
    for sub in [
        ".local/share/bash-completion/completions",
        ".zfunc",
        ".config/fish/completions",
    ] {
        std::fs::create_dir_all(d.join(sub)).unwrap();
    }
    dir
}

/// Splits `cmd  # comment` into the command and the output the comment shows, if it shows one.
fn split_comment(line: &str) -> (&str, Option<&str>) {
    match line.find("  #") {
        Some(i) => {
            let shown = line[i + 3..].trim();
            let is_output = shown.starts_with(|c: char| c.is_ascii_digit() || c == '[')
                || shown.starts_with("Hello");
            (
                line[..i].trim_end(),
                is_output.then(|| shown.trim_end_matches("...")),
            )
        }
        None => (line, None),
    }
}

fn run_example(dir: &Path, line: &str, origin: &str) {
    let (cmd, shown) = split_comment(line);
    let bin = assert_cmd::cargo::cargo_bin("qwen-meter");
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Command::new("sh")
        .args(["-c", cmd])
        .current_dir(dir)
        .env("PATH", path)
        .env("HOME", dir)
        .stdin(Stdio::null())
        .output()
        .expect("sh runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    // `cmd  # exits N: why` documents a failing example: it must exit N.
    let exits: Option<i32> = line
        .find("  # exits ")
        .and_then(|i| line[i + 10..].split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|n| n.parse().ok());
    if let Some(code) = exits {
        assert_eq!(
            out.status.code(),
            Some(code),
            "{origin}: `{cmd}` should exit {code}\nstderr: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        return;
    }
    assert!(
        out.status.success(),
        "{origin}: `{cmd}` failed ({:?})\nstdout: {stdout}\nstderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    if let Some(shown) = shown {
        assert!(
            stdout.contains(shown),
            "{origin}: `{cmd}` printed {stdout:?}, not {shown:?} as its comment says"
        );
    }
}

fn is_example(line: &str) -> bool {
    line.contains("qwen-meter ") && !line.starts_with("cargo ")
}

#[test]
fn every_help_example_runs() {
    let dir = scratch();
    let mut root = Cli::command();
    root.build();
    let mut seen = 0;
    let mut commands = vec![("qwen-meter --help".to_string(), root.clone())];
    for sub in root.get_subcommands() {
        commands.push((format!("qwen-meter {} --help", sub.get_name()), sub.clone()));
    }
    for (origin, cmd) in commands {
        let help = cmd
            .get_after_help()
            .map(|h| h.to_string())
            .unwrap_or_default();
        for line in help.lines().map(str::trim).filter(|l| is_example(l)) {
            run_example(dir.path(), line, &origin);
            seen += 1;
        }
    }
    assert!(seen >= 25, "found only {seen} examples in the help texts");
}

fn readme() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README")
}

#[test]
fn every_readme_example_runs() {
    let dir = scratch();
    let text = readme();
    let mut seen = 0;
    let mut in_sh = false;
    for line in text.lines() {
        if line.starts_with("```") {
            in_sh = line == "```sh";
            continue;
        }
        if in_sh && is_example(line.trim()) {
            run_example(dir.path(), line.trim(), "README");
            seen += 1;
        }
    }
    assert!(seen >= 20, "found only {seen} examples in the README");
}

/// The sample output at the top of the README is what its command prints.
#[test]
fn the_readme_sample_output_is_real() {
    let text = readme();
    let start = text.find("```text\n").expect("a sample output block") + 8;
    let sample = &text[start..start + text[start..].find("```").unwrap()];
    let before = &text[..start];
    let cmd = before
        .lines()
        .rev()
        .find(|l| l.starts_with("qwen-meter "))
        .expect("the sample's command");
    let dir = scratch();
    let bin = assert_cmd::cargo::cargo_bin("qwen-meter");
    let args = shlex(cmd.trim_start_matches("qwen-meter "));
    let out = Command::new(bin)
        .args(&args)
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), sample, "`{cmd}`");
}

/// Splits on spaces, keeping single-quoted words together (enough for the sample command).
fn shlex(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for c in s.chars() {
        match c {
            '\'' => quoted = !quoted,
            ' ' if !quoted => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            c => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}
