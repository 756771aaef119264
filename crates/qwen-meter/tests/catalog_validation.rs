//! The built-in catalog as a whole: it loads, and every entry obeys the catalog rules
//! (checked here independently of the loader's own validation).

use std::collections::HashSet;

use qwen_meter::{Catalog, Mode, Region};

#[test]
fn builtin_catalog_loads() {
    let catalog = Catalog::builtin();
    assert!(catalog.models().count() >= 20);
}

#[test]
fn tiers_are_contiguous_ordered_and_non_negative() {
    for model in Catalog::builtin().models() {
        for (region, offer) in &model.regions {
            assert!(!offer.tiers.is_empty(), "{} {region}", model.id);
            assert_eq!(offer.tiers[0].above, 0, "{} {region}", model.id);
            for pair in offer.tiers.windows(2) {
                let hi = pair[0].up_to.expect("only the last tier may be unbounded");
                assert!(hi > pair[0].above, "{} {region}", model.id);
                assert_eq!(pair[1].above, hi, "{} {region}: gap or overlap", model.id);
            }
            for tier in &offer.tiers {
                assert!(!tier.input.is_negative() && !tier.output.is_negative());
                assert!(tier.output_thinking.is_none_or(|p| !p.is_negative()));
                if tier.output_thinking.is_some() {
                    assert!(model.supports(Mode::Thinking), "{}", model.id);
                }
            }
            assert_eq!(offer.currency, region.currency(), "{} {region}", model.id);
        }
    }
}

#[test]
fn every_entry_is_dated_and_sourced_with_known_sources() {
    let catalog = Catalog::builtin();
    let known = |ids: &[String]| !ids.is_empty() && ids.iter().all(|s| catalog.source(s).is_some());
    for model in catalog.models() {
        assert_eq!(model.as_of.len(), 10, "{}", model.id);
        assert!(known(&model.sources), "{}", model.id);
        for mode in [Mode::NonThinking, Mode::Thinking] {
            if let Some(limits) = model.limits(mode) {
                assert!(known(&limits.sources), "{} {mode}", model.id);
            }
        }
        for (region, offer) in &model.regions {
            assert!(offer.as_of.starts_with("20"), "{} {region}", model.id);
            assert!(known(&offer.sources), "{} {region}", model.id);
            if let Some(cache) = &offer.cache {
                assert!(known(&cache.sources));
            }
            if let Some(batch) = &offer.batch {
                assert!(known(&batch.sources));
            }
            for rule in &offer.rate_limits {
                assert!(known(&rule.sources));
            }
        }
    }
}

#[test]
fn ids_aliases_and_snapshots_are_unique_and_resolve_to_their_entry() {
    let catalog = Catalog::builtin();
    let mut seen = HashSet::new();
    for model in catalog.models() {
        for id in model.ids() {
            assert!(seen.insert(id.to_ascii_lowercase()), "{id} appears twice");
            assert_eq!(catalog.model(id).unwrap().id, model.id, "{id}");
        }
    }
}

#[test]
fn limits_are_consistent() {
    for model in Catalog::builtin().models() {
        assert!(model.supports(Mode::NonThinking) || model.supports(Mode::Thinking));
        for mode in [Mode::NonThinking, Mode::Thinking] {
            let Some(l) = model.limits(mode) else {
                continue;
            };
            assert!(l.context_window.is_some() || l.max_input_tokens.is_some());
            assert!(l.max_output_tokens > 0);
            if let Some(window) = l.context_window {
                assert!(
                    l.max_input_tokens.is_none_or(|i| i <= window),
                    "{}",
                    model.id
                );
                assert!(l.max_output_tokens <= window, "{}", model.id);
            }
        }
        for (region, offer) in &model.regions {
            for rule in &offer.rate_limits {
                assert!(rule.rpm > 0 && rule.tpm > 0);
                for id in &rule.ids {
                    assert!(
                        model.ids().any(|own| own == id),
                        "{} {region}: {id}",
                        model.id
                    );
                }
            }
            if let Some(batch) = &offer.batch {
                assert!(!batch.price_ratio.is_zero() && batch.price_ratio.to_f64() <= 1.0);
            }
        }
    }
}

#[test]
fn coverage_includes_every_model_of_the_fact_sheet_and_the_open_weight_generations() {
    let catalog = Catalog::builtin();
    for id in [
        "qwen3-max",
        "qwen-plus",
        "qwen-flash",
        "qwen-turbo",
        "qwen-max",
        "qwen-long",
        "qwen3-coder-plus",
        "qwen3-coder-flash",
        "qwq-plus",
        "qwen2.5-72b-instruct",
        "qwen2-72b-instruct",
        "qwen3-235b-a22b",
        "qwen3.5-plus",
        "qwen3.5-flash",
        "qwen3.7-max",
        "qwen3.8-max",
    ] {
        assert!(catalog.model(id).is_ok(), "{id} missing");
    }
    use qwen_meter::Generation::*;
    for generation in [Qwen2, Qwen2_5, Qwen3] {
        assert!(
            catalog.models().any(|m| m.generation == generation
                && m.limits(Mode::NonThinking)
                    .is_some_and(|l| l.context_window.is_some())),
            "{generation:?}"
        );
    }
    // Qwen2 and Qwen3-Max are priced end to end.
    assert!(
        catalog
            .model("qwen2-72b-instruct")
            .unwrap()
            .offer(Region::International)
            .is_some()
    );
    assert!(
        catalog
            .model("qwen3-max-2025-09-23")
            .unwrap()
            .offer(Region::Global)
            .is_some()
    );
}

#[test]
fn catalog_round_trips_through_json() {
    let catalog = Catalog::builtin();
    let again = Catalog::from_json(&catalog.to_json()).unwrap();
    let a: Vec<_> = catalog.models().collect();
    let b: Vec<_> = again.models().collect();
    assert_eq!(a, b);
}
