//! The publishing engine's writes, committed together (group commit). During a burst
//! hundreds of jobs each write a few rows; one transaction per write made every post wait
//! its turn at SQLite's one write lock (and its busy handler's sleeps) or for a PostgreSQL
//! fsync each (BENCHMARKS.md, "Publishing engine"). Here one task per process takes every
//! write waiting, applies them in one transaction, and answers each; a write waits at most
//! for the batch before it, never for a timer.
//!
//! Each write is guarded by the state it expects (the attempt still `sending`, the job still
//! held by its worker), so applying it in a batch changes nothing about what it means. If a
//! batch fails, its writes are applied again one per transaction, so one bad write cannot
//! fail the others.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

use tokio::sync::{mpsc, oneshot};
use uuid::Uuid;

use super::attempts::{Attempt, Settled};
use super::jobs::{Finish, JobRow, queue_job};
use super::notifications::{Notification, insert_notification};
use super::publishing::Outcome;
use super::{Db, StoreError, with_tx};

/// Concludes variant `$variant` with `$outcome` (a `publishing::Outcome`) if it is still
/// publishing; true when it was.
macro_rules! conclude {
    ($tx:ident, $variant:expr, $outcome:expr, $now_ms:expr) => {{
        let c = super::publishing::Concluded::of($outcome, $now_ms);
        sqlx::query(
            "UPDATE variants SET state = $2, remote_id = COALESCE($3, remote_id),
                 remote_url = COALESCE($4, remote_url), published_at_ms = $5, retry_at_ms = $6,
                 error_kind = $7, error = $8, sequence = sequence + 1, updated_at_ms = $9
             WHERE id = $1 AND state = 'publishing'",
        )
        .bind($variant)
        .bind(c.state.as_str())
        .bind(c.remote_id)
        .bind(c.remote_url)
        .bind(c.published_at_ms)
        .bind(c.retry_at_ms)
        .bind(c.kind)
        .bind(c.error)
        .bind($now_ms)
        .execute(&mut *$tx)
        .await?
        .rows_affected()
            > 0
    }};
}

/// The most writes one transaction takes (a bound on how long the write lock is held).
const MAX_BATCH: usize = 512;

/// One write of the engine; each answers whether it applied.
#[derive(Clone, Debug)]
pub enum Write {
    /// Attempt `number` written `sending` and counted on its variant; with `take`, the
    /// variant is first taken from `scheduled` (if it is due and still scheduled). False
    /// when the variant is not publishing (cancelled, taken by another worker) or the
    /// attempt was already written.
    Begin { attempt: Attempt, take: bool },
    /// An attempt settled (if still in state `from`), then its variant concluded (if still
    /// publishing). False when the attempt was not in state `from` (another worker settled
    /// it), or the variant was no longer publishing.
    Settle {
        attempt_id: Uuid,
        from: &'static str,
        settled: Settled,
        conclude: Option<(Uuid, Outcome)>,
    },
    /// The variant concluded, if still publishing.
    Conclude {
        variant_id: Uuid,
        outcome: Outcome,
        now_ms: i64,
    },
    /// Notifications added (one per recipient) and their email jobs queued; always applies.
    Notify {
        rows: Vec<Notification>,
        jobs: Vec<JobRow>,
    },
    /// A job's run recorded, if `worker` still holds it.
    Finish {
        job_id: Uuid,
        worker: String,
        finish: Finish,
        now_ms: i64,
    },
}

type Reply = oneshot::Sender<Result<bool, StoreError>>;

/// The writer of one database; started on first use (it needs a runtime).
pub struct GroupCommit {
    db: Db,
    sender: OnceLock<mpsc::UnboundedSender<(Write, Reply)>>,
    /// Batches that failed as a whole and were written one by one (tests expect none).
    failed_batches: Arc<AtomicU64>,
}

impl GroupCommit {
    pub fn new(db: Db) -> GroupCommit {
        GroupCommit {
            db,
            sender: OnceLock::new(),
            failed_batches: Arc::default(),
        }
    }

    /// How many batches failed as a whole (and were written one by one) so far.
    pub fn failed_batches(&self) -> u64 {
        self.failed_batches.load(Ordering::Relaxed)
    }

    /// Applies `write` in the next batch.
    pub async fn write(&self, write: Write) -> Result<bool, StoreError> {
        let sender = self.sender.get_or_init(|| {
            let (sender, receiver) = mpsc::unbounded_channel();
            tokio::spawn(run(self.db.clone(), receiver, self.failed_batches.clone()));
            sender
        });
        let (reply, answer) = oneshot::channel();
        sender.send((write, reply)).map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }
}

fn stopped() -> StoreError {
    StoreError::Other("the database writer stopped".into())
}

