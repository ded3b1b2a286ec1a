//! Notifications by email, sent to a real SMTP server (Python's aiosmtpd, see
//! `support/smtp_sink.rs`) and read back as a mail client would: who it is to, its subject,
//! the absolute link to the post; the HTML escaped; nothing for the one who wrote, for people
//! outside the workspace or for people who turned email off; and an SMTP server that is away
//! means the email is tried again later while the notification stays in the app.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::support::smtp_sink::{self, SmtpSink};
use crate::support::{Backend, TestApp, backends};

struct Team {
    app: TestApp,
    owner: String,
    ada: String,
    bob: String,
    mallory: String,
    ws: String,
    post: String,
}

/// An owner, two members (ada, bob), an outsider with a workspace of her own (mallory), and
/// a post; Herald sends email to `smtp_port`.
async fn team(backend: Backend, smtp_port: u16) -> Team {
    let app = TestApp::with_config(backend, |c| smtp_sink::configure(c, smtp_port)).await;
    let (_, owner) = app.user("owner@example.com").await;
    let (_, ada) = app.user("ada@example.com").await;
    let (_, bob) = app.user("bob@example.com").await;
    let (_, mallory) = app.user("mallory@example.com").await;
    let ws = app.workspace(&owner, "Acme & Co").await;
    app.workspace(&mallory, "Elsewhere").await;
    app.join(&owner, &ws, &ada, "editor").await;
    app.join(&owner, &ws, &bob, "viewer").await;
    let post = app
        .post(
            &format!("/api/v1/workspaces/{ws}/posts"),
            &owner,
            json!({"text": "Spring menu"}),
        )
        .await;
    assert_eq!(post.status, StatusCode::CREATED, "{}", post.text());
    let post = post.json()["id"].as_str().unwrap().to_owned();
    Team {
        app,
        owner,
        ada,
        bob,
        mallory,
        ws,
        post,
    }
}

impl Team {
    async fn comment(&self, token: &str, body: &str) {
        let path = format!(
            "/api/v1/workspaces/{}/posts/{}/comments",
            self.ws, self.post
        );
        let reply = self.app.post(&path, token, json!({"body": body})).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    }

    async fn inbox(&self, token: &str) -> Vec<Value> {
        let got = self.app.get("/api/v1/me/notifications", token).await;
        assert_eq!(got.status, StatusCode::OK, "{}", got.text());
        got.json()["items"].as_array().unwrap().clone()
    }
}

