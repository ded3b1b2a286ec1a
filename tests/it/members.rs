//! Members and invites: roles, the last owner, single-use expiring links.

use axum::http::StatusCode;
use serde_json::json;

use crate::support::{TestApp, backends};

const DAY_MS: i64 = 24 * 3600 * 1000;

#[tokio::test]
async fn invites_are_single_use_and_expire() {
    for backend in backends() {
        let app = TestApp::new(backend).await;
        let (_, owner) = app.user("owner@example.com").await;
        let (_, first) = app.user("first@example.com").await;
        let (_, second) = app.user("second@example.com").await;
        let ws = app.workspace(&owner, "Acme").await;

        let invite = app
            .post(
                &format!("/api/v1/workspaces/{ws}/invites"),
                &owner,
                json!({"role": "contributor", "note": "Sam"}),
            )
            .await;
        assert_eq!(invite.status, StatusCode::CREATED, "{}", invite.text());
        let invite = invite.json();
        assert_eq!(
            invite["expires_at"], "2026-03-08T12:00:00Z",
            "seven days by default"
        );
        let url = invite["url"].as_str().unwrap();
        assert!(url.starts_with("http://herald.test/invite/"));
        let code = url.rsplit('/').next().unwrap();

        let listed = app
            .get(&format!("/api/v1/workspaces/{ws}/invites"), &owner)
            .await
            .json();
        assert_eq!(listed["items"][0]["note"], "Sam");
        assert!(
            listed["items"][0].get("url").is_none(),
            "the link is shown once"
        );

        let accepted = app
            .post(&format!("/api/v1/invites/{code}/accept"), &first, json!({}))
            .await;
        assert_eq!(accepted.status, StatusCode::OK, "{}", accepted.text());
        assert_eq!(accepted.json()["workspace"]["role"], "contributor");

        let reused = app
            .post(
                &format!("/api/v1/invites/{code}/accept"),
                &second,
                json!({}),
            )
            .await;
        assert_eq!(reused.status, StatusCode::CONFLICT);
        assert!(
            reused.json()["detail"]
                .as_str()
                .unwrap()
                .contains("already been used")
        );

        let short = app
            .post(
                &format!("/api/v1/workspaces/{ws}/invites"),
                &owner,
                json!({"role": "viewer", "expires_in_days": 1}),
            )
            .await
            .json();
        let code = short["url"]
            .as_str()
            .unwrap()
            .rsplit('/')
            .next()
            .unwrap()
            .to_owned();
        app.clock.advance_ms(DAY_MS + 1);
        let expired = app
            .post(
                &format!("/api/v1/invites/{code}/accept"),
                &second,
                json!({}),
            )
            .await;
        assert_eq!(expired.status, StatusCode::CONFLICT);
        assert!(
            expired.json()["detail"]
                .as_str()
                .unwrap()
                .contains("expired")
        );

        let revoked = app
            .post(
                &format!("/api/v1/workspaces/{ws}/invites"),
                &owner,
                json!({"role": "viewer"}),
            )
            .await
            .json();
        let id = revoked["id"].as_str().unwrap();
        let code = revoked["url"]
            .as_str()
            .unwrap()
            .rsplit('/')
            .next()
            .unwrap()
            .to_owned();
        assert_eq!(
            app.delete(&format!("/api/v1/workspaces/{ws}/invites/{id}"), &owner)
                .await
                .status,
            StatusCode::NO_CONTENT
        );
        let after = app
            .post(
                &format!("/api/v1/invites/{code}/accept"),
                &second,
                json!({}),
            )
            .await;
        assert!(
            after.json()["detail"]
                .as_str()
                .unwrap()
                .contains("withdrawn")
        );

        let members = app
            .get(&format!("/api/v1/workspaces/{ws}/members"), &owner)
            .await
            .json();
        let roles: Vec<_> = members["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["role"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(roles, ["owner", "contributor"]);
    }
}

#[tokio::test]
async fn the_last_owner_cannot_leave_or_be_demoted() {
    for backend in backends() {
        let app = TestApp::new(backend).await;
        let (owner_user, owner) = app.user("owner@example.com").await;
        let (manager_user, manager) = app.user("manager@example.com").await;
        let ws = app.workspace(&owner, "Acme").await;
        app.join(&owner, &ws, &manager, "manager").await;
        let me = format!("/api/v1/workspaces/{ws}/members/{}", owner_user.id);

        let demote = app.patch(&me, &owner, json!({"role": "editor"})).await;
        assert_eq!(demote.status, StatusCode::CONFLICT);
        assert!(
            demote.json()["detail"]
                .as_str()
                .unwrap()
                .contains("at least one owner")
        );
        assert_eq!(app.delete(&me, &owner).await.status, StatusCode::CONFLICT);

        // A manager cannot touch an owner, nor make one.
        assert_eq!(
            app.patch(&me, &manager, json!({"role": "viewer"}))
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        let promote_self = format!("/api/v1/workspaces/{ws}/members/{}", manager_user.id);
        assert_eq!(
            app.patch(&promote_self, &manager, json!({"role": "owner"}))
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        let owner_invite = app
            .post(
                &format!("/api/v1/workspaces/{ws}/invites"),
                &manager,
                json!({"role": "owner"}),
            )
            .await;
        assert_eq!(owner_invite.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(owner_invite.error_fields(), ["role"]);

        // With a second owner, the first may step down, and the manager may leave.
        let promoted = app
            .patch(&promote_self, &owner, json!({"role": "owner"}))
            .await;
        assert_eq!(promoted.json()["role"], "owner");
        let stepped_down = app.patch(&me, &owner, json!({"role": "editor"})).await;
        assert_eq!(
            stepped_down.status,
            StatusCode::OK,
            "{}",
            stepped_down.text()
        );
        let (_, viewer) = app.user("viewer@example.com").await;
        app.join(&manager, &ws, &viewer, "viewer").await;
        let viewer_id = app.get("/api/v1/me", &viewer).await.json()["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let leave = app
            .delete(
                &format!("/api/v1/workspaces/{ws}/members/{viewer_id}"),
                &viewer,
            )
            .await;
        assert_eq!(leave.status, StatusCode::NO_CONTENT);
        assert_eq!(
            app.get(&format!("/api/v1/workspaces/{ws}"), &viewer)
                .await
                .status,
            StatusCode::NOT_FOUND
        );
    }
}
