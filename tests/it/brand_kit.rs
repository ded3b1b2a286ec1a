//! The brand kit through the API, on every database: logo and cover from the library, every
//! network's profile image at its exact size, the zip, the review flow with its roles and
//! refused transitions, and the bad inputs.

use std::io::{Cursor, Read};

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::media::{png, upload};
use crate::support::{Backend, TestApp, backends};

async fn setup(backend: Backend) -> (TestApp, String, String) {
    let app = TestApp::new(backend).await;
    let (_, token) = app.user("owner@example.com").await;
    let ws = app.workspace(&token, "Acme").await;
    (app, token, ws)
}

/// Uploads a picture to the library; returns its id.
async fn picture(app: &TestApp, token: &str, ws: &str, name: &str, bytes: &[u8]) -> String {
    let reply = upload(app, token, ws, &[], Some((name, bytes))).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    reply.json()["id"].as_str().expect("id").to_owned()
}

fn kit_path(ws: &str) -> String {
    format!("/api/v1/workspaces/{ws}/brand-kit")
}

async fn review(app: &TestApp, token: &str, ws: &str, action: &str, note: &str) -> Value {
    let reply = app
        .post(
            &format!("{}/review", kit_path(ws)),
            token,
            json!({"action": action, "note": note}),
        )
        .await;
    json!({"status": reply.status.as_u16(), "body": reply.json()})
}

#[tokio::test]
async fn every_profile_image_at_its_exact_size_and_all_in_a_zip() {
    for backend in backends() {
        let (app, token, ws) = setup(backend).await;
        let empty = app.get(&kit_path(&ws), &token).await;
        assert_eq!(empty.status, StatusCode::OK, "{}", empty.text());
        let empty = empty.json();
        assert_eq!(empty["review_status"], "draft");
        assert!(
            empty["profile_images"]
                .as_array()
                .unwrap()
                .iter()
                .all(|i| i["url"].is_null()),
            "nothing to make images from yet"
        );

        let logo = picture(&app, &token, &ws, "logo.png", &png(600, 600)).await;
        let cover = picture(&app, &token, &ws, "cover.png", &png(1200, 400)).await;
        let saved = app
            .patch(
                &kit_path(&ws),
                &token,
                json!({"logo_media_id": logo, "cover_media_id": cover, "colors": ["#2563EB", " #f59f00", "#2563eb"]}),
            )
            .await;
        assert_eq!(saved.status, StatusCode::OK, "{}", saved.text());
        let kit = saved.json();
        assert_eq!(kit["logo"]["id"], logo.as_str());
        assert_eq!(kit["cover"]["id"], cover.as_str());
        assert_eq!(
            kit["colors"],
            json!(["#2563eb", "#f59f00"]),
            "trimmed, lower case, no repeats"
        );
        let images = kit["profile_images"].as_array().unwrap().clone();
        assert!(
            (10..=14).contains(&images.len()),
            "{} profile images",
            images.len()
        );
        for image in &images {
            let url = image["url"].as_str().expect("a url once there is a logo");
            assert!(url.ends_with(image["file_name"].as_str().unwrap()), "{url}");
        }

        for (file, mime, size) in [
            ("x-avatar-400x400.png", "image/png", (400, 400)),
            ("x-banner-1500x500.jpg", "image/jpeg", (1500, 500)),
        ] {
            let reply = app
                .get(&format!("{}/profile-images/{file}", kit_path(&ws)), &token)
                .await;
            assert_eq!(reply.status, StatusCode::OK, "{file}: {}", reply.text());
            assert_eq!(reply.content_type(), mime);
            let decoded = image::load_from_memory(&reply.body).expect("a picture");
            assert_eq!((decoded.width(), decoded.height()), size, "{file}");
        }
        let missing = app
            .get(
                &format!("{}/profile-images/x-avatar-1x1.png", kit_path(&ws)),
                &token,
            )
            .await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);

        let zip = app.get(kit["zip_url"].as_str().unwrap(), &token).await;
        assert_eq!(zip.status, StatusCode::OK, "{}", zip.text());
        assert_eq!(zip.content_type(), "application/zip");
        let mut archive = zip::ZipArchive::new(Cursor::new(zip.body)).expect("a zip");
        assert_eq!(archive.len(), images.len() + 1, "every image and a README");
        for image in &images {
            let name = image["file_name"].as_str().unwrap();
            let mut bytes = Vec::new();
            archive
                .by_name(name)
                .unwrap_or_else(|_| panic!("{name} in the zip"))
                .read_to_end(&mut bytes)
                .unwrap();
            let decoded = image::load_from_memory(&bytes).expect("a picture");
            assert_eq!(
                (i64::from(decoded.width()), i64::from(decoded.height())),
                (
                    image["width"].as_i64().unwrap(),
                    image["height"].as_i64().unwrap()
                ),
                "{name}"
            );
        }
        let mut readme = String::new();
        archive
            .by_name("README.txt")
            .expect("README.txt")
            .read_to_string(&mut readme)
            .unwrap();
        assert!(readme.contains("x-avatar-400x400.png"), "{readme}");
        assert!(readme.contains("review status: draft"), "{readme}");
    }
}

