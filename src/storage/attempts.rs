//! Attempts to publish a variant, each written as `sending` before the network call and
//! settled after it, with what the network answered.

use uuid::Uuid;

use super::group_commit::{self, Write};
use super::{Db, StoreError, with_pool};

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct Attempt {
    pub id: Uuid,
    pub variant_id: Uuid,
    pub number: i64,
    /// sending, published, failed, retrying, outcome_unknown, reconciled.
    pub state: String,
    pub worker: String,
    pub started_at_ms: i64,
    pub finished_at_ms: Option<i64>,
    pub error_kind: Option<String>,
    pub error: Option<String>,
    /// JSON list of the parts already on the network.
    pub published: String,
    /// JSON list of the exchanges (status, body) the network answered.
    pub raw_answer: String,
}

const COLUMNS: &str = "id, variant_id, number, state, worker, started_at_ms, finished_at_ms,
    error_kind, error, published, raw_answer";

/// Writes attempt `number` as sending, and counts it on the variant (the variant's first
/// attempt time is kept: Bluesky record keys derive from it). False when the variant is no
/// longer publishing, or another worker already wrote this attempt.
pub async fn begin(db: &Db, attempt: &Attempt) -> Result<bool, StoreError> {
    let write = Write::Begin {
        attempt: attempt.clone(),
        take: false,
    };
    group_commit::apply_one(db, &write).await
}

/// How an attempt ended.
#[derive(Clone, Debug, Default)]
pub struct Settled {
    pub state: &'static str,
    pub error_kind: Option<String>,
    pub error: Option<String>,
    pub published: String,
    pub raw_answer: String,
    pub at_ms: i64,
}

/// Settles an attempt still `sending` (or an unknown one being reconciled); false when
/// someone else settled it first (a worker that took the job over).
pub async fn settle(
    db: &Db,
    id: Uuid,
    from: &'static str,
    s: &Settled,
) -> Result<bool, StoreError> {
    let write = Write::Settle {
        attempt_id: id,
        from,
        settled: s.clone(),
        conclude: None,
    };
    group_commit::apply_one(db, &write).await
}

pub async fn last(db: &Db, variant: Uuid) -> Result<Option<Attempt>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM attempts WHERE variant_id = $1 ORDER BY number DESC LIMIT 1"
    );
    Ok(with_pool!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
        sql
    ))
    .bind(variant)
    .fetch_optional(pool)
    .await)?)
}

/// A post's attempts, oldest first.
pub async fn of_post(db: &Db, post: Uuid) -> Result<Vec<Attempt>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM attempts
         WHERE variant_id IN (SELECT id FROM variants WHERE post_id = $1)
         ORDER BY started_at_ms, number"
    );
    Ok(with_pool!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
        sql
    ))
    .bind(post)
    .fetch_all(pool)
    .await)?)
}
