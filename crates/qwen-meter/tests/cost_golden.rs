//! Golden costs worked out by hand from the fact sheet (prices per 1M tokens; the tier is
//! chosen by total input tokens, lo < T <= hi with K = 1,000; the whole request is billed at
//! that tier). Each expected value is written out with its arithmetic so that a reader can
//! check it against the facts without running the code.

use qwen_meter::{CacheKind, Catalog, CostError, Region, Usage};

use Region::{ChineseMainland as Cn, Global, International as Intl, Us};

fn usage(input: u64, output: u64) -> Usage {
    Usage {
        input_tokens: input,
        output_tokens: output,
        ..Default::default()
    }
}

/// Prices `usage` and checks the total text, the currency and the tier index.
fn check(model: &str, region: Region, usage: Usage, total: &str, currency: &str, tier: usize) {
    let cost = Catalog::builtin()
        .model(model)
        .unwrap()
        .cost(region, &usage)
        .unwrap_or_else(|e| panic!("{model} {region}: {e}"));
    assert_eq!(cost.total.to_string(), total, "{model} {region} {usage:?}");
    assert_eq!(cost.currency.to_string(), currency, "{model} {region}");
    assert_eq!(cost.tier_index, tier, "{model} {region} {usage:?}");
}

fn error(model: &str, region: Region, usage: Usage) -> CostError {
    Catalog::builtin()
        .model(model)
        .unwrap()
        .cost(region, &usage)
        .unwrap_err()
}

#[test]
fn g01_issue_example_qwen3_max_international() {
    // tier 32K-128K: 50,000 x 2.4 = 0.12; 2,000 x 12 = 0.024
    check("qwen3-max", Intl, usage(50_000, 2_000), "0.144", "USD", 1);
}

#[test]
fn g02_tier_edge_32000_is_first_tier() {
    // 32,000 x 1.2 = 0.0384; 1,000 x 6 = 0.006
    check("qwen3-max", Intl, usage(32_000, 1_000), "0.0444", "USD", 0);
}

#[test]
fn g03_tier_edge_32001_bills_whole_request_at_second_tier() {
    // 32,001 x 2.4 = 0.0768024; 1,000 x 12 = 0.012 (not marginal: all input at 2.4)
    check(
        "qwen3-max",
        Intl,
        usage(32_001, 1_000),
        "0.0888024",
        "USD",
        1,
    );
}

#[test]
fn g04_qwen3_max_third_tier() {
    // 128,001 x 3 = 0.384003
    check("qwen3-max", Intl, usage(128_001, 0), "0.384003", "USD", 2);
}

#[test]
fn g05_qwen3_max_thinking_has_same_price() {
    // 10,000 x 1.2 = 0.012; 20,000 x 6 = 0.12 (thinking output at the same price)
    check(
        "qwen3-max",
        Intl,
        Usage {
            thinking: true,
            ..usage(10_000, 20_000)
        },
        "0.132",
        "USD",
        0,
    );
}

#[test]
fn g06_qwen3_max_2025_09_23_global_first_tier_is_0_861_and_3_441() {
    // 1,000 x 0.861 = 0.000861; 1,000 x 3.441 = 0.003441
    check(
        "qwen3-max-2025-09-23",
        Global,
        usage(1_000, 1_000),
        "0.004302",
        "USD",
        0,
    );
    // 32,000 x 0.861 = 0.027552; 10,000 x 3.441 = 0.03441
    check(
        "qwen3-max-2025-09-23",
        Global,
        usage(32_000, 10_000),
        "0.061962",
        "USD",
        0,
    );
    // qwen3-max-preview is billed like the snapshot
    check(
        "qwen3-max-preview",
        Global,
        usage(1_000, 1_000),
        "0.004302",
        "USD",
        0,
    );
}

#[test]
fn g07_qwen3_max_snapshot_chinese_mainland_cny() {
    // tier 32K-128K: 100,000 x 10 = 1; 5,000 x 40 = 0.2
    check(
        "qwen3-max-2025-09-23",
        Cn,
        usage(100_000, 5_000),
        "1.2",
        "CNY",
        1,
    );
}

#[test]
fn g08_implicit_cache_hits_at_20_percent_of_the_tier_input() {
    // CN tier 32K-128K (4 / 16): 10,000 uncached x 4 = 0.04; 30,000 hits x 0.8 = 0.024;
    // 1,000 x 16 = 0.016 (S6 lists the implicit hit price 0.8 CNY for this tier)
    let u = Usage {
        cached_input_tokens: 30_000,
        ..usage(40_000, 1_000)
    };
    check("qwen3-max", Cn, u, "0.08", "CNY", 1);
    let cost = Catalog::builtin()
        .model("qwen3-max")
        .unwrap()
        .cost(Cn, &u)
        .unwrap();
    assert_eq!(cost.breakdown.input.to_string(), "0.04");
    assert_eq!(cost.breakdown.cached_input.to_string(), "0.024");
    assert_eq!(cost.breakdown.output.to_string(), "0.016");
}

