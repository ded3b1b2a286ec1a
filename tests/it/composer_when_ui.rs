//! The composer's "When" and review forms over HTTP, on every database: bad times are
//! named beside their field and change nothing, a repeated local time is asked about and
//! then settled, the controls follow the role (and the services refuse what is hidden), and
//! comments take unicode but not floods. The browser tests (`browser/composer_when.rs`,
//! `browser/composer_review.rs`) drive the same forms in chromium.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::json;

use crate::publishing::setup;
use crate::support::{Reply, TestApp, backends};

/// A session's cookie and CSRF token for `email`.
pub(crate) async fn session(app: &TestApp, email: &str) -> (String, String) {
    let s = app
        .services()
        .login(email, "correct horse battery", "127.0.0.1", "t")
        .await
        .unwrap();
    (
        format!("herald_session={}", s.cookie_token),
        s.session.csrf_token,
    )
}

/// An htmx form post (or a plain one when `htmx` is false).
pub(crate) async fn form(app: &TestApp, path: &str, cookie: &str, body: &str, htmx: bool) -> Reply {
    let mut request = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if htmx {
        request = request.header("hx-request", "true");
    }
    app.send(request.body(Body::from(body.to_owned())).unwrap())
        .await
}

pub(crate) async fn page(app: &TestApp, path: &str, cookie: &str) -> Reply {
    let request = Request::builder()
        .uri(path)
        .header(header::COOKIE, cookie)
        .body(Body::empty())
        .unwrap();
    app.send(request).await
}

