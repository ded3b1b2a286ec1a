//! Turning an uploaded file into a library item. The web layer spools the body to a file
//! (counting bytes against the limit as it arrives); here the real format is sniffed from
//! the bytes, never trusted from the name or the browser, then pictures are normalised
//! (orientation applied, metadata stripped) and videos probed. Blobs are written before the
//! row and removed again if the row cannot be written, so nothing is half-stored.

use std::path::PathBuf;

use sha2::{Digest, Sha256};
use tokio::io::AsyncReadExt;
use uuid::Uuid;

use super::{MediaItem, imaging_error, megabytes};
use crate::domain::media::{MediaFormat, MediaKind};
use crate::domain::validation::clean_text;
use crate::domain::{Permission, Validation};
use crate::imaging::{self, video};
use crate::services::{Actor, AppError, AppResult, Services};
use crate::storage::media::{self, Media};

/// Longest side of a library thumbnail, in pixels.
const THUMB_SIDE: u32 = 480;
pub const MAX_ALT_TEXT_CHARS: usize = 2_000;
const MAX_FILE_NAME_CHARS: usize = 200;

/// A file that has arrived in the spool folder. The service removes it when done.
#[derive(Debug)]
pub struct Upload {
    pub file_name: String,
    pub path: PathBuf,
    pub bytes: u64,
    pub alt_text: String,
    pub tags: Vec<String>,
}

impl Services {
    pub async fn upload_media(
        &self,
        actor: &Actor,
        ws: Uuid,
        upload: Upload,
    ) -> AppResult<MediaItem> {
        let result = self.store_upload(actor, ws, &upload).await;
        // Gone whatever happened: moved into the store, or refused.
        let _ = tokio::fs::remove_file(&upload.path).await;
        result
    }

    async fn store_upload(&self, actor: &Actor, ws: Uuid, upload: &Upload) -> AppResult<MediaItem> {
        self.active_workspace_for(actor, ws, Permission::WriteDrafts)
            .await?;
        let mut v = Validation::new();
        let name = clean_file_name(&upload.file_name);
        let alt_text = clean_text(&mut v, "alt_text", &upload.alt_text, MAX_ALT_TEXT_CHARS);
        for (i, tag) in upload.tags.iter().enumerate() {
            let tag = tag.trim().trim_start_matches('#');
            if !tag.is_empty() {
                crate::domain::validation::clean_name(&mut v, &format!("tags[{i}]"), tag, 60);
            }
        }
        v.finish()?;
        let format = sniff_file(&upload.path).await?;
        let limits = self.media.limits;
        let limit = match format.kind() {
            MediaKind::Video => limits.max_video_bytes,
            _ => limits.max_image_bytes,
        };
        if upload.bytes > limit {
            return Err(AppError::too_large(
                "file",
                format!(
                    "is {}; {} may be up to {} here",
                    megabytes(upload.bytes),
                    if format.kind() == MediaKind::Video {
                        "videos"
                    } else {
                        "pictures"
                    },
                    megabytes(limit)
                ),
            ));
        }
        let tag_ids = self.tag_ids_named(ws, &upload.tags).await?;
        let id = Uuid::now_v7();
        let now = self.now_ms();
        let mut row = Media {
            id,
            workspace_id: ws,
            name,
            format: format.as_str().to_owned(),
            bytes: 0,
            width: 0,
            height: 0,
            duration_ms: None,
            frames: None,
            alt_text,
            focal_x: 0.5,
            focal_y: 0.5,
            sha256: String::new(),
            blob_key: format!("{ws}/{id}/original.{}", format.extension()),
            thumb_key: None,
            created_by: Some(actor.user.id),
            created_at_ms: now,
            updated_at_ms: now,
        };
        let duplicate = if format.kind() == MediaKind::Video {
            self.store_video(&mut row, upload).await?
        } else {
            self.store_picture(&mut row, upload).await?
        };
        // The same bytes again: the item already in the library is the answer.
        if let Some(existing) = duplicate {
            return self.media_item(existing).await;
        }
        let mut written = vec![row.blob_key.clone()];
        if let Some(thumb) = &row.thumb_key {
            written.push(thumb.clone());
        }
        if let Err(e) = media::insert(&self.db, &row, &tag_ids).await {
            for key in written {
                let _ = self.media.blobs.delete(&key).await;
            }
            return Err(e.into());
        }
        self.media_item(row).await
    }

