//! The members page: who is in the workspace and with which role, and (for managers) the
//! open invite links. Shared by the member and invite handlers, which re-render it.

use askama::Template;
use serde::Deserialize;
use uuid::Uuid;

use super::members::may_manage;
use crate::domain::{Permission, Role};
use crate::services::Actor;
use crate::web::AppState;
use crate::web::ui::UiError;
use crate::web::ui::format::when;
use crate::web::ui::forms::Errors;
use crate::web::ui::render::page;
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
    pub form: InviteForm,
    pub errors: Errors,
    pub new_invite: Option<NewInviteView>,
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
    pub url: String,
    pub role: &'static str,
    pub expires: String,
}

#[derive(Deserialize)]
#[serde(default)]
pub struct InviteForm {
    pub role: String,
    pub note: String,
    pub expires_in_days: String,
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

    pub fn time_zone(&self) -> &str {
        self.shell
            .current
            .as_ref()
            .map(|c| c.time_zone.as_str())
            .unwrap_or("UTC")
    }
}
