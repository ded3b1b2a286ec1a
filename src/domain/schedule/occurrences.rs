//! When a channel's weekly slots happen, and the next free one for "add to queue".
//!
//! Daylight saving, decided once for every recurring rule in Herald:
//! - a slot whose local time is skipped (02:30 when clocks go from 02:00 to 03:00) happens
//!   at the first instant after the gap (03:00), marked `moved`; two slots moved to the
//!   same instant, or onto another slot, happen once;
//! - a slot whose local time happens twice happens once, at the earlier offset (the first
//!   01:30), so a fall-back day has no double posts.

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::gap::Taken;
use super::local::{Placement, placement};
use super::slots::{Slot, WeeklySlots};

/// How far ahead any search looks. Beyond a year, "no free slot" is the honest answer.
pub const MAX_SEARCH_DAYS: i64 = 366;
const DAY_MS: i64 = 86_400_000;

/// One happening of a slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Occurrence {
    pub at_ms: i64,
    pub slot: Slot,
    /// The slot's local time did not exist that day; it happens at the end of the gap.
    pub moved: bool,
}

/// Every slot occurrence in `[from_ms, to_ms)`, earliest first, each instant once.
/// The span is cut at `MAX_SEARCH_DAYS` after `from_ms`.
pub fn occurrences(
    slots: &WeeklySlots,
    tz: &TimeZone,
    from_ms: i64,
    to_ms: i64,
) -> Vec<Occurrence> {
    let to_ms = to_ms.min(from_ms.saturating_add(MAX_SEARCH_DAYS * DAY_MS));
    let mut out: Vec<Occurrence> = Vec::new();
    if slots.is_empty() || to_ms <= from_ms {
        return out;
    }
    for day in Days::around(tz, from_ms, to_ms) {
        for o in day_occurrences(slots, tz, day) {
            if o.at_ms >= from_ms && o.at_ms < to_ms {
                out.push(o);
            }
        }
    }
    finish(out)
}

/// The first slot occurrence at or after `after_ms` that is not taken and is at least
/// `min_gap_ms` away from every taken instant of the channel. "Add to queue" calls it with
/// the queue's end (or now), "share next" with now. `None` when nothing is free within
/// `MAX_SEARCH_DAYS`, or when there are no slots.
pub fn next_free_slot(
    slots: &WeeklySlots,
    tz: &TimeZone,
    after_ms: i64,
    taken: &[i64],
    min_gap_ms: Option<i64>,
) -> Option<Occurrence> {
    if slots.is_empty() {
        return None;
    }
    let taken = Taken::new(taken);
    let gap = min_gap_ms.unwrap_or(0);
    let to_ms = after_ms.saturating_add(MAX_SEARCH_DAYS * DAY_MS);
    // Day by day, so a free slot this week does not cost a year of work.
    Days::around(tz, after_ms, to_ms)
        .flat_map(|day| finish(day_occurrences(slots, tz, day)))
        .filter(|o| o.at_ms >= after_ms && o.at_ms < to_ms)
        .find(|o| taken.is_free(o.at_ms, gap))
}

/// The slots of one local day, in the order they happen (not yet deduplicated).
fn day_occurrences(slots: &WeeklySlots, tz: &TimeZone, day: Date) -> Vec<Occurrence> {
    slots
        .slots()
        .iter()
        .filter(|s| s.weekday == day.weekday())
        .filter_map(|&slot| {
            let at = placement(tz, day.to_datetime(slot.time))?;
            Some(Occurrence {
                at_ms: at.policy_ms(),
                slot,
                moved: matches!(at, Placement::Skipped { .. }),
            })
        })
        .collect()
}

/// Sorts by instant and keeps one occurrence per instant (the slot not moved, if any).
fn finish(mut out: Vec<Occurrence>) -> Vec<Occurrence> {
    out.sort_by_key(|o| (o.at_ms, o.moved));
    out.dedup_by_key(|o| o.at_ms);
    out
}

/// Local dates covering an instant range, one day either side: a slot late on the
/// previous local day may fall in range and vice versa.
struct Days {
    next: Option<Date>,
    last: Date,
}

impl Days {
    fn around(tz: &TimeZone, from_ms: i64, to_ms: i64) -> Days {
        let date = |ms: i64| {
            Timestamp::from_millisecond(ms)
                .ok()
                .map(|t| tz.to_datetime(t).date())
        };
        match (date(from_ms), date(to_ms)) {
            (Some(first), Some(last)) => Days {
                next: Some(first.yesterday().unwrap_or(first)),
                last: last.tomorrow().unwrap_or(last),
            },
            // Out of range ends: no days rather than a guess.
            _ => Days {
                next: None,
                last: Date::MIN,
            },
        }
    }
}

impl Iterator for Days {
    type Item = Date;

    fn next(&mut self) -> Option<Date> {
        let day = self.next.filter(|d| *d <= self.last)?;
        self.next = day.tomorrow().ok();
        Some(day)
    }
}

#[cfg(test)]
#[path = "occurrences_tests.rs"]
mod tests;
