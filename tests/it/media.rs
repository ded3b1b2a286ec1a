//! The media library through the API, on every database: upload, search, edit, where used,
//! per-network rules in posts, crops, delete, and the bad inputs.

use std::io::Cursor;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::{Value, json};

use crate::support::test_app::channel;
use crate::support::{Backend, Reply, TestApp, backends};

const BOUNDARY: &str = "herald-test-boundary-7d1f";

/// A multipart/form-data body with text fields and an optional `file`.
fn multipart(fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    if let Some((file_name, bytes)) = file {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

pub async fn upload(
    app: &TestApp,
    token: &str,
    ws: &str,
    fields: &[(&str, &str)],
    file: Option<(&str, &[u8])>,
) -> Reply {
    let request = Request::builder()
        .method(Method::POST)
        .uri(format!("/api/v1/workspaces/{ws}/media"))
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(Body::from(multipart(fields, file)))
        .expect("request");
    app.send(request).await
}

/// A picture with some texture, encoded in `format`.
fn picture(width: u32, height: u32, format: image::ImageFormat) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([
            (x * 7 % 256) as u8,
            (y * 5 % 256) as u8,
            ((x + y) % 256) as u8,
        ])
    });
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, format).expect("encode");
    out.into_inner()
}

pub fn png(width: u32, height: u32) -> Vec<u8> {
    picture(width, height, image::ImageFormat::Png)
}

fn jpeg(width: u32, height: u32) -> Vec<u8> {
    picture(width, height, image::ImageFormat::Jpeg)
}

async fn setup(backend: Backend) -> (TestApp, String, String) {
    let app = TestApp::new(backend).await;
    let (_, token) = app.user("owner@example.com").await;
    let ws = app.workspace(&token, "Acme").await;
    (app, token, ws)
}

#[tokio::test]
async fn upload_search_edit_and_read_back() {
    for backend in backends() {
        let (app, token, ws) = setup(backend).await;
        let reply = upload(
            &app,
            &token,
            &ws,
            &[("alt_text", "Beans on a table"), ("tags", "beans, autumn")],
            Some(("../../roast day.png", &png(300, 200))),
        )
        .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
        let item = reply.json();
        assert_eq!(
            item["name"], "roast day.png",
            "only the last path segment is kept"
        );
        assert_eq!(
            (item["width"].as_i64(), item["height"].as_i64()),
            (Some(300), Some(200))
        );
        assert_eq!(item["format"], "png");
        assert_eq!(item["kind"], "image");
        assert_eq!(item["alt_text"], "Beans on a table");
        assert_eq!(item["tags"].as_array().unwrap().len(), 2);
        let id = item["id"].as_str().unwrap().to_owned();

        // The same bytes again give the same item.
        let again = upload(&app, &token, &ws, &[], Some(("copy.png", &png(300, 200))))
            .await
            .json();
        assert_eq!(again["id"], item["id"]);

        let file = app.get(item["url"].as_str().unwrap(), &token).await;
        assert_eq!(file.status, StatusCode::OK);
        assert_eq!(file.content_type(), "image/png");
        assert_eq!(file.headers["x-content-type-options"], "nosniff");
        let decoded = image::load_from_memory(&file.body).expect("a picture");
        assert_eq!((decoded.width(), decoded.height()), (300, 200));
        let thumb = app
            .get(item["thumbnail_url"].as_str().unwrap(), &token)
            .await;
        assert_eq!(thumb.status, StatusCode::OK);
        image::load_from_memory(&thumb.body).expect("the thumbnail is a picture");

        upload(&app, &token, &ws, &[], Some(("cup.jpg", &jpeg(120, 160)))).await;
        let list = |q: &'static str| {
            let app = &app;
            let token = &token;
            let ws = &ws;
            async move {
                app.get(&format!("/api/v1/workspaces/{ws}/media{q}"), token)
                    .await
                    .json()
            }
        };
        assert_eq!(list("").await["items"].as_array().unwrap().len(), 2);
        let by_name = list("?q=ROAST").await;
        assert_eq!(by_name["items"].as_array().unwrap().len(), 1);
        assert_eq!(by_name["items"][0]["id"], id.as_str());
        assert_eq!(
            list("?q=table").await["items"].as_array().unwrap().len(),
            1,
            "alt text is searched too"
        );
        assert_eq!(
            list("?q=%25").await["items"].as_array().unwrap().len(),
            0,
            "% matches itself"
        );
        assert_eq!(
            list("?tag=autumn").await["items"].as_array().unwrap().len(),
            1
        );
        assert_eq!(
            list("?tag=nosuch").await["items"].as_array().unwrap().len(),
            0
        );
        assert_eq!(
            list("?kind=video").await["items"].as_array().unwrap().len(),
            0
        );
        let bad_kind = app
            .get(&format!("/api/v1/workspaces/{ws}/media?kind=pdf"), &token)
            .await;
        assert_eq!(bad_kind.error_fields(), vec!["kind"]);

        let edited = app
            .patch(&format!("/api/v1/workspaces/{ws}/media/{id}"), &token,
                json!({"alt_text": "  Roasted beans  ", "focal_point": {"x": 0.2, "y": 0.5}, "tags": ["beans"]}))
            .await;
        assert_eq!(edited.status, StatusCode::OK, "{}", edited.text());
        let edited = edited.json();
        assert_eq!(edited["alt_text"], "Roasted beans");
        assert_eq!(edited["focal_point"]["x"], json!(0.2));
        assert_eq!(edited["tags"].as_array().unwrap().len(), 1);
        let bad = app
            .patch(
                &format!("/api/v1/workspaces/{ws}/media/{id}"),
                &token,
                json!({"focal_point": {"x": 1.5, "y": 0.5}, "alt_text": "a\u{0}b"}),
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(bad.error_fields(), vec!["alt_text", "focal_point"]);
        let unchanged = app
            .get(&format!("/api/v1/workspaces/{ws}/media/{id}"), &token)
            .await
            .json();
        assert_eq!(
            unchanged["alt_text"], "Roasted beans",
            "a refused edit changes nothing"
        );
    }
}

