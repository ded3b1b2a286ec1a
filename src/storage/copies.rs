//! Posts made from another one by periodic work: evergreen re-shares and occurrences of
//! recurring posts. The copy is an ordinary post; this records where it came from.

use uuid::Uuid;

use super::{Db, StoreError, with_pool};

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct PostCopy {
    pub copy_post_id: Uuid,
    pub source_post_id: Uuid,
    pub workspace_id: Uuid,
    /// `evergreen` or `recurrence`.
    pub reason: String,
    /// The channel an evergreen re-share fills.
    pub channel_id: Option<Uuid>,
    pub for_at_ms: i64,
    pub created_at_ms: i64,
}

pub async fn record(db: &Db, c: &PostCopy) -> Result<(), StoreError> {
    with_pool!(db, |pool| sqlx::query(
        "INSERT INTO post_copies (copy_post_id, source_post_id, workspace_id, reason, channel_id,
             for_at_ms, created_at_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7)"
    )
    .bind(c.copy_post_id)
    .bind(c.source_post_id)
    .bind(c.workspace_id)
    .bind(&c.reason)
    .bind(c.channel_id)
    .bind(c.for_at_ms)
    .bind(c.created_at_ms)
    .execute(pool)
    .await
    .map(|_| ()))?;
    Ok(())
}

/// The copies of `source` made for `reason`, earliest first.
pub async fn of_source(db: &Db, source: Uuid, reason: &str) -> Result<Vec<PostCopy>, StoreError> {
    Ok(with_pool!(db, |pool| sqlx::query_as(
        "SELECT copy_post_id, source_post_id, workspace_id, reason, channel_id, for_at_ms,
             created_at_ms
         FROM post_copies WHERE source_post_id = $1 AND reason = $2
         ORDER BY for_at_ms"
    )
    .bind(source)
    .bind(reason)
    .fetch_all(pool)
    .await)?)
}

/// Whether an evergreen re-share on `channel` has not gone out yet (in review, approved,
/// scheduled or publishing): the library shares one post at a time per channel.
pub async fn evergreen_pending(db: &Db, channel: Uuid) -> Result<bool, StoreError> {
    let (n,): (i64,) = with_pool!(db, |pool| sqlx::query_as(
        "SELECT COUNT(*) FROM post_copies c
         JOIN variants v ON v.post_id = c.copy_post_id AND v.channel_id = c.channel_id
         WHERE c.channel_id = $1 AND c.reason = 'evergreen'
           AND v.state IN ('draft', 'in_review', 'changes_requested', 'approved', 'scheduled',
               'publishing')"
    )
    .bind(channel)
    .fetch_one(pool)
    .await)?;
    Ok(n > 0)
}

/// When the library last re-shared `source` on `channel` (the slot it was made for).
pub async fn last_evergreen_share(
    db: &Db,
    source: Uuid,
    channel: Uuid,
) -> Result<Option<i64>, StoreError> {
    let (at,): (Option<i64>,) = with_pool!(db, |pool| sqlx::query_as(
        "SELECT MAX(for_at_ms) FROM post_copies
         WHERE source_post_id = $1 AND channel_id = $2 AND reason = 'evergreen'"
    )
    .bind(source)
    .bind(channel)
    .fetch_one(pool)
    .await)?;
    Ok(at)
}

/// When `source` or any copy of it last went out on `channel`.
pub async fn last_published(
    db: &Db,
    source: Uuid,
    channel: Uuid,
) -> Result<Option<i64>, StoreError> {
    let (at,): (Option<i64>,) = with_pool!(db, |pool| sqlx::query_as(
        "SELECT MAX(v.published_at_ms) FROM variants v
         WHERE v.channel_id = $2 AND v.state = 'published'
           AND (v.post_id = $1 OR v.post_id IN
               (SELECT copy_post_id FROM post_copies WHERE source_post_id = $1))"
    )
    .bind(source)
    .bind(channel)
    .fetch_one(pool)
    .await)?;
    Ok(at)
}
