//! Every way a pick is refused: an expired grant, someone else's, another workspace's, a
//! role that may not manage channels, an empty or unknown pick, a grant whose ciphertext was
//! moved to another row, and a flow finished by someone other than who started it.

use axum::http::StatusCode;
use serde_json::json;
use wiremock::Mock;
use wiremock::matchers::{method, path, query_param};

use super::{Setup, own, setup};
use crate::support::backends;
use herald::storage::connect_grants::{self, Grant};

async fn mount_pages(s: &Setup) {
    Mock::given(method("GET"))
        .and(path("/v24.0/oauth/access_token"))
        .and(query_param("code", "the-code"))
        .respond_with(own("meta/facebook/oauth_code_token.json"))
        .mount(&s.server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v24.0/oauth/access_token"))
        .and(query_param("grant_type", "fb_exchange_token"))
        .respond_with(own("meta/facebook/oauth_long_lived.json"))
        .mount(&s.server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v24.0/me/accounts"))
        .respond_with(own("meta/facebook/pages_to_pick.json"))
        .mount(&s.server)
        .await;
}

#[tokio::test]
async fn grants_are_only_for_who_signed_in_where_and_while_fresh() {
    for backend in backends() {
        let s = setup(backend).await;
        mount_pages(&s).await;
        let id = s.grant(json!({"network": "facebook"}), "facebook").await;
        let pick = |ids: serde_json::Value| json!({"account_ids": ids});

        // Another manager of the workspace: not theirs to see or use.
        let (_, manager) = s.app.user("manager@example.com").await;
        s.app.join(&s.token, &s.ws, &manager, "manager").await;
        let theirs = s.app.get(&s.grant_path(&id), &manager).await;
        assert_eq!(theirs.status, StatusCode::NOT_FOUND);
        let used = s
            .app
            .post(&s.grant_path(&id), &manager, pick(json!(["1001"])))
            .await;
        assert_eq!(used.status, StatusCode::NOT_FOUND);
        let listed = s
            .app
            .get(
                &format!("/api/v1/workspaces/{}/channels/grants", s.ws),
                &manager,
            )
            .await
            .json();
        assert_eq!(listed["items"].as_array().unwrap().len(), 0);

        // An editor may not manage channels at all.
        let (_, editor) = s.app.user("editor@example.com").await;
        s.app.join(&s.token, &s.ws, &editor, "editor").await;
        let forbidden = s.app.get(&s.grant_path(&id), &editor).await;
        assert_eq!(forbidden.status, StatusCode::FORBIDDEN);

        // The owner, through another of their workspaces: not there.
        let other = s.app.workspace(&s.token, "Elsewhere").await;
        let elsewhere = format!("/api/v1/workspaces/{other}/channels/grants/{id}");
        assert_eq!(
            s.app.get(&elsewhere, &s.token).await.status,
            StatusCode::NOT_FOUND
        );
        let moved = s
            .app
            .post(&elsewhere, &s.token, pick(json!(["1001"])))
            .await;
        assert_eq!(moved.status, StatusCode::NOT_FOUND);

        // Empty, unknown and unavailable picks are named on `account_ids`.
        for (ids, says) in [
            (json!([]), "pick at least one account"),
            (
                json!(["nope"]),
                "\\\"nope\\\" is not among the accounts Facebook listed",
            ),
            (json!(["1001", "1003"]), "Acme Careers cannot be connected"),
        ] {
            let refused = s.app.post(&s.grant_path(&id), &s.token, pick(ids)).await;
            assert_eq!(
                refused.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{}",
                refused.text()
            );
            assert_eq!(refused.error_fields(), ["account_ids"]);
            assert!(refused.text().contains(says), "{}", refused.text());
        }
        let unknown_field = s
            .app
            .post(&s.grant_path(&id), &s.token, json!({"accounts": ["1001"]}))
            .await;
        assert_eq!(unknown_field.status, StatusCode::UNPROCESSABLE_ENTITY);

        // The ciphertext only opens in its own row: copied into another, it is refused.
        let db = &s.app.services().db;
        let row = connect_grants::get(db, id.parse().unwrap())
            .await
            .unwrap()
            .unwrap();
        let copy = Grant {
            id: uuid::Uuid::now_v7(),
            ..row.clone()
        };
        connect_grants::insert(db, &copy).await.unwrap();
        let tampered = s
            .app
            .get(&s.grant_path(&copy.id.to_string()), &s.token)
            .await;
        assert_eq!(tampered.status, StatusCode::CONFLICT);
        assert!(tampered.text().contains("could not be read; connect again"));
        assert_eq!(
            s.app
                .get(&s.grant_path(&copy.id.to_string()), &s.token)
                .await
                .status,
            StatusCode::NOT_FOUND,
            "an unreadable grant is dropped"
        );

        // Nothing was connected by any of that; after 15 minutes the grant has expired.
        let channels = s
            .app
            .get(&format!("/api/v1/workspaces/{}/channels", s.ws), &s.token)
            .await
            .json();
        assert_eq!(channels["items"].as_array().unwrap().len(), 0);
        assert_eq!(
            s.app.get(&s.grant_path(&id), &s.token).await.status,
            StatusCode::OK
        );
        s.app.clock.advance_ms(15 * 60_000 + 1);
        let expired = s
            .app
            .post(&s.grant_path(&id), &s.token, pick(json!(["1001"])))
            .await;
        assert_eq!(expired.status, StatusCode::CONFLICT);
        assert!(expired.text().contains("has expired"), "{}", expired.text());
    }
}

#[tokio::test]
async fn a_flow_is_finished_only_by_who_started_it() {
    for backend in backends() {
        let s = setup(backend).await;
        mount_pages(&s).await;
        let (intruder, _) = s.app.user("intruder@example.com").await;
        let (_, q) = s.start(json!({"network": "facebook"})).await;
        let stolen = s.finish(&intruder, &q["state"], "facebook").await;
        assert!(
            matches!(&stolen, Err(herald::services::AppError::Conflict(m)) if m.contains("expired or was already used")),
            "{stolen:?}"
        );
        // Instagram's sign-in must be one Herald knows.
        let bad = s
            .app
            .post(
                &format!("/api/v1/workspaces/{}/channels/oauth", s.ws),
                &s.token,
                json!({"network": "instagram", "login": "myspace"}),
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(bad.error_fields(), ["login"]);
    }
}
