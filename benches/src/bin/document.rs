//! Keystrokes on a 1 MB `Document` against a full count of the same text.
//!
//! `cargo run -p qwen-meter-benches --release --bin bench-document [-- --edits N]` builds a
//! document of 1 MB (the first 200 KB of each corpus kind), then applies N single-character
//! edits (default 4,000: half insertions of a letter, space or CJK character, half deletions
//! of one character, at random places) and times each `edit` with the thread's CPU time. It
//! prints the distribution of the keystroke times as a fraction of the fastest full
//! `Tokenizer::count` of the text, and checks at the end (and every 500 edits) that the
//! document's count and ids equal a full re-tokenization.

use std::time::Duration;

use qwen_meter_benches::corpus::KINDS;
use qwen_meter_benches::{clock_name, time_best_each, time_once};
use qwen_meter_tokenizer::{Document, Tokenizer};

const PER_KIND: usize = 200_000;

fn main() {
    let mut edits = 4_000usize;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--edits" => {
                edits = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .expect("--edits takes a number");
            }
            other => panic!("unknown argument {other:?} (try --edits N)"),
        }
    }
    let tok = Tokenizer::qwen3();
    tok.prepare();
    let mut text = String::new();
    for kind in KINDS {
        let t = kind.text();
        let mut end = PER_KIND.min(t.len());
        while !t.is_char_boundary(end) {
            end -= 1;
        }
        text.push_str(&t[..end]);
    }
    let full = time_best_each(
        5,
        20,
        Duration::from_secs(2),
        &mut [&mut || {
            std::hint::black_box(tok.count(std::hint::black_box(&text)));
        }],
    )[0];
    let (mut doc, built) = time_once(|| Document::new(tok, &text));
    assert_eq!(doc.count(), tok.count(&text), "count after Document::new");

    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let inserts = ["e", " ", "a", "中", "\n", "t"];
    let mut times = Vec::with_capacity(edits);
    for i in 0..edits {
        let mut at = (next() % (text.len() as u64 + 1)) as usize;
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let (range, replacement) = if i % 2 == 0 || at == text.len() {
            (at..at, inserts[(next() % inserts.len() as u64) as usize])
        } else {
            let c = text[at..].chars().next().map_or(0, char::len_utf8);
            (at..at + c, "")
        };
        let (r, t) = time_once(|| doc.edit(range.clone(), replacement));
        r.expect("edit on char boundaries");
        text.replace_range(range, replacement);
        times.push(t);
        if (i + 1) % 500 == 0 {
            assert_eq!(doc.count(), tok.count(&text), "count after {} edits", i + 1);
        }
    }
    assert_eq!(doc.count(), tok.count(&text), "count at the end");
    assert_eq!(doc.encode(), tok.encode(&text), "ids at the end");

    times.sort();
    let pct = |d: Duration| 100.0 * d.as_secs_f64() / full.as_secs_f64();
    let us = |d: Duration| d.as_secs_f64() * 1e6;
    let mean = times.iter().sum::<Duration>() / times.len().max(1) as u32;
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    println!(
        "document of {} bytes, {} tokens; clock: {}",
        text.len(),
        doc.count(),
        clock_name()
    );
    println!(
        "full count: {:.2} ms (fastest of several); Document::new: {:.2} ms",
        full.as_secs_f64() * 1e3,
        built.as_secs_f64() * 1e3
    );
    println!();
    println!("| {edits} keystrokes | time | of a full count |");
    println!("|---|---|---|");
    for (name, d) in [
        ("mean", mean),
        ("median", at(0.5)),
        ("p95", at(0.95)),
        ("p99", at(0.99)),
        ("max", at(1.0)),
    ] {
        println!("| {name} | {:.1} µs | {:.3}% |", us(d), pct(d));
    }
}
