//! Evergreen recycling: which library item to post again next.

/// A library item as the recycler sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EvergreenItem<Id> {
    pub id: Id,
    /// When it was last published on the channel; `None` if never.
    pub last_posted_ms: Option<i64>,
}

/// The item to recycle now: never-posted items first (in the order given, so the library's
/// own order decides among them), then the one posted longest ago. Items posted less than
/// `min_interval_ms` before `now_ms` (or, with a wrong clock, after it) are skipped.
/// `None` when every item was posted too recently.
pub fn next_to_recycle<Id>(
    items: &[EvergreenItem<Id>],
    min_interval_ms: i64,
    now_ms: i64,
) -> Option<&EvergreenItem<Id>> {
    items
        .iter()
        .filter(|item| match item.last_posted_ms {
            None => true,
            Some(at) => at <= now_ms && now_ms.saturating_sub(at) >= min_interval_ms,
        })
        // `min_by_key` keeps the first of equal keys, and `None` sorts before `Some`.
        .min_by_key(|item| item.last_posted_ms)
}

/// One library post's history on a channel: when the library last re-shared it, and when
/// it (or any copy) last went out there, by hand or recycled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LibraryHistory<Id> {
    pub id: Id,
    pub last_shared_ms: Option<i64>,
    pub last_published_ms: Option<i64>,
}

/// The post to share next on a channel: none published there within `skip_recent_ms`
/// (a post just published by hand, then added to the library, waits), then
/// `next_to_recycle` over the library's own re-shares with `min_interval_ms`.
pub fn pick_to_share<Id: Clone>(
    items: &[LibraryHistory<Id>],
    min_interval_ms: i64,
    skip_recent_ms: i64,
    now_ms: i64,
) -> Option<Id> {
    let fresh_enough: Vec<EvergreenItem<Id>> = items
        .iter()
        .filter(|i| {
            i.last_published_ms
                .is_none_or(|at| at <= now_ms && now_ms.saturating_sub(at) >= skip_recent_ms)
        })
        .map(|i| EvergreenItem {
            id: i.id.clone(),
            last_posted_ms: i.last_shared_ms,
        })
        .collect();
    next_to_recycle(&fresh_enough, min_interval_ms, now_ms).map(|i| i.id.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const DAY: i64 = 86_400_000;

    fn item(id: u32, last: Option<i64>) -> EvergreenItem<u32> {
        EvergreenItem {
            id,
            last_posted_ms: last,
        }
    }

    #[test]
    fn never_posted_first_then_oldest() {
        let now = 100 * DAY;
        let items = [
            item(1, Some(10 * DAY)),
            item(2, None),
            item(3, Some(5 * DAY)),
            item(4, None),
        ];
        assert_eq!(next_to_recycle(&items, 30 * DAY, now).unwrap().id, 2);
        assert_eq!(next_to_recycle(&items[..1], 30 * DAY, now).unwrap().id, 1);
        assert_eq!(
            next_to_recycle(&[items[0].clone(), items[2].clone()], 30 * DAY, now)
                .unwrap()
                .id,
            3
        );
    }

    #[test]
    fn recently_posted_items_wait_for_the_interval() {
        let now = 100 * DAY;
        let items = [item(1, Some(now - 29 * DAY)), item(2, Some(now + DAY))];
        assert_eq!(next_to_recycle(&items, 30 * DAY, now), None);
        // Exactly the interval ago is long enough.
        let items = [item(1, Some(now - 30 * DAY))];
        assert_eq!(next_to_recycle(&items, 30 * DAY, now).unwrap().id, 1);
        assert_eq!(next_to_recycle::<u32>(&[], DAY, now), None);
        // Extreme values neither overflow nor panic.
        let items = [item(1, Some(i64::MIN))];
        assert_eq!(next_to_recycle(&items, i64::MAX, i64::MAX).unwrap().id, 1);
    }

    #[test]
    fn the_skip_window_holds_back_posts_published_recently() {
        let now = 100 * DAY;
        let h = |id, shared, published| LibraryHistory {
            id,
            last_shared_ms: shared,
            last_published_ms: published,
        };
        // Published by hand two days ago, never re-shared: waits out a 7-day window.
        let items = [
            h(1, None, Some(now - 2 * DAY)),
            h(2, Some(now - 40 * DAY), None),
        ];
        assert_eq!(pick_to_share(&items, 30 * DAY, 7 * DAY, now), Some(2));
        assert_eq!(pick_to_share(&items[..1], 30 * DAY, 7 * DAY, now), None);
        assert_eq!(pick_to_share(&items[..1], 30 * DAY, DAY, now), Some(1));
        // Re-shared too recently, whatever the skip window.
        let items = [h(3, Some(now - 10 * DAY), Some(now - 10 * DAY))];
        assert_eq!(pick_to_share(&items, 30 * DAY, 0, now), None);
    }

    proptest! {
        #[test]
        fn the_pick_is_eligible_and_no_eligible_item_is_older(
            lasts in prop::collection::vec(prop::option::of(0i64..1_000), 0..20),
            interval in 0i64..500,
            now in 0i64..1_200,
        ) {
            let items: Vec<_> = lasts.iter().enumerate().map(|(i, l)| item(i as u32, *l)).collect();
            let eligible = |l: Option<i64>| l.is_none_or(|at| at <= now && now - at >= interval);
            match next_to_recycle(&items, interval, now) {
                None => prop_assert!(lasts.iter().all(|l| !eligible(*l))),
                Some(pick) => {
                    prop_assert!(eligible(pick.last_posted_ms));
                    for other in items.iter().filter(|i| eligible(i.last_posted_ms)) {
                        prop_assert!(pick.last_posted_ms <= other.last_posted_ms);
                    }
                }
            }
        }
    }
}
