//! Media at a signed, expiring public address (what Instagram and Threads fetch): served
//! without a session while the signature holds, refused with an empty 403 when it was
//! tampered with, names another file or has expired, and 404 for a file that is gone.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};

use crate::media::{png, upload};
use crate::support::test_app::START_MS;
use crate::support::{Backend, Reply, TestApp, backends};

/// A request with no session and no token, as a network's fetcher makes it.
async fn fetch(app: &TestApp, path: &str) -> Reply {
    let request = Request::builder()
        .method(Method::GET)
        .uri(path)
        .body(Body::empty())
        .unwrap();
    app.send(request).await
}

fn path_of(url: &str) -> String {
    url.strip_prefix("http://herald.test")
        .expect("on the install's public URL")
        .to_owned()
}

#[tokio::test]
async fn a_signed_address_serves_the_file_until_it_expires() {
    for backend in backends() {
        let app = TestApp::new(backend).await;
        let (_, token) = app.user("owner@example.com").await;
        let ws = app.workspace(&token, "Acme").await;
        let bytes = png(64, 48);
        let uploaded = upload(&app, &token, &ws, &[], Some(("beans.png", &bytes))).await;
        assert_eq!(uploaded.status, StatusCode::CREATED, "{}", uploaded.text());
        let id: uuid::Uuid = uploaded.json()["id"].as_str().unwrap().parse().unwrap();
        let other = upload(&app, &token, &ws, &[], Some(("other.png", &png(10, 10)))).await;
        let other_id = other.json()["id"].as_str().unwrap().to_owned();

        let expires = START_MS + 60 * 60_000;
        let url = app
            .services()
            .media_public_url(id, expires)
            .expect("public URL set");
        assert!(
            url.starts_with(&format!(
                "http://herald.test/media/public/{id}?exp={expires}&sig="
            )),
            "{url}"
        );
        let path = path_of(&url);

        let served = fetch(&app, &path).await;
        assert_eq!(served.status, StatusCode::OK);
        assert_eq!(served.content_type(), "image/png");
        assert_eq!(served.body, bytes, "the file as uploaded");

        let sig = path.rsplit("sig=").next().unwrap().to_owned();
        let flipped = format!(
            "{}{}",
            &sig[..sig.len() - 1],
            if sig.ends_with('0') { '1' } else { '0' }
        );
        for refused in [
            path.replace(&sig, &flipped),
            path.replace(&format!("exp={expires}"), &format!("exp={}", expires + 1)),
            path.replace(&id.to_string(), &other_id),
            format!("/media/public/{id}"),
            format!("/media/public/{id}?exp={expires}"),
            format!("/media/public/{id}?exp=soon&sig={sig}"),
            format!("/media/public/not-an-id?exp={expires}&sig={sig}"),
        ] {
            let reply = fetch(&app, &refused).await;
            assert_eq!(reply.status, StatusCode::FORBIDDEN, "{refused}");
            assert!(reply.body.is_empty(), "no body: {}", reply.text());
        }

        // A file deleted since: the signature holds, the file does not.
        let gone = uuid::Uuid::now_v7();
        let gone_url = app.services().media_public_url(gone, expires).unwrap();
        let reply = fetch(&app, &path_of(&gone_url)).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND);
        assert!(reply.body.is_empty());

        app.clock.advance_ms(60 * 60_000 + 1);
        let late = fetch(&app, &path).await;
        assert_eq!(late.status, StatusCode::FORBIDDEN, "expired");
        assert!(late.body.is_empty());
    }
}

#[tokio::test]
async fn without_a_public_url_there_is_no_address() {
    let app = TestApp::with_config(Backend::Sqlite, |c| c.public_url = None).await;
    let address = app
        .services()
        .media_public_url(uuid::Uuid::now_v7(), START_MS + 60_000);
    assert_eq!(address, None);
}
