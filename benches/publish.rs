//! Publish latency against the real local peers (snac2 for Mastodon, the atproto dev network
//! for Bluesky): 200 posts each, one after another, p50 and p99, and Herald's own time per
//! call (the publish's duration minus the time spent waiting on the network).
//!
//!     scripts/peers/all.sh start && set -a && . /tmp/herald-peers/peers.env && set +a
//!     cargo bench --bench publish
#![forbid(unsafe_code)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use herald::connectors::bluesky::Bluesky;
use herald::connectors::http::Http;
use herald::connectors::mastodon::Mastodon;
use herald::connectors::model::{Credentials, Part, PublishRequest};
use herald::connectors::{Connector, Session};
use herald::domain::SystemClock;
use serde_json::{Value, json};
use url::Url;

const POSTS: usize = 200;
const REDIRECT: &str = "urn:ietf:wg:oauth:2.0:oob";

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        eprintln!("{name} is not set: start the peers first (scripts/peers/all.sh start)");
        std::process::exit(2)
    })
}

fn plain() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(0)
        .build()
        .expect("client")
}

/// A snac access token for `user`, through its OAuth form (out-of-band: the code is the body).
async fn snac_token(base: &str, user: &str, password: &str) -> String {
    let http = plain();
    let app: Value = http
        .post(format!("{base}/api/v1/apps"))
        .form(&[
            ("client_name", "bench"),
            ("redirect_uris", REDIRECT),
            ("scopes", "read write"),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let cid = app["client_id"].as_str().unwrap();
    let secret = app["client_secret"].as_str().unwrap();
    let code = http
        .post(format!("{base}/oauth/x-snac-login"))
        .form(&[
            ("login", user),
            ("passwd", password),
            ("redir", REDIRECT),
            ("cid", cid),
            ("state", "s"),
        ])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let token: Value = http
        .post(format!("{base}/oauth/token"))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code.trim()),
            ("client_id", cid),
            ("client_secret", secret),
            ("redirect_uri", REDIRECT),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    token["access_token"].as_str().expect("token").to_owned()
}

/// A new Bluesky account and an app password for it.
async fn bluesky_account(pds: &str) -> (String, String) {
    let http = plain();
    let suffix = &uuid::Uuid::now_v7().simple().to_string()[20..];
    let handle = format!("bench-{suffix}.test");
    let created: Value = http
        .post(format!("{pds}/xrpc/com.atproto.server.createAccount"))
        .json(&json!({"handle": handle, "email": format!("{suffix}@example.test"), "password": format!("pw-{suffix}")}))
        .send().await.unwrap().json().await.unwrap();
    let app: Value = http
        .post(format!("{pds}/xrpc/com.atproto.server.createAppPassword"))
        .bearer_auth(created["accessJwt"].as_str().unwrap())
        .json(&json!({"name": "bench"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    (handle, app["password"].as_str().unwrap().to_owned())
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

async fn run(name: &str, connector: &dyn Connector, http: &Http, session: &mut Session) {
    let mut times = Vec::with_capacity(POSTS);
    let mut made = Vec::with_capacity(POSTS);
    let (calls_before, waited_before) = http.network_wait();
    let all = Instant::now();
    for i in 0..POSTS {
        let request = PublishRequest {
            parts: vec![Part {
                text: format!("Benchmark post {i} of {POSTS} #herald"),
                media: vec![],
            }],
            idempotency_key: uuid::Uuid::now_v7().to_string(),
            first_attempt_ms: jiff::Timestamp::now().as_millisecond(),
            ..PublishRequest::default()
        };
        let started = Instant::now();
        let published = connector.publish(session, &request).await.expect("publish");
        times.push(started.elapsed());
        made.push(published.parts[0].clone());
    }
    let total = all.elapsed();
    let (calls_after, waited_after) = http.network_wait();
    let calls = calls_after - calls_before;
    let waited = waited_after - waited_before;
    times.sort();
    let own = total.saturating_sub(waited);
    println!(
        "{name:<9} {POSTS} posts: p50 {:>6.1} ms  p99 {:>6.1} ms  max {:>6.1} ms  | {calls} calls, Herald's own time {:.3} ms per call ({:.2}% of the total)",
        percentile(&times, 0.5).as_secs_f64() * 1e3,
        percentile(&times, 0.99).as_secs_f64() * 1e3,
        times[times.len() - 1].as_secs_f64() * 1e3,
        own.as_secs_f64() * 1e3 / calls.max(1) as f64,
        own.as_secs_f64() * 100.0 / total.as_secs_f64(),
    );
    for post in made {
        let _ = connector.delete(session, &post).await;
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let snac = env("HERALD_PEER_SNAC_URL");
    let pds = env("HERALD_PEER_BSKY_PDS");
    let alice = env("HERALD_PEER_SNAC_ALICE_PASSWORD");

    let http = Http::new(true).expect("http");
    let mastodon = Mastodon::new(http.clone(), Arc::new(SystemClock));
    let token = snac_token(&snac, "alice", &alice).await;
    let mut session = Session::new(Url::parse(&snac).unwrap(), Credentials::bearer(token));
    run("snac2", &mastodon, &http, &mut session).await;

    let http = Http::new(true).expect("http");
    let bluesky = Bluesky::new(http.clone());
    let (handle, password) = bluesky_account(&pds).await;
    let mut session = bluesky
        .sign_in(&Url::parse(&pds).unwrap(), &handle, &password)
        .await
        .expect("sign in");
    run("bluesky", &bluesky, &http, &mut session).await;
}
