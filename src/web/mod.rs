//! HTTP only: extract, call a service, render. The UI (askama + htmx) and the JSON API share
//! the services, so they cannot disagree.

pub mod api;
pub mod assets;
pub mod auth;
mod csrf;
pub mod health;
mod problem;
mod security_headers;
mod short_links;
pub mod state;
pub mod ui;

use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use problem::{ApiError, ApiJson, ApiPath};
pub use state::AppState;

/// Requests larger than this are refused before they are read (uploads get their own limit
/// when media arrives).
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// The whole HTTP surface.
pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(ui::routes())
        .merge(api::routes())
        .merge(health::routes())
        .merge(assets::routes())
        .merge(short_links::routes())
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            csrf::protect,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            security_headers::add,
        ))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
