//! `/w/{ws}/calendar`: the content calendar. A month, a week or a list of days, in the
//! workspace's zone, with filters in the query string (so every view is a link), each
//! variant an item coloured per channel and named by its handle, and the period's content
//! mix. Items move to another day by drag and drop (`assets/calendar.js`) or with their
//! "Move" form (`calendar_move.rs`); both post to the same endpoint.

use std::collections::{BTreeMap, HashMap};

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use uuid::Uuid;

use super::composer::view::state_label;
use super::networks;
use crate::domain::Permission;
use crate::domain::text::Network;
use crate::services::calendar::{Calendar, Filter};
use crate::services::{Actor, AppError};
use crate::storage::calendar::CalendarRow;
use crate::storage::workspaces::MemberWorkspace;
use crate::web::AppState;
use crate::web::api::calendar as api;
use crate::web::auth::SessionUser;
use crate::web::ui::UiError;
use crate::web::ui::forms::UiPath;
use crate::web::ui::render::{Htmx, Toast, ok, page};
use crate::web::ui::shell::Shell;

/// The most posts one day of the month grid shows; the rest are counted, with a link to
/// that day's week. A day with 180 posts is unreadable in a grid cell anyway, and drawing
/// every one made a 5,000-post month a 4.7 MB page.
const MONTH_DAY_ITEMS: usize = 8;

/// How many colours channels take turns with (`.cal-c0` ... in `calendar.css`).
const PALETTE: u32 = 12;

#[derive(Template)]
#[template(path = "calendar.html", blocks = ["main", "topbar"])]
pub struct CalendarPage {
    pub(super) shell: Shell,
    pub(super) cal: CalendarView,
}

page!(CalendarPage);

/// Which layout.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum View {
    Month,
    Week,
    List,
}

impl View {
    fn parse(s: Option<&str>) -> View {
        match s {
            Some("week") => View::Week,
            Some("list") => View::List,
            _ => View::Month,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            View::Month => "month",
            View::Week => "week",
            View::List => "list",
        }
    }
}

pub struct CalendarView {
    pub ws: Uuid,
    pub csrf: String,
    pub view: View,
    /// "March 2026", "Week of 2 March 2026".
    pub title: String,
    pub zone: String,
    /// The chosen day, `2026-03-04`.
    pub date: String,
    pub prev_href: String,
    pub next_href: String,
    pub today_href: String,
    pub view_links: Vec<(&'static str, &'static str, String)>,
    /// The query string of this view (filters, view and date), for forms to come back to.
    pub query: String,
    pub filters: Filters,
    pub channels: Vec<Opt>,
    pub networks: Vec<Opt>,
    pub tags: Vec<Opt>,
    pub states: Vec<Opt>,
    pub members: Vec<Opt>,
    /// Month view: weeks of seven days (days outside the month are `outside`).
    pub weeks: Vec<Vec<Day>>,
    /// Week view: seven days; list view: the days that have items.
    pub days: Vec<Day>,
    pub count: usize,
    pub truncated: bool,
    pub mix: Mix,
    pub can_move: bool,
    pub csv_href: String,
    pub json_href: String,
    /// The period's events and holidays (also on their days).
    pub events: Vec<super::calendar_events::EventRow>,
    /// The "Add an event" form's input (kept when it was refused).
    pub event_draft: super::calendar_events::EventDraft,
    /// What the CSV upload just did, if one did.
    pub csv: Option<super::calendar_import::CsvOutcome>,
}

#[derive(Default)]
pub struct Filters {
    pub channel_id: String,
    pub network: String,
    pub tag_id: String,
    pub state: String,
    pub assignee_id: String,
}

impl Filters {
    pub fn any(&self) -> bool {
        !(self.channel_id.is_empty()
            && self.network.is_empty()
            && self.tag_id.is_empty()
            && self.state.is_empty()
            && self.assignee_id.is_empty())
    }
}

pub struct Opt {
    pub value: String,
    pub label: String,
}

pub struct Mix {
    pub posts: usize,
    pub promotional: usize,
    pub percent: i64,
    pub target: i64,
    pub over: bool,
}

