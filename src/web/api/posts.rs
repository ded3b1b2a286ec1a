use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::domain::post::credit::Credit;

use super::post_views::PostView;
use super::views::List;
use crate::domain::post::VariantOptions;
use crate::services::AppError;
use crate::services::posts::{PostInput, VariantPatch};
use crate::web::auth::TokenUser;
use crate::web::{ApiError, ApiJson, ApiPath, AppState};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePost {
    #[serde(default)]
    pub text: String,
    /// One variant is made per channel.
    #[serde(default)]
    pub channel_ids: Vec<Uuid>,
    /// Tag names; new ones are created.
    #[serde(default)]
    pub tags: Vec<String>,
    pub campaign_id: Option<Uuid>,
    /// The member responsible for the post.
    pub assignee_id: Option<Uuid>,
    /// Internal notes, never published.
    #[serde(default)]
    pub notes: String,
    /// Items of the workspace's media library, in order; every variant shows them.
    #[serde(default)]
    pub media_ids: Vec<Uuid>,
    /// Sharing someone else's content: the original's link and its author's handle per
    /// network; each variant gets a "Via @handle: link" line.
    pub credit: Option<Credit>,
    /// Scheduling arrives with the publishing engine; only null is accepted for now.
    pub scheduled_at: Option<String>,
    pub time_zone: Option<String>,
}

/// Fields to change; absent fields stay. `null` clears `campaign_id` and `assignee_id`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdatePost {
    pub text: Option<String>,
    pub channel_ids: Option<Vec<Uuid>>,
    pub tags: Option<Vec<String>>,
    #[serde(default, deserialize_with = "super::views::double_option")]
    #[schema(value_type = Option<Uuid>)]
    pub campaign_id: Option<Option<Uuid>>,
    #[serde(default, deserialize_with = "super::views::double_option")]
    #[schema(value_type = Option<Uuid>)]
    pub assignee_id: Option<Option<Uuid>>,
    pub notes: Option<String>,
    /// Replaces the post's media (items of the workspace's library, in order).
    pub media_ids: Option<Vec<Uuid>>,
    /// Replaces the credit; `{}` removes it.
    pub credit: Option<Credit>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateVariant {
    /// The variant's own text, one element per post of a thread; detaches it from the post.
    pub parts: Option<Vec<String>>,
    /// `true` drops the variant's own text: it follows the post again.
    pub follow_post: Option<bool>,
    pub first_comment: Option<String>,
    pub options: Option<VariantOptions>,
}

#[derive(Deserialize, IntoParams)]
pub struct Page {
    /// The `next` cursor of the previous page.
    pub cursor: Option<Uuid>,
}

#[utoipa::path(get, path = "/api/v1/workspaces/{ws}/posts", tag = "compose", params(("ws" = Uuid, Path), Page),
    responses((status = 200, body = List<PostView>), (status = 404, body = crate::web::problem::Problem)))]
pub async fn list(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath(ws): ApiPath<Uuid>,
    Query(page): Query<Page>,
) -> Result<Json<List<PostView>>, ApiError> {
    let (posts, next) = state.services.list_posts(&actor, ws, page.cursor).await?;
    Ok(Json(List {
        items: posts.iter().map(PostView::from).collect(),
        next: next.map(|id| id.to_string()),
    }))
}

/// Writes a post: one variant per channel, following the text until tailored.
#[utoipa::path(post, path = "/api/v1/workspaces/{ws}/posts", tag = "compose", params(("ws" = Uuid, Path)),
    request_body = CreatePost,
    responses((status = 201, body = PostView), (status = 404, body = crate::web::problem::Problem),
        (status = 422, body = crate::web::problem::Problem)))]
