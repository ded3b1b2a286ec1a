//! What the composer's "Repeat" section shows: the post's recurring rule in words (zone and
//! end included), the occurrences already made (links to those posts) and the next ones to
//! come, each with a note where a daylight-saving change moves it; the form to set or change
//! the rule and "Stop repeating"; and the evergreen switch, with a link to the library.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use uuid::Uuid;

use super::repeat_input::RepeatForm;
use super::when_input::{Unclear, chosen};
use super::when_view::{WhenForm, zone_choices};
use crate::domain::schedule::{Every, Recurrence, format_in_zone};
use crate::services::recurrence::SeriesView;
use crate::services::repeat::PostRepeat;
use crate::web::ui::forms::Errors;

/// The made occurrences listed, at most (the latest).
const MADE_SHOWN: usize = 10;

pub struct RepeatView {
    pub ws: Uuid,
    pub post: Uuid,
    pub csrf: String,
    /// The workspace's zone, the form's default.
    pub zone: String,
    pub may_change: bool,
    pub has_channels: bool,
    pub series: Option<SeriesLook>,
    pub evergreen: bool,
    pub form: RepeatForm,
    pub errors: Errors,
    /// Drawn in an htmx answer: replaces the section out of band.
    pub oob: bool,
    /// The id of the element that takes the keyboard after an answer (empty: none).
    pub focus: String,
}

/// A series as people read it.
pub struct SeriesLook {
    /// "Every week on Monday at 09:00, from Monday 2 March 2026".
    pub words: String,
    pub zone: String,
    /// "Until 30 June 2026", "10 times in all, 3 made so far".
    pub ends: Vec<String>,
    /// `active`, `ended` or `cancelled`, and its words.
    pub state: String,
    pub label: &'static str,
    pub active: bool,
    /// The latest occurrences made, earliest first, and how many earlier ones are not listed.
    pub made: Vec<Made>,
    pub earlier: usize,
    pub upcoming: Vec<Coming>,
    /// What the last pass did ("Skipped ...: Herald was not running then.").
    pub note: String,
}

pub struct Made {
    pub href: String,
    pub at: String,
}

pub struct Coming {
    pub at: String,
    /// Why it is not at the rule's time (a gap), or which of two it is (a fold).
    pub note: Option<String>,
}

impl RepeatView {
    /// `today` is the workspace's date, the first date a new rule offers.
    pub fn of(ws: Uuid, post: Uuid, csrf: &str, zone: &str, r: PostRepeat, today: Date) -> Self {
        let form = match r.series.as_ref() {
            Some(s) => RepeatForm::of_series(&s.series),
            None => None,
        }
        .unwrap_or_else(|| RepeatForm::fresh(zone, today));
        RepeatView {
            ws,
            post,
            csrf: csrf.to_owned(),
            zone: zone.to_owned(),
            may_change: r.may_change,
            has_channels: r.has_channels,
            series: r.series.map(|s| SeriesLook::of(ws, s)),
            evergreen: r.evergreen,
            form,
            errors: Errors::default(),
            oob: false,
            focus: String::new(),
        }
    }

    pub fn action(&self, what: &str) -> String {
        format!("/w/{}/posts/{}/{what}", self.ws, self.post)
    }

    pub fn library(&self) -> String {
        format!("/w/{}/evergreen", self.ws)
    }

    pub fn running(&self) -> bool {
        self.series.as_ref().is_some_and(|s| s.active)
    }

    /// The forms are offered: the member may change it, and the post has a channel.
    pub fn editable(&self) -> bool {
        self.may_change && self.has_channels
    }

    pub fn zones(&self) -> Vec<(String, String)> {
        zone_choices(&self.zone, &self.form.time_zone)
    }

    pub fn chosen_zone(&self) -> &str {
        if self.form.time_zone.is_empty() {
            &self.zone
        } else {
            &self.form.time_zone
        }
    }

    /// The weekday boxes: (value, label, ticked).
    pub fn days(&self) -> Vec<(&'static str, &'static str, bool)> {
        [
            ("mon", "Mon"),
            ("tue", "Tue"),
            ("wed", "Wed"),
            ("thu", "Thu"),
            ("fri", "Fri"),
            ("sat", "Sat"),
            ("sun", "Sun"),
        ]
        .into_iter()
        .map(|(value, label)| (value, label, self.form.weekdays.iter().any(|d| d == value)))
        .collect()
    }

    pub fn period_is(&self, value: &str) -> bool {
        self.form.every.trim() == value
    }

    /// The weekday boxes take the keyboard at the first one (`repeat-day-mon`).
    pub fn day_focused(&self, value: &str) -> bool {
        value == "mon" && self.autofocus("repeat-day-mon")
    }

    pub fn error(&self, field: &str) -> Option<String> {
        self.errors.get(field)
    }

    /// Errors about anything but the form's own fields (the post has no channel).
    pub fn other_errors(&self) -> Vec<String> {
        self.errors
            .0
            .iter()
            .filter(|e| !FIELDS.iter().any(|(f, _)| *f == e.field))
            .map(|e| e.message.clone())
            .collect()
    }

