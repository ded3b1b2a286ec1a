//! Liveness and readiness, for load balancers and orchestrators.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;

use super::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
}

/// The process answers.
async fn healthz() -> &'static str {
    "ok"
}

/// The database answers and every migration is applied.
async fn readyz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    let db = &state.services.db;
    match (db.ping().await, db.migrations_current().await) {
        (Ok(()), Ok(true)) => (StatusCode::OK, "ready"),
        (Ok(()), _) => (StatusCode::SERVICE_UNAVAILABLE, "migrations pending"),
        (Err(_), _) => (StatusCode::SERVICE_UNAVAILABLE, "database unreachable"),
    }
}
