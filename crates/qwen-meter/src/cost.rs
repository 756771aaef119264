//! Exact cost of a request: usage (tokens, cache, thinking, batch) -> money with a breakdown.
//!
//! The rules follow Alibaba Cloud Model Studio billing:
//! - the tier is chosen by the request's **total** input tokens `T` (`above < T <= upTo`,
//!   K = 1,000) and the whole request (input, cached input, output) is billed at that tier:
//!   not marginally;
//! - with thinking on, **all** output tokens (reasoning and answer) are billed at the
//!   thinking price;
//! - implicit cache hits cost 20% of the tier's input price, explicit cache creation 125%
//!   and explicit hits 10% (ratios stored per region in the catalog); only input is
//!   discounted;
//! - batch costs a fraction (50%) of the real-time input and output price and does not
//!   combine with the context cache.
//!
//! ```
//! use qwen_meter::{Catalog, Region, Usage};
//! let model = Catalog::builtin().model("qwen3-max")?;
//! let usage = Usage { input_tokens: 50_000, output_tokens: 2_000, ..Default::default() };
//! let cost = model.cost(Region::International, &usage)?;
//! assert_eq!(format!("{} {}", cost.total, cost.currency), "0.144 USD");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{Currency, Mode, Model, Region, Tier};

mod amount;

pub use amount::{Amount, ParseAmountError};

/// Which context cache the cached input tokens of a request hit.
///
/// ```
/// assert_eq!(qwen_meter::CacheKind::default(), qwen_meter::CacheKind::Implicit);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum CacheKind {
    /// The automatic cache: hits cost 20% of the input price; creating entries costs nothing extra.
    #[default]
    Implicit,
    /// The explicit cache (`cache_control` markers): creation 125%, hits 10% of the input price.
    Explicit,
}

impl fmt::Display for CacheKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CacheKind::Implicit => "implicit",
            CacheKind::Explicit => "explicit",
        })
    }
}

/// The token usage of one request, as the API reports it.
///
/// `input_tokens` is the **total** prompt (cached and cache-creating tokens included), as in
/// the API's `prompt_tokens`; `cached_input_tokens` and `cache_creation_input_tokens` are parts
/// of it. `output_tokens` includes reasoning tokens in thinking mode.
///
/// ```
/// use qwen_meter::{CacheKind, Usage};
/// let usage = Usage {
///     input_tokens: 10_000,
///     cached_input_tokens: 8_000,
///     cache: CacheKind::Explicit,
///     output_tokens: 500,
///     ..Default::default()
/// };
/// assert!(!usage.thinking && !usage.batch);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Usage {
    /// All input tokens of the request (chooses the tier).
    pub input_tokens: u64,
    /// Output tokens, reasoning included.
    pub output_tokens: u64,
    /// Input tokens served from the context cache (part of `input_tokens`).
    pub cached_input_tokens: u64,
    /// Which cache `cached_input_tokens` hit.
    pub cache: CacheKind,
    /// Input tokens written to a new explicit cache entry (part of `input_tokens`).
    pub cache_creation_input_tokens: u64,
    /// Thinking mode on.
    pub thinking: bool,
    /// Sent through the batch API.
    pub batch: bool,
}

impl Usage {
    /// The mode this usage runs in.
    ///
    /// ```
    /// use qwen_meter::{Mode, Usage};
    /// assert_eq!(Usage { thinking: true, ..Default::default() }.mode(), Mode::Thinking);
    /// ```
    pub fn mode(&self) -> Mode {
        Mode::from_thinking(self.thinking)
    }
}

/// Money per part of a request; the parts add up to [`Cost::total`] exactly.
///
/// ```
/// use qwen_meter::{Catalog, Region, Usage};
/// let cost = Catalog::builtin().model("qwen3-max")?
///     .cost(Region::International, &Usage { input_tokens: 50_000, output_tokens: 2_000, ..Default::default() })?;
/// assert_eq!(cost.breakdown.input.to_string(), "0.12");
/// assert_eq!(cost.breakdown.output.to_string(), "0.024");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CostBreakdown {
    /// Uncached input tokens.
    pub input: Amount,
    /// Input tokens served from the cache.
    pub cached_input: Amount,
    /// Input tokens written to an explicit cache.
    pub cache_creation: Amount,
    /// Output tokens (reasoning included).
    pub output: Amount,
}

