//! Limits: does a prompt fit the context window, and how fast may requests be sent.
//!
//! - Context fit ([`Model::fit`], [`Model::truncate_to_fit`]): a prompt of N tokens with M
//!   output tokens reserved fits when N is within the model's max input, M within its max
//!   output, and N + M within its context window, all for the chosen [`Mode`].
//! - Rate limits ([`RateLimits`], [`RatePlan`], [`RateLimiter`], [`RetryPolicy`]): pure
//!   planning and pacing against requests-per-minute and tokens-per-minute limits. Nothing
//!   here reads a clock: the caller passes `now`.
//!
//! ```
//! use qwen_meter::{Catalog, Mode};
//! let model = Catalog::builtin().model("qwen3-max")?;
//! let fit = model.fit(Mode::NonThinking, 200_000, 8_000)?;
//! assert!(fit.fits);
//! assert_eq!(fit.remaining_tokens, 262_144 - 8_000 - 200_000); // the window binds
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{Keep, Mode, Model};

mod limiter;
mod rate;
mod retry;

pub use limiter::{Decision, Permit, RateLimiter};
pub use rate::{BindingLimit, PlannedRequest, RateLimitError, RateLimits, RatePlan};
pub use retry::{RetryPolicy, parse_retry_after};

/// Which bound decides how long the prompt may be.
///
/// ```
/// use qwen_meter::{Catalog, FitLimit, Mode};
/// let fit = Catalog::builtin().model("qwen3-max")?.fit(Mode::NonThinking, 1_000, 100)?;
/// assert_eq!(fit.binding, FitLimit::MaxInput);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum FitLimit {
    /// The model's maximum input.
    MaxInput,
    /// The context window minus the reserved output.
    ContextWindow,
    /// The reserved output alone exceeds the model's maximum output: no prompt fits.
    MaxOutput,
}

/// The answer to "does this prompt fit, with this much output reserved?".
///
/// ```
/// use qwen_meter::{Catalog, Mode};
/// let fit = Catalog::builtin().model("qwen-max")?.fit(Mode::NonThinking, 31_000, 1_000)?;
/// assert!(!fit.fits);
/// assert_eq!(fit.max_prompt_tokens, 30_720);
/// assert_eq!(fit.overflow_tokens, 280);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContextFit {
    /// Whether the prompt and the reservation fit.
    pub fits: bool,
    /// The prompt tokens asked about.
    pub prompt_tokens: u64,
    /// The output tokens reserved.
    pub reserved_output_tokens: u64,
    /// The longest prompt that fits with this reservation.
    pub max_prompt_tokens: u64,
    /// Prompt tokens that could still be added (0 when it does not fit).
    pub remaining_tokens: u64,
    /// Prompt tokens to cut to fit (0 when it fits).
    pub overflow_tokens: u64,
    /// The bound that sets `max_prompt_tokens`.
    pub binding: FitLimit,
}

/// A context-fit question that has no answer.
///
/// ```
/// use qwen_meter::{Catalog, FitError, Mode};
/// let err = Catalog::builtin().model("qwen-max")?.fit(Mode::Thinking, 10, 10).unwrap_err();
/// assert!(matches!(err, FitError::ModeNotSupported { .. }));
/// # Ok::<(), qwen_meter::UnknownModel>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FitError {
    /// The model does not run in this mode.
    ModeNotSupported {
        /// Model id.
        model: String,
        /// The mode asked for.
        mode: Mode,
    },
    /// The reserved output alone exceeds the model's maximum output (truncation cannot help).
    OutputTooLong {
        /// Model id.
        model: String,
        /// The mode.
        mode: Mode,
        /// Output tokens reserved.
        reserved_output_tokens: u64,
        /// The model's maximum billed output in this mode.
        max_output_tokens: u64,
    },
}

impl fmt::Display for FitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FitError::ModeNotSupported { model, mode } => {
                write!(f, "model {model} does not run in {mode} mode")
            }
            FitError::OutputTooLong {
                model,
                mode,
                reserved_output_tokens,
                max_output_tokens,
            } => write!(
                f,
                "{reserved_output_tokens} reserved output tokens exceed the maximum output of model {model} in {mode} mode ({max_output_tokens})"
            ),
        }
    }
}

