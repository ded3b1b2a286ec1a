//! Tenant isolation in the web UI: every page and form that takes a workspace, member,
//! invite, session or token id answers 404 to an outsider and changes nothing.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::json;

use crate::support::{TestApp, backends};

/// Every UI route that carries an id, with a form body that passes validation.
const ROUTES: &[(&str, &str, &str)] = &[
    ("GET", "/w/{ws}", ""),
    ("GET", "/w/{ws}/settings", ""),
    (
        "POST",
        "/w/{ws}/settings",
        "name=Taken&time_zone=UTC&brand_voice=&words_to_avoid=&hashtags=&audience_notes=&goals=",
    ),
    (
        "POST",
        "/w/{ws}/settings/webhooks",
        "url=https%3A%2F%2F93.184.215.14%2Fhook&events=post.created",
    ),
    ("GET", "/w/{ws}/brand", ""),
    (
        "POST",
        "/w/{ws}/brand",
        "logo_media_id=&cover_media_id=&colors=%23ff0000&op=save",
    ),
    (
        "POST",
        "/w/{ws}/brand",
        "logo_media_id=&cover_media_id=&op=add-color",
    ),
    ("POST", "/w/{ws}/brand/review", "action=submit&note="),
    ("GET", "/w/{ws}/brand/images/x-avatar-400x400.png", ""),
    ("GET", "/w/{ws}/brand/images.zip", ""),
    ("GET", "/w/{ws}/brand/pictures/{media}", ""),
    ("GET", "/w/{mine}/brand/pictures/{media}", ""),
    ("POST", "/w/{ws}/archive", ""),
    ("POST", "/w/{ws}/restore", ""),
    ("GET", "/w/{ws}/members", ""),
    ("POST", "/w/{ws}/members/{user}/role", "role=viewer"),
    ("POST", "/w/{ws}/members/{user}/remove", ""),
    ("POST", "/w/{ws}/leave", ""),
    (
        "POST",
        "/w/{ws}/invites",
        "role=viewer&note=&expires_in_days=7",
    ),
    ("POST", "/w/{ws}/invites/{invite}/revoke", ""),
    ("GET", "/w/{ws}/channels", ""),
    ("GET", "/w/{ws}/media", ""),
    ("GET", "/w/{ws}/media?q=secret", ""),
    ("POST", "/w/{ws}/media", "alt_text=Outsider"),
    ("GET", "/w/{ws}/media/{media}", ""),
    ("GET", "/w/{mine}/media/{media}", ""),
    (
        "POST",
        "/w/{ws}/media/{media}",
        "name=Outsider&alt_text=Outsider&tags=x",
    ),
    (
        "POST",
        "/w/{mine}/media/{media}",
        "name=Outsider&alt_text=Outsider&tags=x",
    ),
    ("POST", "/w/{ws}/media/{media}/focal-point", "x=10&y=10"),
    ("POST", "/w/{mine}/media/{media}/focal-point", "x=10&y=10"),
    ("POST", "/w/{ws}/media/{media}/delete", ""),
    ("POST", "/w/{mine}/media/{media}/delete", ""),
    ("GET", "/w/{ws}/media/{media}/file", ""),
    ("GET", "/w/{mine}/media/{media}/file", ""),
    ("GET", "/w/{ws}/media/{media}/thumbnail", ""),
    ("GET", "/w/{mine}/media/{media}/thumbnail", ""),
    ("GET", "/w/{ws}/media/{media}/renditions/instagram", ""),
    ("GET", "/w/{mine}/media/{media}/renditions/instagram", ""),
    ("GET", "/w/{ws}/posts", ""),
    ("GET", "/w/{ws}/posts/new", ""),
    ("GET", "/w/{ws}/posts/media-picker", ""),
    (
        "GET",
        "/w/{ws}/posts/media-picker?q=roastery&post={post}",
        "",
    ),
    ("GET", "/w/{mine}/posts/media-picker?post={post}", ""),
    (
        "POST",
        "/w/{ws}/posts",
        "text=Outsider&channel_ids={channel}",
    ),
    (
        "POST",
        "/w/{ws}/posts",
        "id={post}&text=Outsider&tags=&notes=",
    ),
    (
        "POST",
        "/w/{mine}/posts",
        "id={post}&text=Outsider&tags=&notes=",
    ),
    ("GET", "/w/{ws}/posts/{post}", ""),
    ("GET", "/w/{mine}/posts/{post}", ""),
    (
        "POST",
        "/w/{ws}/posts/{post}",
        "text=Outsider&channel_ids={channel}&tags=x&campaign_id=&assignee_id=&notes=",
    ),
    (
        "POST",
        "/w/{mine}/posts/{post}",
        "text=Outsider&tags=&notes=",
    ),
    (
        "POST",
        "/w/{ws}/posts/{post}",
        "text=Bob&media_sent=1&media_action=add:{media}&credit.url=https%3A%2F%2Fa.example",
    ),
    ("POST", "/w/{ws}/posts/{post}/delete", ""),
    ("POST", "/w/{mine}/posts/{post}/delete", ""),
    (
        "POST",
        "/w/{ws}/posts/{post}/variants/{variant}",
        "parts=Outsider&action=detach&language=en",
    ),
    (
        "POST",
        "/w/{mine}/posts/{post}/variants/{variant}",
        "parts=Outsider&language=en",
    ),
    (
        "POST",
        "/w/{ws}/posts/{post}/variants/{variant}/track-links",
        "",
    ),
    (
        "POST",
        "/w/{mine}/posts/{post}/variants/{variant}/track-links",
        "",
    ),
    (
        "GET",
        "/w/{ws}/posts/{post}/variants/{variant}/link-preview",
        "",
    ),
    (
        "GET",
        "/w/{mine}/posts/{post}/variants/{variant}/link-preview",
        "",
    ),
    (
        "GET",
        "/w/{ws}/link-preview/image?url=https%3A%2F%2Facme.example%2Fa.png&sig=00",
        "",
    ),
    ("POST", "/w/{ws}/posts/{post}/schedule", "action=now"),
    ("POST", "/w/{mine}/posts/{post}/schedule", "action=now"),
    ("POST", "/w/{ws}/posts/{post}/cancel", ""),
    (
        "POST",
        "/w/{ws}/posts/{post}/repeat",
        "every=week&interval=1&weekdays=mon&time=09%3A00&start=2026-03-02&time_zone=UTC",
    ),
    (
        "POST",
        "/w/{mine}/posts/{post}/repeat",
        "every=day&interval=1&time=09%3A00&start=2026-03-02",
    ),
    ("POST", "/w/{ws}/posts/{post}/repeat/stop", ""),
    ("POST", "/w/{mine}/posts/{post}/repeat/stop", ""),
    ("POST", "/w/{ws}/posts/{post}/evergreen", "action=add"),
    ("POST", "/w/{mine}/posts/{post}/evergreen", "action=add"),
    ("POST", "/w/{ws}/posts/{post}/retry", "include_unknown=1"),
    ("POST", "/w/{mine}/posts/{post}/retry", ""),
    ("POST", "/w/{ws}/posts/{post}/submit", "date=&time=&note=x"),
    ("POST", "/w/{mine}/posts/{post}/submit", "note=x"),
    ("POST", "/w/{ws}/posts/{post}/approve", "note=x"),
    ("POST", "/w/{ws}/posts/{post}/request-changes", "note=x"),
    ("POST", "/w/{mine}/posts/{post}/request-changes", "note=x"),
    ("POST", "/w/{ws}/posts/{post}/comments", "body=Outsider"),
    ("POST", "/w/{mine}/posts/{post}/comments", "body=Outsider"),
    ("GET", "/w/{ws}/tags", ""),
    (
        "POST",
        "/w/{ws}/tags",
        "kind=campaign&name=Outsider&color=%23ff0000",
    ),
    ("POST", "/w/{ws}/campaigns", "name=Outsider&color=%23ff0000"),
    (
        "POST",
        "/w/{mine}/campaigns",
        "id={post}&name=Outsider&color=%23ff0000",
    ),
    ("GET", "/w/{ws}/posts/{post}/when", ""),
    ("GET", "/w/{mine}/posts/{post}/when", ""),
    ("GET", "/w/{ws}/posts/{post}/review-links", ""),
    ("GET", "/w/{mine}/posts/{post}/review-links", ""),
    (
        "POST",
        "/w/{ws}/posts/{post}/review-links",
        "expires_in_days=7",
    ),
    (
        "POST",
        "/w/{mine}/posts/{post}/review-links",
        "expires_in_days=7",
    ),
    (
        "POST",
        "/w/{ws}/posts/{post}/review-links/{post}/revoke",
        "",
    ),
    (
        "POST",
        "/w/{mine}/posts/{post}/review-links/{post}/revoke",
        "",
    ),
    (
        "POST",
        "/w/{ws}/calendar/events",
        "title=Outsider&start=2026-05-01&kind=holiday&back=",
    ),
    ("POST", "/w/{ws}/calendar/events/{post}/delete", "back="),
    ("POST", "/w/{ws}/calendar/events/import", "kind=holiday"),
    ("POST", "/w/{ws}/calendar/import/posts", "back="),
    ("POST", "/account/sessions/{session}/end", ""),
    ("POST", "/account/tokens/{token}/revoke", ""),
];

