//! `/w/{ws}/brand`: the brand kit. A logo and a cover picture chosen from the media library
//! and up to eight colours; every network's profile picture and banner made from them, drawn
//! with their safe zones (in SVG: the CSP forbids inline styles, and a `viewBox` in the
//! image's own pixels scales the zones with it), one by one or as a zip; and the set's review
//! status with the buttons the person's role allows. Members without the Manage permission
//! see the kit read-only.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use uuid::Uuid;

use super::brand_files::version;
use super::networks;
use crate::domain::Permission;
use crate::domain::media::profile::{self, ProfileSpec, SafeZoneKind, Shape, Slot};
use crate::services::brand_kit::{BrandKitDetail, BrandKitPatch, MAX_COLORS, ReviewAction};
use crate::services::media::MediaQuery;
use crate::services::{Actor, AppError};
use crate::storage::media::Media;
use crate::storage::workspaces::MemberWorkspace;
use crate::web::AppState;
use crate::web::auth::SessionUser;
use crate::web::ui::UiError;
use crate::web::ui::format::when;
use crate::web::ui::forms::{Errors, UiForm, UiPath};
use crate::web::ui::render::{Htmx, Toast, page, render};
use crate::web::ui::shell::Shell;

/// Colours offered for a new swatch, in turn; the person changes it with the picker.
const NEW_COLORS: [&str; 8] = [
    "#2563eb", "#f59f00", "#2b8a3e", "#c92a2a", "#7048e8", "#0c8599", "#e64980", "#495057",
];

#[derive(Template)]
#[template(path = "brand.html", blocks = ["main", "topbar"])]
pub struct BrandPage {
    shell: Shell,
    id: Uuid,
    form: KitForm,
    errors: Errors,
    /// A colour was added or removed and the kit not saved since.
    unsaved: bool,
    /// The swatch just added, to put the keyboard on.
    added: Option<usize>,
    can_manage: bool,
    can_approve: bool,
    /// The library's pictures to choose from, newest first (plus the current choices).
    pictures: Vec<Picture>,
    /// The library has more pictures than the chooser shows.
    more_pictures: bool,
    logo: Option<Picture>,
    cover: Option<Picture>,
    saved_colors: Vec<String>,
    review: Review,
    images: Vec<ImageCard>,
    has_source: bool,
    /// Changes when the images do: browsers may keep an image as long as its URL has it.
    version: String,
}
page!(BrandPage);

/// A library picture in the chooser.
pub struct Picture {
    id: Uuid,
    name: String,
    width: i32,
    height: i32,
}

impl Picture {
    fn new(m: &Media) -> Self {
        Picture {
            id: m.id,
            name: m.name.clone(),
            width: m.width,
            height: m.height,
        }
    }
}

/// The review status of the set, in words.
pub struct Review {
    status: String,
    note: String,
    /// "Approved by Ada Lovelace on 1 Mar 2026, 13:00 Europe/Paris".
    by: Option<String>,
    /// What was typed in the note before a refused decision.
    typed_note: String,
    errors: Errors,
}

impl Review {
    fn label(&self) -> &'static str {
        status_label(&self.status)
    }
}

pub fn status_label(status: &str) -> &'static str {
    match status {
        "in_review" => "In review",
        "changes_requested" => "Changes requested",
        "approved" => "Approved",
        _ => "Draft",
    }
}

/// The kit form as typed.
#[derive(Clone, Debug, Default)]
pub struct KitForm {
    logo: String,
    cover: String,
    colors: Vec<String>,
}

impl KitForm {
    fn from_detail(d: &BrandKitDetail) -> Self {
        KitForm {
            logo: d
                .kit
                .logo_media_id
                .map(|i| i.to_string())
                .unwrap_or_default(),
            cover: d
                .kit
                .cover_media_id
                .map(|i| i.to_string())
                .unwrap_or_default(),
            colors: split_colors(&d.kit.colors),
        }
    }

