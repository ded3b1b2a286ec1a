//! One module per page; each handler extracts, calls a service and renders.

pub mod account;
pub mod admin;
pub mod home;
pub mod invite;
pub mod login;
pub mod notifications;
pub mod oauth;
pub mod review_link;
pub mod setup;
pub mod workspace;
pub mod workspaces;

use axum::http::Uri;
use axum::response::{IntoResponse, Response};

use super::UiError;
use crate::services::AppError;
use crate::web::ApiError;

/// Unknown addresses: an HTML 404 page, or a problem+json 404 under `/api/`.
pub async fn not_found(uri: Uri) -> Response {
    if uri.path().starts_with("/api/") {
        ApiError::from(AppError::NotFound).into_response()
    } else {
        UiError::from(AppError::NotFound).into_response()
    }
}
