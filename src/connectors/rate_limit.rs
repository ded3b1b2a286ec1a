//! When a rate limit resets, read from each network's own headers. Each returns epoch
//! milliseconds, or `None` when the header is absent or unreadable.

use reqwest::header::HeaderMap;

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name)?.to_str().ok().map(str::trim)
}

/// X: `x-rate-limit-reset` in epoch seconds
/// (<https://docs.x.com/x-api/fundamentals/rate-limits>).
pub fn x_reset(headers: &HeaderMap) -> Option<i64> {
    epoch_seconds(header(headers, "x-rate-limit-reset")?)
}

/// Mastodon: `X-RateLimit-Reset` as an ISO-8601 timestamp
/// (<https://docs.joinmastodon.org/api/rate-limits/>).
pub fn mastodon_reset(headers: &HeaderMap) -> Option<i64> {
    let value = header(headers, "x-ratelimit-reset")?;
    value
        .parse::<jiff::Timestamp>()
        .ok()
        .map(|t| t.as_millisecond())
}

/// Bluesky (the PDS): `RateLimit-Reset` in epoch seconds (IETF draft RateLimit headers as
/// the atproto PDS sends them).
pub fn bluesky_reset(headers: &HeaderMap) -> Option<i64> {
    epoch_seconds(header(headers, "ratelimit-reset")?)
}

/// `Retry-After` in seconds from `now_ms`, or as an HTTP date.
pub fn retry_after(headers: &HeaderMap, now_ms: i64) -> Option<i64> {
    let value = header(headers, "retry-after")?;
    if let Ok(seconds) = value.parse::<i64>() {
        return Some(now_ms.saturating_add(seconds.saturating_mul(1000)));
    }
    jiff::fmt::rfc2822::parse(value)
        .ok()
        .map(|z| z.timestamp().as_millisecond())
}

/// Meta's usage headers (`x-app-usage`, `x-business-use-case-usage`): a JSON object of
/// percentages; Meta throttles at 100, so Herald stops at 90
/// (<https://developers.facebook.com/docs/graph-api/overview/rate-limiting/>). Returns the
/// highest percentage found.
pub fn meta_usage_percent(headers: &HeaderMap) -> Option<f64> {
    let mut highest: Option<f64> = None;
    for name in [
        "x-app-usage",
        "x-business-use-case-usage",
        "x-ad-account-usage",
    ] {
        let Some(raw) = header(headers, name) else {
            continue;
        };
        let Ok(value) = serde_json::from_str::<serde_json::Value>(raw) else {
            continue;
        };
        collect_percentages(&value, &mut highest);
    }
    highest
}

/// Meta's `estimated_time_to_regain_access` (minutes) in `x-business-use-case-usage`.
pub fn meta_regain_minutes(headers: &HeaderMap) -> Option<i64> {
    let raw = header(headers, "x-business-use-case-usage")?;
    let value: serde_json::Value = serde_json::from_str(raw).ok()?;
    let mut most = None;
    for entries in value.as_object()?.values() {
        for entry in entries.as_array().into_iter().flatten() {
            if let Some(m) = entry
                .get("estimated_time_to_regain_access")
                .and_then(|v| v.as_i64())
            {
                most = Some(most.map_or(m, |old: i64| old.max(m)));
            }
        }
    }
    most
}

fn collect_percentages(value: &serde_json::Value, highest: &mut Option<f64>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, v) in map {
                if matches!(key.as_str(), "call_count" | "total_cputime" | "total_time")
                    && let Some(p) = v.as_f64()
                {
                    *highest = Some(highest.map_or(p, |h| h.max(p)));
                } else {
                    collect_percentages(v, highest);
                }
            }
        }
        serde_json::Value::Array(items) => {
            for v in items {
                collect_percentages(v, highest);
            }
        }
        _ => {}
    }
}

fn epoch_seconds(value: &str) -> Option<i64> {
    value.parse::<i64>().ok().map(|s| s.saturating_mul(1000))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn each_network_says_it_its_own_way() {
        assert_eq!(
            x_reset(&headers(&[("x-rate-limit-reset", "1700000000")])),
            Some(1_700_000_000_000)
        );
        assert_eq!(
            mastodon_reset(&headers(&[(
                "x-ratelimit-reset",
                "2023-11-14T22:13:20.000000Z"
            )])),
            Some(1_700_000_000_000)
        );
        assert_eq!(
            bluesky_reset(&headers(&[("ratelimit-reset", "1700000000")])),
            Some(1_700_000_000_000)
        );
        assert_eq!(
            retry_after(&headers(&[("retry-after", "30")]), 1_000),
            Some(31_000)
        );
        assert_eq!(x_reset(&headers(&[("x-rate-limit-reset", "soon")])), None);
    }

    #[test]
    fn meta_usage_takes_the_highest_share() {
        let h = headers(&[
            (
                "x-app-usage",
                r#"{"call_count":28,"total_time":25,"total_cputime":95}"#,
            ),
            (
                "x-business-use-case-usage",
                r#"{"1234":[{"type":"pages","call_count":10,"total_cputime":2,"total_time":3,"estimated_time_to_regain_access":7}]}"#,
            ),
        ]);
        assert_eq!(meta_usage_percent(&h), Some(95.0));
        assert_eq!(meta_regain_minutes(&h), Some(7));
        assert_eq!(meta_usage_percent(&HeaderMap::new()), None);
    }
}
