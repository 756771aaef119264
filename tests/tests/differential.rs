//! Differential property tests: generated inputs of every family, each checked against the
//! reference (encode, encode_ordinary, count, count_ordinary, count_within, decode,
//! decode_bytes, encode_with_offsets, truncate at both ends); failures are shrunk to a
//! minimal input and reported with core ids vs reference ids.
//!
//! Case counts (plain `cargo test`): 117,000 short cases + 40 long runs for Qwen3, the same
//! for Qwen3.5 (module `qwen3_5`) plus 15,000 with combining marks sprinkled everywhere;
//! times 20 with `QWEN_METER_HEAVY=1` (or any factor with `QWEN_METER_SCALE`).
//! `QWEN_METER_SEED` picks the seed (fixed by default; time-derived in heavy mode). Each test
//! prints its count.

use qwen_meter_tests::check::run_family;
use qwen_meter_tests::generators::Family;
use qwen_meter_tests::{base_seed, case_scale};

/// Every test of this file again, on `Tokenizer::qwen3_5()` against the Qwen3.5 reference.
mod qwen3_5 {
    use super::*;
    use qwen_meter_tests::{Target, set_target};

    fn run(family: Family, base: usize) {
        set_target(Target::Qwen3_5);
        // A different seed than Qwen3's runs: other inputs, same families.
        run_family(family, cases(base), base_seed() ^ 0x35);
    }

    #[test]
    fn mixed() {
        run(Family::Mixed, 40_000);
    }

    #[test]
    fn any_chars() {
        run(Family::AnyChars, 15_000);
    }

    #[test]
    fn marks() {
        run(Family::Marks, 15_000);
    }

    #[test]
    fn marks_everywhere() {
        run(Family::MarksEverywhere, 15_000);
    }

    #[test]
    fn whitespace() {
        run(Family::Whitespace, 12_000);
    }

    #[test]
    fn contractions() {
        run(Family::Contractions, 10_000);
    }

    #[test]
    fn digits_emoji() {
        run(Family::DigitsEmoji, 10_000);
    }

    #[test]
    fn special_tokens() {
        run(Family::SpecialTokens, 10_000);
    }

    #[test]
    fn real_text_windows() {
        run(Family::RealText, 5_000);
    }

    #[test]
    fn long_runs() {
        run(Family::LongRuns, 40);
    }

    #[test]
    fn truncate_every_limit() {
        set_target(Target::Qwen3_5);
        super::truncate_every_limit_with(base_seed() ^ 0x35, true);
    }
}

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
    truncate_every_limit_with(base_seed(), false);
}

fn truncate_every_limit_with(seed: u64, marks_everywhere: bool) {
    use qwen_meter_tests::check::{check_truncate_every_limit, run_generated_with};
    use qwen_meter_tests::generators::generate;
    let mut families = vec![
        Family::Mixed,
        Family::Marks,
        Family::Whitespace,
        Family::Contractions,
        Family::SpecialTokens,
        Family::RealText,
    ];
    if marks_everywhere {
        families.push(Family::MarksEverywhere);
    }
    run_generated_with(
        "truncate_every_limit",
        cases(3_000),
        seed,
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
