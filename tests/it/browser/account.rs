//! The account page: password, sessions, API tokens (and the token really works).

use super::harness::{PASSWORD, TestResult, css, start};

#[tokio::test]
async fn password_sessions_and_a_working_token() -> TestResult {
    let Some(b) = start().await else {
        return Ok(());
    };
    b.user("ada@example.com", true).await?;
    b.login("ada@example.com", PASSWORD).await?;
    b.goto("/account").await?;
    b.wait_text("This device").await?;
    b.wait_text("Chrome on Linux").await?;

    let new_password = "a brand new passphrase";
    b.fill("#current_password", "wrong current password")
        .await?;
    b.fill("#new_password", new_password).await?;
    b.fill("#confirm_password", new_password).await?;
    b.click("form[action='/account/password'] button[type=submit]")
        .await?;
    b.wait_text("is not your current password").await?;

    b.fill("#current_password", PASSWORD).await?;
    b.fill("#new_password", new_password).await?;
    b.fill("#confirm_password", new_password).await?;
    b.click("form[action='/account/password'] button[type=submit]")
        .await?;
    b.wait_text("Password changed.").await?;

    b.fill("#token-name", "Reporting script").await?;
    b.click("form[action='/account/tokens'] button[type=submit]")
        .await?;
    let secret = b.value("#new-token").await?;
    assert!(secret.starts_with("hrld_"), "{secret}");
    b.wait_text("Herald will not show it again").await?;
    b.screenshot("account").await?;

    let me: serde_json::Value = reqwest::Client::new()
        .get(b.url("/api/v1/me"))
        .bearer_auth(&secret)
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    assert_eq!(me["email"], "ada@example.com", "{me}");

    // Shown once: a reload lists the token by prefix, with its last use, but not the secret.
    b.goto("/account").await?;
    b.wait_text("Reporting script").await?;
    assert!(b.client.find(css("#new-token")).await.is_err());
    let tokens = b.find("#tokens").await?.text().await?;
    assert!(
        tokens.contains(&secret[..9]) && !tokens.contains(&secret),
        "{tokens}"
    );
    assert!(
        !tokens.contains("last used never"),
        "the API call counts as a use: {tokens}"
    );

    // "Log out everywhere" asks for a second press, then ends this session too.
    b.click("form[action='/account/sessions/end-all'] button")
        .await?;
    b.wait_text("Press again").await?;
    b.click("form[action='/account/sessions/end-all'] button")
        .await?;
    b.wait_at("/login").await?;
    b.goto("/account").await?;
    b.wait_at("/login").await?;

    // The new password is the one that works now.
    b.login("ada@example.com", new_password).await?;
    b.wait_at("/workspaces").await?;
    b.finish().await
}
