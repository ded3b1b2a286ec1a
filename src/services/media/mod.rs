//! The media library: upload (spooled to disk, checked, normalised), list and search, edit
//! alt text, focal point and tags, where each item is used, delete, and per-network crops.

mod library;
mod public;
mod renditions;
mod upload;

use std::path::PathBuf;
use std::sync::Arc;

pub use library::{MediaFile, MediaPatch, MediaQuery};
pub use renditions::{NetworkRendition, crop_for};
pub use upload::Upload;

use crate::blobs::BlobStore;
use crate::domain::media::MediaFormat;
use crate::imaging::{self, ImagingError};
use crate::storage::media::Media;
use crate::storage::media::Usage;
use crate::storage::tags::Tag;

use super::AppError;

/// Where media lives and how big it may be; one per install.
#[derive(Clone)]
pub struct MediaStore {
    pub blobs: Arc<dyn BlobStore>,
    /// Uploads are written here while they arrive (same file system as the blobs, so the
    /// final move is a rename).
    pub spool_dir: PathBuf,
    pub limits: MediaLimits,
}

#[derive(Clone, Copy, Debug)]
pub struct MediaLimits {
    pub max_image_bytes: u64,
    pub max_video_bytes: u64,
    /// Width × height; refused before decoding (decompression bombs).
    pub max_pixels: u64,
}

impl MediaLimits {
    pub fn max_upload_bytes(&self) -> u64 {
        self.max_image_bytes.max(self.max_video_bytes)
    }

    pub(crate) fn imaging(&self) -> imaging::Limits {
        imaging::Limits {
            max_pixels: self.max_pixels,
            max_bytes: self.max_image_bytes,
        }
    }
}

/// A library item with its tags and how many posts show it.
#[derive(Clone, Debug)]
pub struct MediaItem {
    pub media: Media,
    pub tags: Vec<Tag>,
    pub used_in: Vec<Usage>,
}

impl MediaItem {
    pub fn format(&self) -> MediaFormat {
        self.media.media_format()
    }
}

/// Bad bytes are the uploader's problem, named on the `file` field; anything else is ours.
fn imaging_error(e: ImagingError) -> AppError {
    match e {
        ImagingError::Io(e) => AppError::Internal(anyhow::anyhow!(e)),
        ImagingError::BadRequest(e) => AppError::Internal(anyhow::anyhow!(e)),
        other => AppError::field("file", other.to_string()),
    }
}

/// `12.3 MB`, as people read file sizes.
pub fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_000_000.0)
}
