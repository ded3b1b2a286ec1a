//! The composer's "When" section follows a post going out, over HTTP, on every database:
//! it carries its htmx poll only while a channel is publishing or due within the minute
//! (never for a draft, a post due later, or one stuck long past its time), the poll's
//! answer turns into "Published" with the live link or the failure with its reason (and a
//! toast saying so) and stops polling, a page whose fields became read-only gets the whole
//! composer, and the address alone sends the browser back to the composer.
//! `browser/composer_when.rs` watches the same in chromium, with the real workers.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::json;

use crate::composer_when_ui::{page, session};
use crate::publishing::{at, setup};
use crate::support::fake_mastodon::Script;
use crate::support::{Reply, TestApp, backends};

const MINUTE: i64 = 60_000;

/// Whether the page or fragment carries the section's poll.
fn polls(html: &str) -> bool {
    html.contains(r#"id="when-poll""#) && html.contains(r#"hx-trigger="every 3s""#)
}

/// The address the section polls, from its `hx-get`.
fn poll_url(html: &str) -> String {
    let start = html.find(r#"id="when-poll""#).expect("the poll element");
    let rest = &html[start..];
    let from = rest.find(r#"hx-get=""#).expect("its hx-get") + 8;
    let to = rest[from..].find('"').unwrap();
    rest[from..from + to]
        .replace("&#38;", "&")
        .replace("&amp;", "&")
}

/// The poll as htmx sends it (or as a plain browser would, when `htmx` is false).
async fn poll(app: &TestApp, url: &str, cookie: &str, htmx: bool) -> Reply {
    let mut request = Request::builder().uri(url).header(header::COOKIE, cookie);
    if htmx {
        request = request.header("hx-request", "true");
    }
    app.send(request.body(Body::empty()).unwrap()).await
}

#[tokio::test]
async fn the_when_section_polls_only_while_a_channel_is_going_out() {
    for backend in backends() {
        let s = setup(backend).await;
        let (cookie, _) = session(&s.app, "owner@example.com").await;
        let composer = |post: &str| format!("/w/{}/posts/{post}", s.ws);

        // A draft, then a post due in ten minutes: nothing to follow yet.
        let post = s.draft("Fresh roast today.").await;
        let html = page(&s.app, &composer(&post), &cookie).await.text();
        assert!(html.contains(r#"id="post-when""#), "{html}");
        assert!(!polls(&html), "a draft does not poll");
        let scheduled = s
            .act(&post, "schedule", json!({"at": at(10 * MINUTE)}))
            .await;
        assert_eq!(scheduled.status, StatusCode::OK, "{}", scheduled.text());
        let html = page(&s.app, &composer(&post), &cookie).await.text();
        assert!(!polls(&html), "ten minutes ahead is not in flight");

        // Within its last minute it polls; the poll's answer polls on while it is due.
        s.app.clock.advance_ms(9 * MINUTE + 30_000);
        let html = page(&s.app, &composer(&post), &cookie).await.text();
        assert!(polls(&html), "due within a minute: {html}");
        let url = poll_url(&html);
        assert_eq!(
            url,
            format!("/w/{}/posts/{post}/when?locked=0&seen=scheduled", s.ws)
        );
        assert!(!html[html.find(r#"id="when-poll""#).unwrap()..].starts_with("<form"));
        let answer = poll(&s.app, &url, &cookie, true).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
        let text = answer.text();
        assert!(polls(&text), "still due: {text}");
        assert!(
            text.trim_start().starts_with(r#"<section id="post-when""#),
            "the section itself, not out of band: {text}"
        );
        assert!(!text.contains("autofocus"), "a poll moves no focus: {text}");
        assert!(answer.headers.get("hx-retarget").is_none());

        // Twenty minutes overdue (no worker ran): stuck, not in flight; the page stops.
        s.app.clock.advance_ms(20 * MINUTE);
        let html = page(&s.app, &composer(&post), &cookie).await.text();
        assert!(!polls(&html), "a stuck post is not polled forever");
        let cancelled = s.act(&post, "cancel", json!({})).await;
        assert_eq!(cancelled.status, StatusCode::OK, "{}", cancelled.text());

        // Published now: in flight until the worker has run, then "Published" with the
        // live link, a toast, and no more polling.
        let now = s.draft("Our spring roast.").await;
        let published = s.act(&now, "publish-now", json!({})).await;
        assert_eq!(published.status, StatusCode::OK, "{}", published.text());
        let html = page(&s.app, &composer(&now), &cookie).await.text();
        assert!(polls(&html), "publishing now: {html}");
        let url = poll_url(&html);
        assert!(url.contains("seen=scheduled"), "{url}");
        assert!(s.app.run_jobs().await >= 1);
        let live = s.fake.statuses();
        assert_eq!(live.len(), 1);
        // The page's fields were editable and a published post's are not: the whole
        // composer comes back, into #main.
        let answer = poll(&s.app, &url, &cookie, true).await;
        assert_eq!(answer.status, StatusCode::OK);
        assert_eq!(
            answer
                .headers
                .get("hx-retarget")
                .map(|v| v.to_str().unwrap()),
            Some("#main")
        );
        let text = answer.text();
        assert!(text.contains("can no longer be changed"), "{text}");
        assert!(text.contains("Published: @alice"), "the toast: {text}");
        assert!(!polls(&text), "nothing in flight: {text}");
        // A page already read-only gets the section alone.
        let locked = url.replace("locked=0", "locked=1");
        let answer = poll(&s.app, &locked, &cookie, true).await;
        let text = answer.text();
        assert!(answer.headers.get("hx-retarget").is_none());
        assert!(text.contains("state-published"), "{text}");
        assert!(
            text.contains(&format!("https://fake.example/@alice/{}", live[0].id)),
            "the live link: {text}"
        );
        assert!(text.contains("Published: @alice"), "{text}");
        assert!(!polls(&text), "the poll stops: {text}");
        // Told once: the page now says "published", so a poll seeing that says nothing.
        let quiet = locked.replace("seen=scheduled", "seen=published");
        let text = poll(&s.app, &quiet, &cookie, true).await.text();
        assert!(!text.contains(r#"class="toast"#), "{text}");

        // A refused post: the reason in red, in the section and a toast; no more polling.
        s.fake.script([Script::Refused {
            error: "Validation failed: Text character limit of 500 exceeded".into(),
        }]);
        let refused = s.draft("Too long, says the network.").await;
        s.act(&refused, "publish-now", json!({})).await;
        let html = page(&s.app, &composer(&refused), &cookie).await.text();
        let url = poll_url(&html);
        s.app.run_jobs().await;
        let answer = poll(&s.app, &url, &cookie, true).await;
        let text = answer.text();
        assert!(
            answer.headers.get("hx-retarget").is_none(),
            "a failed post is editable again, like the page"
        );
        assert!(text.contains("state-failed"), "{text}");
        assert!(text.contains("when-reason"), "{text}");
        assert!(text.contains("toast toast-error"), "{text}");
        assert!(text.contains("character limit"), "{text}");
        assert!(!polls(&text), "{text}");

        // The address alone (no htmx) is the composer's.
        let plain = poll(&s.app, &url, &cookie, false).await;
        assert_eq!(plain.status, StatusCode::SEE_OTHER);
        assert_eq!(
            plain.headers[header::LOCATION],
            format!("/w/{}/posts/{refused}#post-when", s.ws).as_str()
        );
    }
}
