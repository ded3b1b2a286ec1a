//! Derived images: thumbnails, crops for a network, and the profile image set.
//!
//! The picture is decoded once, as stored (not turned); crops are worked out on the picture as
//! shown, mapped back onto the stored pixels, resized with `fast_image_resize` (SIMD), and
//! only the small result is turned by the EXIF orientation. For a set of outputs, a big
//! picture is first reduced by a whole factor to a working copy no bigger than the largest
//! output needs (the full-size pixels are freed), then halved while smaller outputs can use a
//! smaller copy.

use fast_image_resize::images::CroppedImageMut;
use fast_image_resize::{FilterType, ResizeAlg, ResizeOptions, Resizer};
use image::codecs::png::{self, PngEncoder};
use image::codecs::webp::WebPEncoder;
use image::metadata::Orientation;
use image::{ColorType, DynamicImage, ImageEncoder};

use super::{
    ImagingError, Limits, decode, image_error, image_format, open, orientation, swaps_sides,
};
use crate::domain::media::crop::{self, Rect};
use crate::domain::media::profile::{ProfileSpec, Slot};
use crate::domain::media::{FocalPoint, MediaFormat};

/// The longest side Herald renders (networks want 4096 at most).
const MAX_OUTPUT_SIDE: u32 = 8192;

/// JPEG quality of crops and banners.
const CROP_QUALITY: u8 = 88;
/// JPEG quality of thumbnails (seen small, in the library).
const THUMBNAIL_QUALITY: u8 = 82;
/// JPEG quality when a photo has to be re-encoded to turn it.
const NORMALIZE_QUALITY: u8 = 90;

/// The resampling filter of every output: Lanczos3 is the sharpest and, with SIMD, fast
/// enough (see `benches/images.rs`).
const FILTER: ResizeAlg = ResizeAlg::Convolution(FilterType::Lanczos3);

/// A decoded picture as stored, with what is needed to show it right.
struct Source {
    image: DynamicImage,
    orientation: Orientation,
    icc: Option<Vec<u8>>,
}

impl Source {
    fn load(bytes: &[u8], limits: &Limits) -> Result<Source, ImagingError> {
        limits.check_bytes(bytes)?;
        let format = image_format(bytes)?;
        // For a GIF, the first frame.
        let mut decoder = open(bytes, format, limits)?;
        let orientation = orientation(&mut decoder);
        let icc = image::ImageDecoder::icc_profile(&mut decoder)
            .ok()
            .flatten();
        let image = workable(decode(decoder)?);
        Ok(Source {
            image,
            orientation,
            icc,
        })
    }

    /// The size as shown.
    fn shown(&self) -> (u32, u32) {
        let (w, h) = (self.image.width(), self.image.height());
        if swaps_sides(self.orientation) {
            (h, w)
        } else {
            (w, h)
        }
    }
}

/// A picture `fast_image_resize` and the encoders can take.
fn workable(image: DynamicImage) -> DynamicImage {
    match image {
        DynamicImage::ImageLuma8(_)
        | DynamicImage::ImageLumaA8(_)
        | DynamicImage::ImageRgb8(_)
        | DynamicImage::ImageRgba8(_)
        | DynamicImage::ImageLuma16(_)
        | DynamicImage::ImageLumaA16(_)
        | DynamicImage::ImageRgb16(_)
        | DynamicImage::ImageRgba16(_) => image,
        other if other.color().has_alpha() => DynamicImage::ImageRgba8(other.to_rgba8()),
        other => DynamicImage::ImageRgb8(other.to_rgb8()),
    }
}

/// A rectangle in fractional pixels: x, y, width, height.
type Area = (f64, f64, f64, f64);

