//! The catalog's Qwen3.5-and-later entries: which vocabulary counts them, the limits and
//! cache rules fixed for issue 12, and golden costs of the models added for it.
//!
//! Each expected cost is worked out by hand from the prices in `data/catalog.json` (per 1M
//! tokens; the tier is chosen by total input tokens, lo < T <= hi, and bills the whole
//! request), with the arithmetic written next to it.

use qwen_meter::prelude::*;
use qwen_meter::{
    CacheKind, Catalog, ChatTemplate, CostError, Generation, Mode, Region, Tokenizer, Usage,
};
use serde_json::Value;

use Region::International as Intl;

/// Models that are counted with the Qwen3.5 / Qwen3.6 vocabulary.
const NEW_VOCABULARY: &[&str] = &[
    "qwen3.5-plus",
    "qwen3.5-flash",
    "qwen3.6-plus",
    "qwen3.6-flash",
    "qwen3.6-max-preview",
    "qwen3.7-max",
    "qwen3.7-plus",
    "qwen3.7-flash",
    "qwen3.8-max",
    "qwen3.8-max-prime",
    "qwen3.8-flash",
];

fn usage(input: u64, output: u64) -> Usage {
    Usage {
        input_tokens: input,
        output_tokens: output,
        ..Default::default()
    }
}

/// Prices `usage` and checks the total text and the tier index.
fn check(model: &str, usage: Usage, total: &str, tier: usize) {
    let cost = Catalog::builtin()
        .model(model)
        .unwrap()
        .cost(Intl, &usage)
        .unwrap_or_else(|e| panic!("{model}: {e}"));
    assert_eq!(cost.total.to_string(), total, "{model} {usage:?}");
    assert_eq!(cost.currency.to_string(), "USD", "{model}");
    assert_eq!(cost.tier_index, tier, "{model} {usage:?}");
}

fn error(model: &str, region: Region, usage: Usage) -> CostError {
    Catalog::builtin()
        .model(model)
        .unwrap()
        .cost(region, &usage)
        .unwrap_err()
}

/// The model entries of the embedded file, as written (before any mapping of names).
fn raw_models() -> Vec<Value> {
    let file: Value = serde_json::from_str(include_str!("../data/catalog.json")).unwrap();
    file["models"].as_array().unwrap().clone()
}

#[test]
fn qwen3_5_and_later_models_name_the_new_vocabulary() {
    let raw = raw_models();
    for model in &raw {
        let id = model["id"].as_str().unwrap();
        let generation = model["generation"].as_str().unwrap();
        let note = model["tokenizerNote"].as_str().unwrap_or_default();
        if NEW_VOCABULARY.contains(&id) {
            assert_eq!(generation, "qwen3.5", "{id}");
            assert!(note.contains("248,044"), "{id}: {note}");
            // Qwen3.7/3.8 publish no tokenizer: the note must say it is an assumption.
            let assumed = id.starts_with("qwen3.7") || id.starts_with("qwen3.8");
            assert_eq!(note.starts_with("ASSUMED"), assumed, "{id}: {note}");
        } else {
            assert_ne!(generation, "qwen3.5", "{id}");
        }
    }
    for id in NEW_VOCABULARY {
        assert!(raw.iter().any(|m| m["id"] == *id), "{id} missing");
    }
}

#[test]
fn qwen3_5_models_count_with_the_qwen3_5_vocabulary() {
    let catalog = Catalog::builtin();
    // Hindi, where the two vocabularies differ most.
    let text = "सभी मनुष्यों को गौरव और अधिकारों के मामले में जन्मजात स्वतन्त्रता प्राप्त है।";
    let new = Tokenizer::qwen3_5().count(text) as u64;
    let old = Tokenizer::qwen3().count(text) as u64;
    assert!(new < old, "{new} vs {old}");
    for id in NEW_VOCABULARY {
        let model = catalog.model(id).unwrap();
        assert_eq!(model.generation, Generation::Qwen3_5, "{id}");
        assert_eq!(model.count_tokens(text), new, "{id}");
        assert_eq!(
            model.tokenizer().chat_template(),
            Some(ChatTemplate::Qwen3_5)
        );
    }
    let qwen3_max = catalog.model("qwen3-max").unwrap();
    assert_eq!(qwen3_max.generation, Generation::Qwen3);
    assert_eq!(qwen3_max.count_tokens(text), old);
    // The catalog writes the generation back under its name.
    assert!(catalog.to_json().contains("\"generation\": \"qwen3.5\""));
}

