//! The evergreen library: mark and unmark posts, read and set its rules.

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::domain::clock::rfc3339;
use crate::services::evergreen::Library;
use crate::web::auth::TokenUser;
use crate::web::{ApiError, ApiJson, ApiPath, AppState};

const DAY_MS: i64 = 86_400_000;

#[derive(Serialize, ToSchema)]
pub struct EvergreenPostView {
    pub post_id: Uuid,
    pub text: String,
    /// The channels it is re-shared on (the post's own).
    pub channel_ids: Vec<Uuid>,
    pub added_at: String,
    /// When the library last re-shared it, on any channel.
    pub last_shared_at: Option<String>,
    pub shares: usize,
}

#[derive(Serialize, ToSchema)]
pub struct EvergreenView {
    /// False: the library is paused (or was never used).
    pub enabled: bool,
    /// Days between two re-shares of one post on a channel.
    pub min_interval_days: i64,
    /// A post published on the channel within these days (by hand or re-shared) waits.
    pub skip_recent_days: i64,
    /// What the last pass did, or why it did nothing ("Paused: the library is empty.").
    pub last_note: String,
    pub last_run_at: Option<String>,
    pub posts: Vec<EvergreenPostView>,
}

impl From<Library> for EvergreenView {
    fn from(l: Library) -> Self {
        EvergreenView {
            enabled: l.settings.enabled,
            min_interval_days: l.settings.min_interval_ms / DAY_MS,
            skip_recent_days: l.settings.skip_recent_ms / DAY_MS,
            last_note: l.settings.last_note,
            last_run_at: l.settings.last_run_at_ms.map(rfc3339),
            posts: l
                .posts
                .into_iter()
                .map(|p| EvergreenPostView {
                    post_id: p.entry.post_id,
                    text: p.text,
                    channel_ids: p.channel_ids,
                    added_at: rfc3339(p.entry.added_at_ms),
                    last_shared_at: p.last_shared_at_ms.map(rfc3339),
                    shares: p.shares,
                })
                .collect(),
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EvergreenBody {
    pub enabled: bool,
    /// 1 to 365.
    pub min_interval_days: i64,
    /// 0 to 365.
    pub skip_recent_days: i64,
}

/// The library and its rules.
#[utoipa::path(get, path = "/api/v1/workspaces/{ws}/evergreen", tag = "publish",
    params(("ws" = Uuid, Path)),
    responses((status = 200, body = EvergreenView), (status = 404, body = crate::web::problem::Problem)))]
pub async fn get(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath(ws): ApiPath<Uuid>,
) -> Result<Json<EvergreenView>, ApiError> {
    let library = state.services.evergreen_library(&actor, ws).await?;
    Ok(Json(library.into()))
}

/// Sets the library's rules (managers).
#[utoipa::path(put, path = "/api/v1/workspaces/{ws}/evergreen", tag = "publish",
    params(("ws" = Uuid, Path)), request_body = EvergreenBody,
    responses((status = 200, body = EvergreenView), (status = 403, body = crate::web::problem::Problem),
        (status = 404, body = crate::web::problem::Problem), (status = 422, body = crate::web::problem::Problem)))]
pub async fn set(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath(ws): ApiPath<Uuid>,
    ApiJson(body): ApiJson<EvergreenBody>,
) -> Result<Json<EvergreenView>, ApiError> {
    let library = state
        .services
        .set_evergreen_settings(
            &actor,
            ws,
            body.enabled,
            body.min_interval_days,
            body.skip_recent_days,
        )
        .await?;
    Ok(Json(library.into()))
}

/// Puts the post in the library (editors and above); the first post switches recycling on.
#[utoipa::path(put, path = "/api/v1/workspaces/{ws}/posts/{id}/evergreen", tag = "publish",
    params(("ws" = Uuid, Path), ("id" = Uuid, Path)),
    responses((status = 200, body = EvergreenView), (status = 403, body = crate::web::problem::Problem),
        (status = 404, body = crate::web::problem::Problem), (status = 422, body = crate::web::problem::Problem)))]
pub async fn mark(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath((ws, id)): ApiPath<(Uuid, Uuid)>,
) -> Result<Json<EvergreenView>, ApiError> {
    let library = state.services.mark_evergreen(&actor, ws, id).await?;
    Ok(Json(library.into()))
}

/// Takes the post out of the library (its re-shares already made stay).
#[utoipa::path(delete, path = "/api/v1/workspaces/{ws}/posts/{id}/evergreen", tag = "publish",
    params(("ws" = Uuid, Path), ("id" = Uuid, Path)),
    responses((status = 200, body = EvergreenView), (status = 403, body = crate::web::problem::Problem),
        (status = 404, body = crate::web::problem::Problem)))]
pub async fn unmark(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath((ws, id)): ApiPath<(Uuid, Uuid)>,
) -> Result<Json<EvergreenView>, ApiError> {
    let library = state.services.unmark_evergreen(&actor, ws, id).await?;
    Ok(Json(library.into()))
}