impl std::error::Error for FitError {}

impl Model {
    /// Whether a prompt of `prompt_tokens` fits with `reserved_output_tokens` of output
    /// reserved (reasoning included in thinking mode), and how much room is left.
    ///
    /// ```
    /// use qwen_meter::{Catalog, FitLimit, Mode};
    /// let model = Catalog::builtin().model("qwen-turbo")?;
    /// let fit = model.fit(Mode::Thinking, 98_304, 16_384)?;
    /// assert!(fit.fits);
    /// assert_eq!(fit.binding, FitLimit::MaxInput); // 98,304 + 16,384 < 131,072
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn fit(
        &self,
        mode: Mode,
        prompt_tokens: u64,
        reserved_output_tokens: u64,
    ) -> Result<ContextFit, FitError> {
        let limits = self
            .limits(mode)
            .ok_or_else(|| FitError::ModeNotSupported {
                model: self.id.clone(),
                mode,
            })?;
        let (max_prompt_tokens, binding) = if reserved_output_tokens
            > limits.max_billed_output_tokens()
        {
            (0, FitLimit::MaxOutput)
        } else {
            let by_window = limits
                .context_window
                .map(|w| w.saturating_sub(reserved_output_tokens));
            match (limits.max_input_tokens, by_window) {
                (Some(input), Some(window)) if window < input => (window, FitLimit::ContextWindow),
                (Some(input), _) => (input, FitLimit::MaxInput),
                (None, Some(window)) => (window, FitLimit::ContextWindow),
                // Validation guarantees one bound; a hand-built model without any is unbounded.
                (None, None) => (u64::MAX, FitLimit::MaxInput),
            }
        };
        let fits = binding != FitLimit::MaxOutput && prompt_tokens <= max_prompt_tokens;
        Ok(ContextFit {
            fits,
            prompt_tokens,
            reserved_output_tokens,
            max_prompt_tokens,
            remaining_tokens: if fits {
                max_prompt_tokens - prompt_tokens
            } else {
                0
            },
            overflow_tokens: prompt_tokens.saturating_sub(max_prompt_tokens),
            binding,
        })
    }

    /// The longest prompt (in tokens) that fits with `reserved_output_tokens` reserved.
    ///
    /// ```
    /// use qwen_meter::{Catalog, Mode};
    /// let model = Catalog::builtin().model("qwen3-max")?;
    /// assert_eq!(model.prompt_budget(Mode::NonThinking, 65_536)?, 262_144 - 65_536);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn prompt_budget(&self, mode: Mode, reserved_output_tokens: u64) -> Result<u64, FitError> {
        let fit = self.fit(mode, 0, reserved_output_tokens)?;
        if fit.binding == FitLimit::MaxOutput {
            let max = self
                .limits(mode)
                .map(|l| l.max_billed_output_tokens())
                .unwrap_or(0);
            return Err(FitError::OutputTooLong {
                model: self.id.clone(),
                mode,
                reserved_output_tokens,
                max_output_tokens: max,
            });
        }
        Ok(fit.max_prompt_tokens)
    }

    /// The longest start (or end, with [`Keep::End`]) of `text` that fits this model with
    /// `reserved_output_tokens` reserved, counted with the model's tokenizer. Returns a slice
    /// of `text`, cut on a token boundary.
    ///
    /// ```
    /// use qwen_meter::{Catalog, Keep, Mode};
    /// let model = Catalog::builtin().model("qwen-max")?;
    /// let long_document = "word ".repeat(40_000);
    /// let kept = model.truncate_to_fit(&long_document, Mode::NonThinking, 2_000, Keep::End)?;
    /// assert!(model.count_tokens(kept) <= 30_720);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn truncate_to_fit<'a>(
        &self,
        text: &'a str,
        mode: Mode,
        reserved_output_tokens: u64,
        keep: Keep,
    ) -> Result<&'a str, FitError> {
        let budget = self.prompt_budget(mode, reserved_output_tokens)?;
        let budget = usize::try_from(budget).unwrap_or(usize::MAX);
        Ok(self.tokenizer().truncate(text, budget, keep))
    }
}
