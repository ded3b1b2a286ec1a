//! Running periodic tasks: each slot's job queues the next slot first (so the chain goes on
//! even if this run fails), then does the period's work; a late slot hands over to the
//! current one instead.

use super::{AppResult, Services};
use crate::jobs::{Job, Periodic};
use crate::storage::jobs::Finish;
use crate::storage::periodic;

impl Services {
    /// Queues every periodic task's current slot, unless it exists (ran or waiting). Every
    /// worker calls this when it starts, so a chain broken while no worker ran starts again.
    pub async fn ensure_periodic(&self) {
        let now = self.now_ms();
        for task in Periodic::ALL {
            let slot_ms = task.slot_of(now);
            if let Err(e) = self.queue_slot(task, slot_ms).await {
                tracing::warn!(task = task.as_str(), error = %e, "queueing periodic work failed");
            }
        }
    }

    /// One slot's run of `task`. A run late by a whole period or more (Herald was down, or
    /// the workers busy) only hands over to the current slot's job: every late slot doing
    /// the work as well would run the same pass several times at once.
    pub async fn run_periodic(&self, task: Periodic, slot_ms: i64) -> AppResult<Finish> {
        let current = task.slot_of(self.now_ms());
        if slot_ms < current {
            self.queue_slot(task, current).await?;
            return Ok(Finish::Done);
        }
        // Queued before the work, so the chain goes on even if this run fails.
        self.queue_slot(task, task.next_slot_after(slot_ms)).await?;
        if periodic::another_running(&self.db, task.as_str(), slot_ms, self.now_ms()).await? {
            // The previous pass is still at it; this slot's work is what it is doing.
            tracing::info!(
                task = task.as_str(),
                slot_ms,
                "skipped: the previous run is still going"
            );
            return Ok(Finish::Done);
        }
        match task {
            Periodic::Evergreen => self.recycle_evergreen().await?,
            Periodic::Recurrence => self.make_occurrences().await?,
            Periodic::Feeds => self.poll_due_feeds().await?,
        }
        Ok(Finish::Done)
    }

    async fn queue_slot(&self, task: Periodic, slot_ms: i64) -> AppResult<()> {
        let row = Job::Periodic { task, slot_ms }.row(slot_ms, self.now_ms());
        if periodic::ensure(&self.db, &row).await? {
            self.wake.notify_one();
        }
        Ok(())
    }
}
