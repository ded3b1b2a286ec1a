//! The Mastodon connector against snac2: connect through the OAuth form flow and with a
//! pasted token, publish text, an image with alt text, a thread and a reply, read them and
//! the notifications a second account causes, look an account up, delete, and a bad token.

use axum::http::StatusCode;
use herald::connectors::mastodon::Mastodon;
use herald::connectors::model::{Credentials, InteractionKind, MediaFile, Part, PublishRequest};
use herald::connectors::{Connector, ConnectorError, Session};
use herald::domain::media::MediaKind;
use regex::Regex;
use serde_json::json;
use url::Url;

use super::{browser, clock, env, eventually, http, png};
use crate::support::test_app::actor;
use crate::support::{TestApp, backends};

const REDIRECT: &str = "http://herald.test/oauth/callback/mastodon";

/// Signs in on snac's authorization form as a person would; returns the code and state it
/// sends back to the redirect address.
async fn approve(authorize_url: &str, base: &str, user: &str, password: &str) -> (String, String) {
    let client = browser();
    let form = client
        .get(authorize_url)
        .send()
        .await
        .expect("authorize page");
    assert_eq!(form.status(), 200);
    let html = form.text().await.expect("html");
    let field = |name: &str| {
        Regex::new(&format!(r#"name="{name}"[^>]*value="([^"]*)""#))
            .expect("regex")
            .captures(&html)
            .map(|c| c[1].to_owned())
            .unwrap_or_else(|| panic!("no {name} in the form: {html}"))
    };
    let answer = client
        .post(format!("{base}/oauth/x-snac-login"))
        .form(&[
            ("login", user),
            ("passwd", password),
            ("redir", &field("redir")),
            ("cid", &field("cid")),
            ("state", &field("state")),
        ])
        .send()
        .await
        .expect("login");
    assert_eq!(answer.status(), 303, "snac should send the person back");
    let location = answer.headers()["location"]
        .to_str()
        .expect("location")
        .to_owned();
    let back = Url::parse(&location).expect("redirect URL");
    assert!(location.starts_with(REDIRECT), "{location}");
    let get = |k: &str| {
        back.query_pairs()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.into_owned())
            .unwrap_or_else(|| panic!("no {k} in {location}"))
    };
    (get("code"), get("state"))
}

/// An access token for a snac user, the way any Mastodon client gets one.
pub async fn token_for(base: &str, user: &str, password: &str) -> String {
    let mastodon = Mastodon::new(http(), clock());
    let instance = Url::parse(base).expect("url");
    let app = mastodon
        .register_app(&instance, REDIRECT, "http://herald.test")
        .await
        .expect("app");
    let authorize = Mastodon::authorize_url(&instance, &app.client_id, REDIRECT, "s", "c");
    let (code, _) = approve(authorize.as_str(), base, user, password).await;
    mastodon
        .exchange_code(&instance, &app, REDIRECT, &code, "verifier")
        .await
        .expect("token")
        .access_token
}

#[tokio::test]
async fn channels_connect_through_oauth_and_tokens() {
    let (Some(base), Some(alice_pw), Some(bob_pw)) = (
        env("HERALD_PEER_SNAC_URL"),
        env("HERALD_PEER_SNAC_ALICE_PASSWORD"),
        env("HERALD_PEER_SNAC_BOB_PASSWORD"),
    ) else {
        return;
    };
    for backend in backends() {
        let app = TestApp::with_config(backend, |c| c.allow_private_hosts = true).await;
        let (owner, token) = app.user("owner@example.com").await;
        let ws = app.workspace(&token, "Acme").await;
        let channels = format!("/api/v1/workspaces/{ws}/channels");

        // OAuth: Herald registers on the instance, the person approves, Herald gets the code.
        let started = app
            .post(
                &format!("{channels}/oauth"),
                &token,
                json!({"network": "mastodon", "instance_url": base}),
            )
            .await;
        assert_eq!(started.status, StatusCode::OK, "{}", started.text());
        let authorize = started.json()["authorize_url"]
            .as_str()
            .expect("url")
            .to_owned();
        assert!(
            authorize.contains("code_challenge_method=S256"),
            "{authorize}"
        );
        assert!(authorize.contains("code_challenge="), "{authorize}");
        let (code, state) = approve(&authorize, &base, "alice", &alice_pw).await;
        let (in_ws, channel) = app
            .services()
            .finish_oauth(&actor(&owner), &state, Some(&code), None, REDIRECT)
            .await
            .expect("finish oauth");
        assert_eq!(in_ws.to_string(), ws);
        assert!(channel.handle.starts_with("@alice@"), "{}", channel.handle);
        assert_eq!(channel.health, "ok");
        assert!(
            channel
                .credentials
                .as_deref()
                .is_some_and(|c| c.starts_with("v1.")),
            "encrypted at rest"
        );
        let again = app
            .services()
            .finish_oauth(&actor(&owner), &state, Some(&code), None, REDIRECT)
            .await;
        assert!(again.is_err(), "a state is used once");

        // A pasted token.
        let bob_token = token_for(&base, "bob", &bob_pw).await;
        let body = json!({"network": "mastodon", "instance_url": base, "access_token": bob_token});
        let bob = app.post(&channels, &token, body.clone()).await;
        assert_eq!(bob.status, StatusCode::CREATED, "{}", bob.text());
        let bob = bob.json();
        assert!(
            bob["handle"].as_str().unwrap().starts_with("@bob@"),
            "{bob}"
        );
        assert_eq!(bob["health"], "ok");
        assert!(bob["max_characters"].as_u64().unwrap() > 0);
        // The same account again reconnects its channel in place.
        let same = app.post(&channels, &token, body).await;
        assert_eq!(same.status, StatusCode::CREATED, "{}", same.text());
        let same = same.json();
        assert_eq!(same["id"], bob["id"]);
        let listed = app.get(&channels, &token).await.json();
        assert_eq!(listed["items"].as_array().unwrap().len(), 2);

        // Bad input, each on its field, nothing stored.
        let bad = app
            .post(
                &channels,
                &token,
                json!({"network": "mastodon", "instance_url": base, "access_token": "nope"}),
            )
            .await;
        assert_eq!(
            bad.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            bad.text()
        );
        assert_eq!(bad.error_fields(), ["access_token"]);
        let nowhere = app
            .post(&channels, &token, json!({"network": "mastodon", "instance_url": "http://127.0.0.1:9", "access_token": "x"}))
            .await;
        assert_eq!(
            nowhere.error_fields(),
            ["instance_url"],
            "{}",
            nowhere.text()
        );
        let listed = app.get(&channels, &token).await.json();
        assert_eq!(listed["items"].as_array().unwrap().len(), 2);

        // Check, read through Herald's API, disconnect (the channel stays).
        let id = bob["id"].as_str().unwrap();
        let checked = app
            .post(&format!("{channels}/{id}/check"), &token, json!({}))
            .await;
        assert_eq!(checked.status, StatusCode::OK, "{}", checked.text());
        let posts = app
            .get(&format!("{channels}/{id}/remote-posts?limit=5"), &token)
            .await;
        assert_eq!(posts.status, StatusCode::OK, "{}", posts.text());
        let gone = app
            .post(&format!("{channels}/{id}/disconnect"), &token, json!({}))
            .await
            .json();
        assert_eq!(gone["health"], "disconnected");
        let refused = app
            .get(&format!("{channels}/{id}/remote-posts"), &token)
            .await;
        assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.text());
    }

    // Without --allow-private-hosts, a loopback instance is refused before any request.
    let app = TestApp::new(crate::support::Backend::Sqlite).await;
    let (_, token) = app.user("owner@example.com").await;
    let ws = app.workspace(&token, "Acme").await;
    let refused = app
        .post(
            &format!("/api/v1/workspaces/{ws}/channels"),
            &token,
            json!({"network": "mastodon", "instance_url": base, "access_token": "x"}),
        )
        .await;
    assert_eq!(refused.error_fields(), ["instance_url"]);
    assert!(
        refused.text().contains("internal address"),
        "{}",
        refused.text()
    );
}

