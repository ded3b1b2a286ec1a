use uuid::Uuid;

use super::{Db, StoreError, with_pool, with_tx};
use crate::domain::Role;
use crate::domain::workspace::{BrandProfile, WorkspaceSettings};

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Workspace {
    pub id: Uuid,
    pub name: String,
    pub time_zone: String,
    pub requires_approval: bool,
    pub require_alt_text: bool,
    pub promo_target_percent: i64,
    pub brand_voice: String,
    pub words_to_avoid: String,
    pub hashtags: String,
    pub audience_notes: String,
    pub goals: String,
    pub archived_at_ms: Option<i64>,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
    /// How late a post may still go out after Herald was down at its time.
    pub grace_window_ms: i64,
    /// The least time between two posts on one channel, when set.
    pub min_gap_ms: Option<i64>,
    /// 1 or 2 approvals when `requires_approval` (the team, then the client).
    pub approval_steps: i64,
    /// Approvers may fix typos in an approved post without a new review.
    pub allow_small_fixes: bool,
}

impl Workspace {
    pub fn settings(&self) -> WorkspaceSettings {
        WorkspaceSettings {
            name: self.name.clone(),
            time_zone: self.time_zone.clone(),
            requires_approval: self.requires_approval,
            require_alt_text: self.require_alt_text,
            promo_target_percent: self.promo_target_percent,
            brand: BrandProfile {
                voice: self.brand_voice.clone(),
                words_to_avoid: self.words_to_avoid.clone(),
                hashtags: self.hashtags.clone(),
                audience_notes: self.audience_notes.clone(),
                goals: self.goals.clone(),
            },
        }
    }
}

/// A workspace as one member sees it: with their role.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct MemberWorkspace {
    #[sqlx(flatten)]
    pub workspace: Workspace,
    #[sqlx(try_from = "String")]
    pub role: Role,
}

impl TryFrom<String> for Role {
    type Error = crate::domain::role::UnknownRole;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

const COLUMNS: &str =
    "w.id, w.name, w.time_zone, w.requires_approval, w.require_alt_text, w.promo_target_percent, w.brand_voice, w.words_to_avoid, w.hashtags,
    w.audience_notes, w.goals, w.archived_at_ms, w.created_at_ms, w.updated_at_ms,
    w.grace_window_ms, w.min_gap_ms, w.approval_steps, w.allow_small_fixes";

/// Creates a workspace and makes `owner` its owner, together.
pub async fn insert_with_owner(db: &Db, ws: &Workspace, owner: Uuid) -> Result<(), StoreError> {
    with_tx!(db, |tx| {
        async {
            sqlx::query(
                "INSERT INTO workspaces (id, name, time_zone, requires_approval, brand_voice, words_to_avoid, hashtags,
                     audience_notes, goals, archived_at_ms, created_at_ms, updated_at_ms)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            )
            .bind(ws.id)
            .bind(&ws.name)
            .bind(&ws.time_zone)
            .bind(ws.requires_approval)
            .bind(&ws.brand_voice)
            .bind(&ws.words_to_avoid)
            .bind(&ws.hashtags)
            .bind(&ws.audience_notes)
            .bind(&ws.goals)
            .bind(ws.archived_at_ms)
            .bind(ws.created_at_ms)
            .bind(ws.updated_at_ms)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO memberships (workspace_id, user_id, role, created_at_ms) VALUES ($1, $2, 'owner', $3)",
            )
            .bind(ws.id)
            .bind(owner)
            .bind(ws.created_at_ms)
            .execute(&mut *tx)
            .await?;
            Ok::<(), StoreError>(())
        }
        .await
    })
}

/// The workspaces `user` belongs to, active first, by name.
pub async fn list_for_member(db: &Db, user: Uuid) -> Result<Vec<MemberWorkspace>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS}, m.role FROM workspaces w JOIN memberships m ON m.workspace_id = w.id
         WHERE m.user_id = $1 ORDER BY (w.archived_at_ms IS NOT NULL), lower(w.name), w.id"
    );
    Ok(with_pool!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
        sql
    ))
    .bind(user)
    .fetch_all(pool)
    .await)?)
}

