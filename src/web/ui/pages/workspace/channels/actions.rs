//! A channel's buttons: check it with the network now, or disconnect it (it keeps its posts).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use uuid::Uuid;

use super::page_for;
use crate::web::AppState;
use crate::web::auth::SessionUser;
use crate::web::ui::UiError;
use crate::web::ui::forms::UiPath;
use crate::web::ui::render::{Htmx, Toast, render};

pub async fn check(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath((id, channel)): UiPath<(Uuid, Uuid)>,
) -> Result<Response, UiError> {
    let outcome = state.services.check_channel(&actor, id, channel).await;
    let ws = state.services.workspace(&actor, id).await?;
    let mut page = page_for(&state, &actor, &ws).await?;
    let toast = match outcome {
        Ok(c) => Toast::ok(format!("{} is connected and working.", c.handle)),
        // The row shows the new health; the toast says what happened.
        Err(e) => Toast::error(e.to_string()),
    };
    page.shell.toasts.push(toast);
    render(htmx, StatusCode::OK, page)
}

pub async fn disconnect(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath((id, channel)): UiPath<(Uuid, Uuid)>,
) -> Result<Response, UiError> {
    let c = state
        .services
        .disconnect_channel(&actor, id, channel)
        .await?;
    let ws = state.services.workspace(&actor, id).await?;
    let mut page = page_for(&state, &actor, &ws).await?;
    page.shell.toasts.push(Toast::ok(format!(
        "{} is disconnected. Its posts stay; reconnect it to publish again.",
        c.handle
    )));
    render(htmx, StatusCode::OK, page)
}