fn to(message: &Value) -> String {
    message["to"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_mention_reaches_the_members_mailboxes_with_a_link_to_the_post() {
    if !smtp_sink::available() {
        return;
    }
    for backend in backends() {
        let sink = SmtpSink::start();
        let t = team(backend, sink.port).await;
        t.comment(
            &t.owner,
            "@ada @bob see <b>this</b> & tell me; @owner @mallory @nobody",
        )
        .await;
        assert_eq!(t.app.run_jobs().await, 2, "one email each for ada and bob");
        let mut got = sink.wait_for(2);
        assert_eq!(got.len(), 2, "{got:?}");
        got.sort_by_key(to);
        assert!(to(&got[0]).contains("ada@example.com"), "{got:?}");
        assert!(to(&got[1]).contains("bob@example.com"), "{got:?}");
        let link = format!("http://herald.test/w/{}/posts/{}", t.ws, t.post);
        for m in &got {
            assert_eq!(m["rcpt_tos"].as_array().unwrap().len(), 1, "{m}");
            assert_eq!(m["mail_from"], "herald@herald.test");
            assert_eq!(m["subject"], "Acme & Co: owner mentioned you in a comment");
            let text = m["text"].as_str().unwrap();
            assert!(text.contains(&link), "{text}");
            assert!(text.contains("see <b>this</b> & tell me"), "{text}");
            assert!(text.contains("http://herald.test/account"), "{text}");
            let html = m["html"].as_str().unwrap();
            assert!(html.contains(&format!("href=\"{link}\"")), "{html}");
            assert!(
                html.contains("&#60;b&#62;this&#60;/b&#62; &#38; tell me"),
                "{html}"
            );
            assert!(!html.contains("<b>this"), "{html}");
        }
        // The same words wait in the app; the writer and the outsider hear nothing.
        for who in [&t.ada, &t.bob] {
            let inbox = t.inbox(who).await;
            assert_eq!(inbox.len(), 1, "{inbox:?}");
            assert_eq!(inbox[0]["kind"], "comment.mentioned");
            assert_eq!(inbox[0]["link"], format!("/w/{}/posts/{}", t.ws, t.post));
        }
        assert!(t.inbox(&t.owner).await.is_empty());
        assert!(t.inbox(&t.mallory).await.is_empty());

        // Bob turns email off: the next mention reaches his inbox in the app only.
        let off = t
            .app
            .request(
                axum::http::Method::PUT,
                "/api/v1/me/notification-settings",
                Some(&t.bob),
                Some(json!({"email": false})),
            )
            .await;
        assert_eq!(off.status, StatusCode::OK, "{}", off.text());
        assert_eq!(off.json(), json!({"email": false, "email_available": true}));
        t.comment(&t.ada, "Thanks @bob, and @ada (that is me)")
            .await;
        assert_eq!(t.app.run_jobs().await, 0, "no email for bob, none for ada");
        assert_eq!(t.inbox(&t.bob).await.len(), 2);
        assert_eq!(t.inbox(&t.ada).await.len(), 1, "not told of her own words");
        assert_eq!(sink.received().len(), 2);
    }
}

#[tokio::test]
async fn an_unreachable_smtp_server_means_a_later_try_and_the_app_still_tells() {
    if !smtp_sink::available() {
        return;
    }
    for backend in backends() {
        let port = smtp_sink::free_port();
        let t = team(backend, port).await;
        t.comment(&t.owner, "@ada please check the price").await;
        assert_eq!(t.app.run_jobs().await, 1);
        assert_eq!(t.inbox(&t.ada).await.len(), 1, "the notification stays");
        assert_eq!(t.app.run_jobs().await, 0, "not tried again at once");

        // Still away at the second try (due within a minute), then back for the third.
        t.app.clock.advance_ms(60_000);
        assert_eq!(t.app.run_jobs().await, 1);
        let sink = SmtpSink::start_on(port);
        t.app.clock.advance_ms(10 * 60_000);
        assert_eq!(t.app.run_jobs().await, 1);
        let got = sink.wait_for(1);
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(to(&got[0]).contains("ada@example.com"));
        assert!(
            got[0]["text"]
                .as_str()
                .unwrap()
                .contains("please check the price")
        );
        t.app.clock.advance_ms(24 * 60 * 60_000);
        assert_eq!(t.app.run_jobs().await, 0, "sent once, done");
        assert_eq!(sink.received().len(), 1);
    }
}

#[tokio::test]
async fn without_smtp_no_email_is_queued_and_the_setting_says_so() {
    for backend in backends() {
        let app = TestApp::new(backend).await;
        let (_, owner) = app.user("owner@example.com").await;
        let (_, ada) = app.user("ada@example.com").await;
        let ws = app.workspace(&owner, "Acme").await;
        app.join(&owner, &ws, &ada, "editor").await;
        let post = app
            .post(
                &format!("/api/v1/workspaces/{ws}/posts"),
                &owner,
                json!({"text": "Hello"}),
            )
            .await
            .json()["id"]
            .as_str()
            .unwrap()
            .to_owned();
        app.post(
            &format!("/api/v1/workspaces/{ws}/posts/{post}/comments"),
            &owner,
            json!({"body": "@ada look"}),
        )
        .await;
        assert_eq!(app.run_jobs().await, 0);
        let settings = app.get("/api/v1/me/notification-settings", &ada).await;
        assert_eq!(
            settings.json(),
            json!({"email": true, "email_available": false})
        );
        let bad = app
            .request(
                axum::http::Method::PUT,
                "/api/v1/me/notification-settings",
                Some(&ada),
                Some(json!({"email": "yes"})),
            )
            .await;
        assert_eq!(
            bad.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            bad.text()
        );
        assert_eq!(
            app.get("/api/v1/me/notification-settings", &ada)
                .await
                .json()["email"],
            true,
            "nothing changed"
        );
    }
}

#[tokio::test]
async fn doctor_says_whether_the_smtp_server_answers() {
    if !smtp_sink::available() {
        return;
    }
    let email_check = |checks: Vec<herald::ops::doctor::Check>| {
        checks
            .into_iter()
            .find(|c| c.name == "email")
            .map(|c| (c.status, c.detail))
            .unwrap()
    };
    let dir = tempfile::tempdir().unwrap();
    let mut config = herald::config::Config {
        data_dir: dir.path().to_owned(),
        ..Default::default()
    };
    let (status, detail) = email_check(herald::ops::doctor::run(&config).await);
    assert_eq!(status, herald::ops::doctor::Status::Ok, "{detail}");
    assert!(detail.contains("in the app only"), "{detail}");

    let port = smtp_sink::free_port();
    smtp_sink::configure(&mut config, port);
    let (status, detail) = email_check(herald::ops::doctor::run(&config).await);
    assert_eq!(status, herald::ops::doctor::Status::Fail, "{detail}");
    assert!(detail.contains(&format!("127.0.0.1:{port}")), "{detail}");

    let _sink = SmtpSink::start_on(port);
    let (status, detail) = email_check(herald::ops::doctor::run(&config).await);
    assert_eq!(status, herald::ops::doctor::Status::Ok, "{detail}");
    assert!(detail.ends_with("answers"), "{detail}");
}