pub async fn create(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath(ws): ApiPath<Uuid>,
    ApiJson(body): ApiJson<CreatePost>,
) -> Result<(StatusCode, Json<PostView>), ApiError> {
    // The time is read before anything is created: a bad one leaves nothing behind.
    let when = match body.scheduled_at.as_deref() {
        Some(at) => {
            let zone = state
                .services
                .workspace(&actor, ws)
                .await?
                .workspace
                .time_zone;
            // "queue": the channels' next free posting slots.
            let queue = at.trim() == "queue";
            let asked = super::schedule::ScheduleBody {
                at: (!queue).then(|| at.to_owned()),
                time_zone: body.time_zone.clone(),
                fold: None,
                queue,
                share_next: false,
            };
            Some(
                super::schedule::when(&asked, &zone)
                    .map_err(|e| e.renamed("at", "scheduled_at"))?,
            )
        }
        None => {
            if let Some(zone) = &body.time_zone {
                let mut v = crate::domain::Validation::new();
                crate::domain::validation::check_time_zone(&mut v, "time_zone", zone);
                v.finish().map_err(AppError::from)?;
            }
            None
        }
    };
    let input = PostInput {
        text: Some(body.text),
        channel_ids: Some(body.channel_ids),
        tags: Some(body.tags),
        campaign_id: Some(body.campaign_id),
        assignee_id: Some(body.assignee_id),
        notes: Some(body.notes),
        media_ids: Some(body.media_ids),
        credit: body.credit,
    };
    let mut post = state.services.create_post(&actor, ws, input).await?;
    if let Some(when) = when {
        match state
            .services
            .schedule_post(&actor, ws, post.post.id, when)
            .await
        {
            Ok(scheduled) => post = scheduled,
            Err(e) => {
                // Not half-created: the post goes with the refusal.
                state.services.delete_post(&actor, ws, post.post.id).await?;
                return Err(e.renamed("at", "scheduled_at").into());
            }
        }
    }
    Ok((StatusCode::CREATED, Json(PostView::from(&post))))
}

#[utoipa::path(get, path = "/api/v1/workspaces/{ws}/posts/{id}", tag = "compose",
    params(("ws" = Uuid, Path), ("id" = Uuid, Path)),
    responses((status = 200, body = PostView), (status = 404, body = crate::web::problem::Problem)))]
pub async fn get(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath((ws, id)): ApiPath<(Uuid, Uuid)>,
) -> Result<Json<PostView>, ApiError> {
    Ok(Json(PostView::from(
        &state.services.get_post(&actor, ws, id).await?,
    )))
}

/// Changes a post (drafts save themselves through this as the author types).
#[utoipa::path(patch, path = "/api/v1/workspaces/{ws}/posts/{id}", tag = "compose",
    params(("ws" = Uuid, Path), ("id" = Uuid, Path)), request_body = UpdatePost,
    responses((status = 200, body = PostView), (status = 404, body = crate::web::problem::Problem),
        (status = 409, body = crate::web::problem::Problem), (status = 422, body = crate::web::problem::Problem)))]
pub async fn update(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath((ws, id)): ApiPath<(Uuid, Uuid)>,
    ApiJson(body): ApiJson<UpdatePost>,
) -> Result<Json<PostView>, ApiError> {
    let input = PostInput {
        text: body.text,
        channel_ids: body.channel_ids,
        tags: body.tags,
        campaign_id: body.campaign_id,
        assignee_id: body.assignee_id,
        notes: body.notes,
        media_ids: body.media_ids,
        credit: body.credit,
    };
    Ok(Json(PostView::from(
        &state.services.update_post(&actor, ws, id, input).await?,
    )))
}

#[utoipa::path(delete, path = "/api/v1/workspaces/{ws}/posts/{id}", tag = "compose",
    params(("ws" = Uuid, Path), ("id" = Uuid, Path)),
    responses((status = 204), (status = 404, body = crate::web::problem::Problem), (status = 409, body = crate::web::problem::Problem)))]
