//! A variant's save or button that changed nothing: the answer's status code and the
//! composer redrawn from the post as it was, with why.

use axum::http::StatusCode;
use uuid::Uuid;

use super::page::{CONFLICT_STATUS, KEEP_TYPING, NOT_SAVED, composer};
use super::view::Composer;
use crate::services::posts::PostDetail;
use crate::services::{Actor, AppError};
use crate::storage::workspaces::MemberWorkspace;
use crate::web::AppState;
use crate::web::ui::UiError;
use crate::web::ui::forms::Errors;

/// `error` from a change to the variant `variant_id` of `before`: a conflict (409) leaves
/// the composer read-only with the message above it; anything else (422) puts the errors
/// beside the variant's fields. `full` loads what only the whole page shows.
pub(super) async fn variant_failure(
    state: &AppState,
    actor: &Actor,
    ws: &MemberWorkspace,
    before: &PostDetail,
    variant_id: Uuid,
    full: bool,
    error: AppError,
) -> Result<(StatusCode, Composer), UiError> {
    let (errors, conflict) = match error {
        AppError::Conflict(m) => (Errors::default(), Some(m)),
        other => (Errors::from_app(other)?, None),
    };
    let mut c = composer(state, actor, ws, Some(before), full).await?;
    let status = if conflict.is_some() {
        c.status = CONFLICT_STATUS.to_owned();
        c.read_only = true;
        StatusCode::CONFLICT
    } else {
        c.status = NOT_SAVED.to_owned();
        StatusCode::UNPROCESSABLE_ENTITY
    };
    c.alert = conflict.map(|m| format!("{m} {KEEP_TYPING}"));
    if let Some(v) = c.variants.iter_mut().find(|v| v.id == variant_id) {
        v.errors = errors;
    }
    Ok((status, c))
}
