//! The model catalog: what each Qwen model id costs and allows, region by region.
//!
//! The catalog is data, not code: prices move, so the figures live in an embedded JSON file
//! (`data/catalog.json`, every figure with its sources and as-of date) and this module only
//! types, validates and looks them up. Users can load their own file with
//! [`Catalog::from_json`] or patch single models with [`Catalog::with_overrides`].
//!
//! ```
//! use qwen_meter::{Catalog, Mode, Region};
//! let catalog = Catalog::builtin();
//! let model = catalog.model("qwen3-max-2026-01-23")?; // a dated snapshot resolves
//! assert_eq!(model.id, "qwen3-max");
//! assert!(model.supports(Mode::Thinking));
//! assert_eq!(Region::ChineseMainland.currency().to_string(), "CNY");
//! # Ok::<(), qwen_meter::UnknownModel>(())
//! ```

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::limits::RateLimits;
use crate::{Amount, AudioProfile, Generation, Tokenizer, VisionProfile};

mod load;
mod lookup;
mod validate;

pub use load::CatalogError;
pub use lookup::UnknownModel;

/// Where a model is deployed and billed; each region has its own prices and currency.
///
/// ```
/// use qwen_meter::{Currency, Region};
/// assert_eq!(Region::Global.currency(), Currency::Usd);
/// assert_eq!("chinese-mainland".parse::<Region>().unwrap(), Region::ChineseMainland);
/// assert_eq!(Region::Us.to_string(), "US");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Region {
    /// International (Singapore), billed in USD.
    International,
    /// Global (US Virginia), priced like Chinese Mainland but billed in USD.
    Global,
    /// US (Virginia), `-us` model ids, billed in USD.
    Us,
    /// Chinese Mainland (Beijing), billed in CNY.
    ChineseMainland,
}

impl Region {
    /// Every region, in display order.
    ///
    /// ```
    /// assert_eq!(qwen_meter::Region::ALL.len(), 4);
    /// ```
    pub const ALL: [Region; 4] = [
        Region::International,
        Region::Global,
        Region::Us,
        Region::ChineseMainland,
    ];

    /// The currency the region bills in. Figures are stored natively: never converted.
    ///
    /// ```
    /// use qwen_meter::{Currency, Region};
    /// assert_eq!(Region::International.currency(), Currency::Usd);
    /// ```
    pub fn currency(self) -> Currency {
        match self {
            Region::ChineseMainland => Currency::Cny,
            Region::International | Region::Global | Region::Us => Currency::Usd,
        }
    }

    /// The identifier used in JSON, JavaScript and CLI flags (`"chineseMainland"`).
    ///
    /// ```
    /// assert_eq!(qwen_meter::Region::ChineseMainland.id(), "chineseMainland");
    /// ```
    pub fn id(self) -> &'static str {
        match self {
            Region::International => "international",
            Region::Global => "global",
            Region::Us => "us",
            Region::ChineseMainland => "chineseMainland",
        }
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Region::International => "International",
            Region::Global => "Global",
            Region::Us => "US",
            Region::ChineseMainland => "Chinese Mainland",
        })
    }
}

/// Text that names no region.
///
/// ```
/// let err = "mars".parse::<qwen_meter::Region>().unwrap_err();
/// assert!(err.to_string().contains("international"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseRegionError {
    /// The text that was given.
    pub text: String,
}

impl fmt::Display for ParseRegionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown region {:?} (expected international, global, us or chinese-mainland)",
            self.text
        )
    }
}

impl std::error::Error for ParseRegionError {}

impl FromStr for Region {
    type Err = ParseRegionError;

    /// Accepts the JSON id and the usual spellings, case-insensitively, so CLI flags such
    /// as `--region cn` or `--region singapore` work.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let key: String = s
            .trim()
            .chars()
            .filter(|c| !matches!(c, '-' | '_' | ' '))
            .flat_map(char::to_lowercase)
            .collect();
        match key.as_str() {
            "international" | "intl" | "singapore" | "sg" => Ok(Region::International),
            "global" => Ok(Region::Global),
            "us" | "usa" | "virginia" => Ok(Region::Us),
            "chinesemainland" | "cn" | "china" | "beijing" | "mainland" => {
                Ok(Region::ChineseMainland)
            }
            _ => Err(ParseRegionError {
                text: s.to_string(),
            }),
        }
    }
}

