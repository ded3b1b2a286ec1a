//! `/w/{ws}`: the workspace home. Settings and members are what exists so far, so it shows
//! a short getting-started checklist pointing at them.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use uuid::Uuid;

use crate::domain::Permission;
use crate::web::AppState;
use crate::web::auth::SessionUser;
use crate::web::ui::UiError;
use crate::web::ui::forms::UiPath;
use crate::web::ui::render::{Htmx, ok, page};
use crate::web::ui::shell::Shell;

#[derive(Template)]
#[template(path = "workspace_home.html", blocks = ["main", "topbar"])]
pub struct HomePage {
    shell: Shell,
    id: Uuid,
    name: String,
    time_zone: String,
    role: &'static str,
    role_description: &'static str,
    can_manage: bool,
    requires_approval: bool,
    member_count: usize,
    steps: Vec<Step>,
}
page!(HomePage);

pub struct Step {
    done: bool,
    title: &'static str,
    detail: String,
    href: String,
    action: &'static str,
}

pub async fn show(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath(id): UiPath<Uuid>,
) -> Result<Response, UiError> {
    let ws = state.services.workspace(&actor, id).await?;
    let members = state.services.list_members(&actor, id).await?;
    let w = &ws.workspace;
    let steps = vec![
        Step {
            done: w.time_zone != "UTC",
            title: "Set the time zone",
            detail: format!("Posts are planned and shown in {}.", w.time_zone),
            href: format!("/w/{id}/settings#time_zone"),
            action: "Check the time zone",
        },
        Step {
            done: !w.brand_voice.is_empty(),
            title: "Describe the brand",
            detail:
                "The voice, words to avoid, hashtags, audience and goals guide everyone who writes."
                    .to_owned(),
            href: format!("/w/{id}/settings#brand"),
            action: "Fill in the brand profile",
        },
        Step {
            done: members.len() > 1,
            title: "Invite your team",
            detail: format!(
                "{} member{} so far. Invite people by link, each with a role.",
                members.len(),
                if members.len() == 1 { "" } else { "s" }
            ),
            href: format!("/w/{id}/members#invite"),
            action: "Invite someone",
        },
    ];
    ok(
        htmx,
        HomePage {
            shell: Shell::in_workspace(&state, &actor, &ws, "Home", "home").await?,
            id,
            name: w.name.clone(),
            time_zone: w.time_zone.clone(),
            role: ws.role.label(),
            role_description: ws.role.description(),
            can_manage: ws.role.allows(Permission::Manage),
            requires_approval: w.requires_approval,
            member_count: members.len(),
            steps,
        },
    )
}
