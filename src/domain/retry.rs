//! When to try a failed publish again: exponential backoff with jitter, never before the
//! network's own reset time (DESIGN.md, "Publishing").

/// Tries in all before a variant is marked failed.
pub const MAX_ATTEMPTS: i64 = 6;
const BASE_MS: i64 = 30_000;
const CAP_MS: i64 = 60 * 60_000;

/// When attempt `attempt + 1` may start, after attempt `attempt` (1-based) failed at
/// `now_ms`. `jitter` in [0, 1) spreads retries of many posts that failed together (a
/// network outage) over the last quarter of the delay, so they do not return as one burst.
/// A reset time the network gave wins when it is later.
pub fn next_try_ms(attempt: i64, now_ms: i64, network_reset_ms: Option<i64>, jitter: f64) -> i64 {
    let exponent = u32::try_from(attempt.saturating_sub(1).clamp(0, 16)).unwrap_or(16);
    let delay = BASE_MS.saturating_mul(1_i64 << exponent).min(CAP_MS);
    let jitter = jitter.clamp(0.0, 1.0);
    let delay = delay - ((delay as f64) * 0.25 * jitter) as i64;
    let backoff = now_ms.saturating_add(delay);
    match network_reset_ms {
        Some(reset) if reset > backoff => reset,
        _ => backoff,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_double_up_to_an_hour() {
        assert_eq!(next_try_ms(1, 0, None, 0.0), 30_000);
        assert_eq!(next_try_ms(2, 0, None, 0.0), 60_000);
        assert_eq!(next_try_ms(3, 0, None, 0.0), 120_000);
        assert_eq!(next_try_ms(40, 0, None, 0.0), 3_600_000);
        assert_eq!(next_try_ms(1, 0, None, 0.5), 26_250);
    }

    #[test]
    fn a_later_network_reset_wins() {
        assert_eq!(next_try_ms(1, 0, Some(900_000), 0.0), 900_000);
        assert_eq!(next_try_ms(1, 0, Some(1_000), 0.0), 30_000);
    }

    proptest::proptest! {
        #[test]
        fn never_before_now_nor_before_the_reset(
            attempt in 0_i64..100, now in 0_i64..4_000_000_000_000, reset in proptest::option::of(0_i64..4_000_000_000_000), jitter in 0.0_f64..1.0
        ) {
            let at = next_try_ms(attempt, now, reset, jitter);
            proptest::prop_assert!(at > now);
            proptest::prop_assert!(at <= now + CAP_MS || Some(at) == reset);
            if let Some(r) = reset { proptest::prop_assert!(at >= r); }
        }
    }
}
