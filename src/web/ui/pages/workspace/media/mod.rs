//! `/w/{ws}/media`: the media library. The grid of pictures and videos with search and
//! filters (`library`), uploads with a progress bar per file (`upload`, in `upload_routes`
//! for its large body), one item with its alt text, focal point, tags, where it is used and
//! each network's crop (`item`), and the bytes behind the pictures (`files`), which the page
//! cannot fetch from the API without a token.

pub mod files;
pub mod item;
pub mod library;
pub mod upload;

use uuid::Uuid;

use crate::domain::media::MediaKind;
use crate::services::media::MediaItem;

/// One item in the grid.
pub struct Tile {
    pub id: Uuid,
    pub href: String,
    pub name: String,
    /// `image`, `gif` or `video`, for the CSS class.
    pub kind: &'static str,
    /// "Picture", "GIF", "Video".
    pub kind_label: &'static str,
    /// "PNG", "MP4".
    pub format: String,
    pub size: String,
    /// "1,920 × 1,080".
    pub dimensions: String,
    pub thumbnail: Option<String>,
    /// Videos: "01:05".
    pub duration: Option<String>,
    /// A picture or GIF without a description.
    pub alt_missing: bool,
    pub tags: Vec<String>,
}

impl Tile {
    pub fn of(item: &MediaItem) -> Self {
        let m = &item.media;
        let kind = item.format().kind();
        let base = format!("/w/{}/media/{}", m.workspace_id, m.id);
        Tile {
            id: m.id,
            href: base.clone(),
            name: m.name.clone(),
            kind: kind_slug(kind),
            kind_label: kind_label(kind),
            format: item.format().as_str().to_uppercase(),
            size: file_size(m.bytes),
            dimensions: dimensions(m.width, m.height),
            thumbnail: m.thumb_key.as_ref().map(|_| format!("{base}/thumbnail")),
            duration: m.duration_ms.map(duration),
            alt_missing: kind != MediaKind::Video && m.alt_text.trim().is_empty(),
            tags: item.tags.iter().map(|t| t.name.clone()).collect(),
        }
    }
}

pub fn kind_slug(kind: MediaKind) -> &'static str {
    match kind {
        MediaKind::Image => "image",
        MediaKind::Gif => "gif",
        MediaKind::Video => "video",
    }
}

pub fn kind_label(kind: MediaKind) -> &'static str {
    match kind {
        MediaKind::Image => "Picture",
        MediaKind::Gif => "GIF",
        MediaKind::Video => "Video",
    }
}

/// `532 bytes`, `48 KB`, `3.4 MB`: decimal units, as the upload limits are written. The
/// space does not break, so a narrow tile never leaves the unit alone on a line.
pub fn file_size(bytes: i64) -> String {
    let b = bytes.max(0) as f64;
    if bytes < 1_000 {
        format!("{bytes}\u{a0}bytes")
    } else if bytes < 1_000_000 {
        format!("{:.0}\u{a0}KB", b / 1_000.0)
    } else {
        format!("{:.1}\u{a0}MB", b / 1_000_000.0)
    }
}

/// `1,920 × 1,080`, on one line.
pub fn dimensions(width: i32, height: i32) -> String {
    format!("{}\u{a0}×\u{a0}{}", thousands(width), thousands(height))
}

pub fn thousands(n: i32) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// `mm:ss` (`h:mm:ss` from an hour), rounded down to the second.
pub fn duration(ms: i64) -> String {
    let total = ms.max(0) / 1000;
    let (h, m, s) = (total / 3600, total / 60 % 60, total % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m:02}:{s:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_durations_and_dimensions_read_well() {
        assert_eq!(file_size(532), "532\u{a0}bytes");
        assert_eq!(file_size(48_213), "48\u{a0}KB");
        assert_eq!(file_size(52_300_000), "52.3\u{a0}MB");
        assert_eq!(duration(65_900), "01:05");
        assert_eq!(duration(3_725_000), "1:02:05");
        assert_eq!(dimensions(1920, 1080), "1,920\u{a0}×\u{a0}1,080");
        assert_eq!(thousands(1_000_000), "1,000,000");
        assert_eq!(thousands(999), "999");
    }
}
