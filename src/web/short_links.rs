//! `GET /l/{code}`: Herald's own short links, which redirect and count clicks.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;

use super::AppState;
use crate::services::AppError;

pub fn routes() -> Router<AppState> {
    Router::new().route("/l/{code}", get(follow))
}

async fn follow(
    State(state): State<AppState>,
    Path(code): Path<String>,
    headers: HeaderMap,
) -> Response {
    let user_agent = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    match state.services.follow_link(&code, user_agent).await {
        Ok(target) => Redirect::to(&target).into_response(),
        Err(AppError::NotFound) => {
            (StatusCode::NOT_FOUND, "This short link does not exist.").into_response()
        }
        Err(err) => {
            tracing::error!(error = %err, "following a short link failed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong; try again.",
            )
                .into_response()
        }
    }
}
