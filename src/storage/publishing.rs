//! The variants' way out: scheduled with their publish job in one transaction, then moved
//! through publishing to published or failed by conditional updates (when no row changes,
//! someone else won: DESIGN.md, "Data rules").

use uuid::Uuid;

use super::group_commit::{self, Write};
use super::jobs::{JobRow, queue_job};
use super::posts::{VARIANT_COLUMNS, Variant};
use super::{Db, StoreError, with_pool, with_tx};
use crate::domain::post::VariantState;

/// When one variant goes out, as the person chose it.
#[derive(Clone, Debug)]
pub struct Timing {
    pub variant_id: Uuid,
    pub at_ms: i64,
    pub time_zone: String,
    pub local_time: String,
    /// The time came from the channel's queue.
    pub queued: bool,
    /// The variant's publish job, queued (or moved) in the same transaction.
    pub job: JobRow,
}

/// Schedules variants that are in one of `from`; returns the ids that changed (a variant
/// that moved on meanwhile, say published, is left alone).
pub async fn schedule(
    db: &Db,
    timings: &[Timing],
    from: &[VariantState],
    now_ms: i64,
) -> Result<Vec<Uuid>, StoreError> {
    let from = states_sql(from);
    let update = format!(
        "UPDATE variants SET state = 'scheduled', scheduled_at_ms = $2, time_zone = $3,
             local_time = $4, error = NULL, error_kind = NULL, retry_at_ms = NULL, tries = 0,
             queued = $6, sequence = sequence + 1, updated_at_ms = $5
         WHERE id = $1 AND state IN ({from})"
    );
    with_tx!(db, |tx| {
        async {
            let mut changed = Vec::new();
            for t in timings {
                let n = sqlx::query(sqlx::AssertSqlSafe(update.clone()))
                    .bind(t.variant_id)
                    .bind(t.at_ms)
                    .bind(&t.time_zone)
                    .bind(&t.local_time)
                    .bind(now_ms)
                    .bind(t.queued)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if n == 0 {
                    continue;
                }
                queue_job!(tx, t.job);
                changed.push(t.variant_id);
            }
            Ok::<_, StoreError>(changed)
        }
        .await
    })
}

/// Cancels variants that are scheduled, waiting for a retry, failed or of unknown outcome;
/// returns the ids that changed. A variant whose attempt is under way (its `retry_at_ms`
/// cleared when the attempt began) is not touched: its outcome must be recorded.
pub async fn cancel(db: &Db, ids: &[Uuid], now_ms: i64) -> Result<Vec<Uuid>, StoreError> {
    let mut changed = Vec::new();
    for id in ids {
        let n = with_pool!(db, |pool| sqlx::query(
            "UPDATE variants SET state = 'cancelled', retry_at_ms = NULL,
                 sequence = sequence + 1, updated_at_ms = $2
             WHERE id = $1 AND (state IN ('scheduled', 'failed', 'outcome_unknown')
                 OR (state = 'publishing' AND retry_at_ms IS NOT NULL))"
        )
        .bind(id)
        .bind(now_ms)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))?;
        if n > 0 {
            changed.push(*id);
        }
    }
    Ok(changed)
}

/// Takes a due scheduled variant for publishing; `None` when it is not due, not scheduled,
/// or another worker took it.
pub async fn start(db: &Db, id: Uuid, now_ms: i64) -> Result<Option<Variant>, StoreError> {
    let sql = format!(
        "UPDATE variants SET state = 'publishing', updated_at_ms = $2
         WHERE id = $1 AND state = 'scheduled' AND scheduled_at_ms <= $2
         RETURNING {VARIANT_COLUMNS}"
    );
    Ok(with_pool!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
        sql
    ))
    .bind(id)
    .bind(now_ms)
    .fetch_optional(pool)
    .await)?)
}

/// Where a publishing variant ends up after an attempt.
#[derive(Clone, Debug)]
pub enum Outcome {
    Published {
        remote_id: String,
        remote_url: Option<String>,
    },
    /// Tried again at `retry_at_ms`; the variant stays publishing.
    Retrying {
        retry_at_ms: i64,
        kind: String,
        error: String,
    },
    /// Failed, or outcome_unknown: people decide what next.
    Stopped {
        state: VariantState,
        kind: String,
        error: String,
    },
}

/// Records the outcome on a variant still publishing; false when it no longer was.
pub async fn conclude(
    db: &Db,
    id: Uuid,
    outcome: &Outcome,
    now_ms: i64,
) -> Result<bool, StoreError> {
    let write = Write::Conclude {
        variant_id: id,
        outcome: outcome.clone(),
        now_ms,
    };
    group_commit::apply_one(db, &write).await
}

/// The columns an outcome sets.
pub(super) struct Concluded {
    pub state: VariantState,
    pub remote_id: Option<String>,
    pub remote_url: Option<String>,
    pub published_at_ms: Option<i64>,
    pub retry_at_ms: Option<i64>,
    pub kind: Option<String>,
    pub error: Option<String>,
}

