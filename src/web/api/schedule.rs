//! Scheduling routes: a time (an instant, or a local time in a zone), publish now, cancel,
//! retry, and the attempts with what the networks answered.

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::post_views::PostView;
use super::views::List;
use crate::domain::clock::rfc3339;
use crate::domain::schedule::{self, Disambiguation, LocalTimeError};
use crate::services::AppError;
use crate::services::schedule::When;
use crate::storage::attempts::Attempt;
use crate::web::auth::TokenUser;
use crate::web::{ApiError, ApiJson, ApiPath, AppState};

#[derive(Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Fold {
    Earlier,
    Later,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScheduleBody {
    /// RFC 3339 with an offset ("2026-03-29T09:30:00Z"), or a local date and time without
    /// one ("2026-03-29T09:30"), read in `time_zone`.
    pub at: Option<String>,
    /// IANA zone the person chose (the workspace's when absent).
    pub time_zone: Option<String>,
    /// For a local time that happens twice (clocks going back): which one.
    pub fold: Option<Fold>,
    /// Add to the channels' queues (their next free posting slots).
    #[serde(default)]
    pub queue: bool,
    /// With `queue`: take each channel's very next slot; the posts queued from there on
    /// move one slot later.
    #[serde(default)]
    pub share_next: bool,
}

/// Reads what the person asked for; errors name the field.
pub fn when(body: &ScheduleBody, workspace_zone: &str) -> Result<When, AppError> {
    if body.queue || body.share_next {
        if body.at.is_some() {
            return Err(AppError::field("at", "give a time or `queue`, not both"));
        }
        return Ok(When::Queue {
            share_next: body.share_next,
        });
    }
    let Some(at) = body.at.as_deref().map(str::trim).filter(|a| !a.is_empty()) else {
        return Err(AppError::field(
            "at",
            "give a date and time, or use publish-now",
        ));
    };
    if at.len() > 64 {
        return Err(AppError::field("at", "is not a date and time"));
    }
    let zone = body
        .time_zone
        .as_deref()
        .map(str::trim)
        .filter(|z| !z.is_empty())
        .unwrap_or(workspace_zone);
    let zone_name = schedule::time_zone(zone)
        .map_err(|e| AppError::field("time_zone", e.to_string()))?
        .iana_name()
        .unwrap_or(zone)
        .to_owned();
    let (at_ms, local_time) = match schedule::parse_instant(at) {
        Ok(ms) => (ms, String::new()),
        Err(_) => {
            let choice = body.fold.map(|f| match f {
                Fold::Earlier => Disambiguation::Earlier,
                Fold::Later => Disambiguation::Later,
            });
            let ms = schedule::resolve_local(at, &zone_name, choice).map_err(|e| match e {
                LocalTimeError::UnknownZone(_) => AppError::field("time_zone", e.to_string()),
                LocalTimeError::Repeated(_) => AppError::field("fold", e.to_string()),
                _ => AppError::field("at", e.to_string()),
            })?;
            (ms, at.to_owned())
        }
    };
    Ok(When::At {
        at_ms,
        time_zone: zone_name,
        local_time,
    })
}

#[utoipa::path(post, path = "/api/v1/workspaces/{ws}/posts/{id}/schedule", tag = "publish",
    params(("ws" = Uuid, Path), ("id" = Uuid, Path)), request_body = ScheduleBody,
    responses((status = 200, body = PostView), (status = 404, body = crate::web::problem::Problem),
        (status = 409, body = crate::web::problem::Problem), (status = 422, body = crate::web::problem::Problem)))]
pub async fn schedule(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath((ws, id)): ApiPath<(Uuid, Uuid)>,
    ApiJson(body): ApiJson<ScheduleBody>,
) -> Result<Json<PostView>, ApiError> {
    let zone = state
        .services
        .workspace(&actor, ws)
        .await?
        .workspace
        .time_zone;
    let when = when(&body, &zone)?;
    let post = state.services.schedule_post(&actor, ws, id, when).await?;
    Ok(Json(PostView::from(&post)))
}

#[utoipa::path(post, path = "/api/v1/workspaces/{ws}/posts/{id}/publish-now", tag = "publish",
    params(("ws" = Uuid, Path), ("id" = Uuid, Path)),
    responses((status = 200, body = PostView), (status = 404, body = crate::web::problem::Problem),
        (status = 409, body = crate::web::problem::Problem), (status = 422, body = crate::web::problem::Problem)))]
