//! Queue settings: a channel's posting slots and zone, a workspace's grace window and
//! minimum gap.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::channel_views::ChannelView;
use super::views::WorkspaceView;
use crate::web::auth::TokenUser;
use crate::web::{ApiError, ApiJson, ApiPath, AppState};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SlotsBody {
    /// "mon 09:00", one per entry; an empty list empties the queue's slots.
    pub posting_slots: Vec<String>,
    /// IANA zone of the slots; empty or absent: the workspace's.
    #[serde(default)]
    pub time_zone: String,
}

#[utoipa::path(put, path = "/api/v1/workspaces/{ws}/channels/{id}/slots", tag = "publish",
    params(("ws" = Uuid, Path), ("id" = Uuid, Path)), request_body = SlotsBody,
    responses((status = 200, body = ChannelView), (status = 403, body = crate::web::problem::Problem),
        (status = 404, body = crate::web::problem::Problem), (status = 422, body = crate::web::problem::Problem)))]
pub async fn set_slots(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath((ws, id)): ApiPath<(Uuid, Uuid)>,
    ApiJson(body): ApiJson<SlotsBody>,
) -> Result<Json<ChannelView>, ApiError> {
    let channel = state
        .services
        .set_channel_slots(&actor, ws, id, &body.posting_slots, &body.time_zone)
        .await?;
    Ok(Json(ChannelView::new(&channel, state.services.now_ms())))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublishingBody {
    /// 0 to 1440: how late a post may still go out after Herald was down at its time.
    pub grace_window_minutes: i64,
    /// 1 to 1440, or null for no minimum gap between two posts on a channel.
    pub min_gap_minutes: Option<i64>,
}

#[utoipa::path(put, path = "/api/v1/workspaces/{ws}/publishing", tag = "publish",
    params(("ws" = Uuid, Path)), request_body = PublishingBody,
    responses((status = 200, body = WorkspaceView), (status = 403, body = crate::web::problem::Problem),
        (status = 404, body = crate::web::problem::Problem), (status = 422, body = crate::web::problem::Problem)))]
pub async fn set_publishing(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath(ws): ApiPath<Uuid>,
    ApiJson(body): ApiJson<PublishingBody>,
) -> Result<Json<WorkspaceView>, ApiError> {
    state
        .services
        .set_publishing_settings(&actor, ws, body.grace_window_minutes, body.min_gap_minutes)
        .await?;
    let member = state.services.workspace(&actor, ws).await?;
    Ok(Json(WorkspaceView::from(&member)))
}
