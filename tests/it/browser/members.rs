//! Managing people and the workspace itself: roles, the last owner, archiving.

use herald::domain::Role;

use super::harness::{PASSWORD, TestResult, start};

#[tokio::test]
async fn roles_change_and_the_last_owner_stays() -> TestResult {
    let Some(b) = start().await else {
        return Ok(());
    };
    let owner = b.user("owner@example.com", true).await?;
    let ws = b
        .services
        .create_workspace(&owner, "Acme", "Europe/Paris")
        .await?;
    let id = ws.workspace.id;
    let sam = b.user("sam@example.com", false).await?;
    let invite = b
        .services
        .create_invite(&owner, id, Role::Viewer, "", None)
        .await?;
    b.services.accept_invite(&sam, &invite.token).await?;
    b.login("owner@example.com", PASSWORD).await?;

    b.goto(&format!("/w/{id}/members")).await?;
    let select = b.find(&format!("#role-{}", sam.user.id)).await?;
    select.select_by_value("editor").await?;
    b.click(&format!(
        "form[action$='/members/{}/role'] button",
        sam.user.id
    ))
    .await?;
    b.wait_text("is now Editor").await?;
    assert_eq!(
        b.services.member(&owner, id, sam.user.id).await?.role,
        Role::Editor
    );

    // The only owner cannot leave: the refusal is a message, and nothing changes.
    b.click("form[action$='/leave'] button").await?;
    b.wait_text("Press again").await?;
    b.click("form[action$='/leave'] button").await?;
    b.wait_text("at least one owner").await?;
    assert_eq!(b.services.list_members(&owner, id).await?.len(), 2);

    // Removing someone takes two presses too.
    let remove = format!("form[action$='/members/{}/remove'] button", sam.user.id);
    b.click(&remove).await?;
    b.click(&remove).await?;
    b.wait_text("was removed from the workspace").await?;
    assert_eq!(b.services.list_members(&owner, id).await?.len(), 1);
    b.finish().await
}

#[tokio::test]
async fn archiving_is_confirmed_and_shows_a_banner() -> TestResult {
    let Some(b) = start().await else {
        return Ok(());
    };
    let owner = b.user("owner@example.com", true).await?;
    let ws = b
        .services
        .create_workspace(&owner, "Old brand", "UTC")
        .await?;
    let id = ws.workspace.id;
    b.login("owner@example.com", PASSWORD).await?;
    b.goto(&format!("/w/{id}/settings")).await?;
    b.click("a[href$='confirm=archive#danger']").await?;
    b.wait_text("Archive Old brand?").await?;
    assert!(
        b.services
            .workspace(&owner, id)
            .await?
            .workspace
            .archived_at_ms
            .is_none(),
        "one click does not archive"
    );
    b.click("form[action$='/archive'] button").await?;
    b.wait_text("is archived: it is read-only").await?;
    b.screenshot("settings-archived").await?;
    assert!(
        b.services
            .workspace(&owner, id)
            .await?
            .workspace
            .archived_at_ms
            .is_some()
    );
    // Read-only: no save button while archived.
    assert!(
        b.client
            .find(super::harness::css(".settings-form button[type=submit]"))
            .await
            .is_err()
    );

    b.click("form[action$='/restore'] button").await?;
    b.wait_text("Old brand is restored.").await?;
    assert!(
        b.services
            .workspace(&owner, id)
            .await?
            .workspace
            .archived_at_ms
            .is_none()
    );
    b.finish().await
}
