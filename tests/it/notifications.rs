//! Notifications in the app and outbound webhooks, on every database: a receiver in the test
//! checks each delivery's signature, sees publishes and refusals, gets retries after a 500
//! and none after a 410; private addresses are refused unless the install allows them;
//! another workspace's webhooks are not found; people hear of what concerns them.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use serde_json::{Value, json};

use crate::publishing::{Setup, setup};
use crate::support::fake_mastodon::Script;
use crate::support::{TestApp, backends};

#[derive(Clone, Debug)]
struct Received {
    headers: HeaderMap,
    body: String,
}

#[derive(Clone, Default)]
struct Receiver {
    got: Arc<Mutex<Vec<Received>>>,
    /// Statuses to answer with, in order; 200 once they run out.
    script: Arc<Mutex<VecDeque<u16>>>,
}

impl Receiver {
    async fn start() -> (Receiver, String) {
        let r = Receiver::default();
        let app = axum::Router::new()
            .route("/hook", post(receive))
            .with_state(r.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        (r, url)
    }

    fn script(&self, statuses: impl IntoIterator<Item = u16>) {
        self.script.lock().unwrap().extend(statuses);
    }

    fn got(&self) -> Vec<Received> {
        self.got.lock().unwrap().clone()
    }
}

async fn receive(State(r): State<Receiver>, headers: HeaderMap, body: String) -> StatusCode {
    r.got.lock().unwrap().push(Received { headers, body });
    let status = r.script.lock().unwrap().pop_front().unwrap_or(200);
    StatusCode::from_u16(status).unwrap()
}

/// The delivery's signature checked as a receiver would; its payload.
fn verified(secret: &str, r: &Received) -> Value {
    let header = |name: &str| r.headers[name].to_str().unwrap().to_owned();
    let timestamp = header("x-herald-timestamp");
    let expected = herald::crypto::hmac::sha256_hex(
        secret.as_bytes(),
        format!("{timestamp}.{}", r.body).as_bytes(),
    );
    assert_eq!(header("x-herald-signature"), format!("sha256={expected}"));
    let payload: Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(header("x-herald-event"), payload["event"].as_str().unwrap());
    assert!(!header("x-herald-delivery").is_empty());
    payload
}

async fn add_webhook(s: &Setup, url: &str, events: Value) -> (String, String) {
    let created = s
        .app
        .post(
            &format!("/api/v1/workspaces/{}/webhooks", s.ws),
            &s.token,
            json!({"url": url, "events": events}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    let body = created.json();
    let secret = body["secret"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("whsec_"), "{secret}");
    (body["id"].as_str().unwrap().to_owned(), secret)
}

async fn deliveries(s: &Setup, hook: &str) -> Vec<Value> {
    let got = s
        .app
        .get(
            &format!("/api/v1/workspaces/{}/webhooks/{hook}/deliveries", s.ws),
            &s.token,
        )
        .await;
    assert_eq!(got.status, StatusCode::OK, "{}", got.text());
    got.json()["items"].as_array().unwrap().clone()
}

#[tokio::test]
async fn webhooks_hear_of_publishes_and_refusals_signed() {
    for backend in backends() {
        let s = setup(backend).await;
        let (receiver, url) = Receiver::start().await;
        let (hook, secret) = add_webhook(&s, &url, json!(["post.published", "post.failed"])).await;
        let listed = s
            .app
            .get(&format!("/api/v1/workspaces/{}/webhooks", s.ws), &s.token)
            .await
            .json();
        assert_eq!(listed["items"][0]["id"], hook.as_str());
        assert!(listed["items"][0].get("secret").is_none(), "shown once");

        let post = s.draft("Out it goes.").await;
        s.act(&post, "publish-now", json!({})).await;
        s.app.run_jobs().await;
        let got = receiver.got();
        assert_eq!(got.len(), 1, "{got:?}");
        let payload = verified(&secret, &got[0]);
        assert_eq!(payload["event"], "post.published");
        assert_eq!(payload["workspace_id"], s.ws.as_str());
        assert_eq!(payload["data"]["post_id"], post.as_str());
        assert_eq!(payload["data"]["channel"]["network"], "mastodon");
        assert!(payload["id"].is_string() && payload["created_at"].is_string());

        s.fake.script([Script::Refused {
            error: "Text ist zu lang".into(),
        }]);
        let refused = s.draft("Refused for good.").await;
        s.act(&refused, "publish-now", json!({})).await;
        s.app.run_jobs().await;
        let got = receiver.got();
        assert_eq!(got.len(), 2);
        let payload = verified(&secret, &got[1]);
        assert_eq!(payload["event"], "post.failed");
        assert_eq!(payload["data"]["error_kind"], "rejected");
        assert!(
            payload["data"]["reason"]
                .as_str()
                .unwrap()
                .contains("Text ist zu lang"),
            "{payload}"
        );
        let log = deliveries(&s, &hook).await;
        assert_eq!(log.len(), 2);
        assert!(log.iter().all(|d| d["state"] == "delivered"), "{log:?}");
        assert_eq!(log[0]["event"], "post.failed", "newest first");
        assert_eq!(log[0]["response_status"], 200);
    }
}

#[tokio::test]
async fn a_delivery_is_tried_again_after_a_500_and_not_after_a_410() {
    for backend in backends() {
        let s = setup(backend).await;
        let (receiver, url) = Receiver::start().await;
        let (hook, secret) = add_webhook(&s, &url, json!(["post.published"])).await;
        receiver.script([500]);
        let ping = s
            .app
            .post(
                &format!("/api/v1/workspaces/{}/webhooks/{hook}/test", s.ws),
                &s.token,
                json!({}),
            )
            .await;
        assert_eq!(ping.status, StatusCode::ACCEPTED, "{}", ping.text());
        s.app.run_jobs().await;
        let log = deliveries(&s, &hook).await;
        assert_eq!(log[0]["state"], "retrying", "{log:?}");
        assert_eq!(log[0]["attempts"], 1);
        assert_eq!(log[0]["response_status"], 500);
        assert!(log[0]["next_try_at"].is_string());
        assert_eq!(s.app.run_jobs().await, 0, "not before its time");

        s.app.clock.advance_ms(60 * 60_000);
        s.app.run_jobs().await;
        let log = deliveries(&s, &hook).await;
        assert_eq!(log[0]["state"], "delivered", "{log:?}");
        assert_eq!(log[0]["attempts"], 2);
        let got = receiver.got();
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].body, got[1].body, "the same payload each time");
        assert_eq!(verified(&secret, &got[1])["event"], "ping");

        receiver.script([410]);
        s.app
            .post(
                &format!("/api/v1/workspaces/{}/webhooks/{hook}/test", s.ws),
                &s.token,
                json!({}),
            )
            .await;
        s.app.run_jobs().await;
        let log = deliveries(&s, &hook).await;
        assert_eq!(log[0]["state"], "failed", "{log:?}");
        assert_eq!(log[0]["attempts"], 1);
        assert_eq!(log[0]["response_status"], 410);
        assert!(log[0]["next_try_at"].is_null());
        s.app.clock.advance_ms(24 * 60 * 60_000);
        assert_eq!(s.app.run_jobs().await, 0);
        assert_eq!(receiver.got().len(), 3, "no try after a 410");
    }
}

#[tokio::test]
async fn private_addresses_are_refused_unless_the_install_allows_them() {
    for backend in backends() {
        let app = TestApp::new(backend).await;
        let (_, token) = app.user("owner@example.com").await;
        let ws = app.workspace(&token, "Acme").await;
        for url in [
            "http://127.0.0.1:9/hook",
            "https://127.0.0.1/hook",
            "https://10.0.0.8/hook",
            "https://[::1]/hook",
            "https://localhost/hook",
            "https://169.254.169.254/latest",
            "ftp://example.com/hook",
            "not a url",
        ] {
            let refused = app
                .post(
                    &format!("/api/v1/workspaces/{ws}/webhooks"),
                    &token,
                    json!({"url": url, "events": ["post.published"]}),
                )
                .await;
            assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{url}");
            assert_eq!(refused.error_fields(), ["url"], "{url}");
        }
        let bad_event = app
            .post(
                &format!("/api/v1/workspaces/{ws}/webhooks"),
                &token,
                json!({"url": "https://93.184.215.14/hook", "events": ["post.exploded"]}),
            )
            .await;
        assert_eq!(bad_event.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(bad_event.error_fields(), ["events[0]"]);

        let allowed = TestApp::with_config(crate::support::Backend::Sqlite, |c| {
            c.allow_private_hosts = true
        })
        .await;
        let (_, token) = allowed.user("owner@example.com").await;
        let ws = allowed.workspace(&token, "Acme").await;
        let created = allowed
            .post(
                &format!("/api/v1/workspaces/{ws}/webhooks"),
                &token,
                json!({"url": "http://127.0.0.1:9/hook", "events": ["post.published"]}),
            )
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    }
}

#[tokio::test]
async fn another_workspaces_webhooks_are_not_found_and_viewers_may_not_see_them() {
    for backend in backends() {
        let s = setup(backend).await;
        let (_, url) = Receiver::start().await;
        let (hook, _) = add_webhook(&s, &url, json!(["post.failed"])).await;
        let (_, other) = s.app.user("other@example.com").await;
        let theirs = s.app.workspace(&other, "Elsewhere").await;
        for path in [
            format!("/api/v1/workspaces/{theirs}/webhooks/{hook}/deliveries"),
            format!("/api/v1/workspaces/{}/webhooks/{hook}/deliveries", s.ws),
            format!("/api/v1/workspaces/{}/webhooks", s.ws),
        ] {
            assert_eq!(
                s.app.get(&path, &other).await.status,
                StatusCode::NOT_FOUND,
                "{path}"
            );
        }
        let test = s
            .app
            .post(
                &format!("/api/v1/workspaces/{theirs}/webhooks/{hook}/test"),
                &other,
                json!({}),
            )
            .await;
        assert_eq!(test.status, StatusCode::NOT_FOUND);
        let deleted = s
            .app
            .delete(
                &format!("/api/v1/workspaces/{theirs}/webhooks/{hook}"),
                &other,
            )
            .await;
        assert_eq!(deleted.status, StatusCode::NOT_FOUND);

        let (_, viewer) = s.app.user("viewer@example.com").await;
        s.app.join(&s.token, &s.ws, &viewer, "viewer").await;
        let listed = s
            .app
            .get(&format!("/api/v1/workspaces/{}/webhooks", s.ws), &viewer)
            .await;
        assert_eq!(listed.status, StatusCode::FORBIDDEN);

        let gone = s
            .app
            .delete(
                &format!("/api/v1/workspaces/{}/webhooks/{hook}", s.ws),
                &s.token,
            )
            .await;
        assert_eq!(gone.status, StatusCode::NO_CONTENT);
    }
}

async fn inbox(app: &TestApp, token: &str) -> Value {
    let got = app.get("/api/v1/me/notifications", token).await;
    assert_eq!(got.status, StatusCode::OK, "{}", got.text());
    got.json()
}

fn kinds(inbox: &Value) -> Vec<String> {
    inbox["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["kind"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn people_hear_in_the_app_of_what_concerns_them() {
    for backend in backends() {
        let s = setup(backend).await;
        let (_, manager) = s.app.user("manager@example.com").await;
        let (_, editor) = s.app.user("editor@example.com").await;
        let (_, viewer) = s.app.user("viewer@example.com").await;
        s.app.join(&s.token, &s.ws, &manager, "manager").await;
        s.app.join(&s.token, &s.ws, &editor, "editor").await;
        s.app.join(&s.token, &s.ws, &viewer, "viewer").await;

        // The editor writes and schedules; it goes out.
        let post = s
            .app
            .post(
                &format!("/api/v1/workspaces/{}/posts", s.ws),
                &editor,
                json!({"text": "From the editor.", "channel_ids": [s.channel]}),
            )
            .await
            .json()["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let scheduled = s
            .app
            .post(
                &format!("/api/v1/workspaces/{}/posts/{post}/schedule", s.ws),
                &editor,
                json!({"at": crate::publishing::at(10 * 60_000)}),
            )
            .await;
        assert_eq!(scheduled.status, StatusCode::OK, "{}", scheduled.text());
        s.app.clock.advance_ms(10 * 60_000);
        s.app.run_jobs().await;
        let mine = inbox(&s.app, &editor).await;
        assert_eq!(kinds(&mine), ["post.published", "post.scheduled"]);
        assert_eq!(mine["unread"], 2);
        assert_eq!(
            mine["items"][0]["link"],
            format!("/w/{}/posts/{post}", s.ws)
        );
        assert!(
            mine["items"][0]["title"]
                .as_str()
                .unwrap()
                .contains("Mastodon")
        );
        for other in [&s.token, &manager, &viewer] {
            assert!(kinds(&inbox(&s.app, other).await).is_empty());
        }

        // A refusal of the editor's post: the editor, the owner and the manager hear of it.
        s.fake.script([Script::Refused {
            error: "Nope".into(),
        }]);
        let refused = s
            .app
            .post(
                &format!("/api/v1/workspaces/{}/posts", s.ws),
                &editor,
                json!({"text": "Refused.", "channel_ids": [s.channel]}),
            )
            .await
            .json()["id"]
            .as_str()
            .unwrap()
            .to_owned();
        s.app
            .post(
                &format!("/api/v1/workspaces/{}/posts/{refused}/publish-now", s.ws),
                &editor,
                json!({}),
            )
            .await;
        s.app.run_jobs().await;
        for who in [&editor, &s.token, &manager] {
            let got = inbox(&s.app, who).await;
            assert_eq!(kinds(&got)[0], "post.failed", "{got}");
            assert!(got["items"][0]["body"].as_str().unwrap().contains("Nope"));
        }
        assert!(kinds(&inbox(&s.app, &viewer).await).is_empty());

        // Mark read: one, then all.
        let mine = inbox(&s.app, &editor).await;
        assert_eq!(mine["unread"], 3);
        let one = mine["items"][0]["id"].clone();
        let marked = s
            .app
            .post(
                "/api/v1/me/notifications/read",
                &editor,
                json!({"ids": [one]}),
            )
            .await;
        assert_eq!(marked.status, StatusCode::OK, "{}", marked.text());
        assert_eq!(marked.json()["marked"], 1);
        assert_eq!(marked.json()["unread"], 2);
        // Someone else's ids change nothing.
        let theirs = inbox(&s.app, &manager).await["items"][0]["id"].clone();
        let none = s
            .app
            .post(
                "/api/v1/me/notifications/read",
                &editor,
                json!({"ids": [theirs]}),
            )
            .await;
        assert_eq!(none.json()["marked"], 0);
        assert_eq!(inbox(&s.app, &manager).await["unread"], 1);
        let all = s
            .app
            .post("/api/v1/me/notifications/read", &editor, json!({}))
            .await;
        assert_eq!(all.json()["unread"], 0);
        let mine = inbox(&s.app, &editor).await;
        assert!(mine["items"][0]["read"].as_bool().unwrap());
        assert_eq!(mine["unread"], 0);
    }
}

#[tokio::test]
async fn webhooks_hear_when_a_post_is_created() {
    for backend in backends() {
        let s = setup(backend).await;
        let (receiver, url) = Receiver::start().await;
        let (hook, secret) = add_webhook(&s, &url, json!(["post.created"])).await;
        let (_, editor) = s.app.user("editor@example.com").await;
        s.app.join(&s.token, &s.ws, &editor, "editor").await;
        let created = s
            .app
            .post(
                &format!("/api/v1/workspaces/{}/posts", s.ws),
                &editor,
                json!({"text": "A new idea.", "channel_ids": [s.channel]}),
            )
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
        let post = created.json()["id"].as_str().unwrap().to_owned();
        // Editing it is not creating it.
        s.app
            .patch(
                &format!("/api/v1/workspaces/{}/posts/{post}", s.ws),
                &editor,
                json!({"text": "A better idea."}),
            )
            .await;
        s.app.run_jobs().await;
        let got = receiver.got();
        assert_eq!(got.len(), 1, "{got:?}");
        let payload = verified(&secret, &got[0]);
        assert_eq!(payload["event"], "post.created");
        assert_eq!(payload["data"]["post_id"], post.as_str());
        assert_eq!(payload["data"]["text"], "A new idea.");
        let log = deliveries(&s, &hook).await;
        assert_eq!(log[0]["state"], "delivered", "{log:?}");
        // Nobody is told in the app: the author knows.
        assert!(kinds(&inbox(&s.app, &editor).await).is_empty());
        assert!(kinds(&inbox(&s.app, &s.token).await).is_empty());
    }
}

#[tokio::test]
async fn mentioned_members_hear_in_the_app_and_no_one_else_does() {
    for backend in backends() {
        let s = setup(backend).await;
        let (_, ada) = s.app.user("ada@example.com").await;
        let (_, outsider) = s.app.user("zoe@example.com").await;
        s.app.join(&s.token, &s.ws, &ada, "client").await;
        s.app.workspace(&outsider, "Zoe's").await;
        let post = s.draft("For review.").await;
        let (receiver, url) = Receiver::start().await;
        add_webhook(&s, &url, json!(["post.created", "post.submitted"])).await;
        let commented = s
            .app
            .post(
                &format!("/api/v1/workspaces/{}/posts/{post}/comments", s.ws),
                &s.token,
                json!({"body": "@Ada, what do you think? cc @zoe @owner"}),
            )
            .await;
        assert_eq!(
            commented.status,
            StatusCode::CREATED,
            "{}",
            commented.text()
        );
        let got = inbox(&s.app, &ada).await;
        assert_eq!(kinds(&got), ["comment.mentioned"]);
        let n = &got["items"][0];
        assert_eq!(n["title"], "owner mentioned you in a comment");
        assert_eq!(n["body"], "@Ada, what do you think? cc @zoe @owner");
        assert_eq!(n["link"], format!("/w/{}/posts/{post}", s.ws));
        assert!(kinds(&inbox(&s.app, &outsider).await).is_empty());
        assert!(kinds(&inbox(&s.app, &s.token).await).is_empty());
        s.app.run_jobs().await;
        assert!(receiver.got().is_empty(), "mentions are not webhook events");
    }
}
