//! What a notification email needs, whether a person wants them, and whether one went out.

use uuid::Uuid;

use super::{Db, StoreError, with_pool};

/// A notification with its recipient and workspace, as its email is written.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct EmailTarget {
    pub id: Uuid,
    pub user_id: Uuid,
    pub workspace_id: Uuid,
    pub title: String,
    pub body: String,
    pub link: String,
    pub emailed_at_ms: Option<i64>,
    pub email: String,
    pub display_name: String,
    pub email_notifications: bool,
    pub workspace_name: String,
    /// 1 while the recipient is still a member of the workspace, 0 once they left.
    pub memberships: i64,
}

pub async fn target(db: &Db, notification: Uuid) -> Result<Option<EmailTarget>, StoreError> {
    Ok(with_pool!(db, |pool| sqlx::query_as(
        "SELECT n.id, n.user_id, n.workspace_id, n.title, n.body, n.link, n.emailed_at_ms,
                u.email, u.display_name, u.email_notifications, w.name AS workspace_name,
                (SELECT COUNT(*) FROM memberships m
                 WHERE m.workspace_id = n.workspace_id AND m.user_id = n.user_id) AS memberships
         FROM notifications n
         JOIN users u ON u.id = n.user_id
         JOIN workspaces w ON w.id = n.workspace_id
         WHERE n.id = $1"
    )
    .bind(notification)
    .fetch_optional(pool)
    .await)?)
}

/// Records that the email went out; false when it already had.
pub async fn mark_emailed(db: &Db, notification: Uuid, at_ms: i64) -> Result<bool, StoreError> {
    let changed = with_pool!(db, |pool| sqlx::query(
        "UPDATE notifications SET emailed_at_ms = $2 WHERE id = $1 AND emailed_at_ms IS NULL"
    )
    .bind(notification)
    .bind(at_ms)
    .execute(pool)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(changed > 0)
}

/// Those of `users` who want notifications by email.
pub async fn wanting_email(db: &Db, users: &[Uuid]) -> Result<Vec<Uuid>, StoreError> {
    let mut wanting = Vec::new();
    for user in users {
        if preference(db, *user).await? {
            wanting.push(*user);
        }
    }
    Ok(wanting)
}

/// Whether `user` wants notifications by email (false for a user that does not exist).
pub async fn preference(db: &Db, user: Uuid) -> Result<bool, StoreError> {
    let on: Option<bool> = with_pool!(db, |pool| sqlx::query_scalar(
        "SELECT email_notifications FROM users WHERE id = $1"
    )
    .bind(user)
    .fetch_optional(pool)
    .await)?;
    Ok(on.unwrap_or(false))
}

pub async fn set_preference(db: &Db, user: Uuid, on: bool) -> Result<(), StoreError> {
    with_pool!(db, |pool| sqlx::query(
        "UPDATE users SET email_notifications = $2 WHERE id = $1"
    )
    .bind(user)
    .bind(on)
    .execute(pool)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}
