//! Rate limits and batch planning: how long a batch of requests takes at RPM / TPM.
//!
//! The service enforces its limits per minute and also per second (RPS = RPM / 60,
//! TPS = TPM / 60), so a batch cannot be sent in one burst: it has to be spread at those
//! rates. The plan is the resulting lower bound on the time, and which limit sets it.

use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Serialize};

const MINUTE_NANOS: u128 = 60_000_000_000;

/// Requests-per-minute and tokens-per-minute limits (tokens = input + output).
///
/// Catalog values are advisory ([`Model::rate_limits`](crate::Model::rate_limits)); accounts
/// differ, so build your own when you know them.
///
/// ```
/// use qwen_meter::RateLimits;
/// let limits = RateLimits { rpm: 600, tpm: 1_000_000 };
/// assert_eq!(limits.requests_per_second(), 10.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RateLimits {
    /// Requests per minute.
    pub rpm: u64,
    /// Tokens (input + output) per minute.
    pub tpm: u64,
}

impl RateLimits {
    /// RPS = RPM / 60.
    ///
    /// ```
    /// assert_eq!(qwen_meter::RateLimits { rpm: 60, tpm: 6_000 }.requests_per_second(), 1.0);
    /// ```
    pub fn requests_per_second(&self) -> f64 {
        self.rpm as f64 / 60.0
    }

    /// TPS = TPM / 60.
    ///
    /// ```
    /// assert_eq!(qwen_meter::RateLimits { rpm: 60, tpm: 6_000 }.tokens_per_second(), 100.0);
    /// ```
    pub fn tokens_per_second(&self) -> f64 {
        self.tpm as f64 / 60.0
    }

    pub(crate) fn check(&self) -> Result<(), RateLimitError> {
        if self.rpm == 0 || self.tpm == 0 {
            Err(RateLimitError::ZeroLimit { limits: *self })
        } else {
            Ok(())
        }
    }

    /// The plan for sending `requests`: minimum duration, binding limit, sustained rates.
    ///
    /// ```
    /// use qwen_meter::{BindingLimit, PlannedRequest, RateLimits};
    /// let limits = RateLimits { rpm: 600, tpm: 1_000_000 };
    /// // 1,000 requests of 2,000 + 500 tokens: 2.5M tokens at 1M/min = 150 s;
    /// // 1,000 requests at 600/min = 100 s. Tokens bind.
    /// let batch = vec![PlannedRequest { input_tokens: 2_000, output_tokens: 500 }; 1_000];
    /// let plan = limits.plan(&batch)?;
    /// assert_eq!(plan.minimum_duration.as_secs(), 150);
    /// assert_eq!(plan.binding, BindingLimit::Tokens);
    /// assert_eq!(plan.requests_per_minute, 400.0);
    /// # Ok::<(), qwen_meter::RateLimitError>(())
    /// ```
    pub fn plan(&self, requests: &[PlannedRequest]) -> Result<RatePlan, RateLimitError> {
        self.check()?;
        let mut total_tokens: u64 = 0;
        for (index, request) in requests.iter().enumerate() {
            let tokens = request.tokens();
            if tokens > self.tpm {
                return Err(RateLimitError::RequestTooLarge {
                    index,
                    tokens,
                    tpm: self.tpm,
                });
            }
            total_tokens = total_tokens.saturating_add(tokens);
        }
        Ok(self.plan_totals(requests.len() as u64, total_tokens))
    }

    /// The plan for `count` identical requests of `input_tokens` + `output_tokens` each.
    ///
    /// ```
    /// use qwen_meter::{BindingLimit, RateLimits};
    /// let plan = RateLimits { rpm: 60, tpm: 100_000 }.plan_uniform(120, 500, 300)?;
    /// assert_eq!(plan.minimum_duration.as_secs(), 120); // 120 requests at 1 per second
    /// assert_eq!(plan.binding, BindingLimit::Requests);
    /// # Ok::<(), qwen_meter::RateLimitError>(())
    /// ```
    pub fn plan_uniform(
        &self,
        count: u64,
        input_tokens: u64,
        output_tokens: u64,
    ) -> Result<RatePlan, RateLimitError> {
        self.check()?;
        let tokens = input_tokens.saturating_add(output_tokens);
        if count > 0 && tokens > self.tpm {
            return Err(RateLimitError::RequestTooLarge {
                index: 0,
                tokens,
                tpm: self.tpm,
            });
        }
        Ok(self.plan_totals(count, tokens.saturating_mul(count)))
    }

    fn plan_totals(&self, requests: u64, total_tokens: u64) -> RatePlan {
        // At RPS = RPM/60 and TPS = TPM/60, n requests need n/RPS seconds and T tokens T/TPS;
        // the larger binds. Integer nanoseconds (rounded up) keep the comparison exact.
        let by_requests = ceil_div(requests as u128 * MINUTE_NANOS, self.rpm as u128);
        let by_tokens = ceil_div(total_tokens as u128 * MINUTE_NANOS, self.tpm as u128);
        // Exact comparison of n/rpm with T/tpm by cross-multiplying.
        let lhs = requests as u128 * self.tpm as u128;
        let rhs = total_tokens as u128 * self.rpm as u128;
        let binding = match lhs.cmp(&rhs) {
            std::cmp::Ordering::Greater => BindingLimit::Requests,
            std::cmp::Ordering::Less => BindingLimit::Tokens,
            std::cmp::Ordering::Equal => BindingLimit::Both,
        };
        let nanos = by_requests.max(by_tokens);
        let minimum_duration = Duration::from_nanos(u64::try_from(nanos).unwrap_or(u64::MAX));
        let (requests_per_minute, tokens_per_minute) = if nanos == 0 {
            (0.0, 0.0)
        } else {
            // The sustained rates over the whole batch: min(RPM, TPM / tokens per request).
            let minutes = nanos as f64 / MINUTE_NANOS as f64;
            (requests as f64 / minutes, total_tokens as f64 / minutes)
        };
        RatePlan {
            limits: *self,
            requests,
            total_tokens,
            minimum_duration,
            binding,
            requests_per_minute,
            tokens_per_minute,
        }
    }
}

