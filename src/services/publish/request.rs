//! What goes to the network for one attempt: the parts not yet there, the media as each
//! network takes it, and Bluesky's link card.

use super::PUBLIC_URL_TTL_MS;
use crate::connectors::model::{LinkCard, MediaFile, Part, PublishRequest, RemoteRef};
use crate::domain::text::{self, EntityKind, Network};
use crate::services::{AppResult, Services};
use crate::storage::attempts::Attempt;
use crate::storage::channels::Channel;
use crate::storage::media;
use crate::storage::posts::Variant;

impl Services {
    /// What goes to the network: the parts not yet there, replying to the last one that
    /// is; the post's media and first comment with the first part.
    pub(super) async fn request(
        &self,
        variant: &Variant,
        channel: &Channel,
        has_media: bool,
        done: &[RemoteRef],
        attempt: &Attempt,
    ) -> AppResult<PublishRequest> {
        let starting = done.is_empty();
        let mut files = Vec::new();
        if starting && has_media {
            for row in media::of_post(&self.db, variant.post_id).await? {
                let r = self.rendition_for(&row, channel.network).await?;
                files.push(MediaFile {
                    bytes: r.bytes,
                    mime: r.mime.to_owned(),
                    file_name: row.name.clone(),
                    kind: row.media_format().kind(),
                    alt: row.alt_text.clone(),
                    width: r.width,
                    height: r.height,
                    // Instagram and Threads fetch the file themselves, within the day.
                    public_url: self
                        .media_public_url(row.id, attempt.started_at_ms + PUBLIC_URL_TTL_MS),
                });
            }
        }
        let no_media = files.is_empty();
        let mut parts: Vec<Part> = variant.parts.0[done.len()..]
            .iter()
            .map(|text| Part {
                text: text.clone(),
                media: Vec::new(),
            })
            .collect();
        if let Some(first) = parts.first_mut() {
            first.media = files;
        }
        let link_card = match (starting && no_media, channel.network, parts.first()) {
            (true, Network::Bluesky, Some(first)) => self.link_card(&first.text).await,
            _ => None,
        };
        Ok(PublishRequest {
            parts,
            first_comment: (starting && !variant.first_comment.trim().is_empty())
                .then(|| variant.first_comment.clone()),
            reply_to: done.last().cloned(),
            options: variant.options.0.clone(),
            link_card,
            idempotency_key: format!("herald-{}", variant.id),
            first_attempt_ms: variant.first_attempt_ms.unwrap_or(attempt.started_at_ms),
            first_part_index: done.len(),
        })
    }

    /// Bluesky shows a link as a card only when the post carries one: the first link's
    /// preview, with its image. A link whose page cannot be read goes without a card.
    async fn link_card(&self, text: &str) -> Option<LinkCard> {
        let check = text::check(Network::Bluesky, text, &Default::default());
        let link = check
            .entities
            .into_iter()
            .find(|e| e.kind == EntityKind::Url)?;
        let url = if link.text.contains("://") {
            link.text
        } else {
            format!("https://{}", link.text)
        };
        let preview = self.previewer.fetch(&url).await.ok()?;
        let thumb = match preview.image_url.as_deref() {
            Some(image) => self
                .previewer
                .fetch_image(image)
                .await
                .ok()
                .map(|(mime, bytes)| MediaFile {
                    bytes,
                    mime,
                    file_name: "card".into(),
                    kind: crate::domain::media::MediaKind::Image,
                    alt: String::new(),
                    width: 0,
                    height: 0,
                    public_url: None,
                }),
            None => None,
        };
        Some(LinkCard {
            url: preview.url,
            title: preview.title,
            description: preview.description,
            thumb,
        })
    }
}