fn enc(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[tokio::test]
async fn bad_times_are_named_and_a_repeated_time_is_asked_about() {
    for backend in backends() {
        let s = setup(backend).await;
        let post = s.draft("Fresh roast today.").await;
        let (cookie, csrf) = session(&s.app, "owner@example.com").await;
        let path = format!("/w/{}/posts/{post}/schedule", s.ws);
        let before = s.variant(&post).await;

        let without = form(
            &s.app,
            &path,
            &cookie,
            "action=at&date=2026-06-01&time=09:30",
            true,
        )
        .await;
        assert_eq!(without.status, StatusCode::FORBIDDEN, "no CSRF token");
        let huge = "9".repeat(10_000);
        for (body, says) in [
            ("date=&time=", "Choose a day"),
            ("date=2026-02-30&time=09:30", "Is not a date"),
            ("date=2026-06-01&time=9h", "Is not a time of day"),
            (
                &*format!("date={huge}&time={huge}&time_zone={huge}"),
                "Is not a date",
            ),
            (
                "date=2026-06-01&time=09:30&time_zone=Mars%2FOlympus",
                "Is not a time zone Herald knows",
            ),
            ("date=2026-02-01&time=09:30", "Is in the past"),
            (
                "date=2026-03-29&time=02:30&time_zone=Europe%2FParis",
                "does not exist on 29 March 2026",
            ),
        ] {
            let reply = form(
                &s.app,
                &path,
                &cookie,
                &format!("action=at&{body}&csrf_token={csrf}"),
                true,
            )
            .await;
            assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
            let html = reply.text();
            assert!(html.contains(says), "{body}: {html}");
            assert!(html.contains("hx-swap-oob"), "an htmx answer: {html}");
            // Only the date and time fields give back what was typed, never a message.
            let echoes: Vec<&str> = html
                .match_indices(&huge)
                .map(|(i, _)| &html[i.saturating_sub(80)..i])
                .collect();
            assert!(echoes.len() <= 2, "the flood is echoed: {echoes:?}");
        }
        assert_eq!(s.variant(&post).await, before, "nothing changed");

        // Clocks go back in Paris on 25 October 2026: 02:30 happens twice.
        let fold = format!(
            "action=at&date=2026-10-25&time=02:30&time_zone=Europe%2FParis&csrf_token={csrf}"
        );
        let asked = form(&s.app, &path, &cookie, &fold, true).await;
        assert_eq!(asked.status, StatusCode::UNPROCESSABLE_ENTITY);
        let html = asked.text();
        assert!(
            html.contains("happens twice") && html.contains("name=\"fold\" value=\"later\""),
            "{html}"
        );
        assert!(
            html.contains("value=\"02:30\""),
            "what was typed stays: {html}"
        );
        // Without JavaScript the same question comes back in the whole page.
        let plain = form(&s.app, &path, &cookie, &fold, false).await;
        assert_eq!(plain.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(plain.text().contains("<html") && plain.text().contains("happens twice"));
        let settled = form(&s.app, &path, &cookie, &format!("{fold}&fold=later"), false).await;
        assert_eq!(settled.status, StatusCode::SEE_OTHER, "{}", settled.text());
        let v = s.variant(&post).await;
        assert_eq!(v["state"], "scheduled");
        assert_eq!(
            v["scheduled_at"], "2026-10-25T01:30:00Z",
            "the later 02:30 (CET)"
        );
        let shown = page(&s.app, &format!("/w/{}/posts/{post}", s.ws), &cookie).await;
        assert!(
            shown.text().contains("02:30 CET (Europe/Paris)"),
            "{}",
            shown.text()
        );

        // Cancel, then the queue (no posting slots yet: the service says so), then now.
        let cancel = format!("/w/{}/posts/{post}/cancel", s.ws);
        let cancelled = form(
            &s.app,
            &cancel,
            &cookie,
            &format!("csrf_token={csrf}"),
            true,
        )
        .await;
        assert_eq!(cancelled.status, StatusCode::OK);
        assert!(cancelled.text().contains("Cancelled"));
        let again = form(
            &s.app,
            &cancel,
            &cookie,
            &format!("csrf_token={csrf}"),
            true,
        )
        .await;
        assert_eq!(again.status, StatusCode::CONFLICT, "nothing left to cancel");
        assert!(again.text().contains("Nothing to cancel"));
        let queued = form(
            &s.app,
            &path,
            &cookie,
            &format!("action=queue&csrf_token={csrf}"),
            true,
        )
        .await;
        assert_eq!(
            queued.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            queued.text()
        );
        assert_eq!(s.variant(&post).await["state"], "cancelled");
        let now = form(
            &s.app,
            &path,
            &cookie,
            &format!("action=now&csrf_token={csrf}"),
            true,
        )
        .await;
        assert_eq!(now.status, StatusCode::OK);
        assert!(now.text().contains("Publishing now."), "{}", now.text());
        assert_eq!(s.app.run_jobs().await, 1);
        assert_eq!(s.variant(&post).await["state"], "published");
        assert_eq!(s.fake.statuses().len(), 1);
        let html = page(&s.app, &format!("/w/{}/posts/{post}", s.ws), &cookie)
            .await
            .text();
        assert!(html.contains("See it on Mastodon"), "{html}");
        assert!(
            !html.contains("id=\"when-form\""),
            "nothing left to schedule"
        );
        // Published is read-only: a form sent from a stale page is refused, loudly.
        let stale = form(
            &s.app,
            &cancel,
            &cookie,
            &format!("csrf_token={csrf}"),
            true,
        )
        .await;
        assert_eq!(stale.status, StatusCode::CONFLICT);
        assert_eq!(stale.headers.get("hx-retarget").unwrap(), "#toasts");
    }
}

#[tokio::test]
async fn each_role_sees_its_controls_and_the_services_refuse_the_rest() {
    for backend in backends() {
        let s = setup(backend).await;
        let (_, viewer_token) = s.app.user("vera@example.com").await;
        let (_, contributor_token) = s.app.user("carl@example.com").await;
        s.app.join(&s.token, &s.ws, &viewer_token, "viewer").await;
        s.app
            .join(&s.token, &s.ws, &contributor_token, "contributor")
            .await;
        let created = s
            .app
            .post(
                &format!("/api/v1/workspaces/{}/posts", s.ws),
                &contributor_token,
                json!({"text": "Carl's idea", "channel_ids": [s.channel]}),
            )
            .await;
        let post = created.json()["id"].as_str().unwrap().to_owned();
        let composer = format!("/w/{}/posts/{post}", s.ws);
        let base = format!("/w/{}/posts/{post}", s.ws);

        let (carl, carl_csrf) = session(&s.app, "carl@example.com").await;
        let html = page(&s.app, &composer, &carl).await.text();
        assert!(html.contains("Submit for review"), "{html}");
        assert!(
            !html.contains("value=\"now\"") && !html.contains("review-approve"),
            "{html}"
        );
        let refused = form(
            &s.app,
            &format!("{base}/schedule"),
            &carl,
            &format!("action=now&csrf_token={carl_csrf}"),
            true,
        )
        .await;
        assert_eq!(
            refused.status,
            StatusCode::FORBIDDEN,
            "a contributor does not publish"
        );
        let sent = form(
            &s.app,
            &format!("{base}/submit"),
            &carl,
            &format!("date=&time=&note=Ready&csrf_token={carl_csrf}"),
            true,
        )
        .await;
        assert_eq!(sent.status, StatusCode::OK, "{}", sent.text());
        assert!(sent.text().contains("In review"));
        let approve = form(
            &s.app,
            &format!("{base}/approve"),
            &carl,
            &format!("note=&csrf_token={carl_csrf}"),
            true,
        )
        .await;
        assert_eq!(
            approve.status,
            StatusCode::FORBIDDEN,
            "a contributor does not approve"
        );

        let (vera, vera_csrf) = session(&s.app, "vera@example.com").await;
        let html = page(&s.app, &composer, &vera).await.text();
        assert!(
            !html.contains("id=\"when-form\"") && !html.contains("review-approve"),
            "{html}"
        );
        assert!(html.contains("comment-body"), "viewers may comment");
        let comment = format!("{base}/comments");
        let unicode = "Café ☕ — @carl, نص عربي";
        let said = form(
            &s.app,
            &comment,
            &vera,
            &format!("body={}&csrf_token={vera_csrf}", enc(unicode)),
            true,
        )
        .await;
        assert_eq!(said.status, StatusCode::OK);
        assert!(said.text().contains(unicode), "{}", said.text());
        for (body, says) in [("", "Write something"), (&*"x".repeat(6_000), "5000")] {
            let reply = form(
                &s.app,
                &comment,
                &vera,
                &format!("body={body}&csrf_token={vera_csrf}"),
                true,
            )
            .await;
            assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{says}");
            assert!(reply.text().contains(says), "{}", reply.text());
        }
        let comments = s
            .app
            .get(
                &format!("/api/v1/workspaces/{}/posts/{post}/comments", s.ws),
                &s.token,
            )
            .await
            .json();
        assert_eq!(
            comments["items"].as_array().unwrap().len(),
            1,
            "only the good one"
        );

        let (owner, owner_csrf) = session(&s.app, "owner@example.com").await;
        let html = page(&s.app, &composer, &owner).await.text();
        assert!(
            html.contains("review-approve") && html.contains("review-request-changes"),
            "{html}"
        );
        let empty = form(
            &s.app,
            &format!("{base}/request-changes"),
            &owner,
            &format!("note=&csrf_token={owner_csrf}"),
            true,
        )
        .await;
        assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(empty.text().contains("Say what should change"));
        let approved = form(
            &s.app,
            &format!("{base}/approve"),
            &owner,
            &format!("note=&csrf_token={owner_csrf}"),
            true,
        )
        .await;
        assert_eq!(approved.status, StatusCode::OK, "{}", approved.text());
        assert!(
            approved.text().contains("can be scheduled now"),
            "{}",
            approved.text()
        );
        assert_eq!(s.variant(&post).await["state"], "approved");
    }
}
