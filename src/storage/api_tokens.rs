//! Personal access tokens for the JSON API. Only a digest of each token is stored.

use uuid::Uuid;

use super::users::User;
use super::{Db, StoreError, with_pool};

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ApiToken {
    pub id: Uuid,
    pub user_id: Uuid,
    pub name: String,
    pub token_prefix: String,
    pub created_at_ms: i64,
    pub last_used_at_ms: Option<i64>,
    pub revoked_at_ms: Option<i64>,
}

pub async fn insert(db: &Db, t: &ApiToken, token_hash: &str) -> Result<(), StoreError> {
    with_pool!(db, |pool| sqlx::query(
        "INSERT INTO api_tokens (id, user_id, name, token_hash, token_prefix, created_at_ms)
         VALUES ($1, $2, $3, $4, $5, $6)"
    )
    .bind(t.id)
    .bind(t.user_id)
    .bind(&t.name)
    .bind(token_hash)
    .bind(&t.token_prefix)
    .bind(t.created_at_ms)
    .execute(pool)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// A user's tokens that still work, newest first.
pub async fn list_active(db: &Db, user: Uuid) -> Result<Vec<ApiToken>, StoreError> {
    Ok(with_pool!(db, |pool| {
        sqlx::query_as(
        "SELECT id, user_id, name, token_prefix, created_at_ms, last_used_at_ms, revoked_at_ms
         FROM api_tokens WHERE user_id = $1 AND revoked_at_ms IS NULL ORDER BY created_at_ms DESC, id DESC"
    )
    .bind(user)
    .fetch_all(pool)
    .await
    })?)
}

pub async fn revoke(db: &Db, user: Uuid, id: Uuid, now_ms: i64) -> Result<bool, StoreError> {
    let done = with_pool!(db, |pool| {
        sqlx::query(
        "UPDATE api_tokens SET revoked_at_ms = $3 WHERE id = $1 AND user_id = $2 AND revoked_at_ms IS NULL"
    )
    .bind(id)
    .bind(user)
    .bind(now_ms)
    .execute(pool)
    .await
    .map(|r| r.rows_affected())
    })?;
    Ok(done > 0)
}

#[derive(sqlx::FromRow)]
struct TokenUser {
    token_id: Uuid,
    last_used_at_ms: Option<i64>,
    #[sqlx(flatten)]
    user: User,
}

/// The live token for a digest and its user, in one query.
pub async fn authenticate(
    db: &Db,
    token_hash: &str,
) -> Result<Option<(Uuid, Option<i64>, User)>, StoreError> {
    let row: Option<TokenUser> = with_pool!(db, |pool| {
        sqlx::query_as(
        "SELECT t.id AS token_id, t.last_used_at_ms, u.id, u.email, u.display_name, u.password_hash, u.is_admin,
                u.created_at_ms, u.updated_at_ms
         FROM api_tokens t JOIN users u ON u.id = t.user_id
         WHERE t.token_hash = $1 AND t.revoked_at_ms IS NULL"
    )
    .bind(token_hash)
    .fetch_optional(pool)
    .await
    })?;
    Ok(row.map(|r| (r.token_id, r.last_used_at_ms, r.user)))
}

pub async fn touch(db: &Db, id: Uuid, now_ms: i64) -> Result<(), StoreError> {
    with_pool!(db, |pool| sqlx::query(
        "UPDATE api_tokens SET last_used_at_ms = $2 WHERE id = $1"
    )
    .bind(id)
    .bind(now_ms)
    .execute(pool)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}
