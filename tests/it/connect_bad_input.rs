//! Connecting channels with bad input: each a clear message on its field, nothing stored,
//! and no request at all to an internal address unless the install allows it.

use axum::http::StatusCode;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use crate::support::{Backend, TestApp};

/// A local server that answers every request with `answer` (or never, when `None`).
async fn server(answer: Option<&'static str>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            tokio::spawn(async move {
                let mut buf = [0u8; 4096];
                let _ = socket.read(&mut buf).await;
                match answer {
                    Some(text) => {
                        let _ = socket.write_all(text.as_bytes()).await;
                    }
                    // A slow server: holds the connection, says nothing.
                    None => tokio::time::sleep(std::time::Duration::from_secs(30)).await,
                }
            });
        }
    });
    format!("http://{addr}")
}

const HTML: &str = "HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: 29\r\nconnection: close\r\n\r\n<html><h1>Welcome</h1></html>";
const NOT_FOUND_JSON: &str = "HTTP/1.1 404 Not Found\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}";

async fn connect(
    app: &TestApp,
    token: &str,
    ws: &str,
    body: serde_json::Value,
) -> (StatusCode, Vec<String>, String) {
    let reply = app
        .post(&format!("/api/v1/workspaces/{ws}/channels"), token, body)
        .await;
    (reply.status, reply.error_fields(), reply.text())
}

#[tokio::test]
async fn bad_servers_and_addresses_are_named_and_nothing_is_stored() {
    let app = TestApp::with_config(Backend::Sqlite, |c| {
        c.allow_private_hosts = true;
        c.connector_timeout_secs = 1;
    })
    .await;
    let (_, token) = app.user("owner@example.com").await;
    let ws = app.workspace(&token, "Acme").await;
    let mastodon =
        |url: &str| json!({"network": "mastodon", "instance_url": url, "access_token": "t"});

    let html = server(Some(HTML)).await;
    let (status, fields, text) = connect(&app, &token, &ws, mastodon(&html)).await;
    assert_eq!(
        (status, fields),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            vec!["instance_url".to_owned()]
        )
    );
    assert!(
        text.contains("web page") || text.contains("Mastodon"),
        "{text}"
    );

    let not_mastodon = server(Some(NOT_FOUND_JSON)).await;
    let (_, fields, text) = connect(&app, &token, &ws, mastodon(&not_mastodon)).await;
    assert_eq!(fields, ["instance_url"]);
    assert!(
        text.contains("does not answer like a Mastodon server"),
        "{text}"
    );

    let slow = server(None).await;
    let started = std::time::Instant::now();
    let (_, fields, text) = connect(&app, &token, &ws, mastodon(&slow)).await;
    assert_eq!(fields, ["instance_url"]);
    assert!(text.contains("did not answer in time"), "{text}");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(10),
        "the time limit holds"
    );

    let bluesky_html = json!({"network": "bluesky", "service_url": html, "identifier": "a.test", "app_password": "p"});
    let (_, fields, _) = connect(&app, &token, &ws, bluesky_html).await;
    assert_eq!(fields, ["service_url"]);

    for (body, field) in [
        (mastodon("not a url at all"), "instance_url"),
        (mastodon("ftp://example.social"), "instance_url"),
        (
            json!({"network": "mastodon", "instance_url": "example.social"}),
            "access_token",
        ),
        (
            json!({"network": "bluesky", "identifier": "", "app_password": "p"}),
            "identifier",
        ),
        (
            json!({"network": "myspace", "access_token": "t"}),
            "network",
        ),
        (json!({"network": "x", "access_token": "t"}), "network"),
    ] {
        let (status, fields, text) = connect(&app, &token, &ws, body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{text}");
        assert_eq!(fields, [field], "{text}");
    }
    let listed = app
        .get(&format!("/api/v1/workspaces/{ws}/channels"), &token)
        .await
        .json();
    assert!(
        listed["items"].as_array().unwrap().is_empty(),
        "nothing stored"
    );
}

#[tokio::test]
async fn internal_addresses_are_refused_unless_the_install_allows_them() {
    let app = TestApp::new(Backend::Sqlite).await;
    let (_, token) = app.user("owner@example.com").await;
    let ws = app.workspace(&token, "Acme").await;
    for url in [
        "http://10.0.0.1",
        "http://169.254.169.254",
        "http://[::1]:8080",
        "http://localhost:3000",
    ] {
        let (status, fields, text) = connect(
            &app,
            &token,
            &ws,
            json!({"network": "mastodon", "instance_url": url, "access_token": "t"}),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{url}: {text}");
        assert_eq!(fields, ["instance_url"]);
        assert!(text.contains("internal address"), "{url}: {text}");
    }
    // A viewer cannot connect channels at all.
    let (_, viewer) = app.user("viewer@example.com").await;
    app.join(&token, &ws, &viewer, "viewer").await;
    let (status, _, _) = connect(
        &app,
        &viewer,
        &ws,
        json!({"network": "mastodon", "instance_url": "https://example.social", "access_token": "t"}),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
