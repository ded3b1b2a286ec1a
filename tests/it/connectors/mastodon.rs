//! Mastodon answers the local snac server does not give: localised refusals, rate limits
//! with their reset, revoked tokens, and direct messages (snac leaves conversations empty).
//! Recorded responses from `../shared/fixtures/mastodon/` replayed with wiremock.

use std::sync::Arc;

use herald::connectors::http::Http;
use herald::connectors::mastodon::Mastodon;
use herald::connectors::model::{Credentials, InteractionKind, Part, PublishRequest};
use herald::connectors::{Connector, ConnectorError, Session};
use herald::domain::FixedClock;
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::fixtures;

fn connector() -> Mastodon {
    Mastodon::new(
        Http::new(true).expect("http"),
        Arc::new(FixedClock::at(1_785_000_000_000)),
    )
}

fn session(server: &MockServer) -> Session {
    Session::new(
        server.uri().parse().unwrap(),
        Credentials::bearer("token-1"),
    )
}

fn text(t: &str) -> PublishRequest {
    PublishRequest {
        parts: vec![Part {
            text: t.into(),
            media: vec![],
        }],
        idempotency_key: "variant-7".into(),
        ..PublishRequest::default()
    }
}

#[tokio::test]
async fn a_localised_refusal_is_classified_by_status_and_kept_in_its_words() {
    let Some(body) = fixtures::json("mastodon", "error_422_text_too_long_de.json") else {
        return;
    };
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1/statuses"))
        .and(header("authorization", "Bearer token-1"))
        .and(header("idempotency-key", "variant-7-0"))
        .respond_with(ResponseTemplate::new(422).set_body_json(&body))
        .expect(1)
        .mount(&server)
        .await;
    let refused = connector()
        .publish(&mut session(&server), &text("zu lang"))
        .await
        .unwrap_err();
    match refused.error {
        ConnectorError::Rejected { message, code } => {
            assert!(
                message.starts_with("Gültigkeitsprüfung ist fehlgeschlagen"),
                "{message}"
            );
            assert_eq!(code.as_deref(), Some("422"));
        }
        other => panic!("{other:?}"),
    }
    assert!(refused.done.parts.is_empty());
}

#[tokio::test]
async fn a_rate_limit_says_when_it_resets() {
    let Some(body) = fixtures::json("mastodon", "docs_error_429_rate_limited.json") else {
        return;
    };
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1/statuses"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("x-ratelimit-limit", "300")
                .insert_header("x-ratelimit-remaining", "0")
                .insert_header("x-ratelimit-reset", "2026-08-01T15:00:00.066944Z")
                .set_body_json(&body),
        )
        .mount(&server)
        .await;
    let refused = connector()
        .publish(&mut session(&server), &text("hi"))
        .await
        .unwrap_err();
    let reset = "2026-08-01T15:00:00.066944Z"
        .parse::<jiff::Timestamp>()
        .unwrap()
        .as_millisecond();
    assert_eq!(
        refused.error,
        ConnectorError::RateLimited {
            retry_at_ms: Some(reset)
        }
    );
    assert!(refused.error.is_retryable());
}

#[tokio::test]
async fn a_revoked_token_means_reconnecting() {
    let Some(body) = fixtures::json("mastodon", "error_401_invalid_token.json") else {
        return;
    };
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/accounts/verify_credentials"))
        .respond_with(ResponseTemplate::new(401).set_body_json(&body))
        .mount(&server)
        .await;
    let refused = connector().verify(&mut session(&server)).await.unwrap_err();
    assert_eq!(
        refused,
        ConnectorError::AuthExpired {
            message: "The access token is invalid".into()
        }
    );
    assert!(!refused.is_retryable());
}

#[tokio::test]
async fn direct_messages_are_read_from_conversations() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/conversations"))
        .and(query_param("limit", "20"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(fixtures::own("mastodon/conversations.json")),
        )
        .expect(1)
        .mount(&server)
        .await;
    let messages = connector()
        .messages(&mut session(&server), 20)
        .await
        .expect("messages");
    assert_eq!(messages.len(), 1);
    let m = &messages[0];
    assert_eq!(m.kind, InteractionKind::Message);
    assert_eq!(m.id, "418450");
    assert_eq!(m.author.handle, "@amic@nulled.red");
    assert_eq!(m.text.as_deref(), Some("@trwnh sup & thanks"));
    assert_eq!(
        m.post.as_ref().map(|p| p.id.as_str()),
        Some("103196583826321184")
    );
    assert_eq!(
        m.at_ms,
        Some(
            "2019-11-25T04:08:24Z"
                .parse::<jiff::Timestamp>()
                .unwrap()
                .as_millisecond()
        )
    );
}
