//! RSS and Atom feeds a workspace polls, their channels, and the items already seen.

use uuid::Uuid;

use super::{Db, StoreError, with_pool, with_tx};

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Feed {
    pub id: Uuid,
    pub workspace_id: Uuid,
    pub url: String,
    pub title: String,
    /// `drafts` or `queue`.
    pub mode: String,
    pub first_poll_items: i64,
    pub poll_interval_ms: i64,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// `new` (never read), `ok` or `error`.
    pub status: String,
    pub last_error: Option<String>,
    pub last_polled_at_ms: Option<i64>,
    pub next_poll_at_ms: i64,
    pub items_imported: i64,
    pub created_by: Option<Uuid>,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
}

const COLUMNS: &str = "id, workspace_id, url, title, mode, first_poll_items, poll_interval_ms,
    etag, last_modified, status, last_error, last_polled_at_ms, next_poll_at_ms,
    items_imported, created_by, created_at_ms, updated_at_ms";

/// Saves a new feed with its channels.
pub async fn insert(db: &Db, f: &Feed, channels: &[Uuid]) -> Result<(), StoreError> {
    with_tx!(db, |tx| {
        async {
            sqlx::query(
                "INSERT INTO feeds (id, workspace_id, url, title, mode, first_poll_items,
                     poll_interval_ms, status, next_poll_at_ms, created_by, created_at_ms,
                     updated_at_ms)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)",
            )
            .bind(f.id)
            .bind(f.workspace_id)
            .bind(&f.url)
            .bind(&f.title)
            .bind(&f.mode)
            .bind(f.first_poll_items)
            .bind(f.poll_interval_ms)
            .bind(&f.status)
            .bind(f.next_poll_at_ms)
            .bind(f.created_by)
            .bind(f.created_at_ms)
            .execute(&mut *tx)
            .await?;
            for channel in channels {
                sqlx::query("INSERT INTO feed_channels (feed_id, channel_id) VALUES ($1, $2)")
                    .bind(f.id)
                    .bind(channel)
                    .execute(&mut *tx)
                    .await?;
            }
            Ok::<(), StoreError>(())
        }
        .await
    })
}

pub async fn get(db: &Db, workspace: Uuid, id: Uuid) -> Result<Option<Feed>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM feeds WHERE workspace_id = $1 AND id = $2");
    Ok(with_pool!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
        sql
    ))
    .bind(workspace)
    .bind(id)
    .fetch_optional(pool)
    .await)?)
}

pub async fn list(db: &Db, workspace: Uuid) -> Result<Vec<Feed>, StoreError> {
    let sql =
        format!("SELECT {COLUMNS} FROM feeds WHERE workspace_id = $1 ORDER BY created_at_ms, id");
    Ok(with_pool!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
        sql
    ))
    .bind(workspace)
    .fetch_all(pool)
    .await)?)
}

pub async fn channels(db: &Db, feed: Uuid) -> Result<Vec<Uuid>, StoreError> {
    let rows: Vec<(Uuid,)> = with_pool!(db, |pool| sqlx::query_as(
        "SELECT channel_id FROM feed_channels WHERE feed_id = $1 ORDER BY channel_id"
    )
    .bind(feed)
    .fetch_all(pool)
    .await)?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

pub async fn delete(db: &Db, workspace: Uuid, id: Uuid) -> Result<bool, StoreError> {
    let n = with_pool!(db, |pool| sqlx::query(
        "DELETE FROM feeds WHERE workspace_id = $1 AND id = $2"
    )
    .bind(workspace)
    .bind(id)
    .execute(pool)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(n > 0)
}

/// Feeds due for a poll, in workspaces that are not archived.
pub async fn due(db: &Db, now_ms: i64) -> Result<Vec<Feed>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM feeds WHERE next_poll_at_ms <= $1 AND workspace_id IN
             (SELECT id FROM workspaces WHERE archived_at_ms IS NULL)
         ORDER BY next_poll_at_ms"
    );
    Ok(with_pool!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
        sql
    ))
    .bind(now_ms)
    .fetch_all(pool)
    .await)?)
}

