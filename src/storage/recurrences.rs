//! Recurring posts: the series (rule, zone, end), and the next occurrence to make.

use uuid::Uuid;

use super::{Db, StoreError, with_pool};

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Series {
    pub post_id: Uuid,
    pub workspace_id: Uuid,
    /// `Recurrence`'s text: "every week on mon at 09:00 from 2026-03-02".
    pub rule: String,
    pub time_zone: String,
    /// The last local date an occurrence may fall on.
    pub until_date: Option<String>,
    pub max_count: Option<i64>,
    pub made_count: i64,
    pub next_at_ms: Option<i64>,
    /// `active`, `ended` or `cancelled`.
    pub state: String,
    pub created_by: Option<Uuid>,
    pub last_note: String,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
}

const COLUMNS: &str = "post_id, workspace_id, rule, time_zone, until_date, max_count, made_count,
    next_at_ms, state, created_by, last_note, created_at_ms, updated_at_ms";

/// Creates or replaces the post's series (a new rule starts counting again).
pub async fn save(db: &Db, s: &Series) -> Result<(), StoreError> {
    with_pool!(db, |pool| sqlx::query(
        "INSERT INTO post_recurrences (post_id, workspace_id, rule, time_zone, until_date,
             max_count, made_count, next_at_ms, state, created_by, last_note, created_at_ms,
             updated_at_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
         ON CONFLICT (post_id) DO UPDATE SET rule = excluded.rule,
             time_zone = excluded.time_zone, until_date = excluded.until_date,
             max_count = excluded.max_count, made_count = excluded.made_count,
             next_at_ms = excluded.next_at_ms, state = excluded.state,
             created_by = excluded.created_by, last_note = excluded.last_note,
             updated_at_ms = excluded.updated_at_ms"
    )
    .bind(s.post_id)
    .bind(s.workspace_id)
    .bind(&s.rule)
    .bind(&s.time_zone)
    .bind(&s.until_date)
    .bind(s.max_count)
    .bind(s.made_count)
    .bind(s.next_at_ms)
    .bind(&s.state)
    .bind(s.created_by)
    .bind(&s.last_note)
    .bind(s.created_at_ms)
    .bind(s.updated_at_ms)
    .execute(pool)
    .await
    .map(|_| ()))?;
    Ok(())
}

pub async fn get(db: &Db, workspace: Uuid, post: Uuid) -> Result<Option<Series>, StoreError> {
    let sql =
        format!("SELECT {COLUMNS} FROM post_recurrences WHERE workspace_id = $1 AND post_id = $2");
    Ok(with_pool!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
        sql
    ))
    .bind(workspace)
    .bind(post)
    .fetch_optional(pool)
    .await)?)
}

/// Active series whose next occurrence is due to be made by `horizon_ms`.
pub async fn due(db: &Db, horizon_ms: i64) -> Result<Vec<Series>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM post_recurrences
         WHERE state = 'active' AND next_at_ms IS NOT NULL AND next_at_ms <= $1
         ORDER BY next_at_ms"
    );
    Ok(with_pool!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
        sql
    ))
    .bind(horizon_ms)
    .fetch_all(pool)
    .await)?)
}

/// Moves an active series on from the occurrence at `from_ms` (made or skipped) to
/// `next_ms` (`None`: it ended); false when someone else moved it first.
#[allow(clippy::too_many_arguments)]
pub async fn advance(
    db: &Db,
    post: Uuid,
    from_ms: i64,
    next_ms: Option<i64>,
    made: bool,
    note: &str,
    now_ms: i64,
) -> Result<bool, StoreError> {
    let n = with_pool!(db, |pool| sqlx::query(
        "UPDATE post_recurrences SET next_at_ms = $3,
             made_count = made_count + CASE WHEN $4 THEN 1 ELSE 0 END,
             state = CASE WHEN $3 IS NULL THEN 'ended' ELSE state END,
             last_note = $5, updated_at_ms = $6
         WHERE post_id = $1 AND state = 'active' AND next_at_ms = $2"
    )
    .bind(post)
    .bind(from_ms)
    .bind(next_ms)
    .bind(made)
    .bind(note)
    .bind(now_ms)
    .execute(pool)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(n > 0)
}

/// Stops a series; false when it was not active.
pub async fn cancel(db: &Db, workspace: Uuid, post: Uuid, now_ms: i64) -> Result<bool, StoreError> {
    let n = with_pool!(db, |pool| sqlx::query(
        "UPDATE post_recurrences SET state = 'cancelled', next_at_ms = NULL, updated_at_ms = $3
         WHERE workspace_id = $1 AND post_id = $2 AND state = 'active'"
    )
    .bind(workspace)
    .bind(post)
    .bind(now_ms)
    .execute(pool)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(n > 0)
}
