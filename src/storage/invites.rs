//! Invitations by link: expiring, single use, revocable.

use uuid::Uuid;

use super::{Db, StoreError, with_pool, with_tx};
use crate::domain::Role;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Invite {
    pub id: Uuid,
    pub workspace_id: Uuid,
    #[sqlx(try_from = "String")]
    pub role: Role,
    pub note: String,
    pub created_by: Uuid,
    pub created_at_ms: i64,
    pub expires_at_ms: i64,
    pub accepted_by: Option<Uuid>,
    pub accepted_at_ms: Option<i64>,
    pub revoked_at_ms: Option<i64>,
}

const COLUMNS: &str =
    "id, workspace_id, role, note, created_by, created_at_ms, expires_at_ms, accepted_by,
    accepted_at_ms, revoked_at_ms";

pub async fn insert(db: &Db, i: &Invite, token_hash: &str) -> Result<(), StoreError> {
    with_pool!(db, |pool| {
        sqlx::query(
        "INSERT INTO invites (id, workspace_id, token_hash, role, note, created_by, created_at_ms, expires_at_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
    )
    .bind(i.id)
    .bind(i.workspace_id)
    .bind(token_hash)
    .bind(i.role.as_str())
    .bind(&i.note)
    .bind(i.created_by)
    .bind(i.created_at_ms)
    .bind(i.expires_at_ms)
    .execute(pool)
    .await
    .map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// Invites of a workspace that can still be accepted.
pub async fn list_open(db: &Db, workspace: Uuid, now_ms: i64) -> Result<Vec<Invite>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM invites WHERE workspace_id = $1 AND accepted_at_ms IS NULL
         AND revoked_at_ms IS NULL AND expires_at_ms > $2 ORDER BY created_at_ms DESC"
    );
    Ok(with_pool!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
        sql
    ))
    .bind(workspace)
    .bind(now_ms)
    .fetch_all(pool)
    .await)?)
}

pub async fn by_token_hash(db: &Db, token_hash: &str) -> Result<Option<Invite>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM invites WHERE token_hash = $1");
    Ok(with_pool!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
        sql
    ))
    .bind(token_hash)
    .fetch_optional(pool)
    .await)?)
}

/// Marks the invite used and adds the member, together. `None` when the invite was already
/// used, revoked or expired by the time this ran (the conditional update lost).
pub async fn accept(
    db: &Db,
    token_hash: &str,
    user: Uuid,
    now_ms: i64,
) -> Result<Option<(Uuid, Role)>, StoreError> {
    with_tx!(db, |tx| {
        async {
            let claimed: Option<(Uuid, String)> = sqlx::query_as(
                "UPDATE invites SET accepted_by = $2, accepted_at_ms = $3
                 WHERE token_hash = $1 AND accepted_at_ms IS NULL AND revoked_at_ms IS NULL AND expires_at_ms > $3
                 RETURNING workspace_id, role",
            )
            .bind(token_hash)
            .bind(user)
            .bind(now_ms)
            .fetch_optional(&mut *tx)
            .await?;
            let Some((workspace, role)) = claimed else { return Ok(None) };
            let role: Role = role.parse().map_err(|e: crate::domain::role::UnknownRole| StoreError::Other(e.to_string()))?;
            sqlx::query(
                "INSERT INTO memberships (workspace_id, user_id, role, created_at_ms) VALUES ($1, $2, $3, $4)",
            )
            .bind(workspace)
            .bind(user)
            .bind(role.as_str())
            .bind(now_ms)
            .execute(&mut *tx)
            .await?;
            Ok::<_, StoreError>(Some((workspace, role)))
        }
        .await
    })
}

/// Revokes an open invite of `workspace`; false when there was none by that id.
pub async fn revoke(db: &Db, workspace: Uuid, id: Uuid, now_ms: i64) -> Result<bool, StoreError> {
    let done = with_pool!(db, |pool| sqlx::query(
        "UPDATE invites SET revoked_at_ms = $3
         WHERE id = $1 AND workspace_id = $2 AND accepted_at_ms IS NULL AND revoked_at_ms IS NULL"
    )
    .bind(id)
    .bind(workspace)
    .bind(now_ms)
    .execute(pool)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(done > 0)
}
