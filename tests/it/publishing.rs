//! The publishing engine end to end through the API, on every database, against a stand-in
//! Mastodon instance (`tests/support/fake_mastodon.rs`) that can fail on cue: on time, once,
//! retried only when worth it, reconciled when the outcome is unknown, or stopped loudly.

use std::time::Duration;

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::support::fake_mastodon::{FakeMastodon, Script};
use crate::support::test_app::START_MS;
use crate::support::{TestApp, backends};

const MINUTE: i64 = 60_000;

pub struct Setup {
    pub app: TestApp,
    pub token: String,
    pub ws: String,
    pub channel: String,
    pub fake: FakeMastodon,
}

pub async fn setup(backend: crate::support::Backend) -> Setup {
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
        fake,
    }
}

impl Setup {
    pub async fn draft(&self, text: &str) -> String {
        let created = self
            .app
            .post(
                &format!("/api/v1/workspaces/{}/posts", self.ws),
                &self.token,
                json!({"text": text, "channel_ids": [self.channel]}),
            )
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
        created.json()["id"].as_str().unwrap().to_owned()
    }

    pub async fn act(&self, post: &str, action: &str, body: Value) -> crate::support::Reply {
        self.app
            .post(
                &format!("/api/v1/workspaces/{}/posts/{post}/{action}", self.ws),
                &self.token,
                body,
            )
            .await
    }

    pub async fn variant(&self, post: &str) -> Value {
        let got = self
            .app
            .get(
                &format!("/api/v1/workspaces/{}/posts/{post}", self.ws),
                &self.token,
            )
            .await
            .json();
        got["variants"][0].clone()
    }

    pub async fn attempts(&self, post: &str) -> Vec<Value> {
        self.app
            .get(
                &format!("/api/v1/workspaces/{}/posts/{post}/attempts", self.ws),
                &self.token,
            )
            .await
            .json()["items"]
            .as_array()
            .unwrap()
            .clone()
    }
}

/// RFC 3339 of the test clock plus `ms`.
pub fn at(ms: i64) -> String {
    herald::domain::clock::rfc3339(START_MS + ms)
}

#[tokio::test]
async fn a_post_goes_out_on_time_once_with_the_network_answer_kept() {
    for backend in backends() {
        let s = setup(backend).await;
        let post = s.draft("Fresh roast today.").await;
        let scheduled = s
            .act(
                &post,
                "schedule",
                json!({"at": at(30 * MINUTE), "time_zone": "Europe/Paris"}),
            )
            .await;
        assert_eq!(scheduled.status, StatusCode::OK, "{}", scheduled.text());
        let v = &scheduled.json()["variants"][0];
        assert_eq!(v["state"], "scheduled");
        assert_eq!(v["scheduled_at"], at(30 * MINUTE));
        assert_eq!(v["time_zone"], "Europe/Paris");

        s.app.run_jobs().await;
        assert!(s.fake.statuses().is_empty(), "nothing before its time");
        s.app.clock.advance_ms(30 * MINUTE);
        assert_eq!(s.app.run_jobs().await, 1);
        let sent = s.fake.statuses();
        assert_eq!(sent.len(), 1);
        assert_eq!(sent[0].text, "Fresh roast today.");
        assert!(
            sent[0].key.as_deref().unwrap().ends_with("-0"),
            "an Idempotency-Key per part"
        );

        let v = s.variant(&post).await;
        assert_eq!(v["state"], "published");
        assert_eq!(v["remote_id"], sent[0].id);
        assert!(v["remote_url"].as_str().unwrap().contains(&sent[0].id));
        assert_eq!(v["published_at"], at(30 * MINUTE));
        let attempts = s.attempts(&post).await;
        assert_eq!(attempts.len(), 1);
        assert_eq!(attempts[0]["state"], "published");
        let raw = &attempts[0]["raw_answer"][0];
        assert_eq!(raw["method"], "POST");
        assert_eq!(raw["status"], 200);
        assert!(raw["body"].as_str().unwrap().contains(&sent[0].id));

        assert_eq!(s.app.run_jobs().await, 0, "the job is done");
        let again = s.act(&post, "publish-now", json!({})).await;
        assert_eq!(
            again.status,
            StatusCode::CONFLICT,
            "published posts stay published"
        );
        assert_eq!(s.fake.statuses().len(), 1);
    }
}

