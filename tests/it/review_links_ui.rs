//! The composer's "Client review link" section over HTTP, on every database: creating or
//! revoking a link answers with the section's list as it now stands (the new address shown
//! once), and the section, loaded apart from the composer, listens for `post-changed`,
//! which the answers of the When and review forms raise, so sending the post for review
//! or approving it shows or stops the link form without a reload.
//! `browser/review_link.rs` drives the same in chromium.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};

use crate::composer_when_ui::{form, session};
use crate::publishing::setup;
use crate::review_links::links_path;
use crate::support::{Reply, TestApp, backends};

const LISTENS: &str = r#"hx-trigger="post-changed from:body""#;

/// The section as the composer loads it (htmx).
async fn section(app: &TestApp, path: &str, cookie: &str) -> Reply {
    let request = Request::builder()
        .uri(path)
        .header(header::COOKIE, cookie)
        .header("hx-request", "true")
        .body(Body::empty())
        .unwrap();
    let reply = app.send(request).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    reply
}

fn rows(html: &str) -> usize {
    html.matches(r#"<li class="row">"#).count()
}

#[tokio::test]
async fn the_section_answers_each_change_with_its_list_and_follows_the_post() {
    for backend in backends() {
        let s = setup(backend).await;
        let (cookie, csrf) = session(&s.app, "owner@example.com").await;
        let post = s.draft("Autumn blend is back.").await;
        let path = format!("/w/{}/posts/{post}/review-links", s.ws);

        // A draft: nothing to show, but the empty section listens.
        let html = section(&s.app, &path, &cookie).await.text();
        assert!(!html.contains("review-links-title"), "{html}");
        assert!(html.contains(LISTENS), "{html}");

        // Sent for review from the When section: the answer says the post changed, and
        // the section, loaded again, offers links.
        let submit = format!("/w/{}/posts/{post}/submit", s.ws);
        let body = format!("date=&time=&note=&csrf_token={csrf}");
        let sent = form(&s.app, &submit, &cookie, &body, true).await;
        assert_eq!(sent.status, StatusCode::OK, "{}", sent.text());
        assert_eq!(sent.headers["hx-trigger-after-settle"], "post-changed");
        let html = section(&s.app, &path, &cookie).await.text();
        assert!(html.contains("Create review link"), "{html}");
        assert!(html.contains(LISTENS), "{html}");
        assert_eq!(rows(&html), 0);

        // Each link made is listed in the answer at once, its address shown that once.
        let create = format!("expires_in_days=7&password=&csrf_token={csrf}");
        let made = form(&s.app, &path, &cookie, &create, true).await;
        assert_eq!(made.status, StatusCode::OK, "{}", made.text());
        let html = made.text();
        assert!(html.contains("Copy it now"), "{html}");
        assert!(html.contains(r#"id="review-link-url""#), "{html}");
        assert_eq!(rows(&html), 1, "{html}");
        assert!(html.contains(LISTENS), "the answer keeps listening: {html}");
        let html = form(&s.app, &path, &cookie, &create, true).await.text();
        assert_eq!(rows(&html), 2, "{html}");
        assert_eq!(html.matches(">active<").count(), 2, "{html}");

        // Revoking the newest lists it revoked, without its button, the other untouched.
        let listed = s.app.get(&links_path(&s, &post), &s.token).await.json();
        let newest = listed["items"][0]["id"].as_str().unwrap().to_owned();
        let revoke = format!("{path}/{newest}/revoke");
        let revoked = form(
            &s.app,
            &revoke,
            &cookie,
            &format!("csrf_token={csrf}"),
            true,
        )
        .await;
        assert_eq!(revoked.status, StatusCode::OK, "{}", revoked.text());
        let html = revoked.text();
        assert_eq!(rows(&html), 2, "{html}");
        assert_eq!(html.matches(">revoked<").count(), 1, "{html}");
        assert_eq!(html.matches(">active<").count(), 1, "{html}");
        assert_eq!(
            html.matches(r#"class="row-actions""#).count(),
            1,
            "one left to revoke"
        );
        assert!(
            !html.contains("Copy it now"),
            "the address is not shown again"
        );
        assert!(html.contains("it no longer opens"), "the toast: {html}");

        // Approved in the review section: the page hears of it, and the section no longer
        // offers new links (the post is out of review) but still lists the two.
        let approve = format!("/w/{}/posts/{post}/approve", s.ws);
        let body = format!("note=&csrf_token={csrf}");
        let approved = form(&s.app, &approve, &cookie, &body, true).await;
        assert_eq!(approved.status, StatusCode::OK, "{}", approved.text());
        assert_eq!(approved.headers["hx-trigger-after-settle"], "post-changed");
        let html = section(&s.app, &path, &cookie).await.text();
        assert!(!html.contains("Create review link"), "{html}");
        assert_eq!(rows(&html), 2, "{html}");
    }
}
