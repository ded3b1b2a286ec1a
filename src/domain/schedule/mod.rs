//! Local times, posting slots, queues, gaps, evergreen recycling and recurring posts.
//!
//! Everything here is arithmetic on epoch milliseconds and IANA zones (jiff's bundled or
//! system database); callers resolve a zone name once with `time_zone` and pass the zone.

mod evergreen;
mod format;
mod gap;
mod local;
mod occurrences;
mod recurrence;
mod recurrence_words;
mod slots;

pub use evergreen::{EvergreenItem, LibraryHistory, next_to_recycle, pick_to_share};
pub use format::{format_in_zone, format_utc};
pub use gap::{Taken, gap_conflicts};
pub use local::{
    Disambiguation, LocalTimeError, RepeatedTime, SkippedTime, parse_instant, resolve_local,
    time_zone,
};
pub use occurrences::{MAX_SEARCH_DAYS, Occurrence, next_free_slot, occurrences};
pub use recurrence::{
    Every, MAX_EVERY_DAYS, MAX_EVERY_MONTHS, MAX_EVERY_WEEKS, MAX_OCCURRENCES, Recurrence,
    RecurrenceError,
};
pub use recurrence_words::day_name;
pub use slots::{MAX_SLOTS, Slot, SlotError, WeeklySlots};
pub(crate) use slots::{parse_hh_mm, parse_weekday};
// Zone names in settings forms are checked where the other settings fields are.
pub use crate::domain::validation::check_time_zone;

#[cfg(test)]
mod local_tests;
