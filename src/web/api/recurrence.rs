//! Recurring posts: set a post's rule, read it, cancel the series.

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::domain::clock::rfc3339;
use crate::services::recurrence::{RecurrenceInput, SeriesView};
use crate::web::auth::TokenUser;
use crate::web::{ApiError, ApiJson, ApiPath, AppState};

fn one() -> i64 {
    1
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecurrenceBody {
    /// `day`, `week` or `month` (monthly: on the first date's day of the month, or the
    /// month's last day when it has no such day).
    pub every: String,
    /// Every N days (1 to 366), weeks (1 to 52) or months (1 to 12).
    #[serde(default = "one")]
    pub interval: i64,
    /// Weekly rules: "mon", "thu"...; none: the first date's weekday.
    #[serde(default)]
    pub weekdays: Vec<String>,
    /// Local time, "09:00".
    pub time: String,
    /// The first date, "2026-03-02"; absent: today in the zone.
    #[serde(default)]
    pub start: String,
    /// IANA zone; absent: the workspace's.
    #[serde(default)]
    pub time_zone: String,
    /// The last date an occurrence may fall on (inclusive).
    pub until: Option<String>,
    /// How many occurrences in all (1 to 1000).
    pub count: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct OccurrenceView {
    /// The post made for this occurrence (an ordinary post, scheduled or in review).
    pub post_id: Uuid,
    pub at: String,
}

#[derive(Serialize, ToSchema)]
pub struct RecurrenceView {
    pub post_id: Uuid,
    /// "every week on mon, thu at 09:00 from 2026-03-02".
    pub rule: String,
    pub time_zone: String,
    pub until: Option<String>,
    pub count: Option<i64>,
    /// Occurrences made so far.
    pub made: i64,
    /// `active`, `ended` or `cancelled`.
    pub state: String,
    /// The next occurrences still to be made (they are made a week ahead).
    pub upcoming: Vec<String>,
    pub occurrences: Vec<OccurrenceView>,
    /// What the last pass did ("Skipped ...: Herald was not running then.").
    pub last_note: String,
}

impl From<SeriesView> for RecurrenceView {
    fn from(v: SeriesView) -> Self {
        let s = v.series;
        RecurrenceView {
            post_id: s.post_id,
            rule: s.rule,
            time_zone: s.time_zone,
            until: s.until_date,
            count: s.max_count,
            made: s.made_count,
            state: s.state,
            upcoming: v.upcoming_ms.into_iter().map(rfc3339).collect(),
            occurrences: v
                .made
                .into_iter()
                .map(|(post_id, at)| OccurrenceView {
                    post_id,
                    at: rfc3339(at),
                })
                .collect(),
            last_note: s.last_note,
        }
    }
}

/// Makes the post repeat (editors and above); replaces its rule if it had one. The post is
/// the template; each occurrence is a copy scheduled at its time.
#[utoipa::path(put, path = "/api/v1/workspaces/{ws}/posts/{id}/recurrence", tag = "publish",
    params(("ws" = Uuid, Path), ("id" = Uuid, Path)), request_body = RecurrenceBody,
    responses((status = 200, body = RecurrenceView), (status = 403, body = crate::web::problem::Problem),
        (status = 404, body = crate::web::problem::Problem), (status = 422, body = crate::web::problem::Problem)))]
pub async fn set(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath((ws, id)): ApiPath<(Uuid, Uuid)>,
    ApiJson(body): ApiJson<RecurrenceBody>,
) -> Result<Json<RecurrenceView>, ApiError> {
    let input = RecurrenceInput {
        every: body.every,
        interval: body.interval,
        weekdays: body.weekdays,
        time: body.time,
        start: body.start,
        time_zone: body.time_zone,
        until: body.until,
        count: body.count,
    };
    let view = state.services.set_recurrence(&actor, ws, id, input).await?;
    Ok(Json(view.into()))
}

#[utoipa::path(get, path = "/api/v1/workspaces/{ws}/posts/{id}/recurrence", tag = "publish",
    params(("ws" = Uuid, Path), ("id" = Uuid, Path)),
    responses((status = 200, body = RecurrenceView), (status = 404, body = crate::web::problem::Problem)))]
pub async fn get(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath((ws, id)): ApiPath<(Uuid, Uuid)>,
) -> Result<Json<RecurrenceView>, ApiError> {
    let view = state.services.recurrence(&actor, ws, id).await?;
    Ok(Json(view.into()))
}

/// Ends the series: no more occurrences, and those scheduled are cancelled.
#[utoipa::path(delete, path = "/api/v1/workspaces/{ws}/posts/{id}/recurrence", tag = "publish",
    params(("ws" = Uuid, Path), ("id" = Uuid, Path)),
    responses((status = 200, body = RecurrenceView), (status = 403, body = crate::web::problem::Problem),
        (status = 404, body = crate::web::problem::Problem), (status = 409, body = crate::web::problem::Problem)))]
pub async fn cancel(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath((ws, id)): ApiPath<(Uuid, Uuid)>,
) -> Result<Json<RecurrenceView>, ApiError> {
    let view = state.services.cancel_recurrence(&actor, ws, id).await?;
    Ok(Json(view.into()))
}
