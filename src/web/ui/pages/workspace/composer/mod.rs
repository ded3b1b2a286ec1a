//! The composer: `/w/{ws}/posts/new` and `/w/{ws}/posts/{id}`.
//!
//! Every form of the page saves itself as the author types (htmx, `input delay:600ms`, all
//! requests queued on `#composer` so saves of the post and of its variants never overlap).
//! Answers to those saves are out-of-band fragments only: the status line, the error slots
//! beside the fields, and each variant's counter, problems and preview, as the server's
//! checks of each network found them. Text areas are never redrawn while someone types in
//! them, so nothing typed during a save is lost. A save that adds or removes channels
//! redraws the variants column; a button in a variant panel (edit for this network, follow
//! the main text, add or remove a part) redraws that panel. Without JavaScript the same
//! forms post normally and the page comes back whole.

pub mod form;
pub mod preview;
pub mod tone;
pub mod variant_view;
pub mod view;

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use uuid::Uuid;

use form::{Action, Pairs, PostForm, VariantForm};
use view::{Composer, TagChip, VariantView, channel_groups, lock_reason, state_label};

use crate::services::posts::PostDetail;
use crate::services::{Actor, AppError};
use crate::storage::workspaces::MemberWorkspace;
use crate::web::AppState;
use crate::web::auth::SessionUser;
use crate::web::ui::UiError;
use crate::web::ui::format::when;
use crate::web::ui::forms::{Errors, UiForm, UiPath};
use crate::web::ui::render::{Htmx, Toast, page, redirect, render};
use crate::web::ui::shell::Shell;

#[derive(Template)]
#[template(path = "composer.html", blocks = ["main", "topbar"])]
pub struct ComposerPage {
    shell: Shell,
    c: Composer,
}
page!(ComposerPage);

/// The out-of-band answer to an autosave.
#[derive(Template)]
#[template(path = "composer_saved.html")]
struct Saved<'a> {
    c: &'a Composer,
    /// Refill the main form's error slots and tag chips.
    post_slots: bool,
    /// Redraw the whole variants column (channels were added or removed).
    whole: bool,
    /// Answer for this variant only (its form saved).
    variant: Option<&'a VariantView>,
    /// Redraw that variant's whole panel (a button changed its form).
    panel: bool,
    /// How many part text areas the variant form sent, to clear their error slots.
    parts_sent: usize,
    /// The post was just created: give the page its id and the delete button.
    created: bool,
}

/// `14:05` in the workspace's zone.
fn clock(ms: i64, time_zone: &str) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .ok()
        .and_then(|t| t.in_tz(time_zone).ok())
        .map(|z| z.strftime("%H:%M").to_string())
        .unwrap_or_default()
}

fn saved_status(c: &Composer, ms: i64, time_zone: &str) -> String {
    let mut s = format!("Saved at {}", clock(ms, time_zone));
    match c.needs_changes() {
        0 => s.push('.'),
        1 => s.push_str(". One network needs changes."),
        n => s.push_str(&format!(". {n} networks need changes.")),
    }
    s
}

const NOT_SAVED: &str = "Not saved: fix what is marked below.";
const CONFLICT_STATUS: &str = "Not saved: see the message above.";
const KEEP_TYPING: &str =
    "What you typed since is still in the page but not saved: copy it if you need it.";

/// The composer for `detail` (or a new post). `full` also loads what only the whole page
/// shows (channels, tags, campaigns, members); autosave answers skip it.
async fn composer(
    state: &AppState,
    actor: &Actor,
    ws: &MemberWorkspace,
    detail: Option<&PostDetail>,
    full: bool,
) -> Result<Composer, UiError> {
    let id = ws.workspace.id;
    let tz = &ws.workspace.time_zone;
    let csrf = actor.csrf_token.clone().unwrap_or_default();
    let alert = lock_reason(ws, actor, detail);
    let read_only = alert.is_some();
    let mut c = Composer {
        ws: id,
        ws_name: ws.workspace.name.clone(),
        post_id: detail.map(|d| d.post.id),
        csrf: csrf.clone(),
        form: detail.map(PostForm::from_detail).unwrap_or_default(),
        errors: Errors::default(),
        groups: Vec::new(),
        campaigns: Vec::new(),
        members: Vec::new(),
        known_tags: Vec::new(),
        tags: detail
            .map(|d| d.tags.iter().map(TagChip::of).collect())
            .unwrap_or_default(),
        variants: detail
            .map(|d| view::variant_views(id, &csrf, d, read_only))
            .unwrap_or_default(),
        status: match detail {
            Some(d) => format!("Saved {}.", when(d.post.updated_at_ms, tz)),
            None if read_only => String::new(),
            None => "Not saved yet: Herald saves as you type.".to_owned(),
        },
        alert,
        read_only,
        state: detail
            .map(|d| state_label(d.state.as_str()))
            .unwrap_or_else(|| "Draft".to_owned()),
        tone: detail.map(|d| view::ToneView::of(&d.promo, ws.workspace.promo_target_percent)),
    };
    if full {
        let channels = state.services.list_channels(actor, id).await?;
        c.groups = channel_groups(&channels);
        let tags = state.services.list_tags(actor, id).await?;
        c.campaigns = tags
            .iter()
            .filter(|t| t.kind == "campaign")
            .map(|t| view::Choice {
                id: t.id.to_string(),
                label: t.name.clone(),
            })
            .collect();
        c.known_tags = tags
            .iter()
            .filter(|t| t.kind == "tag")
            .map(TagChip::of)
            .collect();
        let members = state.services.list_members(actor, id).await?;
        c.members = members
            .iter()
            .map(|m| view::Choice {
                id: m.user_id.to_string(),
                label: if m.display_name.is_empty() {
                    m.email.clone()
                } else {
                    format!("{} ({})", m.display_name, m.role.label())
                },
            })
            .collect();
    }
    Ok(c)
}

