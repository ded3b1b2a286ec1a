//! The frame around every page: who is logged in, their workspaces for the switcher, the
//! current workspace's navigation, the CSRF token and the toasts.

use uuid::Uuid;

use super::UiError;
use super::render::Toast;
use crate::services::Actor;
use crate::storage::workspaces::MemberWorkspace;
use crate::web::AppState;

pub struct Shell {
    /// The page's `<title>`, before "· Herald".
    pub title: String,
    /// Sent back by forms (`csrf_token`) and by htmx (`X-CSRF-Token`).
    pub csrf: String,
    pub user: Option<ShellUser>,
    /// Active workspaces, for the switcher.
    pub workspaces: Vec<WorkspaceLink>,
    pub current: Option<CurrentWorkspace>,
    /// Which navigation entry is the current page: `home`, `settings`, `members`,
    /// `workspaces` or `account`.
    pub section: &'static str,
    pub toasts: Vec<Toast>,
    /// The person's unread notifications, for the header.
    pub unread: i64,
    /// Set when rendering a fragment: the top bar then replaces the old one out of band.
    pub oob: bool,
}

pub struct ShellUser {
    pub display_name: String,
    pub email: String,
    /// Instance admins see the Networks page in their menu.
    pub is_admin: bool,
}

impl ShellUser {
    /// The avatar's letter.
    pub fn initial(&self) -> String {
        self.display_name
            .chars()
            .next()
            .map(|c| c.to_uppercase().collect())
            .unwrap_or_default()
    }
}

pub struct WorkspaceLink {
    pub id: Uuid,
    pub name: String,
}

pub struct CurrentWorkspace {
    pub id: Uuid,
    pub name: String,
    pub role: &'static str,
    pub archived: bool,
    pub time_zone: String,
}

impl Shell {
    /// For pages before login; `csrf` is the double-submit cookie's value.
    pub fn anonymous(title: impl Into<String>, csrf: String) -> Self {
        Shell {
            title: title.into(),
            csrf,
            user: None,
            workspaces: Vec::new(),
            current: None,
            section: "",
            toasts: Vec::new(),
            unread: 0,
            oob: false,
        }
    }

    /// For a logged-in page; loads the workspaces for the switcher.
    pub async fn load(
        state: &AppState,
        actor: &Actor,
        title: impl Into<String>,
        section: &'static str,
    ) -> Result<Self, UiError> {
        let workspaces = state.services.list_workspaces(actor).await?;
        let unread = state.services.unread_notifications(actor).await?;
        Ok(Shell {
            title: title.into(),
            csrf: actor.csrf_token.clone().unwrap_or_default(),
            user: Some(ShellUser {
                display_name: actor.user.display_name.clone(),
                email: actor.user.email.clone(),
                is_admin: actor.user.is_admin,
            }),
            workspaces: workspaces
                .iter()
                .filter(|w| w.workspace.archived_at_ms.is_none())
                .map(|w| WorkspaceLink {
                    id: w.workspace.id,
                    name: w.workspace.name.clone(),
                })
                .collect(),
            current: None,
            section,
            toasts: Vec::new(),
            unread,
            oob: false,
        })
    }

    /// For a page inside a workspace.
    pub async fn in_workspace(
        state: &AppState,
        actor: &Actor,
        ws: &MemberWorkspace,
        title: &str,
        section: &'static str,
    ) -> Result<Self, UiError> {
        let mut shell = Self::load(
            state,
            actor,
            format!("{title} · {}", ws.workspace.name),
            section,
        )
        .await?;
        shell.current = Some(CurrentWorkspace {
            id: ws.workspace.id,
            name: ws.workspace.name.clone(),
            role: ws.role.label(),
            archived: ws.workspace.archived_at_ms.is_some(),
            time_zone: ws.workspace.time_zone.clone(),
        });
        Ok(shell)
    }

    /// The content-hashed URL of an embedded asset.
    pub fn asset(&self, name: &str) -> String {
        crate::web::assets::url(name)
    }

    pub fn is_current(&self, id: &Uuid) -> bool {
        self.current.as_ref().is_some_and(|c| c.id == *id)
    }

    /// The label of the workspace switcher's button.
    pub fn switcher_label(&self) -> &str {
        match &self.current {
            Some(c) => &c.name,
            None => "Workspaces",
        }
    }
}
