//! Cutting metadata out of a file without touching its compressed pixels.
//!
//! PNG and WebP go through `img-parts`, keeping only the chunks that affect how the picture
//! looks. JPEG is walked here segment by segment instead: `img-parts` keeps everything after
//! the first scan header as one opaque block, and that block is where a phone puts its other
//! pictures (MPF: depth maps, gain maps, previews, each with its own EXIF) and where a
//! progressive JPEG may carry segments between scans. The walk keeps the first picture up to
//! its end-of-image marker and drops every application segment but JFIF, ICC and Adobe.

use img_parts::Bytes;
use img_parts::png::Png;
use img_parts::riff::RiffContent;
use img_parts::webp::{self, WebP};

use super::ImagingError;
use crate::domain::media::MediaFormat;

pub(super) fn strip(bytes: &[u8], format: MediaFormat) -> Result<Vec<u8>, ImagingError> {
    match format {
        MediaFormat::Jpeg => jpeg(bytes),
        MediaFormat::Png => png(bytes),
        MediaFormat::Webp => webp(bytes),
        MediaFormat::Gif | MediaFormat::Mp4 | MediaFormat::Mov => Ok(bytes.to_vec()),
    }
}

fn corrupt(format: &str, what: &str) -> ImagingError {
    ImagingError::Corrupt(format!("{format}: {what}"))
}

/// The JPEG segments that change how the picture looks: JFIF (pixel density), the ICC colour
/// profile and Adobe's (which says whether the channels are RGB, YCbCr or CMYK); every other
/// application segment (EXIF, XMP, IPTC, MPF, maker notes, previews) and comments go.
fn keep_jpeg_segment(marker: u8, contents: &[u8]) -> bool {
    match marker {
        0xE0 => contents.starts_with(b"JFIF\0"),
        0xE2 => contents.starts_with(b"ICC_PROFILE\0"),
        0xEE => contents.starts_with(b"Adobe"),
        0xE1 | 0xE3..=0xED | 0xEF | 0xFE => false,
        _ => true,
    }
}

fn jpeg(bytes: &[u8]) -> Result<Vec<u8>, ImagingError> {
    if !bytes.starts_with(&[0xFF, 0xD8]) {
        return Err(ImagingError::NotAnImage);
    }
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&[0xFF, 0xD8]);
    let mut at = 2;
    loop {
        // The next marker, past fill bytes (and stray bytes, which decoders skip too).
        while at < bytes.len() && bytes[at] != 0xFF {
            at += 1;
        }
        while at + 1 < bytes.len() && bytes[at + 1] == 0xFF {
            at += 1;
        }
        let Some(&marker) = bytes.get(at + 1) else {
            // The file ends without an end-of-image marker: keep what there is.
            break;
        };
        match marker {
            0xD9 => break,
            // Markers without a length (restarts, TEM) and a stray stuffed zero.
            0xD0..=0xD7 | 0x01 => {
                out.extend_from_slice(&bytes[at..at + 2]);
                at += 2;
                continue;
            }
            0x00 => {
                at += 2;
                continue;
            }
            _ => {}
        }
        let len = match bytes.get(at + 2..at + 4) {
            Some(&[hi, lo]) => usize::from(u16::from_be_bytes([hi, lo])),
            _ => return Err(corrupt("JPEG", "the file ends inside a segment")),
        };
        if len < 2 {
            return Err(corrupt("JPEG", "a segment has an impossible length"));
        }
        let end = at + 2 + len;
        let Some(segment) = bytes.get(at..end) else {
            return Err(corrupt("JPEG", "the file ends inside a segment"));
        };
        if keep_jpeg_segment(marker, &segment[4..]) {
            out.extend_from_slice(segment);
        }
        at = end;
        if marker == 0xDA {
            // Entropy-coded data: runs to the first marker that is neither a stuffed zero nor
            // a restart.
            let start = at;
            while let Some(&byte) = bytes.get(at) {
                if byte != 0xFF {
                    at += 1;
                    continue;
                }
                match bytes.get(at + 1) {
                    Some(0x00 | 0xD0..=0xD7) => at += 2,
                    _ => break,
                }
            }
            out.extend_from_slice(&bytes[start..at]);
        }
    }
    out.extend_from_slice(&[0xFF, 0xD9]);
    Ok(out)
}

/// Critical chunks (IHDR, PLTE, IDAT, IEND) and the ancillary ones that change how the picture
/// looks or moves (transparency, colour, APNG frames); text (comments, XMP), eXIf, tIME and
/// private chunks go.
fn keep_png_chunk(kind: [u8; 4]) -> bool {
    const KEEP: [&[u8; 4]; 14] = [
        b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"cICP", b"mDCv", b"cLLi", b"sBIT", b"bKGD",
        b"pHYs", b"acTL", b"fcTL", b"fdAT",
    ];
    kind[0].is_ascii_uppercase() || KEEP.iter().any(|k| **k == kind)
}