    /// The fields and the button pressed (`save`, `add-color` or `remove-{i}`).
    fn parse(pairs: &[(String, String)]) -> (Self, String) {
        let mut f = KitForm::default();
        let mut op = String::new();
        for (k, v) in pairs {
            match k.as_str() {
                "logo_media_id" => f.logo = v.trim().to_owned(),
                "cover_media_id" => f.cover = v.trim().to_owned(),
                "colors" => f.colors.push(v.trim().to_owned()),
                "op" => op = v.clone(),
                _ => {}
            }
        }
        (f, op)
    }

    fn patch(&self) -> BrandKitPatch {
        // An id that does not parse is no item of the library: the service says so.
        let id = |s: &str| (!s.is_empty()).then(|| s.parse().unwrap_or(Uuid::nil()));
        BrandKitPatch {
            logo_media_id: Some(id(&self.logo)),
            cover_media_id: Some(id(&self.cover)),
            colors: Some(self.colors.clone()),
        }
    }

    fn is_logo(&self, id: &Uuid) -> bool {
        self.logo == id.to_string()
    }

    fn is_cover(&self, id: &Uuid) -> bool {
        self.cover == id.to_string()
    }
}

fn split_colors(colors: &str) -> Vec<String> {
    colors
        .split(',')
        .filter(|c| !c.is_empty())
        .map(str::to_owned)
        .collect()
}

/// One generated image with what the page says and draws about it.
pub struct ImageCard {
    network: &'static str,
    network_label: &'static str,
    letter: &'static str,
    slot: &'static str,
    avatar: bool,
    width: u32,
    height: u32,
    format: &'static str,
    note: &'static str,
    file_name: String,
    /// How the network masks it, in words; empty when shown as it is.
    shape_words: &'static str,
    /// The area the mask hides (even-odd: the frame minus the shape), and the shape's edge.
    mask_path: Option<(String, String)>,
    zones: Vec<ZoneView>,
    /// Line width, dash and label size in the image's pixels, so they look the same on
    /// screen whatever the image's size.
    stroke: String,
    /// The darker line under each zone's, so it shows on light and dark pictures alike.
    halo: String,
    dash: String,
    /// Covered zones are hatched red and white, which shows even on a red picture.
    hatched: bool,
    hatch: String,
    hatch_line: String,
    font: String,
}

pub struct ZoneView {
    keep: bool,
    label: &'static str,
    x: u32,
    y: u32,
    width: u32,
    height: u32,
    label_x: String,
    label_y: String,
}

impl ZoneView {
    fn words(&self) -> String {
        format!(
            "{} × {} px at x {}, y {}",
            self.width, self.height, self.x, self.y
        )
    }
}

/// About how wide the page draws each kind of image, in CSS pixels.
fn shown_width(slot: Slot) -> f64 {
    match slot {
        Slot::Avatar => 220.0,
        Slot::Banner => 520.0,
    }
}

fn num(v: f64) -> String {
    format!("{v:.1}")
}

