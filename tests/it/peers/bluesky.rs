//! The Bluesky connector against @atproto/dev-env's full network (PLC, PDS, AppView):
//! connect with an app password through Herald's API, publish text with facets, an image
//! with alt text and its aspect ratio, a thread, a link card and a reply, read them and the
//! notifications a second account causes, delete, a bad token, and an expired access token
//! renewed.

use axum::http::StatusCode;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use herald::connectors::bluesky::Bluesky;
use herald::connectors::model::{
    InteractionKind, LinkCard, MediaFile, Part, PublishRequest, RemoteRef,
};
use herald::connectors::{Connector, ConnectorError, Session};
use herald::domain::media::MediaKind;
use serde_json::{Value, json};
use url::Url;

use super::{browser, env, eventually, http, png};
use crate::support::{TestApp, backends};

/// dev-env's PDS signs access tokens with this HS256 secret (`@atproto/dev-env`
/// `const.ts`, `JWT_SECRET`); the test uses it to make an expired token the PDS accepts as
/// its own.
const DEV_ENV_JWT_SECRET: &[u8] = b"jwt-secret";

pub struct Person {
    pub handle: String,
    pub app_password: String,
}

/// A new account on the PDS and an app password for it.
pub async fn person(pds: &str, name: &str) -> Person {
    let suffix = &uuid::Uuid::now_v7().simple().to_string()[20..];
    let handle = format!("{name}-{suffix}.test");
    let password = format!("pw-{suffix}");
    let client = browser();
    let created: Value = client
        .post(format!("{pds}/xrpc/com.atproto.server.createAccount"))
        .json(&json!({"handle": handle, "email": format!("{name}-{suffix}@example.test"), "password": password}))
        .send()
        .await
        .expect("createAccount")
        .json()
        .await
        .expect("json");
    let access = created["accessJwt"].as_str().expect("accessJwt");
    let app: Value = client
        .post(format!("{pds}/xrpc/com.atproto.server.createAppPassword"))
        .bearer_auth(access)
        .json(&json!({"name": "herald"}))
        .send()
        .await
        .expect("createAppPassword")
        .json()
        .await
        .expect("json");
    Person {
        handle,
        app_password: app["password"].as_str().expect("app password").to_owned(),
    }
}

/// The same access token, expired an hour ago.
fn expired(jwt: &str) -> String {
    let mut parts = jwt.split('.');
    let (header, payload) = (parts.next().unwrap(), parts.next().unwrap());
    let mut claims: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
    let now = jiff::Timestamp::now().as_second();
    claims["iat"] = json!(now - 7200);
    claims["exp"] = json!(now - 3600);
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims).unwrap());
    let signing_input = format!("{header}.{payload}");
    let signature = URL_SAFE_NO_PAD.encode(herald::crypto::hmac::sha256(
        DEV_ENV_JWT_SECRET,
        signing_input.as_bytes(),
    ));
    format!("{signing_input}.{signature}")
}

#[tokio::test]
async fn channels_connect_with_an_app_password() {
    let Some(pds) = env("HERALD_PEER_BSKY_PDS") else {
        return;
    };
    let alice = person(&pds, "alice").await;
    for backend in backends() {
        let app = TestApp::with_config(backend, |c| c.allow_private_hosts = true).await;
        let (_, token) = app.user("owner@example.com").await;
        let ws = app.workspace(&token, "Acme").await;
        let channels = format!("/api/v1/workspaces/{ws}/channels");
        let body = json!({"network": "bluesky", "service_url": pds, "identifier": alice.handle, "app_password": alice.app_password});
        let connected = app.post(&channels, &token, body.clone()).await;
        assert_eq!(
            connected.status,
            StatusCode::CREATED,
            "{}",
            connected.text()
        );
        let channel = connected.json();
        assert_eq!(channel["handle"], format!("@{}", alice.handle));
        assert!(
            channel["remote_id"]
                .as_str()
                .unwrap()
                .starts_with("did:plc:")
        );
        assert_eq!(channel["health"], "ok");
        assert!(
            channel["token_expires_at"].is_string(),
            "read from the token: {channel}"
        );
        let again = app.post(&channels, &token, body).await.json();
        assert_eq!(again["id"], channel["id"], "reconnected in place");

        let wrong = app
            .post(&channels, &token, json!({"network": "bluesky", "service_url": pds, "identifier": alice.handle, "app_password": "wrong-pass-word"}))
            .await;
        assert_eq!(
            wrong.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            wrong.text()
        );
        assert_eq!(wrong.error_fields(), ["app_password"]);
        let not_pds = app
            .post(&channels, &token, json!({"network": "bluesky", "service_url": "http://127.0.0.1:9", "identifier": "x.test", "app_password": "p"}))
            .await;
        assert_eq!(
            not_pds.error_fields(),
            ["service_url"],
            "{}",
            not_pds.text()
        );

        let id = channel["id"].as_str().unwrap();

        // The periodic job renews the access token in its last fifteen minutes, once.
        let expires = channel["token_expires_at"]
            .as_str()
            .unwrap()
            .parse::<jiff::Timestamp>()
            .expect("expiry")
            .as_millisecond();
        let now = app.services().now_ms();
        let none = app
            .services()
            .refresh_expiring_tokens()
            .await
            .expect("refresh");
        assert_eq!(none, herald::services::Refreshed::default(), "not due yet");
        app.clock.advance_ms(expires - 10 * 60_000 - now);
        let pass = app
            .services()
            .refresh_expiring_tokens()
            .await
            .expect("refresh");
        assert_eq!((pass.renewed, pass.failed), (1, 0));
        let again = app
            .services()
            .refresh_expiring_tokens()
            .await
            .expect("refresh");
        assert_eq!(again.renewed, 0, "claimed by the first pass");

        let checked = app
            .post(&format!("{channels}/{id}/check"), &token, json!({}))
            .await;
        assert_eq!(checked.status, StatusCode::OK, "{}", checked.text());
        let looked = app
            .get(
                &format!("{channels}/{id}/lookup?handle={}", alice.handle),
                &token,
            )
            .await;
        assert_eq!(looked.status, StatusCode::OK, "{}", looked.text());
        assert_eq!(
            looked.json()["account"]["handle"],
            format!("@{}", alice.handle)
        );
    }
}

