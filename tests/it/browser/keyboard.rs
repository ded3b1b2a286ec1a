//! The login form with the keyboard alone.

use fantoccini::key::Key;

use super::harness::{PASSWORD, TestResult, start};

async fn active_id(b: &super::harness::Browser) -> Result<String, Box<dyn std::error::Error>> {
    Ok(b.client
        .active_element()
        .await?
        .attr("id")
        .await?
        .unwrap_or_default())
}

async fn press(b: &super::harness::Browser, keys: &str) -> TestResult {
    b.client.active_element().await?.send_keys(keys).await?;
    Ok(())
}

#[tokio::test]
async fn login_with_the_keyboard_only() -> TestResult {
    let Some(b) = start().await else {
        return Ok(());
    };
    b.user("ada@example.com", true).await?;
    b.goto("/login").await?;
    b.find("#email").await?;
    let tab = char::from(Key::Tab).to_string();

    // The first Tab reaches the skip link, which then shows itself.
    b.client
        .find(super::harness::css("body"))
        .await?
        .send_keys(&tab)
        .await?;
    let first = b.client.active_element().await?;
    assert_eq!(first.attr("class").await?.as_deref(), Some("skip-link"));
    let (_, top, _, _) = first.rectangle().await?;
    assert!(top >= 0.0, "the focused skip link is on screen");

    let mut presses = 0;
    while active_id(&b).await? != "email" {
        press(&b, &tab).await?;
        presses += 1;
        assert!(presses < 10, "Tab never reached the email field");
    }
    press(&b, "ada@example.com").await?;
    press(&b, &tab).await?;
    assert_eq!(active_id(&b).await?, "password");
    press(&b, PASSWORD).await?;
    press(&b, &char::from(Key::Enter).to_string()).await?;
    b.wait_at("/workspaces").await?;
    b.wait_text("Create your first workspace").await?;
    b.finish().await
}