#[tokio::test]
async fn transient_failures_and_rate_limits_are_retried_later_and_refusals_are_not() {
    for backend in backends() {
        let s = setup(backend).await;
        let reset = at(20 * MINUTE);
        s.fake
            .script([Script::Unavailable, Script::RateLimited { reset }]);
        let post = s.draft("Third time lucky.").await;
        assert_eq!(
            s.act(&post, "publish-now", json!({})).await.status,
            StatusCode::OK
        );

        s.app.run_jobs().await;
        let v = s.variant(&post).await;
        assert_eq!(v["state"], "publishing");
        assert_eq!(v["error_kind"], "transient");
        let first_retry = v["retry_at"].as_str().unwrap().to_owned();
        assert!(
            first_retry > at(0) && first_retry <= at(MINUTE),
            "backoff: {first_retry}"
        );

        s.app.clock.advance_ms(MINUTE);
        s.app.run_jobs().await;
        let v = s.variant(&post).await;
        assert_eq!(v["error_kind"], "rate_limited");
        assert_eq!(
            v["retry_at"],
            at(20 * MINUTE),
            "the network's reset time is honoured"
        );

        s.app.clock.advance_ms(10 * MINUTE);
        assert_eq!(s.app.run_jobs().await, 0, "not before the reset");
        s.app.clock.advance_ms(10 * MINUTE);
        s.app.run_jobs().await;
        assert_eq!(s.variant(&post).await["state"], "published");
        assert_eq!(s.fake.statuses().len(), 1);
        let states: Vec<Value> = s
            .attempts(&post)
            .await
            .iter()
            .map(|a| a["state"].clone())
            .collect();
        assert_eq!(states, ["retrying", "retrying", "published"]);

        s.fake.script([Script::Refused {
            error: "Validierung fehlgeschlagen: Text ist zu lang".into(),
        }]);
        let refused = s.draft("Refused for good.").await;
        s.act(&refused, "publish-now", json!({})).await;
        s.app.run_jobs().await;
        let v = s.variant(&refused).await;
        assert_eq!(v["state"], "failed");
        assert_eq!(v["error_kind"], "rejected");
        assert!(
            v["error"].as_str().unwrap().contains("Text ist zu lang"),
            "{v}"
        );
        s.app.clock.advance_ms(120 * MINUTE);
        assert_eq!(
            s.app.run_jobs().await,
            0,
            "a refusal is not retried by itself"
        );

        let retried = s.act(&refused, "retry", json!({})).await;
        assert_eq!(retried.status, StatusCode::OK, "{}", retried.text());
        s.app.run_jobs().await;
        assert_eq!(s.variant(&refused).await["state"], "published");
    }
}

#[tokio::test]
async fn a_lost_answer_is_looked_for_on_the_network_before_anything_is_sent_again() {
    for backend in backends() {
        let s = setup(backend).await;
        s.fake.script([Script::CreatedThenDropped]);
        let post = s.draft("Did it go out?").await;
        s.act(&post, "publish-now", json!({})).await;
        s.app.run_jobs().await;
        let v = s.variant(&post).await;
        assert_eq!(v["state"], "publishing", "{v}");
        assert_eq!(v["error_kind"], "outcome_unknown");
        assert_eq!(s.fake.statuses().len(), 1, "the network has it");

        s.app.clock.advance_ms(MINUTE);
        s.app.run_jobs().await;
        let v = s.variant(&post).await;
        assert_eq!(v["state"], "published", "{v}");
        assert_eq!(
            v["remote_id"],
            s.fake.statuses()[0].id,
            "found, not sent again"
        );
        assert_eq!(s.fake.inner.lock().unwrap().requests, 1);
        let states: Vec<Value> = s
            .attempts(&post)
            .await
            .iter()
            .map(|a| a["state"].clone())
            .collect();
        assert_eq!(states, ["reconciled"]);
    }
}

