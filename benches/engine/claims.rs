//! The queue alone: jobs claimed with a lease and finished, one batch after another, by one
//! worker, on a fresh database.

use std::time::{Duration, Instant};

use herald::jobs::Job;
use herald::storage::Db;
use herald::storage::jobs::{self, Finish};
use uuid::Uuid;

use crate::setup::now_ms;

pub const JOBS: usize = 20_000;
/// Batch size 1 is slow on a durable PostgreSQL (two commits per job): it stops here.
const TIME_LIMIT: Duration = Duration::from_secs(20);

pub struct Claims {
    pub batch: i64,
    pub jobs: usize,
    /// Jobs claimed and finished per second.
    pub per_sec: f64,
    /// Jobs claimed per second of time spent in the claim statement alone.
    pub claim_only_per_sec: f64,
}

/// Empties the queue and queues `JOBS` due jobs in one transaction (the bench's set-up, not
/// what is measured).
pub async fn fill(db: &Db) {
    let now = now_ms();
    let emptied = match db {
        Db::Sqlite(pool) => sqlx::query("DELETE FROM jobs")
            .execute(pool)
            .await
            .map(drop),
        Db::Postgres(pool) => sqlx::query("DELETE FROM jobs")
            .execute(pool)
            .await
            .map(drop),
    };
    emptied.expect("empty the queue");
    let sql = "INSERT INTO jobs (id, kind, payload, state, run_at_ms, tries, dedupe_key,
                   created_at_ms, updated_at_ms)
               VALUES ($1, $2, $3, 'queued', $4, 0, $5, $6, $6)";
    let rows: Vec<_> = (0..JOBS)
        .map(|_| {
            Job::PublishVariant {
                variant_id: Uuid::now_v7(),
            }
            .row(now - 1, now)
        })
        .collect();
    macro_rules! insert_all {
        ($pool:expr) => {{
            let mut tx = $pool.begin().await.expect("begin");
            for j in &rows {
                sqlx::query(sql)
                    .bind(j.id)
                    .bind(&j.kind)
                    .bind(&j.payload)
                    .bind(j.run_at_ms)
                    .bind(&j.dedupe_key)
                    .bind(j.created_at_ms)
                    .execute(&mut *tx)
                    .await
                    .expect("insert a job");
            }
            tx.commit().await.expect("commit");
        }};
    }
    match db {
        Db::Sqlite(pool) => insert_all!(pool),
        Db::Postgres(pool) => insert_all!(pool),
    }
}

/// Claims and finishes queued jobs `batch` at a time until none is left or the time limit.
pub async fn run(db: &Db, batch: i64) -> Claims {
    let started = Instant::now();
    let mut in_claim = Duration::ZERO;
    let mut done = 0;
    while started.elapsed() < TIME_LIMIT {
        let t = Instant::now();
        let claimed = jobs::claim(db, "bench", now_ms(), 60_000, batch)
            .await
            .expect("claim");
        in_claim += t.elapsed();
        if claimed.is_empty() {
            break;
        }
        for job in &claimed {
            let now = now_ms();
            let held = jobs::finish(db, job.id, "bench", &Finish::Done, now)
                .await
                .expect("finish");
            assert!(held, "the bench's own claim");
        }
        done += claimed.len();
    }
    let total = started.elapsed().as_secs_f64();
    Claims {
        batch,
        jobs: done,
        per_sec: done as f64 / total,
        claim_only_per_sec: done as f64 / in_claim.as_secs_f64().max(1e-9),
    }
}
