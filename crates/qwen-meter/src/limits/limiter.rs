//! A pure client-side rate limiter: the caller passes `now`, it answers go or wait.
//!
//! It keeps a log of the requests admitted in the last minute and admits a new one only if
//! - in every 60-second window, admitted requests stay within RPM and tokens within TPM
//!   (the hard guarantee, tested as a property), and
//! - in every 1-second window, requests stay within RPS = ⌊RPM / 60⌋ (at least 1) and tokens
//!   within TPS = ⌊TPM / 60⌋, unless the request is alone in that second: the service also
//!   enforces its limits per second, so bursts of a minute's budget would be refused.
//!
//! Sliding windows, rather than a token bucket, because a bucket that allows any burst
//! admits more than RPM in some 60-second window.

use std::collections::VecDeque;
use std::time::Duration;

use super::rate::{RateLimitError, RateLimits};

const MINUTE: Duration = Duration::from_secs(60);
const SECOND: Duration = Duration::from_secs(1);

/// Proof of admission: pass it to [`RateLimiter::record_usage`] once the real usage is known.
///
/// ```
/// use qwen_meter::{Decision, RateLimiter, RateLimits};
/// use std::time::Duration;
/// let mut limiter = RateLimiter::new(RateLimits { rpm: 60, tpm: 10_000 })?;
/// if let Decision::Go(permit) = limiter.acquire(Duration::ZERO, 3_000)? {
///     assert_eq!(permit.tokens(), 3_000);
/// }
/// # Ok::<(), qwen_meter::RateLimitError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[must_use = "record the real usage with RateLimiter::record_usage"]
pub struct Permit {
    id: u64,
    tokens: u64,
}

impl Permit {
    /// The tokens reserved at admission.
    ///
    /// ```
    /// use qwen_meter::{Decision, RateLimiter, RateLimits};
    /// let mut limiter = RateLimiter::new(RateLimits { rpm: 60, tpm: 10_000 })?;
    /// let Decision::Go(permit) = limiter.acquire(std::time::Duration::ZERO, 42)? else { unreachable!() };
    /// assert_eq!(permit.tokens(), 42);
    /// # Ok::<(), qwen_meter::RateLimitError>(())
    /// ```
    pub fn tokens(&self) -> u64 {
        self.tokens
    }
}

/// The limiter's answer.
///
/// ```
/// use qwen_meter::{Decision, RateLimiter, RateLimits};
/// use std::time::Duration;
/// let mut limiter = RateLimiter::new(RateLimits { rpm: 60, tpm: 100_000 })?;
/// assert!(matches!(limiter.acquire(Duration::ZERO, 10)?, Decision::Go(_)));
/// // RPM 60 allows one request per second.
/// assert_eq!(limiter.acquire(Duration::from_millis(200), 10)?, Decision::Wait(Duration::from_millis(800)));
/// # Ok::<(), qwen_meter::RateLimitError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Decision {
    /// Send now; the request is recorded with its reserved tokens.
    Go(Permit),
    /// Ask again after this long (nothing was recorded).
    Wait(Duration),
}

#[derive(Debug, Clone, Copy)]
struct Admitted {
    id: u64,
    at: Duration,
    tokens: u64,
}

/// A pure rate limiter over RPM and TPM: sliding 60-second windows hold requests within
/// RPM and tokens within TPM; sliding 1-second windows hold them within RPM / 60 and
/// TPM / 60 (a request alone in its second may exceed TPM / 60).
///
/// ```
/// use qwen_meter::{Decision, RateLimiter, RateLimits};
/// use std::time::Duration;
///
/// let mut limiter = RateLimiter::new(RateLimits { rpm: 600, tpm: 100_000 })?;
/// let mut now = Duration::ZERO;
/// loop {
///     match limiter.acquire(now, 4_000)? {
///         Decision::Go(permit) => {
///             // ... send the request; then record what it really used:
///             limiter.record_usage(permit, 3_120);
///             break;
///         }
///         Decision::Wait(pause) => now += pause, // sleep(pause) in real code
///     }
/// }
/// # Ok::<(), qwen_meter::RateLimitError>(())
/// ```
#[derive(Debug, Clone)]
pub struct RateLimiter {
    limits: RateLimits,
    /// Admissions of the last minute, oldest first (times never decrease).
    log: VecDeque<Admitted>,
    next_id: u64,
    latest: Duration,
}

impl RateLimiter {
    /// A limiter for `limits`; zero limits are an error.
    ///
    /// ```
    /// use qwen_meter::{RateLimiter, RateLimits};
    /// assert!(RateLimiter::new(RateLimits { rpm: 0, tpm: 1 }).is_err());
    /// ```
    pub fn new(limits: RateLimits) -> Result<RateLimiter, RateLimitError> {
        limits.check()?;
        Ok(RateLimiter {
            limits,
            log: VecDeque::new(),
            next_id: 0,
            latest: Duration::ZERO,
        })
    }

    /// The limits enforced.
    ///
    /// ```
    /// use qwen_meter::{RateLimiter, RateLimits};
    /// let limits = RateLimits { rpm: 60, tpm: 1_000 };
    /// assert_eq!(RateLimiter::new(limits)?.limits(), limits);
    /// # Ok::<(), qwen_meter::RateLimitError>(())
    /// ```
    pub fn limits(&self) -> RateLimits {
        self.limits
    }

