use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::views::{List, WorkspaceView};
use crate::domain::workspace::BrandProfile;
use crate::web::auth::TokenUser;
use crate::web::{ApiError, ApiJson, ApiPath, AppState};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateWorkspace {
    pub name: String,
    /// IANA time zone, e.g. "Europe/Paris".
    pub time_zone: String,
}

/// Fields to change; the others stay as they are.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateWorkspace {
    pub name: Option<String>,
    pub time_zone: Option<String>,
    pub requires_approval: Option<bool>,
    pub require_alt_text: Option<bool>,
    /// 0 to 100.
    pub promo_target_percent: Option<i64>,
    pub brand: Option<BrandPatch>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BrandPatch {
    pub voice: Option<String>,
    pub words_to_avoid: Option<String>,
    pub hashtags: Option<String>,
    pub audience_notes: Option<String>,
    pub goals: Option<String>,
}

/// The workspaces the caller belongs to, active ones first.
#[utoipa::path(get, path = "/api/v1/workspaces", tag = "workspaces", responses((status = 200, body = List<WorkspaceView>)))]
pub async fn list(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
) -> Result<Json<List<WorkspaceView>>, ApiError> {
    let items = state.services.list_workspaces(&actor).await?;
    Ok(Json(List::all(
        items.iter().map(WorkspaceView::from).collect(),
    )))
}

/// Creates a workspace; the caller becomes its owner.
#[utoipa::path(post, path = "/api/v1/workspaces", tag = "workspaces", request_body = CreateWorkspace,
    responses((status = 201, body = WorkspaceView), (status = 422, body = crate::web::problem::Problem)))]
pub async fn create(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiJson(body): ApiJson<CreateWorkspace>,
) -> Result<(StatusCode, Json<WorkspaceView>), ApiError> {
    let ws = state
        .services
        .create_workspace(&actor, &body.name, &body.time_zone)
        .await?;
    Ok((StatusCode::CREATED, Json(WorkspaceView::from(&ws))))
}

#[utoipa::path(get, path = "/api/v1/workspaces/{ws}", tag = "workspaces", params(("ws" = Uuid, Path)),
    responses((status = 200, body = WorkspaceView), (status = 404, body = crate::web::problem::Problem)))]
pub async fn get(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath(ws): ApiPath<Uuid>,
) -> Result<Json<WorkspaceView>, ApiError> {
    Ok(Json(WorkspaceView::from(
        &state.services.workspace(&actor, ws).await?,
    )))
}

/// Changes settings or the brand profile (managers; renaming needs an owner).
#[utoipa::path(patch, path = "/api/v1/workspaces/{ws}", tag = "workspaces", params(("ws" = Uuid, Path)),
    request_body = UpdateWorkspace,
    responses((status = 200, body = WorkspaceView), (status = 403, body = crate::web::problem::Problem),
        (status = 404, body = crate::web::problem::Problem), (status = 422, body = crate::web::problem::Problem)))]
pub async fn update(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath(ws): ApiPath<Uuid>,
    ApiJson(patch): ApiJson<UpdateWorkspace>,
) -> Result<Json<WorkspaceView>, ApiError> {
    let mut settings = state
        .services
        .workspace(&actor, ws)
        .await?
        .workspace
        .settings();
    settings.name = patch.name.unwrap_or(settings.name);
    settings.time_zone = patch.time_zone.unwrap_or(settings.time_zone);
    settings.promo_target_percent = patch
        .promo_target_percent
        .unwrap_or(settings.promo_target_percent);
    settings.require_alt_text = patch.require_alt_text.unwrap_or(settings.require_alt_text);
    settings.requires_approval = patch
        .requires_approval
        .unwrap_or(settings.requires_approval);
    if let Some(b) = patch.brand {
        let old = settings.brand;
        settings.brand = BrandProfile {
            voice: b.voice.unwrap_or(old.voice),
            words_to_avoid: b.words_to_avoid.unwrap_or(old.words_to_avoid),
            hashtags: b.hashtags.unwrap_or(old.hashtags),
            audience_notes: b.audience_notes.unwrap_or(old.audience_notes),
            goals: b.goals.unwrap_or(old.goals),
        };
    }
    let updated = state
        .services
        .update_workspace(&actor, ws, settings)
        .await?;
    Ok(Json(WorkspaceView::from(&updated)))
}

/// Archives the workspace: read-only, listed last (owners).
#[utoipa::path(post, path = "/api/v1/workspaces/{ws}/archive", tag = "workspaces", params(("ws" = Uuid, Path)),
    responses((status = 200, body = WorkspaceView), (status = 403, body = crate::web::problem::Problem)))]
pub async fn archive(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath(ws): ApiPath<Uuid>,
) -> Result<Json<WorkspaceView>, ApiError> {
    Ok(Json(WorkspaceView::from(
        &state
            .services
            .set_workspace_archived(&actor, ws, true)
            .await?,
    )))
}

/// Restores an archived workspace (owners).
#[utoipa::path(post, path = "/api/v1/workspaces/{ws}/restore", tag = "workspaces", params(("ws" = Uuid, Path)),
    responses((status = 200, body = WorkspaceView), (status = 403, body = crate::web::problem::Problem)))]
pub async fn restore(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath(ws): ApiPath<Uuid>,
) -> Result<Json<WorkspaceView>, ApiError> {
    Ok(Json(WorkspaceView::from(
        &state
            .services
            .set_workspace_archived(&actor, ws, false)
            .await?,
    )))
}
