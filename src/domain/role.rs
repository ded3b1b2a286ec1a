use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A member's role in one workspace, as DESIGN.md ("Roles") defines them.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Owner,
    Manager,
    Editor,
    Contributor,
    Client,
    Viewer,
}

/// Something a member may do in a workspace. Services check these, never raw roles.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Permission {
    /// See the workspace, its members and its content.
    Read,
    /// Write drafts (contributors' work always goes through review).
    WriteDrafts,
    /// Schedule and publish without review, where the workspace allows it.
    Schedule,
    /// Approve or request changes.
    Approve,
    /// Change settings and the brand profile; invite, re-role and remove members.
    Manage,
    /// Rename, archive and grant the owner role.
    Own,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Owner,
        Role::Manager,
        Role::Editor,
        Role::Contributor,
        Role::Client,
        Role::Viewer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Manager => "manager",
            Role::Editor => "editor",
            Role::Contributor => "contributor",
            Role::Client => "client",
            Role::Viewer => "viewer",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Owner => "Owner",
            Role::Manager => "Manager",
            Role::Editor => "Editor",
            Role::Contributor => "Contributor",
            Role::Client => "Client",
            Role::Viewer => "Viewer",
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            Role::Owner => "Everything, including archiving the workspace and naming other owners.",
            Role::Manager => "Approves, manages channels, settings and members.",
            Role::Editor => "Writes and schedules posts.",
            Role::Contributor => "Writes posts; everything goes through review.",
            Role::Client => "Reviews, approves, comments and reads reports.",
            Role::Viewer => "Reads only.",
        }
    }

    pub fn allows(self, permission: Permission) -> bool {
        use Permission::*;
        match permission {
            Read => true,
            WriteDrafts => matches!(
                self,
                Role::Owner | Role::Manager | Role::Editor | Role::Contributor
            ),
            Schedule => matches!(self, Role::Owner | Role::Manager | Role::Editor),
            Approve => matches!(self, Role::Owner | Role::Manager | Role::Client),
            Manage => matches!(self, Role::Owner | Role::Manager),
            Own => self == Role::Owner,
        }
    }

    /// Whether someone with this role may hand out `other` (in an invite or a role change).
    /// Only owners make owners; managers grant anything below owner.
    pub fn may_grant(self, other: Role) -> bool {
        match other {
            Role::Owner => self == Role::Owner,
            _ => self.allows(Permission::Manage),
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, thiserror::Error)]
#[error("unknown role {0:?}: expected owner, manager, editor, contributor, client or viewer")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| UnknownRole(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_through_text() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>().unwrap(), role);
        }
        assert!("admin".parse::<Role>().is_err());
    }

    #[test]
    fn only_owners_make_owners() {
        assert!(Role::Owner.may_grant(Role::Owner));
        assert!(!Role::Manager.may_grant(Role::Owner));
        assert!(Role::Manager.may_grant(Role::Manager));
        assert!(!Role::Editor.may_grant(Role::Viewer));
    }

    #[test]
    fn contributors_write_but_do_not_schedule() {
        assert!(Role::Contributor.allows(Permission::WriteDrafts));
        assert!(!Role::Contributor.allows(Permission::Schedule));
        assert!(Role::Client.allows(Permission::Approve));
        assert!(!Role::Viewer.allows(Permission::WriteDrafts));
    }
}
