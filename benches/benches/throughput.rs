//! Throughput per kind of text (the corpus kinds and generated adversarial Unicode), ours
//! against the reference, fastokens, kitoken and tiktoken-rs in the same run, every peer
//! single threaded. Warm figures; `bench-report` also measures first passes.
//!
//! `cargo bench -p qwen-meter-benches --bench throughput` (add a filter such as `cjk/` to run
//! one kind). Criterion reports MB/s (`Throughput::BytesDecimal`: 10^6 bytes per second, as
//! in the `bench-report` table, which also prints the ratios).

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, SamplingMode, Throughput, criterion_group};
use qwen_meter_benches::{
    fastokens, fastokens_encode, kitoken, kitoken_encode, peers, reference, reference_encode,
    run_peers_single_threaded, tiktoken, tiktoken_encode,
};
use qwen_meter_tokenizer::Tokenizer;

fn throughput(c: &mut Criterion) {
    let ours = Tokenizer::qwen3();
    let reference = reference();
    let tiktoken = tiktoken();
    let fastokens = fastokens();
    let kitoken = kitoken();
    for peers::Text { name, text } in peers::texts() {
        let mut group = c.benchmark_group(name);
        group
            .throughput(Throughput::BytesDecimal(text.len() as u64))
            .sampling_mode(SamplingMode::Flat)
            .sample_size(10)
            .warm_up_time(Duration::from_millis(500))
            .measurement_time(Duration::from_secs(3));
        group.bench_function("ours_count", |b| b.iter(|| ours.count(black_box(&text))));
        group.bench_function("ours_encode", |b| b.iter(|| ours.encode(black_box(&text))));
        group.bench_function("reference_encode", |b| {
            b.iter(|| reference_encode(&reference, black_box(&text)))
        });
        group.bench_function("tiktoken_encode", |b| {
            b.iter(|| tiktoken_encode(&tiktoken, black_box(&text)))
        });
        group.bench_function("fastokens_encode", |b| {
            b.iter(|| fastokens_encode(&fastokens, black_box(&text)))
        });
        group.bench_function("kitoken_encode", |b| {
            b.iter(|| kitoken_encode(&kitoken, black_box(&text)))
        });
        group.finish();
    }
}

criterion_group!(benches, throughput);

fn main() {
    run_peers_single_threaded();
    benches();
    Criterion::default().configure_from_args().final_summary();
}
