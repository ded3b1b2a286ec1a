//! Posting queues through the API, on every database: weekly slots in the channel's zone,
//! "add to queue", "share next" moving the queued posts one slot later, and the workspace's
//! minimum gap between two posts on a channel.

use axum::http::StatusCode;
use serde_json::json;

use crate::publishing::{at, setup};
use crate::support::backends;

const MINUTE: i64 = 60_000;

#[tokio::test]
async fn queued_posts_take_the_next_free_slots_and_share_next_moves_them_on() {
    for backend in backends() {
        let s = setup(backend).await;
        let slots = format!("/api/v1/workspaces/{}/channels/{}/slots", s.ws, s.channel);
        let refused = s
            .app
            .request(
                axum::http::Method::PUT,
                &slots,
                Some(&s.token),
                Some(json!({"posting_slots": ["mon 09:00", "someday 25:00"], "time_zone": "Europe/Nowhere"})),
            )
            .await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            refused.text()
        );
        assert_eq!(refused.error_fields(), ["time_zone", "posting_slots[1]"]);

        let first = s.draft("First in the queue.").await;
        let none = s.act(&first, "schedule", json!({"queue": true})).await;
        assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(none.text().contains("no posting slots"), "{}", none.text());

        let set = s
            .app
            .request(
                axum::http::Method::PUT,
                &slots,
                Some(&s.token),
                Some(json!({"posting_slots": ["wed 09:00", "mon 09:00", "mon 09:00"], "time_zone": "Europe/Paris"})),
            )
            .await;
        assert_eq!(set.status, StatusCode::OK, "{}", set.text());
        assert_eq!(
            set.json()["posting_slots"],
            json!(["mon 09:00", "wed 09:00"])
        );

        // The test clock starts on Sunday 1 March 2026, 13:00 in Paris (UTC+1).
        let monday = "2026-03-02T08:00:00Z";
        let wednesday = "2026-03-04T08:00:00Z";
        let next_monday = "2026-03-09T08:00:00Z";
        let queued = s.act(&first, "schedule", json!({"queue": true})).await;
        assert_eq!(queued.status, StatusCode::OK, "{}", queued.text());
        let v = &queued.json()["variants"][0];
        assert_eq!(v["scheduled_at"], monday);
        assert_eq!(v["local_time"], "2026-03-02T09:00");
        assert_eq!(v["time_zone"], "Europe/Paris");
        let second = s.draft("Second in the queue.").await;
        let v = s
            .act(&second, "schedule", json!({"queue": true}))
            .await
            .json();
        assert_eq!(v["variants"][0]["scheduled_at"], wednesday);

        let urgent = s.draft("Breaking news.").await;
        let v = s
            .act(
                &urgent,
                "schedule",
                json!({"queue": true, "share_next": true}),
            )
            .await;
        assert_eq!(v.status, StatusCode::OK, "{}", v.text());
        assert_eq!(v.json()["variants"][0]["scheduled_at"], monday);
        assert_eq!(
            s.variant(&first).await["scheduled_at"],
            wednesday,
            "moved one slot on"
        );
        assert_eq!(s.variant(&second).await["scheduled_at"], next_monday);

        // Created straight into the queue.
        let created = s
            .app
            .post(
                &format!("/api/v1/workspaces/{}/posts", s.ws),
                &s.token,
                json!({"text": "Straight to the queue.", "channel_ids": [s.channel], "scheduled_at": "queue"}),
            )
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
        assert_eq!(
            created.json()["variants"][0]["scheduled_at"],
            "2026-03-11T08:00:00Z"
        );

        // Monday comes: only what is due goes out, in order.
        s.app.clock.advance_ms(20 * 60 * MINUTE);
        s.app.run_jobs().await;
        let sent = s.fake.statuses();
        assert_eq!(sent.len(), 1);
        assert_eq!(sent[0].text, "Breaking news.");
    }
}

#[tokio::test]
async fn a_minimum_gap_keeps_posts_on_a_channel_apart() {
    for backend in backends() {
        let s = setup(backend).await;
        let settings = format!("/api/v1/workspaces/{}/publishing", s.ws);
        let put = |body| {
            s.app.request(
                axum::http::Method::PUT,
                &settings,
                Some(&s.token),
                Some(body),
            )
        };
        let refused = put(json!({"grace_window_minutes": 2000, "min_gap_minutes": 0})).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            refused.error_fields(),
            ["grace_window_minutes", "min_gap_minutes"]
        );
        let ok = put(json!({"grace_window_minutes": 30, "min_gap_minutes": 60})).await;
        assert_eq!(ok.status, StatusCode::OK, "{}", ok.text());
        assert_eq!(ok.json()["min_gap_minutes"], 60);
        assert_eq!(ok.json()["grace_window_minutes"], 30);

        let one = s.draft("One.").await;
        let two = s.draft("Two.").await;
        assert_eq!(
            s.act(&one, "schedule", json!({"at": at(60 * MINUTE)}))
                .await
                .status,
            StatusCode::OK
        );
        let close = s
            .act(&two, "schedule", json!({"at": at(90 * MINUTE)}))
            .await;
        assert_eq!(
            close.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            close.text()
        );
        assert_eq!(close.error_fields(), ["at"]);
        assert!(close.text().contains("60 minutes"), "{}", close.text());
        assert_eq!(
            s.act(&two, "schedule", json!({"at": at(120 * MINUTE)}))
                .await
                .status,
            StatusCode::OK
        );
        // Rescheduling a post does not collide with itself.
        assert_eq!(
            s.act(&one, "schedule", json!({"at": at(50 * MINUTE)}))
                .await
                .status,
            StatusCode::OK
        );

        let (_, editor) = s.app.user("editor@example.com").await;
        s.app.join(&s.token, &s.ws, &editor, "editor").await;
        let forbidden = s
            .app
            .request(
                axum::http::Method::PUT,
                &settings,
                Some(&editor),
                Some(json!({"grace_window_minutes": 10, "min_gap_minutes": null})),
            )
            .await;
        assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
    }
}
