//! A stand-in for a Mastodon instance that answers the calls Herald's publisher makes, with
//! a configurable latency and scripted failures, and counts what it received. Shared by the
//! engine tests (`tests/it`) and the publishing benchmark (`benches/engine.rs`), which
//! include this file by path; Mastodon and Bluesky are also tested against real servers
//! (`tests/it/peers`).
//!
//! Like Mastodon, it keeps `Idempotency-Key`s: a status posted again with a key it has seen
//! is answered with the first one, and counted as a resend, not as a new post.

#![allow(dead_code)]

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Value, json};

/// What the next status posts get instead of success, in order.
#[derive(Clone, Debug)]
pub enum Script {
    /// 503 Service Unavailable.
    Unavailable,
    /// 429 with `X-RateLimit-Reset` at this instant (RFC 3339).
    RateLimited { reset: String },
    /// 422 with Mastodon's error body.
    Refused { error: String },
    /// The status is created, then the connection is dropped before the answer.
    CreatedThenDropped,
}

#[derive(Clone, Debug)]
pub struct Received {
    pub account: String,
    pub text: String,
    pub key: Option<String>,
    pub id: String,
    pub at: Instant,
    /// Milliseconds since the epoch, by the system clock.
    pub at_ms: i64,
}

#[derive(Default)]
pub struct Inner {
    pub statuses: Vec<Received>,
    pub resends: usize,
    pub by_key: HashMap<String, usize>,
    pub script: VecDeque<Script>,
    pub requests: usize,
}

#[derive(Clone)]
pub struct FakeMastodon {
    pub addr: SocketAddr,
    pub inner: Arc<Mutex<Inner>>,
    latency: Duration,
}

impl FakeMastodon {
    /// Starts it on a free loopback port; every answer waits `latency` first.
    pub async fn start(latency: Duration) -> FakeMastodon {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let fake = FakeMastodon {
            addr,
            inner: Arc::default(),
            latency,
        };
        let app = Router::new()
            .route("/api/v1/accounts/verify_credentials", get(verify))
            .route("/api/v2/instance", get(instance))
            .route("/api/v1/statuses", post(create))
            .route("/api/v1/accounts/{id}/statuses", get(statuses))
            .with_state(fake.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        fake
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn script(&self, steps: impl IntoIterator<Item = Script>) {
        self.inner.lock().unwrap().script.extend(steps);
    }

    pub fn statuses(&self) -> Vec<Received> {
        self.inner.lock().unwrap().statuses.clone()
    }

    pub fn resends(&self) -> usize {
        self.inner.lock().unwrap().resends
    }
}

/// The token names the account: `token-alice` is alice.
fn account_of(headers: &HeaderMap) -> Option<String> {
    let auth = headers.get("authorization")?.to_str().ok()?;
    auth.strip_prefix("Bearer token-").map(str::to_owned)
}

fn account_json(name: &str) -> Value {
    json!({
        "id": name, "username": name, "acct": name, "display_name": name,
        "url": format!("https://fake.example/@{name}"), "avatar": null,
        "followers_count": 10, "following_count": 2, "statuses_count": 0,
    })
}

fn status_json(r: &Received) -> Value {
    json!({
        "id": r.id, "url": format!("https://fake.example/@{}/{}", r.account, r.id),
        "uri": format!("https://fake.example/users/{}/statuses/{}", r.account, r.id),
        "content": format!("<p>{}</p>", html_escape(&r.text)),
        "created_at": "2026-03-01T12:00:00.000Z", "in_reply_to_id": null,
        "replies_count": 0, "reblogs_count": 0, "favourites_count": 0,
        "account": account_json(&r.account),
    })
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn unauthorized() -> Response {
    (
        StatusCode::UNAUTHORIZED,
        Json(json!({"error": "The access token is invalid"})),
    )
        .into_response()
}

async fn verify(State(f): State<FakeMastodon>, headers: HeaderMap) -> Response {
    tokio::time::sleep(f.latency).await;
    match account_of(&headers) {
        Some(name) => Json(account_json(&name)).into_response(),
        None => unauthorized(),
    }
}

async fn instance(State(f): State<FakeMastodon>) -> Response {
    tokio::time::sleep(f.latency).await;
    Json(json!({
        "domain": "fake.example", "title": "Fake", "version": "4.3.0",
        "configuration": {
            "statuses": {"max_characters": 500, "max_media_attachments": 4,
                "characters_reserved_per_url": 23},
        },
    }))
    .into_response()
}

async fn create(
    State(f): State<FakeMastodon>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    tokio::time::sleep(f.latency).await;
    let Some(account) = account_of(&headers) else {
        return unauthorized();
    };
    // Herald sends JSON; a form body is read too, as Mastodon does.
    let text = serde_json::from_slice::<Value>(&body)
        .ok()
        .and_then(|v| v["status"].as_str().map(str::to_owned))
        .or_else(|| {
            url::form_urlencoded::parse(&body)
                .find(|(k, _)| k == "status")
                .map(|(_, v)| v.into_owned())
        })
        .unwrap_or_default();
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(|k| format!("{account}:{k}"));
    let (answer, hang) = answer(&f, account, text, key);
    if hang {
        // Never answers: the client's time limit ends the exchange with the outcome unknown.
        std::future::pending::<()>().await;
    }
    answer
}

/// The answer to a status post, and whether to hang up instead of sending it. The lock is
/// taken here, outside any await.
fn answer(
    f: &FakeMastodon,
    account: String,
    text: String,
    key: Option<String>,
) -> (Response, bool) {
    let mut inner = f.inner.lock().unwrap();
    inner.requests += 1;
    if let Some(seen) = key.as_ref().and_then(|k| inner.by_key.get(k)).copied() {
        inner.resends += 1;
        return (
            Json(status_json(&inner.statuses[seen])).into_response(),
            false,
        );
    }
    let step = inner.script.pop_front();
    let refusal = match &step {
        Some(Script::Unavailable) => {
            Some((StatusCode::SERVICE_UNAVAILABLE, "<html>503</html>").into_response())
        }
        Some(Script::RateLimited { reset }) => Some(
            (
                StatusCode::TOO_MANY_REQUESTS,
                [
                    ("x-ratelimit-reset", reset.clone()),
                    ("x-ratelimit-remaining", "0".into()),
                ],
                Json(json!({"error": "Too many requests"})),
            )
                .into_response(),
        ),
        Some(Script::Refused { error }) => Some(
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                Json(json!({"error": error})),
            )
                .into_response(),
        ),
        _ => None,
    };
    if let Some(refusal) = refusal {
        return (refusal, false);
    }
    let received = Received {
        account,
        text,
        key: key.clone(),
        id: format!("{}", 100_000 + inner.statuses.len()),
        at: Instant::now(),
        at_ms: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or(0),
    };
    inner.statuses.push(received.clone());
    let index = inner.statuses.len() - 1;
    if let Some(k) = key {
        inner.by_key.insert(k, index);
    }
    let hang = matches!(step, Some(Script::CreatedThenDropped));
    (
        (StatusCode::OK, Json(status_json(&received))).into_response(),
        hang,
    )
}

async fn statuses(
    State(f): State<FakeMastodon>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    tokio::time::sleep(f.latency).await;
    if account_of(&headers).is_none() {
        return unauthorized();
    }
    let inner = f.inner.lock().unwrap();
    let mine: Vec<Value> = inner
        .statuses
        .iter()
        .rev()
        .filter(|s| s.account == id)
        .take(40)
        .map(status_json)
        .collect();
    Json(mine).into_response()
}
