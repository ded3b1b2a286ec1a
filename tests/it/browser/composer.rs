//! The composer in a real browser: live counts and problems per network, drafts that save
//! themselves, tailoring a variant into a thread, per-network options, previews, small
//! screens, bad input and deleting.

use std::time::{Duration, Instant};

use herald::domain::text::Network;
use herald::services::{Actor, NewChannel};
use uuid::Uuid;

use super::harness::{Browser, PASSWORD, TestResult, css, start};

const WAIT: Duration = Duration::from_secs(15);

pub(super) struct Setup {
    pub(super) ws: Uuid,
    pub(super) owner: Actor,
}

/// An owner, a workspace in Paris time and two channel records (Mastodon, Bluesky), made
/// in-process before the browser starts; then logged in.
pub(super) async fn setup(b: &Browser) -> Result<Setup, Box<dyn std::error::Error>> {
    let owner = b.user("owner@example.com", true).await?;
    let ws = b
        .services
        .create_workspace(&owner, "Acme Coffee", "Europe/Paris")
        .await?
        .workspace
        .id;
    for (network, handle, name) in [
        (Network::Mastodon, "@acme@mastodon.social", "Acme Coffee"),
        (Network::Bluesky, "@acme.bsky.social", "Acme Coffee"),
    ] {
        b.services
            .add_channel(
                &owner,
                ws,
                NewChannel {
                    network,
                    handle,
                    display_name: name,
                    service_url: "",
                    max_characters: None,
                    chars_per_url: None,
                },
            )
            .await?;
    }
    b.login("owner@example.com", PASSWORD).await?;
    Ok(Setup { ws, owner })
}

/// Sets every variant of a post to `state`, as the publisher will.
async fn set_state(b: &Browser, post: Uuid, state: &str) -> TestResult {
    let sql = "UPDATE variants SET state = $1 WHERE post_id = $2";
    match &b.services.db {
        herald::storage::Db::Sqlite(pool) => {
            sqlx::query(sql)
                .bind(state)
                .bind(post)
                .execute(pool)
                .await?;
        }
        herald::storage::Db::Postgres(pool) => {
            sqlx::query(sql)
                .bind(state)
                .bind(post)
                .execute(pool)
                .await?;
        }
    }
    Ok(())
}

impl Browser {
    /// Waits until every save has come back and nothing typed is waiting to be saved.
    pub(super) async fn wait_saved(&self) -> TestResult {
        self.wait_state("saved").await?;
        let status = self.find("#save-status").await?.text().await?;
        if !status.starts_with("Saved at") {
            return Err(format!("the status says {status:?}").into());
        }
        Ok(())
    }