fn ceil_div(a: u128, b: u128) -> u128 {
    a.div_ceil(b)
}

/// One request of a batch to plan: prompt tokens plus expected output tokens.
///
/// ```
/// assert_eq!(qwen_meter::PlannedRequest { input_tokens: 100, output_tokens: 20 }.tokens(), 120);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlannedRequest {
    /// Prompt tokens.
    pub input_tokens: u64,
    /// Expected output tokens.
    pub output_tokens: u64,
}

impl PlannedRequest {
    /// Tokens counted against TPM: input + output.
    ///
    /// ```
    /// assert_eq!(qwen_meter::PlannedRequest::default().tokens(), 0);
    /// ```
    pub fn tokens(&self) -> u64 {
        self.input_tokens.saturating_add(self.output_tokens)
    }
}

/// Which limit sets the pace of a batch.
///
/// ```
/// use qwen_meter::{BindingLimit, RateLimits};
/// let plan = RateLimits { rpm: 60, tpm: 60_000 }.plan_uniform(10, 1_000, 0)?;
/// assert_eq!(plan.binding, BindingLimit::Both); // 1 request and 1,000 tokens a second
/// assert_eq!(BindingLimit::Tokens.to_string(), "tokens per minute (TPM)");
/// # Ok::<(), qwen_meter::RateLimitError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum BindingLimit {
    /// Requests per minute.
    Requests,
    /// Tokens per minute.
    Tokens,
    /// Both limits bind equally.
    Both,
}

impl fmt::Display for BindingLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            BindingLimit::Requests => "requests per minute (RPM)",
            BindingLimit::Tokens => "tokens per minute (TPM)",
            BindingLimit::Both => "requests and tokens per minute (RPM and TPM)",
        })
    }
}

/// How long a batch takes at the rate limits, and why.
///
/// ```
/// use qwen_meter::RateLimits;
/// let plan = RateLimits { rpm: 600, tpm: 1_000_000 }.plan_uniform(600, 1_000, 0)?;
/// assert_eq!(plan.minimum_duration.as_secs(), 60);
/// assert_eq!(plan.requests_per_minute, 600.0);
/// # Ok::<(), qwen_meter::RateLimitError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RatePlan {
    /// The limits planned against.
    pub limits: RateLimits,
    /// Number of requests.
    pub requests: u64,
    /// Input + output tokens of all requests.
    pub total_tokens: u64,
    /// The shortest span over which the batch can be sent: `max(n / RPS, T / TPS)`,
    /// rounded up to the nanosecond. Serialised as whole milliseconds (rounded up).
    #[serde(rename = "minimumDurationMs", with = "duration_ms")]
    pub minimum_duration: Duration,
    /// The limit that sets `minimum_duration`.
    pub binding: BindingLimit,
    /// Sustained requests per minute over the batch: `min(RPM, TPM / tokens per request)`.
    pub requests_per_minute: f64,
    /// Sustained tokens per minute over the batch.
    pub tokens_per_minute: f64,
}

/// A rate-limit question with no answer.
///
/// ```
/// use qwen_meter::{RateLimitError, RateLimits};
/// let err = RateLimits { rpm: 60, tpm: 1_000 }.plan_uniform(1, 2_000, 0).unwrap_err();
/// assert!(matches!(err, RateLimitError::RequestTooLarge { tokens: 2_000, .. }));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RateLimitError {
    /// A limit of zero admits nothing.
    ZeroLimit {
        /// The limits given.
        limits: RateLimits,
    },
    /// One request needs more tokens than a whole minute allows: it can never be sent.
    RequestTooLarge {
        /// Position of the request in the batch (0 for the limiter).
        index: usize,
        /// Its input + output tokens.
        tokens: u64,
        /// The tokens-per-minute limit.
        tpm: u64,
    },
}

impl fmt::Display for RateLimitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RateLimitError::ZeroLimit { limits } => write!(
                f,
                "rate limits must be positive (rpm {}, tpm {})",
                limits.rpm, limits.tpm
            ),
            RateLimitError::RequestTooLarge { index, tokens, tpm } => write!(
                f,
                "request {index} needs {tokens} tokens, more than the limit of {tpm} tokens per minute: it can never be sent"
            ),
        }
    }
}

impl std::error::Error for RateLimitError {}

/// `Duration` as whole milliseconds (rounded up) in JSON, which JavaScript reads as a number.
pub(crate) mod duration_ms {
    use std::time::Duration;

    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        let ms = d.as_nanos().div_ceil(1_000_000);
        s.serialize_u64(u64::try_from(ms).unwrap_or(u64::MAX))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        Ok(Duration::from_millis(u64::deserialize(d)?))
    }
}
