//! A fresh install in a real browser: first account, log out, log in, wrong password.

use super::harness::{PASSWORD, TestResult, start};

#[tokio::test]
async fn first_account_then_log_out_and_in_again() -> TestResult {
    let Some(b) = start().await else {
        return Ok(());
    };
    b.goto("/").await?;
    b.wait_at("/setup").await?;
    b.wait_text("Welcome to Herald").await?;
    b.screenshot("setup").await?;

    // A mismatched confirmation is caught and the email typed so far is kept.
    b.fill("#email", "ada@example.com").await?;
    b.fill("#display_name", "Ada Admin").await?;
    b.fill("#password", PASSWORD).await?;
    b.fill("#confirm_password", "something else entirely")
        .await?;
    b.click("form[action='/setup'] button[type=submit]").await?;
    b.wait_text("does not match the password").await?;
    assert_eq!(b.value("#email").await?, "ada@example.com");

    b.fill("#password", PASSWORD).await?;
    b.fill("#confirm_password", PASSWORD).await?;
    b.click("form[action='/setup'] button[type=submit]").await?;
    b.wait_at("/workspaces").await?;
    b.wait_text("Create your first workspace").await?;
    b.wait_text("Ada Admin").await?;
    b.screenshot("workspaces-empty").await?;

    // Once set up, the first-run page is gone.
    b.goto("/setup").await?;
    b.wait_path(|p| p != "/setup").await?;

    b.logout().await?;
    b.screenshot("login").await?;
    b.goto("/workspaces").await?;
    let path = b.wait_path(|p| p == "/login").await?;
    assert_eq!(
        path, "/login",
        "a logged-out visitor is sent to the login page"
    );

    b.login("ada@example.com", PASSWORD).await?;
    b.wait_at("/workspaces").await?;
    b.logout().await?;

    b.fill("#email", "ada@example.com").await?;
    b.fill("#password", "not the password at all").await?;
    b.click("form[action='/login'] button[type=submit]").await?;
    b.wait_text("Email or password is incorrect.").await?;
    b.screenshot("login-error").await?;
    // The same message for an email that does not exist: nothing is revealed.
    b.fill("#email", "nobody@example.com").await?;
    b.fill("#password", "not the password at all").await?;
    b.click("form[action='/login'] button[type=submit]").await?;
    b.wait_text("Email or password is incorrect.").await?;
    assert_eq!(b.value("#email").await?, "nobody@example.com");
    b.finish().await
}
