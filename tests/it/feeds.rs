//! RSS and Atom import through the API, on every database, against a real HTTP server the
//! test runs on 127.0.0.1: first polls import only the newest items, conditional GETs,
//! items seen twice or with a changed GUID, queue mode, and bad feeds that say why and make
//! nothing.

use std::time::Instant;

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::evergreen::daily_slots;
use crate::feed_server::{ATOM, FeedServer, rss};
use crate::publishing::{Setup, setup};
use crate::support::{TestApp, backends};

async fn add(s: &Setup, body: Value) -> crate::support::Reply {
    s.app
        .post(
            &format!("/api/v1/workspaces/{}/feeds", s.ws),
            &s.token,
            body,
        )
        .await
}

async fn posts(s: &Setup) -> Vec<Value> {
    s.app
        .get(&format!("/api/v1/workspaces/{}/posts", s.ws), &s.token)
        .await
        .json()["items"]
        .as_array()
        .unwrap()
        .clone()
}

fn texts(posts: &[Value]) -> Vec<String> {
    posts
        .iter()
        .map(|p| p["text"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn rss_items_become_drafts_once_each() {
    for backend in backends() {
        let s = setup(backend).await;
        let server = FeedServer::start().await;
        let week = [
            (
                "wp-104",
                "Spring blend is here",
                "https://acme.coffee/spring-blend",
                "Sat, 28 Feb 2026 09:00:00 +0000",
            ),
            (
                "wp-103",
                "Meet our growers",
                "https://acme.coffee/growers",
                "Thu, 26 Feb 2026 09:00:00 +0000",
            ),
            (
                "wp-102",
                "Cold brew at home",
                "https://acme.coffee/cold-brew",
                "Tue, 24 Feb 2026 09:00:00 +0000",
            ),
            (
                "wp-101",
                "Why we roast light",
                "https://acme.coffee/light",
                "Sun, 22 Feb 2026 09:00:00 +0000",
            ),
        ];
        server.put("feed/", "application/rss+xml; charset=UTF-8", rss(&week));
        let added = add(
            &s,
            json!({"url": server.url("feed/"), "channel_ids": [s.channel], "mode": "drafts", "first_poll_items": 2}),
        )
        .await;
        assert_eq!(added.status, StatusCode::CREATED, "{}", added.text());
        let feed = added.json();
        assert_eq!(feed["status"], "ok", "{feed}");
        assert_eq!(feed["title"], "Acme Coffee Journal");
        assert_eq!(feed["items_imported"], 2);
        // The first poll takes the two newest only; the older two are remembered.
        assert_eq!(
            texts(&posts(&s).await),
            [
                "Spring blend is here\n\nhttps://acme.coffee/spring-blend",
                "Meet our growers\n\nhttps://acme.coffee/growers",
            ]
        );
        let draft = &posts(&s).await[0];
        assert_eq!(draft["variants"][0]["state"], "draft");
        assert!(
            draft["notes"]
                .as_str()
                .unwrap()
                .contains("From the feed Acme Coffee Journal")
        );

        // Unchanged: the server answers 304 to the conditional GET.
        let poll = format!(
            "/api/v1/workspaces/{}/feeds/{}/poll",
            s.ws,
            feed["id"].as_str().unwrap()
        );
        let again = s.app.post(&poll, &s.token, json!({})).await;
        assert_eq!(again.status, StatusCode::OK, "{}", again.text());
        assert_eq!(server.not_modified(), 1);
        assert_eq!(posts(&s).await.len(), 2);

        // A new item; one item twice; one whose GUID changed (new blog engine) but whose
        // link stayed; an old one the first poll skipped: only the new one is imported.
        let mut next = vec![
            (
                "wp-105",
                "Latte art class",
                "https://acme.coffee/latte",
                "Sun, 01 Mar 2026 09:00:00 +0000",
            ),
            (
                "wp-105",
                "Latte art class",
                "https://acme.coffee/latte",
                "Sun, 01 Mar 2026 09:00:00 +0000",
            ),
            (
                "https://acme.coffee/?p=104",
                "Spring blend is here",
                "https://acme.coffee/spring-blend",
                "Sat, 28 Feb 2026 09:00:00 +0000",
            ),
        ];
        next.extend_from_slice(&week[1..]);
        server.put("feed/", "application/rss+xml; charset=UTF-8", rss(&next));
        let again = s.app.post(&poll, &s.token, json!({})).await.json();
        assert_eq!(again["items_imported"], 3, "{again}");
        let all = texts(&posts(&s).await);
        assert_eq!(all.len(), 3, "{all:?}");
        assert_eq!(all[0], "Latte art class\n\nhttps://acme.coffee/latte");

        // The periodic pass polls when the feed is due (an hour by default).
        s.app.clock.advance_ms(61 * 60_000);
        crate::evergreen::tick(&s).await;
        assert_eq!(server.not_modified(), 2);
        assert_eq!(posts(&s).await.len(), 3);

        let listed = s
            .app
            .get(&format!("/api/v1/workspaces/{}/feeds", s.ws), &s.token)
            .await
            .json();
        assert_eq!(listed["items"].as_array().unwrap().len(), 1);
        let dup = add(
            &s,
            json!({"url": server.url("feed/"), "channel_ids": [s.channel], "mode": "drafts"}),
        )
        .await;
        assert_eq!(dup.status, StatusCode::CONFLICT);
        let gone = s
            .app
            .delete(
                &format!(
                    "/api/v1/workspaces/{}/feeds/{}",
                    s.ws,
                    feed["id"].as_str().unwrap()
                ),
                &s.token,
            )
            .await;
        assert_eq!(gone.status, StatusCode::NO_CONTENT);
        assert_eq!(posts(&s).await.len(), 3, "the posts a feed made stay");
    }
}

#[tokio::test]
async fn atom_items_go_into_the_queue() {
    for backend in backends() {
        let s = setup(backend).await;
        daily_slots(&s).await;
        let server = FeedServer::start().await;
        server.put("atom.xml", "application/atom+xml", ATOM.to_owned());
        let feed = add(
            &s,
            json!({"url": server.url("atom.xml"), "channel_ids": [s.channel], "mode": "queue"}),
        )
        .await
        .json();
        assert_eq!(feed["status"], "ok", "{feed}");
        assert_eq!(feed["items_imported"], 2);
        let queued = posts(&s).await;
        // Oldest first into the queue: Monday, then Tuesday.
        let by_text = |t: &str| {
            queued
                .iter()
                .find(|p| p["text"].as_str().unwrap().starts_with(t))
                .unwrap()
                .clone()
        };
        let older = by_text("Measuring bean moisture");
        let newer = by_text("Our roaster's new firmware");
        assert_eq!(older["variants"][0]["state"], "scheduled");
        assert_eq!(older["variants"][0]["scheduled_at"], "2026-03-02T08:00:00Z");
        assert_eq!(newer["variants"][0]["scheduled_at"], "2026-03-03T08:00:00Z");
        assert_eq!(
            newer["text"],
            "Our roaster's new firmware\n\nhttps://eng.acme.coffee/2026/02/firmware"
        );
    }
}

#[tokio::test]
async fn bad_feeds_say_why_and_make_nothing() {
    for backend in backends() {
        let s = setup(backend).await;
        let server = FeedServer::start().await;
        server.put(
            "blog",
            "text/html; charset=utf-8",
            "<!DOCTYPE html><html><head><title>Acme blog</title></head><body><h1>Blog</h1></body></html>".into(),
        );
        server.put(
            "junk.xml",
            "application/xml",
            "<?xml version=\"1.0\"?><catalog><book/></catalog>".into(),
        );
        for (path, expected) in [
            ("blog", "serves a web page, not an RSS or Atom feed"),
            ("missing.xml", "answered 404"),
            ("huge.xml", "larger than 5 MB"),
            ("slow.xml", "did not answer within 1 seconds"),
            ("junk.xml", "not an RSS or Atom feed"),
        ] {
            let added = add(
                &s,
                json!({"url": server.url(path), "channel_ids": [s.channel], "mode": "drafts"}),
            )
            .await;
            assert_eq!(added.status, StatusCode::CREATED, "{}", added.text());
            let feed = added.json();
            assert_eq!(feed["status"], "error", "{path}: {feed}");
            let error = feed["error"].as_str().unwrap();
            assert!(error.contains(expected), "{path}: {error}");
            assert_eq!(feed["items_imported"], 0);
        }
        assert!(posts(&s).await.is_empty(), "nothing created");

        let (_, outsider) = s.app.user("outsider@example.com").await;
        let other_ws = s.app.workspace(&outsider, "Other").await;
        let theirs =
            crate::support::test_app::channel(&s.app, &outsider, &other_ws, "mastodon").await;
        for (body, fields) in [
            (
                json!({"url": "", "channel_ids": [s.channel], "mode": "drafts"}),
                vec!["url"],
            ),
            (
                json!({"url": "ftp://acme.coffee/feed", "channel_ids": [], "mode": "sometimes"}),
                vec!["url", "mode", "channel_ids"],
            ),
            (
                json!({"url": format!("https://acme.coffee/{}", "x".repeat(3000)), "channel_ids": [theirs], "mode": "queue", "first_poll_items": 51, "poll_interval_minutes": 1}),
                vec![
                    "url",
                    "channel_ids[0]",
                    "first_poll_items",
                    "poll_interval_minutes",
                ],
            ),
        ] {
            let refused = add(&s, body).await;
            assert_eq!(
                refused.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{}",
                refused.text()
            );
            assert_eq!(refused.error_fields(), fields);
        }
    }
}

#[tokio::test]
async fn internal_feed_addresses_are_refused_without_allow_private_hosts() {
    for backend in backends() {
        let app = TestApp::new(backend).await;
        let (_, token) = app.user("owner@example.com").await;
        let ws = app.workspace(&token, "Acme").await;
        let channel = crate::support::test_app::channel(&app, &token, &ws, "mastodon").await;
        for url in [
            "http://127.0.0.1:9/feed",
            "http://169.254.169.254/latest",
            "http://localhost/feed",
        ] {
            let refused = app
                .post(
                    &format!("/api/v1/workspaces/{ws}/feeds"),
                    &token,
                    json!({"url": url, "channel_ids": [channel], "mode": "drafts"}),
                )
                .await;
            assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{url}");
            assert!(
                refused.text().contains("internal address"),
                "{}",
                refused.text()
            );
        }
    }
}

/// Not an assertion on speed: prints what polling a 500-item feed costs (BENCHMARKS.md).
#[tokio::test]
async fn a_500_item_feed_is_polled_in_one_pass() {
    for backend in backends() {
        let s = setup(backend).await;
        let server = FeedServer::start().await;
        let items: Vec<(String, String, String, String)> = (0..500)
            .map(|i| {
                (
                    format!("post-{i}"),
                    format!("Item number {i}"),
                    format!("https://acme.coffee/{i}"),
                    format!("Sun, 01 Feb 2026 {:02}:{:02}:00 +0000", i / 60 % 24, i % 60),
                )
            })
            .collect();
        let refs: Vec<(&str, &str, &str, &str)> = items
            .iter()
            .map(|(a, b, c, d)| (a.as_str(), b.as_str(), c.as_str(), d.as_str()))
            .collect();
        let body = rss(&refs);
        let bytes = body.len();
        server.put("big.xml", "application/rss+xml", body);
        let started = Instant::now();
        let feed = add(
            &s,
            json!({"url": server.url("big.xml"), "channel_ids": [s.channel], "mode": "drafts", "first_poll_items": 50}),
        )
        .await
        .json();
        let first = started.elapsed();
        assert_eq!(feed["items_imported"], 50, "{feed}");
        // A changed document (new ETag) with every item already seen.
        server.put(
            "big.xml",
            "application/rss+xml",
            rss(&refs).replace("Roasting notes", "Roasting notes!"),
        );
        let poll = format!(
            "/api/v1/workspaces/{}/feeds/{}/poll",
            s.ws,
            feed["id"].as_str().unwrap()
        );
        let started = Instant::now();
        let again = s.app.post(&poll, &s.token, json!({})).await.json();
        let second = started.elapsed();
        assert_eq!(again["items_imported"], 50);
        println!(
            "feed of 500 items ({} KB) on {}: first poll (50 drafts made, 450 remembered) {:?}; \
             poll of the changed document with all 500 seen {:?}",
            bytes / 1024,
            s.app.services().db.backend_name(),
            first,
            second
        );
    }
}
