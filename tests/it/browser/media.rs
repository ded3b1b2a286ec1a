//! The media library in a real browser: uploads through the file input with a progress bar
//! per file, refusals in words, search and filters narrowing the grid, alt text and a focal
//! point that stay saved, crops, delete (refused while a post uses the item), small screens.

use std::io::Cursor;
use std::path::Path;
use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, MOUSE_BUTTON_LEFT, MouseActions, PointerAction};
use herald::services::Actor;
use herald::services::media::MediaQuery;
use herald::services::posts::PostInput;
use uuid::Uuid;

use super::harness::{Browser, PASSWORD, TestResult, css, start, start_with};

const WAIT: Duration = Duration::from_secs(20);

/// Pictures above this many bytes are refused in this test's Herald.
const MAX_IMAGE_BYTES: u64 = 300_000;

/// A smooth picture (it compresses well), `width` × `height`.
fn smooth_png(width: u32, height: u32, tint: u8) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x * 255 / width) as u8, (y * 255 / height) as u8, tint])
    });
    encode(image::DynamicImage::ImageRgb8(img))
}

/// Noise, which PNG cannot shrink: well over `MAX_IMAGE_BYTES`.
fn noisy_png() -> Vec<u8> {
    let mut seed = 0x2545_f491_u32;
    let img = image::RgbImage::from_fn(500, 500, |_, _| {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        let [a, b, c, _] = seed.to_le_bytes();
        image::Rgb([a, b, c])
    });
    encode(image::DynamicImage::ImageRgb8(img))
}

fn encode(img: image::DynamicImage) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)
        .expect("encoding a PNG");
    out.into_inner()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("writing a test file");
    path.display().to_string()
}

