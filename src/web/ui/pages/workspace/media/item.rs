//! `/w/{ws}/media/{id}`: one item. The picture large with its focal point (a click sets it;
//! `POST .../focal-point` saves it and answers the crop previews again), the name, alt text
//! (with each network's limit) and tags (`POST /w/{ws}/media/{id}`), the posts that use it,
//! each network's crop, and delete (`POST .../delete`, refused while a post uses it).

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use uuid::Uuid;

use super::super::networks as nets;
use super::{Tile, thousands};
use crate::domain::Permission;
use crate::domain::media::MediaKind;
use crate::domain::media::rules::{self, MediaContext};
use crate::services::media::{MediaItem, MediaPatch, crop_for};
use crate::services::{Actor, AppError};
use crate::storage::workspaces::MemberWorkspace;
use crate::web::AppState;
use crate::web::auth::SessionUser;
use crate::web::ui::UiError;
use crate::web::ui::format::when;
use crate::web::ui::forms::{Errors, UiForm, UiPath};
use crate::web::ui::render::{Htmx, Toast, page, redirect, render, toast_fragment};
use crate::web::ui::shell::Shell;

#[derive(Template)]
#[template(path = "media_item.html", blocks = ["main", "topbar"])]
pub struct MediaItemPage {
    shell: Shell,
    ws: Uuid,
    item: ItemView,
    form: ItemForm,
    errors: Errors,
    can_write: bool,
    alt: AltHint,
    crops: Crops,
    used_in: Vec<UsedIn>,
}
page!(MediaItemPage);

/// What the page says about the item itself.
pub struct ItemView {
    /// `/w/{ws}/media/{id}`: the page, and the base of its forms.
    href: String,
    tile: Tile,
    /// Pictures and GIFs are shown; a video is a tile (the CSP lets no media play).
    picture: bool,
    /// Only pictures are cut, so only they have a focal point to set.
    has_focal_point: bool,
    file_url: String,
    alt_text: String,
    /// The focal point in percent of the width and height, as the form shows it.
    focal_x: String,
    focal_y: String,
    frames: Option<String>,
    created: String,
}

/// The alt text's limits, one per network that has one.
pub struct AltHint {
    /// "Mastodon 1,500 · Bluesky 2,000 · X 1,000 · Threads 1,000".
    limits: String,
    /// "LinkedIn, Instagram and Facebook".
    unlimited: String,
    /// For the counter in `app.js`: `X:1000,Threads:1000,...`.
    data: String,
    /// "42 characters", and the networks it is too long for; `app.js` redraws it as
    /// people type.
    counter: String,
    /// The workspace asks for alt text on every picture.
    required: bool,
}

/// How each network gets the picture: its crop, or the file as it is.
pub struct Crops {
    /// Set for GIFs and videos, which are never cut.
    note: Option<String>,
    /// The networks that get a crop.
    cropped: Vec<CropView>,
    /// The networks that get the picture as it is.
    as_is: Vec<&'static str>,
}

impl Crops {
    /// "Mastodon, Bluesky and X".
    fn as_is_list(&self) -> String {
        match self.as_is.as_slice() {
            [] => String::new(),
            [one] => (*one).to_owned(),
            [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
        }
    }
}

pub struct CropView {
    network: &'static str,
    label: &'static str,
    letter: &'static str,
    /// The crop's address (with the focal point in it, so a move shows a new picture).
    src: String,
    text: String,
}

pub struct UsedIn {
    href: String,
    excerpt: String,
}

#[derive(Template)]
#[template(path = "media_crops.html")]
struct CropsAnswer {
    crops: Crops,
}

/// The form as typed, so a refused save shows what the person wrote.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ItemForm {
    name: String,
    alt_text: String,
    /// Comma- or space-separated.
    tags: String,
}

