//! CSRF protection for every unsafe request that could ride on a cookie.
//!
//! Logged-in pages carry the session's token; pages before login (login, first account,
//! invite sign-up) carry a random token also set in a `herald_csrf` cookie (double submit).
//! Forms send it as the `csrf_token` field, htmx as the `X-CSRF-Token` header. API requests
//! authenticate with a bearer token, which a browser never attaches by itself, so they are
//! exempt. SameSite=Lax cookies are a second layer, and a foreign `Origin` is refused outright.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;

use super::AppState;
use super::auth::session_actor;
use crate::crypto::token::constant_time_eq;

pub const ANON_COOKIE: &str = "herald_csrf";
pub const HEADER: &str = "x-csrf-token";
pub const FIELD: &str = "csrf_token";

pub async fn protect(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if safe || request.uri().path().starts_with("/api/") {
        return next.run(request).await;
    }
    let (mut parts, body) = request.into_parts();
    if let Some(origin) = parts
        .headers
        .get(header::ORIGIN)
        .and_then(|o| o.to_str().ok())
    {
        let host = parts
            .headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("");
        let same = origin
            .split_once("://")
            .is_some_and(|(_, rest)| rest == host);
        if !same && origin != state.config.public_base() {
            return refuse("The request came from another site.");
        }
    }
    // A client review link's page has no session: its decision form carries a token bound
    // to the link and its unlock cookie, checked by the service (see
    // `web/ui/pages/review_link`). The foreign-Origin refusal above still applies.
    if parts.uri.path().starts_with("/review/") {
        return next.run(Request::from_parts(parts, body)).await;
    }
    let expected = match session_actor(&mut parts, &state).await {
        Ok(Some(actor)) => actor.csrf_token,
        Ok(None) => CookieJar::from_headers(&parts.headers)
            .get(ANON_COOKIE)
            .map(|c| c.value().to_owned()),
        Err(_) => None,
    };
    let Some(expected) = expected else {
        return refuse("Your session has expired. Reload the page and try again.");
    };
    let from_header = parts
        .headers
        .get(HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let (given, body) = match from_header {
        Some(token) => (Some(token), body),
        None => match read_form_field(&parts, body).await {
            Ok(found) => found,
            Err(response) => return response,
        },
    };
    match given {
        Some(given) if constant_time_eq(&given, &expected) => {
            next.run(Request::from_parts(parts, body)).await
        }
        _ => refuse("The form was out of date or forged. Reload the page and try again."),
    }
}

/// Reads the `csrf_token` field of a urlencoded form and hands the body back untouched.
async fn read_form_field(
    parts: &axum::http::request::Parts,
    body: Body,
) -> Result<(Option<String>, Body), Response> {
    let is_form = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Ok((None, body));
    }
    let bytes = axum::body::to_bytes(body, super::MAX_BODY_BYTES)
        .await
        .map_err(|_| (StatusCode::PAYLOAD_TOO_LARGE, "The form is too large.").into_response())?;
    let token = url::form_urlencoded::parse(&bytes)
        .find(|(k, _)| k == FIELD)
        .map(|(_, v)| v.into_owned());
    Ok((token, Body::from(bytes)))
}

fn refuse(message: &'static str) -> Response {
    (
        StatusCode::FORBIDDEN,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        message,
    )
        .into_response()
}
