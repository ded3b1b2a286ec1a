//! Workspaces: one per brand or client.

use uuid::Uuid;

use super::{Actor, AppError, AppResult, Services};
use crate::domain::Permission;
use crate::domain::workspace::WorkspaceSettings;
use crate::storage::workspaces::{self, MemberWorkspace, Workspace};

impl Services {
    /// The workspace if the actor is a member; `NotFound` otherwise, so another workspace's
    /// ids reveal nothing. Every workspace-scoped use case starts here.
    pub async fn workspace(&self, actor: &Actor, id: Uuid) -> AppResult<MemberWorkspace> {
        workspaces::get_for_member(&self.db, id, actor.user.id)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// As `workspace`, then checks the actor's role allows `permission`.
    pub async fn workspace_for(
        &self,
        actor: &Actor,
        id: Uuid,
        permission: Permission,
    ) -> AppResult<MemberWorkspace> {
        let ws = self.workspace(actor, id).await?;
        if !ws.role.allows(permission) {
            return Err(AppError::forbidden(format!(
                "Your role ({}) does not allow this in {}.",
                ws.role.label(),
                ws.workspace.name
            )));
        }
        Ok(ws)
    }

    /// As `workspace_for`, and refuses archived workspaces, which are read-only.
    pub(super) async fn active_workspace_for(
        &self,
        actor: &Actor,
        id: Uuid,
        permission: Permission,
    ) -> AppResult<MemberWorkspace> {
        let ws = self.workspace_for(actor, id, permission).await?;
        if ws.workspace.archived_at_ms.is_some() {
            return Err(AppError::Conflict(format!(
                "{} is archived; restore it before changing it.",
                ws.workspace.name
            )));
        }
        Ok(ws)
    }

    pub async fn list_workspaces(&self, actor: &Actor) -> AppResult<Vec<MemberWorkspace>> {
        Ok(workspaces::list_for_member(&self.db, actor.user.id).await?)
    }

    /// Creates a workspace with the actor as its owner.
    pub async fn create_workspace(
        &self,
        actor: &Actor,
        name: &str,
        time_zone: &str,
    ) -> AppResult<MemberWorkspace> {
        let settings = WorkspaceSettings {
            name: name.to_owned(),
            time_zone: time_zone.to_owned(),
            ..Default::default()
        }
        .validated()?;
        let now = self.now_ms();
        let ws = Workspace {
            id: Uuid::now_v7(),
            name: settings.name,
            time_zone: settings.time_zone,
            requires_approval: false,
            require_alt_text: false,
            promo_target_percent: 20,
            brand_voice: String::new(),
            words_to_avoid: String::new(),
            hashtags: String::new(),
            audience_notes: String::new(),
            goals: String::new(),
            archived_at_ms: None,
            created_at_ms: now,
            updated_at_ms: now,
            grace_window_ms: 3_600_000,
            min_gap_ms: None,
            approval_steps: 1,
            allow_small_fixes: false,
        };
        workspaces::insert_with_owner(&self.db, &ws, actor.user.id).await?;
        self.workspace(actor, ws.id).await
    }

    /// Saves settings and brand profile. Renaming needs the owner; the rest a manager.
    pub async fn update_workspace(
        &self,
        actor: &Actor,
        id: Uuid,
        settings: WorkspaceSettings,
    ) -> AppResult<MemberWorkspace> {
        let ws = self
            .active_workspace_for(actor, id, Permission::Manage)
            .await?;
        let settings = settings.validated()?;
        if settings.name != ws.workspace.name && !ws.role.allows(Permission::Own) {
            return Err(AppError::forbidden(
                "Only an owner can rename the workspace.",
            ));
        }
        workspaces::update_settings(&self.db, id, &settings, self.now_ms()).await?;
        self.workspace(actor, id).await
    }

    /// Archives (read-only, hidden from the switcher) or restores a workspace. Owners only.
    pub async fn set_workspace_archived(
        &self,
        actor: &Actor,
        id: Uuid,
        archived: bool,
    ) -> AppResult<MemberWorkspace> {
        let ws = self.workspace_for(actor, id, Permission::Own).await?;
        let now = self.now_ms();
        let at = archived.then_some(ws.workspace.archived_at_ms.unwrap_or(now));
        workspaces::set_archived(&self.db, id, at, now).await?;
        self.workspace(actor, id).await
    }
}
