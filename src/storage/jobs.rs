//! The durable job queue (DESIGN.md, "Publishing"): jobs are claimed with a lease in one
//! statement, and every later write names the worker, so a worker whose lease ran out and was
//! taken over cannot finish the job.

use uuid::Uuid;

use super::group_commit::{self, Write};
use super::{Db, StoreError, with_pool, with_tx};

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct JobRow {
    pub id: Uuid,
    pub kind: String,
    pub payload: String,
    pub state: String,
    pub run_at_ms: i64,
    pub tries: i64,
    pub locked_by: Option<String>,
    pub locked_until_ms: Option<i64>,
    pub dedupe_key: Option<String>,
    pub last_error: Option<String>,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
}

const COLUMNS: &str = "id, kind, payload, state, run_at_ms, tries, locked_by, locked_until_ms,
    dedupe_key, last_error, created_at_ms, updated_at_ms";

/// Queues `$job` (a `JobRow`) inside the caller's transaction `$tx`, so a job is never
/// queued for a change that was rolled back, nor a change made without its job. With its
/// dedupe key already queued, the existing job moves to the new `run_at_ms` (a post
/// rescheduled) unless it is running; a finished one is queued again.
macro_rules! queue_job {
    ($tx:expr, $job:expr) => {
        sqlx::query(
            "INSERT INTO jobs (id, kind, payload, state, run_at_ms, tries, dedupe_key,
                 created_at_ms, updated_at_ms)
             VALUES ($1, $2, $3, 'queued', $4, 0, $5, $6, $6)
             ON CONFLICT (dedupe_key) WHERE dedupe_key IS NOT NULL DO UPDATE
                 SET payload = excluded.payload, run_at_ms = excluded.run_at_ms,
                     state = 'queued', tries = 0, last_error = NULL, locked_by = NULL,
                     locked_until_ms = NULL, updated_at_ms = excluded.updated_at_ms
                 WHERE jobs.state <> 'running'",
        )
        .bind($job.id)
        .bind(&$job.kind)
        .bind(&$job.payload)
        .bind($job.run_at_ms)
        .bind(&$job.dedupe_key)
        .bind($job.created_at_ms)
        .execute(&mut *$tx)
        .await?
    };
}
pub(crate) use queue_job;

/// Claims up to `limit` due jobs for `worker` until `now_ms + lease_ms`: queued ones, and
/// running ones whose worker's lease ran out (it crashed or stalled). One statement, so two
/// workers never claim the same job; Postgres skips rows another claim has locked instead
/// of waiting for it. Ordered by due time alone, as `jobs_due` is: a tie-break on `id` made
/// each claim sort every due job (10,000 due at one instant: ~4 ms per claim on SQLite, with
/// the write lock held; BENCHMARKS.md), where the index walk stops after `limit` rows.
pub async fn claim(
    db: &Db,
    worker: &str,
    now_ms: i64,
    lease_ms: i64,
    limit: i64,
) -> Result<Vec<JobRow>, StoreError> {
    let lock = match db {
        Db::Sqlite(_) => "",
        Db::Postgres(_) => "FOR UPDATE SKIP LOCKED",
    };
    let sql = format!(
        "UPDATE jobs SET state = 'running', locked_by = $1, locked_until_ms = $2,
             tries = tries + 1, updated_at_ms = $3
         WHERE id IN (
             SELECT id FROM jobs
             WHERE state IN ('queued', 'running') AND run_at_ms <= $3
               AND (state = 'queued' OR locked_until_ms < $3)
             ORDER BY run_at_ms LIMIT $4 {lock})
         RETURNING {COLUMNS}"
    );
    let mut jobs: Vec<JobRow> = with_tx!(db, |tx| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(worker)
        .bind(now_ms + lease_ms)
        .bind(now_ms)
        .bind(limit)
        .fetch_all(&mut *tx)
        .await
        .map_err(StoreError::from))?;
    // RETURNING gives no order guarantee.
    jobs.sort_by_key(|j| (j.run_at_ms, j.id));
    Ok(jobs)
}

/// Extends the leases of the jobs `worker` still holds; returns how many it holds. A few
/// statements for all of them (a worker may hold hundreds during a burst, and on SQLite each
/// statement is a turn at the one write lock).
pub async fn heartbeat(
    db: &Db,
    worker: &str,
    ids: &[Uuid],
    until_ms: i64,
) -> Result<u64, StoreError> {
    let mut held = 0;
    // Well under SQLite's and Postgres' limits on bound parameters.
    for chunk in ids.chunks(500) {
        let list: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 3)).collect();
        let sql = format!(
            "UPDATE jobs SET locked_until_ms = $2
             WHERE locked_by = $1 AND state = 'running' AND id IN ({})",
            list.join(", ")
        );
        held += with_pool!(db, |pool| {
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(worker)
                .bind(until_ms);
            for id in chunk {
                query = query.bind(id);
            }
            query.execute(pool).await.map(|r| r.rows_affected())
        })?;
    }
    Ok(held)
}

/// How a run ended, as the queue records it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Finish {
    Done,
    /// Run again at this time (a retry, or the work moved later).
    RunAt {
        at_ms: i64,
        error: Option<String>,
    },
    Failed {
        error: String,
    },
}

/// Records how `worker`'s run ended; false when the worker no longer held the job.
pub async fn finish(
    db: &Db,
    id: Uuid,
    worker: &str,
    finish: &Finish,
    now_ms: i64,
) -> Result<bool, StoreError> {
    let write = Write::Finish {
        job_id: id,
        worker: worker.to_owned(),
        finish: finish.clone(),
        now_ms,
    };
    group_commit::apply_one(db, &write).await
}

/// When the next queued job is due, to sleep until then.
pub async fn next_due_ms(db: &Db) -> Result<Option<i64>, StoreError> {
    let (next,): (Option<i64>,) = with_pool!(db, |pool| sqlx::query_as(
        "SELECT MIN(run_at_ms) FROM jobs WHERE state = 'queued'"
    )
    .fetch_one(pool)
    .await)?;
    Ok(next)
}

/// Forgets finished jobs older than `before_ms` (their dedupe keys too: periodic slots are
/// never that old).
pub async fn prune(db: &Db, before_ms: i64) -> Result<u64, StoreError> {
    Ok(with_pool!(db, |pool| sqlx::query(
        "DELETE FROM jobs WHERE state IN ('done', 'failed') AND updated_at_ms < $1"
    )
    .bind(before_ms)
    .execute(pool)
    .await
    .map(|r| r.rows_affected()))?)
}

/// Wakes Postgres workers listening on `herald_jobs` (LISTEN/NOTIFY); SQLite workers are
/// woken in process by the caller.
pub async fn notify(db: &Db) -> Result<(), StoreError> {
    if let Db::Postgres(pool) = db {
        sqlx::query("SELECT pg_notify('herald_jobs', '')")
            .execute(pool)
            .await?;
    }
    Ok(())
}
