//! The media library over the API: upload (multipart), list and search, one item with where
//! it is used, edit, delete, and the bytes (original, thumbnail, or a network's crop).

use axum::Json;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::post_views::TagView;
use super::views::List;
use crate::domain::clock::rfc3339;
use crate::domain::media::{FocalPoint, MediaFormat, MediaKind};
use crate::domain::text::Network;
use crate::services::AppError;
use crate::services::media::{MediaFile, MediaItem, MediaPatch, MediaQuery};
use crate::web::auth::TokenUser;
use crate::web::media_files::{rendition as rendition_response, stream};
use crate::web::upload::spool;
use crate::web::{ApiError, ApiJson, ApiPath, AppState};

#[derive(Serialize, ToSchema)]
pub struct MediaView {
    pub id: Uuid,
    pub name: String,
    pub format: MediaFormat,
    pub kind: MediaKind,
    pub mime: String,
    pub bytes: i64,
    pub width: i32,
    pub height: i32,
    pub duration_ms: Option<i64>,
    /// Animated GIFs: the number of frames.
    pub frames: Option<i32>,
    pub alt_text: String,
    pub focal_point: FocalPoint,
    pub tags: Vec<TagView>,
    /// The posts that show it (it cannot be deleted while there are any).
    pub used_in: Vec<UsageView>,
    pub url: String,
    pub thumbnail_url: Option<String>,
    pub created_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct UsageView {
    pub post_id: Uuid,
    /// The post's text, cut to 80 characters.
    pub excerpt: String,
}

impl MediaView {
    pub fn new(item: &MediaItem) -> Self {
        let m = &item.media;
        let format = item.format();
        let base = format!("/api/v1/workspaces/{}/media/{}", m.workspace_id, m.id);
        MediaView {
            id: m.id,
            name: m.name.clone(),
            format,
            kind: format.kind(),
            mime: format.mime().to_owned(),
            bytes: m.bytes,
            width: m.width,
            height: m.height,
            duration_ms: m.duration_ms,
            frames: m.frames,
            alt_text: m.alt_text.clone(),
            focal_point: FocalPoint::new(m.focal_x as f32, m.focal_y as f32).unwrap_or_default(),
            tags: item.tags.iter().map(TagView::from).collect(),
            used_in: item
                .used_in
                .iter()
                .map(|u| UsageView {
                    post_id: u.post_id,
                    excerpt: u.text.chars().take(80).collect(),
                })
                .collect(),
            url: format!("{base}/file"),
            thumbnail_url: m.thumb_key.as_ref().map(|_| format!("{base}/thumbnail")),
            created_at: rfc3339(m.created_at_ms),
        }
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Words in the name or alt text.
    pub q: Option<String>,
    /// A tag's name.
    pub tag: Option<String>,
    /// `image`, `gif` or `video`.
    pub kind: Option<String>,
    /// The `next` cursor of the previous page.
    pub before: Option<Uuid>,
}

/// The library, newest first; search by name, alt text, tag or kind.
#[utoipa::path(get, path = "/api/v1/workspaces/{ws}/media", tag = "media",
    params(("ws" = Uuid, Path), ListParams),
    responses((status = 200, body = List<MediaView>), (status = 404, body = crate::web::problem::Problem),
        (status = 422, body = crate::web::problem::Problem)))]
pub async fn list(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath(ws): ApiPath<Uuid>,
    params: Result<Query<ListParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<List<MediaView>>, ApiError> {
    let Query(p) = params.map_err(|e| AppError::field("query", e.body_text()))?;
    let query = MediaQuery {
        text: p.q,
        tag: p.tag,
        kind: p.kind,
        before: p.before,
    };
    let (items, next) = state.services.list_media(&actor, ws, &query).await?;
    Ok(Json(List {
        items: items.iter().map(MediaView::new).collect(),
        next: next.map(|id| id.to_string()),
    }))
}

/// The upload form: `file` (JPEG, PNG, WebP, GIF, MP4 or MOV), and optionally `alt_text`,
/// `name` and `tags` (comma-separated).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct UploadForm {
    #[schema(format = Binary, content_media_type = "application/octet-stream")]
    file: String,
    alt_text: Option<String>,
    name: Option<String>,
    tags: Option<String>,
}

/// Uploads a picture or video. Pictures are stored with their orientation applied and their
/// metadata (location, camera) removed. The same bytes uploaded twice give the same item.
#[utoipa::path(post, path = "/api/v1/workspaces/{ws}/media", tag = "media", params(("ws" = Uuid, Path)),
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    responses((status = 201, body = MediaView), (status = 404, body = crate::web::problem::Problem),
        (status = 413, body = crate::web::problem::Problem), (status = 422, body = crate::web::problem::Problem)))]
