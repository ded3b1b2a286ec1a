//! A channel's health as people see it, from what Herald last learned about it.

/// How long before a token's expiry a channel shows "expiring" (the refresh job renews
/// tokens earlier than this; one still expiring has no way to be renewed).
pub const EXPIRING_WITHIN_MS: i64 = 3 * 24 * 3_600_000;

/// `ok`, `expiring`, `reconnect_needed`, `rate_limited`, `disconnected` or `not_connected`.
pub fn health(
    stored: &str,
    // `None` also when Herald renews the token itself: its expiry is routine then.
    token_expires_at_ms: Option<i64>,
    rate_limited_until_ms: Option<i64>,
    now_ms: i64,
) -> &str {
    match stored {
        "rate_limited" if rate_limited_until_ms.is_none_or(|until| until <= now_ms) => "ok",
        "ok" if token_expires_at_ms.is_some_and(|at| at <= now_ms) => "reconnect_needed",
        "ok" if token_expires_at_ms.is_some_and(|at| at - now_ms < EXPIRING_WITHIN_MS) => {
            "expiring"
        }
        other => other,
    }
}

/// How long before its expiry a token is renewed. Short-lived tokens (X and Bluesky: two
/// hours) shortly before; long-lived ones (Threads and Instagram: 60 days) a week ahead, and
/// Instagram only renews tokens at least a day old.
pub fn refresh_ahead_ms(network: crate::domain::text::Network) -> i64 {
    use crate::domain::text::Network;
    match network {
        Network::X | Network::Bluesky | Network::Mastodon => 15 * 60_000,
        _ => 7 * 24 * 3_600_000,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_turns_stored_health_into_what_it_is_now() {
        assert_eq!(health("ok", None, None, 0), "ok");
        assert_eq!(health("ok", Some(1_000), None, 2_000), "reconnect_needed");
        assert_eq!(health("ok", Some(3_600_000), None, 0), "expiring");
        assert_eq!(health("ok", Some(EXPIRING_WITHIN_MS * 2), None, 0), "ok");
        assert_eq!(
            health("rate_limited", None, Some(5_000), 1_000),
            "rate_limited"
        );
        assert_eq!(health("rate_limited", None, Some(5_000), 6_000), "ok");
        assert_eq!(
            health("reconnect_needed", None, None, 0),
            "reconnect_needed"
        );
    }
}