#[test]
fn g09_explicit_cache_creation_125_and_hits_10_percent() {
    // CN tier 0-32K (2.5 / 10): 5,000 uncached x 2.5 = 0.0125; 10,000 hits x 0.25 = 0.0025;
    // 5,000 created x 3.125 = 0.015625; 500 x 10 = 0.005 -> 0.035625
    let u = Usage {
        cached_input_tokens: 10_000,
        cache_creation_input_tokens: 5_000,
        cache: CacheKind::Explicit,
        ..usage(20_000, 500)
    };
    check("qwen3-max", Cn, u, "0.035625", "CNY", 0);
    let cost = Catalog::builtin()
        .model("qwen3-max")
        .unwrap()
        .cost(Cn, &u)
        .unwrap();
    assert_eq!(cost.breakdown.cache_creation.to_string(), "0.015625");
    assert_eq!(
        cost.unit_prices.cache_creation.unwrap().to_string(),
        "3.125"
    );
}

#[test]
fn g10_batch_halves_global_qwen3_max_third_tier() {
    // Global tier 128K-252K (1.004 / 4.014) at 50%: 200,000 x 0.502 = 0.1004;
    // 10,000 x 2.007 = 0.02007
    check(
        "qwen3-max",
        Global,
        Usage {
            batch: true,
            ..usage(200_000, 10_000)
        },
        "0.12047",
        "USD",
        2,
    );
}

#[test]
fn g11_qwen_plus_thinking_bills_all_output_at_the_thinking_price() {
    // 1,000 x 0.4 = 0.0004; 10,000 x 4 = 0.04
    check(
        "qwen-plus",
        Intl,
        Usage {
            thinking: true,
            ..usage(1_000, 10_000)
        },
        "0.0404",
        "USD",
        0,
    );
    // without thinking: 10,000 x 1.2 = 0.012
    check("qwen-plus", Intl, usage(1_000, 10_000), "0.0124", "USD", 0);
}

#[test]
fn g12_qwen_plus_international_tier_edge_256k() {
    // 256,000 x 0.4 = 0.1024
    check("qwen-plus", Intl, usage(256_000, 0), "0.1024", "USD", 0);
    // 256,001 x 1.2 = 0.3072012
    check("qwen-plus", Intl, usage(256_001, 0), "0.3072012", "USD", 1);
}

#[test]
fn g13_qwen_plus_chinese_mainland_second_tier_thinking() {
    // CN tier 128K-256K (2.4 / 20 / thinking 24): 128,001 x 2.4 = 0.3072024; 1,000 x 24 = 0.024
    check(
        "qwen-plus",
        Cn,
        Usage {
            thinking: true,
            ..usage(128_001, 1_000)
        },
        "0.3312024",
        "CNY",
        1,
    );
}

#[test]
fn g14_qwen_plus_global_thinking() {
    // Global tier 0-128K (0.115 / thinking 1.147): 100,000 x 0.115 = 0.0115; 2,000 x 1.147 = 0.002294
    check(
        "qwen-plus",
        Global,
        Usage {
            thinking: true,
            ..usage(100_000, 2_000)
        },
        "0.013794",
        "USD",
        0,
    );
}

#[test]
fn g15_qwen_plus_batch_with_and_without_thinking() {
    // 50% of 0.4 / 1.2: 100,000 x 0.2 = 0.02; 10,000 x 0.6 = 0.006
    check(
        "qwen-plus",
        Intl,
        Usage {
            batch: true,
            ..usage(100_000, 10_000)
        },
        "0.026",
        "USD",
        0,
    );
    // thinking at 50% of 4: 10,000 x 2 = 0.02
    check(
        "qwen-plus",
        Intl,
        Usage {
            batch: true,
            thinking: true,
            ..usage(100_000, 10_000)
        },
        "0.04",
        "USD",
        0,
    );
}

#[test]
fn g16_qwen_plus_us_id_in_the_us_region() {
    // 1,000 x 0.4 = 0.0004; 1,000 x 1.2 = 0.0012
    check("qwen-plus-us", Us, usage(1_000, 1_000), "0.0016", "USD", 0);
}

