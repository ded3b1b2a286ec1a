//! Moving a post to another day from the calendar: `GET /w/{ws}/calendar/move/{post}` draws
//! the "Move to…" form (inline for htmx, a page without JavaScript), and `POST` to the same
//! address moves it. Drag and drop fills the same form and submits it. The post keeps its
//! time of day and its zone; the day changes.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::Deserialize;
use uuid::Uuid;

use super::calendar::{self, local_parts};
use crate::domain::schedule::{self, Disambiguation, LocalTimeError};
use crate::services::AppError;
use crate::services::posts::PostDetail;
use crate::services::schedule::When;
use crate::web::AppState;
use crate::web::auth::SessionUser;
use crate::web::ui::UiError;
use crate::web::ui::format::when;
use crate::web::ui::forms::{Errors, UiForm, UiPath};
use crate::web::ui::render::{Htmx, Toast, ok, page};
use crate::web::ui::shell::Shell;

/// The form, alone (the htmx answer to "Move").
#[derive(Template)]
#[template(path = "calendar_move.html", block = "form")]
struct MoveForm<'a> {
    m: &'a Move,
}

#[derive(Template)]
#[template(path = "calendar_move.html", blocks = ["main", "topbar"])]
struct MovePage {
    shell: Shell,
    m: Move,
}
page!(MovePage);