pub struct Day {
    pub date: String,
    /// `4`
    pub number: i8,
    /// `Wednesday 4 March 2026`
    pub long: String,
    /// `Wed`
    pub weekday: &'static str,
    pub outside: bool,
    pub today: bool,
    pub past: bool,
    pub items: Vec<Item>,
    pub events: Vec<super::calendar_events::DayEvent>,
    /// Month view: posts of the day not drawn, and the day's week, which shows them all.
    pub more: usize,
    pub more_href: String,
}

pub struct Item {
    pub variant_id: Uuid,
    pub href: String,
    pub move_href: String,
    /// Where a move posts (drag and drop and the "Move" form alike).
    pub move_action: String,
    /// `09:30`
    pub time: String,
    pub handle: String,
    pub network: &'static str,
    pub network_label: &'static str,
    pub letter: &'static str,
    /// `cal-c3`
    pub color: String,
    pub text: String,
    pub state: &'static str,
    pub state_label: String,
    pub error: Option<String>,
    pub remote_url: Option<String>,
    pub movable: bool,
    pub promotional: bool,
}

impl Item {
    pub fn failed(&self) -> bool {
        matches!(self.state, "failed" | "outcome_unknown")
    }

    pub fn in_review(&self) -> bool {
        matches!(self.state, "in_review" | "changes_requested")
    }
}

/// A stable colour class for a channel: the same id always gets the same colour.
pub fn color_class(id: Uuid) -> String {
    // FNV-1a over the id's bytes: stable across versions and platforms.
    let mut h: u32 = 0x811c_9dc5;
    for b in id.as_bytes() {
        h ^= u32::from(*b);
        h = h.wrapping_mul(0x0100_0193);
    }
    format!("cal-c{}", h % PALETTE)
}

const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

fn weekday_index(d: Date) -> usize {
    (d.weekday().to_monday_zero_offset()) as usize
}

fn monday_of(d: Date) -> Date {
    d.checked_sub(jiff::Span::new().days(weekday_index(d) as i64))
        .unwrap_or(d)
}

fn add_days(d: Date, n: i64) -> Date {
    d.checked_add(jiff::Span::new().days(n)).unwrap_or(d)
}

fn add_months(d: Date, n: i64) -> Date {
    d.checked_add(jiff::Span::new().months(n)).unwrap_or(d)
}

fn start_ms(d: Date, tz: &TimeZone) -> Result<i64, AppError> {
    d.to_zoned_datetime(tz.clone())
        .map(|z| z.timestamp().as_millisecond())
        .map_err(|_| AppError::field("date", "is outside the calendar"))
}

/// The day and time of `ms` in `tz`.
pub fn local_parts(ms: i64, tz: &TimeZone) -> Option<(Date, String)> {
    let z = jiff::Timestamp::from_millisecond(ms)
        .ok()?
        .to_zoned_datetime(tz.clone());
    Some((z.date(), z.strftime("%H:%M").to_string()))
}

/// A query string from pairs, empty values left out.
pub fn query_string(pairs: &[(&str, &str)]) -> String {
    let mut s = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        if !v.is_empty() {
            s.append_pair(k, v);
        }
    }
    s.finish()
}

fn item(r: &CalendarRow, ws: Uuid, tz: &TimeZone, back: &str, can_move: bool) -> Item {
    let network = Network::parse(&r.network);
    let state = crate::domain::post::VariantState::parse(&r.state)
        .map(|s| s.as_str())
        .unwrap_or("draft");
    let time = local_parts(r.scheduled_at_ms, tz)
        .map(|(_, t)| t)
        .unwrap_or_default();
    let missed = r.error_kind.as_deref() == Some("missed");
    let label = match (state, missed) {
        ("failed", true) => "Missed".to_owned(),
        ("publishing", _) if r.retry_at_ms.is_some() => "Retrying".to_owned(),
        _ => state_label(state),
    };
    Item {
        variant_id: r.variant_id,
        href: format!("/w/{ws}/posts/{}", r.post_id),
        move_href: format!(
            "/w/{ws}/calendar/move/{}?{}",
            r.post_id,
            query_string(&[("variant", &r.variant_id.to_string()), ("back", back)])
        ),
        move_action: format!("/w/{ws}/calendar/move/{}", r.post_id),
        time,
        handle: r.handle.clone(),
        network: network.map(|n| n.as_str()).unwrap_or(""),
        network_label: network.map(networks::label).unwrap_or(""),
        letter: network.map(networks::letter).unwrap_or("?"),
        color: color_class(r.channel_id),
        text: r.text(90),
        state,
        state_label: label,
        error: r.error.clone().filter(|e| !e.is_empty()),
        remote_url: r
            .remote_url
            .clone()
            .filter(|u| u.starts_with("https://") || u.starts_with("http://")),
        movable: can_move
            && matches!(
                state,
                "draft" | "approved" | "scheduled" | "failed" | "cancelled"
            ),
        promotional: r.promo_score >= i64::from(crate::domain::promo::PROMOTIONAL_FROM),
    }
}

