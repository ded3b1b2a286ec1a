//! Recurring posts: "every 2 weeks on mon, thu at 09:00 from 2026-03-02" (or every N days,
//! or every N months on the start's day of the month) in a zone.
//!
//! The rule is kept as that text (what the person meant) and worked out in local time
//! day by day, so 09:00 stays 09:00 across daylight-saving changes. Skipped and repeated
//! local times follow the same policy as slots (see `occurrences`).

use std::fmt;
use std::str::FromStr;

use jiff::SignedDuration;
use jiff::civil::{Date, Time, Weekday};
use jiff::tz::TimeZone;

use super::local::placement;
use super::slots::{parse_hh_mm, parse_weekday, weekday_name};

/// The most occurrences one call returns.
pub const MAX_OCCURRENCES: usize = 1_000;
pub const MAX_EVERY_DAYS: u16 = 366;
pub const MAX_EVERY_WEEKS: u16 = 52;
pub const MAX_EVERY_MONTHS: u16 = 12;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Every {
    Days(u16),
    Weeks(u16),
    /// On the start date's day of the month; in months without that day (the 31st in
    /// April), on the month's last day, so a monthly post is never silently skipped.
    Months(u16),
}

/// A validated recurrence; build it with `Recurrence::new` or parse its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recurrence {
    every: Every,
    /// For weekly rules, Monday first, without duplicates; never empty.
    weekdays: Vec<Weekday>,
    time: Time,
    start: Date,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RecurrenceError {
    #[error("repeat every 1 to {MAX_EVERY_DAYS} days")]
    DayInterval,
    #[error("repeat every 1 to {MAX_EVERY_WEEKS} weeks")]
    WeekInterval,
    #[error("repeat every 1 to {MAX_EVERY_MONTHS} months")]
    MonthInterval,
    #[error("weekdays only go with a weekly rule")]
    WeekdaysNeedWeeks,
    #[error(
        "{0:?} is not a recurrence; write it as \"every 2 weeks on mon, thu at 09:00 from 2026-03-02\" or \"every day at 08:00 from 2026-03-02\""
    )]
    Shape(String),
}

impl Recurrence {
    /// A weekly rule with no weekdays happens on the start date's weekday.
    pub fn new(
        every: Every,
        weekdays: &[Weekday],
        time: Time,
        start: Date,
    ) -> Result<Recurrence, RecurrenceError> {
        let mut weekdays = weekdays.to_vec();
        match every {
            Every::Days(n) if n == 0 || n > MAX_EVERY_DAYS => {
                return Err(RecurrenceError::DayInterval);
            }
            Every::Days(_) if !weekdays.is_empty() => {
                return Err(RecurrenceError::WeekdaysNeedWeeks);
            }
            Every::Weeks(n) if n == 0 || n > MAX_EVERY_WEEKS => {
                return Err(RecurrenceError::WeekInterval);
            }
            Every::Weeks(_) if weekdays.is_empty() => weekdays.push(start.weekday()),
            Every::Months(n) if n == 0 || n > MAX_EVERY_MONTHS => {
                return Err(RecurrenceError::MonthInterval);
            }
            Every::Months(_) if !weekdays.is_empty() => {
                return Err(RecurrenceError::WeekdaysNeedWeeks);
            }
            _ => {}
        }
        weekdays.sort_by_key(|d| d.to_monday_zero_offset());
        weekdays.dedup();
        // Whole minutes, as people set them and as the text keeps them.
        let time = Time::new(time.hour(), time.minute(), 0, 0).unwrap_or(time);
        Ok(Recurrence {
            every,
            weekdays,
            time,
            start,
        })
    }

    /// The first date the rule may fall on.
    pub fn start(&self) -> Date {
        self.start
    }

    pub fn every(&self) -> Every {
        self.every
    }

    /// The weekdays of a weekly rule, Monday first (empty for other rules).
    pub fn weekdays(&self) -> &[Weekday] {
        &self.weekdays
    }

    /// The local time of day, to the minute.
    pub fn time(&self) -> Time {
        self.time
    }

