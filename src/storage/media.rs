//! The media library's rows: items, their tags, derived renditions and where posts use them.

use uuid::Uuid;

use crate::domain::media::{MediaFacts, MediaFormat};

use super::{Db, StoreError, with_pool, with_tx};

#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct Media {
    pub id: Uuid,
    pub workspace_id: Uuid,
    pub name: String,
    /// `jpeg`, `png`, `webp`, `gif`, `mp4` or `mov`.
    pub format: String,
    pub bytes: i64,
    pub width: i32,
    pub height: i32,
    pub duration_ms: Option<i64>,
    pub frames: Option<i32>,
    pub alt_text: String,
    pub focal_x: f64,
    pub focal_y: f64,
    pub sha256: String,
    pub blob_key: String,
    pub thumb_key: Option<String>,
    pub created_by: Option<Uuid>,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
}

impl Media {
    pub fn media_format(&self) -> MediaFormat {
        // The column's CHECK constraint admits only the formats `parse` knows.
        MediaFormat::parse(&self.format).unwrap_or(MediaFormat::Jpeg)
    }

    /// What the network rules need to know about the item.
    pub fn facts(&self) -> MediaFacts {
        MediaFacts {
            format: self.media_format(),
            bytes: self.bytes.max(0) as u64,
            width: self.width.max(0) as u32,
            height: self.height.max(0) as u32,
            duration_ms: self.duration_ms.map(|d| d.max(0) as u64),
            frames: self.frames.map(|f| f.max(0) as u32),
            alt_text: self.alt_text.clone(),
        }
    }
}

const COLUMNS: &str =
    "m.id, m.workspace_id, m.name, m.format, m.bytes, m.width, m.height, m.duration_ms,
    m.frames, m.alt_text, m.focal_x, m.focal_y, m.sha256, m.blob_key, m.thumb_key, m.created_by,
    m.created_at_ms, m.updated_at_ms";

/// A post that shows a media item.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct Usage {
    pub post_id: Uuid,
    pub text: String,
    pub updated_at_ms: i64,
}

/// What the library list is narrowed to.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    /// Matched against the name and the alt text, case-insensitively.
    pub query: Option<String>,
    pub tag_id: Option<Uuid>,
    /// `image`, `gif` or `video`.
    pub formats: Vec<String>,
    /// Only items created before this one (newest first paging).
    pub before: Option<(i64, Uuid)>,
    pub limit: i64,
}

pub async fn insert(db: &Db, m: &Media, tag_ids: &[Uuid]) -> Result<(), StoreError> {
    with_tx!(db, |tx| {
        async {
            sqlx::query(
                "INSERT INTO media (id, workspace_id, name, format, bytes, width, height, duration_ms, frames,
                     alt_text, focal_x, focal_y, sha256, blob_key, thumb_key, created_by, created_at_ms, updated_at_ms)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)",
            )
            .bind(m.id)
            .bind(m.workspace_id)
            .bind(&m.name)
            .bind(&m.format)
            .bind(m.bytes)
            .bind(m.width)
            .bind(m.height)
            .bind(m.duration_ms)
            .bind(m.frames)
            .bind(&m.alt_text)
            .bind(m.focal_x)
            .bind(m.focal_y)
            .bind(&m.sha256)
            .bind(&m.blob_key)
            .bind(&m.thumb_key)
            .bind(m.created_by)
            .bind(m.created_at_ms)
            .bind(m.updated_at_ms)
            .execute(&mut *tx)
            .await?;
            for tag in tag_ids {
                sqlx::query("INSERT INTO media_tags (media_id, tag_id) VALUES ($1, $2)")
                    .bind(m.id)
                    .bind(tag)
                    .execute(&mut *tx)
                    .await?;
            }
            Ok::<(), StoreError>(())
        }
        .await
    })
}

