//! Security headers and CSRF protection on the browser surface.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};

use crate::support::{Backend, TestApp};

#[tokio::test]
async fn every_response_has_the_security_headers() {
    let app = TestApp::new(Backend::Sqlite).await;
    for path in ["/healthz", "/login", "/api/v1/me", "/nowhere"] {
        let reply = app.request(Method::GET, path, None, None).await;
        let csp = reply
            .headers
            .get(header::CONTENT_SECURITY_POLICY)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        assert!(
            csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"),
            "{path}: {csp:?}"
        );
        assert!(!csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"));
        assert_eq!(
            reply.headers[header::X_CONTENT_TYPE_OPTIONS],
            "nosniff",
            "{path}"
        );
        assert_eq!(reply.headers[header::X_FRAME_OPTIONS], "DENY", "{path}");
    }
}

async fn post_form(
    app: &TestApp,
    path: &str,
    cookie: Option<&str>,
    body: &str,
    origin: Option<&str>,
) -> crate::support::Reply {
    let mut builder = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header(header::HOST, "herald.test")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(cookie) = cookie {
        builder = builder.header(header::COOKIE, cookie);
    }
    if let Some(origin) = origin {
        builder = builder.header(header::ORIGIN, origin);
    }
    app.send(builder.body(Body::from(body.to_owned())).unwrap())
        .await
}

#[tokio::test]
async fn unsafe_browser_requests_need_the_csrf_token() {
    let app = TestApp::new(Backend::Sqlite).await;
    app.user("alice@example.com").await;
    let session = app
        .services()
        .login(
            "alice@example.com",
            "correct horse battery",
            "127.0.0.1",
            "test",
        )
        .await
        .unwrap();
    let csrf = session.session.csrf_token.clone();
    let cookie = format!("herald_session={}", session.cookie_token);

    let missing = post_form(&app, "/logout", Some(&cookie), "", None).await;
    assert_eq!(missing.status, StatusCode::FORBIDDEN);
    let forged = post_form(&app, "/logout", Some(&cookie), "csrf_token=forged", None).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let other_site = post_form(
        &app,
        "/logout",
        Some(&cookie),
        &format!("csrf_token={csrf}"),
        Some("https://evil.example"),
    )
    .await;
    assert_eq!(other_site.status, StatusCode::FORBIDDEN);
    assert!(
        app.services()
            .actor_for_session(&session.cookie_token)
            .await
            .unwrap()
            .is_some(),
        "still logged in"
    );

    // Logged out: the double-submit cookie must match the form.
    let anon = post_form(
        &app,
        "/login",
        Some("herald_csrf=abc"),
        "csrf_token=xyz&email=a&password=b",
        None,
    )
    .await;
    assert_eq!(anon.status, StatusCode::FORBIDDEN);
    let no_cookie = post_form(
        &app,
        "/login",
        None,
        "csrf_token=xyz&email=a&password=b",
        None,
    )
    .await;
    assert_eq!(no_cookie.status, StatusCode::FORBIDDEN);

    let good = post_form(
        &app,
        "/logout",
        Some(&cookie),
        &format!("csrf_token={csrf}"),
        Some("http://herald.test"),
    )
    .await;
    assert_ne!(good.status, StatusCode::FORBIDDEN, "{}", good.text());
    assert!(
        app.services()
            .actor_for_session(&session.cookie_token)
            .await
            .unwrap()
            .is_none(),
        "logged out"
    );

    let with_header = Request::builder()
        .method(Method::POST)
        .uri("/logout")
        .header(header::COOKIE, &cookie)
        .header("x-csrf-token", &csrf);
    let _ = app.send(with_header.body(Body::empty()).unwrap()).await;
}

#[tokio::test]
async fn health_and_readiness() {
    let app = TestApp::new(Backend::Sqlite).await;
    assert_eq!(
        app.request(Method::GET, "/healthz", None, None)
            .await
            .text(),
        "ok"
    );
    let ready = app.request(Method::GET, "/readyz", None, None).await;
    assert_eq!(
        (ready.status, ready.text().as_str()),
        (StatusCode::OK, "ready")
    );
}

fn set_cookie<'a>(reply: &'a crate::support::Reply, name: &str) -> &'a str {
    reply
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .unwrap_or_else(|| panic!("no {name} cookie in {:?}", reply.headers))
}

#[tokio::test]
async fn cookies_are_http_only_and_same_site() {
    let app = TestApp::new(Backend::Sqlite).await;
    let first = herald::services::NewAccount {
        email: "alice@example.com",
        display_name: "Alice",
        password: "correct horse battery",
        is_admin: true,
    };
    app.services().create_first_account(first).await.unwrap();
    let page = app.request(Method::GET, "/login", None, None).await;
    let anon = set_cookie(&page, "herald_csrf");
    assert!(
        anon.contains("HttpOnly") && anon.contains("SameSite=Lax"),
        "{anon}"
    );
    assert!(
        !anon.contains("Secure"),
        "plain http here: Secure would drop the cookie"
    );
    let token = anon
        .split(';')
        .next()
        .unwrap()
        .trim_start_matches("herald_csrf=")
        .to_owned();

    let body = format!(
        "csrf_token={token}&email=alice%40example.com&password=correct+horse+battery&next=%2Faccount"
    );
    let reply = post_form(
        &app,
        "/login",
        Some(&format!("herald_csrf={token}")),
        &body,
        None,
    )
    .await;
    assert!(
        reply.status.is_redirection() || reply.status == StatusCode::OK,
        "{}: {}",
        reply.status,
        reply.text()
    );
    let session = set_cookie(&reply, "herald_session");
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=2592000"] {
        assert!(
            session.contains(attribute),
            "{attribute} missing: {session}"
        );
    }
}