impl ImageCard {
    fn new(spec: &ProfileSpec) -> Self {
        let (w, h) = (f64::from(spec.width), f64::from(spec.height));
        let unit = w / shown_width(spec.slot);
        let pad = 5.0 * unit;
        let font = 12.0 * unit;
        let (shape_words, mask_path) = match spec.shape {
            Shape::Square => ("", None),
            Shape::Circle => {
                let r = w.min(h) / 2.0;
                let (cx, cy) = (w / 2.0, h / 2.0);
                let circle = format!(
                    "M{} {}a{r} {r} 0 1 0 {} 0a{r} {r} 0 1 0 {} 0Z",
                    num(cx - r),
                    num(cy),
                    num(2.0 * r),
                    num(-2.0 * r),
                    r = num(r)
                );
                (
                    "Shown as a circle: the darkened corners are cut off.",
                    Some((format!("M0 0H{w}V{h}H0Z{circle}"), circle)),
                )
            }
            Shape::Rounded => {
                let r = w.min(h) * 0.1;
                let rounded = format!(
                    "M{r} 0H{a}A{r} {r} 0 0 1 {w} {r}V{b}A{r} {r} 0 0 1 {a} {h}H{r}A{r} {r} 0 0 1 0 {b}V{r}A{r} {r} 0 0 1 {r} 0Z",
                    r = num(r),
                    a = num(w - r),
                    b = num(h - r),
                    w = num(w),
                    h = num(h),
                );
                (
                    "Shown with rounded corners: the darkened corners are cut off.",
                    Some((format!("M0 0H{w}V{h}H0Z{rounded}"), rounded)),
                )
            }
        };
        ImageCard {
            network: spec.network.as_str(),
            network_label: networks::label(spec.network),
            letter: networks::letter(spec.network),
            slot: match spec.slot {
                Slot::Avatar => "Profile picture",
                Slot::Banner => "Banner",
            },
            avatar: spec.slot == Slot::Avatar,
            width: spec.width,
            height: spec.height,
            format: if spec.slot == Slot::Avatar {
                "PNG"
            } else {
                "JPEG"
            },
            note: spec.note,
            file_name: profile::file_name(spec),
            shape_words,
            mask_path,
            zones: spec
                .safe_zones
                .iter()
                .map(|z| ZoneView {
                    keep: z.kind == SafeZoneKind::Keep,
                    label: z.label,
                    x: z.rect.x,
                    y: z.rect.y,
                    width: z.rect.width,
                    height: z.rect.height,
                    label_x: num(f64::from(z.rect.x) + pad),
                    label_y: num(f64::from(z.rect.y) + pad + font),
                })
                .collect(),
            stroke: num(2.0 * unit),
            halo: num(4.0 * unit),
            hatched: spec
                .safe_zones
                .iter()
                .any(|z| z.kind == SafeZoneKind::Covered),
            hatch: num(9.0 * unit),
            hatch_line: num(3.0 * unit),
            dash: format!("{} {}", num(7.0 * unit), num(5.0 * unit)),
            font: num(font),
        }
    }
}

impl BrandPage {
    fn avatars(&self) -> impl Iterator<Item = &ImageCard> {
        self.images.iter().filter(|i| i.avatar)
    }

    fn banners(&self) -> impl Iterator<Item = &ImageCard> {
        self.images.iter().filter(|i| !i.avatar)
    }

    fn can_add_color(&self) -> bool {
        self.form.colors.len() < MAX_COLORS
    }

    fn is_added(&self, i: &usize) -> bool {
        self.added == Some(*i)
    }

    fn color_error(&self, i: &usize) -> Option<String> {
        self.errors.get(&format!("colors[{i}]"))
    }

    fn can_submit(&self) -> bool {
        self.can_manage && matches!(self.review.status.as_str(), "draft" | "changes_requested")
    }

    fn can_decide(&self) -> bool {
        self.can_approve && self.review.status == "in_review"
    }

    fn can_reopen(&self) -> bool {
        self.can_manage && self.review.status != "draft"
    }
}

