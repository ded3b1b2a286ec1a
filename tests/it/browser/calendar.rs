//! The content calendar in a real browser: a scheduled post in the month view, moved to
//! another day with the keyboard alone through its "Move" form, a failure shown in red
//! with the network's reason, and the month, week and list views at desktop width and at
//! 360 px (screenshots in `target-screenshots/calendar-*.png`).

use std::time::{Duration, Instant};

use fantoccini::key::Key;
use herald::services::ConnectRequest;
use herald::services::posts::PostInput;
use herald::services::schedule::When;
use uuid::Uuid;

use super::harness::{Browser, PASSWORD, TestResult, css, start_with};
use crate::support::fake_mastodon::FakeMastodon;

const DAY: i64 = 86_400_000;

async fn sql(b: &Browser, sql: &str, post: Uuid, text: &str) -> TestResult {
    match &b.services.db {
        herald::storage::Db::Sqlite(pool) => {
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(post)
                .bind(text)
                .execute(pool)
                .await?;
        }
        herald::storage::Db::Postgres(pool) => {
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(post)
                .bind(text)
                .execute(pool)
                .await?;
        }
    }
    Ok(())
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

async fn wait_for(b: &Browser, selector: &str) -> TestResult {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        if b.client.find(css(selector)).await.is_ok() {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(format!("{selector} did not appear").into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn the_calendar_shows_moves_and_flags_posts() -> TestResult {
    let Some(b) = start_with(|c| c.allow_private_hosts = true).await else {
        return Ok(());
    };
    let fake = FakeMastodon::start(Duration::ZERO).await;
    let owner = b.user("owner@example.com", true).await?;
    let ws = b
        .services
        .create_workspace(&owner, "Acme Coffee", "Europe/Paris")
        .await?
        .workspace
        .id;
    let channel = b
        .services
        .connect_channel(
            &owner,
            ws,
            ConnectRequest::Mastodon {
                instance_url: fake.url(),
                access_token: "token-alice".into(),
            },
            None,
        )
        .await?;
    // Two days from now at 10:00 in Paris, so it is always ahead and in some month view.
    let now = b.services.now_ms();
    let start = paris_day(now + 2 * DAY);
    let local = format!("{start}T10:00");
    let at_ms = herald::domain::schedule::resolve_local(&local, "Europe/Paris", None)?;
    let post = b
        .services
        .create_post(
            &owner,
            ws,
            PostInput {
                text: Some("Our spring roast, how it is made.".into()),
                channel_ids: Some(vec![channel.id]),
                ..Default::default()
            },
        )
        .await?;
    b.services
        .schedule_post(
            &owner,
            ws,
            post.post.id,
            When::At {
                at_ms,
                time_zone: "Europe/Paris".into(),
                local_time: local.clone(),
            },
        )
        .await?;
    // A second post that failed, with the network's reason.
    let failed = b
        .services
        .create_post(
            &owner,
            ws,
            PostInput {
                text: Some("Tasting notes for the new blend.".into()),
                channel_ids: Some(vec![channel.id]),
                ..Default::default()
            },
        )
        .await?;
    let failed_at = now + DAY;
    sql(
        &b,
        &format!(
            "UPDATE variants SET state = 'failed', scheduled_at_ms = {failed_at}, time_zone = 'Europe/Paris', \
             error_kind = 'rejected', error = $2 WHERE post_id = $1"
        ),
        failed.post.id,
        "Mastodon refused it: Validation failed: Text character limit of 500 exceeded",
    )
    .await?;

    b.login("owner@example.com", PASSWORD).await?;
    let month = format!("/w/{ws}/calendar?date={start}");
    b.goto(&month).await?;
    b.wait_text("Europe/Paris").await?;
    let item = format!("section[data-date='{start}'] .cal-item");
    wait_for(&b, &item).await?;
    let text = b.find(&item).await?.text().await?;
    assert!(text.contains("10:00"), "{text}");
    assert!(text.contains("spring roast"), "{text}");
    assert!(text.contains("Scheduled"), "{text}");
    // The failure, in red with its reason.
    let failed_day = paris_day(failed_at);
    let failed_item = format!("[data-date='{failed_day}'] .cal-item.cal-failed .cal-error");
    if paris_day(failed_at)[..7] == start[..7] {
        let reason = b.find(&failed_item).await?.text().await?;
        assert!(reason.contains("character limit"), "{reason}");
        let color = b
            .client
            .execute(
                "return getComputedStyle(document.querySelector(arguments[0])).color;",
                vec![serde_json::json!(failed_item)],
            )
            .await?;
        assert_eq!(color.as_str(), Some("rgb(201, 42, 42)"), "red");
    }
    b.client.set_window_size(1280, 1400).await?;
    b.screenshot("calendar-month").await?;

    // Keyboard alone: focus "Move", Enter, the day field, Enter.
    let target = paris_day(at_ms + 3 * DAY);
    let move_link = format!("{item} .cal-move");
    b.client
        .execute(
            "document.querySelector(arguments[0]).focus();",
            vec![serde_json::json!(move_link)],
        )
        .await?;
    b.find(&move_link)
        .await?
        .send_keys(&char::from(Key::Enter).to_string())
        .await?;
    wait_for(&b, ".cal-move-form input[type=date]").await?;
    let focused = b
        .client
        .execute(
            "return document.activeElement && document.activeElement.type;",
            vec![],
        )
        .await?;
    assert_eq!(
        focused.as_str(),
        Some("date"),
        "the day field takes the focus"
    );
    // Chromium's date field takes the digits in the locale's order; set the value the way
    // the picker would, then press Enter in the field.
    b.client
        .execute(
            "var i = document.activeElement; i.value = arguments[0]; i.dispatchEvent(new Event('input', {bubbles: true}));",
            vec![serde_json::json!(target)],
        )
        .await?;
    b.screenshot("calendar-move-form").await?;
    b.find(".cal-move-form input[type=date]")
        .await?
        .send_keys(&char::from(Key::Enter).to_string())
        .await?;
    b.wait_text("Moved to").await?;
    let moved = format!("section[data-date='{target}'] .cal-item");
    if target[..7] == start[..7] {
        wait_for(&b, &moved).await?;
    }
    let v = b
        .services
        .get_post(&owner, ws, post.post.id)
        .await?
        .variants[0]
        .variant
        .clone();
    assert_eq!(
        v.scheduled_at_ms,
        Some(at_ms + 3 * DAY),
        "same time of day, three days later"
    );
    assert_eq!(v.time_zone, "Europe/Paris");

    // Week and list, then 360 px.
    for view in ["week", "list"] {
        b.goto(&format!("/w/{ws}/calendar?view={view}&date={target}"))
            .await?;
        b.wait_text("Europe/Paris").await?;
        b.screenshot(&format!("calendar-{view}")).await?;
    }
    b.client.set_window_size(360, 1400).await?;
    for view in ["month", "week", "list"] {
        b.goto(&format!("/w/{ws}/calendar?view={view}&date={target}"))
            .await?;
        b.wait_text("Europe/Paris").await?;
        let width = b.scroll_width().await?;
        assert!(width <= 360, "{view} at 360 px is {width} px wide");
        b.screenshot(&format!("calendar-{view}-360")).await?;
    }
    b.client.set_window_size(1280, 900).await?;
    b.finish().await
}

/// Drags `from` onto `to` with WebDriver pointer actions (press, move in steps, release).
async fn drag_with_mouse(b: &Browser, from: &str, to: &str) -> TestResult {
    use fantoccini::actions::{InputSource, MOUSE_BUTTON_LEFT, MouseActions, PointerAction};
    let (source, target) = (b.find(from).await?, b.find(to).await?);
    let mouse = MouseActions::new("mouse".into())
        .then(PointerAction::MoveToElement {
            element: source,
            duration: None,
            x: 0.0,
            y: 0.0,
        })
        .then(PointerAction::Down {
            button: MOUSE_BUTTON_LEFT,
        })
        .then(PointerAction::MoveToElement {
            element: target.clone(),
            duration: Some(Duration::from_millis(300)),
            x: -5.0,
            y: 0.0,
        })
        .then(PointerAction::MoveToElement {
            element: target,
            duration: Some(Duration::from_millis(300)),
            x: 0.0,
            y: 0.0,
        })
        .then(PointerAction::Up {
            button: MOUSE_BUTTON_LEFT,
        });
    b.client.perform_actions(mouse).await?;
    b.client.release_actions().await?;
    Ok(())
}

#[tokio::test]
async fn a_post_is_dragged_to_another_day_and_the_filters_fold_at_360_px() -> TestResult {
    let Some(b) = start_with(|c| c.allow_private_hosts = true).await else {
        return Ok(());
    };
    let fake = FakeMastodon::start(Duration::ZERO).await;
    let owner = b.user("owner@example.com", true).await?;
    let ws = b
        .services
        .create_workspace(&owner, "Acme Coffee", "Europe/Paris")
        .await?
        .workspace
        .id;
    let channel = b
        .services
        .connect_channel(
            &owner,
            ws,
            ConnectRequest::Mastodon {
                instance_url: fake.url(),
                access_token: "token-alice".into(),
            },
            None,
        )
        .await?;
    // Two days ahead at 10:00 in Paris; the drop goes one day later, or one day earlier
    // when that leaves the month.
    let now = b.services.now_ms();
    let start = paris_day(now + 2 * DAY);
    let local = format!("{start}T10:00");
    let at_ms = herald::domain::schedule::resolve_local(&local, "Europe/Paris", None)?;
    let (target, moved_ms) = if paris_day(at_ms + DAY)[..7] == start[..7] {
        (paris_day(at_ms + DAY), at_ms + DAY)
    } else {
        (paris_day(at_ms - DAY), at_ms - DAY)
    };
    let post = b
        .services
        .create_post(
            &owner,
            ws,
            PostInput {
                text: Some("Dragged from one day to the next.".into()),
                channel_ids: Some(vec![channel.id]),
                ..Default::default()
            },
        )
        .await?;
    b.services
        .schedule_post(
            &owner,
            ws,
            post.post.id,
            When::At {
                at_ms,
                time_zone: "Europe/Paris".into(),
                local_time: local,
            },
        )
        .await?;

    b.login("owner@example.com", PASSWORD).await?;
    b.client.set_window_size(1280, 1400).await?;
    b.goto(&format!("/w/{ws}/calendar?date={start}")).await?;
    b.wait_text("Europe/Paris").await?;
    // Wide: the filters stand open.
    let open = b
        .client
        .execute(
            "return document.querySelector('details.cal-filters-fold').open;",
            vec![],
        )
        .await?;
    assert_eq!(open.as_bool(), Some(true), "filters open on a wide screen");

    let item = format!("section[data-date='{start}'] .cal-item[draggable=true]");
    let day = format!("section[data-date='{target}']");
    wait_for(&b, &item).await?;
    // Real mouse actions: chromium (headless, through chromedriver) starts an HTML5 drag
    // from them, so calendar.js sees dragstart, dragover and drop as from a person.
    drag_with_mouse(&b, &item, &day).await?;
    b.wait_text("Moved to").await?;
    wait_for(&b, &format!("{day} .cal-item")).await?;
    let v = b
        .services
        .get_post(&owner, ws, post.post.id)
        .await?
        .variants[0]
        .variant
        .clone();
    assert_eq!(
        v.scheduled_at_ms,
        Some(moved_ms),
        "same time, the day dropped on"
    );
    b.screenshot("calendar-dragged").await?;

    // Narrow: the filters fold behind their summary, and nothing scrolls sideways.
    b.client.set_window_size(360, 1400).await?;
    b.goto(&format!("/w/{ws}/calendar?date={start}")).await?;
    b.wait_text("Europe/Paris").await?;
    let folded = b
        .client
        .execute(
            "var d = document.querySelector('details.cal-filters-fold');
             return [d.open, document.getElementById('f-channel').checkVisibility()];",
            vec![],
        )
        .await?;
    assert_eq!(
        folded,
        serde_json::json!([false, false]),
        "filters folded at 360 px"
    );
    super::calendar_forms::no_horizontal_scroll(&b, "the month at 360 px").await?;
    b.screenshot("calendar-filters-folded-360").await?;
    b.click("details.cal-filters-fold > summary").await?;
    let shown = b
        .client
        .execute(
            "return document.getElementById('f-channel').checkVisibility();",
            vec![],
        )
        .await?;
    assert_eq!(shown.as_bool(), Some(true), "the summary unfolds them");
    super::calendar_forms::no_horizontal_scroll(&b, "the unfolded filters at 360 px").await?;
    b.screenshot("calendar-filters-open-360").await?;
    b.client.set_window_size(1280, 900).await?;
    b.finish().await
}
