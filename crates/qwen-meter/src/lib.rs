//! qwen-meter: exact token counting, truncation and cost estimation for Qwen models.
//!
//! (Crate docs are completed with the tokenizer engine.)

mod error;
pub use error::{DecodeError, LoadError};

mod tokenizer;
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
    parse_retry_after, BindingLimit, ContextFit, Decision, FitError, FitLimit, Permit,
    PlannedRequest, RateLimitError, RateLimiter, RateLimits, RatePlan, RetryPolicy,
};