    pub fn autofocus(&self, id: &str) -> bool {
        self.focus == id
    }

    /// The first field to fix, by its element id.
    pub fn first_invalid(&self) -> Option<&'static str> {
        FIELDS
            .iter()
            .find(|(field, _)| self.errors.get(field).is_some())
            .map(|(_, id)| *id)
    }
}

/// The form's fields (as the service names them) and their elements, in the page's order.
pub const FIELDS: [(&str, &str); 8] = [
    ("interval", "repeat-interval"),
    ("every", "repeat-every"),
    ("weekdays", "repeat-day-mon"),
    ("time", "repeat-time"),
    ("start", "repeat-start"),
    ("time_zone", "repeat-zone"),
    ("until", "repeat-until"),
    ("count", "repeat-count"),
];

impl SeriesLook {
    fn of(ws: Uuid, v: SeriesView) -> Self {
        let s = v.series;
        let tz = TimeZone::get(&s.time_zone).unwrap_or(TimeZone::UTC);
        let rule = s.rule.parse::<Recurrence>().ok();
        let mut ends = Vec::new();
        if let Some(until) = s.until_date.as_deref().and_then(|d| d.parse::<Date>().ok()) {
            ends.push(format!("Until {}", until.strftime("%-d %B %Y")));
        }
        match s.max_count {
            Some(max) => ends.push(format!("{max} times in all, {} made so far", s.made_count)),
            None => ends.push(format!("{} made so far", s.made_count)),
        }
        let (label, active) = match s.state.as_str() {
            "active" => ("Repeating", true),
            "cancelled" => ("Stopped", false),
            _ => ("Ended", false),
        };
        let earlier = v.made.len().saturating_sub(MADE_SHOWN);
        let made = v.made[earlier..]
            .iter()
            .map(|(id, at)| Made {
                href: format!("/w/{ws}/posts/{id}"),
                at: format_in_zone(*at, &tz),
            })
            .collect();
        let upcoming = if active {
            v.upcoming_ms
                .iter()
                .map(|at| Coming {
                    at: format_in_zone(*at, &tz),
                    note: rule.as_ref().and_then(|r| moved(r, *at, &s.time_zone, &tz)),
                })
                .collect()
        } else {
            Vec::new()
        };
        SeriesLook {
            words: rule.map(|r| r.in_words()).unwrap_or_else(|| s.rule.clone()),
            zone: s.time_zone,
            ends,
            state: s.state,
            label,
            active,
            made,
            earlier,
            upcoming,
            note: s.last_note,
        }
    }
}

/// Why the occurrence at `at_ms` is not simply at the rule's time that day, in the words
/// the "When" form uses for the same local time.
fn moved(rule: &Recurrence, at_ms: i64, zone: &str, tz: &TimeZone) -> Option<String> {
    let day = jiff::Timestamp::from_millisecond(at_ms)
        .ok()?
        .to_zoned_datetime(tz.clone())
        .date();
    let time = rule.time().strftime("%H:%M").to_string();
    let form = WhenForm {
        date: day.to_string(),
        time: time.clone(),
        time_zone: zone.to_owned(),
        ..WhenForm::default()
    };
    match chosen(&form, zone, false) {
        Ok(_) => None,
        Err(Unclear::Fields(errors)) => errors.get("time"),
        Err(Unclear::Fold(choice)) => Some(format!(
            "{time} happens twice that day; it goes out at the first. {}.",
            choice.earlier
        )),
    }
}

impl RepeatForm {
    /// The form for a post that never repeated: weekly on the day of `today`, at 09:00.
    pub fn fresh(zone: &str, today: Date) -> Self {
        RepeatForm {
            every: "week".into(),
            interval: "1".into(),
            weekdays: vec![short_day(today)],
            time: "09:00".into(),
            start: today.to_string(),
            time_zone: zone.to_owned(),
            until: String::new(),
            count: String::new(),
        }
    }

    /// The rule `series` keeps, as its form.
    fn of_series(series: &crate::storage::recurrences::Series) -> Option<Self> {
        let rule = series.rule.parse::<Recurrence>().ok()?;
        let (every, n) = match rule.every() {
            Every::Days(n) => ("day", n),
            Every::Weeks(n) => ("week", n),
            Every::Months(n) => ("month", n),
        };
        Some(RepeatForm {
            every: every.into(),
            interval: n.to_string(),
            weekdays: rule.weekdays().iter().map(|d| short(*d)).collect(),
            time: rule.time().strftime("%H:%M").to_string(),
            start: rule.start().to_string(),
            time_zone: series.time_zone.clone(),
            until: series.until_date.clone().unwrap_or_default(),
            count: series.max_count.map(|c| c.to_string()).unwrap_or_default(),
        })
    }
}

fn short_day(date: Date) -> String {
    short(date.weekday())
}

/// "mon", as the form's boxes and the service name weekdays.
fn short(day: jiff::civil::Weekday) -> String {
    crate::domain::schedule::day_name(day)[..3].to_ascii_lowercase()
}
