//! The content calendar: `GET workspaces/{ws}/calendar?from=&to=` and its exports,
//! `calendar.json` and `calendar.csv` (the same items, as files).

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::domain::clock::rfc3339;
use crate::domain::post::VariantState;
use crate::domain::promo::PROMOTIONAL_FROM;
use crate::domain::schedule;
use crate::domain::text::Network;
use crate::services::calendar::{Calendar, ContentMix, Filter};
use crate::services::{Actor, AppError};
use crate::storage::calendar::CalendarRow;
use crate::web::auth::TokenUser;
use crate::web::{ApiError, ApiPath, AppState};

/// The range and filters; every filter is optional.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct CalendarParams {
    /// Start of the range, RFC 3339 with an offset (inclusive).
    from: String,
    /// End of the range, RFC 3339 with an offset (exclusive); at most 400 days after `from`.
    to: String,
    /// Only this channel.
    channel_id: Option<Uuid>,
    /// Only this network (mastodon, bluesky, x, threads, linkedin, instagram, facebook).
    network: Option<String>,
    /// Only posts with this tag or in this campaign.
    tag_id: Option<Uuid>,
    /// Only variants in this state; cancelled ones are left out unless asked for.
    state: Option<String>,
    /// Only posts assigned to this member.
    assignee_id: Option<Uuid>,
}

/// One variant on the calendar.
#[derive(Serialize, ToSchema)]
pub struct CalendarItemView {
    /// The variant's id.
    pub id: Uuid,
    pub post_id: Uuid,
    pub channel_id: Uuid,
    pub network: String,
    pub handle: String,
    pub state: String,
    /// When it goes (or went) out, RFC 3339 in UTC.
    pub scheduled_at: String,
    /// The zone the person chose, and the local time they meant in it.
    pub time_zone: String,
    pub local_time: String,
    pub published_at: Option<String>,
    pub remote_url: Option<String>,
    pub error: Option<String>,
    pub error_kind: Option<String>,
    pub retry_at: Option<String>,
    /// The opening of its text.
    pub text: String,
    pub promo_score: i64,
    /// Counts as promotional in the content mix.
    pub promotional: bool,
    pub assignee_id: Option<Uuid>,
    pub campaign_id: Option<Uuid>,
}

impl CalendarItemView {
    pub fn of(r: &CalendarRow, workspace_zone: &str) -> Self {
        let zone = if r.time_zone.is_empty() {
            workspace_zone
        } else {
            &r.time_zone
        };
        let local_time = if r.local_time.is_empty() {
            local(r.scheduled_at_ms, zone)
        } else {
            r.local_time.clone()
        };
        CalendarItemView {
            id: r.variant_id,
            post_id: r.post_id,
            channel_id: r.channel_id,
            network: r.network.clone(),
            handle: r.handle.clone(),
            state: r.state.clone(),
            scheduled_at: rfc3339(r.scheduled_at_ms),
            time_zone: zone.to_owned(),
            local_time,
            published_at: r.published_at_ms.map(rfc3339),
            remote_url: r.remote_url.clone(),
            error: r.error.clone(),
            error_kind: r.error_kind.clone(),
            retry_at: r.retry_at_ms.map(rfc3339),
            text: r.text(200),
            promo_score: r.promo_score,
            promotional: r.promo_score >= i64::from(PROMOTIONAL_FROM),
            assignee_id: r.assignee_id,
            campaign_id: r.campaign_id,
        }
    }
}

/// `2026-03-29T09:30` in `zone`.
fn local(ms: i64, zone: &str) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .ok()
        .and_then(|t| t.in_tz(zone).ok())
        .map(|z| z.strftime("%Y-%m-%dT%H:%M").to_string())
        .unwrap_or_default()
}

/// The content mix of the range.
#[derive(Serialize, ToSchema)]
pub struct ContentMixView {
    pub posts: usize,
    pub promotional: usize,
    pub promotional_percent: i64,
    pub target_percent: i64,
    pub over_target: bool,
    /// The score from which a post counts as promotional.
    pub promotional_from: u8,
}

