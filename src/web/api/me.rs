use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::views::{List, SessionView, UserView};
use crate::web::auth::TokenUser;
use crate::web::{ApiError, ApiJson, ApiPath, AppState};

/// The account the token belongs to.
#[utoipa::path(get, path = "/api/v1/me", tag = "account",
    responses((status = 200, body = UserView), (status = 401, body = crate::web::problem::Problem)))]
pub async fn me(TokenUser(actor): TokenUser) -> Json<UserView> {
    Json(UserView::from(&actor.user))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateMe {
    /// The name shown to other members.
    pub display_name: String,
}

/// Changes the account's display name.
#[utoipa::path(patch, path = "/api/v1/me", tag = "account", request_body = UpdateMe,
    responses((status = 200, body = UserView), (status = 422, body = crate::web::problem::Problem)))]
pub async fn update_me(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiJson(body): ApiJson<UpdateMe>,
) -> Result<Json<UserView>, ApiError> {
    state
        .services
        .rename_self(&actor, &body.display_name)
        .await?;
    let user = state.services.user_by_email(&actor.user.email).await?;
    Ok(Json(UserView::from(&user)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangePassword {
    pub current_password: String,
    pub new_password: String,
}

/// Changes the password; every browser session of the account ends.
#[utoipa::path(post, path = "/api/v1/me/password", tag = "account", request_body = ChangePassword,
    responses((status = 204), (status = 422, body = crate::web::problem::Problem)))]
pub async fn change_password(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiJson(body): ApiJson<ChangePassword>,
) -> Result<StatusCode, ApiError> {
    state
        .services
        .change_password(&actor, &body.current_password, &body.new_password)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The account's live browser sessions.
#[utoipa::path(get, path = "/api/v1/me/sessions", tag = "account",
    responses((status = 200, body = List<SessionView>)))]
pub async fn sessions(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
) -> Result<Json<List<SessionView>>, ApiError> {
    let sessions = state.services.list_sessions(&actor).await?;
    Ok(Json(List::all(
        sessions.iter().map(SessionView::from).collect(),
    )))
}

/// Ends one browser session.
#[utoipa::path(delete, path = "/api/v1/me/sessions/{id}", tag = "account",
    params(("id" = Uuid, Path)), responses((status = 204), (status = 404, body = crate::web::problem::Problem)))]
pub async fn end_session(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<StatusCode, ApiError> {
    state.services.end_session(&actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Ends every browser session of the account (log out everywhere).
#[utoipa::path(delete, path = "/api/v1/me/sessions", tag = "account", responses((status = 204)))]
pub async fn end_all_sessions(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
) -> Result<StatusCode, ApiError> {
    state.services.logout_everywhere(&actor).await?;
    Ok(StatusCode::NO_CONTENT)
}
