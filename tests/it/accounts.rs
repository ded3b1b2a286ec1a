//! Accounts: the first account, login throttling, sessions, passwords and API tokens.

use axum::http::StatusCode;
use herald::domain::Clock;
use herald::services::{AppError, NewAccount};
use serde_json::json;

use crate::support::test_app::actor;
use crate::support::{TestApp, backends};

const PASSWORD: &str = "correct horse battery";

#[tokio::test]
async fn the_first_account_is_an_admin_and_only_once() {
    for backend in backends() {
        let app = TestApp::new(backend).await;
        let s = app.services();
        assert!(!s.is_set_up().await.unwrap());
        let first = s
            .create_first_account(NewAccount {
                email: "admin@example.com",
                display_name: "Ada",
                password: PASSWORD,
                is_admin: false,
            })
            .await
            .unwrap();
        assert!(first.is_admin);
        assert!(first.password_hash.starts_with("$argon2id$"));
        assert!(s.is_set_up().await.unwrap());
        let again = s
            .create_first_account(NewAccount {
                email: "eve@example.com",
                display_name: "",
                password: PASSWORD,
                is_admin: false,
            })
            .await
            .unwrap_err();
        assert!(matches!(again, AppError::Conflict(_)));
    }
}

#[tokio::test]
async fn login_throttling_does_not_reveal_accounts() {
    for backend in backends() {
        let app = TestApp::new(backend).await;
        app.user("alice@example.com").await;
        let s = app.services();
        for email in ["alice@example.com", "nobody@example.com"] {
            let mut messages = Vec::new();
            for _ in 0..5 {
                let err = s
                    .login(email, "wrong password!", "10.0.0.1", "test")
                    .await
                    .err()
                    .unwrap();
                messages.push(err.to_string());
            }
            assert!(
                messages
                    .iter()
                    .all(|m| m == "Email or password is incorrect."),
                "{messages:?}"
            );
            let throttled = s
                .login(email, PASSWORD, "10.0.0.1", "test")
                .await
                .err()
                .unwrap();
            assert!(
                matches!(&throttled, AppError::TooManyRequests { retry_after_s, .. } if *retry_after_s > 0),
                "{email}: {throttled:?}"
            );
            assert!(
                throttled
                    .to_string()
                    .starts_with("Too many failed attempts")
            );
        }
        app.clock.advance_ms(16 * 60 * 1000);
        let session = s
            .login("Alice@Example.com", PASSWORD, "10.0.0.1", "test")
            .await
            .unwrap();
        assert_eq!(session.cookie_token.len(), 43);
    }
}

#[tokio::test]
async fn sessions_password_change_and_logout_everywhere() {
    for backend in backends() {
        let app = TestApp::new(backend).await;
        let (user, token) = app.user("alice@example.com").await;
        let s = app.services();
        let laptop = s
            .login("alice@example.com", PASSWORD, "10.0.0.1", "Firefox")
            .await
            .unwrap();
        let phone = s
            .login("alice@example.com", PASSWORD, "10.0.0.2", "Safari")
            .await
            .unwrap();
        let laptop_actor = s
            .actor_for_session(&laptop.cookie_token)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(laptop_actor.user.id, user.id);
        assert_eq!(s.list_sessions(&laptop_actor).await.unwrap().len(), 2);

        let renamed = app
            .patch(
                "/api/v1/me",
                &token,
                json!({"display_name": "Alice Martin"}),
            )
            .await;
        assert_eq!(renamed.json()["display_name"], "Alice Martin");
        assert_eq!(
            app.patch("/api/v1/me", &token, json!({"display_name": " "}))
                .await
                .error_fields(),
            ["display_name"]
        );

        let listed = app.get("/api/v1/me/sessions", &token).await.json();
        assert_eq!(listed["items"].as_array().unwrap().len(), 2);

        let wrong = s
            .change_password(&laptop_actor, "not my password", "new correct horse")
            .await
            .unwrap_err();
        assert!(matches!(&wrong, AppError::Validation(e) if e[0].field == "current_password"));
        s.change_password(&laptop_actor, PASSWORD, "new correct horse")
            .await
            .unwrap();
        assert!(
            s.actor_for_session(&phone.cookie_token)
                .await
                .unwrap()
                .is_none(),
            "other sessions end"
        );
        assert!(
            s.actor_for_session(&laptop.cookie_token)
                .await
                .unwrap()
                .is_some(),
            "this one stays"
        );
        assert!(
            s.login("alice@example.com", PASSWORD, "10.0.0.1", "x")
                .await
                .is_err()
        );

        let reply = app
            .request(
                axum::http::Method::DELETE,
                "/api/v1/me/sessions",
                Some(&token),
                None,
            )
            .await;
        assert_eq!(reply.status, StatusCode::NO_CONTENT);
        assert!(
            s.actor_for_session(&laptop.cookie_token)
                .await
                .unwrap()
                .is_none()
        );

        // Sessions expire after 30 days without use.
        let fresh = s
            .login("alice@example.com", "new correct horse", "10.0.0.1", "x")
            .await
            .unwrap();
        app.clock.advance_ms(31 * 24 * 3600 * 1000);
        assert!(
            s.actor_for_session(&fresh.cookie_token)
                .await
                .unwrap()
                .is_none()
        );
    }
}

