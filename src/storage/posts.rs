//! Posts and their variants, saved together as one aggregate.

use sqlx::types::Json;
use uuid::Uuid;

use super::{Db, StoreError, with_pool, with_tx};
use crate::domain::post::credit::Credit;
use crate::domain::post::{VariantOptions, VariantState};

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Post {
    pub id: Uuid,
    pub workspace_id: Uuid,
    pub author_id: Uuid,
    pub assignee_id: Option<Uuid>,
    pub campaign_id: Option<Uuid>,
    pub text: String,
    pub notes: String,
    /// The "no hard sell" score of the text, 0 to 100.
    pub promo_score: i64,
    /// Third-party content: the original's link and its author's handles (empty when none).
    pub credit: Json<Credit>,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
    /// Approvals given in the current review round, and how many it needs.
    pub approvals_done: i64,
    pub approvals_needed: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Variant {
    pub id: Uuid,
    pub post_id: Uuid,
    pub channel_id: Uuid,
    #[sqlx(try_from = "String")]
    pub state: VariantState,
    pub detached: bool,
    pub parts: Json<Vec<String>>,
    pub first_comment: String,
    pub options: Json<VariantOptions>,
    pub remote_id: Option<String>,
    pub remote_url: Option<String>,
    pub error: Option<String>,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
    /// When it goes out, and what the person meant: a local time in a zone.
    pub scheduled_at_ms: Option<i64>,
    pub time_zone: String,
    pub local_time: String,
    pub published_at_ms: Option<i64>,
    /// How the last attempt failed, as the engine classified it.
    pub error_kind: Option<String>,
    /// The next automatic retry, while publishing.
    pub retry_at_ms: Option<i64>,
    pub attempt_count: i64,
    /// Attempts since it was last scheduled (automatic retries stop at a limit).
    pub tries: i64,
    pub first_attempt_ms: Option<i64>,
    /// Raised on every change a calendar reader should see (iCal SEQUENCE).
    pub sequence: i64,
    /// Its time came from the channel's queue (so "share next" may move it).
    pub queued: bool,
}

#[derive(Debug, thiserror::Error)]
#[error("unknown variant state {0:?}")]
pub struct UnknownState(String);

impl TryFrom<String> for VariantState {
    type Error = UnknownState;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        VariantState::parse(&s).ok_or(UnknownState(s))
    }
}

const POST_COLUMNS: &str = "id, workspace_id, author_id, assignee_id, campaign_id, text, notes, promo_score, credit, created_at_ms, updated_at_ms, approvals_done, approvals_needed";
pub(crate) const VARIANT_COLUMNS: &str =
    "id, post_id, channel_id, state, detached, parts, first_comment, options, remote_id,
    remote_url, error, created_at_ms, updated_at_ms, scheduled_at_ms, time_zone, local_time,
    published_at_ms, error_kind, retry_at_ms, attempt_count, tries, first_attempt_ms, sequence, queued";

