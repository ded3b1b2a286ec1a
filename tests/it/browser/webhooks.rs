//! Webhooks in workspace settings, in a real browser: a refused address is explained, a
//! webhook to a receiver on loopback is added (its secret shown once), a test goes out and
//! shows in the delivery log with the receiver's 200, and it is deleted. Screenshots at
//! desktop width and at 360 px.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::HeaderMap;
use axum::routing::post;

use super::harness::{PASSWORD, TestResult, start_with};

type Got = Arc<Mutex<Vec<(String, String)>>>;

async fn receive(State(got): State<Got>, headers: HeaderMap, body: String) -> &'static str {
    let event = headers
        .get("x-herald-event")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    got.lock().unwrap().push((event, body));
    "thanks"
}

#[tokio::test]
async fn a_webhook_is_added_tested_logged_and_deleted() -> TestResult {
    let Some(b) = start_with(|c| c.allow_private_hosts = true).await else {
        return Ok(());
    };
    let got: Got = Arc::default();
    let app = axum::Router::new()
        .route("/hook", post(receive))
        .with_state(got.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let hook_url = format!("http://{}/hook", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, app).await });

    let owner = b.user("owner@example.com", true).await?;
    let ws = b
        .services
        .create_workspace(&owner, "Acme Coffee", "Europe/Paris")
        .await?;
    let id = ws.workspace.id;
    b.login("owner@example.com", PASSWORD).await?;
    let settings = format!("/w/{id}/settings");
    b.goto(&settings).await?;
    b.wait_text("No webhooks yet.").await?;

    // A refusal names the problem, keeps what was typed, and adds nothing.
    b.fill("#webhook-url", "ftp://hooks.example/herald").await?;
    b.click("input[name=events][value='post.published']")
        .await?;
    b.click("form[action$='/settings/webhooks'] button[type=submit]")
        .await?;
    b.wait_text("The webhook was not added").await?;
    b.wait_text("must start with https://").await?;
    assert_eq!(b.value("#webhook-url").await?, "ftp://hooks.example/herald");
    assert!(b.services.list_webhooks(&owner, id).await?.is_empty());

    b.fill("#webhook-url", &hook_url).await?;
    b.click("input[name=events][value='post.created']").await?;
    b.click("form[action$='/settings/webhooks'] button[type=submit]")
        .await?;
    b.wait_text("Copy it now").await?;
    let secret = b.value("#webhook-secret").await?;
    assert!(secret.starts_with("whsec_"), "{secret}");
    let hooks = b.services.list_webhooks(&owner, id).await?;
    assert_eq!(hooks.len(), 1);
    assert_eq!(hooks[0].events, "post.created post.published");

    b.click("form[action$='/test'] button").await?;
    b.wait_text("A test event is on its way").await?;
    // The server's worker sends it; the log shows it once it answered.
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        b.goto(&settings).await?;
        let log = b.find("#webhooks").await?.text().await?;
        if log.contains("delivered · 200") {
            assert!(log.contains("ping"), "{log}");
            break;
        }
        assert!(Instant::now() < deadline, "no delivery logged: {log}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(
        b.client
            .find(fantoccini::Locator::Css("#webhook-secret"))
            .await
            .is_err(),
        "the secret is shown once"
    );
    {
        let got = got.lock().unwrap();
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].0, "ping");
    }
    scroll_to(&b, "#webhooks").await?;
    b.screenshot("webhooks").await?;

    b.client.set_window_size(360, 740).await?;
    b.goto(&format!("{settings}#webhooks")).await?;
    scroll_to(&b, ".delivery-log").await?;
    let scroll = b.scroll_width().await?;
    b.screenshot("mobile-webhooks").await?;
    assert!(scroll <= 360, "settings are {scroll} px wide at 360 px");
    b.client.set_window_size(1280, 900).await?;

    b.goto(&settings).await?;
    b.click("form[action$='/delete'] button").await?;
    b.wait_text("Press again").await?;
    b.click("form[action$='/delete'] button").await?;
    b.wait_text("Webhook deleted").await?;
    b.wait_text("No webhooks yet.").await?;
    assert!(b.services.list_webhooks(&owner, id).await?.is_empty());
    b.finish().await
}

async fn scroll_to(b: &super::harness::Browser, selector: &str) -> TestResult {
    b.find(selector).await?;
    b.client
        .execute(
            "document.querySelector(arguments[0]).scrollIntoView();",
            vec![serde_json::json!(selector)],
        )
        .await?;
    Ok(())
}
