//! What the composer's "When" section shows: each channel's state as a badge with its time
//! (in the zone it was planned in, named), the live post's link or the failure's reason; the
//! form to choose a time, the queue or "now" (or to send for review with the time wanted);
//! cancel, retry and "send anyway"; the attempts.

use jiff::tz::TimeZone;
use uuid::Uuid;

use super::attempts::AttemptGroup;
use crate::domain::post::VariantState;
use crate::domain::schedule::format_in_zone;
use crate::services::post_actions::PostActions;
use crate::services::posts::PostDetail;
use crate::web::ui::format::COMMON_ZONES;
use crate::web::ui::forms::Errors;
use crate::web::ui::pages::workspace::networks;

pub struct WhenView {
    pub ws: Uuid,
    pub post: Uuid,
    pub csrf: String,
    /// The workspace's zone, the form's default.
    pub zone: String,
    pub rows: Vec<VariantWhen>,
    pub actions: PostActions,
    pub form: WhenForm,
    pub errors: Errors,
    /// The local time chosen happens twice: which one.
    pub fold: Option<FoldChoice>,
    pub attempts: Vec<AttemptGroup>,
    /// While a channel is going out: the address the section polls to follow it
    /// (`when_poll`).
    pub poll: Option<String>,
    /// Drawn in an htmx answer: replaces the section out of band.
    pub oob: bool,
    /// The id of the element that takes the keyboard after an answer (empty: none).
    pub focus: String,
}

/// One channel: where it stands.
pub struct VariantWhen {
    pub handle: String,
    pub network: &'static str,
    pub network_label: &'static str,
    pub letter: &'static str,
    /// The badge's class (`state-{css}`) and words.
    pub css: &'static str,
    pub label: String,
    /// When it goes (or went) out, in its zone.
    pub at: Option<String>,
    pub link: Option<String>,
    /// Why it failed, in the network's words when it gave some.
    pub reason: Option<String>,
}

/// The form as typed (kept when it comes back with errors).
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct WhenForm {
    pub date: String,
    pub time: String,
    pub time_zone: String,
    pub fold: String,
    pub share_next: String,
    pub note: String,
    pub action: String,
}

/// The two instants a repeated local time names.
pub struct FoldChoice {
    pub message: String,
    pub earlier: String,
    pub later: String,
}

/// The badge for a variant: (class, words).
pub fn badge(
    state: VariantState,
    error_kind: Option<&str>,
    retrying: bool,
) -> (&'static str, String) {
    use VariantState::*;
    match state {
        Failed if error_kind == Some("missed") => ("missed", "Missed".into()),
        Publishing if retrying => ("publishing", "Retrying".into()),
        OutcomeUnknown => ("outcome_unknown", "Outcome unknown".into()),
        s => (s.as_str(), super::view::state_label(s.as_str())),
    }
}

impl WhenView {
    pub fn of(ws: Uuid, csrf: &str, zone: &str, d: &PostDetail, actions: PostActions) -> Self {
        let rows = d
            .variants
            .iter()
            .map(|v| {
                let var = &v.variant;
                let (css, label) = badge(
                    var.state,
                    var.error_kind.as_deref(),
                    var.retry_at_ms.is_some(),
                );
                let tz_name = if var.time_zone.is_empty() {
                    zone
                } else {
                    &var.time_zone
                };
                let tz = TimeZone::get(tz_name).unwrap_or(TimeZone::UTC);
                let at_ms = match var.state {
                    VariantState::Published => var.published_at_ms.or(var.scheduled_at_ms),
                    VariantState::Publishing => var.retry_at_ms.or(var.scheduled_at_ms),
                    _ => var.scheduled_at_ms,
                };
                let failed = matches!(
                    var.state,
                    VariantState::Failed | VariantState::OutcomeUnknown
                );
                VariantWhen {
                    handle: v.channel.handle.clone(),
                    network: v.channel.network.as_str(),
                    network_label: networks::label(v.channel.network),
                    letter: networks::letter(v.channel.network),
                    css,
                    label,
                    at: at_ms.map(|ms| format_in_zone(ms, &tz)),
                    link: var
                        .remote_url
                        .clone()
                        .filter(|u| u.starts_with("https://") || u.starts_with("http://")),
                    reason: var
                        .error
                        .as_deref()
                        .filter(|e| failed && !e.trim().is_empty())
                        .map(super::view::capitalise),
                }
            })
            .collect();
        WhenView {
            ws,
            post: d.post.id,
            csrf: csrf.to_owned(),
            zone: zone.to_owned(),
            rows,
            actions,
            form: WhenForm::planned(d, zone),
            errors: Errors::default(),
            fold: None,
            attempts: Vec::new(),
            poll: None,
            oob: false,
            focus: String::new(),
        }
    }

