//! A loop to run under a profiler: one operation on one input, many times.
//!
//! ```text
//! cargo build -p qwen-meter-benches --bin bench-profile --profile profiling \
//!     --config 'profile.profiling.inherits="release"' \
//!     --config 'profile.profiling.debug="line-tables-only"'
//! perf record -g target/profiling/bench-profile cjk count 50
//! ```
//!
//! Arguments: INPUT (a corpus kind such as `cjk`, `all`, or a pathological input such as
//! `space`), OP (`count`, `count-fresh` (each call on a new thread, so with an empty piece
//! memo), `first` (`count` on a tokenizer that was not `prepare()`d, so the first iteration
//! is a fresh tokenizer's first pass: subtract a run with 0 iterations to get its cost),
//! `encode`, `reference`, `tiktoken` or `fastokens`), ITERATIONS, and optionally GENERATION (`qwen3`, the
//! default, or `qwen3.5`).

use std::time::Instant;

use qwen_meter_benches::{
    corpus, fastokens, fastokens_encode, mb_per_s, pathological, reference, reference_encode,
    tiktoken, tiktoken_encode,
};
use qwen_meter_tokenizer::{Generation, Tokenizer};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: bench-profile INPUT OP ITERATIONS [GENERATION] (INPUT: a corpus kind, `all` or a pathological input; OP: count|count-fresh|first|encode|reference|tiktoken|fastokens; GENERATION: qwen3|qwen3.5)";
    let (input, op, iters, generation) = match args.as_slice() {
        [input, op, iters] => (input, op, iters, Some(Generation::Qwen3)),
        [input, op, iters, g] => (input, op, iters, Generation::from_name(g)),
        _ => (&String::new(), &String::new(), &String::new(), None),
    };
    let Some(generation) = generation else {
        eprintln!("{usage}");
        std::process::exit(2);
    };
    let iters: u32 = iters.parse().unwrap_or_else(|_| {
        eprintln!("{usage}");
        std::process::exit(2)
    });
    let text = if input == "all" {
        Some(corpus::all_text())
    } else {
        corpus::KINDS
            .iter()
            .find(|k| k.name == input)
            .map(|k| k.text())
            .or_else(|| {
                pathological()
                    .into_iter()
                    .find(|(n, _)| n == input)
                    .map(|(_, t)| t)
            })
    };
    let Some(text) = text else {
        eprintln!("unknown input {input}\n{usage}");
        std::process::exit(2);
    };
    let text = text.as_str();
    let ours = Tokenizer::for_generation(generation);
    if op != "first" {
        ours.prepare();
    }
    let run: Box<dyn Fn() -> usize> = match op.as_str() {
        "count" | "first" => Box::new(|| ours.count(text)),
        // A new thread per call: no piece memo left over from the previous call.
        "count-fresh" => {
            Box::new(|| std::thread::scope(|s| s.spawn(|| ours.count(text)).join().unwrap()))
        }
        "encode" => Box::new(|| ours.encode(text).len()),
        "reference" => {
            let r = reference();
            Box::new(move || reference_encode(&r, text).len())
        }
        "tiktoken" => {
            let t = tiktoken();
            Box::new(move || tiktoken_encode(&t, text).len())
        }
        "fastokens" => {
            let t = fastokens();
            Box::new(move || fastokens_encode(&t, text).len())
        }
        _ => {
            eprintln!("unknown op {op}\n{usage}");
            std::process::exit(2);
        }
    };
    let t = Instant::now();
    let mut tokens = 0;
    let mut best = std::time::Duration::MAX;
    for _ in 0..iters {
        let one = Instant::now();
        tokens = std::hint::black_box(run());
        best = best.min(one.elapsed());
    }
    let d = t.elapsed() / iters.max(1);
    eprintln!(
        "{input} {op}: {} bytes, {tokens} tokens, {:.3} ms/iteration, {:.1} MB/s (fastest iteration {:.1} MB/s)",
        text.len(),
        d.as_secs_f64() * 1e3,
        mb_per_s(text.len(), d),
        mb_per_s(text.len(), best)
    );
}
