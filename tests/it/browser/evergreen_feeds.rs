//! The evergreen library and feeds pages: adding a post to the library and a feed, as a
//! person does, at desktop width and at 360 px (screenshots in `target-screenshots/`).

use herald::services::NewChannel;
use herald::services::posts::PostInput;

use super::harness::{PASSWORD, TestResult, start_with};
use crate::feed_server::{FeedServer, rss};

#[tokio::test]
async fn a_post_joins_the_library_and_a_feed_is_added() -> TestResult {
    let Some(b) = start_with(|c| c.allow_private_hosts = true).await else {
        return Ok(());
    };
    let owner = b.user("owner@example.com", true).await?;
    let ws = b
        .services
        .create_workspace(&owner, "Acme", "Europe/Paris")
        .await?;
    let id = ws.workspace.id;
    let channel = b
        .services
        .add_channel(
            &owner,
            id,
            NewChannel {
                network: herald::domain::text::Network::Mastodon,
                handle: "@acme@example.social",
                display_name: "",
                service_url: "",
                max_characters: None,
                chars_per_url: None,
            },
        )
        .await?;
    let post = b
        .services
        .create_post(
            &owner,
            id,
            PostInput {
                text: Some("How we roast, step by step.".into()),
                channel_ids: Some(vec![channel.id]),
                ..PostInput::default()
            },
        )
        .await?;
    b.login("owner@example.com", PASSWORD).await?;

    b.goto(&format!("/w/{id}/evergreen")).await?;
    b.wait_text("The library is empty").await?;
    b.find("#ev-post")
        .await?
        .select_by_value(&post.post.id.to_string())
        .await?;
    b.click("form[action$='/evergreen/add'] button").await?;
    b.wait_text("Added: the library re-shares it").await?;
    assert_eq!(
        b.services.evergreen_library(&owner, id).await?.posts.len(),
        1
    );
    b.fill("#ev-interval", "0").await?;
    b.click("form[action$='/evergreen/settings'] button")
        .await?;
    b.wait_text("must be between 1 and 365").await?;
    b.fill("#ev-interval", "14").await?;
    b.click("form[action$='/evergreen/settings'] button")
        .await?;
    b.wait_text("The library's rules are saved").await?;
    let library = b.services.evergreen_library(&owner, id).await?;
    assert_eq!(library.settings.min_interval_ms, 14 * 86_400_000);
    b.screenshot("evergreen").await?;
    b.client.set_window_size(360, 1300).await?;
    b.goto(&format!("/w/{id}/evergreen")).await?;
    b.wait_text("In the library").await?;
    assert!(b.scroll_width().await? <= 360);
    b.screenshot("evergreen-mobile").await?;
    b.client.set_window_size(1280, 900).await?;

    let server = FeedServer::start().await;
    server.put(
        "feed.xml",
        "application/rss+xml",
        rss(&[(
            "wp-1",
            "Spring blend is here",
            "https://acme.coffee/spring",
            "Sat, 28 Feb 2026 09:00:00 +0000",
        )]),
    );
    b.goto(&format!("/w/{id}/feeds")).await?;
    b.wait_text("No feeds yet").await?;
    b.click("form[action$='/feeds'] button").await?;
    b.wait_text("give the feed's address").await?;
    b.fill("#feed-url", &server.url("feed.xml")).await?;
    b.click(&format!("#feed-ch-{}", channel.id)).await?;
    b.click("form[action$='/feeds'] button").await?;
    b.wait_text("The feed is added: 1 new item(s) imported")
        .await?;
    b.wait_text("Acme Coffee Journal").await?;
    b.screenshot("feeds").await?;
    b.client.set_window_size(360, 1300).await?;
    b.goto(&format!("/w/{id}/feeds")).await?;
    b.wait_text("Add a feed").await?;
    assert!(b.scroll_width().await? <= 360);
    b.screenshot("feeds-mobile").await?;
    b.finish().await
}