/// A billing currency.
///
/// ```
/// assert_eq!(qwen_meter::Currency::Cny.to_string(), "CNY");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Currency {
    /// US dollars.
    #[serde(rename = "USD")]
    Usd,
    /// Chinese yuan (renminbi).
    #[serde(rename = "CNY")]
    Cny,
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Currency::Usd => "USD",
            Currency::Cny => "CNY",
        })
    }
}

/// Whether a request runs with thinking (reasoning) enabled.
///
/// ```
/// use qwen_meter::Mode;
/// assert_eq!(Mode::from_thinking(true), Mode::Thinking);
/// assert_eq!(Mode::NonThinking.to_string(), "non-thinking");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Mode {
    /// Thinking disabled.
    NonThinking,
    /// Thinking enabled: the model reasons before answering.
    Thinking,
}

impl Mode {
    /// `Thinking` when `thinking` is true.
    ///
    /// ```
    /// assert_eq!(qwen_meter::Mode::from_thinking(false), qwen_meter::Mode::NonThinking);
    /// ```
    pub fn from_thinking(thinking: bool) -> Mode {
        if thinking {
            Mode::Thinking
        } else {
            Mode::NonThinking
        }
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Mode::NonThinking => "non-thinking",
            Mode::Thinking => "thinking",
        })
    }
}

/// Context and output limits of one model in one mode.
///
/// ```
/// use qwen_meter::{Catalog, Mode};
/// let limits = Catalog::builtin().model("qwen3-max")?.limits(Mode::Thinking).unwrap();
/// assert_eq!(limits.context_window, Some(262_144));
/// assert_eq!(limits.max_output_tokens, 32_768);
/// # Ok::<(), qwen_meter::UnknownModel>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ModeLimits {
    /// Tokens of prompt plus output the model can hold; `None` when not published.
    #[serde(default)]
    pub context_window: Option<u64>,
    /// Longest prompt accepted; `None` when not published (the context window then bounds it).
    #[serde(default)]
    pub max_input_tokens: Option<u64>,
    /// Longest answer the model writes.
    pub max_output_tokens: u64,
    /// Longest reasoning (thinking mode), billed as output on top of the answer.
    #[serde(default)]
    pub max_reasoning_tokens: Option<u64>,
    /// Source ids (keys of [`Catalog::sources`]) of these figures.
    pub sources: Vec<String>,
    /// Caveats about these figures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl ModeLimits {
    /// The most output tokens a request can be billed for: the answer plus, in thinking
    /// mode, the reasoning (both are billed as output).
    ///
    /// ```
    /// use qwen_meter::{Catalog, Mode};
    /// let limits = Catalog::builtin().model("qwen3-max")?.limits(Mode::Thinking).unwrap();
    /// assert_eq!(limits.max_billed_output_tokens(), 32_768 + 81_920);
    /// # Ok::<(), qwen_meter::UnknownModel>(())
    /// ```
    pub fn max_billed_output_tokens(&self) -> u64 {
        self.max_output_tokens
            .saturating_add(self.max_reasoning_tokens.unwrap_or(0))
    }
}

/// The limits of a model per mode; a mode without limits is a mode the model does not run in.
///
/// ```
/// use qwen_meter::Catalog;
/// let qwq = Catalog::builtin().model("qwq-plus")?;
/// assert!(qwq.modes.non_thinking.is_none()); // thinking-only
/// # Ok::<(), qwen_meter::UnknownModel>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Modes {
    /// Limits with thinking off, if the model can run so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub non_thinking: Option<ModeLimits>,
    /// Limits with thinking on, if the model can think.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thinking: Option<ModeLimits>,
}

