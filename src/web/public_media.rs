//! `/media/public/{id}?exp=...&sig=...`: a media file's bytes for the networks that fetch
//! media themselves (Instagram, Threads), with no session: the signed, expiring address is
//! the permission (`Services::media_public_url`). A bad, expired or missing signature is a
//! bare 403 and an unknown file a bare 404: no body says which part was wrong.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use uuid::Uuid;

use super::AppState;
use crate::services::AppError;

pub fn routes() -> Router<AppState> {
    Router::new().route("/media/public/{id}", get(file))
}

#[derive(Deserialize)]
pub struct Signed {
    exp: i64,
    sig: String,
}

async fn file(
    State(state): State<AppState>,
    id: Result<Path<Uuid>, axum::extract::rejection::PathRejection>,
    signed: Result<Query<Signed>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let (Ok(Path(id)), Ok(Query(signed))) = (id, signed) else {
        return StatusCode::FORBIDDEN.into_response();
    };
    if signed.sig.len() > 64 {
        return StatusCode::FORBIDDEN.into_response();
    }
    match state
        .services
        .open_public_media(id, signed.exp, &signed.sig)
        .await
    {
        Ok((reader, mime)) => super::media_files::stream(reader, mime, None),
        Err(AppError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(AppError::Forbidden(_)) => StatusCode::FORBIDDEN.into_response(),
        Err(e) => {
            tracing::error!(error = %e, "serving a public media file");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
