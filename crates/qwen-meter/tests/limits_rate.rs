//! Rate-limit planning, the pure limiter (property: no 60 s window over RPM or TPM) and the
//! 429 retry policy.

use std::time::Duration;

use proptest::prelude::*;
use qwen_meter::{
    BindingLimit, Catalog, Decision, PlannedRequest, RateLimitError, RateLimiter, RateLimits,
    Region, RetryPolicy, parse_retry_after,
};

#[test]
fn qwen3_max_batch_planned_end_to_end() {
    // Catalog default for qwen3-max (Chinese Mainland): 600 RPM, 1,000,000 TPM.
    let limits = Catalog::builtin()
        .model("qwen3-max")
        .unwrap()
        .rate_limits(Region::ChineseMainland)
        .unwrap();
    assert_eq!(
        limits,
        RateLimits {
            rpm: 600,
            tpm: 1_000_000
        }
    );
    // 3,000 requests of 50,000 + 2,000 tokens: 156,000,000 tokens / 1,000,000 per minute =
    // 156 min = 9,360 s; requests alone: 3,000 / 600 = 5 min. Tokens bind.
    let plan = limits.plan_uniform(3_000, 50_000, 2_000).unwrap();
    assert_eq!(plan.minimum_duration, Duration::from_secs(9_360));
    assert_eq!(plan.binding, BindingLimit::Tokens);
    assert_eq!(plan.total_tokens, 156_000_000);
    // sustained: 3,000 requests in 156 minutes = 19.23... RPM
    assert!((plan.requests_per_minute - 3_000.0 / 156.0).abs() < 1e-9);
    assert!((plan.tokens_per_minute - 1_000_000.0).abs() < 1e-6);
}

#[test]
fn qwen2_batch_planned_end_to_end() {
    // Qwen2 International (S4): 60 RPM, 150,000 TPM. 90 requests of 1,000 + 500 tokens:
    // 135,000 tokens -> 54 s; 90 requests at 1 per second -> 90 s. Requests bind.
    let limits = Catalog::builtin()
        .model("qwen2-72b-instruct")
        .unwrap()
        .rate_limits(Region::International)
        .unwrap();
    assert_eq!(
        limits,
        RateLimits {
            rpm: 60,
            tpm: 150_000
        }
    );
    let plan = limits
        .plan(&vec![
            PlannedRequest {
                input_tokens: 1_000,
                output_tokens: 500
            };
            90
        ])
        .unwrap();
    assert_eq!(plan.minimum_duration, Duration::from_secs(90));
    assert_eq!(plan.binding, BindingLimit::Requests);
    assert_eq!(plan.requests_per_minute, 60.0);
}

#[test]
fn uneven_batches_sum_their_tokens() {
    let limits = RateLimits {
        rpm: 100,
        tpm: 10_000,
    };
    let batch = [
        PlannedRequest {
            input_tokens: 9_000,
            output_tokens: 1_000,
        },
        PlannedRequest {
            input_tokens: 100,
            output_tokens: 0,
        },
        PlannedRequest {
            input_tokens: 4_900,
            output_tokens: 0,
        },
    ];
    // 15,000 tokens at 10,000/min = 90 s; 3 requests at 100/min = 1.8 s.
    let plan = limits.plan(&batch).unwrap();
    assert_eq!(plan.minimum_duration, Duration::from_secs(90));
    assert_eq!(plan.binding, BindingLimit::Tokens);
    // fractional durations are rounded up to the nanosecond: 7 requests at 9 RPM = 46.666..s
    let plan = RateLimits { rpm: 9, tpm: 1_000 }
        .plan_uniform(7, 1, 0)
        .unwrap();
    assert_eq!(plan.minimum_duration, Duration::new(46, 666_666_667));
    let json = serde_json::to_value(plan).unwrap();
    assert_eq!(json["minimumDurationMs"], 46_667);
    assert_eq!(json["binding"], "requests");
}

#[test]
fn impossible_plans_are_errors() {
    let err = RateLimits {
        rpm: 10,
        tpm: 1_000,
    }
    .plan(&[
        PlannedRequest {
            input_tokens: 10,
            output_tokens: 0,
        },
        PlannedRequest {
            input_tokens: 1_001,
            output_tokens: 0,
        },
    ])
    .unwrap_err();
    assert_eq!(
        err,
        RateLimitError::RequestTooLarge {
            index: 1,
            tokens: 1_001,
            tpm: 1_000
        }
    );
    assert!(err.to_string().contains("request 1"));
    assert!(RateLimits { rpm: 0, tpm: 1 }.plan(&[]).is_err());
    let empty = RateLimits { rpm: 1, tpm: 1 }.plan(&[]).unwrap();
    assert_eq!(empty.minimum_duration, Duration::ZERO);
}