async fn page_for(
    state: &AppState,
    actor: &Actor,
    ws: &MemberWorkspace,
    detail: &BrandKitDetail,
    form: Option<KitForm>,
) -> Result<BrandPage, UiError> {
    let id = ws.workspace.id;
    let active = ws.workspace.archived_at_ms.is_none();
    let can_manage = ws.role.allows(Permission::Manage) && active;
    let (mut pictures, more_pictures) = if can_manage {
        let q = MediaQuery {
            kind: Some("image".into()),
            ..MediaQuery::default()
        };
        let (items, next) = state.services.list_media(actor, id, &q).await?;
        (
            items.iter().map(|i| Picture::new(&i.media)).collect(),
            next.is_some(),
        )
    } else {
        (Vec::new(), false)
    };
    if can_manage {
        // The current choices stay offered even when they are older than the list's page.
        for current in [&detail.cover, &detail.logo].into_iter().flatten() {
            if !pictures.iter().any(|p: &Picture| p.id == current.id) {
                pictures.insert(0, Picture::new(current));
            }
        }
    }
    let by = match detail.kit.reviewed_by {
        Some(user) => {
            let who = state
                .services
                .list_members(actor, id)
                .await?
                .into_iter()
                .find(|m| m.user_id == user)
                .map(|m| {
                    if m.display_name.is_empty() {
                        m.email
                    } else {
                        m.display_name
                    }
                })
                .unwrap_or_else(|| "a former member".to_owned());
            let verb = match detail.kit.review_status.as_str() {
                "in_review" => "Submitted",
                "approved" => "Approved",
                "changes_requested" => "Changes requested",
                _ => "Reopened",
            };
            Some(format!(
                "{verb} by {who} on {}",
                when(detail.kit.updated_at_ms, &ws.workspace.time_zone)
            ))
        }
        None => None,
    };
    Ok(BrandPage {
        shell: Shell::in_workspace(state, actor, ws, "Brand kit", "brand").await?,
        id,
        form: form.unwrap_or_else(|| KitForm::from_detail(detail)),
        errors: Errors::default(),
        unsaved: false,
        added: None,
        can_manage,
        can_approve: ws.role.allows(Permission::Approve) && active,
        pictures,
        more_pictures,
        logo: detail.logo.as_ref().map(Picture::new),
        cover: detail.cover.as_ref().map(Picture::new),
        saved_colors: split_colors(&detail.kit.colors),
        review: Review {
            status: detail.kit.review_status.clone(),
            note: detail.kit.review_note.clone(),
            by,
            typed_note: String::new(),
            errors: Errors::default(),
        },
        images: profile::specs().iter().map(ImageCard::new).collect(),
        has_source: detail.logo.is_some() || detail.cover.is_some(),
        version: version(detail),
    })
}

pub async fn show(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath(id): UiPath<Uuid>,
) -> Result<Response, UiError> {
    let ws = state.services.workspace(&actor, id).await?;
    let detail = state.services.brand_kit(&actor, id).await?;
    let page = page_for(&state, &actor, &ws, &detail, None).await?;
    render(htmx, StatusCode::OK, page)
}

/// Saves the kit, or adds or removes a colour swatch (not saved until "Save").
pub async fn save(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath(id): UiPath<Uuid>,
    UiForm(pairs): UiForm<Vec<(String, String)>>,
) -> Result<Response, UiError> {
    let ws = state.services.workspace(&actor, id).await?;
    let (mut form, op) = KitForm::parse(&pairs);
    let edit = if op == "add-color" {
        if form.colors.len() < MAX_COLORS {
            let next = NEW_COLORS
                .iter()
                .find(|c| !form.colors.iter().any(|have| have == *c))
                .unwrap_or(&NEW_COLORS[0]);
            form.colors.push((*next).to_owned());
        }
        Some(Some(form.colors.len() - 1))
    } else if let Some(i) = op.strip_prefix("remove-") {
        if let Ok(i) = i.parse::<usize>()
            && i < form.colors.len()
        {
            form.colors.remove(i);
        }
        Some(None)
    } else {
        None
    };
    if let Some(added) = edit {
        // Nothing is stored: someone who may not manage the kit learns that on saving.
        let detail = state.services.brand_kit(&actor, id).await?;
        let mut page = page_for(&state, &actor, &ws, &detail, Some(form)).await?;
        page.unsaved = true;
        page.added = added;
        return render(htmx, StatusCode::OK, page);
    }
    let before = state.services.brand_kit(&actor, id).await?;
    match state
        .services
        .update_brand_kit(&actor, id, form.patch())
        .await
    {
        Ok(detail) => {
            let mut page = page_for(&state, &actor, &ws, &detail, None).await?;
            page.shell.toasts.push(Toast::ok(if before.kit.review_status == "draft" {
                "Brand kit saved.".to_owned()
            } else {
                format!(
                    "Brand kit saved. The profile images were {} and are a draft again: submit them for review when they are ready.",
                    status_label(&before.kit.review_status).to_lowercase()
                )
            }));
            render(htmx, StatusCode::OK, page)
        }
        Err(e) => {
            let errors = Errors::from_app(e)?;
            let mut page = page_for(&state, &actor, &ws, &before, Some(form)).await?;
            page.errors = errors;
            page.shell.toasts.push(Toast::error(
                "Nothing was saved: please fix the fields marked below.",
            ));
            render(htmx, StatusCode::UNPROCESSABLE_ENTITY, page)
        }
    }
}

