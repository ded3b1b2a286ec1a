//! Writing a calendar feed.
//!
//! Times are written in UTC (`DTSTART:20260329T013000Z`) with the workspace's zone named in
//! X-WR-TIMEZONE, rather than with TZID and generated VTIMEZONE components. A post is
//! published at one instant, not at a wall-clock time that follows the zone's rules, and
//! the feed has no recurrences, so UTC says exactly what will happen; every calendar app
//! shows UTC times in its own zone; and a VTIMEZONE built from the zone's transitions is
//! one more thing for each app to interpret differently. All-day events use DATE values,
//! which need no zone.

use super::lines::{escape_text, push_folded, strip_controls};
use super::values::{basic_date, duration, utc_stamp};
use super::{Calendar, End, Event, When};

const PRODID: &str = "-//Herald//Herald calendar feed//EN";

/// The calendar as an RFC 5545 document: CRLF line endings, lines folded at 75 octets.
pub fn write_calendar(cal: &Calendar) -> String {
    let mut out = String::with_capacity(512 + cal.events.len() * 400);
    let mut line = |s: &str| push_folded(&mut out, s);
    line("BEGIN:VCALENDAR");
    line(&format!("PRODID:{PRODID}"));
    line("VERSION:2.0");
    line("CALSCALE:GREGORIAN");
    line("METHOD:PUBLISH");
    line(&format!("X-WR-CALNAME:{}", escape_text(&cal.name)));
    if let Some(zone) = &cal.zone {
        line(&format!("X-WR-TIMEZONE:{}", strip_controls(zone)));
    }
    for event in &cal.events {
        write_event(&mut line, event);
    }
    line("END:VCALENDAR");
    out
}

fn write_event(line: &mut impl FnMut(&str), e: &Event) {
    line("BEGIN:VEVENT");
    line(&format!("UID:{}", escape_text(&e.uid)));
    line(&format!("DTSTAMP:{}", utc_stamp(e.stamp_ms)));
    match e.when {
        When::Timed { start_ms, end } => {
            line(&format!("DTSTART:{}", utc_stamp(start_ms)));
            match end {
                End::At(end_ms) => {
                    line(&format!("DTEND:{}", utc_stamp(end_ms.max(start_ms))));
                }
                End::Duration(ms) => line(&format!("DURATION:{}", duration(ms))),
            }
        }
        When::AllDay { first, days } => {
            line(&format!("DTSTART;VALUE=DATE:{}", basic_date(first)));
            // DTEND is exclusive: the day after the last one.
            let days = i64::from(days.max(1));
            let end = first
                .checked_add(jiff::SignedDuration::from_hours(24 * days))
                .unwrap_or(first);
            if end > first {
                line(&format!("DTEND;VALUE=DATE:{}", basic_date(end)));
            }
        }
    }
    line(&format!("SUMMARY:{}", escape_text(&e.summary)));
    if let Some(d) = &e.description {
        line(&format!("DESCRIPTION:{}", escape_text(d)));
    }
    if let Some(url) = &e.url {
        line(&format!("URL:{}", strip_controls(url)));
    }
    if let Some(status) = e.status {
        line(&format!("STATUS:{}", status.as_ical()));
    }
    if !e.categories.is_empty() {
        let cats: Vec<String> = e.categories.iter().map(|c| escape_text(c)).collect();
        line(&format!("CATEGORIES:{}", cats.join(",")));
    }
    line(&format!("SEQUENCE:{}", e.sequence));
    if let Some(at) = e.last_modified_ms {
        line(&format!("LAST-MODIFIED:{}", utc_stamp(at)));
    }
    line("END:VEVENT");
}
