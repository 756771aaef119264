//! Startup cost, measured in a fresh process: the first `Tokenizer::qwen3()` plus one small
//! `count`, and the resident memory that brings in (from /proc/self/statm).
//!
//! `cargo run -p qwen-meter-benches --release --bin bench-startup` prints one line of
//! `key=value` pairs (the `bench-report` binary runs this several times and takes the median).

use std::time::Instant;

use qwen_meter::Tokenizer;
use qwen_meter_benches::resident_bytes;

fn main() {
    let before = resident_bytes();
    let t0 = Instant::now();
    let tok = Tokenizer::qwen3();
    let n = tok.count(std::hint::black_box("Hello, world! 你好，世界。"));
    let first = t0.elapsed();
    let after = resident_bytes();
    // A second small count, to show what the first one paid for.
    let t1 = Instant::now();
    let m = tok.count(std::hint::black_box(
        "The quick brown fox jumps over the lazy dog.",
    ));
    let second = t1.elapsed();
    let mib = |b: u64| b as f64 / (1024.0 * 1024.0);
    match (before, after) {
        (Some(before), Some(after)) => println!(
            "startup_ms={:.3} second_count_us={:.1} tokens={} rss_before_mib={:.2} rss_after_mib={:.2} rss_delta_mib={:.2}",
            first.as_secs_f64() * 1e3,
            second.as_secs_f64() * 1e6,
            n + m,
            mib(before),
            mib(after),
            mib(after.saturating_sub(before)),
        ),
        _ => println!(
            "startup_ms={:.3} second_count_us={:.1} tokens={}",
            first.as_secs_f64() * 1e3,
            second.as_secs_f64() * 1e6,
            n + m
        ),
    }
}
