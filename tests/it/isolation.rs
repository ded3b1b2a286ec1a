//! Tenant isolation: every API route, called with another workspace's ids, answers 404 and
//! changes nothing. The routes come from the OpenAPI document, so a new route is walked
//! without anyone remembering to add it here.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::{TestApp, backends};

/// A body that passes validation for routes that take one, so the answer is about access.
fn sample_body(method: &Method, template: &str) -> Option<Value> {
    match (method.as_str(), template) {
        ("PATCH", "/api/v1/workspaces/{ws}") => Some(json!({"name": "Taken over"})),
        ("PATCH", "/api/v1/workspaces/{ws}/members/{user}") => Some(json!({"role": "owner"})),
        ("POST", "/api/v1/workspaces/{ws}/invites") => Some(json!({"role": "owner"})),
        ("POST", "/api/v1/workspaces/{ws}/posts") => Some(json!({"text": "Hello"})),
        ("PATCH", "/api/v1/workspaces/{ws}/posts/{id}") => Some(json!({"text": "Taken over"})),
        ("PATCH", "/api/v1/workspaces/{ws}/posts/{id}/variants/{variant}") => {
            Some(json!({"parts": ["Taken over"]}))
        }
        ("POST", "/api/v1/workspaces/{ws}/tags") => Some(json!({"name": "stolen"})),
        ("POST", "/api/v1/workspaces/{ws}/link-preview") => {
            Some(json!({"url": "https://acme.coffee"}))
        }
        ("PATCH", "/api/v1/workspaces/{ws}/media/{id}") => Some(json!({"alt_text": "stolen"})),
        ("PATCH", "/api/v1/workspaces/{ws}/brand-kit") => Some(json!({"colors": ["#000000"]})),
        ("POST", "/api/v1/workspaces/{ws}/brand-kit/review") => Some(json!({"action": "submit"})),
        (
            "POST",
            "/api/v1/workspaces/{ws}/channels" | "/api/v1/workspaces/{ws}/channels/{id}/reconnect",
        ) => Some(
            json!({"network": "mastodon", "instance_url": "https://mastodon.social", "access_token": "x"}),
        ),
        ("POST", "/api/v1/workspaces/{ws}/channels/grants/{id}") => {
            Some(json!({"account_ids": ["1001"]}))
        }
        ("POST", "/api/v1/workspaces/{ws}/channels/oauth") => {
            Some(json!({"network": "mastodon", "instance_url": "https://mastodon.social"}))
        }
        ("PUT", "/api/v1/workspaces/{ws}/channels/{id}/slots") => {
            Some(json!({"posting_slots": ["mon 09:00"]}))
        }
        ("PUT", "/api/v1/workspaces/{ws}/publishing") => {
            Some(json!({"grace_window_minutes": 60, "min_gap_minutes": null}))
        }
        ("PUT", "/api/v1/workspaces/{ws}/approval") => {
            Some(json!({"requires_approval": true, "approval_steps": 1}))
        }
        ("POST", "/api/v1/workspaces/{ws}/posts/{id}/comments") => Some(json!({"body": "x"})),
        ("POST", "/api/v1/workspaces/{ws}/posts/{id}/schedule") => {
            Some(json!({"at": "2030-01-01T00:00:00Z"}))
        }
        ("POST", "/api/v1/workspaces/{ws}/webhooks") => {
            Some(json!({"url": "https://hooks.example/herald", "events": ["post.published"]}))
        }
        ("PUT", "/api/v1/workspaces/{ws}/evergreen") => {
            Some(json!({"enabled": true, "min_interval_days": 30, "skip_recent_days": 7}))
        }
        ("PUT", "/api/v1/workspaces/{ws}/posts/{id}/recurrence") => {
            Some(json!({"every": "day", "time": "09:00"}))
        }
        ("POST", "/api/v1/workspaces/{ws}/feeds") => {
            Some(json!({"url": "https://acme.coffee/feed", "channel_ids": [], "mode": "drafts"}))
        }
        ("POST", _) => Some(json!({})),
        _ => None,
    }
}

