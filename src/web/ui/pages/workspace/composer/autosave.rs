//! `POST /w/{ws}/posts` and `POST /w/{ws}/posts/{id}`: the main form's saves (the first
//! one creates the post).

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use uuid::Uuid;

use super::form::{Pairs, PostForm};
use super::page::{
    CONFLICT_STATUS, KEEP_TYPING, NOT_SAVED, Saved, composer, fragment, mark_changed_links,
    media_answer, saved_status, typed_media, whole_page,
};
use super::view::TagChip;
use crate::services::posts::PostDetail;
use crate::services::{Actor, AppError};
use crate::storage::workspaces::MemberWorkspace;
use crate::web::AppState;
use crate::web::auth::SessionUser;
use crate::web::ui::UiError;
use crate::web::ui::forms::{Errors, UiForm, UiPath};
use crate::web::ui::render::{Htmx, Toast};

/// The first save of a new post creates it; the page then sends the id back with every
/// later save (a save queued before the answer arrived included), which updates it. The
/// address becomes the post's (`HX-Replace-Url`, not a new history entry: going back leaves
/// the composer instead of showing the same draft under `/posts/new`), so a reload keeps it.
pub async fn create(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath(ws_id): UiPath<Uuid>,
    UiForm(pairs): UiForm<Pairs>,
) -> Result<Response, UiError> {
    let form = PostForm::parse(&pairs);
    if !form.id.is_empty() {
        let id = form.id.parse().map_err(|_| AppError::NotFound)?;
        return save_post(&state, &actor, htmx, ws_id, id, form).await;
    }
    let ws = state.services.workspace(&actor, ws_id).await?;
    let result = match form.to_input() {
        Ok(input) => state.services.create_post(&actor, ws_id, input).await,
        Err(e) => Err(e),
    };
    let detail = match result {
        Ok(d) => d,
        Err(e) => {
            let errors = Errors::from_app(e)?;
            return post_failed(&state, &actor, &ws, htmx, None, form, errors, None).await;
        }
    };
    let path = format!("/w/{ws_id}/posts/{}", detail.post.id);
    if !htmx.request {
        return Ok(Redirect::to(&path).into_response());
    }
    let mut c = composer(&state, &actor, &ws, Some(&detail), false).await?;
    media_answer(&mut c, &form, None);
    c.status = saved_status(&c, detail.post.updated_at_ms, &ws.workspace.time_zone);
    let mut response = fragment(
        StatusCode::OK,
        Saved {
            c: &c,
            post_slots: true,
            whole: true,
            variant: None,
            panel: false,
            parts_sent: 0,
            created: true,
        },
    )?;
    if let Ok(v) = HeaderValue::from_str(&path) {
        response.headers_mut().insert("hx-replace-url", v);
    }
    Ok(response)
}

pub async fn save(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath((ws_id, id)): UiPath<(Uuid, Uuid)>,
    UiForm(pairs): UiForm<Pairs>,
) -> Result<Response, UiError> {
    let form = PostForm::parse(&pairs);
    save_post(&state, &actor, htmx, ws_id, id, form).await
}

fn channel_set(d: &PostDetail) -> Vec<Uuid> {
    let mut ids: Vec<Uuid> = d.variants.iter().map(|v| v.channel.id).collect();
    ids.sort();
    ids
}

async fn save_post(
    state: &AppState,
    actor: &Actor,
    htmx: Htmx,
    ws_id: Uuid,
    id: Uuid,
    form: PostForm,
) -> Result<Response, UiError> {
    let ws = state.services.workspace(actor, ws_id).await?;
    let before = state.services.get_post(actor, ws_id, id).await?;
    let result = match form.to_input() {
        Ok(input) => state.services.update_post(actor, ws_id, id, input).await,
        Err(e) => Err(e),
    };
    let detail = match result {
        Ok(d) => d,
        Err(AppError::Conflict(message)) => {
            return post_failed(
                state,
                actor,
                &ws,
                htmx,
                Some(&before),
                form,
                Errors::default(),
                Some(message),
            )
            .await;
        }
        Err(e) => {
            let errors = Errors::from_app(e)?;
            return post_failed(state, actor, &ws, htmx, Some(&before), form, errors, None).await;
        }
    };
    if !htmx.request {
        return Ok(Redirect::to(&format!("/w/{ws_id}/posts/{id}")).into_response());
    }
    let mut c = composer(state, actor, &ws, Some(&detail), false).await?;
    mark_changed_links(&mut c, &before);
    media_answer(&mut c, &form, Some(&before));
    c.status = saved_status(&c, detail.post.updated_at_ms, &ws.workspace.time_zone);
    fragment(
        StatusCode::OK,
        Saved {
            c: &c,
            post_slots: true,
            whole: channel_set(&before) != channel_set(&detail),
            variant: None,
            panel: false,
            parts_sent: 0,
            created: false,
        },
    )
}

/// A save of the main form that stored nothing: the errors beside their fields (or why the
/// post cannot change), and everything typed left as it was.
#[allow(clippy::too_many_arguments)]
async fn post_failed(
    state: &AppState,
    actor: &Actor,
    ws: &MemberWorkspace,
    htmx: Htmx,
    before: Option<&PostDetail>,
    form: PostForm,
    errors: Errors,
    conflict: Option<String>,
) -> Result<Response, UiError> {
    let status = if conflict.is_some() {
        StatusCode::CONFLICT
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let known = before.map(|d| d.media.as_slice()).unwrap_or_default();
    if htmx.request {
        let mut c = composer(state, actor, ws, None, false).await?;
        c.post_id = before.map(|d| d.post.id);
        c.form = form.clone();
        typed_media(state, actor, ws.workspace.id, &mut c, known).await?;
        media_answer(&mut c, &form, before);
        c.errors = errors;
        c.status = if conflict.is_some() {
            CONFLICT_STATUS.to_owned()
        } else {
            NOT_SAVED.to_owned()
        };
        c.alert = conflict.map(|m| format!("{m} {KEEP_TYPING}"));
        c.tags = before
            .map(|d| d.tags.iter().map(TagChip::of).collect())
            .unwrap_or_default();
        return fragment(
            status,
            Saved {
                c: &c,
                post_slots: true,
                whole: false,
                variant: None,
                panel: false,
                parts_sent: 0,
                created: false,
            },
        );
    }
    let mut c = composer(state, actor, ws, before, true).await?;
    c.form = form;
    typed_media(state, actor, ws.workspace.id, &mut c, known).await?;
    c.errors = errors;
    c.status = NOT_SAVED.to_owned();
    if conflict.is_some() {
        c.alert = conflict;
        c.read_only = true;
    }
    let toast = Toast::error("Nothing was saved: please fix the fields marked below.");
    whole_page(state, actor, ws, htmx, status, c, Some(toast)).await
}
