//! Loading user catalogs and overrides: malformed files are errors that name the model and
//! the field; lookups suggest close matches.

use qwen_meter::{Catalog, CatalogError, Mode, RateLimits, Region};

/// A minimal valid catalog with one model; `edit` rewrites the JSON text.
fn catalog_with(edit: impl Fn(String) -> String) -> Result<Catalog, CatalogError> {
    let json = r#"{
      "asOf": "2026-01-01",
      "sources": {"S1": "my notes", "S2": "my other notes"},
      "models": [{
        "id": "my-model", "aliases": ["my-alias"], "snapshots": ["my-model-2026-01-01"],
        "family": "test", "generation": "qwen3", "status": "stable",
        "asOf": "2026-01-01", "sources": ["S1"],
        "modes": {
          "nonThinking": {"contextWindow": 131072, "maxInputTokens": 129024, "maxOutputTokens": 8192, "sources": ["S1"]},
          "thinking": {"contextWindow": 131072, "maxInputTokens": 98304, "maxOutputTokens": 8192, "maxReasoningTokens": 32768, "sources": ["S1"]}
        },
        "regions": {"international": {"currency": "USD", "asOf": "2026-01", "sources": ["S1"],
          "tiers": [
            {"above": 0, "upTo": 32000, "input": 1, "output": "2", "outputThinking": "3"},
            {"above": 32000, "upTo": 128000, "input": "2", "output": "4"}
          ],
          "rateLimits": [{"ids": ["my-model"], "rpm": 60, "tpm": 100000, "scope": "mine", "sources": ["S2"]}]
        }}
      }]
    }"#;
    Catalog::from_json(&edit(json.to_string()))
}

fn invalid(edit: impl Fn(String) -> String) -> String {
    catalog_with(edit).unwrap_err().to_string()
}

#[test]
fn a_valid_user_catalog_loads_and_prices() {
    let catalog = catalog_with(|s| s).unwrap();
    let model = catalog.model("my-alias").unwrap();
    assert_eq!(model.id, "my-model");
    let cost = model
        .cost(
            Region::International,
            &qwen_meter::Usage {
                input_tokens: 32_001,
                ..Default::default()
            },
        )
        .unwrap();
    // 32,001 x 2 / 1M
    assert_eq!(cost.to_string(), "0.064002 USD");
}

#[test]
fn syntax_errors_give_line_and_column() {
    let err = catalog_with(|s| s.replacen("\"family\": \"test\",", "\"family\": \"test\"", 1))
        .unwrap_err();
    assert!(matches!(err, CatalogError::Syntax { line: 6, .. }), "{err}");
}