pub async fn publish_now(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath((ws, id)): ApiPath<(Uuid, Uuid)>,
) -> Result<Json<PostView>, ApiError> {
    let post = state
        .services
        .schedule_post(&actor, ws, id, When::Now)
        .await?;
    Ok(Json(PostView::from(&post)))
}

#[utoipa::path(post, path = "/api/v1/workspaces/{ws}/posts/{id}/cancel", tag = "publish",
    params(("ws" = Uuid, Path), ("id" = Uuid, Path)),
    responses((status = 200, body = PostView), (status = 404, body = crate::web::problem::Problem),
        (status = 409, body = crate::web::problem::Problem)))]
pub async fn cancel(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath((ws, id)): ApiPath<(Uuid, Uuid)>,
) -> Result<Json<PostView>, ApiError> {
    let post = state.services.cancel_post(&actor, ws, id).await?;
    Ok(Json(PostView::from(&post)))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct RetryBody {
    /// Also send again what may already be on the network (outcome unknown): only after
    /// looking there.
    #[serde(default)]
    pub include_unknown: bool,
}

#[utoipa::path(post, path = "/api/v1/workspaces/{ws}/posts/{id}/retry", tag = "publish",
    params(("ws" = Uuid, Path), ("id" = Uuid, Path)), request_body = RetryBody,
    responses((status = 200, body = PostView), (status = 404, body = crate::web::problem::Problem),
        (status = 409, body = crate::web::problem::Problem)))]
pub async fn retry(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath((ws, id)): ApiPath<(Uuid, Uuid)>,
    body: axum::body::Bytes,
) -> Result<Json<PostView>, ApiError> {
    // The body is optional: a bare POST retries what failed.
    let include_unknown = if body.iter().all(u8::is_ascii_whitespace) {
        false
    } else {
        serde_json::from_slice::<RetryBody>(&body)
            .map_err(|e| AppError::field("include_unknown", format!("the body is not valid: {e}")))?
            .include_unknown
    };
    let post = state
        .services
        .retry_post(&actor, ws, id, include_unknown)
        .await?;
    Ok(Json(PostView::from(&post)))
}

/// One attempt to publish a variant.
#[derive(Serialize, ToSchema)]
pub struct AttemptView {
    pub id: Uuid,
    pub variant_id: Uuid,
    pub number: i64,
    /// sending, published, failed, retrying, outcome_unknown or reconciled.
    pub state: String,
    pub started_at: String,
    pub finished_at: Option<String>,
    pub error_kind: Option<String>,
    pub error: Option<String>,
    /// The parts on the network after it.
    #[schema(value_type = Object)]
    pub published: serde_json::Value,
    /// What the network answered: method, url (no query), status and body of each exchange.
    #[schema(value_type = Object)]
    pub raw_answer: serde_json::Value,
}

impl From<&Attempt> for AttemptView {
    fn from(a: &Attempt) -> Self {
        AttemptView {
            id: a.id,
            variant_id: a.variant_id,
            number: a.number,
            state: a.state.clone(),
            started_at: rfc3339(a.started_at_ms),
            finished_at: a.finished_at_ms.map(rfc3339),
            error_kind: a.error_kind.clone(),
            error: a.error.clone(),
            published: serde_json::from_str(&a.published).unwrap_or_default(),
            raw_answer: serde_json::from_str(&a.raw_answer).unwrap_or_default(),
        }
    }
}

#[utoipa::path(get, path = "/api/v1/workspaces/{ws}/posts/{id}/attempts", tag = "publish",
    params(("ws" = Uuid, Path), ("id" = Uuid, Path)),
    responses((status = 200, body = List<AttemptView>), (status = 404, body = crate::web::problem::Problem)))]
pub async fn attempts(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath((ws, id)): ApiPath<(Uuid, Uuid)>,
) -> Result<Json<List<AttemptView>>, ApiError> {
    let attempts = state.services.post_attempts(&actor, ws, id).await?;
    Ok(Json(List {
        items: attempts.iter().map(AttemptView::from).collect(),
        next: None,
    }))
}
