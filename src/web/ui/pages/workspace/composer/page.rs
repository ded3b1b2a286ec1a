//! What every composer handler shares: the page, the out-of-band answer to a save, the
//! status line, and building the composer from a post.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use uuid::Uuid;

use super::form::PostForm;
use super::link_view::{TrackedLink, first_link};
use super::media_view::{AttachedMedia, focus_after};
use super::view::{
    self, CampaignDraft, Composer, TagChip, VariantView, channel_groups, lock_reason, state_label,
};
use crate::services::posts::PostDetail;
use crate::services::{Actor, AppError, Services};
use crate::storage::media::Media;
use crate::storage::workspaces::MemberWorkspace;
use crate::web::AppState;
use crate::web::ui::UiError;
use crate::web::ui::format::when;
use crate::web::ui::forms::Errors;
use crate::web::ui::render::{Htmx, Toast, page, render};
use crate::web::ui::shell::Shell;

#[derive(Template)]
#[template(path = "composer.html", blocks = ["main", "topbar"])]
pub struct ComposerPage {
    pub(super) shell: Shell,
    pub(super) c: Composer,
}
page!(ComposerPage);

/// The out-of-band answer to an autosave.
#[derive(Template)]
#[template(path = "composer_saved.html")]
pub(super) struct Saved<'a> {
    pub(super) c: &'a Composer,
    /// Refill the main form's error slots and tag chips.
    pub(super) post_slots: bool,
    /// Redraw the whole variants column (channels were added or removed).
    pub(super) whole: bool,
    /// Answer for this variant only (its form saved).
    pub(super) variant: Option<&'a VariantView>,
    /// Redraw that variant's whole panel (a button changed its form).
    pub(super) panel: bool,
    /// How many part text areas the variant form sent, to clear their error slots.
    pub(super) parts_sent: usize,
    /// The post was just created: give the page its id and the delete button.
    pub(super) created: bool,
}

/// `14:05` in the workspace's zone.
fn clock(ms: i64, time_zone: &str) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .ok()
        .and_then(|t| t.in_tz(time_zone).ok())
        .map(|z| z.strftime("%H:%M").to_string())
        .unwrap_or_default()
}

pub(super) fn saved_status(c: &Composer, ms: i64, time_zone: &str) -> String {
    let mut s = format!("Saved at {}", clock(ms, time_zone));
    match c.needs_changes() {
        0 => s.push('.'),
        1 => s.push_str(". One network needs changes."),
        n => s.push_str(&format!(". {n} networks need changes.")),
    }
    s
}

pub(super) const NOT_SAVED: &str = "Not saved: fix what is marked below.";
pub(super) const CONFLICT_STATUS: &str = "Not saved: see the message above.";
pub(super) const KEEP_TYPING: &str =
    "What you typed since is still in the page but not saved: copy it if you need it.";

/// The composer for `detail` (or a new post). `full` also loads what only the whole page
/// shows (channels, tags, campaigns, members); autosave answers skip it.
pub(super) async fn composer(
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
        new_campaign: CampaignDraft::default(),
        campaign_created: false,
        media: detail
            .map(|d| d.media.iter().map(AttachedMedia::of).collect())
            .unwrap_or_default(),
        media_changed: false,
        media_focus: None,
        picker: None,
        when: None,
        review: None,
        repeat: None,
    };
    if let Some(d) = detail {
        let base = state.config.public_base();
        let prefix = format!("{base}/l/");
        let links = state.services.post_links(actor, id, d.post.id).await?;
        for v in &mut c.variants {
            v.short_prefix = prefix.clone();
            v.tracked = links
                .iter()
                .filter(|l| l.link.variant_id == Some(v.id))
                .map(|l| TrackedLink::of(l, &base))
                .collect();
        }
    }
    if full && let Some(d) = detail {
        super::sections::load(state, actor, ws, d, &mut c).await?;
    }
    if full {
        let channels = state.services.list_channels(actor, id).await?;
        c.groups = channel_groups(&channels);
        let tags = state.services.list_tags(actor, id).await?;
        c.new_campaign.color = Services::next_tag_color(tags.len()).to_owned();
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

pub(super) async fn whole_page(
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

pub(super) fn fragment(status: StatusCode, saved: Saved<'_>) -> Result<Response, UiError> {
    Ok((status, Html(saved.render()?)).into_response())
}

/// The answer to a variant's form or button: the variant `variant_id` of `c`, with its
/// panel drawn again when `panel`.
pub(super) fn variant_fragment(
    status: StatusCode,
    c: &Composer,
    variant_id: Uuid,
    panel: bool,
    parts_sent: usize,
) -> Result<Response, UiError> {
    fragment(
        status,
        Saved {
            c,
            post_slots: false,
            whole: false,
            variant: c.variants.iter().find(|v| v.id == variant_id),
            panel,
            parts_sent,
            created: false,
        },
    )
}

/// Marks the variants whose first link is not the one `before` had, so the answer draws
/// their preview cards again (and only theirs: a card fetches a page).
pub(super) fn mark_changed_links(c: &mut Composer, before: &PostDetail) {
    for v in &mut c.variants {
        let old = before
            .variants
            .iter()
            .find(|b| b.variant.id == v.id)
            .and_then(first_link);
        v.link_changed = old.as_deref() != v.link();
    }
}

/// The media section for a form that was not saved: the items its ids name, in its order,
/// found among `known` (the post's) or in the library; ids that name nothing are left out
/// (the error beside the section says so).
pub(super) async fn typed_media(
    state: &AppState,
    actor: &Actor,
    ws: uuid::Uuid,
    c: &mut Composer,
    known: &[Media],
) -> Result<(), UiError> {
    let Some(ids) = c.form.media_ids.clone() else {
        c.media = known.iter().map(AttachedMedia::of).collect();
        return Ok(());
    };
    let mut media = Vec::with_capacity(ids.len());
    for raw in &ids {
        if let Some(m) = known.iter().find(|m| m.id.to_string() == *raw) {
            media.push(AttachedMedia::of(m));
            continue;
        }
        let Ok(id) = raw.parse() else { continue };
        match state.services.get_media(actor, ws, id).await {
            Ok(item) => media.push(AttachedMedia::of(&item.media)),
            Err(AppError::NotFound) => {}
            Err(e) => return Err(e.into()),
        }
    }
    c.media = media;
    Ok(())
}

/// After a save of the main form: the media section is drawn again when a media button was
/// pressed or the list is not the one `before` had, with the keyboard back where it was.
pub(super) fn media_answer(c: &mut Composer, form: &PostForm, before: Option<&PostDetail>) {
    let now: Vec<String> = c.media.iter().map(|m| m.id.to_string()).collect();
    let then: Vec<String> = before
        .map(|d| d.media.iter().map(|m| m.id.to_string()).collect())
        .unwrap_or_default();
    c.media_changed = form.media_action.is_some() || now != then;
    c.media_focus = form
        .media_action
        .as_ref()
        .and_then(|a| focus_after(a, form.media_at, &now));
}
