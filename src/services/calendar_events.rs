//! Events and holidays on a workspace's calendar: added by hand, imported from .ics files,
//! listed by range for the calendar page, deleted.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use uuid::Uuid;

use super::{Actor, AppError, AppResult, Services};
use crate::crypto::token::digest;
use crate::domain::ical::{self, ReadError};
use crate::domain::schedule::{self, LocalTimeError};
use crate::domain::validation::{clean_name, clean_text};
use crate::domain::{Permission, Validation};
use crate::storage::calendar_events::{self, CalendarEvent};

const DAY_MS: i64 = 24 * 3_600_000;
pub const MAX_TITLE_CHARS: usize = 200;
pub const MAX_DESCRIPTION_CHARS: usize = 10_000;
/// The longest event: a year (longer is a typo in a date).
const MAX_EVENT_MS: i64 = 366 * DAY_MS;
/// The widest range one listing covers.
const MAX_RANGE_MS: i64 = 800 * DAY_MS;
/// The most events one listing returns.
pub const MAX_LISTED: i64 = 5_000;
/// Recurring events in an imported file are expanded this far ahead.
const EXPAND_AHEAD_MS: i64 = 2 * 365 * DAY_MS;

/// An event as a person typed it. Timed events take RFC 3339 instants or local date-times
/// ("2026-03-29T09:30", read in `time_zone` or the workspace's zone); all-day events take
/// dates ("2026-12-25"), `end` being the last day (inclusive, the first when empty).
#[derive(Clone, Debug, Default)]
pub struct EventInput {
    pub title: String,
    pub description: String,
    pub start: String,
    pub end: String,
    pub all_day: bool,
    pub time_zone: Option<String>,
    /// `event` or `holiday` (empty: `event`).
    pub kind: String,
}

/// The kinds of calendar events.
pub const KINDS: [&str; 2] = ["event", "holiday"];

/// `raw` as a kind (empty is `event`), or a problem on `field`.
fn check_kind(v: &mut Validation, field: &str, raw: &str) -> String {
    let kind = raw.trim().to_lowercase();
    if kind.is_empty() {
        return "event".into();
    }
    if !KINDS.contains(&kind.as_str()) {
        v.add(field, "must be event or holiday");
    }
    kind
}

/// What an .ics import did.
#[derive(Clone, Debug)]
pub struct EventImport {
    pub imported: usize,
    /// Events of an earlier import of the same UIDs, replaced.
    pub replaced: usize,
    /// What was read with a compromise (a recurrence not expanded, a zone unknown...).
    pub notes: Vec<String>,
}

impl Services {
    /// The workspace's events overlapping `[from_ms, to_ms)`, earliest first.
    pub async fn calendar_events(
        &self,
        actor: &Actor,
        ws: Uuid,
        from_ms: i64,
        to_ms: i64,
    ) -> AppResult<Vec<CalendarEvent>> {
        self.workspace(actor, ws).await?;
        let mut v = Validation::new();
        v.check(to_ms > from_ms, "to", "must be after from");
        v.check(
            to_ms.saturating_sub(from_ms) <= MAX_RANGE_MS,
            "to",
            "the range is at most 800 days",
        );
        v.finish()?;
        Ok(calendar_events::in_range(&self.db, ws, from_ms, to_ms, MAX_LISTED).await?)
    }