#[tokio::test]
async fn the_connector_publishes_reads_renews_and_deletes() {
    let Some(pds) = env("HERALD_PEER_BSKY_PDS") else {
        return;
    };
    let service = Url::parse(&pds).expect("url");
    let bluesky = Bluesky::new(http());
    let (alice, bob) = (person(&pds, "alice").await, person(&pds, "bob").await);
    let mut a = bluesky
        .sign_in(&service, &alice.handle, &alice.app_password)
        .await
        .expect("alice");
    let mut b = bluesky
        .sign_in(&service, &bob.handle, &bob.app_password)
        .await
        .expect("bob");
    // A new account's profile reaches the AppView a moment after the account exists.
    let me = eventually(20, "alice's profile indexed", || {
        let (bluesky, mut a) = (bluesky.clone(), a.clone());
        async move { bluesky.verify(&mut a).await.ok() }
    })
    .await;
    assert_eq!(me.handle, format!("@{}", alice.handle));

    let stamp = &uuid::Uuid::now_v7().simple().to_string()[16..];
    let picture = MediaFile {
        bytes: png(),
        mime: "image/png".into(),
        file_name: "p.png".into(),
        kind: MediaKind::Image,
        alt: "Three by two squares of colour".into(),
        width: 3,
        height: 2,
        public_url: None,
    };
    let thread = PublishRequest {
        parts: vec![
            Part {
                text: format!("Hello @{} #herald {stamp}", bob.handle),
                media: vec![picture],
            },
            Part {
                text: format!("Second {stamp}"),
                media: vec![],
            },
            Part {
                text: format!("Third {stamp}"),
                media: vec![],
            },
        ],
        idempotency_key: format!("thread-{stamp}"),
        first_attempt_ms: jiff::Timestamp::now().as_millisecond(),
        ..PublishRequest::default()
    };
    let published = bluesky.publish(&mut a, &thread).await.expect("publish");
    assert_eq!(published.parts.len(), 3);
    // A retry of the same publish finds the records under the same keys: no duplicates.
    let retried = bluesky.publish(&mut a, &thread).await.expect("retry");
    assert_eq!(retried.parts, published.parts);

    // The record as stored: facets with byte offsets, the image with alt text and ratio.
    let first = &published.parts[0];
    let rkey = first.id.rsplit('/').next().unwrap();
    let did = me.remote_id.clone();
    let record: Value = browser()
        .get(format!("{pds}/xrpc/com.atproto.repo.getRecord?repo={did}&collection=app.bsky.feed.post&rkey={rkey}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let value = &record["value"];
    let features: Vec<&str> = value["facets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["features"][0]["$type"].as_str().unwrap())
        .collect();
    assert_eq!(
        features,
        [
            "app.bsky.richtext.facet#mention",
            "app.bsky.richtext.facet#tag"
        ]
    );
    assert_eq!(
        value["embed"]["images"][0]["alt"],
        "Three by two squares of colour"
    );
    assert_eq!(
        value["embed"]["images"][0]["aspectRatio"],
        json!({"width": 3, "height": 2})
    );

    // A link card with its thumbnail, as an external embed.
    let card = PublishRequest {
        parts: vec![Part {
            text: format!("Read this {stamp}"),
            media: vec![],
        }],
        link_card: Some(LinkCard {
            url: "https://acme.coffee/roast".into(),
            title: "Fresh roast".into(),
            description: "Beans of the week".into(),
            thumb: Some(MediaFile {
                bytes: png(),
                mime: "image/png".into(),
                file_name: "t.png".into(),
                kind: MediaKind::Image,
                alt: String::new(),
                width: 3,
                height: 2,
                public_url: None,
            }),
        }),
        idempotency_key: format!("card-{stamp}"),
        first_attempt_ms: jiff::Timestamp::now().as_millisecond(),
        ..PublishRequest::default()
    };
    let carded = bluesky.publish(&mut a, &card).await.expect("card");

    // The AppView indexes; then bob replies and likes, and alice reads it all.
    let own = eventually(20, "alice's posts indexed", || {
        let (bluesky, mut a) = (bluesky.clone(), a.clone());
        async move {
            let posts = bluesky.recent_posts(&mut a, 20).await.ok()?;
            (posts.len() >= 4).then_some(posts)
        }
    })
    .await;
    let listed = own
        .iter()
        .find(|p| p.post.id == published.parts[1].id)
        .expect("second part");
    assert_eq!(listed.reply_to.as_deref(), Some(first.id.as_str()));
    assert!(own.iter().any(|p| p.post.id == carded.parts[0].id));

    let reply = PublishRequest {
        parts: vec![Part {
            text: format!("Thanks {stamp}"),
            media: vec![],
        }],
        reply_to: Some(RemoteRef {
            id: published.parts[2].id.clone(),
            url: None,
            cid: published.parts[2].cid.clone(),
        }),
        idempotency_key: format!("reply-{stamp}"),
        first_attempt_ms: jiff::Timestamp::now().as_millisecond(),
        ..PublishRequest::default()
    };
    let answered = bluesky.publish(&mut b, &reply).await.expect("reply");
    let bob_did = b.credentials.extra["did"].clone();
    let like = json!({"repo": bob_did, "collection": "app.bsky.feed.like", "record": {
        "$type": "app.bsky.feed.like", "createdAt": jiff::Timestamp::now().to_string(),
        "subject": {"uri": first.id, "cid": first.cid}}});
    let liked = browser()
        .post(format!("{pds}/xrpc/com.atproto.repo.createRecord"))
        .bearer_auth(&b.credentials.access_token)
        .json(&like)
        .send()
        .await
        .unwrap();
    assert!(liked.status().is_success());
    eventually(20, "alice's notifications", || {
        let (bluesky, mut a, answered) = (bluesky.clone(), a.clone(), answered.clone());
        let bob_handle = format!("@{}", bob.handle);
        async move {
            let items = bluesky.interactions(&mut a, 50).await.ok()?;
            let replied = items.iter().any(|i| {
                i.kind == InteractionKind::Reply
                    && i.post.as_ref().map(|p| &p.id) == Some(&answered.parts[0].id)
            });
            let liked = items
                .iter()
                .any(|i| i.kind == InteractionKind::Like && i.author.handle == bob_handle);
            (replied && liked).then_some(())
        }
    })
    .await;
    // Bob was mentioned in the first part.
    eventually(20, "bob's mention", || {
        let (bluesky, mut b) = (bluesky.clone(), b.clone());
        async move {
            let items = bluesky.interactions(&mut b, 50).await.ok()?;
            items
                .iter()
                .any(|i| i.kind == InteractionKind::Mention)
                .then_some(())
        }
    })
    .await;

    // An expired access token is renewed with the refresh token, and the caller is told.
    let mut stale = a.clone();
    stale.credentials.access_token = expired(&a.credentials.access_token);
    stale.changed = false;
    let profile = bluesky.verify(&mut stale).await.expect("renewed");
    assert_eq!(profile.remote_id, did);
    assert!(stale.changed, "the new tokens must be stored");
    assert_ne!(stale.credentials.access_token, a.credentials.access_token);

    // Delete; another account's post is refused.
    assert!(matches!(
        bluesky.delete(&mut b, first).await,
        Err(ConnectorError::Rejected { .. })
    ));
    for part in published.parts.iter().chain(&carded.parts) {
        bluesky.delete(&mut a, part).await.expect("delete");
    }
    eventually(20, "deletions indexed", || {
        let (bluesky, mut a) = (bluesky.clone(), a.clone());
        async move {
            let posts = bluesky.recent_posts(&mut a, 20).await.ok()?;
            posts.is_empty().then_some(())
        }
    })
    .await;

    // A token that is not the PDS's is refused as credentials; with no password to fall back
    // on, the channel needs reconnecting.
    let mut bad = Session::new(a.base_url.clone(), a.credentials.clone());
    bad.credentials.access_token = "garbage".into();
    bad.credentials.refresh_token = Some("garbage".into());
    bad.credentials.extra.remove("app_password");
    assert!(matches!(
        bluesky.verify(&mut bad).await,
        Err(ConnectorError::AuthExpired { .. })
    ));
}
