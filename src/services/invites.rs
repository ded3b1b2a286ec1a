//! Invitations by link, with a role: expiring, single use, revocable.

use uuid::Uuid;

use super::{Actor, AppError, AppResult, Services};
use crate::crypto::token;
use crate::domain::validation::clean_text;
use crate::domain::{Permission, Role, Validation};
use crate::storage::invites::{self, Invite};
use crate::storage::{memberships, workspaces};

pub const DEFAULT_INVITE_DAYS: i64 = 7;
pub const MAX_INVITE_DAYS: i64 = 30;
const DAY_MS: i64 = 24 * 3600 * 1000;

/// A new invite: the token goes in the link, shown once.
pub struct NewInvite {
    pub invite: Invite,
    pub token: String,
}

/// What someone opening an invite link sees before accepting.
pub struct InvitePreview {
    pub workspace_name: String,
    pub role: Role,
    pub expires_at_ms: i64,
}

impl Services {
    pub async fn create_invite(
        &self,
        actor: &Actor,
        ws: Uuid,
        role: Role,
        note: &str,
        days: Option<i64>,
    ) -> AppResult<NewInvite> {
        let mine = self
            .active_workspace_for(actor, ws, Permission::Manage)
            .await?;
        let mut v = Validation::new();
        let note = clean_text(&mut v, "note", note, 200);
        let days = days.unwrap_or(DEFAULT_INVITE_DAYS);
        v.check(
            (1..=MAX_INVITE_DAYS).contains(&days),
            "expires_in_days",
            "must be between 1 and 30 days",
        );
        v.finish()?;
        if !mine.role.may_grant(role) {
            return Err(AppError::field(
                "role",
                "only an owner can invite another owner",
            ));
        }
        let now = self.now_ms();
        let invite = Invite {
            id: Uuid::now_v7(),
            workspace_id: ws,
            role,
            note,
            created_by: actor.user.id,
            created_at_ms: now,
            expires_at_ms: now + days * DAY_MS,
            accepted_by: None,
            accepted_at_ms: None,
            revoked_at_ms: None,
        };
        let token = token::random_token();
        invites::insert(&self.db, &invite, &token::digest(&token)).await?;
        Ok(NewInvite { invite, token })
    }

    pub async fn list_invites(&self, actor: &Actor, ws: Uuid) -> AppResult<Vec<Invite>> {
        self.workspace_for(actor, ws, Permission::Manage).await?;
        Ok(invites::list_open(&self.db, ws, self.now_ms()).await?)
    }

    pub async fn revoke_invite(&self, actor: &Actor, ws: Uuid, id: Uuid) -> AppResult<()> {
        self.workspace_for(actor, ws, Permission::Manage).await?;
        if invites::revoke(&self.db, ws, id, self.now_ms()).await? {
            Ok(())
        } else {
            Err(AppError::NotFound)
        }
    }

    /// Reads an invite link for the acceptance page, explaining why one cannot be used.
    pub async fn preview_invite(&self, token: &str) -> AppResult<InvitePreview> {
        let invite = invites::by_token_hash(&self.db, &token::digest(token))
            .await?
            .ok_or_else(|| {
                AppError::Conflict("This invite link is not valid. Ask for a new one.".into())
            })?;
        if invite.accepted_at_ms.is_some() {
            return Err(AppError::Conflict(
                "This invite link has already been used. Ask for a new one.".into(),
            ));
        }
        if invite.revoked_at_ms.is_some() {
            return Err(AppError::Conflict(
                "This invite link was withdrawn. Ask for a new one.".into(),
            ));
        }
        if invite.expires_at_ms <= self.now_ms() {
            return Err(AppError::Conflict(
                "This invite link has expired. Ask for a new one.".into(),
            ));
        }
        let name: String = workspace_name(self, invite.workspace_id).await?;
        Ok(InvitePreview {
            workspace_name: name,
            role: invite.role,
            expires_at_ms: invite.expires_at_ms,
        })
    }

    /// Joins the workspace with the invite's role. The link works once.
    pub async fn accept_invite(&self, actor: &Actor, token: &str) -> AppResult<Uuid> {
        let invite = invites::by_token_hash(&self.db, &token::digest(token)).await?;
        if let Some(invite) = &invite
            && memberships::get(&self.db, invite.workspace_id, actor.user.id)
                .await?
                .is_some()
        {
            return Err(AppError::Conflict(
                "You are already a member of this workspace.".into(),
            ));
        }
        // Explains an expired, used or withdrawn link; the update below settles races.
        self.preview_invite(token).await?;
        match invites::accept(
            &self.db,
            &token::digest(token),
            actor.user.id,
            self.now_ms(),
        )
        .await?
        {
            Some((ws, _role)) => Ok(ws),
            None => Err(AppError::Conflict(
                "This invite link has already been used. Ask for a new one.".into(),
            )),
        }
    }
}

async fn workspace_name(services: &Services, id: Uuid) -> AppResult<String> {
    Ok(workspaces::name_of(&services.db, id).await?)
}
