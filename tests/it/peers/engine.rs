//! A post written once, tailored into a thread with a picture, scheduled, and published on
//! time by the engine to the real local Mastodon (snac2) and Bluesky (dev-env) servers;
//! then read back from both networks. And a contributor's post approved by a client
//! through a review link, published the same way.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::{Value, json};

use super::bluesky::{Person, person};
use super::mastodon::token_for;
use super::{env, eventually, png};
use crate::support::{TestApp, backends};

/// Connects the Mastodon account behind `snac`'s token and the Bluesky `person` to `ws`;
/// their channel ids, Mastodon first.
async fn connect_both(
    app: &TestApp,
    token: &str,
    ws: &str,
    (snac, snac_token): (&str, &str),
    (pds, person): (&str, &Person),
) -> Vec<String> {
    let channels = format!("/api/v1/workspaces/{ws}/channels");
    let mut ids = Vec::new();
    for body in [
        json!({"network": "mastodon", "instance_url": snac, "access_token": snac_token}),
        json!({"network": "bluesky", "service_url": pds, "identifier": person.handle, "app_password": person.app_password}),
    ] {
        let connected = app.post(&channels, token, body).await;
        assert_eq!(
            connected.status,
            StatusCode::CREATED,
            "{}",
            connected.text()
        );
        ids.push(connected.json()["id"].as_str().unwrap().to_owned());
    }
    ids
}

#[tokio::test]
async fn a_scheduled_thread_with_a_picture_goes_out_on_time_to_both_networks() {
    let (Some(snac), Some(alice_pw), Some(pds)) = (
        env("HERALD_PEER_SNAC_URL"),
        env("HERALD_PEER_SNAC_ALICE_PASSWORD"),
        env("HERALD_PEER_BSKY_PDS"),
    ) else {
        return;
    };
    let snac_token = token_for(&snac, "alice", &alice_pw).await;
    let carol = person(&pds, "carol").await;
    for backend in backends() {
        let app = TestApp::with_config(backend, |c| c.allow_private_hosts = true).await;
        let (_, token) = app.user("owner@example.com").await;
        let ws = app.workspace(&token, "Acme").await;
        let channels = format!("/api/v1/workspaces/{ws}/channels");
        let ids = connect_both(&app, &token, &ws, (&snac, &snac_token), (&pds, &carol)).await;
        let picture = crate::media::upload(
            &app,
            &token,
            &ws,
            &[("alt_text", "Three by two squares of colour")],
            Some(("squares.png", &png())),
        )
        .await;
        assert_eq!(picture.status, StatusCode::CREATED, "{}", picture.text());
        let stamp = uuid::Uuid::now_v7().simple().to_string();
        let first = format!("Engine test {stamp}: roasting starts at nine.");
        let created = app
            .post(
                &format!("/api/v1/workspaces/{ws}/posts"),
                &token,
                json!({"text": first, "channel_ids": ids, "media_ids": [picture.json()["id"]],
                       "scheduled_at": "2026-03-01T14:00:00+01:00", "time_zone": "Europe/Paris"}),
            )
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
        let post = created.json();
        let post_id = post["id"].as_str().unwrap().to_owned();
        for v in post["variants"].as_array().unwrap() {
            assert_eq!(v["state"], "scheduled", "{v}");
            let thread = app
                .patch(
                    &format!(
                        "/api/v1/workspaces/{ws}/posts/{post_id}/variants/{}",
                        v["id"].as_str().unwrap()
                    ),
                    &token,
                    json!({"parts": [first, format!("And the second part of {stamp}.")]}),
                )
                .await;
            assert_eq!(thread.status, StatusCode::OK, "{}", thread.text());
        }

        assert_eq!(app.run_jobs().await, 0, "nothing before its time");
        // 14:00 in Paris is 13:00 UTC, an hour after the test clock's start.
        app.clock.advance_ms(3_600_000);
        assert_eq!(app.run_jobs().await, 2);
        let done = app
            .get(&format!("/api/v1/workspaces/{ws}/posts/{post_id}"), &token)
            .await
            .json();
        assert_eq!(done["state"], "published", "{done}");
        for v in done["variants"].as_array().unwrap() {
            assert!(v["remote_url"].is_string(), "{v}");
            assert_eq!(v["attempts"], 1);
        }

        // Read back from each network: both parts, the second replying to the first, and
        // the picture's description.
        for id in &ids {
            let recent: Value = eventually(20, "the thread on the network", || async {
                let reply = app
                    .get(&format!("{channels}/{id}/remote-posts?limit=10"), &token)
                    .await;
                let items = reply.json()["items"].as_array().cloned()?;
                let mine: Vec<Value> = items
                    .into_iter()
                    .filter(|p| p["text"].as_str().is_some_and(|t| t.contains(&stamp)))
                    .collect();
                (mine.len() == 2).then(|| json!(mine))
            })
            .await;
            let parts = recent.as_array().unwrap();
            let reply = parts
                .iter()
                .find(|p| p["text"].as_str().unwrap().contains("second part"))
                .unwrap();
            let opener = parts
                .iter()
                .find(|p| p["text"].as_str().unwrap().contains("roasting"))
                .unwrap();
            assert_eq!(reply["reply_to"], opener["post"]["id"], "{recent}");
        }
    }
}

