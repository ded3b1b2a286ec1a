//! The composer's links and campaigns in a real browser: a campaign made from the campaign
//! list and chosen, the Tags page, tracked short links with their clicks, and the preview
//! card of a link served by a small site on loopback.

use std::io::Cursor;
use std::time::{Duration, Instant};

use axum::http::header;
use axum::response::{Html, IntoResponse};
use axum::routing::get;
use uuid::Uuid;

use super::composer::setup;
use super::harness::{Browser, TestResult, start, start_with};

const PAGE: &str = r#"<!doctype html><html><head><title>Fallback</title>
<meta property="og:title" content="Huila &amp; the farm">
<meta property="og:description" content="How we pick our beans, by hand, at 1,700 metres.">
<meta property="og:image" content="/farm.png"><meta property="og:site_name" content="Acme Coffee"></head>
<body>...</body></html>"#;

/// A 240×160 PNG: green fields under a pale sky.
fn farm_png() -> Vec<u8> {
    let img = image::RgbImage::from_fn(240, 160, |x, y| {
        if y < 70 {
            image::Rgb([200, 225, 245])
        } else {
            let shade = ((x + y) % 40) as u8;
            image::Rgb([60 + shade, 140 + shade, 70])
        }
    });
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)
        .expect("encoding a PNG");
    out.into_inner()
}

