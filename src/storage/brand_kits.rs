//! A workspace's brand kit: the logo and cover behind its profile images, its colours, and
//! the review status of the generated set.

use uuid::Uuid;

use super::{Db, StoreError, with_pool};

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct BrandKit {
    pub workspace_id: Uuid,
    pub logo_media_id: Option<Uuid>,
    pub cover_media_id: Option<Uuid>,
    /// `#rrggbb` values, comma-separated, the main colour first.
    pub colors: String,
    /// `draft`, `in_review`, `changes_requested` or `approved`.
    pub review_status: String,
    pub review_note: String,
    pub reviewed_by: Option<Uuid>,
    pub updated_at_ms: i64,
}

impl BrandKit {
    pub fn empty(workspace_id: Uuid) -> BrandKit {
        BrandKit {
            workspace_id,
            logo_media_id: None,
            cover_media_id: None,
            colors: String::new(),
            review_status: "draft".into(),
            review_note: String::new(),
            reviewed_by: None,
            updated_at_ms: 0,
        }
    }
}

pub async fn get(db: &Db, workspace: Uuid) -> Result<Option<BrandKit>, StoreError> {
    Ok(with_pool!(db, |pool| sqlx::query_as(
        "SELECT workspace_id, logo_media_id, cover_media_id, colors, review_status, review_note,
                reviewed_by, updated_at_ms
         FROM brand_kits WHERE workspace_id = $1"
    )
    .bind(workspace)
    .fetch_optional(pool)
    .await)?)
}

pub async fn save(db: &Db, kit: &BrandKit) -> Result<(), StoreError> {
    with_pool!(db, |pool| {
        sqlx::query(
        "INSERT INTO brand_kits (workspace_id, logo_media_id, cover_media_id, colors, review_status,
             review_note, reviewed_by, updated_at_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (workspace_id) DO UPDATE SET logo_media_id = excluded.logo_media_id,
             cover_media_id = excluded.cover_media_id, colors = excluded.colors,
             review_status = excluded.review_status, review_note = excluded.review_note,
             reviewed_by = excluded.reviewed_by, updated_at_ms = excluded.updated_at_ms"
    )
    .bind(kit.workspace_id)
    .bind(kit.logo_media_id)
    .bind(kit.cover_media_id)
    .bind(&kit.colors)
    .bind(&kit.review_status)
    .bind(&kit.review_note)
    .bind(kit.reviewed_by)
    .bind(kit.updated_at_ms)
    .execute(pool)
    .await
    .map(|r| r.rows_affected())
    })?;
    Ok(())
}
