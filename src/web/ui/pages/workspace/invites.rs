//! Invite links: created with a role, shown once, revocable.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use uuid::Uuid;

use super::members_page::{InviteForm, MembersPage, NewInviteView};
use crate::domain::Role;
use crate::services::AppError;
use crate::web::AppState;
use crate::web::auth::SessionUser;
use crate::web::ui::UiError;
use crate::web::ui::format::when;
use crate::web::ui::forms::{Errors, UiForm, UiPath};
use crate::web::ui::render::{Htmx, Toast, render};
pub async fn create(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath(id): UiPath<Uuid>,
    UiForm(form): UiForm<InviteForm>,
) -> Result<Response, UiError> {
    let role = form
        .role
        .parse::<Role>()
        .map_err(|e| AppError::field("role", e.to_string()));
    let days =
        form.expires_in_days.trim().parse::<i64>().map_err(|_| {
            AppError::field("expires_in_days", "must be a whole number of days, 1 to 30")
        });
    let created = match (role, days) {
        (Ok(role), Ok(days)) => {
            state
                .services
                .create_invite(&actor, id, role, &form.note, Some(days))
                .await
        }
        (Err(e), _) | (_, Err(e)) => Err(e),
    };
    // Loaded after the attempt, so a new invite is already in the open list.
    let mut page = MembersPage::load(&state, &actor, id).await?;
    match created {
        Ok(new) => {
            let expires = when(new.invite.expires_at_ms, page.time_zone());
            page.new_invite = Some(NewInviteView {
                url: invite_url(&state, &new.token),
                role: new.invite.role.label(),
                expires,
            });
            render(htmx, StatusCode::OK, page)
        }
        Err(e) => {
            page.errors = Errors::from_app(e)?;
            page.form = form;
            render(htmx, StatusCode::UNPROCESSABLE_ENTITY, page)
        }
    }
}

pub async fn revoke(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath((id, invite)): UiPath<(Uuid, Uuid)>,
) -> Result<Response, UiError> {
    state.services.revoke_invite(&actor, id, invite).await?;
    let mut page = MembersPage::load(&state, &actor, id).await?;
    page.shell.toasts.push(Toast::ok(
        "The invite link is withdrawn; it no longer works.",
    ));
    render(htmx, StatusCode::OK, page)
}

/// The link a person opens: the same as the API's `invite_url` (`{public_url}/invite/{token}`),
/// which lives in a module private to the API.
fn invite_url(state: &AppState, token: &str) -> String {
    format!("{}/invite/{token}", state.config.public_base())
}
