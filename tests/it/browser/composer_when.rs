//! The composer's "When" section in a real browser, publishing to the stand-in Mastodon
//! (`tests/support/fake_mastodon.rs`) through Herald's own workers: a manager schedules a
//! post at a time in the workspace's zone (and answers the daylight-saving questions),
//! cancels it, adds it to the queue; a refused publish shows red with the network's reason
//! and Retry sends it; a post published now turns to "Published" in the open page, without
//! a reload, and the page stops asking. Screenshots in
//! `target-screenshots/composer-when-*.png`.

use std::time::{Duration, Instant};

use herald::services::posts::PostInput;
use herald::services::{Actor, ConnectRequest};
use uuid::Uuid;

use super::harness::{Browser, PASSWORD, TestResult, css, start_with};
use crate::support::fake_mastodon::{FakeMastodon, Script};

const DAY: i64 = 86_400_000;

struct Setup {
    b: Browser,
    fake: FakeMastodon,
    ws: Uuid,
    post: Uuid,
    owner: Actor,
}

/// An owner, a workspace in Paris time, a channel on the stand-in Mastodon with a posting
/// slot every day at 09:00, a draft on it; logged in, on the draft's composer.
async fn setup() -> Result<Option<Setup>, Box<dyn std::error::Error>> {
    setup_with(Duration::ZERO).await
}

/// `setup`, with the stand-in Mastodon taking `latency` over every answer.
async fn setup_with(latency: Duration) -> Result<Option<Setup>, Box<dyn std::error::Error>> {
    let Some(b) = start_with(|c| c.allow_private_hosts = true).await else {
        return Ok(None);
    };
    let fake = FakeMastodon::start(latency).await;
    let owner = b.user("owner@example.com", true).await?;
    let ws = b
        .services
        .create_workspace(&owner, "Acme Coffee", "Europe/Paris")
        .await?
        .workspace
        .id;
    let request = ConnectRequest::Mastodon {
        instance_url: fake.url(),
        access_token: "token-alice".into(),
    };
    let channel = b
        .services
        .connect_channel(&owner, ws, request, None)
        .await?;
    let days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    let slots: Vec<String> = days.iter().map(|d| format!("{d} 09:00")).collect();
    b.services
        .set_channel_slots(&owner, ws, channel.id, &slots, "")
        .await?;
    let input = PostInput {
        text: Some("Our spring roast, how it is made.".into()),
        channel_ids: Some(vec![channel.id]),
        ..Default::default()
    };
    let post = b.services.create_post(&owner, ws, input).await?.post.id;
    b.login("owner@example.com", PASSWORD).await?;
    b.goto(&format!("/w/{ws}/posts/{post}")).await?;
    b.find("#post-when").await?;
    Ok(Some(Setup {
        b,
        fake,
        ws,
        post,
        owner,
    }))
}

/// The local date in Paris of `ms`.
fn paris_day(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .unwrap()
        .in_tz("Europe/Paris")
        .unwrap()
        .date()
        .to_string()
}

/// The last Sunday of `month` next year: when Europe's clocks change.
fn last_sunday(now_ms: i64, month: i8) -> String {
    let year = jiff::Timestamp::from_millisecond(now_ms)
        .unwrap()
        .in_tz("UTC")
        .unwrap()
        .year()
        + 1;
    let mut day = jiff::civil::date(year, month, 31);
    while day.weekday() != jiff::civil::Weekday::Sunday {
        day = day.yesterday().unwrap();
    }
    day.to_string()
}

impl Browser {
    /// Sets a date or time field the way its picker would (chromium reads typed digits in
    /// the locale's order).
    pub(super) async fn set_value(&self, selector: &str, value: &str) -> TestResult {
        self.find(selector).await?;
        self.client
            .execute(
                "var i = document.querySelector(arguments[0]); i.value = arguments[1]; \
                 i.dispatchEvent(new Event('input', {bubbles: true}));",
                vec![serde_json::json!(selector), serde_json::json!(value)],
            )
            .await?;
        Ok(())
    }

    /// Presses a button that asks for confirmation twice.
    pub(super) async fn confirm(&self, selector: &str) -> TestResult {
        self.click(selector).await?;
        self.wait_in(selector, "Press again").await?;
        self.click(selector).await
    }