/// Name, alt text, focal point and tags; a changed focal point drops the renditions cut
/// around the old one.
pub async fn update(
    db: &Db,
    m: &Media,
    tag_ids: &[Uuid],
    focal_changed: bool,
) -> Result<(), StoreError> {
    with_tx!(db, |tx| {
        async {
            sqlx::query(
                "UPDATE media SET name = $1, alt_text = $2, focal_x = $3, focal_y = $4, updated_at_ms = $5
                 WHERE id = $6 AND workspace_id = $7",
            )
            .bind(&m.name)
            .bind(&m.alt_text)
            .bind(m.focal_x)
            .bind(m.focal_y)
            .bind(m.updated_at_ms)
            .bind(m.id)
            .bind(m.workspace_id)
            .execute(&mut *tx)
            .await?;
            sqlx::query("DELETE FROM media_tags WHERE media_id = $1").bind(m.id).execute(&mut *tx).await?;
            for tag in tag_ids {
                sqlx::query("INSERT INTO media_tags (media_id, tag_id) VALUES ($1, $2)")
                    .bind(m.id)
                    .bind(tag)
                    .execute(&mut *tx)
                    .await?;
            }
            if focal_changed {
                sqlx::query("DELETE FROM media_renditions WHERE media_id = $1")
                    .bind(m.id)
                    .execute(&mut *tx)
                    .await?;
            }
            Ok::<(), StoreError>(())
        }
        .await
    })
}

/// A media item of `workspace` (never another workspace's, whatever the id).
pub async fn get(db: &Db, workspace: Uuid, id: Uuid) -> Result<Option<Media>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM media m WHERE m.id = $1 AND m.workspace_id = $2");
    Ok(with_pool!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
        sql
    ))
    .bind(id)
    .bind(workspace)
    .fetch_optional(pool)
    .await)?)
}

/// A media item by id alone, for the public address whose signature already names it.
pub async fn get_any(db: &Db, id: Uuid) -> Result<Option<Media>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM media m WHERE m.id = $1");
    Ok(with_pool!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
        sql
    ))
    .bind(id)
    .fetch_optional(pool)
    .await)?)
}

/// The workspace's items among `ids`, in any order; ids of other workspaces are left out.
pub async fn get_many(db: &Db, workspace: Uuid, ids: &[Uuid]) -> Result<Vec<Media>, StoreError> {
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(m) = get(db, workspace, *id).await? {
            out.push(m);
        }
    }
    Ok(out)
}

pub async fn by_sha(db: &Db, workspace: Uuid, sha256: &str) -> Result<Option<Media>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM media m WHERE m.workspace_id = $1 AND m.sha256 = $2 LIMIT 1"
    );
    Ok(with_pool!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
        sql
    ))
    .bind(workspace)
    .bind(sha256)
    .fetch_optional(pool)
    .await)?)
}

/// Newest first. `LIKE` with the user's text escaped, so `%` and `_` match themselves.
pub async fn list(db: &Db, workspace: Uuid, f: &Filter) -> Result<Vec<Media>, StoreError> {
    let pattern = f.query.as_deref().map(|q| {
        let escaped = q
            .to_lowercase()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        format!("%{escaped}%")
    });
    let formats = if f.formats.is_empty() {
        None
    } else {
        Some(f.formats.join(","))
    };
    let (before_ms, before_id) = f.before.unwrap_or((i64::MAX, Uuid::max()));
    let sql = format!(
        "SELECT {COLUMNS} FROM media m
         WHERE m.workspace_id = $1
           AND ($2 IS NULL OR LOWER(m.name) LIKE $2 ESCAPE '\\' OR LOWER(m.alt_text) LIKE $2 ESCAPE '\\')
           AND ($3 IS NULL OR EXISTS (SELECT 1 FROM media_tags t WHERE t.media_id = m.id AND t.tag_id = $3))
           AND ($4 IS NULL OR ',' || $4 || ',' LIKE '%,' || m.format || ',%')
           AND (m.created_at_ms < $5 OR (m.created_at_ms = $5 AND m.id < $6))
         ORDER BY m.created_at_ms DESC, m.id DESC
         LIMIT $7"
    );
    Ok(with_pool!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
        sql
    ))
    .bind(workspace)
    .bind(pattern)
    .bind(f.tag_id)
    .bind(formats)
    .bind(before_ms)
    .bind(before_id)
    .bind(f.limit)
    .fetch_all(pool)
    .await)?)
}

