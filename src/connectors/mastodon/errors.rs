//! Mastodon's errors by status code (<https://docs.joinmastodon.org/entities/Error/>). The
//! `error` text is localised by the server (the fixtures have it in German and Japanese), so
//! it is kept for people and never matched on.

use crate::connectors::error::ConnectorError;
use crate::connectors::http::Answer;
use crate::connectors::rate_limit;

pub fn classify(answer: &Answer) -> ConnectorError {
    let message = answer
        .json_value()
        .and_then(|v| {
            let error = v["error"].as_str()?.to_owned();
            Some(match v["error_description"].as_str() {
                Some(d) if !d.is_empty() => format!("{error}: {d}"),
                _ => error,
            })
        })
        .unwrap_or_else(|| format!("HTTP {}", answer.status.as_u16()));
    match answer.status.as_u16() {
        401 => ConnectorError::auth(message),
        429 => ConnectorError::RateLimited {
            retry_at_ms: rate_limit::mastodon_reset(&answer.headers),
        },
        403 | 404 | 409 | 410 | 413 | 422 => {
            ConnectorError::rejected(message, Some(answer.status.as_u16().to_string()))
        }
        _ if answer.json_value().is_none() => answer.generic_error(),
        _ if answer.status.is_server_error() => ConnectorError::transient(message),
        _ => ConnectorError::rejected(message, Some(answer.status.as_u16().to_string())),
    }
}