/// Where a rectangle of the picture as shown lies in the stored pixels (`width` × `height`
/// as stored): the inverse of the orientation, applied to two opposite corners.
fn stored_area(rect: Rect, orientation: Orientation, width: u32, height: u32) -> Area {
    let (w, h) = (f64::from(width), f64::from(height));
    let back = |u: f64, v: f64| -> (f64, f64) {
        match orientation {
            Orientation::NoTransforms => (u, v),
            Orientation::Rotate90 => (v, h - u),
            Orientation::Rotate180 => (w - u, h - v),
            Orientation::Rotate270 => (w - v, u),
            Orientation::FlipHorizontal => (w - u, v),
            Orientation::FlipVertical => (u, h - v),
            Orientation::Rotate90FlipH => (v, u),
            Orientation::Rotate270FlipH => (w - v, h - u),
        }
    };
    let (x0, y0) = back(f64::from(rect.x), f64::from(rect.y));
    let (x1, y1) = back(
        f64::from(rect.x) + f64::from(rect.width),
        f64::from(rect.y) + f64::from(rect.height),
    );
    (x0.min(x1), y0.min(y1), (x1 - x0).abs(), (y1 - y0).abs())
}

/// `area` of `image` resized to `width` × `height` (as stored: the caller turns it).
fn resize(
    resizer: &mut Resizer,
    image: &DynamicImage,
    area: Area,
    width: u32,
    height: u32,
    algorithm: ResizeAlg,
) -> Result<DynamicImage, ImagingError> {
    let mut out = DynamicImage::new(width, height, image.color());
    let (x, y, w, h) = area;
    let options = ResizeOptions::new().crop(x, y, w, h).resize_alg(algorithm);
    resizer
        .resize(image, &mut out, &options)
        .map_err(|e| ImagingError::Unsupported(format!("resizing failed: {e}")))?;
    Ok(out)
}

/// `image` shrunk by a whole `factor` (each output pixel the average of a `factor` ×
/// `factor` block; a last partial block is dropped), in bands of rows so that the resizer's
/// intermediate buffer stays small next to the picture.
fn reduce(image: &DynamicImage, factor: u32) -> Result<DynamicImage, ImagingError> {
    const BAND_ROWS: u32 = 128;
    let (w, h) = (
        (image.width() / factor).max(1),
        (image.height() / factor).max(1),
    );
    let (src_w, src_h) = (image.width(), image.height());
    let mut out = DynamicImage::new(w, h, image.color());
    let mut resizer = Resizer::new();
    let failed =
        |e: &dyn std::fmt::Display| ImagingError::Unsupported(format!("resizing failed: {e}"));
    for top in (0..h).step_by(BAND_ROWS as usize) {
        let rows = BAND_ROWS.min(h - top);
        let mut band = CroppedImageMut::new(&mut out, 0, top, w, rows).map_err(|e| failed(&e))?;
        let source = (
            0.0,
            f64::from(top * factor),
            f64::from((w * factor).min(src_w)),
            f64::from((rows * factor).min(src_h - (top * factor).min(src_h))),
        );
        let options = ResizeOptions::new()
            .crop(source.0, source.1, source.2, source.3)
            .resize_alg(ResizeAlg::Convolution(FilterType::Box));
        resizer
            .resize(image, &mut band, &options)
            .map_err(|e| failed(&e))?;
    }
    Ok(out)
}

/// One output: `rect` of the picture as shown, at `width` × `height` as shown. `scale` maps
/// stored full-size pixels onto `image`, which may be a reduced working copy.
fn render(
    resizer: &mut Resizer,
    image: &DynamicImage,
    scale: (f64, f64),
    full: (u32, u32),
    orientation: Orientation,
    rect: Rect,
    (width, height): (u32, u32),
) -> Result<DynamicImage, ImagingError> {
    let (x, y, w, h) = stored_area(rect, orientation, full.0, full.1);
    // A reduced copy drops the last partial block of pixels: stay inside it.
    let (iw, ih) = (f64::from(image.width()), f64::from(image.height()));
    let (x, y) = ((x * scale.0).min(iw - 1.0), (y * scale.1).min(ih - 1.0));
    let area = (x, y, (w * scale.0).min(iw - x), (h * scale.1).min(ih - y));
    let (out_w, out_h) = if swaps_sides(orientation) {
        (height, width)
    } else {
        (width, height)
    };
    let whole = area.0 == 0.0
        && area.1 == 0.0
        && area.2 == f64::from(image.width())
        && area.3 == f64::from(image.height());
    let mut out = if whole && (out_w, out_h) == (image.width(), image.height()) {
        image.clone()
    } else {
        resize(resizer, image, area, out_w, out_h, FILTER)?
    };
    out.apply_orientation(orientation);
    Ok(out)
}

