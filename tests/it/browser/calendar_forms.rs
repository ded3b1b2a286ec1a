//! The calendar page's forms in a real browser: a holiday added by hand and seen on its day,
//! an .ics file imported (and a broken one refused in a toast naming the problem), a CSV
//! file of posts refused with its table of problems and then a good one imported and seen
//! on the calendar, an event deleted; at desktop width and at 360 px (screenshots in
//! `target-screenshots/calendar-forms*.png`).

use std::time::{Duration, Instant};

use herald::services::ConnectRequest;

use super::harness::{Browser, PASSWORD, TestResult, css, start_with};
use crate::support::fake_mastodon::FakeMastodon;

const DAY: i64 = 86_400_000;

/// The local date in Paris of `ms`.
pub fn paris_day(ms: i64) -> jiff::civil::Date {
    jiff::Timestamp::from_millisecond(ms)
        .unwrap()
        .in_tz("Europe/Paris")
        .unwrap()
        .date()
}

pub async fn wait_for(b: &Browser, selector: &str) -> TestResult {
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

/// Sets a date field as its picker would (chromium's takes digits in the locale's order).
async fn set_date(b: &Browser, selector: &str, date: &str) -> TestResult {
    b.client
        .execute(
            "var i = document.querySelector(arguments[0]); i.value = arguments[1]; i.dispatchEvent(new Event('input', {bubbles: true}));",
            vec![serde_json::json!(selector), serde_json::json!(date)],
        )
        .await?;
    Ok(())
}

/// The page is no wider than the window: no horizontal scroll.
pub async fn no_horizontal_scroll(b: &Browser, what: &str) -> TestResult {
    let widths = b
        .client
        .execute(
            "return [document.documentElement.scrollWidth, window.innerWidth];",
            vec![],
        )
        .await?;
    let (scroll, window) = (widths[0].as_i64(), widths[1].as_i64());
    assert!(
        scroll <= window,
        "{what}: the page is {scroll:?} px wide in a {window:?} px window"
    );
    Ok(())
}

async fn count(b: &Browser, sql: &'static str) -> Result<i64, Box<dyn std::error::Error>> {
    Ok(match &b.services.db {
        herald::storage::Db::Sqlite(p) => sqlx::query_scalar(sql).fetch_one(p).await?,
        herald::storage::Db::Postgres(p) => sqlx::query_scalar(sql).fetch_one(p).await?,
    })
}

async fn upload(b: &Browser, form: &str, path: &std::path::Path) -> TestResult {
    let input = format!("{form} input[type=file]");
    b.find(&input)
        .await?
        .send_keys(&path.display().to_string())
        .await?;
    b.click(&format!("{form} button[type=submit]")).await
}

#[tokio::test]
async fn events_ics_and_csv_imports_from_the_calendar_page() -> TestResult {
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
    // Days ahead of now, in the first day's month (so one month view shows them all).
    let now = b.services.now_ms();
    let first = paris_day(now + 2 * DAY);
    let day = |n: i64| {
        let d = first.checked_add(jiff::Span::new().days(n)).unwrap();
        if d.month() == first.month() { d } else { first }
    };
    let files = tempfile::tempdir()?;

    b.login("owner@example.com", PASSWORD).await?;
    b.client.set_window_size(1280, 2400).await?;
    b.goto(&format!("/w/{ws}/calendar?date={first}")).await?;
    b.wait_text("Add an event or holiday").await?;

    // A holiday by hand, seen on its day.
    b.fill("#event-title", "Shop closed: spring holiday")
        .await?;
    set_date(&b, "#event-start", &first.to_string()).await?;
    b.click("input[name=kind][value=holiday]").await?;
    b.click(".cal-event-form button[type=submit]").await?;
    b.wait_text("Added the holiday").await?;
    let on_day = format!("section[data-date='{first}'] .cal-holiday");
    wait_for(&b, &on_day).await?;
    assert!(
        b.find(&on_day)
            .await?
            .text()
            .await?
            .contains("spring holiday")
    );

    // A refused one keeps what was typed and says what is wrong.
    b.fill("#event-title", "Roasting course").await?;
    set_date(&b, "#event-end", "1999-01-01").await?;
    b.click(".cal-event-form button[type=submit]").await?;
    b.wait_text("Not added: end is before the start").await?;
    assert_eq!(b.value("#event-title").await?, "Roasting course");

    // An .ics file, then a file that is not one.
    let fair = day(1);
    let ics = format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Acme//Fairs//EN\r\nBEGIN:VEVENT\r\nUID:fair-1@acme.example\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;VALUE=DATE:{}\r\nSUMMARY:Coffee fair\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        fair.strftime("%Y%m%d")
    );
    let ics_path = files.path().join("fairs.ics");
    std::fs::write(&ics_path, ics)?;
    upload(&b, ".cal-ics-form", &ics_path).await?;
    b.wait_text("Imported 1 event from the file").await?;
    wait_for(&b, &format!("section[data-date='{fair}'] .cal-event")).await?;
    let broken = files.path().join("notes.ics");
    std::fs::write(&broken, "Remember to order milk.\n")?;
    upload(&b, ".cal-ics-form", &broken).await?;
    b.wait_text("Nothing imported: this is not an iCalendar file")
        .await?;
    assert_eq!(count(&b, "SELECT COUNT(*) FROM calendar_events").await?, 2);

    // A CSV with errors: the table of problems, nothing created.
    let handle = &channel.handle;
    let bad = format!(
        "text,channels,time\nFine,{handle},{} 09:00\nWho?,@nobody,{} 10:00\n,{handle},2020-01-01 10:00\n",
        day(3),
        day(3)
    );
    let bad_path = files.path().join("bad.csv");
    std::fs::write(&bad_path, bad)?;
    upload(&b, ".cal-csv-form", &bad_path).await?;
    wait_for(&b, ".cal-csv-problems table").await?;
    let table = b.find(".cal-csv-problems table").await?.text().await?;
    // The caption is in capitals (CSS), so compared in lower case.
    assert!(
        table
            .to_lowercase()
            .contains("nothing imported: 3 problems"),
        "{table}"
    );
    assert!(
        table.contains("is not a channel of this workspace"),
        "{table}"
    );
    assert!(table.contains("in the past"), "{table}");
    assert_eq!(count(&b, "SELECT COUNT(*) FROM posts").await?, 0);
    b.screenshot("calendar-forms-csv-errors").await?;

    // A good one: how many, and a link to see them on the calendar.
    let good = format!(
        "text,channels,time\n\"Cupping at the roastery, all welcome\",{handle},{} 09:00\nNew beans from Huila,{handle},{} 11:30\n",
        day(3),
        day(4)
    );
    let good_path = files.path().join("good.csv");
    std::fs::write(&good_path, good)?;
    upload(&b, ".cal-csv-form", &good_path).await?;
    wait_for(&b, ".cal-csv-done").await?;
    let done = b.find(".cal-csv-done").await?.text().await?;
    assert!(done.contains("Imported 2 posts"), "{done}");
    b.click(".cal-csv-done a").await?;
    let item = format!("section[data-date='{}'] .cal-item", day(3));
    wait_for(&b, &item).await?;
    assert!(b.find(&item).await?.text().await?.contains("Cupping"));
    assert!(b.find(&item).await?.text().await?.contains("09:00"));
    b.screenshot("calendar-forms").await?;

    // Delete the holiday (after the confirmation).
    b.click(".cal-event-row form button").await?;
    b.client.accept_alert().await?;
    b.wait_text("Event deleted.").await?;
    assert_eq!(count(&b, "SELECT COUNT(*) FROM calendar_events").await?, 1);

    // At 360 px: no horizontal scroll, the forms stacked.
    b.client.set_window_size(360, 2400).await?;
    b.goto(&format!("/w/{ws}/calendar?date={first}")).await?;
    b.wait_text("Import posts from a CSV file").await?;
    no_horizontal_scroll(&b, "the calendar with its forms at 360 px").await?;
    b.screenshot("calendar-forms-360").await?;
    b.client.set_window_size(1280, 900).await?;
    b.finish().await
}
