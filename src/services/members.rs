//! Members of a workspace: roles, removal, leaving.

use uuid::Uuid;

use super::{Actor, AppError, AppResult, Services};
use crate::domain::{Permission, Role};
use crate::storage::memberships::{self, Member, OwnerGuard};

const LAST_OWNER: &str = "A workspace needs at least one owner: make someone else an owner first.";

impl Services {
    pub async fn list_members(&self, actor: &Actor, ws: Uuid) -> AppResult<Vec<Member>> {
        self.workspace(actor, ws).await?;
        Ok(memberships::list(&self.db, ws).await?)
    }

    pub async fn member(&self, actor: &Actor, ws: Uuid, user: Uuid) -> AppResult<Member> {
        self.workspace(actor, ws).await?;
        memberships::get(&self.db, ws, user)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// Changes a member's role. Managers may change roles below owner; only owners grant or
    /// take away the owner role; the last owner stays.
    pub async fn change_role(
        &self,
        actor: &Actor,
        ws: Uuid,
        user: Uuid,
        role: Role,
    ) -> AppResult<Member> {
        let mine = self
            .active_workspace_for(actor, ws, Permission::Manage)
            .await?;
        let target = memberships::get(&self.db, ws, user)
            .await?
            .ok_or(AppError::NotFound)?;
        if !mine.role.may_grant(role) || !mine.role.may_grant(target.role) {
            return Err(AppError::forbidden(
                "Only an owner can grant or take away the owner role.",
            ));
        }
        match memberships::set_role(&self.db, ws, user, role).await? {
            OwnerGuard::Done => self.member(actor, ws, user).await,
            OwnerGuard::NotAMember => Err(AppError::NotFound),
            OwnerGuard::LastOwner => Err(AppError::Conflict(LAST_OWNER.into())),
        }
    }

    /// Removes a member; anyone may remove themselves (leave), managers remove others below
    /// owner, owners remove anyone; the last owner stays.
    pub async fn remove_member(&self, actor: &Actor, ws: Uuid, user: Uuid) -> AppResult<()> {
        let leaving = user == actor.user.id;
        let mine = if leaving {
            self.workspace(actor, ws).await?
        } else {
            self.active_workspace_for(actor, ws, Permission::Manage)
                .await?
        };
        let target = memberships::get(&self.db, ws, user)
            .await?
            .ok_or(AppError::NotFound)?;
        if !leaving && !mine.role.may_grant(target.role) {
            return Err(AppError::forbidden("Only an owner can remove an owner."));
        }
        match memberships::remove(&self.db, ws, user).await? {
            OwnerGuard::Done => Ok(()),
            OwnerGuard::NotAMember => Err(AppError::NotFound),
            OwnerGuard::LastOwner => Err(AppError::Conflict(LAST_OWNER.into())),
        }
    }
}
