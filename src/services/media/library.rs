//! Browsing and editing the library: list and search, one item with where it is used, alt
//! text, focal point, name and tags, delete (refused while a post uses the item), and the
//! bytes of an item or its thumbnail.

use uuid::Uuid;

use super::MediaItem;
use super::upload::{MAX_ALT_TEXT_CHARS, clean_file_name};
use crate::blobs::{BlobError, BlobReader};
use crate::domain::media::FocalPoint;
use crate::domain::validation::{clean_name, clean_text};
use crate::domain::{Permission, Validation};
use crate::services::{Actor, AppError, AppResult, Services};
use crate::storage::media::{self, Filter, Media};
use crate::storage::tags;

pub const PAGE_SIZE: i64 = 60;

/// What the list is narrowed to, as people ask for it.
#[derive(Clone, Debug, Default)]
pub struct MediaQuery {
    pub text: Option<String>,
    /// A tag's name (case-insensitive).
    pub tag: Option<String>,
    /// `image`, `gif` or `video`.
    pub kind: Option<String>,
    /// The last id of the previous page.
    pub before: Option<Uuid>,
}

/// What to change on an item; `None` leaves a field as it is.
#[derive(Clone, Debug, Default)]
pub struct MediaPatch {
    pub name: Option<String>,
    pub alt_text: Option<String>,
    pub focal_point: Option<(f32, f32)>,
    pub tags: Option<Vec<String>>,
}

/// Which stored file to read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MediaFile {
    Original,
    Thumbnail,
}

