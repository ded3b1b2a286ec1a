//! `POST /w/{ws}/campaigns`: "New campaign…" beside the composer's campaign list. It creates
//! a campaign (a tag of kind campaign), chooses it, and saves it on the post when the post
//! exists. The answer redraws the campaign field out of band: the new campaign chosen, or
//! the small form open with its errors beside the name and the colour. Without JavaScript
//! it posts normally and lands back on the composer.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use uuid::Uuid;

use super::page::{composer, saved_status, whole_page};
use super::view::{CampaignDraft, Composer};
use crate::services::AppError;
use crate::services::posts::PostInput;
use crate::web::AppState;
use crate::web::auth::SessionUser;
use crate::web::ui::UiError;
use crate::web::ui::forms::{UiForm, UiPath};
use crate::web::ui::pages::workspace::tags::create_checked;
use crate::web::ui::render::{Htmx, Toast};

#[derive(Template)]
#[template(path = "composer_campaign.html")]
struct CampaignAnswer<'a> {
    c: &'a Composer,
    /// The post saved the new campaign: the status line says so.
    saved: bool,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CampaignForm {
    /// The post's id as the page has it now (htmx sends the main form's hidden field).
    id: String,
    /// The post's id when the page was drawn (the form's own field, for plain posts).
    post: String,
    /// The campaign chosen in the list as the page has it (htmx only).
    campaign_id: Option<String>,
    name: String,
    color: String,
}

pub async fn create_campaign(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath(ws_id): UiPath<Uuid>,
    UiForm(form): UiForm<CampaignForm>,
) -> Result<Response, UiError> {
    let ws = state.services.workspace(&actor, ws_id).await?;
    let post_id = [form.id.trim(), form.post.trim()]
        .into_iter()
        .find(|s| !s.is_empty())
        .map(|s| s.parse::<Uuid>().map_err(|_| AppError::NotFound))
        .transpose()?;
    // The post first: another workspace's post is a 404 before anything is created.
    let before = match post_id {
        Some(id) => Some(state.services.get_post(&actor, ws_id, id).await?),
        None => None,
    };
    let created =
        create_checked(&state, &actor, ws_id, "campaign", &form.name, &form.color).await?;
    let tag = match created {
        Ok(tag) => tag,
        Err(errors) => {
            let detail = before;
            let mut c = composer(&state, &actor, &ws, detail.as_ref(), true).await?;
            if let Some(chosen) = &form.campaign_id {
                c.form.campaign_id = chosen.trim().to_owned();
            }
            c.new_campaign = CampaignDraft {
                name: form.name,
                color: form.color,
                errors,
                open: true,
            };
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            if !htmx.request {
                let toast = Toast::error("No campaign was created: see the message below.");
                return whole_page(&state, &actor, &ws, htmx, status, c, Some(toast)).await;
            }
            let answer = CampaignAnswer {
                c: &c,
                saved: false,
            };
            return Ok((status, Html(answer.render()?)).into_response());
        }
    };
    let mut detail = None;
    let mut alert = None;
    if let Some(id) = before.map(|d| d.post.id) {
        let input = PostInput {
            campaign_id: Some(Some(tag.id)),
            ..Default::default()
        };
        match state.services.update_post(&actor, ws_id, id, input).await {
            Ok(d) => detail = Some(d),
            // Published meanwhile: the campaign exists, the post keeps what it had.
            Err(AppError::Conflict(message)) => alert = Some(message),
            Err(e) => return Err(e.into()),
        }
    }
    if !htmx.request {
        let to = match post_id {
            Some(id) => format!("/w/{ws_id}/posts/{id}"),
            None => format!("/w/{ws_id}/posts/new"),
        };
        return Ok(Redirect::to(&to).into_response());
    }
    let mut c = composer(&state, &actor, &ws, detail.as_ref(), true).await?;
    c.post_id = post_id;
    c.form.campaign_id = tag.id.to_string();
    c.campaign_created = true;
    c.alert = alert;
    if let Some(d) = &detail {
        c.status = saved_status(&c, d.post.updated_at_ms, &ws.workspace.time_zone);
    }
    let answer = CampaignAnswer {
        c: &c,
        saved: detail.is_some(),
    };
    Ok(Html(answer.render()?).into_response())
}
