//! GIF structure without decoding: the canvas size and the number of frames come from walking
//! the blocks (GIF89a specification, sections 17 to 27), which costs nothing next to
//! decompressing every frame.

use std::io::Cursor;

use image::AnimationDecoder;
use image::codecs::gif::GifDecoder;

use super::{ImagingError, Limits, image_error};

pub(super) struct Shape {
    pub width: u32,
    pub height: u32,
    pub frames: u32,
}

fn corrupt(what: &str) -> ImagingError {
    ImagingError::Corrupt(format!("GIF: {what}"))
}

/// Skips a chain of data sub-blocks (a length byte, that many bytes, ..., a 0 byte) starting
/// at `at`; returns the position after the terminator, or `None` when the file ends first.
fn skip_sub_blocks(bytes: &[u8], mut at: usize) -> Option<usize> {
    loop {
        let len = usize::from(*bytes.get(at)?);
        at += 1;
        if len == 0 {
            return Some(at);
        }
        at += len;
        if at > bytes.len() {
            return None;
        }
    }
}

/// The canvas size, from the logical screen descriptor.
pub(super) fn canvas(bytes: &[u8]) -> Result<(u32, u32), ImagingError> {
    if !(bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a")) {
        return Err(ImagingError::NotAnImage);
    }
    if bytes.len() < 13 {
        return Err(corrupt("the file ends inside its header"));
    }
    let u16_at = |i: usize| u32::from(u16::from_le_bytes([bytes[i], bytes[i + 1]]));
    Ok((u16_at(6), u16_at(8)))
}

/// The canvas size and frame count; more than `max_frames` frames is refused as soon as it is
/// seen.
pub(super) fn walk(bytes: &[u8], max_frames: u32) -> Result<Shape, ImagingError> {
    let (width, height) = canvas(bytes)?;
    let packed = bytes[10];
    let mut at = 13;
    if packed & 0x80 != 0 {
        at += 3 << ((packed & 0x07) + 1);
    }
    let mut frames = 0u32;
    // Many GIFs in the wild lack the trailer: when the bytes end, what came before counts.
    while let Some(&introducer) = bytes.get(at) {
        match introducer {
            0x3B => break,
            0x21 => {
                // Extension: a label, then sub-blocks.
                match skip_sub_blocks(bytes, at + 2) {
                    Some(next) => at = next,
                    None if frames > 0 => break,
                    None => return Err(corrupt("the file ends inside an extension")),
                }
            }
            0x2C => {
                // Image descriptor: position and size (8 bytes), packed fields, an optional
                // local colour table, the LZW code size, then the image data sub-blocks.
                let Some(&local) = bytes.get(at + 9) else {
                    return Err(corrupt("the file ends inside a frame"));
                };
                let mut next = at + 10;
                if local & 0x80 != 0 {
                    next += 3 << ((local & 0x07) + 1);
                }
                next += 1;
                match skip_sub_blocks(bytes, next) {
                    Some(end) => at = end,
                    None if frames > 0 => break,
                    None => return Err(corrupt("the file ends inside the first frame")),
                }
                frames += 1;
                if frames > max_frames {
                    return Err(ImagingError::TooManyFrames { limit: max_frames });
                }
            }
            _ => {
                if frames > 0 {
                    // Garbage after the last frame: decoders stop there too.
                    break;
                }
                return Err(corrupt("unexpected data before the first frame"));
            }
        }
    }
    if frames == 0 {
        return Err(corrupt("no frame"));
    }
    Ok(Shape {
        width,
        height,
        frames,
    })
}

/// Decodes every frame, to prove the file whole; the frames are dropped as they come.
pub(super) fn decode_all(bytes: &[u8], limits: &Limits) -> Result<(), ImagingError> {
    let mut decoder = GifDecoder::new(Cursor::new(bytes)).map_err(image_error)?;
    image::ImageDecoder::set_limits(&mut decoder, limits.for_decoder()).map_err(image_error)?;
    for frame in decoder.into_frames() {
        frame.map_err(image_error)?;
    }
    Ok(())
}
