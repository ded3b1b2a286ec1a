//! The workspace's iCalendar feed, read back by a real client: Python's `icalendar`
//! (installed with pip when missing; skipped with a message unless
//! HERALD_REQUIRE_PYTHON_ICALENDAR=1, which CI sets after scripts/ci/install-python-tools.sh).

use std::process::Command;
use std::time::Duration;

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::fake_mastodon::FakeMastodon;
use crate::support::test_app::START_MS;
use crate::support::{TestApp, backends};

const MINUTE: i64 = 60_000;
const DAY: i64 = 24 * 60 * MINUTE;

fn at(ms: i64) -> String {
    herald::domain::clock::rfc3339(START_MS + ms)
}

/// True when `python3` can import icalendar, installing it with pip if needed.
fn python_icalendar() -> bool {
    let importable = || {
        Command::new("python3")
            .args(["-c", "import icalendar"])
            .status()
            .is_ok_and(|s| s.success())
    };
    if importable() {
        return true;
    }
    let _ = Command::new("python3")
        .args(["-m", "pip", "install", "--quiet", "icalendar"])
        .status();
    if importable() {
        return true;
    }
    assert!(
        std::env::var("HERALD_REQUIRE_PYTHON_ICALENDAR").as_deref() != Ok("1"),
        "Python's icalendar is required (HERALD_REQUIRE_PYTHON_ICALENDAR=1) but cannot be imported \
         or installed: run scripts/ci/install-python-tools.sh"
    );
    eprintln!(
        "SKIPPED: the feed was not read back by Python's icalendar (pip install icalendar to run it)"
    );
    false
}

/// The feed as Python's icalendar reads it: one object per VEVENT.
fn read_with_python(feed: &[u8]) -> Vec<Value> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("feed.ics");
    std::fs::write(&path, feed).unwrap();
    let script = r#"
import json, sys, datetime
import icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
out = []
for ev in cal.walk('VEVENT'):
    start = ev.decoded('DTSTART')
    end = ev.decoded('DTEND') if 'DTEND' in ev else None
    out.append({
        'uid': str(ev['UID']),
        'summary': str(ev['SUMMARY']),
        'description': str(ev.get('DESCRIPTION', '')),
        'url': str(ev['URL']) if 'URL' in ev else None,
        'status': str(ev.get('STATUS', '')),
        'sequence': int(ev.get('SEQUENCE', 0)),
        'start': start.isoformat(),
        'start_utc': isinstance(start, datetime.datetime) and start.utcoffset() == datetime.timedelta(0),
        'end': end.isoformat() if end is not None else None,
        'stamp_utc': ev.decoded('DTSTAMP').utcoffset() == datetime.timedelta(0),
        'has_last_modified': 'LAST-MODIFIED' in ev,
    })
print(json.dumps({'name': str(cal.get('X-WR-CALNAME')), 'events': out}))
"#;
    let output = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(&path)
        .output()
        .expect("python3");
    assert!(
        output.status.success(),
        "icalendar refused the feed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let parsed: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(parsed["name"], "Acme (Herald)");
    parsed["events"].as_array().unwrap().clone()
}

struct Feed {
    app: TestApp,
    token: String,
    ws: String,
    channel: String,
    handle: String,
    _fake: FakeMastodon,
}

async fn setup(backend: crate::support::Backend) -> Feed {
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
    let handle = connected.json()["handle"].as_str().unwrap().to_owned();
    Feed {
        handle,
        app,
        token,
        ws,
        channel,
        _fake: fake,
    }
}

impl Feed {
    async fn scheduled(&self, text: &str, in_ms: i64) -> (String, String) {
        let created = self
            .app
            .post(
                &format!("/api/v1/workspaces/{}/posts", self.ws),
                &self.token,
                json!({"text": text, "channel_ids": [self.channel]}),
            )
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
        let post = created.json()["id"].as_str().unwrap().to_owned();
        let variant = self.schedule(&post, in_ms).await;
        (post, variant)
    }