#[test]
fn g17_qwen_flash_chinese_mainland_tier_edge_128k() {
    // 128,000 x 0.15 = 0.0192; 1,000 x 1.5 = 0.0015
    check("qwen-flash", Cn, usage(128_000, 1_000), "0.0207", "CNY", 0);
    // 128,001 x 0.6 = 0.0768006; 1,000 x 6 = 0.006
    check(
        "qwen-flash",
        Cn,
        usage(128_001, 1_000),
        "0.0828006",
        "CNY",
        1,
    );
}

#[test]
fn g18_qwen_flash_explicit_cache_creation_matches_s6() {
    // 10,000 created x (0.15 x 1.25 = 0.1875, as S6 lists) = 0.001875
    let u = Usage {
        cache_creation_input_tokens: 10_000,
        cache: CacheKind::Explicit,
        ..usage(10_000, 0)
    };
    check("qwen-flash", Cn, u, "0.001875", "CNY", 0);
}

#[test]
fn g19_qwen_turbo_thinking_price() {
    // 1,000 x 0.05 = 0.00005; 1,000 x 0.5 = 0.0005
    check(
        "qwen-turbo",
        Intl,
        Usage {
            thinking: true,
            ..usage(1_000, 1_000)
        },
        "0.00055",
        "USD",
        0,
    );
}

#[test]
fn g20_qwen2_priced_end_to_end() {
    // Chinese Mainland (S2, official): 10,000 x 4 = 0.04; 2,000 x 12 = 0.024
    check(
        "qwen2-72b-instruct",
        Cn,
        usage(10_000, 2_000),
        "0.064",
        "CNY",
        0,
    );
    // International from the marketing page (S16): 100,000 x 0.2 = 0.02; 6,144 x 0.6 = 0.0036864
    check(
        "qwen2-72b-instruct",
        Intl,
        usage(100_000, 6_144),
        "0.0236864",
        "USD",
        0,
    );
}

#[test]
fn g21_qwq_plus_is_thinking_only() {
    // 10,000 x 1.6 = 0.016; 8,000 x 4 = 0.032
    check(
        "qwq-plus",
        Cn,
        Usage {
            thinking: true,
            ..usage(10_000, 8_000)
        },
        "0.048",
        "CNY",
        0,
    );
    assert!(matches!(
        error("qwq-plus", Cn, usage(10, 10)),
        CostError::ModeNotSupported { .. }
    ));
}

#[test]
fn g22_coder_plus_fourth_tier_and_global() {
    // Intl tier 256K-1M (6 / 60): 256,001 x 6 = 1.536006; 1,000 x 60 = 0.06
    check(
        "qwen3-coder-plus",
        Intl,
        usage(256_001, 1_000),
        "1.596006",
        "USD",
        3,
    );
    // Global tier 32K-128K: 32,001 x 0.861 = 0.027552861
    check(
        "qwen3-coder-plus",
        Global,
        usage(32_001, 0),
        "0.027552861",
        "USD",
        1,
    );
}

#[test]
fn g23_qwen3_235b_thinking_and_not() {
    // 50,000 x 0.7 = 0.035; thinking 10,000 x 8.4 = 0.084
    check(
        "qwen3-235b-a22b",
        Intl,
        Usage {
            thinking: true,
            ..usage(50_000, 10_000)
        },
        "0.119",
        "USD",
        0,
    );
    // non-thinking 10,000 x 2.8 = 0.028
    check(
        "qwen3-235b-a22b",
        Intl,
        usage(50_000, 10_000),
        "0.063",
        "USD",
        0,
    );
    // CN thinking, output only: 1,000 x 20 = 0.02
    check(
        "qwen3-235b-a22b",
        Cn,
        Usage {
            thinking: true,
            ..usage(0, 1_000)
        },
        "0.02",
        "CNY",
        0,
    );
}

#[test]
fn g24_qwen_long_million_tokens_real_time_and_batch() {
    // 1,000,000 x 0.5 = 0.5; 1,000 x 2 = 0.002
    check("qwen-long", Cn, usage(1_000_000, 1_000), "0.502", "CNY", 0);
    // batch halves both: 0.25 + 0.001
    check(
        "qwen-long",
        Cn,
        Usage {
            batch: true,
            ..usage(1_000_000, 1_000)
        },
        "0.251",
        "CNY",
        0,
    );
}

#[test]
fn g25_qwen_max_at_its_limits() {
    // 30,720 x 1.6 = 0.049152; 8,192 x 6.4 = 0.0524288
    check(
        "qwen-max",
        Intl,
        usage(30_720, 8_192),
        "0.1015808",
        "USD",
        0,
    );
}