/// The story, end to end: a contributor writes a post and sends it for review, a
/// client without an account approves it through a review link, and at its time it goes
/// out once to the real Mastodon-API server and the real Bluesky PDS.
#[tokio::test]
async fn a_contributors_post_approved_through_a_client_link_goes_out_to_both_networks() {
    let (Some(snac), Some(alice_pw), Some(pds)) = (
        env("HERALD_PEER_SNAC_URL"),
        env("HERALD_PEER_SNAC_ALICE_PASSWORD"),
        env("HERALD_PEER_BSKY_PDS"),
    ) else {
        return;
    };
    let snac_token = token_for(&snac, "alice", &alice_pw).await;
    let dave = person(&pds, "dave").await;
    for backend in backends() {
        let app = TestApp::with_config(backend, |c| c.allow_private_hosts = true).await;
        let (_, owner) = app.user("owner@example.com").await;
        let ws = app.workspace(&owner, "Acme").await;
        let (_, contributor) = app.user("writer@example.com").await;
        app.join(&owner, &ws, &contributor, "contributor").await;
        let channels = format!("/api/v1/workspaces/{ws}/channels");
        let ids = connect_both(&app, &owner, &ws, (&snac, &snac_token), (&pds, &dave)).await;

        let stamp = uuid::Uuid::now_v7().simple().to_string();
        let text = format!("Reviewed {stamp}: the autumn blend is back.");
        let posts = format!("/api/v1/workspaces/{ws}/posts");
        let created = app
            .post(
                &posts,
                &contributor,
                json!({"text": text, "channel_ids": ids}),
            )
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
        let post = created.json()["id"].as_str().unwrap().to_owned();
        let direct = app
            .post(
                &format!("{posts}/{post}/publish-now"),
                &contributor,
                json!({}),
            )
            .await;
        assert_eq!(
            direct.status,
            StatusCode::FORBIDDEN,
            "contributors go through review"
        );
        // 14:00 UTC, two hours after the test clock's start.
        let submitted = app
            .post(
                &format!("{posts}/{post}/submit"),
                &contributor,
                json!({"at": "2026-03-01T14:00:00Z"}),
            )
            .await;
        assert_eq!(submitted.status, StatusCode::OK, "{}", submitted.text());
        assert_eq!(submitted.json()["state"], "in_review");

        let made = app
            .post(&format!("{posts}/{post}/review-links"), &owner, json!({}))
            .await;
        assert_eq!(made.status, StatusCode::CREATED, "{}", made.text());
        let url = made.json()["url"].as_str().unwrap().to_owned();
        let token = url.rsplit('/').next().unwrap().to_owned();
        let opened = app
            .send(
                Request::builder()
                    .uri(format!("/review/{token}"))
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(opened.status, StatusCode::OK, "{}", opened.text());
        assert!(opened.text().contains(&text), "the client sees the post");
        let form = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs([
                (
                    "form_token",
                    crate::review_links::form_token(&opened).as_str(),
                ),
                ("decision", "approve"),
                ("name", "Ana Souza"),
            ])
            .finish();
        let approved = app
            .send(
                Request::builder()
                    .method(Method::POST)
                    .uri(format!("/review/{token}/decide"))
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(Body::from(form))
                    .unwrap(),
            )
            .await;
        assert_eq!(
            approved.status,
            StatusCode::SEE_OTHER,
            "{}",
            approved.text()
        );

        assert_eq!(app.run_jobs().await, 0, "nothing before its time");
        app.clock.advance_ms(2 * 3_600_000);
        assert_eq!(app.run_jobs().await, 2);
        let done = app.get(&format!("{posts}/{post}"), &owner).await.json();
        assert_eq!(done["state"], "published", "{done}");
        for id in &ids {
            let found: Value = eventually(20, "the post on the network", || async {
                let reply = app
                    .get(&format!("{channels}/{id}/remote-posts?limit=10"), &owner)
                    .await;
                let items = reply.json()["items"].as_array().cloned()?;
                let mine: Vec<Value> = items
                    .into_iter()
                    .filter(|p| p["text"].as_str().is_some_and(|t| t.contains(&stamp)))
                    .collect();
                (!mine.is_empty()).then(|| json!(mine))
            })
            .await;
            assert_eq!(found.as_array().unwrap().len(), 1, "once: {found}");
        }
    }
}