impl CostBreakdown {
    /// The exact sum of the parts, or `None` on overflow.
    ///
    /// ```
    /// let parts = qwen_meter::CostBreakdown::default();
    /// assert!(parts.sum().unwrap().is_zero());
    /// ```
    pub fn sum(&self) -> Option<Amount> {
        self.input
            .checked_add(self.cached_input)?
            .checked_add(self.cache_creation)?
            .checked_add(self.output)
    }
}

/// The prices per 1M tokens actually applied, after the thinking, cache and batch rules.
///
/// ```
/// use qwen_meter::{Catalog, Region, Usage};
/// let cost = Catalog::builtin().model("qwen-plus")?
///     .cost(Region::International, &Usage { input_tokens: 1_000, output_tokens: 1_000, batch: true, ..Default::default() })?;
/// assert_eq!(cost.unit_prices.input.to_string(), "0.2"); // 0.4 at half price
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UnitPrices {
    /// Per 1M uncached input tokens.
    pub input: Amount,
    /// Per 1M cached input tokens (`None` when the request has none).
    pub cached_input: Option<Amount>,
    /// Per 1M cache-creation tokens (`None` when the request has none).
    pub cache_creation: Option<Amount>,
    /// Per 1M output tokens.
    pub output: Amount,
}

/// The cost of one request: total, currency, breakdown and the tier that priced it.
///
/// `Display` prints `"<total> <currency>"`, e.g. `0.144 USD`.
///
/// ```
/// use qwen_meter::{Catalog, Region, Usage};
/// let cost = Catalog::builtin().model("qwen3-max")?
///     .cost(Region::International, &Usage { input_tokens: 50_000, output_tokens: 2_000, ..Default::default() })?;
/// assert_eq!(cost.to_string(), "0.144 USD");
/// assert_eq!(cost.tier_index, 1); // 32K < 50,000 <= 128K
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Cost {
    /// The catalog entry that priced the request.
    pub model: String,
    /// The region whose prices applied.
    pub region: Region,
    /// The region's currency.
    pub currency: Currency,
    /// The exact total.
    pub total: Amount,
    /// The parts of the total.
    pub breakdown: CostBreakdown,
    /// Index of the tier used in the region's `tiers`.
    pub tier_index: usize,
    /// The tier used (bounds and list prices).
    pub tier: Tier,
    /// Prices per 1M tokens after the thinking, cache and batch rules.
    pub unit_prices: UnitPrices,
    /// The usage that was priced.
    pub usage: Usage,
}

impl fmt::Display for Cost {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.total, self.currency)
    }
}