async fn whole_page(
    state: &AppState,
    actor: &Actor,
    ws: &MemberWorkspace,
    htmx: Htmx,
    status: StatusCode,
    c: Composer,
    toast: Option<Toast>,
) -> Result<Response, UiError> {
    let title = if c.post_id.is_some() {
        "Edit post"
    } else {
        "New post"
    };
    let mut shell = Shell::in_workspace(state, actor, ws, title, "posts").await?;
    shell.toasts.extend(toast);
    render(htmx, status, ComposerPage { shell, c })
}

fn fragment(status: StatusCode, saved: Saved<'_>) -> Result<Response, UiError> {
    Ok((status, Html(saved.render()?)).into_response())
}

pub async fn new(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath(ws_id): UiPath<Uuid>,
) -> Result<Response, UiError> {
    let ws = state.services.workspace(&actor, ws_id).await?;
    let c = composer(&state, &actor, &ws, None, true).await?;
    whole_page(&state, &actor, &ws, htmx, StatusCode::OK, c, None).await
}

pub async fn show(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath((ws_id, id)): UiPath<(Uuid, Uuid)>,
) -> Result<Response, UiError> {
    let ws = state.services.workspace(&actor, ws_id).await?;
    let detail = state.services.get_post(&actor, ws_id, id).await?;
    let c = composer(&state, &actor, &ws, Some(&detail), true).await?;
    whole_page(&state, &actor, &ws, htmx, StatusCode::OK, c, None).await
}

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
    if htmx.request {
        let mut c = composer(state, actor, ws, None, false).await?;
        c.post_id = before.map(|d| d.post.id);
        c.form = form;
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
    c.errors = errors;
    c.status = NOT_SAVED.to_owned();
    if conflict.is_some() {
        c.alert = conflict;
        c.read_only = true;
    }
    let toast = Toast::error("Nothing was saved: please fix the fields marked below.");
    whole_page(state, actor, ws, htmx, status, c, Some(toast)).await
}

pub async fn delete(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath((ws_id, id)): UiPath<(Uuid, Uuid)>,
) -> Result<Response, UiError> {
    state.services.delete_post(&actor, ws_id, id).await?;
    Ok(redirect(htmx, &format!("/w/{ws_id}/posts?deleted=1")))
}

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
    let form = VariantForm::parse(&pairs);
    let action = form.action();
    let patch = form.patch(&current.variant, &before.post.text);
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
            let c = &c;
            let v = c.variants.iter().find(|v| v.id == variant_id);
            fragment(
                StatusCode::OK,
                Saved {
                    c,
                    post_slots: false,
                    whole: false,
                    variant: v,
                    panel: action != Action::Save,
                    parts_sent,
                    created: false,
                },
            )
        }
        Err(e) => {
            let (errors, conflict) = match e {
                AppError::Conflict(m) => (Errors::default(), Some(m)),
                other => (Errors::from_app(other)?, None),
            };
            let status = if conflict.is_some() {
                StatusCode::CONFLICT
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            let full = !htmx.request;
            let mut c = composer(&state, &actor, &ws, Some(&before), full).await?;
            c.status = if conflict.is_some() {
                CONFLICT_STATUS.to_owned()
            } else {
                NOT_SAVED.to_owned()
            };
            if conflict.is_some() {
                c.read_only = true;
            }
            c.alert = conflict.map(|m| format!("{m} {KEEP_TYPING}"));
            if let Some(v) = c.variants.iter_mut().find(|v| v.id == variant_id) {
                v.errors = errors;
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
            let v = c.variants.iter().find(|v| v.id == variant_id);
            fragment(
                status,
                Saved {
                    c: &c,
                    post_slots: false,
                    whole: false,
                    variant: v,
                    panel: false,
                    parts_sent,
                    created: false,
                },
            )
        }
    }
}
