use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::views::{List, TokenView};
use crate::web::auth::TokenUser;
use crate::web::{ApiError, ApiJson, ApiPath, AppState};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateToken {
    /// What the token is for, e.g. "CI publishing script".
    pub name: String,
}

/// The account's personal access tokens (without their secrets).
#[utoipa::path(get, path = "/api/v1/tokens", tag = "tokens", responses((status = 200, body = List<TokenView>)))]
pub async fn list(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
) -> Result<Json<List<TokenView>>, ApiError> {
    let tokens = state.services.list_tokens(&actor).await?;
    Ok(Json(List::all(
        tokens.iter().map(|t| TokenView::new(t, None)).collect(),
    )))
}

/// Creates a token; the answer holds the secret, shown this once.
#[utoipa::path(post, path = "/api/v1/tokens", tag = "tokens", request_body = CreateToken,
    responses((status = 201, body = TokenView), (status = 422, body = crate::web::problem::Problem)))]
pub async fn create(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiJson(body): ApiJson<CreateToken>,
) -> Result<(StatusCode, Json<TokenView>), ApiError> {
    let created = state.services.create_token(&actor, &body.name).await?;
    Ok((
        StatusCode::CREATED,
        Json(TokenView::new(&created.token, Some(created.secret))),
    ))
}

/// Revokes a token; it stops working at once.
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "tokens", params(("id" = Uuid, Path)),
    responses((status = 204), (status = 404, body = crate::web::problem::Problem)))]
pub async fn revoke(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<StatusCode, ApiError> {
    state.services.revoke_token(&actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