/// Why a usage cannot be priced. Every variant names the model and what is out of bounds.
///
/// ```
/// use qwen_meter::{Catalog, CostError, Region, Usage};
/// let err = Catalog::builtin().model("qwen-long")?
///     .cost(Region::International, &Usage::default()).unwrap_err();
/// assert!(matches!(err, CostError::RegionNotOffered { .. }));
/// assert!(err.to_string().contains("Chinese Mainland"));
/// # Ok::<(), qwen_meter::UnknownModel>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CostError {
    /// The catalog has no price for the model in this region.
    RegionNotOffered {
        /// Model id.
        model: String,
        /// The region asked for.
        region: Region,
        /// The regions that are priced.
        offered: Vec<Region>,
    },
    /// The model does not run in this mode (thinking on a non-thinking model, or thinking
    /// off on a thinking-only model).
    ModeNotSupported {
        /// Model id.
        model: String,
        /// The mode asked for.
        mode: Mode,
    },
    /// More input than the model accepts.
    InputTooLong {
        /// Model id.
        model: String,
        /// The mode whose limit applies.
        mode: Mode,
        /// Input tokens of the usage.
        input_tokens: u64,
        /// The model's maximum.
        max_input_tokens: u64,
    },
    /// More input than the last price tier of the region covers.
    BeyondLastTier {
        /// Model id.
        model: String,
        /// Region.
        region: Region,
        /// Input tokens of the usage.
        input_tokens: u64,
        /// Upper bound of the last tier.
        last_tier_up_to: u64,
    },
    /// More output than the model can produce (answer plus reasoning in thinking mode).
    OutputTooLong {
        /// Model id.
        model: String,
        /// The mode whose limit applies.
        mode: Mode,
        /// Output tokens of the usage.
        output_tokens: u64,
        /// The model's maximum billed output.
        max_output_tokens: u64,
    },
    /// Cached or cache-creation tokens, but this cache is not offered (or not priced) here.
    CacheNotSupported {
        /// Model id.
        model: String,
        /// Region.
        region: Region,
        /// The cache kind asked for.
        cache: CacheKind,
    },
    /// Batch asked for, but not offered (or not priced) here.
    BatchNotSupported {
        /// Model id.
        model: String,
        /// Region.
        region: Region,
    },
    /// Batch and context cache together: the discounts do not combine.
    BatchWithCache {
        /// Model id.
        model: String,
    },
    /// Cached plus cache-creation tokens exceed the input tokens they are part of.
    CacheExceedsInput {
        /// Model id.
        model: String,
        /// Cached input tokens.
        cached_input_tokens: u64,
        /// Cache-creation tokens.
        cache_creation_input_tokens: u64,
        /// All input tokens.
        input_tokens: u64,
    },
    /// Cache-creation tokens with the implicit cache, which bills creation as plain input.
    CacheCreationNotExplicit {
        /// Model id.
        model: String,
        /// Cache-creation tokens given.
        cache_creation_input_tokens: u64,
    },
    /// The amount does not fit the decimal type (absurd token counts or prices).
    Overflow {
        /// Model id.
        model: String,
    },
}

impl fmt::Display for CostError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CostError::RegionNotOffered {
                model,
                region,
                offered,
            } => {
                write!(
                    f,
                    "model {model} has no price in region {region} in the catalog"
                )?;
                if offered.is_empty() {
                    write!(f, " (no region is priced)")
                } else {
                    let names: Vec<String> = offered.iter().map(Region::to_string).collect();
                    write!(f, " (priced in: {})", names.join(", "))
                }
            }
            CostError::ModeNotSupported {
                model,
                mode: Mode::Thinking,
            } => {
                write!(
                    f,
                    "model {model} has no thinking mode (set thinking to false)"
                )
            }
            CostError::ModeNotSupported {
                model,
                mode: Mode::NonThinking,
            } => {
                write!(
                    f,
                    "model {model} only runs in thinking mode (set thinking to true)"
                )
            }
            CostError::InputTooLong {
                model,
                mode,
                input_tokens,
                max_input_tokens,
            } => write!(
                f,
                "{input_tokens} input tokens exceed the maximum input of model {model} in {mode} mode ({max_input_tokens})"
            ),
            CostError::BeyondLastTier {
                model,
                region,
                input_tokens,
                last_tier_up_to,
            } => write!(
                f,
                "{input_tokens} input tokens are beyond the last price tier of model {model} in region {region} (up to {last_tier_up_to})"
            ),
            CostError::OutputTooLong {
                model,
                mode,
                output_tokens,
                max_output_tokens,
            } => write!(
                f,
                "{output_tokens} output tokens exceed the maximum output of model {model} in {mode} mode ({max_output_tokens})"
            ),
            CostError::CacheNotSupported {
                model,
                region,
                cache,
            } => write!(
                f,
                "model {model} has no {cache} context-cache price in region {region} in the catalog"
            ),
            CostError::BatchNotSupported { model, region } => {
                write!(
                    f,
                    "model {model} has no batch price in region {region} in the catalog"
                )
            }
            CostError::BatchWithCache { model } => write!(
                f,
                "model {model}: batch does not combine with the context cache (set batch to false or drop the cached tokens)"
            ),
            CostError::CacheExceedsInput {
                model,
                cached_input_tokens,
                cache_creation_input_tokens,
                input_tokens,
            } => write!(
                f,
                "model {model}: {cached_input_tokens} cached + {cache_creation_input_tokens} cache-creation tokens exceed the {input_tokens} input tokens they are part of"
            ),
            CostError::CacheCreationNotExplicit {
                model,
                cache_creation_input_tokens,
            } => write!(
                f,
                "model {model}: {cache_creation_input_tokens} cache-creation tokens need the explicit cache (the implicit cache bills creation as plain input)"
            ),
            CostError::Overflow { model } => write!(
                f,
                "model {model}: the cost does not fit in 28 significant digits"
            ),
        }
    }
}