#[test]
fn limiter_paces_requests_per_second() {
    // 120 RPM -> 2 requests per second.
    let mut limiter = RateLimiter::new(RateLimits {
        rpm: 120,
        tpm: 1_000_000,
    })
    .unwrap();
    assert!(matches!(
        limiter.acquire(Duration::ZERO, 1).unwrap(),
        Decision::Go(_)
    ));
    assert!(matches!(
        limiter.acquire(Duration::from_millis(100), 1).unwrap(),
        Decision::Go(_)
    ));
    assert_eq!(
        limiter.acquire(Duration::from_millis(300), 1).unwrap(),
        Decision::Wait(Duration::from_millis(700))
    );
    assert!(matches!(
        limiter.acquire(Duration::from_millis(1_000), 1).unwrap(),
        Decision::Go(_)
    ));
}

#[test]
fn limiter_paces_tokens_per_second_but_lets_a_large_request_go_alone() {
    // 60,000 TPM -> 1,000 tokens per second; a 5,000-token request goes when alone.
    let mut limiter = RateLimiter::new(RateLimits {
        rpm: 6_000,
        tpm: 60_000,
    })
    .unwrap();
    assert!(matches!(
        limiter.acquire(Duration::ZERO, 5_000).unwrap(),
        Decision::Go(_)
    ));
    assert_eq!(
        limiter.acquire(Duration::from_millis(10), 10).unwrap(),
        Decision::Wait(Duration::from_millis(990))
    );
    assert!(matches!(
        limiter.acquire(Duration::from_secs(1), 10).unwrap(),
        Decision::Go(_)
    ));
}

#[test]
fn recorded_usage_frees_or_takes_capacity() {
    let mut limiter = RateLimiter::new(RateLimits {
        rpm: 6_000,
        tpm: 60_000,
    })
    .unwrap();
    let Decision::Go(permit) = limiter.acquire(Duration::ZERO, 50_000).unwrap() else {
        panic!()
    };
    // Reserved 50,000: a 20,000-token request must wait for the minute to pass.
    assert_eq!(
        limiter.acquire(Duration::from_secs(2), 20_000).unwrap(),
        Decision::Wait(Duration::from_secs(58))
    );
    limiter.record_usage(permit, 30_000);
    assert!(matches!(
        limiter.acquire(Duration::from_secs(2), 20_000).unwrap(),
        Decision::Go(_)
    ));
}

#[test]
fn a_clock_that_goes_back_is_held_at_its_latest_value() {
    let mut limiter = RateLimiter::new(RateLimits {
        rpm: 60,
        tpm: 1_000,
    })
    .unwrap();
    assert!(matches!(
        limiter.acquire(Duration::from_secs(10), 1).unwrap(),
        Decision::Go(_)
    ));
    assert_eq!(
        limiter.acquire(Duration::from_secs(5), 1).unwrap(),
        Decision::Wait(Duration::from_secs(1))
    );
}

/// One simulated client run: requests of random sizes at random gaps, each retried after the
/// limiter's wait, with the real usage (at most the reservation) recorded after sending.
fn simulate(limits: RateLimits, requests: &[(u64, u64, u64)]) -> Vec<(Duration, u64)> {
    let mut limiter = RateLimiter::new(limits).unwrap();
    let mut now = Duration::ZERO;
    let mut sent = Vec::new();
    for &(gap_ms, tokens, used_permille) in requests {
        now += Duration::from_millis(gap_ms);
        let tokens = tokens.min(limits.tpm);
        loop {
            match limiter.acquire(now, tokens).unwrap() {
                Decision::Go(permit) => {
                    let used = tokens * used_permille / 1_000;
                    limiter.record_usage(permit, used);
                    sent.push((now, used));
                    break;
                }
                Decision::Wait(pause) => {
                    assert!(pause > Duration::ZERO);
                    now += pause;
                }
            }
        }
    }
    sent
}

