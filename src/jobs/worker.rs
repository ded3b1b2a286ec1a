//! A worker claims due jobs with a lease, runs up to `concurrency` of them at once, keeps
//! their leases alive while they run, and records how each ended. Any number of workers, in
//! any number of processes, may share one database: the claim statement decides who runs
//! what.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use uuid::Uuid;

use super::Job;
use crate::services::Services;
use crate::storage::group_commit::Write;
use crate::storage::jobs::{self, Finish, JobRow};
use crate::storage::{Db, StoreError};

#[derive(Clone, Debug)]
pub struct WorkerOptions {
    /// Jobs run at once (each mostly waits on a network).
    pub concurrency: usize,
    /// How long a claim lasts without a heartbeat; a crashed worker's jobs are taken over
    /// after it.
    pub lease_ms: i64,
    /// The longest sleep between looks at the queue when nothing wakes the worker (another
    /// process enqueued on SQLite).
    pub poll: Duration,
}

impl Default for WorkerOptions {
    fn default() -> Self {
        WorkerOptions {
            concurrency: 64,
            lease_ms: 60_000,
            poll: Duration::from_secs(1),
        }
    }
}

#[derive(Clone)]
pub struct Worker {
    services: Services,
    id: Arc<str>,
    options: WorkerOptions,
    /// Jobs this worker holds, for the heartbeat.
    held: Arc<Mutex<HashSet<Uuid>>>,
}

/// A database failure inside a job: tried again later, given up after this many tries.
const MAX_TRIES_ON_ERROR: i64 = 20;

impl Worker {
    pub fn new(services: Services, options: WorkerOptions) -> Worker {
        let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "herald".into());
        Worker {
            services,
            id: format!("{host}-{}-{}", std::process::id(), Uuid::now_v7()).into(),
            options,
            held: Arc::default(),
        }
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    /// Runs jobs until `shutdown` resolves, then lets the running ones finish.
    pub async fn run(self, shutdown: impl Future<Output = ()>) {
        let slots = Arc::new(Semaphore::new(self.options.concurrency.max(1)));
        let mut running = JoinSet::new();
        let heartbeat = tokio::spawn(self.clone().heartbeat());
        let listener = listen(&self.services.db, self.services.wake.clone());
        self.services.ensure_periodic().await;
        tokio::pin!(shutdown);
        // With jobs waiting, claim when a few slots are free rather than at every finished
        // job: each claim is a write (one per finished job cost 10,000 claims in a burst).
        let min_claim = (self.options.concurrency / 16).clamp(1, 32);
        let mut saturated = false;
        loop {
            let free = slots.available_permits();
            if free > 0 && (free >= min_claim || !saturated) {
                let asked = free.min(256);
                match self.claim(asked).await {
                    Ok(batch) => {
                        saturated = batch.len() == asked;
                        for row in batch {
                            let Ok(permit) = slots.clone().acquire_owned().await else {
                                break;
                            };
                            let me = self.clone();
                            running.spawn(async move {
                                me.run_one(row).await;
                                drop(permit);
                            });
                        }
                    }
                    Err(e) => {
                        saturated = false;
                        tracing::warn!(error = %e, "claiming jobs failed");
                    }
                }
                if saturated && slots.available_permits() > 0 {
                    continue;
                }
            }
            if saturated {
                // More jobs are due: wait for slots to free up, then claim again.
                tokio::select! {
                    _ = &mut shutdown => break,
                    ended = running.join_next() => saturated = ended.is_some(),
                }
                while running.try_join_next().is_some() {}
                continue;
            }
            let wait = self.until_next_due().await;
            let full = slots.available_permits() == 0;
            tokio::select! {
                _ = &mut shutdown => break,
                _ = self.services.wake.notified() => {}
                _ = tokio::time::sleep(wait) => {}
                Some(_) = running.join_next(), if full => {}
            }
            while running.try_join_next().is_some() {}
        }
        while running.join_next().await.is_some() {}
        heartbeat.abort();
        if let Some(l) = listener {
            l.abort();
        }
    }

    /// Claims and runs every job due now, batch after batch, until none is left; returns how
    /// many ran. Tests and one-off commands use it instead of a running loop.
    pub async fn run_due(&self) -> Result<usize, StoreError> {
        let mut ran = 0;
        loop {
            let batch = self.claim(self.options.concurrency.max(1)).await?;
            if batch.is_empty() {
                return Ok(ran);
            }
            ran += batch.len();
            let mut set = JoinSet::new();
            for row in batch {
                let me = self.clone();
                set.spawn(async move { me.run_one(row).await });
            }
            while set.join_next().await.is_some() {}
        }
    }

