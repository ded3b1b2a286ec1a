//! The composer's "Repeat" section in a real browser: an owner makes a post repeat every
//! week on Mondays and Thursdays, reads the rule in words and the occurrences made (and
//! opens one), stops it; then switches the post into the evergreen library, finds it on
//! the Evergreen page, and switches it out again. A bad interval is named beside its field
//! with the keyboard on it. Screenshots in `target-screenshots/composer-repeat-*.png` and
//! `/tmp/composer-repeat*.png`.

use std::time::Duration;

use herald::services::ConnectRequest;
use herald::services::posts::PostInput;

use super::harness::{PASSWORD, TestResult, start_with};
use crate::support::fake_mastodon::FakeMastodon;

const DAY: i64 = 86_400_000;
const TEXT: &str = "Our spring roast, how it is made.";

#[tokio::test]
async fn a_post_repeats_weekly_then_stops_and_joins_the_evergreen_library() -> TestResult {
    let Some(b) = start_with(|c| c.allow_private_hosts = true).await else {
        return Ok(());
    };
    let owner = b.user("owner@example.com", true).await?;
    let ws = b
        .services
        .create_workspace(&owner, "Acme Coffee", "Europe/Paris")
        .await?
        .workspace
        .id;
    // A channel that takes posts (the stand-in Mastodon), so occurrences can be scheduled.
    let fake = FakeMastodon::start(Duration::ZERO).await;
    let request = ConnectRequest::Mastodon {
        instance_url: fake.url(),
        access_token: "token-alice".into(),
    };
    let channel = b
        .services
        .connect_channel(&owner, ws, request, None)
        .await?;
    let input = PostInput {
        text: Some(TEXT.into()),
        channel_ids: Some(vec![channel.id]),
        ..Default::default()
    };
    let post = b.services.create_post(&owner, ws, input).await?.post.id;
    let composer = format!("/w/{ws}/posts/{post}");
    b.login("owner@example.com", PASSWORD).await?;
    b.goto(&composer).await?;
    b.wait_in("#post-repeat", "This post does not repeat")
        .await?;
    assert_eq!(b.value("#repeat-zone").await?, "Europe/Paris");

    // A bad interval: named beside the field, the keyboard on it, nothing saved.
    b.fill("#repeat-interval", "0").await?;
    b.click("#repeat-save").await?;
    b.wait_in("#repeat-interval-error", "Repeat every 1 to 52 weeks")
        .await?;
    b.wait_in("#toasts", "Not repeating. Every:").await?;
    let focused = b
        .client
        .execute("return document.activeElement.id;", vec![])
        .await?;
    assert_eq!(focused.as_str(), Some("repeat-interval"));
    assert!(b.services.recurrence(&owner, ws, post).await.is_err());

    // Every week on Mondays and Thursdays at 09:00, from tomorrow.
    let tomorrow = jiff::Timestamp::from_millisecond(b.services.now_ms() + DAY)?
        .in_tz("Europe/Paris")?
        .date()
        .to_string();
    b.fill("#repeat-interval", "1").await?;
    b.set_value("#repeat-start", &tomorrow).await?;
    b.set_value("#repeat-time", "09:00").await?;
    for day in ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] {
        let selector = format!("#repeat-day-{day}");
        let ticked = b.find(&selector).await?.prop("checked").await? == Some("true".into());
        if ticked != matches!(day, "mon" | "thu") {
            b.click(&selector).await?;
        }
    }
    b.click("#repeat-save").await?;
    b.wait_in("#toasts", "Repeating: Every week on Monday and Thursday")
        .await?;
    let words = b
        .wait_in(
            "#repeat-series",
            "Every week on Monday and Thursday at 09:00",
        )
        .await?;
    assert!(
        words.contains("Repeating") && words.contains("(Europe/Paris)"),
        "{words}"
    );
    // Any six days hold a Monday or a Thursday: at least one occurrence is made at once.
    let made = b
        .client
        .find_all(super::harness::css("#repeat-made a"))
        .await?;
    assert!(
        !made.is_empty(),
        "occurrences made in the coming week: {words}"
    );
    let upcoming = b
        .client
        .find_all(super::harness::css("#repeat-upcoming li"))
        .await?;
    assert_eq!(upcoming.len(), 5, "the next five still to make");
    let first = made[0].attr("href").await?.unwrap_or_default();
    assert!(first.starts_with(&format!("/w/{ws}/posts/")), "{first}");
    assert_ne!(first, composer, "a post of its own");
    b.client.set_window_size(1280, 1800).await?;
    b.client
        .execute(
            "document.querySelector('#post-repeat').scrollIntoView();",
            vec![],
        )
        .await?;
    b.screenshot("composer-repeat-weekly").await?;
    std::fs::write("/tmp/composer-repeat.png", b.client.screenshot().await?)?;

    // The occurrence is an ordinary post, scheduled at its time.
    b.click("#repeat-made a").await?;
    b.wait_path(|p| p == first).await?;
    b.wait_in("#post-when .when-rows", "Scheduled").await?;
    b.wait_in("#post-when .when-rows", "09:00").await?;
    b.goto(&composer).await?;

    // Stop it: the occurrences not yet out are cancelled.
    b.confirm("#repeat-stop").await?;
    b.wait_in("#toasts", "Stopped repeating").await?;
    b.wait_in("#repeat-series", "Stopped").await?;
    assert!(
        b.client
            .find(super::harness::css("#repeat-stop"))
            .await
            .is_err()
    );
    let series = b.services.recurrence(&owner, ws, post).await?;
    assert_eq!(series.series.state, "cancelled");
    let copy = first.rsplit('/').next().unwrap_or_default().parse()?;
    let copy = b.services.get_post(&owner, ws, copy).await?;
    assert_eq!(copy.variants[0].variant.state.as_str(), "cancelled");

    // The evergreen switch: on, listed on the Evergreen page, then off.
    let switch = b.find("#evergreen-switch").await?;
    assert_eq!(switch.attr("aria-checked").await?.as_deref(), Some("false"));
    b.click("#evergreen-switch").await?;
    b.wait_in("#toasts", "In the evergreen library").await?;
    b.wait_in("#evergreen-state", "In the evergreen library")
        .await?;
    let switch = b.find("#evergreen-switch").await?;
    assert_eq!(switch.attr("aria-checked").await?.as_deref(), Some("true"));
    b.client
        .execute(
            "document.querySelector('#post-repeat').scrollIntoView();",
            vec![],
        )
        .await?;
    b.screenshot("composer-repeat-evergreen").await?;
    std::fs::write(
        "/tmp/composer-repeat-evergreen.png",
        b.client.screenshot().await?,
    )?;
    b.click("#evergreen-library").await?;
    b.wait_at(&format!("/w/{ws}/evergreen")).await?;
    b.wait_in("#library", TEXT).await?;
    b.goto(&composer).await?;
    b.click("#evergreen-switch").await?;
    b.wait_in("#toasts", "Out of the evergreen library").await?;
    b.wait_in("#evergreen-state", "Not in the evergreen library")
        .await?;
    b.goto(&format!("/w/{ws}/evergreen")).await?;
    b.wait_text("The library is empty").await?;

    // A small screen: nothing wider than 360 px.
    b.client.set_window_size(360, 1600).await?;
    b.goto(&composer).await?;
    b.find("#post-repeat").await?;
    let width = b.scroll_width().await?;
    assert!(width <= 360, "the composer at 360 px is {width} px wide");
    b.client
        .execute(
            "document.querySelector('#post-repeat').scrollIntoView();",
            vec![],
        )
        .await?;
    b.screenshot("composer-repeat-360").await?;
    std::fs::write("/tmp/composer-repeat-360.png", b.client.screenshot().await?)?;
    b.client.set_window_size(1280, 900).await?;
    b.finish().await
}
