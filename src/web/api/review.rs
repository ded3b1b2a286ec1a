//! Review routes: submit, approve, request changes, comments and the audit log.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::post_views::PostView;
use super::schedule::{Fold, ScheduleBody, when};
use super::views::List;
use crate::domain::clock::rfc3339;
use crate::services::schedule::When;
use crate::storage::review::{Comment, PostEvent};
use crate::web::auth::TokenUser;
use crate::web::{ApiError, ApiJson, ApiPath, AppState};

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct SubmitBody {
    /// When it should go out once approved: RFC 3339, or a local time in `time_zone`.
    pub at: Option<String>,
    pub time_zone: Option<String>,
    pub fold: Option<Fold>,
    /// For the reviewers.
    #[serde(default)]
    pub note: String,
}

#[utoipa::path(post, path = "/api/v1/workspaces/{ws}/posts/{id}/submit", tag = "review",
    params(("ws" = Uuid, Path), ("id" = Uuid, Path)), request_body = SubmitBody,
    responses((status = 200, body = PostView), (status = 404, body = crate::web::problem::Problem),
        (status = 409, body = crate::web::problem::Problem), (status = 422, body = crate::web::problem::Problem)))]
pub async fn submit(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath((ws, id)): ApiPath<(Uuid, Uuid)>,
    ApiJson(body): ApiJson<SubmitBody>,
) -> Result<Json<PostView>, ApiError> {
    let desired = match body.at.as_deref().filter(|a| !a.trim().is_empty()) {
        None => None,
        Some(at) => {
            let zone = state
                .services
                .workspace(&actor, ws)
                .await?
                .workspace
                .time_zone;
            let asked = ScheduleBody {
                at: Some(at.to_owned()),
                time_zone: body.time_zone.clone(),
                fold: body.fold,
                queue: false,
                share_next: false,
            };
            match when(&asked, &zone)? {
                When::At {
                    at_ms,
                    time_zone,
                    local_time,
                } => Some((at_ms, time_zone, local_time)),
                _ => None,
            }
        }
    };
    let post = state
        .services
        .submit_post(&actor, ws, id, desired, &body.note)
        .await?;
    Ok(Json(PostView::from(&post)))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct NoteBody {
    #[serde(default)]
    pub note: String,
}

#[utoipa::path(post, path = "/api/v1/workspaces/{ws}/posts/{id}/approve", tag = "review",
    params(("ws" = Uuid, Path), ("id" = Uuid, Path)), request_body = NoteBody,
    responses((status = 200, body = PostView), (status = 403, body = crate::web::problem::Problem),
        (status = 404, body = crate::web::problem::Problem), (status = 409, body = crate::web::problem::Problem)))]
pub async fn approve(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath((ws, id)): ApiPath<(Uuid, Uuid)>,
    ApiJson(body): ApiJson<NoteBody>,
) -> Result<Json<PostView>, ApiError> {
    let post = state
        .services
        .approve_post(&actor, ws, id, &body.note)
        .await?;
    Ok(Json(PostView::from(&post)))
}

#[utoipa::path(post, path = "/api/v1/workspaces/{ws}/posts/{id}/request-changes", tag = "review",
    params(("ws" = Uuid, Path), ("id" = Uuid, Path)), request_body = NoteBody,
    responses((status = 200, body = PostView), (status = 403, body = crate::web::problem::Problem),
        (status = 404, body = crate::web::problem::Problem), (status = 409, body = crate::web::problem::Problem),
        (status = 422, body = crate::web::problem::Problem)))]
pub async fn request_changes(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath((ws, id)): ApiPath<(Uuid, Uuid)>,
    ApiJson(body): ApiJson<NoteBody>,
) -> Result<Json<PostView>, ApiError> {
    let post = state
        .services
        .request_changes(&actor, ws, id, &body.note)
        .await?;
    Ok(Json(PostView::from(&post)))
}

#[derive(Serialize, ToSchema)]
pub struct CommentView {
    pub id: Uuid,
    pub author_id: Option<Uuid>,
    pub author_name: String,
    pub body: String,
    pub created_at: String,
}