/// The largest request count and token sum over any 60 s window `[t, t + 60 s)`.
fn worst_window(sent: &[(Duration, u64)], window: Duration) -> (u64, u64) {
    let mut worst = (0, 0);
    for (i, &(start, _)) in sent.iter().enumerate() {
        let inside = sent[i..].iter().take_while(|(at, _)| *at < start + window);
        let (count, tokens) = inside.fold((0u64, 0u64), |(c, t), (_, used)| (c + 1, t + used));
        worst = (worst.0.max(count), worst.1.max(tokens));
    }
    worst
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn limiter_never_exceeds_rpm_or_tpm_in_any_60_second_window(
        rpm in 1u64..300,
        tpm in 100u64..50_000,
        requests in prop::collection::vec((0u64..3_000, 1u64..20_000, 0u64..=1_000), 1..400),
    ) {
        let limits = RateLimits { rpm, tpm };
        let sent = simulate(limits, &requests);
        prop_assert_eq!(sent.len(), requests.len());
        let (count, tokens) = worst_window(&sent, Duration::from_secs(60));
        prop_assert!(count <= rpm, "{} requests in a minute, limit {}", count, rpm);
        prop_assert!(tokens <= tpm, "{} tokens in a minute, limit {}", tokens, tpm);
        // and per second, RPS = max(1, RPM / 60)
        let (per_second, _) = worst_window(&sent, Duration::from_secs(1));
        prop_assert!(per_second <= (rpm / 60).max(1));
    }

    #[test]
    fn waiting_the_answered_time_is_enough(
        rpm in 1u64..300,
        tpm in 100u64..50_000,
        requests in prop::collection::vec((0u64..3_000, 1u64..20_000), 1..200),
    ) {
        let mut limiter = RateLimiter::new(RateLimits { rpm, tpm }).unwrap();
        let mut now = Duration::ZERO;
        for (gap_ms, tokens) in requests {
            now += Duration::from_millis(gap_ms);
            let tokens = tokens.min(tpm);
            if let Decision::Wait(pause) = limiter.acquire(now, tokens).unwrap() {
                now += pause;
                prop_assert!(matches!(limiter.acquire(now, tokens).unwrap(), Decision::Go(_)));
            }
        }
    }

    #[test]
    fn plan_duration_is_the_larger_of_the_two_rate_bounds(
        rpm in 1u64..100_000,
        tpm in 1u64..10_000_000,
        count in 0u64..10_000,
        tokens_each in 0u64..100_000,
    ) {
        let tokens_each = tokens_each.min(tpm);
        let plan = RateLimits { rpm, tpm }.plan_uniform(count, tokens_each, 0).unwrap();
        let by_requests = count as f64 * 60.0 / rpm as f64;
        let by_tokens = (count * tokens_each) as f64 * 60.0 / tpm as f64;
        let expected = by_requests.max(by_tokens);
        prop_assert!((plan.minimum_duration.as_secs_f64() - expected).abs() < 1e-6 * expected.max(1.0));
        prop_assert!(plan.requests_per_minute <= rpm as f64 * (1.0 + 1e-9));
        prop_assert!(plan.tokens_per_minute <= tpm as f64 * (1.0 + 1e-9));
    }

    #[test]
    fn retry_delays_stay_in_their_jitter_band_and_honour_retry_after(
        seed in any::<u64>(),
        attempt in 1u32..=6,
        retry_after_s in prop::option::of(0u64..200),
    ) {
        let policy = RetryPolicy { seed, ..RetryPolicy::default() };
        let retry_after = retry_after_s.map(Duration::from_secs);
        let delay = policy.delay(attempt, retry_after).unwrap();
        // default: 1 s doubling, capped at 60 s; equal jitter draws in [d/2, d]
        let d = Duration::from_secs((1u64 << (attempt - 1)).min(60));
        let floor = retry_after.unwrap_or(Duration::ZERO);
        prop_assert!(delay >= (d / 2).max(floor));
        prop_assert!(delay <= d.max(floor));
        prop_assert_eq!(Some(delay), policy.delay(attempt, retry_after)); // deterministic
    }
}

#[test]
fn retry_policy_gives_up_and_spreads_clients() {
    let policy = RetryPolicy {
        max_retries: 3,
        ..RetryPolicy::default()
    };
    assert!(policy.delay(0, None).is_none());
    assert!(policy.delay(3, None).is_some());
    assert!(policy.delay(4, None).is_none());
    // A Retry-After longer than max_delay still wins: the server knows best.
    assert_eq!(
        policy.delay(1, Some(Duration::from_secs(600))),
        Some(Duration::from_secs(600))
    );
    // Different seeds give different delays (jitter), the same seed the same.
    let delays: std::collections::HashSet<Duration> = (0..20)
        .map(|seed| RetryPolicy { seed, ..policy }.delay(3, None).unwrap())
        .collect();
    assert!(delays.len() > 10);
    // Huge attempt numbers saturate at max_delay instead of overflowing.
    let long = RetryPolicy {
        max_retries: u32::MAX,
        ..policy
    };
    assert!(long.delay(200, None).unwrap() <= long.max_delay);
    assert_eq!(parse_retry_after("17"), Some(Duration::from_secs(17)));
    assert_eq!(parse_retry_after("-1"), None);
    assert_eq!(parse_retry_after("1.5"), None);
    let json = serde_json::to_value(RetryPolicy::default()).unwrap();
    assert_eq!(json["initialDelayMs"], 1_000);
    assert_eq!(json["maxRetries"], 6);
}

#[test]
fn extreme_inputs_are_answered_without_panicking() {
    let mut limiter = RateLimiter::new(RateLimits {
        rpm: 1,
        tpm: u64::MAX,
    })
    .unwrap();
    assert!(matches!(
        limiter.acquire(Duration::MAX, u64::MAX).unwrap(),
        Decision::Go(_)
    ));
    assert!(matches!(
        limiter.acquire(Duration::MAX, 1).unwrap(),
        Decision::Go(_) | Decision::Wait(_)
    ));
    let plan = RateLimits {
        rpm: 1,
        tpm: u64::MAX,
    }
    .plan_uniform(u64::MAX, u64::MAX, u64::MAX)
    .unwrap();
    assert_eq!(plan.binding, BindingLimit::Requests);
    let policy = RetryPolicy {
        initial_delay: Duration::MAX,
        max_delay: Duration::MAX,
        max_retries: u32::MAX,
        seed: 1,
    };
    assert!(policy.delay(u32::MAX, Some(Duration::MAX)).is_some());
}
