//! The calendar feed on the settings page: managers create, rotate or revoke its secret URL,
//! which is shown once, right after it is made.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use uuid::Uuid;

use super::settings::page_for;
use crate::web::AppState;
use crate::web::api::feed_url;
use crate::web::auth::SessionUser;
use crate::web::ui::UiError;
use crate::web::ui::forms::UiPath;
use crate::web::ui::render::{Htmx, Toast, render};

pub async fn rotate(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath(id): UiPath<Uuid>,
) -> Result<Response, UiError> {
    let created = state.services.rotate_calendar_feed(&actor, id).await?;
    let ws = state.services.workspace(&actor, id).await?;
    let mut page = page_for(&state, &actor, &ws, None).await?;
    page.feed_url = Some(feed_url(&state, id, &created.key));
    page.shell.toasts.push(Toast::ok(
        "New calendar feed URL: copy it now, it is shown only once. Any earlier URL stopped working.",
    ));
    render(htmx, StatusCode::OK, page)
}

pub async fn revoke(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath(id): UiPath<Uuid>,
) -> Result<Response, UiError> {
    state.services.revoke_calendar_feed(&actor, id).await?;
    let ws = state.services.workspace(&actor, id).await?;
    let mut page = page_for(&state, &actor, &ws, None).await?;
    page.shell.toasts.push(Toast::ok(
        "The calendar feed URL is revoked: calendar apps can no longer read it.",
    ));
    render(htmx, StatusCode::OK, page)
}
