//! qwen-meter: exact token counting, truncation and cost estimation for Qwen models.
//!
//! The tokenizer (the `qwen-meter-tokenizer` crate, re-exported here) gives the same ids as
//! the official Qwen tokenizer (Hugging Face `tokenizers` loading Qwen3's `tokenizer.json`)
//! for every valid UTF-8 input. This crate adds what a bill depends on: the model
//! [`Catalog`] with regional prices, exact [`Cost`]s, context-window and rate-limit planning,
//! and chat templates. Everything is pure: no I/O, no threads, no panics on any input.
//!
//! ```
//! use qwen_meter::{Keep, Tokenizer};
//!
//! let tok = Tokenizer::qwen3();
//! let text = "Qwen counts tokens exactly. 通义千问。";
//! let ids = tok.encode(text);
//! assert_eq!(tok.count(text), ids.len());
//! assert_eq!(tok.decode(&ids).unwrap(), text);
//! let kept = tok.truncate(text, 4, Keep::Start);
//! assert!(tok.count(kept) <= 4);
//! ```
//!
//! Qwen3.5 and Qwen3.6 have a vocabulary of their own (248,044 tokens, a split pattern in
//! which combining marks join letter runs): [`Tokenizer::qwen3_5`], whose ids are those of
//! Hugging Face `tokenizers` on a `tokenizer.json` with that pattern and the merges derived
//! from the vocabulary's ranks.
//!
//! ```
//! use qwen_meter::Tokenizer;
//!
//! let text = "नमस्ते दुनिया";
//! assert!(Tokenizer::qwen3_5().count(text) < Tokenizer::qwen3().count(text));
//! ```
//!
//! # Features
//!
//! - `embed-qwen3_5` (default): the feature of the same name of `qwen-meter-tokenizer`, which
//!   embeds the Qwen3.5 vocabulary; without it [`Tokenizer::install_compact`] loads it at run
//!   time. Until it is loaded, the catalog's Qwen3.5+ models count with the Qwen3 tokenizer,
//!   so such a build must load it before counting for them (the npm package refuses those
//!   calls until then).

/// The tokenizer engine crate itself, for paths such as `qwen_meter::tokenizer::Tokenizer`.
pub use qwen_meter_tokenizer as tokenizer;
pub use qwen_meter_tokenizer::{
    DecodeError, Document, EditError, Generation, Keep, LoadError, TokenCounter, TokenSpan,
    Tokenizer, UnknownGeneration,
};

mod catalog;
pub use catalog::{
    BatchPricing, CachePricing, Catalog, CatalogError, Currency, MediaSupport, Mode, ModeLimits,
    Model, Modes, ParseRegionError, RateLimitRule, Region, RegionOffer, Tier, UnknownModel,
};

mod cost;
pub use cost::{
    Amount, CacheKind, Cost, CostBreakdown, CostError, ParseAmountError, UnitPrices, Usage,
};

mod limits;
pub use limits::{
    BindingLimit, ContextFit, Decision, FitError, FitLimit, Permit, PlannedRequest, RateLimitError,
    RateLimiter, RateLimits, RatePlan, RetryPolicy, parse_retry_after,
};

mod media;
pub use media::{
    AudioProfile, DEFAULT_SOURCE_FPS, ImageOptions, ImageRules, ImageSize, ImageTokens, MediaError,
    ParseAudioProfileError, ParseImageSizeError, ParseVisionProfileError, Timestamps, Video,
    VideoOptions, VideoRules, VideoTokens, VisionProfile, billed_audio_seconds, image_size,
};

mod chat;
pub use chat::{
    ChatError, ChatOptions, ChatRequest, ChatTemplate, ChatTokens, Content, ContentPart,
    FunctionCall, GenerationChat, MediaOptions, Message, Role, TokenizerChat, ToolCall,
    parse_messages,
};

/// The traits that add chat methods to [`Tokenizer`] and [`Generation`]:
/// `use qwen_meter::prelude::*;` brings them into scope.
///
/// ```
/// use qwen_meter::prelude::*;
/// use qwen_meter::{ChatOptions, Message, Tokenizer};
///
/// let n = Tokenizer::qwen3().count_chat(&[Message::user("Hi")], &ChatOptions::default());
/// assert_eq!(n.unwrap(), 9);
/// ```
pub mod prelude {
    pub use crate::chat::{GenerationChat, TokenizerChat};
}

/// The README's Rust examples, run as doc tests so they stay true.
#[doc = include_str!("../../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
