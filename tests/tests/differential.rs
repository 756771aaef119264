//! Differential property tests: generated inputs of every family, each checked against the
//! reference (encode, encode_ordinary, count, count_ordinary, count_within, decode,
//! decode_bytes, encode_with_offsets, truncate at both ends); failures are shrunk to a
//! minimal input and reported with core ids vs reference ids.
//!
//! Case counts (plain `cargo test`): 117,000 short cases + 40 long runs; times 20 with
//! `QWEN_METER_HEAVY=1` (or any factor with `QWEN_METER_SCALE`). `QWEN_METER_SEED` picks
//! the seed (fixed by default; time-derived in heavy mode). Each test prints its count.

use qwen_meter_tests::check::run_family;
use qwen_meter_tests::generators::Family;
use qwen_meter_tests::{base_seed, case_scale};

fn cases(base: usize) -> usize {
    ((base as f64) * case_scale()).round().max(1.0) as usize
}

#[test]
fn mixed() {
    run_family(Family::Mixed, cases(40_000), base_seed());
}

#[test]
fn any_chars() {
    run_family(Family::AnyChars, cases(15_000), base_seed());
}

#[test]
fn marks() {
    run_family(Family::Marks, cases(15_000), base_seed());
}

#[test]
fn whitespace() {
    run_family(Family::Whitespace, cases(12_000), base_seed());
}

#[test]
fn contractions() {
    run_family(Family::Contractions, cases(10_000), base_seed());
}

#[test]
fn digits_emoji() {
    run_family(Family::DigitsEmoji, cases(10_000), base_seed());
}

#[test]
fn special_tokens() {
    run_family(Family::SpecialTokens, cases(10_000), base_seed());
}

#[test]
fn real_text_windows() {
    run_family(Family::RealText, cases(5_000), base_seed());
}

#[test]
fn long_runs() {
    run_family(Family::LongRuns, cases(40), base_seed());
}

/// Truncation at every limit, both ends, `truncate` and `truncate_ordinary`, on short
/// generated texts (the other tests check one or two limits per text).
#[test]
fn truncate_every_limit() {
    use qwen_meter_tests::check::{check_truncate_every_limit, run_generated_with};
    use qwen_meter_tests::generators::generate;
    let families = [
        Family::Mixed,
        Family::Marks,
        Family::Whitespace,
        Family::Contractions,
        Family::SpecialTokens,
        Family::RealText,
    ];
    run_generated_with(
        "truncate_every_limit",
        cases(3_000),
        base_seed(),
        &|rng| {
            let f = families[rng.below(families.len())];
            let mut s = generate(f, rng);
            // Keep the text short: every limit costs two reference encodes.
            if s.chars().count() > 60 {
                s = s.chars().take(60).collect();
            }
            s
        },
        &check_truncate_every_limit,
    );
}
