//! The Channels page with the real peers: connect Bluesky with an app password (a wrong one
//! first), connect Mastodon through snac's own sign-in page, check and disconnect.

use super::harness::{PASSWORD, TestResult, start_with};
use crate::peers::bluesky::person;
use crate::peers::env;

#[tokio::test]
async fn accounts_connect_from_the_channels_page() -> TestResult {
    let (Some(pds), Some(snac), Some(alice_pw)) = (
        env("HERALD_PEER_BSKY_PDS"),
        env("HERALD_PEER_SNAC_URL"),
        env("HERALD_PEER_SNAC_ALICE_PASSWORD"),
    ) else {
        return Ok(());
    };
    let Some(b) = start_with(|c| c.allow_private_hosts = true).await else {
        return Ok(());
    };
    let owner = b.user("owner@example.com", true).await?;
    let id = b
        .services
        .create_workspace(&owner, "Acme", "Europe/Paris")
        .await?
        .workspace
        .id;
    let someone = person(&pds, "carol").await;
    b.login("owner@example.com", PASSWORD).await?;
    b.goto(&format!("/w/{id}/channels")).await?;
    b.wait_text("No channels yet").await?;
    b.screenshot("channels-empty").await?;

    // Bluesky: a wrong app password is named beside its field, and nothing is added.
    b.fill("#bluesky-handle", &someone.handle).await?;
    b.fill("#bluesky-password", "wrong-pass-word").await?;
    b.fill("#bluesky-service", &pds).await?;
    b.click("#connect-bluesky button[type=submit]").await?;
    b.wait_text("Not connected: please fix").await?;
    b.screenshot("channels-bluesky-error").await?;
    b.find("#app_password-error").await?;
    assert!(b.body_text().await?.contains("No channels yet"));
    b.fill("#bluesky-password", &someone.app_password).await?;
    b.click("#connect-bluesky button[type=submit]").await?;
    b.wait_text(&format!("Connected @{} on Bluesky", someone.handle))
        .await?;
    b.find("[data-network=bluesky][data-health=ok]").await?;

    // Mastodon: Herald sends the browser to the instance, the person signs in there, and
    // the instance sends them back to the Channels page.
    b.screenshot("channels-bluesky").await?;
    b.fill("#mastodon-instance", &snac).await?;
    b.click("#connect-mastodon button[type=submit]").await?;
    b.find("input[name=passwd]").await?;
    b.screenshot("channels-mastodon-sign-in").await?;
    b.fill("input[name=login]", "alice").await?;
    b.fill("input[name=passwd]", &alice_pw).await?;
    b.click("form [type=submit]").await?;
    b.wait_text("Connected @alice@").await?;
    b.find("[data-network=mastodon][data-health=ok]").await?;
    b.screenshot("channels-connected").await?;

    // Check now, then disconnect: the channel stays, marked, with a way back.
    b.click("[data-network=mastodon] form[action$='/check'] button")
        .await?;
    b.wait_text("is connected and working").await?;
    b.click("[data-network=bluesky] form[action$='/disconnect'] button")
        .await?;
    b.client.accept_alert().await?;
    b.wait_text("is disconnected").await?;
    b.find("[data-network=bluesky][data-health=disconnected]")
        .await?;
    b.find("[data-network=bluesky] details.reconnect").await?;
    b.screenshot("channels-disconnected").await?;
    let channels = b.services.list_channels(&owner, id).await?;
    assert_eq!(channels.len(), 2);
    assert!(
        channels
            .iter()
            .any(|c| c.health == "disconnected" && c.credentials.is_none())
    );
    b.finish().await
}

#[tokio::test]
async fn an_admin_enters_the_networks_apps() -> TestResult {
    let Some(b) = super::harness::start().await else {
        return Ok(());
    };
    let admin = b.user("admin@example.com", true).await?;
    let id = b
        .services
        .create_workspace(&admin, "Acme", "Europe/Paris")
        .await?
        .workspace
        .id;
    let editor = b.user("editor@example.com", false).await?;
    b.login("admin@example.com", PASSWORD).await?;
    b.goto(&format!("/w/{id}/channels")).await?;
    b.wait_text("X needs this install's app credentials first")
        .await?;

    b.goto("/admin/networks").await?;
    b.wait_text("Callback address to register").await?;
    assert!(b.body_text().await?.contains("/oauth/callback/x"));
    b.fill("#x-client-id", "abc123").await?;
    b.click("#app-x button[type=submit]").await?;
    b.wait_text("Not saved").await?;
    b.find("#x-client-secret-error").await?;
    b.fill("#x-client-secret", "s3cret").await?;
    b.click("#app-x button[type=submit]").await?;
    b.wait_text("X's app credentials are saved.").await?;
    b.screenshot("admin-networks").await?;
    let app = b
        .services
        .network_app(herald::domain::text::Network::X)
        .await?
        .expect("stored");
    assert_eq!(
        (app.client_id.as_str(), app.client_secret.as_str()),
        ("abc123", "s3cret")
    );
    assert!(
        !b.body_text().await?.contains("s3cret"),
        "the secret is never shown"
    );

    // X can now be connected (its sign-in page is not opened here: no traffic leaves the
    // machine; tests/it/connect_oauth_networks.rs follows the flow against a stand-in).
    b.goto(&format!("/w/{id}/channels")).await?;
    let button = b.find("#connect-x").await?;
    assert!(button.is_enabled().await?);
    assert!(
        !b.body_text()
            .await?
            .contains("X needs this install's app credentials")
    );

    // Not for people who are not instance admins.
    assert!(b.services.network_app_statuses(&editor).await.is_err());
    b.finish().await
}
