//! Upload limits, on every database. Each upload route takes what the product allows (a
//! 5 MB picture through the API; a CSV of 100,000 rows reaches the importer, which answers
//! that it has too many rows), and answers a file just over its limit with a 413 that
//! names the field and the limit: problem+json for the API, words for the media library's
//! upload line, a toast for the calendar's forms. Nothing is kept of a refused upload.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use herald::domain::ical::MAX_INPUT_BYTES;
use herald::services::imports::MAX_CSV_BYTES;

use crate::support::{Reply, TestApp, backends};

const BOUNDARY: &str = "herald-upload-limits";

/// A multipart form: `fields`, then `file`.
fn multipart(fields: &[(&str, &str)], file: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// Someone with a workspace: an API token, and a session (cookie, CSRF token) for the UI.
struct Person {
    token: String,
    ws: String,
    cookie: String,
    csrf: String,
}

async fn person(app: &TestApp) -> Person {
    let (_, token) = app.user("owner@example.com").await;
    let ws = app.workspace(&token, "Acme").await;
    let session = app
        .services()
        .login(
            "owner@example.com",
            "correct horse battery",
            "127.0.0.1",
            "t",
        )
        .await
        .unwrap();
    Person {
        token,
        ws,
        cookie: format!("herald_session={}", session.cookie_token),
        csrf: session.session.csrf_token,
    }
}

/// An API upload: the file as the raw body, or in a multipart form.
async fn api(app: &TestApp, p: &Person, path: &str, file: &[u8], form: bool) -> Reply {
    let (kind, body) = if form {
        (
            format!("multipart/form-data; boundary={BOUNDARY}"),
            multipart(&[], file),
        )
    } else {
        ("application/octet-stream".to_owned(), file.to_vec())
    };
    let request = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header(header::AUTHORIZATION, format!("Bearer {}", p.token))
        .header(header::CONTENT_TYPE, kind)
        .body(Body::from(body))
        .unwrap();
    app.send(request).await
}

/// A UI upload form, sent by htmx (or by app.js for the media library).
async fn ui(app: &TestApp, p: &Person, path: &str, fields: &[(&str, &str)], file: &[u8]) -> Reply {
    let request = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header(header::COOKIE, &p.cookie)
        .header("x-csrf-token", &p.csrf)
        .header("hx-request", "true")
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(Body::from(multipart(fields, file)))
        .unwrap();
    app.send(request).await
}

/// A 413 from the API: problem+json naming `file` and the limit.
fn api_too_large(reply: &Reply, limit: &str) {
    assert_eq!(
        reply.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        reply.text()
    );
    assert_eq!(reply.content_type(), "application/problem+json");
    let body = reply.json();
    assert_eq!(body["status"], 413);
    assert_eq!(reply.error_fields(), ["file"]);
    let message = body["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains(limit), "{message}");
}

/// A picture of noise (it does not compress) of about `bytes` as PNG.
fn noise_png(bytes: usize) -> Vec<u8> {
    let side = ((bytes / 3) as f64).sqrt().ceil() as u32;
    let mut seed: u32 = 0x2545_f491;
    let img = image::RgbImage::from_fn(side, side, |_, _| {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        let [a, b, c, _] = seed.to_le_bytes();
        image::Rgb([a, b, c])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// No half-received file is left behind.
fn spool_is_empty(app: &TestApp) {
    let dir = &app.services().media.spool_dir;
    let left: Vec<_> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "{left:?}");
}

#[tokio::test]
async fn a_five_megabyte_picture_is_taken_by_the_api() {
    for backend in backends() {
        let app = TestApp::new(backend).await;
        let p = person(&app).await;
        let picture = noise_png(5_200_000);
        assert!(picture.len() > 5_000_000, "{}", picture.len());
        let path = format!("/api/v1/workspaces/{}/media", p.ws);
        let reply = api(&app, &p, &path, &picture, true).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
        assert_eq!(reply.json()["bytes"], picture.len());
    }
}

#[tokio::test]
async fn media_just_over_the_limits_is_a_413_naming_the_file_and_the_limit() {
    for backend in backends() {
        let app = TestApp::with_config(backend, |c| {
            c.media_max_image_bytes = 500_000;
            c.media_max_video_bytes = 1_000_000;
        })
        .await;
        let p = person(&app).await;
        let api_path = format!("/api/v1/workspaces/{}/media", p.ws);
        let ui_path = format!("/w/{}/media", p.ws);

        // Over the largest file Herald stores here (a video's limit): refused as it comes.
        let over = vec![0u8; 1_000_001];
        api_too_large(&api(&app, &p, &api_path, &over, true).await, "1.0 MB");
        let fields = [("alt_text", "Too big")];
        let line = ui(&app, &p, &ui_path, &fields, &over).await;
        assert_eq!(
            line.status,
            StatusCode::PAYLOAD_TOO_LARGE,
            "{}",
            line.text()
        );
        assert_eq!(
            line.text(),
            "file: is larger than 1.0 MB, the most Herald accepts"
        );

        // A picture over the pictures' limit (though under the videos'): the same.
        let picture = noise_png(600_000);
        assert!((500_001..1_000_000).contains(&picture.len()));
        api_too_large(
            &api(&app, &p, &api_path, &picture, true).await,
            "pictures may be up to 0.5 MB",
        );
        let line = ui(&app, &p, &ui_path, &fields, &picture).await;
        assert_eq!(line.status, StatusCode::PAYLOAD_TOO_LARGE);
        assert!(line.text().starts_with("file: is 0."), "{}", line.text());
        spool_is_empty(&app);
        let listed = app.get(&api_path, &p.token).await.json();
        assert_eq!(listed["items"].as_array().unwrap().len(), 0, "nothing kept");
    }
}

/// A CSV of `rows` posts as people write them (about 150 bytes a row).
fn csv_rows(rows: usize) -> Vec<u8> {
    let mut out = String::from("text,channels,time,time_zone,tags\n");
    for i in 0..rows {
        out.push_str(&format!(
            "\"Our autumn blend, roast {i}, is back in the shop on Monday: \
             come taste it with us.\",@acme|@acme.bsky.social,\
             2026-10-05 09:30,Europe/Paris,autumn\n"
        ));
    }
    out.into_bytes()
}

#[tokio::test]
async fn csv_files_are_read_up_to_32_mb_and_refused_past_it() {
    for backend in backends() {
        let app = TestApp::new(backend).await;
        let p = person(&app).await;
        let api_path = format!("/api/v1/workspaces/{}/imports/posts.csv", p.ws);
        let ui_path = format!("/w/{}/calendar/import/posts", p.ws);

        // 100,000 rows (about 15 MB) reach the importer, which counts them.
        let many = csv_rows(100_000);
        assert!(many.len() > 10_000_000 && many.len() < MAX_CSV_BYTES);
        for form in [false, true] {
            let reply = api(&app, &p, &api_path, &many, form).await;
            assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{form}");
            assert!(
                reply.text().contains("more than 5000 rows"),
                "{}",
                reply.text()
            );
        }
        let back = [("back", "view=month&date=2026-10-01")];
        let reply = ui(&app, &p, &ui_path, &back, &many).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            reply.text().contains("more than 5000 rows"),
            "{}",
            reply.text()
        );

        // One byte over: a 413 naming the file and the limit, before anything is parsed.
        let over = vec![b'a'; MAX_CSV_BYTES + 1];
        for form in [false, true] {
            api_too_large(&api(&app, &p, &api_path, &over, form).await, "32 MB");
        }
        let reply = ui(&app, &p, &ui_path, &back, &over).await;
        assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
        let text = reply.text();
        assert!(text.contains("toast toast-error"), "a toast: {text}");
        assert!(text.contains("larger than 32 MB"), "{text}");
        let posts = app
            .get(&format!("/api/v1/workspaces/{}/posts", p.ws), &p.token)
            .await
            .json();
        assert_eq!(posts["items"].as_array().unwrap().len(), 0);
    }
}

#[tokio::test]
async fn ics_files_over_5_mb_are_a_413_naming_the_file_and_the_limit() {
    for backend in backends() {
        let app = TestApp::new(backend).await;
        let p = person(&app).await;
        let api_path = format!("/api/v1/workspaces/{}/calendar-events/import", p.ws);
        let over = vec![b' '; MAX_INPUT_BYTES + 1];
        for form in [false, true] {
            api_too_large(&api(&app, &p, &api_path, &over, form).await, "5 MB");
        }
        let ui_path = format!("/w/{}/calendar/events/import", p.ws);
        let fields = [("back", "view=month&date=2026-10-01"), ("kind", "holiday")];
        let reply = ui(&app, &p, &ui_path, &fields, &over).await;
        assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
        let text = reply.text();
        assert!(text.contains("toast toast-error"), "a toast: {text}");
        assert!(text.contains("the file is larger than 5 MB"), "{text}");

        // Just under the limit is read (and refused for what it says, not its size).
        let under = vec![b' '; MAX_INPUT_BYTES];
        let reply = api(&app, &p, &api_path, &under, true).await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            reply.text()
        );
    }
}