/// Runs `script` (which returns a boolean) until it says true.
async fn until(b: &Browser, script: &str) -> TestResult {
    let deadline = Instant::now() + WAIT;
    loop {
        if b.client.execute(script, vec![]).await?.as_bool() == Some(true) {
            return Ok(());
        }
        if Instant::now() > deadline {
            let text = b.body_text().await.unwrap_or_default();
            return Err(format!("waited for {script}; the page says:\n{text}").into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The names in the grid, in order.
async fn tile_names(b: &Browser) -> Result<Vec<String>, Box<dyn std::error::Error>> {
    let names = b
        .client
        .execute(
            "return Array.from(document.querySelectorAll('#media-tiles .media-name')).map(a => a.textContent.trim());",
            vec![],
        )
        .await?;
    Ok(serde_json::from_value(names)?)
}

async fn wait_tiles(b: &Browser, want: &[&str]) -> TestResult {
    let deadline = Instant::now() + WAIT;
    loop {
        let names = tile_names(b).await?;
        if names == want {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(format!("the grid shows {names:?}, not {want:?}").into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The whole page as a PNG in /tmp, for people to look at after a run: the window grows
/// to the page's height for the picture, then goes back.
async fn shot(b: &Browser, name: &str) -> TestResult {
    let (width, height) = b.client.get_window_size().await?;
    let (width, height) = (width as u32, height as u32);
    let page = b
        .client
        .execute("return document.documentElement.scrollHeight;", vec![])
        .await?
        .as_u64()
        .unwrap_or(0) as u32;
    // The window's frame takes some of its height.
    let tall = page.clamp(height, 4000) + 140;
    b.client.set_window_size(width, tall).await?;
    std::fs::write(
        format!("/tmp/media-{name}.png"),
        b.client.screenshot().await?,
    )?;
    b.client.set_window_size(width, height).await?;
    Ok(())
}

/// An owner and their workspace, made in-process; then logged in.
async fn setup(b: &Browser) -> Result<(Uuid, Actor), Box<dyn std::error::Error>> {
    let owner = b.user("owner@example.com", true).await?;
    let ws = b
        .services
        .create_workspace(&owner, "Acme Coffee", "Europe/Paris")
        .await?
        .workspace
        .id;
    b.login("owner@example.com", PASSWORD).await?;
    Ok((ws, owner))
}

/// Empties a field with the keyboard, so the page hears it as typing.
async fn erase(b: &Browser, selector: &str) -> TestResult {
    let field = b.find(selector).await?;
    let length = field
        .prop("value")
        .await?
        .unwrap_or_default()
        .chars()
        .count();
    field.send_keys(&"\u{e003}".repeat(length)).await?;
    Ok(())
}

#[tokio::test]
async fn upload_search_describe_crop_and_delete() -> TestResult {
    let Some(b) = start_with(|c| c.media_max_image_bytes = MAX_IMAGE_BYTES).await else {
        return Ok(());
    };
    let (ws, actor) = setup(&b).await?;
    let files = tempfile::tempdir()?;
    // Wider than Instagram's 1.91:1, so Instagram gets a crop.
    let beans = write(files.path(), "beans.png", &smooth_png(800, 360, 40));
    let latte = write(files.path(), "latte art.png", &smooth_png(300, 300, 200));
    let notes = write(files.path(), "notes.png", b"Remember to buy milk.\n");
    let huge = write(files.path(), "huge.png", &noisy_png());
    assert!(std::fs::metadata(&huge)?.len() > MAX_IMAGE_BYTES);

    // The nav leads to the library, empty at first.
    b.goto(&format!("/w/{ws}")).await?;
    b.click(".subnav a[href$='/media']").await?;
    b.wait_at(&format!("/w/{ws}/media")).await?;
    b.wait_text("The library is empty").await?;

    // Two files at once, with alt text and a tag for both: two lines, each with its own
    // progress bar that reaches the end, and two tiles without a reload.
    b.fill("#upload-tags", "autumn").await?;
    b.find("#media-files")
        .await?
        .send_keys(&format!("{beans}\n{latte}"))
        .await?;
    until(
        &b,
        "const bars = document.querySelectorAll('.upload-item progress'); \
         return bars.length === 2 && Array.from(bars).every(p => p.value === 100) \
           && document.querySelectorAll('.upload-item.upload-done').length === 2;",
    )
    .await?;
    b.wait_in(".upload-list", "Uploaded").await?;
    until(
        &b,
        "return document.querySelectorAll('#media-tiles .media-tile').length === 2;",
    )
    .await?;
    assert!(
        b.client.find_all(css("#media-empty")).await?.is_empty(),
        "the empty message is gone"
    );
    let mut names = tile_names(&b).await?;
    names.sort();
    assert_eq!(names, ["beans.png", "latte art.png"]);
    let grid = b.find("#media-tiles").await?.text().await?;
    assert!(grid.contains("Alt text missing"), "{grid}");
    assert!(grid.contains("800 × 360"), "{grid}");
    assert!(grid.contains("#autumn"), "{grid}");
    // The thumbnails load through the session-authenticated UI route.
    until(
        &b,
        "return Array.from(document.querySelectorAll('#media-tiles img')).every(i => i.complete && i.naturalWidth > 0);",
    )
    .await?;

    // Refusals, in words, on each file's own line.
    b.find("#media-files").await?.send_keys(&notes).await?;
    let refused = b
        .wait_in(
            ".upload-item.upload-failed .upload-status",
            "is not a picture or video Herald accepts",
        )
        .await?;
    assert!(refused.starts_with("file: "), "{refused}");
    b.find("#media-files").await?.send_keys(&huge).await?;
    let refused = b
        .wait_in(
            ".upload-item.upload-failed:first-child .upload-status",
            "pictures may be up to 0.3 MB here",
        )
        .await?;
    assert!(refused.starts_with("file: is 0."), "{refused}");
    assert_eq!(
        b.count("#media-tiles .media-tile").await?,
        2,
        "refused files make no tile"
    );
    shot(&b, "library").await?;

    // Search narrows the grid as one types; the kind filter too; clearing brings all back.
    b.fill("#media-q", "latte").await?;
    wait_tiles(&b, &["latte art.png"]).await?;
    b.wait_in("#media-summary", "1 item match").await?;
    b.fill("#media-q", "zzz").await?;
    b.wait_text("Nothing matches").await?;
    erase(&b, "#media-q").await?;
    until(
        &b,
        "return document.querySelectorAll('#media-tiles .media-tile').length === 2;",
    )
    .await?;
    b.find("#media-kind")
        .await?
        .select_by_value("video")
        .await?;
    b.wait_text("Nothing matches").await?;
    b.find("#media-kind")
        .await?
        .select_by_value("image")
        .await?;
    until(
        &b,
        "return document.querySelectorAll('#media-tiles .media-tile').length === 2;",
    )
    .await?;
    // The filters are in the address, so a reload keeps them.
    b.fill("#media-q", "beans").await?;
    wait_tiles(&b, &["beans.png"]).await?;
    b.client.refresh().await?;
    wait_tiles(&b, &["beans.png"]).await?;
    assert_eq!(b.value("#media-q").await?, "beans");

    // The item: alt text with its counter and limits, tags, then the focal point.
    b.click("#media-tiles .media-name").await?;
    let item_path = b
        .wait_path(|p| p.starts_with(&format!("/w/{ws}/media/")))
        .await?;
    let id: Uuid = item_path.rsplit('/').next().unwrap_or_default().parse()?;
    b.find(".focal-picker img").await?;
    b.wait_text("Limits: Mastodon 1,500 · Bluesky 2,000 · X 1,000 · Threads 1,000 characters")
        .await?;
    b.fill("#alt_text", "Roasted beans on an oak table").await?;
    b.wait_in("#alt_text-count", "29 characters").await?;
    b.fill("#tags", "autumn, beans").await?;
    b.click(".media-edit button[type=submit]").await?;
    b.wait_in("#toasts", "Saved.").await?;
    // Alt text longer than X takes: the counter says so as one types.
    b.type_in("#alt_text", &" and more".repeat(120)).await?;
    b.wait_in("#alt_text-count", "too long for X and Threads")
        .await?;

    // Instagram's crop before the focal point moves.
    let crop_src = b
        .find(".crop-instagram img")
        .await?
        .attr("src")
        .await?
        .unwrap_or_default();
    let img = b.find(".focal-picker img").await?;
    let (_, _, w, h) = img.rectangle().await?;
    let click = MouseActions::new("mouse".into())
        .then(PointerAction::MoveToElement {
            element: img.clone(),
            duration: None,
            x: -w / 4.0,
            y: h / 4.0,
        })
        .then(PointerAction::Down {
            button: MOUSE_BUTTON_LEFT,
        })
        .then(PointerAction::Up {
            button: MOUSE_BUTTON_LEFT,
        });
    b.client.perform_actions(click).await?;
    b.wait_in("#toasts", "Focal point saved").await?;
    let x: f64 = b.value("#focal-x").await?.parse()?;
    let y: f64 = b.value("#focal-y").await?.parse()?;
    assert!((x - 25.0).abs() < 2.0 && (y - 75.0).abs() < 2.0, "{x}, {y}");
    // The crop preview is redrawn for the new point, and loads.
    until(
        &b,
        &format!(
            "const i = document.querySelector('.crop-instagram img'); \
             return !!i && i.getAttribute('src') !== {crop_src:?} && i.complete && i.naturalWidth > 0;"
        ),
    )
    .await?;
    b.wait_text("Used as is on").await?;
    shot(&b, "item").await?;

    // After a reload, all of it is still there (the over-long alt text was never saved).
    b.client.refresh().await?;
    b.find(".focal-picker img").await?;
    assert_eq!(b.value("#alt_text").await?, "Roasted beans on an oak table");
    assert_eq!(b.value("#tags").await?, "autumn, beans");
    let saved_x: f64 = b.value("#focal-x").await?.parse()?;
    assert!((saved_x - x).abs() < 0.01, "{saved_x} after {x}");
    let marker = b
        .find(".focal-ring")
        .await?
        .attr("cx")
        .await?
        .unwrap_or_default();
    assert_eq!(marker, format!("{x}%"));
    let item = b.services.get_media(&actor, ws, id).await?;
    assert_eq!(item.media.alt_text, "Roasted beans on an oak table");
    assert!(
        (item.media.focal_x - 0.25).abs() < 0.02,
        "{}",
        item.media.focal_x
    );
    assert!(
        (item.media.focal_y - 0.75).abs() < 0.02,
        "{}",
        item.media.focal_y
    );

    // The grid no longer flags its alt text.
    b.goto(&format!("/w/{ws}/media?q=beans")).await?;
    wait_tiles(&b, &["beans.png"]).await?;
    let tile = b.find("#media-tiles .media-tile").await?.text().await?;
    assert!(!tile.contains("Alt text missing"), "{tile}");

    // A post uses the latte: deleting it is refused, in words that count the posts.
    let (latte_items, _) = b
        .services
        .list_media(
            &actor,
            ws,
            &MediaQuery {
                text: Some("latte".into()),
                ..Default::default()
            },
        )
        .await?;
    let latte_id = latte_items[0].media.id;
    let post = b
        .services
        .create_post(
            &actor,
            ws,
            PostInput {
                text: Some("Latte art Friday".into()),
                media_ids: Some(vec![latte_id]),
                ..Default::default()
            },
        )
        .await?;
    b.goto(&format!("/w/{ws}/media/{latte_id}")).await?;
    b.wait_text("Latte art Friday").await?;
    let used = b
        .find(".used-in a")
        .await?
        .attr("href")
        .await?
        .unwrap_or_default();
    assert_eq!(used, format!("/w/{ws}/posts/{}", post.post.id));
    b.click(".danger-zone button").await?;
    b.click(".danger-zone button[data-armed]").await?;
    b.wait_in("#toasts", "is used by 1 post").await?;
    b.wait_at(&format!("/w/{ws}/media/{latte_id}")).await?;

    // The beans are not used: deleting them goes back to the library without them.
    b.goto(&format!("/w/{ws}/media/{id}")).await?;
    b.click(".danger-zone button").await?;
    b.click(".danger-zone button[data-armed]").await?;
    b.wait_at(&format!("/w/{ws}/media")).await?;
    b.wait_in("#toasts", "“beans.png” was deleted.").await?;
    wait_tiles(&b, &["latte art.png"]).await?;
    b.finish().await
}

#[tokio::test]
async fn the_library_fits_a_small_phone() -> TestResult {
    let Some(b) = start().await else {
        return Ok(());
    };
    let (ws, _) = setup(&b).await?;
    let files = tempfile::tempdir()?;
    let names = [
        "a rather long file name from the camera IMG_20261126_141502.png",
        "cup.png",
        "roastery.png",
    ];
    let mut paths: Vec<String> = names
        .iter()
        .enumerate()
        .map(|(i, n)| write(files.path(), n, &smooth_png(640, 480, (i * 80) as u8)))
        .collect();
    // A video: a dark tile with ▶ and its length, no picture.
    paths.push(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/media/clip.mp4")
            .display()
            .to_string(),
    );
    b.client.set_window_size(360, 740).await?;
    b.goto(&format!("/w/{ws}/media")).await?;
    b.find("#media-files")
        .await?
        .send_keys(&paths.join("\n"))
        .await?;
    until(
        &b,
        "return document.querySelectorAll('#media-tiles .media-tile').length === 4;",
    )
    .await?;
    let video = b.find("#media-tiles .media-video").await?.text().await?;
    assert!(
        video.contains("▶") && video.contains("Video") && video.contains("00:0"),
        "{video}"
    );
    assert!(!video.contains("Alt text missing"), "{video}");
    let scroll = b.scroll_width().await?;
    shot(&b, "mobile-library").await?;
    assert!(scroll <= 360, "the library is {scroll} px wide at 360 px");
    // Two tiles a row, side by side.
    let columns = b
        .client
        .execute(
            "const t = Array.from(document.querySelectorAll('#media-tiles .media-tile')); \
             return new Set(t.map(e => Math.round(e.getBoundingClientRect().top))).size;",
            vec![],
        )
        .await?;
    assert_eq!(columns.as_i64(), Some(2), "four tiles sit on two rows");
    b.fill("#media-q", "cup").await?;
    wait_tiles(&b, &["cup.png"]).await?;

    b.click("#media-tiles .media-name").await?;
    b.find(".focal-picker img").await?;
    let scroll = b.scroll_width().await?;
    shot(&b, "mobile-item").await?;
    assert!(scroll <= 360, "the item page is {scroll} px wide at 360 px");
    b.finish().await
}
