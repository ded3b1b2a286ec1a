//! A workspace from creation to a contributor joining through an invite link.

use super::harness::{PASSWORD, TestResult, start};

#[tokio::test]
async fn create_configure_invite_and_join() -> TestResult {
    let Some(b) = start().await else {
        return Ok(());
    };
    b.user("owner@example.com", true).await?;
    b.login("owner@example.com", PASSWORD).await?;

    b.goto("/workspaces").await?;
    b.fill("#name", "Acme Coffee").await?;
    b.fill("#time_zone", "Europe/Paris").await?;
    b.click("form[action='/workspaces'] button[type=submit]")
        .await?;
    let home = b.wait_path(|p| p.starts_with("/w/")).await?;
    b.wait_text("Getting started").await?;
    b.screenshot("home").await?;

    // An invalid time zone: the error sits next to the field and nothing typed is lost.
    b.goto(&format!("{home}/settings")).await?;
    assert_eq!(b.value("#time_zone").await?, "Europe/Paris");
    b.fill("#brand_voice", "Warm, direct, never pushy.").await?;
    b.fill("#hashtags", "#acme coffee").await?;
    b.fill("#time_zone", "Mars/Olympus").await?;
    b.click(".settings-form button[type=submit]").await?;
    b.wait_text("is not an IANA time zone").await?;
    let error = b.find("#time_zone-error").await?.text().await?;
    assert!(error.contains("Mars/Olympus"), "{error}");
    assert_eq!(
        b.find("#time_zone")
            .await?
            .attr("aria-invalid")
            .await?
            .as_deref(),
        Some("true")
    );
    assert_eq!(b.value("#brand_voice").await?, "Warm, direct, never pushy.");
    assert_eq!(b.value("#time_zone").await?, "Mars/Olympus");
    b.screenshot("settings-error").await?;

    b.fill("#time_zone", "Europe/Paris").await?;
    b.click(".settings-form button[type=submit]").await?;
    b.wait_text("Settings saved.").await?;
    b.goto(&format!("{home}/settings")).await?;
    assert_eq!(b.value("#brand_voice").await?, "Warm, direct, never pushy.");
    assert_eq!(b.value("#hashtags").await?, "#acme #coffee");
    b.screenshot("settings").await?;

    // An invite for a contributor, shown once.
    b.goto(&format!("{home}/members")).await?;
    b.click("#invite-role-contributor").await?;
    b.fill("#note", "For Sam").await?;
    b.click("form[action$='/invites'] button[type=submit]")
        .await?;
    let link = b.value("#invite-link").await?;
    assert!(link.starts_with(&b.url("/invite/")), "{link}");
    b.wait_text("For Sam").await?;
    b.screenshot("members").await?;

    // Someone else, in a browser that has never seen Herald.
    b.client.delete_all_cookies().await?;
    b.client.goto(&link).await?;
    b.wait_text("Join Acme Coffee").await?;
    b.wait_text("Contributor").await?;
    b.screenshot("invite").await?;
    b.fill("#email", "sam@example.com").await?;
    b.fill("#display_name", "Sam Writer").await?;
    b.fill("#password", PASSWORD).await?;
    b.fill("#confirm_password", PASSWORD).await?;
    b.click("form[action$='/register'] button[type=submit]")
        .await?;
    b.wait_at(&home).await?;
    b.wait_text("Your role here is Contributor").await?;

    b.goto(&format!("{home}/members")).await?;
    let sam = b
        .find("[data-member='sam@example.com']")
        .await?
        .text()
        .await?;
    assert!(sam.contains("Contributor") && sam.contains("You"), "{sam}");
    // A contributor reads the settings but cannot change them.
    b.goto(&format!("{home}/settings")).await?;
    b.wait_text("owners and managers change them").await?;
    assert!(
        b.client
            .find(super::harness::css(".settings-form button[type=submit]"))
            .await
            .is_err()
    );

    // The link worked once.
    b.client.delete_all_cookies().await?;
    b.client.goto(&link).await?;
    b.wait_text("already been used").await?;
    b.finish().await
}

#[tokio::test]
async fn another_workspace_is_not_found() -> TestResult {
    let Some(b) = start().await else {
        return Ok(());
    };
    let owner = b.user("owner@example.com", true).await?;
    let ws = b
        .services
        .create_workspace(&owner, "Private brand", "UTC")
        .await?;
    b.user("other@example.com", false).await?;
    b.login("other@example.com", PASSWORD).await?;
    for page in ["", "/settings", "/members"] {
        b.goto(&format!("/w/{}{page}", ws.workspace.id)).await?;
        b.wait_text("Page not found").await?;
        let text = b.body_text().await?;
        assert!(!text.contains("Private brand"), "{page}: {text}");
    }
    b.goto("/no/such/page").await?;
    b.wait_text("Page not found").await?;
    b.screenshot("not-found").await?;
    b.finish().await
}