#[test]
fn qwen3_5_plus_and_flash_have_explicit_context_cache_only() {
    let catalog = Catalog::builtin();
    for id in ["qwen3.5-plus", "qwen3.5-flash"] {
        let model = catalog.model(id).unwrap();
        assert!(model.regions.len() >= 2, "{id}");
        for (region, offer) in &model.regions {
            let cache = offer.cache.as_ref().unwrap();
            assert!(cache.implicit_hit.is_none(), "{id} {region}");
            assert_eq!(cache.explicit_hit.unwrap().to_string(), "0.1");
            assert_eq!(cache.explicit_create.unwrap().to_string(), "1.25");
        }
        // An implicit hit is refused; explicit caching is priced: qwen3.5-plus Intl tier
        // 0-256K (0.4 / 2.4): 40,000 uncached x 0.4 = 0.016; 50,000 hits x 0.04 = 0.002;
        // 10,000 created x 0.5 = 0.005; 1,000 x 2.4 = 0.0024 -> 0.0254.
        let implicit = Usage {
            cached_input_tokens: 1_000,
            ..usage(2_000, 10)
        };
        assert!(matches!(
            error(id, Intl, implicit),
            CostError::CacheNotSupported { .. }
        ));
    }
    let explicit = Usage {
        cached_input_tokens: 50_000,
        cache_creation_input_tokens: 10_000,
        cache: CacheKind::Explicit,
        ..usage(100_000, 1_000)
    };
    check("qwen3.5-plus", explicit, "0.0254", 0);
}

#[test]
fn qwen3_8_max_has_a_million_token_window_and_less_input_when_thinking() {
    let model = Catalog::builtin().model("qwen3.8-max").unwrap();
    let off = model.limits(Mode::NonThinking).unwrap();
    let on = model.limits(Mode::Thinking).unwrap();
    assert_eq!(off.context_window, Some(1_000_000));
    assert_eq!(on.context_window, Some(1_000_000));
    assert_eq!(off.max_input_tokens, Some(991_808));
    assert_eq!(on.max_input_tokens, Some(983_616));
    // The thinking limit is the one that applies with thinking on.
    let thinking = |input| Usage {
        thinking: true,
        ..usage(input, 1_000)
    };
    // 983,616 x 2 = 1.967232; 1,000 x 6 = 0.006
    check("qwen3.8-max", thinking(983_616), "1.973232", 0);
    assert!(matches!(
        error("qwen3.8-max", Intl, thinking(983_617)),
        CostError::InputTooLong {
            mode: Mode::Thinking,
            ..
        }
    ));
    // Without thinking 991,808 is still accepted: 991,808 x 2 = 1.983616; + 0.006
    check("qwen3.8-max", usage(991_808, 1_000), "1.989616", 0);
    // Its snapshot and the snapshot's dated alias resolve to it.
    for id in ["qwen3.8-max-0902", "qwen3.8-max-2026-09-02"] {
        assert_eq!(Catalog::builtin().model(id).unwrap().id, "qwen3.8-max");
    }
}

#[test]
fn qwen3_6_plus_tiers_at_256k() {
    // 256,000 is the first tier: 256,000 x 0.5 = 0.128; 1,000 x 3 = 0.003
    check("qwen3.6-plus", usage(256_000, 1_000), "0.131", 0);
    // 300,000 bills everything at the second tier: 300,000 x 2 = 0.6; 10,000 x 6 = 0.06
    check("qwen3.6-plus", usage(300_000, 10_000), "0.66", 1);
    // thinking: same price; 983,616 is the thinking maximum input
    let thinking = Usage {
        thinking: true,
        ..usage(983_616, 0)
    };
    // 983,616 x 2 = 1.967232
    check("qwen3.6-plus", thinking, "1.967232", 1);
}

