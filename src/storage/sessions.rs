//! Browser sessions. The cookie holds a random token; only its digest is stored, with the
//! session's CSRF token, so "log out everywhere" is one DELETE.

use uuid::Uuid;

use super::users::User;
use super::{Db, StoreError, with_pool};

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Session {
    pub id: Uuid,
    pub user_id: Uuid,
    pub csrf_token: String,
    pub user_agent: String,
    pub ip: String,
    pub created_at_ms: i64,
    pub last_seen_at_ms: i64,
    pub expires_at_ms: i64,
}

pub async fn insert(db: &Db, s: &Session, token_hash: &str) -> Result<(), StoreError> {
    with_pool!(db, |pool| {
        sqlx::query(
        "INSERT INTO sessions (id, token_hash, user_id, csrf_token, user_agent, ip, created_at_ms, last_seen_at_ms, expires_at_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
    )
    .bind(s.id)
    .bind(token_hash)
    .bind(s.user_id)
    .bind(&s.csrf_token)
    .bind(&s.user_agent)
    .bind(&s.ip)
    .bind(s.created_at_ms)
    .bind(s.last_seen_at_ms)
    .bind(s.expires_at_ms)
    .execute(pool)
    .await
    .map(|r| r.rows_affected())
    })?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct SessionWithUser {
    #[sqlx(flatten)]
    session: Session,
    #[sqlx(flatten)]
    user: UserCols,
}

#[derive(sqlx::FromRow)]
struct UserCols {
    email: String,
    display_name: String,
    password_hash: String,
    is_admin: bool,
    user_created_at_ms: i64,
    user_updated_at_ms: i64,
}

/// The live session for a cookie token, with its user, in one query.
pub async fn find_live(
    db: &Db,
    token_hash: &str,
    now_ms: i64,
) -> Result<Option<(Session, User)>, StoreError> {
    let row: Option<SessionWithUser> = with_pool!(db, |pool| {
        sqlx::query_as(
        "SELECT s.id, s.user_id, s.csrf_token, s.user_agent, s.ip, s.created_at_ms, s.last_seen_at_ms, s.expires_at_ms,
                u.email, u.display_name, u.password_hash, u.is_admin,
                u.created_at_ms AS user_created_at_ms, u.updated_at_ms AS user_updated_at_ms
         FROM sessions s JOIN users u ON u.id = s.user_id
         WHERE s.token_hash = $1 AND s.expires_at_ms > $2"
    )
    .bind(token_hash)
    .bind(now_ms)
    .fetch_optional(pool)
    .await
    })?;
    Ok(row.map(|r| {
        let user = User {
            id: r.session.user_id,
            email: r.user.email,
            display_name: r.user.display_name,
            password_hash: r.user.password_hash,
            is_admin: r.user.is_admin,
            created_at_ms: r.user.user_created_at_ms,
            updated_at_ms: r.user.user_updated_at_ms,
        };
        (r.session, user)
    }))
}

/// Slides the expiry forward; callers skip it when the session was seen a minute ago, so a
/// busy page does not write on every request.
pub async fn touch(db: &Db, id: Uuid, now_ms: i64, expires_at_ms: i64) -> Result<(), StoreError> {
    with_pool!(db, |pool| sqlx::query(
        "UPDATE sessions SET last_seen_at_ms = $2, expires_at_ms = $3 WHERE id = $1"
    )
    .bind(id)
    .bind(now_ms)
    .bind(expires_at_ms)
    .execute(pool)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn list_for_user(
    db: &Db,
    user_id: Uuid,
    now_ms: i64,
) -> Result<Vec<Session>, StoreError> {
    Ok(with_pool!(db, |pool| {
        sqlx::query_as(
        "SELECT id, user_id, csrf_token, user_agent, ip, created_at_ms, last_seen_at_ms, expires_at_ms
         FROM sessions WHERE user_id = $1 AND expires_at_ms > $2 ORDER BY last_seen_at_ms DESC"
    )
    .bind(user_id)
    .bind(now_ms)
    .fetch_all(pool)
    .await
    })?)
}

/// Deletes one of a user's sessions; false when it was not theirs or already gone.
pub async fn delete(db: &Db, user_id: Uuid, id: Uuid) -> Result<bool, StoreError> {
    let done = with_pool!(db, |pool| sqlx::query(
        "DELETE FROM sessions WHERE id = $1 AND user_id = $2"
    )
    .bind(id)
    .bind(user_id)
    .execute(pool)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(done > 0)
}

/// Deletes every session of a user but `keep` (the one asking, when given).
pub async fn delete_all_for_user(
    db: &Db,
    user_id: Uuid,
    keep: Option<Uuid>,
) -> Result<u64, StoreError> {
    let done = with_pool!(db, |pool| sqlx::query(
        "DELETE FROM sessions WHERE user_id = $1 AND ($2 IS NULL OR id <> $2)"
    )
    .bind(user_id)
    .bind(keep)
    .execute(pool)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(done)
}

pub async fn purge_expired(db: &Db, now_ms: i64) -> Result<u64, StoreError> {
    let done = with_pool!(db, |pool| sqlx::query(
        "DELETE FROM sessions WHERE expires_at_ms <= $1"
    )
    .bind(now_ms)
    .execute(pool)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(done)
}
