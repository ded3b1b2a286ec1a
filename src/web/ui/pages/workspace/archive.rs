//! Archiving (owners; confirmed on the settings page first) and restoring a workspace.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use uuid::Uuid;

use super::settings::page_for;
use crate::web::AppState;
use crate::web::auth::SessionUser;
use crate::web::ui::UiError;
use crate::web::ui::forms::UiPath;
use crate::web::ui::render::{Htmx, Toast, render};

pub async fn archive(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath(id): UiPath<Uuid>,
) -> Result<Response, UiError> {
    set(state, actor, htmx, id, true).await
}

pub async fn restore(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath(id): UiPath<Uuid>,
) -> Result<Response, UiError> {
    set(state, actor, htmx, id, false).await
}

async fn set(
    state: AppState,
    actor: crate::services::Actor,
    htmx: Htmx,
    id: Uuid,
    archived: bool,
) -> Result<Response, UiError> {
    let ws = state
        .services
        .set_workspace_archived(&actor, id, archived)
        .await?;
    let mut page = page_for(&state, &actor, &ws, None).await?;
    let message = if archived {
        format!(
            "{} is archived. It is read-only until an owner restores it.",
            ws.workspace.name
        )
    } else {
        format!("{} is restored.", ws.workspace.name)
    };
    page.shell.toasts.push(Toast::ok(message));
    render(htmx, StatusCode::OK, page)
}
