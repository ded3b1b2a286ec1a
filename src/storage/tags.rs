//! Tags and campaigns: named, coloured labels on posts.

use uuid::Uuid;

use super::{Db, StoreError, with_pool};

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Tag {
    pub id: Uuid,
    pub workspace_id: Uuid,
    /// `tag` or `campaign`.
    pub kind: String,
    pub name: String,
    pub color: String,
    pub created_at_ms: i64,
}

const COLUMNS: &str = "id, workspace_id, kind, name, color, created_at_ms";

/// Inserts a tag unless one of that kind and name (case-insensitive) exists; returns the
/// stored one either way.
pub async fn upsert(db: &Db, t: &Tag) -> Result<Tag, StoreError> {
    let sql = format!(
        "INSERT INTO tags (id, workspace_id, kind, name, name_key, color, created_at_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (workspace_id, kind, name_key) DO UPDATE SET name_key = excluded.name_key
         RETURNING {COLUMNS}"
    );
    Ok(with_pool!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
        sql
    ))
    .bind(t.id)
    .bind(t.workspace_id)
    .bind(&t.kind)
    .bind(&t.name)
    .bind(t.name.to_lowercase())
    .bind(&t.color)
    .bind(t.created_at_ms)
    .fetch_one(pool)
    .await)?)
}

pub async fn list(db: &Db, workspace: Uuid) -> Result<Vec<Tag>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM tags WHERE workspace_id = $1 ORDER BY kind, name_key");
    Ok(with_pool!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
        sql
    ))
    .bind(workspace)
    .fetch_all(pool)
    .await)?)
}

pub async fn of_media(db: &Db, media: Uuid) -> Result<Vec<Tag>, StoreError> {
    Ok(with_pool!(db, |pool| {
        sqlx::query_as(
        "SELECT t.id, t.workspace_id, t.kind, t.name, t.color, t.created_at_ms
         FROM tags t JOIN media_tags m ON m.tag_id = t.id WHERE m.media_id = $1 ORDER BY t.name_key"
    )
    .bind(media)
    .fetch_all(pool)
    .await
    })?)
}

pub async fn of_post(db: &Db, post: Uuid) -> Result<Vec<Tag>, StoreError> {
    Ok(with_pool!(db, |pool| sqlx::query_as(
        "SELECT t.id, t.workspace_id, t.kind, t.name, t.color, t.created_at_ms
         FROM tags t JOIN post_tags p ON p.tag_id = t.id WHERE p.post_id = $1 ORDER BY t.name_key"
    )
    .bind(post)
    .fetch_all(pool)
    .await)?)
}
