//! Reading an .ics file a person uploads (events, holidays) into plain events.
//!
//! Strict about the shape (anything that is not iCalendar is refused with the line that
//! shows it), lenient where real files differ from RFC 5545 (LF line endings, blank lines,
//! unknown properties and components, which are skipped).
//!
//! Times: `Z` values are UTC; values with a TZID are read in that IANA zone; floating
//! values and all-day DATE values are read in the zone the import is for (the
//! workspace's), all-day events starting at local midnight. A local time skipped by a
//! daylight-saving jump is read with the offset before the jump and a repeated one as its
//! first occurrence, as RFC 5545 §3.3.5 says.

use jiff::tz::TimeZone;

use super::recur::{Expansion, Override};
use super::structure::components;
use super::values::{Stamp, parse_duration, parse_stamp};

/// Larger uploads are refused before any parsing.
pub const MAX_INPUT_BYTES: usize = 5 * 1024 * 1024;
/// The most VEVENT components one file may have.
pub const MAX_EVENTS: usize = 10_000;

/// One event as imported. All-day events run from local midnight to local midnight.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportedEvent {
    /// `None` when the file gave none (RFC 5545 requires one, some exporters forget).
    pub uid: Option<String>,
    pub summary: String,
    pub description: Option<String>,
    pub start_ms: i64,
    pub end_ms: i64,
    pub all_day: bool,
}

/// What a file gave: its events, earliest first, and notes on anything read with a
/// compromise (a recurrence not expanded, a zone not known), to show the person.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Import {
    pub events: Vec<ImportedEvent>,
    pub notes: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error("the file is larger than {max} bytes")]
    TooLarge { max: usize },
    #[error("the file is not UTF-8 text, so it is not an iCalendar file")]
    NotText,
    #[error("this is not an iCalendar file: it does not start with BEGIN:VCALENDAR")]
    NotICalendar,
    #[error("line {line}: {text:?} is not an iCalendar line (NAME;PARAM=value:VALUE)")]
    BadLine { line: usize, text: String },
    #[error("line {line}: END:{found} does not close {open}")]
    Unbalanced {
        line: usize,
        open: String,
        found: String,
    },
    #[error("line {line}: {name} is outside BEGIN:VCALENDAR and END:VCALENDAR")]
    Outside { line: usize, name: String },
    #[error("the file ends inside {0}: END:{0} is missing")]
    Unclosed(String),
    #[error("line {line}: {property} {value:?} is not a valid {expected}")]
    BadValue {
        line: usize,
        property: String,
        value: String,
        expected: &'static str,
    },
    #[error("line {line}: the event has no DTSTART")]
    MissingStart { line: usize },
    #[error("line {line}: the event ends before it starts")]
    EndBeforeStart { line: usize },
    #[error("the file has more than {max} events")]
    TooManyEvents { max: usize },
}

/// One property of a VEVENT, kept until the whole event is read.
#[derive(Clone, Debug, Default)]
pub(super) struct Prop {
    pub line: usize,
    pub tzid: Option<String>,
    pub value_type: Option<String>,
    pub value: String,
}

/// The properties Herald reads from one VEVENT.
#[derive(Clone, Debug, Default)]
pub(super) struct RawEvent {
    pub line: usize,
    pub uid: Option<String>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub start: Option<Prop>,
    pub end: Option<Prop>,
    pub duration: Option<Prop>,
    pub rrule: Option<Prop>,
    pub exdates: Vec<Prop>,
    pub recurrence_id: Option<Prop>,
}

/// Reads the events of an .ics file. `zone` reads floating and all-day times;
/// recurring events are expanded up to `expand_until_ms` (see `recur`).
pub fn read_calendar(
    bytes: &[u8],
    zone: &TimeZone,
    expand_until_ms: i64,
) -> Result<Import, ReadError> {
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(ReadError::TooLarge {
            max: MAX_INPUT_BYTES,
        });
    }
    let text = std::str::from_utf8(bytes).map_err(|_| ReadError::NotText)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let raw = components(text)?;
    let mut import = Import::default();
    let mut reader = Reader {
        zone,
        notes: &mut import.notes,
    };
    let mut overrides = Vec::new();
    for ev in raw.iter().filter(|e| e.recurrence_id.is_some()) {
        if let (Some(uid), Some(rid)) = (&ev.uid, &ev.recurrence_id) {
            let at = reader.instant(rid, "RECURRENCE-ID")?.0;
            overrides.push(Override {
                uid: uid.clone(),
                start_ms: at,
            });
        }
    }
    for ev in &raw {
        let first = reader.event(ev)?;
        let mut exp = Expansion {
            reader: &mut reader,
            overrides: &overrides,
            until_ms: expand_until_ms,
            room: MAX_EVENTS.saturating_sub(import.events.len()),
        };
        let more = exp.expand(ev, &first)?;
        // A RECURRENCE-ID event may replace the first occurrence itself.
        let replaced = ev.recurrence_id.is_none()
            && overrides
                .iter()
                .any(|o| Some(&o.uid) == first.uid.as_ref() && o.start_ms == first.start_ms);
        if !replaced {
            import.events.push(first);
        }
        import.events.extend(more);
    }
    import.events.sort_by_key(|e| e.start_ms);
    import.notes.dedup();
    Ok(import)
}

