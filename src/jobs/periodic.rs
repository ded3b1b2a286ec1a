//! Periodic work without a leader (DESIGN.md, "Publishing"): each task's run for one period
//! is a job whose dedupe key names the period's slot (`evergreen:{slot_ms}`). Every worker
//! queues the current slot when it starts, and each run queues the next slot before it
//! works, so however many workers or instances share the database, each slot's job exists
//! once and runs once.

use serde::{Deserialize, Serialize};

/// A task run once per period.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Periodic {
    /// Fill empty posting slots from the evergreen library.
    Evergreen,
    /// Make the coming occurrences of recurring posts.
    Recurrence,
    /// Poll the RSS and Atom feeds that are due.
    Feeds,
}

impl Periodic {
    pub const ALL: [Periodic; 3] = [Periodic::Evergreen, Periodic::Recurrence, Periodic::Feeds];

    pub fn as_str(self) -> &'static str {
        match self {
            Periodic::Evergreen => "evergreen",
            Periodic::Recurrence => "recurrence",
            Periodic::Feeds => "feeds",
        }
    }

    /// How often the task runs. Feeds have their own poll intervals; this is how often the
    /// due ones are looked for.
    pub fn period_ms(self) -> i64 {
        match self {
            Periodic::Evergreen | Periodic::Recurrence => 15 * 60_000,
            Periodic::Feeds => 5 * 60_000,
        }
    }

    /// The slot (period start) holding `at_ms`.
    pub fn slot_of(self, at_ms: i64) -> i64 {
        at_ms.div_euclid(self.period_ms()) * self.period_ms()
    }

    /// The first slot after the one holding `at_ms`.
    pub fn next_slot_after(self, at_ms: i64) -> i64 {
        self.slot_of(at_ms).saturating_add(self.period_ms())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_period_starts() {
        let p = Periodic::Evergreen;
        assert_eq!(p.slot_of(0), 0);
        assert_eq!(p.slot_of(15 * 60_000 - 1), 0);
        assert_eq!(p.slot_of(15 * 60_000), 15 * 60_000);
        assert_eq!(p.next_slot_after(1), 15 * 60_000);
        assert_eq!(p.slot_of(-1), -15 * 60_000);
        assert_eq!(p.next_slot_after(i64::MAX), i64::MAX);
    }
}