/// The calendar page for `q` (the query string as pairs).
pub(super) async fn build(
    state: &AppState,
    actor: &Actor,
    ws: &MemberWorkspace,
    q: &HashMap<String, String>,
) -> Result<CalendarView, UiError> {
    let id = ws.workspace.id;
    let zone = ws.workspace.time_zone.clone();
    let tz = TimeZone::get(&zone).unwrap_or(TimeZone::UTC);
    let now = state.services.now_ms();
    let today = local_parts(now, &tz).map(|(d, _)| d).unwrap_or_default();
    let view = View::parse(q.get("view").map(String::as_str));
    let date = match q.get("date").map(|s| s.trim()).filter(|s| !s.is_empty()) {
        None => today,
        Some(raw) => raw
            .parse::<Date>()
            .map_err(|_| AppError::field("date", "is not a date; write it as 2026-03-04"))?,
    };
    let filter: Filter = api::filter(q)?;
    let (first, end) = match view {
        View::Week => {
            let m = monday_of(date);
            (m, add_days(m, 7))
        }
        View::Month | View::List => {
            let f = date.first_of_month();
            (f, add_months(f, 1))
        }
    };
    let (from_ms, to_ms) = (start_ms(first, &tz)?, start_ms(end, &tz)?);
    let calendar: Calendar = state
        .services
        .calendar(actor, id, from_ms, to_ms, &filter)
        .await?;
    let can_move = ws.role.allows(Permission::Schedule) && ws.workspace.archived_at_ms.is_none();
    let events = state
        .services
        .calendar_events(actor, id, from_ms, to_ms)
        .await?;
    let (mut events_by_day, events) = super::calendar_events::place(id, &events, &tz, first, end);

    let filters = Filters {
        channel_id: filter.channel_id.map(|c| c.to_string()).unwrap_or_default(),
        network: filter.network.clone().unwrap_or_default(),
        tag_id: filter.tag_id.map(|c| c.to_string()).unwrap_or_default(),
        state: filter.state.clone().unwrap_or_default(),
        assignee_id: filter
            .assignee_id
            .map(|c| c.to_string())
            .unwrap_or_default(),
    };
    let date_s = date.to_string();
    let link = |view: &str, date: &str| {
        let qs = query_string(&[
            ("view", view),
            ("date", date),
            ("channel_id", &filters.channel_id),
            ("network", &filters.network),
            ("tag_id", &filters.tag_id),
            ("state", &filters.state),
            ("assignee_id", &filters.assignee_id),
        ]);
        format!("/w/{id}/calendar?{qs}")
    };
    let (prev, next) = match view {
        View::Week => (add_days(date, -7), add_days(date, 7)),
        _ => (
            add_months(date.first_of_month(), -1),
            add_months(date.first_of_month(), 1),
        ),
    };
    let query = link(view.as_str(), &date_s)
        .split_once('?')
        .map(|(_, q)| q.to_owned())
        .unwrap_or_default();
    let export_qs = format!(
        "{}&{}",
        query_string(&[
            ("from", &crate::domain::clock::rfc3339(from_ms)),
            ("to", &crate::domain::clock::rfc3339(to_ms)),
        ]),
        query_string(&[
            ("channel_id", &filters.channel_id),
            ("network", &filters.network),
            ("tag_id", &filters.tag_id),
            ("state", &filters.state),
            ("assignee_id", &filters.assignee_id),
        ])
    );
    let export_qs = export_qs.trim_end_matches('&').to_owned();

    // Items by day, in the workspace's zone; past the month grid's cap only counted.
    let cap = if view == View::Month {
        MONTH_DAY_ITEMS
    } else {
        usize::MAX
    };
    let mut by_day: BTreeMap<Date, Vec<Item>> = BTreeMap::new();
    let mut more_by_day: HashMap<Date, usize> = HashMap::new();
    for r in &calendar.items {
        if let Some((d, _)) = local_parts(r.scheduled_at_ms, &tz) {
            let items = by_day.entry(d).or_default();
            if items.len() < cap {
                items.push(item(r, id, &tz, &query, can_move));
            } else {
                *more_by_day.entry(d).or_default() += 1;
            }
        }
    }
    // The list view's days: those with posts or events.
    let mut list_dates: Vec<Date> = by_day.keys().copied().collect();
    list_dates.extend(events_by_day.keys().copied());
    list_dates.sort_unstable();
    list_dates.dedup();
    let mut day = |by_day: &mut BTreeMap<Date, Vec<Item>>, d: Date, outside: bool| Day {
        date: d.to_string(),
        number: d.day(),
        long: d.strftime("%A %-d %B %Y").to_string(),
        weekday: WEEKDAYS[weekday_index(d)],
        outside,
        today: d == today,
        past: d < today,
        items: if outside {
            Vec::new()
        } else {
            by_day.remove(&d).unwrap_or_default()
        },
        events: if outside {
            Vec::new()
        } else {
            events_by_day.remove(&d).unwrap_or_default()
        },
        more: more_by_day.get(&d).copied().unwrap_or(0),
        more_href: link("week", &d.to_string()),
    };
    let (mut weeks, mut days) = (Vec::new(), Vec::new());
    let title;
    match view {
        View::Month => {
            title = first.strftime("%B %Y").to_string();
            let mut d = monday_of(first);
            while d < end {
                let week: Vec<Day> = (0..7)
                    .map(|i| {
                        let x = add_days(d, i);
                        day(&mut by_day, x, x < first || x >= end)
                    })
                    .collect();
                weeks.push(week);
                d = add_days(d, 7);
            }
        }
        View::Week => {
            title = format!("Week of {}", first.strftime("%-d %B %Y"));
            days = (0..7)
                .map(|i| day(&mut by_day, add_days(first, i), false))
                .collect();
        }
        View::List => {
            title = first.strftime("%B %Y").to_string();
            days = list_dates
                .into_iter()
                .map(|d| day(&mut by_day, d, false))
                .collect();
        }
    }

    let channels = state.services.list_channels(actor, id).await?;
    let tags = state.services.list_tags(actor, id).await?;
    let members = state.services.list_members(actor, id).await?;
    let mut networks_seen: Vec<Network> = Vec::new();
    for c in &channels {
        if !networks_seen.contains(&c.network) {
            networks_seen.push(c.network);
        }
    }
    Ok(CalendarView {
        ws: id,
        csrf: actor.csrf_token.clone().unwrap_or_default(),
        view,
        title,
        zone,
        date: date_s,
        prev_href: link(view.as_str(), &prev.to_string()),
        next_href: link(view.as_str(), &next.to_string()),
        today_href: link(view.as_str(), &today.to_string()),
        view_links: [
            (View::Month, "Month"),
            (View::Week, "Week"),
            (View::List, "List"),
        ]
        .into_iter()
        .map(|(v, label)| (v.as_str(), label, link(v.as_str(), &date.to_string())))
        .collect(),
        query,
        filters,
        channels: channels
            .iter()
            .map(|c| Opt {
                value: c.id.to_string(),
                label: format!("{} ({})", c.handle, networks::label(c.network)),
            })
            .collect(),
        networks: networks::ORDER
            .into_iter()
            .filter(|n| networks_seen.contains(n))
            .map(|n| Opt {
                value: n.as_str().to_owned(),
                label: networks::label(n).to_owned(),
            })
            .collect(),
        tags: tags
            .iter()
            .map(|t| Opt {
                value: t.id.to_string(),
                label: if t.kind == "campaign" {
                    format!("Campaign: {}", t.name)
                } else {
                    format!("#{}", t.name)
                },
            })
            .collect(),
        states: crate::domain::post::VariantState::ALL
            .into_iter()
            .map(|s| Opt {
                value: s.as_str().to_owned(),
                label: state_label(s.as_str()),
            })
            .collect(),
        members: members
            .iter()
            .map(|m| Opt {
                value: m.user_id.to_string(),
                label: if m.display_name.is_empty() {
                    m.email.clone()
                } else {
                    m.display_name.clone()
                },
            })
            .collect(),
        weeks,
        days,
        count: calendar.items.len(),
        truncated: calendar.truncated,
        mix: Mix {
            posts: calendar.mix.posts,
            promotional: calendar.mix.promotional,
            percent: calendar.mix.percent,
            target: calendar.mix.target_percent,
            over: calendar.mix.over_target(),
        },
        can_move,
        csv_href: format!("/w/{id}/calendar.csv?{export_qs}"),
        json_href: format!("/w/{id}/calendar.json?{export_qs}"),
        events,
        event_draft: super::calendar_events::EventDraft {
            start: date.to_string(),
            ..Default::default()
        },
        csv: None,
    })
}

