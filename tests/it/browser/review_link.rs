//! A client review link in a real browser: the owner creates one with a password in the
//! composer's "Client review link" section and copies its address; logged out, a client
//! opens it, gets a wrong password refused, enters the right one, sees the post as Mastodon
//! and Bluesky will show it (the picture through its signed public address) and approves,
//! which schedules it. The section follows each change without a reload: it appears once
//! the post is sent for review, and lists each link made or revoked at once. Screenshots at
//! desktop width and at 360 px (`target-screenshots/review-link-*.png`,
//! `review-links-revoked.png`).

use herald::domain::post::VariantState;
use herald::services::posts::PostInput;

use super::composer::setup;
use super::composer_media::library_picture;
use super::harness::{Browser, TestResult, css, start};

const DAY_MS: i64 = 86_400_000;
const TEXT: &str = "Our autumn blend is back on Monday, roasted in Lyon.";

#[tokio::test]
async fn a_client_opens_the_link_gives_the_password_and_approves() -> TestResult {
    let Some(b) = start().await else {
        return Ok(());
    };
    let s = setup(&b).await?;
    let channels = b.services.list_channels(&s.owner, s.ws).await?;
    let picture = library_picture(
        &b.services,
        &s.owner,
        s.ws,
        "blend.png",
        "A bag of the autumn blend",
        (800, 500),
    )
    .await?;
    let input = PostInput {
        text: Some(TEXT.to_owned()),
        channel_ids: Some(channels.iter().map(|c| c.id).collect()),
        media_ids: Some(vec![picture]),
        ..PostInput::default()
    };
    let post = b.services.create_post(&s.owner, s.ws, input).await?.post.id;
    let at = b.services.now_ms() + DAY_MS;
    let local = jiff::Timestamp::from_millisecond(at)?
        .in_tz("Europe/Paris")?
        .datetime()
        .to_string();
    let desired = Some((at, "Europe/Paris".to_owned(), local));
    b.services
        .submit_post(&s.owner, s.ws, post, desired, "For Monday")
        .await?;

    // The owner makes the link in the composer.
    b.goto(&format!("/w/{}/posts/{post}", s.ws)).await?;
    b.find("#composer #review-links form").await?;
    b.find("#composer #post-form").await?;
    b.fill("#review-password", "plum tree 42").await?;
    b.click("#review-links button.primary").await?;
    let url = b.value("#review-link-url").await?;
    assert!(url.starts_with(&b.url("/review/")), "{url}");
    b.wait_text("Copy it now").await?;
    b.find("#composer #post-form").await?;
    assert!(
        b.body_text().await?.contains("Opens until"),
        "the new link is listed"
    );
    b.client
        .execute(
            "document.getElementById('review-links').scrollIntoView();",
            vec![],
        )
        .await?;
    b.screenshot("review-link-composer").await?;
    b.logout().await?;

    // The client, with no account.
    b.client.goto(&url).await?;
    b.wait_text("Enter the password").await?;
    b.fill("#password", "pear tree 42").await?;
    b.click("form button[type=submit]").await?;
    b.wait_text("is not the one for this link").await?;
    b.fill("#password", "plum tree 42").await?;
    b.click("form button[type=submit]").await?;
    b.wait_text(TEXT).await?;
    b.find(".preview.pv-mastodon").await?;
    b.find(".preview.pv-bluesky").await?;
    // The picture comes through its signed public address: the client has no session.
    let src = b.find(".pv-gallery img").await?.attr("src").await?;
    assert!(
        src.is_some_and(|s| s.starts_with("/media/public/")),
        "public address"
    );
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    loop {
        let loaded = b
            .client
            .execute(
                "var i = document.querySelector('.pv-gallery img'); return i.complete && i.naturalWidth > 0;",
                vec![],
            )
            .await?;
        if loaded.as_bool() == Some(true) {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the picture did not load"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let page = b.body_text().await?;
    assert!(
        page.contains("Europe/Paris"),
        "the time in the workspace's zone: {page}"
    );
    b.client.set_window_size(1280, 1400).await?;
    b.screenshot("review-link").await?;
    b.client.set_window_size(360, 1400).await?;
    let width = b.scroll_width().await?;
    assert!(width <= 360, "the review page is {width} px wide at 360 px");
    b.screenshot("review-link-360").await?;

    b.fill("#name", "Ana Souza").await?;
    b.fill("#note", "Lovely, go ahead.").await?;
    b.click("button[value=approve]").await?;
    b.wait_text("you approved this post").await?;
    b.screenshot("review-link-approved-360").await?;
    let states: Vec<VariantState> = b
        .services
        .get_post(&s.owner, s.ws, post)
        .await?
        .variants
        .iter()
        .map(|v| v.variant.state)
        .collect();
    assert!(
        states.iter().all(|st| *st == VariantState::Scheduled),
        "approved and scheduled: {states:?}"
    );
    assert!(
        b.client.find(css("button[value=approve]")).await.is_err(),
        "acted once"
    );
    b.client.set_window_size(1280, 900).await?;
    b.finish().await
}

/// Waits until `selector` matches `n` elements.
async fn wait_count(b: &Browser, selector: &str, n: usize) -> TestResult {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    loop {
        let found = b.count(selector).await?;
        if found == n {
            return Ok(());
        }
        if std::time::Instant::now() > deadline {
            return Err(format!("{selector}: {found} elements, not {n}").into());
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn the_links_section_shows_each_change_at_once() -> TestResult {
    let Some(b) = start().await else {
        return Ok(());
    };
    let s = setup(&b).await?;
    b.services
        .set_approval_policy(&s.owner, s.ws, true, 1, false)
        .await?;
    let channels = b.services.list_channels(&s.owner, s.ws).await?;
    let input = PostInput {
        text: Some(TEXT.to_owned()),
        channel_ids: Some(channels.iter().map(|c| c.id).collect()),
        ..PostInput::default()
    };
    let post = b.services.create_post(&s.owner, s.ws, input).await?.post.id;
    b.goto(&format!("/w/{}/posts/{post}", s.ws)).await?;
    b.find("#post-when").await?;
    // A mark on the window: a reload would lose it.
    b.client
        .execute("window.heraldStayed = true;", vec![])
        .await?;
    assert!(
        b.client.find(css("#review-links-title")).await.is_err(),
        "no links before the post is in review"
    );

    // Sent for review in the When section: the links section appears.
    b.click("#when-form button[value=at]").await?;
    b.wait_in("#review-links", "Client review link").await?;

    // Each link made is listed at once; the newest revoked is marked so at once.
    b.click("#review-links button.primary").await?;
    b.wait_text("Copy it now").await?;
    wait_count(&b, "#review-links li.row", 1).await?;
    b.click("#review-links button.primary").await?;
    wait_count(&b, "#review-links li.row", 2).await?;
    b.confirm("#review-links li.row .row-actions button")
        .await?;
    b.wait_in("#review-links", "revoked").await?;
    wait_count(&b, "#review-links .row-actions", 1).await?;
    b.wait_in("#toasts", "no longer opens").await?;
    let stayed = b
        .client
        .execute("return window.heraldStayed === true;", vec![])
        .await?;
    assert_eq!(stayed.as_bool(), Some(true), "the page was not reloaded");
    let links = b.services.list_review_links(&s.owner, s.ws, post).await?;
    assert_eq!(links.len(), 2);
    assert!(
        links[0].revoked_at_ms.is_some() && links[1].revoked_at_ms.is_none(),
        "the newest revoked"
    );
    b.client.set_window_size(1280, 1600).await?;
    b.client
        .execute(
            "document.getElementById('review-links').scrollIntoView();",
            vec![],
        )
        .await?;
    b.screenshot("review-links-revoked").await?;
    b.client.set_window_size(1280, 900).await?;
    b.finish().await
}
