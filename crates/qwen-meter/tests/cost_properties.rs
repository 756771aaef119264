//! Properties of pricing over the whole built-in catalog: within a tier cost never decreases
//! as tokens grow, the total is exactly the sum of the breakdown, cache hits and batch never
//! cost more than the plain request.

use proptest::prelude::*;
use qwen_meter::{Amount, CacheKind, Catalog, Cost, CostError, Mode, Model, Region, Usage};

/// Every (model, region, mode) the catalog can price.
fn priced() -> Vec<(&'static Model, Region, Mode)> {
    let mut out = Vec::new();
    for model in Catalog::builtin().models() {
        for region in model.offered_regions() {
            for mode in [Mode::NonThinking, Mode::Thinking] {
                if model.supports(mode) {
                    out.push((model, region, mode));
                }
            }
        }
    }
    out
}

/// A usage within the model's limits and its region's tiers, from fractions in [0, 1].
fn usage_within(
    model: &Model,
    region: Region,
    mode: Mode,
    input_frac: f64,
    output_frac: f64,
) -> Usage {
    let limits = model.limits(mode).unwrap();
    let offer = model.offer(region).unwrap();
    let max_input = limits.max_input_tokens.or(limits.context_window).unwrap();
    let last_tier = offer.tiers.last().unwrap().up_to.unwrap_or(u64::MAX);
    let input_cap = max_input.min(last_tier);
    Usage {
        input_tokens: (input_cap as f64 * input_frac) as u64,
        output_tokens: (limits.max_billed_output_tokens() as f64 * output_frac) as u64,
        thinking: mode == Mode::Thinking,
        ..Usage::default()
    }
}

fn cost(model: &Model, region: Region, usage: &Usage) -> Cost {
    model
        .cost(region, usage)
        .unwrap_or_else(|e| panic!("{usage:?}: {e}"))
}

