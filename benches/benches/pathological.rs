//! Pathological inputs: 1 MiB of one repeated character ('a', ' ', '\n', '中', '!', '1'),
//! and 100 MB long runs with no split point (emoji, CJK without punctuation, combining marks,
//! letters, digits) counted by the streaming counter in 1 MiB pushes, the path the CLI takes
//! for them. Time per byte should stay within 3x of the corpus average (no quadratic case);
//! the `bench-report` binary prints that ratio for the 1 MiB inputs.
//!
//! Only our tokenizer is measured here, to keep the run short: the reference takes about a
//! second per input (the `bench-report` binary times it once), and tiktoken-rs's BPE is
//! quadratic in the piece length, so a 1 MiB piece takes far too long.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use qwen_meter_benches::{LONG_RUN_BYTES, long_runs, pathological};
use qwen_meter_tokenizer::Tokenizer;

fn pathological_inputs(c: &mut Criterion) {
    let ours = Tokenizer::qwen3();
    let mut group = c.benchmark_group("pathological");
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    for (name, text) in pathological() {
        group.throughput(Throughput::BytesDecimal(text.len() as u64));
        group.bench_function(format!("{name}/ours_count"), |b| {
            b.iter(|| ours.count(black_box(&text)))
        });
        group.bench_function(format!("{name}/ours_encode"), |b| {
            b.iter(|| ours.encode(black_box(&text)))
        });
    }
    group.finish();
}

fn long_run_inputs(c: &mut Criterion) {
    let ours = Tokenizer::qwen3();
    ours.prepare();
    let mut group = c.benchmark_group("long_runs_100mb");
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_millis(1))
        .measurement_time(Duration::from_secs(10));
    for (name, text) in long_runs(LONG_RUN_BYTES) {
        group.throughput(Throughput::BytesDecimal(text.len() as u64));
        group.bench_function(format!("{name}/ours_stream_count"), |b| {
            b.iter(|| {
                let mut counter = ours.counter();
                let mut i = 0;
                while i < text.len() {
                    let mut j = (i + (1 << 20)).min(text.len());
                    while !text.is_char_boundary(j) {
                        j += 1;
                    }
                    counter.push(&text[i..j]);
                    i = j;
                }
                counter.finish()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, pathological_inputs, long_run_inputs);
criterion_main!(benches);
