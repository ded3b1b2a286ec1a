//! Meta's errors as the publishing engine acts on them: by code, with Meta's words kept and
//! throttles dated from the usage headers; and the pause Herald takes on its own when a
//! usage budget reaches 90 %.

use herald::connectors::http::Answer;
use herald::connectors::model::{Part, PublishRequest};
use herald::connectors::{Connector, ConnectorError};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::*;

fn page_session() -> herald::connectors::Session {
    session("page-token", &[("page_id", "123")])
}

/// Verify answered with `answer`.
async fn verify_with(
    answer: ResponseTemplate,
) -> (
    MockServer,
    Result<herald::connectors::model::Account, ConnectorError>,
) {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v24.0/123"))
        .respond_with(answer)
        .mount(&server)
        .await;
    let result = facebook(&server).verify(&mut page_session()).await;
    (server, result)
}

#[tokio::test]
async fn an_expired_token_asks_for_reconnection_in_meta_words() {
    let (Some(body), Some(meta)) = (
        shared("facebook", "error_190_463_token_expired.json"),
        shared("facebook", "error_190_463_token_expired.meta.json"),
    ) else {
        return;
    };
    let code = meta["response"]["status"].as_u64().unwrap() as u16;
    let (_server, result) = verify_with(status(code, &body)).await;
    assert_eq!(
        result.unwrap_err(),
        ConnectorError::auth(
            "Error validating access token: Session has expired on Sunday, 25-Dec-16 04:45:57 PST. The current time is Thursday, 05-Jan-17 03:13:18 PST."
        )
    );
}

#[tokio::test]
async fn ninety_days_without_the_app_asks_for_reconnection() {
    let Some(body) = shared("facebook", "error_190_493_not_engaged_90_days.json") else {
        return;
    };
    let (_server, result) = verify_with(status(400, &body)).await;
    assert_eq!(
        result.unwrap_err(),
        ConnectorError::auth(
            "The access token is invalid since the user hasn't engaged the app in longer than 90 days."
        )
    );
}

#[tokio::test]
async fn a_page_the_person_no_longer_runs_asks_for_reconnection() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v24.0/123/feed"))
        .respond_with(status(400, &own("facebook/error_190_not_page_admin.json")))
        .expect(1)
        .mount(&server)
        .await;
    let request = PublishRequest {
        parts: vec![Part {
            text: "hello".into(),
            media: vec![],
        }],
        first_comment: Some("never sent".into()),
        ..PublishRequest::default()
    };
    let error = facebook(&server)
        .publish(&mut page_session(), &request)
        .await
        .unwrap_err();
    assert_eq!(
        error.error,
        ConnectorError::auth(
            "The user must be an administrator of the page in order to impersonate it."
        )
    );
    assert!(error.done.parts.is_empty());
    assert_eq!(
        received(&server).await.len(),
        1,
        "no comment after a refused post"
    );
}

#[tokio::test]
async fn an_app_throttle_resets_when_meta_says_and_holds_every_call_until_then() {
    let Some(body) = shared("facebook", "error_4_app_rate_limit.json") else {
        return;
    };
    let throttled = status(403, &body)
        .insert_header("x-app-usage", r#"{"call_count":100,"total_cputime":12,"total_time":30}"#)
        .insert_header(
            "x-business-use-case-usage",
            r#"{"123":[{"type":"pages","call_count":100,"total_cputime":10,"total_time":20,"estimated_time_to_regain_access":7}]}"#,
        );
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v24.0/123"))
        .respond_with(throttled)
        .expect(1)
        .mount(&server)
        .await;
    let fb = facebook(&server);

    let error = fb.verify(&mut page_session()).await.unwrap_err();
    assert_eq!(
        error,
        ConnectorError::RateLimited {
            retry_at_ms: Some(NOW + 7 * 60_000)
        }
    );
    assert_eq!(fb.paused_until(), Some(NOW + 7 * 60_000));

    // Further calls wait without reaching Meta (calls during a throttle extend it).
    let again = fb.recent_posts(&mut page_session(), 5).await.unwrap_err();
    assert_eq!(
        again,
        ConnectorError::RateLimited {
            retry_at_ms: Some(NOW + 7 * 60_000)
        }
    );
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn an_app_throttle_without_a_named_time_waits_an_hour() {
    let Some(body) = shared("facebook", "error_4_app_rate_limit.json") else {
        return;
    };
    let (_server, result) = verify_with(status(400, &body)).await;
    assert_eq!(
        result.unwrap_err(),
        ConnectorError::RateLimited {
            retry_at_ms: Some(NOW + HOUR_MS)
        }
    );
}

#[tokio::test]
async fn usage_at_ninety_percent_answers_then_pauses_before_meta_cuts_off() {
    let Some(page) = shared("facebook", "page_fields.json") else {
        return;
    };
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v24.0/123"))
        .respond_with(ok(&page).insert_header(
            "x-app-usage",
            r#"{"call_count":93,"total_cputime":20,"total_time":25}"#,
        ))
        .expect(1)
        .mount(&server)
        .await;
    let fb = facebook(&server);

    let account = fb.verify(&mut page_session()).await.unwrap();
    assert_eq!(
        account.display_name, "Facebook",
        "the call that saw 93 % still answers"
    );
    assert_eq!(fb.paused_until(), Some(NOW + 15 * 60_000));
    let held = fb.verify(&mut page_session()).await.unwrap_err();
    assert_eq!(
        held,
        ConnectorError::RateLimited {
            retry_at_ms: Some(NOW + 15 * 60_000)
        }
    );

    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        "x-app-usage",
        r#"{"call_count":89,"total_cputime":1,"total_time":1}"#
            .parse()
            .unwrap(),
    );
    let calm = Answer {
        status: reqwest::StatusCode::OK,
        headers,
        body: b"{}".to_vec(),
    };
    assert_eq!(fb.usage_high(&calm), None, "89 % is fine");
}

#[tokio::test]
async fn a_missing_permission_is_refused_in_meta_words() {
    let Some(body) = shared("facebook", "error_100_permission.json") else {
        return;
    };
    let (_server, result) = verify_with(status(400, &body)).await;
    assert_eq!(
        result.unwrap_err(),
        ConnectorError::rejected(
            "(#100) Pages Public Content Access requires either app secret proof or an app token",
            Some("100".into())
        )
    );
}

#[tokio::test]
async fn a_web_page_where_the_api_belongs_is_a_bad_answer() {
    let page = ResponseTemplate::new(200).set_body_raw(
        "<!DOCTYPE html><html><body>Sorry, something went wrong.</body></html>",
        "text/html",
    );
    let (_server, result) = verify_with(page).await;
    assert_eq!(result.unwrap_err().kind(), "bad_answer");
}

#[tokio::test]
async fn server_errors_are_transient() {
    let (_s, result) = verify_with(ResponseTemplate::new(503)).await;
    assert_eq!(result.unwrap_err().kind(), "transient");
    let gateway = ResponseTemplate::new(502)
        .set_body_raw("<html><body>502 Bad Gateway</body></html>", "text/html");
    let (_s, result) = verify_with(gateway).await;
    assert_eq!(
        result.unwrap_err().kind(),
        "transient",
        "a gateway's page is still an outage"
    );
    let unknown = json!({"error": {"message": "An unexpected error has occurred. Please retry your request later.", "type": "OAuthException", "is_transient": true, "code": 2, "fbtrace_id": "A3"}});
    let (_s, result) = verify_with(status(500, &unknown)).await;
    assert_eq!(
        result.unwrap_err(),
        ConnectorError::transient(
            "An unexpected error has occurred. Please retry your request later."
        )
    );
}