    async fn claim(&self, limit: usize) -> Result<Vec<JobRow>, StoreError> {
        let now = self.services.now_ms();
        let batch = jobs::claim(
            &self.services.db,
            &self.id,
            now,
            self.options.lease_ms,
            limit as i64,
        )
        .await?;
        let mut held = self.held.lock().unwrap_or_else(|p| p.into_inner());
        held.extend(batch.iter().map(|j| j.id));
        Ok(batch)
    }

    async fn run_one(&self, row: JobRow) {
        let outcome = match Job::parse(&row) {
            Err(e) => Finish::Failed {
                error: format!("the job could not be read: {e}"),
            },
            Ok(Job::PublishVariant { variant_id }) => {
                match self.services.run_publish(variant_id, &self.id).await {
                    Ok(finish) => finish,
                    Err(e) => self.after_error(&row, &e.to_string()),
                }
            }
            Ok(Job::Periodic { task, slot_ms }) => {
                match self.services.run_periodic(task, slot_ms).await {
                    Ok(finish) => finish,
                    Err(e) => self.after_error(&row, &e.to_string()),
                }
            }
            Ok(Job::DeliverWebhook { delivery_id }) => {
                match self.services.run_delivery(delivery_id).await {
                    Ok(finish) => finish,
                    Err(e) => self.after_error(&row, &e.to_string()),
                }
            }
            Ok(Job::SendEmail { notification_id }) => {
                match self.services.run_email(notification_id, row.tries).await {
                    Ok(finish) => finish,
                    Err(e) => self.after_error(&row, &e.to_string()),
                }
            }
        };
        let finish = Write::Finish {
            job_id: row.id,
            worker: self.id.to_string(),
            finish: outcome,
            now_ms: self.services.now_ms(),
        };
        match self.services.commits.write(finish).await {
            Ok(true) => {}
            Ok(false) => tracing::warn!(job = %row.id, "the job's lease was lost before it ended"),
            Err(e) => tracing::warn!(job = %row.id, error = %e, "recording a job's end failed"),
        }
        self.held
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&row.id);
    }

    /// A failure of Herald's own (the database away): tried again with a growing delay.
    fn after_error(&self, row: &JobRow, error: &str) -> Finish {
        tracing::warn!(job = %row.id, kind = %row.kind, error, "a job failed");
        if row.tries >= MAX_TRIES_ON_ERROR {
            return Finish::Failed {
                error: error.to_owned(),
            };
        }
        let now = self.services.now_ms();
        Finish::RunAt {
            at_ms: crate::domain::retry::next_try_ms(row.tries, now, None, rand::random()),
            error: Some(error.to_owned()),
        }
    }

    /// Keeps the leases of running jobs alive, every third of a lease.
    async fn heartbeat(self) {
        let every = Duration::from_millis((self.options.lease_ms / 3).max(100) as u64);
        loop {
            tokio::time::sleep(every).await;
            let ids: Vec<Uuid> = self
                .held
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .iter()
                .copied()
                .collect();
            if ids.is_empty() {
                continue;
            }
            let until = self.services.now_ms() + self.options.lease_ms;
            if let Err(e) = jobs::heartbeat(&self.services.db, &self.id, &ids, until).await {
                tracing::warn!(error = %e, "extending job leases failed");
            }
        }
    }

    /// How long to sleep: until the next queued job is due, at most the poll interval.
    async fn until_next_due(&self) -> Duration {
        let poll = self.options.poll;
        match jobs::next_due_ms(&self.services.db).await {
            Ok(Some(at)) => {
                let ms = (at - self.services.now_ms()).max(0) as u64;
                poll.min(Duration::from_millis(ms))
            }
            _ => poll,
        }
    }
}

/// On Postgres, wakes the worker when any instance queues a job (LISTEN/NOTIFY); SQLite
/// workers are woken in process, and poll for other processes.
fn listen(db: &Db, wake: Arc<tokio::sync::Notify>) -> Option<tokio::task::JoinHandle<()>> {
    let Db::Postgres(pool) = db else {
        return None;
    };
    let pool = pool.clone();
    Some(tokio::spawn(async move {
        loop {
            match sqlx::postgres::PgListener::connect_with(&pool).await {
                Ok(mut listener) => {
                    if let Err(e) = listener.listen("herald_jobs").await {
                        tracing::warn!(error = %e, "LISTEN herald_jobs failed");
                    } else {
                        while listener.recv().await.is_ok() {
                            wake.notify_one();
                        }
                    }
                }
                Err(e) => tracing::warn!(error = %e, "connecting the job listener failed"),
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    }))
}