/// One workspace, only if `user` is a member: the single door through which every
/// workspace-scoped request passes (tenant isolation).
pub async fn get_for_member(
    db: &Db,
    id: Uuid,
    user: Uuid,
) -> Result<Option<MemberWorkspace>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS}, m.role FROM workspaces w JOIN memberships m ON m.workspace_id = w.id
         WHERE w.id = $1 AND m.user_id = $2"
    );
    Ok(with_pool!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
        sql
    ))
    .bind(id)
    .bind(user)
    .fetch_optional(pool)
    .await)?)
}

pub async fn update_settings(
    db: &Db,
    id: Uuid,
    s: &WorkspaceSettings,
    now_ms: i64,
) -> Result<(), StoreError> {
    with_pool!(db, |pool| {
        sqlx::query(
        "UPDATE workspaces SET name = $2, time_zone = $3, requires_approval = $4, brand_voice = $5, promo_target_percent = $11, require_alt_text = $12,
             words_to_avoid = $6, hashtags = $7, audience_notes = $8, goals = $9, updated_at_ms = $10
         WHERE id = $1"
    )
    .bind(id)
    .bind(&s.name)
    .bind(&s.time_zone)
    .bind(s.requires_approval)
    .bind(&s.brand.voice)
    .bind(&s.brand.words_to_avoid)
    .bind(&s.brand.hashtags)
    .bind(&s.brand.audience_notes)
    .bind(&s.brand.goals)
    .bind(now_ms)
    .bind(s.promo_target_percent)
    .bind(s.require_alt_text)
    .execute(pool)
    .await
    .map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// Archives (`Some(now)`) or restores (`None`) a workspace.
pub async fn set_archived(
    db: &Db,
    id: Uuid,
    archived_at_ms: Option<i64>,
    now_ms: i64,
) -> Result<(), StoreError> {
    with_pool!(db, |pool| sqlx::query(
        "UPDATE workspaces SET archived_at_ms = $2, updated_at_ms = $3 WHERE id = $1"
    )
    .bind(id)
    .bind(archived_at_ms)
    .bind(now_ms)
    .execute(pool)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Only the name, for pages shown to people who are not members yet (invite links).
pub async fn name_of(db: &Db, id: Uuid) -> Result<String, StoreError> {
    Ok(with_pool!(db, |pool| sqlx::query_scalar(
        "SELECT name FROM workspaces WHERE id = $1"
    )
    .bind(id)
    .fetch_one(pool)
    .await)?)
}

/// A workspace by id, for code that already checked the caller's membership.
pub async fn by_id(db: &Db, id: Uuid) -> Result<Workspace, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM workspaces w WHERE w.id = $1");
    Ok(with_pool!(db, |pool| sqlx::query_as(sqlx::AssertSqlSafe(
        sql
    ))
    .bind(id)
    .fetch_one(pool)
    .await)?)
}

/// The publishing settings: the grace window for late posts and the minimum gap between two
/// posts on one channel (`None`: no gap rule).
pub async fn set_publishing(
    db: &Db,
    id: Uuid,
    grace_window_ms: i64,
    min_gap_ms: Option<i64>,
    now_ms: i64,
) -> Result<(), StoreError> {
    with_pool!(db, |pool| sqlx::query(
        "UPDATE workspaces SET grace_window_ms = $2, min_gap_ms = $3, updated_at_ms = $4
         WHERE id = $1"
    )
    .bind(id)
    .bind(grace_window_ms)
    .bind(min_gap_ms)
    .bind(now_ms)
    .execute(pool)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// The approval policy beside `requires_approval`: how many steps, and whether approvers
/// may make small fixes without a new review.
pub async fn set_approval(
    db: &Db,
    id: Uuid,
    required: bool,
    steps: i64,
    allow_small_fixes: bool,
    now_ms: i64,
) -> Result<(), StoreError> {
    with_pool!(db, |pool| sqlx::query(
        "UPDATE workspaces SET requires_approval = $5, approval_steps = $2,
             allow_small_fixes = $3, updated_at_ms = $4
         WHERE id = $1"
    )
    .bind(id)
    .bind(steps)
    .bind(allow_small_fixes)
    .bind(now_ms)
    .bind(required)
    .execute(pool)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}
