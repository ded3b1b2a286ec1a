//! Reading and rewriting the pictures and videos of the media library: what a file really is
//! (`sniff`, `inspect`, `video::probe`), a clean copy to keep and publish (`normalize`:
//! orientation applied, personal metadata gone), and the derived images (`thumbnail`,
//! `render_crop`, `profile_set`).
//!
//! Every function here is blocking and CPU-bound: call it from `spawn_blocking`. None trusts
//! its input: the format comes from the bytes (never the file name), sizes are checked
//! against [`Limits`] before any pixel buffer is allocated (a 100000×100000 PNG header is
//! refused from its 33 first bytes), and bad bytes give an [`ImagingError`] whose message can
//! be shown to the person who uploaded the file.
//!
//! Pure Rust (`image`, `fast_image_resize`, `img-parts`, `mp4parse`): nothing to install.
//! `ffprobe` is used only as a fallback for videos `mp4parse` cannot read, when it is there.

mod gif;
mod render;
mod strip;
pub mod video;

use std::io::Cursor;

use image::{ImageDecoder, ImageError, ImageFormat, ImageReader, metadata::Orientation};

use crate::domain::media::MediaFormat;

pub use render::{profile_set, render_crop, thumbnail};

/// The most frames Herald accepts in an animated GIF (the networks' own limits are lower:
/// X documents 350 frames).
pub const MAX_GIF_FRAMES: u32 = 1000;

/// Why a file was refused or could not be processed. The messages are for the person who
/// uploaded it.
#[derive(Clone, Debug, thiserror::Error, PartialEq, Eq)]
pub enum ImagingError {
    #[error("this file is not a picture Herald can read: send a JPEG, PNG, WebP or GIF")]
    NotAnImage,
    #[error("this file is not a video Herald can read: send an MP4 or MOV")]
    NotAVideo,
    #[error("the file is damaged or incomplete ({0})")]
    Corrupt(String),
    #[error(
        "the picture is {width}×{height} pixels, more than the {} megapixels Herald accepts",
        limit / 1_000_000
    )]
    TooManyPixels { width: u32, height: u32, limit: u64 },
    #[error(
        "the file is {} MB, more than the {} MB Herald accepts",
        megabytes(*bytes),
        megabytes(*limit)
    )]
    TooLarge { bytes: u64, limit: u64 },
    #[error(
        "opening the picture would take {} MB of memory, more than the {} MB Herald allows",
        megabytes(*needed),
        megabytes(*limit)
    )]
    TooMuchMemory { needed: u64, limit: u64 },
    #[error("the animation has more than {limit} frames, more than Herald accepts")]
    TooManyFrames { limit: u32 },
    #[error("this kind of file is not supported: {0}")]
    Unsupported(String),
    /// A caller's mistake rather than the file's (a crop outside the picture, a size of 0).
    #[error("{0}")]
    BadRequest(String),
    #[error("the file could not be read: {0}")]
    Io(String),
}

fn megabytes(bytes: u64) -> String {
    let mb = bytes as f64 / 1_000_000.0;
    if mb < 10.0 {
        format!("{mb:.1}")
    } else {
        format!("{mb:.0}")
    }
}

/// How big a picture Herald agrees to open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Width × height. The default, 60 million, lets a 50-megapixel camera photo through.
    pub max_pixels: u64,
    /// The size of the file. The default is 40 MB.
    pub max_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_pixels: 60_000_000,
            max_bytes: 40 * 1024 * 1024,
        }
    }
}

impl Limits {
    /// The memory one decoded picture may take: 4 bytes a pixel at the pixel limit (8-bit
    /// RGBA), which leaves 16-bit pictures half the pixels.
    pub fn max_alloc(&self) -> u64 {
        self.max_pixels.saturating_mul(4)
    }

    fn check_bytes(&self, bytes: &[u8]) -> Result<(), ImagingError> {
        let len = bytes.len() as u64;
        if len > self.max_bytes {
            return Err(ImagingError::TooLarge {
                bytes: len,
                limit: self.max_bytes,
            });
        }
        Ok(())
    }

    fn check_pixels(&self, width: u32, height: u32) -> Result<(), ImagingError> {
        if width == 0 || height == 0 {
            return Err(ImagingError::Corrupt("the picture has no pixels".into()));
        }
        if u64::from(width) * u64::from(height) > self.max_pixels {
            return Err(ImagingError::TooManyPixels {
                width,
                height,
                limit: self.max_pixels,
            });
        }
        Ok(())
    }

    /// The same limits for the `image` decoders, as a second line of defence: no side longer
    /// than the pixel limit, no allocation over `max_alloc`.
    fn for_decoder(&self) -> image::Limits {
        let side = u32::try_from(self.max_pixels).unwrap_or(u32::MAX);
        let mut limits = image::Limits::default();
        limits.max_image_width = Some(side);
        limits.max_image_height = Some(side);
        limits.max_alloc = Some(self.max_alloc());
        limits
    }
}

