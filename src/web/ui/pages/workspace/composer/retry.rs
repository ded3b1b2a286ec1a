//! `POST /w/{ws}/posts/{id}/retry`: publishes the failed channels of a post again, now.
//! With `include_unknown` ("Send anyway") also those whose outcome is unknown, which may
//! already be on the network: the button says so before it is pressed.

use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use uuid::Uuid;

use super::sections::{Outcome, answer};
use crate::web::AppState;
use crate::web::auth::SessionUser;
use crate::web::ui::UiError;
use crate::web::ui::forms::{UiForm, UiPath};
use crate::web::ui::render::Htmx;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RetryForm {
    include_unknown: String,
}

pub async fn retry(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath((ws_id, id)): UiPath<(Uuid, Uuid)>,
    UiForm(form): UiForm<RetryForm>,
) -> Result<Response, UiError> {
    let ws = state.services.workspace(&actor, ws_id).await?;
    let before = state.services.get_post(&actor, ws_id, id).await?;
    let anyway = !form.include_unknown.is_empty();
    state.services.retry_post(&actor, ws_id, id, anyway).await?;
    let outcome = Outcome::done(if anyway {
        "Sending again now, including where the outcome was unknown."
    } else {
        "Trying the failed channels again now."
    });
    answer(&state, &actor, htmx, &ws, &before, outcome).await
}