    /// Adds an event by hand (editors and above).
    pub async fn add_calendar_event(
        &self,
        actor: &Actor,
        ws: Uuid,
        input: EventInput,
    ) -> AppResult<CalendarEvent> {
        let member = self
            .active_workspace_for(actor, ws, Permission::Schedule)
            .await?;
        let mut v = Validation::new();
        let title = clean_name(&mut v, "title", &input.title, MAX_TITLE_CHARS);
        let description = clean_text(
            &mut v,
            "description",
            &input.description,
            MAX_DESCRIPTION_CHARS,
        );
        let kind = check_kind(&mut v, "kind", &input.kind);
        let zone_name = input
            .time_zone
            .as_deref()
            .map(str::trim)
            .filter(|z| !z.is_empty())
            .unwrap_or(&member.workspace.time_zone)
            .to_owned();
        let zone = match schedule::time_zone(&zone_name) {
            Ok(z) => Some(z),
            Err(e) => {
                v.add("time_zone", e.to_string());
                None
            }
        };
        let (mut start, mut end) = (None, None);
        if let Some(zone) = &zone {
            if input.all_day {
                start = day_start(&mut v, "start", &input.start, zone, 0);
                end = if input.end.trim().is_empty() {
                    // One day: the start's, to the next local midnight.
                    start.and_then(|_| day_start(&mut v, "start", &input.start, zone, 1))
                } else {
                    day_start(&mut v, "end", &input.end, zone, 1)
                };
            } else {
                start = instant(&mut v, "start", &input.start, &zone_name);
                end = if input.end.trim().is_empty() {
                    start
                } else {
                    instant(&mut v, "end", &input.end, &zone_name)
                };
            }
        }
        if let (Some(s), Some(e)) = (start, end) {
            if e < s {
                v.add("end", "is before the start");
            } else if e - s > MAX_EVENT_MS {
                v.add("end", "an event lasts at most a year");
            }
        }
        v.finish()?;
        let (Some(starts_at_ms), Some(ends_at_ms)) = (start, end) else {
            return Err(AppError::field("start", "is missing"));
        };
        let now = self.now_ms();
        let event = CalendarEvent {
            id: Uuid::now_v7(),
            workspace_id: ws,
            title,
            description,
            starts_at_ms,
            ends_at_ms,
            all_day: input.all_day,
            source: "manual".into(),
            uid: None,
            created_by: Some(actor.user.id),
            created_at_ms: now,
            updated_at_ms: now,
            kind,
        };
        calendar_events::insert(&self.db, &event).await?;
        Ok(event)
    }

    pub async fn delete_calendar_event(&self, actor: &Actor, ws: Uuid, id: Uuid) -> AppResult<()> {
        self.active_workspace_for(actor, ws, Permission::Schedule)
            .await?;
        if calendar_events::delete(&self.db, ws, id).await? {
            Ok(())
        } else {
            Err(AppError::NotFound)
        }
    }

    /// Imports the events of an .ics file, all or nothing: a file that is not iCalendar,
    /// or has a line Herald cannot read, is refused with the line ("line 12: ..."), and
    /// nothing is stored. Importing a file again replaces the events it gave before (by
    /// UID; events without one are keyed by their title and times).
    pub async fn import_calendar_events(
        &self,
        actor: &Actor,
        ws: Uuid,
        bytes: &[u8],
    ) -> AppResult<EventImport> {
        self.import_calendar_events_as(actor, ws, bytes, "event")
            .await
    }

