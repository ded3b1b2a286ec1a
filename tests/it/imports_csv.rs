//! Importing posts from CSV, on every database: all rows checked first, every problem
//! reported as (row, column, problem), nothing created unless the whole file is good, and
//! each post created told to the webhooks (`post.created`).

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use herald::storage::Db;
use serde_json::json;

use crate::support::fake_mastodon::FakeMastodon;
use crate::support::{Reply, TestApp, backends};

struct Setup {
    app: TestApp,
    token: String,
    ws: String,
    channel: String,
    handle: String,
    _fake: FakeMastodon,
}

async fn setup(backend: crate::support::Backend) -> Setup {
    let fake = FakeMastodon::start(Duration::ZERO).await;
    let app = TestApp::with_config(backend, |c| {
        c.allow_private_hosts = true;
        c.connector_timeout_secs = 1;
    })
    .await;
    let (_, token) = app.user("owner@example.com").await;
    let ws = app.workspace(&token, "Acme").await;
    let connected = app
        .post(
            &format!("/api/v1/workspaces/{ws}/channels"),
            &token,
            json!({"network": "mastodon", "instance_url": fake.url(), "access_token": "token-alice"}),
        )
        .await;
    assert_eq!(
        connected.status,
        StatusCode::CREATED,
        "{}",
        connected.text()
    );
    let got = connected.json();
    Setup {
        app,
        token,
        ws,
        channel: got["id"].as_str().unwrap().to_owned(),
        handle: got["handle"].as_str().unwrap().to_owned(),
        _fake: fake,
    }
}

impl Setup {
    async fn import(&self, csv: impl Into<Vec<u8>>) -> Reply {
        let request = Request::post(format!("/api/v1/workspaces/{}/imports/posts.csv", self.ws))
            .header(header::AUTHORIZATION, format!("Bearer {}", self.token))
            .header(header::CONTENT_TYPE, "text/csv")
            .body(Body::from(csv.into()))
            .unwrap();
        self.app.send(request).await
    }

    async fn count(&self, sql: &'static str) -> i64 {
        match &self.app.services().db {
            Db::Sqlite(p) => sqlx::query_scalar(sql).fetch_one(p).await.unwrap(),
            Db::Postgres(p) => sqlx::query_scalar(sql).fetch_one(p).await.unwrap(),
        }
    }

    async fn posts(&self) -> i64 {
        self.count("SELECT COUNT(*) FROM posts").await
    }
}