/// One input-length tier: requests whose total input tokens `T` satisfy
/// `above < T <= up_to` are billed entirely at these prices (per 1M tokens).
///
/// ```
/// use qwen_meter::{Catalog, Region};
/// let offer = Catalog::builtin().model("qwen3-max")?.offer(Region::International).unwrap();
/// let tier = &offer.tiers[1];
/// assert_eq!((tier.above, tier.up_to), (32_000, Some(128_000)));
/// assert!(tier.contains(32_001) && !tier.contains(32_000));
/// # Ok::<(), qwen_meter::UnknownModel>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Tier {
    /// Exclusive lower bound on the request's input tokens (0 for the first tier).
    pub above: u64,
    /// Inclusive upper bound; `None` means no tier bound (only the model's max input).
    pub up_to: Option<u64>,
    /// Input price per 1M tokens.
    pub input: Amount,
    /// Output price per 1M tokens (thinking off, or both modes when thinking costs the same).
    pub output: Amount,
    /// Output price per 1M tokens with thinking on, when it differs from `output`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_thinking: Option<Amount>,
    /// Price per 1M image input tokens, where images are priced apart from text (Omni);
    /// `None` = image tokens cost the input price.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_input: Option<Amount>,
    /// Price per 1M video input tokens, where priced apart from text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub video_input: Option<Amount>,
    /// Price per 1M audio input tokens, where priced apart from text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audio_input: Option<Amount>,
    /// Text output price per 1M tokens when the input holds images, video or audio, where it
    /// differs from `output` (qwen3-omni-flash).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_multimodal: Option<Amount>,
    /// Price per 1M audio output tokens (speech); the text spoken is not billed on top.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audio_output: Option<Amount>,
}

impl Tier {
    /// Whether a request with `input_tokens` input falls in this tier. An empty request
    /// (0 tokens) belongs to the first tier.
    ///
    /// ```
    /// use qwen_meter::{Amount, Tier};
    /// let tier = Tier {
    ///     above: 0, up_to: Some(32_000), input: Amount::ZERO, output: Amount::ZERO,
    ///     output_thinking: None, image_input: None, video_input: None, audio_input: None,
    ///     output_multimodal: None, audio_output: None,
    /// };
    /// assert!(tier.contains(0) && tier.contains(32_000) && !tier.contains(32_001));
    /// ```
    pub fn contains(&self, input_tokens: u64) -> bool {
        let above_ok = input_tokens > self.above || (self.above == 0 && input_tokens == 0);
        above_ok && self.up_to.is_none_or(|hi| input_tokens <= hi)
    }

    /// The output price that applies: when thinking is on, all output (reasoning and answer)
    /// is billed at the thinking price.
    ///
    /// ```
    /// use qwen_meter::{Catalog, Region};
    /// let tier = &Catalog::builtin().model("qwen-plus")?.offer(Region::International).unwrap().tiers[0];
    /// assert_eq!(tier.output_price(true).to_string(), "4");
    /// assert_eq!(tier.output_price(false).to_string(), "1.2");
    /// # Ok::<(), qwen_meter::UnknownModel>(())
    /// ```
    pub fn output_price(&self, thinking: bool) -> Amount {
        match (thinking, self.output_thinking) {
            (true, Some(price)) => price,
            _ => self.output,
        }
    }
}

/// Context-cache prices as ratios of the tier's input price; `None` = not offered.
///
/// ```
/// use qwen_meter::{Catalog, Region};
/// let cache = Catalog::builtin().model("qwen3-max")?.offer(Region::International).unwrap().cache.clone().unwrap();
/// assert_eq!(cache.implicit_hit.unwrap().to_string(), "0.2");
/// assert_eq!(cache.explicit_create.unwrap().to_string(), "1.25");
/// # Ok::<(), qwen_meter::UnknownModel>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CachePricing {
    /// Implicit cache hits, as a fraction of the input price (0.2 = 20%).
    #[serde(default)]
    pub implicit_hit: Option<Amount>,
    /// Creating an explicit cache entry, as a fraction of the input price (1.25 = 125%).
    #[serde(default)]
    pub explicit_create: Option<Amount>,
    /// Explicit cache hits, as a fraction of the input price (0.1 = 10%).
    #[serde(default)]
    pub explicit_hit: Option<Amount>,
    /// Source ids of these figures.
    pub sources: Vec<String>,
    /// Caveats.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Batch (asynchronous) pricing: input and output at a fraction of the real-time price.
///
/// ```
/// use qwen_meter::{Catalog, Region};
/// let batch = Catalog::builtin().model("qwen-plus")?.offer(Region::International).unwrap().batch.clone().unwrap();
/// assert_eq!(batch.price_ratio.to_string(), "0.5");
/// # Ok::<(), qwen_meter::UnknownModel>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BatchPricing {
    /// Fraction of the real-time price paid (0.5 = half price).
    pub price_ratio: Amount,
    /// Source ids.
    pub sources: Vec<String>,
}