    /// Loads `path` again until `selector` says `needle` (the workers publish meanwhile).
    async fn reload_until(&self, path: &str, selector: &str, needle: &str) -> TestResult {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            self.goto(path).await?;
            let text = match self.find(selector).await {
                Ok(e) => e.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            if text.contains(needle) {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(format!("{selector} never said {needle:?}; it says:\n{text}").into());
            }
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
    }
}

#[tokio::test]
async fn a_manager_schedules_cancels_and_queues_a_post() -> TestResult {
    let Some(s) = setup().await? else {
        return Ok(());
    };
    let b = &s.b;
    b.wait_in("#post-when .when-rows", "Draft").await?;
    assert_eq!(
        b.value("#when-zone").await?,
        "Europe/Paris",
        "the workspace's zone"
    );

    // Two days ahead at 10:00 in Paris.
    let day = paris_day(b.services.now_ms() + 2 * DAY);
    b.set_value("#when-date", &day).await?;
    b.set_value("#when-time", "10:00").await?;
    b.click("#when-form button[value=at]").await?;
    let row = b.wait_in("#post-when .when-rows", "Scheduled").await?;
    assert!(
        row.contains("10:00") && row.contains("(Europe/Paris)"),
        "{row}"
    );
    b.wait_in("#toasts", "Scheduled:").await?;
    b.wait_in("#composer-title", "Scheduled").await?;
    let v = &b.services.get_post(&s.owner, s.ws, s.post).await?.variants[0].variant;
    assert_eq!(v.local_time, format!("{day}T10:00"));
    assert_eq!(v.time_zone, "Europe/Paris");
    b.client.set_window_size(1280, 1600).await?;
    b.screenshot("composer-when-scheduled").await?;

    // Cancel it, then add it to the queue: the next 09:00 slot.
    b.confirm("#when-cancel").await?;
    b.wait_in("#post-when .when-rows", "Cancelled").await?;
    b.click("#when-form button[value=queue]").await?;
    let row = b.wait_in("#post-when .when-rows", "Scheduled").await?;
    assert!(row.contains("09:00"), "{row}");
    b.wait_in("#toasts", "Added to the queue").await?;

    // A time that happens twice (clocks going back) is a question, then a choice.
    let fold_day = last_sunday(b.services.now_ms(), 10);
    b.set_value("#when-date", &fold_day).await?;
    b.set_value("#when-time", "02:30").await?;
    b.click("#when-form button[value=at]").await?;
    b.wait_in(".when-fold", "happens twice").await?;
    b.wait_in("#toasts", "Not scheduled").await?;
    assert_eq!(
        b.value("#when-time").await?,
        "02:30",
        "what was typed stays"
    );
    b.screenshot("composer-when-fold").await?;
    b.click("#when-fold-later").await?;
    b.click("#when-form button[value=at]").await?;
    let row = b.wait_in("#post-when .when-rows", "02:30 CET").await?;
    assert!(row.contains("Scheduled"), "{row}");

    // A time that does not exist (clocks going forward) is explained beside the field.
    let gap_day = last_sunday(b.services.now_ms(), 3);
    b.set_value("#when-date", &gap_day).await?;
    b.set_value("#when-time", "02:30").await?;
    b.click("#when-form button[value=at]").await?;
    let error = b.wait_in("#when-time-error", "does not exist").await?;
    assert!(error.contains("03:00"), "{error}");
    let invalid = b.find("#when-time").await?.attr("aria-invalid").await?;
    assert_eq!(invalid.as_deref(), Some("true"));
    let focused = b
        .client
        .execute("return document.activeElement.id;", vec![])
        .await?;
    assert_eq!(
        focused.as_str(),
        Some("when-time"),
        "the keyboard is on the field to fix"
    );

    // A small screen: nothing wider than 360 px.
    b.client.set_window_size(360, 1600).await?;
    b.goto(&format!("/w/{}/posts/{}", s.ws, s.post)).await?;
    b.find("#post-when").await?;
    let width = b.scroll_width().await?;
    assert!(width <= 360, "the composer at 360 px is {width} px wide");
    b.client
        .execute(
            "document.querySelector('#post-when').scrollIntoView();",
            vec![],
        )
        .await?;
    b.screenshot("composer-when-360").await?;
    b.client.set_window_size(1280, 900).await?;
    s.b.finish().await
}

#[tokio::test]
async fn a_refused_publish_shows_red_and_retry_sends_it() -> TestResult {
    let Some(s) = setup().await? else {
        return Ok(());
    };
    let b = &s.b;
    let page = format!("/w/{}/posts/{}", s.ws, s.post);
    s.fake.script([Script::Refused {
        error: "Validation failed: Text character limit of 500 exceeded".into(),
    }]);
    b.confirm("#when-form button[value=now]").await?;
    b.wait_in("#toasts", "Publishing now").await?;
    b.reload_until(&page, "#post-when .when-rows", "Failed")
        .await?;
    let reason = b.find(".when-row .when-reason").await?.text().await?;
    assert!(reason.contains("character limit"), "{reason}");
    let color = b
        .client
        .execute(
            "return getComputedStyle(document.querySelector('.when-row .badge')).color;",
            vec![],
        )
        .await?;
    assert_eq!(color.as_str(), Some("rgb(201, 42, 42)"), "red");
    // The attempt, with what the network answered, folded away.
    b.click(".when-attempts > summary").await?;
    b.click(".when-answer > summary").await?;
    let answer = b.wait_in(".when-answer pre", "Validation failed").await?;
    assert!(answer.contains("422"), "{answer}");
    b.client.set_window_size(1280, 1600).await?;
    b.screenshot("composer-when-failed").await?;

    b.click("#when-retry").await?;
    b.wait_in("#toasts", "Trying the failed channels again")
        .await?;
    b.reload_until(&page, "#post-when .when-rows", "Published")
        .await?;
    let link = b.find(".when-row .when-link").await?;
    let href = link.attr("href").await?.unwrap_or_default();
    assert!(href.starts_with("https://fake.example/@alice/"), "{href}");
    assert_eq!(s.fake.statuses().len(), 1, "published once");
    b.client
        .execute(
            "document.querySelectorAll('#post-when details').forEach(function (d) { d.open = true; });",
            vec![],
        )
        .await?;
    let attempts = b.find(".when-attempts").await?.text().await?;
    assert!(
        attempts.contains("#1") && attempts.contains("#2"),
        "{attempts}"
    );
    b.screenshot("composer-when-published").await?;
    b.client.set_window_size(1280, 900).await?;
    s.b.finish().await
}

/// How many times the page has asked for the "When" section again.
async fn polls_sent(b: &Browser) -> Result<u64, Box<dyn std::error::Error>> {
    let n = b
        .client
        .execute(
            "return performance.getEntriesByType('resource')\
             .filter(function (e) { return e.name.indexOf('/when?') > 0; }).length;",
            vec![],
        )
        .await?;
    Ok(n.as_u64().unwrap_or(0))
}

#[tokio::test]
async fn a_post_published_now_turns_to_published_without_a_reload() -> TestResult {
    // A slow network, so the page sees the post publishing before it is published.
    let Some(s) = setup_with(Duration::from_secs(4)).await? else {
        return Ok(());
    };
    let b = &s.b;
    // A mark on the window: a reload or a navigation would lose it.
    b.client
        .execute("window.heraldStayed = true;", vec![])
        .await?;
    b.confirm("#when-form button[value=now]").await?;
    b.wait_in("#post-when .when-rows", "Publishing").await?;
    let hint = b.find("#when-poll").await?.text().await?;
    assert!(hint.contains("updates by itself"), "{hint}");
    b.client.set_window_size(1280, 1600).await?;
    b.client
        .execute(
            "document.querySelector('#post-when').scrollIntoView();",
            vec![],
        )
        .await?;
    b.screenshot("composer-when-publishing").await?;

    // Someone typing in the section is not interrupted: a field there (a stand-in for
    // any) keeps the keyboard and what was typed, and the section waits, though the post
    // is out meanwhile.
    b.client
        .execute(
            "var i = document.createElement('input'); i.id = 'typing'; \
             document.querySelector('#post-when .when-rows').after(i); i.focus();",
            vec![],
        )
        .await?;
    b.fill("#typing", "half a thought").await?;
    let deadline = Instant::now() + Duration::from_secs(20);
    while s.fake.statuses().is_empty() {
        assert!(Instant::now() < deadline, "the worker never published");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let before = polls_sent(b).await?;
    tokio::time::sleep(Duration::from_secs(7)).await;
    assert!(polls_sent(b).await? > before, "it kept asking");
    assert_eq!(b.value("#typing").await?, "half a thought");
    let focused = b
        .client
        .execute("return document.activeElement.id;", vec![])
        .await?;
    assert_eq!(focused.as_str(), Some("typing"), "the keyboard stayed");
    let rows = b.find("#post-when .when-rows").await?.text().await?;
    assert!(
        rows.contains("Publishing"),
        "not redrawn under the typing: {rows}"
    );

    // Done typing: the next poll shows the post published, with its link, and says so.
    b.client
        .execute("document.activeElement.blur();", vec![])
        .await?;
    let rows = b.wait_in("#post-when .when-rows", "Published").await?;
    assert!(!rows.contains("Publishing"), "{rows}");
    let href = b
        .find(".when-row .when-link")
        .await?
        .attr("href")
        .await?
        .unwrap_or_default();
    assert!(href.starts_with("https://fake.example/@alice/"), "{href}");
    b.wait_in("#toasts", "Published: @alice").await?;
    b.wait_in("#composer-title", "Published").await?;
    let stayed = b
        .client
        .execute("return window.heraldStayed === true;", vec![])
        .await?;
    assert_eq!(stayed.as_bool(), Some(true), "the page was not reloaded");
    assert_eq!(s.fake.statuses().len(), 1, "published once");

    // Nothing in flight: the page stops asking.
    assert!(
        b.client.find(css("#when-poll")).await.is_err(),
        "the poll is gone"
    );
    let after = polls_sent(b).await?;
    tokio::time::sleep(Duration::from_secs(7)).await;
    assert_eq!(polls_sent(b).await?, after, "no more polls");
    b.client
        .execute(
            "document.querySelector('#post-when').scrollIntoView();",
            vec![],
        )
        .await?;
    b.screenshot("composer-when-published-live").await?;
    b.client.set_window_size(1280, 900).await?;
    s.b.finish().await
}
