//! `/w/{ws}/members`: who is in the workspace, with which role; changing roles, removing
//! people, leaving; and the invite links (in `invites.rs`).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use uuid::Uuid;

use crate::domain::{Permission, Role};
use crate::services::{Actor, AppError};
use crate::web::AppState;
use crate::web::auth::SessionUser;
use crate::web::ui::UiError;
use crate::web::ui::forms::{UiForm, UiPath};
use crate::web::ui::render::{Htmx, Toast, ok, redirect, render};

use super::members_page::MembersPage;

pub async fn show(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath(id): UiPath<Uuid>,
) -> Result<Response, UiError> {
    ok(htmx, MembersPage::load(&state, &actor, id).await?)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RoleForm {
    role: String,
}

pub async fn change_role(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath((id, user)): UiPath<(Uuid, Uuid)>,
    UiForm(form): UiForm<RoleForm>,
) -> Result<Response, UiError> {
    let role: Role = form
        .role
        .parse()
        .map_err(|e: crate::domain::role::UnknownRole| AppError::field("role", e.to_string()))?;
    let member = state.services.change_role(&actor, id, user, role).await?;
    let mut page = MembersPage::load(&state, &actor, id).await?;
    page.shell.toasts.push(Toast::ok(format!(
        "{} is now {}.",
        member.display_name,
        member.role.label()
    )));
    render(htmx, StatusCode::OK, page)
}

pub async fn remove(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath((id, user)): UiPath<(Uuid, Uuid)>,
) -> Result<Response, UiError> {
    if user == actor.user.id {
        return leave_workspace(&state, &actor, htmx, id).await;
    }
    let member = state.services.member(&actor, id, user).await?;
    state.services.remove_member(&actor, id, user).await?;
    let mut page = MembersPage::load(&state, &actor, id).await?;
    page.shell.toasts.push(Toast::ok(format!(
        "{} was removed from the workspace.",
        member.display_name
    )));
    render(htmx, StatusCode::OK, page)
}

pub async fn leave(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath(id): UiPath<Uuid>,
) -> Result<Response, UiError> {
    leave_workspace(&state, &actor, htmx, id).await
}

async fn leave_workspace(
    state: &AppState,
    actor: &Actor,
    htmx: Htmx,
    id: Uuid,
) -> Result<Response, UiError> {
    state
        .services
        .remove_member(actor, id, actor.user.id)
        .await?;
    Ok(redirect(htmx, "/workspaces"))
}

/// Whether `mine` may change or remove a member who has `theirs`, as the services decide.
pub fn may_manage(mine: Role, theirs: Role) -> bool {
    mine.allows(Permission::Manage) && mine.may_grant(theirs)
}