fn problems(reply: &Reply) -> Vec<(Option<i64>, Option<String>, String)> {
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.text()
    );
    assert_eq!(reply.content_type(), "application/problem+json");
    reply.json()["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["row"].as_i64(),
                e["column"].as_str().map(str::to_owned),
                e["problem"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// `n` good rows: a local time in the file's zone column every other row.
fn rows(n: usize, channel: &str) -> String {
    let mut out = String::from("text,channels,time,time_zone,tags\n");
    for i in 0..n {
        let day = 2 + i % 25;
        if i % 2 == 0 {
            out.push_str(&format!(
                "\"Post {i}, with a comma\",{channel},2026-03-{day:02}T09:30:00Z,,import|batch\n"
            ));
        } else {
            out.push_str(&format!(
                "Post {i},{channel},2026-03-{day:02} 09:30,America/New_York,\n"
            ));
        }
    }
    out
}

#[tokio::test]
async fn a_thousand_rows_become_a_thousand_scheduled_posts() {
    for backend in backends() {
        let name = match &backend {
            crate::support::Backend::Sqlite => "SQLite",
            crate::support::Backend::Postgres(_) => "PostgreSQL",
        };
        let s = setup(backend).await;
        let csv = rows(1_000, &s.handle);
        let started = Instant::now();
        let reply = s.import(csv).await;
        let took = started.elapsed();
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
        println!("importing 1,000 CSV rows on {name}: {took:?}");
        let body = reply.json();
        assert_eq!(body["created"], 1_000);
        assert_eq!(body["post_ids"].as_array().unwrap().len(), 1_000);
        assert_eq!(s.posts().await, 1_000);
        assert_eq!(
            s.count("SELECT COUNT(*) FROM variants WHERE state = 'scheduled'")
                .await,
            1_000
        );
        assert_eq!(
            s.count(
                "SELECT COUNT(*) FROM jobs WHERE kind = 'publish_variant' AND state = 'queued'"
            )
            .await,
            1_000
        );
        assert_eq!(
            s.count("SELECT COUNT(*) FROM tags").await,
            2,
            "tags created once"
        );

        let second = body["post_ids"][1].as_str().unwrap();
        let post = s
            .app
            .get(
                &format!("/api/v1/workspaces/{}/posts/{second}", s.ws),
                &s.token,
            )
            .await
            .json();
        let v = &post["variants"][0];
        assert_eq!(v["state"], "scheduled");
        assert_eq!(v["channel_id"], s.channel.as_str());
        // 09:30 in New York on 3 March 2026 (EST, UTC-5).
        assert_eq!(v["scheduled_at"], "2026-03-03T14:30:00Z");
        assert_eq!(v["time_zone"], "America/New_York");
    }
}

#[tokio::test]
async fn every_bad_row_is_reported_and_nothing_is_created() {
    for backend in backends() {
        let s = setup(backend).await;
        let mut lines: Vec<String> = rows(800, &s.handle).lines().map(str::to_owned).collect();
        lines[3] = "Third,@nobody|@nobody2,2026-03-05T10:00:00Z,,".into();
        lines[700] = "Seven hundredth,".to_owned() + &s.handle + ",yesterday-ish,,";
        lines[750] = format!("Queued,{},queue,,", s.handle);
        lines[760] = format!(",{},2026-02-01T10:00:00Z,,", s.handle);
        let reply = s.import(lines.join("\n")).await;
        let found = problems(&reply);
        let at = |row: i64, column: &str| {
            found
                .iter()
                .filter(|(r, c, _)| *r == Some(row) && c.as_deref() == Some(column))
                .map(|(_, _, p)| p.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(at(3, "channels").len(), 2, "{found:#?}");
        assert!(at(3, "channels")[0].contains("is not a channel of this workspace"));
        assert_eq!(at(700, "time").len(), 1, "{found:#?}");
        // The channel has no posting slots: "queue" is refused on that row, naming it.
        assert!(
            at(750, "time")[0].contains("has no posting slots"),
            "{found:#?}"
        );
        assert!(at(760, "text")[0].contains("is empty"));
        assert!(at(760, "time")[0].contains("in the past"));
        assert_eq!(found.len(), 6, "{found:#?}");
        let first = &reply.json()["errors"][0];
        assert_eq!(first["line"], 4, "the header is line 1");
        assert_eq!(first["field"], "rows[3].channels");
        assert_eq!(s.posts().await, 0);
        assert_eq!(s.count("SELECT COUNT(*) FROM jobs").await, 0);
    }
}

#[tokio::test]
async fn the_file_itself_is_checked_encoding_header_and_size() {
    for backend in backends() {
        let s = setup(backend).await;
        // A byte-order mark is fine, and so are CRLF line ends and any case in the header.
        let bom = format!(
            "\u{feff}Text,Channels,Time\r\n\"Two\r\nlines\",{},2026-03-02T10:00:00Z\r\n",
            s.channel
        );
        let reply = s.import(bom).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
        assert_eq!(s.posts().await, 1);

        let latin1 = b"text,channels,time\ncaf\xe9,@x,2026-03-02T10:00:00Z\n".to_vec();
        let found = problems(&s.import(latin1).await);
        assert_eq!(found.len(), 1);
        assert!(
            found[0].2.starts_with("not UTF-8") && found[0].2.contains("save the file as UTF-8"),
            "{found:?}"
        );
        let utf16 = [0xFF, 0xFE, b't', 0, b'e', 0].to_vec();
        assert!(problems(&s.import(utf16).await)[0].2.contains("UTF-16"));

        let found = problems(
            &s.import("text,time,colour\nHi,2026-03-02T10:00:00Z,red\n")
                .await,
        );
        let columns: Vec<_> = found.iter().map(|(_, c, _)| c.clone().unwrap()).collect();
        assert_eq!(columns, ["colour", "channels"], "{found:?}");
        assert!(found[0].2.contains("unknown column"));
        assert!(
            found[1]
                .2
                .contains("required column \"channels\" is missing")
        );

        let mut huge = String::from("text,channels,time\n");
        for i in 0..100_000 {
            huge.push_str(&format!("p{i},@a,2026-03-02T10:00:00Z\n"));
        }
        let started = Instant::now();
        let found = problems(&s.import(huge).await);
        println!("refusing a 100,000-row file: {:?}", started.elapsed());
        assert_eq!(found.len(), 1);
        assert!(found[0].2.contains("more than 5000 rows"), "{found:?}");

        let too_big = vec![b'a'; herald::services::imports::MAX_CSV_BYTES + 1];
        let refused = s.import(too_big).await;
        assert_eq!(refused.status, StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(refused.error_fields(), ["file"]);
        assert!(
            refused.text().contains("larger than 32 MB"),
            "{}",
            refused.text()
        );
        assert_eq!(s.posts().await, 1, "nothing more was created");
    }
}

#[tokio::test]
async fn another_workspaces_channels_and_media_are_refused() {
    for backend in backends() {
        let s = setup(backend).await;
        let (_, other_token) = s.app.user("other@example.com").await;
        let other_ws = s.app.workspace(&other_token, "Rival").await;
        let theirs =
            crate::support::test_app::channel(&s.app, &other_token, &other_ws, "mastodon").await;
        let csv = format!(
            "text,channels,time,media\nHello,{theirs},2026-03-02T10:00:00Z,{}\n",
            uuid::Uuid::now_v7()
        );
        let found = problems(&s.import(csv).await);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].2.contains("is not a channel of this workspace"));
        assert!(
            found[1]
                .2
                .contains("is not an item of this workspace's media library")
        );

        // And a viewer may not import at all.
        let (_, viewer) = s.app.user("viewer@example.com").await;
        s.app.join(&s.token, &s.ws, &viewer, "viewer").await;
        let request = Request::post(format!("/api/v1/workspaces/{}/imports/posts.csv", s.ws))
            .header(header::AUTHORIZATION, format!("Bearer {viewer}"))
            .header(header::CONTENT_TYPE, "text/csv")
            .body(Body::from(format!(
                "text,channels,time\nHi,{},2026-03-02T10:00:00Z\n",
                s.channel
            )))
            .unwrap();
        assert_eq!(s.app.send(request).await.status, StatusCode::FORBIDDEN);
        assert_eq!(s.posts().await, 0);
    }
}

impl Setup {
    async fn set_slots(&self, channel: &str, slots: serde_json::Value) {
        let reply = self
            .app
            .request(
                axum::http::Method::PUT,
                &format!("/api/v1/workspaces/{}/channels/{channel}/slots", self.ws),
                Some(&self.token),
                Some(json!({"posting_slots": slots, "time_zone": "Europe/Paris"})),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    }

    /// (scheduled_at, local_time, queued) of the post's variants, by channel.
    async fn timing(&self, post: &str) -> Vec<(String, String, String)> {
        let got = self
            .app
            .get(
                &format!("/api/v1/workspaces/{}/posts/{post}", self.ws),
                &self.token,
            )
            .await
            .json();
        got["variants"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| {
                (
                    v["channel_id"].as_str().unwrap().to_owned(),
                    v["scheduled_at"].as_str().unwrap_or("").to_owned(),
                    v["local_time"].as_str().unwrap_or("").to_owned(),
                )
            })
            .collect()
    }
}

#[tokio::test]
async fn queue_rows_take_each_channels_next_free_slots_in_file_order() {
    for backend in backends() {
        let s = setup(backend).await;
        // The test clock starts on Sunday 1 March 2026, 13:00 in Paris (UTC+1).
        s.set_slots(&s.channel, json!(["mon 09:00", "wed 09:00", "fri 09:00"]))
            .await;
        // A post already scheduled on Monday's slot by hand keeps it.
        let taken = s
            .import(format!(
                "text,channels,time\nAlready there,{},2026-03-02 09:00\n",
                s.handle
            ))
            .await;
        assert_eq!(taken.status, StatusCode::CREATED, "{}", taken.text());
        // Queue rows around a row the file times itself on Friday's slot.
        let csv = format!(
            "text,channels,time\n\
             First queued,{h},queue\n\
             Timed by hand,{h},2026-03-06 09:00\n\
             Second queued,{h},QUEUE\n\
             Third queued,{h},queue\n",
            h = s.handle
        );
        let reply = s.import(csv).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
        let ids: Vec<String> = reply.json()["post_ids"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect();
        let at = |t: &[(String, String, String)]| (t[0].1.clone(), t[0].2.clone());
        // Monday is taken: Wednesday, then Friday is the file's own: next Monday, Wednesday.
        assert_eq!(
            at(&s.timing(&ids[0]).await),
            ("2026-03-04T08:00:00Z".into(), "2026-03-04T09:00".into())
        );
        assert_eq!(at(&s.timing(&ids[1]).await).0, "2026-03-06T08:00:00Z");
        assert_eq!(
            at(&s.timing(&ids[2]).await),
            ("2026-03-09T08:00:00Z".into(), "2026-03-09T09:00".into())
        );
        assert_eq!(at(&s.timing(&ids[3]).await).0, "2026-03-11T08:00:00Z");
        assert_eq!(
            s.count("SELECT COUNT(*) FROM variants WHERE queued").await,
            3,
            "the queued rows are marked queued, so share next may move them on"
        );
        assert_eq!(
            s.count(
                "SELECT COUNT(*) FROM jobs WHERE kind = 'publish_variant' AND state = 'queued'"
            )
            .await,
            5
        );

        // Adding to the queue through the API afterwards goes after the import's posts.
        let draft = s
            .app
            .post(
                &format!("/api/v1/workspaces/{}/posts", s.ws),
                &s.token,
                json!({"text": "After the import.", "channel_ids": [s.channel]}),
            )
            .await
            .json();
        let queued = s
            .app
            .post(
                &format!(
                    "/api/v1/workspaces/{}/posts/{}/schedule",
                    s.ws,
                    draft["id"].as_str().unwrap()
                ),
                &s.token,
                json!({"queue": true}),
            )
            .await;
        assert_eq!(queued.status, StatusCode::OK, "{}", queued.text());
        assert_eq!(
            queued.json()["variants"][0]["scheduled_at"],
            "2026-03-13T08:00:00Z"
        );
    }
}

#[tokio::test]
async fn a_queue_row_on_a_channel_without_slots_is_refused_and_nothing_is_created() {
    for backend in backends() {
        let s = setup(backend).await;
        let second = s
            .app
            .post(
                &format!("/api/v1/workspaces/{}/channels", s.ws),
                &s.token,
                json!({"network": "mastodon", "instance_url": s._fake.url(), "access_token": "token-bob"}),
            )
            .await
            .json()["id"]
            .as_str()
            .unwrap()
            .to_owned();
        s.set_slots(&s.channel, json!(["tue 10:00"])).await;
        let csv = format!(
            "text,channels,time\n\
             Both queues,{}|{second},queue\n\
             Fine,{},queue\n\
             \"A bad time, too\",{},tomorrow\n",
            s.channel, s.channel, s.channel
        );
        let found = problems(&s.import(csv).await);
        assert_eq!(found.len(), 2, "{found:#?}");
        assert_eq!(found[0].0, Some(1));
        assert_eq!(found[0].1.as_deref(), Some("time"));
        assert!(
            found[0].2.starts_with("queue: ") && found[0].2.contains("has no posting slots"),
            "{found:#?}"
        );
        assert_eq!((found[1].0, found[1].1.as_deref()), (Some(3), Some("time")));
        assert_eq!(s.posts().await, 0);
        assert_eq!(s.count("SELECT COUNT(*) FROM jobs").await, 0);
        assert_eq!(s.count("SELECT COUNT(*) FROM variants").await, 0);
    }
}

impl Setup {
    /// A webhook (to nowhere: deliveries are only queued here) hearing of `events`.
    async fn hook(&self, events: serde_json::Value) -> String {
        let path = format!("/api/v1/workspaces/{}/webhooks", self.ws);
        let body = json!({"url": "http://127.0.0.1:9/herald", "events": events});
        let created = self.app.post(&path, &self.token, body).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
        created.json()["id"].as_str().unwrap().to_owned()
    }

    async fn deliveries(&self, hook: &str) -> Vec<serde_json::Value> {
        let path = format!("/api/v1/workspaces/{}/webhooks/{hook}/deliveries", self.ws);
        let got = self.app.get(&path, &self.token).await;
        assert_eq!(got.status, StatusCode::OK, "{}", got.text());
        got.json()["items"].as_array().unwrap().clone()
    }

    /// Every queued delivery's payload.
    async fn payloads(&self) -> Vec<serde_json::Value> {
        const SQL: &str = "SELECT payload FROM webhook_deliveries";
        let raw: Vec<String> = match &self.app.services().db {
            Db::Sqlite(p) => sqlx::query_scalar(SQL).fetch_all(p).await.unwrap(),
            Db::Postgres(p) => sqlx::query_scalar(SQL).fetch_all(p).await.unwrap(),
        };
        raw.iter()
            .map(|p| serde_json::from_str(p).unwrap())
            .collect()
    }
}

#[tokio::test]
async fn each_imported_post_is_told_to_the_webhooks_as_created() {
    for backend in backends() {
        let s = setup(backend).await;
        let created = s.hook(json!(["post.created"])).await;
        let published = s.hook(json!(["post.published"])).await;

        // A refused file creates nothing, so tells nothing.
        let bad = format!("text,channels,time\nOne,{},not a time\n", s.handle);
        assert!(!problems(&s.import(bad).await).is_empty());
        assert!(s.deliveries(&created).await.is_empty());

        let reply = s.import(rows(3, &s.handle)).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
        let mut ids: Vec<String> = reply.json()["post_ids"]
            .as_array()
            .unwrap()
            .iter()
            .map(|id| id.as_str().unwrap().to_owned())
            .collect();
        let queued = s.deliveries(&created).await;
        assert_eq!(queued.len(), 3, "{queued:#?}");
        assert!(queued.iter().all(|d| d["event"] == "post.created"));
        assert!(
            s.deliveries(&published).await.is_empty(),
            "only the webhooks that asked"
        );
        // Each names its post, read after the import committed (its text is there).
        let mut told: Vec<String> = s
            .payloads()
            .await
            .iter()
            .inspect(|p| assert!(p["data"]["text"].as_str().unwrap().starts_with("Post ")))
            .map(|p| p["data"]["post_id"].as_str().unwrap().to_owned())
            .collect();
        told.sort();
        ids.sort();
        assert_eq!(told, ids);
    }
}
