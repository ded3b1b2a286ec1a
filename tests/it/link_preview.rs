//! Link previews through the SSRF guard, against a local web server.

use std::time::Duration;

use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect};
use axum::routing::get;
use herald::connectors::link_preview::{PreviewError, Previewer};
use serde_json::json;

use crate::support::{TestApp, backends};

const PAGE: &str = r#"<!doctype html><html><head><title>Fallback</title>
<meta property="og:title" content="Huila &amp; the farm"><meta name="description" content="How we pick our beans.">
<meta property="og:image" content="/farm.jpg"><meta property="og:site_name" content="Acme Coffee"></head><body>...</body></html>"#;

/// A small site on loopback; returns its base URL.
async fn site() -> String {
    let app = axum::Router::new()
        .route("/page", get(|| async { Html(PAGE) }))
        .route("/moved", get(|| async { Redirect::to("/page") }))
        .route(
            "/photo.jpg",
            get(|| async {
                ([(header::CONTENT_TYPE, "image/jpeg")], vec![0u8; 10]).into_response()
            }),
        )
        .route("/gone", get(|| async { StatusCode::GONE }))
        .route(
            "/slow",
            get(|| async {
                tokio::time::sleep(Duration::from_secs(3)).await;
                Html(PAGE)
            }),
        )
        .route(
            "/huge",
            get(|| async { Html(format!("{PAGE}{}", "x".repeat(5 * 1024 * 1024))) }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.ok() });
    format!("http://{addr}")
}

#[tokio::test]
async fn previews_are_fetched_and_internal_addresses_refused() {
    let base = site().await;
    for backend in backends() {
        // Default install: loopback is internal, so it is refused.
        let guarded = TestApp::new(backend.clone()).await;
        let (_, token) = guarded.user("owner@example.com").await;
        let ws = guarded.workspace(&token, "Acme").await;
        let path = format!("/api/v1/workspaces/{ws}/link-preview");
        let refused = guarded
            .post(&path, &token, json!({"url": format!("{base}/page")}))
            .await;
        assert_eq!(refused.error_fields(), ["url"]);
        assert!(
            refused.json()["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("internal address"),
            "{}",
            refused.text()
        );
        for url in [
            "http://localhost:1/",
            "http://169.254.169.254/latest/meta-data/",
            "file:///etc/passwd",
            "ftp://acme.coffee/",
        ] {
            assert_eq!(
                guarded
                    .post(&path, &token, json!({"url": url}))
                    .await
                    .error_fields(),
                ["url"],
                "{url}"
            );
        }

        // An install that allows private hosts (tests, local peers) reaches the site.
        let open = TestApp::with_config(backend, |c| c.allow_private_hosts = true).await;
        let (_, token) = open.user("owner@example.com").await;
        let ws = open.workspace(&token, "Acme").await;
        let path = format!("/api/v1/workspaces/{ws}/link-preview");
        let preview = open
            .post(&path, &token, json!({"url": format!("{base}/moved")}))
            .await;
        assert_eq!(preview.status, StatusCode::OK, "{}", preview.text());
        let preview = preview.json();
        assert_eq!(preview["title"], "Huila & the farm");
        assert_eq!(preview["description"], "How we pick our beans.");
        assert_eq!(preview["image_url"], format!("{base}/farm.jpg"));
        assert_eq!(
            preview["url"],
            format!("{base}/page"),
            "redirects are followed"
        );
        let not_html = open
            .post(&path, &token, json!({"url": format!("{base}/photo.jpg")}))
            .await;
        assert!(
            not_html.json()["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("image/jpeg")
        );
        let gone = open
            .post(&path, &token, json!({"url": format!("{base}/gone")}))
            .await;
        assert!(
            gone.json()["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("410")
        );
        let huge = open
            .post(&path, &token, json!({"url": format!("{base}/huge")}))
            .await;
        assert_eq!(huge.json()["title"], "Huila & the farm", "read up to 1 MB");
    }
}

#[tokio::test]
async fn slow_sites_time_out() {
    let base = site().await;
    let previewer = Previewer::new(true, Duration::from_millis(300)).unwrap();
    match previewer.fetch(&format!("{base}/slow")).await {
        Err(PreviewError::Timeout(_)) => {}
        other => panic!("expected a timeout, got {other:?}"),
    }
}
