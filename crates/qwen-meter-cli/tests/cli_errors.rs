//! Every error path of the command: a clear message on stderr, the documented exit code, and
//! the other inputs still reported.

use std::fs;

use crate::common::{json, mixed_text, qm};
use predicates::prelude::*;
use qwen_meter::Tokenizer;

#[test]
fn a_missing_file_is_reported_and_the_others_still_counted() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.txt");
    fs::write(&good, "Hello, world!").unwrap();
    let missing = dir.path().join("missing.txt");
    qm().arg("count")
        .arg(&missing)
        .arg(&good)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "missing.txt: no such file or directory",
        ))
        .stdout(predicate::str::contains("good.txt"))
        .stdout(predicate::str::contains("4"));

    let v = json(qm().args(["count", "--json"]).arg(&missing).arg(&good));
    assert_eq!(v["files"][0]["error"]["kind"], "not_found");
    assert!(v["files"][0].get("tokens").is_none());
    assert_eq!(v["files"][1]["tokens"], 4);
    assert_eq!(v["total"]["errors"], 1);
    assert_eq!(v["total"]["tokens"], 4);
}

#[test]
fn invalid_utf8_names_the_file_and_offset_or_is_replaced_with_lossy() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.txt");
    let mut bytes = mixed_text(20, 3000).into_bytes();
    let at = (0..1500)
        .rev()
        .find(|&i| std::str::from_utf8(&bytes[..i]).is_ok())
        .unwrap();
    bytes.insert(at, 0xff);
    fs::write(&bad, &bytes).unwrap();
    let good = dir.path().join("good.txt");
    fs::write(&good, "fine").unwrap();

    qm().arg("count")
        .arg(&bad)
        .arg(&good)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!(
            "bad.txt: invalid UTF-8 at byte offset {at}"
        )))
        .stderr(predicate::str::contains("--lossy"))
        .stdout(predicate::str::contains("good.txt"));

    // The offset is exact even when the bad byte is far into a chunked file.
    let v = json(
        qm().args(["count", "--json", "--chunk-size", "100"])
            .arg(&bad),
    );
    assert_eq!(v["files"][0]["error"]["kind"], "invalid_utf8");
    assert_eq!(v["files"][0]["error"]["offset"], at as u64);

    let lossy = String::from_utf8_lossy(&bytes).into_owned();
    let v = json(qm().args(["count", "--json", "--lossy"]).arg(&bad));
    assert_eq!(
        v["files"][0]["tokens"],
        Tokenizer::qwen3().count(&lossy) as u64
    );
    assert_eq!(v["files"][0]["bytes"], bytes.len() as u64);

    // The whole-text subcommands report it too.
    qm().args(["encode", "--file"])
        .arg(&bad)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!(
            "invalid UTF-8 at byte offset {at}"
        )));
    qm().args(["encode", "--lossy", "--file"])
        .arg(&bad)
        .assert()
        .success();
    qm().arg("count")
        .write_stdin(vec![b'a', 0xc3])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "-: invalid UTF-8 at byte offset 1",
        ));
}

#[cfg(unix)]
#[test]
fn broken_links_and_file_system_loops_are_reported() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(root.join("ok.txt"), "Hello").unwrap();
    symlink(root.join("nowhere"), root.join("dangling.txt")).unwrap();
    fs::create_dir(root.join("loop")).unwrap();
    symlink(root, root.join("loop/back")).unwrap();
    let v = json(qm().args(["count", "--json"]).arg(root));
    let files = v["files"].as_array().unwrap();
    let errs: Vec<&str> = files
        .iter()
        .filter(|f| f.get("error").is_some())
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert!(errs.iter().any(|p| p.ends_with("dangling.txt")), "{v}");
    assert!(errs.iter().any(|p| p.contains("back")), "{v}");
    assert!(files.iter().any(|f| f["tokens"] == 1));
    qm().arg("count").arg(root).assert().code(1);
}

/// The binary run by a user without root's right to read anything: the test user itself,
/// or `nobody` through `setpriv` when the tests run as root. `None` when neither is possible.
#[cfg(unix)]
fn unprivileged() -> Option<assert_cmd::Command> {
    let uid = std::process::Command::new("id").arg("-u").output().ok()?;
    if String::from_utf8_lossy(&uid.stdout).trim() != "0" {
        return Some(qm());
    }
    let bin = assert_cmd::cargo::cargo_bin("qwen-meter");
    let probe = std::process::Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(&bin)
        .arg("--version")
        .output()
        .ok()?;
    if !probe.status.success() {
        return None;
    }
    let mut c = assert_cmd::Command::new("setpriv");
    c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(bin);
    Some(c)
}

