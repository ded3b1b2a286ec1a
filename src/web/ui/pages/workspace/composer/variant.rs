//! `POST /w/{ws}/posts/{id}/variants/{variant}`: a variant's form and its buttons.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use uuid::Uuid;

use super::failure::variant_failure;
use super::form::{Action, Pairs, VariantForm};
use super::page::{composer, mark_changed_links, saved_status, variant_fragment, whole_page};
use crate::domain::post::credit::text_with_credit;
use crate::services::AppError;
use crate::web::AppState;
use crate::web::auth::SessionUser;
use crate::web::ui::UiError;
use crate::web::ui::forms::{UiForm, UiPath};
use crate::web::ui::render::{Htmx, Toast};

/// A variant's form: typing saves its parts, first comment and options; its buttons detach
/// it, make it follow the main text again, or add and remove thread parts.
pub async fn save_variant(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath((ws_id, id, variant_id)): UiPath<(Uuid, Uuid, Uuid)>,
    UiForm(pairs): UiForm<Pairs>,
) -> Result<Response, UiError> {
    let ws = state.services.workspace(&actor, ws_id).await?;
    let before = state.services.get_post(&actor, ws_id, id).await?;
    let Some(current) = before.variants.iter().find(|v| v.variant.id == variant_id) else {
        return Err(AppError::NotFound.into());
    };
    let mut form = VariantForm::parse(&pairs);
    let action = form.action();
    // "Edit for this network" starts from the text as the network shows it, with the
    // credit's "Via @handle: link" line.
    let (credit, network) = (Some(&before.post.credit.0), current.channel.network);
    form.text = form.text.map(|t| text_with_credit(&t, credit, network));
    let post_text = text_with_credit(&before.post.text, credit, network);
    let patch = form.patch(&current.variant, &post_text);
    let parts_sent = form.parts.as_ref().map_or(0, Vec::len);
    let mut result = state
        .services
        .update_variant(&actor, ws_id, id, variant_id, patch)
        .await;
    if action == Action::Split && result.is_ok() {
        result = state
            .services
            .split_variant(&actor, ws_id, id, variant_id, form.numbered)
            .await;
    }
    let tz = &ws.workspace.time_zone;
    match result {
        Ok(detail) => {
            // Without JavaScript the page comes back whole; only a new empty part (not
            // stored until written) needs that page drawn now rather than after a redirect.
            if !htmx.request && action != Action::AddPart {
                return Ok(
                    Redirect::to(&format!("/w/{ws_id}/posts/{id}#variant-{variant_id}"))
                        .into_response(),
                );
            }
            let mut c = composer(&state, &actor, &ws, Some(&detail), !htmx.request).await?;
            mark_changed_links(&mut c, &before);
            c.status = saved_status(&c, detail.post.updated_at_ms, tz);
            let Some(v) = c.variants.iter_mut().find(|v| v.id == variant_id) else {
                return Err(AppError::NotFound.into());
            };
            match action {
                Action::Save => {}
                Action::AddPart => {
                    v.texts.push(String::new());
                    v.focus = Some(v.texts.len() - 1);
                }
                Action::RemovePart(i) => {
                    v.focus = Some(i.saturating_sub(1).min(v.texts.len().saturating_sub(1)));
                }
                Action::Detach | Action::Follow | Action::Split => v.focus = Some(0),
            }
            if !htmx.request {
                return whole_page(&state, &actor, &ws, htmx, StatusCode::OK, c, None).await;
            }
            variant_fragment(
                StatusCode::OK,
                &c,
                variant_id,
                action != Action::Save,
                parts_sent,
            )
        }
        Err(e) => {
            let full = !htmx.request;
            let (status, mut c) =
                variant_failure(&state, &actor, &ws, &before, variant_id, full, e).await?;
            // What was sent stays in the form.
            if let Some(v) = c.variants.iter_mut().find(|v| v.id == variant_id) {
                if let Some(parts) = &form.parts {
                    v.texts = parts.clone();
                    v.detached = true;
                }
                if let Some(comment) = &form.first_comment
                    && v.first_comment.is_some()
                {
                    v.first_comment = Some(comment.clone());
                }
                for (name, value) in &form.options {
                    if let Some(o) = v.options.iter_mut().find(|o| o.name == name) {
                        o.value = value.clone();
                    }
                }
            }
            if full {
                let toast = Toast::error("Nothing was saved: please fix the fields marked below.");
                return whole_page(&state, &actor, &ws, htmx, status, c, Some(toast)).await;
            }
            variant_fragment(status, &c, variant_id, false, parts_sent)
        }
    }
}