/// Advisory requests-per-minute and tokens-per-minute limits for some ids of a model.
///
/// ```
/// use qwen_meter::{Catalog, Region};
/// let offer = Catalog::builtin().model("qwen-plus")?.offer(Region::International).unwrap();
/// let rule = &offer.rate_limits[0];
/// assert_eq!((rule.rpm, rule.tpm), (600, 1_000_000));
/// # Ok::<(), qwen_meter::UnknownModel>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RateLimitRule {
    /// The model ids (the entry's id, aliases or snapshots) these limits apply to: snapshots
    /// often have lower limits than the alias.
    pub ids: Vec<String>,
    /// Requests per minute.
    pub rpm: u64,
    /// Tokens (input + output) per minute.
    pub tpm: u64,
    /// What the source says about the scope (account kind, page era).
    pub scope: String,
    /// Source ids.
    pub sources: Vec<String>,
    /// Caveats.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl RateLimitRule {
    /// The limits as a [`RateLimits`] value for the planner and limiter.
    ///
    /// ```
    /// use qwen_meter::{Catalog, Region, RateLimits};
    /// let offer = Catalog::builtin().model("qwen-plus")?.offer(Region::International).unwrap();
    /// assert_eq!(offer.rate_limits[0].limits(), RateLimits { rpm: 600, tpm: 1_000_000 });
    /// # Ok::<(), qwen_meter::UnknownModel>(())
    /// ```
    pub fn limits(&self) -> RateLimits {
        RateLimits {
            rpm: self.rpm,
            tpm: self.tpm,
        }
    }
}

/// A model as offered in one region: prices, cache, batch and rate limits.
///
/// ```
/// use qwen_meter::{Catalog, Currency, Region};
/// let offer = Catalog::builtin().model("qwen3-max")?.offer(Region::ChineseMainland).unwrap();
/// assert_eq!(offer.currency, Currency::Cny);
/// assert_eq!(offer.tiers.len(), 3);
/// # Ok::<(), qwen_meter::UnknownModel>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RegionOffer {
    /// The region's own currency (checked against [`Region::currency`]).
    pub currency: Currency,
    /// Input-length tiers in increasing order; a flat price is one tier.
    pub tiers: Vec<Tier>,
    /// Context-cache prices, if the cache is offered here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache: Option<CachePricing>,
    /// Batch pricing, if batch is offered here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch: Option<BatchPricing>,
    /// Advisory rate limits per id.
    #[serde(default)]
    pub rate_limits: Vec<RateLimitRule>,
    /// When the sources showed these figures (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`).
    pub as_of: String,
    /// Source ids of the prices.
    pub sources: Vec<String>,
    /// Caveats.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl RegionOffer {
    /// The tier (and its index) that bills a request with `input_tokens` input, if any.
    ///
    /// ```
    /// use qwen_meter::{Catalog, Region};
    /// let offer = Catalog::builtin().model("qwen3-max")?.offer(Region::International).unwrap();
    /// assert_eq!(offer.tier_for(32_000).unwrap().0, 0);
    /// assert_eq!(offer.tier_for(32_001).unwrap().0, 1);
    /// assert!(offer.tier_for(252_001).is_none()); // beyond the last tier
    /// # Ok::<(), qwen_meter::UnknownModel>(())
    /// ```
    pub fn tier_for(&self, input_tokens: u64) -> Option<(usize, &Tier)> {
        self.tiers
            .iter()
            .enumerate()
            .find(|(_, t)| t.contains(input_tokens))
    }
}

