//! Evergreen queues through the API, on every database: the library fills a channel's next
//! empty posting slot with a copy of the post that waited longest, one at a time, never the
//! same post again within the interval, never a post published there within the skip
//! window, and nothing while the library is empty or paused.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::publishing::{Setup, setup};
use crate::support::backends;

const MINUTE: i64 = 60_000;
const HOUR: i64 = 60 * MINUTE;

/// Moves the clock on a quarter of an hour (a new periodic slot) and runs what is due, as
/// a worker would.
pub async fn tick(s: &Setup) {
    s.app.clock.advance_ms(15 * MINUTE);
    s.app.services().ensure_periodic().await;
    s.app.run_jobs().await;
}

/// Every day at 09:00 in Paris.
pub async fn daily_slots(s: &Setup) {
    let slots = format!("/api/v1/workspaces/{}/channels/{}/slots", s.ws, s.channel);
    let days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map(|d| format!("{d} 09:00"));
    let set = s
        .app
        .request(
            Method::PUT,
            &slots,
            Some(&s.token),
            Some(json!({"posting_slots": days, "time_zone": "Europe/Paris"})),
        )
        .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.text());
}

/// The workspace's posts whose text is `text`, newest first.
pub async fn posts_with_text(s: &Setup, text: &str) -> Vec<Value> {
    let all = s
        .app
        .get(&format!("/api/v1/workspaces/{}/posts", s.ws), &s.token)
        .await
        .json();
    all["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["text"] == text)
        .cloned()
        .collect()
}

#[tokio::test]
async fn the_library_recycles_one_post_at_a_time_within_its_rules() {
    for backend in backends() {
        let s = setup(backend).await;
        daily_slots(&s).await;
        let library = format!("/api/v1/workspaces/{}/evergreen", s.ws);
        let s = &s;
        let put = |path: String, body: Option<Value>| async move {
            s.app
                .request(Method::PUT, &path, Some(&s.token), body)
                .await
        };

        let fresh = s.app.get(&library, &s.token).await.json();
        assert_eq!(fresh["enabled"], false);
        assert_eq!(fresh["posts"], json!([]));
        let refused = put(
            library.clone(),
            Some(json!({"enabled": true, "min_interval_days": 0, "skip_recent_days": -1})),
        )
        .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            refused.error_fields(),
            ["min_interval_days", "skip_recent_days"]
        );
        let set = put(
            library.clone(),
            Some(json!({"enabled": true, "min_interval_days": 3, "skip_recent_days": 3})),
        )
        .await;
        assert_eq!(set.status, StatusCode::OK, "{}", set.text());

        // An empty library pauses: the pass says so and makes nothing.
        tick(s).await;
        let paused = s.app.get(&library, &s.token).await.json();
        assert_eq!(paused["last_note"], "Paused: the library is empty.");

        let a = s.draft("Evergreen A: how we roast.").await;
        let b = s.draft("Evergreen B: our growers.").await;
        for post in [&a, &b] {
            let marked = put(
                format!("/api/v1/workspaces/{}/posts/{post}/evergreen", s.ws),
                None,
            )
            .await;
            assert_eq!(marked.status, StatusCode::OK, "{}", marked.text());
        }
        assert_eq!(
            s.app.get(&library, &s.token).await.json()["posts"]
                .as_array()
                .unwrap()
                .len(),
            2
        );

        // Sunday 13:15 in Paris: Monday 09:00 is less than a day away, so A (added first,
        // never shared) fills it, as a new queued post.
        tick(s).await;
        let copies_a = posts_with_text(s, "Evergreen A: how we roast.").await;
        assert_eq!(copies_a.len(), 2, "the library post and one re-share");
        let copy = &copies_a[0];
        assert_ne!(copy["id"], a.as_str());
        assert_eq!(copy["variants"][0]["state"], "scheduled");
        assert_eq!(copy["variants"][0]["scheduled_at"], "2026-03-02T08:00:00Z");
        // The library post itself is untouched: never published twice.
        assert_eq!(s.variant(&a).await["state"], "draft");

        // Never two at once: while that re-share waits, the pass adds nothing.
        tick(s).await;
        tick(s).await;
        assert_eq!(
            posts_with_text(s, "Evergreen A: how we roast.").await.len(),
            2
        );
        assert!(posts_with_text(s, "Evergreen B: our growers.").await.len() == 1);
        let note = s.app.get(&library, &s.token).await.json()["last_note"].clone();
        assert!(
            note.as_str().unwrap().contains("already on its way"),
            "{note}"
        );

        // Monday 09:00: A goes out; then B (never shared) fills Tuesday.
        s.app.clock.advance_ms(19 * HOUR);
        s.app.run_jobs().await;
        tick(s).await;
        assert_eq!(s.fake.statuses().len(), 1);
        assert_eq!(s.fake.statuses()[0].text, "Evergreen A: how we roast.");
        let copies_b = posts_with_text(s, "Evergreen B: our growers.").await;
        assert_eq!(copies_b.len(), 2);
        assert_eq!(
            copies_b[0]["variants"][0]["scheduled_at"],
            "2026-03-03T08:00:00Z"
        );

        // Tuesday: B goes out; Wednesday stays empty (A was shared a day ago, B today: the
        // interval is 3 days).
        s.app.clock.advance_ms(24 * HOUR);
        s.app.run_jobs().await;
        tick(s).await;
        assert_eq!(s.fake.statuses().len(), 2);
        assert_eq!(
            posts_with_text(s, "Evergreen A: how we roast.").await.len(),
            2
        );
        let note = s.app.get(&library, &s.token).await.json()["last_note"].clone();
        assert!(note.as_str().unwrap().contains("too recently"), "{note}");

        // Tuesday 09:30: C is published by hand, then added to the library.
        let c = s.draft("Evergreen C: brewing guide.").await;
        let now = s.act(&c, "publish-now", json!({})).await;
        assert_eq!(now.status, StatusCode::OK, "{}", now.text());
        s.app.run_jobs().await;
        assert_eq!(s.variant(&c).await["state"], "published");
        let marked = put(
            format!("/api/v1/workspaces/{}/posts/{c}/evergreen", s.ws),
            None,
        )
        .await;
        assert_eq!(marked.status, StatusCode::OK);
        // Thursday 09:45: Friday's slot goes to A (shared Monday, 3 days ago), not to C,
        // which the library never shared but which was published on the channel within
        // the 3-day skip window.
        s.app.clock.advance_ms(48 * HOUR);
        tick(s).await;
        let copies_a = posts_with_text(s, "Evergreen A: how we roast.").await;
        assert_eq!(copies_a.len(), 3, "A again, three days on");
        assert_eq!(
            copies_a[0]["variants"][0]["scheduled_at"],
            "2026-03-06T08:00:00Z"
        );
        assert_eq!(
            posts_with_text(s, "Evergreen C: brewing guide.")
                .await
                .len(),
            1
        );
        let listed = s.app.get(&library, &s.token).await.json();
        let entry_a = listed["posts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["post_id"] == a.as_str())
            .unwrap()
            .clone();
        assert_eq!(entry_a["shares"], 2);
        assert_eq!(entry_a["last_shared_at"], "2026-03-06T08:00:00Z");

        // Paused: nothing more, even with free slots and eligible posts.
        let paused = put(
            library.clone(),
            Some(json!({"enabled": false, "min_interval_days": 1, "skip_recent_days": 0})),
        )
        .await;
        assert_eq!(paused.status, StatusCode::OK);
        s.app.clock.advance_ms(48 * HOUR);
        let before = s
            .app
            .get(&format!("/api/v1/workspaces/{}/posts", s.ws), &s.token)
            .await
            .json()["items"]
            .as_array()
            .unwrap()
            .len();
        tick(s).await;
        let after = s
            .app
            .get(&format!("/api/v1/workspaces/{}/posts", s.ws), &s.token)
            .await
            .json()["items"]
            .as_array()
            .unwrap()
            .len();
        assert_eq!(before, after);

        // Unmarking takes a post out; a post not in the library is not found.
        let path = format!("/api/v1/workspaces/{}/posts/{a}/evergreen", s.ws);
        let out = s.app.delete(&path, &s.token).await;
        assert_eq!(out.status, StatusCode::OK);
        assert_eq!(out.json()["posts"].as_array().unwrap().len(), 2);
        assert_eq!(
            s.app.delete(&path, &s.token).await.status,
            StatusCode::NOT_FOUND
        );
    }
}

#[tokio::test]
async fn a_post_without_channels_cannot_join_the_library_and_viewers_cannot_mark() {
    for backend in backends() {
        let s = setup(backend).await;
        let bare = s
            .app
            .post(
                &format!("/api/v1/workspaces/{}/posts", s.ws),
                &s.token,
                json!({"text": "No channel yet."}),
            )
            .await
            .json();
        let path = format!(
            "/api/v1/workspaces/{}/posts/{}/evergreen",
            s.ws,
            bare["id"].as_str().unwrap()
        );
        let refused = s
            .app
            .request(Method::PUT, &path, Some(&s.token), None)
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(refused.error_fields(), ["channel_ids"]);

        let post = s.draft("Good one.").await;
        let (_, viewer) = s.app.user("viewer@example.com").await;
        s.app.join(&s.token, &s.ws, &viewer, "viewer").await;
        let path = format!("/api/v1/workspaces/{}/posts/{post}/evergreen", s.ws);
        let denied = s.app.request(Method::PUT, &path, Some(&viewer), None).await;
        assert_eq!(denied.status, StatusCode::FORBIDDEN, "{}", denied.text());
        let settings = format!("/api/v1/workspaces/{}/evergreen", s.ws);
        let denied = s
            .app
            .request(
                Method::PUT,
                &settings,
                Some(&viewer),
                Some(json!({"enabled": true, "min_interval_days": 1, "skip_recent_days": 0})),
            )
            .await;
        assert_eq!(denied.status, StatusCode::FORBIDDEN);
    }
}