#[tokio::test]
async fn posts_show_media_and_each_network_says_what_it_refuses() {
    for backend in backends() {
        let (app, token, ws) = setup(backend).await;
        let x = channel(&app, &token, &ws, "x").await;
        let instagram = channel(&app, &token, &ws, "instagram").await;
        let mut ids = Vec::new();
        for i in 0..5 {
            let item = upload(
                &app,
                &token,
                &ws,
                &[],
                Some((&format!("p{i}.png"), &png(300 + i, 100))),
            )
            .await
            .json();
            ids.push(item["id"].as_str().unwrap().to_owned());
        }
        let post = app
            .post(
                &format!("/api/v1/workspaces/{ws}/posts"),
                &token,
                json!({"text": "Five pictures", "channel_ids": [x, instagram], "media_ids": ids}),
            )
            .await;
        assert_eq!(post.status, StatusCode::CREATED, "{}", post.text());
        let post = post.json();
        assert_eq!(post["media"].as_array().unwrap().len(), 5);
        assert_eq!(
            post["media"][0]["id"],
            ids[0].as_str(),
            "in the order given"
        );
        let codes = |network: &str| -> Vec<String> {
            post["variants"]
                .as_array()
                .unwrap()
                .iter()
                .find(|v| v["network"] == network)
                .unwrap()["media_problems"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["code"].as_str().unwrap().to_owned())
                .collect()
        };
        assert!(
            codes("x").contains(&"too_many_media".to_owned()),
            "{:?}",
            codes("x")
        );
        let variant_x = post["variants"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["network"] == "x")
            .unwrap();
        assert_eq!(variant_x["valid"], false);
        assert_eq!(
            codes("instagram"),
            vec!["too_many_media"],
            "3:1 pictures are outside Instagram's 4:5 to 1.91:1, but Herald crops them for it"
        );

        // The workspace requires alt text: each picture without it is named.
        let settings = app
            .patch(
                &format!("/api/v1/workspaces/{ws}"),
                &token,
                json!({"require_alt_text": true}),
            )
            .await;
        assert_eq!(settings.status, StatusCode::OK, "{}", settings.text());
        let post_id = post["id"].as_str().unwrap();
        let one = app
            .patch(
                &format!("/api/v1/workspaces/{ws}/posts/{post_id}"),
                &token,
                json!({"media_ids": [ids[0]]}),
            )
            .await
            .json();
        let x_variant = one["variants"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["network"] == "x")
            .unwrap()
            .clone();
        let problems: Vec<&Value> = x_variant["media_problems"]
            .as_array()
            .unwrap()
            .iter()
            .collect();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0]["code"], "alt_text_missing");
        assert_eq!(problems[0]["index"], 0);

        // Instagram's crop: cut around the focal point to the nearest accepted shape.
        let crop = app
            .get(
                &format!(
                    "/api/v1/workspaces/{ws}/media/{}/renditions/instagram",
                    ids[0]
                ),
                &token,
            )
            .await;
        assert_eq!(crop.status, StatusCode::OK, "{}", crop.text());
        let cropped = image::load_from_memory(&crop.body).expect("a picture");
        let ratio = cropped.width() as f32 / cropped.height() as f32;
        assert!((ratio - 1.91).abs() < 0.02, "{ratio}");
        assert!(crop.headers.contains_key("x-herald-cropped"));
        let as_is = app
            .get(
                &format!("/api/v1/workspaces/{ws}/media/{}/renditions/x", ids[0]),
                &token,
            )
            .await;
        assert!(
            !as_is.headers.contains_key("x-herald-cropped"),
            "X takes the picture as it is"
        );

        // Where used, and no deleting from under a post.
        let item = app
            .get(&format!("/api/v1/workspaces/{ws}/media/{}", ids[0]), &token)
            .await
            .json();
        assert_eq!(item["used_in"][0]["post_id"], post_id);
        let refused = app
            .delete(&format!("/api/v1/workspaces/{ws}/media/{}", ids[0]), &token)
            .await;
        assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.text());
        assert!(
            refused.json()["detail"]
                .as_str()
                .unwrap()
                .contains("1 post")
        );
        app.patch(
            &format!("/api/v1/workspaces/{ws}/posts/{post_id}"),
            &token,
            json!({"media_ids": []}),
        )
        .await;
        let deleted = app
            .delete(&format!("/api/v1/workspaces/{ws}/media/{}", ids[0]), &token)
            .await;
        assert_eq!(deleted.status, StatusCode::NO_CONTENT);
        let gone = app
            .get(
                &format!("/api/v1/workspaces/{ws}/media/{}/file", ids[0]),
                &token,
            )
            .await;
        assert_eq!(gone.status, StatusCode::NOT_FOUND);

        // Another workspace's item cannot be attached, and its id reveals nothing.
        let other_ws = app.workspace(&token, "Other").await;
        let theirs = upload(
            &app,
            &token,
            &other_ws,
            &[],
            Some(("theirs.png", &png(50, 50))),
        )
        .await
        .json();
        let refused = app
            .patch(
                &format!("/api/v1/workspaces/{ws}/posts/{post_id}"),
                &token,
                json!({"media_ids": [ids[1], theirs["id"], ids[1]]}),
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(refused.error_fields(), vec!["media_ids[1]", "media_ids[2]"]);
        let theirs_id = theirs["id"].as_str().unwrap();
        let hidden = app
            .get(
                &format!("/api/v1/workspaces/{ws}/media/{theirs_id}"),
                &token,
            )
            .await;
        assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn videos_are_probed_for_duration_and_size() {
    for backend in backends() {
        let (app, token, ws) = setup(backend).await;
        let clip = std::fs::read("tests/fixtures/media/clip.mp4").expect("fixture");
        let reply = upload(&app, &token, &ws, &[], Some(("clip.mp4", &clip))).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
        let item = reply.json();
        assert_eq!(item["kind"], "video");
        assert_eq!(
            (item["width"].as_i64(), item["height"].as_i64()),
            (Some(320), Some(240))
        );
        let ms = item["duration_ms"].as_i64().unwrap();
        assert!((1900..=2100).contains(&ms), "{ms}");
        let file = app.get(item["url"].as_str().unwrap(), &token).await;
        assert_eq!(file.body.len(), clip.len());
        assert_eq!(file.content_type(), "video/mp4");

        let mov = std::fs::read("tests/fixtures/media/clip.mov").expect("fixture");
        let item = upload(&app, &token, &ws, &[], Some(("clip.mov", &mov)))
            .await
            .json();
        assert_eq!(item["format"], "mov");

        let truncated = upload(
            &app,
            &token,
            &ws,
            &[],
            Some(("cut.mp4", &clip[..clip.len() / 3])),
        )
        .await;
        assert_eq!(
            truncated.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            truncated.text()
        );
        assert_eq!(truncated.error_fields(), vec!["file"]);
    }
}

#[tokio::test]
async fn bad_uploads_are_named_and_nothing_is_stored() {
    let app = TestApp::with_config(Backend::Sqlite, |c| {
        c.media_max_image_bytes = 200_000;
        c.media_max_pixels = 4_000_000;
    })
    .await;
    let (_, token) = app.user("owner@example.com").await;
    let ws = app.workspace(&token, "Acme").await;
    let png_bytes = png(400, 300);
    // Bytes that are not a picture are invalid (422); a picture over the limit is too large
    // (413).
    let invalid = StatusCode::UNPROCESSABLE_ENTITY;
    let too_large = StatusCode::PAYLOAD_TOO_LARGE;
    let cases: Vec<(&str, Vec<u8>, &str, StatusCode)> = vec![
        ("empty.png", Vec::new(), "is empty", invalid),
        (
            "notes.png",
            b"just some text, not a picture".to_vec(),
            "is not a picture or video",
            invalid,
        ),
        (
            "doc.pdf",
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj".to_vec(),
            "is not a picture or video",
            invalid,
        ),
        (
            "cut.png",
            png_bytes[..png_bytes.len() / 2].to_vec(),
            "",
            invalid,
        ),
        (
            "huge.jpg",
            jpeg(2500, 2000),
            "pictures may be up to 0.2 MB",
            too_large,
        ),
        ("noise.png", noise_png(300, 300), "MB", too_large),
    ];
    for (name, bytes, words, status) in cases {
        let reply = upload(&app, &token, &ws, &[], Some((name, &bytes))).await;
        assert_eq!(reply.status, status, "{name}: {}", reply.text());
        assert_eq!(reply.error_fields(), vec!["file"], "{name}");
        let detail = reply.json()["detail"].as_str().unwrap().to_owned();
        assert!(detail.contains(words), "{name}: {detail}");
    }
    let missing = upload(&app, &token, &ws, &[("alt_text", "x")], None).await;
    assert_eq!(missing.error_fields(), vec!["file"]);
    let json_body = app
        .post(
            &format!("/api/v1/workspaces/{ws}/media"),
            &token,
            json!({"file": "x"}),
        )
        .await;
    assert_eq!(json_body.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(json_body.error_fields(), vec!["body"]);
    let long_alt = "a".repeat(2_001);
    let reply = upload(
        &app,
        &token,
        &ws,
        &[("alt_text", &long_alt)],
        Some(("ok.png", &png(10, 10))),
    )
    .await;
    assert_eq!(reply.error_fields(), vec!["alt_text"]);

    let list = app
        .get(&format!("/api/v1/workspaces/{ws}/media"), &token)
        .await
        .json();
    assert_eq!(
        list["items"].as_array().unwrap().len(),
        0,
        "nothing was stored"
    );
    let spool = app.app.state.services.media.spool_dir.clone();
    assert_eq!(
        std::fs::read_dir(spool).unwrap().count(),
        0,
        "no spooled file is left behind"
    );
}

/// Random pixels do not compress: a PNG well over the 200 kB test limit.
fn noise_png(width: u32, height: u32) -> Vec<u8> {
    let mut seed = 0x2545_f491_u32;
    let img = image::RgbImage::from_fn(width, height, |_, _| {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        let [a, b, c, _] = seed.to_le_bytes();
        image::Rgb([a, b, c])
    });
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)
        .expect("encode");
    out.into_inner()
}