impl ItemForm {
    fn of(item: &MediaItem) -> Self {
        ItemForm {
            name: item.media.name.clone(),
            alt_text: item.media.alt_text.clone(),
            tags: item
                .tags
                .iter()
                .map(|t| t.name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        }
    }

    fn tag_list(&self) -> Vec<String> {
        self.tags
            .split([',', ' '])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct FocalForm {
    /// Percent of the width, from the left.
    x: String,
    /// Percent of the height, from the top.
    y: String,
}

fn percent(v: f64) -> String {
    let p = format!("{:.1}", v * 100.0);
    p.strip_suffix(".0").map(str::to_owned).unwrap_or(p)
}

/// The networks whose alt text limit `text` is over.
fn over_limits(text: &str, ctx: &MediaContext) -> Vec<&'static str> {
    let count = text.chars().count();
    nets::ORDER
        .into_iter()
        .filter(|n| rules::alt_text_limit(*n, ctx).is_some_and(|(max, _)| count > max))
        .map(nets::label)
        .collect()
}

/// What the counter under the alt text says (`app.js` says the same as people type).
fn counter(text: &str, over: &[&str]) -> String {
    let count = text.chars().count();
    let noun = if count == 1 {
        "character"
    } else {
        "characters"
    };
    match over {
        [] => format!("{} {noun}", thousands(count as i32)),
        [one] => format!("{} {noun}: too long for {one}", thousands(count as i32)),
        [rest @ .., last] => format!(
            "{} {noun}: too long for {} and {last}",
            thousands(count as i32),
            rest.join(", ")
        ),
    }
}

fn alt_hint(ws: &MemberWorkspace, alt_text: &str) -> AltHint {
    let ctx = MediaContext::default();
    let mut limits = Vec::new();
    let mut data = Vec::new();
    let mut unlimited = Vec::new();
    for network in nets::ORDER {
        let label = nets::label(network);
        match rules::alt_text_limit(network, &ctx) {
            Some((max, _)) => {
                limits.push(format!("{label} {}", thousands(max as i32)));
                data.push(format!("{label}:{max}"));
            }
            None => unlimited.push(label),
        }
    }
    let unlimited = match unlimited.as_slice() {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    };
    AltHint {
        limits: limits.join(" · "),
        unlimited,
        data: data.join(","),
        counter: counter(alt_text, &over_limits(alt_text, &ctx)),
        required: ws.workspace.settings().require_alt_text,
    }
}

fn crops(item: &MediaItem) -> Crops {
    let m = &item.media;
    let kind = item.format().kind();
    let mut out = Crops {
        note: None,
        cropped: Vec::new(),
        as_is: Vec::new(),
    };
    if kind != MediaKind::Image {
        out.note = Some(format!(
            "{}s are never cut: every network gets the file as it is.",
            super::kind_label(kind)
        ));
        return out;
    }
    let ctx = MediaContext::default();
    let version = format!("{:.4}-{:.4}", m.focal_x, m.focal_y);
    for network in nets::ORDER {
        let label = nets::label(network);
        let Some(rect) = crop_for(m, network) else {
            out.as_is.push(label);
            continue;
        };
        out.cropped.push(CropView {
            network: network.as_str(),
            label,
            letter: nets::letter(network),
            src: format!(
                "/w/{}/media/{}/renditions/{}?v={version}",
                m.workspace_id,
                m.id,
                network.as_str()
            ),
            text: format!(
                "Cut to {} around the focal point: {label} takes shapes from {}.",
                super::dimensions(rect.width as i32, rect.height as i32),
                rules::aspect_label(network, &ctx, MediaKind::Image).unwrap_or("a narrower range")
            ),
        });
    }
    out
}

async fn page_for(
    state: &AppState,
    actor: &Actor,
    ws: &MemberWorkspace,
    item: &MediaItem,
    form: Option<ItemForm>,
) -> Result<MediaItemPage, UiError> {
    let m = &item.media;
    let kind = item.format().kind();
    let tile = Tile::of(item);
    let href = tile.href.clone();
    let form = form.unwrap_or_else(|| ItemForm::of(item));
    Ok(MediaItemPage {
        shell: Shell::in_workspace(state, actor, ws, &m.name, "media").await?,
        ws: ws.workspace.id,
        item: ItemView {
            file_url: format!("{href}/file"),
            href,
            tile,
            picture: kind != MediaKind::Video,
            has_focal_point: kind == MediaKind::Image,
            alt_text: m.alt_text.clone(),
            focal_x: percent(m.focal_x),
            focal_y: percent(m.focal_y),
            frames: m.frames.map(thousands),
            created: when(m.created_at_ms, &ws.workspace.time_zone),
        },
        alt: alt_hint(ws, &form.alt_text),
        form,
        errors: Errors::default(),
        can_write: ws.role.allows(Permission::WriteDrafts) && ws.workspace.archived_at_ms.is_none(),
        crops: crops(item),
        used_in: item
            .used_in
            .iter()
            .map(|u| {
                let flat = u.text.split_whitespace().collect::<Vec<_>>().join(" ");
                let mut excerpt: String = flat.chars().take(100).collect();
                if flat.chars().count() > 100 {
                    excerpt.push('…');
                }
                UsedIn {
                    href: format!("/w/{}/posts/{}", ws.workspace.id, u.post_id),
                    excerpt,
                }
            })
            .collect(),
    })
}

pub async fn show(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath((ws_id, id)): UiPath<(Uuid, Uuid)>,
) -> Result<Response, UiError> {
    let ws = state.services.workspace(&actor, ws_id).await?;
    let item = state.services.get_media(&actor, ws_id, id).await?;
    let page = page_for(&state, &actor, &ws, &item, None).await?;
    render(htmx, StatusCode::OK, page)
}

/// Saves the name, alt text and tags.
pub async fn save(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath((ws_id, id)): UiPath<(Uuid, Uuid)>,
    UiForm(form): UiForm<ItemForm>,
) -> Result<Response, UiError> {
    let ws = state.services.workspace(&actor, ws_id).await?;
    let patch = MediaPatch {
        name: Some(form.name.clone()),
        alt_text: Some(form.alt_text.clone()),
        focal_point: None,
        tags: Some(form.tag_list()),
    };
    match state.services.update_media(&actor, ws_id, id, patch).await {
        Ok(item) => {
            let mut page = page_for(&state, &actor, &ws, &item, None).await?;
            page.shell.toasts.push(Toast::ok("Saved."));
            render(htmx, StatusCode::OK, page)
        }
        Err(e) => {
            let errors = tag_errors(Errors::from_app(e)?, &form);
            let item = state.services.get_media(&actor, ws_id, id).await?;
            let mut page = page_for(&state, &actor, &ws, &item, Some(form)).await?;
            page.errors = errors;
            page.shell.toasts.push(Toast::error(
                "Nothing was saved: please fix the fields marked below.",
            ));
            render(htmx, StatusCode::UNPROCESSABLE_ENTITY, page)
        }
    }
}

/// `tags[2]: is too long` becomes a message on the tags field naming the tag.
fn tag_errors(errors: Errors, form: &ItemForm) -> Errors {
    let tags = form.tag_list();
    let mut out = Errors::default();
    for e in errors.0 {
        match e
            .field
            .strip_prefix("tags[")
            .and_then(|r| r.strip_suffix(']'))
            .and_then(|i| i.parse::<usize>().ok())
        {
            Some(i) => out.add(
                "tags",
                &format!(
                    "“{}” {}",
                    tags.get(i).map(String::as_str).unwrap_or(""),
                    e.message
                ),
            ),
            None => out.add(&e.field, &e.message),
        }
    }
    out
}

/// Saves the focal point (percent of the width and height) and answers the crops again.
pub async fn focal_point(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath((ws_id, id)): UiPath<(Uuid, Uuid)>,
    UiForm(form): UiForm<FocalForm>,
) -> Result<Response, UiError> {
    let ws = state.services.workspace(&actor, ws_id).await?;
    let parse = |v: &str| v.trim().replace(',', ".").parse::<f32>().ok();
    let (Some(x), Some(y)) = (parse(&form.x), parse(&form.y)) else {
        return Err(AppError::field(
            "focal_point",
            "across and down must be numbers from 0 to 100",
        )
        .into());
    };
    let patch = MediaPatch {
        focal_point: Some((x / 100.0, y / 100.0)),
        ..MediaPatch::default()
    };
    let item = state
        .services
        .update_media(&actor, ws_id, id, patch)
        .await
        .map_err(|e| match e {
            AppError::Validation(_) => {
                AppError::field("focal_point", "across and down must be from 0 to 100 %")
            }
            other => other,
        })?;
    let toast = Toast::ok(format!(
        "Focal point saved: {} % across, {} % down.",
        percent(item.media.focal_x),
        percent(item.media.focal_y)
    ));
    if !htmx.fragment {
        let mut page = page_for(&state, &actor, &ws, &item, None).await?;
        page.shell.toasts.push(toast);
        return render(htmx, StatusCode::OK, page);
    }
    let mut body = CropsAnswer {
        crops: crops(&item),
    }
    .render()?;
    body.push_str(&toast_fragment(&[toast], true)?);
    Ok(Html(body).into_response())
}

/// Deletes the item and goes back to the library; while a post uses it, the refusal (a
/// toast, or an error page without htmx) names how many.
pub async fn delete(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath((ws_id, id)): UiPath<(Uuid, Uuid)>,
) -> Result<Response, UiError> {
    let item = state.services.get_media(&actor, ws_id, id).await?;
    state.services.delete_media(&actor, ws_id, id).await?;
    let name: String = url::form_urlencoded::byte_serialize(item.media.name.as_bytes()).collect();
    Ok(redirect(htmx, &format!("/w/{ws_id}/media?deleted={name}")))
}