impl std::error::Error for CostError {}

impl Model {
    /// The exact cost of `usage` in `region`, by the billing rules (tier by total input, thinking price for all output, cache ratios of the tier input price, batch ratio).
    ///
    /// ```
    /// use qwen_meter::{Catalog, Region, Usage};
    /// let model = Catalog::builtin().model("qwen3-max")?;
    /// let usage = Usage { input_tokens: 50_000, output_tokens: 2_000, ..Default::default() };
    /// let cost = model.cost(Region::International, &usage)?;
    /// println!("{} {}", cost.total, cost.currency); // prints: 0.144 USD
    /// assert_eq!(cost.to_string(), "0.144 USD");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn cost(&self, region: Region, usage: &Usage) -> Result<Cost, CostError> {
        let model = || self.id.clone();
        let mode = usage.mode();
        let limits = self
            .limits(mode)
            .ok_or_else(|| CostError::ModeNotSupported {
                model: model(),
                mode,
            })?;
        let offer = self
            .offer(region)
            .ok_or_else(|| CostError::RegionNotOffered {
                model: model(),
                region,
                offered: self.offered_regions().collect(),
            })?;

        // The cached parts are slices of the input; they cannot be larger than it.
        let cache_parts = usage
            .cached_input_tokens
            .checked_add(usage.cache_creation_input_tokens);
        if cache_parts.is_none_or(|parts| parts > usage.input_tokens) {
            return Err(CostError::CacheExceedsInput {
                model: model(),
                cached_input_tokens: usage.cached_input_tokens,
                cache_creation_input_tokens: usage.cache_creation_input_tokens,
                input_tokens: usage.input_tokens,
            });
        }
        if usage.cache == CacheKind::Implicit && usage.cache_creation_input_tokens > 0 {
            return Err(CostError::CacheCreationNotExplicit {
                model: model(),
                cache_creation_input_tokens: usage.cache_creation_input_tokens,
            });
        }

        // Limits: the prompt bound is max input, or the context window when that is all we know.
        if let Some(max_input) = limits.max_input_tokens.or(limits.context_window) {
            if usage.input_tokens > max_input {
                return Err(CostError::InputTooLong {
                    model: model(),
                    mode,
                    input_tokens: usage.input_tokens,
                    max_input_tokens: max_input,
                });
            }
        }
        let max_output = limits.max_billed_output_tokens();
        if usage.output_tokens > max_output {
            return Err(CostError::OutputTooLong {
                model: model(),
                mode,
                output_tokens: usage.output_tokens,
                max_output_tokens: max_output,
            });
        }
        let (tier_index, tier) =
            offer
                .tier_for(usage.input_tokens)
                .ok_or_else(|| CostError::BeyondLastTier {
                    model: model(),
                    region,
                    input_tokens: usage.input_tokens,
                    last_tier_up_to: offer.tiers.last().and_then(|t| t.up_to).unwrap_or(0),
                })?;

        let uses_cache = usage.cached_input_tokens > 0 || usage.cache_creation_input_tokens > 0;
        if usage.batch && uses_cache {
            return Err(CostError::BatchWithCache { model: model() });
        }
        let overflow = || CostError::Overflow { model: model() };

