//! Failed logins, counted per email and per client address, so throttling holds across
//! several instances sharing one database.

use uuid::Uuid;

use super::{Db, StoreError, with_pool};

pub async fn record(db: &Db, keys: &[String], now_ms: i64) -> Result<(), StoreError> {
    for key in keys {
        with_pool!(db, |pool| sqlx::query(
            "INSERT INTO login_failures (id, throttle_key, at_ms) VALUES ($1, $2, $3)"
        )
        .bind(Uuid::now_v7())
        .bind(key)
        .bind(now_ms)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))?;
    }
    Ok(())
}

/// Failures for `key` since `since_ms`, and the oldest of them (when the window frees up).
pub async fn count_since(
    db: &Db,
    key: &str,
    since_ms: i64,
) -> Result<(i64, Option<i64>), StoreError> {
    Ok(with_pool!(db, |pool| sqlx::query_as(
        "SELECT COUNT(*), MIN(at_ms) FROM login_failures WHERE throttle_key = $1 AND at_ms > $2"
    )
    .bind(key)
    .bind(since_ms)
    .fetch_one(pool)
    .await)?)
}

pub async fn clear(db: &Db, key: &str) -> Result<(), StoreError> {
    with_pool!(db, |pool| sqlx::query(
        "DELETE FROM login_failures WHERE throttle_key = $1"
    )
    .bind(key)
    .execute(pool)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn purge_before(db: &Db, before_ms: i64) -> Result<u64, StoreError> {
    let done = with_pool!(db, |pool| sqlx::query(
        "DELETE FROM login_failures WHERE at_ms < $1"
    )
    .bind(before_ms)
    .execute(pool)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(done)
}