fn png(bytes: &[u8]) -> Result<Vec<u8>, ImagingError> {
    let mut png = Png::from_bytes(Bytes::copy_from_slice(bytes)).map_err(|e| parts("PNG", e))?;
    png.chunks_mut()
        .retain(|chunk| keep_png_chunk(chunk.kind()));
    Ok(png.encoder().bytes().to_vec())
}

const VP8X_EXIF: u8 = 0b0000_1000;
const VP8X_XMP: u8 = 0b0000_0100;

/// The bitstream, alpha, animation and ICC chunks; EXIF, XMP and unknown chunks go, and the
/// extended header stops announcing them.
fn webp(bytes: &[u8]) -> Result<Vec<u8>, ImagingError> {
    let mut webp = WebP::from_bytes(Bytes::copy_from_slice(bytes)).map_err(|e| parts("WebP", e))?;
    let keep = [
        webp::CHUNK_VP8,
        webp::CHUNK_VP8L,
        webp::CHUNK_VP8X,
        webp::CHUNK_ALPH,
        webp::CHUNK_ANIM,
        webp::CHUNK_ANMF,
        webp::CHUNK_ICCP,
    ];
    webp.chunks_mut().retain(|chunk| keep.contains(&chunk.id()));
    for chunk in webp.chunks_mut() {
        if chunk.id() != webp::CHUNK_VP8X {
            continue;
        }
        if let RiffContent::Data(data) = chunk.content_mut()
            && let Some(&flags) = data.first()
        {
            let mut copy = data.to_vec();
            copy[0] = flags & !(VP8X_EXIF | VP8X_XMP);
            *data = Bytes::from(copy);
        }
    }
    Ok(webp.encoder().bytes().to_vec())
}

/// Whether a WebP is animated (its frames cannot be turned one by one here).
pub(super) fn webp_is_animated(bytes: &[u8]) -> bool {
    WebP::from_bytes(Bytes::copy_from_slice(bytes))
        .map(|w| w.has_chunk(webp::CHUNK_ANIM) || w.has_chunk(webp::CHUNK_ANMF))
        .unwrap_or(false)
}

fn parts(format: &str, error: img_parts::Error) -> ImagingError {
    match error {
        img_parts::Error::WrongSignature => ImagingError::NotAnImage,
        other => corrupt(format, &other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segment(marker: u8, contents: &[u8]) -> Vec<u8> {
        let mut s = vec![0xFF, marker];
        s.extend_from_slice(&u16::try_from(contents.len() + 2).unwrap().to_be_bytes());
        s.extend_from_slice(contents);
        s
    }

    #[test]
    fn jpeg_keeps_the_picture_and_drops_metadata_trailers_and_comments() {
        let mut file = vec![0xFF, 0xD8];
        file.extend(segment(0xE0, b"JFIF\0\x01\x02"));
        file.extend(segment(0xE1, b"Exif\0\0MM\0*GPS"));
        file.extend(segment(0xE2, b"ICC_PROFILE\0\x01\x01profile"));
        file.extend(segment(0xE2, b"MPF\0MM\0*"));
        file.extend(segment(0xFE, b"a comment"));
        file.extend(segment(0xDB, b"\0quant"));
        file.extend(segment(0xDA, b"\x01scan"));
        file.extend_from_slice(&[1, 2, 0xFF, 0x00, 3, 0xFF, 0xD3, 4]);
        // Between progressive scans.
        file.extend(segment(0xE1, b"http://ns.adobe.com/xap/1.0/\0xmp"));
        file.extend(segment(0xDA, b"\x01scan2"));
        file.extend_from_slice(&[5, 6, 0xFF, 0xFF, 0xD9]);
        // A second picture (MPF) with its own EXIF.
        file.extend_from_slice(&[0xFF, 0xD8]);
        file.extend(segment(0xE1, b"Exif\0\0MM\0*GPS"));

        let out = jpeg(&file).unwrap();
        let mut want = vec![0xFF, 0xD8];
        want.extend(segment(0xE0, b"JFIF\0\x01\x02"));
        want.extend(segment(0xE2, b"ICC_PROFILE\0\x01\x01profile"));
        want.extend(segment(0xDB, b"\0quant"));
        want.extend(segment(0xDA, b"\x01scan"));
        want.extend_from_slice(&[1, 2, 0xFF, 0x00, 3, 0xFF, 0xD3, 4]);
        want.extend(segment(0xDA, b"\x01scan2"));
        want.extend_from_slice(&[5, 6, 0xFF, 0xD9]);
        assert_eq!(out, want);
    }

    #[test]
    fn jpeg_walk_survives_truncation() {
        let mut file = vec![0xFF, 0xD8];
        file.extend(segment(0xDB, b"\0quant"));
        file.extend(segment(0xDA, b"\x01scan"));
        file.extend_from_slice(&[1, 2, 3]);
        for cut in 0..file.len() {
            let _ = jpeg(&file[..cut]);
        }
        assert!(jpeg(&file).unwrap().ends_with(&[1, 2, 3, 0xFF, 0xD9]));
    }
}
