use uuid::Uuid;

use super::{Db, StoreError, with_pool, with_tx};
use crate::domain::Role;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Member {
    pub user_id: Uuid,
    pub email: String,
    pub display_name: String,
    #[sqlx(try_from = "String")]
    pub role: Role,
    pub created_at_ms: i64,
}

pub async fn list(db: &Db, workspace: Uuid) -> Result<Vec<Member>, StoreError> {
    Ok(with_pool!(db, |pool| sqlx::query_as(
        "SELECT m.user_id, u.email, u.display_name, m.role, m.created_at_ms
         FROM memberships m JOIN users u ON u.id = m.user_id
         WHERE m.workspace_id = $1
         ORDER BY CASE m.role WHEN 'owner' THEN 0 WHEN 'manager' THEN 1 WHEN 'editor' THEN 2
                  WHEN 'contributor' THEN 3 WHEN 'client' THEN 4 ELSE 5 END, lower(u.email)"
    )
    .bind(workspace)
    .fetch_all(pool)
    .await)?)
}

pub async fn get(db: &Db, workspace: Uuid, user: Uuid) -> Result<Option<Member>, StoreError> {
    Ok(with_pool!(db, |pool| sqlx::query_as(
        "SELECT m.user_id, u.email, u.display_name, m.role, m.created_at_ms
         FROM memberships m JOIN users u ON u.id = m.user_id
         WHERE m.workspace_id = $1 AND m.user_id = $2"
    )
    .bind(workspace)
    .bind(user)
    .fetch_optional(pool)
    .await)?)
}

/// What a guarded change to the owner set did.
#[derive(Debug, PartialEq, Eq)]
pub enum OwnerGuard {
    Done,
    NotAMember,
    /// The change would leave the workspace without an owner.
    LastOwner,
}

// On PostgreSQL (READ COMMITTED) two owners demoting each other at once would each still
// count two owners. Touching the workspace row first takes its row lock, so the second
// transaction waits and then counts again. SQLite's BEGIN IMMEDIATE already serialises.
const LOCK_WORKSPACE: &str = "UPDATE workspaces SET updated_at_ms = updated_at_ms WHERE id = $1";
const OWNERS_LEFT: &str =
    "SELECT COUNT(*) FROM memberships WHERE workspace_id = $1 AND role = 'owner' AND user_id <> $2";

/// Changes a member's role; refuses to demote the last owner.
pub async fn set_role(
    db: &Db,
    workspace: Uuid,
    user: Uuid,
    role: Role,
) -> Result<OwnerGuard, StoreError> {
    change(db, workspace, user, Some(role)).await
}

/// Removes a member (or lets one leave); refuses to remove the last owner.
pub async fn remove(db: &Db, workspace: Uuid, user: Uuid) -> Result<OwnerGuard, StoreError> {
    change(db, workspace, user, None).await
}

/// Gives `user` the role `to`, or removes them when `None`, unless that leaves no owner.
async fn change(
    db: &Db,
    workspace: Uuid,
    user: Uuid,
    to: Option<Role>,
) -> Result<OwnerGuard, StoreError> {
    with_tx!(db, |tx| {
        async {
            sqlx::query(LOCK_WORKSPACE)
                .bind(workspace)
                .execute(&mut *tx)
                .await?;
            let current: Option<String> = sqlx::query_scalar(
                "SELECT role FROM memberships WHERE workspace_id = $1 AND user_id = $2",
            )
            .bind(workspace)
            .bind(user)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(current) = current else {
                return Ok(OwnerGuard::NotAMember);
            };
            if current == "owner" && to != Some(Role::Owner) {
                let others: i64 = sqlx::query_scalar(OWNERS_LEFT)
                    .bind(workspace)
                    .bind(user)
                    .fetch_one(&mut *tx)
                    .await?;
                if others == 0 {
                    return Ok(OwnerGuard::LastOwner);
                }
            }
            match to {
                Some(role) => {
                    sqlx::query(
                        "UPDATE memberships SET role = $3 WHERE workspace_id = $1 AND user_id = $2",
                    )
                    .bind(workspace)
                    .bind(user)
                    .bind(role.as_str())
                    .execute(&mut *tx)
                    .await?
                }
                None => {
                    sqlx::query("DELETE FROM memberships WHERE workspace_id = $1 AND user_id = $2")
                        .bind(workspace)
                        .bind(user)
                        .execute(&mut *tx)
                        .await?
                }
            };
            Ok::<_, StoreError>(OwnerGuard::Done)
        }
        .await
    })
}
