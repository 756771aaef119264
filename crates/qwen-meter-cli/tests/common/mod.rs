//! Helpers shared by the command-line tests (the `common` module of `tests.rs`).
#![allow(dead_code)]

use assert_cmd::Command;
use serde_json::Value;

/// The real `qwen-meter` binary, with progress bars off.
pub fn qm() -> Command {
    let mut c = Command::cargo_bin("qwen-meter").expect("binary built");
    c.env_remove("RUST_LOG");
    c
}

/// Runs the command and parses its standard output as JSON.
pub fn json(cmd: &mut Command) -> Value {
    let out = cmd.output().expect("runs");
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// A small deterministic generator (xorshift64*).
pub struct Rng(pub u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
}

/// Realistic mixed text: prose, code, CJK, numbers, special-token text, emoji, with some long
/// lines; about `bytes` bytes.
pub fn mixed_text(seed: u64, bytes: usize) -> String {
    const PARTS: &[&str] = &[
        "The quick brown fox jumps over the lazy dog. ",
        "fn main() { println!(\"{}\", 42); }\n",
        "通义千问是阿里巴巴开发的大语言模型。",
        "它可以回答问题、写作和编程，支持多种语言！\n",
        "<|im_start|>user\nHello<|im_end|>\n",
        "<think>reasoning</think>",
        "1234567890 3.14159 ",
        "naïve café résumé e\u{301} ",
        "🦀👋🏽 ",
        "\n\n",
        "    indented line\n",
        "{\"key\": \"value\", \"n\": [1, 2, 3]}",
        "\t\r\n",
        "日本語のテキスト、カタカナ。\n",
        "한국어 문장입니다. ",
    ];
    let mut rng = Rng(seed);
    let mut s = String::with_capacity(bytes + 64);
    while s.len() < bytes {
        s.push_str(PARTS[rng.below(PARTS.len())]);
    }
    s
}