#[test]
fn wrong_types_name_the_model_and_the_field_path() {
    let msg = invalid(|s| s.replace(r#""input": "2""#, r#""input": "two""#));
    assert!(msg.contains("model my-model"), "{msg}");
    assert!(
        msg.contains("regions.international.tiers[1].input"),
        "{msg}"
    );

    let msg = invalid(|s| {
        s.replace(
            r#""maxOutputTokens": 8192, "sources""#,
            r#""maxOutputTokens": -1, "sources""#,
        )
    });
    assert!(msg.contains("modes.nonThinking.maxOutputTokens"), "{msg}");
}

#[test]
fn missing_and_unknown_fields_are_named() {
    let msg = invalid(|s| s.replace(r#""generation": "qwen3", "#, ""));
    assert!(
        msg.contains("my-model") && msg.contains("generation"),
        "{msg}"
    );
    let msg = invalid(|s| s.replace(r#""family": "test""#, r#""famly": "test""#));
    assert!(msg.contains("famly"), "{msg}");
    let msg = invalid(|s| s.replace(r#""generation": "qwen3""#, r#""generation": "qwen4""#));
    assert!(msg.contains("qwen4"), "{msg}");
    let msg = invalid(|s| s.replace("\"international\"", "\"europe\""));
    assert!(msg.contains("europe"), "{msg}");
}

#[test]
fn tiers_must_be_contiguous_and_ordered() {
    let msg = invalid(|s| s.replace(r#""above": 32000"#, r#""above": 32001"#));
    assert!(
        msg.contains("regions.international.tiers[1].above") && msg.contains("contiguous"),
        "{msg}"
    );
    let msg = invalid(|s| s.replace(r#""upTo": 128000"#, r#""upTo": 32000"#));
    assert!(msg.contains("tiers[1].upTo"), "{msg}");
    let msg = invalid(|s| s.replace(r#""upTo": 32000"#, r#""upTo": null"#));
    assert!(msg.contains("only the last tier"), "{msg}");
}

#[test]
fn prices_must_not_be_negative() {
    let msg = invalid(|s| s.replace(r#""output": "4""#, r#""output": "-4""#));
    assert!(
        msg.contains("tiers[1].output") && msg.contains("negative"),
        "{msg}"
    );
}

#[test]
fn every_figure_needs_a_known_source_and_date() {
    let msg = invalid(|s| s.replace(r#""sources": ["S2"]"#, r#""sources": ["S9"]"#));
    assert!(
        msg.contains("rateLimits[0].sources") && msg.contains("S9"),
        "{msg}"
    );
    let msg = invalid(|s| s.replace(r#""asOf": "2026-01", "#, r#""asOf": "soon", "#));
    assert!(msg.contains("regions.international.asOf"), "{msg}");
    let msg = invalid(|s| s.replacen(r#""sources": ["S1"],"#, r#""sources": [],"#, 1));
    assert!(msg.contains("at least one source"), "{msg}");
}

#[test]
fn currency_must_be_the_regions_own() {
    let msg = invalid(|s| s.replace(r#""currency": "USD""#, r#""currency": "CNY""#));
    assert!(msg.contains("regions.international.currency"), "{msg}");
}

#[test]
fn limits_must_be_consistent() {
    let msg = invalid(|s| s.replace(r#""maxInputTokens": 129024"#, r#""maxInputTokens": 200000"#));
    assert!(msg.contains("exceeds the context window"), "{msg}");
    let msg = invalid(|s| s.replace(r#""rpm": 60"#, r#""rpm": 0"#));
    assert!(msg.contains("rateLimits[0]"), "{msg}");
    let msg = invalid(|s| s.replace(r#""ids": ["my-model"]"#, r#""ids": ["other-model"]"#));
    assert!(msg.contains("other-model"), "{msg}");
    let msg = invalid(|s| {
        s.replace(
            r#""scope": "mine", "sources": ["S2"]}"#,
            r#""scope": "mine", "sources": ["S2"]}, {"ids": ["my-model"], "rpm": 1, "tpm": 1, "scope": "again", "sources": ["S2"]}"#,
        )
    });
    assert!(
        msg.contains("rateLimits[1].ids") && msg.contains("already"),
        "{msg}"
    );
}

#[test]
fn thinking_prices_need_a_thinking_mode() {
    let msg = invalid(|s| {
        let start = s.find(r#""thinking": {"#).unwrap();
        let end = s[start..].find('}').unwrap() + start + 1;
        format!(
            "{}{}",
            s[..start].trim_end().trim_end_matches(','),
            &s[end..]
        )
    });
    assert!(msg.contains("outputThinking"), "{msg}");
}

#[test]
fn ids_must_be_unique() {
    let err = catalog_with(|s| {
        s.replace(
            r#""snapshots": ["my-model-2026-01-01"]"#,
            r#""snapshots": ["my-alias"]"#,
        )
    })
    .unwrap_err();
    assert!(
        matches!(err, CatalogError::DuplicateId { ref id, .. } if id == "my-alias"),
        "{err}"
    );
}

#[test]
fn unknown_ids_suggest_close_matches() {
    let catalog = Catalog::builtin();
    let err = catalog.model("qwen-3-max").unwrap_err();
    assert_eq!(
        err.close_matches.first().map(String::as_str),
        Some("qwen3-max")
    );
    let err = catalog.model("qwen-plux").unwrap_err();
    assert!(err.close_matches.iter().any(|m| m == "qwen-plus"), "{err}");
    let err = catalog.model("claude-opus").unwrap_err();
    assert!(err.close_matches.is_empty(), "{err}");
    assert!(err.to_string().contains("claude-opus"));
}

#[test]
fn overrides_patch_one_field_and_keep_the_rest() {
    let base = Catalog::builtin();
    let patched = base
        .with_overrides(r#"[{"id": "qwen-plus-latest", "regions": {"international": {"rateLimits": [
            {"ids": ["qwen-plus-latest"], "rpm": 300, "tpm": 500000, "scope": "my account", "sources": ["S1"]}]}}}]"#)
        .unwrap();
    let model = patched.model("qwen-plus").unwrap();
    assert_eq!(
        model.id, "qwen-plus",
        "patching by alias keeps the entry id"
    );
    assert_eq!(
        model.rate_limits_for("qwen-plus-latest", Region::International),
        Some(RateLimits {
            rpm: 300,
            tpm: 500_000
        })
    );
    // Arrays replace: the alias's own rule is gone from the patched array.
    assert_eq!(model.rate_limits(Region::International), None);
    // Everything else is untouched.
    let original = base.model("qwen-plus").unwrap();
    assert_eq!(
        model.regions[&Region::International].tiers,
        original.regions[&Region::International].tiers
    );
    assert_eq!(
        model.regions[&Region::ChineseMainland],
        original.regions[&Region::ChineseMainland]
    );
    // The built-in catalog itself is unchanged.
    assert_eq!(
        base.model("qwen-plus")
            .unwrap()
            .rate_limits(Region::International),
        Some(RateLimits {
            rpm: 600,
            tpm: 1_000_000
        })
    );
}

#[test]
fn overrides_can_remove_a_region_and_add_a_model_with_new_sources() {
    let patched = Catalog::builtin()
        .with_overrides(
            r#"{"sources": {"MINE": "my contract"}, "models": [
              {"id": "qwen3-max", "regions": {"global": null}},
              {"id": "my-finetune", "family": "Qwen3 fine-tune", "generation": "qwen3", "status": "private",
               "asOf": "2026-11-01", "sources": ["MINE"],
               "modes": {"nonThinking": {"contextWindow": 32768, "maxOutputTokens": 4096, "sources": ["MINE"]}},
               "regions": {"us": {"currency": "USD", "asOf": "2026-11", "sources": ["MINE"],
                 "tiers": [{"above": 0, "upTo": null, "input": "0.5", "output": "1.5"}]}}}]}"#,
        )
        .unwrap();
    assert!(
        patched
            .model("qwen3-max")
            .unwrap()
            .offer(Region::Global)
            .is_none()
    );
    let mine = patched.model("my-finetune").unwrap();
    assert!(mine.supports(Mode::NonThinking));
    let cost = mine
        .cost(
            Region::Us,
            &qwen_meter::Usage {
                input_tokens: 2_000,
                output_tokens: 1_000,
                ..Default::default()
            },
        )
        .unwrap();
    // 2,000 x 0.5 + 1,000 x 1.5 per 1M = 0.001 + 0.0015
    assert_eq!(cost.to_string(), "0.0025 USD");
}

#[test]
fn invalid_overrides_are_rejected_with_the_model_named() {
    let err = Catalog::builtin()
        .with_overrides(r#"[{"id": "qwen3-max", "regions": {"international": {"tiers": [{"above": 5, "upTo": null, "input": "1", "output": "1"}]}}}]"#)
        .unwrap_err();
    assert!(err.to_string().contains("model qwen3-max"), "{err}");
    assert!(err.to_string().contains("tiers[0].above"), "{err}");
    let err = Catalog::builtin()
        .with_overrides(r#"[{"family": "x"}]"#)
        .unwrap_err();
    assert!(err.to_string().contains("models[0]"), "{err}");
    let err = Catalog::builtin()
        .with_overrides(r#"[{"id": "new-one", "family": "x"}]"#)
        .unwrap_err();
    assert!(err.to_string().contains("new-one"), "{err}");
}

#[test]
fn regions_parse_from_cli_spellings() {
    for (text, region) in [
        ("international", Region::International),
        ("Singapore", Region::International),
        ("global", Region::Global),
        ("us", Region::Us),
        ("chinese-mainland", Region::ChineseMainland),
        ("chineseMainland", Region::ChineseMainland),
        ("CN", Region::ChineseMainland),
    ] {
        assert_eq!(text.parse::<Region>().unwrap(), region, "{text}");
    }
    assert!("eu".parse::<Region>().is_err());
    assert_eq!(
        serde_json::to_string(&Region::ChineseMainland).unwrap(),
        "\"chineseMainland\""
    );
}
