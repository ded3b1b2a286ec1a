use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::views::{List, MemberView};
use crate::domain::Role;
use crate::web::auth::TokenUser;
use crate::web::{ApiError, ApiJson, ApiPath, AppState};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangeRole {
    pub role: Role,
}

#[utoipa::path(get, path = "/api/v1/workspaces/{ws}/members", tag = "members", params(("ws" = Uuid, Path)),
    responses((status = 200, body = List<MemberView>), (status = 404, body = crate::web::problem::Problem)))]
pub async fn list(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath(ws): ApiPath<Uuid>,
) -> Result<Json<List<MemberView>>, ApiError> {
    let members = state.services.list_members(&actor, ws).await?;
    Ok(Json(List::all(
        members.iter().map(MemberView::from).collect(),
    )))
}

/// Changes a member's role (managers; only owners grant or take away owner; the last owner stays).
#[utoipa::path(patch, path = "/api/v1/workspaces/{ws}/members/{user}", tag = "members",
    params(("ws" = Uuid, Path), ("user" = Uuid, Path)), request_body = ChangeRole,
    responses((status = 200, body = MemberView), (status = 403, body = crate::web::problem::Problem),
        (status = 404, body = crate::web::problem::Problem), (status = 409, body = crate::web::problem::Problem)))]
pub async fn change_role(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath((ws, user)): ApiPath<(Uuid, Uuid)>,
    ApiJson(body): ApiJson<ChangeRole>,
) -> Result<Json<MemberView>, ApiError> {
    let member = state
        .services
        .change_role(&actor, ws, user, body.role)
        .await?;
    Ok(Json(MemberView::from(&member)))
}

/// Removes a member, or leaves when the user is the caller (the last owner cannot).
#[utoipa::path(delete, path = "/api/v1/workspaces/{ws}/members/{user}", tag = "members",
    params(("ws" = Uuid, Path), ("user" = Uuid, Path)),
    responses((status = 204), (status = 403, body = crate::web::problem::Problem),
        (status = 404, body = crate::web::problem::Problem), (status = 409, body = crate::web::problem::Problem)))]
pub async fn remove(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath((ws, user)): ApiPath<(Uuid, Uuid)>,
) -> Result<StatusCode, ApiError> {
    state.services.remove_member(&actor, ws, user).await?;
    Ok(StatusCode::NO_CONTENT)
}