impl From<&ContentMix> for ContentMixView {
    fn from(m: &ContentMix) -> Self {
        ContentMixView {
            posts: m.posts,
            promotional: m.promotional,
            promotional_percent: m.percent,
            target_percent: m.target_percent,
            over_target: m.over_target(),
            promotional_from: PROMOTIONAL_FROM,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct CalendarView {
    pub from: String,
    pub to: String,
    /// The workspace's zone, in which the calendar is drawn.
    pub time_zone: String,
    pub items: Vec<CalendarItemView>,
    /// Always null: a range is answered whole, up to 10,000 items.
    pub next: Option<String>,
    /// More items matched than one answer carries: ask for a shorter range.
    pub truncated: bool,
    pub content_mix: ContentMixView,
}

impl From<&Calendar> for CalendarView {
    fn from(c: &Calendar) -> Self {
        CalendarView {
            from: rfc3339(c.from_ms),
            to: rfc3339(c.to_ms),
            time_zone: c.time_zone.clone(),
            items: c
                .items
                .iter()
                .map(|r| CalendarItemView::of(r, &c.time_zone))
                .collect(),
            next: None,
            truncated: c.truncated,
            content_mix: ContentMixView::from(&c.mix),
        }
    }
}

fn id(q: &HashMap<String, String>, field: &str, what: &str) -> Result<Option<Uuid>, AppError> {
    match q.get(field).map(|s| s.trim()).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(raw) => raw
            .parse()
            .map(Some)
            .map_err(|_| AppError::field(field, format!("is not {what}"))),
    }
}

/// The filters of a query string (the same names in the API and the calendar page).
pub fn filter(q: &HashMap<String, String>) -> Result<Filter, AppError> {
    let text = |field: &str| {
        q.get(field)
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
    };
    let network = match text("network") {
        None => None,
        Some(n) => Some(
            Network::parse(&n)
                .ok_or_else(|| AppError::field("network", "is not a network Herald knows"))?
                .as_str()
                .to_owned(),
        ),
    };
    let state = match text("state") {
        None => None,
        Some(s) => Some(
            VariantState::parse(&s)
                .ok_or_else(|| AppError::field("state", "is not a post state"))?
                .as_str()
                .to_owned(),
        ),
    };
    Ok(Filter {
        channel_id: id(q, "channel_id", "a channel id")?,
        network,
        tag_id: id(q, "tag_id", "a tag or campaign id")?,
        state,
        assignee_id: id(q, "assignee_id", "a member's id")?,
    })
}

fn instant(q: &HashMap<String, String>, field: &str) -> Result<i64, AppError> {
    let raw = q.get(field).map(|s| s.trim()).unwrap_or("");
    if raw.is_empty() {
        return Err(AppError::field(
            field,
            "is required: an RFC 3339 instant such as 2026-03-01T00:00:00Z",
        ));
    }
    if raw.len() > 64 {
        return Err(AppError::field(field, "is not a date and time"));
    }
    schedule::parse_instant(raw).map_err(|e| AppError::field(field, e.to_string()))
}

/// Reads the query string and asks the service.
async fn load(
    state: &AppState,
    actor: &Actor,
    ws: Uuid,
    query: Result<Query<HashMap<String, String>>, axum::extract::rejection::QueryRejection>,
) -> Result<Calendar, AppError> {
    // The workspace first: another workspace's id is a 404 whatever the query says.
    state.services.workspace(actor, ws).await?;
    let Query(q) = query.map_err(|e| AppError::field("query", e.body_text()))?;
    let from = instant(&q, "from")?;
    let to = instant(&q, "to")?;
    let filter = filter(&q)?;
    state.services.calendar(actor, ws, from, to, &filter).await
}

type Params = Result<Query<HashMap<String, String>>, axum::extract::rejection::QueryRejection>;

#[utoipa::path(get, path = "/api/v1/workspaces/{ws}/calendar", tag = "publish",
    params(("ws" = Uuid, Path), CalendarParams),
    responses((status = 200, body = CalendarView), (status = 404, body = crate::web::problem::Problem),
        (status = 422, body = crate::web::problem::Problem)))]
pub async fn calendar(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath(ws): ApiPath<Uuid>,
    query: Params,
) -> Result<Json<CalendarView>, ApiError> {
    let calendar = load(&state, &actor, ws, query).await?;
    Ok(Json(CalendarView::from(&calendar)))
}

#[utoipa::path(get, path = "/api/v1/workspaces/{ws}/calendar.json", tag = "publish",
    params(("ws" = Uuid, Path), CalendarParams),
    responses((status = 200, body = CalendarView, content_type = "application/json"),
        (status = 404, body = crate::web::problem::Problem), (status = 422, body = crate::web::problem::Problem)))]
pub async fn calendar_json(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath(ws): ApiPath<Uuid>,
    query: Params,
) -> Result<Response, ApiError> {
    let calendar = load(&state, &actor, ws, query).await?;
    Ok(json_file(&calendar)?)
}

#[utoipa::path(get, path = "/api/v1/workspaces/{ws}/calendar.csv", tag = "publish",
    params(("ws" = Uuid, Path), CalendarParams),
    responses((status = 200, content_type = "text/csv"), (status = 404, body = crate::web::problem::Problem),
        (status = 422, body = crate::web::problem::Problem)))]
pub async fn calendar_csv(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath(ws): ApiPath<Uuid>,
    query: Params,
) -> Result<Response, ApiError> {
    let calendar = load(&state, &actor, ws, query).await?;
    Ok(csv_file(&calendar)?)
}

/// The calendar as a downloaded JSON file.
pub fn json_file(c: &Calendar) -> Result<Response, AppError> {
    let body = serde_json::to_vec_pretty(&CalendarView::from(c))
        .map_err(|e| AppError::Internal(e.into()))?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/json"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"calendar.json\"",
            ),
        ],
        body,
    )
        .into_response())
}

pub const CSV_HEADER: [&str; 16] = [
    "variant_id",
    "post_id",
    "channel_id",
    "network",
    "handle",
    "state",
    "scheduled_at",
    "time_zone",
    "local_time",
    "published_at",
    "remote_url",
    "error",
    "promo_score",
    "promotional",
    "campaign_id",
    "text",
];

/// The calendar as a downloaded CSV file, one variant a row.
pub fn csv_file(c: &Calendar) -> Result<Response, AppError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let fail = |e: csv::Error| AppError::Internal(e.into());
    w.write_record(CSV_HEADER).map_err(fail)?;
    for r in &c.items {
        let v = CalendarItemView::of(r, &c.time_zone);
        w.write_record([
            v.id.to_string(),
            v.post_id.to_string(),
            v.channel_id.to_string(),
            v.network,
            v.handle,
            v.state,
            v.scheduled_at,
            v.time_zone,
            v.local_time,
            v.published_at.unwrap_or_default(),
            v.remote_url.unwrap_or_default(),
            v.error.unwrap_or_default(),
            v.promo_score.to_string(),
            v.promotional.to_string(),
            v.campaign_id.map(|c| c.to_string()).unwrap_or_default(),
            csv_safe(&v.text),
        ])
        .map_err(fail)?;
    }
    let body = w
        .into_inner()
        .map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"calendar.csv\"",
            ),
        ],
        body,
    )
        .into_response())
}

/// A spreadsheet would run a cell starting with `=`, `+`, `-` or `@` as a formula.
fn csv_safe(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_owned()
    }
}
