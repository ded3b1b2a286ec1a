//! The content calendar: every variant with a time in a range, for the members who can read
//! the workspace, with the content mix of the period (how many posts read as promotional
//! against the share the brand allows).

use std::collections::HashSet;

use uuid::Uuid;

use super::{Actor, AppError, AppResult, Services};
use crate::domain::Permission;
use crate::domain::promo::PROMOTIONAL_FROM;
use crate::storage::calendar::{self, CalendarFilter, CalendarRow};

pub use crate::storage::calendar::CalendarFilter as Filter;

/// The most items one calendar answer carries; a range with more says so.
pub const MAX_ITEMS: i64 = 10_000;
/// The widest range one answer covers.
pub const MAX_RANGE_MS: i64 = 400 * 24 * 3_600_000;

/// A range of the calendar.
#[derive(Clone, Debug)]
pub struct Calendar {
    pub from_ms: i64,
    pub to_ms: i64,
    pub time_zone: String,
    pub items: Vec<CalendarRow>,
    /// More items than `MAX_ITEMS` matched: the range should be narrowed.
    pub truncated: bool,
    pub mix: ContentMix,
}

/// How promotional the posts of the period are.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ContentMix {
    /// Distinct posts in the period.
    pub posts: usize,
    /// Of them, those whose score is `PROMOTIONAL_FROM` or more.
    pub promotional: usize,
    /// Rounded share of promotional posts, in percent (0 when there are none).
    pub percent: i64,
    /// The brand's target: promotional posts stay at or under this share.
    pub target_percent: i64,
}

impl ContentMix {
    pub fn over_target(&self) -> bool {
        self.posts > 0 && self.percent > self.target_percent
    }

    fn of(items: &[CalendarRow], target_percent: i64) -> ContentMix {
        let mut seen = HashSet::new();
        let mut promotional = 0;
        for item in items {
            if seen.insert(item.post_id) && item.promo_score >= i64::from(PROMOTIONAL_FROM) {
                promotional += 1;
            }
        }
        let posts = seen.len();
        let percent = if posts == 0 {
            0
        } else {
            ((promotional * 100) as f64 / posts as f64).round() as i64
        };
        ContentMix {
            posts,
            promotional,
            percent,
            target_percent,
        }
    }
}

impl Services {
    /// The variants of workspace `ws` with a time in `[from_ms, to_ms)`, filtered; refuses
    /// an empty or too wide range, naming `to`.
    pub async fn calendar(
        &self,
        actor: &Actor,
        ws: Uuid,
        from_ms: i64,
        to_ms: i64,
        filter: &CalendarFilter,
    ) -> AppResult<Calendar> {
        let member = self.workspace_for(actor, ws, Permission::Read).await?;
        if to_ms <= from_ms {
            return Err(AppError::field("to", "must be after `from`"));
        }
        if to_ms - from_ms > MAX_RANGE_MS {
            return Err(AppError::field(
                "to",
                "is more than 400 days after `from`; ask for a shorter range",
            ));
        }
        let mut items =
            calendar::range(&self.db, ws, from_ms, to_ms, filter, MAX_ITEMS + 1).await?;
        let truncated = items.len() as i64 > MAX_ITEMS;
        items.truncate(MAX_ITEMS as usize);
        let mix = ContentMix::of(&items, member.workspace.promo_target_percent);
        Ok(Calendar {
            from_ms,
            to_ms,
            time_zone: member.workspace.time_zone,
            items,
            truncated,
            mix,
        })
    }
}
