//! Cutting a variant's text into a thread that fits its network.

use sqlx::types::Json;
use uuid::Uuid;

use super::posts::{PostDetail, check_options};
use super::{Actor, AppError, AppResult, Services};
use crate::domain::post::capabilities;
use crate::domain::text::split::{SplitOptions, split_with};

impl Services {
    /// Splits the variant's text (all its parts, joined) at sentence, then word boundaries
    /// within its network's limit, optionally numbering the parts. The variant is detached.
    pub async fn split_variant(
        &self,
        actor: &Actor,
        ws: Uuid,
        post_id: Uuid,
        variant_id: Uuid,
        numbered: bool,
    ) -> AppResult<PostDetail> {
        let (post, mut variants) = self.editable_post(actor, ws, post_id).await?;
        let channels = self.channels_by_id(ws).await?;
        let variant = variants
            .iter_mut()
            .find(|v| v.id == variant_id)
            .ok_or(AppError::NotFound)?;
        let channel = channels
            .get(&variant.channel_id)
            .ok_or(AppError::NotFound)?;
        if !capabilities::of(channel.network).threads {
            return Err(AppError::field(
                "parts",
                format!("{} does not take threads", channel.network.as_str()),
            ));
        }
        let whole = variant.parts.join("\n\n");
        let parts = split_with(
            &whole,
            channel.network,
            &SplitOptions { numbered },
            &check_options(channel, None),
        );
        variant.parts = Json(if parts.is_empty() {
            vec![String::new()]
        } else {
            parts
        });
        variant.detached = true;
        variant.updated_at_ms = self.now_ms();
        self.save_variants(post, &variants).await
    }
}
