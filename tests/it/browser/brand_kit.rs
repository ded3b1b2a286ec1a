//! The brand kit page in a real browser: a manager picks the logo and the cover from the
//! library, adds a colour, saves, sees every network's image drawn with its safe zones, finds
//! the zip, and submits the set for review.

use std::io::Cursor;

use herald::services::media::Upload;
use herald::services::{Actor, Services};
use uuid::Uuid;

use super::harness::{PASSWORD, TestResult, css, start};

/// A picture that looks like something: a two-colour gradient with a disc in the middle,
/// so the screenshot shows where the crops and masks fall.
fn picture(width: u32, height: u32, from: [u8; 3], to: [u8; 3]) -> Vec<u8> {
    let (cx, cy) = (width as f32 / 2.0, height as f32 / 2.0);
    let r = width.min(height) as f32 * 0.3;
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        let dx = x as f32 - cx;
        let dy = y as f32 - cy;
        if (dx * dx + dy * dy).sqrt() < r {
            return image::Rgb([255, 255, 255]);
        }
        let t = (x + y) as f32 / (width + height) as f32;
        let mix = |a: u8, b: u8| (a as f32 + (b as f32 - a as f32) * t) as u8;
        image::Rgb([
            mix(from[0], to[0]),
            mix(from[1], to[1]),
            mix(from[2], to[2]),
        ])
    });
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)
        .expect("encode");
    out.into_inner()
}

/// Puts a picture in the library as an upload would (the service removes the file).
async fn library_picture(
    services: &Services,
    actor: &Actor,
    ws: Uuid,
    name: &str,
    bytes: &[u8],
) -> Result<Uuid, Box<dyn std::error::Error>> {
    let path = std::env::temp_dir().join(format!("herald-brand-test-{}", Uuid::new_v4()));
    std::fs::write(&path, bytes)?;
    let item = services
        .upload_media(
            actor,
            ws,
            Upload {
                file_name: name.to_owned(),
                path,
                bytes: bytes.len() as u64,
                alt_text: String::new(),
                tags: Vec::new(),
            },
        )
        .await?;
    Ok(item.media.id)
}

#[tokio::test]
async fn a_manager_picks_pictures_sees_safe_zones_and_submits_for_review() -> TestResult {
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
    let logo = library_picture(
        &b.services,
        &owner,
        ws,
        "acme-logo.png",
        &picture(800, 800, [59, 91, 219], [112, 72, 232]),
    )
    .await?;
    let cover = library_picture(
        &b.services,
        &owner,
        ws,
        "roastery.png",
        &picture(1800, 700, [245, 159, 0], [201, 42, 42]),
    )
    .await?;
    b.login("owner@example.com", PASSWORD).await?;

    b.goto(&format!("/w/{ws}")).await?;
    b.click("nav.subnav a[href$='/brand']").await?;
    b.wait_at(&format!("/w/{ws}/brand")).await?;
    b.wait_text("Choose a logo or a cover picture").await?;
    assert_eq!(b.find("#review-status").await?.text().await?, "Draft");

    b.click(&format!("input[name=logo_media_id][value='{logo}']"))
        .await?;
    b.click(&format!("input[name=cover_media_id][value='{cover}']"))
        .await?;
    b.click("#add-color").await?;
    b.wait_text("Not saved yet").await?;
    // The answer redrew the form with the choices as they were made.
    assert!(
        b.find(&format!("input[name=logo_media_id][value='{logo}']"))
            .await?
            .prop("checked")
            .await?
            .is_some_and(|v| v == "true")
    );
    // The picker's colour (set as the picker would) is what is saved, its code beside it.
    b.client
        .execute(
            "const c = document.getElementById('color-0'); c.value = '#ff8800';
             c.dispatchEvent(new Event('input', {bubbles: true}));",
            vec![],
        )
        .await?;
    assert_eq!(b.find("#color-0-hex").await?.text().await?, "#ff8800");
    b.click("#save-kit").await?;
    b.wait_text("Brand kit saved.").await?;

    let detail = b.services.brand_kit(&owner, ws).await?;
    assert_eq!(detail.kit.logo_media_id, Some(logo));
    assert_eq!(detail.kit.cover_media_id, Some(cover));
    assert_eq!(detail.kit.colors, "#ff8800");

    // Every image, drawn with its zones and masks.
    let previews = b.client.find_all(css("svg.profile-preview image")).await?;
    assert_eq!(previews.len(), 12);
    assert!(!b.client.find_all(css("rect.zone-keep")).await?.is_empty());
    assert!(
        !b.client
            .find_all(css("rect.zone-covered"))
            .await?
            .is_empty()
    );
    assert!(
        !b.client
            .find_all(css("path.mask-outside"))
            .await?
            .is_empty()
    );
    b.wait_text("1500 × 500 px, JPEG").await?;
    b.wait_text("hidden behind the profile picture").await?;
    // The browser really gets the images, at their exact size.
    let size = b
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             const href = document.querySelector('[data-file=\"x-avatar-400x400.png\"] image').getAttribute('href');
             fetch(href).then(r => r.blob()).then(b => createImageBitmap(b))
               .then(i => done([i.width, i.height]), e => done(String(e)));",
            vec![],
        )
        .await?;
    assert_eq!(size, serde_json::json!([400, 400]));
    let zip = b
        .find("#download-zip")
        .await?
        .attr("href")
        .await?
        .unwrap_or_default();
    assert_eq!(zip, format!("/w/{ws}/brand/images.zip"));

    b.client.set_window_size(1280, 4200).await?;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    b.screenshot("brand-kit").await?;
    b.client.set_window_size(1280, 900).await?;

    b.click("#review-submit").await?;
    b.wait_in("#review-status", "In review").await?;
    b.wait_text("Submitted by").await?;
    let detail = b.services.brand_kit(&owner, ws).await?;
    assert_eq!(detail.kit.review_status, "in_review");

    // Small screens: nothing runs off the side.
    b.client.set_window_size(360, 740).await?;
    b.goto(&format!("/w/{ws}/brand")).await?;
    b.wait_text("Profile pictures and banners").await?;
    assert!(b.scroll_width().await? <= 360);
    b.client.set_window_size(360, 5200).await?;
    b.screenshot("brand-kit-mobile").await?;
    b.finish().await
}