    /// The next occurrences at or after `after_ms`, at most `count` (and `MAX_OCCURRENCES`).
    pub fn next_occurrences(&self, tz: &TimeZone, after_ms: i64, count: usize) -> Vec<i64> {
        let count = count.min(MAX_OCCURRENCES);
        let mut out = Vec::with_capacity(count);
        let Ok(after) = jiff::Timestamp::from_millisecond(after_ms) else {
            return out;
        };
        // A day early: the first occurrence in range may be on the previous local date.
        let from = tz
            .to_datetime(after)
            .date()
            .yesterday()
            .unwrap_or(self.start);
        let from = from.max(self.start);
        if let Every::Months(n) = self.every {
            return self.monthly(tz, from, after_ms, i64::from(n), count);
        }
        let (step, days): (i64, &[Weekday]) = match self.every {
            Every::Months(n) | Every::Days(n) => (i64::from(n), &[]),
            Every::Weeks(n) => (7 * i64::from(n), &self.weekdays),
        };
        // Periods start on the start date (daily) or on the Monday of its week (weekly).
        let anchor = match self.every {
            Every::Days(_) | Every::Months(_) => self.start,
            Every::Weeks(_) => {
                let back = self.start.weekday().to_monday_zero_offset();
                add_days(self.start, -i64::from(back)).unwrap_or(self.start)
            }
        };
        let elapsed = anchor.duration_until(from).as_secs() / 86_400;
        let first_period = elapsed.max(0) / step;
        // Every period adds at least one date, and at most two periods end before
        // `after_ms`; the round limit only guards against a mistake in that reasoning.
        for period in (first_period..).take(count + 4) {
            if out.len() >= count {
                break;
            }
            let Some(base) = period.checked_mul(step).and_then(|d| add_days(anchor, d)) else {
                break;
            };
            let dates: Vec<Date> = if days.is_empty() {
                vec![base]
            } else {
                days.iter()
                    .filter_map(|d| add_days(base, i64::from(d.to_monday_zero_offset())))
                    .collect()
            };
            for date in dates.into_iter().filter(|d| *d >= self.start) {
                let at = placement(tz, date.to_datetime(self.time)).map(|p| p.policy_ms());
                if let Some(at) = at.filter(|at| *at >= after_ms)
                    && out.len() < count
                    && out.last().is_none_or(|last| *last < at)
                {
                    out.push(at);
                }
            }
        }
        out
    }

    /// Every `n` months from the start, on its day of the month (or the month's last day).
    fn monthly(&self, tz: &TimeZone, from: Date, after_ms: i64, n: i64, count: usize) -> Vec<i64> {
        let mut out = Vec::with_capacity(count);
        let months_before = (i64::from(from.year()) - i64::from(self.start.year())) * 12
            + i64::from(from.month())
            - i64::from(self.start.month());
        let first = (months_before.max(0) / n).saturating_sub(1).max(0);
        // At most two periods fall before `after_ms`; the limit only guards against a
        // mistake in that reasoning.
        for period in (first..).take(count + 4) {
            if out.len() >= count {
                break;
            }
            let span = jiff::Span::new().try_months(period * n);
            // jiff clamps to the month's last day ("2026-01-31" + 1 month is "2026-02-28").
            let Some(date) = span.ok().and_then(|s| self.start.checked_add(s).ok()) else {
                break;
            };
            let at = placement(tz, date.to_datetime(self.time)).map(|p| p.policy_ms());
            if let Some(at) = at.filter(|at| *at >= after_ms)
                && out.last().is_none_or(|last| *last < at)
            {
                out.push(at);
            }
        }
        out
    }
}

fn add_days(date: Date, days: i64) -> Option<Date> {
    let secs = days.checked_mul(86_400)?;
    date.checked_add(SignedDuration::from_secs(secs)).ok()
}

impl fmt::Display for Recurrence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.every {
            Every::Days(1) => write!(f, "every day")?,
            Every::Days(n) => write!(f, "every {n} days")?,
            Every::Weeks(1) => write!(f, "every week")?,
            Every::Weeks(n) => write!(f, "every {n} weeks")?,
            Every::Months(1) => write!(f, "every month")?,
            Every::Months(n) => write!(f, "every {n} months")?,
        }
        if let Every::Weeks(_) = self.every {
            let names: Vec<_> = self.weekdays.iter().map(|d| weekday_name(*d)).collect();
            write!(f, " on {}", names.join(", "))?;
        }
        let (h, m) = (self.time.hour(), self.time.minute());
        write!(f, " at {h:02}:{m:02} from {}", self.start)
    }
}

impl FromStr for Recurrence {
    type Err = RecurrenceError;

    fn from_str(raw: &str) -> Result<Recurrence, RecurrenceError> {
        let shape = || RecurrenceError::Shape(raw.trim().to_owned());
        let lower = raw.trim().to_ascii_lowercase();
        let rest = lower.strip_prefix("every ").ok_or_else(shape)?;
        let (rule, from) = rest.split_once(" from ").ok_or_else(shape)?;
        let start: Date = from.trim().parse().map_err(|_| shape())?;
        let (rule, time) = rule.rsplit_once(" at ").ok_or_else(shape)?;
        let time = parse_hh_mm(time.trim()).ok_or_else(shape)?;
        let (interval, on) = match rule.split_once(" on ") {
            Some((interval, on)) => (interval, Some(on)),
            None => (rule, None),
        };
        let words: Vec<&str> = interval.split_whitespace().collect();
        let (n, unit) = match words.as_slice() {
            [unit] => (1, *unit),
            [n, unit] => (n.parse::<u16>().map_err(|_| shape())?, *unit),
            _ => return Err(shape()),
        };
        let every = match unit {
            "day" | "days" => Every::Days(n),
            "week" | "weeks" => Every::Weeks(n),
            "month" | "months" => Every::Months(n),
            _ => return Err(shape()),
        };
        let mut weekdays = Vec::new();
        for day in on.unwrap_or("").split([',', ' ']).filter(|d| !d.is_empty()) {
            weekdays.push(parse_weekday(day).ok_or_else(shape)?);
        }
        if on.is_some() && weekdays.is_empty() {
            return Err(shape());
        }
        Recurrence::new(every, &weekdays, time, start)
    }
}

#[cfg(test)]
#[path = "recurrence_tests.rs"]
mod tests;
