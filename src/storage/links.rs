//! Short links and their visits.

use uuid::Uuid;

use super::{Db, StoreError, with_pool};

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ShortLink {
    pub id: Uuid,
    pub workspace_id: Uuid,
    pub code: String,
    pub target_url: String,
    pub post_id: Option<Uuid>,
    pub variant_id: Option<Uuid>,
    pub network: String,
    pub created_at_ms: i64,
}

/// A short link with its visit counts.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct LinkStats {
    #[sqlx(flatten)]
    pub link: ShortLink,
    /// Visits by people (bots excluded).
    pub clicks: i64,
    pub bot_visits: i64,
}

pub async fn insert(db: &Db, l: &ShortLink) -> Result<(), StoreError> {
    with_pool!(db, |pool| {
        sqlx::query(
        "INSERT INTO short_links (id, workspace_id, code, target_url, post_id, variant_id, network, created_at_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
    )
    .bind(l.id)
    .bind(l.workspace_id)
    .bind(&l.code)
    .bind(&l.target_url)
    .bind(l.post_id)
    .bind(l.variant_id)
    .bind(&l.network)
    .bind(l.created_at_ms)
    .execute(pool)
    .await
    .map(|r| r.rows_affected())
    })?;
    Ok(())
}

pub async fn by_code(db: &Db, code: &str) -> Result<Option<ShortLink>, StoreError> {
    Ok(with_pool!(db, |pool| sqlx::query_as(
        "SELECT id, workspace_id, code, target_url, post_id, variant_id, network, created_at_ms
         FROM short_links WHERE code = $1"
    )
    .bind(code)
    .fetch_optional(pool)
    .await)?)
}

pub async fn record_visit(db: &Db, link: Uuid, at_ms: i64, is_bot: bool) -> Result<(), StoreError> {
    with_pool!(db, |pool| sqlx::query(
        "INSERT INTO link_visits (id, link_id, at_ms, is_bot) VALUES ($1, $2, $3, $4)"
    )
    .bind(Uuid::now_v7())
    .bind(link)
    .bind(at_ms)
    .bind(is_bot)
    .execute(pool)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// The workspace's links with their counts, newest first.
pub async fn list(db: &Db, workspace: Uuid) -> Result<Vec<LinkStats>, StoreError> {
    Ok(with_pool!(db, |pool| {
        sqlx::query_as(
        "SELECT l.id, l.workspace_id, l.code, l.target_url, l.post_id, l.variant_id, l.network, l.created_at_ms,
                COALESCE(SUM(CASE WHEN v.is_bot THEN 0 ELSE 1 END), 0) AS clicks,
                COALESCE(SUM(CASE WHEN v.is_bot THEN 1 ELSE 0 END), 0) AS bot_visits
         FROM short_links l LEFT JOIN link_visits v ON v.link_id = l.id
         WHERE l.workspace_id = $1
         GROUP BY l.id, l.workspace_id, l.code, l.target_url, l.post_id, l.variant_id, l.network, l.created_at_ms
         ORDER BY l.created_at_ms DESC, l.code"
    )
    .bind(workspace)
    .fetch_all(pool)
    .await
    })?)
}

/// One post's links with their counts, oldest first (the order they were made in).
pub async fn of_post(db: &Db, workspace: Uuid, post: Uuid) -> Result<Vec<LinkStats>, StoreError> {
    Ok(with_pool!(db, |pool| {
        sqlx::query_as(
        "SELECT l.id, l.workspace_id, l.code, l.target_url, l.post_id, l.variant_id, l.network, l.created_at_ms,
                COALESCE(SUM(CASE WHEN v.is_bot THEN 0 ELSE 1 END), 0) AS clicks,
                COALESCE(SUM(CASE WHEN v.is_bot THEN 1 ELSE 0 END), 0) AS bot_visits
         FROM short_links l LEFT JOIN link_visits v ON v.link_id = l.id
         WHERE l.workspace_id = $1 AND l.post_id = $2
         GROUP BY l.id, l.workspace_id, l.code, l.target_url, l.post_id, l.variant_id, l.network, l.created_at_ms
         ORDER BY l.created_at_ms, l.code"
    )
    .bind(workspace)
    .bind(post)
    .fetch_all(pool)
    .await
    })?)
}