/// One catalog entry: a model id with its aliases and snapshots that share its prices and
/// limits.
///
/// Fields are public so that users can build overrides; a model only enters a [`Catalog`]
/// after validation.
///
/// ```
/// use qwen_meter::{Catalog, Generation, Region};
/// let model = Catalog::builtin().model("qwen2-72b-instruct")?;
/// assert_eq!(model.generation, Generation::Qwen2);
/// assert!(model.offer(Region::ChineseMainland).is_some());
/// # Ok::<(), qwen_meter::UnknownModel>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Model {
    /// The API model id.
    pub id: String,
    /// Moving names that resolve here (`qwen-plus-latest`, `-us` ids).
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Dated snapshot ids billed and limited like this entry.
    #[serde(default)]
    pub snapshots: Vec<String>,
    /// Model family, for people.
    pub family: String,
    /// Which tokenizer generation counts its tokens.
    #[serde(with = "generation_serde")]
    pub generation: Generation,
    /// How sure the generation is (closed models do not publish it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tokenizer_note: Option<String>,
    /// Lifecycle status as the sources state it.
    pub status: String,
    /// When this entry was last checked (`YYYY-MM-DD`).
    pub as_of: String,
    /// Source ids of this entry.
    pub sources: Vec<String>,
    /// Limits per mode; the modes present are the modes the model runs in.
    pub modes: Modes,
    /// Offers per region; a region absent here is not offered (or its price is unknown).
    #[serde(default, deserialize_with = "regions_by_id")]
    pub regions: BTreeMap<Region, RegionOffer>,
    /// Caveats and conflicts between sources.
    #[serde(default)]
    pub notes: Vec<String>,
    /// Images, video and audio the model takes, and how they become tokens; `None` = text
    /// only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media: Option<MediaSupport>,
}

