//! `POST /w/{ws}/posts/{id}/cancel`: stops the channels of a post that have not gone out
//! (scheduled, waiting for a retry, failed); they can be scheduled again.

use axum::extract::State;
use axum::response::Response;
use uuid::Uuid;

use super::form::Pairs;
use super::sections::{Outcome, answer};
use crate::web::AppState;
use crate::web::auth::SessionUser;
use crate::web::ui::UiError;
use crate::web::ui::forms::{UiForm, UiPath};
use crate::web::ui::render::Htmx;

pub async fn cancel(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath((ws_id, id)): UiPath<(Uuid, Uuid)>,
    UiForm(_): UiForm<Pairs>,
) -> Result<Response, UiError> {
    let ws = state.services.workspace(&actor, ws_id).await?;
    let before = state.services.get_post(&actor, ws_id, id).await?;
    state.services.cancel_post(&actor, ws_id, id).await?;
    let outcome = Outcome::done("Cancelled: nothing goes out until you schedule it again.");
    answer(&state, &actor, htmx, &ws, &before, outcome).await
}