/// What a picture is, read from its headers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ImageInfo {
    pub format: MediaFormat,
    /// As shown: after the EXIF orientation (swapped for a quarter turn).
    pub width: u32,
    pub height: u32,
    /// GIFs only: the number of frames (1 for a still GIF).
    pub frames: Option<u32>,
}

/// A picture ready to keep and publish.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Normalized {
    pub bytes: Vec<u8>,
    pub format: MediaFormat,
    pub width: u32,
    pub height: u32,
    pub frames: Option<u32>,
}

/// The format of a file from its first bytes (16 are enough), or `None` when it is none of
/// the six the library accepts. ISO-BMFF files (`ftyp`) are videos, MOV when the major brand
/// is QuickTime's `qt  `, MP4 otherwise, except the still-image brands (HEIC, AVIF), which
/// are not accepted.
pub fn sniff(head: &[u8]) -> Option<MediaFormat> {
    if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some(MediaFormat::Jpeg);
    }
    if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some(MediaFormat::Png);
    }
    if head.len() >= 12 && &head[..4] == b"RIFF" && &head[8..12] == b"WEBP" {
        return Some(MediaFormat::Webp);
    }
    if head.starts_with(b"GIF87a") || head.starts_with(b"GIF89a") {
        return Some(MediaFormat::Gif);
    }
    if head.len() >= 12 && &head[4..8] == b"ftyp" {
        let brand = &head[8..12];
        const STILL: [&[u8; 4]; 11] = [
            b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1", b"avif",
            b"avis", b"crx ",
        ];
        if STILL.iter().any(|b| &b[..] == brand) {
            return None;
        }
        return Some(if brand == b"qt  " {
            MediaFormat::Mov
        } else {
            MediaFormat::Mp4
        });
    }
    None
}

/// The picture formats, from the bytes.
fn image_format(bytes: &[u8]) -> Result<MediaFormat, ImagingError> {
    match sniff(bytes) {
        Some(f @ (MediaFormat::Jpeg | MediaFormat::Png | MediaFormat::Webp | MediaFormat::Gif)) => {
            Ok(f)
        }
        _ => Err(ImagingError::NotAnImage),
    }
}

/// Format, shown dimensions and (GIF) frame count, from the headers only: nothing is decoded
/// but a GIF's block structure.
pub fn inspect(bytes: &[u8], limits: &Limits) -> Result<ImageInfo, ImagingError> {
    limits.check_bytes(bytes)?;
    let format = image_format(bytes)?;
    if format == MediaFormat::Gif {
        let shape = gif_shape(bytes, limits)?;
        return Ok(ImageInfo {
            format,
            width: shape.width,
            height: shape.height,
            frames: Some(shape.frames),
        });
    }
    let mut decoder = open(bytes, format, limits)?;
    let (width, height) = decoder.dimensions();
    let orientation = orientation(&mut decoder);
    let (width, height) = if swaps_sides(orientation) {
        (height, width)
    } else {
        (width, height)
    };
    Ok(ImageInfo {
        format,
        width,
        height,
        frames: None,
    })
}

/// A copy to keep: the EXIF orientation applied to the pixels, and the metadata gone (EXIF
/// with its GPS position and camera serial, XMP, IPTC, comments, embedded previews); the ICC
/// colour profile stays.
///
/// When the orientation is already right, the metadata is cut out without touching the
/// compressed pixels (JPEG, PNG, WebP), so nothing is lost; otherwise the picture is decoded,
/// turned and re-encoded in its own format (JPEG quality 90, PNG, lossless WebP). The picture
/// is decoded in full either way, so a damaged file is refused here and not at publishing.
/// GIFs are kept byte for byte once every frame has decoded (they carry no EXIF).
pub fn normalize(bytes: &[u8], limits: &Limits) -> Result<Normalized, ImagingError> {
    limits.check_bytes(bytes)?;
    let format = image_format(bytes)?;
    if format == MediaFormat::Gif {
        let shape = gif_shape(bytes, limits)?;
        gif::decode_all(bytes, limits)?;
        return Ok(Normalized {
            bytes: bytes.to_vec(),
            format,
            width: shape.width,
            height: shape.height,
            frames: Some(shape.frames),
        });
    }
    let mut decoder = open(bytes, format, limits)?;
    let (width, height) = decoder.dimensions();
    let orientation = orientation(&mut decoder);
    // An animated WebP cannot be turned frame by frame here: its metadata is cut out and the
    // orientation left as it was (cameras do not write animated WebP).
    let animated = format == MediaFormat::Webp && strip::webp_is_animated(bytes);
    if orientation == Orientation::NoTransforms || animated {
        let stripped = strip::strip(bytes, format)?;
        // Decoding proves the pixels are whole; the pixels themselves are not needed.
        if !animated {
            drop(decode(decoder)?);
        }
        return Ok(Normalized {
            bytes: stripped,
            format,
            width,
            height,
            frames: None,
        });
    }
    let icc = decoder.icc_profile().ok().flatten();
    let mut image = decode(decoder)?;
    image.apply_orientation(orientation);
    let (width, height) = (image.width(), image.height());
    let bytes = render::encode_same_format(image, format, icc)?;
    Ok(Normalized {
        bytes,
        format,
        width,
        height,
        frames: None,
    })
}