#[tokio::test]
async fn a_worker_that_died_mid_call_is_taken_over_after_its_lease() {
    use herald::storage::{attempts, jobs, publishing};
    for backend in backends() {
        let s = setup(backend).await;
        let post = s.draft("Crash mid-flight.").await;
        s.act(&post, "publish-now", json!({})).await;
        let variant: uuid::Uuid = s.variant(&post).await["id"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        // Worker A claims the job, starts the attempt, sends... and dies before recording.
        let db = s.app.app.db();
        let claimed = jobs::claim(db, "worker-a", START_MS, 60_000, 10)
            .await
            .unwrap();
        assert_eq!(claimed.len(), 1);
        publishing::start(db, variant, START_MS)
            .await
            .unwrap()
            .expect("due");
        let attempt = attempts::Attempt {
            id: uuid::Uuid::now_v7(),
            variant_id: variant,
            number: 1,
            state: "sending".into(),
            worker: "worker-a".into(),
            started_at_ms: START_MS,
            finished_at_ms: None,
            error_kind: None,
            error: None,
            published: "[]".into(),
            raw_answer: "[]".into(),
        };
        assert!(attempts::begin(db, &attempt).await.unwrap());

        assert_eq!(s.app.run_jobs().await, 0, "the lease holds");
        s.app.clock.advance_ms(2 * MINUTE);
        assert_eq!(s.app.run_jobs().await, 1, "taken over");
        let v = s.variant(&post).await;
        assert_eq!(v["state"], "published");
        assert_eq!(s.fake.statuses().len(), 1);
        let states: Vec<Value> = s
            .attempts(&post)
            .await
            .iter()
            .map(|a| a["state"].clone())
            .collect();
        assert_eq!(
            states,
            ["reconciled", "published"],
            "looked first, then sent once"
        );
        let finished =
            jobs::finish(db, claimed[0].id, "worker-a", &jobs::Finish::Done, START_MS).await;
        assert!(
            !finished.unwrap(),
            "the dead worker can no longer finish the job"
        );
    }
}

#[tokio::test]
async fn late_posts_go_out_within_the_grace_window_and_are_marked_missed_after_it() {
    for backend in backends() {
        let s = setup(backend).await;
        let late = s.draft("A bit late.").await;
        let missed = s.draft("Far too late.").await;
        s.act(&late, "schedule", json!({"at": at(10 * MINUTE)}))
            .await;
        s.act(&missed, "schedule", json!({"at": at(-0)})).await;
        // Herald was down for 70 minutes.
        s.app.clock.advance_ms(65 * MINUTE);
        s.app.run_jobs().await;
        assert_eq!(s.variant(&late).await["state"], "published");
        let v = s.variant(&missed).await;
        assert_eq!(v["state"], "failed");
        assert_eq!(v["error_kind"], "missed");
        assert!(v["error"].as_str().unwrap().contains("grace window"));
        assert_eq!(s.fake.statuses().len(), 1);
    }
}

#[tokio::test]
async fn cancelled_and_rescheduled_posts_follow_the_last_decision() {
    for backend in backends() {
        let s = setup(backend).await;
        let post = s.draft("Changed my mind.").await;
        s.act(&post, "schedule", json!({"at": at(10 * MINUTE)}))
            .await;
        let cancelled = s.act(&post, "cancel", json!({})).await;
        assert_eq!(cancelled.status, StatusCode::OK, "{}", cancelled.text());
        assert_eq!(cancelled.json()["variants"][0]["state"], "cancelled");
        s.app.clock.advance_ms(15 * MINUTE);
        s.app.run_jobs().await;
        assert!(s.fake.statuses().is_empty());

        s.act(&post, "schedule", json!({"at": at(60 * MINUTE)}))
            .await;
        s.act(&post, "schedule", json!({"at": at(40 * MINUTE)}))
            .await;
        s.app.clock.advance_ms(30 * MINUTE);
        s.app.run_jobs().await;
        assert_eq!(
            s.fake.statuses().len(),
            1,
            "once, at the later decision's time"
        );
        s.app.clock.advance_ms(30 * MINUTE);
        s.app.run_jobs().await;
        assert_eq!(s.fake.statuses().len(), 1);
    }
}

#[tokio::test]
async fn bad_times_and_channels_are_named_and_nothing_is_created() {
    for backend in backends() {
        let s = setup(backend).await;
        let post = s.draft("When?").await;
        let cases = [
            (json!({"at": at(-10 * MINUTE)}), "at", "in the past"),
            (
                json!({"at": "yesterday-ish"}),
                "at",
                "not a local date and time",
            ),
            (
                json!({"at": at(MINUTE), "time_zone": "Mars/Olympus"}),
                "time_zone",
                "IANA",
            ),
            (
                json!({"at": "2026-03-29T02:30", "time_zone": "Europe/Paris"}),
                "at",
                "does not exist",
            ),
            (
                json!({"at": "2026-10-25T02:30", "time_zone": "Europe/Paris"}),
                "fold",
                "happens twice",
            ),
            (json!({}), "at", "give a date"),
            (json!({"at": 5}), "", ""),
        ];
        for (body, field, words) in cases {
            let refused = s.act(&post, "schedule", body.clone()).await;
            assert_eq!(
                refused.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{body}: {}",
                refused.text()
            );
            if !field.is_empty() {
                assert_eq!(refused.error_fields(), [field], "{body}");
                assert!(refused.text().contains(words), "{body}: {}", refused.text());
            }
        }
        assert_eq!(s.variant(&post).await["state"], "draft");

        let folded = s
            .act(
                &post,
                "schedule",
                json!({"at": "2026-10-25T02:30", "time_zone": "Europe/Paris", "fold": "later"}),
            )
            .await;
        assert_eq!(folded.status, StatusCode::OK, "{}", folded.text());
        assert_eq!(
            folded.json()["variants"][0]["scheduled_at"],
            "2026-10-25T01:30:00Z"
        );
        assert_eq!(
            folded.json()["variants"][0]["local_time"],
            "2026-10-25T02:30"
        );

        // Created with a time that cannot be: nothing is left behind.
        let before = s
            .app
            .get(&format!("/api/v1/workspaces/{}/posts", s.ws), &s.token)
            .await
            .json()["items"]
            .as_array()
            .unwrap()
            .len();
        let refused = s
            .app
            .post(
                &format!("/api/v1/workspaces/{}/posts", s.ws),
                &s.token,
                json!({"text": "Never", "channel_ids": [s.channel], "scheduled_at": at(-60 * MINUTE)}),
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(refused.error_fields(), ["scheduled_at"]);
        let after = s
            .app
            .get(&format!("/api/v1/workspaces/{}/posts", s.ws), &s.token)
            .await
            .json()["items"]
            .as_array()
            .unwrap()
            .len();
        assert_eq!(before, after);

        // A disconnected channel is named.
        let other = s.draft("To a disconnected channel.").await;
        s.app
            .post(
                &format!(
                    "/api/v1/workspaces/{}/channels/{}/disconnect",
                    s.ws, s.channel
                ),
                &s.token,
                json!({}),
            )
            .await;
        let refused = s.act(&other, "publish-now", json!({})).await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            refused.text()
        );
        assert_eq!(refused.error_fields(), ["channel_ids"]);
        assert!(refused.text().contains("not connected"));
    }
}

#[tokio::test]
async fn only_those_allowed_may_schedule_and_only_in_their_workspace() {
    for backend in backends() {
        let s = setup(backend).await;
        let post = s.draft("Mine.").await;
        let (_, writer) = s.app.user("contributor@example.com").await;
        s.app.join(&s.token, &s.ws, &writer, "contributor").await;
        let refused = s
            .app
            .post(
                &format!("/api/v1/workspaces/{}/posts/{post}/publish-now", s.ws),
                &writer,
                json!({}),
            )
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);

        let (_, stranger) = s.app.user("stranger@example.com").await;
        let theirs = s.app.workspace(&stranger, "Other").await;
        for action in ["schedule", "publish-now", "cancel", "retry", "attempts"] {
            let path = format!("/api/v1/workspaces/{theirs}/posts/{post}/{action}");
            let reply = if action == "attempts" {
                s.app.get(&path, &stranger).await
            } else {
                let body = if action == "schedule" {
                    json!({"at": at(MINUTE)})
                } else {
                    json!({})
                };
                s.app.post(&path, &stranger, body).await
            };
            assert_eq!(reply.status, StatusCode::NOT_FOUND, "{action}");
        }
        assert!(s.fake.statuses().is_empty());
    }
}