pub struct Move {
    pub variant: Uuid,
    pub csrf: String,
    pub action: String,
    pub back: String,
    pub back_href: String,
    /// The post's first words, for the label.
    pub what: String,
    /// `26 Nov 2026, 14:05 Europe/Paris`
    pub now_at: String,
    pub date: String,
    /// `09:30 Europe/Paris`: what stays the same.
    pub keeps: String,
    pub errors: Errors,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MoveQuery {
    variant: String,
    back: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MoveBody {
    variant: String,
    date: String,
    back: String,
}

/// The variant the item stands for (the post's first when none is named), its zone, its
/// local date and its time of day.
fn anchor(d: &PostDetail, variant: &str, ws_zone: &str) -> Option<(Uuid, String, Date, String)> {
    let v = d
        .variants
        .iter()
        .find(|v| v.variant.id.to_string() == variant.trim())
        .or_else(|| {
            d.variants
                .iter()
                .find(|v| v.variant.scheduled_at_ms.is_some())
        })?;
    let zone = if v.variant.time_zone.is_empty() {
        ws_zone.to_owned()
    } else {
        v.variant.time_zone.clone()
    };
    let tz = TimeZone::get(&zone).ok()?;
    // What the person meant, when they gave a local time; else the instant in the zone.
    if let Some((date, time)) = v.variant.local_time.split_once('T')
        && let Ok(date) = date.parse::<Date>()
    {
        let hm: String = time.chars().take(5).collect();
        return Some((v.variant.id, zone, date, hm));
    }
    let (date, time) = local_parts(v.variant.scheduled_at_ms?, &tz)?;
    Some((v.variant.id, zone, date, time))
}

fn excerpt(d: &PostDetail) -> String {
    let flat = d.post.text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > 60 {
        format!("{}…", flat.chars().take(60).collect::<String>())
    } else if flat.is_empty() {
        "this post".to_owned()
    } else {
        flat
    }
}

fn back_pairs(back: &str) -> HashMap<String, String> {
    url::form_urlencoded::parse(back.as_bytes())
        .into_owned()
        .collect()
}

async fn draw(
    state: &AppState,
    actor: &crate::services::Actor,
    ws_id: Uuid,
    post: Uuid,
    variant: &str,
    back: &str,
) -> Result<Move, UiError> {
    let ws = state.services.workspace(actor, ws_id).await?;
    let d = state.services.get_post(actor, ws_id, post).await?;
    let Some((variant, zone, date, time)) = anchor(&d, variant, &ws.workspace.time_zone) else {
        return Err(AppError::Conflict(
            "This post has no time to move yet: schedule it from the composer.".into(),
        )
        .into());
    };
    let at = d
        .variants
        .iter()
        .find(|v| v.variant.id == variant)
        .and_then(|v| v.variant.scheduled_at_ms)
        .unwrap_or_default();
    // Only the page's own query string comes back, never another address.
    let back: String = back.chars().filter(|c| !c.is_control()).collect();
    Ok(Move {
        variant,
        csrf: actor.csrf_token.clone().unwrap_or_default(),
        action: format!("/w/{ws_id}/calendar/move/{post}"),
        back_href: format!("/w/{ws_id}/calendar?{back}"),
        back,
        what: excerpt(&d),
        now_at: when(at, &zone),
        date: date.to_string(),
        keeps: format!("{time} {zone}"),
        errors: Errors::default(),
    })
}

pub async fn show(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath((ws_id, post)): UiPath<(Uuid, Uuid)>,
    Query(q): Query<MoveQuery>,
) -> Result<Response, UiError> {
    let m = draw(&state, &actor, ws_id, post, &q.variant, &q.back).await?;
    if htmx.fragment {
        return Ok(Html(MoveForm { m: &m }.render()?).into_response());
    }
    let ws = state.services.workspace(&actor, ws_id).await?;
    let shell = Shell::in_workspace(&state, &actor, &ws, "Move a post", "calendar").await?;
    ok(htmx, MovePage { shell, m })
}

/// Moves the post to `date` at its time of day in its zone.
pub async fn submit(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath((ws_id, post)): UiPath<(Uuid, Uuid)>,
    UiForm(body): UiForm<MoveBody>,
) -> Result<Response, UiError> {
    let ws = state.services.workspace(&actor, ws_id).await?;
    let mut m = draw(&state, &actor, ws_id, post, &body.variant, &body.back).await?;
    let d = state.services.get_post(&actor, ws_id, post).await?;
    let (_, zone, _, time) =
        anchor(&d, &body.variant, &ws.workspace.time_zone).ok_or(AppError::NotFound)?;
    let result = match body.date.trim().parse::<Date>() {
        Err(_) => Err(AppError::field("date", "is not a date; choose a day")),
        Ok(date) => {
            let local = format!("{date}T{time}");
            match schedule::resolve_local(&local, &zone, None) {
                Ok(ms) => Ok((ms, local)),
                // The time happens twice that day: keep the first, as clocks show it first.
                Err(LocalTimeError::Repeated(_)) => {
                    schedule::resolve_local(&local, &zone, Some(Disambiguation::Earlier))
                        .map(|ms| (ms, local))
                        .map_err(|e| AppError::field("date", e.to_string()))
                }
                Err(e) => Err(AppError::field("date", e.to_string())),
            }
        }
    };
    let result = match result {
        Ok((at_ms, local_time)) => {
            let when_ = When::At {
                at_ms,
                time_zone: zone.clone(),
                local_time,
            };
            state
                .services
                .schedule_post(&actor, ws_id, post, when_)
                .await
                .map(|_| at_ms)
                .map_err(|e| e.renamed("at", "date"))
        }
        Err(e) => Err(e),
    };
    let q = back_pairs(&m.back);
    match result {
        Ok(at_ms) => {
            let text = format!("Moved to {}.", when(at_ms, &zone));
            if !htmx.request {
                return Ok(Redirect::to(&m.back_href).into_response());
            }
            calendar::with_toast(&state, &actor, &ws, htmx, &q, Toast::ok(text)).await
        }
        Err(AppError::Validation(fields)) => {
            if htmx.request {
                let text = fields
                    .iter()
                    .map(|f| f.message.clone())
                    .collect::<Vec<_>>()
                    .join("; ");
                let toast = Toast::error(format!("Not moved: {}.", text.trim_end_matches('.')));
                let mut response =
                    calendar::with_toast(&state, &actor, &ws, htmx, &q, toast).await?;
                *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
                return Ok(response);
            }
            m.date = body.date.trim().to_owned();
            m.errors = Errors(fields);
            let shell = Shell::in_workspace(&state, &actor, &ws, "Move a post", "calendar").await?;
            let mut response = ok(htmx, MovePage { shell, m })?;
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
        Err(e) => Err(e.into()),
    }
}