/// The media a model takes as input and the rules that count their tokens.
///
/// ```
/// use qwen_meter::{Catalog, VisionProfile};
/// let media = Catalog::builtin().model("qvq-max")?.media.clone().unwrap();
/// assert_eq!(media.vision, Some(VisionProfile::Qwen2_5Api));
/// assert!(media.video && media.audio.is_none());
/// # Ok::<(), qwen_meter::UnknownModel>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MediaSupport {
    /// How images (and video frames) become tokens; `None` = no image input.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vision: Option<VisionProfile>,
    /// Whether video input is accepted (counted with `vision`'s video rules).
    #[serde(default)]
    pub video: bool,
    /// How audio becomes tokens; `None` = no audio input.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audio: Option<AudioProfile>,
    /// Longest video accepted, in seconds, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_video_seconds: Option<u64>,
    /// Source ids of these rules.
    pub sources: Vec<String>,
    /// Caveats.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Model {
    /// The id, aliases and snapshots: every id that resolves to this entry.
    ///
    /// ```
    /// use qwen_meter::Catalog;
    /// let model = Catalog::builtin().model("qwq-plus")?;
    /// assert!(model.ids().any(|id| id == "qwq-plus-2025-03-05"));
    /// # Ok::<(), qwen_meter::UnknownModel>(())
    /// ```
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.id.as_str())
            .chain(self.aliases.iter().map(String::as_str))
            .chain(self.snapshots.iter().map(String::as_str))
    }

    /// Whether the model runs in `mode`.
    ///
    /// ```
    /// use qwen_meter::{Catalog, Mode};
    /// assert!(!Catalog::builtin().model("qwen-max")?.supports(Mode::Thinking));
    /// # Ok::<(), qwen_meter::UnknownModel>(())
    /// ```
    pub fn supports(&self, mode: Mode) -> bool {
        self.limits(mode).is_some()
    }

    /// The limits in `mode`, or `None` if the model does not run in that mode.
    ///
    /// ```
    /// use qwen_meter::{Catalog, Mode};
    /// let turbo = Catalog::builtin().model("qwen-turbo")?;
    /// assert_eq!(turbo.limits(Mode::Thinking).unwrap().context_window, Some(131_072));
    /// assert_eq!(turbo.limits(Mode::NonThinking).unwrap().context_window, Some(1_000_000));
    /// # Ok::<(), qwen_meter::UnknownModel>(())
    /// ```
    pub fn limits(&self, mode: Mode) -> Option<&ModeLimits> {
        match mode {
            Mode::NonThinking => self.modes.non_thinking.as_ref(),
            Mode::Thinking => self.modes.thinking.as_ref(),
        }
    }

    /// The mode used when the caller does not choose one: non-thinking if the model has it,
    /// else thinking (thinking-only models such as `qwq-plus`).
    ///
    /// ```
    /// use qwen_meter::{Catalog, Mode};
    /// assert_eq!(Catalog::builtin().model("qwq-plus")?.default_mode(), Mode::Thinking);
    /// # Ok::<(), qwen_meter::UnknownModel>(())
    /// ```
    pub fn default_mode(&self) -> Mode {
        if self.modes.non_thinking.is_some() || self.modes.thinking.is_none() {
            Mode::NonThinking
        } else {
            Mode::Thinking
        }
    }

    /// The offer in `region`, or `None` if the catalog has no price there.
    ///
    /// ```
    /// use qwen_meter::{Catalog, Region};
    /// assert!(Catalog::builtin().model("qwen-long")?.offer(Region::International).is_none());
    /// # Ok::<(), qwen_meter::UnknownModel>(())
    /// ```
    pub fn offer(&self, region: Region) -> Option<&RegionOffer> {
        self.regions.get(&region)
    }

    /// The regions where the catalog prices this model.
    ///
    /// ```
    /// use qwen_meter::{Catalog, Region};
    /// let regions: Vec<Region> = Catalog::builtin().model("qwen-long")?.offered_regions().collect();
    /// assert_eq!(regions, [Region::ChineseMainland]);
    /// # Ok::<(), qwen_meter::UnknownModel>(())
    /// ```
    pub fn offered_regions(&self) -> impl Iterator<Item = Region> + '_ {
        self.regions.keys().copied()
    }

    /// Advisory rate limits of the entry's own id in `region`, if the sources give any.
    ///
    /// ```
    /// use qwen_meter::{Catalog, Region, RateLimits};
    /// let max = Catalog::builtin().model("qwen3-max")?;
    /// assert_eq!(max.rate_limits(Region::ChineseMainland), Some(RateLimits { rpm: 600, tpm: 1_000_000 }));
    /// # Ok::<(), qwen_meter::UnknownModel>(())
    /// ```
    pub fn rate_limits(&self, region: Region) -> Option<RateLimits> {
        self.rate_limits_for(&self.id, region)
    }

    /// Advisory rate limits of one particular id (alias or snapshot) of this entry in
    /// `region`. `None` when no source gives limits for exactly that id: snapshots often
    /// have lower limits than the alias, so the alias's figure is not assumed.
    ///
    /// ```
    /// use qwen_meter::{Catalog, Region, RateLimits};
    /// let plus = Catalog::builtin().model("qwen-plus-latest")?;
    /// assert_eq!(plus.rate_limits_for("qwen-plus-latest", Region::International),
    ///            Some(RateLimits { rpm: 60, tpm: 100_000 }));
    /// # Ok::<(), qwen_meter::UnknownModel>(())
    /// ```
    pub fn rate_limits_for(&self, id: &str, region: Region) -> Option<RateLimits> {
        let id = id.trim();
        self.offer(region)?
            .rate_limits
            .iter()
            .find(|rule| rule.ids.iter().any(|i| i.eq_ignore_ascii_case(id)))
            .map(RateLimitRule::limits)
    }

    /// The tokenizer that counts this model's tokens.
    ///
    /// ```
    /// use qwen_meter::Catalog;
    /// let model = Catalog::builtin().model("qwen3-max")?;
    /// assert_eq!(model.tokenizer().count("<think>"), 1); // a Qwen3 special token
    /// # Ok::<(), qwen_meter::UnknownModel>(())
    /// ```
    pub fn tokenizer(&self) -> &'static Tokenizer {
        tokenizer_for(self.generation)
    }

    /// Number of tokens of `text` for this model (special-token text recognised, as in a
    /// rendered chat prompt).
    ///
    /// ```
    /// use qwen_meter::Catalog;
    /// let n = Catalog::builtin().model("qwen-plus")?.count_tokens("Hello, world!");
    /// assert_eq!(n, 4); // "Hello" "," " world" "!"
    /// # Ok::<(), qwen_meter::UnknownModel>(())
    /// ```
    pub fn count_tokens(&self, text: &str) -> u64 {
        u64::try_from(self.tokenizer().count(text)).unwrap_or(u64::MAX)
    }
}

/// The tokenizer of a generation.
fn tokenizer_for(generation: Generation) -> &'static Tokenizer {
    // Only a build without the default feature `embed-qwen3_5` lacks a generation, until
    // `Tokenizer::install_compact` is given its vocabulary. The npm package is such a build:
    // it refuses every call that needs a vocabulary it has not loaded before it gets here
    // (`VOCABULARY_NOT_LOADED`). Other such builds count those models with the Qwen3
    // tokenizer, as the feature's documentation says.
    Tokenizer::try_for_generation(generation).unwrap_or_else(Tokenizer::qwen3)
}

