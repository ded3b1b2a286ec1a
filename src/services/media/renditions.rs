//! Per-network crops. A picture outside a network's accepted aspect ratio (Instagram's feed
//! takes 4:5 to 1.91:1) is cut around its focal point to the nearest accepted shape, once,
//! and kept until the focal point moves.

use uuid::Uuid;

use super::library::blob_error;
use crate::domain::media::{FocalPoint, MediaKind, crop, rules};
use crate::domain::text::Network;
use crate::imaging;
use crate::services::{Actor, AppError, AppResult, Services};
use crate::storage::media::{self, Media, Rendition};

/// The longest side of a crop; every network's limit is above it.
const CROP_MAX_SIDE: u32 = 2048;

/// What a network gets for an item: the original, or a crop made for it.
#[derive(Clone, Debug)]
pub struct NetworkRendition {
    pub cropped: Option<crop::Rect>,
    pub bytes: Vec<u8>,
    pub mime: &'static str,
    pub width: u32,
    pub height: u32,
}

impl Services {
    pub async fn media_for_network(
        &self,
        actor: &Actor,
        ws: Uuid,
        id: Uuid,
        network: Network,
    ) -> AppResult<NetworkRendition> {
        self.workspace(actor, ws).await?;
        let row = media::get(&self.db, ws, id)
            .await?
            .ok_or(AppError::NotFound)?;
        self.rendition_for(&row, network).await
    }

    /// What `network` gets for `row` (the publisher's way in: no person is asking).
    pub(crate) async fn rendition_for(
        &self,
        row: &Media,
        network: Network,
    ) -> AppResult<NetworkRendition> {
        let Some(rect) = crop_for(row, network) else {
            let bytes = self
                .media
                .blobs
                .get(&row.blob_key)
                .await
                .map_err(blob_error)?;
            return Ok(NetworkRendition {
                cropped: None,
                bytes,
                mime: row.media_format().mime(),
                width: row.width as u32,
                height: row.height as u32,
            });
        };
        let purpose = format!("crop-{}", network.as_str());
        if let Some(done) = media::rendition(&self.db, row.id, &purpose).await? {
            let bytes = self
                .media
                .blobs
                .get(&done.blob_key)
                .await
                .map_err(blob_error)?;
            return Ok(rendition(
                rect,
                bytes,
                done.width as u32,
                done.height as u32,
            ));
        }
        let original = self
            .media
            .blobs
            .get(&row.blob_key)
            .await
            .map_err(blob_error)?;
        let scale = (CROP_MAX_SIDE as f32 / rect.width.max(rect.height) as f32).min(1.0);
        let out_w = ((rect.width as f32 * scale).round() as u32).max(1);
        let out_h = ((rect.height as f32 * scale).round() as u32).max(1);
        let limits = self.media.limits.imaging();
        let bytes = tokio::task::spawn_blocking(move || {
            imaging::render_crop(&original, rect, out_w, out_h, &limits)
        })
        .await
        .map_err(|e| AppError::Internal(e.into()))?
        .map_err(super::imaging_error)?;
        let ext = imaging::sniff(&bytes).map_or("jpg", |f| f.extension());
        let key = format!(
            "{}/{}/crop-{}.{ext}",
            row.workspace_id,
            row.id,
            network.as_str()
        );
        self.media
            .blobs
            .put(&key, bytes.clone())
            .await
            .map_err(|e| AppError::Internal(e.into()))?;
        media::save_rendition(
            &self.db,
            &Rendition {
                media_id: row.id,
                purpose,
                blob_key: key,
                width: out_w as i32,
                height: out_h as i32,
            },
        )
        .await?;
        Ok(rendition(rect, bytes, out_w, out_h))
    }
}

fn rendition(rect: crop::Rect, bytes: Vec<u8>, width: u32, height: u32) -> NetworkRendition {
    let mime = imaging::sniff(&bytes).map_or("image/jpeg", |f| f.mime());
    NetworkRendition {
        cropped: Some(rect),
        bytes,
        mime,
        width,
        height,
    }
}

/// The crop a network needs for a picture, if any: videos and GIFs are never cut.
pub fn crop_for(row: &Media, network: Network) -> Option<crop::Rect> {
    let facts = row.facts();
    if facts.format.kind() != MediaKind::Image {
        return None;
    }
    let (min, max) =
        rules::aspect_range(network, &rules::MediaContext::default(), MediaKind::Image)?;
    let focal = FocalPoint::new(row.focal_x as f32, row.focal_y as f32).unwrap_or_default();
    crop::fit_aspect(facts.width, facts.height, focal, min, max)
}
