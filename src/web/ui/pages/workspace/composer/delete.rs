//! `POST /w/{ws}/posts/{id}/delete`.

use axum::extract::State;
use axum::response::Response;
use uuid::Uuid;

use crate::web::AppState;
use crate::web::auth::SessionUser;
use crate::web::ui::UiError;
use crate::web::ui::forms::UiPath;
use crate::web::ui::render::{Htmx, redirect};

pub async fn delete(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath((ws_id, id)): UiPath<(Uuid, Uuid)>,
) -> Result<Response, UiError> {
    state.services.delete_post(&actor, ws_id, id).await?;
    Ok(redirect(htmx, &format!("/w/{ws_id}/posts?deleted=1")))
}
