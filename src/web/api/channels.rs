use axum::Json;
use axum::extract::State;
use uuid::Uuid;

use super::channel_views::ChannelView;
use super::post_views::{LinkView, TagView};
use super::views::List;
use crate::web::auth::TokenUser;
use crate::web::{ApiError, ApiJson, ApiPath, AppState};

/// The workspace's channels, with what each network's posts can carry.
#[utoipa::path(get, path = "/api/v1/workspaces/{ws}/channels", tag = "compose", params(("ws" = Uuid, Path)),
    responses((status = 200, body = List<ChannelView>), (status = 404, body = crate::web::problem::Problem)))]
pub async fn list(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath(ws): ApiPath<Uuid>,
) -> Result<Json<List<ChannelView>>, ApiError> {
    let channels = state.services.list_channels(&actor, ws).await?;
    let now = state.services.now_ms();
    Ok(Json(List::all(
        channels.iter().map(|c| ChannelView::new(c, now)).collect(),
    )))
}

#[derive(serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateTag {
    /// `tag` (default) or `campaign`.
    #[serde(default = "default_kind")]
    pub kind: String,
    pub name: String,
    /// `#rrggbb`; one is picked when absent.
    pub color: Option<String>,
}

fn default_kind() -> String {
    "tag".into()
}

/// Tags and campaigns of the workspace.
#[utoipa::path(get, path = "/api/v1/workspaces/{ws}/tags", tag = "compose", params(("ws" = Uuid, Path)),
    responses((status = 200, body = List<TagView>), (status = 404, body = crate::web::problem::Problem)))]
pub async fn list_tags(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath(ws): ApiPath<Uuid>,
) -> Result<Json<List<TagView>>, ApiError> {
    let tags = state.services.list_tags(&actor, ws).await?;
    Ok(Json(List::all(tags.iter().map(TagView::from).collect())))
}

/// Creates a tag or campaign (or returns the one of that name).
#[utoipa::path(post, path = "/api/v1/workspaces/{ws}/tags", tag = "compose", params(("ws" = Uuid, Path)),
    request_body = CreateTag,
    responses((status = 200, body = TagView), (status = 404, body = crate::web::problem::Problem),
        (status = 422, body = crate::web::problem::Problem)))]
pub async fn create_tag(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath(ws): ApiPath<Uuid>,
    ApiJson(body): ApiJson<CreateTag>,
) -> Result<Json<TagView>, ApiError> {
    let tag = state
        .services
        .create_tag(&actor, ws, &body.kind, &body.name, body.color.as_deref())
        .await?;
    Ok(Json(TagView::from(&tag)))
}

/// The workspace's short links with their clicks (visits by bots counted apart).
#[utoipa::path(get, path = "/api/v1/workspaces/{ws}/links", tag = "compose", params(("ws" = Uuid, Path)),
    responses((status = 200, body = List<LinkView>), (status = 404, body = crate::web::problem::Problem)))]
pub async fn list_links(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath(ws): ApiPath<Uuid>,
) -> Result<Json<List<LinkView>>, ApiError> {
    let base = state.config.public_base();
    let links = state.services.list_links(&actor, ws).await?;
    Ok(Json(List::all(
        links.iter().map(|l| LinkView::new(l, &base)).collect(),
    )))
}
