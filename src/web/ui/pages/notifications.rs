//! `/notifications`: what happened that concerns the person, newest first, and marking it
//! read. Times are in UTC, labelled (notifications span workspaces).

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use uuid::Uuid;

use crate::services::Actor;
use crate::web::AppState;
use crate::web::auth::SessionUser;
use crate::web::ui::UiError;
use crate::web::ui::format::when_utc;
use crate::web::ui::render::{Htmx, Toast, ok, page};
use crate::web::ui::shell::Shell;

#[derive(Template)]
#[template(path = "notifications.html", blocks = ["main", "topbar"])]
pub struct NotificationsPage {
    shell: Shell,
    items: Vec<Row>,
    next: Option<Uuid>,
}
page!(NotificationsPage);

pub struct Row {
    /// The workspace it happened in (notifications span them).
    workspace: String,
    title: String,
    body: String,
    link: String,
    when: String,
    unread: bool,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PageQuery {
    cursor: Option<Uuid>,
}

impl NotificationsPage {
    async fn load(state: &AppState, actor: &Actor, cursor: Option<Uuid>) -> Result<Self, UiError> {
        let got = state.services.list_notifications(actor, cursor).await?;
        let shell = Shell::load(state, actor, "Notifications", "notifications").await?;
        let workspace = |id: Uuid| {
            shell
                .workspaces
                .iter()
                .find(|w| w.id == id)
                .map(|w| w.name.clone())
                .unwrap_or_default()
        };
        Ok(NotificationsPage {
            items: got
                .items
                .into_iter()
                .map(|n| Row {
                    workspace: workspace(n.workspace_id),
                    title: n.title,
                    body: n.body,
                    // Only paths inside Herald are links.
                    link: if n.link.starts_with('/') && !n.link.starts_with("//") {
                        n.link
                    } else {
                        String::new()
                    },
                    when: when_utc(n.created_at_ms),
                    unread: n.read_at_ms.is_none(),
                })
                .collect(),
            next: got.next,
            shell,
        })
    }
}

pub async fn show(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    Query(q): Query<PageQuery>,
) -> Result<Response, UiError> {
    ok(
        htmx,
        NotificationsPage::load(&state, &actor, q.cursor).await?,
    )
}

/// Marks every notification read.
pub async fn mark_read(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
) -> Result<Response, UiError> {
    state.services.mark_notifications_read(&actor, None).await?;
    let mut page = NotificationsPage::load(&state, &actor, None).await?;
    page.shell
        .toasts
        .push(Toast::ok("Every notification is marked read."));
    ok(htmx, page)
}
