//! What Herald knows about a picture or a video, independent of where its bytes live: its
//! format, size and dimensions (`MediaFacts`), each network's rules for attaching it
//! (`rules`), where to cut it for a given shape (`crop`), and the profile images each network
//! shows (`profile`).

pub mod crop;
pub mod profile;
pub mod rules;

use serde::{Deserialize, Serialize};

/// The formats the media library accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MediaFormat {
    Jpeg,
    Png,
    Webp,
    Gif,
    Mp4,
    Mov,
}

/// Networks treat an animated GIF apart from both photos and videos (X: "4 photos or 1 GIF
/// or 1 video"), so it is a kind of its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MediaKind {
    Image,
    Gif,
    Video,
}

impl MediaFormat {
    pub const ALL: [MediaFormat; 6] = [
        MediaFormat::Jpeg,
        MediaFormat::Png,
        MediaFormat::Webp,
        MediaFormat::Gif,
        MediaFormat::Mp4,
        MediaFormat::Mov,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MediaFormat::Jpeg => "jpeg",
            MediaFormat::Png => "png",
            MediaFormat::Webp => "webp",
            MediaFormat::Gif => "gif",
            MediaFormat::Mp4 => "mp4",
            MediaFormat::Mov => "mov",
        }
    }

    pub fn parse(name: &str) -> Option<MediaFormat> {
        MediaFormat::ALL.into_iter().find(|f| f.as_str() == name)
    }

    pub fn mime(self) -> &'static str {
        match self {
            MediaFormat::Jpeg => "image/jpeg",
            MediaFormat::Png => "image/png",
            MediaFormat::Webp => "image/webp",
            MediaFormat::Gif => "image/gif",
            MediaFormat::Mp4 => "video/mp4",
            MediaFormat::Mov => "video/quicktime",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            MediaFormat::Jpeg => "jpg",
            other => other.as_str(),
        }
    }

    pub fn kind(self) -> MediaKind {
        match self {
            MediaFormat::Jpeg | MediaFormat::Png | MediaFormat::Webp => MediaKind::Image,
            MediaFormat::Gif => MediaKind::Gif,
            MediaFormat::Mp4 | MediaFormat::Mov => MediaKind::Video,
        }
    }
}

/// What the library measured of one item, as the rules need it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MediaFacts {
    pub format: MediaFormat,
    pub bytes: u64,
    pub width: u32,
    pub height: u32,
    /// Videos only.
    pub duration_ms: Option<u64>,
    /// Animated GIFs: the number of frames.
    pub frames: Option<u32>,
    pub alt_text: String,
}

/// Where the subject of a picture is, as fractions of its width and height from the top
/// left (0.5, 0.5 is the centre). Crops keep it in view.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FocalPoint {
    pub x: f32,
    pub y: f32,
}

impl Default for FocalPoint {
    fn default() -> Self {
        FocalPoint { x: 0.5, y: 0.5 }
    }
}

impl FocalPoint {
    /// A focal point inside the picture, or `None` for values outside 0..=1 or not numbers.
    pub fn new(x: f32, y: f32) -> Option<FocalPoint> {
        let ok = |v: f32| v.is_finite() && (0.0..=1.0).contains(&v);
        (ok(x) && ok(y)).then_some(FocalPoint { x, y })
    }
}
