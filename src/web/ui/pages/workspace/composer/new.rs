//! `GET /w/{ws}/posts/new`: the composer for a post not written yet.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use uuid::Uuid;

use super::page::{composer, whole_page};
use crate::web::AppState;
use crate::web::auth::SessionUser;
use crate::web::ui::UiError;
use crate::web::ui::forms::UiPath;
use crate::web::ui::render::Htmx;

pub async fn new(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath(ws_id): UiPath<Uuid>,
) -> Result<Response, UiError> {
    let ws = state.services.workspace(&actor, ws_id).await?;
    let c = composer(&state, &actor, &ws, None, true).await?;
    whole_page(&state, &actor, &ws, htmx, StatusCode::OK, c, None).await
}
