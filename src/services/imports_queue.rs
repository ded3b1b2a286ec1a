//! The `queue` time of a CSV import: each queued row takes its channels' next free posting
//! slots through `place_in_queue`, row after row in the file's order, clear of the times the
//! file gives other rows and of what is already scheduled. The placements are only computed
//! here; the import stores them with everything else in its one transaction.

use std::collections::HashMap;

use uuid::Uuid;

use super::imports::{ImportProblem, Ready, RowTime, Timed};
use super::queue::Pending;
use super::{AppResult, Services};
use crate::storage::channels::Channel;
use crate::storage::workspaces::Workspace;

impl Services {
    /// Turns every `RowTime::Queue` of `ready` into `RowTime::Placed`, or adds a problem on
    /// that row's `time` column naming the channel (no slots, none free in the coming year).
    pub(super) async fn place_queued_rows(
        &self,
        workspace: &Workspace,
        channels: &[Channel],
        ready: &mut [Ready],
        problems: &mut Vec<ImportProblem>,
    ) -> AppResult<()> {
        if !ready.iter().any(|r| matches!(r.when, RowTime::Queue)) {
            return Ok(());
        }
        let by_id: HashMap<Uuid, &Channel> = channels.iter().map(|c| (c.id, c)).collect();
        // The file's own timed rows hold their instants on their channels.
        let mut pending: HashMap<Uuid, Pending> = HashMap::new();
        for r in ready.iter() {
            if let RowTime::At(t) = &r.when {
                for c in &r.channels {
                    pending.entry(*c).or_default().taken.push(t.at_ms);
                }
            }
        }
        for r in ready.iter_mut() {
            if !matches!(r.when, RowTime::Queue) {
                continue;
            }
            let mut placed = Vec::with_capacity(r.channels.len());
            let mut refused = Vec::new();
            for id in &r.channels {
                let Some(channel) = by_id.get(id) else {
                    continue;
                };
                let so_far = pending.entry(*id).or_default();
                // The post is new: none of its variants are stored for the queue to skip.
                let answer = self
                    .place_in_queue_after(
                        channel,
                        &workspace.time_zone,
                        workspace.min_gap_ms,
                        Uuid::nil(),
                        false,
                        so_far,
                    )
                    .await?;
                match answer {
                    Ok(p) => {
                        so_far.taken.push(p.at_ms);
                        so_far.after_ms = p.at_ms + 1;
                        placed.push(Timed {
                            at_ms: p.at_ms,
                            time_zone: p.time_zone,
                            local_time: p.local_time,
                            queued: true,
                        });
                    }
                    Err(reason) => refused.push(reason),
                }
            }
            for reason in refused.iter() {
                problems.push(ImportProblem {
                    row: Some(r.number),
                    line: Some(r.line),
                    column: Some("time".into()),
                    problem: format!("queue: {reason}"),
                });
            }
            if refused.is_empty() {
                r.when = RowTime::Placed(placed);
            }
        }
        Ok(())
    }
}