pub async fn upload(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath(ws): ApiPath<Uuid>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<(StatusCode, Json<MediaView>), ApiError> {
    // Membership first, so strangers cannot make the server spool their bytes.
    state.services.workspace(&actor, ws).await?;
    let media = &state.services.media;
    let form = spool(multipart, &media.spool_dir, media.limits.max_upload_bytes()).await?;
    let Some(upload) = form.upload else {
        return Err(
            AppError::field("file", "is missing: send the picture or video as `file`").into(),
        );
    };
    let item = state.services.upload_media(&actor, ws, upload).await?;
    Ok((StatusCode::CREATED, Json(MediaView::new(&item))))
}

/// One item, with the posts that use it.
#[utoipa::path(get, path = "/api/v1/workspaces/{ws}/media/{id}", tag = "media",
    params(("ws" = Uuid, Path), ("id" = Uuid, Path)),
    responses((status = 200, body = MediaView), (status = 404, body = crate::web::problem::Problem)))]
pub async fn get(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath((ws, id)): ApiPath<(Uuid, Uuid)>,
) -> Result<Json<MediaView>, ApiError> {
    let item = state.services.get_media(&actor, ws, id).await?;
    Ok(Json(MediaView::new(&item)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateMedia {
    pub name: Option<String>,
    /// What the picture shows, for people who cannot see it.
    pub alt_text: Option<String>,
    /// Where crops centre: x and y from 0 to 1 (0.5, 0.5 is the middle).
    pub focal_point: Option<FocalPoint>,
    /// Replaces the item's tags.
    pub tags: Option<Vec<String>>,
}

#[utoipa::path(patch, path = "/api/v1/workspaces/{ws}/media/{id}", tag = "media",
    params(("ws" = Uuid, Path), ("id" = Uuid, Path)), request_body = UpdateMedia,
    responses((status = 200, body = MediaView), (status = 404, body = crate::web::problem::Problem),
        (status = 422, body = crate::web::problem::Problem)))]
pub async fn update(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath((ws, id)): ApiPath<(Uuid, Uuid)>,
    ApiJson(body): ApiJson<UpdateMedia>,
) -> Result<Json<MediaView>, ApiError> {
    let patch = MediaPatch {
        name: body.name,
        alt_text: body.alt_text,
        focal_point: body.focal_point.map(|f| (f.x, f.y)),
        tags: body.tags,
    };
    let item = state.services.update_media(&actor, ws, id, patch).await?;
    Ok(Json(MediaView::new(&item)))
}

/// Deletes an item; refused (409) while a post uses it.
#[utoipa::path(delete, path = "/api/v1/workspaces/{ws}/media/{id}", tag = "media",
    params(("ws" = Uuid, Path), ("id" = Uuid, Path)),
    responses((status = 204), (status = 404, body = crate::web::problem::Problem),
        (status = 409, body = crate::web::problem::Problem)))]
pub async fn delete(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath((ws, id)): ApiPath<(Uuid, Uuid)>,
) -> Result<StatusCode, ApiError> {
    state.services.delete_media(&actor, ws, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The stored file (orientation applied, metadata removed).
#[utoipa::path(get, path = "/api/v1/workspaces/{ws}/media/{id}/file", tag = "media",
    params(("ws" = Uuid, Path), ("id" = Uuid, Path)),
    responses((status = 200, content_type = "application/octet-stream"), (status = 404, body = crate::web::problem::Problem)))]
pub async fn file(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath((ws, id)): ApiPath<(Uuid, Uuid)>,
) -> Result<Response, ApiError> {
    let (reader, mime, row) = state
        .services
        .open_media(&actor, ws, id, MediaFile::Original)
        .await?;
    Ok(stream(reader, mime, Some(&row.name)))
}

#[utoipa::path(get, path = "/api/v1/workspaces/{ws}/media/{id}/thumbnail", tag = "media",
    params(("ws" = Uuid, Path), ("id" = Uuid, Path)),
    responses((status = 200, content_type = "image/jpeg"), (status = 404, body = crate::web::problem::Problem)))]
pub async fn thumbnail(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath((ws, id)): ApiPath<(Uuid, Uuid)>,
) -> Result<Response, ApiError> {
    let (reader, mime, _) = state
        .services
        .open_media(&actor, ws, id, MediaFile::Thumbnail)
        .await?;
    Ok(stream(reader, mime, None))
}

/// The picture as a network receives it: cut around the focal point to the network's
/// accepted aspect ratio when it is outside it (`X-Herald-Cropped: x,y,w,h`), else the file.
#[utoipa::path(get, path = "/api/v1/workspaces/{ws}/media/{id}/renditions/{network}", tag = "media",
    params(("ws" = Uuid, Path), ("id" = Uuid, Path), ("network" = Network, Path)),
    responses((status = 200, content_type = "image/jpeg"), (status = 404, body = crate::web::problem::Problem)))]
pub async fn rendition(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath((ws, id, network)): ApiPath<(Uuid, Uuid, String)>,
) -> Result<Response, ApiError> {
    let network = Network::parse(&network).ok_or(AppError::NotFound)?;
    let r = state
        .services
        .media_for_network(&actor, ws, id, network)
        .await?;
    Ok(rendition_response(r))
}
