//! `/workspaces`: every workspace one belongs to, and the form to create one.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use uuid::Uuid;

use crate::services::Actor;
use crate::web::AppState;
use crate::web::auth::SessionUser;
use crate::web::ui::UiError;
use crate::web::ui::format::COMMON_ZONES;
use crate::web::ui::forms::{Errors, UiForm};
use crate::web::ui::render::{Htmx, ok, page, redirect, render};
use crate::web::ui::shell::Shell;

#[derive(Template)]
#[template(path = "workspaces.html", blocks = ["main", "topbar"])]
pub struct WorkspacesPage {
    shell: Shell,
    active: Vec<Row>,
    archived: Vec<Row>,
    form: CreateForm,
    errors: Errors,
    zones: &'static [&'static str],
}
page!(WorkspacesPage);

pub struct Row {
    id: Uuid,
    name: String,
    role: &'static str,
    time_zone: String,
}

#[derive(Deserialize)]
#[serde(default)]
pub struct CreateForm {
    name: String,
    time_zone: String,
}

impl Default for CreateForm {
    fn default() -> Self {
        CreateForm {
            name: String::new(),
            time_zone: "UTC".to_owned(),
        }
    }
}

async fn load(
    state: &AppState,
    actor: &Actor,
    form: CreateForm,
    errors: Errors,
) -> Result<WorkspacesPage, UiError> {
    let all = state.services.list_workspaces(actor).await?;
    let (archived, active): (Vec<_>, Vec<_>) = all
        .into_iter()
        .map(|w| {
            let archived = w.workspace.archived_at_ms.is_some();
            let row = Row {
                id: w.workspace.id,
                name: w.workspace.name,
                role: w.role.label(),
                time_zone: w.workspace.time_zone,
            };
            (archived, row)
        })
        .partition(|(archived, _)| *archived);
    Ok(WorkspacesPage {
        shell: Shell::load(state, actor, "Workspaces", "workspaces").await?,
        active: active.into_iter().map(|(_, r)| r).collect(),
        archived: archived.into_iter().map(|(_, r)| r).collect(),
        form,
        errors,
        zones: COMMON_ZONES,
    })
}

pub async fn show(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
) -> Result<Response, UiError> {
    ok(
        htmx,
        load(&state, &actor, CreateForm::default(), Errors::default()).await?,
    )
}

/// Creates a workspace with its creator as owner, then opens it.
pub async fn create(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiForm(form): UiForm<CreateForm>,
) -> Result<Response, UiError> {
    match state
        .services
        .create_workspace(&actor, &form.name, &form.time_zone)
        .await
    {
        Ok(ws) => Ok(redirect(htmx, &format!("/w/{}", ws.workspace.id))),
        Err(e) => {
            let errors = Errors::from_app(e)?;
            render(
                htmx,
                StatusCode::UNPROCESSABLE_ENTITY,
                load(&state, &actor, form, errors).await?,
            )
        }
    }
}
