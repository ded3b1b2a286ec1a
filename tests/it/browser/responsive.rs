//! At 360 px wide, no page scrolls sideways.

use super::harness::{PASSWORD, TestResult, start};

#[tokio::test]
async fn pages_fit_a_small_phone() -> TestResult {
    let Some(b) = start().await else {
        return Ok(());
    };
    let owner = b
        .user("someone.with.a.long.address@example.com", true)
        .await?;
    let ws = b
        .services
        .create_workspace(
            &owner,
            "A workspace with a rather long brand name",
            "America/Argentina/Buenos_Aires",
        )
        .await?;
    b.services
        .create_invite(
            &owner,
            ws.workspace.id,
            herald::domain::Role::Editor,
            "For the new social media intern",
            None,
        )
        .await?;
    b.client.set_window_size(360, 740).await?;
    let width: i64 = b
        .client
        .execute("return window.innerWidth;", vec![])
        .await?
        .as_i64()
        .unwrap_or(0);
    assert!(width <= 360, "the viewport is {width} px wide");

    b.goto("/login").await?;
    b.screenshot("mobile-login").await?;
    b.login("someone.with.a.long.address@example.com", PASSWORD)
        .await?;
    let base = format!("/w/{}", ws.workspace.id);
    for (name, path) in [
        ("home", base.clone()),
        ("settings", format!("{base}/settings")),
        ("members", format!("{base}/members")),
        ("account", "/account".to_owned()),
        ("workspaces", "/workspaces".to_owned()),
    ] {
        b.goto(&path).await?;
        b.find("#main h1").await?;
        let scroll = b.scroll_width().await?;
        b.screenshot(&format!("mobile-{name}")).await?;
        assert!(scroll <= 360, "{path} is {scroll} px wide at 360 px");
    }
    // The switcher opens and stays inside the screen.
    b.goto(&base).await?;
    b.click(".switcher summary").await?;
    b.screenshot("mobile-switcher").await?;
    let scroll = b.scroll_width().await?;
    assert!(
        scroll <= 360,
        "the open switcher makes the page {scroll} px wide"
    );
    b.finish().await
}
