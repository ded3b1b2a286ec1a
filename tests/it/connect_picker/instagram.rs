//! Instagram, both ways: through Facebook Login (the account linked to each page, a page
//! without one listed with why) and through Instagram Login (one account, a 60-day token).

use axum::http::StatusCode;
use serde_json::json;
use wiremock::Mock;
use wiremock::matchers::{method, path, query_param};

use super::{CALLBACK, form, listed, own, query, sent, setup};
use crate::support::backends;

const IG: &str = "17841407673135339";

#[tokio::test]
async fn instagram_through_facebook_login_lists_pages_without_an_account_with_why() {
    for backend in backends() {
        let s = setup(backend).await;
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
            .respond_with(own("meta/instagram/pages_with_instagram.json"))
            .mount(&s.server)
            .await;

        // Facebook's dialog with Facebook's app, coming back to Facebook's callback.
        let (url, q) = s
            .start(json!({"network": "instagram", "login": "facebook"}))
            .await;
        assert_eq!(url.path(), "/v24.0/dialog/oauth");
        assert_eq!(q["client_id"], "fb-client");
        assert_eq!(q["redirect_uri"], format!("{CALLBACK}/facebook"));
        assert!(q["scope"].contains("instagram_content_publish"));
        let id = s
            .grant(
                json!({"network": "instagram", "login": "facebook"}),
                "facebook",
            )
            .await;
        let pages = sent(&s.server, "GET", "/v24.0/me/accounts").await;
        let ask = query(&pages[0]);
        assert_eq!(ask["access_token"], "EAAlong");
        assert!(ask["fields"].contains("instagram_business_account{"));

        let grant = s.app.get(&s.grant_path(&id), &s.token).await.json();
        assert_eq!(grant["network"], "instagram");
        assert_eq!(grant["login"], "facebook");
        assert_eq!(
            listed(&grant),
            [(IG.to_owned(), true), ("page:123".to_owned(), false)]
        );
        let reason = grant["accounts"][1]["unavailable_reason"].as_str().unwrap();
        assert!(reason.contains("No Instagram business or creator account is linked"));
        assert_eq!(grant["accounts"][1]["display_name"], "No Instagram here");

        let refused = s
            .app
            .post(
                &s.grant_path(&id),
                &s.token,
                json!({"account_ids": ["page:123"]}),
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.text().contains("cannot be connected: No Instagram"));
        let picked = s
            .app
            .post(&s.grant_path(&id), &s.token, json!({"account_ids": [IG]}))
            .await;
        assert_eq!(picked.status, StatusCode::CREATED, "{}", picked.text());
        let channel = &picked.json()["items"][0];
        assert_eq!(channel["network"], "instagram");
        assert_eq!(channel["handle"], "@facebookfordevelopers");
        assert_eq!(channel["followers"], 64363);
        let (_, credentials) = s.stored(channel["id"].as_str().unwrap()).await;
        assert_eq!(credentials.access_token, "page-token-mylife");
        assert_eq!(credentials.extra["login"], "facebook");
        assert_eq!(credentials.extra["ig_user_id"], IG);
        assert_eq!(credentials.extra["page_id"], "2121008874780932");
    }
}

#[tokio::test]
async fn instagram_login_lists_its_one_account_with_a_long_lived_token() {
    for backend in backends() {
        let s = setup(backend).await;
        Mock::given(method("POST"))
            .and(path("/oauth/access_token"))
            .respond_with(own("meta/instagram/login_code_token.json"))
            .expect(1)
            .mount(&s.server)
            .await;
        Mock::given(method("GET"))
            .and(path("/instagram/v24.0/access_token"))
            .and(query_param("grant_type", "ig_exchange_token"))
            .and(query_param("access_token", "IGshort"))
            .respond_with(own("meta/instagram/login_long_lived.json"))
            .expect(1)
            .mount(&s.server)
            .await;
        Mock::given(method("GET"))
            .and(path("/instagram/v24.0/17841405793187218"))
            .and(query_param("access_token", "IGlong"))
            .respond_with(own("meta/instagram/login_user.json"))
            .mount(&s.server)
            .await;

        // Instagram's own window with the Instagram app (the default sign-in).
        let (url, q) = s.start(json!({"network": "instagram"})).await;
        assert_eq!(url.path(), "/oauth/authorize");
        assert_eq!(q["client_id"], "ig-client");
        assert_eq!(q["redirect_uri"], format!("{CALLBACK}/instagram"));
        assert!(q["scope"].contains("instagram_business_content_publish"));
        let id = match s.finish(&s.owner, &q["state"], "instagram").await {
            Ok((_, herald::services::OAuthFinished::Pick(id))) => id.to_string(),
            other => panic!("expected a pick, got {other:?}"),
        };
        let code = form(&sent(&s.server, "POST", "/oauth/access_token").await[0]);
        assert_eq!(code["grant_type"], "authorization_code");
        assert_eq!(
            (code["client_id"].as_str(), code["client_secret"].as_str()),
            ("ig-client", "ig-secret")
        );
        assert_eq!(code["redirect_uri"], format!("{CALLBACK}/instagram"));

        let grant = s.app.get(&s.grant_path(&id), &s.token).await.json();
        assert_eq!(grant["login"], "instagram");
        assert_eq!(listed(&grant), [("17841405793187218".to_owned(), true)]);
        let picked = s
            .app
            .post(
                &s.grant_path(&id),
                &s.token,
                json!({"account_ids": ["17841405793187218"]}),
            )
            .await;
        assert_eq!(picked.status, StatusCode::CREATED, "{}", picked.text());
        let channel = &picked.json()["items"][0];
        assert_eq!(channel["handle"], "@acmecoffee.ig");
        assert!(channel["token_expires_at"].is_string(), "60-day token");
        let (_, credentials) = s.stored(channel["id"].as_str().unwrap()).await;
        assert_eq!(credentials.access_token, "IGlong");
        assert_eq!(credentials.extra["login"], "instagram");
        assert_eq!(credentials.extra["ig_user_id"], "17841405793187218");
    }
}