#[test]
fn qwen3_6_chinese_mainland_first_tiers() {
    let cost = |model: &str, usage: Usage| {
        let cost = Catalog::builtin()
            .model(model)
            .unwrap()
            .cost(Region::ChineseMainland, &usage)
            .unwrap_or_else(|e| panic!("{model}: {e}"));
        assert_eq!(cost.currency.to_string(), "CNY");
        cost.total.to_string()
    };
    // 200,000 x 2 = 0.4; 10,000 x 12 = 0.12
    assert_eq!(cost("qwen3.6-plus", usage(200_000, 10_000)), "0.52");
    // 100,000 x 1.2 = 0.12; 10,000 x 7.2 = 0.072
    assert_eq!(cost("qwen3.6-flash", usage(100_000, 10_000)), "0.192");
    // Explicit cache at the official 0.2 / 2.5: 40,000 uncached x 2 = 0.08; 40,000 hits
    // x 0.2 = 0.008; 20,000 created x 2.5 = 0.05; 1,000 x 12 = 0.012
    let cached = Usage {
        cached_input_tokens: 40_000,
        cache_creation_input_tokens: 20_000,
        cache: CacheKind::Explicit,
        ..usage(100_000, 1_000)
    };
    assert_eq!(cost("qwen3.6-plus", cached), "0.15");
    // Only the first tier is known: longer requests are refused, not guessed.
    for model in ["qwen3.6-plus", "qwen3.6-flash"] {
        assert!(matches!(
            error(model, Region::ChineseMainland, usage(256_001, 0)),
            CostError::BeyondLastTier { .. }
        ));
    }
}

#[test]
fn qwen3_6_flash_tiers_at_256k() {
    // 100,000 x 0.25 = 0.025; 20,000 x 1.5 = 0.03
    check("qwen3.6-flash", usage(100_000, 20_000), "0.055", 0);
    // 500,000 x 1 = 0.5; 20,000 x 4 = 0.08
    check("qwen3.6-flash", usage(500_000, 20_000), "0.58", 1);
}

#[test]
fn qwen3_6_max_preview_is_priced_up_to_128k_only() {
    // 128,000 x 1.3 = 0.1664; 1,000 x 7.8 = 0.0078
    check("qwen3.6-max-preview", usage(128_000, 1_000), "0.1742", 0);
    assert!(matches!(
        error("qwen3.6-max-preview", Intl, usage(128_001, 1_000)),
        CostError::BeyondLastTier { .. }
    ));
    // Implicit cache hits at 20%: 60,000 uncached x 1.3 = 0.078; 40,000 hits x 0.26 = 0.0104
    let cached = Usage {
        cached_input_tokens: 40_000,
        ..usage(100_000, 0)
    };
    check("qwen3.6-max-preview", cached, "0.0884", 0);
}

#[test]
fn qwen3_7_plus_tiers_and_implicit_cache() {
    // 100,000 x 0.4 = 0.04; 20,000 x 1.6 = 0.032
    check("qwen3.7-plus", usage(100_000, 20_000), "0.072", 0);
    // 50,000 uncached x 0.4 = 0.02; 50,000 hits x 0.08 = 0.004; 20,000 x 1.6 = 0.032
    let cached = Usage {
        cached_input_tokens: 50_000,
        ..usage(100_000, 20_000)
    };
    check("qwen3.7-plus", cached, "0.056", 0);
    // 400,000 x 1.2 = 0.48; 10,000 x 4.8 = 0.048
    check("qwen3.7-plus", usage(400_000, 10_000), "0.528", 1);
}

#[test]
fn qwen3_8_flash_is_flat() {
    // 900,000 x 0.15 = 0.135; 100,000 x 0.47 = 0.047
    check("qwen3.8-flash", usage(900_000, 100_000), "0.182", 0);
    let model = Catalog::builtin().model("qwen3.8-flash").unwrap();
    assert_eq!(
        model.limits(Mode::NonThinking).unwrap().max_output_tokens,
        131_072
    );
}

#[test]
fn qwen3_7_flash_is_listed_but_not_priced() {
    // The sources disagree on its price: it can be counted, not costed.
    let model = Catalog::builtin().model("qwen3.7-flash").unwrap();
    assert_eq!(model.offered_regions().count(), 0);
    let thinking = model.limits(Mode::Thinking).unwrap();
    assert_eq!(thinking.max_input_tokens, Some(983_616));
    assert_eq!(thinking.max_billed_output_tokens(), 131_072 + 262_144);
    assert!(matches!(
        error("qwen3.7-flash", Intl, usage(1_000, 1_000)),
        CostError::RegionNotOffered { .. }
    ));
}

#[test]
fn new_prices_cite_the_sources_that_give_them() {
    let catalog = Catalog::builtin();
    for (id, source) in [
        ("qwen3.6-plus", "S22"),
        ("qwen3.6-flash", "S22"),
        ("qwen3.6-max-preview", "S22"),
        ("qwen3.7-plus", "S21"),
        ("qwen3.8-flash", "S21"),
    ] {
        let offer = catalog.model(id).unwrap().offer(Intl).unwrap();
        assert!(offer.sources.iter().any(|s| s == source), "{id}");
        assert!(offer.as_of.starts_with("2026"), "{id}");
        assert!(catalog.source(source).is_some());
    }
}