#[cfg(unix)]
#[test]
fn unreadable_directories_and_files_are_reported_and_the_others_counted() {
    use std::os::unix::fs::PermissionsExt;
    let Some(mut cmd) = unprivileged() else {
        eprintln!("skipped: running as root without setpriv");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::set_permissions(root, fs::Permissions::from_mode(0o755)).unwrap();
    fs::write(root.join("ok.txt"), "Hello").unwrap();
    let locked = root.join("locked");
    fs::create_dir(&locked).unwrap();
    fs::write(locked.join("secret.txt"), "x").unwrap();
    let secret = root.join("secret.txt");
    fs::write(&secret, "x").unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    fs::set_permissions(&secret, fs::Permissions::from_mode(0o000)).unwrap();
    let out = cmd.args(["count", "--json"]).arg(root).output().unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
    fs::set_permissions(&secret, fs::Permissions::from_mode(0o644)).unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("locked: permission denied (directory cannot be read)"),
        "{stderr}"
    );
    assert!(stderr.contains("secret.txt: permission denied"), "{stderr}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let files = v["files"].as_array().unwrap();
    let kinds: Vec<(&str, &str)> = files
        .iter()
        .map(|f| {
            let p = f["path"].as_str().unwrap();
            (
                p.rsplit('/').next().unwrap(),
                f["error"]["kind"].as_str().unwrap_or("ok"),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            ("locked", "permission_denied"),
            ("ok.txt", "ok"),
            ("secret.txt", "permission_denied")
        ]
    );
    assert_eq!(v["total"]["tokens"], 1);
}

#[test]
fn bad_flags_exit_2_with_a_message() {
    for args in [
        vec!["count", "--no-such-flag"],
        vec!["count", "-g", "qwen9", "--text", "x"],
        vec!["count", "--jobs", "0", "--text", "x"],
        vec!["count", "--include", "a[", "."],
        vec!["frobnicate"],
        vec!["truncate", "text"],
        vec!["truncate", "--max-tokens", "many", "text"],
        vec!["encode", "--format", "xml", "x"],
        vec!["count", "--text", "x", "file.txt"],
    ] {
        qm().args(&args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("error"))
            .stdout(predicate::str::is_empty());
    }
    qm().args(["count", "-g", "qwen9", "--text", "x"])
        .assert()
        .stderr(predicate::str::contains("qwen2.5"));
}

#[test]
fn malformed_ids_exit_4() {
    qm().args(["decode", "12", "abc"])
        .assert()
        .code(4)
        .stderr(predicate::str::contains(
            "invalid token id 'abc' at position 1",
        ));
    qm().args(["decode", "9707", "999999"])
        .assert()
        .code(4)
        .stderr(predicate::str::contains(
            "unknown token id 999999 at position 1",
        ));
    qm().args(["decode", "[1, -2]"])
        .assert()
        .code(4)
        .stderr(predicate::str::contains("position 1"));
    qm().args(["decode"])
        .write_stdin("{\"count\": 1}")
        .assert()
        .code(4)
        .stderr(predicate::str::contains("\"ids\""));
    // Ids that split a character: an error, or U+FFFD with --lossy.
    let ids = Tokenizer::qwen3().encode(" 🦀");
    assert_eq!(
        Tokenizer::qwen3().token_bytes(ids[0]),
        Some(&b" \xf0\x9f"[..])
    );
    qm().arg("decode")
        .arg(ids[0].to_string())
        .assert()
        .code(4)
        .stderr(predicate::str::contains("--lossy"));
    qm().args(["decode", "--lossy"])
        .arg(ids[0].to_string())
        .assert()
        .success()
        .stdout(" \u{fffd}");
}

#[test]
fn a_missing_text_file_exits_1() {
    qm().args(["tokens", "--file", "/no/such/file.txt"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "/no/such/file.txt: no such file or directory",
        ));
    qm().args(["truncate", "-n", "3", "--file", "/no/such/file.txt"])
        .assert()
        .code(1);
}