    async fn schedule(&self, post: &str, in_ms: i64) -> String {
        let done = self
            .app
            .post(
                &format!("/api/v1/workspaces/{}/posts/{post}/schedule", self.ws),
                &self.token,
                json!({"at": at(in_ms)}),
            )
            .await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.text());
        done.json()["variants"][0]["id"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    async fn get_feed(&self, url: &str) -> crate::support::Reply {
        let path = url.strip_prefix("http://herald.test").expect("public URL");
        self.app.request(Method::GET, path, None, None).await
    }
}

#[tokio::test]
async fn ical_feed_is_read_by_a_real_client_with_stable_uids_and_rising_sequence() {
    for backend in backends() {
        let f = setup(backend).await;
        let tricky = "Launch day, finally; new beans\\ and more\nSecond line ☕🚀 with a long tail that makes the folded line longer than seventy-five octets";
        let (_, published) = f.scheduled(tricky, 30 * MINUTE).await;
        let (moved_post, moved) = f.scheduled("Tuesday tips", DAY).await;
        let (cancelled_post, cancelled) = f.scheduled("Never mind", 2 * DAY).await;
        let cancel = f
            .app
            .post(
                &format!("/api/v1/workspaces/{}/posts/{cancelled_post}/cancel", f.ws),
                &f.token,
                json!({}),
            )
            .await;
        assert_eq!(cancel.status, StatusCode::OK, "{}", cancel.text());
        f.app.clock.advance_ms(30 * MINUTE);
        assert_eq!(f.app.run_jobs().await, 1);

        let event = f
            .app
            .post(
                &format!("/api/v1/workspaces/{}/calendar-events", f.ws),
                &f.token,
                json!({"title": "Bank holiday", "start": "2026-03-09", "all_day": true}),
            )
            .await;
        assert_eq!(event.status, StatusCode::CREATED, "{}", event.text());

        let created = f
            .app
            .post(
                &format!("/api/v1/workspaces/{}/calendar-feed", f.ws),
                &f.token,
                json!({}),
            )
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
        let url = created.json()["url"].as_str().unwrap().to_owned();
        assert!(url.starts_with(&format!(
            "http://herald.test/api/v1/workspaces/{}/calendar.ics?key=",
            f.ws
        )));

        let reply = f.get_feed(&url).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
        assert_eq!(reply.content_type(), "text/calendar; charset=utf-8");
        let body = reply.text();
        assert!(body.starts_with("BEGIN:VCALENDAR\r\n"));
        for line in body.split("\r\n") {
            assert!(line.len() <= 75, "an unfolded line: {line:?}");
            assert!(!line.contains('\n'), "a bare LF in {line:?}");
        }
        assert!(body.contains("\r\n "), "long lines are folded");
        assert!(body.contains("Launch day\\, finally\\; new beans\\\\ and more\\nSecond"));

        if python_icalendar() {
            let events = read_with_python(&reply.body);
            assert_eq!(events.len(), 4, "{events:#?}");
            let find = |uid: &str| {
                events
                    .iter()
                    .find(|e| e["uid"] == format!("{uid}@herald.test"))
                    .unwrap_or_else(|| panic!("no event {uid}: {events:#?}"))
                    .clone()
            };
            let p = find(&published);
            assert_eq!(
                p["summary"],
                format!(
                    "{} (Mastodon): Launch day, finally; new beans\\ and more",
                    f.handle
                )
            );
            let description = p["description"].as_str().unwrap();
            assert!(description.starts_with(tricky), "{description}");
            assert!(description.contains(&format!("Published on {} (Mastodon)", f.handle)));
            assert_eq!(p["status"], "CONFIRMED");
            assert!(
                p["url"]
                    .as_str()
                    .unwrap()
                    .starts_with("https://fake.example/@alice/")
            );
            assert_eq!(p["start"], "2026-03-01T12:30:00+00:00");
            assert!(p["start_utc"].as_bool().unwrap() && p["stamp_utc"].as_bool().unwrap());
            assert!(p["has_last_modified"].as_bool().unwrap());

            let m = find(&moved);
            assert_eq!(m["start"], "2026-03-02T12:00:00+00:00");
            assert_eq!(m["status"], "CONFIRMED");
            assert_eq!(m["url"], Value::Null, "no URL before it is published");
            let before = m["sequence"].as_i64().unwrap();

            let c = find(&cancelled);
            assert_eq!(c["status"], "CANCELLED");

            let holiday = events
                .iter()
                .find(|e| e["summary"] == "Bank holiday")
                .expect("the workspace's events are in the feed");
            assert_eq!(holiday["start"], "2026-03-09");
            assert_eq!(holiday["end"], "2026-03-10");

            f.schedule(&moved_post, 3 * DAY).await;
            let again = read_with_python(&f.get_feed(&url).await.body);
            let m2 = again
                .iter()
                .find(|e| e["uid"] == format!("{moved}@herald.test"))
                .unwrap();
            assert_eq!(m2["start"], "2026-03-04T12:00:00+00:00");
            assert!(
                m2["sequence"].as_i64().unwrap() > before,
                "SEQUENCE rises on a reschedule: {before} then {}",
                m2["sequence"]
            );
        }
    }
}

#[tokio::test]
async fn ical_feed_key_is_the_credential_and_revocable() {
    for backend in backends() {
        let f = setup(backend).await;
        let feed = format!("/api/v1/workspaces/{}/calendar-feed", f.ws);
        let status = f.app.get(&feed, &f.token).await;
        assert_eq!(status.json()["active"], false);
        let first = f.app.post(&feed, &f.token, json!({})).await.json()["url"]
            .as_str()
            .unwrap()
            .to_owned();
        assert_eq!(f.get_feed(&first).await.status, StatusCode::OK);
        let status = f.app.get(&feed, &f.token).await.json();
        assert_eq!(status["active"], true);
        assert_eq!(status["url"], Value::Null, "the URL is shown once");

        // A wrong key, no key, another workspace's path: the same 404, nothing revealed.
        let path = first.strip_prefix("http://herald.test").unwrap();
        let no_key = path.split('?').next().unwrap().to_owned();
        let wrong = format!("{no_key}?key=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        let other_ws = no_key.replace(&f.ws, &uuid::Uuid::now_v7().to_string());
        let key = first.split("key=").nth(1).unwrap();
        let mut refused = Vec::new();
        for p in [wrong, no_key.clone(), format!("{other_ws}?key={key}")] {
            let r = f.app.request(Method::GET, &p, None, None).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{p}");
            refused.push(r.text());
        }
        assert!(refused.windows(2).all(|w| w[0] == w[1]));

        // The bearer token is not a way in either.
        let with_token = f.app.get(&no_key, &f.token).await;
        assert_eq!(with_token.status, StatusCode::NOT_FOUND);

        // Rotating retires the old URL.
        let second = f.app.post(&feed, &f.token, json!({})).await.json()["url"]
            .as_str()
            .unwrap()
            .to_owned();
        assert_ne!(first, second);
        assert_eq!(f.get_feed(&first).await.status, StatusCode::NOT_FOUND);
        assert_eq!(f.get_feed(&second).await.status, StatusCode::OK);

        // Only managers hold it.
        let (_, editor) = f.app.user("editor@example.com").await;
        f.app.join(&f.token, &f.ws, &editor, "editor").await;
        assert_eq!(
            f.app.post(&feed, &editor, json!({})).await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            f.app.delete(&feed, &editor).await.status,
            StatusCode::FORBIDDEN
        );

        assert_eq!(
            f.app.delete(&feed, &f.token).await.status,
            StatusCode::NO_CONTENT
        );
        assert_eq!(f.get_feed(&second).await.status, StatusCode::NOT_FOUND);
        assert_eq!(
            f.app.delete(&feed, &f.token).await.status,
            StatusCode::NOT_FOUND
        );
    }
}