        // Batch scales the real-time prices of input and output.
        let (input_price, output_price) = if usage.batch {
            let ratio = offer
                .batch
                .as_ref()
                .ok_or_else(|| CostError::BatchNotSupported {
                    model: model(),
                    region,
                })?
                .price_ratio;
            (
                tier.input.checked_mul(ratio).ok_or_else(overflow)?,
                tier.output_price(usage.thinking)
                    .checked_mul(ratio)
                    .ok_or_else(overflow)?,
            )
        } else {
            (tier.input, tier.output_price(usage.thinking))
        };

        // Cache prices are ratios of the tier's input price, so they follow the tier.
        let cache_ratio = |ratio: Option<Amount>| -> Result<Amount, CostError> {
            let ratio = ratio.ok_or_else(|| CostError::CacheNotSupported {
                model: model(),
                region,
                cache: usage.cache,
            })?;
            tier.input.checked_mul(ratio).ok_or_else(overflow)
        };
        let cache = offer.cache.as_ref();
        let cached_price = if usage.cached_input_tokens > 0 {
            Some(cache_ratio(cache.and_then(|c| match usage.cache {
                CacheKind::Implicit => c.implicit_hit,
                CacheKind::Explicit => c.explicit_hit,
            }))?)
        } else {
            None
        };
        let creation_price = if usage.cache_creation_input_tokens > 0 {
            Some(cache_ratio(cache.and_then(|c| c.explicit_create))?)
        } else {
            None
        };

        let uncached =
            usage.input_tokens - usage.cached_input_tokens - usage.cache_creation_input_tokens;
        let part = |price: Option<Amount>, tokens: u64| -> Result<Amount, CostError> {
            match price {
                Some(price) => price.for_tokens(tokens).ok_or_else(overflow),
                None => Ok(Amount::ZERO),
            }
        };
        let breakdown = CostBreakdown {
            input: part(Some(input_price), uncached)?,
            cached_input: part(cached_price, usage.cached_input_tokens)?,
            cache_creation: part(creation_price, usage.cache_creation_input_tokens)?,
            output: part(Some(output_price), usage.output_tokens)?,
        };
        let total = breakdown.sum().ok_or_else(overflow)?;
        Ok(Cost {
            model: model(),
            region,
            currency: region.currency(),
            total,
            breakdown,
            tier_index,
            tier: tier.clone(),
            unit_prices: UnitPrices {
                input: input_price,
                cached_input: cached_price,
                cache_creation: creation_price,
                output: output_price,
            },
            usage: *usage,
        })
    }

    /// The usage of sending `prompt` and getting `output_tokens` back: input counted with
    /// the model's tokenizer, in the model's [default mode](Model::default_mode). Adjust the
    /// result for thinking, cache or batch before pricing it.
    ///
    /// ```
    /// use qwen_meter::{Catalog, Region, Usage};
    /// let model = Catalog::builtin().model("qwen-plus")?;
    /// let usage = Usage { thinking: true, ..model.usage_for_text("Hello, world!", 500) };
    /// assert_eq!(usage.input_tokens, 4);
    /// let cost = model.cost(Region::International, &usage)?;
    /// // 4 x 0.4 + 500 x 4 (thinking), per 1M tokens
    /// assert_eq!(cost.to_string(), "0.0020016 USD");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn usage_for_text(&self, prompt: &str, output_tokens: u64) -> Usage {
        Usage {
            input_tokens: self.count_tokens(prompt),
            output_tokens,
            thinking: self.default_mode() == Mode::Thinking,
            ..Usage::default()
        }
    }

    /// The cost of sending `prompt` and getting `output_tokens` back, real time, no cache.
    ///
    /// ```
    /// use qwen_meter::{Catalog, Region};
    /// let cost = Catalog::builtin().model("qwen3-max")?
    ///     .estimate_text(Region::International, "Hello, world!", 1_000)?;
    /// assert_eq!(cost.to_string(), "0.0060048 USD"); // 4 x 1.2 + 1,000 x 6, per 1M
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn estimate_text(
        &self,
        region: Region,
        prompt: &str,
        output_tokens: u64,
    ) -> Result<Cost, CostError> {
        self.cost(region, &self.usage_for_text(prompt, output_tokens))
    }
}
