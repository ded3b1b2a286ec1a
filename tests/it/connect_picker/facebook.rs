//! Facebook pages: Facebook Login, the long-lived user token, each page's own token, the
//! pick through the API and through the pages, and a reconnect whose page is gone.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::json;
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, ResponseTemplate};

use super::{CALLBACK, Setup, listed, own, query, sent, setup};
use crate::connectors::fixtures::json as shared;
use crate::support::backends;
use herald::services::OAuthFinished;

/// The code exchange, the long-lived token and one list of pages.
async fn mount_login(s: &Setup, long: ResponseTemplate, pages: &str) {
    Mock::given(method("GET"))
        .and(path("/v24.0/oauth/access_token"))
        .and(query_param("code", "the-code"))
        .respond_with(own("meta/facebook/oauth_code_token.json"))
        .mount(&s.server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v24.0/oauth/access_token"))
        .and(query_param("grant_type", "fb_exchange_token"))
        .respond_with(long)
        .mount(&s.server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v24.0/me/accounts"))
        .respond_with(own(pages))
        .mount(&s.server)
        .await;
}

#[tokio::test]
async fn two_picked_pages_become_two_channels_with_their_own_tokens() {
    let (Some(long), Some(first), Some(second)) = (
        shared("facebook", "oauth_long_lived_token.json"),
        shared("facebook", "me_accounts_pages.json"),
        shared("facebook", "user_accounts_page_tokens.json"),
    ) else {
        return;
    };
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
            .respond_with(ResponseTemplate::new(200).set_body_json(&long))
            .mount(&s.server)
            .await;
        Mock::given(method("GET"))
            .and(path("/v24.0/me/accounts"))
            .and(query_param_is_missing("after"))
            .respond_with(ResponseTemplate::new(200).set_body_json(&first))
            .mount(&s.server)
            .await;
        Mock::given(method("GET"))
            .and(path("/v24.0/me/accounts"))
            .and(query_param("after", "after"))
            .respond_with(ResponseTemplate::new(200).set_body_json(&second))
            .mount(&s.server)
            .await;

        let (url, q) = s.start(json!({"network": "facebook"})).await;
        assert_eq!(url.path(), "/v24.0/dialog/oauth");
        assert_eq!(q["client_id"], "fb-client");
        assert_eq!(q["redirect_uri"], format!("{CALLBACK}/facebook"));
        assert!(
            q["scope"].contains("pages_show_list") && q["scope"].contains("pages_manage_posts")
        );
        assert!(
            !q.contains_key("client_secret"),
            "the secret stays on the server"
        );
        let id = match s.finish(&s.owner, &q["state"], "facebook").await {
            Ok((_, OAuthFinished::Pick(id))) => id.to_string(),
            other => panic!("expected a pick, got {other:?}"),
        };

        // What Herald sent: the code with the app, then the short token for a long one,
        // then the pages with the long one.
        let exchanges = sent(&s.server, "GET", "/v24.0/oauth/access_token").await;
        let code = query(&exchanges[0]);
        assert_eq!(
            (code["client_id"].as_str(), code["client_secret"].as_str()),
            ("fb-client", "fb-secret")
        );
        assert_eq!(code["redirect_uri"], format!("{CALLBACK}/facebook"));
        assert_eq!(query(&exchanges[1])["fb_exchange_token"], "EAAshort");
        let lists = sent(&s.server, "GET", "/v24.0/me/accounts").await;
        assert_eq!(
            query(&lists[0])["access_token"],
            "token",
            "the long-lived user token"
        );

        // The grant is kept encrypted; the API shows the accounts, never their tokens.
        let row = herald::storage::connect_grants::get(&s.app.services().db, id.parse().unwrap())
            .await
            .unwrap()
            .unwrap();
        assert!(row.accounts.starts_with("v1.") && !row.accounts.contains("MyLife"));
        let pending = s
            .app
            .get(
                &format!("/api/v1/workspaces/{}/channels/grants", s.ws),
                &s.token,
            )
            .await
            .json();
        assert_eq!(pending["items"][0]["id"], id.as_str());
        let grant = s.app.get(&s.grant_path(&id), &s.token).await;
        assert_eq!(grant.status, StatusCode::OK, "{}", grant.text());
        assert!(!grant.text().contains("access_token"), "{}", grant.text());
        let ids: Vec<String> = listed(&grant.json())
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        assert_eq!(
            ids,
            ["123", "1234", "123512", "1234624", "2121008874780932"]
        );

        let picked = s
            .app
            .post(
                &s.grant_path(&id),
                &s.token,
                json!({"account_ids": ["123", "2121008874780932"]}),
            )
            .await;
        assert_eq!(picked.status, StatusCode::CREATED, "{}", picked.text());
        let items = picked.json()["items"].as_array().unwrap().clone();
        assert_eq!(items.len(), 2);
        for (item, page) in items.iter().zip(["123", "2121008874780932"]) {
            assert_eq!(item["network"], "facebook");
            assert_eq!(item["remote_id"], page);
            assert_eq!(item["health"], "ok");
            let (row, credentials) = s.stored(item["id"].as_str().unwrap()).await;
            assert_eq!(
                credentials.access_token, "access_token",
                "the page's own token"
            );
            assert_eq!(credentials.extra["page_id"], page);
            assert_eq!(credentials.expires_at_ms, None, "page tokens do not expire");
            assert!(!row.token_refreshable);
        }
        assert_eq!(
            s.app.get(&s.grant_path(&id), &s.token).await.status,
            StatusCode::NOT_FOUND,
            "used once"
        );

        // The same page picked again reconnects its channel in place.
        let again = s.grant(json!({"network": "facebook"}), "facebook").await;
        let view = s.app.get(&s.grant_path(&again), &s.token).await.json();
        assert_eq!(view["accounts"][0]["channel_id"], items[0]["id"]);
        let repicked = s
            .app
            .post(
                &s.grant_path(&again),
                &s.token,
                json!({"account_ids": ["123"]}),
            )
            .await
            .json();
        assert_eq!(repicked["items"][0]["id"], items[0]["id"]);
        let all = s
            .app
            .get(&format!("/api/v1/workspaces/{}/channels", s.ws), &s.token)
            .await
            .json();
        assert_eq!(all["items"].as_array().unwrap().len(), 2);
    }
}

/// A page request with the owner's browser session.
async fn browse(
    s: &Setup,
    cookie: &str,
    method: Method,
    uri: &str,
    form: Option<String>,
) -> crate::support::Reply {
    let mut request = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::COOKIE, cookie);
    if form.is_some() {
        request = request.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    }
    s.app
        .send(
            request
                .body(form.map(Body::from).unwrap_or_default())
                .unwrap(),
        )
        .await
}

