//! Reviews: submitting a post, approvals, requests for changes, comments and the audit log.
//! Each state change and its log entry are written in one transaction, conditional on the
//! state they start from.

use uuid::Uuid;

use super::{Db, StoreError, with_pool, with_tx};

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct PostEvent {
    pub id: Uuid,
    pub post_id: Uuid,
    pub actor_id: Option<Uuid>,
    pub actor_name: String,
    /// submitted, approved, changes_requested, scheduled, cancelled, edited_back_to_review...
    pub action: String,
    pub from_state: String,
    pub to_state: String,
    pub note: String,
    pub at_ms: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Comment {
    pub id: Uuid,
    pub post_id: Uuid,
    pub author_id: Option<Uuid>,
    pub author_name: String,
    pub body: String,
    pub created_at_ms: i64,
}

/// The desired time a variant keeps while in review, so approval can schedule it.
#[derive(Clone, Debug)]
pub struct Desired {
    pub at_ms: Option<i64>,
    pub time_zone: String,
    pub local_time: String,
}

macro_rules! insert_event {
    ($tx:expr, $e:expr) => {
        sqlx::query(
            "INSERT INTO post_events (id, post_id, actor_id, actor_name, action, from_state,
                 to_state, note, at_ms)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind($e.id)
        .bind($e.post_id)
        .bind($e.actor_id)
        .bind(&$e.actor_name)
        .bind(&$e.action)
        .bind(&$e.from_state)
        .bind(&$e.to_state)
        .bind(&$e.note)
        .bind($e.at_ms)
        .execute(&mut *$tx)
        .await?
    };
}

/// Sends the post's variants that are drafts, sent back, approved, failed or cancelled to
/// review, needing `needed` approvals; returns how many variants moved.
pub async fn submit(
    db: &Db,
    event: &PostEvent,
    needed: i64,
    desired: &Desired,
) -> Result<u64, StoreError> {
    with_tx!(db, |tx| {
        async {
            let moved = sqlx::query(
                "UPDATE variants SET state = 'in_review', scheduled_at_ms = $2, time_zone = $3,
                     local_time = $4, error = NULL, error_kind = NULL, sequence = sequence + 1,
                     updated_at_ms = $5
                 WHERE post_id = $1 AND state IN ('draft', 'changes_requested', 'approved',
                     'failed', 'cancelled')",
            )
            .bind(event.post_id)
            .bind(desired.at_ms)
            .bind(&desired.time_zone)
            .bind(&desired.local_time)
            .bind(event.at_ms)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if moved == 0 {
                return Ok::<u64, StoreError>(0);
            }
            sqlx::query(
                "UPDATE posts SET approvals_done = 0, approvals_needed = $2, updated_at_ms = $3
                 WHERE id = $1",
            )
            .bind(event.post_id)
            .bind(needed)
            .bind(event.at_ms)
            .execute(&mut *tx)
            .await?;
            insert_event!(tx, event);
            Ok(moved)
        }
        .await
    })
}

/// Counts one approval, given that `done` were given before (two approvers at once: one
/// wins). With the last one the variants in review become approved. False when the count
/// moved meanwhile or nothing was in review.
pub async fn approve(
    db: &Db,
    event: &PostEvent,
    done: i64,
    last: bool,
) -> Result<bool, StoreError> {
    with_tx!(db, |tx| {
        async {
            let counted = sqlx::query(
                "UPDATE posts SET approvals_done = approvals_done + 1, updated_at_ms = $3
                 WHERE id = $1 AND approvals_done = $2
                   AND EXISTS (SELECT 1 FROM variants WHERE post_id = $1 AND state = 'in_review')",
            )
            .bind(event.post_id)
            .bind(done)
            .bind(event.at_ms)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if counted == 0 {
                return Ok::<bool, StoreError>(false);
            }
            if last {
                sqlx::query(
                    "UPDATE variants SET state = 'approved', sequence = sequence + 1,
                         updated_at_ms = $2
                     WHERE post_id = $1 AND state = 'in_review'",
                )
                .bind(event.post_id)
                .bind(event.at_ms)
                .execute(&mut *tx)
                .await?;
            }
            insert_event!(tx, event);
            Ok(true)
        }
        .await
    })
}

/// Sends the post back to its author: variants in review, approved or scheduled become
/// `changes_requested` (a scheduled one's job then finds nothing to publish), and the
/// approvals start again. `from` lists the states that move.
pub async fn send_back(db: &Db, event: &PostEvent, from: &[&str]) -> Result<u64, StoreError> {
    let states = from
        .iter()
        .map(|s| format!("'{s}'"))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "UPDATE variants SET state = $2, sequence = sequence + 1, updated_at_ms = $3
         WHERE post_id = $1 AND state IN ({states})"
    );
    with_tx!(db, |tx| {
        async {
            let moved = sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
                .bind(event.post_id)
                .bind(&event.to_state)
                .bind(event.at_ms)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if moved == 0 {
                return Ok::<u64, StoreError>(0);
            }
            sqlx::query("UPDATE posts SET approvals_done = 0, updated_at_ms = $2 WHERE id = $1")
                .bind(event.post_id)
                .bind(event.at_ms)
                .execute(&mut *tx)
                .await?;
            insert_event!(tx, event);
            Ok(moved)
        }
        .await
    })
}

/// Logs a change made elsewhere (scheduling, cancelling).
pub async fn log(db: &Db, event: &PostEvent) -> Result<(), StoreError> {
    with_tx!(db, |tx| {
        async {
            insert_event!(tx, event);
            Ok::<(), StoreError>(())
        }
        .await
    })
}

pub async fn events(db: &Db, post: Uuid) -> Result<Vec<PostEvent>, StoreError> {
    Ok(with_pool!(db, |pool| sqlx::query_as(
        "SELECT id, post_id, actor_id, actor_name, action, from_state, to_state, note, at_ms
         FROM post_events WHERE post_id = $1 ORDER BY at_ms, id"
    )
    .bind(post)
    .fetch_all(pool)
    .await)?)
}

pub async fn add_comment(db: &Db, c: &Comment) -> Result<(), StoreError> {
    with_pool!(db, |pool| sqlx::query(
        "INSERT INTO post_comments (id, post_id, author_id, author_name, body, created_at_ms)
         VALUES ($1, $2, $3, $4, $5, $6)"
    )
    .bind(c.id)
    .bind(c.post_id)
    .bind(c.author_id)
    .bind(&c.author_name)
    .bind(&c.body)
    .bind(c.created_at_ms)
    .execute(pool)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn comments(db: &Db, post: Uuid) -> Result<Vec<Comment>, StoreError> {
    Ok(with_pool!(db, |pool| sqlx::query_as(
        "SELECT id, post_id, author_id, author_name, body, created_at_ms
         FROM post_comments WHERE post_id = $1 ORDER BY created_at_ms, id"
    )
    .bind(post)
    .fetch_all(pool)
    .await)?)
}
