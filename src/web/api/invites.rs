use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::views::{InviteView, List, WorkspaceView};
use crate::domain::Role;
use crate::web::auth::TokenUser;
use crate::web::{ApiError, ApiJson, ApiPath, AppState};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateInvite {
    pub role: Role,
    /// Who the link is for, as a reminder in the list.
    #[serde(default)]
    pub note: String,
    /// 1 to 30; 7 when absent.
    pub expires_in_days: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct Accepted {
    pub workspace: WorkspaceView,
}

/// The invite link a person opens: `{public_url}/invite/{token}`.
pub fn invite_url(state: &AppState, token: &str) -> String {
    format!("{}/invite/{token}", state.config.public_base())
}

/// Open invites (managers).
#[utoipa::path(get, path = "/api/v1/workspaces/{ws}/invites", tag = "members", params(("ws" = Uuid, Path)),
    responses((status = 200, body = List<InviteView>), (status = 404, body = crate::web::problem::Problem)))]
pub async fn list(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath(ws): ApiPath<Uuid>,
) -> Result<Json<List<InviteView>>, ApiError> {
    let invites = state.services.list_invites(&actor, ws).await?;
    Ok(Json(List::all(
        invites.iter().map(|i| InviteView::new(i, None)).collect(),
    )))
}

/// Creates a single-use, expiring invite link with a role (managers; owner invites need an owner).
#[utoipa::path(post, path = "/api/v1/workspaces/{ws}/invites", tag = "members", params(("ws" = Uuid, Path)),
    request_body = CreateInvite,
    responses((status = 201, body = InviteView), (status = 403, body = crate::web::problem::Problem),
        (status = 422, body = crate::web::problem::Problem)))]
pub async fn create(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath(ws): ApiPath<Uuid>,
    ApiJson(body): ApiJson<CreateInvite>,
) -> Result<(StatusCode, Json<InviteView>), ApiError> {
    let created = state
        .services
        .create_invite(&actor, ws, body.role, &body.note, body.expires_in_days)
        .await?;
    let url = invite_url(&state, &created.token);
    Ok((
        StatusCode::CREATED,
        Json(InviteView::new(&created.invite, Some(url))),
    ))
}

/// Withdraws an invite that has not been used.
#[utoipa::path(delete, path = "/api/v1/workspaces/{ws}/invites/{id}", tag = "members",
    params(("ws" = Uuid, Path), ("id" = Uuid, Path)),
    responses((status = 204), (status = 404, body = crate::web::problem::Problem)))]
pub async fn revoke(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath((ws, id)): ApiPath<(Uuid, Uuid)>,
) -> Result<StatusCode, ApiError> {
    state.services.revoke_invite(&actor, ws, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Joins a workspace with an invite token (the last part of the link).
#[utoipa::path(post, path = "/api/v1/invites/{token}/accept", tag = "members", params(("token" = String, Path)),
    responses((status = 200, body = Accepted), (status = 409, body = crate::web::problem::Problem)))]
pub async fn accept(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath(token): ApiPath<String>,
) -> Result<Json<Accepted>, ApiError> {
    let ws = state.services.accept_invite(&actor, &token).await?;
    let workspace = WorkspaceView::from(&state.services.workspace(&actor, ws).await?);
    Ok(Json(Accepted { workspace }))
}
