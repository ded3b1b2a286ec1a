//! `POST /w/{ws}/posts/{id}/evergreen`: the "Repeat" section's evergreen switch. `add` puts
//! the post in the workspace's evergreen library, `remove` takes it out (re-shares already
//! scheduled stay, as on the Evergreen page).

use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use uuid::Uuid;

use super::repeat::refused;
use super::sections::{Outcome, answer};
use crate::services::AppError;
use crate::web::AppState;
use crate::web::auth::SessionUser;
use crate::web::ui::UiError;
use crate::web::ui::forms::{Errors, UiForm, UiPath};
use crate::web::ui::render::Htmx;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SwitchForm {
    action: String,
}

pub async fn switch_evergreen(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath((ws_id, id)): UiPath<(Uuid, Uuid)>,
    UiForm(form): UiForm<SwitchForm>,
) -> Result<Response, UiError> {
    let ws = state.services.workspace(&actor, ws_id).await?;
    let before = state.services.get_post(&actor, ws_id, id).await?;
    let s = &state.services;
    let done = match form.action.as_str() {
        "add" => s.mark_evergreen(&actor, ws_id, id).await.map(|_| {
            "In the evergreen library: it is re-shared into an empty posting slot when its turn comes."
        }),
        // The post is this workspace's (read above): not found means not in the library,
        // which is what was asked (a second press from a stale page).
        "remove" => match s.unmark_evergreen(&actor, ws_id, id).await {
            Ok(_) | Err(AppError::NotFound) => {
                Ok("Out of the evergreen library; re-shares already scheduled stay.")
            }
            Err(e) => Err(e),
        },
        _ => Err(AppError::field("action", "must be add or remove")),
    };
    let outcome = match done {
        Ok(text) => Outcome::done(text).in_repeat(),
        Err(AppError::Validation(fields)) => refused(None, Errors(fields), "Not changed"),
        Err(e) => return Err(e.into()),
    };
    answer(&state, &actor, htmx, &ws, &before, outcome).await
}
