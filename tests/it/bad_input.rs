//! Bad input gets a problem+json that names the field, and nothing is stored half-way.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::json;

use crate::support::{TestApp, backends};

async fn raw(
    app: &TestApp,
    token: &str,
    path: &str,
    content_type: &str,
    body: impl Into<Body>,
) -> crate::support::Reply {
    let request = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, content_type)
        .body(body.into())
        .unwrap();
    app.send(request).await
}

#[tokio::test]
async fn malformed_bodies_name_the_problem() {
    for backend in backends() {
        let app = TestApp::new(backend).await;
        let (_, token) = app.user("owner@example.com").await;
        let path = "/api/v1/workspaces";

        let cases: Vec<(&str, Body, &str)> = vec![
            (
                "application/json",
                Body::from("{\"name\": \"Acme\","),
                "body",
            ),
            (
                "application/json",
                Body::from("{\"name\": \"Acme\", \"time_zone\": \"UTC\", \"colour\": \"red\"}"),
                "colour",
            ),
            (
                "application/json",
                Body::from("{\"name\": 5, \"time_zone\": \"UTC\"}"),
                "name",
            ),
            (
                "application/json",
                Body::from("{\"time_zone\": \"UTC\"}"),
                "name",
            ),
            ("application/json", Body::from("[]"), "body"),
            ("text/plain", Body::from("name=Acme"), "body"),
            (
                "application/json",
                Body::from(format!(
                    "{{\"name\": \"{}\", \"time_zone\": \"UTC\"}}",
                    "x".repeat(300_000)
                )),
                "body",
            ),
        ];
        for (content_type, body, field) in cases {
            let reply = raw(&app, &token, path, content_type, body).await;
            assert_eq!(
                reply.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{}",
                reply.text()
            );
            assert_eq!(reply.content_type(), "application/problem+json");
            assert_eq!(reply.error_fields(), [field], "{}", reply.text());
        }

        let invalid = app
            .post(
                path,
                &token,
                json!({"name": "   ", "time_zone": "Mars/Olympus"}),
            )
            .await;
        assert_eq!(invalid.error_fields(), ["name", "time_zone"]);
        assert!(
            invalid.json()["errors"][1]["message"]
                .as_str()
                .unwrap()
                .contains("IANA")
        );

        let long_name = app
            .post(
                path,
                &token,
                json!({"name": "é".repeat(101), "time_zone": "UTC"}),
            )
            .await;
        assert_eq!(long_name.error_fields(), ["name"]);
        let control = app
            .post(
                path,
                &token,
                json!({"name": "Ac\u{0}me", "time_zone": "UTC"}),
            )
            .await;
        assert_eq!(control.error_fields(), ["name"]);
        let unicode = app
            .post(
                path,
                &token,
                json!({"name": "Café 👩🏽‍💻 Zürich", "time_zone": "Asia/Kolkata"}),
            )
            .await;
        assert_eq!(unicode.status, StatusCode::CREATED);
        assert_eq!(unicode.json()["name"], "Café 👩🏽‍💻 Zürich");

        let bad_role = app
            .post(
                &format!(
                    "/api/v1/workspaces/{}/invites",
                    unicode.json()["id"].as_str().unwrap()
                ),
                &token,
                json!({"role": "admin"}),
            )
            .await;
        assert_eq!(bad_role.error_fields(), ["role"]);
        let bad_days = app
            .post(
                &format!(
                    "/api/v1/workspaces/{}/invites",
                    unicode.json()["id"].as_str().unwrap()
                ),
                &token,
                json!({"role": "viewer", "expires_in_days": 0}),
            )
            .await;
        assert_eq!(bad_days.error_fields(), ["expires_in_days"]);

        let bad_id = app.get("/api/v1/workspaces/not-a-uuid", &token).await;
        assert_eq!(bad_id.error_fields(), ["path"]);
        let unknown_route = app.get("/api/v1/nothing-here", &token).await;
        assert_eq!(unknown_route.status, StatusCode::NOT_FOUND);
        assert_eq!(unknown_route.content_type(), "application/problem+json");

        // Only the one valid workspace was stored.
        let list = app.get(path, &token).await.json();
        assert_eq!(list["items"].as_array().unwrap().len(), 1);
    }
}

