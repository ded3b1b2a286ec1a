//! Recurring posts through the API, on every database: occurrences made a week ahead at
//! the same local time across a daylight-saving change, series that end after N times or
//! on a date, and a cancelled series.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::evergreen::tick;
use crate::publishing::{Setup, setup};
use crate::support::backends;

const DAY: i64 = 86_400_000;

/// Moves the test clock to an RFC 3339 instant, then runs what is due there.
async fn run_at(s: &Setup, instant: &str) {
    let target = instant.parse::<jiff::Timestamp>().unwrap().as_millisecond();
    let now = herald::domain::Clock::now_ms(&s.app.clock);
    s.app.clock.advance_ms(target - now);
    s.app.run_jobs().await;
}

async fn repeat(s: &Setup, post: &str, body: Value) -> crate::support::Reply {
    s.app
        .request(
            Method::PUT,
            &format!("/api/v1/workspaces/{}/posts/{post}/recurrence", s.ws),
            Some(&s.token),
            Some(body),
        )
        .await
}

async fn series(s: &Setup, post: &str) -> Value {
    s.app
        .get(
            &format!("/api/v1/workspaces/{}/posts/{post}/recurrence", s.ws),
            &s.token,
        )
        .await
        .json()
}

#[tokio::test]
async fn bad_rules_name_their_fields_and_change_nothing() {
    for backend in backends() {
        let s = setup(backend).await;
        let post = s.draft("Weekly roast news.").await;
        let refused = repeat(
            &s,
            &post,
            json!({"every": "fortnight", "time": "25:00", "start": "2026-02-30",
                   "time_zone": "Mars/Olympus", "until": "soon", "count": 0, "weekdays": ["funday"]}),
        )
        .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            refused.error_fields(),
            [
                "time_zone",
                "every",
                "weekdays[0]",
                "time",
                "start",
                "until",
                "count"
            ]
        );
        let refused = repeat(
            &s,
            &post,
            json!({"every": "day", "interval": 400, "time": "09:00", "start": "2026-03-02"}),
        )
        .await;
        assert_eq!(refused.error_fields(), ["interval"]);
        let refused = repeat(
            &s,
            &post,
            json!({"every": "day", "time": "09:00", "start": "2026-03-10", "until": "2026-03-09"}),
        )
        .await;
        assert_eq!(refused.error_fields(), ["until"]);
        let none = s
            .app
            .get(
                &format!("/api/v1/workspaces/{}/posts/{post}/recurrence", s.ws),
                &s.token,
            )
            .await;
        assert_eq!(none.status, StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn weekly_occurrences_keep_09_00_across_the_change_to_summer_time_and_stop_after_n() {
    for backend in backends() {
        let s = setup(backend).await;
        let post = s.draft("Monday roast news.").await;
        let set = repeat(
            &s,
            &post,
            json!({"every": "week", "weekdays": ["mon"], "time": "09:00", "start": "2026-03-23",
                   "time_zone": "Europe/Paris", "count": 3}),
        )
        .await;
        assert_eq!(set.status, StatusCode::OK, "{}", set.text());
        let v = set.json();
        assert_eq!(v["rule"], "every week on mon at 09:00 from 2026-03-23");
        // Paris moves to summer time on 29 March: 09:00 is 08:00Z before, 07:00Z after.
        assert_eq!(
            v["upcoming"],
            json!([
                "2026-03-23T08:00:00Z",
                "2026-03-30T07:00:00Z",
                "2026-04-06T07:00:00Z"
            ])
        );
        assert_eq!(v["made"], 0, "more than a week away: nothing made yet");

        // 17 March: the first occurrence is a week away, and is made.
        run_at(&s, "2026-03-17T12:00:00Z").await;
        tick(&s).await;
        let v = series(&s, &post).await;
        assert_eq!(v["made"], 1);
        let first = v["occurrences"][0]["post_id"].as_str().unwrap().to_owned();
        let occurrence = s.variant(&first).await;
        assert_eq!(occurrence["state"], "scheduled");
        assert_eq!(occurrence["scheduled_at"], "2026-03-23T08:00:00Z");
        assert_eq!(occurrence["local_time"], "2026-03-23T09:00");
        assert_eq!(occurrence["time_zone"], "Europe/Paris");
        assert_eq!(
            s.variant(&post).await["state"],
            "draft",
            "the template stays"
        );

        // 23 March, 09:00 in Paris: the first goes out; the second, a week on and after the
        // change to summer time, is made.
        run_at(&s, "2026-03-23T08:00:00Z").await;
        tick(&s).await;
        assert_eq!(s.fake.statuses().len(), 1);
        let v = series(&s, &post).await;
        assert_eq!(v["made"], 2);
        assert_eq!(v["occurrences"][1]["at"], "2026-03-30T07:00:00Z");
        let second = v["occurrences"][1]["post_id"].as_str().unwrap().to_owned();
        assert_eq!(s.variant(&second).await["local_time"], "2026-03-30T09:00");

        // 30 March: the second goes out at 09:00 summer time; the third and last is made,
        // and the series ends.
        run_at(&s, "2026-03-30T07:00:00Z").await;
        tick(&s).await;
        assert_eq!(s.fake.statuses().len(), 2);
        let v = series(&s, &post).await;
        assert_eq!(v["made"], 3);
        assert_eq!(v["state"], "ended");
        assert_eq!(v["upcoming"], json!([]));
        run_at(&s, "2026-04-06T07:00:00Z").await;
        s.app.clock.advance_ms(14 * DAY);
        tick(&s).await;
        assert_eq!(
            series(&s, &post).await["occurrences"]
                .as_array()
                .unwrap()
                .len(),
            3
        );
        assert_eq!(s.fake.statuses().len(), 3);
        assert!(
            s.fake
                .statuses()
                .iter()
                .all(|st| st.text == "Monday roast news.")
        );
    }
}

#[tokio::test]
async fn a_series_ends_on_its_date_and_a_cancelled_one_takes_its_occurrences_back() {
    for backend in backends() {
        let s = setup(backend).await;
        // Daily from Monday 2 March to Wednesday 4 March: all three are within the week,
        // so they are made at once.
        let short = s.draft("Three-day sale.").await;
        let v = repeat(
            &s,
            &short,
            json!({"every": "day", "time": "08:00", "start": "2026-03-02", "until": "2026-03-04"}),
        )
        .await
        .json();
        assert_eq!(v["made"], 3, "{v}");
        assert_eq!(v["state"], "ended");
        let times: Vec<&str> = v["occurrences"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["at"].as_str().unwrap())
            .collect();
        assert_eq!(
            times,
            [
                "2026-03-02T07:00:00Z",
                "2026-03-03T07:00:00Z",
                "2026-03-04T07:00:00Z"
            ]
        );

        // Monthly on the 31st falls on the last day of shorter months.
        let monthly = s.draft("Month-end report.").await;
        let v = repeat(
            &s,
            &monthly,
            json!({"every": "month", "time": "17:00", "start": "2026-03-31"}),
        )
        .await
        .json();
        assert_eq!(
            v["upcoming"].as_array().unwrap()[..3],
            [
                json!("2026-03-31T15:00:00Z"),
                json!("2026-04-30T15:00:00Z"),
                json!("2026-05-31T15:00:00Z")
            ]
        );

        let open = s.draft("Daily tip.").await;
        let v = repeat(
            &s,
            &open,
            json!({"every": "day", "time": "12:00", "start": "2026-03-02"}),
        )
        .await
        .json();
        assert_eq!(v["made"], 7, "a week ahead: {v}");
        let path = format!("/api/v1/workspaces/{}/posts/{open}/recurrence", s.ws);
        let cancelled = s.app.delete(&path, &s.token).await;
        assert_eq!(cancelled.status, StatusCode::OK, "{}", cancelled.text());
        let v = cancelled.json();
        assert_eq!(v["state"], "cancelled");
        for o in v["occurrences"].as_array().unwrap() {
            let made = s.variant(o["post_id"].as_str().unwrap()).await;
            assert_eq!(made["state"], "cancelled");
        }
        s.app.clock.advance_ms(8 * DAY);
        tick(&s).await;
        assert_eq!(series(&s, &open).await["made"], 7);
        assert!(
            s.fake.statuses().iter().all(|st| st.text != "Daily tip."),
            "nothing of a cancelled series goes out"
        );
        assert_eq!(
            s.app.delete(&path, &s.token).await.status,
            StatusCode::CONFLICT
        );
    }
}