/// Writes a post, its tags, media (when `Some`) and variants in one transaction; `removed`
/// variants are deleted.
/// The variants' state and remote fields are left to the publisher once a row exists.
pub async fn save(
    db: &Db,
    post: &Post,
    tag_ids: &[Uuid],
    variants: &[Variant],
    removed: &[Uuid],
    media_ids: Option<&[Uuid]>,
) -> Result<(), StoreError> {
    with_tx!(db, |tx| {
        async {
            sqlx::query(
                "INSERT INTO posts (id, workspace_id, author_id, assignee_id, campaign_id, text, notes, promo_score, credit,
                     created_at_ms, updated_at_ms)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $10, $11, $8, $9)
                 ON CONFLICT (id) DO UPDATE SET assignee_id = excluded.assignee_id, campaign_id = excluded.campaign_id,
                     text = excluded.text, notes = excluded.notes, promo_score = excluded.promo_score,
                     credit = excluded.credit, updated_at_ms = excluded.updated_at_ms",
            )
            .bind(post.id)
            .bind(post.workspace_id)
            .bind(post.author_id)
            .bind(post.assignee_id)
            .bind(post.campaign_id)
            .bind(&post.text)
            .bind(&post.notes)
            .bind(post.created_at_ms)
            .bind(post.updated_at_ms)
            .bind(post.promo_score)
            .bind(&post.credit)
            .execute(&mut *tx)
            .await?;
            sqlx::query("DELETE FROM post_tags WHERE post_id = $1").bind(post.id).execute(&mut *tx).await?;
            for tag in tag_ids {
                sqlx::query("INSERT INTO post_tags (post_id, tag_id) VALUES ($1, $2)")
                    .bind(post.id)
                    .bind(tag)
                    .execute(&mut *tx)
                    .await?;
            }
            if let Some(media_ids) = media_ids {
                sqlx::query("DELETE FROM post_media WHERE post_id = $1").bind(post.id).execute(&mut *tx).await?;
                for (position, media) in media_ids.iter().enumerate() {
                    sqlx::query("INSERT INTO post_media (post_id, media_id, position) VALUES ($1, $2, $3)")
                        .bind(post.id)
                        .bind(media)
                        .bind(position as i32)
                        .execute(&mut *tx)
                        .await?;
                }
            }
            for id in removed {
                sqlx::query("DELETE FROM variants WHERE id = $1 AND post_id = $2")
                    .bind(id)
                    .bind(post.id)
                    .execute(&mut *tx)
                    .await?;
            }
            for v in variants {
                sqlx::query(
                    "INSERT INTO variants (id, post_id, channel_id, state, detached, parts, first_comment, options,
                         created_at_ms, updated_at_ms)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                     ON CONFLICT (id) DO UPDATE SET detached = excluded.detached, parts = excluded.parts,
                         first_comment = excluded.first_comment, options = excluded.options,
                         updated_at_ms = excluded.updated_at_ms",
                )
                .bind(v.id)
                .bind(v.post_id)
                .bind(v.channel_id)
                .bind(v.state.as_str())
                .bind(v.detached)
                .bind(&v.parts)
                .bind(&v.first_comment)
                .bind(&v.options)
                .bind(v.created_at_ms)
                .bind(v.updated_at_ms)
                .execute(&mut *tx)
                .await?;
            }
            Ok::<(), StoreError>(())
        }
        .await
    })
}

/// A post of `workspace` (never another workspace's, whatever the id).
pub async fn get(db: &Db, workspace: Uuid, id: Uuid) -> Result<Option<Post>, StoreError> {
    let sql = format!("SELECT {POST_COLUMNS} FROM posts WHERE id = $1 AND workspace_id = $2");
    Ok(with_pool!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
        sql
    ))
    .bind(id)
    .bind(workspace)
    .fetch_optional(pool)
    .await)?)
}

/// Newest first; `before` is the last id of the previous page (ids are time-ordered UUIDv7).
pub async fn list(
    db: &Db,
    workspace: Uuid,
    before: Option<Uuid>,
    limit: i64,
) -> Result<Vec<Post>, StoreError> {
    let sql = format!(
        "SELECT {POST_COLUMNS} FROM posts WHERE workspace_id = $1 AND ($2 IS NULL OR id < $2)
         ORDER BY id DESC LIMIT $3"
    );
    Ok(with_pool!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
        sql
    ))
    .bind(workspace)
    .bind(before)
    .bind(limit)
    .fetch_all(pool)
    .await)?)
}

pub async fn variants(db: &Db, post: Uuid) -> Result<Vec<Variant>, StoreError> {
    let sql = format!(
        "SELECT {VARIANT_COLUMNS} FROM variants WHERE post_id = $1 ORDER BY created_at_ms, id"
    );
    Ok(with_pool!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
        sql
    ))
    .bind(post)
    .fetch_all(pool)
    .await)?)
}

pub async fn delete(db: &Db, workspace: Uuid, id: Uuid) -> Result<bool, StoreError> {
    let done = with_pool!(db, |pool| sqlx::query(
        "DELETE FROM posts WHERE id = $1 AND workspace_id = $2"
    )
    .bind(id)
    .bind(workspace)
    .execute(pool)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(done > 0)
}
