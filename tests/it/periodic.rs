//! Periodic work without a leader: two workers sharing one database (PostgreSQL when
//! HERALD_TEST_DATABASE_URL is set, each test its own database) both queue every slot and
//! both claim, yet each slot's run happens once, and the evergreen library it drives
//! re-shares once.

use axum::http::Method;
use serde_json::json;

use crate::evergreen::{daily_slots, posts_with_text};
use crate::publishing::setup;
use crate::support::backends;

const MINUTE: i64 = 60_000;

#[tokio::test]
async fn two_workers_run_each_periodic_slot_once() {
    for backend in backends() {
        let s = setup(backend).await;
        daily_slots(&s).await;
        let post = s.draft("Evergreen: our story.").await;
        let marked = s
            .app
            .request(
                Method::PUT,
                &format!("/api/v1/workspaces/{}/posts/{post}/evergreen", s.ws),
                Some(&s.token),
                None,
            )
            .await;
        assert_eq!(marked.status, axum::http::StatusCode::OK);
        let library = format!("/api/v1/workspaces/{}/evergreen", s.ws);
        s.app
            .request(
                Method::PUT,
                &library,
                Some(&s.token),
                Some(json!({"enabled": true, "min_interval_days": 1, "skip_recent_days": 0})),
            )
            .await;

        let (one, two) = (s.app.app.worker(), s.app.app.worker());
        assert_ne!(one.id(), two.id());
        let slots = 12;
        for _ in 0..slots {
            // Both start (each queues the current slots), then both claim at once.
            tokio::join!(
                s.app.services().ensure_periodic(),
                s.app.services().ensure_periodic()
            );
            let (a, b) = tokio::join!(one.run_due(), two.run_due());
            a.unwrap();
            b.unwrap();
            s.app.clock.advance_ms(15 * MINUTE);
        }
        for task in ["evergreen", "recurrence", "feeds"] {
            let runs = herald::storage::periodic::runs(&s.app.services().db, task)
                .await
                .unwrap();
            let expected = if task == "feeds" { 3 * slots } else { slots };
            // Feeds run every 5 minutes: three slots per quarter, the two in between
            // queued by the run before them and run late, at the next quarter.
            assert!(
                runs.len() >= slots && runs.len() <= expected,
                "{task}: {} runs",
                runs.len()
            );
            assert!(
                runs.iter().all(|(_, tries)| *tries == 1),
                "{task}: a slot claimed twice: {runs:?}"
            );
        }
        // Sunday 13:00 to 16:00: Monday 09:00 was filled once, by one of the two.
        assert_eq!(posts_with_text(&s, "Evergreen: our story.").await.len(), 2);
    }
}

#[tokio::test]
async fn a_slot_is_skipped_while_the_previous_run_of_its_task_is_still_going() {
    for backend in backends() {
        let s = setup(backend).await;
        daily_slots(&s).await;
        let post = s.draft("Evergreen: one pass at a time.").await;
        s.app
            .request(
                Method::PUT,
                &format!("/api/v1/workspaces/{}/posts/{post}/evergreen", s.ws),
                Some(&s.token),
                None,
            )
            .await;
        s.app
            .request(
                Method::PUT,
                &format!("/api/v1/workspaces/{}/evergreen", s.ws),
                Some(&s.token),
                Some(json!({"enabled": true, "min_interval_days": 1, "skip_recent_days": 0})),
            )
            .await;
        // A worker takes this quarter's runs and is still at them (an hour's lease).
        s.app.services().ensure_periodic().await;
        let db = &s.app.services().db;
        let now = s.app.services().now_ms();
        let held = herald::storage::jobs::claim(db, "slow-worker", now, 60 * MINUTE, 10)
            .await
            .unwrap();
        assert!(held.iter().any(|j| j.kind == "periodic"));
        // The next quarter's evergreen run starts meanwhile: it must not fill the slots the
        // first is filling.
        s.app.clock.advance_ms(15 * MINUTE);
        s.app.services().ensure_periodic().await;
        s.app.run_jobs().await;
        assert_eq!(
            posts_with_text(&s, "Evergreen: one pass at a time.")
                .await
                .len(),
            1
        );
        // Once nothing else is running, the following quarter does the work.
        let ids: Vec<_> = held.iter().map(|j| j.id).collect();
        for id in ids {
            let finish = herald::storage::group_commit::Write::Finish {
                job_id: id,
                worker: "slow-worker".into(),
                finish: herald::storage::jobs::Finish::Done,
                now_ms: s.app.services().now_ms(),
            };
            s.app.services().commits.write(finish).await.unwrap();
        }
        s.app.clock.advance_ms(15 * MINUTE);
        s.app.services().ensure_periodic().await;
        s.app.run_jobs().await;
        assert_eq!(
            posts_with_text(&s, "Evergreen: one pass at a time.")
                .await
                .len(),
            2
        );
    }
}