#[tokio::test]
async fn review_goes_draft_in_review_approved_and_back_to_draft_on_change() {
    for backend in backends() {
        let (app, owner, ws) = setup(backend).await;
        let (_, editor) = app.user("editor@example.com").await;
        app.join(&owner, &ws, &editor, "editor").await;
        let (_, client) = app.user("client@example.com").await;
        app.join(&owner, &ws, &client, "client").await;

        let nothing = review(&app, &owner, &ws, "submit", "").await;
        assert_eq!(nothing["status"], 422, "{nothing}");
        assert_eq!(nothing["body"]["errors"][0]["field"], "logo_media_id");

        let logo = picture(&app, &owner, &ws, "logo.png", &png(500, 500)).await;
        let saved = app
            .patch(&kit_path(&ws), &owner, json!({"logo_media_id": logo}))
            .await;
        assert_eq!(saved.status, StatusCode::OK, "{}", saved.text());

        let early = review(&app, &owner, &ws, "approve", "").await;
        assert_eq!(early["status"], 409, "approving a draft: {early}");
        let by_editor = review(&app, &editor, &ws, "submit", "").await;
        assert_eq!(by_editor["status"], 403, "{by_editor}");
        let edit = app
            .patch(&kit_path(&ws), &editor, json!({"colors": ["#000000"]}))
            .await;
        assert_eq!(
            edit.status,
            StatusCode::FORBIDDEN,
            "editors do not change the kit"
        );

        let submitted = review(&app, &owner, &ws, "submit", "New logo for spring").await;
        assert_eq!(submitted["status"], 200, "{submitted}");
        assert_eq!(submitted["body"]["review_status"], "in_review");
        let again = review(&app, &owner, &ws, "submit", "").await;
        assert_eq!(again["status"], 409, "{again}");

        let no_note = review(&app, &client, &ws, "request_changes", "  ").await;
        assert_eq!(no_note["status"], 422, "{no_note}");
        assert_eq!(no_note["body"]["errors"][0]["field"], "note");
        let by_editor = review(&app, &editor, &ws, "approve", "").await;
        assert_eq!(by_editor["status"], 403, "{by_editor}");
        let unknown = review(&app, &owner, &ws, "publish", "").await;
        assert_eq!(unknown["status"], 422, "{unknown}");
        assert_eq!(unknown["body"]["errors"][0]["field"], "action");

        let approved = review(&app, &owner, &ws, "approve", "Looks right").await;
        assert_eq!(approved["status"], 200, "{approved}");
        assert_eq!(approved["body"]["review_status"], "approved");
        assert_eq!(approved["body"]["review_note"], "Looks right");
        let read = app.get(&kit_path(&ws), &editor).await.json();
        assert_eq!(read["review_status"], "approved", "every member reads it");

        // Any change means what was approved is not what would be used.
        let changed = app
            .patch(&kit_path(&ws), &owner, json!({"colors": ["#112233"]}))
            .await;
        assert_eq!(changed.status, StatusCode::OK, "{}", changed.text());
        assert_eq!(changed.json()["review_status"], "draft");
        assert_eq!(changed.json()["review_note"], "");

        // Changes requested by a client, then submitted again and reopened.
        review(&app, &owner, &ws, "submit", "").await;
        let asked = review(&app, &client, &ws, "request_changes", "Bigger logo").await;
        assert_eq!(asked["status"], 200, "{asked}");
        assert_eq!(asked["body"]["review_status"], "changes_requested");
        assert_eq!(asked["body"]["review_note"], "Bigger logo");
        let resubmitted = review(&app, &owner, &ws, "submit", "").await;
        assert_eq!(resubmitted["body"]["review_status"], "in_review");
        let reopened = review(&app, &owner, &ws, "reopen", "").await;
        assert_eq!(reopened["body"]["review_status"], "draft");
        let twice = review(&app, &owner, &ws, "reopen", "").await;
        assert_eq!(twice["status"], 409, "{twice}");
    }
}

