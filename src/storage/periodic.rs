//! Periodic jobs: queued once per slot. Unlike `queue_job!`, which re-queues a finished job
//! with the same key (a post scheduled again), a slot that already ran stays done.

use super::jobs::JobRow;
use super::{Db, StoreError, with_pool};

/// Queues `job` unless a job with its dedupe key exists (queued, running or done); true
/// when this call queued it.
pub async fn ensure(db: &Db, job: &JobRow) -> Result<bool, StoreError> {
    let added = with_pool!(db, |pool| sqlx::query(
        "INSERT INTO jobs (id, kind, payload, state, run_at_ms, tries, dedupe_key,
             created_at_ms, updated_at_ms)
         VALUES ($1, $2, $3, 'queued', $4, 0, $5, $6, $6)
         ON CONFLICT (dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING"
    )
    .bind(job.id)
    .bind(&job.kind)
    .bind(&job.payload)
    .bind(job.run_at_ms)
    .bind(&job.dedupe_key)
    .bind(job.created_at_ms)
    .execute(pool)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(added > 0)
}

/// How many times each slot of `task` ran (tries of its done jobs), oldest first: what an
/// operator (and the tests) look at to see each slot ran once.
pub async fn runs(db: &Db, task: &str) -> Result<Vec<(String, i64)>, StoreError> {
    let pattern = format!("{task}:%");
    Ok(with_pool!(db, |pool| sqlx::query_as(
        "SELECT dedupe_key, tries FROM jobs
         WHERE kind = 'periodic' AND state = 'done' AND dedupe_key LIKE $1
         ORDER BY run_at_ms"
    )
    .bind(pattern)
    .fetch_all(pool)
    .await)?)
}

/// Whether a run of `task` taken before `slot_ms` began is still going (held under a live
/// lease): a pass longer than its period must not overlap the next one, which would fill
/// the same empty slots or poll the same feeds twice. Runs of older slots claimed along with
/// this one (after downtime) do not count: they only queue the current slot and end.
pub async fn another_running(
    db: &Db,
    task: &str,
    slot_ms: i64,
    now_ms: i64,
) -> Result<bool, StoreError> {
    let pattern = format!("{task}:%");
    let (found,): (bool,) = with_pool!(db, |pool| sqlx::query_as(
        "SELECT EXISTS (SELECT 1 FROM jobs
             WHERE kind = 'periodic' AND state = 'running' AND dedupe_key LIKE $1
               AND updated_at_ms < $2 AND locked_until_ms > $3)"
    )
    .bind(pattern)
    .bind(slot_ms)
    .bind(now_ms)
    .fetch_one(pool)
    .await)?;
    Ok(found)
}
