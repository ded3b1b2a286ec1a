//! A post written once, tailored into a thread with a picture, scheduled, and published on
//! time by the engine to the real local Mastodon (snac2) and Bluesky (dev-env) servers;
//! then read back from both networks.

use axum::http::StatusCode;
use serde_json::{Value, json};

use super::bluesky::person;
use super::mastodon::token_for;
use super::{env, eventually, png};
use crate::support::{TestApp, backends};

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
        let mut ids = Vec::new();
        for body in [
            json!({"network": "mastodon", "instance_url": snac, "access_token": snac_token}),
            json!({"network": "bluesky", "service_url": pds, "identifier": carol.handle, "app_password": carol.app_password}),
        ] {
            let connected = app.post(&channels, &token, body).await;
            assert_eq!(
                connected.status,
                StatusCode::CREATED,
                "{}",
                connected.text()
            );
            ids.push(connected.json()["id"].as_str().unwrap().to_owned());
        }
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
