//! A channel's weekly posting slots, as a person wrote them ("mon 09:00").
//!
//! Slots are wall-clock times in the channel's zone, kept as text, so "Mondays at 09:00"
//! stays 09:00 across daylight-saving changes; instants are worked out per week
//! (see `occurrences`).

use std::fmt;
use std::str::FromStr;

use jiff::civil::{Time, Weekday};

use crate::domain::{FieldError, Validation};

/// The most slots one channel may have (a slot every two hours, every day, is 84).
pub const MAX_SLOTS: usize = 100;

/// One weekly slot: a weekday and a local time to the minute.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Slot {
    pub weekday: Weekday,
    pub time: Time,
}

/// Why one slot's text was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SlotError {
    #[error("{0:?} is not a slot; write a weekday and a time, such as \"mon 09:00\"")]
    Shape(String),
    #[error("{0:?} is not a weekday; use mon, tue, wed, thu, fri, sat or sun")]
    Weekday(String),
    #[error("{0:?} is not a time of day; use 24-hour HH:MM, such as 09:00 or 17:30")]
    Time(String),
}

impl Slot {
    pub fn new(weekday: Weekday, hour: i8, minute: i8) -> Option<Slot> {
        Time::new(hour, minute, 0, 0)
            .ok()
            .map(|time| Slot { weekday, time })
    }

    /// Monday first, then by time: the order people read a week in.
    fn sort_key(&self) -> (i8, Time) {
        (self.weekday.to_monday_zero_offset(), self.time)
    }
}

impl FromStr for Slot {
    type Err = SlotError;

    /// "mon 09:00", "Monday 9:00", "MON 17:30".
    fn from_str(raw: &str) -> Result<Slot, SlotError> {
        let raw = raw.trim();
        let mut words = raw.split_whitespace();
        let (Some(day), Some(time), None) = (words.next(), words.next(), words.next()) else {
            return Err(SlotError::Shape(raw.to_owned()));
        };
        let weekday = parse_weekday(day).ok_or_else(|| SlotError::Weekday(day.to_owned()))?;
        let time = parse_hh_mm(time).ok_or_else(|| SlotError::Time(time.to_owned()))?;
        Ok(Slot { weekday, time })
    }
}

impl fmt::Display for Slot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let day = WEEKDAYS[self.weekday.to_monday_zero_offset() as usize % 7].0;
        write!(f, "{day} {:02}:{:02}", self.time.hour(), self.time.minute())
    }
}

const WEEKDAYS: [(&str, &str, Weekday); 7] = [
    ("mon", "monday", Weekday::Monday),
    ("tue", "tuesday", Weekday::Tuesday),
    ("wed", "wednesday", Weekday::Wednesday),
    ("thu", "thursday", Weekday::Thursday),
    ("fri", "friday", Weekday::Friday),
    ("sat", "saturday", Weekday::Saturday),
    ("sun", "sunday", Weekday::Sunday),
];

/// "mon", "Monday", "MON" (English; the form offers the names).
pub(crate) fn parse_weekday(raw: &str) -> Option<Weekday> {
    let lower = raw.to_ascii_lowercase();
    WEEKDAYS
        .iter()
        .find(|(short, long, _)| lower == *short || lower == *long)
        .map(|&(_, _, day)| day)
}

pub(crate) fn weekday_name(day: Weekday) -> &'static str {
    WEEKDAYS[day.to_monday_zero_offset() as usize % 7].0
}

/// "09:00" or "9:00", 24-hour, to the minute.
pub(crate) fn parse_hh_mm(raw: &str) -> Option<Time> {
    let (h, m) = raw.split_once(':')?;
    let digits = |s: &str, max: usize| {
        (!s.is_empty() && s.len() <= max && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<i8>().ok())
            .flatten()
    };
    if m.len() != 2 {
        return None;
    }
    Time::new(digits(h, 2)?, digits(m, 2)?, 0, 0).ok()
}

/// A channel's slots: valid, without duplicates, sorted Monday first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WeeklySlots(Vec<Slot>);

impl WeeklySlots {
    /// Parses every entry; errors name the entry as `{field}[i]` (from 0) so a form can
    /// show each beside its input. Blank entries are skipped; duplicates merge.
    pub fn parse<'a>(
        field: &str,
        entries: impl IntoIterator<Item = &'a str>,
    ) -> Result<WeeklySlots, Vec<FieldError>> {
        let mut v = Validation::new();
        let mut slots = Vec::new();
        for (i, entry) in entries.into_iter().enumerate() {
            if entry.trim().is_empty() {
                continue;
            }
            match entry.parse::<Slot>() {
                Ok(slot) => slots.push(slot),
                Err(e) => v.add(&format!("{field}[{i}]"), e.to_string()),
            }
        }
        let out = WeeklySlots::from_slots(slots);
        v.check(
            out.0.len() <= MAX_SLOTS,
            field,
            &format!("a channel may have at most {MAX_SLOTS} slots"),
        );
        v.finish().map(|()| out)
    }

    /// One slot per line or separated by commas, as a text area sends them.
    pub fn parse_text(field: &str, text: &str) -> Result<WeeklySlots, Vec<FieldError>> {
        WeeklySlots::parse(field, text.split(['\n', ',']))
    }

    /// Sorts and deduplicates slots built in code (no count limit: callers own them).
    pub fn from_slots(mut slots: Vec<Slot>) -> WeeklySlots {
        slots.sort_by_key(Slot::sort_key);
        slots.dedup();
        WeeklySlots(slots)
    }

    pub fn slots(&self) -> &[Slot] {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The text to store, one "mon 09:00" per entry.
    pub fn to_lines(&self) -> Vec<String> {
        self.0.iter().map(Slot::to_string).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_parse_leniently_and_print_canonically() {
        let s: Slot = "Monday 9:05".parse().unwrap();
        assert_eq!(s.to_string(), "mon 09:05");
        assert_eq!(
            "SUN 23:59".parse::<Slot>().unwrap().to_string(),
            "sun 23:59"
        );
        assert!(matches!("mon".parse::<Slot>(), Err(SlotError::Shape(_))));
        assert!(matches!(
            "mo 09:00".parse::<Slot>(),
            Err(SlotError::Weekday(_))
        ));
        for bad in [
            "24:00",
            "9",
            "09:0",
            "09:60",
            "-1:00",
            "0900",
            "09:00:00",
            "٠٩:٠٠",
        ] {
            assert!(
                matches!(
                    format!("mon {bad}").parse::<Slot>(),
                    Err(SlotError::Time(_))
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn lists_are_sorted_deduplicated_and_errors_are_per_entry() {
        let slots =
            WeeklySlots::parse_text("slots", "sun 10:00\nmon 09:00, mon 09:00\n\n tue 08:00")
                .unwrap();
        assert_eq!(slots.to_lines(), ["mon 09:00", "tue 08:00", "sun 10:00"]);
        let errors =
            WeeklySlots::parse("slots", ["mon 09:00", "someday", "fri 25:00"]).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["slots[1]", "slots[2]"]);
        assert!(errors[1].message.contains("HH:MM"));
    }

    #[test]
    fn too_many_slots_are_refused() {
        let many: Vec<String> = (0..101)
            .map(|i| format!("mon {:02}:{:02}", i / 60, i % 60))
            .collect();
        let errors = WeeklySlots::parse("slots", many.iter().map(String::as_str)).unwrap_err();
        assert_eq!(errors[0].field, "slots");
        // Duplicates do not count against the limit.
        let same = vec!["mon 09:00"; 500];
        assert_eq!(WeeklySlots::parse("slots", same).unwrap().slots().len(), 1);
    }
}
