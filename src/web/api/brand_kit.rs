//! The brand kit and the profile images it makes, over the API.

use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::post_views::PostMediaView;
use crate::domain::media::profile::{self, ProfileSpec};
use crate::services::AppError;
use crate::services::brand_kit::{BrandKitDetail, BrandKitPatch, ReviewAction};
use crate::web::auth::TokenUser;
use crate::web::{ApiError, ApiJson, ApiPath, AppState};

#[derive(Serialize, ToSchema)]
pub struct BrandKitView {
    pub logo: Option<PostMediaView>,
    pub cover: Option<PostMediaView>,
    /// `#rrggbb`, the main colour first.
    pub colors: Vec<String>,
    /// draft, in_review, changes_requested or approved.
    pub review_status: String,
    pub review_note: String,
    /// Each network's profile picture and banner, with its safe zones.
    pub profile_images: Vec<ProfileImageView>,
    /// All of them in one zip.
    pub zip_url: String,
}

#[derive(Serialize, ToSchema)]
pub struct ProfileImageView {
    #[serde(flatten)]
    pub spec: ProfileSpec,
    pub file_name: String,
    /// Null until the kit has a picture to make it from.
    pub url: Option<String>,
}

impl BrandKitView {
    pub fn new(d: &BrandKitDetail) -> Self {
        let ws = d.kit.workspace_id;
        let base = format!("/api/v1/workspaces/{ws}/brand-kit/profile-images");
        let has_source = d.logo.is_some() || d.cover.is_some();
        BrandKitView {
            logo: d.logo.as_ref().map(PostMediaView::from),
            cover: d.cover.as_ref().map(PostMediaView::from),
            colors: d
                .kit
                .colors
                .split(',')
                .filter(|c| !c.is_empty())
                .map(str::to_owned)
                .collect(),
            review_status: d.kit.review_status.clone(),
            review_note: d.kit.review_note.clone(),
            profile_images: profile::specs()
                .into_iter()
                .map(|spec| {
                    let file_name = profile::file_name(&spec);
                    ProfileImageView {
                        url: has_source.then(|| format!("{base}/{file_name}")),
                        spec,
                        file_name,
                    }
                })
                .collect(),
            zip_url: format!("{base}.zip"),
        }
    }
}

#[utoipa::path(get, path = "/api/v1/workspaces/{ws}/brand-kit", tag = "brand",
    params(("ws" = Uuid, Path)),
    responses((status = 200, body = BrandKitView), (status = 404, body = crate::web::problem::Problem)))]
pub async fn get(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath(ws): ApiPath<Uuid>,
) -> Result<Json<BrandKitView>, ApiError> {
    Ok(Json(BrandKitView::new(
        &state.services.brand_kit(&actor, ws).await?,
    )))
}

/// Fields to change; absent fields stay, `null` clears a picture. Any change sends the
/// profile images back to draft.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateBrandKit {
    #[serde(default, deserialize_with = "super::views::double_option")]
    #[schema(value_type = Option<Uuid>)]
    pub logo_media_id: Option<Option<Uuid>>,
    #[serde(default, deserialize_with = "super::views::double_option")]
    #[schema(value_type = Option<Uuid>)]
    pub cover_media_id: Option<Option<Uuid>>,
    pub colors: Option<Vec<String>>,
}

#[utoipa::path(patch, path = "/api/v1/workspaces/{ws}/brand-kit", tag = "brand",
    params(("ws" = Uuid, Path)), request_body = UpdateBrandKit,
    responses((status = 200, body = BrandKitView), (status = 403, body = crate::web::problem::Problem),
        (status = 404, body = crate::web::problem::Problem), (status = 422, body = crate::web::problem::Problem)))]
pub async fn update(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath(ws): ApiPath<Uuid>,
    ApiJson(body): ApiJson<UpdateBrandKit>,
) -> Result<Json<BrandKitView>, ApiError> {
    let patch = BrandKitPatch {
        logo_media_id: body.logo_media_id,
        cover_media_id: body.cover_media_id,
        colors: body.colors,
    };
    Ok(Json(BrandKitView::new(
        &state.services.update_brand_kit(&actor, ws, patch).await?,
    )))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewBrandKit {
    /// submit, approve, request_changes or reopen.
    pub action: String,
    #[serde(default)]
    pub note: String,
}

/// Moves the profile image set through review: draft → in review → approved or changes
/// requested.
#[utoipa::path(post, path = "/api/v1/workspaces/{ws}/brand-kit/review", tag = "brand",
    params(("ws" = Uuid, Path)), request_body = ReviewBrandKit,
    responses((status = 200, body = BrandKitView), (status = 403, body = crate::web::problem::Problem),
        (status = 404, body = crate::web::problem::Problem), (status = 409, body = crate::web::problem::Problem),
        (status = 422, body = crate::web::problem::Problem)))]
pub async fn review(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath(ws): ApiPath<Uuid>,
    ApiJson(body): ApiJson<ReviewBrandKit>,
) -> Result<Json<BrandKitView>, ApiError> {
    let action = ReviewAction::parse(&body.action).ok_or_else(|| {
        AppError::field(
            "action",
            "must be submit, approve, request_changes or reopen",
        )
    })?;
    let kit = state
        .services
        .review_brand_kit(&actor, ws, action, &body.note)
        .await?;
    Ok(Json(BrandKitView::new(&kit)))
}

/// One profile image, e.g. `x-banner-1500x500.jpg`.
#[utoipa::path(get, path = "/api/v1/workspaces/{ws}/brand-kit/profile-images/{file}", tag = "brand",
    params(("ws" = Uuid, Path), ("file" = String, Path)),
    responses((status = 200, content_type = "image/png"), (status = 404, body = crate::web::problem::Problem)))]
pub async fn image(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath((ws, file)): ApiPath<(Uuid, String)>,
) -> Result<Response, ApiError> {
    let images = state.services.profile_images(&actor, ws).await?;
    let image = images
        .into_iter()
        .find(|i| i.file_name == file)
        .ok_or(AppError::NotFound)?;
    let mime = image.spec.format().mime();
    Ok((
        [
            (header::CONTENT_TYPE, mime),
            (header::CACHE_CONTROL, "private, no-cache"),
        ],
        image.bytes,
    )
        .into_response())
}

/// Every profile image in one zip, with a README of sizes and safe zones.
#[utoipa::path(get, path = "/api/v1/workspaces/{ws}/brand-kit/profile-images.zip", tag = "brand",
    params(("ws" = Uuid, Path)),
    responses((status = 200, content_type = "application/zip"), (status = 404, body = crate::web::problem::Problem),
        (status = 422, body = crate::web::problem::Problem)))]
pub async fn zip(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath(ws): ApiPath<Uuid>,
) -> Result<Response, ApiError> {
    let bytes = state.services.profile_images_zip(&actor, ws).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/zip"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"profile-images.zip\"",
            ),
        ],
        bytes,
    )
        .into_response())
}
