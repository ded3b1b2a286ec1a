//! The evergreen library: which posts are in it, and its rules.

use uuid::Uuid;

use super::{Db, StoreError, with_pool};

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct LibraryPost {
    pub post_id: Uuid,
    pub workspace_id: Uuid,
    pub added_by: Option<Uuid>,
    pub added_at_ms: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct EvergreenSettings {
    pub workspace_id: Uuid,
    pub enabled: bool,
    pub min_interval_ms: i64,
    pub skip_recent_ms: i64,
    pub last_note: String,
    pub last_run_at_ms: Option<i64>,
    pub updated_at_ms: i64,
}

pub async fn add(db: &Db, p: &LibraryPost) -> Result<(), StoreError> {
    with_pool!(db, |pool| sqlx::query(
        "INSERT INTO evergreen_posts (post_id, workspace_id, added_by, added_at_ms)
         VALUES ($1, $2, $3, $4) ON CONFLICT (post_id) DO NOTHING"
    )
    .bind(p.post_id)
    .bind(p.workspace_id)
    .bind(p.added_by)
    .bind(p.added_at_ms)
    .execute(pool)
    .await
    .map(|_| ()))?;
    Ok(())
}

pub async fn remove(db: &Db, workspace: Uuid, post: Uuid) -> Result<bool, StoreError> {
    let n = with_pool!(db, |pool| sqlx::query(
        "DELETE FROM evergreen_posts WHERE post_id = $1 AND workspace_id = $2"
    )
    .bind(post)
    .bind(workspace)
    .execute(pool)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(n > 0)
}

/// The library in the order posts were added (the recycler's order among never-shared ones).
pub async fn library(db: &Db, workspace: Uuid) -> Result<Vec<LibraryPost>, StoreError> {
    Ok(with_pool!(db, |pool| sqlx::query_as(
        "SELECT post_id, workspace_id, added_by, added_at_ms FROM evergreen_posts
         WHERE workspace_id = $1 ORDER BY added_at_ms, post_id"
    )
    .bind(workspace)
    .fetch_all(pool)
    .await)?)
}

pub async fn get(db: &Db, workspace: Uuid, post: Uuid) -> Result<Option<LibraryPost>, StoreError> {
    Ok(with_pool!(db, |pool| sqlx::query_as(
        "SELECT post_id, workspace_id, added_by, added_at_ms FROM evergreen_posts
         WHERE workspace_id = $1 AND post_id = $2"
    )
    .bind(workspace)
    .bind(post)
    .fetch_optional(pool)
    .await)?)
}

const SETTINGS: &str = "workspace_id, enabled, min_interval_ms, skip_recent_ms, last_note,
    last_run_at_ms, updated_at_ms";

pub async fn settings(db: &Db, workspace: Uuid) -> Result<Option<EvergreenSettings>, StoreError> {
    let sql = format!("SELECT {SETTINGS} FROM evergreen_settings WHERE workspace_id = $1");
    Ok(with_pool!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
        sql
    ))
    .bind(workspace)
    .fetch_optional(pool)
    .await)?)
}

/// Saves the rules (the last pass's note stays).
pub async fn save_settings(db: &Db, s: &EvergreenSettings) -> Result<(), StoreError> {
    with_pool!(db, |pool| sqlx::query(
        "INSERT INTO evergreen_settings (workspace_id, enabled, min_interval_ms, skip_recent_ms,
             last_note, last_run_at_ms, updated_at_ms)
         VALUES ($1, $2, $3, $4, '', NULL, $5)
         ON CONFLICT (workspace_id) DO UPDATE SET enabled = excluded.enabled,
             min_interval_ms = excluded.min_interval_ms, skip_recent_ms = excluded.skip_recent_ms,
             updated_at_ms = excluded.updated_at_ms"
    )
    .bind(s.workspace_id)
    .bind(s.enabled)
    .bind(s.min_interval_ms)
    .bind(s.skip_recent_ms)
    .bind(s.updated_at_ms)
    .execute(pool)
    .await
    .map(|_| ()))?;
    Ok(())
}

/// The workspaces whose library recycles (not archived ones).
pub async fn enabled(db: &Db) -> Result<Vec<EvergreenSettings>, StoreError> {
    let sql = format!(
        "SELECT {SETTINGS} FROM evergreen_settings s
         WHERE s.enabled AND s.workspace_id IN
             (SELECT id FROM workspaces WHERE archived_at_ms IS NULL)"
    );
    Ok(with_pool!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
        sql
    ))
    .fetch_all(pool)
    .await)?)
}

pub async fn note(db: &Db, workspace: Uuid, note: &str, now_ms: i64) -> Result<(), StoreError> {
    with_pool!(db, |pool| sqlx::query(
        "UPDATE evergreen_settings SET last_note = $2, last_run_at_ms = $3 WHERE workspace_id = $1"
    )
    .bind(workspace)
    .bind(note)
    .bind(now_ms)
    .execute(pool)
    .await
    .map(|_| ()))?;
    Ok(())
}
