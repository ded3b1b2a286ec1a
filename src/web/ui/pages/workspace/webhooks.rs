//! The "Webhooks" section of `/w/{ws}/settings`: managers add one (address and events; the
//! SSRF guard applies; the signing secret is shown once), send a test, delete one, and read
//! each webhook's latest deliveries (time, event, status code, tries, next try).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use uuid::Uuid;

use super::settings::{SettingsPage, page_for};
use crate::domain::Permission;
use crate::domain::schedule::format_in_zone;
use crate::services::Actor;
use crate::storage::webhooks::Delivery;
use crate::storage::workspaces::MemberWorkspace;
use crate::web::AppState;
use crate::web::auth::SessionUser;
use crate::web::ui::UiError;
use crate::web::ui::forms::{Errors, UiForm, UiPath};
use crate::web::ui::render::{Htmx, Toast, render};

/// Deliveries shown per webhook; the API pages through all of them.
const LOG_ROWS: usize = 10;

/// Each event a webhook may hear of, with what it means.
pub const EVENT_CHOICES: [(&str, &str); 8] = [
    ("post.created", "A post is written"),
    ("post.submitted", "A post is sent for review"),
    ("post.approved", "A post is approved"),
    ("post.changes_requested", "Changes are requested on a post"),
    ("post.scheduled", "A post is scheduled"),
    ("post.published", "A post is published"),
    (
        "post.failed",
        "A post fails, is missed or may not have gone out",
    ),
    ("channel.reconnect_needed", "A channel needs reconnecting"),
];

pub struct WebhooksSection {
    pub hooks: Vec<HookRow>,
    /// The add form as typed (kept when it is refused).
    pub url: String,
    pub chosen: Vec<String>,
    pub errors: Errors,
    /// The webhook just added, with its secret: shown this once.
    pub new_secret: Option<(String, String)>,
    /// The workspace's time zone, which the log's times are in.
    pub zone: String,
}

impl WebhooksSection {
    pub fn choices(&self) -> &'static [(&'static str, &'static str)] {
        &EVENT_CHOICES
    }

    pub fn is_chosen(&self, event: &str) -> bool {
        self.chosen.iter().any(|e| e == event)
    }
}

pub struct HookRow {
    pub id: Uuid,
    pub url: String,
    pub events: String,
    pub created: String,
    pub deliveries: Vec<DeliveryRow>,
}

pub struct DeliveryRow {
    pub when: String,
    pub event: String,
    pub state: String,
    pub status: String,
    pub attempts: i64,
    pub next_try: String,
    pub error: String,
}

/// The section for managers of an active workspace; `None` for everyone else.
pub async fn load(
    state: &AppState,
    actor: &Actor,
    ws: &MemberWorkspace,
) -> Result<Option<WebhooksSection>, UiError> {
    if !ws.role.allows(Permission::Manage) || ws.workspace.archived_at_ms.is_some() {
        return Ok(None);
    }
    let zone = crate::domain::schedule::time_zone(&ws.workspace.time_zone)
        .unwrap_or(jiff::tz::TimeZone::UTC);
    let when = |ms: i64| format_in_zone(ms, &zone);
    // The log names its zone once, in its caption, so each line stays short.
    let logged = |ms: i64| log_time(ms, &zone);
    let mut hooks = Vec::new();
    for hook in state.services.list_webhooks(actor, ws.workspace.id).await? {
        let (log, _) = state
            .services
            .webhook_deliveries(actor, ws.workspace.id, hook.id, None)
            .await?;
        hooks.push(HookRow {
            id: hook.id,
            url: hook.url,
            events: hook
                .events
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(", "),
            created: when(hook.created_at_ms),
            deliveries: log.iter().take(LOG_ROWS).map(|d| row(d, &logged)).collect(),
        });
    }
    Ok(Some(WebhooksSection {
        hooks,
        url: String::new(),
        chosen: Vec::new(),
        errors: Errors::default(),
        new_secret: None,
        zone: ws.workspace.time_zone.clone(),
    }))
}

fn row(d: &Delivery, when: &impl Fn(i64) -> String) -> DeliveryRow {
    let waiting = matches!(d.state.as_str(), "pending" | "retrying");
    DeliveryRow {
        when: when(d.created_at_ms),
        event: d.event.clone(),
        state: d.state.clone(),
        status: d
            .response_status
            .map_or_else(|| "none".to_owned(), |s| s.to_string()),
        attempts: d.attempts,
        next_try: match d.next_try_at_ms {
            Some(at) if waiting => when(at),
            _ => "none".to_owned(),
        },
        error: d.error.clone().unwrap_or_default(),
    }
}

/// "26 Nov 2026, 21:35:07 CET".
fn log_time(ms: i64, zone: &jiff::tz::TimeZone) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .ok()
        .and_then(|t| {
            let zoned = t.to_zoned_datetime(zone.clone());
            jiff::fmt::strtime::format("%-d %b %Y, %H:%M:%S %Z", &zoned).ok()
        })
        .unwrap_or_default()
}

async fn settings(state: &AppState, actor: &Actor, id: Uuid) -> Result<SettingsPage, UiError> {
    let ws = state.services.workspace(actor, id).await?;
    page_for(state, actor, &ws, None).await
}

pub async fn create(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath(id): UiPath<Uuid>,
    UiForm(pairs): UiForm<Vec<(String, String)>>,
) -> Result<Response, UiError> {
    let url = pairs
        .iter()
        .find(|(k, _)| k == "url")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let events: Vec<String> = pairs
        .iter()
        .filter(|(k, _)| k == "events")
        .map(|(_, v)| v.clone())
        .collect();
    match state
        .services
        .create_webhook(&actor, id, &url, &events)
        .await
    {
        Ok(created) => {
            let mut page = settings(&state, &actor, id).await?;
            if let Some(section) = page.webhooks.as_mut() {
                section.new_secret = Some((created.webhook.url, created.secret));
            }
            page.shell.toasts.push(Toast::ok(
                "Webhook added. Copy its signing secret now: it is shown only once.",
            ));
            render(htmx, StatusCode::OK, page)
        }
        Err(e) => {
            let errors = Errors::from_app(e)?;
            let mut page = settings(&state, &actor, id).await?;
            let mut text = String::from("The webhook was not added:");
            for f in &errors.0 {
                text.push_str(&format!(" {}: {}.", f.field.replace('_', " "), f.message));
            }
            page.shell.toasts.push(Toast::error(text));
            if let Some(section) = page.webhooks.as_mut() {
                section.url = url;
                section.chosen = events;
                section.errors = errors;
            }
            render(htmx, StatusCode::UNPROCESSABLE_ENTITY, page)
        }
    }
}

pub async fn delete(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath((id, hook)): UiPath<(Uuid, Uuid)>,
) -> Result<Response, UiError> {
    state.services.delete_webhook(&actor, id, hook).await?;
    let mut page = settings(&state, &actor, id).await?;
    page.shell
        .toasts
        .push(Toast::ok("Webhook deleted: it hears of nothing more."));
    render(htmx, StatusCode::OK, page)
}

pub async fn test(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath((id, hook)): UiPath<(Uuid, Uuid)>,
) -> Result<Response, UiError> {
    state.services.test_webhook(&actor, id, hook).await?;
    let mut page = settings(&state, &actor, id).await?;
    page.shell.toasts.push(Toast::ok(
        "A test event is on its way; the log below shows how it went (reload to follow it).",
    ));
    render(htmx, StatusCode::OK, page)
}
