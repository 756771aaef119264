//! qwen-meter: exact token counting, truncation and cost estimation for Qwen models.
//!
//! The tokenizer gives the same ids as the official Qwen tokenizer (Hugging Face `tokenizers`
//! loading Qwen3's `tokenizer.json`) for every valid UTF-8 input, and is pure: no I/O, no
//! threads, no panics on any input.
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

mod backtrack;
mod bpe;
mod error;
mod loaders;
mod normalize;
mod pretokenize;
mod special;
mod stream;
#[cfg(test)]
mod test_rng;
mod tokenizer;
mod trie;
mod unicode_tables;
mod vocab;

pub use error::{DecodeError, LoadError};
pub use stream::TokenCounter;
pub use tokenizer::{Generation, Keep, TokenSpan, Tokenizer};

mod catalog;
pub use catalog::{
    BatchPricing, CachePricing, Catalog, CatalogError, Currency, Mode, ModeLimits, Model, Modes,
    ParseRegionError, RateLimitRule, Region, RegionOffer, Tier, UnknownModel,
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

mod chat;
pub use chat::{
    ChatError, ChatOptions, ChatRequest, ChatTemplate, Content, ContentPart, FunctionCall, Message,
    Role, ToolCall, parse_messages,
};

/// The README's Rust examples, run as doc tests so they stay true.
#[doc = include_str!("../../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