impl Concluded {
    pub fn of(outcome: &Outcome, now_ms: i64) -> Concluded {
        let none = Concluded {
            state: VariantState::Publishing,
            remote_id: None,
            remote_url: None,
            published_at_ms: None,
            retry_at_ms: None,
            kind: None,
            error: None,
        };
        match outcome {
            Outcome::Published {
                remote_id,
                remote_url,
            } => Concluded {
                state: VariantState::Published,
                remote_id: Some(remote_id.clone()),
                remote_url: remote_url.clone(),
                published_at_ms: Some(now_ms),
                ..none
            },
            Outcome::Retrying {
                retry_at_ms,
                kind,
                error,
            } => Concluded {
                retry_at_ms: Some(*retry_at_ms),
                kind: Some(kind.clone()),
                error: Some(error.clone()),
                ..none
            },
            Outcome::Stopped { state, kind, error } => Concluded {
                state: *state,
                kind: Some(kind.clone()),
                error: Some(error.clone()),
                ..none
            },
        }
    }
}

/// Marks a scheduled variant that is past the grace window as missed (failed), so it is
/// not published hours late; false when it was no longer scheduled.
pub async fn miss(db: &Db, id: Uuid, error: &str, now_ms: i64) -> Result<bool, StoreError> {
    let done = with_pool!(db, |pool| sqlx::query(
        "UPDATE variants SET state = 'failed', error_kind = 'missed', error = $2,
             sequence = sequence + 1, updated_at_ms = $3
         WHERE id = $1 AND state = 'scheduled'"
    )
    .bind(id)
    .bind(error)
    .bind(now_ms)
    .execute(pool)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(done > 0)
}

/// `'a', 'b'` for an `IN (...)`: states are our own constants, never input.
pub(crate) fn states_sql(states: &[VariantState]) -> String {
    states
        .iter()
        .map(|s| format!("'{}'", s.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What the publisher needs from around a variant: its workspace and grace window, whether
/// the post has media to read, and what its notification is made of (read here, once, rather
/// than again when the post is published: BENCHMARKS.md, "Publishing engine").
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Surroundings {
    pub workspace_id: Uuid,
    pub grace_window_ms: i64,
    pub author_id: Uuid,
    pub post_text: String,
    pub has_media: bool,
    pub author_is_member: bool,
    pub has_webhooks: bool,
}

/// A variant with its surroundings, in one read (the publisher reads it for every job).
#[derive(sqlx::FromRow)]
struct WithSurroundings {
    #[sqlx(flatten)]
    variant: Variant,
    #[sqlx(flatten)]
    around: Surroundings,
}

pub async fn get_with_surroundings(
    db: &Db,
    id: Uuid,
) -> Result<Option<(Variant, Surroundings)>, StoreError> {
    let sql = format!(
        "SELECT v.*, p.workspace_id, w.grace_window_ms, p.author_id, p.text AS post_text,
                EXISTS (SELECT 1 FROM post_media pm WHERE pm.post_id = p.id) AS has_media,
                EXISTS (SELECT 1 FROM memberships m
                        WHERE m.workspace_id = p.workspace_id AND m.user_id = p.author_id)
                    AS author_is_member,
                EXISTS (SELECT 1 FROM webhooks h WHERE h.workspace_id = p.workspace_id)
                    AS has_webhooks
         FROM (SELECT {VARIANT_COLUMNS} FROM variants WHERE id = $1) AS v
         JOIN posts p ON p.id = v.post_id JOIN workspaces w ON w.id = p.workspace_id"
    );
    let row: Option<WithSurroundings> =
        with_pool!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(pool)
            .await)?;
    Ok(row.map(|r| (r.variant, r.around)))
}

/// The channel's queued variants still waiting, earliest first: (variant, due).
pub async fn queued(db: &Db, channel: Uuid, from_ms: i64) -> Result<Vec<(Uuid, i64)>, StoreError> {
    Ok(with_pool!(db, |pool| sqlx::query_as(
        "SELECT id, scheduled_at_ms FROM variants
         WHERE channel_id = $1 AND state = 'scheduled' AND queued AND scheduled_at_ms >= $2
         ORDER BY scheduled_at_ms, id"
    )
    .bind(channel)
    .bind(from_ms)
    .fetch_all(pool)
    .await)?)
}

/// When the channel's posts that are still to go out are due, from `from_ms` on: the
/// instants a queue must not take, and a minimum gap keeps away from.
pub async fn taken(
    db: &Db,
    channel: Uuid,
    from_ms: i64,
    except_post: Option<Uuid>,
) -> Result<Vec<i64>, StoreError> {
    let rows: Vec<(i64,)> = with_pool!(db, |pool| sqlx::query_as(
        "SELECT scheduled_at_ms FROM variants
         WHERE channel_id = $1 AND state IN ('scheduled', 'publishing', 'published')
           AND scheduled_at_ms IS NOT NULL AND scheduled_at_ms >= $2
           AND ($3 IS NULL OR post_id <> $3)
         ORDER BY scheduled_at_ms"
    )
    .bind(channel)
    .bind(from_ms)
    .bind(except_post)
    .fetch_all(pool)
    .await)?;
    Ok(rows.into_iter().map(|(at,)| at).collect())
}
