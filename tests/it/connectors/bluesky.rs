//! Bluesky answers the local dev network does not give on demand: a rate limit with its reset
//! header, and an expired access token (HTTP 400 `ExpiredToken`, not 401) renewed with
//! `refreshSession` before the call is sent again. Recorded responses from
//! `../shared/fixtures/bluesky/` replayed with wiremock.

use herald::connectors::bluesky::Bluesky;
use herald::connectors::http::Http;
use herald::connectors::model::Credentials;
use herald::connectors::{Connector, ConnectorError, Session};
use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::fixtures;

fn session(server: &MockServer) -> Session {
    let mut credentials = Credentials {
        access_token: "old-access".into(),
        refresh_token: Some("refresh-1".into()),
        ..Credentials::default()
    };
    credentials
        .extra
        .insert("did".into(), "did:plc:alice".into());
    Session::new(server.uri().parse().unwrap(), credentials)
}

#[tokio::test]
async fn a_rate_limit_says_when_it_resets() {
    let Some(body) = fixtures::json("bluesky", "error_429_rate_limit_exceeded.json") else {
        return;
    };
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/xrpc/app.bsky.actor.getProfile"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("ratelimit-limit", "100")
                .insert_header("ratelimit-remaining", "0")
                .insert_header("ratelimit-reset", "1726684000")
                .insert_header("ratelimit-policy", "100;w=86400")
                .set_body_json(&body),
        )
        .mount(&server)
        .await;
    let refused = Bluesky::new(Http::new(true).unwrap())
        .verify(&mut session(&server))
        .await
        .unwrap_err();
    assert_eq!(
        refused,
        ConnectorError::RateLimited {
            retry_at_ms: Some(1_726_684_000_000)
        }
    );
}

#[tokio::test]
async fn an_expired_token_is_renewed_and_the_call_sent_again() {
    let Some(expired) = fixtures::json("bluesky", "error_400_expired_token.json") else {
        return;
    };
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/xrpc/app.bsky.actor.getProfile"))
        .and(header("authorization", "Bearer old-access"))
        .respond_with(ResponseTemplate::new(400).set_body_json(&expired))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/xrpc/com.atproto.server.refreshSession"))
        .and(header("authorization", "Bearer refresh-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "accessJwt": "new-access", "refreshJwt": "refresh-2",
            "handle": "alice.test", "did": "did:plc:alice"
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/xrpc/app.bsky.actor.getProfile"))
        .and(header("authorization", "Bearer new-access"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "did": "did:plc:alice", "handle": "alice.test", "displayName": "Alice",
            "followersCount": 12, "followsCount": 3, "postsCount": 40
        })))
        .expect(1)
        .mount(&server)
        .await;
    let mut s = session(&server);
    let account = Bluesky::new(Http::new(true).unwrap())
        .verify(&mut s)
        .await
        .expect("renewed");
    assert_eq!(account.handle, "@alice.test");
    assert_eq!(account.followers, Some(12));
    assert!(s.changed, "the caller stores the new tokens");
    assert_eq!(s.credentials.access_token, "new-access");
    assert_eq!(s.credentials.refresh_token.as_deref(), Some("refresh-2"));
}