impl Services {
    /// Newest first, a page at a time; the next page's cursor when there is one.
    pub async fn list_media(
        &self,
        actor: &Actor,
        ws: Uuid,
        q: &MediaQuery,
    ) -> AppResult<(Vec<MediaItem>, Option<Uuid>)> {
        self.workspace(actor, ws).await?;
        let mut filter = Filter {
            query: q
                .text
                .as_deref()
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_owned),
            limit: PAGE_SIZE + 1,
            ..Filter::default()
        };
        if let Some(kind) = q.kind.as_deref().filter(|k| !k.is_empty()) {
            filter.formats = match kind {
                "image" => vec!["jpeg".into(), "png".into(), "webp".into()],
                "gif" => vec!["gif".into()],
                "video" => vec!["mp4".into(), "mov".into()],
                _ => return Err(AppError::field("kind", "must be image, gif or video")),
            };
        }
        if let Some(name) = q.tag.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            let name = name.trim_start_matches('#').to_lowercase();
            match tags::list(&self.db, ws)
                .await?
                .into_iter()
                .find(|t| t.name.to_lowercase() == name)
            {
                Some(tag) => filter.tag_id = Some(tag.id),
                None => return Ok((Vec::new(), None)),
            }
        }
        if let Some(before) = q.before {
            let cursor = media::get(&self.db, ws, before)
                .await?
                .ok_or_else(|| AppError::field("before", "is not an item of this library"))?;
            filter.before = Some((cursor.created_at_ms, cursor.id));
        }
        let mut rows = media::list(&self.db, ws, &filter).await?;
        let next = (rows.len() as i64 > PAGE_SIZE).then(|| rows[PAGE_SIZE as usize - 1].id);
        rows.truncate(PAGE_SIZE as usize);
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            out.push(self.media_item(row).await?);
        }
        Ok((out, next))
    }

    pub async fn get_media(&self, actor: &Actor, ws: Uuid, id: Uuid) -> AppResult<MediaItem> {
        self.workspace(actor, ws).await?;
        let row = media::get(&self.db, ws, id)
            .await?
            .ok_or(AppError::NotFound)?;
        self.media_item(row).await
    }

    pub async fn update_media(
        &self,
        actor: &Actor,
        ws: Uuid,
        id: Uuid,
        patch: MediaPatch,
    ) -> AppResult<MediaItem> {
        self.active_workspace_for(actor, ws, Permission::WriteDrafts)
            .await?;
        let mut row = media::get(&self.db, ws, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let mut v = Validation::new();
        if let Some(name) = &patch.name {
            let cleaned = clean_name(&mut v, "name", name, 200);
            row.name = clean_file_name(&cleaned);
        }
        if let Some(alt) = &patch.alt_text {
            row.alt_text = clean_text(&mut v, "alt_text", alt, MAX_ALT_TEXT_CHARS);
        }
        let mut focal_changed = false;
        if let Some((x, y)) = patch.focal_point {
            match FocalPoint::new(x, y) {
                Some(f) => {
                    focal_changed = (f64::from(f.x), f64::from(f.y)) != (row.focal_x, row.focal_y);
                    row.focal_x = f64::from(f.x);
                    row.focal_y = f64::from(f.y);
                }
                None => v.add("focal_point", "x and y must be between 0 and 1"),
            }
        }
        if let Some(names) = &patch.tags {
            for (i, name) in names.iter().enumerate() {
                clean_name(
                    &mut v,
                    &format!("tags[{i}]"),
                    name.trim_start_matches('#'),
                    60,
                );
            }
        }
        v.finish()?;
        let tag_ids = match &patch.tags {
            Some(names) => self.tag_ids_named(ws, names).await?,
            None => media::tag_ids(&self.db, id).await?,
        };
        row.updated_at_ms = self.now_ms();
        media::update(&self.db, &row, &tag_ids, focal_changed).await?;
        self.media_item(row).await
    }

    /// Deletes an item no post uses; otherwise says which posts do.
    pub async fn delete_media(&self, actor: &Actor, ws: Uuid, id: Uuid) -> AppResult<()> {
        self.active_workspace_for(actor, ws, Permission::WriteDrafts)
            .await?;
        let row = media::get(&self.db, ws, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let renditions = media::rendition_keys(&self.db, row.id).await?;
        if !media::delete_unused(&self.db, ws, id).await? {
            let used = media::usages(&self.db, id).await?.len();
            return Err(AppError::Conflict(format!(
                "{:?} is used by {used} post{}: remove it from {} first.",
                row.name,
                if used == 1 { "" } else { "s" },
                if used == 1 {
                    "that post"
                } else {
                    "those posts"
                },
            )));
        }
        // The row is gone; a blob left behind is only disk space, never a broken item.
        for key in std::iter::once(row.blob_key)
            .chain(row.thumb_key)
            .chain(renditions)
        {
            if let Err(e) = self.media.blobs.delete(&key).await {
                tracing::warn!(key, error = %e, "could not delete a media blob");
            }
        }
        Ok(())
    }

    /// The bytes of an item (or its thumbnail) with their content type.
    pub async fn open_media(
        &self,
        actor: &Actor,
        ws: Uuid,
        id: Uuid,
        which: MediaFile,
    ) -> AppResult<(BlobReader, &'static str, Media)> {
        self.workspace(actor, ws).await?;
        let row = media::get(&self.db, ws, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let (key, mime) = match (which, &row.thumb_key) {
            (MediaFile::Thumbnail, Some(thumb)) => {
                let mime = if thumb.ends_with(".png") {
                    "image/png"
                } else {
                    "image/jpeg"
                };
                (thumb.clone(), mime)
            }
            (MediaFile::Thumbnail, None) => return Err(AppError::NotFound),
            (MediaFile::Original, _) => (row.blob_key.clone(), row.media_format().mime()),
        };
        let reader = self.media.blobs.open(&key).await.map_err(blob_error)?;
        Ok((reader, mime, row))
    }

    pub(in crate::services) async fn media_item(&self, media: Media) -> AppResult<MediaItem> {
        let tags = tags::of_media(&self.db, media.id).await?;
        let used_in = media::usages(&self.db, media.id).await?;
        Ok(MediaItem {
            media,
            tags,
            used_in,
        })
    }
}

pub(super) fn blob_error(e: BlobError) -> AppError {
    match e {
        BlobError::NotFound(_) => AppError::NotFound,
        other => AppError::Internal(other.into()),
    }
}