async fn run(
    db: Db,
    mut receiver: mpsc::UnboundedReceiver<(Write, Reply)>,
    failed_batches: Arc<AtomicU64>,
) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while receiver.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let writes: Vec<&Write> = batch.iter().map(|(w, _)| w).collect();
        match apply(&db, &writes).await {
            Ok(applied) => {
                for ((_, reply), applied) in batch.drain(..).zip(applied) {
                    let _ = reply.send(Ok(applied));
                }
            }
            Err(e) => {
                failed_batches.fetch_add(1, Ordering::Relaxed);
                tracing::warn!(error = %e, writes = batch.len(), "a group commit failed; writing one by one");
                for (write, reply) in batch.drain(..) {
                    let _ = reply.send(apply_one(&db, &write).await);
                }
            }
        }
    }
}

/// Applies one write in its own transaction (the engine's writes outside a burst, tests).
pub async fn apply_one(db: &Db, write: &Write) -> Result<bool, StoreError> {
    let applied = apply(db, &[write]).await?;
    Ok(applied.first().copied().unwrap_or(false))
}

/// Applies `writes` in order in one transaction.
async fn apply(db: &Db, writes: &[&Write]) -> Result<Vec<bool>, StoreError> {
    with_tx!(db, |tx| {
        async {
            let mut applied = Vec::with_capacity(writes.len());
            for write in writes {
                let done = match write {
                    Write::Begin { attempt, take } => {
                        let counted = sqlx::query(
                            "UPDATE variants SET state = 'publishing', attempt_count = $2,
                                 tries = tries + 1, retry_at_ms = NULL,
                                 first_attempt_ms = COALESCE(first_attempt_ms, $3),
                                 updated_at_ms = $3
                             WHERE id = $1 AND attempt_count = $2 - 1
                               AND (state = 'publishing'
                                    OR ($4 AND state = 'scheduled' AND scheduled_at_ms <= $3))",
                        )
                        .bind(attempt.variant_id)
                        .bind(attempt.number)
                        .bind(attempt.started_at_ms)
                        .bind(*take)
                        .execute(&mut *tx)
                        .await?
                        .rows_affected();
                        if counted > 0 {
                            sqlx::query(
                                "INSERT INTO attempts (id, variant_id, number, state, worker,
                                     started_at_ms, published)
                                 VALUES ($1, $2, $3, 'sending', $4, $5, $6)",
                            )
                            .bind(attempt.id)
                            .bind(attempt.variant_id)
                            .bind(attempt.number)
                            .bind(&attempt.worker)
                            .bind(attempt.started_at_ms)
                            .bind(&attempt.published)
                            .execute(&mut *tx)
                            .await?;
                        }
                        counted > 0
                    }
                    Write::Settle {
                        attempt_id,
                        from,
                        settled: s,
                        conclude,
                    } => {
                        let settled = sqlx::query(
                            "UPDATE attempts SET state = $3, error_kind = $4, error = $5,
                                 published = $6,
                                 raw_answer = CASE WHEN $7 = '' THEN raw_answer ELSE $7 END,
                                 finished_at_ms = $8
                             WHERE id = $1 AND state = $2",
                        )
                        .bind(attempt_id)
                        .bind(*from)
                        .bind(s.state)
                        .bind(&s.error_kind)
                        .bind(&s.error)
                        .bind(&s.published)
                        .bind(&s.raw_answer)
                        .bind(s.at_ms)
                        .execute(&mut *tx)
                        .await?
                        .rows_affected()
                            > 0;
                        match conclude {
                            Some((variant, outcome)) if settled => {
                                conclude!(tx, variant, outcome, s.at_ms)
                            }
                            _ => settled,
                        }
                    }
                    Write::Conclude {
                        variant_id,
                        outcome,
                        now_ms,
                    } => conclude!(tx, variant_id, outcome, *now_ms),
                    Write::Notify { rows, jobs } => {
                        for n in rows {
                            insert_notification!(&mut *tx, n)?;
                        }
                        for job in jobs {
                            queue_job!(tx, job);
                        }
                        true
                    }
                    Write::Finish {
                        job_id,
                        worker,
                        finish,
                        now_ms,
                    } => {
                        let (state, run_at, error) = match finish {
                            Finish::Done => ("done", None, None),
                            Finish::RunAt { at_ms, error } => {
                                ("queued", Some(*at_ms), error.clone())
                            }
                            Finish::Failed { error } => ("failed", None, Some(error.clone())),
                        };
                        sqlx::query(
                            "UPDATE jobs SET state = $3, run_at_ms = COALESCE($4, run_at_ms),
                                 last_error = $5, locked_by = NULL, locked_until_ms = NULL,
                                 updated_at_ms = $6
                             WHERE id = $1 AND locked_by = $2 AND state = 'running'",
                        )
                        .bind(job_id)
                        .bind(worker)
                        .bind(state)
                        .bind(run_at)
                        .bind(error)
                        .bind(now_ms)
                        .execute(&mut *tx)
                        .await?
                        .rows_affected()
                            > 0
                    }
                };
                applied.push(done);
            }
            Ok::<_, StoreError>(applied)
        }
        .await
    })
}