/// A GIF's canvas and frames. Every frame is decoded to the full canvas, so big canvases get
/// fewer frames: at most 20 times the pixel limit in all (100 frames at 4000×3000), and never
/// more than [`MAX_GIF_FRAMES`].
fn gif_shape(bytes: &[u8], limits: &Limits) -> Result<gif::Shape, ImagingError> {
    let (width, height) = gif::canvas(bytes)?;
    limits.check_pixels(width, height)?;
    let canvas = u64::from(width) * u64::from(height);
    let budget = limits.max_pixels.saturating_mul(20) / canvas.max(1);
    let max_frames = u32::try_from(budget)
        .unwrap_or(u32::MAX)
        .clamp(1, MAX_GIF_FRAMES);
    gif::walk(bytes, max_frames)
}

/// A decoder for `bytes`, once its dimensions and the memory its pixels need are known to be
/// within `limits`. Nothing proportional to the picture is allocated before that.
fn open<'a>(
    bytes: &'a [u8],
    format: MediaFormat,
    limits: &Limits,
) -> Result<impl ImageDecoder + 'a, ImagingError> {
    let image_format = match format {
        MediaFormat::Jpeg => ImageFormat::Jpeg,
        MediaFormat::Png => ImageFormat::Png,
        MediaFormat::Webp => ImageFormat::WebP,
        MediaFormat::Gif => ImageFormat::Gif,
        MediaFormat::Mp4 | MediaFormat::Mov => return Err(ImagingError::NotAnImage),
    };
    let mut reader = ImageReader::with_format(Cursor::new(bytes), image_format);
    reader.limits(limits.for_decoder());
    let decoder = reader.into_decoder().map_err(image_error)?;
    let (width, height) = decoder.dimensions();
    limits.check_pixels(width, height)?;
    let needed = decoder.total_bytes();
    if needed > limits.max_alloc() {
        return Err(ImagingError::TooMuchMemory {
            needed,
            limit: limits.max_alloc(),
        });
    }
    Ok(decoder)
}

fn decode(decoder: impl ImageDecoder) -> Result<image::DynamicImage, ImagingError> {
    image::DynamicImage::from_decoder(decoder).map_err(image_error)
}

/// The EXIF orientation; an unreadable EXIF block counts as none.
fn orientation(decoder: &mut impl ImageDecoder) -> Orientation {
    decoder.orientation().unwrap_or(Orientation::NoTransforms)
}

fn swaps_sides(orientation: Orientation) -> bool {
    matches!(
        orientation,
        Orientation::Rotate90
            | Orientation::Rotate270
            | Orientation::Rotate90FlipH
            | Orientation::Rotate270FlipH
    )
}

fn image_error(error: ImageError) -> ImagingError {
    match error {
        ImageError::Decoding(e) => ImagingError::Corrupt(e.to_string()),
        ImageError::IoError(e) => ImagingError::Corrupt(e.to_string()),
        ImageError::Unsupported(e) => ImagingError::Unsupported(e.to_string()),
        ImageError::Limits(e) => {
            ImagingError::Unsupported(format!("the picture is too big to open safely ({e})"))
        }
        ImageError::Encoding(e) => ImagingError::Unsupported(e.to_string()),
        ImageError::Parameter(e) => ImagingError::Corrupt(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_the_six_formats() {
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some(MediaFormat::Jpeg));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0"), Some(MediaFormat::Png));
        assert_eq!(sniff(b"RIFF\x10\0\0\0WEBPVP8 "), Some(MediaFormat::Webp));
        assert_eq!(sniff(b"GIF89a\x01\0"), Some(MediaFormat::Gif));
        assert_eq!(sniff(b"GIF87a"), Some(MediaFormat::Gif));
        assert_eq!(
            sniff(b"\0\0\0\x20ftypisom\0\0\x02\0"),
            Some(MediaFormat::Mp4)
        );
        assert_eq!(
            sniff(b"\0\0\0\x14ftypqt  \0\0\x02\0"),
            Some(MediaFormat::Mov)
        );
        assert_eq!(sniff(b"\0\0\0\x18ftypheic\0\0\0\0"), None);
        assert_eq!(sniff(b"%PDF-1.7"), None);
        assert_eq!(sniff(b"RIFF\x10\0\0\0WAVEfmt "), None);
        assert_eq!(sniff(b""), None);
        assert_eq!(sniff(&[0xFF]), None);
    }

    #[test]
    fn messages_read_well() {
        let e = ImagingError::TooManyPixels {
            width: 100_000,
            height: 100_000,
            limit: 60_000_000,
        };
        assert_eq!(
            e.to_string(),
            "the picture is 100000×100000 pixels, more than the 60 megapixels Herald accepts"
        );
        let e = ImagingError::TooLarge {
            bytes: 52_000_000,
            limit: 41_943_040,
        };
        assert_eq!(
            e.to_string(),
            "the file is 52 MB, more than the 42 MB Herald accepts"
        );
    }
}