#[test]
fn g26_region_specific_top_tier_bounds() {
    // CN's top tier of qwen3-max reaches 256K: 252,001 x 7 = 1.764007
    check("qwen3-max", Cn, usage(252_001, 0), "1.764007", "CNY", 2);
    // International's stops at 252K: beyond the last tier
    assert!(matches!(
        error("qwen3-max", Intl, usage(252_001, 0)),
        CostError::BeyondLastTier {
            last_tier_up_to: 252_000,
            ..
        }
    ));
}

#[test]
fn g27_flat_price_up_to_max_input() {
    // qwen3.5-flash International is flat: 900,000 x 0.1 = 0.09
    check("qwen3.5-flash", Intl, usage(900_000, 0), "0.09", "USD", 0);
}

#[test]
fn g28_empty_usage_costs_nothing() {
    check("qwen-plus", Intl, Usage::default(), "0", "USD", 0);
}

#[test]
fn errors_name_the_model_and_the_bound() {
    let e = error("qwen3-max", Intl, usage(258_049, 0));
    assert!(
        matches!(
            e,
            CostError::InputTooLong {
                max_input_tokens: 258_048,
                ..
            }
        ),
        "{e}"
    );
    assert!(e.to_string().contains("qwen3-max"));

    let e = error(
        "qwen-turbo",
        Intl,
        Usage {
            thinking: true,
            ..usage(98_305, 0)
        },
    );
    assert!(
        matches!(
            e,
            CostError::InputTooLong {
                max_input_tokens: 98_304,
                ..
            }
        ),
        "{e}"
    );

    let e = error("qwen2-72b-instruct", Cn, usage(10, 6_145));
    assert!(
        matches!(
            e,
            CostError::OutputTooLong {
                max_output_tokens: 6_144,
                ..
            }
        ),
        "{e}"
    );

    let e = error(
        "qwen2-72b-instruct",
        Cn,
        Usage {
            thinking: true,
            ..usage(10, 10)
        },
    );
    assert!(matches!(e, CostError::ModeNotSupported { .. }), "{e}");
    assert!(e.to_string().contains("no thinking mode"));

    let e = error(
        "qwen-turbo",
        Intl,
        Usage {
            cached_input_tokens: 10,
            cache: CacheKind::Explicit,
            ..usage(100, 0)
        },
    );
    assert!(
        matches!(
            e,
            CostError::CacheNotSupported {
                cache: CacheKind::Explicit,
                ..
            }
        ),
        "{e}"
    );

    let e = error(
        "qwen-turbo",
        Cn,
        Usage {
            batch: true,
            ..usage(100, 0)
        },
    );
    assert!(
        matches!(e, CostError::BatchNotSupported { region: Cn, .. }),
        "{e}"
    );

    let e = error(
        "qwen3-max",
        Intl,
        Usage {
            batch: true,
            ..usage(100, 0)
        },
    );
    assert!(matches!(e, CostError::BatchNotSupported { .. }), "{e}");

    let e = error(
        "qwen-plus",
        Intl,
        Usage {
            batch: true,
            cached_input_tokens: 10,
            ..usage(100, 0)
        },
    );
    assert!(matches!(e, CostError::BatchWithCache { .. }), "{e}");

    let e = error(
        "qwen-plus",
        Intl,
        Usage {
            cached_input_tokens: 101,
            ..usage(100, 0)
        },
    );
    assert!(matches!(e, CostError::CacheExceedsInput { .. }), "{e}");

    let e = error(
        "qwen-plus",
        Intl,
        Usage {
            cache_creation_input_tokens: 10,
            ..usage(100, 0)
        },
    );
    assert!(
        matches!(e, CostError::CacheCreationNotExplicit { .. }),
        "{e}"
    );

    let e = error("qwen-long", Intl, usage(1, 1));
    assert!(
        matches!(&e, CostError::RegionNotOffered { offered, .. } if offered == &[Cn]),
        "{e}"
    );

    let e = error("qwen3.7-max-us", Us, usage(1, 1));
    assert!(e.to_string().contains("qwen3.7-max"), "{e}");
}

#[test]
fn cost_serialises_with_camel_case_and_exact_amounts() {
    let cost = Catalog::builtin()
        .model("qwen3-max")
        .unwrap()
        .cost(Intl, &usage(50_000, 2_000))
        .unwrap();
    let json = serde_json::to_value(&cost).unwrap();
    assert_eq!(json["total"], "0.144");
    assert_eq!(json["currency"], "USD");
    assert_eq!(json["region"], "international");
    assert_eq!(json["tierIndex"], 1);
    assert_eq!(json["breakdown"]["cachedInput"], "0");
    assert_eq!(json["tier"]["upTo"], 128_000);
    assert_eq!(json["usage"]["inputTokens"], 50_000);
}
