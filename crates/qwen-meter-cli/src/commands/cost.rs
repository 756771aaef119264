//! `qwen-meter cost`: price a request from token counts.

use qwen_meter::{CacheKind, Cost, Usage};
use serde::Serialize;

use crate::cli::{CacheArg, CostArgs};
use crate::context::Context;
use crate::error::CliResult;
use crate::media::{self, MediaFlags};
use crate::output::{Align, Table, print_json, write_stdout};
use crate::pricing::{self, CostJson, tier_range};

#[derive(Serialize)]
struct CostOutput {
    cost: CostJson,
    /// Input tokens by modality, when media flags were given.
    #[serde(skip_serializing_if = "Option::is_none")]
    tokens: Option<media::MediaTokens>,
    /// Money of media priced apart from text (Omni).
    #[serde(skip_serializing_if = "Option::is_none")]
    media_cost: Option<media::MediaCost>,
}

/// Runs `cost`.
pub fn run(ctx: &Context, args: &CostArgs) -> CliResult<i32> {
    let model = pricing::find_model(ctx.catalog()?, &args.model)?;
    let region = pricing::region_for(model, args.region.as_deref())?;
    let usage = Usage {
        input_tokens: args.input_tokens,
        output_tokens: args.output_tokens,
        cached_input_tokens: args.cached_tokens,
        cache: match args.cache {
            CacheArg::Implicit => CacheKind::Implicit,
            CacheArg::Explicit => CacheKind::Explicit,
        },
        cache_creation_input_tokens: args.cache_creation_tokens,
        thinking: pricing::mode_for(model, args.thinking) == qwen_meter::Mode::Thinking,
        batch: args.batch,
        ..Usage::default()
    };
    let flags = MediaFlags {
        images: args.image.clone(),
        videos: args.video.clone(),
        audio: args.audio.clone(),
        fps: args.fps,
        high_resolution: args.high_resolution,
    };
    let media_tokens = if flags.is_empty() {
        None
    } else {
        Some(media::tokens(model, &flags, args.input_tokens)?)
    };
    let usage = match &media_tokens {
        Some(tokens) => tokens.add_to(usage),
        None => usage,
    };
    let cost = model
        .cost(region, &usage)
        .map_err(|e| pricing::cost_error(&e))?;
    if ctx.json() {
        print_json(&CostOutput {
            cost: CostJson::from(&cost),
            media_cost: media::MediaCost::of(&cost),
            tokens: media_tokens,
        });
    } else {
        let mut text = render(&cost, model.offer(region).map_or(0, |o| o.tiers.len()));
        if let Some(tokens) = &media_tokens {
            text.push('\n');
            text.push_str(&tokens.render());
        }
        write_stdout(&text);
    }
    Ok(0)
}

/// The cost as a readable breakdown.
pub fn render(cost: &Cost, tiers: usize) -> String {
    let u = &cost.usage;
    let mut out = format!(
        "model   {} ({}, {}{}{})\ntier    {} of {}: {}\n\n",
        cost.model,
        cost.region,
        if u.thinking {
            "thinking"
        } else {
            "non-thinking"
        },
        if u.batch { ", batch" } else { "" },
        if u.cached_input_tokens > 0 || u.cache_creation_input_tokens > 0 {
            format!(", {} cache", u.cache)
        } else {
            String::new()
        },
        cost.tier_index + 1,
        tiers,
        tier_range(cost.tier.above, cost.tier.up_to),
    );
    let price_head = format!("{} per 1M", cost.currency);
    let mut t = Table::new(&[
        ("", Align::Left),
        ("tokens", Align::Right),
        (price_head.as_str(), Align::Right),
        ("cost", Align::Right),
    ]);
    // Media priced apart from text (Omni) get rows of their own.
    let p = &cost.unit_prices;
    let b = &cost.breakdown;
    let apart = [
        ("image input", p.image_input, u.image_tokens, b.image_input),
        ("video input", p.video_input, u.video_tokens, b.video_input),
        ("audio input", p.audio_input, u.audio_tokens, b.audio_input),
    ];
    let apart_tokens: u128 = apart
        .iter()
        .filter(|row| row.1.is_some())
        .map(|row| row.2 as u128)
        .sum();
    // The library checked that the cached parts fit in the input; u128 keeps the sums exact
    // even at u64::MAX.
    let uncached = (u.input_tokens as u128
        - u.cached_input_tokens as u128
        - u.cache_creation_input_tokens as u128)
        .saturating_sub(apart_tokens);
    t.row(vec![
        "input".into(),
        uncached.to_string(),
        cost.unit_prices.input.to_string(),
        cost.breakdown.input.to_string(),
    ]);
    for (name, price, tokens, amount) in apart {
        if let Some(price) = price {
            t.row(vec![
                name.into(),
                tokens.to_string(),
                price.to_string(),
                amount.to_string(),
            ]);
        }
    }
    if let Some(p) = cost.unit_prices.cached_input {
        t.row(vec![
            "cached input".into(),
            u.cached_input_tokens.to_string(),
            p.to_string(),
            cost.breakdown.cached_input.to_string(),
        ]);
    }
    if let Some(p) = cost.unit_prices.cache_creation {
        t.row(vec![
            "cache creation".into(),
            u.cache_creation_input_tokens.to_string(),
            p.to_string(),
            cost.breakdown.cache_creation.to_string(),
        ]);
    }
    t.row(vec![
        "output".into(),
        u.output_tokens.to_string(),
        cost.unit_prices.output.to_string(),
        cost.breakdown.output.to_string(),
    ]);
    if let Some(price) = p.audio_output {
        t.row(vec![
            "audio output".into(),
            u.output_audio_tokens.to_string(),
            price.to_string(),
            b.audio_output.to_string(),
        ]);
    }
    t.rule();
    t.row(vec![
        "total".into(),
        (u.input_tokens as u128 + u.output_tokens as u128).to_string(),
        String::new(),
        format!("{} {}", cost.total, cost.currency),
    ]);
    out.push_str(&t.render());
    out
}
