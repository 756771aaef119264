//! Model lookups shared by the subcommands: the catalog (built-in or `--catalog FILE`), model
//! and region resolution with suggestions, prompt budgets, and the JSON shape of a cost.
//!
//! Error mapping: an unknown model or region, a model without a price in the region, or a bad
//! catalog file exit with 3; a request the model cannot take (too long, a mode, cache or batch
//! it lacks) exits with 5.

use std::path::Path;

use qwen_meter::{
    Amount, Catalog, CatalogError, Cost, CostError, FitError, Generation, Mode, Model, Region,
};
use serde::Serialize;

use crate::context::Context;
use crate::error::{CliError, CliResult};

/// Loads the catalog of `--catalog FILE`.
///
/// A JSON array, or an object without `"asOf"`, is a list of overrides applied to the built-in
/// catalog (see `Catalog::with_overrides`); an object with `"asOf"` is a whole catalog.
pub fn load_catalog(path: &Path) -> CliResult<Catalog> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        CliError::model(format!(
            "cannot read catalog file {}: {}",
            path.display(),
            crate::input::io_error(path, &e).message
        ))
    })?;
    let whole = serde_json::from_str::<serde_json::Value>(&text)
        .map(|v| v.get("asOf").is_some())
        .unwrap_or(false);
    let r = if whole {
        Catalog::from_json(&text)
    } else {
        Catalog::builtin().with_overrides(&text)
    };
    r.map_err(|e: CatalogError| CliError::model(format!("catalog file {}: {e}", path.display())))
}

/// Looks `id` up (id, alias or dated snapshot); unknown ids list close matches.
pub fn find_model<'a>(catalog: &'a Catalog, id: &str) -> CliResult<&'a Model> {
    catalog.model(id).map_err(|e| {
        let mut err = CliError::model(format!("unknown model '{id}'"));
        if !e.close_matches.is_empty() {
            err = err.hint(format!("did you mean: {}?", e.close_matches.join(", ")));
        }
        err.hint("run `qwen-meter models` to list the models of the catalog")
    })
}

/// The model named by `--model`, if any.
pub fn model_opt<'a>(ctx: &'a Context, id: Option<&str>) -> CliResult<Option<&'a Model>> {
    match id {
        Some(id) => Ok(Some(find_model(ctx.catalog()?, id)?)),
        None => Ok(None),
    }
}

/// The tokenizer generation of `--model`, if one is given.
pub fn model_generation(ctx: &Context, model: Option<&str>) -> CliResult<Option<Generation>> {
    Ok(model_opt(ctx, model)?.map(|m| m.generation))
}

/// How `--region` spells a region (`chinese-mainland`, not the JSON id `chineseMainland`).
pub fn region_flag(r: Region) -> &'static str {
    match r {
        Region::International => "international",
        Region::Global => "global",
        Region::Us => "us",
        Region::ChineseMainland => "chinese-mainland",
    }
}

/// Parses `--region`.
pub fn parse_region(s: &str) -> CliResult<Region> {
    s.parse::<Region>()
        .map_err(|e| CliError::model(e.to_string()))
}

/// The region: `--region` when given (and priced for this model), else the first region
/// the model is priced in.
pub fn region_for(model: &Model, arg: Option<&str>) -> CliResult<Region> {
    let offered: Vec<String> = model
        .offered_regions()
        .map(|r| r.id().to_string())
        .collect();
    match arg {
        Some(s) => {
            let r = parse_region(s)?;
            if model.offer(r).is_none() {
                return Err(CliError::model(format!(
                    "model {} has no price in region {} in the catalog",
                    model.id,
                    r.id()
                ))
                .hint(if offered.is_empty() {
                    "it is not priced in any region".to_string()
                } else {
                    format!("priced in: {}", offered.join(", "))
                }));
            }
            Ok(r)
        }
        None => model.offered_regions().next().ok_or_else(|| {
            CliError::model(format!(
                "model {} has no price in any region in the catalog",
                model.id
            ))
        }),
    }
}

/// The mode: thinking when asked for or when the model only thinks.
pub fn mode_for(model: &Model, thinking: bool) -> Mode {
    if thinking {
        Mode::Thinking
    } else {
        model.default_mode()
    }
}

/// Maps a cost error to an exit code: region problems are 3, limits and features are 5.
pub fn cost_error(e: &CostError) -> CliError {
    match e {
        CostError::RegionNotOffered { .. } => CliError::model(e.to_string()),
        // The library's wording names its own fields; say it with the flags.
        CostError::BatchWithCache { model } => CliError::limit(format!(
            "model {model}: the batch API has no context cache, so --batch does not combine with --cached-tokens or --cache-creation-tokens"
        ))
        .hint("drop --batch, or leave out the cached tokens"),
        _ => CliError::limit(e.to_string()),
    }
}

/// Maps a context-fit error (exit code 5).
pub fn fit_error(e: &FitError) -> CliError {
    CliError::limit(e.to_string())
}

/// The prompt budget of a model for `truncate`.
#[derive(Debug, Clone, Serialize)]
pub struct ModelBudget {
    /// Model id (the catalog entry's).
    pub id: String,
    /// Tokenizer generation of the model.
    #[serde(skip)]
    pub generation: Generation,
    /// `non-thinking` or `thinking`.
    pub mode: String,
    /// Output tokens reserved.
    pub reserve_output: u64,
    /// Tokens the prompt may have.
    pub budget: u64,
}

