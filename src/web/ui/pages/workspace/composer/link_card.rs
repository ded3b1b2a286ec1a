//! The preview card of a variant's first link.
//!
//! `GET /w/{ws}/posts/{id}/variants/{variant}/link-preview` fetches the page through the
//! SSRF-guarded previewer (5 s, 1 MB) when the card's loader appears (htmx, `load`) and
//! answers the card; without JavaScript the loader is a link, and the same address answers
//! the whole composer with the card in place. A short link of this workspace is previewed
//! as the page it leads to, so Herald neither fetches itself nor counts a visit.
//!
//! `GET /w/{ws}/link-preview/image?url=..&sig=..` passes the card's image on from Herald's
//! own origin, since the CSP lets pages load images from nowhere else. The address is signed
//! for the session that saw the card, so the route fetches only images a card showed; only
//! raster types, at most 2 MB, through the same guard.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use uuid::Uuid;

use super::link_view::{LinkCard, image_path, sign};
use super::page::{composer, whole_page};
use super::view::VariantView;
use crate::crypto::token::constant_time_eq;
use crate::services::{Actor, AppError};
use crate::web::AppState;
use crate::web::auth::SessionUser;
use crate::web::ui::UiError;
use crate::web::ui::forms::UiPath;
use crate::web::ui::render::Htmx;

#[derive(Template)]
#[template(path = "composer_card.html")]
struct CardAnswer<'a> {
    v: &'a VariantView,
}

pub async fn link_preview(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath((ws_id, id, variant_id)): UiPath<(Uuid, Uuid, Uuid)>,
) -> Result<Response, UiError> {
    let ws = state.services.workspace(&actor, ws_id).await?;
    let detail = state.services.get_post(&actor, ws_id, id).await?;
    let mut c = composer(&state, &actor, &ws, Some(&detail), !htmx.request).await?;
    let Some(v) = c.variants.iter_mut().find(|v| v.id == variant_id) else {
        return Err(AppError::NotFound.into());
    };
    if let Some(link) = v.link().map(str::to_owned) {
        v.card = Some(card(&state, &actor, ws_id, &link, &v.short_prefix).await?);
    }
    if !htmx.request {
        return whole_page(&state, &actor, &ws, htmx, StatusCode::OK, c, None).await;
    }
    let v = c.variants.iter().find(|v| v.id == variant_id);
    let Some(v) = v else {
        return Err(AppError::NotFound.into());
    };
    Ok(Html(CardAnswer { v }.render()?).into_response())
}

/// The card for `link`, or the reason there is none, in words.
async fn card(
    state: &AppState,
    actor: &Actor,
    ws: Uuid,
    link: &str,
    short_prefix: &str,
) -> Result<LinkCard, UiError> {
    let target = match link
        .strip_prefix(short_prefix)
        .filter(|_| !short_prefix.is_empty())
    {
        Some(code) => match state.services.short_link_target(actor, ws, code).await? {
            Some(target) => target,
            None => {
                return Ok(LinkCard::failed(
                    link,
                    "this short link is not one of this workspace's",
                ));
            }
        },
        None => link.to_owned(),
    };
    match state.services.link_preview(actor, ws, &target).await {
        Ok(preview) => {
            let key = actor.csrf_token.as_deref().unwrap_or_default();
            let image = preview
                .image_url
                .as_deref()
                .filter(|_| !key.is_empty())
                .map(|url| image_path(ws, key, url));
            Ok(LinkCard::of(&preview, image))
        }
        Err(AppError::Validation(errors)) => {
            let reason = errors
                .first()
                .map(|e| e.message.clone())
                .unwrap_or_else(|| "the page could not be read".into());
            Ok(LinkCard::failed(&target, &reason))
        }
        Err(AppError::Forbidden(_)) => Ok(LinkCard::failed(
            &target,
            "link previews are shown to members who write posts",
        )),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ImageQuery {
    url: String,
    sig: String,
}

pub async fn link_image(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    UiPath(ws_id): UiPath<Uuid>,
    Query(q): Query<ImageQuery>,
) -> Result<Response, UiError> {
    state.services.workspace(&actor, ws_id).await?;
    let key = actor.csrf_token.as_deref().unwrap_or_default();
    if key.is_empty() || !constant_time_eq(&sign(key, &q.url), &q.sig) {
        return Err(AppError::NotFound.into());
    }
    match state
        .services
        .link_preview_image(&actor, ws_id, &q.url)
        .await
    {
        Ok((content_type, bytes)) => Ok((
            [
                (header::CONTENT_TYPE, content_type),
                (header::CACHE_CONTROL, "private, max-age=86400".to_owned()),
            ],
            bytes,
        )
            .into_response()),
        // The card hides an image that does not load; no page to show for it.
        Err(AppError::Validation(_) | AppError::Forbidden(_)) => {
            Ok(StatusCode::BAD_GATEWAY.into_response())
        }
        Err(e) => Err(e.into()),
    }
}
