//! `/notifications` in a real browser: a mention and a post waiting for review reach the
//! owner, the top bar counts them, a title leads to the post, "Mark all read" clears the
//! count; the page fits a 360 px phone; the account page turns notification emails off.

use herald::domain::Role;
use herald::services::posts::PostInput;

use super::harness::{PASSWORD, TestResult, start};

#[tokio::test]
async fn mentions_and_reviews_show_up_and_are_marked_read() -> TestResult {
    let Some(b) = start().await else {
        return Ok(());
    };
    let owner = b.user("owner@example.com", true).await?;
    let ada = b.user("ada@example.com", false).await?;
    let ws = b
        .services
        .create_workspace(&owner, "Acme Coffee", "Europe/Paris")
        .await?;
    let id = ws.workspace.id;
    let invite = b
        .services
        .create_invite(&owner, id, Role::Contributor, "", None)
        .await?;
    b.services.accept_invite(&ada, &invite.token).await?;
    let channel = herald::services::NewChannel {
        network: herald::domain::text::Network::Mastodon,
        handle: "@acme@coffee.example",
        display_name: "",
        service_url: "",
        max_characters: None,
        chars_per_url: None,
    };
    let channel = b.services.add_channel(&owner, id, channel).await?.id;
    let input = PostInput {
        text: Some("Our spring menu is here: <b>rhubarb</b> & cardamom buns.".into()),
        channel_ids: Some(vec![channel]),
        ..PostInput::default()
    };
    let post = b.services.create_post(&ada, id, input).await?.post.id;
    b.services
        .comment_post(&ada, id, post, "@owner is the <b>price</b> right?")
        .await?;
    b.services.submit_post(&ada, id, post, None, "").await?;

    b.login("owner@example.com", PASSWORD).await?;
    b.goto("/notifications").await?;
    b.wait_text("ada mentioned you in a comment").await?;
    b.wait_text("A post is waiting for review").await?;
    b.wait_text("@owner is the <b>price</b> right?").await?;
    b.wait_text("Acme Coffee · ").await?;
    let bell = b.find(".bell").await?.text().await?;
    assert!(bell.contains('2'), "the bell counts two unread: {bell}");
    assert_eq!(
        b.client
            .find_all(fantoccini::Locator::Css(".notification.unread"))
            .await?
            .len(),
        2
    );
    b.screenshot("notifications").await?;

    b.client.set_window_size(360, 740).await?;
    b.goto("/notifications").await?;
    b.find("#main h1").await?;
    let scroll = b.scroll_width().await?;
    b.screenshot("mobile-notifications").await?;
    assert!(
        scroll <= 360,
        "/notifications is {scroll} px wide at 360 px"
    );
    b.client.set_window_size(1280, 900).await?;

    // The title leads to the post.
    b.goto("/notifications").await?;
    b.click(".notification-title a").await?;
    b.wait_at(&format!("/w/{id}/posts/{post}")).await?;

    b.goto("/notifications").await?;
    b.click("form[action='/notifications/read'] button").await?;
    b.wait_text("Every notification is marked read.").await?;
    assert!(
        b.client
            .find_all(fantoccini::Locator::Css(".notification.unread"))
            .await?
            .is_empty()
    );
    let bell = b.find(".bell").await?.text().await?;
    assert!(!bell.contains('2'), "no unread count left: {bell}");

    // Emails off, from the account page.
    assert!(b.services.email_notifications(&owner).await?);
    b.goto("/account").await?;
    b.wait_text("Notifications by email").await?;
    b.click("#email_notifications").await?;
    b.click("form[action='/account/email'] button[type=submit]")
        .await?;
    b.wait_text("No more notification emails").await?;
    assert!(!b.services.email_notifications(&owner).await?);
    b.finish().await
}
