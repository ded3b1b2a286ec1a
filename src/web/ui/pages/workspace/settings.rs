//! `/w/{ws}/settings`: name, time zone, approval, brand profile; the danger zone (archive).
//! Members without the Manage permission see the same page read-only.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use uuid::Uuid;

use crate::domain::Permission;
use crate::domain::workspace::{BrandProfile, WorkspaceSettings};
use crate::storage::workspaces::MemberWorkspace;
use crate::web::AppState;
use crate::web::auth::SessionUser;
use crate::web::ui::UiError;
use crate::web::ui::format::COMMON_ZONES;
use crate::web::ui::forms::{Errors, UiForm, UiPath};
use crate::web::ui::render::{Htmx, Toast, page, render};
use crate::web::ui::shell::Shell;

#[derive(Template)]
#[template(path = "settings.html", blocks = ["main", "topbar"])]
pub struct SettingsPage {
    pub shell: Shell,
    id: Uuid,
    form: SettingsForm,
    errors: Errors,
    can_manage: bool,
    can_own: bool,
    archived: bool,
    /// The second step of archiving: "are you sure?".
    confirm_archive: bool,
    zones: &'static [&'static str],
    /// The calendar feed's key prefix and when it was made, for managers; `None`: no feed.
    feed: Option<(String, String)>,
    /// The feed's URL, right after it was made (shown once).
    pub feed_url: Option<String>,
    /// Outbound webhooks and their delivery log, for managers.
    pub webhooks: Option<super::webhooks::WebhooksSection>,
}
page!(SettingsPage);

/// One textarea of the brand profile.
pub struct BrandField<'a> {
    name: &'static str,
    label: &'static str,
    hint: &'static str,
    value: &'a str,
}

impl SettingsPage {
    fn brand_fields(&self) -> [BrandField<'_>; 5] {
        let f = &self.form;
        let field = |name, label, hint, value| BrandField {
            name,
            label,
            hint,
            value,
        };
        [
            field(
                "brand_voice",
                "Voice",
                "How the brand sounds, in a few sentences.",
                &f.brand_voice,
            ),
            field(
                "words_to_avoid",
                "Words to avoid",
                "Words and phrases never to use, separated by commas or lines.",
                &f.words_to_avoid,
            ),
            field(
                "hashtags",
                "Hashtags to use",
                "For example #acme #coffee; letters, digits and _ only.",
                &f.hashtags,
            ),
            field(
                "audience_notes",
                "Audience notes",
                "Who the posts are for: interests, language, what they care about.",
                &f.audience_notes,
            ),
            field(
                "goals",
                "Goals",
                "What the brand wants from social media this quarter.",
                &f.goals,
            ),
        ]
    }
}

/// The form as typed, so a rejected save shows exactly what the person wrote.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SettingsForm {
    name: String,
    time_zone: String,
    requires_approval: Option<String>,
    require_alt_text: Option<String>,
    promo_target_percent: String,
    brand_voice: String,
    words_to_avoid: String,
    hashtags: String,
    audience_notes: String,
    goals: String,
}

impl SettingsForm {
    fn from_saved(s: WorkspaceSettings) -> Self {
        SettingsForm {
            name: s.name,
            time_zone: s.time_zone,
            requires_approval: s.requires_approval.then(|| "on".to_owned()),
            require_alt_text: s.require_alt_text.then(|| "on".to_owned()),
            promo_target_percent: s.promo_target_percent.to_string(),
            brand_voice: s.brand.voice,
            words_to_avoid: s.brand.words_to_avoid,
            hashtags: s.brand.hashtags,
            audience_notes: s.brand.audience_notes,
            goals: s.brand.goals,
        }
    }

    fn to_settings(&self) -> WorkspaceSettings {
        WorkspaceSettings {
            name: self.name.clone(),
            time_zone: self.time_zone.clone(),
            requires_approval: self.requires_approval.is_some(),
            require_alt_text: self.require_alt_text.is_some(),
            // Not a whole number: out of range on purpose, so validation names the field.
            promo_target_percent: self.promo_target_percent.trim().parse().unwrap_or(-1),
            brand: BrandProfile {
                voice: self.brand_voice.clone(),
                words_to_avoid: self.words_to_avoid.clone(),
                hashtags: self.hashtags.clone(),
                audience_notes: self.audience_notes.clone(),
                goals: self.goals.clone(),
            },
        }
    }
}

pub async fn page_for(
    state: &AppState,
    actor: &crate::services::Actor,
    ws: &MemberWorkspace,
    form: Option<SettingsForm>,
) -> Result<SettingsPage, UiError> {
    let can_manage = ws.role.allows(Permission::Manage) && ws.workspace.archived_at_ms.is_none();
    let feed = if can_manage {
        state
            .services
            .calendar_feed_status(actor, ws.workspace.id)
            .await?
            .map(|f| {
                let zone = crate::domain::schedule::time_zone(&ws.workspace.time_zone)
                    .unwrap_or(jiff::tz::TimeZone::UTC);
                (
                    f.key_prefix,
                    crate::domain::schedule::format_in_zone(f.created_at_ms, &zone),
                )
            })
    } else {
        None
    };
    Ok(SettingsPage {
        shell: Shell::in_workspace(state, actor, ws, "Settings", "settings").await?,
        id: ws.workspace.id,
        form: form.unwrap_or_else(|| SettingsForm::from_saved(ws.workspace.settings())),
        errors: Errors::default(),
        can_manage: ws.role.allows(Permission::Manage) && ws.workspace.archived_at_ms.is_none(),
        can_own: ws.role.allows(Permission::Own),
        archived: ws.workspace.archived_at_ms.is_some(),
        confirm_archive: false,
        zones: COMMON_ZONES,
        feed,
        feed_url: None,
        webhooks: super::webhooks::load(state, actor, ws).await?,
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SettingsQuery {
    confirm: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath(id): UiPath<Uuid>,
    Query(q): Query<SettingsQuery>,
) -> Result<Response, UiError> {
    let ws = state.services.workspace(&actor, id).await?;
    let mut page = page_for(&state, &actor, &ws, None).await?;
    page.confirm_archive =
        q.confirm.as_deref() == Some("archive") && page.can_own && !page.archived;
    render(htmx, StatusCode::OK, page)
}

pub async fn save(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath(id): UiPath<Uuid>,
    UiForm(form): UiForm<SettingsForm>,
) -> Result<Response, UiError> {
    match state
        .services
        .update_workspace(&actor, id, form.to_settings())
        .await
    {
        Ok(ws) => {
            let mut page = page_for(&state, &actor, &ws, None).await?;
            page.shell.toasts.push(Toast::ok("Settings saved."));
            render(htmx, StatusCode::OK, page)
        }
        Err(e) => {
            let errors = Errors::from_app(e)?;
            let ws = state.services.workspace(&actor, id).await?;
            let mut page = page_for(&state, &actor, &ws, Some(form)).await?;
            page.errors = errors;
            page.shell.toasts.push(Toast::error(
                "Nothing was saved: please fix the fields marked below.",
            ));
            render(htmx, StatusCode::UNPROCESSABLE_ENTITY, page)
        }
    }
}