pub async fn delete(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath((ws, id)): ApiPath<(Uuid, Uuid)>,
) -> Result<StatusCode, ApiError> {
    state.services.delete_post(&actor, ws, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Tailors one variant for its network: its own text or thread, first comment, options.
#[utoipa::path(patch, path = "/api/v1/workspaces/{ws}/posts/{id}/variants/{variant}", tag = "compose",
    params(("ws" = Uuid, Path), ("id" = Uuid, Path), ("variant" = Uuid, Path)), request_body = UpdateVariant,
    responses((status = 200, body = PostView), (status = 404, body = crate::web::problem::Problem),
        (status = 422, body = crate::web::problem::Problem)))]
pub async fn update_variant(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath((ws, id, variant)): ApiPath<(Uuid, Uuid, Uuid)>,
    ApiJson(body): ApiJson<UpdateVariant>,
) -> Result<Json<PostView>, ApiError> {
    let patch = VariantPatch {
        parts: body.parts,
        follow_post: body.follow_post,
        first_comment: body.first_comment,
        options: body.options,
    };
    Ok(Json(PostView::from(
        &state
            .services
            .update_variant(&actor, ws, id, variant, patch)
            .await?,
    )))
}

/// Replaces the variant's links with tracked short links (`{public_url}/l/{code}`) carrying
/// UTM parameters: source = network, medium = social, campaign = the post's campaign.
#[utoipa::path(post, path = "/api/v1/workspaces/{ws}/posts/{id}/variants/{variant}/track-links", tag = "compose",
    params(("ws" = Uuid, Path), ("id" = Uuid, Path), ("variant" = Uuid, Path)),
    responses((status = 200, body = PostView), (status = 404, body = crate::web::problem::Problem)))]
pub async fn track_links(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath((ws, id, variant)): ApiPath<(Uuid, Uuid, Uuid)>,
) -> Result<Json<PostView>, ApiError> {
    let base = state.config.public_base();
    Ok(Json(PostView::from(
        &state
            .services
            .track_links(&actor, ws, id, variant, &base)
            .await?,
    )))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct SplitRequest {
    /// Append " 1/3"-style counters (their room is kept within the limit).
    #[serde(default)]
    pub numbered: bool,
}

/// Cuts the variant's text into a thread that fits its network: at sentence ends, then
/// between words; links, hashtags and mentions are kept whole.
#[utoipa::path(post, path = "/api/v1/workspaces/{ws}/posts/{id}/variants/{variant}/split", tag = "compose",
    params(("ws" = Uuid, Path), ("id" = Uuid, Path), ("variant" = Uuid, Path)), request_body = SplitRequest,
    responses((status = 200, body = PostView), (status = 404, body = crate::web::problem::Problem),
        (status = 422, body = crate::web::problem::Problem)))]
pub async fn split(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath((ws, id, variant)): ApiPath<(Uuid, Uuid, Uuid)>,
    ApiJson(body): ApiJson<SplitRequest>,
) -> Result<Json<PostView>, ApiError> {
    let detail = state
        .services
        .split_variant(&actor, ws, id, variant, body.numbered)
        .await?;
    Ok(Json(PostView::from(&detail)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PreviewRequest {
    pub url: String,
}

/// Fetches a link's title, description and image (Open Graph, Twitter card or plain HTML),
/// with a 5-second and 1 MB limit; internal addresses are refused.
#[utoipa::path(post, path = "/api/v1/workspaces/{ws}/link-preview", tag = "compose", params(("ws" = Uuid, Path)),
    request_body = PreviewRequest,
    responses((status = 200, body = crate::connectors::link_preview::LinkPreview),
        (status = 404, body = crate::web::problem::Problem), (status = 422, body = crate::web::problem::Problem)))]
pub async fn link_preview(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath(ws): ApiPath<Uuid>,
    ApiJson(body): ApiJson<PreviewRequest>,
) -> Result<Json<crate::connectors::link_preview::LinkPreview>, ApiError> {
    Ok(Json(
        state.services.link_preview(&actor, ws, &body.url).await?,
    ))
}
