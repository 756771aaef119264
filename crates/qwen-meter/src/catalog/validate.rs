//! Catalog rules checked on every load: a catalog that passes can be priced without
//! surprises (tiers contiguous and ordered, prices non-negative, every figure dated and
//! sourced, limits consistent).

use std::collections::BTreeMap;

use super::{CatalogError, Mode, ModeLimits, Model, Region, RegionOffer};
use crate::Amount;

type Sources = BTreeMap<String, String>;

fn invalid(
    model: Option<&str>,
    field: impl Into<String>,
    message: impl Into<String>,
) -> CatalogError {
    CatalogError::Invalid {
        model: model.map(str::to_string),
        field: field.into(),
        message: message.into(),
    }
}

/// Checks the catalog-level fields and every model.
pub(super) fn catalog(
    as_of: &str,
    sources: &Sources,
    models: &[Model],
) -> Result<(), CatalogError> {
    date(None, "asOf", as_of)?;
    if sources.is_empty() {
        return Err(invalid(None, "sources", "a catalog must list its sources"));
    }
    for (id, text) in sources {
        if id.trim().is_empty() || text.trim().is_empty() {
            return Err(invalid(
                None,
                format!("sources.{id}"),
                "source ids and descriptions must not be empty",
            ));
        }
    }
    models.iter().try_for_each(|m| model(m, sources))
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
fn date(model: Option<&str>, field: &str, text: &str) -> Result<(), CatalogError> {
    let parts: Vec<&str> = text.split('-').collect();
    let number = |s: &str, len: usize, lo: u32, hi: u32| {
        s.len() == len
            && s.bytes().all(|b| b.is_ascii_digit())
            && s.parse::<u32>().is_ok_and(|n| (lo..=hi).contains(&n))
    };
    let ok = match parts.as_slice() {
        [y] => number(y, 4, 1990, 2999),
        [y, m] => number(y, 4, 1990, 2999) && number(m, 2, 1, 12),
        [y, m, d] => number(y, 4, 1990, 2999) && number(m, 2, 1, 12) && number(d, 2, 1, 31),
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(invalid(
            model,
            field,
            format!("{text:?} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"),
        ))
    }
}

fn cited(model: &str, field: &str, ids: &[String], sources: &Sources) -> Result<(), CatalogError> {
    if ids.is_empty() {
        return Err(invalid(
            Some(model),
            field,
            "every figure needs at least one source",
        ));
    }
    match ids.iter().find(|id| !sources.contains_key(id.as_str())) {
        Some(unknown) => Err(invalid(
            Some(model),
            field,
            format!("unknown source id {unknown:?} (not in the catalog's sources)"),
        )),
        None => Ok(()),
    }
}

fn non_negative(model: &str, field: String, amount: Amount) -> Result<(), CatalogError> {
    if amount.is_negative() {
        Err(invalid(
            Some(model),
            field,
            format!("price {amount} is negative"),
        ))
    } else {
        Ok(())
    }
}

fn model(m: &Model, sources: &Sources) -> Result<(), CatalogError> {
    let id = m.id.as_str();
    for (field, value) in m.ids().enumerate().map(|(i, v)| {
        (
            if i == 0 {
                "id".to_string()
            } else {
                format!("aliases/snapshots[{}]", i - 1)
            },
            v,
        )
    }) {
        if value.is_empty() || value.trim() != value || value.contains(char::is_whitespace) {
            return Err(invalid(
                Some(id),
                field,
                format!("{value:?} is not a usable model id"),
            ));
        }
    }
    date(Some(id), "asOf", &m.as_of)?;
    cited(id, "sources", &m.sources, sources)?;
    if m.modes.non_thinking.is_none() && m.modes.thinking.is_none() {
        return Err(invalid(
            Some(id),
            "modes",
            "a model needs limits for at least one mode",
        ));
    }
    for mode in [Mode::NonThinking, Mode::Thinking] {
        if let Some(limits) = m.limits(mode) {
            mode_limits(id, mode, limits, sources)?;
        }
    }
    for (region, offer) in &m.regions {
        region_offer(m, *region, offer, sources)?;
    }
    if let Some(media) = &m.media {
        cited(id, "media.sources", &media.sources, sources)?;
        if media.video && media.vision.is_none() {
            return Err(invalid(
                Some(id),
                "media.video",
                "video needs a vision profile to count its frames",
            ));
        }
    }
    Ok(())
}

/// Modality prices must be non-negative and only for modalities the model takes.
fn media_prices(m: &Model, field: &str, tier: &crate::Tier) -> Result<(), CatalogError> {
    let id = m.id.as_str();
    let media = m.media.as_ref();
    let takes = [
        (
            "imageInput",
            tier.image_input,
            media.is_some_and(|x| x.vision.is_some()),
        ),
        (
            "videoInput",
            tier.video_input,
            media.is_some_and(|x| x.video),
        ),
        (
            "audioInput",
            tier.audio_input,
            media.is_some_and(|x| x.audio.is_some()),
        ),
        ("outputMultimodal", tier.output_multimodal, media.is_some()),
        ("audioOutput", tier.audio_output, true),
    ];
    for (name, price, accepted) in takes {
        if let Some(price) = price {
            non_negative(id, format!("{field}.{name}"), price)?;
            if !accepted {
                return Err(invalid(
                    Some(id),
                    format!("{field}.{name}"),
                    "a price for a modality the model's media support does not take",
                ));
            }
        }
    }
    Ok(())
}

fn mode_limits(
    id: &str,
    mode: Mode,
    l: &ModeLimits,
    sources: &Sources,
) -> Result<(), CatalogError> {
    let key = match mode {
        Mode::NonThinking => "modes.nonThinking",
        Mode::Thinking => "modes.thinking",
    };
    cited(id, &format!("{key}.sources"), &l.sources, sources)?;
    if l.context_window.is_none() && l.max_input_tokens.is_none() {
        return Err(invalid(
            Some(id),
            key,
            "needs a contextWindow or a maxInputTokens to bound the prompt",
        ));
    }
    if l.max_output_tokens == 0 {
        return Err(invalid(
            Some(id),
            format!("{key}.maxOutputTokens"),
            "must be positive",
        ));
    }
    if l.max_input_tokens == Some(0) || l.context_window == Some(0) {
        return Err(invalid(Some(id), key, "token limits must be positive"));
    }
    if let Some(window) = l.context_window {
        if let Some(input) = l.max_input_tokens.filter(|&input| input > window) {
            return Err(invalid(
                Some(id),
                format!("{key}.maxInputTokens"),
                format!("{input} exceeds the context window {window}"),
            ));
        }
        if l.max_output_tokens > window {
            return Err(invalid(
                Some(id),
                format!("{key}.maxOutputTokens"),
                format!(
                    "{} exceeds the context window {window}",
                    l.max_output_tokens
                ),
            ));
        }
    }
    if mode == Mode::NonThinking && l.max_reasoning_tokens.is_some() {
        return Err(invalid(
            Some(id),
            format!("{key}.maxReasoningTokens"),
            "only thinking mode reasons",
        ));
    }
    Ok(())
}

fn region_offer(
    m: &Model,
    region: Region,
    offer: &RegionOffer,
    sources: &Sources,
) -> Result<(), CatalogError> {
    let id = m.id.as_str();
    let key = format!("regions.{}", region.id());
    if offer.currency != region.currency() {
        return Err(invalid(
            Some(id),
            format!("{key}.currency"),
            format!(
                "{region} bills in {}, not {}: figures are stored in the region's own currency",
                region.currency(),
                offer.currency
            ),
        ));
    }
    date(Some(id), &format!("{key}.asOf"), &offer.as_of)?;
    cited(id, &format!("{key}.sources"), &offer.sources, sources)?;
    if offer.tiers.is_empty() {
        return Err(invalid(
            Some(id),
            format!("{key}.tiers"),
            "a priced region needs at least one tier",
        ));
    }
    let mut expected_above = 0;
    for (i, tier) in offer.tiers.iter().enumerate() {
        let field = format!("{key}.tiers[{i}]");
        if tier.above != expected_above {
            return Err(invalid(
                Some(id),
                format!("{field}.above"),
                format!(
                    "tiers must be contiguous and ordered: expected above = {expected_above}, found {}",
                    tier.above
                ),
            ));
        }
        match tier.up_to {
            Some(hi) if hi <= tier.above => {
                return Err(invalid(
                    Some(id),
                    format!("{field}.upTo"),
                    format!("upTo {hi} must be greater than above {}", tier.above),
                ));
            }
            Some(hi) => expected_above = hi,
            None if i + 1 != offer.tiers.len() => {
                return Err(invalid(
                    Some(id),
                    format!("{field}.upTo"),
                    "only the last tier may be unbounded",
                ));
            }
            None => {}
        }
        non_negative(id, format!("{field}.input"), tier.input)?;
        non_negative(id, format!("{field}.output"), tier.output)?;
        media_prices(m, &field, tier)?;
        if let Some(thinking) = tier.output_thinking {
            non_negative(id, format!("{field}.outputThinking"), thinking)?;
            if !m.supports(Mode::Thinking) {
                return Err(invalid(
                    Some(id),
                    format!("{field}.outputThinking"),
                    "a thinking price for a model without thinking mode",
                ));
            }
        }
    }
    if let Some(cache) = &offer.cache {
        cited(id, &format!("{key}.cache.sources"), &cache.sources, sources)?;
        for (name, ratio) in [
            ("implicitHit", cache.implicit_hit),
            ("explicitCreate", cache.explicit_create),
            ("explicitHit", cache.explicit_hit),
        ] {
            if let Some(ratio) = ratio {
                non_negative(id, format!("{key}.cache.{name}"), ratio)?;
            }
        }
        if cache.explicit_create.is_some() != cache.explicit_hit.is_some() {
            return Err(invalid(
                Some(id),
                format!("{key}.cache"),
                "explicit cache needs both explicitCreate and explicitHit",
            ));
        }
    }
    if let Some(batch) = &offer.batch {
        cited(id, &format!("{key}.batch.sources"), &batch.sources, sources)?;
        let one: Amount = Amount::from_decimal(1u32.into());
        if batch.price_ratio.is_negative() || batch.price_ratio.is_zero() || batch.price_ratio > one
        {
            return Err(invalid(
                Some(id),
                format!("{key}.batch.priceRatio"),
                format!("{} must be in (0, 1]", batch.price_ratio),
            ));
        }
    }
    for (i, rule) in offer.rate_limits.iter().enumerate() {
        let field = format!("{key}.rateLimits[{i}]");
        // One id, one rule: otherwise which limit applies would depend on the order.
        let earlier = offer.rate_limits[..i].iter().flat_map(|r| &r.ids);
        if let Some(twice) = earlier
            .into_iter()
            .find(|e| rule.ids.iter().any(|id| id.eq_ignore_ascii_case(e)))
        {
            return Err(invalid(
                Some(id),
                format!("{field}.ids"),
                format!("{twice:?} already has rate limits in this region"),
            ));
        }
        cited(id, &format!("{field}.sources"), &rule.sources, sources)?;
        if rule.rpm == 0 || rule.tpm == 0 {
            return Err(invalid(Some(id), field, "rpm and tpm must be positive"));
        }
        if rule.ids.is_empty() {
            return Err(invalid(
                Some(id),
                format!("{field}.ids"),
                "name the ids these limits apply to",
            ));
        }
        if let Some(stranger) = rule
            .ids
            .iter()
            .find(|r| !m.ids().any(|own| own.eq_ignore_ascii_case(r)))
        {
            return Err(invalid(
                Some(id),
                format!("{field}.ids"),
                format!("{stranger:?} is not an id, alias or snapshot of this model"),
            ));
        }
    }
    Ok(())
}
