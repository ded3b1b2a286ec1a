//! Client review links: a random token (only its SHA-256 kept), an expiry, an optional
//! password (argon2), revocable. A link belongs to one post; the workspace is the post's.

use uuid::Uuid;

use super::{Db, StoreError, with_pool};

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct ReviewLink {
    pub id: Uuid,
    pub post_id: Uuid,
    /// The post's workspace (read through the post; not a column of the link).
    pub workspace_id: Uuid,
    pub token_hash: String,
    pub password_hash: Option<String>,
    pub created_by: Option<Uuid>,
    pub created_at_ms: i64,
    pub expires_at_ms: i64,
    pub revoked_at_ms: Option<i64>,
}

/// The link's columns and its post's workspace, `FROM {SOURCE}`.
const COLUMNS: &str = "l.id, l.post_id, p.workspace_id, l.token_hash, l.password_hash,
    l.created_by, l.created_at_ms, l.expires_at_ms, l.revoked_at_ms";
const SOURCE: &str = "review_links l JOIN posts p ON p.id = l.post_id";

pub async fn insert(db: &Db, link: &ReviewLink) -> Result<(), StoreError> {
    with_pool!(db, |pool| sqlx::query(
        "INSERT INTO review_links (id, post_id, token_hash, password_hash, created_by,
             created_at_ms, expires_at_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7)"
    )
    .bind(link.id)
    .bind(link.post_id)
    .bind(&link.token_hash)
    .bind(&link.password_hash)
    .bind(link.created_by)
    .bind(link.created_at_ms)
    .bind(link.expires_at_ms)
    .execute(pool)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn by_token_hash(db: &Db, hash: &str) -> Result<Option<ReviewLink>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM {SOURCE} WHERE l.token_hash = $1");
    Ok(with_pool!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
        sql
    ))
    .bind(hash)
    .fetch_optional(pool)
    .await)?)
}

/// Every link of the post, newest first (revoked and expired ones too, for the record).
pub async fn of_post(db: &Db, post: Uuid) -> Result<Vec<ReviewLink>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM {SOURCE} WHERE l.post_id = $1
         ORDER BY l.created_at_ms DESC, l.id DESC"
    );
    Ok(with_pool!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
        sql
    ))
    .bind(post)
    .fetch_all(pool)
    .await)?)
}

/// Revokes one of the post's links; false when it has none by that id, or it was revoked.
pub async fn revoke(db: &Db, post: Uuid, id: Uuid, now_ms: i64) -> Result<bool, StoreError> {
    let done = with_pool!(db, |pool| sqlx::query(
        "UPDATE review_links SET revoked_at_ms = $3
         WHERE id = $1 AND post_id = $2 AND revoked_at_ms IS NULL"
    )
    .bind(id)
    .bind(post)
    .bind(now_ms)
    .execute(pool)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(done > 0)
}
