//! Tags and campaigns of a workspace.

use uuid::Uuid;

use super::{Actor, AppResult, Services};
use crate::domain::validation::clean_name;
use crate::domain::{Permission, Validation};
use crate::storage::tags::{self, Tag};

/// Colours given to new tags in turn, readable on light and dark backgrounds.
const PALETTE: [&str; 8] = [
    "#2563eb", "#16a34a", "#d97706", "#dc2626", "#7c3aed", "#0891b2", "#db2777", "#4b5563",
];

pub(super) fn palette_color(i: usize) -> &'static str {
    PALETTE[i % PALETTE.len()]
}

pub fn valid_color(color: &str) -> bool {
    color.len() == 7 && color.starts_with('#') && color[1..].chars().all(|c| c.is_ascii_hexdigit())
}

impl Services {
    /// The colour a workspace's next tag gets when none is chosen (it has `existing` tags
    /// and campaigns), for forms to offer.
    pub fn next_tag_color(existing: usize) -> &'static str {
        palette_color(existing)
    }

    pub async fn list_tags(&self, actor: &Actor, ws: Uuid) -> AppResult<Vec<Tag>> {
        self.workspace(actor, ws).await?;
        Ok(tags::list(&self.db, ws).await?)
    }

    /// Creates a tag or campaign, or returns the existing one of that name.
    pub async fn create_tag(
        &self,
        actor: &Actor,
        ws: Uuid,
        kind: &str,
        name: &str,
        color: Option<&str>,
    ) -> AppResult<Tag> {
        self.active_workspace_for(actor, ws, Permission::WriteDrafts)
            .await?;
        let mut v = Validation::new();
        v.check(
            kind == "tag" || kind == "campaign",
            "kind",
            "must be tag or campaign",
        );
        let name = clean_name(&mut v, "name", name.trim_start_matches('#'), 60);
        if let Some(c) = color {
            v.check(valid_color(c), "color", "must be a colour like #2563eb");
        }
        v.finish()?;
        self.upsert_tag(ws, kind, &name, color).await
    }

    /// The ids of the tags named (`#` optional), created as needed, each once. The names
    /// must have been validated.
    pub(super) async fn tag_ids_named(&self, ws: Uuid, names: &[String]) -> AppResult<Vec<Uuid>> {
        let mut ids = Vec::new();
        for name in names {
            let name = name.trim().trim_start_matches('#');
            if name.is_empty() {
                continue;
            }
            let tag = self.upsert_tag(ws, "tag", name, None).await?;
            if !ids.contains(&tag.id) {
                ids.push(tag.id);
            }
        }
        Ok(ids)
    }

    pub(super) async fn upsert_tag(
        &self,
        ws: Uuid,
        kind: &str,
        name: &str,
        color: Option<&str>,
    ) -> AppResult<Tag> {
        let count = tags::list(&self.db, ws).await?.len();
        let tag = Tag {
            id: Uuid::now_v7(),
            workspace_id: ws,
            kind: kind.to_owned(),
            name: name.to_owned(),
            color: color.unwrap_or(palette_color(count)).to_lowercase(),
            created_at_ms: self.now_ms(),
        };
        Ok(tags::upsert(&self.db, &tag).await?)
    }
}
