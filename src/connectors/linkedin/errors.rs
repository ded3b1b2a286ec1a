//! LinkedIn's errors: `{"status", "serviceErrorCode", "code", "message"}`, with
//! `errorDetails.inputErrors[].code` on validation failures (`DUPLICATE_POST` with 422,
//! `fixtures/linkedin/error_422_duplicate_post.json`), and OAuth's `{"error",
//! "error_description"}` from the token endpoint. Classified by status and LinkedIn's codes;
//! LinkedIn's message is kept for people.

use serde_json::Value;

use crate::connectors::error::ConnectorError;
use crate::connectors::http::Answer;
use crate::connectors::rate_limit;

fn message(body: &Value) -> Option<String> {
    body["message"]
        .as_str()
        .or_else(|| body["error_description"].as_str())
        .or_else(|| body["error"].as_str())
        .map(str::to_owned)
}

/// The most precise code LinkedIn gave: an input error's, the error's own, or the numeric
/// service error code.
fn code(body: &Value) -> Option<String> {
    let input = body["errorDetails"]["inputErrors"]
        .as_array()
        .and_then(|errors| errors.iter().find_map(|e| e["code"].as_str()));
    input
        .or_else(|| body["code"].as_str())
        .map(str::to_owned)
        .or_else(|| body["serviceErrorCode"].as_i64().map(|c| c.to_string()))
        .or_else(|| body["error"].as_str().map(str::to_owned))
}

/// `now_ms` turns a `Retry-After` in seconds into an instant.
pub fn classify(answer: &Answer, now_ms: i64) -> ConnectorError {
    let status = answer.status.as_u16();
    let body = answer.json_value().filter(Value::is_object);
    let said = body
        .as_ref()
        .and_then(message)
        .unwrap_or_else(|| format!("HTTP {status}"));
    match status {
        // Expired (65602), revoked (65601, REVOKED_ACCESS_TOKEN) or invalid (65600): all
        // mean connecting again.
        401 => ConnectorError::auth(said),
        // LinkedIn's throttles are daily; it sends no reset, and `Retry-After` only
        // sometimes.
        429 => ConnectorError::RateLimited {
            retry_at_ms: rate_limit::retry_after(&answer.headers, now_ms),
        },
        _ if body.is_none() => answer.generic_error(),
        _ if status >= 500 || status == 408 => {
            ConnectorError::transient(format!("LinkedIn answered HTTP {status}: {said}"))
        }
        _ => {
            let code = body.as_ref().and_then(code);
            ConnectorError::rejected(said, code.or_else(|| Some(status.to_string())))
        }
    }
}

/// A failed token request: a code or refresh token LinkedIn refuses means connecting
/// again.
pub fn token(answer: &Answer, now_ms: i64) -> ConnectorError {
    match (answer.status.as_u16(), answer.json_value()) {
        (400 | 401, Some(body)) => ConnectorError::auth(
            message(&body).unwrap_or_else(|| "LinkedIn refused the token request".to_owned()),
        ),
        _ => classify(answer, now_ms),
    }
}