#[tokio::test]
async fn a_failed_settings_update_changes_nothing() {
    for backend in backends() {
        let app = TestApp::new(backend).await;
        let (_, token) = app.user("owner@example.com").await;
        let ws = app.workspace(&token, "Acme").await;
        let path = format!("/api/v1/workspaces/{ws}");
        let before = app.get(&path, &token).await.json();
        let reply = app
            .patch(&path, &token, json!({"name": "New name", "time_zone": "Europe/Pariss", "brand": {"voice": "Bold"}}))
            .await;
        assert_eq!(reply.error_fields(), ["time_zone"]);
        assert_eq!(app.get(&path, &token).await.json(), before);
    }
}

#[tokio::test]
async fn accounts_refuse_duplicates_and_weak_passwords() {
    for backend in backends() {
        let app = TestApp::new(backend).await;
        app.user("alice@example.com").await;
        let services = app.services();
        let dup = services
            .create_user(herald::services::NewAccount {
                email: "ALICE@example.com ",
                display_name: "",
                password: "correct horse battery",
                is_admin: false,
            })
            .await
            .unwrap_err();
        assert!(
            matches!(&dup, herald::services::AppError::Validation(e) if e[0].field == "email"),
            "{dup:?}"
        );
        for weak in ["short", "password1234", "aaaaaaaaaaaaaa"] {
            let err = services
                .create_user(herald::services::NewAccount {
                    email: "bob@example.com",
                    display_name: "",
                    password: weak,
                    is_admin: false,
                })
                .await
                .unwrap_err();
            assert!(
                matches!(&err, herald::services::AppError::Validation(e) if e[0].field == "password"),
                "{weak}: {err:?}"
            );
        }
        let bad_email = services
            .create_user(herald::services::NewAccount {
                email: "not-an-email",
                display_name: "",
                password: "correct horse battery",
                is_admin: false,
            })
            .await
            .unwrap_err();
        assert!(
            matches!(&bad_email, herald::services::AppError::Validation(e) if e[0].field == "email")
        );
    }
}

#[tokio::test]
async fn post_text_takes_every_kind_of_unicode_and_refuses_lone_surrogates() {
    for backend in backends() {
        let app = TestApp::new(backend).await;
        let (_, token) = app.user("owner@example.com").await;
        let ws = app.workspace(&token, "Acme").await;
        let bluesky = crate::support::test_app::channel(&app, &token, &ws, "bluesky").await;
        let path = format!("/api/v1/workspaces/{ws}/posts");

        // JSON can spell half of a UTF-16 pair; Rust strings cannot hold it.
        let lone = raw(
            &app,
            &token,
            &path,
            "application/json",
            format!("{{\"text\": \"broken \\ud83d here\", \"channel_ids\": [\"{bluesky}\"]}}"),
        )
        .await;
        assert_eq!(
            lone.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            lone.text()
        );
        assert_eq!(lone.error_fields(), ["text"], "{}", lone.text());

        // ZWJ families, skin tones, flags, right-to-left text and combining marks are kept
        // byte for byte and counted as Bluesky counts graphemes.
        let text = "👨‍👩‍👧‍👧 👋🏽 🇫🇷 مرحبا שלום e\u{301}";
        let reply = app
            .post(
                &path,
                &token,
                json!({"text": text, "channel_ids": [bluesky]}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
        let post = reply.json();
        assert_eq!(post["text"], text);
        let check = &post["variants"][0]["parts"][0]["check"];
        assert_eq!(check["length"], 18, "{check}");
        assert_eq!(check["valid"], true);

        let list = app.get(&path, &token).await.json();
        assert_eq!(
            list["items"].as_array().unwrap().len(),
            1,
            "the broken one was not stored"
        );
    }
}
