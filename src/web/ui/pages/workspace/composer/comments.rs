//! `POST /w/{ws}/posts/{id}/comments`: a comment in the post's thread. Anyone in the
//! workspace may comment; `@name` mentions are typed as text.

use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use uuid::Uuid;

use super::review::kept;
use super::sections::{Outcome, answer};
use crate::services::AppError;
use crate::web::AppState;
use crate::web::auth::SessionUser;
use crate::web::ui::UiError;
use crate::web::ui::forms::{UiForm, UiPath};
use crate::web::ui::render::Htmx;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CommentForm {
    body: String,
}

pub async fn comment(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath((ws_id, id)): UiPath<(Uuid, Uuid)>,
    UiForm(form): UiForm<CommentForm>,
) -> Result<Response, UiError> {
    let ws = state.services.workspace(&actor, ws_id).await?;
    let before = state.services.get_post(&actor, ws_id, id).await?;
    let outcome = match state
        .services
        .comment_post(&actor, ws_id, id, &form.body)
        .await
    {
        Ok(_) => Outcome::done("Comment added.").in_review(),
        Err(AppError::Validation(fields)) => kept(form.body, fields, "comment", "Not added"),
        Err(e) => return Err(e.into()),
    };
    answer(&state, &actor, htmx, &ws, &before, outcome).await
}
