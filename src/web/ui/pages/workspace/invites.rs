//! The members page model, and invite links: created with a role, shown once, revocable.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use uuid::Uuid;

use super::members::may_manage;
use crate::domain::{Permission, Role};
use crate::services::{Actor, AppError};
use crate::web::AppState;
use crate::web::auth::SessionUser;
use crate::web::ui::UiError;
use crate::web::ui::format::when;
use crate::web::ui::forms::{Errors, UiForm, UiPath};
use crate::web::ui::render::{Htmx, Toast, page, render};
use crate::web::ui::shell::Shell;

#[derive(Template)]
#[template(path = "members.html", blocks = ["main", "topbar"])]
pub struct MembersPage {
    pub shell: Shell,
    id: Uuid,
    members: Vec<MemberRow>,
    /// Roles this person may hand out, for the selects.
    grantable: Vec<Role>,
    can_manage: bool,
    invites: Vec<InviteRow>,
    form: InviteForm,
    errors: Errors,
    new_invite: Option<NewInviteView>,
}
page!(MembersPage);

pub struct MemberRow {
    user_id: Uuid,
    name: String,
    email: String,
    role: Role,
    joined: String,
    is_me: bool,
    manageable: bool,
}

pub struct InviteRow {
    id: Uuid,
    role: &'static str,
    note: String,
    expires: String,
}

pub struct NewInviteView {
    url: String,
    role: &'static str,
    expires: String,
}

#[derive(Deserialize)]
#[serde(default)]
pub struct InviteForm {
    role: String,
    note: String,
    expires_in_days: String,
}

impl Default for InviteForm {
    fn default() -> Self {
        InviteForm {
            role: "editor".to_owned(),
            note: String::new(),
            expires_in_days: "7".to_owned(),
        }
    }
}

impl MembersPage {
    pub async fn load(state: &AppState, actor: &Actor, id: Uuid) -> Result<Self, UiError> {
        let ws = state.services.workspace(actor, id).await?;
        let tz = ws.workspace.time_zone.clone();
        let active = ws.workspace.archived_at_ms.is_none();
        let can_manage = ws.role.allows(Permission::Manage) && active;
        let members = state.services.list_members(actor, id).await?;
        let invites = if can_manage {
            state.services.list_invites(actor, id).await?
        } else {
            Vec::new()
        };
        Ok(MembersPage {
            shell: Shell::in_workspace(state, actor, &ws, "Members", "members").await?,
            id,
            members: members
                .into_iter()
                .map(|m| MemberRow {
                    manageable: active && m.user_id != actor.user.id && may_manage(ws.role, m.role),
                    is_me: m.user_id == actor.user.id,
                    user_id: m.user_id,
                    name: m.display_name,
                    email: m.email,
                    role: m.role,
                    joined: when(m.created_at_ms, &tz),
                })
                .collect(),
            grantable: Role::ALL
                .into_iter()
                .filter(|r| ws.role.may_grant(*r))
                .collect(),
            can_manage,
            invites: invites
                .into_iter()
                .map(|i| InviteRow {
                    id: i.id,
                    role: i.role.label(),
                    note: i.note,
                    expires: when(i.expires_at_ms, &tz),
                })
                .collect(),
            form: InviteForm::default(),
            errors: Errors::default(),
            new_invite: None,
        })
    }

    fn time_zone(&self) -> &str {
        self.shell
            .current
            .as_ref()
            .map(|c| c.time_zone.as_str())
            .unwrap_or("UTC")
    }
}

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
