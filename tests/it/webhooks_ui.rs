//! The webhooks section of workspace settings, as forms posted with a session: an outsider
//! cannot add, test or delete another workspace's webhooks (404, even through their own
//! workspace's address), a viewer may not (403) and does not see the section, and nothing
//! changes or is sent.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::json;

use crate::support::{TestApp, backends};

async fn form(app: &TestApp, cookie: &str, csrf: &str, path: &str, body: &str) -> StatusCode {
    let request = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("{body}&csrf_token={csrf}")))
        .unwrap();
    app.send(request).await.status
}

#[tokio::test]
async fn outsiders_and_viewers_cannot_touch_a_workspaces_webhooks() {
    for backend in backends() {
        let app = TestApp::new(backend).await;
        let (_, bob) = app.user("bob@example.com").await;
        let (_, alice) = app.user("alice@example.com").await;
        let (_, vera) = app.user("vera@example.com").await;
        let bobs = app.workspace(&bob, "Bob's brand").await;
        let alices = app.workspace(&alice, "Alice's brand").await;
        app.join(&bob, &bobs, &vera, "viewer").await;
        let hooks = format!("/api/v1/workspaces/{bobs}/webhooks");
        let created = app
            .post(
                &hooks,
                &bob,
                json!({"url": "https://93.184.215.14/hook", "events": ["post.created"]}),
            )
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
        let hook = created.json()["id"].as_str().unwrap().to_owned();
        let before = app.get(&hooks, &bob).await.json();

        for (who, expected) in [
            ("alice@example.com", StatusCode::NOT_FOUND),
            ("vera@example.com", StatusCode::FORBIDDEN),
        ] {
            let session = app
                .services()
                .login(who, "correct horse battery", "127.0.0.1", "t")
                .await
                .unwrap();
            let cookie = format!("herald_session={}", session.cookie_token);
            let csrf = &session.session.csrf_token;
            let add = "url=https%3A%2F%2F93.184.215.14%2Fother&events=post.failed";
            for (path, body) in [
                (format!("/w/{bobs}/settings/webhooks"), add),
                (format!("/w/{bobs}/settings/webhooks/{hook}/test"), ""),
                (format!("/w/{bobs}/settings/webhooks/{hook}/delete"), ""),
            ] {
                let status = form(&app, &cookie, csrf, &path, body).await;
                assert_eq!(status, expected, "{who}: {path}");
            }
            if who == "alice@example.com" {
                // Bob's webhook through Alice's own workspace is not found either.
                for action in ["test", "delete"] {
                    let path = format!("/w/{alices}/settings/webhooks/{hook}/{action}");
                    let status = form(&app, &cookie, csrf, &path, "").await;
                    assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
                }
            } else {
                let page = Request::builder()
                    .uri(format!("/w/{bobs}/settings"))
                    .header(header::COOKIE, &cookie)
                    .body(Body::empty())
                    .unwrap();
                let page = app.send(page).await;
                assert_eq!(page.status, StatusCode::OK);
                assert!(
                    !page.text().contains("93.184.215.14"),
                    "a viewer sees no webhooks"
                );
                assert!(!page.text().contains("id=\"webhooks\""));
            }
        }
        assert_eq!(app.get(&hooks, &bob).await.json(), before);
        let log = app
            .get(&format!("{hooks}/{hook}/deliveries"), &bob)
            .await
            .json();
        assert!(
            log["items"].as_array().unwrap().is_empty(),
            "no test was sent"
        );
    }
}