#[tokio::test]
async fn bad_inputs_are_named() {
    for backend in backends() {
        let (app, token, ws) = setup(backend).await;
        let (_, other_token) = app.user("other@example.com").await;
        let other_ws = app.workspace(&other_token, "Other").await;
        let theirs = picture(&app, &other_token, &other_ws, "theirs.png", &png(300, 300)).await;
        let clip = std::fs::read("tests/fixtures/media/clip.mp4").expect("fixture");
        let video = picture(&app, &token, &ws, "clip.mp4", &clip).await;
        let mine = picture(&app, &token, &ws, "mine.png", &png(320, 320)).await;

        let cases = [
            (json!({"logo_media_id": theirs}), vec!["logo_media_id"]),
            (json!({"cover_media_id": theirs}), vec!["cover_media_id"]),
            (json!({"logo_media_id": video}), vec!["logo_media_id"]),
            (json!({"colors": ["blue"]}), vec!["colors[0]"]),
            (json!({"colors": ["#2563eb", "#12345"]}), vec!["colors[1]"]),
            (
                json!({"colors": (0..9).map(|i| format!("#00000{i}")).collect::<Vec<_>>()}),
                vec!["colors"],
            ),
        ];
        for (body, fields) in cases {
            let reply = app.patch(&kit_path(&ws), &token, body.clone()).await;
            assert_eq!(
                reply.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{body}: {}",
                reply.text()
            );
            assert_eq!(reply.error_fields(), fields, "{body}");
        }
        let unknown = app
            .patch(&kit_path(&ws), &token, json!({"logo": mine}))
            .await;
        assert_eq!(
            unknown.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            unknown.text()
        );

        // Nothing of the refused changes was kept; null clears a picture.
        let kit = app.get(&kit_path(&ws), &token).await.json();
        assert!(kit["logo"].is_null() && kit["cover"].is_null(), "{kit}");
        assert_eq!(kit["colors"], json!([]));
        let set = app
            .patch(&kit_path(&ws), &token, json!({"logo_media_id": mine}))
            .await;
        assert_eq!(set.json()["logo"]["id"], mine.as_str());
        let cleared = app
            .patch(&kit_path(&ws), &token, json!({"logo_media_id": null}))
            .await;
        assert!(cleared.json()["logo"].is_null());

        // No pictures, no zip; and another workspace's kit is not there at all.
        let zip = app
            .get(&format!("{}/profile-images.zip", kit_path(&ws)), &token)
            .await;
        assert_eq!(
            zip.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            zip.text()
        );
        let outsider = app.get(&kit_path(&other_ws), &token).await;
        assert_eq!(outsider.status, StatusCode::NOT_FOUND);
        let outsider = app
            .patch(&kit_path(&other_ws), &token, json!({"colors": []}))
            .await;
        assert_eq!(outsider.status, StatusCode::NOT_FOUND);
    }
}

/// A browser session for `email`: its cookie and CSRF token.
async fn session(app: &TestApp, email: &str) -> (String, String) {
    let s = app
        .services()
        .login(email, "correct horse battery", "127.0.0.1", "t")
        .await
        .expect("login");
    (
        format!("herald_session={}", s.cookie_token),
        s.session.csrf_token,
    )
}

/// A UI request with the session's cookie; `form` is sent urlencoded with the CSRF token.
async fn ui(
    app: &TestApp,
    (cookie, csrf): &(String, String),
    path: &str,
    form: Option<&str>,
) -> crate::support::Reply {
    use axum::body::Body;
    use axum::http::{Method, Request, header};
    let builder = Request::builder().uri(path).header(header::COOKIE, cookie);
    let request = match form {
        Some(form) => builder
            .method(Method::POST)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!("{form}&csrf_token={csrf}"))),
        None => builder.method(Method::GET).body(Body::empty()),
    };
    app.send(request.expect("request")).await
}

