//! `POST /w/{ws}/posts/{id}/variants/{variant}/track-links`: the "Track links" button of a
//! variant. Its links become short links on Herald's public URL (UTM source = network,
//! medium = social, campaign = the post's campaign), and the panel comes back with the
//! rewritten text and the table of its tracked links.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use uuid::Uuid;

use super::failure::variant_failure;
use super::form::Pairs;
use super::link_view::variant_urls;
use super::page::{composer, saved_status, variant_fragment, whole_page};
use crate::services::AppError;
use crate::web::AppState;
use crate::web::auth::SessionUser;
use crate::web::ui::UiError;
use crate::web::ui::forms::{UiForm, UiPath};
use crate::web::ui::render::{Htmx, Toast};

pub async fn track_links(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath((ws_id, id, variant_id)): UiPath<(Uuid, Uuid, Uuid)>,
    UiForm(_): UiForm<Pairs>,
) -> Result<Response, UiError> {
    let ws = state.services.workspace(&actor, ws_id).await?;
    let before = state.services.get_post(&actor, ws_id, id).await?;
    let Some(current) = before.variants.iter().find(|v| v.variant.id == variant_id) else {
        return Err(AppError::NotFound.into());
    };
    let base = state.config.public_base();
    let prefix = format!("{base}/l/");
    // A second press (or a stale page) finds nothing left to track: the service would
    // still detach the variant, so it is not called.
    let pending = variant_urls(current)
        .iter()
        .any(|u| !u.starts_with(&prefix));
    let result = if pending {
        state
            .services
            .track_links(&actor, ws_id, id, variant_id, &base)
            .await
            .map(Some)
    } else {
        Ok(None)
    };
    let tz = &ws.workspace.time_zone;
    match result {
        Ok(detail) => {
            if !htmx.request {
                return Ok(
                    Redirect::to(&format!("/w/{ws_id}/posts/{id}#variant-{variant_id}"))
                        .into_response(),
                );
            }
            let detail = detail.as_ref().unwrap_or(&before);
            let mut c = composer(&state, &actor, &ws, Some(detail), false).await?;
            if pending {
                c.status = saved_status(&c, detail.post.updated_at_ms, tz);
            }
            let Some(v) = c.variants.iter_mut().find(|v| v.id == variant_id) else {
                return Err(AppError::NotFound.into());
            };
            v.tracked_focus = true;
            variant_fragment(StatusCode::OK, &c, variant_id, true, 0)
        }
        Err(e) => {
            let full = !htmx.request;
            let (status, c) =
                variant_failure(&state, &actor, &ws, &before, variant_id, full, e).await?;
            if full {
                let toast = Toast::error("The links were not tracked: see the message below.");
                return whole_page(&state, &actor, &ws, htmx, status, c, Some(toast)).await;
            }
            variant_fragment(status, &c, variant_id, false, 0)
        }
    }
}