/// A thumbnail no longer than `max_side` on its longest side (never enlarged), turned
/// upright: JPEG, or PNG when the picture uses transparency. GIFs give their first frame.
pub fn thumbnail(bytes: &[u8], max_side: u32, limits: &Limits) -> Result<Vec<u8>, ImagingError> {
    if max_side == 0 || max_side > MAX_OUTPUT_SIDE {
        return Err(ImagingError::BadRequest(format!(
            "a thumbnail must be 1 to {MAX_OUTPUT_SIDE} pixels on its longest side"
        )));
    }
    let source = Source::load(bytes, limits)?;
    let (w, h) = source.shown();
    let longest = w.max(h);
    let size = if longest <= max_side {
        (w, h)
    } else {
        let scale = f64::from(max_side) / f64::from(longest);
        let side = |v: u32| ((f64::from(v) * scale).round() as u32).clamp(1, max_side);
        (side(w), side(h))
    };
    let full = (source.image.width(), source.image.height());
    let out = render(
        &mut Resizer::new(),
        &source.image,
        (1.0, 1.0),
        full,
        source.orientation,
        Rect::full(w, h),
        size,
    )?;
    encode_flexible(out, THUMBNAIL_QUALITY, source.icc.as_deref())
}

/// `rect` of the picture as shown (after EXIF orientation), resized to exactly `width` ×
/// `height`: JPEG quality 88, or PNG when the picture uses transparency.
pub fn render_crop(
    bytes: &[u8],
    rect: Rect,
    width: u32,
    height: u32,
    limits: &Limits,
) -> Result<Vec<u8>, ImagingError> {
    check_output_size(width, height, limits)?;
    let source = Source::load(bytes, limits)?;
    let (w, h) = source.shown();
    if rect.width == 0 || rect.height == 0 || !rect.fits_in(w, h) {
        return Err(ImagingError::BadRequest(format!(
            "the crop {}×{} at ({}, {}) is not inside the {w}×{h} picture",
            rect.width, rect.height, rect.x, rect.y
        )));
    }
    let full = (source.image.width(), source.image.height());
    let out = render(
        &mut Resizer::new(),
        &source.image,
        (1.0, 1.0),
        full,
        source.orientation,
        rect,
        (width, height),
    )?;
    encode_flexible(out, CROP_QUALITY, source.icc.as_deref())
}

fn check_output_size(width: u32, height: u32, limits: &Limits) -> Result<(), ImagingError> {
    let too_big = u64::from(width) * u64::from(height) > limits.max_pixels;
    if width == 0 || height == 0 || width > MAX_OUTPUT_SIDE || height > MAX_OUTPUT_SIDE || too_big {
        return Err(ImagingError::BadRequest(format!(
            "an output must be 1 to {MAX_OUTPUT_SIDE} pixels a side, not {width}×{height}"
        )));
    }
    Ok(())
}

/// One encoded output, or why it could not be made.
type Output = Result<Vec<u8>, ImagingError>;

