//! Connecting X through its sign-in page with the app an admin entered, against a local
//! stand-in for X's token and users endpoints (`HERALD_NETWORK_BASE_URL` points every
//! single-host network there): what Herald sends, and the channel it makes.

use axum::http::StatusCode;
use serde_json::json;
use wiremock::matchers::{body_string_contains, header_exists, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::test_app::actor;
use crate::support::{Backend, TestApp};

#[tokio::test]
async fn x_connects_through_its_sign_in_page() {
    let x = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/2/oauth2/token"))
        .and(header_exists("authorization"))
        .and(body_string_contains("grant_type=authorization_code"))
        .and(body_string_contains("code=the-code"))
        .and(body_string_contains("code_verifier="))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "token_type": "bearer", "expires_in": 7200, "access_token": "x-access",
            "refresh_token": "x-refresh", "scope": "tweet.read tweet.write users.read offline.access"
        })))
        .expect(1)
        .mount(&x)
        .await;
    Mock::given(method("GET"))
        .and(path("/2/users/me"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": {
            "id": "1072250532645998596", "name": "Acme Coffee", "username": "acmecoffee",
            "public_metrics": {"followers_count": 1200, "following_count": 80, "tweet_count": 3400}
        }})))
        .mount(&x)
        .await;
    let base = x.uri();
    let app = TestApp::with_config(Backend::Sqlite, |c| {
        c.allow_private_hosts = true;
        c.network_base_url = Some(base.clone());
    })
    .await;
    let (owner, token) = app.user("owner@example.com").await;
    let ws = app.workspace(&token, "Acme").await;
    let start = format!("/api/v1/workspaces/{ws}/channels/oauth");

    // Without the install's app, the refusal says what to do.
    let refused = app.post(&start, &token, json!({"network": "x"})).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.text().contains("Networks page"),
        "{}",
        refused.text()
    );

    // Only an instance admin enters the app.
    let network = herald::domain::text::Network::X;
    let not_admin = app
        .services()
        .save_network_app(&actor(&owner), network, "c", "s")
        .await;
    assert!(matches!(
        not_admin,
        Err(herald::services::AppError::Forbidden(_))
    ));
    let mut admin = actor(&owner);
    admin.user.is_admin = true;
    app.services()
        .save_network_app(&admin, network, "client-1", "secret-1")
        .await
        .expect("admin saves the app");
    let started = app.post(&start, &token, json!({"network": "x"})).await;
    assert_eq!(started.status, StatusCode::OK, "{}", started.text());
    let authorize = url::Url::parse(started.json()["authorize_url"].as_str().unwrap()).unwrap();
    assert!(
        authorize
            .as_str()
            .starts_with(&format!("{base}/i/oauth2/authorize")),
        "{authorize}"
    );
    let query: std::collections::HashMap<_, _> = authorize.query_pairs().into_owned().collect();
    assert_eq!(query["client_id"], "client-1");
    assert_eq!(query["code_challenge_method"], "S256");
    assert_eq!(query["redirect_uri"], "http://herald.test/oauth/callback/x");
    assert!(query["scope"].contains("offline.access"));

    let (in_ws, channel) = app
        .services()
        .finish_oauth(
            &actor(&owner),
            &query["state"],
            Some("the-code"),
            None,
            "http://herald.test/oauth/callback/x",
        )
        .await
        .expect("connected");
    assert_eq!(in_ws.to_string(), ws);
    assert_eq!(channel.handle, "@acmecoffee");
    assert_eq!(channel.followers, Some(1200));
    assert!(channel.token_refreshable, "X's refresh token is kept");
    assert_eq!(channel.health, "ok");

    // The network said no: a clear refusal, nothing stored, the state spent.
    let again = app
        .post(&start, &token, json!({"network": "x"}))
        .await
        .json();
    let state = url::Url::parse(again["authorize_url"].as_str().unwrap())
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "state")
        .map(|(_, v)| v.into_owned())
        .unwrap();
    let denied = app
        .services()
        .finish_oauth(
            &actor(&owner),
            &state,
            None,
            Some("access_denied"),
            "http://herald.test/oauth/callback/x",
        )
        .await;
    assert!(denied.is_err());
    let listed = app
        .get(&format!("/api/v1/workspaces/{ws}/channels"), &token)
        .await
        .json();
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);
}
