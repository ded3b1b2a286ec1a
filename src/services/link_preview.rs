//! Link previews for the composer, fetched through the SSRF guard.

use uuid::Uuid;

use super::{Actor, AppError, AppResult, Services};
use crate::connectors::link_preview::LinkPreview;
use crate::domain::Permission;

impl Services {
    /// The title, description and image a link shows (members who write posts).
    pub async fn link_preview(&self, actor: &Actor, ws: Uuid, url: &str) -> AppResult<LinkPreview> {
        self.workspace_for(actor, ws, Permission::WriteDrafts)
            .await?;
        if url.trim().is_empty() || url.len() > 2048 {
            return Err(AppError::field(
                "url",
                "must be a link of at most 2048 characters",
            ));
        }
        self.previewer
            .fetch(url)
            .await
            .map_err(|e| AppError::field("url", e.to_string()))
    }

    /// A preview's image (its type and bytes), so the composer can show it from Herald's own
    /// origin: same members, guard and limits as the preview itself.
    pub async fn link_preview_image(
        &self,
        actor: &Actor,
        ws: Uuid,
        url: &str,
    ) -> AppResult<(String, Vec<u8>)> {
        self.workspace_for(actor, ws, Permission::WriteDrafts)
            .await?;
        if url.len() > 2048 {
            return Err(AppError::field("url", "must be at most 2048 characters"));
        }
        self.previewer
            .fetch_image(url)
            .await
            .map_err(|e| AppError::field("url", e.to_string()))
    }
}
