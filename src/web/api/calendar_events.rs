//! Events and holidays on the workspace's calendar: list by range, add, delete, and import
//! an .ics file.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{FromRequest, Query, Request, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::views::List;
use crate::domain::clock::rfc3339;
use crate::domain::ical::MAX_INPUT_BYTES;
use crate::domain::schedule;
use crate::services::AppError;
use crate::services::calendar_events::EventInput;
use crate::storage::calendar_events::CalendarEvent;
use crate::web::auth::TokenUser;
use crate::web::upload::read_small;
use crate::web::{ApiError, ApiJson, ApiPath, AppState};

#[derive(Serialize, ToSchema)]
pub struct CalendarEventView {
    pub id: Uuid,
    pub title: String,
    pub description: String,
    pub starts_at: String,
    /// Exclusive; all-day events end at the local midnight after their last day.
    pub ends_at: String,
    pub all_day: bool,
    /// `manual` or `ics`.
    pub source: String,
    /// The iCalendar UID of an imported event.
    pub uid: Option<String>,
    /// `event` or `holiday`.
    pub kind: String,
}

impl From<&CalendarEvent> for CalendarEventView {
    fn from(e: &CalendarEvent) -> Self {
        CalendarEventView {
            id: e.id,
            title: e.title.clone(),
            description: e.description.clone(),
            starts_at: rfc3339(e.starts_at_ms),
            ends_at: rfc3339(e.ends_at_ms),
            all_day: e.all_day,
            source: e.source.clone(),
            uid: e.uid.clone(),
            kind: e.kind.clone(),
        }
    }
}

/// The query of `list`, for the OpenAPI document (the handler reads it by hand).
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct RangeQuery {
    /// RFC 3339 instant.
    pub from: String,
    /// RFC 3339 instant, after `from`, at most 800 days later.
    pub to: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEventBody {
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// Timed: RFC 3339, or a local date and time ("2026-03-29T09:30") in `time_zone`.
    /// All-day: a date ("2026-12-25").
    pub start: String,
    /// As `start`; for all-day events the last day (inclusive). Empty: as `start`.
    #[serde(default)]
    pub end: String,
    #[serde(default)]
    pub all_day: bool,
    /// IANA zone for local times and dates (the workspace's when absent).
    pub time_zone: Option<String>,
    /// `event` (the default) or `holiday`.
    #[serde(default)]
    pub kind: String,
}

#[derive(Serialize, ToSchema)]
pub struct EventImportView {
    pub imported: usize,
    /// UIDs of an earlier import whose events were replaced.
    pub replaced: usize,
    /// What was read with a compromise (a recurrence not expanded, a zone unknown...).
    pub notes: Vec<String>,
}

/// The workspace's events overlapping `[from, to)`, earliest first.
#[utoipa::path(get, path = "/api/v1/workspaces/{ws}/calendar-events", tag = "calendar",
    params(("ws" = Uuid, Path), RangeQuery),
    responses((status = 200, body = List<CalendarEventView>), (status = 404, body = crate::web::problem::Problem),
        (status = 422, body = crate::web::problem::Problem)))]
pub async fn list(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath(ws): ApiPath<Uuid>,
    // Read by hand: a missing parameter is named after the membership check.
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<List<CalendarEventView>>, ApiError> {
    // Outsiders learn nothing, not even which parameters are missing.
    state.services.workspace(&actor, ws).await?;
    let instant = |field: &str, raw: Option<&str>| {
        schedule::parse_instant(raw.unwrap_or_default()).map_err(|_| {
            AppError::field(
                field,
                "give an RFC 3339 instant such as 2026-03-01T00:00:00Z",
            )
        })
    };
    let from = instant("from", q.get("from").map(String::as_str))?;
    let to = instant("to", q.get("to").map(String::as_str))?;
    let events = state.services.calendar_events(&actor, ws, from, to).await?;
    Ok(Json(List::all(
        events.iter().map(CalendarEventView::from).collect(),
    )))
}

/// Adds an event or holiday by hand (editors and above).
#[utoipa::path(post, path = "/api/v1/workspaces/{ws}/calendar-events", tag = "calendar",
    params(("ws" = Uuid, Path)), request_body = NewEventBody,
    responses((status = 201, body = CalendarEventView), (status = 403, body = crate::web::problem::Problem),
        (status = 422, body = crate::web::problem::Problem)))]
pub async fn create(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath(ws): ApiPath<Uuid>,
    request: Request,
) -> Result<(StatusCode, Json<CalendarEventView>), ApiError> {
    // Membership first: outsiders learn nothing from the body's problems.
    state.services.workspace(&actor, ws).await?;
    let ApiJson(body) = ApiJson::<NewEventBody>::from_request(request, &state).await?;
    let input = EventInput {
        title: body.title,
        description: body.description,
        start: body.start,
        end: body.end,
        all_day: body.all_day,
        time_zone: body.time_zone,
        kind: body.kind,
    };
    let event = state.services.add_calendar_event(&actor, ws, input).await?;
    Ok((StatusCode::CREATED, Json(CalendarEventView::from(&event))))
}

#[utoipa::path(delete, path = "/api/v1/workspaces/{ws}/calendar-events/{id}", tag = "calendar",
    params(("ws" = Uuid, Path), ("id" = Uuid, Path)),
    responses((status = 204), (status = 404, body = crate::web::problem::Problem)))]
pub async fn delete(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath((ws, id)): ApiPath<(Uuid, Uuid)>,
) -> Result<StatusCode, ApiError> {
    state.services.delete_calendar_event(&actor, ws, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Imports an .ics file (the body as `text/calendar`, or a multipart form with a `file`
/// field), all or nothing, at most 5 MB (a larger file is a 413). Importing a file again
/// replaces the events it gave before (by UID).
#[utoipa::path(post, path = "/api/v1/workspaces/{ws}/calendar-events/import", tag = "calendar",
    params(("ws" = Uuid, Path)), request_body(content = String, content_type = "text/calendar"),
    responses((status = 201, body = EventImportView), (status = 403, body = crate::web::problem::Problem),
        (status = 413, body = crate::web::problem::Problem), (status = 422, body = crate::web::problem::Problem)))]
pub async fn import(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath(ws): ApiPath<Uuid>,
    request: Request,
) -> Result<(StatusCode, Json<EventImportView>), ApiError> {
    // Strangers cannot make the server read a file.
    state.services.workspace(&actor, ws).await?;
    let file = read_small(request, MAX_INPUT_BYTES).await?.file;
    let done = state
        .services
        .import_calendar_events(&actor, ws, &file)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(EventImportView {
            imported: done.imported,
            replaced: done.replaced,
            notes: done.notes,
        }),
    ))
}
