//! Reading a recurring post's rule from the fields people give, each problem named by its
//! field.

use jiff::civil::{Date, Weekday};

use super::recurrence::RecurrenceInput;
use crate::domain::Validation;
use crate::domain::schedule::{self, Every, Recurrence, parse_hh_mm, parse_weekday};

/// Reads the rule's fields, naming each one at fault.
pub(super) fn read_rule(
    v: &mut Validation,
    input: &RecurrenceInput,
    today: Option<Date>,
) -> Option<Recurrence> {
    let interval = u16::try_from(input.interval).ok();
    let every = match (input.every.trim().to_ascii_lowercase().as_str(), interval) {
        ("day" | "days" | "daily", Some(n)) => Some(Every::Days(n)),
        ("week" | "weeks" | "weekly", Some(n)) => Some(Every::Weeks(n)),
        ("month" | "months" | "monthly", Some(n)) => Some(Every::Months(n)),
        (
            "day" | "days" | "daily" | "week" | "weeks" | "weekly" | "month" | "months" | "monthly",
            None,
        ) => {
            v.add("interval", "must be a whole number from 1");
            None
        }
        _ => {
            v.add("every", "must be day, week or month");
            None
        }
    };
    let mut weekdays: Vec<Weekday> = Vec::new();
    for (i, day) in input.weekdays.iter().enumerate() {
        match parse_weekday(day.trim()) {
            Some(d) => weekdays.push(d),
            None => v.add(
                &format!("weekdays[{i}]"),
                "is not a weekday (mon, tue, wed, thu, fri, sat, sun)",
            ),
        }
    }
    let time = parse_hh_mm(input.time.trim());
    if time.is_none() {
        v.add("time", "give a time such as 09:00");
    }
    let start = if input.start.trim().is_empty() {
        today
    } else {
        let parsed = input.start.trim().parse::<Date>().ok();
        if parsed.is_none() {
            v.add("start", "give a date such as 2026-03-02");
        }
        parsed
    };
    let (every, time, start) = (every?, time?, start?);
    match Recurrence::new(every, &weekdays, time, start) {
        Ok(rule) => Some(rule),
        Err(e) => {
            let field = match e {
                schedule::RecurrenceError::WeekdaysNeedWeeks => "weekdays",
                _ => "interval",
            };
            v.add(field, e.to_string());
            None
        }
    }
}
