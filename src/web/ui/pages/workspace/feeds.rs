//! `/w/{ws}/feeds`: RSS and Atom feeds polled into drafts or the channels' queues: the list
//! with each feed's status, and a form that adds one.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use uuid::Uuid;

use crate::domain::Permission;
use crate::domain::schedule::{format_in_zone, time_zone};
use crate::services::Actor;
use crate::services::feeds::FeedInput;
use crate::storage::channels::Channel;
use crate::storage::workspaces::MemberWorkspace;
use crate::web::AppState;
use crate::web::auth::SessionUser;
use crate::web::ui::UiError;
use crate::web::ui::forms::{Errors, UiForm, UiPath};
use crate::web::ui::render::{Htmx, Toast, page, render};
use crate::web::ui::shell::Shell;

/// A feed as the page lists it.
pub struct Row {
    pub id: Uuid,
    pub name: String,
    pub url: String,
    pub status: String,
    pub error: Option<String>,
    pub mode: String,
    pub channels: String,
    pub imported: i64,
    pub last_polled: String,
}

#[derive(Default)]
pub struct FeedForm {
    url: String,
    mode: String,
    channel_ids: Vec<String>,
}

#[derive(Template)]
#[template(path = "feeds.html", blocks = ["main", "topbar"])]
pub struct FeedsPage {
    shell: Shell,
    id: Uuid,
    rows: Vec<Row>,
    channels: Vec<Channel>,
    form: FeedForm,
    errors: Errors,
    can_write: bool,
}
page!(FeedsPage);

impl FeedsPage {
    fn chosen(&self, channel: &Uuid) -> bool {
        self.form.channel_ids.contains(&channel.to_string())
    }

    /// The channel list's problems, whichever entry they name (`channel_ids[1]`).
    fn channel_error(&self) -> Option<String> {
        let messages: Vec<&str> = self
            .errors
            .0
            .iter()
            .filter(|e| e.field.starts_with("channel_ids"))
            .map(|e| e.message.as_str())
            .collect();
        (!messages.is_empty()).then(|| messages.join("; "))
    }
}

async fn page_for(
    state: &AppState,
    actor: &Actor,
    ws: &MemberWorkspace,
    form: FeedForm,
) -> Result<FeedsPage, UiError> {
    let id = ws.workspace.id;
    let tz = time_zone(&ws.workspace.time_zone).ok();
    let channels = state.services.list_channels(actor, id).await?;
    let label = |c: &Uuid| {
        channels
            .iter()
            .find(|ch| ch.id == *c)
            .map(|ch| format!("{} ({})", ch.handle, ch.network.label()))
            .unwrap_or_default()
    };
    let rows = state
        .services
        .feeds(actor, id)
        .await?
        .into_iter()
        .map(|v| Row {
            id: v.feed.id,
            name: if v.feed.title.is_empty() {
                v.feed.url.clone()
            } else {
                v.feed.title.clone()
            },
            url: v.feed.url.clone(),
            status: v.feed.status.clone(),
            error: v.feed.last_error.clone(),
            mode: if v.feed.mode == "queue" {
                "into the queue".into()
            } else {
                "as drafts".into()
            },
            channels: v
                .channel_ids
                .iter()
                .map(label)
                .collect::<Vec<_>>()
                .join(", "),
            imported: v.feed.items_imported,
            last_polled: match (v.feed.last_polled_at_ms, &tz) {
                (Some(at), Some(tz)) => format_in_zone(at, tz),
                _ => "not yet".into(),
            },
        })
        .collect();
    let form = FeedForm {
        mode: if form.mode.is_empty() {
            "drafts".into()
        } else {
            form.mode
        },
        ..form
    };
    Ok(FeedsPage {
        shell: Shell::in_workspace(state, actor, ws, "Feeds", "feeds").await?,
        id,
        rows,
        channels,
        form,
        errors: Errors::default(),
        can_write: ws.workspace.archived_at_ms.is_none() && ws.role.allows(Permission::Schedule),
    })
}

pub async fn show(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath(id): UiPath<Uuid>,
) -> Result<Response, UiError> {
    let ws = state.services.workspace(&actor, id).await?;
    render(
        htmx,
        StatusCode::OK,
        page_for(&state, &actor, &ws, FeedForm::default()).await?,
    )
}

pub async fn add(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath(id): UiPath<Uuid>,
    UiForm(pairs): UiForm<Vec<(String, String)>>,
) -> Result<Response, UiError> {
    let ws = state.services.workspace(&actor, id).await?;
    let mut form = FeedForm::default();
    for (k, v) in pairs {
        match k.as_str() {
            "url" => form.url = v,
            "mode" => form.mode = v,
            "channel_ids" => form.channel_ids.push(v),
            _ => {}
        }
    }
    let input = FeedInput {
        url: form.url.clone(),
        // An id that is not one cannot be a channel of the workspace: the service says so.
        channel_ids: form
            .channel_ids
            .iter()
            .map(|c| c.parse().unwrap_or(Uuid::nil()))
            .collect(),
        mode: form.mode.clone(),
        ..FeedInput::default()
    };
    match state.services.add_feed(&actor, id, input).await {
        Ok(added) => {
            let mut page = page_for(&state, &actor, &ws, FeedForm::default()).await?;
            page.shell.toasts.push(match added.feed.last_error {
                Some(e) if added.feed.status == "error" => {
                    Toast::error(format!("The feed is added, but could not be read: {e}."))
                }
                _ => Toast::ok(format!(
                    "The feed is added: {} new item(s) imported.",
                    added.feed.items_imported
                )),
            });
            render(htmx, StatusCode::OK, page)
        }
        Err(e) => {
            let errors = Errors::from_app(e)?;
            let mut page = page_for(&state, &actor, &ws, form).await?;
            page.errors = errors;
            page.shell.toasts.push(Toast::error(
                "The feed was not added: please fix the fields marked below.",
            ));
            render(htmx, StatusCode::UNPROCESSABLE_ENTITY, page)
        }
    }
}

pub async fn poll(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath((id, feed)): UiPath<(Uuid, Uuid)>,
) -> Result<Response, UiError> {
    let ws = state.services.workspace(&actor, id).await?;
    let polled = state.services.poll_feed_now(&actor, id, feed).await?;
    let mut page = page_for(&state, &actor, &ws, FeedForm::default()).await?;
    page.shell.toasts.push(
        match (polled.feed.status.as_str(), polled.feed.last_error) {
            ("error", Some(e)) => Toast::error(format!("The feed could not be read: {e}.")),
            _ => Toast::ok("The feed is read."),
        },
    );
    render(htmx, StatusCode::OK, page)
}

pub async fn remove(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath((id, feed)): UiPath<(Uuid, Uuid)>,
) -> Result<Response, UiError> {
    let ws = state.services.workspace(&actor, id).await?;
    state.services.delete_feed(&actor, id, feed).await?;
    let mut page = page_for(&state, &actor, &ws, FeedForm::default()).await?;
    page.shell
        .toasts
        .push(Toast::ok("The feed is removed; the posts it made stay."));
    render(htmx, StatusCode::OK, page)
}
