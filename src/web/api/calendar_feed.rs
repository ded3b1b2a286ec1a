//! The workspace's iCalendar feed: managers create, rotate and revoke its secret URL; the
//! feed itself is read with the key alone (calendar apps send no credentials).

use axum::Json;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::domain::clock::rfc3339;
use crate::domain::ical::write_calendar;
use crate::services::AppError;
use crate::storage::calendar_feeds::CalendarFeed;
use crate::web::auth::TokenUser;
use crate::web::{ApiError, ApiPath, AppState};

#[derive(Serialize, ToSchema)]
pub struct CalendarFeedView {
    /// Whether the workspace has a live feed URL.
    pub active: bool,
    /// The key's first characters, to tell URLs apart.
    pub key_prefix: Option<String>,
    pub created_at: Option<String>,
    /// The feed's URL with its key: returned only when the key is created or rotated.
    pub url: Option<String>,
}

impl CalendarFeedView {
    fn new(feed: Option<&CalendarFeed>, url: Option<String>) -> Self {
        CalendarFeedView {
            active: feed.is_some(),
            key_prefix: feed.map(|f| f.key_prefix.clone()),
            created_at: feed.map(|f| rfc3339(f.created_at_ms)),
            url,
        }
    }
}

/// `{public_url}/api/v1/workspaces/{ws}/calendar.ics?key={key}`.
pub fn feed_url(state: &AppState, ws: Uuid, key: &str) -> String {
    format!(
        "{}/api/v1/workspaces/{ws}/calendar.ics?key={key}",
        state.config.public_base()
    )
}

/// The host that names the feed's events (`{variant id}@{host}`): the public URL's.
pub fn uid_host(state: &AppState) -> String {
    url::Url::parse(&state.config.public_base())
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_else(|| "herald.localhost".into())
}

/// Whether the workspace has a calendar feed URL (managers).
#[utoipa::path(get, path = "/api/v1/workspaces/{ws}/calendar-feed", tag = "calendar",
    params(("ws" = Uuid, Path)),
    responses((status = 200, body = CalendarFeedView), (status = 403, body = crate::web::problem::Problem),
        (status = 404, body = crate::web::problem::Problem)))]
pub async fn status(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath(ws): ApiPath<Uuid>,
) -> Result<Json<CalendarFeedView>, ApiError> {
    let feed = state.services.calendar_feed_status(&actor, ws).await?;
    Ok(Json(CalendarFeedView::new(feed.as_ref(), None)))
}

/// Creates the workspace's secret calendar feed URL, or replaces it (the old URL stops
/// working). The URL is in this answer only (managers).
#[utoipa::path(post, path = "/api/v1/workspaces/{ws}/calendar-feed", tag = "calendar",
    params(("ws" = Uuid, Path)),
    responses((status = 201, body = CalendarFeedView), (status = 403, body = crate::web::problem::Problem),
        (status = 404, body = crate::web::problem::Problem)))]
pub async fn rotate(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath(ws): ApiPath<Uuid>,
) -> Result<(StatusCode, Json<CalendarFeedView>), ApiError> {
    let created = state.services.rotate_calendar_feed(&actor, ws).await?;
    let url = feed_url(&state, ws, &created.key);
    Ok((
        StatusCode::CREATED,
        Json(CalendarFeedView::new(Some(&created.feed), Some(url))),
    ))
}

/// Revokes the calendar feed URL (managers).
#[utoipa::path(delete, path = "/api/v1/workspaces/{ws}/calendar-feed", tag = "calendar",
    params(("ws" = Uuid, Path)),
    responses((status = 204), (status = 403, body = crate::web::problem::Problem),
        (status = 404, body = crate::web::problem::Problem)))]
pub async fn revoke(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath(ws): ApiPath<Uuid>,
) -> Result<StatusCode, ApiError> {
    state.services.revoke_calendar_feed(&actor, ws).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, IntoParams)]
pub struct FeedQuery {
    /// The feed's secret key, from the URL given when it was created.
    pub key: Option<String>,
}

/// The workspace's calendar as iCalendar (RFC 5545): one event per scheduled, published,
/// failed or cancelled post per channel, from 90 days back to a year ahead, and the
/// workspace's events. No bearer token: the key is the credential; a wrong or revoked key
/// answers 404.
#[utoipa::path(get, path = "/api/v1/workspaces/{ws}/calendar.ics", tag = "calendar",
    params(("ws" = Uuid, Path), FeedQuery), security(()),
    responses((status = 200, content_type = "text/calendar", body = String),
        (status = 404, body = crate::web::problem::Problem)))]
pub async fn feed(
    State(state): State<AppState>,
    ApiPath(ws): ApiPath<Uuid>,
    Query(q): Query<FeedQuery>,
) -> Result<Response, ApiError> {
    let key = q.key.ok_or(AppError::NotFound)?;
    let calendar = state
        .services
        .calendar_feed(ws, &key, &uid_host(&state))
        .await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CACHE_CONTROL, "private, max-age=300"),
            (
                header::CONTENT_DISPOSITION,
                "inline; filename=\"herald.ics\"",
            ),
        ],
        write_calendar(&calendar),
    )
        .into_response())
}
