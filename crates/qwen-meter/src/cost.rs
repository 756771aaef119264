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
    /// Input tokens of images (part of `input_tokens`).
    pub image_tokens: u64,
    /// Input tokens of videos' frames (part of `input_tokens`).
    pub video_tokens: u64,
    /// Input tokens of audio, a video's sound track included (part of `input_tokens`).
    pub audio_tokens: u64,
    /// Output tokens of speech (part of `output_tokens`); the text spoken is not billed.
    pub output_audio_tokens: u64,
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

    /// Input tokens of images, video and audio together, or `None` on overflow.
    ///
    /// ```
    /// let usage = qwen_meter::Usage { image_tokens: 2042, audio_tokens: 375, ..Default::default() };
    /// assert_eq!(usage.media_tokens(), Some(2417));
    /// ```
    pub fn media_tokens(&self) -> Option<u64> {
        self.image_tokens
            .checked_add(self.video_tokens)?
            .checked_add(self.audio_tokens)
    }

    /// Input tokens of text: all input minus the media parts (0 if they exceed it).
    ///
    /// ```
    /// let usage = qwen_meter::Usage { input_tokens: 2100, image_tokens: 2042, ..Default::default() };
    /// assert_eq!(usage.text_tokens(), 58);
    /// ```
    pub fn text_tokens(&self) -> u64 {
        self.input_tokens
            .saturating_sub(self.media_tokens().unwrap_or(u64::MAX))
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
    /// Image tokens, where images are priced apart from text (otherwise in `input`).
    #[serde(default)]
    pub image_input: Amount,
    /// Video tokens, where priced apart from text (otherwise in `input`).
    #[serde(default)]
    pub video_input: Amount,
    /// Audio tokens, where priced apart from text (otherwise in `input`).
    #[serde(default)]
    pub audio_input: Amount,
    /// Speech output tokens.
    #[serde(default)]
    pub audio_output: Amount,
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
            .checked_add(self.output)?
            .checked_add(self.image_input)?
            .checked_add(self.video_input)?
            .checked_add(self.audio_input)?
            .checked_add(self.audio_output)
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
    /// Per 1M output tokens (the multimodal-input price when it applied).
    pub output: Amount,
    /// Per 1M image tokens, when images are priced apart from text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_input: Option<Amount>,
    /// Per 1M video tokens, when priced apart from text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub video_input: Option<Amount>,
    /// Per 1M audio tokens, when priced apart from text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audio_input: Option<Amount>,
    /// Per 1M speech output tokens, when the request has some.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audio_output: Option<Amount>,
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
    /// Image, video or audio tokens exceed the input (or speech tokens the output) they are
    /// part of.
    MediaExceedsTotal {
        /// Model id.
        model: String,
        /// `"input"` or `"output"`.
        part: &'static str,
        /// The media tokens (with cached and cache-creation tokens, for the input).
        media_tokens: u64,
        /// The total they are part of.
        total_tokens: u64,
    },
    /// Tokens of a modality the model does not take (or whose price is unknown here).
    ModalityNotSupported {
        /// Model id.
        model: String,
        /// `"image"`, `"video"`, `"audio"` or `"audio output"`.
        modality: &'static str,
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
            CostError::MediaExceedsTotal {
                model,
                part,
                media_tokens,
                total_tokens,
            } => write!(
                f,
                "model {model}: {media_tokens} media (and cache) tokens exceed the {total_tokens} {part} tokens they are part of"
            ),
            CostError::ModalityNotSupported { model, modality } => write!(
                f,
                "model {model}: {modality} is not an input the catalog lists for this model (or its price is unknown)"
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

        // Media: only what the model takes, and no more than the totals they are part of.
        let media = self.media.as_ref();
        for (modality, tokens, accepted) in [
            (
                "image",
                usage.image_tokens,
                media.is_some_and(|m| m.vision.is_some()),
            ),
            ("video", usage.video_tokens, media.is_some_and(|m| m.video)),
            (
                "audio",
                usage.audio_tokens,
                media.is_some_and(|m| m.audio.is_some()),
            ),
        ] {
            if tokens > 0 && !accepted {
                return Err(CostError::ModalityNotSupported {
                    model: model(),
                    modality,
                });
            }
        }
        let media_tokens = usage
            .media_tokens()
            .ok_or_else(|| CostError::Overflow { model: model() })?;
        if media_tokens > usage.input_tokens {
            return Err(CostError::MediaExceedsTotal {
                model: model(),
                part: "input",
                media_tokens,
                total_tokens: usage.input_tokens,
            });
        }
        if usage.output_audio_tokens > usage.output_tokens {
            return Err(CostError::MediaExceedsTotal {
                model: model(),
                part: "output",
                media_tokens: usage.output_audio_tokens,
                total_tokens: usage.output_tokens,
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
        let ratio = if usage.batch {
            Some(
                offer
                    .batch
                    .as_ref()
                    .ok_or_else(|| CostError::BatchNotSupported {
                        model: model(),
                        region,
                    })?
                    .price_ratio,
            )
        } else {
            None
        };
        let scaled = |price: Amount| -> Result<Amount, CostError> {
            match ratio {
                Some(ratio) => price.checked_mul(ratio).ok_or_else(overflow),
                None => Ok(price),
            }
        };
        // With media in the input, the text output may have its own price (Omni).
        let list_output = match tier.output_multimodal {
            Some(price) if media_tokens > 0 => price,
            _ => tier.output_price(usage.thinking),
        };
        let (input_price, output_price) = (scaled(tier.input)?, scaled(list_output)?);
        // Modalities priced apart from text, when the usage has some.
        let media_price =
            |price: Option<Amount>, tokens: u64| -> Result<Option<Amount>, CostError> {
                match price {
                    Some(price) if tokens > 0 => Ok(Some(scaled(price)?)),
                    _ => Ok(None),
                }
            };
        let image_price = media_price(tier.image_input, usage.image_tokens)?;
        let video_price = media_price(tier.video_input, usage.video_tokens)?;
        let audio_price = media_price(tier.audio_input, usage.audio_tokens)?;
        let audio_output_price = if usage.output_audio_tokens > 0 {
            Some(scaled(tier.audio_output.ok_or_else(|| {
                CostError::ModalityNotSupported {
                    model: model(),
                    modality: "audio output",
                }
            })?)?)
        } else {
            None
        };
        let apart = |price: Option<Amount>, tokens: u64| if price.is_some() { tokens } else { 0 };
        let priced_apart = apart(image_price, usage.image_tokens)
            + apart(video_price, usage.video_tokens)
            + apart(audio_price, usage.audio_tokens);

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

        // Media priced apart are billed at their own price, never as cached input.
        let uncached =
            (usage.input_tokens - usage.cached_input_tokens - usage.cache_creation_input_tokens)
                .checked_sub(priced_apart)
                .ok_or_else(|| CostError::MediaExceedsTotal {
                    model: model(),
                    part: "input",
                    media_tokens: priced_apart
                        + usage.cached_input_tokens
                        + usage.cache_creation_input_tokens,
                    total_tokens: usage.input_tokens,
                })?;
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
            // Speech output replaces the text it speaks: that text is not billed.
            output: if usage.output_audio_tokens > 0 {
                Amount::ZERO
            } else {
                part(Some(output_price), usage.output_tokens)?
            },
            image_input: part(image_price, usage.image_tokens)?,
            video_input: part(video_price, usage.video_tokens)?,
            audio_input: part(audio_price, usage.audio_tokens)?,
            audio_output: part(audio_output_price, usage.output_audio_tokens)?,
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
                image_input: image_price,
                video_input: video_price,
                audio_input: audio_price,
                audio_output: audio_output_price,
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
