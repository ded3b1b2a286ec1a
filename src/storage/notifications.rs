//! In-app notifications, one row per person and event.

use uuid::Uuid;

use super::{Db, StoreError, with_pool};

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Notification {
    pub id: Uuid,
    pub user_id: Uuid,
    pub workspace_id: Uuid,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub link: String,
    pub created_at_ms: i64,
    pub read_at_ms: Option<i64>,
}

const COLUMNS: &str =
    "id, user_id, workspace_id, kind, title, body, link, created_at_ms, read_at_ms";

/// Inserts notification `$n`; the engine's writer applies it with the other writes of a
/// batch (`group_commit::Write::Notify`).
macro_rules! insert_notification {
    ($executor:expr, $n:expr) => {
        sqlx::query(
            "INSERT INTO notifications (id, user_id, workspace_id, kind, title, body, link,
                 created_at_ms)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind($n.id)
        .bind($n.user_id)
        .bind($n.workspace_id)
        .bind(&$n.kind)
        .bind(&$n.title)
        .bind(&$n.body)
        .bind(&$n.link)
        .bind($n.created_at_ms)
        .execute($executor)
        .await
        .map(|_| ())
    };
}
pub(crate) use insert_notification;

/// A person's notifications, newest first, from workspaces they are still a member of;
/// `before` is the (created, id) of the last row of the previous page.
pub async fn page(
    db: &Db,
    user: Uuid,
    before: Option<(i64, Uuid)>,
    limit: i64,
) -> Result<Vec<Notification>, StoreError> {
    let (at, id) = before.unwrap_or((i64::MAX, Uuid::max()));
    let sql = format!(
        "SELECT {COLUMNS} FROM notifications n
         WHERE user_id = $1
           AND EXISTS (SELECT 1 FROM memberships m
                       WHERE m.workspace_id = n.workspace_id AND m.user_id = n.user_id)
           AND (created_at_ms < $2 OR (created_at_ms = $2 AND id < $3))
         ORDER BY created_at_ms DESC, id DESC LIMIT $4"
    );
    Ok(with_pool!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
        sql
    ))
    .bind(user)
    .bind(at)
    .bind(id)
    .bind(limit)
    .fetch_all(pool)
    .await)?)
}

pub async fn unread_count(db: &Db, user: Uuid) -> Result<i64, StoreError> {
    Ok(with_pool!(db, |pool| sqlx::query_scalar(
        "SELECT COUNT(*) FROM notifications n
         WHERE user_id = $1 AND read_at_ms IS NULL
           AND EXISTS (SELECT 1 FROM memberships m
                       WHERE m.workspace_id = n.workspace_id AND m.user_id = n.user_id)"
    )
    .bind(user)
    .fetch_one(pool)
    .await)?)
}

/// Marks a person's notifications read: those in `ids`, or all of them with `None`.
/// Returns how many changed.
pub async fn mark_read(
    db: &Db,
    user: Uuid,
    ids: Option<&[Uuid]>,
    now_ms: i64,
) -> Result<u64, StoreError> {
    let Some(ids) = ids else {
        return Ok(with_pool!(db, |pool| sqlx::query(
            "UPDATE notifications SET read_at_ms = $2 WHERE user_id = $1 AND read_at_ms IS NULL"
        )
        .bind(user)
        .bind(now_ms)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))?);
    };
    let mut changed = 0;
    for id in ids {
        changed += with_pool!(db, |pool| sqlx::query(
            "UPDATE notifications SET read_at_ms = $3
             WHERE id = $1 AND user_id = $2 AND read_at_ms IS NULL"
        )
        .bind(id)
        .bind(user)
        .bind(now_ms)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))?;
    }
    Ok(changed)
}

/// The members of a workspace whose role is one of `roles` (as stored, "owner").
pub async fn members_with_roles(
    db: &Db,
    workspace: Uuid,
    roles: &[&str],
) -> Result<Vec<Uuid>, StoreError> {
    let rows: Vec<(Uuid, String)> = with_pool!(db, |pool| sqlx::query_as(
        "SELECT user_id, role FROM memberships WHERE workspace_id = $1 ORDER BY user_id"
    )
    .bind(workspace)
    .fetch_all(pool)
    .await)?;
    Ok(rows
        .into_iter()
        .filter(|(_, role)| roles.contains(&role.as_str()))
        .map(|(id, _)| id)
        .collect())
}

/// Whether `user` is still a member of `workspace` (an author who left gets nothing).
pub async fn is_member(db: &Db, workspace: Uuid, user: Uuid) -> Result<bool, StoreError> {
    let n: i64 = with_pool!(db, |pool| sqlx::query_scalar(
        "SELECT COUNT(*) FROM memberships WHERE workspace_id = $1 AND user_id = $2"
    )
    .bind(workspace)
    .bind(user)
    .fetch_one(pool)
    .await)?;
    Ok(n > 0)
}

/// What a post event names: the post's workspace, author and opening words, and for a
/// variant its channel.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct PostContext {
    pub workspace_id: Uuid,
    pub post_id: Uuid,
    pub author_id: Uuid,
    pub text: String,
    pub channel_id: Option<Uuid>,
    pub channel_handle: Option<String>,
    pub network: Option<String>,
    pub remote_url: Option<String>,
    pub scheduled_at_ms: Option<i64>,
    /// Whether the author is still a member (told of what happens to their posts).
    pub author_is_member: bool,
    /// Whether the workspace has any webhook (else none is looked for).
    pub has_webhooks: bool,
}

/// The author's membership and the workspace's webhooks, as `PostContext` reads them.
const CONTEXT_FLAGS: &str = "EXISTS (SELECT 1 FROM memberships m
             WHERE m.workspace_id = p.workspace_id AND m.user_id = p.author_id) AS author_is_member,
     EXISTS (SELECT 1 FROM webhooks h WHERE h.workspace_id = p.workspace_id) AS has_webhooks";

pub async fn post_context(db: &Db, post: Uuid) -> Result<Option<PostContext>, StoreError> {
    let sql = format!(
        "SELECT p.workspace_id, p.id AS post_id, p.author_id, p.text,
                NULL AS channel_id, NULL AS channel_handle, NULL AS network, NULL AS remote_url,
                (SELECT MIN(v.scheduled_at_ms) FROM variants v
                 WHERE v.post_id = p.id AND v.state = 'scheduled') AS scheduled_at_ms,
                {CONTEXT_FLAGS}
         FROM posts p WHERE p.id = $1"
    );
    Ok(with_pool!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
        sql
    ))
    .bind(post)
    .fetch_optional(pool)
    .await)?)
}

pub async fn variant_context(db: &Db, variant: Uuid) -> Result<Option<PostContext>, StoreError> {
    let sql = format!(
        "SELECT p.workspace_id, p.id AS post_id, p.author_id, p.text,
                c.id AS channel_id, c.handle AS channel_handle, c.network, v.remote_url,
                v.scheduled_at_ms, {CONTEXT_FLAGS}
         FROM variants v JOIN posts p ON p.id = v.post_id JOIN channels c ON c.id = v.channel_id
         WHERE v.id = $1"
    );
    Ok(with_pool!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
        sql
    ))
    .bind(variant)
    .fetch_optional(pool)
    .await)?)
}

/// One of a person's notifications.
pub async fn get(db: &Db, user: Uuid, id: Uuid) -> Result<Option<Notification>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM notifications WHERE id = $1 AND user_id = $2");
    Ok(with_pool!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
        sql
    ))
    .bind(id)
    .bind(user)
    .fetch_optional(pool)
    .await)?)
}