/// Reads the region map with string keys first, so that error paths name the region
/// (`regions.us.tiers[0]`) rather than an anonymous enum key.
fn regions_by_id<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<BTreeMap<Region, RegionOffer>, D::Error> {
    let raw = BTreeMap::<String, RegionOffer>::deserialize(d)?;
    raw.into_iter()
        .map(
            |(key, offer)| match Region::ALL.into_iter().find(|r| r.id() == key) {
                Some(region) => Ok((region, offer)),
                None => Err(serde::de::Error::custom(format!(
                    "unknown region {key:?} (expected international, global, us or chineseMainland)"
                ))),
            },
        )
        .collect()
}

/// (De)serialises [`Generation`] as `"qwen"`, `"qwen2"`, `"qwen2.5"`, `"qwen3"`, `"qwen3.5"`.
mod generation_serde {
    use serde::{Deserialize, Deserializer, Serializer};

    use crate::Generation;

    pub fn serialize<S: Serializer>(g: &Generation, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(g.name())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Generation, D::Error> {
        let s = String::deserialize(d)?;
        // Only the canonical names: the catalog file should spell them one way.
        Generation::ALL
            .into_iter()
            .find(|g| g.name() == s)
            .ok_or_else(|| {
                serde::de::Error::custom(format!(
                    "unknown tokenizer generation {s:?} (expected qwen, qwen2, qwen2.5, qwen3 or qwen3.5)"
                ))
            })
    }
}

/// The model catalog: validated models, the sources they cite, and an id index.
///
/// ```
/// use qwen_meter::Catalog;
/// let catalog = Catalog::builtin();
/// assert!(catalog.models().count() >= 15);
/// assert!(catalog.source("S1").unwrap().contains("Model Studio"));
/// ```
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Catalog {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    about: Option<String>,
    as_of: String,
    sources: BTreeMap<String, String>,
    models: Vec<Model>,
    /// Lower-cased id, alias or snapshot -> index into `models`.
    #[serde(skip)]
    index: HashMap<String, usize>,
}

static BUILTIN: OnceLock<Catalog> = OnceLock::new();

impl Catalog {
    /// The catalog embedded in the crate (`data/catalog.json`), parsed once.
    ///
    /// ```
    /// let catalog = qwen_meter::Catalog::builtin();
    /// assert_eq!(catalog.as_of(), "2026-11-23");
    /// ```
    pub fn builtin() -> &'static Catalog {
        BUILTIN.get_or_init(|| {
            // The embedded file is checked by the test suite, so this cannot fail at run time.
            Catalog::from_json(include_str!("../data/catalog.json"))
                .unwrap_or_else(|e| panic!("the built-in catalog is invalid: {e}"))
        })
    }

    /// When the catalog's figures were gathered (`YYYY-MM-DD`).
    ///
    /// ```
    /// assert!(qwen_meter::Catalog::builtin().as_of().starts_with("2026"));
    /// ```
    pub fn as_of(&self) -> &str {
        &self.as_of
    }

    /// Every model entry, in file order.
    ///
    /// ```
    /// let ids: Vec<&str> = qwen_meter::Catalog::builtin().models().map(|m| m.id.as_str()).collect();
    /// assert!(ids.contains(&"qwen3-max"));
    /// ```
    pub fn models(&self) -> impl Iterator<Item = &Model> {
        self.models.iter()
    }

    /// Every source: id (`"S1"`) -> description with its address and era.
    ///
    /// ```
    /// assert!(qwen_meter::Catalog::builtin().sources().contains_key("S16"));
    /// ```
    pub fn sources(&self) -> &BTreeMap<String, String> {
        &self.sources
    }

    /// One source's description.
    ///
    /// ```
    /// assert!(qwen_meter::Catalog::builtin().source("S99").is_none());
    /// ```
    pub fn source(&self, id: &str) -> Option<&str> {
        self.sources.get(id).map(String::as_str)
    }

    /// The catalog as JSON, in the same format [`Catalog::from_json`] reads.
    ///
    /// ```
    /// use qwen_meter::Catalog;
    /// let json = Catalog::builtin().to_json();
    /// let again = Catalog::from_json(&json)?;
    /// assert_eq!(again.models().count(), Catalog::builtin().models().count());
    /// # Ok::<(), qwen_meter::CatalogError>(())
    /// ```
    pub fn to_json(&self) -> String {
        // Serialising plain data (strings, integers, maps) cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}
