//! X's errors (<https://docs.x.com/x-api/fundamentals/response-codes-and-errors>): v2
//! problems `{"title", "detail", "type", "status"}` (a validation problem lists its
//! `errors[].message`), the v1.1 shape `{"errors": [{"code", "message"}]}` that some answers
//! and the rate-limit docs still show, "partial errors" in a 200, and OAuth's
//! `{"error", "error_description"}` from the token endpoint. Classified by status and X's
//! codes; X's own words are kept for people.

use reqwest::header::HeaderMap;
use serde_json::Value;

use crate::connectors::error::ConnectorError;
use crate::connectors::http::Answer;
use crate::connectors::rate_limit;

/// The v1.1 code for "Status is a duplicate" (X's legacy error code list,
/// <https://developer.x.com/en/support/x-api/error-troubleshooting>).
const V1_DUPLICATE: i64 = 187;

/// What X said, and its code when it has one.
struct Said {
    message: String,
    code: Option<String>,
}

fn read(body: &Value) -> Option<Said> {
    let errors = body["errors"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    // v1.1: the code is X's stable identifier.
    if let Some(first) = errors.iter().find(|e| e["code"].is_i64()) {
        let code = first["code"].as_i64().unwrap_or_default();
        return Some(Said {
            message: first["message"]
                .as_str()
                .unwrap_or("X refused it")
                .to_owned(),
            code: Some(if code == V1_DUPLICATE {
                "duplicate".to_owned()
            } else {
                code.to_string()
            }),
        });
    }
    let head = body["detail"].as_str().or_else(|| body["title"].as_str());
    let details: Vec<&str> = errors
        .iter()
        .filter_map(|e| e["message"].as_str().or_else(|| e["detail"].as_str()))
        .collect();
    let message = match (head, details.is_empty()) {
        (Some(head), true) => head.to_owned(),
        (Some(head), false) => format!("{head} {}", details.join("; ")),
        (None, false) => details.join("; "),
        (None, true) => body["error_description"]
            .as_str()
            .or_else(|| body["error"].as_str())?
            .to_owned(),
    };
    let code = body["reason"]
        .as_str()
        .map(str::to_owned)
        .or_else(|| problem_code(&body["type"]))
        .or_else(|| errors.first().and_then(|e| problem_code(&e["type"])))
        .or_else(|| body["error"].as_str().map(str::to_owned));
    Some(Said { message, code })
}

/// `https://api.x.com/2/problems/resource-not-found` → `resource-not-found`;
/// `about:blank` says nothing.
fn problem_code(kind: &Value) -> Option<String> {
    let kind = kind.as_str()?;
    let (_, name) = kind.rsplit_once("/problems/")?;
    Some(name.to_owned())
}

/// X v2 refuses a duplicate post with a plain 403 problem (`type` `about:blank`, no code;
/// `fixtures/x/error_403_duplicate_content.json`), so nothing but its fixed, unlocalised
/// `detail` tells it from other 403s. The sentence only names the code for people; the
/// classification (a permanent refusal) comes from the status alone.
fn duplicate_notice(status: u16, said: &Said) -> bool {
    status == 403 && said.code.is_none() && said.message.contains("duplicate content")
}

pub fn classify(answer: &Answer) -> ConnectorError {
    let status = answer.status.as_u16();
    let body = answer.json_value();
    let said = body.as_ref().and_then(read);
    let message = said
        .as_ref()
        .map(|s| s.message.clone())
        .unwrap_or_else(|| format!("HTTP {status}"));
    match status {
        401 => ConnectorError::auth(message),
        429 => ConnectorError::RateLimited {
            retry_at_ms: reset(&answer.headers),
        },
        _ if body.is_none() => answer.generic_error(),
        _ if status >= 500 || status == 408 => {
            ConnectorError::transient(format!("X answered HTTP {status}: {message}"))
        }
        _ => {
            let code = match said {
                Some(s) if duplicate_notice(status, &s) => Some("duplicate".to_owned()),
                Some(s) => s.code,
                None => None,
            };
            ConnectorError::rejected(message, code.or_else(|| Some(status.to_string())))
        }
    }
}

/// A 200 without `data`: the first partial error, e.g. a username nobody has.
pub fn partial(errors: &[Value]) -> ConnectorError {
    match errors.first() {
        Some(first) => {
            let message = first["detail"]
                .as_str()
                .or_else(|| first["message"].as_str())
                .or_else(|| first["title"].as_str())
                .unwrap_or("X answered with an error");
            ConnectorError::rejected(message, problem_code(&first["type"]))
        }
        None => ConnectorError::bad_answer("X's answer has no data"),
    }
}

/// A failed token request: a code or refresh token X refuses means connecting again.
pub fn token(answer: &Answer) -> ConnectorError {
    match answer.status.as_u16() {
        400 | 401 if answer.json_value().is_some() => {
            let said = answer.json_value().as_ref().and_then(read);
            ConnectorError::auth(
                said.map_or_else(|| "X refused the token request".to_owned(), |s| s.message),
            )
        }
        _ => classify(answer),
    }
}

/// When X lets the channel post again: `x-rate-limit-reset` for the 15-minute window, or
/// the 24-hour cap's reset when that cap is what ran out (`x-user-limit-24hour-*`,
/// `x-app-limit-24hour-*`, <https://docs.x.com/x-api/fundamentals/rate-limits>), since the
/// window's reset would come far too early.
pub fn reset(headers: &HeaderMap) -> Option<i64> {
    let window = rate_limit::x_reset(headers);
    let header = |name: String| {
        headers
            .get(name)?
            .to_str()
            .ok()
            .map(|v| v.trim().to_owned())
    };
    let daily = ["user", "app"]
        .into_iter()
        .filter(|who| header(format!("x-{who}-limit-24hour-remaining")).as_deref() == Some("0"))
        .filter_map(|who| {
            header(format!("x-{who}-limit-24hour-reset"))?
                .parse::<i64>()
                .ok()
        })
        .map(|s| s.saturating_mul(1000))
        .max();
    window.max(daily)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_daily_cap_outlasts_the_window() {
        let mut h = HeaderMap::new();
        h.insert("x-rate-limit-reset", "1700000100".parse().unwrap());
        assert_eq!(reset(&h), Some(1_700_000_100_000));
        h.insert("x-user-limit-24hour-remaining", "0".parse().unwrap());
        h.insert("x-user-limit-24hour-reset", "1700050000".parse().unwrap());
        assert_eq!(reset(&h), Some(1_700_050_000_000));
    }

    #[test]
    fn codes_come_from_x_not_from_words() {
        let v1 =
            serde_json::json!({"errors": [{"code": 187, "message": "Status is a duplicate."}]});
        let said = read(&v1).unwrap();
        assert_eq!(said.code.as_deref(), Some("duplicate"));
        let v2 = serde_json::json!({"title": "Invalid Request", "detail": "One or more parameters to your request was invalid.",
            "type": "https://api.x.com/2/problems/invalid-request", "errors": [{"message": "The ids query parameter can not be empty"}]});
        let said = read(&v2).unwrap();
        assert_eq!(said.code.as_deref(), Some("invalid-request"));
        assert_eq!(
            said.message,
            "One or more parameters to your request was invalid. The ids query parameter can not be empty"
        );
    }
}
