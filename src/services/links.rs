//! Tracked links: a variant's links get UTM parameters and a short link on Herald's own
//! public URL, which redirects and counts clicks per variant (bots not counted).

use rand::Rng;
use sqlx::types::Json;
use uuid::Uuid;

use super::posts::PostDetail;
use super::{Actor, AppError, AppResult, Services};
use crate::domain::links::{Utm, is_bot, with_utm};
use crate::domain::text::{self, EntityKind};
use crate::storage::links::{self, LinkStats, ShortLink};
use crate::storage::tags;

const CODE_CHARS: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
const CODE_LEN: usize = 8;

fn new_code() -> String {
    let mut rng = rand::rng();
    (0..CODE_LEN)
        .map(|_| CODE_CHARS[rng.random_range(0..CODE_CHARS.len())] as char)
        .collect()
}

impl Services {
    /// Replaces every link of a variant with a tracked short link (UTM: source = network,
    /// medium = social, campaign = the post's campaign). Links already shortened stay. The
    /// variant is detached, since its text now differs from the post's.
    pub async fn track_links(
        &self,
        actor: &Actor,
        ws: Uuid,
        post_id: Uuid,
        variant_id: Uuid,
        public_base: &str,
    ) -> AppResult<PostDetail> {
        let (post, mut variants) = self.editable_post(actor, ws, post_id).await?;
        let campaign = match post.campaign_id {
            Some(id) => tags::list(&self.db, ws)
                .await?
                .into_iter()
                .find(|t| t.id == id)
                .map(|t| t.name),
            None => None,
        };
        let channels = self.channels_by_id(ws).await?;
        let variant = variants
            .iter_mut()
            .find(|v| v.id == variant_id)
            .ok_or(AppError::NotFound)?;
        let network = channels
            .get(&variant.channel_id)
            .map(|c| c.network)
            .ok_or(AppError::NotFound)?;
        let utm = Utm {
            source: network.as_str(),
            medium: "social",
            campaign: campaign.as_deref(),
        };
        let prefix = format!("{public_base}/l/");
        let mut parts = Vec::new();
        for part in variant.parts.iter() {
            let mut out = part.clone();
            let urls: Vec<_> = text::check(network, part, &Default::default())
                .entities
                .into_iter()
                .filter(|e| e.kind == EntityKind::Url && !e.text.starts_with(&prefix))
                .collect();
            // From the end, so earlier byte offsets stay right.
            for entity in urls.iter().rev() {
                let full = if entity.text.contains("://") {
                    entity.text.clone()
                } else {
                    format!("https://{}", entity.text)
                };
                let in_bounds = entity.end <= out.len()
                    && out.is_char_boundary(entity.start)
                    && out.is_char_boundary(entity.end);
                let Some(target) = with_utm(&full, &utm).filter(|_| in_bounds) else {
                    continue;
                };
                let link = ShortLink {
                    id: Uuid::now_v7(),
                    workspace_id: ws,
                    code: new_code(),
                    target_url: target,
                    post_id: Some(post.id),
                    variant_id: Some(variant.id),
                    network: network.as_str().to_owned(),
                    created_at_ms: self.now_ms(),
                };
                links::insert(&self.db, &link).await?;
                out.replace_range(entity.start..entity.end, &format!("{prefix}{}", link.code));
            }
            parts.push(out);
        }
        variant.parts = Json(parts);
        variant.detached = true;
        variant.updated_at_ms = self.now_ms();
        self.save_variants(post, &variants).await
    }

    /// Where a short link goes; the visit is recorded (flagged when a bot made it).
    pub async fn follow_link(&self, code: &str, user_agent: &str) -> AppResult<String> {
        let link = links::by_code(&self.db, code)
            .await?
            .ok_or(AppError::NotFound)?;
        links::record_visit(&self.db, link.id, self.now_ms(), is_bot(user_agent)).await?;
        Ok(link.target_url)
    }

    pub async fn list_links(&self, actor: &Actor, ws: Uuid) -> AppResult<Vec<LinkStats>> {
        self.workspace(actor, ws).await?;
        Ok(links::list(&self.db, ws).await?)
    }

    /// One post's links with their counts, oldest first.
    pub async fn post_links(
        &self,
        actor: &Actor,
        ws: Uuid,
        post: Uuid,
    ) -> AppResult<Vec<LinkStats>> {
        self.workspace(actor, ws).await?;
        Ok(links::of_post(&self.db, ws, post).await?)
    }

    /// Where one of this workspace's short links leads (without counting a visit).
    pub async fn short_link_target(
        &self,
        actor: &Actor,
        ws: Uuid,
        code: &str,
    ) -> AppResult<Option<String>> {
        self.workspace(actor, ws).await?;
        Ok(links::by_code(&self.db, code)
            .await?
            .filter(|l| l.workspace_id == ws)
            .map(|l| l.target_url))
    }
}
