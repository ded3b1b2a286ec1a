//! The durable queue's jobs, as typed values (crates_io keeps its jobs as structs the same
//! way), and the workers that run them.

mod periodic;
mod worker;

pub use periodic::Periodic;
pub use worker::{Worker, WorkerOptions};

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::storage::jobs::JobRow;

/// Work the queue holds. The tag is the `kind` column; the rest is the payload.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Job {
    /// Publish one variant when it is due (and retry it, and reconcile it).
    PublishVariant { variant_id: Uuid },
    /// Send one webhook delivery (and retry it).
    DeliverWebhook { delivery_id: Uuid },
    /// One period's run of a periodic task (`slot_ms` is the period's start).
    Periodic { task: Periodic, slot_ms: i64 },
    /// Email one in-app notification to its person (and retry it).
    SendEmail { notification_id: Uuid },
}

impl Job {
    pub fn kind(&self) -> &'static str {
        match self {
            Job::PublishVariant { .. } => "publish_variant",
            Job::DeliverWebhook { .. } => "deliver_webhook",
            Job::Periodic { .. } => "periodic",
            Job::SendEmail { .. } => "send_email",
        }
    }

    /// One job per variant: scheduling again moves it instead of adding another.
    pub fn dedupe_key(&self) -> String {
        match self {
            Job::PublishVariant { variant_id } => format!("publish:{variant_id}"),
            Job::DeliverWebhook { delivery_id } => format!("webhook:{delivery_id}"),
            // The slot in the key: one job per task and period, whoever queues it.
            Job::Periodic { task, slot_ms } => format!("{}:{slot_ms}", task.as_str()),
            Job::SendEmail { notification_id } => format!("email:{notification_id}"),
        }
    }

    /// The row to queue, due at `run_at_ms`.
    pub fn row(&self, run_at_ms: i64, now_ms: i64) -> JobRow {
        JobRow {
            id: Uuid::now_v7(),
            kind: self.kind().to_owned(),
            // A derived Serialize of plain fields cannot fail.
            payload: serde_json::to_string(self).unwrap_or_default(),
            state: "queued".into(),
            run_at_ms,
            tries: 0,
            locked_by: None,
            locked_until_ms: None,
            dedupe_key: Some(self.dedupe_key()),
            last_error: None,
            created_at_ms: now_ms,
            updated_at_ms: now_ms,
        }
    }

    pub fn parse(row: &JobRow) -> Result<Job, serde_json::Error> {
        serde_json::from_str(&row.payload)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_job_round_trips_through_its_row() {
        let job = Job::PublishVariant {
            variant_id: Uuid::now_v7(),
        };
        let row = job.row(5, 1);
        assert_eq!(row.kind, "publish_variant");
        assert_eq!(Job::parse(&row).unwrap(), job);
    }
}
