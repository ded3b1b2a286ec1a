//! The account picker in the browser: "Connect Facebook" goes to Facebook's dialog (a local
//! stand-in), Facebook sends the person back with a code, they tick two pages, and the
//! Channels page shows two channels. The page the person may not publish to says why.

use serde_json::json;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::harness::{PASSWORD, TestResult, start_with};

fn own(name: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(crate::connectors::fixtures::own(name))
}

#[tokio::test]
async fn facebook_pages_are_ticked_on_the_picker() -> TestResult {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v24.0/dialog/oauth"))
        .respond_with(ResponseTemplate::new(200).set_body_string("Facebook's dialog stands here"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v24.0/oauth/access_token"))
        .and(query_param("code", "the-code"))
        .respond_with(own("meta/facebook/oauth_code_token.json"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v24.0/oauth/access_token"))
        .and(query_param("grant_type", "fb_exchange_token"))
        .respond_with(own("meta/facebook/oauth_long_lived.json"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v24.0/me/accounts"))
        .respond_with(own("meta/facebook/pages_to_pick.json"))
        .mount(&server)
        .await;
    let base = server.uri();
    let Some(b) = start_with(|c| {
        c.allow_private_hosts = true;
        c.network_base_url = Some(base);
    })
    .await
    else {
        return Ok(());
    };
    let owner = b.user("owner@example.com", true).await?;
    b.services
        .save_network_app(
            &owner,
            herald::domain::text::Network::Facebook,
            "fb-client",
            "fb-secret",
        )
        .await?;
    let id = b
        .services
        .create_workspace(&owner, "Acme", "Europe/Paris")
        .await?
        .workspace
        .id;
    b.login("owner@example.com", PASSWORD).await?;
    b.goto(&format!("/w/{id}/channels")).await?;
    b.click("#connect-facebook").await?;
    b.wait_path(|p| p == "/v24.0/dialog/oauth").await?;
    let dialog = b.client.current_url().await?;
    let state = dialog
        .query_pairs()
        .find(|(k, _)| k == "state")
        .map(|(_, v)| v.into_owned())
        .ok_or("no state in the dialog's address")?;

    // Facebook sends the person back with a code: the picker lists the pages.
    b.goto(&format!(
        "/oauth/callback/facebook?state={state}&code=the-code"
    ))
    .await?;
    b.wait_text("Pick Facebook pages").await?;
    b.find("[data-account='1003'][data-unavailable=true] input[disabled]")
        .await?;
    assert!(
        b.body_text()
            .await?
            .contains("Not connectable: Your role on this page")
    );
    b.click("#pick-0").await?;
    b.click("#pick-1").await?;
    b.screenshot("channel-picker").await?;
    b.click("#connect-picked").await?;
    b.wait_text("Connected @acmecoffee, Acme Roastery on Facebook.")
        .await?;
    b.find("[data-network=facebook][data-health=ok]").await?;
    b.screenshot("channel-picker-connected").await?;
    let channels = b.services.list_channels(&owner, id).await?;
    assert_eq!(channels.len(), 2, "{:?}", json!(channels.len()));
    b.finish().await
}