    pub(super) async fn wait_state(&self, want: &str) -> TestResult {
        let deadline = Instant::now() + WAIT;
        loop {
            let state = self
                .find("#save-status")
                .await?
                .attr("data-state")
                .await?
                .unwrap_or_default();
            if state == want {
                return Ok(());
            }
            if Instant::now() > deadline {
                let text = self.body_text().await.unwrap_or_default();
                return Err(format!("save state is {state:?}, not {want:?}:\n{text}").into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until `selector`'s text contains `needle`; returns the text.
    pub(super) async fn wait_in(
        &self,
        selector: &str,
        needle: &str,
    ) -> Result<String, Box<dyn std::error::Error>> {
        let deadline = Instant::now() + WAIT;
        loop {
            let text = match self.client.find(css(selector)).await {
                Ok(e) => e.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            if text.contains(needle) {
                return Ok(text);
            }
            if Instant::now() > deadline {
                return Err(format!("{selector} says {text:?}, not {needle:?}").into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub(super) async fn count(&self, selector: &str) -> Result<usize, Box<dyn std::error::Error>> {
        Ok(self.client.find_all(css(selector)).await?.len())
    }

    /// Types at the end of a field, as a person would (no clearing).
    pub(super) async fn type_in(&self, selector: &str, text: &str) -> TestResult {
        self.find(selector).await?.send_keys(text).await?;
        Ok(())
    }
}

#[tokio::test]
async fn compose_tailor_and_preview() -> TestResult {
    let Some(b) = start().await else {
        return Ok(());
    };
    let s = setup(&b).await?;
    let base = format!("/w/{}", s.ws);

    b.goto(&format!("{base}/posts")).await?;
    b.wait_text("No posts yet").await?;
    b.click("a[href$='/posts/new']").await?;
    b.wait_at(&format!("{base}/posts/new")).await?;
    b.wait_text("Choose one or more channels").await?;

    // Both channels, then the text: the first save creates the post and the address follows.
    for network in ["Mastodon", "Bluesky"] {
        let group = format!("[aria-labelledby='group-{}'] input", network.to_lowercase());
        b.click(&group).await?;
    }
    b.fill(
        "#text",
        "Fresh beans from Huila today #coffee https://acme.example/beans",
    )
    .await?;
    let post_path = b
        .wait_path(|p| p.starts_with(&format!("{base}/posts/")) && !p.ends_with("/new"))
        .await?;
    b.wait_saved().await?;
    let id: Uuid = post_path.rsplit('/').next().unwrap_or("").parse()?;
    b.wait_in("#composer-title", "Edit post").await?;
    assert!(b.client.title().await?.starts_with("Edit post"));
    // The address was replaced, not pushed: back leaves the composer, forward returns to it.
    b.client.back().await?;
    b.wait_at(&format!("{base}/posts")).await?;
    b.client.forward().await?;
    b.wait_at(&post_path).await?;
    b.wait_in("#composer-title", "Edit post").await?;
    assert!(b.value("#text").await?.starts_with("Fresh beans"));

    // Bluesky counts 63 characters of 300; the preview styles the hashtag and the link.
    let bluesky = "[data-network=bluesky]";
    b.wait_in(&format!("{bluesky} .counter"), "63 / 300")
        .await?;
    let tag = b.find(&format!("{bluesky} .preview .pv-tag")).await?;
    assert_eq!(tag.text().await?, "#coffee");
    let link = b.find(&format!("{bluesky} .preview .pv-link")).await?;
    assert_eq!(link.text().await?, "https://acme.example/beans");
    let tag_colour = tag.css_value("color").await?;
    let text_colour = b
        .find(&format!("{bluesky} .preview .pv-text"))
        .await?
        .css_value("color")
        .await?;
    assert_ne!(tag_colour, text_colour, "the hashtag is not styled");
    assert_eq!(b.count(".variant").await?, 2);

    // Past the limit: 301 characters turn the counter red and say where the excess starts.
    b.fill("#text", &"a".repeat(301)).await?;
    b.wait_saved().await?;
    let counter = b.find(&format!("{bluesky} .counter")).await?;
    assert!(counter.text().await?.contains("301 / 300"));
    assert!(
        counter
            .attr("class")
            .await?
            .unwrap_or_default()
            .contains("counter-over")
    );
    let problem = b.wait_in(&format!("{bluesky} .problems"), "300").await?;
    assert!(problem.contains("character 301"), "{problem}");
    b.wait_in("#save-status", "One network needs changes")
        .await?;
    b.screenshot("composer-over-limit").await?;

    // Reloading keeps the draft.
    b.goto(&post_path).await?;
    assert_eq!(b.value("#text").await?, "a".repeat(301));
    b.fill(
        "#text",
        "Fresh beans from Huila today #coffee https://acme.example/beans",
    )
    .await?;
    b.type_in("#text", " Come by!").await?;
    b.wait_saved().await?;
    b.wait_in(&format!("{bluesky} .counter"), "72 / 300")
        .await?;

    // Bluesky gets its own text: a thread of two parts.
    b.click(&format!("{bluesky} button[value=detach]")).await?;
    b.wait_text("Edited for Bluesky").await?;
    let part = format!("{bluesky} textarea[name=parts]");
    assert_eq!(b.count(&part).await?, 1);
    b.click(&format!("{bluesky} button[value=add_part]"))
        .await?;
    b.wait_in(&format!("{bluesky} .variant-form"), "Part 2 of 2")
        .await?;
    let parts = b.client.find_all(css(&part)).await?;
    assert_eq!(parts.len(), 2);
    let focused = b
        .client
        .execute(
            "return document.activeElement && document.activeElement.name;",
            vec![],
        )
        .await?;
    assert_eq!(
        focused.as_str(),
        Some("parts"),
        "the new part has the focus"
    );
    parts[1]
        .send_keys("Roasted on Tuesday, ground to order. @acme.bsky.social")
        .await?;
    b.wait_saved().await?;
    b.wait_in(&format!("{bluesky} .counter"), "2 parts").await?;
    assert_eq!(b.count(&format!("{bluesky} .preview .pv-post")).await?, 2);
    assert_eq!(b.count(&format!("{bluesky} .preview .pv-line")).await?, 1);

    // The main text no longer reaches Bluesky; Mastodon still follows it.
    b.type_in("#text", " Open till 6.").await?;
    b.wait_saved().await?;
    let bsky_first = b
        .find(&format!("{bluesky} .preview .pv-post .pv-text"))
        .await?
        .text()
        .await?;
    assert!(!bsky_first.contains("Open till 6"), "{bsky_first}");
    b.wait_in("[data-network=mastodon] .preview", "Open till 6.")
        .await?;

    // Mastodon: unlisted, with a content warning.
    let mastodon = "[data-network=mastodon]";
    b.find(&format!("{mastodon} select[name=visibility]"))
        .await?
        .select_by_value("unlisted")
        .await?;
    b.wait_saved().await?;
    b.type_in(
        &format!("{mastodon} input[name=content_warning]"),
        "Coffee talk",
    )
    .await?;
    b.wait_saved().await?;
    b.wait_in(&format!("{mastodon} .preview .pv-head"), "Unlisted")
        .await?;
    b.wait_in(&format!("{mastodon} .preview .pv-cw"), "Coffee talk")
        .await?;
    b.screenshot("composer").await?;
    b.client.set_window_size(1280, 2000).await?;
    b.screenshot("composer-full").await?;
    b.client.set_window_size(1280, 900).await?;

    // What the services stored.
    let post = b.services.get_post(&s.owner, s.ws, id).await?;
    let by_network = |n: Network| {
        post.variants
            .iter()
            .find(|v| v.channel.network == n)
            .expect("variant")
    };
    let bsky = by_network(Network::Bluesky);
    assert!(bsky.variant.detached);
    assert_eq!(bsky.variant.parts.len(), 2);
    assert_eq!(
        bsky.variant.parts[1],
        "Roasted on Tuesday, ground to order. @acme.bsky.social"
    );
    let masto = by_network(Network::Mastodon);
    assert!(!masto.variant.detached);
    assert_eq!(
        masto.variant.options.visibility.as_deref(),
        Some("unlisted")
    );
    assert_eq!(
        masto.variant.options.content_warning.as_deref(),
        Some("Coffee talk")
    );
    assert!(post.post.text.ends_with("Open till 6."));

    // After a reload the options and the thread are still there.
    b.goto(&post_path).await?;
    assert_eq!(
        b.value(&format!("{mastodon} select[name=visibility]"))
            .await?,
        "unlisted"
    );
    assert_eq!(b.count(&part).await?, 2);

    // Removing a part, then following the main text again (two presses: it drops the text).
    b.click(&format!("{bluesky} button[value='remove:1']"))
        .await?;
    b.wait_saved().await?;
    b.wait_in(&format!("{bluesky} .counter"), "/ 300").await?;
    assert_eq!(b.count(&part).await?, 1);
    let follow = format!("{bluesky} button[value=follow]");
    b.click(&follow).await?;
    b.wait_in(&follow, "Press again").await?;
    b.click(&follow).await?;
    b.wait_text("Uses the main text").await?;
    b.wait_in(&format!("{bluesky} .preview"), "Open till 6.")
        .await?;

    // The posts list, the channels page and the composer on a small phone.
    b.goto(&format!("{base}/posts")).await?;
    b.wait_text("Fresh beans from Huila").await?;
    let row = b.find(".post-row").await?.text().await?;
    assert!(
        row.contains("Draft") && row.contains("Europe/Paris"),
        "{row}"
    );
    assert!(
        row.contains("@acme.bsky.social") && row.contains("@acme@mastodon.social"),
        "{row}"
    );
    b.screenshot("posts").await?;
    b.goto(&format!("{base}/channels")).await?;
    b.wait_text("A record only: connect it to publish.").await?;
    b.screenshot("channels").await?;

    b.client.set_window_size(360, 740).await?;
    b.goto(&post_path).await?;
    b.find("#text").await?;
    let scroll = b.scroll_width().await?;
    b.screenshot("mobile-composer").await?;
    assert!(scroll <= 360, "the composer is {scroll} px wide at 360 px");
    b.client
        .execute(
            "document.querySelector('[data-network=bluesky]').scrollIntoView();",
            vec![],
        )
        .await?;
    b.screenshot("mobile-composer-variants").await?;
    b.client.set_window_size(360, 3000).await?;
    b.screenshot("mobile-composer-full").await?;
    let scroll = b.scroll_width().await?;
    assert!(scroll <= 360, "the composer is {scroll} px wide at 360 px");
    b.client.set_window_size(360, 740).await?;
    for path in [format!("{base}/posts"), format!("{base}/channels")] {
        b.goto(&path).await?;
        b.find("#main h1").await?;
        let scroll = b.scroll_width().await?;
        assert!(scroll <= 360, "{path} is {scroll} px wide at 360 px");
    }
    b.screenshot("mobile-channels").await?;
    b.finish().await
}

#[tokio::test]
async fn bad_input_is_explained_and_nothing_typed_is_lost() -> TestResult {
    let Some(b) = start().await else {
        return Ok(());
    };
    let s = setup(&b).await?;
    let base = format!("/w/{}", s.ws);
    b.goto(&format!("{base}/posts/new")).await?;
    b.click("[aria-labelledby='group-mastodon'] input").await?;
    b.fill("#text", "Hello from the roastery").await?;
    let post_path = b
        .wait_path(|p| p.starts_with(&format!("{base}/posts/")) && !p.ends_with("/new"))
        .await?;
    b.wait_saved().await?;

    // A tag that is too long: the error sits beside the tags, nothing is saved, and the
    // text typed meanwhile stays in the page.
    b.fill("#tags", &format!("launch, {}", "x".repeat(61)))
        .await?;
    b.type_in("#text", " and more").await?;
    b.wait_state("error").await?;
    let error = b.wait_in("#ce-tags", "at most 60 characters").await?;
    assert!(error.contains("xxxx"), "{error}");
    assert_eq!(
        b.find("#tags")
            .await?
            .attr("aria-invalid")
            .await?
            .as_deref(),
        Some("true")
    );
    b.wait_in("#save-status", "Not saved").await?;
    assert_eq!(b.value("#text").await?, "Hello from the roastery and more");
    b.screenshot("composer-error").await?;
    b.fill("#tags", "launch, autumn").await?;
    b.wait_saved().await?;
    assert!(b.find("#ce-tags").await?.attr("hidden").await?.is_some());
    assert_eq!(b.find("#tags").await?.attr("aria-invalid").await?, None);
    b.wait_in("#tag-chips", "#autumn").await?;

    // An option value the network refuses, beside its field.
    let language = "[data-network=mastodon] input[name=language]";
    b.type_in(language, "english").await?;
    b.wait_state("error").await?;
    let slot = "[data-network=mastodon] [data-error-for$='-language']";
    b.wait_in(slot, "language code").await?;
    assert_eq!(b.value(language).await?, "english");
    b.fill(language, "en").await?;
    b.wait_saved().await?;

    let post = b
        .services
        .get_post(
            &s.owner,
            s.ws,
            post_path.rsplit('/').next().unwrap_or("").parse()?,
        )
        .await?;
    assert_eq!(post.post.text, "Hello from the roastery and more");
    let mut names: Vec<&str> = post.tags.iter().map(|t| t.name.as_str()).collect();
    names.sort();
    assert_eq!(names, ["autumn", "launch"]);
    assert_eq!(
        post.variants[0].variant.options.language.as_deref(),
        Some("en")
    );

    // Without JavaScript (a plain form submission, which htmx never sees) the same forms
    // work: errors come back on the whole page with everything typed kept.
    b.client
        .execute(
            "document.querySelector('#tags').value = 'ok, ' + 'y'.repeat(70);
             document.querySelector('#notes').value = 'Ask Sam about the photo';
             HTMLFormElement.prototype.submit.call(document.querySelector('#post-form'));",
            vec![],
        )
        .await?;
    b.wait_text("Nothing was saved").await?;
    b.wait_in("#ce-tags", "at most 60 characters").await?;
    assert_eq!(b.value("#notes").await?, "Ask Sam about the photo");
    assert!(b.value("#tags").await?.ends_with("yyyy"));
    b.client
        .execute(
            "document.querySelector('#tags').value = 'launch, autumn';
             HTMLFormElement.prototype.submit.call(document.querySelector('#post-form'));",
            vec![],
        )
        .await?;
    b.wait_at(&post_path).await?;
    b.wait_in("#save-status", "Saved").await?;
    assert_eq!(b.value("#notes").await?, "Ask Sam about the photo");

    // Published elsewhere meanwhile (the publisher, here a direct write): the next save is
    // refused with the reason, and what was typed stays in the page.
    let post_id: Uuid = post_path.rsplit('/').next().unwrap_or("").parse()?;
    set_state(&b, post_id, "published").await?;
    b.type_in("#text", " again").await?;
    b.wait_state("error").await?;
    b.wait_in("#composer-alert", "it can no longer be changed")
        .await?;
    b.wait_in("#save-status", "Not saved").await?;
    assert_eq!(
        b.value("#text").await?,
        "Hello from the roastery and more again"
    );
    b.screenshot("composer-conflict").await?;
    b.goto(&post_path).await?;
    b.wait_in("#composer-alert", "published on Mastodon")
        .await?;
    assert_eq!(b.count("#post-extras button").await?, 0);
    let disabled = b
        .client
        .execute(
            "return document.querySelector('#text').matches(':disabled');",
            vec![],
        )
        .await?;
    assert_eq!(disabled.as_bool(), Some(true));
    set_state(&b, post_id, "draft").await?;

    // Deleting takes two presses and lands on the list.
    b.goto(&post_path).await?;
    b.click("#post-extras button").await?;
    b.wait_in("#post-extras button", "Press again").await?;
    b.click("#post-extras button").await?;
    b.wait_at(&format!("{base}/posts")).await?;
    b.wait_text("The post was deleted.").await?;
    b.wait_text("No posts yet").await?;
    b.finish().await
}

#[tokio::test]
async fn split_into_a_thread_and_read_only_for_viewers() -> TestResult {
    let Some(b) = start().await else {
        return Ok(());
    };
    let s = setup(&b).await?;
    let base = format!("/w/{}", s.ws);
    b.goto(&format!("{base}/posts/new")).await?;
    b.click("[aria-labelledby='group-bluesky'] input").await?;
    let sentence = "Our autumn roast is here, with notes of fig, cocoa and a little orange peel, \
                    roasted slowly in small batches at the shop on Canal Street every morning.";
    let text = format!("{sentence} {sentence} {sentence}");
    b.fill("#text", &text).await?;
    let post_path = b
        .wait_path(|p| p.starts_with(&format!("{base}/posts/")) && !p.ends_with("/new"))
        .await?;
    b.wait_saved().await?;
    let bluesky = "[data-network=bluesky]";
    let counter = b.find(&format!("{bluesky} .counter")).await?.text().await?;
    assert!(counter.contains("/ 300"), "{counter}");

    // Too long for one post: split it, numbered.
    b.click(&format!("{bluesky} input[name=numbered]")).await?;
    b.click(&format!("{bluesky} button[value=split]")).await?;
    b.wait_text("Edited for Bluesky").await?;
    // One sentence per part: two would pass 300 characters.
    b.wait_in(&format!("{bluesky} .counter"), "3 parts").await?;
    let parts = b
        .client
        .find_all(css(&format!("{bluesky} textarea[name=parts]")))
        .await?;
    assert_eq!(parts.len(), 3);
    let first = parts[0].prop("value").await?.unwrap_or_default();
    assert_eq!(first, format!("{sentence} 1/3"));
    b.wait_in(&format!("{bluesky} .variant-check"), "Fits Bluesky")
        .await?;
    assert_eq!(b.count(&format!("{bluesky} button[value=split]")).await?, 0);
    b.screenshot("composer-split").await?;

    // X takes a first comment: it shows under the post in the preview.
    b.services
        .add_channel(
            &s.owner,
            s.ws,
            NewChannel {
                network: Network::X,
                handle: "@acmecoffee",
                display_name: "Acme Coffee",
                service_url: "",
                max_characters: None,
                chars_per_url: None,
            },
        )
        .await?;
    b.goto(&post_path).await?;
    b.click("[aria-labelledby='group-x'] input").await?;
    let x = "[data-network=x]";
    b.find(x).await?;
    b.wait_saved().await?;
    b.type_in(
        &format!("{x} textarea[name=first_comment]"),
        "Menu: https://acmecoffee.com/menu",
    )
    .await?;
    b.wait_saved().await?;
    let comment = b
        .wait_in(&format!("{x} .preview .pv-comment"), "First comment")
        .await?;
    assert!(comment.contains("https://acmecoffee.com/menu"), "{comment}");
    let link = b
        .find(&format!("{x} .pv-comment .pv-link"))
        .await?
        .text()
        .await?;
    assert_eq!(link, "https://acmecoffee.com/menu");
    b.client
        .execute(
            "document.querySelector('[data-network=x] .preview').scrollIntoView({block: 'end'});",
            vec![],
        )
        .await?;
    b.screenshot("composer-first-comment").await?;
    assert_eq!(
        b.count("[data-network=bluesky] textarea[name=first_comment]")
            .await?,
        0
    );

    // A viewer reads the post but changes nothing.
    let invite = b
        .services
        .create_invite(&s.owner, s.ws, herald::domain::Role::Viewer, "", None)
        .await?;
    let viewer = b.user("viewer@example.com", false).await?;
    b.services.accept_invite(&viewer, &invite.token).await?;
    b.logout().await?;
    b.login("viewer@example.com", PASSWORD).await?;
    b.goto(&format!("{base}/posts")).await?;
    b.wait_text("Our autumn roast").await?;
    assert_eq!(b.count("a[href$='/posts/new']").await?, 0);
    b.goto(&post_path).await?;
    b.wait_text("You can read posts here").await?;
    let disabled = b
        .client
        .execute(
            "return ['#text', '[name=parts]', '[name=channel_ids]'].every(s => document.querySelector(s).matches(':disabled'));",
            vec![],
        )
        .await?;
    assert_eq!(disabled.as_bool(), Some(true));
    assert_eq!(b.count("#post-extras button").await?, 0);
    b.finish().await
}

#[tokio::test]
async fn the_posts_list_pages_newest_first() -> TestResult {
    let Some(b) = start().await else {
        return Ok(());
    };
    let s = setup(&b).await?;
    let channels = b.services.list_channels(&s.owner, s.ws).await?;
    for i in 1..=52 {
        b.services
            .create_post(
                &s.owner,
                s.ws,
                herald::services::posts::PostInput {
                    text: Some(format!("Post number {i}")),
                    channel_ids: Some(vec![channels[i % 2].id]),
                    tags: Some(if i == 52 {
                        vec!["launch".into()]
                    } else {
                        vec![]
                    }),
                    ..Default::default()
                },
            )
            .await?;
    }
    b.goto(&format!("/w/{}/posts", s.ws)).await?;
    b.wait_text("Post number 52").await?;
    assert_eq!(b.count(".post-row").await?, 50);
    let first = b.find(".post-row").await?.text().await?;
    assert!(
        first.contains("Post number 52") && first.contains("#launch"),
        "{first}"
    );
    b.screenshot("posts-many").await?;
    b.click("a[rel=next]").await?;
    b.wait_text("Post number 2").await?;
    assert_eq!(b.count(".post-row").await?, 2);
    let text = b.body_text().await?;
    assert!(text.contains("Post number 1") && !text.contains("Post number 3"));
    assert_eq!(b.count("a[rel=next]").await?, 0);
    b.click(".pager a").await?;
    b.wait_text("Post number 52").await?;

    // A workspace without channels or posts says what to do next.
    let empty = b
        .services
        .create_workspace(&s.owner, "Empty brand", "UTC")
        .await?
        .workspace
        .id;
    b.goto(&format!("/w/{empty}/posts")).await?;
    b.wait_text("No posts yet").await?;
    b.wait_text("no channels yet").await?;
    b.screenshot("posts-empty").await?;
    b.goto(&format!("/w/{empty}/channels")).await?;
    b.wait_text("No channels yet").await?;
    b.wait_text("Connect the first account below").await?;
    b.find("#connect-bluesky").await?;
    b.screenshot("channels-empty").await?;
    b.finish().await
}

#[tokio::test]
async fn tone_panel_names_the_hard_sell_and_how_to_soften_it() -> TestResult {
    let Some(b) = start().await else {
        return Ok(());
    };
    let s = setup(&b).await?;
    let mut settings = b
        .services
        .workspace(&s.owner, s.ws)
        .await?
        .workspace
        .settings();
    settings.brand.hashtags = "#acme #coffee".into();
    b.services
        .update_workspace(&s.owner, s.ws, settings)
        .await?;
    let base = format!("/w/{}", s.ws);
    b.goto(&format!("{base}/posts/new")).await?;
    b.wait_in("#tone", "once the post is saved").await?;
    b.click("[aria-labelledby='group-mastodon'] input").await?;

    // A pushy text: the autosave answer fills the panel, the text area is left alone.
    let pushy = "HUGE SALE!!! Buy now, 50% off, today only";
    b.fill("#text", pushy).await?;
    b.wait_path(|p| p.starts_with(&format!("{base}/posts/")) && !p.ends_with("/new"))
        .await?;
    b.wait_saved().await?;
    let tone = b.wait_in("#tone", "Promotional").await?;
    let mut buy_now = None;
    for item in b.client.find_all(css("#tone .tone-finding")).await? {
        let text = item.text().await?;
        if text.contains("“Buy now”") {
            buy_now = Some(text);
        }
    }
    let buy_now = buy_now.ok_or_else(|| format!("no finding quotes “Buy now”: {tone}"))?;
    assert!(buy_now.contains("Call to buy"), "{buy_now}");
    assert!(
        buy_now.contains("Say what the product helps people do"),
        "{buy_now}"
    );
    assert!(
        tone.contains("The brand's hashtags are not used: #acme #coffee"),
        "{tone}"
    );
    assert!(tone.contains("at most 20% promotional posts"), "{tone}");
    assert_eq!(
        b.find("#tone").await?.attr("aria-live").await?.as_deref(),
        Some("polite")
    );
    let score: u32 = b
        .find("#tone meter")
        .await?
        .attr("value")
        .await?
        .unwrap_or_default()
        .parse()?;
    assert!(score >= 40, "score {score}");
    assert_eq!(b.value("#text").await?, pushy);
    let show_tone = "document.querySelector('.tone').scrollIntoView({block: 'center'});";
    b.client.execute(show_tone, vec![]).await?;
    b.screenshot("composer-tone").await?;

    // At 360 px the panel fits.
    b.client.set_window_size(360, 740).await?;
    b.client.execute(show_tone, vec![]).await?;
    let scroll = b.scroll_width().await?;
    b.screenshot("mobile-composer-tone").await?;
    assert!(scroll <= 360, "the composer is {scroll} px wide at 360 px");
    b.client.set_window_size(1280, 900).await?;

    // A calm text with one of the brand's hashtags: informative, nothing to soften.
    let calm = "Our new Huila beans are in: notes of plum and cocoa. #coffee";
    b.fill("#text", calm).await?;
    b.wait_saved().await?;
    let tone = b.wait_in("#tone", "Informative").await?;
    assert!(!tone.contains("Promotional"), "{tone}");
    assert!(!tone.contains("hashtags are not used"), "{tone}");
    assert_eq!(b.count("#tone .tone-finding").await?, 0);
    assert_eq!(b.value("#text").await?, calm);
    b.finish().await
}
