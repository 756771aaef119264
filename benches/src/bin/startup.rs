//! Startup cost, measured in a fresh process: the first `Tokenizer::qwen3()` (or, with the
//! argument `qwen3.5`, `Tokenizer::qwen3_5()`) plus one small `count`, and the resident
//! memory that brings in (from /proc/self/statm).
//!
//! `cargo run -p qwen-meter-benches --release --bin bench-startup [-- qwen3.5]` prints one line of
//! `key=value` pairs (the `bench-report` binary runs this several times and takes the median):
//! `startup_ms` is wall-clock time, `startup_cpu_ms` the process's CPU time over the same
//! stretch (close to the wall-clock time on an idle machine, and unaffected by a busy one).

use std::time::Instant;

use qwen_meter_benches::{process_cpu_time, resident_bytes};
use qwen_meter_tokenizer::{Generation, Tokenizer};

fn main() {
    let generation = match std::env::args().nth(1) {
        Some(name) => Generation::from_name(&name).unwrap_or_else(|| {
            eprintln!("usage: bench-startup [qwen3 | qwen3.5]");
            std::process::exit(2)
        }),
        None => Generation::Qwen3,
    };
    let before = resident_bytes();
    let cpu0 = process_cpu_time();
    let t0 = Instant::now();
    let tok = Tokenizer::for_generation(generation);
    let n = tok.count(std::hint::black_box("Hello, world! 你好，世界。"));
    let first = t0.elapsed();
    let cpu = cpu0
        .zip(process_cpu_time())
        .map(|(a, b)| b.saturating_sub(a));
    let after = resident_bytes();
    // A second small count, to show what the first one paid for.
    let t1 = Instant::now();
    let m = tok.count(std::hint::black_box(
        "The quick brown fox jumps over the lazy dog.",
    ));
    let second = t1.elapsed();
    let mib = |b: u64| b as f64 / (1024.0 * 1024.0);
    let mut line = format!(
        "startup_ms={:.3} second_count_us={:.1} tokens={}",
        first.as_secs_f64() * 1e3,
        second.as_secs_f64() * 1e6,
        n + m
    );
    if let Some(cpu) = cpu {
        line += &format!(" startup_cpu_ms={:.3}", cpu.as_secs_f64() * 1e3);
    }
    if let (Some(before), Some(after)) = (before, after) {
        line += &format!(
            " rss_before_mib={:.2} rss_after_mib={:.2} rss_delta_mib={:.2}",
            mib(before),
            mib(after),
            mib(after.saturating_sub(before))
        );
    }
    println!("{line}");
}
