//! RSS and Atom feeds polled into drafts or the channels' queues.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::views::List;
use crate::domain::clock::rfc3339;
use crate::services::feeds::{FeedInput, FeedView as Viewed};
use crate::web::auth::TokenUser;
use crate::web::{ApiError, ApiJson, ApiPath, AppState};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewFeedBody {
    /// The feed's address (http or https).
    pub url: String,
    pub channel_ids: Vec<Uuid>,
    /// `drafts` (each new item becomes a draft) or `queue` (added to the channels' queues).
    pub mode: String,
    /// How many of the newest items the first poll imports, 0 to 50 (default 5); the older
    /// ones are only remembered, so a feed's archive does not flood the workspace.
    pub first_poll_items: Option<i64>,
    /// 15 to 1440 (default 60).
    pub poll_interval_minutes: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct FeedView {
    pub id: Uuid,
    pub url: String,
    /// The feed's own title, once read.
    pub title: String,
    pub mode: String,
    pub channel_ids: Vec<Uuid>,
    pub first_poll_items: i64,
    pub poll_interval_minutes: i64,
    /// `new` (not read yet), `ok` or `error`.
    pub status: String,
    /// Why the last poll failed, or what it could not import.
    pub error: Option<String>,
    pub last_polled_at: Option<String>,
    pub next_poll_at: String,
    pub items_imported: i64,
}

impl From<Viewed> for FeedView {
    fn from(v: Viewed) -> Self {
        let f = v.feed;
        FeedView {
            id: f.id,
            url: f.url,
            title: f.title,
            mode: f.mode,
            channel_ids: v.channel_ids,
            first_poll_items: f.first_poll_items,
            poll_interval_minutes: f.poll_interval_ms / 60_000,
            status: f.status,
            error: f.last_error,
            last_polled_at: f.last_polled_at_ms.map(rfc3339),
            next_poll_at: rfc3339(f.next_poll_at_ms),
            items_imported: f.items_imported,
        }
    }
}

#[utoipa::path(get, path = "/api/v1/workspaces/{ws}/feeds", tag = "publish",
    params(("ws" = Uuid, Path)),
    responses((status = 200, body = List<FeedView>), (status = 404, body = crate::web::problem::Problem)))]
pub async fn list(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath(ws): ApiPath<Uuid>,
) -> Result<Json<List<FeedView>>, ApiError> {
    let feeds = state.services.feeds(&actor, ws).await?;
    Ok(Json(List::all(
        feeds.into_iter().map(FeedView::from).collect(),
    )))
}

/// Adds a feed (editors and above) and reads it at once: its `status` and `error` say
/// whether the address serves a feed.
#[utoipa::path(post, path = "/api/v1/workspaces/{ws}/feeds", tag = "publish",
    params(("ws" = Uuid, Path)), request_body = NewFeedBody,
    responses((status = 201, body = FeedView), (status = 403, body = crate::web::problem::Problem),
        (status = 404, body = crate::web::problem::Problem), (status = 409, body = crate::web::problem::Problem),
        (status = 422, body = crate::web::problem::Problem)))]
pub async fn create(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath(ws): ApiPath<Uuid>,
    ApiJson(body): ApiJson<NewFeedBody>,
) -> Result<(StatusCode, Json<FeedView>), ApiError> {
    let input = FeedInput {
        url: body.url,
        channel_ids: body.channel_ids,
        mode: body.mode,
        first_poll_items: body.first_poll_items,
        poll_interval_minutes: body.poll_interval_minutes,
    };
    let feed = state.services.add_feed(&actor, ws, input).await?;
    Ok((StatusCode::CREATED, Json(feed.into())))
}

#[utoipa::path(get, path = "/api/v1/workspaces/{ws}/feeds/{id}", tag = "publish",
    params(("ws" = Uuid, Path), ("id" = Uuid, Path)),
    responses((status = 200, body = FeedView), (status = 404, body = crate::web::problem::Problem)))]
pub async fn get(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath((ws, id)): ApiPath<(Uuid, Uuid)>,
) -> Result<Json<FeedView>, ApiError> {
    Ok(Json(state.services.feed(&actor, ws, id).await?.into()))
}

/// Stops polling the feed; the posts it made stay.
#[utoipa::path(delete, path = "/api/v1/workspaces/{ws}/feeds/{id}", tag = "publish",
    params(("ws" = Uuid, Path), ("id" = Uuid, Path)),
    responses((status = 204), (status = 403, body = crate::web::problem::Problem),
        (status = 404, body = crate::web::problem::Problem)))]
pub async fn delete(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath((ws, id)): ApiPath<(Uuid, Uuid)>,
) -> Result<StatusCode, ApiError> {
    state.services.delete_feed(&actor, ws, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Reads the feed now, whatever its schedule.
#[utoipa::path(post, path = "/api/v1/workspaces/{ws}/feeds/{id}/poll", tag = "publish",
    params(("ws" = Uuid, Path), ("id" = Uuid, Path)),
    responses((status = 200, body = FeedView), (status = 403, body = crate::web::problem::Problem),
        (status = 404, body = crate::web::problem::Problem)))]
pub async fn poll(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath((ws, id)): ApiPath<(Uuid, Uuid)>,
) -> Result<Json<FeedView>, ApiError> {
    Ok(Json(
        state.services.poll_feed_now(&actor, ws, id).await?.into(),
    ))
}