#[tokio::test]
async fn every_ui_route_hides_other_workspaces() {
    for backend in backends() {
        let app = TestApp::new(backend).await;
        let (_, alice_token) = app.user("alice@example.com").await;
        let (bob, bob_token) = app.user("bob@example.com").await;
        let alices = app.workspace(&alice_token, "Alice's brand").await;
        let bobs = app.workspace(&bob_token, "Bob's brand").await;
        let channel = crate::support::test_app::channel(&app, &bob_token, &bobs, "bluesky").await;
        let post = app
            .post(
                &format!("/api/v1/workspaces/{bobs}/posts"),
                &bob_token,
                json!({"text": "Bob's draft", "channel_ids": [channel], "tags": ["secret"]}),
            )
            .await
            .json();
        let post_id = post["id"].as_str().unwrap().to_owned();
        let variant_id = post["variants"][0]["id"].as_str().unwrap().to_owned();
        let post_path = format!("/api/v1/workspaces/{bobs}/posts/{post_id}");
        let post_before = app.get(&post_path, &bob_token).await.json();
        let invite = app
            .post(
                &format!("/api/v1/workspaces/{bobs}/invites"),
                &bob_token,
                json!({"role": "viewer"}),
            )
            .await
            .json();
        let bob_token_id = app.get("/api/v1/tokens", &bob_token).await.json()["items"][0]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let media = crate::media::upload(
            &app,
            &bob_token,
            &bobs,
            &[("alt_text", "Bob's roastery")],
            Some(("roastery.png", &crate::media::png(400, 200))),
        )
        .await
        .json();
        let media_id = media["id"].as_str().unwrap().to_owned();
        let media_path = format!("/api/v1/workspaces/{bobs}/media/{media_id}");
        let media_before = app.get(&media_path, &bob_token).await.json();
        let bob_session = app
            .services()
            .login("bob@example.com", "correct horse battery", "127.0.0.1", "t")
            .await
            .unwrap();
        let alice = app
            .services()
            .login(
                "alice@example.com",
                "correct horse battery",
                "127.0.0.1",
                "t",
            )
            .await
            .unwrap();
        let cookie = format!("herald_session={}", alice.cookie_token);
        let before = app
            .get(&format!("/api/v1/workspaces/{bobs}"), &bob_token)
            .await
            .json();

        for (method, template, form) in ROUTES {
            let path = template
                .replace("{ws}", &bobs)
                .replace("{mine}", &alices)
                .replace("{post}", &post_id)
                .replace("{media}", &media_id)
                .replace("{variant}", &variant_id)
                .replace("{user}", &bob.id.to_string())
                .replace("{invite}", invite["id"].as_str().unwrap())
                .replace("{session}", &bob_session.session.id.to_string())
                .replace("{token}", &bob_token_id);
            let method: Method = method.parse().unwrap();
            let mut builder = Request::builder()
                .method(method.clone())
                .uri(&path)
                .header(header::COOKIE, &cookie);
            let form = form
                .replace("{channel}", &channel)
                .replace("{post}", &post_id)
                .replace("{media}", &media_id);
            let body = if method == Method::POST {
                builder = builder.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
                let csrf = format!("csrf_token={}", alice.session.csrf_token);
                Body::from(if form.is_empty() {
                    csrf
                } else {
                    format!("{form}&{csrf}")
                })
            } else {
                Body::empty()
            };
            let reply = app.send(builder.body(body).unwrap()).await;
            assert_eq!(
                reply.status,
                StatusCode::NOT_FOUND,
                "{method} {template} as an outsider"
            );
            assert!(
                !reply.text().contains("Bob's brand") && !reply.text().contains("Bob's draft"),
                "{method} {template} leaked the name"
            );
        }

        assert_eq!(
            app.get(&format!("/api/v1/workspaces/{bobs}"), &bob_token)
                .await
                .json(),
            before
        );
        assert_eq!(app.get(&post_path, &bob_token).await.json(), post_before);
        let recurrence = app
            .get(&format!("{post_path}/recurrence"), &bob_token)
            .await;
        assert_eq!(recurrence.status, StatusCode::NOT_FOUND, "no rule was set");
        let evergreen = app
            .get(&format!("/api/v1/workspaces/{bobs}/evergreen"), &bob_token)
            .await
            .json();
        assert_eq!(evergreen["posts"], json!([]), "not in the library");
        assert_eq!(app.get(&media_path, &bob_token).await.json(), media_before);
        let bobs_posts = app
            .get(&format!("/api/v1/workspaces/{bobs}/posts"), &bob_token)
            .await
            .json();
        assert_eq!(bobs_posts["items"].as_array().unwrap().len(), 1);
        let alices_posts = app
            .get(&format!("/api/v1/workspaces/{alices}/posts"), &alice_token)
            .await
            .json();
        assert_eq!(alices_posts["items"].as_array().unwrap().len(), 0);
        assert!(
            app.services()
                .actor_for_session(&bob_session.cookie_token)
                .await
                .unwrap()
                .is_some()
        );
        assert_eq!(
            app.get("/api/v1/tokens", &bob_token).await.json()["items"]
                .as_array()
                .unwrap()
                .len(),
            1
        );
        let invites = app
            .get(&format!("/api/v1/workspaces/{bobs}/invites"), &bob_token)
            .await
            .json();
        assert_eq!(invites["items"].as_array().unwrap().len(), 1);
        let tags = app
            .get(&format!("/api/v1/workspaces/{bobs}/tags"), &bob_token)
            .await
            .json();
        let names: Vec<&str> = tags["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["secret"]);
        let alices_tags = app
            .get(&format!("/api/v1/workspaces/{alices}/tags"), &alice_token)
            .await
            .json();
        assert_eq!(alices_tags["items"].as_array().unwrap().len(), 0);
        assert_eq!(
            app.get(&format!("/api/v1/workspaces/{bobs}/links"), &bob_token)
                .await
                .json()["items"]
                .as_array()
                .unwrap()
                .len(),
            0
        );
    }
}
