//! The content calendar on every database: the range and its filters through the API, the
//! field named when `from` or `to` is wrong, another workspace's ids, the CSV and JSON
//! exports, the content mix, and the page's move endpoint (CSRF, a past day refused, the
//! time of day and the zone kept).

use std::time::Duration;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::{Value, json};

use crate::support::fake_mastodon::FakeMastodon;
use crate::support::test_app::START_MS;
use crate::support::{TestApp, backends};

const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;

struct Setup {
    app: TestApp,
    token: String,
    ws: String,
    channel: String,
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
    let channel = connected.json()["id"].as_str().unwrap().to_owned();
    Setup {
        app,
        token,
        ws,
        channel,
        _fake: fake,
    }
}

fn at(ms: i64) -> String {
    herald::domain::clock::rfc3339(START_MS + ms)
}

impl Setup {
    /// A post scheduled `ms` after the test clock's start; returns its id.
    async fn scheduled(&self, text: &str, ms: i64, tags: &[&str]) -> String {
        let created = self
            .app
            .post(
                &format!("/api/v1/workspaces/{}/posts", self.ws),
                &self.token,
                json!({"text": text, "channel_ids": [self.channel], "tags": tags}),
            )
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
        let id = created.json()["id"].as_str().unwrap().to_owned();
        let done = self
            .app
            .post(
                &format!("/api/v1/workspaces/{}/posts/{id}/schedule", self.ws),
                &self.token,
                json!({"at": at(ms), "time_zone": "Europe/Paris"}),
            )
            .await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.text());
        id
    }

    async fn calendar(&self, query: &str) -> crate::support::Reply {
        self.app
            .get(
                &format!("/api/v1/workspaces/{}/calendar?{query}", self.ws),
                &self.token,
            )
            .await
    }
}

fn range(from: i64, to: i64) -> String {
    format!("from={}&to={}", urlencode(&at(from)), urlencode(&at(to)))
}

fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[tokio::test]
async fn the_calendar_lists_a_range_with_its_filters_and_content_mix() {
    for backend in backends() {
        let s = setup(backend).await;
        let first = s
            .scheduled("How we roast, step by step.", DAY, &["howto"])
            .await;
        let second = s
            .scheduled("BUY NOW!!! Limited offer, 50% off, hurry!", 2 * DAY, &[])
            .await;
        let later = s.scheduled("Next month.", 40 * DAY, &[]).await;

        let got = s.calendar(&range(0, 10 * DAY)).await;
        assert_eq!(got.status, StatusCode::OK, "{}", got.text());
        let body = got.json();
        let items = body["items"].as_array().unwrap();
        let posts: Vec<&str> = items
            .iter()
            .map(|i| i["post_id"].as_str().unwrap())
            .collect();
        assert_eq!(
            posts,
            [first.as_str(), second.as_str()],
            "in order, in range"
        );
        assert!(!posts.contains(&later.as_str()));
        assert_eq!(items[0]["state"], "scheduled");
        assert_eq!(items[0]["scheduled_at"], at(DAY));
        assert_eq!(items[0]["time_zone"], "Europe/Paris");
        assert_eq!(
            items[0]["handle"].as_str().map(|h| !h.is_empty()),
            Some(true)
        );
        assert_eq!(body["time_zone"], "Europe/Paris");
        assert_eq!(body["content_mix"]["posts"], 2);
        assert_eq!(body["content_mix"]["promotional"], 1);
        assert_eq!(body["content_mix"]["promotional_percent"], 50);
        assert_eq!(items[1]["promotional"], true);

        // Filters: network, channel, tag, state.
        let r = range(0, 10 * DAY);
        let count = |v: Value| v["items"].as_array().unwrap().len();
        assert_eq!(
            count(s.calendar(&format!("{r}&network=mastodon")).await.json()),
            2
        );
        assert_eq!(
            count(s.calendar(&format!("{r}&network=bluesky")).await.json()),
            0
        );
        assert_eq!(
            count(
                s.calendar(&format!("{r}&channel_id={}", s.channel))
                    .await
                    .json()
            ),
            2
        );
        assert_eq!(
            count(s.calendar(&format!("{r}&state=published")).await.json()),
            0
        );
        let tags = s
            .app
            .get(&format!("/api/v1/workspaces/{}/tags", s.ws), &s.token)
            .await
            .json();
        let howto = tags["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["name"] == "howto")
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let tagged = s.calendar(&format!("{r}&tag_id={howto}")).await.json();
        assert_eq!(tagged["items"][0]["post_id"], first.as_str());
        assert_eq!(count(tagged), 1);

        // A cancelled post leaves the calendar unless asked for.
        let cancelled = s
            .app
            .post(
                &format!("/api/v1/workspaces/{}/posts/{second}/cancel", s.ws),
                &s.token,
                json!({}),
            )
            .await;
        assert_eq!(cancelled.status, StatusCode::OK, "{}", cancelled.text());
        assert_eq!(count(s.calendar(&r).await.json()), 1);
        assert_eq!(
            count(s.calendar(&format!("{r}&state=cancelled")).await.json()),
            1
        );
    }
}

#[tokio::test]
async fn bad_ranges_name_their_field_and_other_workspaces_are_not_found() {
    for backend in backends() {
        let s = setup(backend).await;
        for (query, field) in [
            ("to=2026-03-02T00:00:00Z".to_owned(), "from"),
            ("from=yesterday&to=2026-03-02T00:00:00Z".to_owned(), "from"),
            ("from=2026-03-01T00:00:00Z&to=2026-13-01".to_owned(), "to"),
            (
                "from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z".to_owned(),
                "to",
            ),
            (
                "from=2026-01-01T00:00:00Z&to=2028-01-01T00:00:00Z".to_owned(),
                "to",
            ),
            (format!("{}&network=myspace", range(0, DAY)), "network"),
            (format!("{}&state=lost", range(0, DAY)), "state"),
            (format!("{}&channel_id=nope", range(0, DAY)), "channel_id"),
        ] {
            let got = s.calendar(&query).await;
            assert_eq!(
                got.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{query}: {}",
                got.text()
            );
            assert_eq!(got.error_fields(), [field], "{query}");
        }

        let (_, other) = s.app.user("outsider@example.com").await;
        let theirs = s.app.workspace(&other, "Elsewhere").await;
        for path in [
            format!("/api/v1/workspaces/{}/calendar?{}", s.ws, range(0, DAY)),
            format!("/api/v1/workspaces/{}/calendar.csv?{}", s.ws, range(0, DAY)),
            format!(
                "/api/v1/workspaces/{}/calendar.json?{}",
                s.ws,
                range(0, DAY)
            ),
            // Even with a bad range: the workspace is checked first.
            format!("/api/v1/workspaces/{}/calendar?from=x", s.ws),
        ] {
            let got = s.app.get(&path, &other).await;
            assert_eq!(got.status, StatusCode::NOT_FOUND, "{path}");
        }
        let own = s
            .app
            .get(
                &format!("/api/v1/workspaces/{theirs}/calendar?{}", range(0, DAY)),
                &other,
            )
            .await;
        assert_eq!(own.status, StatusCode::OK);
        assert_eq!(own.json()["items"].as_array().unwrap().len(), 0);
    }
}

#[tokio::test]
async fn exports_read_back_as_csv_and_json() {
    for backend in backends() {
        let s = setup(backend).await;
        let post = s
            .scheduled("=SUM(A1) \"quoted\", with a comma\nand a line", DAY, &[])
            .await;
        let csv_reply = s
            .app
            .get(
                &format!(
                    "/api/v1/workspaces/{}/calendar.csv?{}",
                    s.ws,
                    range(0, 5 * DAY)
                ),
                &s.token,
            )
            .await;
        assert_eq!(csv_reply.status, StatusCode::OK, "{}", csv_reply.text());
        assert!(csv_reply.content_type().starts_with("text/csv"));
        let mut reader = csv::Reader::from_reader(csv_reply.body.as_slice());
        let headers = reader.headers().unwrap().clone();
        assert_eq!(&headers[0], "variant_id");
        let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
        assert_eq!(rows.len(), 1);
        let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
        assert_eq!(&rows[0][col("post_id")], post.as_str());
        assert_eq!(&rows[0][col("state")], "scheduled");
        assert_eq!(&rows[0][col("scheduled_at")], at(DAY).as_str());
        assert_eq!(&rows[0][col("local_time")], "2026-03-02T13:00");
        assert_eq!(&rows[0][col("time_zone")], "Europe/Paris");
        // Read back whole, and never a formula.
        assert_eq!(
            &rows[0][col("text")],
            "'=SUM(A1) \"quoted\", with a comma and a line"
        );

        let json_reply = s
            .app
            .get(
                &format!(
                    "/api/v1/workspaces/{}/calendar.json?{}",
                    s.ws,
                    range(0, 5 * DAY)
                ),
                &s.token,
            )
            .await;
        assert_eq!(json_reply.status, StatusCode::OK);
        assert!(
            json_reply
                .headers
                .get(header::CONTENT_DISPOSITION)
                .unwrap()
                .to_str()
                .unwrap()
                .contains("calendar.json")
        );
        assert_eq!(json_reply.json()["items"][0]["post_id"], post.as_str());
    }
}

/// A session's cookie and CSRF token, for the page's forms.
async fn session(app: &TestApp) -> (String, String) {
    let s = app
        .services()
        .login(
            "owner@example.com",
            "correct horse battery",
            "127.0.0.1",
            "t",
        )
        .await
        .unwrap();
    (
        format!("herald_session={}", s.cookie_token),
        s.session.csrf_token,
    )
}

async fn form(app: &TestApp, path: &str, cookie: &str, body: String) -> crate::support::Reply {
    let request = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .unwrap();
    app.send(request).await
}

async fn page(app: &TestApp, path: &str, cookie: &str) -> crate::support::Reply {
    let request = Request::builder()
        .uri(path)
        .header(header::COOKIE, cookie)
        .body(Body::empty())
        .unwrap();
    app.send(request).await
}

#[tokio::test]
async fn moving_a_post_keeps_its_time_and_zone_and_needs_csrf() {
    for backend in backends() {
        let s = setup(backend).await;
        // 2026-03-03 09:30 in Paris.
        let post = s
            .scheduled("Tuesday's post.", 2 * DAY - 3 * HOUR - 30 * 60_000, &[])
            .await;
        let (cookie, csrf) = session(&s.app).await;
        let path = format!("/w/{}/calendar/move/{post}", s.ws);

        let shown = page(
            &s.app,
            &format!("/w/{}/calendar?date=2026-03-01", s.ws),
            &cookie,
        )
        .await;
        assert_eq!(shown.status, StatusCode::OK);
        let html = shown.text();
        assert!(html.contains("Tuesday&#39;s post."), "{html}");
        assert!(html.contains("Europe/Paris"));
        assert!(html.contains("09:30"));
        for view in ["week", "list"] {
            let other = page(
                &s.app,
                &format!("/w/{}/calendar?view={view}&date=2026-03-03", s.ws),
                &cookie,
            )
            .await;
            assert_eq!(other.status, StatusCode::OK);
            assert!(other.text().contains("09:30"), "{view}");
        }
        let form_page = page(&s.app, &path, &cookie).await;
        assert_eq!(form_page.status, StatusCode::OK);
        assert!(form_page.text().contains("Keeps 09:30 Europe/Paris"));

        let without = form(&s.app, &path, &cookie, "date=2026-03-10".into()).await;
        assert_eq!(without.status, StatusCode::FORBIDDEN, "no CSRF token");

        let past = form(
            &s.app,
            &path,
            &cookie,
            format!("date=2026-02-20&csrf_token={csrf}"),
        )
        .await;
        assert_eq!(past.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(past.text().contains("in the past"), "{}", past.text());

        let moved = form(
            &s.app,
            &path,
            &cookie,
            format!("date=2026-03-10&back=view%3Dweek&csrf_token={csrf}"),
        )
        .await;
        assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.text());
        assert_eq!(
            moved.headers.get(header::LOCATION).unwrap(),
            &format!("/w/{}/calendar?view=week", s.ws)
        );
        let v = s
            .app
            .get(
                &format!("/api/v1/workspaces/{}/posts/{post}", s.ws),
                &s.token,
            )
            .await
            .json()["variants"][0]
            .clone();
        // 2026-03-10 09:30 in Paris is 08:30 UTC.
        assert_eq!(v["scheduled_at"], "2026-03-10T08:30:00Z");
        assert_eq!(v["time_zone"], "Europe/Paris");
        assert_eq!(v["state"], "scheduled");

        // Across the change to summer time the local time stays 09:30.
        let summer = form(
            &s.app,
            &path,
            &cookie,
            format!("date=2026-04-07&csrf_token={csrf}"),
        )
        .await;
        assert_eq!(summer.status, StatusCode::SEE_OTHER);
        let v = s
            .app
            .get(
                &format!("/api/v1/workspaces/{}/posts/{post}", s.ws),
                &s.token,
            )
            .await
            .json()["variants"][0]
            .clone();
        assert_eq!(v["scheduled_at"], "2026-04-07T07:30:00Z");

        // Another workspace's post through this one: not found.
        let (_, other) = s.app.user("outsider@example.com").await;
        let theirs = s.app.workspace(&other, "Elsewhere").await;
        let cross = form(
            &s.app,
            &format!("/w/{theirs}/calendar/move/{post}"),
            &cookie,
            format!("date=2026-03-12&csrf_token={csrf}"),
        )
        .await;
        assert_eq!(cross.status, StatusCode::NOT_FOUND);
        let exported = page(
            &s.app,
            &format!("/w/{}/calendar.csv?{}", s.ws, range(0, 60 * DAY)),
            &cookie,
        )
        .await;
        assert_eq!(exported.status, StatusCode::OK);
        assert!(exported.text().contains(&post));
    }
}
