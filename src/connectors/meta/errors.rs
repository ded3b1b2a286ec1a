//! Graph API errors, classified by HTTP status and Meta's error code and subcode, never by
//! message text (Meta localises and rewords it); the message is kept for people.
//! Codes: <https://developers.facebook.com/docs/graph-api/guides/error-handling/>, throttling:
//! <https://developers.facebook.com/docs/graph-api/overview/rate-limiting/>. Threads answers
//! the same shape (`THApiException`).

use serde::Deserialize;

use crate::connectors::error::ConnectorError;
use crate::connectors::http::Answer;
use crate::connectors::rate_limit;

/// Meta stops apps at 100 % of a usage budget; Herald pauses at 90 so it never gets there.
pub const USAGE_CEILING_PERCENT: f64 = 90.0;

/// How long Herald pauses after usage crosses the ceiling when Meta names no time. The
/// budgets are rolling one-hour windows, so a quarter of one lets the oldest calls age out.
const HIGH_USAGE_PAUSE_MS: i64 = 15 * 60_000;

/// How long a throttled app waits when Meta does not say: throttling lasts up to an hour.
const THROTTLED_PAUSE_MS: i64 = 60 * 60_000;

/// `{"error": {...}}` as every Meta API sends it.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct GraphError {
    #[serde(default)]
    pub message: String,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub code: Option<i64>,
    pub error_subcode: Option<i64>,
    pub error_user_msg: Option<String>,
    pub is_transient: Option<bool>,
    pub fbtrace_id: Option<String>,
}

#[derive(Deserialize)]
struct Envelope {
    error: GraphError,
}

/// The Graph error in an answer, if it has one.
pub fn graph_error(answer: &Answer) -> Option<GraphError> {
    serde_json::from_slice::<Envelope>(&answer.body)
        .ok()
        .map(|e| e.error)
}

impl GraphError {
    /// Meta's message, with the sentence meant for end users when Meta adds one.
    fn for_people(&self) -> String {
        let message = if self.message.is_empty() {
            "the network refused the request".to_owned()
        } else {
            self.message.clone()
        };
        match self.error_user_msg.as_deref().map(str::trim) {
            Some(user) if !user.is_empty() && user != message => format!("{message}: {user}"),
            _ => message,
        }
    }

    fn code_text(&self) -> Option<String> {
        let code = self.code?;
        Some(match self.error_subcode {
            Some(sub) => format!("{code}/{sub}"),
            None => code.to_string(),
        })
    }
}

/// Throttling codes: 4 app, 17 user, 32 page, 613 custom; 80001-80014 the business use case
/// limits (pages, Instagram, Messenger...).
pub fn is_throttle_code(code: i64) -> bool {
    matches!(code, 4 | 17 | 32 | 613) || (80_001..=80_014).contains(&code)
}

/// "Media ID is not available": an Instagram container published before it finished.
pub const MEDIA_NOT_READY: i64 = 9007;

/// What Herald makes of a failed answer. `now_ms` dates the end of a throttle.
pub fn classify(answer: &Answer, now_ms: i64) -> ConnectorError {
    let Some(error) = graph_error(answer) else {
        if answer.status.as_u16() == 429 {
            return ConnectorError::RateLimited {
                retry_at_ms: Some(
                    rate_limit::retry_after(&answer.headers, now_ms)
                        .unwrap_or(now_ms + THROTTLED_PAUSE_MS),
                ),
            };
        }
        // 5xx (also as an HTML page) is transient, any other web page a wrong address.
        return answer.generic_error();
    };
    let message = error.for_people();
    let code = error.code.unwrap_or_default();
    match code {
        // 190: the token expired (463), was invalidated (460, password changed), the person
        // has not used the app for 90 days (493), or no longer runs the page (492 or none).
        // 102: the session behind the token ended. Either way: reconnect.
        190 | 102 => ConnectorError::auth(message),
        c if is_throttle_code(c) => ConnectorError::RateLimited {
            retry_at_ms: Some(throttled_until(answer, now_ms)),
        },
        MEDIA_NOT_READY => ConnectorError::transient(message),
        // 1 unknown, 2 service unavailable: Meta's own hiccups.
        1 | 2 => ConnectorError::transient(message),
        _ if error.is_transient == Some(true) => ConnectorError::transient(message),
        _ if answer.status.is_server_error() => ConnectorError::transient(message),
        // 10 and 200-299 permissions, 100 bad parameter or missing object, 368 blocked,
        // 506 duplicate...: permanent, in Meta's words.
        _ => ConnectorError::rejected(message, error.code_text()),
    }
}

