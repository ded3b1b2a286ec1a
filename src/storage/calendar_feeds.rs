//! The workspace's secret-keyed calendar feed: one key per workspace, only its digest kept,
//! and the rows the feed shows (scheduled and published variants in a window).

use sqlx::types::Json;
use uuid::Uuid;

use super::{Db, StoreError, with_pool};
use crate::domain::post::VariantState;
use crate::domain::text::Network;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct CalendarFeed {
    pub workspace_id: Uuid,
    pub key_hash: String,
    pub key_prefix: String,
    pub created_by: Option<Uuid>,
    pub created_at_ms: i64,
}

/// Sets the workspace's key, replacing (so revoking) any earlier one.
pub async fn replace(db: &Db, feed: &CalendarFeed) -> Result<(), StoreError> {
    with_pool!(db, |pool| sqlx::query(
        "INSERT INTO calendar_feeds (workspace_id, key_hash, key_prefix, created_by, created_at_ms)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (workspace_id) DO UPDATE SET key_hash = excluded.key_hash,
             key_prefix = excluded.key_prefix, created_by = excluded.created_by,
             created_at_ms = excluded.created_at_ms"
    )
    .bind(feed.workspace_id)
    .bind(&feed.key_hash)
    .bind(&feed.key_prefix)
    .bind(feed.created_by)
    .bind(feed.created_at_ms)
    .execute(pool)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn get(db: &Db, workspace: Uuid) -> Result<Option<CalendarFeed>, StoreError> {
    Ok(with_pool!(db, |pool| sqlx::query_as(
        "SELECT workspace_id, key_hash, key_prefix, created_by, created_at_ms
         FROM calendar_feeds WHERE workspace_id = $1"
    )
    .bind(workspace)
    .fetch_optional(pool)
    .await)?)
}

/// Revokes the workspace's key; false when there was none.
pub async fn delete(db: &Db, workspace: Uuid) -> Result<bool, StoreError> {
    let done = with_pool!(db, |pool| sqlx::query(
        "DELETE FROM calendar_feeds WHERE workspace_id = $1"
    )
    .bind(workspace)
    .execute(pool)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(done > 0)
}

/// One variant as the feed shows it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct FeedVariant {
    pub id: Uuid,
    #[sqlx(try_from = "String")]
    pub state: VariantState,
    pub scheduled_at_ms: Option<i64>,
    pub published_at_ms: Option<i64>,
    pub remote_url: Option<String>,
    pub error: Option<String>,
    pub sequence: i64,
    pub updated_at_ms: i64,
    pub parts: Json<Vec<String>>,
    pub time_zone: String,
    pub handle: String,
    #[sqlx(try_from = "String")]
    pub network: Network,
}

/// The workspace's variants that were given a time (scheduled, on their way, published,
/// failed, of unknown outcome or cancelled after being scheduled) whose time falls in
/// `[from_ms, to_ms)`, earliest first, at most `limit`.
pub async fn variants(
    db: &Db,
    workspace: Uuid,
    from_ms: i64,
    to_ms: i64,
    limit: i64,
) -> Result<Vec<FeedVariant>, StoreError> {
    Ok(with_pool!(db, |pool| {
        sqlx::query_as(
        "SELECT v.id, v.state, v.scheduled_at_ms, v.published_at_ms, v.remote_url, v.error,
                v.sequence, v.updated_at_ms, v.parts, v.time_zone, c.handle, c.network
         FROM variants v
         JOIN posts p ON p.id = v.post_id
         JOIN channels c ON c.id = v.channel_id
         WHERE p.workspace_id = $1
           AND v.state IN ('scheduled', 'publishing', 'published', 'failed', 'outcome_unknown', 'cancelled')
           AND COALESCE(v.published_at_ms, v.scheduled_at_ms) >= $2
           AND COALESCE(v.published_at_ms, v.scheduled_at_ms) < $3
         ORDER BY COALESCE(v.published_at_ms, v.scheduled_at_ms), v.id
         LIMIT $4"
    )
    .bind(workspace)
    .bind(from_ms)
    .bind(to_ms)
    .bind(limit)
    .fetch_all(pool)
    .await
    })?)
}
