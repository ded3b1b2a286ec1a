//! Who is asking: a browser session (cookie) for the UI, a bearer token for the API.

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use axum_extra::extract::CookieJar;

use super::{ApiError, AppState};
use crate::services::{Actor, AppError};

pub const SESSION_COOKIE: &str = "herald_session";

/// The client address for throttling and the session list. Herald listens on loopback by
/// default and is put behind a reverse proxy; the peer address is what we can trust.
pub fn client_ip(parts: &Parts) -> String {
    parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

pub fn user_agent(parts: &Parts) -> String {
    parts
        .headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("unknown")
        .to_owned()
}

/// The session behind the request's cookie, if any. Cached in the request extensions so the
/// CSRF check and the handler look it up once.
pub async fn session_actor(parts: &mut Parts, state: &AppState) -> Result<Option<Actor>, AppError> {
    if let Some(cached) = parts.extensions.get::<Option<Actor>>() {
        return Ok(cached.clone());
    }
    let jar = CookieJar::from_headers(&parts.headers);
    let actor = match jar.get(SESSION_COOKIE) {
        Some(cookie) => state.services.actor_for_session(cookie.value()).await?,
        None => None,
    };
    parts.extensions.insert(actor.clone());
    Ok(actor)
}

/// A logged-in browser user; pages that need one redirect to the login page without it.
pub struct SessionUser(pub Actor);

impl FromRequestParts<AppState> for SessionUser {
    type Rejection = super::ui::UiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match session_actor(parts, state).await? {
            Some(actor) => Ok(SessionUser(actor)),
            None => Err(super::ui::UiError::login_required(parts.uri.path())),
        }
    }
}

/// A browser user if logged in.
pub struct MaybeSessionUser(pub Option<Actor>);

impl FromRequestParts<AppState> for MaybeSessionUser {
    type Rejection = super::ui::UiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(MaybeSessionUser(session_actor(parts, state).await?))
    }
}

/// An API caller authenticated by `Authorization: Bearer hrld_...`.
pub struct TokenUser(pub Actor);

impl FromRequestParts<AppState> for TokenUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let bearer = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            })
            .map(str::trim);
        let Some(secret) = bearer else {
            return Err(AppError::Unauthenticated(
                "Send a personal access token as `Authorization: Bearer <token>`.".into(),
            )
            .into());
        };
        match state.services.actor_for_token(secret).await? {
            Some(actor) => Ok(TokenUser(actor)),
            None => Err(AppError::Unauthenticated(
                "The token is not valid or has been revoked.".into(),
            )
            .into()),
        }
    }
}
