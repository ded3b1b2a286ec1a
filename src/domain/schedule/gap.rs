//! The minimum gap between two posts on one channel.

/// A channel's taken instants (its scheduled posts), sorted once for repeated checks.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Taken(Vec<i64>);

impl Taken {
    pub fn new(instants: &[i64]) -> Taken {
        let mut v = instants.to_vec();
        v.sort_unstable();
        v.dedup();
        Taken(v)
    }

    /// The taken instants closer than `min_gap_ms` to `proposed_ms`, earliest first.
    /// The same instant always conflicts, even with no gap rule (`min_gap_ms` of 0 or
    /// less): a channel publishes one post at a time.
    pub fn conflicts(&self, proposed_ms: i64, min_gap_ms: i64) -> &[i64] {
        let reach = min_gap_ms.max(1) - 1;
        let lo = proposed_ms.saturating_sub(reach);
        let hi = proposed_ms.saturating_add(reach);
        let start = self.0.partition_point(|&t| t < lo);
        let end = self.0.partition_point(|&t| t <= hi);
        &self.0[start..end.max(start)]
    }

    pub fn is_free(&self, proposed_ms: i64, min_gap_ms: i64) -> bool {
        self.conflicts(proposed_ms, min_gap_ms).is_empty()
    }
}

/// Whether a post at `proposed_ms` would be closer than `min_gap_ms` to one of the channel's
/// `taken` instants, and to which (earliest first; empty when it fits).
pub fn gap_conflicts(taken: &[i64], proposed_ms: i64, min_gap_ms: i64) -> Vec<i64> {
    Taken::new(taken)
        .conflicts(proposed_ms, min_gap_ms)
        .to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const HOUR: i64 = 3_600_000;

    #[test]
    fn conflicts_are_those_strictly_closer_than_the_gap() {
        let taken = [10 * HOUR, 12 * HOUR, 9 * HOUR];
        assert_eq!(gap_conflicts(&taken, 11 * HOUR, HOUR), Vec::<i64>::new());
        assert_eq!(
            gap_conflicts(&taken, 11 * HOUR, HOUR + 1),
            [10 * HOUR, 12 * HOUR]
        );
        assert_eq!(
            gap_conflicts(&taken, 9 * HOUR + 1, 2 * HOUR),
            [9 * HOUR, 10 * HOUR]
        );
        // No gap rule: only the very same instant conflicts.
        assert_eq!(gap_conflicts(&taken, 10 * HOUR, 0), [10 * HOUR]);
        assert!(gap_conflicts(&taken, 10 * HOUR + 1, -5).is_empty());
        assert!(gap_conflicts(&[], 0, HOUR).is_empty());
    }

    #[test]
    fn extreme_instants_do_not_overflow() {
        let taken = [i64::MIN, i64::MAX];
        assert_eq!(gap_conflicts(&taken, i64::MAX, i64::MAX), [i64::MAX]);
        assert_eq!(gap_conflicts(&taken, i64::MIN, i64::MAX), [i64::MIN]);
    }

    proptest! {
        #[test]
        fn conflicts_match_a_plain_scan(
            taken in prop::collection::vec(-1_000i64..1_000, 0..30),
            proposed in -1_000i64..1_000,
            gap in -10i64..300,
        ) {
            let mut expected: Vec<i64> = taken
                .iter()
                .copied()
                .filter(|t| t == &proposed || (t - proposed).abs() < gap)
                .collect();
            expected.sort_unstable();
            expected.dedup();
            prop_assert_eq!(gap_conflicts(&taken, proposed, gap), expected);
        }
    }
}