    /// Asks to send a request of `tokens` (input + expected output) at time `now` (any
    /// monotonic origin; a `now` earlier than one seen before counts as that one). Answers
    /// [`Decision::Go`] and records the request, or [`Decision::Wait`] with the exact time
    /// until it would be admitted if nothing else is admitted meanwhile.
    ///
    /// ```
    /// use qwen_meter::{Decision, RateLimiter, RateLimits};
    /// use std::time::Duration;
    /// let mut limiter = RateLimiter::new(RateLimits { rpm: 6_000, tpm: 60_000 })?;
    /// assert!(matches!(limiter.acquire(Duration::ZERO, 60_000)?, Decision::Go(_)));
    /// // The minute's tokens are spent: wait until the first request leaves the window.
    /// assert_eq!(limiter.acquire(Duration::from_secs(10), 1)?, Decision::Wait(Duration::from_secs(50)));
    /// assert!(limiter.acquire(Duration::from_secs(61), 70_000).is_err()); // can never go
    /// # Ok::<(), qwen_meter::RateLimitError>(())
    /// ```
    pub fn acquire(&mut self, now: Duration, tokens: u64) -> Result<Decision, RateLimitError> {
        if tokens > self.limits.tpm {
            return Err(RateLimitError::RequestTooLarge {
                index: 0,
                tokens,
                tpm: self.limits.tpm,
            });
        }
        let now = now.max(self.latest);
        self.latest = now;
        // Forget admissions that no longer count in any window.
        while self
            .log
            .front()
            .is_some_and(|a| a.at.saturating_add(MINUTE) <= now)
        {
            self.log.pop_front();
        }
        let rps = (self.limits.rpm / 60).max(1);
        let tps = self.limits.tpm / 60;
        let ready = [
            self.count_ready(now, MINUTE, self.limits.rpm),
            self.tokens_ready(now, MINUTE, self.limits.tpm, tokens, false),
            self.count_ready(now, SECOND, rps),
            self.tokens_ready(now, SECOND, tps, tokens, true),
        ]
        .into_iter()
        .max()
        .unwrap_or(now);
        if ready > now {
            return Ok(Decision::Wait(ready - now));
        }
        let permit = Permit {
            id: self.next_id,
            tokens,
        };
        self.next_id += 1;
        self.log.push_back(Admitted {
            id: permit.id,
            at: now,
            tokens,
        });
        Ok(Decision::Go(permit))
    }

    /// Replaces a permit's reserved tokens with the tokens the request really used. Fewer
    /// frees capacity at once; more makes later requests wait longer. A permit whose
    /// request has left the last minute no longer matters and is ignored.
    ///
    /// ```
    /// use qwen_meter::{Decision, RateLimiter, RateLimits};
    /// use std::time::Duration;
    /// let mut limiter = RateLimiter::new(RateLimits { rpm: 6_000, tpm: 60_000 })?;
    /// let Decision::Go(permit) = limiter.acquire(Duration::ZERO, 60_000)? else { unreachable!() };
    /// limiter.record_usage(permit, 30_000); // it used half
    /// assert!(matches!(limiter.acquire(Duration::from_secs(1), 30_000)?, Decision::Go(_)));
    /// # Ok::<(), qwen_meter::RateLimitError>(())
    /// ```
    pub fn record_usage(&mut self, permit: Permit, actual_tokens: u64) {
        if let Some(entry) = self.log.iter_mut().rev().find(|a| a.id == permit.id) {
            entry.tokens = actual_tokens;
        }
    }

    /// The admissions inside the window of length `window` ending at `now`: `(now - window, now]`.
    fn in_window(&self, now: Duration, window: Duration) -> impl Iterator<Item = &Admitted> {
        self.log
            .iter()
            .filter(move |a| a.at.saturating_add(window) > now)
    }

    /// Earliest time when one more request keeps the window's count within `cap`.
    fn count_ready(&self, now: Duration, window: Duration, cap: u64) -> Duration {
        let inside: Vec<&Admitted> = self.in_window(now, window).collect();
        let excess = (inside.len() as u64 + 1).saturating_sub(cap);
        match excess {
            0 => now,
            // The oldest `excess` entries must leave; the last of them leaves at at + window.
            k => inside
                .get(k as usize - 1)
                .map_or(now, |a| a.at.saturating_add(window)),
        }
    }

    /// Earliest time when `tokens` more keep the window's tokens within `cap` (or, when
    /// `alone_ok`, when the window is empty).
    fn tokens_ready(
        &self,
        now: Duration,
        window: Duration,
        cap: u64,
        tokens: u64,
        alone_ok: bool,
    ) -> Duration {
        let mut inside: u64 = self
            .in_window(now, window)
            .map(|a| a.tokens)
            .fold(0, u64::saturating_add);
        let fits =
            |sum: u64, count: usize| sum.saturating_add(tokens) <= cap || (alone_ok && count == 0);
        let mut remaining = self.in_window(now, window).count();
        if fits(inside, remaining) {
            return now;
        }
        for a in self.in_window(now, window) {
            inside -= a.tokens.min(inside);
            remaining -= 1;
            if fits(inside, remaining) {
                return a.at.saturating_add(window);
            }
        }
        now // unreachable for valid requests: an empty window always fits
    }
}
