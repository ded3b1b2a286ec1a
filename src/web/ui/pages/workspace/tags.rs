//! `/w/{ws}/tags`: the workspace's campaigns and tags with their colours, and a form that
//! creates either. The composer's "New campaign…" form creates through `create_checked`
//! too, so both refuse the same names in the same words.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use uuid::Uuid;

use crate::domain::Permission;
use crate::services::{Actor, AppError, Services};
use crate::storage::tags::Tag;
use crate::storage::workspaces::MemberWorkspace;
use crate::web::AppState;
use crate::web::auth::SessionUser;
use crate::web::ui::UiError;
use crate::web::ui::forms::{Errors, UiForm, UiPath};
use crate::web::ui::render::{Htmx, Toast, page, render};
use crate::web::ui::shell::Shell;

#[derive(Template)]
#[template(path = "tags.html", blocks = ["main", "topbar"])]
pub struct TagsPage {
    shell: Shell,
    id: Uuid,
    campaigns: Vec<Tag>,
    tags: Vec<Tag>,
    form: TagForm,
    errors: Errors,
    can_write: bool,
}
page!(TagsPage);

impl TagsPage {
    fn is_kind(&self, kind: &str) -> bool {
        self.form.kind == kind
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TagForm {
    kind: String,
    name: String,
    color: String,
}

/// What a kind is called in sentences.
fn noun(kind: &str) -> &'static str {
    if kind == "campaign" {
        "campaign"
    } else {
        "tag"
    }
}

/// Creates a tag or campaign, refusing a name the workspace already has for that kind (the
/// service would quietly return the existing one). Errors are whole sentences by field
/// (`name`, `color`, `kind`); anything else (no permission, archived) goes up.
pub async fn create_checked(
    state: &AppState,
    actor: &Actor,
    ws: Uuid,
    kind: &str,
    name: &str,
    color: &str,
) -> Result<Result<Tag, Errors>, UiError> {
    let wanted = name.trim().trim_start_matches('#').trim().to_lowercase();
    if !wanted.is_empty()
        && let Some(same) = state
            .services
            .list_tags(actor, ws)
            .await?
            .into_iter()
            .find(|t| t.kind == kind && t.name.to_lowercase() == wanted)
    {
        let mut errors = Errors::default();
        let hint = if kind == "campaign" {
            "choose it in the list"
        } else {
            "use it as it is"
        };
        errors.add(
            "name",
            &format!(
                "There is already a {} named “{}”: {hint}.",
                noun(kind),
                same.name
            ),
        );
        return Ok(Err(errors));
    }
    let color = color.trim();
    let color = (!color.is_empty()).then_some(color);
    match state
        .services
        .create_tag(actor, ws, kind, name, color)
        .await
    {
        Ok(tag) => Ok(Ok(tag)),
        Err(AppError::Validation(fields)) => {
            let mut errors = Errors::default();
            for f in fields {
                let message = match f.field.as_str() {
                    "name" => format!("The name {}.", f.message),
                    "color" => "The colour must look like #2563eb: # and six hex digits.".into(),
                    "kind" => "Choose campaign or tag.".into(),
                    other => format!("{other} {}.", f.message),
                };
                errors.add(&f.field, &message);
            }
            Ok(Err(errors))
        }
        Err(e) => Err(e.into()),
    }
}

async fn page_for(
    state: &AppState,
    actor: &Actor,
    ws: &MemberWorkspace,
    form: Option<TagForm>,
) -> Result<TagsPage, UiError> {
    let id = ws.workspace.id;
    let all = state.services.list_tags(actor, id).await?;
    let form = form.unwrap_or_else(|| TagForm {
        kind: "campaign".into(),
        name: String::new(),
        color: Services::next_tag_color(all.len()).to_owned(),
    });
    let (campaigns, tags) = all.into_iter().partition(|t| t.kind == "campaign");
    Ok(TagsPage {
        shell: Shell::in_workspace(state, actor, ws, "Tags and campaigns", "tags").await?,
        id,
        campaigns,
        tags,
        form,
        errors: Errors::default(),
        can_write: ws.role.allows(Permission::WriteDrafts) && ws.workspace.archived_at_ms.is_none(),
    })
}

pub async fn show(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath(id): UiPath<Uuid>,
) -> Result<Response, UiError> {
    let ws = state.services.workspace(&actor, id).await?;
    let page = page_for(&state, &actor, &ws, None).await?;
    render(htmx, StatusCode::OK, page)
}

pub async fn create(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath(id): UiPath<Uuid>,
    UiForm(form): UiForm<TagForm>,
) -> Result<Response, UiError> {
    let ws = state.services.workspace(&actor, id).await?;
    match create_checked(&state, &actor, id, &form.kind, &form.name, &form.color).await? {
        Ok(tag) => {
            let mut page = page_for(&state, &actor, &ws, None).await?;
            // The next one is likely of the same kind.
            page.form.kind = tag.kind.clone();
            let what = if tag.kind == "campaign" {
                "Campaign"
            } else {
                "Tag"
            };
            page.shell
                .toasts
                .push(Toast::ok(format!("{what} “{}” created.", tag.name)));
            render(htmx, StatusCode::OK, page)
        }
        Err(errors) => {
            let mut page = page_for(&state, &actor, &ws, Some(form)).await?;
            page.errors = errors;
            page.shell.toasts.push(Toast::error(
                "Nothing was created: please fix the fields marked below.",
            ));
            render(htmx, StatusCode::UNPROCESSABLE_ENTITY, page)
        }
    }
}
