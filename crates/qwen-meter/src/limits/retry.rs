//! Retrying HTTP 429 (rate limited) answers: exponential backoff with deterministic jitter.
//!
//! The jitter comes from a caller-given seed (SplitMix64 of seed and attempt), so two
//! clients with different seeds spread out while tests stay reproducible. A `Retry-After`
//! value from the server is a floor: the client never retries earlier than asked.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::rate::duration_ms;

/// Exponential backoff with "equal jitter": retry `n` (1-based) waits a uniformly drawn
/// time in `[d/2, d]` where `d = min(max_delay, initial_delay * 2^(n-1))`, and never less than
/// the server's `Retry-After`.
///
/// ```
/// use qwen_meter::RetryPolicy;
/// use std::time::Duration;
/// let policy = RetryPolicy { seed: 7, ..RetryPolicy::default() };
/// let first = policy.delay(1, None).unwrap();
/// assert!(first >= Duration::from_millis(500) && first <= Duration::from_secs(1));
/// assert_eq!(policy.delay(1, Some(Duration::from_secs(30))), Some(Duration::from_secs(30)));
/// assert_eq!(policy.delay(policy.max_retries + 1, None), None); // give up
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RetryPolicy {
    /// Backoff before the first retry (before jitter). JSON: `initialDelayMs`.
    #[serde(rename = "initialDelayMs", with = "duration_ms")]
    pub initial_delay: Duration,
    /// Cap on the backoff (a longer `Retry-After` still wins). JSON: `maxDelayMs`.
    #[serde(rename = "maxDelayMs", with = "duration_ms")]
    pub max_delay: Duration,
    /// Retries before giving up.
    pub max_retries: u32,
    /// Jitter seed: give each client its own.
    pub seed: u64,
}

impl Default for RetryPolicy {
    /// 1 s, doubling up to 60 s, 6 retries, seed 0.
    fn default() -> Self {
        RetryPolicy {
            initial_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(60),
            max_retries: 6,
            seed: 0,
        }
    }
}

impl RetryPolicy {
    /// How long to wait before retry number `attempt` (1 for the first retry), given the
    /// server's `Retry-After` if it sent one; `None` once `attempt` passes `max_retries`
    /// (or is 0).
    ///
    /// ```
    /// use qwen_meter::RetryPolicy;
    /// use std::time::Duration;
    /// let policy = RetryPolicy::default();
    /// // Deterministic: the same seed and attempt give the same delay.
    /// assert_eq!(policy.delay(3, None), policy.delay(3, None));
    /// let third = policy.delay(3, None).unwrap();
    /// assert!(third >= Duration::from_secs(2) && third <= Duration::from_secs(4));
    /// ```
    pub fn delay(&self, attempt: u32, retry_after: Option<Duration>) -> Option<Duration> {
        if attempt == 0 || attempt > self.max_retries {
            return None;
        }
        let initial = self.initial_delay.as_nanos();
        let doubled = initial
            .checked_shl(attempt - 1)
            .filter(|d| *d >> (attempt - 1) == initial);
        let cap = self.max_delay.as_nanos();
        let backoff = doubled.map_or(cap, |d| d.min(cap));
        let half = backoff / 2;
        let span = backoff - half + 1;
        let draw = u128::from(splitmix64(
            self.seed ^ u64::from(attempt).wrapping_mul(0x9E37_79B9_7F4A_7C15),
        ));
        let jittered = half + draw % span;
        let nanos = retry_after.map_or(jittered, |floor| jittered.max(floor.as_nanos()));
        Some(duration_from_nanos(nanos))
    }
}

fn duration_from_nanos(nanos: u128) -> Duration {
    const NANOS_PER_SEC: u128 = 1_000_000_000;
    let secs = u64::try_from(nanos / NANOS_PER_SEC).unwrap_or(u64::MAX);
    Duration::new(secs, (nanos % NANOS_PER_SEC) as u32)
}

/// SplitMix64: a tiny, well-mixed, deterministic generator step.
fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Reads a `Retry-After` header given in seconds (`"120"`). The HTTP-date form needs the
/// current date, which this pure crate does not read: it gives `None`, as does anything else
/// that is not a whole number of seconds.
///
/// ```
/// use qwen_meter::parse_retry_after;
/// use std::time::Duration;
/// assert_eq!(parse_retry_after(" 30 "), Some(Duration::from_secs(30)));
/// assert_eq!(parse_retry_after("Wed, 21 Oct 2026 07:28:00 GMT"), None);
/// ```
pub fn parse_retry_after(value: &str) -> Option<Duration> {
    let v = value.trim();
    if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    v.parse().ok().map(Duration::from_secs)
}
