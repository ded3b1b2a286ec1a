//! HTTP only: extract, call a service, render. The UI (askama + htmx) and the JSON API share
//! the services, so they cannot disagree.

pub mod api;
pub mod assets;
pub mod auth;
mod csrf;
pub mod health;
mod media_files;
mod problem;
mod public_media;
mod security_headers;
mod short_links;
pub mod state;
pub mod ui;
mod upload;

use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use problem::{ApiError, ApiJson, ApiPath};
pub use state::AppState;

/// Requests larger than this are refused before they are read; uploads have their own
/// limit (the configured media limits).
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// The whole HTTP surface.
pub fn router(state: AppState) -> Router {
    let bounded = Router::new()
        .merge(ui::routes())
        .merge(api::routes())
        .merge(health::routes())
        .merge(assets::routes())
        .merge(short_links::routes())
        .merge(public_media::routes())
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ));
    // The largest file Herald stores (a video, by default), and room for the rest of the
    // form (`upload`). The imports' routes set their own, smaller limits.
    let upload_limit =
        state.services.media.limits.max_upload_bytes() as usize + upload::UPLOAD_SLACK_BYTES;
    let uploads = Router::new()
        .merge(api::upload_routes())
        .merge(ui::upload_routes())
        .layer(DefaultBodyLimit::max(upload_limit))
        // A large video over a slow uplink takes a while; the body limit bounds the rest.
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(3600),
        ));
    bounded
        .merge(uploads)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            csrf::protect,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            security_headers::add,
        ))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