/// Turns properties into instants in the right zone, noting compromises.
pub(super) struct Reader<'a> {
    pub zone: &'a TimeZone,
    pub notes: &'a mut Vec<String>,
}

impl Reader<'_> {
    /// The first (or only) occurrence of an event.
    fn event(&mut self, ev: &RawEvent) -> Result<ImportedEvent, ReadError> {
        let start = ev
            .start
            .as_ref()
            .ok_or(ReadError::MissingStart { line: ev.line })?;
        let (start_ms, all_day) = self.instant(start, "DTSTART")?;
        let end_ms = match (&ev.end, &ev.duration) {
            (Some(end), _) => self.instant(end, "DTEND")?.0,
            (None, Some(d)) => {
                let secs =
                    parse_duration(&d.value).ok_or_else(|| bad(d, "DURATION", "duration"))?;
                self.shifted(start, secs)
                    .ok_or_else(|| bad(d, "DURATION", "duration"))?
            }
            // RFC 5545 §3.6.1: a DATE start alone lasts the day, a DATE-TIME start no time.
            (None, None) if all_day => self.shifted(start, 86_400).unwrap_or(start_ms),
            (None, None) => start_ms,
        };
        if end_ms < start_ms {
            return Err(ReadError::EndBeforeStart { line: ev.line });
        }
        Ok(ImportedEvent {
            uid: ev.uid.clone(),
            summary: ev.summary.clone().unwrap_or_default(),
            description: ev.description.clone(),
            start_ms,
            end_ms,
            all_day,
        })
    }

    /// A DATE or DATE-TIME property as an instant, and whether it was a DATE.
    pub(super) fn instant(&mut self, p: &Prop, name: &str) -> Result<(i64, bool), ReadError> {
        let stamp = self.stamp(p, name)?;
        let tz = self.zone_of(p);
        let ms =
            super::recur::stamp_ms(stamp, &tz).ok_or_else(|| bad(p, name, "date or date-time"))?;
        Ok((ms, matches!(stamp, Stamp::Date(_))))
    }

    pub(super) fn stamp(&self, p: &Prop, name: &str) -> Result<Stamp, ReadError> {
        let stamp = parse_stamp(&p.value).ok_or_else(|| bad(p, name, "date or date-time"))?;
        match (p.value_type.as_deref(), stamp) {
            (Some("DATE"), Stamp::DateTime { .. }) => Err(bad(p, name, "date")),
            (Some("DATE-TIME"), Stamp::Date(_)) => Err(bad(p, name, "date-time")),
            _ => Ok(stamp),
        }
    }

    /// The zone a property's local time is in: its TZID if jiff knows it (also as the
    /// end of a longer path such as "/mozilla.org/20050126_1/Europe/Paris"), otherwise
    /// the import's zone, with a note.
    pub(super) fn zone_of(&mut self, p: &Prop) -> TimeZone {
        let Some(tzid) = &p.tzid else {
            return self.zone.clone();
        };
        let parts: Vec<&str> = tzid.split('/').collect();
        for i in 0..parts.len() {
            if let Ok(tz) = TimeZone::get(&parts[i..].join("/")) {
                return tz;
            }
        }
        let name = self.zone.iana_name().unwrap_or("the workspace's time zone");
        self.notes.push(format!(
            "the time zone {tzid:?} is not an IANA name; its times were read in {name}"
        ));
        self.zone.clone()
    }

    /// `secs` after a start: whole days move the calendar date (all-day and local times
    /// keep their wall clock), anything else is exact.
    fn shifted(&mut self, start: &Prop, secs: i64) -> Option<i64> {
        let stamp = parse_stamp(&start.value)?;
        let tz = self.zone_of(start);
        super::recur::shift(stamp, &tz, secs)
    }
}

pub(super) fn bad(p: &Prop, property: &str, expected: &'static str) -> ReadError {
    ReadError::BadValue {
        line: p.line,
        property: property.to_owned(),
        value: p.value.chars().take(80).collect(),
        expected,
    }
}
