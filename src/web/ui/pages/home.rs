//! `/`: sends each visitor where they belong.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

use crate::web::AppState;
use crate::web::auth::MaybeSessionUser;
use crate::web::ui::UiError;

/// A fresh install to the first-account form, a stranger to the login page, someone with a
/// single workspace straight into it, everyone else to their workspace list.
pub async fn show(
    State(state): State<AppState>,
    MaybeSessionUser(actor): MaybeSessionUser,
) -> Result<Response, UiError> {
    let Some(actor) = actor else {
        let to = if state.services.is_set_up().await? {
            "/login"
        } else {
            "/setup"
        };
        return Ok(Redirect::to(to).into_response());
    };
    let workspaces = state.services.list_workspaces(&actor).await?;
    let mut active = workspaces
        .iter()
        .filter(|w| w.workspace.archived_at_ms.is_none());
    let to = match (active.next(), active.next()) {
        (Some(only), None) => format!("/w/{}", only.workspace.id),
        _ => "/workspaces".to_owned(),
    };
    Ok(Redirect::to(&to).into_response())
}