/// Every profile image of `specs` from one picture, each cropped around the focal point
/// (`avatar_focal` for avatars when given) to the spec's aspect ratio and resized to its exact
/// size: avatars PNG, banners JPEG quality 88. The picture is decoded once; the outputs are
/// made on up to two threads. Results come in the order of `specs`.
pub fn profile_set(
    bytes: &[u8],
    focal: FocalPoint,
    avatar_focal: Option<FocalPoint>,
    specs: &[ProfileSpec],
    limits: &Limits,
) -> Result<Vec<(ProfileSpec, Vec<u8>)>, ImagingError> {
    for spec in specs {
        check_output_size(spec.width, spec.height, limits)?;
    }
    let source = Source::load(bytes, limits)?;
    let (w, h) = source.shown();
    let rects: Vec<Rect> = specs
        .iter()
        .map(|spec| {
            let at = match spec.slot {
                Slot::Avatar => avatar_focal.unwrap_or(focal),
                Slot::Banner => focal,
            };
            crop::around_focal(w, h, at, spec.aspect())
        })
        .collect();

    // How much smaller than its crop each output is, in whole steps.
    let factors: Vec<u32> = rects
        .iter()
        .zip(specs)
        .map(|(r, s)| (r.width / s.width).min(r.height / s.height).max(1))
        .collect();
    let full = (source.image.width(), source.image.height());
    let Source {
        image,
        orientation,
        icc,
    } = source;
    // The working copy: reduced by the largest whole factor that leaves every crop at least
    // as big as its output, and the full-size pixels freed; then halves of it while some
    // output is that much smaller, so that each output is resized from the smallest copy
    // still big enough (a 320 px avatar does not read 9 million pixels).
    let base = factors.iter().copied().min().unwrap_or(1);
    let mut levels: Vec<(u32, DynamicImage)> = Vec::new();
    if base >= 2 {
        let reduced = reduce(&image, base)?;
        drop(image);
        levels.push((base, reduced));
    } else {
        levels.push((1, image));
    }
    let deepest = factors.iter().copied().max().unwrap_or(1);
    while let Some((factor, last)) = levels.last()
        && factor * 2 <= deepest
        && last.width() >= 2
        && last.height() >= 2
        && levels.len() < 6
    {
        let (factor, half) = (factor * 2, reduce(last, 2)?);
        levels.push((factor, half));
    }
    let level_for = |wanted: u32| -> &(u32, DynamicImage) {
        levels
            .iter()
            .rev()
            .find(|(factor, _)| *factor <= wanted)
            .unwrap_or(&levels[0])
    };

    let one = |resizer: &mut Resizer, index: usize| -> Output {
        let spec = &specs[index];
        let (factor, image) = level_for(factors[index]);
        let scale = 1.0 / f64::from(*factor);
        let out = render(
            resizer,
            image,
            (scale, scale),
            full,
            orientation,
            rects[index],
            (spec.width, spec.height),
        )?;
        match spec.slot {
            Slot::Avatar => encode_png(out, icc.as_deref(), png::CompressionType::Fast),
            Slot::Banner => encode_jpeg(out, CROP_QUALITY, icc.as_deref()),
        }
    };

    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(2);
    let mut results: Vec<Option<Output>> = vec![None; specs.len()];
    if threads < 2 || specs.len() < 2 {
        let mut resizer = Resizer::new();
        for (index, slot) in results.iter_mut().enumerate() {
            *slot = Some(one(&mut resizer, index));
        }
    } else {
        // Largest outputs first, each to the thread with less work so far.
        let mut order: Vec<usize> = (0..specs.len()).collect();
        order.sort_by_key(|&i| {
            std::cmp::Reverse(u64::from(specs[i].width) * u64::from(specs[i].height))
        });
        let mut groups: [Vec<usize>; 2] = [Vec::new(), Vec::new()];
        let mut load = [0u64; 2];
        for i in order {
            let lighter = usize::from(load[1] < load[0]);
            load[lighter] += u64::from(specs[i].width) * u64::from(specs[i].height);
            groups[lighter].push(i);
        }
        let one = &one;
        let done: Vec<Vec<(usize, Output)>> = std::thread::scope(|scope| {
            let handles: Vec<_> = groups
                .into_iter()
                .map(|group| {
                    scope.spawn(move || {
                        let mut resizer = Resizer::new();
                        group
                            .into_iter()
                            .map(|i| (i, one(&mut resizer, i)))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                })
                .collect()
        });
        for (index, result) in done.into_iter().flatten() {
            results[index] = Some(result);
        }
    }
    specs
        .iter()
        .zip(results)
        .map(|(spec, result)| {
            let bytes = result.unwrap_or_else(|| {
                Err(ImagingError::Unsupported("an output was not made".into()))
            })?;
            Ok((spec.clone(), bytes))
        })
        .collect()
}

/// Re-encodes a turned picture in its own format: JPEG quality 90, PNG, lossless WebP.
pub(super) fn encode_same_format(
    image: DynamicImage,
    format: MediaFormat,
    icc: Option<Vec<u8>>,
) -> Result<Vec<u8>, ImagingError> {
    match format {
        MediaFormat::Jpeg => encode_jpeg(image, NORMALIZE_QUALITY, icc.as_deref()),
        MediaFormat::Png => encode_png(image, icc.as_deref(), png::CompressionType::Default),
        MediaFormat::Webp => {
            let image = eight_bit(image);
            let mut out = Vec::new();
            let mut encoder = WebPEncoder::new_lossless(&mut out);
            attach_icc(&mut encoder, icc.as_deref(), image.color());
            encoder
                .write_image(
                    image.as_bytes(),
                    image.width(),
                    image.height(),
                    image.color().into(),
                )
                .map_err(image_error)?;
            Ok(out)
        }
        MediaFormat::Gif | MediaFormat::Mp4 | MediaFormat::Mov => Err(ImagingError::Unsupported(
            format!("re-encoding {}", format.as_str()),
        )),
    }
}

/// JPEG, or PNG when the picture really uses transparency (not merely has an alpha channel).
fn encode_flexible(
    image: DynamicImage,
    quality: u8,
    icc: Option<&[u8]>,
) -> Result<Vec<u8>, ImagingError> {
    let image = eight_bit(image);
    if uses_transparency(&image) {
        encode_png(image, icc, png::CompressionType::Fast)
    } else {
        encode_jpeg(image, quality, icc)
    }
}

fn uses_transparency(image: &DynamicImage) -> bool {
    match image {
        DynamicImage::ImageRgba8(i) => i.pixels().any(|p| p.0[3] < 255),
        DynamicImage::ImageLumaA8(i) => i.pixels().any(|p| p.0[1] < 255),
        other => other.color().has_alpha(),
    }
}

/// 16-bit pictures as 8-bit, which is what JPEG and WebP take and the networks want.
fn eight_bit(image: DynamicImage) -> DynamicImage {
    match image {
        DynamicImage::ImageLuma8(_)
        | DynamicImage::ImageLumaA8(_)
        | DynamicImage::ImageRgb8(_)
        | DynamicImage::ImageRgba8(_) => image,
        DynamicImage::ImageLuma16(_) => DynamicImage::ImageLuma8(image.to_luma8()),
        DynamicImage::ImageLumaA16(_) => DynamicImage::ImageLumaA8(image.to_luma_alpha8()),
        other if other.color().has_alpha() => DynamicImage::ImageRgba8(other.to_rgba8()),
        other => DynamicImage::ImageRgb8(other.to_rgb8()),
    }
}

/// Transparent pixels over white, for JPEG.
fn opaque(image: DynamicImage) -> DynamicImage {
    let over_white = |c: u8, a: u8| -> u8 {
        let (c, a) = (u32::from(c), u32::from(a));
        ((c * a + 255 * (255 - a) + 127) / 255) as u8
    };
    match image {
        DynamicImage::ImageRgba8(i) => {
            let (w, h) = i.dimensions();
            DynamicImage::ImageRgb8(image::RgbImage::from_fn(w, h, |x, y| {
                let [r, g, b, a] = i.get_pixel(x, y).0;
                image::Rgb([over_white(r, a), over_white(g, a), over_white(b, a)])
            }))
        }
        DynamicImage::ImageLumaA8(i) => {
            let (w, h) = i.dimensions();
            DynamicImage::ImageLuma8(image::GrayImage::from_fn(w, h, |x, y| {
                let [l, a] = i.get_pixel(x, y).0;
                image::Luma([over_white(l, a)])
            }))
        }
        other => other,
    }
}

/// JPEG with `jpeg-encoder` (AVX2 when the CPU has it), much faster than the `image` crate's
/// encoder, which made JPEG encoding most of `profile_set`'s time (`benches/images.rs`).
fn encode_jpeg(
    image: DynamicImage,
    quality: u8,
    icc: Option<&[u8]>,
) -> Result<Vec<u8>, ImagingError> {
    let image = opaque(eight_bit(image));
    let (width, height) = match (u16::try_from(image.width()), u16::try_from(image.height())) {
        (Ok(w), Ok(h)) => (w, h),
        _ => {
            return Err(ImagingError::Unsupported(
                "JPEG cannot be wider or taller than 65535 pixels".into(),
            ));
        }
    };
    let color = match image.color() {
        ColorType::L8 => jpeg_encoder::ColorType::Luma,
        ColorType::Rgb8 => jpeg_encoder::ColorType::Rgb,
        _ => {
            return encode_jpeg(DynamicImage::ImageRgb8(image.to_rgb8()), quality, icc);
        }
    };
    let mut out = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut out, quality);
    // Below quality 90 colour is kept at half resolution (4:2:0, what the networks send
    // anyway), averaged rather than sampled so that thin coloured lines do not vanish; at 90
    // and up (re-encoding a photo to keep), at full resolution.
    encoder.set_chroma_subsampling_method(jpeg_encoder::ChromaSubsamplingMethod::Average);
    if let Some(icc) = icc.filter(|icc| icc_fits(icc, image.color())) {
        // A profile too big for JPEG's segments: the picture goes without it.
        let _ = encoder.add_icc_profile(icc);
    }
    encoder
        .encode(image.as_bytes(), width, height, color)
        .map_err(|e| ImagingError::Unsupported(format!("JPEG encoding failed: {e}")))?;
    Ok(out)
}

fn encode_png(
    image: DynamicImage,
    icc: Option<&[u8]>,
    compression: png::CompressionType,
) -> Result<Vec<u8>, ImagingError> {
    let mut out = Vec::new();
    let mut encoder =
        PngEncoder::new_with_quality(&mut out, compression, png::FilterType::Adaptive);
    attach_icc(&mut encoder, icc, image.color());
    encoder
        .write_image(
            image.as_bytes(),
            image.width(),
            image.height(),
            image.color().into(),
        )
        .map_err(image_error)?;
    Ok(out)
}

/// Whether an ICC profile describes the output's colour model (an RGB profile for an RGB
/// picture; a CMYK JPEG's profile would make its RGB copy look wrong).
fn icc_fits(icc: &[u8], color: ColorType) -> bool {
    let wanted: &[u8; 4] = if color.has_color() { b"RGB " } else { b"GRAY" };
    icc.get(16..20) == Some(&wanted[..])
}

/// The source's ICC profile, when it fits the output.
fn attach_icc(encoder: &mut impl ImageEncoder, icc: Option<&[u8]>, color: ColorType) {
    if let Some(icc) = icc.filter(|icc| icc_fits(icc, color)) {
        // An encoder that cannot carry a profile writes the picture without one.
        let _ = encoder.set_icc_profile(icc.to_vec());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_areas_invert_every_orientation() {
        // A 40×30 picture as stored; pick the pixel at (x, y) as stored, find where the
        // orientation puts it, and map a 1×1 rect there back.
        let (w, h) = (40u32, 30u32);
        let all = [
            Orientation::NoTransforms,
            Orientation::Rotate90,
            Orientation::Rotate180,
            Orientation::Rotate270,
            Orientation::FlipHorizontal,
            Orientation::FlipVertical,
            Orientation::Rotate90FlipH,
            Orientation::Rotate270FlipH,
        ];
        for orientation in all {
            let mut stored = image::GrayImage::new(w, h);
            stored.put_pixel(7, 3, image::Luma([255]));
            let mut shown = DynamicImage::ImageLuma8(stored);
            shown.apply_orientation(orientation);
            let shown = shown.to_luma8();
            let (sx, sy, _) = shown
                .enumerate_pixels()
                .find(|(_, _, p)| p.0[0] == 255)
                .unwrap();
            let area = stored_area(
                Rect {
                    x: sx,
                    y: sy,
                    width: 1,
                    height: 1,
                },
                orientation,
                w,
                h,
            );
            assert_eq!(area, (7.0, 3.0, 1.0, 1.0), "{orientation:?}");
        }
    }
}
