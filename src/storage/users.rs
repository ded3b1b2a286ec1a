use uuid::Uuid;

use super::{Db, StoreError, with_pool, with_tx};

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct User {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub password_hash: String,
    pub is_admin: bool,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
}

const COLUMNS: &str =
    "id, email, display_name, password_hash, is_admin, created_at_ms, updated_at_ms";

const INSERT: &str = "INSERT INTO users (id, email, display_name, password_hash, is_admin, created_at_ms, updated_at_ms)
     VALUES ($1, $2, $3, $4, $5, $6, $7)";

/// Binds a user's fields in `INSERT` order.
macro_rules! bind_user {
    ($user:expr) => {
        sqlx::query(INSERT)
            .bind($user.id)
            .bind(&$user.email)
            .bind(&$user.display_name)
            .bind(&$user.password_hash)
            .bind($user.is_admin)
            .bind($user.created_at_ms)
            .bind($user.updated_at_ms)
    };
}

pub async fn insert(db: &Db, user: &User) -> Result<(), StoreError> {
    with_pool!(db, |pool| bind_user!(user)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Creates the first account, as an admin, unless one was created first. Returns false when
/// the instance was already set up.
pub async fn insert_first(db: &Db, user: &User) -> Result<bool, StoreError> {
    let result: Result<(), StoreError> = with_tx!(db, |tx| {
        async {
            bind_user!(user).execute(&mut *tx).await?;
            sqlx::query(
                "INSERT INTO instance_setup (singleton, first_user_id, at_ms) VALUES (1, $1, $2)",
            )
            .bind(user.id)
            .bind(user.created_at_ms)
            .execute(&mut *tx)
            .await?;
            Ok(())
        }
        .await
    });
    match result {
        Ok(()) => Ok(true),
        Err(StoreError::Conflict(c)) if !c.contains("email") => Ok(false),
        Err(e) => Err(e),
    }
}

pub async fn is_set_up(db: &Db) -> Result<bool, StoreError> {
    let n: i64 = with_pool!(db, |pool| sqlx::query_scalar(
        "SELECT COUNT(*) FROM instance_setup"
    )
    .fetch_one(pool)
    .await)?;
    Ok(n > 0)
}

pub async fn by_email(db: &Db, email: &str) -> Result<Option<User>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM users WHERE email = $1");
    Ok(with_pool!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
        sql
    ))
    .bind(email)
    .fetch_optional(pool)
    .await)?)
}

pub async fn by_id(db: &Db, id: Uuid) -> Result<User, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM users WHERE id = $1");
    Ok(with_pool!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
        sql
    ))
    .bind(id)
    .fetch_one(pool)
    .await)?)
}

pub async fn set_password(db: &Db, id: Uuid, hash: &str, now_ms: i64) -> Result<(), StoreError> {
    with_pool!(db, |pool| sqlx::query(
        "UPDATE users SET password_hash = $2, updated_at_ms = $3 WHERE id = $1"
    )
    .bind(id)
    .bind(hash)
    .bind(now_ms)
    .execute(pool)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn set_display_name(
    db: &Db,
    id: Uuid,
    name: &str,
    now_ms: i64,
) -> Result<(), StoreError> {
    with_pool!(db, |pool| sqlx::query(
        "UPDATE users SET display_name = $2, updated_at_ms = $3 WHERE id = $1"
    )
    .bind(id)
    .bind(name)
    .bind(now_ms)
    .execute(pool)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}
