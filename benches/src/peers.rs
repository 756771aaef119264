//! Us against every exact peer in one run: warm (the same text counted again) and first pass
//! (a fresh process that has counted nothing yet), with each peer's ids checked against the
//! reference on every kind of text.
//!
//! The peers: Hugging Face `tokenizers` (the reference), fastokens and kitoken (both loading
//! the same official `tokenizer.json`), and tiktoken-rs (from `qwen.tiktoken`). All single
//! threaded ([`run_peers_single_threaded`](crate::run_peers_single_threaded)).
//!
//! A first pass is measured in a child process (`bench-report --first-pass PEER KIND`) that
//! builds the tokenizer, then times one call on the kind's text: whatever a peer builds or
//! caches on first use is in the figure, as a user who counts a file once sees it. The best
//! of three children is reported.

use std::hint::black_box;
use std::process::Command;
use std::time::Duration;

use qwen_meter_tokenizer::Tokenizer;

use crate::{
    corpus, fastokens, fastokens_encode, kitoken, kitoken_encode, mb_per_s, reference,
    reference_encode, tiktoken, tiktoken_encode, time_best_each, time_once,
};

/// The tokenizers compared, in column order.
pub const PEERS: [&str; 5] = ["ours", "fastokens", "kitoken", "tiktoken-rs", "reference"];

/// A text to measure: a corpus kind or the generated adversarial text.
pub struct Text {
    /// Row name.
    pub name: &'static str,
    /// The text.
    pub text: String,
}

/// The corpus kinds plus [`corpus::adversarial`].
pub fn texts() -> Vec<Text> {
    let mut v: Vec<Text> = corpus::KINDS
        .iter()
        .map(|k| Text {
            name: k.name,
            text: k.text(),
        })
        .collect();
    v.push(Text {
        name: "adversarial",
        text: corpus::adversarial(),
    });
    v
}

/// One loaded peer, behind a uniform `count` (number of ids) and `encode`.
enum Loaded {
    Ours(&'static Tokenizer),
    Fastokens(Box<fastokens::Tokenizer>),
    Kitoken(Box<kitoken::Kitoken>),
    Tiktoken(Box<tiktoken_rs::CoreBPE>),
    Reference(Box<tokenizers::Tokenizer>),
}

impl Loaded {
    fn load(peer: &str) -> Loaded {
        match peer {
            "ours" => Loaded::Ours(Tokenizer::qwen3()),
            "fastokens" => Loaded::Fastokens(Box::new(fastokens())),
            "kitoken" => Loaded::Kitoken(Box::new(kitoken())),
            "tiktoken-rs" => Loaded::Tiktoken(Box::new(tiktoken())),
            "reference" => Loaded::Reference(Box::new(reference())),
            other => panic!("unknown peer {other:?} (expected one of {PEERS:?})"),
        }
    }

    /// What a user who wants a count calls: ours `count`, the others encode and take the length.
    fn count(&self, text: &str) -> usize {
        match self {
            Loaded::Ours(t) => t.count(text),
            other => other.encode(text).len(),
        }
    }