/// The longest prompt `model` takes with `reserve` output tokens in its mode.
pub fn prompt_budget(
    ctx: &Context,
    model: &str,
    thinking: bool,
    reserve: u64,
) -> CliResult<ModelBudget> {
    let m = find_model(ctx.catalog()?, model)?;
    let mode = mode_for(m, thinking);
    let budget = m.prompt_budget(mode, reserve).map_err(|e| fit_error(&e))?;
    Ok(ModelBudget {
        id: m.id.clone(),
        generation: m.generation,
        mode: mode.to_string(),
        reserve_output: reserve,
        budget,
    })
}

/// The `"model"` object of JSON outputs that price something.
#[derive(Debug, Clone, Serialize)]
pub struct PricedModel {
    /// Catalog entry id.
    pub id: String,
    /// Region id (`international`, `global`, `us`, `chineseMainland`).
    pub region: &'static str,
    /// `USD` or `CNY`.
    pub currency: String,
    /// `non-thinking` or `thinking`.
    pub mode: String,
    /// Expected output tokens per request.
    pub output_tokens: u64,
}

/// Tier bounds in a cost.
#[derive(Debug, Clone, Serialize)]
pub struct TierJson {
    /// Index in the region's tiers (0-based).
    pub index: usize,
    /// Exclusive lower bound of input tokens.
    pub above: u64,
    /// Inclusive upper bound, `null` for none.
    pub up_to: Option<u64>,
}

/// Prices per 1M tokens applied.
#[derive(Debug, Clone, Serialize)]
pub struct UnitPricesJson {
    /// Uncached input.
    pub input: String,
    /// Cached input, when the request has some.
    pub cached_input: Option<String>,
    /// Cache creation, when the request has some.
    pub cache_creation: Option<String>,
    /// Output.
    pub output: String,
}

/// Token usage priced.
#[derive(Debug, Clone, Serialize)]
pub struct UsageJson {
    /// All input tokens.
    pub input_tokens: u64,
    /// Output tokens (reasoning included).
    pub output_tokens: u64,
    /// Cached input tokens.
    pub cached_input_tokens: u64,
    /// `implicit` or `explicit`.
    pub cache: String,
    /// Cache-creation input tokens.
    pub cache_creation_input_tokens: u64,
    /// Thinking mode.
    pub thinking: bool,
    /// Batch API.
    pub batch: bool,
}

/// The `"cost"` object of JSON outputs: amounts are exact decimal strings.
#[derive(Debug, Clone, Serialize)]
pub struct CostJson {
    /// Catalog entry id.
    pub model: String,
    /// Region id.
    pub region: &'static str,
    /// `USD` or `CNY`.
    pub currency: String,
    /// Total.
    pub total: String,
    /// Uncached input part.
    pub input: String,
    /// Cached input part.
    pub cached_input: String,
    /// Cache creation part.
    pub cache_creation: String,
    /// Output part.
    pub output: String,
    /// Tier used.
    pub tier: TierJson,
    /// Prices per 1M tokens applied.
    pub unit_prices: UnitPricesJson,
    /// Usage priced.
    pub usage: UsageJson,
}

impl From<&Cost> for CostJson {
    fn from(c: &Cost) -> CostJson {
        CostJson {
            model: c.model.clone(),
            region: c.region.id(),
            currency: c.currency.to_string(),
            total: c.total.to_string(),
            input: c.breakdown.input.to_string(),
            cached_input: c.breakdown.cached_input.to_string(),
            cache_creation: c.breakdown.cache_creation.to_string(),
            output: c.breakdown.output.to_string(),
            tier: TierJson {
                index: c.tier_index,
                above: c.tier.above,
                up_to: c.tier.up_to,
            },
            unit_prices: UnitPricesJson {
                input: c.unit_prices.input.to_string(),
                cached_input: c.unit_prices.cached_input.map(|a| a.to_string()),
                cache_creation: c.unit_prices.cache_creation.map(|a| a.to_string()),
                output: c.unit_prices.output.to_string(),
            },
            usage: UsageJson {
                input_tokens: c.usage.input_tokens,
                output_tokens: c.usage.output_tokens,
                cached_input_tokens: c.usage.cached_input_tokens,
                cache: c.usage.cache.to_string(),
                cache_creation_input_tokens: c.usage.cache_creation_input_tokens,
                thinking: c.usage.thinking,
                batch: c.usage.batch,
            },
        }
    }
}

/// Sum of amounts, `None` on overflow.
pub fn sum_amounts(amounts: impl IntoIterator<Item = Amount>) -> Option<Amount> {
    amounts
        .into_iter()
        .try_fold(Amount::ZERO, |acc, a| acc.checked_add(a))
}

/// A readable tier range: `input <= 32,000`, `32,000 < input <= 128,000`, `input > 256,000`.
pub fn tier_range(above: u64, up_to: Option<u64>) -> String {
    match (above, up_to) {
        (0, Some(u)) => format!("input <= {}", thousands(u)),
        (0, None) => "any input".to_string(),
        (a, Some(u)) => format!("{} < input <= {}", thousands(a), thousands(u)),
        (a, None) => format!("input > {}", thousands(a)),
    }
}

/// `1234567` as `1,234,567`.
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}