#[tokio::test]
async fn every_api_route_hides_other_workspaces() {
    for backend in backends() {
        let app = TestApp::new(backend).await;
        let (_, alice) = app.user("alice@example.com").await;
        let (bob_user, bob) = app.user("bob@example.com").await;
        let (_, carol) = app.user("carol@example.com").await;
        let _alices = app.workspace(&alice, "Alice's brand").await;
        let bobs = app.workspace(&bob, "Bob's brand").await;
        app.join(&bob, &bobs, &carol, "editor").await;
        let invite = app
            .post(
                &format!("/api/v1/workspaces/{bobs}/invites"),
                &bob,
                json!({"role": "viewer"}),
            )
            .await
            .json();
        let bob_token_id = app.get("/api/v1/tokens", &bob).await.json()["items"][0]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let bob_session = app
            .services()
            .login(
                "bob@example.com",
                "correct horse battery",
                "127.0.0.1",
                "test",
            )
            .await
            .unwrap();

        let channel = crate::support::test_app::channel(&app, &bob, &bobs, "mastodon").await;
        let post = app
            .post(
                &format!("/api/v1/workspaces/{bobs}/posts"),
                &bob,
                json!({"text": "Bob's", "channel_ids": [channel]}),
            )
            .await
            .json();
        let (post_id, variant_id) = (
            post["id"].as_str().unwrap().to_owned(),
            post["variants"][0]["id"].as_str().unwrap().to_owned(),
        );
        let picture = crate::media::png(40, 30);
        let media = crate::media::upload(&app, &bob, &bobs, &[], Some(("bob.png", &picture)))
            .await
            .json();
        let media_id = media["id"].as_str().unwrap().to_owned();
        let review_link = crate::review_links::for_isolation(&app, &bob, &bobs, &post_id).await;
        let before = snapshot(&app, &bob, &bobs).await;

        let session_id = bob_session.session.id.to_string();
        let doc = app
            .request(Method::GET, "/api/openapi.json", None, None)
            .await
            .json();
        let mut walked = 0;
        for (template, item) in doc["paths"].as_object().unwrap() {
            if template.contains("{token}") {
                // Invite tokens are secrets: holding one is how a person is meant to join.
                continue;
            }
            if !template.contains('{') {
                continue;
            }
            let path = template
                .replace("{ws}", &bobs)
                .replace("{user}", &bob_user.id.to_string())
                .replace("{variant}", &variant_id)
                .replace("{network}", "instagram")
                .replace("{file}", "x-avatar-400x400.png")
                .replace("{link_id}", &review_link)
                .replace(
                    "{id}",
                    if template.contains("/posts/") {
                        &post_id
                    } else if template.contains("/media/") {
                        &media_id
                    } else if template.contains("/invites/") {
                        invite["id"].as_str().unwrap()
                    } else if template.contains("/channels/") {
                        &channel
                    } else if template.contains("/sessions/") {
                        &session_id
                    } else {
                        &bob_token_id
                    },
                );
            for method in item.as_object().unwrap().keys() {
                let method: Method = method.to_uppercase().parse().unwrap();
                let body = sample_body(&method, template);
                let reply = app.request(method.clone(), &path, Some(&alice), body).await;
                assert_eq!(
                    reply.status,
                    StatusCode::NOT_FOUND,
                    "{method} {template} as an outsider: {}",
                    reply.text()
                );
                walked += 1;
            }
        }
        assert!(walked >= 12, "walked only {walked} routes");
        assert_eq!(
            snapshot(&app, &bob, &bobs).await,
            before,
            "an outsider changed nothing"
        );
    }
}

async fn snapshot(
    app: &TestApp,
    bob: &str,
    bobs: &str,
) -> (Value, Value, Value, Value, usize, Value, Value) {
    (
        app.get(&format!("/api/v1/workspaces/{bobs}"), bob)
            .await
            .json(),
        app.get(&format!("/api/v1/workspaces/{bobs}/members"), bob)
            .await
            .json(),
        app.get(&format!("/api/v1/workspaces/{bobs}/invites"), bob)
            .await
            .json(),
        app.get("/api/v1/tokens", bob).await.json(),
        app.get("/api/v1/me/sessions", bob).await.json()["items"]
            .as_array()
            .unwrap()
            .len(),
        app.get(&format!("/api/v1/workspaces/{bobs}/posts"), bob)
            .await
            .json(),
        app.get(&format!("/api/v1/workspaces/{bobs}/tags"), bob)
            .await
            .json(),
    )
}