    /// The schedule button sends for review instead (and queue and "now" are not offered).
    pub fn review_mode(&self) -> bool {
        (self.actions.review_first || !self.actions.schedule) && self.actions.submit
    }

    /// Whether the time form is shown at all.
    pub fn can_plan(&self) -> bool {
        self.actions.schedule || self.review_mode()
    }

    pub fn action(&self, what: &str) -> String {
        format!("/w/{}/posts/{}/{what}", self.ws, self.post)
    }

    pub fn zones(&self) -> Vec<(String, String)> {
        zone_choices(&self.zone, &self.form.time_zone)
    }

    /// Where the time form goes: scheduling, or a review request with the time wanted.
    pub fn form_action(&self) -> String {
        self.action(if self.review_mode() {
            "submit"
        } else {
            "schedule"
        })
    }

    pub fn chosen_zone(&self) -> &str {
        if self.form.time_zone.is_empty() {
            &self.zone
        } else {
            &self.form.time_zone
        }
    }

    pub fn error(&self, field: &str) -> Option<String> {
        self.errors.get(field)
    }

    /// Errors about anything but the form's own fields (a channel, a variant's text).
    pub fn other_errors(&self) -> Vec<String> {
        self.errors
            .0
            .iter()
            .filter(|e| {
                !matches!(
                    e.field.as_str(),
                    "date" | "time" | "time_zone" | "fold" | "note"
                )
            })
            .map(|e| e.message.clone())
            .collect()
    }

    pub fn autofocus(&self, id: &str) -> bool {
        self.focus == id
    }

    /// The first field to fix, by its element id.
    pub fn first_invalid(&self) -> Option<&'static str> {
        if self.fold.is_some() {
            return Some("when-fold-earlier");
        }
        [
            ("date", "when-date"),
            ("time", "when-time"),
            ("time_zone", "when-zone"),
            ("note", "when-note"),
        ]
        .into_iter()
        .find(|(field, _)| self.errors.get(field).is_some())
        .map(|(_, id)| id)
    }

    pub fn has_attempts(&self) -> bool {
        self.attempts.iter().any(|g| !g.items.is_empty())
    }
}

/// The zones a form offers: the workspace's first (named so), then the one typed (when it
/// is one), then the common ones. The "Repeat" section offers the same.
pub fn zone_choices(workspace: &str, typed: &str) -> Vec<(String, String)> {
    let mut names: Vec<String> = vec![workspace.to_owned()];
    if typed != workspace && typed.len() <= 64 && TimeZone::get(typed).is_ok() {
        names.push(typed.to_owned());
    }
    for z in COMMON_ZONES {
        if !names.iter().any(|n| n == z) {
            names.push((*z).to_owned());
        }
    }
    names
        .into_iter()
        .map(|z| {
            let label = if z == workspace {
                format!("{z} (workspace)")
            } else {
                z.clone()
            };
            (z, label)
        })
        .collect()
}

impl WhenForm {
    /// The time the post is planned for (or wanted at), as its first planned variant says.
    fn planned(d: &PostDetail, zone: &str) -> WhenForm {
        let planned = d
            .variants
            .iter()
            .find(|v| v.variant.scheduled_at_ms.is_some());
        let mut form = WhenForm {
            time_zone: zone.to_owned(),
            ..WhenForm::default()
        };
        if let Some(v) = planned {
            let v = &v.variant;
            let tz_name = if v.time_zone.is_empty() {
                zone
            } else {
                &v.time_zone
            };
            if let (Some(ms), Ok(tz)) = (v.scheduled_at_ms, TimeZone::get(tz_name))
                && let Ok(t) = jiff::Timestamp::from_millisecond(ms)
            {
                let z = t.to_zoned_datetime(tz);
                form.date = z.date().to_string();
                form.time = z.strftime("%H:%M").to_string();
                form.time_zone = tz_name.to_owned();
            }
        }
        form
    }
}