#[tokio::test]
async fn the_pages_pick_and_a_reconnect_whose_page_is_gone() {
    for backend in backends() {
        let s = setup(backend).await;
        mount_login(
            &s,
            own("meta/facebook/oauth_long_lived.json"),
            "meta/facebook/pages_to_pick.json",
        )
        .await;
        let session = s
            .app
            .services()
            .login(
                "owner@example.com",
                "correct horse battery",
                "127.0.0.1",
                "t",
            )
            .await
            .unwrap();
        let cookie = format!("herald_session={}", session.cookie_token);
        let csrf = session.session.csrf_token.clone();
        let ws = s.ws.clone();

        // The Channels page offers Facebook now that its app is configured.
        let page = browse(&s, &cookie, Method::GET, &format!("/w/{ws}/channels"), None).await;
        assert!(
            page.text().contains("id=\"connect-facebook\""),
            "{}",
            page.text()
        );
        assert!(page.text().contains("id=\"connect-instagram-facebook\""));

        // Back from Facebook, the person lands on the picker.
        let (_, q) = s.start(json!({"network": "facebook"})).await;
        let back = browse(
            &s,
            &cookie,
            Method::GET,
            &format!(
                "/oauth/callback/facebook?state={}&code=the-code",
                q["state"]
            ),
            None,
        )
        .await;
        assert_eq!(back.status, StatusCode::SEE_OTHER, "{}", back.text());
        let to = back.headers[header::LOCATION].to_str().unwrap().to_owned();
        assert!(to.starts_with(&format!("/w/{ws}/channels/grants/")), "{to}");
        let picker = browse(&s, &cookie, Method::GET, &to, None).await;
        assert_eq!(picker.status, StatusCode::OK);
        let html = picker.text();
        assert!(html.contains("Acme Coffee") && html.contains("Acme Roastery"));
        assert!(
            html.contains("Not connectable: Your role on this page does not allow publishing"),
            "{html}"
        );

        // Nothing ticked: the picker says so and nothing is made.
        let none = browse(
            &s,
            &cookie,
            Method::POST,
            &to,
            Some(format!("csrf_token={csrf}")),
        )
        .await;
        assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(none.text().contains("pick at least one account"));
        let form = format!("csrf_token={csrf}&account_ids=1001&account_ids=1002");
        let done = browse(&s, &cookie, Method::POST, &to, Some(form)).await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.text());
        assert!(
            done.text()
                .contains("Connected @acmecoffee, Acme Roastery on Facebook."),
            "{}",
            done.text()
        );
        let channels = s
            .app
            .get(&format!("/api/v1/workspaces/{ws}/channels"), &s.token)
            .await
            .json();
        let coffee = channels["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["remote_id"] == "1001")
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned();

        // Reconnecting while still an admin takes the page from the list, without a pick.
        let (_, q) = s
            .start(json!({"network": "facebook", "channel_id": coffee}))
            .await;
        match s.finish(&s.owner, &q["state"], "facebook").await {
            Ok((_, OAuthFinished::Connected(c))) => assert_eq!(c.id.to_string(), coffee),
            other => panic!("expected the channel reconnected, got {other:?}"),
        }

        // No longer an admin of Acme Coffee: Facebook stops listing it, and the Channels page
        // says why nothing changed.
        s.server.reset().await;
        mount_login(
            &s,
            own("meta/facebook/oauth_long_lived.json"),
            "meta/facebook/pages_after_losing_one.json",
        )
        .await;
        let (_, q) = s
            .start(json!({"network": "facebook", "channel_id": coffee}))
            .await;
        let back = browse(
            &s,
            &cookie,
            Method::GET,
            &format!(
                "/oauth/callback/facebook?state={}&code=the-code",
                q["state"]
            ),
            None,
        )
        .await;
        let to = back.headers[header::LOCATION].to_str().unwrap().to_owned();
        assert_eq!(to, format!("/w/{ws}/channels?not_listed={coffee}"));
        let told = browse(&s, &cookie, Method::GET, &to, None).await.text();
        assert!(
            told.contains("@acmecoffee was not reconnected: Facebook did not list it among the accounts you manage"),
            "{told}"
        );
        let (_, kept) = s.stored(&coffee).await;
        assert_eq!(
            kept.access_token, "page-token-1001",
            "the channel is unchanged"
        );
    }
}
