//! `/w/{ws}/evergreen`: the evergreen library (posts that are re-shared into empty posting
//! slots), its rules, and adding or removing posts.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use uuid::Uuid;

use crate::domain::Permission;
use crate::domain::schedule::{format_in_zone, time_zone};
use crate::services::Actor;
use crate::services::evergreen::Library;
use crate::storage::workspaces::MemberWorkspace;
use crate::web::AppState;
use crate::web::auth::SessionUser;
use crate::web::ui::UiError;
use crate::web::ui::forms::{Errors, UiForm, UiPath};
use crate::web::ui::render::{Htmx, Toast, page, render};
use crate::web::ui::shell::Shell;

const DAY_MS: i64 = 86_400_000;

/// A library post as the page lists it.
pub struct Row {
    pub post_id: Uuid,
    pub text: String,
    pub shares: usize,
    pub last_shared: String,
}

#[derive(Template)]
#[template(path = "evergreen.html", blocks = ["main", "topbar"])]
pub struct EvergreenPage {
    shell: Shell,
    id: Uuid,
    enabled: bool,
    min_interval_days: String,
    skip_recent_days: String,
    last_note: String,
    rows: Vec<Row>,
    /// Posts that could join the library: (id, first words).
    candidates: Vec<(Uuid, String)>,
    errors: Errors,
    can_add: bool,
    can_manage: bool,
}
page!(EvergreenPage);

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SettingsForm {
    enabled: String,
    min_interval_days: String,
    skip_recent_days: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PostForm {
    post_id: String,
}

fn snippet(text: &str) -> String {
    let words: String = text.chars().take(90).collect();
    if text.chars().count() > 90 {
        format!("{words}…")
    } else {
        words
    }
}

async fn page_for(
    state: &AppState,
    actor: &Actor,
    ws: &MemberWorkspace,
    library: Library,
) -> Result<EvergreenPage, UiError> {
    let id = ws.workspace.id;
    let tz = time_zone(&ws.workspace.time_zone).ok();
    let in_library: Vec<Uuid> = library.posts.iter().map(|p| p.entry.post_id).collect();
    let (recent, _) = state.services.list_posts(actor, id, None).await?;
    let candidates = recent
        .iter()
        .filter(|d| !d.variants.is_empty() && !in_library.contains(&d.post.id))
        .map(|d| (d.post.id, snippet(&d.post.text)))
        .collect();
    let rows = library
        .posts
        .iter()
        .map(|p| Row {
            post_id: p.entry.post_id,
            text: snippet(&p.text),
            shares: p.shares,
            last_shared: match (p.last_shared_at_ms, &tz) {
                (Some(at), Some(tz)) => format_in_zone(at, tz),
                _ => "never".into(),
            },
        })
        .collect();
    let active = ws.workspace.archived_at_ms.is_none();
    Ok(EvergreenPage {
        shell: Shell::in_workspace(state, actor, ws, "Evergreen library", "evergreen").await?,
        id,
        enabled: library.settings.enabled,
        min_interval_days: (library.settings.min_interval_ms / DAY_MS).to_string(),
        skip_recent_days: (library.settings.skip_recent_ms / DAY_MS).to_string(),
        last_note: library.settings.last_note,
        rows,
        candidates,
        errors: Errors::default(),
        can_add: active && ws.role.allows(Permission::Schedule),
        can_manage: active && ws.role.allows(Permission::Manage),
    })
}

pub async fn show(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath(id): UiPath<Uuid>,
) -> Result<Response, UiError> {
    let ws = state.services.workspace(&actor, id).await?;
    let library = state.services.evergreen_library(&actor, id).await?;
    render(
        htmx,
        StatusCode::OK,
        page_for(&state, &actor, &ws, library).await?,
    )
}

pub async fn settings(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath(id): UiPath<Uuid>,
    UiForm(form): UiForm<SettingsForm>,
) -> Result<Response, UiError> {
    let ws = state.services.workspace(&actor, id).await?;
    // An unreadable number gets the service's own range message.
    let days = |raw: &str| raw.trim().parse::<i64>().unwrap_or(-1);
    let saved = state
        .services
        .set_evergreen_settings(
            &actor,
            id,
            form.enabled == "on",
            days(&form.min_interval_days),
            days(&form.skip_recent_days),
        )
        .await;
    match saved {
        Ok(library) => {
            let mut page = page_for(&state, &actor, &ws, library).await?;
            page.shell
                .toasts
                .push(Toast::ok("The library's rules are saved."));
            render(htmx, StatusCode::OK, page)
        }
        Err(e) => {
            let errors = Errors::from_app(e)?;
            let library = state.services.evergreen_library(&actor, id).await?;
            let mut page = page_for(&state, &actor, &ws, library).await?;
            page.min_interval_days = form.min_interval_days;
            page.skip_recent_days = form.skip_recent_days;
            page.errors = errors;
            page.shell.toasts.push(Toast::error(
                "Nothing was saved: please fix the fields marked below.",
            ));
            render(htmx, StatusCode::UNPROCESSABLE_ENTITY, page)
        }
    }
}

pub async fn add(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath(id): UiPath<Uuid>,
    UiForm(form): UiForm<PostForm>,
) -> Result<Response, UiError> {
    let ws = state.services.workspace(&actor, id).await?;
    let Ok(post) = form.post_id.trim().parse::<Uuid>() else {
        let library = state.services.evergreen_library(&actor, id).await?;
        let mut page = page_for(&state, &actor, &ws, library).await?;
        page.errors.add("post_id", "Choose a post to add.");
        page.shell
            .toasts
            .push(Toast::error("Choose a post to add."));
        return render(htmx, StatusCode::UNPROCESSABLE_ENTITY, page);
    };
    let library = state.services.mark_evergreen(&actor, id, post).await?;
    let mut page = page_for(&state, &actor, &ws, library).await?;
    page.shell.toasts.push(Toast::ok(
        "Added: the library re-shares it into an empty posting slot when its turn comes.",
    ));
    render(htmx, StatusCode::OK, page)
}

pub async fn remove(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath((id, post)): UiPath<(Uuid, Uuid)>,
) -> Result<Response, UiError> {
    let ws = state.services.workspace(&actor, id).await?;
    let library = state.services.unmark_evergreen(&actor, id, post).await?;
    let mut page = page_for(&state, &actor, &ws, library).await?;
    page.shell.toasts.push(Toast::ok(
        "Removed from the library; re-shares already scheduled stay.",
    ));
    render(htmx, StatusCode::OK, page)
}