    fn encode(&self, text: &str) -> Vec<u32> {
        match self {
            Loaded::Ours(t) => t.encode(text),
            Loaded::Fastokens(t) => fastokens_encode(t, text),
            Loaded::Kitoken(t) => kitoken_encode(t, text),
            Loaded::Tiktoken(t) => tiktoken_encode(t, text),
            Loaded::Reference(t) => reference_encode(t, text),
        }
    }
}

/// Child mode: `bench-report --first-pass PEER TEXT` prints the seconds of one `count` of a
/// freshly built tokenizer.
pub fn first_pass_child(peer: &str, text_name: &str) {
    let text = texts()
        .into_iter()
        .find(|t| t.name == text_name)
        .unwrap_or_else(|| panic!("unknown text {text_name:?}"))
        .text;
    let loaded = Loaded::load(peer);
    let (_, d) = time_once(|| black_box(loaded.count(black_box(&text))));
    println!("{}", d.as_secs_f64());
}

fn first_pass(peer: &str, text_name: &str) -> Option<Duration> {
    let exe = std::env::current_exe().ok()?;
    (0..3)
        .filter_map(|_| {
            let out = Command::new(&exe)
                .args(["--first-pass", peer, text_name])
                .output()
                .ok()?;
            let secs: f64 = String::from_utf8_lossy(&out.stdout).trim().parse().ok()?;
            out.status.success().then(|| Duration::from_secs_f64(secs))
        })
        .min()
}

fn fmt(v: f64) -> String {
    if v >= 100.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

/// Prints the warm and first-pass tables against every peer.
pub fn report(min_time: Duration) {
    let loaded: Vec<Loaded> = PEERS.iter().map(|p| Loaded::load(p)).collect();
    let texts = texts();
    println!("\nAgainst every exact peer, warm (best of several rounds; MB/s of `count`):\n");
    println!(
        "| text | size | ours | fastokens | kitoken | tiktoken-rs | reference | ours / fastokens | ours / kitoken | ours `encode` / `count` | peers' ids = reference |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|");
    for t in &texts {
        let want = loaded[4].encode(&t.text);
        let exact: Vec<&str> = PEERS
            .iter()
            .zip(&loaded)
            .filter(|(_, l)| l.encode(&t.text) != want)
            .map(|(p, _)| *p)
            .collect();
        let mut fs: Vec<Box<dyn FnMut()>> = loaded
            .iter()
            .map(|l| {
                let text = &t.text;
                Box::new(move || {
                    black_box(l.count(black_box(text)));
                }) as Box<dyn FnMut()>
            })
            .collect();
        let ours = &loaded[0];
        fs.push(Box::new(|| {
            black_box(ours.encode(black_box(&t.text)));
        }));
        let mut refs: Vec<&mut dyn FnMut()> = fs.iter_mut().map(|f| &mut **f as _).collect();
        let d = time_best_each(3, 200, min_time, &mut refs);
        let mb: Vec<f64> = d.iter().map(|d| mb_per_s(t.text.len(), *d)).collect();
        println!(
            "| {} | {:.0} KB | {} | {} | {} | {} | {} | {:.2}x | {:.2}x | {:.2} | {} |",
            t.name,
            t.text.len() as f64 / 1e3,
            fmt(mb[0]),
            fmt(mb[1]),
            fmt(mb[2]),
            fmt(mb[3]),
            fmt(mb[4]),
            mb[0] / mb[1],
            mb[0] / mb[2],
            mb[5] / mb[0],
            if exact.is_empty() {
                "all".to_string()
            } else {
                format!("**not: {}**", exact.join(", "))
            }
        );
    }
    println!(
        "\nFirst pass (a fresh process per call: build the tokenizer, then time one count; best \
         of 3 processes; MB/s):\n"
    );
    println!(
        "| text | ours | fastokens | kitoken | tiktoken-rs | reference | ours / fastokens | ours / kitoken |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    for t in &texts {
        let mb: Vec<Option<f64>> = PEERS
            .iter()
            .map(|p| first_pass(p, t.name).map(|d| mb_per_s(t.text.len(), d)))
            .collect();
        let cell = |v: Option<f64>| v.map_or("n/a".to_string(), fmt);
        let ratio = |a: Option<f64>, b: Option<f64>| match (a, b) {
            (Some(a), Some(b)) => format!("{:.2}x", a / b),
            _ => "n/a".to_string(),
        };
        println!(
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            t.name,
            cell(mb[0]),
            cell(mb[1]),
            cell(mb[2]),
            cell(mb[3]),
            cell(mb[4]),
            ratio(mb[0], mb[1]),
            ratio(mb[0], mb[2]),
        );
    }
}