#[tokio::test]
async fn the_page_saves_previews_serves_and_reviews_by_role() {
    let (app, owner, ws) = setup(Backend::Sqlite).await;
    let (_, editor) = app.user("editor@example.com").await;
    app.join(&owner, &ws, &editor, "editor").await;
    let (_, client) = app.user("client@example.com").await;
    app.join(&owner, &ws, &client, "client").await;
    let logo = picture(&app, &owner, &ws, "logo.png", &png(500, 500)).await;
    let as_owner = session(&app, "owner@example.com").await;
    let as_editor = session(&app, "editor@example.com").await;
    let as_client = session(&app, "client@example.com").await;
    let page = format!("/w/{ws}/brand");

    let empty = ui(&app, &as_owner, &page, None).await;
    assert_eq!(empty.status, StatusCode::OK);
    let html = empty.text();
    assert!(html.contains("id=\"kit\""), "managers get the form");
    assert!(
        html.contains(&format!("value=\"{logo}\"")),
        "the library's picture is offered"
    );
    assert!(html.contains("zone-keep") && !html.contains("download-zip"));

    // A swatch added is not saved until "Save".
    let added = ui(
        &app,
        &as_owner,
        &page,
        Some("logo_media_id=&cover_media_id=&colors=%23112233&op=add-color"),
    )
    .await;
    assert_eq!(added.status, StatusCode::OK);
    assert_eq!(added.text().matches("type=\"color\"").count(), 2);
    assert!(added.text().contains("Not saved yet"));
    let kit = app.get(&kit_path(&ws), &owner).await.json();
    assert_eq!(kit["colors"], json!([]));

    let bad = ui(
        &app,
        &as_owner,
        &page,
        Some("logo_media_id=&cover_media_id=&colors=red&op=save"),
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.text().contains("id=\"color-0-error\""),
        "{}",
        bad.text()
    );

    let saved = ui(
        &app,
        &as_owner,
        &page,
        Some(&format!(
            "logo_media_id={logo}&cover_media_id=&colors=%23112233&op=save"
        )),
    )
    .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.text());
    let html = saved.text();
    assert!(html.contains("Brand kit saved."));
    assert!(html.contains("id=\"download-zip\""));
    assert!(html.contains("mask-outside") && html.contains("zone-covered"));
    assert!(html.contains(&format!("/w/{ws}/brand/images/x-avatar-400x400.png?v=")));

    let avatar = ui(
        &app,
        &as_editor,
        &format!("/w/{ws}/brand/images/x-avatar-400x400.png"),
        None,
    )
    .await;
    assert_eq!(avatar.status, StatusCode::OK);
    assert_eq!(avatar.content_type(), "image/png");
    assert_eq!(avatar.headers["cache-control"], "private, no-cache");
    let decoded = image::load_from_memory(&avatar.body).expect("a picture");
    assert_eq!((decoded.width(), decoded.height()), (400, 400));
    let banner = ui(
        &app,
        &as_owner,
        &format!("/w/{ws}/brand/images/bluesky-banner-3000x1000.jpg?download"),
        None,
    )
    .await;
    assert_eq!(banner.content_type(), "image/jpeg");
    assert!(
        banner.headers["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    let zip = ui(&app, &as_owner, &format!("/w/{ws}/brand/images.zip"), None).await;
    assert_eq!(zip.status, StatusCode::OK);
    assert_eq!(zip.content_type(), "application/zip");
    let thumb = ui(
        &app,
        &as_owner,
        &format!("/w/{ws}/brand/pictures/{logo}"),
        None,
    )
    .await;
    assert_eq!(thumb.status, StatusCode::OK);
    image::load_from_memory(&thumb.body).expect("a thumbnail");

    // Someone from elsewhere gets nothing, though the images are made and kept in memory.
    app.user("outsider@example.com").await;
    let outsider = session(&app, "outsider@example.com").await;
    for path in [
        page.clone(),
        format!("/w/{ws}/brand/images/x-avatar-400x400.png"),
        format!("/w/{ws}/brand/images.zip"),
        format!("/w/{ws}/brand/pictures/{logo}"),
    ] {
        let reply = ui(&app, &outsider, &path, None).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}");
        assert!(!reply.text().contains("Acme"), "{path}");
    }
    let reply = ui(
        &app,
        &outsider,
        &format!("{page}/review"),
        Some("action=submit&note="),
    )
    .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.get(&kit_path(&ws), &owner).await.json()["review_status"],
        "draft"
    );

    // Editors read; they neither save nor review.
    let read = ui(&app, &as_editor, &page, None).await.text();
    assert!(!read.contains("id=\"kit\"") && read.contains("owners and managers change it"));
    assert!(!read.contains("review-submit"));
    let refused = ui(
        &app,
        &as_editor,
        &page,
        Some("logo_media_id=&cover_media_id=&op=save"),
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    // A refused transition shows the server's words.
    let early = ui(
        &app,
        &as_owner,
        &format!("{page}/review"),
        Some("action=approve&note="),
    )
    .await;
    assert_eq!(early.status, StatusCode::CONFLICT);
    assert!(
        early.text().contains("cannot become approved"),
        "{}",
        early.text()
    );
    let submitted = ui(
        &app,
        &as_owner,
        &format!("{page}/review"),
        Some("action=submit&note="),
    )
    .await;
    assert_eq!(submitted.status, StatusCode::OK);
    assert!(submitted.text().contains("In review") && submitted.text().contains("Submitted by"));

    let decide = ui(&app, &as_client, &page, None).await.text();
    assert!(decide.contains("review-approve") && !decide.contains("review-submit"));
    let no_note = ui(
        &app,
        &as_client,
        &format!("{page}/review"),
        Some("action=request_changes&note="),
    )
    .await;
    assert_eq!(no_note.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_note.text().contains("id=\"note-error\""));
    let asked = ui(
        &app,
        &as_client,
        &format!("{page}/review"),
        Some("action=request_changes&note=Bigger+logo"),
    )
    .await;
    assert_eq!(asked.status, StatusCode::OK);
    assert!(asked.text().contains("Changes requested") && asked.text().contains("Bigger logo"));
}