pub async fn tag_ids(db: &Db, media: Uuid) -> Result<Vec<Uuid>, StoreError> {
    Ok(with_pool!(db, |pool| sqlx::query_scalar(
        "SELECT tag_id FROM media_tags WHERE media_id = $1"
    )
    .bind(media)
    .fetch_all(pool)
    .await)?)
}

/// The posts that show `media`, newest first.
pub async fn usages(db: &Db, media: Uuid) -> Result<Vec<Usage>, StoreError> {
    Ok(with_pool!(db, |pool| sqlx::query_as(
        "SELECT DISTINCT p.id AS post_id, p.text, p.updated_at_ms
         FROM post_media pm JOIN posts p ON p.id = pm.post_id
         WHERE pm.media_id = $1 ORDER BY p.updated_at_ms DESC"
    )
    .bind(media)
    .fetch_all(pool)
    .await)?)
}

/// Deletes the row unless a post uses it; `false` when it is in use or absent.
pub async fn delete_unused(db: &Db, workspace: Uuid, id: Uuid) -> Result<bool, StoreError> {
    let n = with_pool!(db, |pool| sqlx::query(
        "DELETE FROM media WHERE id = $1 AND workspace_id = $2
           AND NOT EXISTS (SELECT 1 FROM post_media WHERE media_id = $1)"
    )
    .bind(id)
    .bind(workspace)
    .execute(pool)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(n > 0)
}

/// The media of a post, in order.
pub async fn of_post(db: &Db, post: Uuid) -> Result<Vec<Media>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM post_media pm JOIN media m ON m.id = pm.media_id
         WHERE pm.post_id = $1 ORDER BY pm.position"
    );
    Ok(with_pool!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
        sql
    ))
    .bind(post)
    .fetch_all(pool)
    .await)?)
}

#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct Rendition {
    pub media_id: Uuid,
    pub purpose: String,
    pub blob_key: String,
    pub width: i32,
    pub height: i32,
}

pub async fn rendition(
    db: &Db,
    media: Uuid,
    purpose: &str,
) -> Result<Option<Rendition>, StoreError> {
    Ok(with_pool!(db, |pool| sqlx::query_as(
        "SELECT media_id, purpose, blob_key, width, height FROM media_renditions
         WHERE media_id = $1 AND purpose = $2"
    )
    .bind(media)
    .bind(purpose)
    .fetch_optional(pool)
    .await)?)
}

/// The blob keys of every rendition of `media`.
pub async fn rendition_keys(db: &Db, media: Uuid) -> Result<Vec<String>, StoreError> {
    Ok(with_pool!(db, |pool| sqlx::query_scalar(
        "SELECT blob_key FROM media_renditions WHERE media_id = $1"
    )
    .bind(media)
    .fetch_all(pool)
    .await)?)
}

pub async fn save_rendition(db: &Db, r: &Rendition) -> Result<(), StoreError> {
    with_pool!(db, |pool| {
        sqlx::query(
        "INSERT INTO media_renditions (media_id, purpose, blob_key, width, height) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (media_id, purpose) DO UPDATE SET blob_key = excluded.blob_key,
             width = excluded.width, height = excluded.height"
    )
    .bind(r.media_id)
    .bind(&r.purpose)
    .bind(&r.blob_key)
    .bind(r.width)
    .bind(r.height)
    .execute(pool)
    .await
    .map(|r| r.rows_affected())
    })?;
    Ok(())
}
