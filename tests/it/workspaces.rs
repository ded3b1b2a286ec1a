//! Workspaces through the API, on every database.

use axum::http::StatusCode;
use serde_json::json;

use crate::support::{TestApp, backends};

#[tokio::test]
async fn create_list_update_archive_restore() {
    for backend in backends() {
        let app = TestApp::new(backend).await;
        let (_, token) = app.user("owner@example.com").await;

        let empty = app.get("/api/v1/workspaces", &token).await;
        assert_eq!(empty.json(), json!({"items": [], "next": null}));

        let created = app
            .post(
                "/api/v1/workspaces",
                &token,
                json!({"name": "  Acme Coffee ", "time_zone": "Europe/Paris"}),
            )
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
        let ws = created.json();
        assert_eq!(ws["name"], "Acme Coffee");
        assert_eq!(ws["role"], "owner");
        assert_eq!(ws["created_at"], "2026-03-01T12:00:00Z");
        let id = ws["id"].as_str().unwrap();

        let patched = app
            .patch(
                &format!("/api/v1/workspaces/{id}"),
                &token,
                json!({"requires_approval": true, "brand": {"voice": "Warm, direct.", "hashtags": "coffee, #roast"}}),
            )
            .await;
        assert_eq!(patched.status, StatusCode::OK, "{}", patched.text());
        let ws = patched.json();
        assert_eq!(ws["requires_approval"], true);
        assert_eq!(ws["brand"]["voice"], "Warm, direct.");
        assert_eq!(ws["brand"]["hashtags"], "#coffee #roast");
        assert_eq!(ws["name"], "Acme Coffee", "untouched fields stay");

        let renamed = app
            .patch(
                &format!("/api/v1/workspaces/{id}"),
                &token,
                json!({"name": "Acme Roasters"}),
            )
            .await;
        assert_eq!(renamed.json()["name"], "Acme Roasters");

        let archived = app
            .post(
                &format!("/api/v1/workspaces/{id}/archive"),
                &token,
                json!({}),
            )
            .await;
        assert_eq!(archived.json()["archived"], true);
        let refused = app
            .patch(
                &format!("/api/v1/workspaces/{id}"),
                &token,
                json!({"name": "X"}),
            )
            .await;
        assert_eq!(
            refused.status,
            StatusCode::CONFLICT,
            "archived workspaces are read-only"
        );
        let restored = app
            .post(
                &format!("/api/v1/workspaces/{id}/restore"),
                &token,
                json!({}),
            )
            .await;
        assert_eq!(restored.json()["archived"], false);

        let list = app.get("/api/v1/workspaces", &token).await.json();
        assert_eq!(list["items"].as_array().unwrap().len(), 1);
    }
}

#[tokio::test]
async fn roles_limit_what_members_change() {
    for backend in backends() {
        let app = TestApp::new(backend).await;
        let (_, owner) = app.user("owner@example.com").await;
        let (_, manager) = app.user("manager@example.com").await;
        let (_, contributor) = app.user("contributor@example.com").await;
        let ws = app.workspace(&owner, "Acme").await;
        app.join(&owner, &ws, &manager, "manager").await;
        app.join(&owner, &ws, &contributor, "contributor").await;

        let path = format!("/api/v1/workspaces/{ws}");
        let by_contributor = app
            .patch(&path, &contributor, json!({"requires_approval": true}))
            .await;
        assert_eq!(by_contributor.status, StatusCode::FORBIDDEN);
        assert_eq!(by_contributor.content_type(), "application/problem+json");

        let by_manager = app
            .patch(&path, &manager, json!({"requires_approval": true}))
            .await;
        assert_eq!(by_manager.status, StatusCode::OK, "{}", by_manager.text());
        let rename_by_manager = app
            .patch(&path, &manager, json!({"name": "Mine now"}))
            .await;
        assert_eq!(
            rename_by_manager.status,
            StatusCode::FORBIDDEN,
            "renaming needs an owner"
        );
        let archive_by_manager = app
            .post(&format!("{path}/archive"), &manager, json!({}))
            .await;
        assert_eq!(archive_by_manager.status, StatusCode::FORBIDDEN);

        let contributor_reads = app.get(&path, &contributor).await;
        assert_eq!(contributor_reads.json()["role"], "contributor");
    }
}
