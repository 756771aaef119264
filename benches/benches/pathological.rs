//! Pathological inputs: 1 MiB of one repeated character ('a', ' ', '\n', '中', '!', '1').
//! Time per byte should stay within 3x of the corpus average (no quadratic case); the
//! `bench-report` binary prints that ratio.
//!
//! Only our tokenizer is measured here, to keep the run short: the reference takes about a
//! second per input (the `bench-report` binary times it once), and tiktoken-rs's BPE is
//! quadratic in the piece length, so a 1 MiB piece takes far too long.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use qwen_meter_benches::pathological;
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

criterion_group!(benches, pathological_inputs);
criterion_main!(benches);
