//! `POST /w/{ws}/posts/{id}/repeat/stop`: "Stop repeating". Ends the series; the
//! occurrences that have not gone out are cancelled (the service does both).

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

pub async fn stop_repeat(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath((ws_id, id)): UiPath<(Uuid, Uuid)>,
    UiForm(_): UiForm<Pairs>,
) -> Result<Response, UiError> {
    let ws = state.services.workspace(&actor, ws_id).await?;
    let before = state.services.get_post(&actor, ws_id, id).await?;
    // An ended series is a conflict, answered as a toast like any other.
    state.services.cancel_recurrence(&actor, ws_id, id).await?;
    let outcome = Outcome::done(
        "Stopped repeating: no more occurrences, and those not yet out are cancelled.",
    )
    .in_repeat();
    answer(&state, &actor, htmx, &ws, &before, outcome).await
}