    /// `import_calendar_events`, every event of the file of `kind` (a file of public
    /// holidays is imported as holidays).
    pub async fn import_calendar_events_as(
        &self,
        actor: &Actor,
        ws: Uuid,
        bytes: &[u8],
        kind: &str,
    ) -> AppResult<EventImport> {
        let mut v = Validation::new();
        let kind = check_kind(&mut v, "kind", kind);
        let member = self
            .active_workspace_for(actor, ws, Permission::Schedule)
            .await?;
        v.finish()?;
        if bytes.is_empty() {
            return Err(AppError::field("file", "is empty: choose an .ics file"));
        }
        let zone = TimeZone::get(&member.workspace.time_zone).unwrap_or(TimeZone::UTC);
        let now = self.now_ms();
        let read = ical::read_calendar(bytes, &zone, now + EXPAND_AHEAD_MS)
            .map_err(|e| AppError::field("file", read_error_message(&e)))?;
        let mut notes = read.notes;
        let mut shortened = false;
        let events: Vec<CalendarEvent> = read
            .events
            .into_iter()
            .map(|e| {
                let title = one_line(&e.summary);
                let mut title_chars = title.chars();
                let mut cut: String = title_chars.by_ref().take(MAX_TITLE_CHARS).collect();
                if title_chars.next().is_some() {
                    shortened = true;
                    cut.push('…');
                }
                let description = e.description.unwrap_or_default();
                let description: String = if description.chars().count() > MAX_DESCRIPTION_CHARS {
                    shortened = true;
                    description.chars().take(MAX_DESCRIPTION_CHARS).collect()
                } else {
                    description
                };
                let uid = e.uid.clone().unwrap_or_else(|| {
                    let key = format!("{}|{}|{}", e.summary, e.start_ms, e.end_ms);
                    format!("herald-{}", &digest(&key)[..24])
                });
                CalendarEvent {
                    id: Uuid::now_v7(),
                    workspace_id: ws,
                    title: if cut.is_empty() {
                        "(untitled)".into()
                    } else {
                        cut
                    },
                    description,
                    starts_at_ms: e.start_ms,
                    ends_at_ms: e.end_ms.max(e.start_ms),
                    all_day: e.all_day,
                    source: "ics".into(),
                    uid: Some(uid),
                    created_by: Some(actor.user.id),
                    created_at_ms: now,
                    updated_at_ms: now,
                    kind: kind.clone(),
                }
            })
            .collect();
        if shortened {
            notes.push(format!(
                "Some titles or descriptions were longer than Herald keeps ({MAX_TITLE_CHARS} and {MAX_DESCRIPTION_CHARS} characters) and were shortened."
            ));
        }
        if events.is_empty() {
            notes.push("The file has no events.".into());
        }
        let replaced = calendar_events::import(&self.db, ws, &events).await?;
        Ok(EventImport {
            imported: events.len(),
            replaced,
            notes,
        })
    }
}

fn read_error_message(e: &ReadError) -> String {
    match e {
        ReadError::NotText => {
            "is not UTF-8 text, so it is not an iCalendar file (save it as UTF-8 .ics)".into()
        }
        other => other.to_string(),
    }
}

/// Titles are one line: line breaks and controls become spaces.
fn one_line(s: &str) -> String {
    s.split(|c: char| c.is_control())
        .filter(|p| !p.trim().is_empty())
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Local midnight of `raw` (a date) plus `days_after` days, in `zone`.
fn day_start(
    v: &mut Validation,
    field: &str,
    raw: &str,
    zone: &TimeZone,
    days_after: i64,
) -> Option<i64> {
    let raw = raw.trim();
    let Ok(date) = raw.parse::<Date>() else {
        v.add(field, format!("{raw:?} is not a date such as 2026-12-25"));
        return None;
    };
    let date = date.checked_add(jiff::Span::new().days(days_after)).ok()?;
    match date.to_zoned_datetime(zone.clone()) {
        Ok(z) => Some(z.timestamp().as_millisecond()),
        Err(_) => {
            v.add(field, format!("{raw:?} is out of range"));
            None
        }
    }
}

/// An RFC 3339 instant, or a local date-time in `zone`.
fn instant(v: &mut Validation, field: &str, raw: &str, zone: &str) -> Option<i64> {
    let raw = raw.trim();
    if raw.is_empty() {
        v.add(field, "give a date and time such as 2026-03-29T09:30");
        return None;
    }
    if raw.len() > 64 {
        v.add(field, "is not a date and time");
        return None;
    }
    if let Ok(ms) = schedule::parse_instant(raw) {
        return Some(ms);
    }
    match schedule::resolve_local(raw, zone, Some(schedule::Disambiguation::Earlier)) {
        Ok(ms) => Some(ms),
        Err(LocalTimeError::Skipped(s)) => Some(s.next_valid_ms),
        Err(e) => {
            v.add(field, e.to_string());
            None
        }
    }
}