    /// Normalises a picture and writes it with its thumbnail; `Some` is the item already in
    /// the library with the same bytes (nothing written then).
    async fn store_picture(&self, row: &mut Media, upload: &Upload) -> AppResult<Option<Media>> {
        let raw = tokio::fs::read(&upload.path).await.map_err(internal)?;
        let sha = hex::encode(Sha256::digest(&raw));
        if let Some(existing) = media::by_sha(&self.db, row.workspace_id, &sha).await? {
            return Ok(Some(existing));
        }
        let limits = self.media.limits.imaging();
        let (normal, thumb) = tokio::task::spawn_blocking(move || {
            let normal = imaging::normalize(&raw, &limits)?;
            let thumb = imaging::thumbnail(&normal.bytes, THUMB_SIDE, &limits)?;
            Ok::<_, imaging::ImagingError>((normal, thumb))
        })
        .await
        .map_err(internal)?
        .map_err(imaging_error)?;
        row.sha256 = sha;
        row.format = normal.format.as_str().to_owned();
        row.blob_key = format!(
            "{}/{}/original.{}",
            row.workspace_id,
            row.id,
            normal.format.extension()
        );
        row.bytes = normal.bytes.len() as i64;
        row.width = normal.width as i32;
        row.height = normal.height as i32;
        row.frames = normal.frames.map(|f| f as i32);
        let thumb_ext = imaging::sniff(&thumb).map_or("jpg", MediaFormat::extension);
        let thumb_key = format!("{}/{}/thumb.{thumb_ext}", row.workspace_id, row.id);
        self.media
            .blobs
            .put(&row.blob_key, normal.bytes)
            .await
            .map_err(internal)?;
        if let Err(e) = self.media.blobs.put(&thumb_key, thumb).await {
            let _ = self.media.blobs.delete(&row.blob_key).await;
            return Err(internal(e));
        }
        row.thumb_key = Some(thumb_key);
        Ok(None)
    }

    async fn store_video(&self, row: &mut Media, upload: &Upload) -> AppResult<Option<Media>> {
        let path = upload.path.clone();
        let (info, sha) = tokio::task::spawn_blocking(move || {
            let info = video::probe(&path)?;
            let sha = hash_file(&path).map_err(|e| imaging::ImagingError::Io(e.to_string()))?;
            Ok::<_, imaging::ImagingError>((info, sha))
        })
        .await
        .map_err(internal)?
        .map_err(imaging_error)?;
        if let Some(existing) = media::by_sha(&self.db, row.workspace_id, &sha).await? {
            return Ok(Some(existing));
        }
        row.sha256 = sha;
        row.format = info.format.as_str().to_owned();
        row.blob_key = format!(
            "{}/{}/original.{}",
            row.workspace_id,
            row.id,
            info.format.extension()
        );
        row.bytes = upload.bytes as i64;
        row.width = info.width as i32;
        row.height = info.height as i32;
        row.duration_ms = Some(info.duration_ms as i64);
        self.media
            .blobs
            .put_file(&row.blob_key, &upload.path)
            .await
            .map_err(internal)?;
        Ok(None)
    }
}

/// The real format, from the first bytes of the file.
async fn sniff_file(path: &std::path::Path) -> AppResult<MediaFormat> {
    let mut head = [0u8; 32];
    let mut file = tokio::fs::File::open(path).await.map_err(internal)?;
    let mut n = 0;
    while n < head.len() {
        let read = file.read(&mut head[n..]).await.map_err(internal)?;
        if read == 0 {
            break;
        }
        n += read;
    }
    if n == 0 {
        return Err(AppError::field("file", "is empty"));
    }
    imaging::sniff(&head[..n]).ok_or_else(|| {
        AppError::field(
            "file",
            "is not a picture or video Herald accepts: JPEG, PNG, WebP, GIF, MP4 or MOV",
        )
    })
}

fn hash_file(path: &std::path::Path) -> std::io::Result<String> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    std::io::copy(&mut file, &mut hasher)?;
    Ok(hex::encode(hasher.finalize()))
}

/// The name people search by: the last path segment only, control characters dropped,
/// bounded; "upload" when nothing is left.
pub fn clean_file_name(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_FILE_NAME_CHARS)
        .collect();
    let cleaned = cleaned.trim();
    if cleaned.is_empty() {
        "upload".to_owned()
    } else {
        cleaned.to_owned()
    }
}

fn internal(e: impl Into<anyhow::Error>) -> AppError {
    AppError::Internal(e.into())
}