#[tokio::test]
async fn api_tokens_are_hashed_named_and_revocable() {
    for backend in backends() {
        let app = TestApp::new(backend).await;
        let (user, token) = app.user("alice@example.com").await;
        assert!(token.starts_with("hrld_"));

        let created = app
            .post("/api/v1/tokens", &token, json!({"name": "CI script"}))
            .await;
        assert_eq!(created.status, StatusCode::CREATED);
        let created = created.json();
        let secret = created["token"].as_str().unwrap().to_owned();
        assert_eq!(created["last_used_at"], json!(null));

        app.clock.advance_ms(5 * 60 * 1000);
        let me = app.get("/api/v1/me", &secret).await;
        assert_eq!(me.json()["email"], "alice@example.com");
        let listed = app.get("/api/v1/tokens", &token).await.json();
        let ci = listed["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["name"] == "CI script")
            .unwrap()
            .clone();
        assert_eq!(ci["last_used_at"], "2026-03-01T12:05:00Z");
        assert!(ci.get("token").is_none(), "the secret is shown once");
        assert_eq!(ci["prefix"], &secret[..9]);

        // Only a digest is stored.
        let stored: Vec<String> = match &app.app.state.services.db {
            herald::storage::Db::Sqlite(pool) => {
                sqlx::query_scalar("SELECT token_hash FROM api_tokens")
                    .fetch_all(pool)
                    .await
                    .unwrap()
            }
            herald::storage::Db::Postgres(pool) => {
                sqlx::query_scalar("SELECT token_hash FROM api_tokens")
                    .fetch_all(pool)
                    .await
                    .unwrap()
            }
        };
        assert!(
            stored
                .iter()
                .all(|h| h.len() == 64 && !h.contains(&secret[5..]))
        );

        let id = ci["id"].as_str().unwrap();
        assert_eq!(
            app.delete(&format!("/api/v1/tokens/{id}"), &token)
                .await
                .status,
            StatusCode::NO_CONTENT
        );
        let after = app.get("/api/v1/me", &secret).await;
        assert_eq!(after.status, StatusCode::UNAUTHORIZED);
        assert_eq!(after.content_type(), "application/problem+json");
        assert_eq!(
            app.delete(&format!("/api/v1/tokens/{id}"), &token)
                .await
                .status,
            StatusCode::NOT_FOUND
        );

        assert_eq!(
            app.request(axum::http::Method::GET, "/api/v1/me", None, None)
                .await
                .status,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            app.get("/api/v1/me", "hrld_forged").await.status,
            StatusCode::UNAUTHORIZED
        );
        let _ = actor(&user);
    }
}

#[tokio::test]
async fn a_token_revoked_by_another_instance_stops_within_two_seconds() {
    for backend in backends() {
        let app = TestApp::new(backend).await;
        let (user, token) = app.user("alice@example.com").await;
        assert_eq!(app.get("/api/v1/me", &token).await.status, StatusCode::OK);
        let id = app.services().list_tokens(&actor(&user)).await.unwrap()[0].id;
        // Another instance revokes it: only the database knows.
        herald::storage::api_tokens::revoke(&app.services().db, user.id, id, app.clock.now_ms())
            .await
            .unwrap();
        assert_eq!(
            app.get("/api/v1/me", &token).await.status,
            StatusCode::OK,
            "cached for a moment"
        );
        app.clock.advance_ms(2_000);
        assert_eq!(
            app.get("/api/v1/me", &token).await.status,
            StatusCode::UNAUTHORIZED
        );
    }
}