/// One review decision: `action` (submit, approve, request_changes, reopen) and a `note`.
pub async fn review(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath(id): UiPath<Uuid>,
    UiForm(pairs): UiForm<Vec<(String, String)>>,
) -> Result<Response, UiError> {
    let ws = state.services.workspace(&actor, id).await?;
    let field = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    };
    let note = field("note").to_owned();
    let action = ReviewAction::parse(field("action")).ok_or_else(|| {
        AppError::field(
            "action",
            "must be submit, approve, request_changes or reopen",
        )
    })?;
    let (status, toast, errors) = match state
        .services
        .review_brand_kit(&actor, id, action, &note)
        .await
    {
        Ok(_) => {
            let done = match action {
                ReviewAction::Submit => "Submitted for review.",
                ReviewAction::Approve => "Approved.",
                ReviewAction::RequestChanges => "Changes requested.",
                ReviewAction::Reopen => "Reopened as a draft.",
            };
            (StatusCode::OK, Toast::ok(done), None)
        }
        Err(AppError::Validation(fields)) => {
            let mut errors = Errors::default();
            let mut words = Vec::new();
            for f in fields {
                let message = match f.field.as_str() {
                    "note" => format!("The note: {}.", f.message),
                    "logo_media_id" => format!("To submit, {}.", f.message),
                    _ => format!("{} {}.", f.field.replace('_', " "), f.message),
                };
                words.push(message.clone());
                errors.add(&f.field, &message);
            }
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                Toast::error(words.join(" ")),
                Some(errors),
            )
        }
        Err(AppError::Conflict(message)) => (StatusCode::CONFLICT, Toast::error(message), None),
        Err(e) => return Err(e.into()),
    };
    let detail = state.services.brand_kit(&actor, id).await?;
    let mut page = page_for(&state, &actor, &ws, &detail, None).await?;
    if let Some(errors) = errors {
        page.review.errors = errors;
        page.review.typed_note = note;
    }
    page.shell.toasts.push(toast);
    render(htmx, status, page)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::text::Network;

    #[test]
    fn circles_mask_the_corners_and_zones_scale_with_the_image() {
        let x = profile::spec(Network::X, Slot::Avatar).unwrap();
        let card = ImageCard::new(&x);
        let (mask, edge) = card.mask_path.expect("a circle mask");
        assert!(mask.starts_with("M0 0H400V400H0Z"));
        assert_eq!(
            edge,
            "M0.0 200.0a200.0 200.0 0 1 0 400.0 0a200.0 200.0 0 1 0 -400.0 0Z"
        );
        assert_eq!(card.zones.len(), 1);
        assert!(card.zones[0].keep);
        // 400 px drawn about 220 px wide: a 2 px line is 3.6 image pixels.
        assert_eq!(card.stroke, "3.6");

        let banner = ImageCard::new(&profile::spec(Network::Bluesky, Slot::Banner).unwrap());
        assert!(banner.mask_path.is_none());
        assert!(!banner.zones[0].keep);
        assert_eq!(banner.zones[0].words(), "470 × 215 px at x 70, y 785");
    }

    #[test]
    fn the_form_reads_repeated_colours_and_the_button() {
        let pairs: Vec<(String, String)> = [
            ("logo_media_id", ""),
            ("cover_media_id", "not-an-id"),
            ("colors", "#112233"),
            ("colors", " #445566 "),
            ("op", "remove-0"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let (form, op) = KitForm::parse(&pairs);
        assert_eq!(op, "remove-0");
        assert_eq!(form.colors, ["#112233", "#445566"]);
        let patch = form.patch();
        assert_eq!(patch.logo_media_id, Some(None));
        assert_eq!(patch.cover_media_id, Some(Some(Uuid::nil())));
    }
}
