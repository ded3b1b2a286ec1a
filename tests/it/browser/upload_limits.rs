//! Upload limits in a real browser: a file over a form's limit is refused at once, in
//! words, without being sent (`app.js` reads the form's `data-max-bytes`): in the media
//! library on the file's own line, on the calendar's .ics form in a toast, with the field
//! emptied. The server's own 413s are in `tests/it/uploads.rs`. Screenshots in
//! `target-screenshots/upload-limit-*.png`.

use herald::domain::ical::MAX_INPUT_BYTES;

use super::harness::{Browser, PASSWORD, TestResult, start_with};

/// How many requests the page sent to an address ending in `end`.
async fn sent_to(b: &Browser, end: &str) -> Result<u64, Box<dyn std::error::Error>> {
    let n = b
        .client
        .execute(
            "return performance.getEntriesByType('resource').filter(function (e) { \
             return e.initiatorType === 'xmlhttprequest' && e.name.endsWith(arguments[0]); \
             }).length;",
            vec![serde_json::json!(end)],
        )
        .await?;
    Ok(n.as_u64().unwrap_or(0))
}

#[tokio::test]
async fn files_over_the_limit_are_refused_before_they_are_sent() -> TestResult {
    let Some(b) = start_with(|c| {
        c.media_max_image_bytes = 500_000;
        c.media_max_video_bytes = 1_000_000;
    })
    .await
    else {
        return Ok(());
    };
    let owner = b.user("owner@example.com", true).await?;
    let ws = b
        .services
        .create_workspace(&owner, "Acme Coffee", "Europe/Paris")
        .await?
        .workspace
        .id;
    let files = tempfile::tempdir()?;
    let video = files.path().join("trailer.mp4");
    std::fs::write(&video, vec![0u8; 1_200_000])?;
    let ics = files.path().join("holidays.ics");
    std::fs::write(&ics, vec![b' '; MAX_INPUT_BYTES + 1])?;
    b.login("owner@example.com", PASSWORD).await?;

    // The media library: the file's line says why, and nothing went out.
    b.goto(&format!("/w/{ws}/media")).await?;
    b.find("#media-files")
        .await?
        .send_keys(&video.display().to_string())
        .await?;
    let line = b
        .wait_in(
            ".upload-item.upload-failed .upload-status",
            "the most Herald accepts",
        )
        .await?;
    assert_eq!(
        line,
        "file: is 1.2 MB, larger than 1.0 MB, the most Herald accepts"
    );
    assert_eq!(sent_to(&b, "/media").await?, 0, "not sent");
    b.screenshot("upload-limit-media").await?;

    // The calendar's .ics form: a toast, and the field emptied so the form is not sent.
    b.goto(&format!("/w/{ws}/calendar")).await?;
    b.find("#ics-file")
        .await?
        .send_keys(&ics.display().to_string())
        .await?;
    b.wait_in("#toasts", "holidays.ics is larger than 5 MB")
        .await?;
    assert_eq!(b.value("#ics-file").await?, "", "emptied");
    assert_eq!(sent_to(&b, "/calendar/events/import").await?, 0);
    b.screenshot("upload-limit-calendar").await?;
    b.finish().await
}
