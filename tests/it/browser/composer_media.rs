//! The composer's media and credit in a real browser: pictures added from the library's
//! picker, shown in the form and in each network's preview (Instagram's crop of a wide
//! picture noted), kept in order across reloads, moved and removed with the keyboard's
//! buttons; a credit that adds "Via @handle: link", and a bad credit link refused beside
//! its field. Screenshots of the composer with media and credit, wide and at 360 px.

use std::time::{Duration, Instant};

use herald::domain::text::Network;
use herald::services::media::Upload;
use herald::services::{Actor, NewChannel, Services};
use uuid::Uuid;

use super::composer::setup;
use super::harness::{Browser, TestResult, css, start};

/// Puts a picture in the library as an upload would (the service removes the file).
pub(super) async fn library_picture(
    services: &Services,
    actor: &Actor,
    ws: Uuid,
    name: &str,
    alt_text: &str,
    (width, height): (u32, u32),
) -> Result<Uuid, Box<dyn std::error::Error>> {
    let bytes = crate::media::png(width, height);
    let path = std::env::temp_dir().join(format!("herald-composer-test-{}", Uuid::new_v4()));
    std::fs::write(&path, &bytes)?;
    let item = services
        .upload_media(
            actor,
            ws,
            Upload {
                file_name: name.to_owned(),
                path,
                bytes: bytes.len() as u64,
                alt_text: alt_text.to_owned(),
                tags: Vec::new(),
            },
        )
        .await?;
    Ok(item.media.id)
}

impl Browser {
    /// The names of the attached items, in the order the form lists them.
    async fn attached(&self) -> Result<Vec<String>, Box<dyn std::error::Error>> {
        let mut names = Vec::new();
        for e in self
            .client
            .find_all(css("#post-media .attached-name"))
            .await?
        {
            let text = e.text().await?;
            names.push(text.trim().to_owned());
        }
        Ok(names)
    }