#[tokio::test]
async fn the_connector_publishes_reads_and_deletes() {
    let (Some(base), Some(alice_pw), Some(bob_pw)) = (
        env("HERALD_PEER_SNAC_URL"),
        env("HERALD_PEER_SNAC_ALICE_PASSWORD"),
        env("HERALD_PEER_SNAC_BOB_PASSWORD"),
    ) else {
        return;
    };
    let instance = Url::parse(&base).expect("url");
    let mastodon = Mastodon::new(http(), clock());
    let mut alice = Session::new(
        instance.clone(),
        Credentials::bearer(token_for(&base, "alice", &alice_pw).await),
    );
    let mut bob = Session::new(
        instance.clone(),
        Credentials::bearer(token_for(&base, "bob", &bob_pw).await),
    );
    let me = mastodon.verify(&mut alice).await.expect("verify");
    assert!(me.handle.starts_with("@alice@"));
    let limits = mastodon.server_limits(&instance).await.expect("limits");
    assert!(limits.max_characters.unwrap_or(500) > 0);

    let stamp = uuid::Uuid::now_v7().simple().to_string();
    let picture = MediaFile {
        bytes: png(),
        mime: "image/png".into(),
        file_name: "pixels.png".into(),
        kind: MediaKind::Image,
        alt: "Three by two squares of colour".into(),
        width: 3,
        height: 2,
        public_url: None,
    };
    let request = PublishRequest {
        parts: vec![
            Part {
                text: format!("Thread start {stamp}"),
                media: vec![picture],
            },
            Part {
                text: format!("Second part {stamp}"),
                media: vec![],
            },
            Part {
                text: format!("Third part {stamp}"),
                media: vec![],
            },
        ],
        idempotency_key: stamp.clone(),
        ..PublishRequest::default()
    };
    let published = mastodon
        .publish(&mut alice, &request)
        .await
        .expect("publish");
    assert_eq!(published.parts.len(), 3);
    let first = published.parts[0].clone();

    let recent = mastodon.recent_posts(&mut alice, 20).await.expect("recent");
    let found = recent
        .iter()
        .find(|p| p.post.id == first.id)
        .expect("the first part is listed");
    assert_eq!(found.text, format!("Thread start {stamp}"));
    let second = recent
        .iter()
        .find(|p| p.post.id == published.parts[1].id)
        .expect("second part");
    assert_eq!(
        second.reply_to.as_deref(),
        Some(first.id.as_str()),
        "parts reply to the one before"
    );

    // Bob replies mentioning alice and likes the post; alice reads both.
    let reply = PublishRequest {
        parts: vec![Part {
            text: format!("@alice nice one {stamp}"),
            media: vec![],
        }],
        reply_to: Some(first.clone()),
        idempotency_key: format!("{stamp}-bob"),
        ..PublishRequest::default()
    };
    let answered = mastodon.publish(&mut bob, &reply).await.expect("reply");
    let like = browser()
        .post(format!("{base}/api/v1/statuses/{}/favourite", first.id))
        .bearer_auth(&bob.credentials.access_token)
        .send()
        .await
        .expect("favourite");
    assert!(like.status().is_success());
    let seen = eventually(40, "alice's notifications", || {
        let mastodon = mastodon.clone();
        let mut alice = alice.clone();
        let (stamp, first_id) = (stamp.clone(), first.id.clone());
        async move {
            let items = mastodon.interactions(&mut alice, 40).await.ok()?;
            let reply = items.iter().any(|i| {
                matches!(i.kind, InteractionKind::Reply | InteractionKind::Mention)
                    && i.author.handle.starts_with("@bob")
                    && i.text.as_deref().is_some_and(|t| t.contains(&stamp))
            });
            let liked = items.iter().any(|i| {
                i.kind == InteractionKind::Like && i.subject.as_deref() == Some(first_id.as_str())
            });
            (reply && liked).then_some(items)
        }
    })
    .await;
    assert!(!seen.is_empty());

    let bob_profile = mastodon.lookup(&mut alice, "bob", 5).await.expect("lookup");
    assert!(bob_profile.account.handle.starts_with("@bob"));
    assert!(
        bob_profile
            .recent
            .iter()
            .any(|p| p.post.id == answered.parts[0].id)
    );

    // Delete: gone from the account's posts; deleting another's post is refused.
    assert!(matches!(
        mastodon.delete(&mut bob, &first).await,
        Err(ConnectorError::Rejected { .. })
    ));
    for part in published.parts.iter().rev() {
        mastodon.delete(&mut alice, part).await.expect("delete");
    }
    mastodon
        .delete(&mut bob, &answered.parts[0])
        .await
        .expect("delete reply");
    let recent = mastodon.recent_posts(&mut alice, 40).await.expect("recent");
    assert!(
        recent.iter().all(|p| !p.text.contains(&stamp)),
        "all deleted"
    );

    // A bad token is an expired credential, on reads and on writes.
    let mut bad = Session::new(instance, Credentials::bearer("revoked"));
    assert!(matches!(
        mastodon.verify(&mut bad).await,
        Err(ConnectorError::AuthExpired { .. })
    ));
    let refused = mastodon
        .publish(&mut bad, &request)
        .await
        .expect_err("refused");
    assert!(
        matches!(refused.error, ConnectorError::AuthExpired { .. }),
        "{:?}",
        refused.error
    );
    assert!(refused.done.parts.is_empty());
}
