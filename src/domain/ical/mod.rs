//! iCalendar (RFC 5545): the calendar feed Herald writes and the .ics files people import.
//!
//! Plain structs in, `String` out for the writer; bytes in, imported events out for the
//! reader. Instants are epoch milliseconds like everywhere in Herald.

mod lines;
mod read;
mod recur;
mod structure;
mod values;
mod write;

use jiff::civil::Date;

pub use lines::{escape_text, unescape_text};
pub use read::{Import, ImportedEvent, MAX_EVENTS, MAX_INPUT_BYTES, ReadError, read_calendar};
pub use write::write_calendar;

/// A calendar to publish as a feed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Calendar {
    /// Shown by calendar apps as the calendar's name (X-WR-CALNAME).
    pub name: String,
    /// The IANA zone people chose for the workspace (X-WR-TIMEZONE); times are written in
    /// UTC either way (see `write`).
    pub zone: Option<String>,
    pub events: Vec<Event>,
}

/// One event of the feed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// Stable across feed refreshes (e.g. the post variant's id and a domain), so calendar
    /// apps update events rather than duplicate them.
    pub uid: String,
    /// When this version of the event was made (DTSTAMP): usually the feed's "now".
    pub stamp_ms: i64,
    pub when: When,
    pub summary: String,
    pub description: Option<String>,
    pub url: Option<String>,
    pub status: Option<EventStatus>,
    pub categories: Vec<String>,
    /// Raised whenever the event's time changes, so apps take the newer one.
    pub sequence: u32,
    pub last_modified_ms: Option<i64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum When {
    /// A moment (a post's publishing time) with its end.
    Timed { start_ms: i64, end: End },
    /// Whole days (holidays, campaigns): `days` from `first`, at least one.
    AllDay { first: Date, days: u32 },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum End {
    /// DTEND, an instant.
    At(i64),
    /// DURATION, in milliseconds (written to the second).
    Duration(i64),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventStatus {
    Tentative,
    Confirmed,
    Cancelled,
}

impl EventStatus {
    fn as_ical(self) -> &'static str {
        match self {
            EventStatus::Tentative => "TENTATIVE",
            EventStatus::Confirmed => "CONFIRMED",
            EventStatus::Cancelled => "CANCELLED",
        }
    }
}

#[cfg(test)]
mod tests;
