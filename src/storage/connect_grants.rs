//! Accounts a sign-in granted, waiting for the person to pick which to connect (Facebook
//! pages, Instagram accounts, LinkedIn organisations). The list arrives here encrypted; rows
//! are short-lived and taken once.

use uuid::Uuid;

use super::{Db, StoreError, with_pool};

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Grant {
    pub id: Uuid,
    pub workspace_id: Uuid,
    pub user_id: Uuid,
    pub network: String,
    /// Instagram: `facebook` or `instagram`; empty for networks with one sign-in.
    pub login: String,
    /// Encrypted JSON, bound to the row (`accounts_aad`).
    pub accounts: String,
    pub created_at_ms: i64,
    pub expires_at_ms: i64,
}

impl Grant {
    pub fn accounts_aad(id: Uuid) -> String {
        format!("connect_grants:accounts:{id}")
    }
}

const COLUMNS: &str =
    "id, workspace_id, user_id, network, login, accounts, created_at_ms, expires_at_ms";

pub async fn insert(db: &Db, g: &Grant) -> Result<(), StoreError> {
    with_pool!(db, |pool| sqlx::query(
        "INSERT INTO connect_grants (id, workspace_id, user_id, network, login, accounts,
             created_at_ms, expires_at_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
    )
    .bind(g.id)
    .bind(g.workspace_id)
    .bind(g.user_id)
    .bind(&g.network)
    .bind(&g.login)
    .bind(&g.accounts)
    .bind(g.created_at_ms)
    .bind(g.expires_at_ms)
    .execute(pool)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// A grant by id, whatever its owner or age (the service tells those cases apart).
pub async fn get(db: &Db, id: Uuid) -> Result<Option<Grant>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM connect_grants WHERE id = $1");
    Ok(with_pool!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
        sql
    ))
    .bind(id)
    .fetch_optional(pool)
    .await)?)
}

/// One person's grants in a workspace that have not expired, newest first.
pub async fn of_user(
    db: &Db,
    workspace: Uuid,
    user: Uuid,
    now_ms: i64,
) -> Result<Vec<Grant>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM connect_grants
         WHERE workspace_id = $1 AND user_id = $2 AND expires_at_ms >= $3
         ORDER BY created_at_ms DESC, id DESC"
    );
    Ok(with_pool!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
        sql
    ))
    .bind(workspace)
    .bind(user)
    .bind(now_ms)
    .fetch_all(pool)
    .await)?)
}

/// Takes a grant (single use: it is deleted as it is read). `None` when another request
/// took it first.
pub async fn take(db: &Db, id: Uuid) -> Result<Option<Grant>, StoreError> {
    let sql = format!("DELETE FROM connect_grants WHERE id = $1 RETURNING {COLUMNS}");
    Ok(with_pool!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
        sql
    ))
    .bind(id)
    .fetch_optional(pool)
    .await)?)
}

/// Drops grants that expired before `now_ms`; returns how many.
pub async fn delete_expired(db: &Db, now_ms: i64) -> Result<u64, StoreError> {
    Ok(with_pool!(db, |pool| sqlx::query(
        "DELETE FROM connect_grants WHERE expires_at_ms < $1"
    )
    .bind(now_ms)
    .execute(pool)
    .await
    .map(|r| r.rows_affected()))?)
}