impl CalendarView {
    pub fn is_view(&self, v: &str) -> bool {
        self.view.as_str() == v
    }

    pub fn selected(&self, which: &str, value: &str) -> bool {
        let f = &self.filters;
        let current = match which {
            "channel_id" => &f.channel_id,
            "network" => &f.network,
            "tag_id" => &f.tag_id,
            "state" => &f.state,
            "assignee_id" => &f.assignee_id,
            _ => return false,
        };
        current == value
    }

    pub fn weekdays(&self) -> [&'static str; 7] {
        WEEKDAYS
    }
}

pub async fn show(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath(id): UiPath<Uuid>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, UiError> {
    let ws = state.services.workspace(&actor, id).await?;
    let cal = build(&state, &actor, &ws, &q).await?;
    let shell = Shell::in_workspace(&state, &actor, &ws, "Calendar", "calendar").await?;
    ok(htmx, CalendarPage { shell, cal })
}

/// The page with a toast, after a move (or a refused one).
pub(super) async fn with_toast(
    state: &AppState,
    actor: &Actor,
    ws: &MemberWorkspace,
    htmx: Htmx,
    q: &HashMap<String, String>,
    toast: Toast,
) -> Result<Response, UiError> {
    let cal = build(state, actor, ws, q).await?;
    let mut shell = Shell::in_workspace(state, actor, ws, "Calendar", "calendar").await?;
    shell.toasts.push(toast);
    ok(htmx, CalendarPage { shell, cal })
}

/// Reads the range the export links carry.
async fn export(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    q: &HashMap<String, String>,
) -> Result<Calendar, AppError> {
    state.services.workspace(actor, id).await?;
    let field = |name: &str| -> Result<i64, AppError> {
        let raw = q.get(name).map(|s| s.trim()).unwrap_or("");
        crate::domain::schedule::parse_instant(raw)
            .map_err(|e| AppError::field(name, e.to_string()))
    };
    let (from, to) = (field("from")?, field("to")?);
    let filter = api::filter(q)?;
    state.services.calendar(actor, id, from, to, &filter).await
}

pub async fn csv(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    UiPath(id): UiPath<Uuid>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, UiError> {
    let calendar = export(&state, &actor, id, &q).await?;
    Ok(api::csv_file(&calendar)?)
}

pub async fn json(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    UiPath(id): UiPath<Uuid>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, UiError> {
    let calendar = export(&state, &actor, id, &q).await?;
    Ok(api::json_file(&calendar)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channel_colours_are_stable() {
        let id: Uuid = "0192f5a0-0000-7000-8000-000000000001".parse().unwrap();
        assert_eq!(color_class(id), color_class(id));
        assert!(color_class(id).starts_with("cal-c"));
        let d: Date = "2026-03-04".parse().unwrap();
        assert_eq!(monday_of(d).to_string(), "2026-03-02");
        assert_eq!(weekday_index(d), 2);
    }
}
