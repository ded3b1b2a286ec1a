//! Numbers as people read them in problem messages: sizes in MB, durations in seconds, ratios
//! as `1.91:1`, counts with their noun.

use crate::domain::media::{MediaFormat, MediaKind};

/// `1,234,567`.
pub(super) fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Tenths as `12.3`, with thousands separators.
fn tenths(t: u128) -> String {
    let whole = u64::try_from(t / 10).unwrap_or(u64::MAX);
    format!("{}.{}", thousands(whole), t % 10)
}

/// Tenths without a trailing `.0`.
fn tenths_trimmed(t: u128) -> String {
    if t.is_multiple_of(10) {
        thousands(u64::try_from(t / 10).unwrap_or(u64::MAX))
    } else {
        tenths(t)
    }
}

/// A file's size, rounded up to a tenth so that a file over a limit never reads as equal to
/// it: `5.1 MB`, `1.2 GB`.
pub(super) fn size(bytes: u64, mb: u64) -> String {
    let t = (u128::from(bytes) * 10).div_ceil(u128::from(mb));
    if t >= 10_000 {
        format!("{} GB", tenths(t.div_ceil(1_000)))
    } else {
        format!("{} MB", tenths(t))
    }
}

/// A limit: `5 MB`, `1 GB`, `99 MB`.
pub(super) fn size_limit(bytes: u64, mb: u64) -> String {
    let t = (u128::from(bytes) * 10) / u128::from(mb);
    if t >= 10_000 && t.is_multiple_of(1_000) {
        format!("{} GB", tenths_trimmed(t / 1_000))
    } else {
        format!("{} MB", tenths_trimmed(t))
    }
}

/// A length, rounded up (`up`) or down to a tenth of a second: `150.3 seconds (2.5 minutes)`.
pub(super) fn duration(ms: u64, up: bool) -> String {
    let t = if up { ms.div_ceil(100) } else { ms / 100 };
    let secs = format!("{} seconds", tenths(u128::from(t)));
    if ms >= 120_000 {
        format!("{secs} ({} minutes)", tenths(u128::from(ms / 6_000)))
    } else {
        secs
    }
}

/// A duration limit: `140 seconds`, `0.5 seconds`, `15 minutes`.
pub(super) fn duration_limit(ms: u64) -> String {
    if ms >= 120_000 && ms.is_multiple_of(60_000) {
        format!("{} minutes", thousands(ms / 60_000))
    } else {
        format!("{} seconds", tenths_trimmed(u128::from(ms / 100)))
    }
}

/// Width / height as `0.75:1`.
pub(super) fn ratio(width: u32, height: u32) -> String {
    let r = f64::from(width) / f64::from(height);
    let s = format!("{r:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    format!("{s}:1")
}

/// `1,080 × 1,350 pixels`.
pub(super) fn dimensions(width: u32, height: u32) -> String {
    format!(
        "{} × {} pixels",
        thousands(u64::from(width)),
        thousands(u64::from(height))
    )
}

/// `1 image`, `2 images`, `1 GIF`, `2 GIFs`.
pub(super) fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// `a video`, `an image`.
pub(super) fn a(noun: &str) -> String {
    let article = if noun.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {noun}")
}

/// `A`, `A and B`, `A, B and C`.
pub(super) fn list(items: &[String], last: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., tail] => format!("{} {last} {tail}", init.join(", ")),
    }
}

/// What the item is called in messages: `Image 2`, `GIF 1`, `Video 3` (by its place in the post).
pub(super) fn item(index: usize, format: MediaFormat) -> String {
    format!("{} {}", kind_noun(format.kind(), true), index + 1)
}

pub(super) fn kind_noun(kind: MediaKind, capital: bool) -> &'static str {
    match (kind, capital) {
        (MediaKind::Image, true) => "Image",
        (MediaKind::Image, false) => "image",
        (MediaKind::Gif, _) => "GIF",
        (MediaKind::Video, true) => "Video",
        (MediaKind::Video, false) => "video",
    }
}

/// `JPEG`, `WebP`, `MOV`.
pub(super) fn format_name(format: MediaFormat) -> &'static str {
    match format {
        MediaFormat::Jpeg => "JPEG",
        MediaFormat::Png => "PNG",
        MediaFormat::Webp => "WebP",
        MediaFormat::Gif => "GIF",
        MediaFormat::Mp4 => "MP4",
        MediaFormat::Mov => "MOV",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_well() {
        assert_eq!(thousands(36_152_320), "36,152,320");
        assert_eq!(thousands(999), "999");
        assert_eq!(size(5 * 1_048_576 + 1, 1_048_576), "5.1 MB");
        assert_eq!(size(6_100_000, 1_000_000), "6.1 MB");
        assert_eq!(size(1_200_000_000, 1_000_000), "1.2 GB");
        assert_eq!(size(u64::MAX, 1), "18,446,744,073,709,551.7 GB");
        assert_eq!(size_limit(5 * 1_048_576, 1_048_576), "5 MB");
        assert_eq!(size_limit(103_809_024, 1_048_576), "99 MB");
        assert_eq!(size_limit(1_000_000_000, 1_000_000), "1 GB");
        assert_eq!(duration(140_001, true), "140.1 seconds (2.3 minutes)");
        assert_eq!(duration(499, false), "0.4 seconds");
        assert_eq!(duration_limit(500), "0.5 seconds");
        assert_eq!(duration_limit(140_000), "140 seconds");
        assert_eq!(duration_limit(900_000), "15 minutes");
        assert_eq!(ratio(1080, 1440), "0.75:1");
        assert_eq!(ratio(1910, 1000), "1.91:1");
        assert_eq!(ratio(1000, 1000), "1:1");
        assert_eq!(count(2, "GIF"), "2 GIFs");
        assert_eq!(a("image"), "an image");
        assert_eq!(
            list(&["a".into(), "b".into(), "c".into()], "or"),
            "a, b or c"
        );
    }
}