    /// Waits until the form lists exactly `want`, in order, and the save is done.
    async fn wait_attached(&self, want: &[&str]) -> TestResult {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let names = self.attached().await.unwrap_or_default();
            if names == want {
                return self.wait_saved().await;
            }
            if Instant::now() > deadline {
                return Err(format!("the form lists {names:?}, not {want:?}").into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn wait_count(&self, selector: &str, want: usize) -> TestResult {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let n = self.count(selector).await?;
            if n == want {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(format!("{n} of {selector}, not {want}").into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn active_id(&self) -> Result<String, Box<dyn std::error::Error>> {
        let id = self
            .client
            .execute(
                "return document.activeElement && document.activeElement.id;",
                vec![],
            )
            .await?;
        Ok(id.as_str().unwrap_or_default().to_owned())
    }

    /// Reloads the page and waits for the composer.
    async fn reload(&self) -> TestResult {
        self.client.refresh().await?;
        self.find("#post-media").await?;
        Ok(())
    }
}

#[tokio::test]
async fn media_from_the_library_previews_crops_and_credit() -> TestResult {
    let Some(b) = start().await else {
        return Ok(());
    };
    let s = setup(&b).await?;
    for (network, handle) in [(Network::X, "@acme"), (Network::Instagram, "@acme.coffee")] {
        b.services
            .add_channel(
                &s.owner,
                s.ws,
                NewChannel {
                    network,
                    handle,
                    display_name: "Acme Coffee",
                    service_url: "",
                    max_characters: None,
                    chars_per_url: None,
                },
            )
            .await?;
    }
    let beans = library_picture(
        &b.services,
        &s.owner,
        s.ws,
        "beans.png",
        "Green coffee beans in a sack",
        (300, 200),
    )
    .await?;
    // 3:1, wider than Instagram's 1.91:1: Herald crops it for Instagram.
    let farm = library_picture(&b.services, &s.owner, s.ws, "farm.png", "", (600, 200)).await?;
    let base = format!("/w/{}", s.ws);

    b.goto(&format!("{base}/posts/new")).await?;
    b.wait_text("No pictures or videos yet.").await?;
    for network in ["x", "instagram"] {
        b.click(&format!("[aria-labelledby='group-{network}'] input"))
            .await?;
    }
    b.fill("#text", "Harvest week at the farm").await?;
    let post_path = b
        .wait_path(|p| p.starts_with(&format!("{base}/posts/")) && !p.ends_with("/new"))
        .await?;
    let post: Uuid = post_path.rsplit('/').next().unwrap_or("").parse()?;
    b.wait_saved().await?;
    b.wait_count(".variant", 2).await?;
    // Instagram needs a picture until one is attached.
    b.wait_in("[data-network=instagram] .variant-check", "needs")
        .await?;

    // The picker lists the library; each item is a button that adds it.
    b.click("#media-picker-toggle").await?;
    b.wait_count(".picker-item", 2).await?;
    b.click(&format!("[data-media-pick='{beans}']")).await?;
    b.wait_attached(&["beans.png"]).await?;
    let picked = b.find(&format!("[data-media-pick='{beans}']")).await?;
    assert_eq!(
        picked.attr("aria-disabled").await?.as_deref(),
        Some("true"),
        "an item in the post says it is added"
    );
    b.click(&format!("[data-media-pick='{farm}']")).await?;
    b.wait_attached(&["beans.png", "farm.png"]).await?;
    // Adding it again changes nothing.
    b.click(&format!("[data-media-pick='{farm}']")).await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(b.attached().await?, ["beans.png", "farm.png"]);

    b.client
        .execute(
            "document.querySelector('#post-media').scrollIntoView();",
            vec![],
        )
        .await?;
    std::fs::write(
        "/tmp/composer-media-picker.png",
        b.client.screenshot().await?,
    )?;

    // The form says which picture has no alt text; the search narrows the picker.
    let items = b.client.find_all(css(".attached-item")).await?;
    assert!(items[0].text().await?.contains("Green coffee beans"));
    assert!(items[1].text().await?.contains("Alt text missing"));
    b.type_in("#picker-q", "far").await?;
    b.wait_count(".picker-item", 1).await?;

    // Each preview shows both pictures; Instagram's shows its crop of the wide one.
    let x = "[data-network=x]";
    let ig = "[data-network=instagram]";
    b.wait_count(&format!("{x} .pv-gallery img"), 2).await?;
    b.wait_count(&format!("{ig} .pv-gallery img"), 2).await?;
    let note = b
        .wait_in(&format!("{ig} .pv-crop-note"), "Cropped for Instagram")
        .await?;
    assert_eq!(note.trim(), "Cropped for Instagram");
    assert_eq!(b.count(&format!("{x} .pv-crop-note")).await?, 0);
    let crop = b
        .find(&format!("{ig} .pv-item-cropped img"))
        .await?
        .attr("src")
        .await?
        .unwrap_or_default();
    assert!(
        crop.contains(&format!("/media/{farm}/renditions/instagram")),
        "{crop}"
    );
    let loaded = b
        .client
        .execute(
            "return Array.from(document.querySelectorAll('.pv-gallery img')).every(i => i.complete && i.naturalWidth > 0);",
            vec![],
        )
        .await?;
    assert_eq!(loaded.as_bool(), Some(true), "every preview picture loads");
    // Media problems read in words and count: a feed post takes one picture. (The 3:1
    // picture's shape is not one: Herald crops it for Instagram, as the note says.)
    b.wait_in(&format!("{ig} .variant-check"), "Instagram accepts 1 image")
        .await?;

    // A reload keeps them, in order; Enter in a field saves without pressing a media button.
    b.reload().await?;
    assert_eq!(b.attached().await?, ["beans.png", "farm.png"]);
    b.fill("#tags", "harvest").await?;
    b.find("#tags").await?.send_keys("\u{E007}").await?;
    b.wait_saved().await?;
    assert_eq!(b.attached().await?, ["beans.png", "farm.png"]);

    // Move the farm earlier with its button: the keyboard stays on the moved item.
    b.click(&format!("#media-earlier-{farm}")).await?;
    b.wait_attached(&["farm.png", "beans.png"]).await?;
    assert_eq!(b.active_id().await?, format!("media-later-{farm}"));
    b.reload().await?;
    assert_eq!(b.attached().await?, ["farm.png", "beans.png"]);
    let first = b
        .find(&format!("{x} .pv-gallery img"))
        .await?
        .attr("src")
        .await?
        .unwrap_or_default();
    assert!(first.contains(&farm.to_string()), "{first}");

    // Remove the beans; the keyboard goes to the item left.
    b.click(&format!("#media-remove-{beans}")).await?;
    b.wait_attached(&["farm.png"]).await?;
    assert_eq!(b.active_id().await?, format!("media-remove-{farm}"));
    b.reload().await?;
    assert_eq!(b.attached().await?, ["farm.png"]);

    // Sharing someone else's post: the credit adds "Via @handle: link" on X.
    b.click("#credit > summary").await?;
    b.fill("#credit-url", "https://ana.coffee/p/harvest")
        .await?;
    b.fill("#credit-author", "Ana Souza").await?;
    b.fill("#credit-handle-x", "@ana_brews").await?;
    b.wait_saved().await?;
    b.wait_in(
        &format!("{x} .pv-text"),
        "Via @ana_brews: https://ana.coffee/p/harvest",
    )
    .await?;
    // Instagram has no handle: the author's name.
    b.wait_in(
        &format!("{ig} .pv-text"),
        "Via Ana Souza: https://ana.coffee/p/harvest",
    )
    .await?;
    let placeholder = b
        .find("#credit-handle-instagram")
        .await?
        .attr("placeholder")
        .await?;
    assert_eq!(placeholder.as_deref(), Some("@ana.brews"));

    // Screenshots of the composer with media and credit: wide, then 360 px.
    b.click("#media-picker-toggle").await?;
    b.click(&format!("[data-media-pick='{beans}']")).await?;
    b.wait_attached(&["farm.png", "beans.png"]).await?;
    b.reload().await?;
    b.client.set_window_size(1280, 2200).await?;
    b.client.execute("window.scrollTo(0, 0);", vec![]).await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    std::fs::write("/tmp/composer-media.png", b.client.screenshot().await?)?;
    b.screenshot("composer-media").await?;
    b.client.set_window_size(360, 740).await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let scroll = b.scroll_width().await?;
    assert!(scroll <= 360, "the composer is {scroll} px wide at 360 px");
    for (i, selector) in [
        "#post-media",
        "#credit",
        "[data-network=instagram] .preview",
    ]
    .into_iter()
    .enumerate()
    {
        b.client
            .execute(
                "document.querySelector(arguments[0]).scrollIntoView();",
                vec![selector.into()],
            )
            .await?;
        tokio::time::sleep(Duration::from_millis(200)).await;
        std::fs::write(
            format!("/tmp/composer-media-360-{i}.png"),
            b.client.screenshot().await?,
        )?;
    }
    b.client.set_window_size(360, 3600).await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    std::fs::write("/tmp/composer-media-360.png", b.client.screenshot().await?)?;
    b.screenshot("composer-media-360").await?;
    b.client.set_window_size(1280, 900).await?;

    // A bad link is refused beside its field, and nothing else changes.
    b.fill("#credit-url", "ana.coffee/p/harvest").await?;
    let error = b.wait_in("#ce-credit-url", "original's address").await?;
    assert!(error.contains("https://"), "{error}");
    let field = b.find("#credit-url").await?;
    assert_eq!(field.attr("aria-invalid").await?.as_deref(), Some("true"));
    assert_eq!(b.attached().await?, ["farm.png", "beans.png"]);
    b.fill("#credit-url", "https://ana.coffee/p/harvest")
        .await?;
    b.wait_saved().await?;
    assert!(
        b.find("#ce-credit-url")
            .await?
            .attr("hidden")
            .await?
            .is_some()
    );

    // Without JavaScript the picker is its own address: the whole composer, panel open.
    b.goto(&format!("{base}/posts/media-picker?post={post}&q=beans"))
        .await?;
    b.wait_count(".picker-item", 1).await?;
    assert!(b.find("#media-picker").await?.attr("open").await?.is_some());
    assert_eq!(b.attached().await?, ["farm.png", "beans.png"]);

    // "Edit for this network" starts from the text the network gets, credit line included.
    b.click("[data-network=x] button[value=detach]").await?;
    let part = b.find("[data-network=x] textarea[name=parts]").await?;
    let text = part.prop("value").await?.unwrap_or_default();
    assert!(
        text.ends_with("Via @ana_brews: https://ana.coffee/p/harvest"),
        "{text:?}"
    );
    b.finish().await
}
