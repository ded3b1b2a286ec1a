//! Imports that create many posts at once: every post, variant, tag link, media link and
//! publish job of a file in one transaction, so a file is imported whole or not at all.

use std::collections::HashMap;

use uuid::Uuid;

use super::jobs::JobRow;
use crate::domain::post::VariantOptions;
use crate::domain::post::credit::Credit;
use sqlx::types::Json;

use super::tags::Tag;
use super::{Db, StoreError, with_tx};

/// A variant created scheduled: what goes out on one channel, and when.
#[derive(Clone, Debug)]
pub struct ScheduledVariant {
    pub id: Uuid,
    pub channel_id: Uuid,
    pub parts: Json<Vec<String>>,
    pub scheduled_at_ms: i64,
    pub time_zone: String,
    pub local_time: String,
    /// The time came from the channel's queue (then "share next" may move it on).
    pub queued: bool,
}

/// A post as an import creates it: its text, no notes, credit or campaign.
#[derive(Clone, Debug)]
pub struct NewPost {
    pub id: Uuid,
    pub workspace_id: Uuid,
    pub author_id: Uuid,
    pub text: String,
    pub promo_score: i64,
    pub created_at_ms: i64,
}

/// One post of an import, its variants already scheduled, with their publish jobs.
#[derive(Clone, Debug)]
pub struct ScheduledPost {
    pub post: NewPost,
    pub variants: Vec<ScheduledVariant>,
    pub jobs: Vec<JobRow>,
    /// Lower-cased names of the post's tags (each among the import's `tags`).
    pub tag_keys: Vec<String>,
    pub media_ids: Vec<Uuid>,
}

/// Creates the posts, their scheduled variants and their publish jobs, and the tags they
/// name (an existing tag of that name is used), all in one transaction.
pub async fn create_scheduled(
    db: &Db,
    tags: &[Tag],
    posts: &[ScheduledPost],
) -> Result<(), StoreError> {
    with_tx!(db, |tx| {
        async {
            let mut tag_ids: HashMap<String, Uuid> = HashMap::new();
            for t in tags {
                let id: Uuid = sqlx::query_scalar(
                    "INSERT INTO tags (id, workspace_id, kind, name, name_key, color, created_at_ms)
                     VALUES ($1, $2, $3, $4, $5, $6, $7)
                     ON CONFLICT (workspace_id, kind, name_key) DO UPDATE SET name_key = excluded.name_key
                     RETURNING id",
                )
                .bind(t.id)
                .bind(t.workspace_id)
                .bind(&t.kind)
                .bind(&t.name)
                .bind(t.name.to_lowercase())
                .bind(&t.color)
                .bind(t.created_at_ms)
                .fetch_one(&mut *tx)
                .await?;
                tag_ids.insert(t.name.to_lowercase(), id);
            }
            for item in posts {
                let p = &item.post;
                sqlx::query(
                    "INSERT INTO posts (id, workspace_id, author_id, text, notes, promo_score, credit,
                         created_at_ms, updated_at_ms)
                     VALUES ($1, $2, $3, $4, '', $5, $6, $7, $7)",
                )
                .bind(p.id)
                .bind(p.workspace_id)
                .bind(p.author_id)
                .bind(&p.text)
                .bind(p.promo_score)
                .bind(Json(Credit::default()))
                .bind(p.created_at_ms)
                .execute(&mut *tx)
                .await?;
                for key in &item.tag_keys {
                    if let Some(tag) = tag_ids.get(key) {
                        sqlx::query(
                            "INSERT INTO post_tags (post_id, tag_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                        )
                        .bind(p.id)
                        .bind(tag)
                        .execute(&mut *tx)
                        .await?;
                    }
                }
                for (position, media) in item.media_ids.iter().enumerate() {
                    sqlx::query("INSERT INTO post_media (post_id, media_id, position) VALUES ($1, $2, $3)")
                        .bind(p.id)
                        .bind(media)
                        .bind(position as i32)
                        .execute(&mut *tx)
                        .await?;
                }
                for v in &item.variants {
                    sqlx::query(
                        // Sequence 1: as scheduling a draft leaves it.
                        "INSERT INTO variants (id, post_id, channel_id, state, detached, parts, first_comment,
                             options, created_at_ms, updated_at_ms, scheduled_at_ms, time_zone, local_time,
                             sequence, queued)
                         VALUES ($1, $2, $3, 'scheduled', FALSE, $4, '', $5, $6, $6, $7, $8, $9, 1, $10)",
                    )
                    .bind(v.id)
                    .bind(p.id)
                    .bind(v.channel_id)
                    .bind(&v.parts)
                    .bind(Json(VariantOptions::default()))
                    .bind(p.created_at_ms)
                    .bind(v.scheduled_at_ms)
                    .bind(&v.time_zone)
                    .bind(&v.local_time)
                    .bind(v.queued)
                    .execute(&mut *tx)
                    .await?;
                }
                for job in &item.jobs {
                    super::jobs::queue_job!(tx, job);
                }
            }
            Ok::<(), StoreError>(())
        }
        .await
    })
}