fn sum(cost: &Cost) -> Amount {
    let b = cost.breakdown;
    b.input
        .checked_add(b.cached_input)
        .unwrap()
        .checked_add(b.cache_creation)
        .unwrap()
        .checked_add(b.output)
        .unwrap()
        .checked_add(b.image_input)
        .unwrap()
        .checked_add(b.video_input)
        .unwrap()
        .checked_add(b.audio_input)
        .unwrap()
        .checked_add(b.audio_output)
        .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn cost_never_decreases_as_tokens_grow_within_a_tier(
        pick in any::<prop::sample::Index>(),
        input_frac in 0.0f64..=1.0,
        output_frac in 0.0f64..=1.0,
        more_input in 0u64..5_000,
        more_output in 0u64..5_000,
    ) {
        let all = priced();
        let (model, region, mode) = all[pick.index(all.len())];
        let small = usage_within(model, region, mode, input_frac, output_frac);
        let limits = model.limits(mode).unwrap();
        let bigger = Usage {
            input_tokens: small.input_tokens + more_input,
            output_tokens: (small.output_tokens + more_output).min(limits.max_billed_output_tokens()),
            ..small
        };
        let a = cost(model, region, &small);
        match model.cost(region, &bigger) {
            Ok(b) if b.tier_index == a.tier_index => prop_assert!(b.total >= a.total, "{} {region}: {a} > {b}", model.id),
            _ => {} // crossed into another tier or past a limit: not this property
        }
    }

    #[test]
    fn total_is_exactly_the_sum_of_the_breakdown(
        pick in any::<prop::sample::Index>(),
        input_frac in 0.0f64..=1.0,
        output_frac in 0.0f64..=1.0,
        cached_frac in 0.0f64..=1.0,
        creation_frac in 0.0f64..=1.0,
        explicit in any::<bool>(),
        batch in any::<bool>(),
    ) {
        let all = priced();
        let (model, region, mode) = all[pick.index(all.len())];
        let mut usage = usage_within(model, region, mode, input_frac, output_frac);
        usage.batch = batch;
        if !batch {
            usage.cached_input_tokens = (usage.input_tokens as f64 * cached_frac) as u64;
            usage.cache = if explicit { CacheKind::Explicit } else { CacheKind::Implicit };
            if explicit {
                let left = usage.input_tokens - usage.cached_input_tokens;
                usage.cache_creation_input_tokens = (left as f64 * creation_frac) as u64;
            }
        }
        // Some combinations are unsupported (no cache or batch in that region): those must be
        // errors, and the rest must add up.
        match model.cost(region, &usage) {
            Ok(c) => {
                prop_assert_eq!(c.total, sum(&c));
                prop_assert!(!c.total.is_negative());
                prop_assert_eq!(c.currency, region.currency());
            }
            Err(e) => prop_assert!(
                matches!(e, CostError::CacheNotSupported { .. } | CostError::BatchNotSupported { .. }),
                "{}", e
            ),
        }
    }

    #[test]
    fn cache_hits_and_batch_never_cost_more(
        pick in any::<prop::sample::Index>(),
        input_frac in 0.0f64..=1.0,
        output_frac in 0.0f64..=1.0,
        cached_frac in 0.0f64..=1.0,
        explicit in any::<bool>(),
    ) {
        let all = priced();
        let (model, region, mode) = all[pick.index(all.len())];
        let plain = usage_within(model, region, mode, input_frac, output_frac);
        let base = cost(model, region, &plain);
        let cached = Usage {
            cached_input_tokens: (plain.input_tokens as f64 * cached_frac) as u64,
            cache: if explicit { CacheKind::Explicit } else { CacheKind::Implicit },
            ..plain
        };
        if let Ok(c) = model.cost(region, &cached) {
            prop_assert!(c.total <= base.total);
        }
        if let Ok(b) = model.cost(region, &Usage { batch: true, ..plain }) {
            prop_assert!(b.total <= base.total);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// Any usage at all, on any model and region, is answered with a cost or an error.
    #[test]
    fn arbitrary_usage_never_panics(
        pick in any::<prop::sample::Index>(),
        region in prop::sample::select(Region::ALL.to_vec()),
        input in prop_oneof![any::<u64>(), 0u64..2_000_000],
        output in prop_oneof![any::<u64>(), 0u64..200_000],
        cached in prop_oneof![any::<u64>(), 0u64..100_000],
        creation in prop_oneof![any::<u64>(), 0u64..100_000],
        explicit in any::<bool>(),
        thinking in any::<bool>(),
        batch in any::<bool>(),
        media in prop::array::uniform4(prop_oneof![Just(0u64), 0u64..50_000, any::<u64>()]),
    ) {
        let models: Vec<&Model> = Catalog::builtin().models().collect();
        let model = models[pick.index(models.len())];
        let usage = Usage {
            input_tokens: input,
            output_tokens: output,
            cached_input_tokens: cached,
            cache_creation_input_tokens: creation,
            cache: if explicit { CacheKind::Explicit } else { CacheKind::Implicit },
            thinking,
            batch,
            image_tokens: media[0],
            video_tokens: media[1],
            audio_tokens: media[2],
            output_audio_tokens: media[3],
        };
        if let Ok(c) = model.cost(region, &usage) {
            prop_assert_eq!(c.total, sum(&c));
        }
    }
}

#[test]
fn amounts_read_from_json_numbers_are_exact() {
    let a: Amount = serde_json::from_str("0.861").unwrap();
    assert_eq!(a.to_string(), "0.861");
    let b: Amount = serde_json::from_str("3.441").unwrap();
    assert_eq!(b.to_string(), "3.441");
    let c: Amount = serde_json::from_str("\"0.1875\"").unwrap();
    assert_eq!(c.to_string(), "0.1875");
    assert_eq!(serde_json::to_string(&c).unwrap(), "\"0.1875\"");
    assert!(serde_json::from_str::<Amount>("1e300").is_err());
    assert!(serde_json::from_str::<Amount>("\"1,5\"").is_err());
}