/// Takes a feed for polling by moving its next poll on; false when another poll took it
/// (its next poll no longer what this one read).
pub async fn claim(db: &Db, id: Uuid, seen_next_ms: i64, next_ms: i64) -> Result<bool, StoreError> {
    let n = with_pool!(db, |pool| sqlx::query(
        "UPDATE feeds SET next_poll_at_ms = $3 WHERE id = $1 AND next_poll_at_ms = $2"
    )
    .bind(id)
    .bind(seen_next_ms)
    .bind(next_ms)
    .execute(pool)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(n > 0)
}

/// What a poll found out.
#[derive(Clone, Debug, Default)]
pub struct PollResult {
    pub ok: bool,
    pub error: Option<String>,
    pub title: Option<String>,
    /// `None` keeps the validators of the last good read.
    pub validators: Option<(Option<String>, Option<String>)>,
    pub imported: i64,
}

pub async fn record_poll(db: &Db, id: Uuid, r: &PollResult, now_ms: i64) -> Result<(), StoreError> {
    let (set_validators, etag, last_modified) = match &r.validators {
        Some((e, l)) => (true, e.clone(), l.clone()),
        None => (false, None, None),
    };
    with_pool!(db, |pool| sqlx::query(
        "UPDATE feeds SET status = CASE WHEN $2 THEN 'ok' ELSE 'error' END, last_error = $3,
             title = COALESCE($4, title),
             etag = CASE WHEN $5 THEN $6 ELSE etag END,
             last_modified = CASE WHEN $5 THEN $7 ELSE last_modified END,
             items_imported = items_imported + $8, last_polled_at_ms = $9, updated_at_ms = $9
         WHERE id = $1"
    )
    .bind(id)
    .bind(r.ok)
    .bind(&r.error)
    .bind(&r.title)
    .bind(set_validators)
    .bind(etag)
    .bind(last_modified)
    .bind(r.imported)
    .bind(now_ms)
    .execute(pool)
    .await
    .map(|_| ()))?;
    Ok(())
}

/// Which of `keys` the feed has seen.
pub async fn seen(db: &Db, feed: Uuid, keys: &[String]) -> Result<Vec<String>, StoreError> {
    let mut out = Vec::new();
    // Well under both databases' limits on bound parameters.
    for chunk in keys.chunks(500) {
        let list: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 2)).collect();
        let sql = format!(
            "SELECT item_key FROM feed_items WHERE feed_id = $1 AND item_key IN ({})",
            list.join(", ")
        );
        let rows: Vec<(String,)> = with_pool!(db, |pool| {
            let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(feed);
            for k in chunk {
                q = q.bind(k);
            }
            q.fetch_all(pool).await
        })?;
        out.extend(rows.into_iter().map(|(k,)| k));
    }
    Ok(out)
}

/// Remembers items' keys (those already known stay as they are), in one transaction;
/// returns how many keys were new. Done before an item's post is made, so a crash in
/// between loses the item rather than posting it twice.
pub async fn remember(
    db: &Db,
    feed: Uuid,
    keys: &[String],
    now_ms: i64,
) -> Result<u64, StoreError> {
    with_tx!(db, |tx| {
        async {
            let mut added = 0;
            for key in keys {
                added += sqlx::query(
                    "INSERT INTO feed_items (feed_id, item_key, seen_at_ms) VALUES ($1, $2, $3)
                     ON CONFLICT (feed_id, item_key) DO NOTHING",
                )
                .bind(feed)
                .bind(key)
                .bind(now_ms)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            }
            Ok::<u64, StoreError>(added)
        }
        .await
    })
}

pub async fn link_post(db: &Db, feed: Uuid, keys: &[String], post: Uuid) -> Result<(), StoreError> {
    for key in keys {
        with_pool!(db, |pool| sqlx::query(
            "UPDATE feed_items SET post_id = $3 WHERE feed_id = $1 AND item_key = $2"
        )
        .bind(feed)
        .bind(key)
        .bind(post)
        .execute(pool)
        .await
        .map(|_| ()))?;
    }
    Ok(())
}