/// When a throttled app may call again: `estimated_time_to_regain_access` (minutes) from
/// `x-business-use-case-usage` when Meta gives it, else an hour.
fn throttled_until(answer: &Answer, now_ms: i64) -> i64 {
    match rate_limit::meta_regain_minutes(&answer.headers) {
        Some(minutes) if minutes > 0 => now_ms + minutes * 60_000,
        _ => now_ms + THROTTLED_PAUSE_MS,
    }
}

/// Whether an answer (successful or not) shows a usage budget at or above 90 %, and if so
/// until when Herald should stop calling: the regain time Meta names, else 15 minutes.
/// A successful call is still returned to its caller; the connector then refuses further
/// calls with `RateLimited` until this time, so Meta never has to cut the app off (a cut-off
/// stops every channel of the install for up to an hour).
pub fn usage_high(answer: &Answer, now_ms: i64) -> Option<i64> {
    let percent = rate_limit::meta_usage_percent(&answer.headers)?;
    if percent < USAGE_CEILING_PERCENT {
        return None;
    }
    Some(match rate_limit::meta_regain_minutes(&answer.headers) {
        Some(minutes) if minutes > 0 => now_ms + minutes * 60_000,
        _ => now_ms + HIGH_USAGE_PAUSE_MS,
    })
}

#[cfg(test)]
mod tests {
    use reqwest::StatusCode;
    use reqwest::header::HeaderMap;

    use super::*;

    fn answer(status: u16, body: &str, headers: &[(&'static str, &str)]) -> Answer {
        let mut map = HeaderMap::new();
        for (k, v) in headers {
            map.insert(*k, v.parse().unwrap());
        }
        Answer {
            status: StatusCode::from_u16(status).unwrap(),
            headers: map,
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn codes_decide_not_words() {
        let e = |code: i64, sub: &str| {
            format!(r#"{{"error":{{"message":"m","type":"OAuthException","code":{code}{sub}}}}}"#)
        };
        assert_eq!(
            classify(&answer(400, &e(190, r#","error_subcode":463"#), &[]), 0).kind(),
            "auth_expired"
        );
        assert_eq!(
            classify(&answer(400, &e(32, ""), &[]), 0),
            ConnectorError::RateLimited {
                retry_at_ms: Some(3_600_000)
            }
        );
        assert_eq!(
            classify(&answer(400, &e(80001, ""), &[]), 0).kind(),
            "rate_limited"
        );
        assert_eq!(
            classify(&answer(400, &e(2, ""), &[]), 0).kind(),
            "transient"
        );
        assert_eq!(
            classify(
                &answer(400, &e(9007, r#","error_subcode":2207027"#), &[]),
                0
            )
            .kind(),
            "transient"
        );
        assert_eq!(
            classify(&answer(400, &e(100, r#","error_subcode":33"#), &[]), 0),
            ConnectorError::rejected("m", Some("100/33".into()))
        );
        assert_eq!(
            classify(&answer(500, &e(12345, ""), &[]), 0).kind(),
            "transient"
        );
        assert_eq!(
            classify(&answer(502, "<html>Bad gateway</html>", &[]), 0).kind(),
            "transient"
        );
        assert_eq!(
            classify(&answer(404, "<!DOCTYPE html><html></html>", &[]), 0).kind(),
            "bad_answer"
        );
    }

    #[test]
    fn usage_at_ninety_percent_pauses() {
        let low = answer(
            200,
            "{}",
            &[(
                "x-app-usage",
                r#"{"call_count":89,"total_time":1,"total_cputime":1}"#,
            )],
        );
        assert_eq!(usage_high(&low, 1_000), None);
        let high = answer(
            200,
            "{}",
            &[(
                "x-app-usage",
                r#"{"call_count":90,"total_time":1,"total_cputime":1}"#,
            )],
        );
        assert_eq!(usage_high(&high, 1_000), Some(1_000 + 15 * 60_000));
        let named = answer(
            200,
            "{}",
            &[(
                "x-business-use-case-usage",
                r#"{"1":[{"type":"pages","call_count":95,"total_cputime":1,"total_time":1,"estimated_time_to_regain_access":3}]}"#,
            )],
        );
        assert_eq!(usage_high(&named, 0), Some(180_000));
    }
}
