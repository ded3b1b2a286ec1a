//! Review in the composer, in a real browser: a contributor sends a post for review with
//! the time it should go out, a manager asks for changes with a note (which the contributor
//! reads in the thread), the contributor sends it again and the manager approves it, which
//! schedules it. Each sees only the controls their role allows. Screenshots in
//! `target-screenshots/composer-review-*.png`.

use herald::domain::Role;
use herald::domain::text::Network;
use herald::services::NewChannel;
use herald::services::posts::PostInput;

use super::harness::{Browser, PASSWORD, TestResult, start};

const DAY: i64 = 86_400_000;

impl Browser {
    async fn as_user(&self, email: &str, page: &str) -> TestResult {
        if self
            .client
            .find(super::harness::css(".account-menu"))
            .await
            .is_ok()
        {
            self.logout().await?;
        }
        self.login(email, PASSWORD).await?;
        self.goto(page).await?;
        self.find("#post-review").await?;
        Ok(())
    }

    async fn count_of(&self, selector: &str) -> Result<usize, Box<dyn std::error::Error>> {
        Ok(self
            .client
            .find_all(super::harness::css(selector))
            .await?
            .len())
    }
}

#[tokio::test]
async fn a_contributor_submits_a_manager_asks_for_changes_then_approves() -> TestResult {
    let Some(b) = start().await else {
        return Ok(());
    };
    let owner = b.user("owner@example.com", true).await?;
    let ws = b
        .services
        .create_workspace(&owner, "Acme Coffee", "Europe/Paris")
        .await?
        .workspace
        .id;
    let mut people = Vec::new();
    for (email, role) in [
        ("mia@example.com", Role::Manager),
        ("carl@example.com", Role::Contributor),
    ] {
        let person = b.user(email, false).await?;
        let invite = b.services.create_invite(&owner, ws, role, "", None).await?;
        b.services.accept_invite(&person, &invite.token).await?;
        people.push(person);
    }
    let channel = b
        .services
        .add_channel(
            &owner,
            ws,
            NewChannel {
                network: Network::Mastodon,
                handle: "@acme@mastodon.social",
                display_name: "Acme Coffee",
                service_url: "",
                max_characters: None,
                chars_per_url: None,
            },
        )
        .await?;
    let input = PostInput {
        text: Some("Our spring roast is here.".into()),
        channel_ids: Some(vec![channel.id]),
        ..Default::default()
    };
    let post = b.services.create_post(&people[1], ws, input).await?.post.id;
    let page = format!("/w/{ws}/posts/{post}");

    // The contributor: "Submit for review" with a time, and nothing a reviewer does.
    b.as_user("carl@example.com", &page).await?;
    b.wait_in("#when-form", "Submit for review").await?;
    assert_eq!(
        b.count_of("#when-form button[value=now]").await?,
        0,
        "no publish now"
    );
    assert_eq!(
        b.count_of("#when-form button[value=queue]").await?,
        0,
        "no queue"
    );
    assert_eq!(b.count_of("#review-approve").await?, 0, "no approve");
    assert_eq!(b.count_of("#review-request-changes").await?, 0);
    let day = jiff::Timestamp::from_millisecond(b.services.now_ms() + 3 * DAY)?
        .in_tz("Europe/Paris")?
        .date()
        .to_string();
    b.set_value("#when-date", &day).await?;
    b.set_value("#when-time", "11:15").await?;
    b.fill("#when-note", "Ready when you are.").await?;
    b.click("#when-form button[value=at]").await?;
    b.wait_in("#post-when .when-rows", "In review").await?;
    b.wait_in("#toasts", "Sent for review").await?;

    // The manager: a note is required to send it back.
    b.as_user("mia@example.com", &page).await?;
    b.wait_in("#post-review", "Needs one approval").await?;
    b.click("#review-request-changes").await?;
    b.wait_in("#changes-note-error", "Say what should change")
        .await?;
    b.fill("#changes-note", "Please add the price: 14 € for 250 g.")
        .await?;
    b.click("#review-request-changes").await?;
    b.wait_in("#post-when .when-rows", "Changes requested")
        .await?;

    // The contributor reads the note in the thread, answers, and sends it again.
    b.as_user("carl@example.com", &page).await?;
    let thread = b.wait_in("#post-review .thread", "14 € for 250 g").await?;
    assert!(thread.starts_with("mia"), "the manager wrote it: {thread}");
    b.fill("#comment-body", "@mia added, thanks!").await?;
    b.click("#comment-add").await?;
    b.wait_in("#post-review .thread", "@mia added").await?;
    assert_eq!(b.value("#when-date").await?, day, "the time wanted is kept");
    b.click("#when-form button[value=at]").await?;
    b.wait_in("#post-when .when-rows", "In review").await?;

    // The manager approves: the post is scheduled for the time the contributor wanted.
    b.as_user("mia@example.com", &page).await?;
    b.client.set_window_size(1280, 1800).await?;
    b.screenshot("composer-review-manager").await?;
    b.click("#review-approve").await?;
    let row = b.wait_in("#post-when .when-rows", "Scheduled").await?;
    assert!(
        row.contains("11:15") && row.contains("(Europe/Paris)"),
        "{row}"
    );
    b.wait_in("#toasts", "Approved and scheduled").await?;
    b.wait_in(".review-status", "Approved.").await?;
    b.click(".review-log > summary").await?;
    let log = b.wait_in(".review-log", "approved it").await?;
    assert!(
        log.contains("asked for changes") && log.contains("sent it for review"),
        "{log}"
    );
    b.screenshot("composer-review-approved").await?;
    b.client.set_window_size(360, 1800).await?;
    b.goto(&page).await?;
    b.find("#post-review").await?;
    let width = b.scroll_width().await?;
    assert!(width <= 360, "the composer at 360 px is {width} px wide");
    b.client
        .execute(
            "document.querySelector('#post-review').scrollIntoView();",
            vec![],
        )
        .await?;
    b.screenshot("composer-review-360").await?;
    b.client.set_window_size(1280, 900).await?;
    b.finish().await
}
