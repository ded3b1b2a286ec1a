//! XRPC errors: `{"error": "Name", "message": "..."}`. An expired access token is HTTP 400
//! `ExpiredToken`, not 401 (atproto `packages/pds/src/auth-verifier.ts`), and must be
//! refreshed, not shown as a rejected post.

use crate::connectors::error::ConnectorError;
use crate::connectors::http::Answer;
use crate::connectors::rate_limit;

/// The XRPC error name, when the body has one.
pub fn name(answer: &Answer) -> Option<String> {
    answer.json_value()?["error"].as_str().map(str::to_owned)
}

pub fn classify(answer: &Answer) -> ConnectorError {
    let body = answer.json_value();
    let name = body
        .as_ref()
        .and_then(|v| v["error"].as_str())
        .map(str::to_owned);
    let message = body
        .as_ref()
        .and_then(|v| v["message"].as_str())
        .map(str::to_owned)
        .or_else(|| name.clone())
        .unwrap_or_else(|| format!("HTTP {}", answer.status.as_u16()));
    match (answer.status.as_u16(), name.as_deref()) {
        (429, _) | (_, Some("RateLimitExceeded")) => ConnectorError::RateLimited {
            retry_at_ms: rate_limit::bluesky_reset(&answer.headers),
        },
        (401, _)
        | (
            _,
            Some(
                "ExpiredToken"
                | "InvalidToken"
                | "AuthenticationRequired"
                | "AccountTakedown"
                | "AccountDeactivated",
            ),
        ) => ConnectorError::auth(message),
        (status, _) if status >= 500 || body.is_none() => answer.generic_error(),
        _ => ConnectorError::rejected(message, name),
    }
}