/// A small site on loopback: a page with Open Graph tags and an image, and a page that
/// answers too late. Returns its base URL.
async fn site() -> String {
    let png = farm_png();
    let app = axum::Router::new()
        .route("/page", get(|| async { Html(PAGE) }))
        .route(
            "/farm.png",
            get(move || {
                let png = png.clone();
                async move { ([(header::CONTENT_TYPE, "image/png")], png).into_response() }
            }),
        )
        .route(
            "/slow",
            get(|| async {
                tokio::time::sleep(Duration::from_secs(7)).await;
                Html(PAGE)
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.ok() });
    format!("http://{addr}")
}

impl Browser {
    /// Runs `script` (which returns a boolean) until it says true.
    async fn wait_js(&self, script: &str) -> TestResult {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if self.client.execute(script, vec![]).await?.as_bool() == Some(true) {
                return Ok(());
            }
            if Instant::now() > deadline {
                let text = self.body_text().await.unwrap_or_default();
                return Err(format!("waited for {script}; the page says:\n{text}").into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

#[tokio::test]
async fn a_campaign_made_in_the_composer_is_chosen_and_listed() -> TestResult {
    let Some(b) = start().await else {
        return Ok(());
    };
    let s = setup(&b).await?;
    let base = format!("/w/{}", s.ws);
    b.goto(&format!("{base}/posts/new")).await?;
    b.wait_in("#campaign-hint", "No campaigns yet").await?;
    b.click("[aria-labelledby='group-bluesky'] input").await?;
    b.fill("#text", "Our autumn roast is here.").await?;
    let post_path = b
        .wait_path(|p| p.starts_with(&format!("{base}/posts/")) && !p.ends_with("/new"))
        .await?;
    b.wait_saved().await?;
    let post_id: Uuid = post_path.rsplit('/').next().unwrap_or("").parse()?;

    // The small form opens under the list; typing in it does not save the post.
    b.click("#campaign-field summary").await?;
    b.fill("#nc-name", "   ").await?;
    tokio::time::sleep(Duration::from_millis(900)).await;
    b.wait_state("saved").await?;
    b.click("#campaign-field button[type=submit]").await?;
    b.wait_in("#nc-name-error", "The name must not be empty")
        .await?;
    assert_eq!(
        b.find("#nc-name")
            .await?
            .attr("aria-invalid")
            .await?
            .as_deref(),
        Some("true")
    );
    b.screenshot("composer-campaign-error").await?;

    b.fill("#nc-name", "Autumn launch").await?;
    b.client
        .execute(
            "document.querySelector('#nc-color').value = '#16a34a';",
            vec![],
        )
        .await?;
    b.click("#campaign-field button[type=submit]").await?;
    b.wait_in("#campaign_id option:checked", "Autumn launch")
        .await?;
    b.wait_saved().await?;
    let focused = b
        .client
        .execute("return document.activeElement.id;", vec![])
        .await?;
    assert_eq!(
        focused.as_str(),
        Some("campaign_id"),
        "the list has the focus"
    );
    let tags = b.services.list_tags(&s.owner, s.ws).await?;
    let campaign = tags
        .iter()
        .find(|t| t.kind == "campaign")
        .ok_or("no campaign")?;
    assert_eq!(
        (campaign.name.as_str(), campaign.color.as_str()),
        ("Autumn launch", "#16a34a")
    );
    let post = b.services.get_post(&s.owner, s.ws, post_id).await?;
    assert_eq!(
        post.post.campaign_id,
        Some(campaign.id),
        "saved on the post"
    );
    assert_eq!(b.value("#campaign_id").await?, campaign.id.to_string());
    // The next save of the main form keeps it.
    b.type_in("#text", " Fig and cocoa.").await?;
    b.wait_saved().await?;
    let post = b.services.get_post(&s.owner, s.ws, post_id).await?;
    assert_eq!(post.post.campaign_id, Some(campaign.id));
    assert!(post.post.text.ends_with("Fig and cocoa."));

    // The same name again, in other letters: refused beside the name, the choice kept.
    b.click("#campaign-field summary").await?;
    b.fill("#nc-name", "autumn LAUNCH").await?;
    b.click("#campaign-field button[type=submit]").await?;
    let error = b.wait_in("#nc-name-error", "already a campaign").await?;
    assert!(error.contains("“Autumn launch”"), "{error}");
    assert_eq!(b.value("#campaign_id").await?, campaign.id.to_string());
    assert_eq!(b.value("#nc-name").await?, "autumn LAUNCH");

    // Without JavaScript the same form posts normally and lands back on the post, with the
    // new campaign chosen.
    b.goto(&post_path).await?;
    b.find("#campaign-form").await?;
    b.client
        .execute(
            "document.querySelector('#nc-name').value = 'Winter menu';
             HTMLFormElement.prototype.submit.call(document.querySelector('#campaign-form'));",
            vec![],
        )
        .await?;
    b.wait_at(&post_path).await?;
    b.wait_in("#campaign_id option:checked", "Winter menu")
        .await?;
    let winter = b
        .services
        .list_tags(&s.owner, s.ws)
        .await?
        .into_iter()
        .find(|t| t.name == "Winter menu")
        .ok_or("no Winter menu campaign")?;
    let post = b.services.get_post(&s.owner, s.ws, post_id).await?;
    assert_eq!(post.post.campaign_id, Some(winter.id));
    b.client
        .execute(
            "const s = document.querySelector('#campaign_id');
             s.value = arguments[0];
             s.dispatchEvent(new Event('input', {bubbles: true}));",
            vec![serde_json::json!(campaign.id.to_string())],
        )
        .await?;
    b.wait_in("#save-status", "Saved at").await?;
    b.wait_saved().await?;
    let post = b.services.get_post(&s.owner, s.ws, post_id).await?;
    assert_eq!(post.post.campaign_id, Some(campaign.id));

    // The Tags page, from the workspace's navigation.
    b.click(".subnav a[href$='/tags']").await?;
    b.wait_at(&format!("{base}/tags")).await?;
    b.wait_in("#campaign-list", "Autumn launch").await?;
    assert_eq!(
        b.find(".subnav a[aria-current=page]").await?.text().await?,
        "Tags"
    );
    b.click("#kind-tag").await?;
    b.fill("#tag-name", "seasonal").await?;
    b.click(".tag-form button[type=submit]").await?;
    b.wait_in("#tag-list", "#seasonal").await?;
    b.wait_text("Tag “seasonal” created.").await?;
    // A colour that is not one, beside the colour field (a colour input never sends one, so
    // the field is made a text field first).
    b.client
        .execute(
            "const c = document.querySelector('#tag-color'); c.type = 'text'; c.value = 'red';",
            vec![],
        )
        .await?;
    b.click("#kind-campaign").await?;
    b.fill("#tag-name", "Winter").await?;
    b.click(".tag-form button[type=submit]").await?;
    b.wait_in("#color-error", "must look like #2563eb").await?;
    assert_eq!(b.value("#tag-name").await?, "Winter");
    b.fill("#tag-name", "Autumn Launch").await?;
    b.click(".tag-form button[type=submit]").await?;
    b.wait_in("#name-error", "already a campaign").await?;
    b.screenshot("tags").await?;
    let tags = b.services.list_tags(&s.owner, s.ws).await?;
    let mut names: Vec<(&str, &str)> = tags
        .iter()
        .map(|t| (t.kind.as_str(), t.name.as_str()))
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            ("campaign", "Autumn launch"),
            ("campaign", "Winter menu"),
            ("tag", "seasonal")
        ]
    );

    // Back in the composer the campaign is in the list, chosen.
    b.goto(&post_path).await?;
    b.wait_in("#campaign_id option:checked", "Autumn launch")
        .await?;
    b.client.set_window_size(360, 740).await?;
    b.goto(&format!("{base}/tags")).await?;
    b.find("#main h1").await?;
    let scroll = b.scroll_width().await?;
    b.screenshot("mobile-tags").await?;
    assert!(scroll <= 360, "the tags page is {scroll} px wide at 360 px");
    b.finish().await
}

#[tokio::test]
async fn track_links_and_preview_a_link() -> TestResult {
    let site = site().await;
    let Some(b) = start_with(|c| c.allow_private_hosts = true).await else {
        return Ok(());
    };
    let s = setup(&b).await?;
    let base = format!("/w/{}", s.ws);
    b.goto(&format!("{base}/posts/new")).await?;
    for network in ["mastodon", "bluesky"] {
        b.click(&format!("[aria-labelledby='group-{network}'] input"))
            .await?;
    }
    let page = format!("{site}/page");
    b.fill(
        "#text",
        &format!("Our Huila beans are in. How we pick them: {page} #coffee"),
    )
    .await?;
    let post_path = b
        .wait_path(|p| p.starts_with(&format!("{base}/posts/")) && !p.ends_with("/new"))
        .await?;
    b.wait_saved().await?;
    let post_id: Uuid = post_path.rsplit('/').next().unwrap_or("").parse()?;

    // Bluesky finds the link: its card shows the page's title, description and image, the
    // image through Herald (the CSP allows no other origin).
    let bluesky = "[data-network=bluesky]";
    let card = b
        .wait_in(&format!("{bluesky} .link-card"), "Huila & the farm")
        .await?;
    assert!(card.contains("How we pick our beans"), "{card}");
    assert!(card.contains("127.0.0.1"), "{card}");
    let src = b
        .find(&format!("{bluesky} .link-card-image"))
        .await?
        .attr("src")
        .await?
        .unwrap_or_default();
    assert!(
        src.starts_with(&format!("{base}/link-preview/image?url=")),
        "{src}"
    );
    b.wait_js(&format!(
        "const i = document.querySelector('{bluesky} .link-card-image'); return !!i && i.complete && i.naturalWidth === 240;"
    ))
    .await?;
    // Without JavaScript the loader is a link to the same card, drawn in the whole page.
    let variant_id = b
        .find(bluesky)
        .await?
        .attr("id")
        .await?
        .unwrap_or_default()
        .trim_start_matches("variant-")
        .to_owned();
    b.goto(&format!("{post_path}/variants/{variant_id}/link-preview"))
        .await?;
    b.wait_in(&format!("{bluesky} .link-card"), "Huila & the farm")
        .await?;
    assert_eq!(b.value("#text").await?.split(' ').next(), Some("Our"));
    // A forged address is refused.
    let forged = src.replace("sig=", "sig=0");
    b.goto(&forged).await?;
    b.wait_text("Page not found").await?;
    b.goto(&post_path).await?;
    b.wait_in(&format!("{bluesky} .link-card"), "Huila & the farm")
        .await?;

    // Track links: the hint says what it does before the press.
    let hint = b
        .find(&format!("{bluesky} .track-offer .hint"))
        .await?
        .text()
        .await?;
    assert!(
        hint.contains("a short link on 127.0.0.1 that counts clicks")
            && hint.contains("utm_source=bluesky"),
        "{hint}"
    );
    b.client
        .execute(
            "document.querySelector('[data-network=bluesky] .preview-title').scrollIntoView({block: 'start'});",
            vec![],
        )
        .await?;
    b.screenshot("composer-track-offer").await?;
    b.click(&format!("{bluesky} .track-offer button")).await?;
    let table = b.wait_in(&format!("{bluesky} .links-table"), "/l/").await?;
    assert!(table.contains("utm_source=bluesky"), "{table}");
    assert!(table.contains("utm_medium=social"), "{table}");
    b.wait_saved().await?;
    b.wait_text("Edited for Bluesky").await?;
    let text = b.value(&format!("{bluesky} textarea[name=parts]")).await?;
    let short = text
        .split_whitespace()
        .find(|w| w.contains("/l/"))
        .ok_or_else(|| format!("no short link in {text:?}"))?
        .to_owned();
    assert!(short.starts_with(&b.base), "{short}");
    assert!(!text.contains(&page), "{text}");
    assert_eq!(
        b.count(&format!("{bluesky} .track-offer")).await?,
        0,
        "nothing left to track"
    );
    assert_eq!(
        b.count(&format!("{bluesky} .links-table tbody tr")).await?,
        1
    );
    // The card now previews where the short link leads, without counting a visit.
    b.wait_in(&format!("{bluesky} .link-card"), "Huila & the farm")
        .await?;
    // Mastodon's text does not change.
    let post = b.services.get_post(&s.owner, s.ws, post_id).await?;
    let masto = post
        .variants
        .iter()
        .find(|v| v.channel.network == herald::domain::text::Network::Mastodon)
        .ok_or("no mastodon variant")?;
    assert!(!masto.variant.detached);

    // A person follows the short link, then a headless browser: one click, one bot.
    let person = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .user_agent("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36")
        .build()?;
    let answer = person.get(&short).send().await?;
    assert!(answer.status().is_redirection(), "{}", answer.status());
    b.client.goto(&short).await?;
    b.wait_text("...").await?;
    b.goto(&post_path).await?;
    let row = b
        .wait_in(&format!("{bluesky} .links-table tbody tr"), "by bots")
        .await?;
    let clicks = b
        .find(&format!("{bluesky} .links-table tbody td.num"))
        .await?
        .text()
        .await?;
    assert_eq!(
        clicks.split_whitespace().collect::<Vec<_>>(),
        ["1", "+1", "by", "bots"],
        "{row}"
    );
    b.wait_in(&format!("{bluesky} .link-card"), "Huila & the farm")
        .await?;

    // The screenshot for people: the card and the tracked links under Bluesky's preview.
    b.client.set_window_size(1280, 1400).await?;
    b.client
        .execute(
            "document.querySelector('[data-network=bluesky] .preview-title').scrollIntoView({block: 'start'});",
            vec![],
        )
        .await?;
    b.wait_js(
        "const i = document.querySelector('[data-network=bluesky] .link-card-image'); return !!i && i.complete && i.naturalWidth > 0;",
    )
    .await?;
    std::fs::write("/tmp/composer-links.png", b.client.screenshot().await?)?;
    b.screenshot("composer-links").await?;
    b.client.set_window_size(360, 740).await?;
    b.client
        .execute(
            "document.querySelector('[data-network=bluesky] .links-table').scrollIntoView({block: 'center'});",
            vec![],
        )
        .await?;
    let scroll = b.scroll_width().await?;
    b.screenshot("mobile-composer-links").await?;
    assert!(scroll <= 360, "the composer is {scroll} px wide at 360 px");
    b.client.set_window_size(1280, 900).await?;

    // A page that does not answer in time: the card says so.
    b.fill(
        &format!("{bluesky} textarea[name=parts]"),
        &format!("Slow news: {site}/slow"),
    )
    .await?;
    b.wait_saved().await?;
    let none = b
        .wait_in(
            &format!("{bluesky} .link-card-none"),
            "did not answer within 5 seconds",
        )
        .await?;
    assert!(none.starts_with("127.0.0.1 No preview:"), "{none}");
    // The tracked links of the variant stay listed, with the button offered again.
    assert_eq!(
        b.count(&format!("{bluesky} .links-table tbody tr")).await?,
        1
    );
    b.find(&format!("{bluesky} .track-offer button")).await?;
    b.finish().await
}
