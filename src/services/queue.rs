//! Posting queues: each channel's weekly slots in its zone. "Add to queue" takes the next
//! free slot; "share next" takes the very next slot and moves the posts queued from there on
//! one slot later each (posts a person timed by hand never move). An optional minimum gap
//! per workspace keeps a burst from flooding followers.

use uuid::Uuid;

use super::{Actor, AppError, AppResult, Services};
use crate::domain::schedule::{self, WeeklySlots, gap_conflicts, next_free_slot};
use crate::domain::{Permission, Validation};
use crate::jobs::Job;
use crate::storage::channels::{self, Channel};
use crate::storage::publishing::{self, Timing};
use crate::storage::workspaces;

/// The longest grace window and minimum gap a workspace may set: a day.
const MAX_MINUTES: i64 = 24 * 60;

/// Where one channel's queue puts a post, and the queued posts it moves.
pub(super) struct Placed {
    pub at_ms: i64,
    pub time_zone: String,
    pub local_time: String,
    pub moved: Vec<Timing>,
}

/// What an import has placed on one channel so far, not stored yet: the instants its rows
/// take (timed or queued), and the last queued one, after which the next queued row goes.
#[derive(Clone, Debug, Default)]
pub(super) struct Pending {
    pub taken: Vec<i64>,
    pub after_ms: i64,
}

impl Services {
    /// Sets a channel's posting slots ("mon 09:00", one per entry) and zone (empty: the
    /// workspace's).
    pub async fn set_channel_slots(
        &self,
        actor: &Actor,
        ws: Uuid,
        id: Uuid,
        slots: &[String],
        time_zone: &str,
    ) -> AppResult<Channel> {
        let channel = self.channel_for(actor, ws, id, Permission::Manage).await?;
        let mut v = Validation::new();
        let zone = if time_zone.trim().is_empty() {
            String::new()
        } else {
            schedule::check_time_zone(&mut v, "time_zone", time_zone)
        };
        let parsed = WeeklySlots::parse("posting_slots", slots.iter().map(String::as_str));
        if let Err(errors) = &parsed {
            for e in errors {
                v.add(&e.field, e.message.clone());
            }
        }
        v.finish()?;
        let lines = parsed.map(|p| p.to_lines().join("\n")).unwrap_or_default();
        channels::set_schedule(&self.db, channel.id, &zone, &lines, self.now_ms()).await?;
        channels::get(&self.db, ws, id)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// The grace window for late posts and the minimum gap between two posts on a channel
    /// (`None`: none), in minutes.
    pub async fn set_publishing_settings(
        &self,
        actor: &Actor,
        ws: Uuid,
        grace_window_minutes: i64,
        min_gap_minutes: Option<i64>,
    ) -> AppResult<()> {
        self.active_workspace_for(actor, ws, Permission::Manage)
            .await?;
        let mut v = Validation::new();
        v.check(
            (0..=MAX_MINUTES).contains(&grace_window_minutes),
            "grace_window_minutes",
            "must be between 0 and 1440 (a day)",
        );
        if let Some(gap) = min_gap_minutes {
            v.check(
                (1..=MAX_MINUTES).contains(&gap),
                "min_gap_minutes",
                "must be between 1 and 1440 (a day), or null for no gap",
            );
        }
        v.finish()?;
        workspaces::set_publishing(
            &self.db,
            ws,
            grace_window_minutes * 60_000,
            min_gap_minutes.map(|m| m * 60_000),
            self.now_ms(),
        )
        .await?;
        Ok(())
    }

    /// Where the channel's queue puts `post`; `Err` is the reason for people.
    pub(super) async fn place_in_queue(
        &self,
        channel: &Channel,
        workspace_zone: &str,
        min_gap_ms: Option<i64>,
        post: Uuid,
        share_next: bool,
    ) -> AppResult<Result<Placed, String>> {
        let pending = Pending::default();
        self.place_in_queue_after(
            channel,
            workspace_zone,
            min_gap_ms,
            post,
            share_next,
            &pending,
        )
        .await
    }

    /// `place_in_queue`, also keeping clear of what an import placed before (`pending`).
    pub(super) async fn place_in_queue_after(
        &self,
        channel: &Channel,
        workspace_zone: &str,
        min_gap_ms: Option<i64>,
        post: Uuid,
        share_next: bool,
        pending: &Pending,
    ) -> AppResult<Result<Placed, String>> {
        let name = format!("{} ({})", channel.handle, channel.network.label());
        let slots =
            WeeklySlots::parse_text("posting_slots", &channel.posting_slots).unwrap_or_default();
        if slots.is_empty() {
            return Ok(Err(format!(
                "{name} has no posting slots; set them on the Channels page"
            )));
        }
        let zone = if channel.time_zone.is_empty() {
            workspace_zone
        } else {
            &channel.time_zone
        };
        let tz = schedule::time_zone(zone).map_err(|e| AppError::Internal(e.into()))?;
        let now = self.now_ms();
        let mut taken = publishing::taken(&self.db, channel.id, now, Some(post)).await?;
        taken.extend_from_slice(&pending.taken);
        let queued = if share_next {
            publishing::queued(&self.db, channel.id, now).await?
        } else {
            Vec::new()
        };
        // Share next: the queued posts make room, so only hand-timed posts block the slot.
        taken.retain(|at| !queued.iter().any(|(_, q)| q == at));
        let no_slot = || format!("{name} has no free posting slot in the coming year");
        // Every slot before `after_ms` was taken for the rows before: start there, so a
        // long import does not walk the same slots again for each row.
        let start = now.max(pending.after_ms);
        let Some(first) = next_free_slot(&slots, &tz, start, &taken, min_gap_ms) else {
            return Ok(Err(no_slot()));
        };
        taken.push(first.at_ms);
        let mut moved = Vec::new();
        let mut after = first.at_ms + 1;
        for (variant, _) in queued.iter().filter(|(_, at)| *at >= first.at_ms) {
            let Some(slot) = next_free_slot(&slots, &tz, after, &taken, min_gap_ms) else {
                return Ok(Err(no_slot()));
            };
            taken.push(slot.at_ms);
            after = slot.at_ms + 1;
            moved.push(Timing {
                variant_id: *variant,
                at_ms: slot.at_ms,
                time_zone: zone.to_owned(),
                local_time: local(slot.at_ms, &tz),
                queued: true,
                job: Job::PublishVariant {
                    variant_id: *variant,
                }
                .row(slot.at_ms, now),
            });
        }
        Ok(Ok(Placed {
            at_ms: first.at_ms,
            time_zone: zone.to_owned(),
            local_time: local(first.at_ms, &tz),
            moved,
        }))
    }

    /// The channel's posts too close to `at_ms` under the workspace's minimum gap.
    pub(super) async fn gap_conflicts(
        &self,
        channel: &Channel,
        post: Uuid,
        at_ms: i64,
        min_gap_ms: i64,
    ) -> AppResult<Vec<i64>> {
        let taken = publishing::taken(&self.db, channel.id, at_ms - min_gap_ms, Some(post)).await?;
        Ok(gap_conflicts(&taken, at_ms, min_gap_ms))
    }
}

/// "2026-03-02T09:00" in the zone: what the slot meant.
fn local(ms: i64, tz: &jiff::tz::TimeZone) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .ok()
        .and_then(|t| {
            jiff::fmt::strtime::format("%Y-%m-%dT%H:%M", &t.to_zoned_datetime(tz.clone())).ok()
        })
        .unwrap_or_default()
}