impl From<&Comment> for CommentView {
    fn from(c: &Comment) -> Self {
        CommentView {
            id: c.id,
            author_id: c.author_id,
            author_name: c.author_name.clone(),
            body: c.body.clone(),
            created_at: rfc3339(c.created_at_ms),
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommentBody {
    /// Up to 5,000 characters; `@name` mentions members.
    pub body: String,
}

#[utoipa::path(get, path = "/api/v1/workspaces/{ws}/posts/{id}/comments", tag = "review",
    params(("ws" = Uuid, Path), ("id" = Uuid, Path)),
    responses((status = 200, body = List<CommentView>), (status = 404, body = crate::web::problem::Problem)))]
pub async fn comments(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath((ws, id)): ApiPath<(Uuid, Uuid)>,
) -> Result<Json<List<CommentView>>, ApiError> {
    let items = state.services.post_comments(&actor, ws, id).await?;
    Ok(Json(List::all(
        items.iter().map(CommentView::from).collect(),
    )))
}

#[utoipa::path(post, path = "/api/v1/workspaces/{ws}/posts/{id}/comments", tag = "review",
    params(("ws" = Uuid, Path), ("id" = Uuid, Path)), request_body = CommentBody,
    responses((status = 201, body = CommentView), (status = 404, body = crate::web::problem::Problem),
        (status = 422, body = crate::web::problem::Problem)))]
pub async fn comment(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath((ws, id)): ApiPath<(Uuid, Uuid)>,
    ApiJson(body): ApiJson<CommentBody>,
) -> Result<(StatusCode, Json<CommentView>), ApiError> {
    let c = state
        .services
        .comment_post(&actor, ws, id, &body.body)
        .await?;
    Ok((StatusCode::CREATED, Json(CommentView::from(&c))))
}

#[derive(Serialize, ToSchema)]
pub struct EventView {
    pub actor_id: Option<Uuid>,
    pub actor_name: String,
    /// submitted, approved_step, approved, changes_requested, scheduled, edited, small_fix...
    pub action: String,
    pub from_state: String,
    pub to_state: String,
    pub note: String,
    pub at: String,
}

#[utoipa::path(get, path = "/api/v1/workspaces/{ws}/posts/{id}/events", tag = "review",
    params(("ws" = Uuid, Path), ("id" = Uuid, Path)),
    responses((status = 200, body = List<EventView>), (status = 404, body = crate::web::problem::Problem)))]
pub async fn events(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath((ws, id)): ApiPath<(Uuid, Uuid)>,
) -> Result<Json<List<EventView>>, ApiError> {
    let items = state.services.post_events(&actor, ws, id).await?;
    Ok(Json(List::all(
        items
            .iter()
            .map(|e: &PostEvent| EventView {
                actor_id: e.actor_id,
                actor_name: e.actor_name.clone(),
                action: e.action.clone(),
                from_state: e.from_state.clone(),
                to_state: e.to_state.clone(),
                note: e.note.clone(),
                at: rfc3339(e.at_ms),
            })
            .collect(),
    )))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApprovalBody {
    /// Every post needs approval (contributors' posts always do).
    pub requires_approval: bool,
    /// 1: someone of the team approves; 2: the team, then the client.
    pub approval_steps: i64,
    /// Approvers may fix typos in approved posts without a new review.
    #[serde(default)]
    pub allow_small_fixes: bool,
}

#[utoipa::path(put, path = "/api/v1/workspaces/{ws}/approval", tag = "review",
    params(("ws" = Uuid, Path)), request_body = ApprovalBody,
    responses((status = 200, body = super::views::WorkspaceView), (status = 403, body = crate::web::problem::Problem),
        (status = 404, body = crate::web::problem::Problem), (status = 422, body = crate::web::problem::Problem)))]
pub async fn set_approval(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath(ws): ApiPath<Uuid>,
    ApiJson(body): ApiJson<ApprovalBody>,
) -> Result<Json<super::views::WorkspaceView>, ApiError> {
    let member = state
        .services
        .set_approval_policy(
            &actor,
            ws,
            body.requires_approval,
            body.approval_steps,
            body.allow_small_fixes,
        )
        .await?;
    Ok(Json(super::views::WorkspaceView::from(&member)))
}
