//! Facebook, Instagram and Threads against Meta's recorded answers (`../shared/fixtures/`,
//! skipped with a note where that folder is absent outside CI) and Herald's own fixtures
//! for what the recordings lack (`tests/fixtures/connectors/meta/`, each marked with the
//! documentation page it follows). Every test checks what Herald sends (method, path,
//! parameters, token) and what it makes of the answer.

mod errors;
mod facebook;
mod instagram;
mod threads;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use herald::connectors::Session;
use herald::connectors::http::Http;
use herald::connectors::meta::{Endpoints, Facebook, Instagram, Polling, Threads};
use herald::connectors::model::{Credentials, MediaFile, OAuthApp};
use herald::domain::FixedClock;
use herald::domain::media::MediaKind;
use serde_json::Value;
use url::Url;
use wiremock::{MockServer, Request, ResponseTemplate};

/// The fixed "now" of every test (2025-11-24T16:00:00Z).
pub const NOW: i64 = 1_764_000_000_000;
pub const HOUR_MS: i64 = 3_600_000;

/// A recorded answer from `../shared/fixtures/{network}/{name}`, or `None` when absent
/// outside CI (the test then returns early).
pub fn shared(network: &str, name: &str) -> Option<Value> {
    super::fixtures::json(network, name)
}

/// One of Herald's own fixtures (`tests/fixtures/connectors/meta/{name}`).
pub fn own(name: &str) -> Value {
    super::fixtures::own(&format!("meta/{name}"))
}

pub fn ok(body: &Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body)
}

pub fn status(code: u16, body: &Value) -> ResponseTemplate {
    ResponseTemplate::new(code).set_body_json(body)
}

pub fn endpoints(server: &MockServer) -> Endpoints {
    Endpoints::on(&Url::parse(&server.uri()).unwrap())
}

fn http() -> Http {
    // Loopback allowed: wiremock listens on 127.0.0.1.
    Http::new(true).unwrap()
}

fn clock() -> Arc<FixedClock> {
    Arc::new(FixedClock::at(NOW))
}

/// Polls with no real waiting, five checks.
pub fn fast() -> Polling {
    Polling {
        first_pause: Duration::from_millis(1),
        max_pause: Duration::from_millis(2),
        checks: 5,
    }
}

pub fn facebook(server: &MockServer) -> Facebook {
    Facebook::new(http(), clock(), endpoints(server))
}

pub fn instagram(server: &MockServer) -> Instagram {
    Instagram::new(http(), clock(), endpoints(server)).with_polling(fast())
}

pub fn threads(server: &MockServer) -> Threads {
    Threads::new(http(), clock(), endpoints(server)).with_polling(fast())
}

/// Where test files are "public" (what the services put in `MediaFile::public_url`).
pub fn public(file_name: &str) -> String {
    format!("https://media.example/{file_name}")
}

pub fn app() -> OAuthApp {
    OAuthApp {
        client_id: "app-id".into(),
        client_secret: "app-secret".into(),
    }
}

pub fn session(token: &str, extra: &[(&str, &str)]) -> Session {
    let mut credentials = Credentials::bearer(token);
    for (k, v) in extra {
        credentials.extra.insert((*k).into(), (*v).into());
    }
    Session::new(
        Url::parse("https://graph.facebook.com").unwrap(),
        credentials,
    )
}

pub fn image(name: &str, alt: &str) -> MediaFile {
    MediaFile {
        bytes: b"\xff\xd8\xff\xe0 jpeg bytes".to_vec(),
        mime: "image/jpeg".into(),
        file_name: name.into(),
        kind: MediaKind::Image,
        alt: alt.into(),
        width: 1080,
        height: 1080,
        public_url: Some(public(name)),
    }
}

pub fn video(name: &str, alt: &str) -> MediaFile {
    MediaFile {
        bytes: b"\x00\x00\x00\x18ftypmp42 video bytes".to_vec(),
        mime: "video/mp4".into(),
        file_name: name.into(),
        kind: MediaKind::Video,
        alt: alt.into(),
        width: 1080,
        height: 1920,
        public_url: Some(public(name)),
    }
}

/// A url-encoded form body as a map.
pub fn form(request: &Request) -> BTreeMap<String, String> {
    url::form_urlencoded::parse(&request.body)
        .into_owned()
        .collect()
}

pub fn query(request: &Request) -> BTreeMap<String, String> {
    request.url.query_pairs().into_owned().collect()
}

/// A text field of a multipart body.
pub fn multipart(request: &Request, name: &str) -> Option<String> {
    let body = String::from_utf8_lossy(&request.body);
    let marker = format!("name=\"{name}\"");
    let start = body.find(&marker)? + marker.len();
    let rest = &body[start..];
    let value_start = rest.find("\r\n\r\n")? + 4;
    let value = &rest[value_start..];
    Some(value[..value.find("\r\n--")?].to_owned())
}

/// Every request the server received, in order.
pub async fn received(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap_or_default()
}

/// The requests with this method and path, in order.
pub async fn sent(server: &MockServer, method: &str, path: &str) -> Vec<Request> {
    received(server)
        .await
        .into_iter()
        .filter(|r| r.method.as_str() == method && r.url.path() == path)
        .collect()
}

/// The one request with this method and path.
pub async fn one(server: &MockServer, method: &str, path: &str) -> Request {
    let mut found = sent(server, method, path).await;
    assert_eq!(
        found.len(),
        1,
        "expected one {method} {path}, got {}",
        found.len()
    );
    found.remove(0)
}
