//! The imaging layer on real bytes: formats from magic numbers, orientation, metadata
//! stripping, decompression bombs, profile image sets, video probing, and no panic on bad
//! input. Pictures are made here with the `image` crate; the two video fixtures (2 s of
//! ffmpeg's test pattern, 320×240, with a 440 Hz tone) are in `tests/fixtures/media`.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use herald::domain::media::crop::Rect;
use herald::domain::media::profile::{self, Slot};
use herald::domain::media::{FocalPoint, MediaFormat};
use herald::imaging::{self, ImagingError, Limits, video};
use image::{DynamicImage, ImageEncoder, ImageFormat, Rgb, RgbImage, Rgba, RgbaImage};
use img_parts::jpeg::{Jpeg, JpegSegment, markers};
use img_parts::png::{Png, PngChunk};
use img_parts::webp::WebP;
use img_parts::{Bytes, ImageEXIF};
use proptest::prelude::*;

// ---------------------------------------------------------------------------------------
// Making pictures

/// A gradient with a little noise, so that it does not compress to nothing.
fn photo(width: u32, height: u32) -> RgbImage {
    let mut seed = 0x2545_F491u32;
    RgbImage::from_fn(width, height, |x, y| {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        let noise = (seed % 16) as u8;
        Rgb([
            ((x * 255 / width.max(1)) as u8).saturating_add(noise),
            ((y * 255 / height.max(1)) as u8).saturating_add(noise),
            128u8.saturating_add(noise),
        ])
    })
}

fn jpeg_of(image: &RgbImage) -> Vec<u8> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
        .write_image(
            image.as_raw(),
            image.width(),
            image.height(),
            image::ExtendedColorType::Rgb8,
        )
        .unwrap();
    out
}

fn encode(image: &DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    image.write_to(&mut out, format).unwrap();
    out.into_inner()
}

/// A TIFF (EXIF) block, big-endian: orientation, and a GPS position of 48°51'29" N.
fn exif_with_gps(orientation: u16) -> Vec<u8> {
    let mut t = Vec::new();
    t.extend_from_slice(b"MM\0*");
    t.extend_from_slice(&8u32.to_be_bytes());
    // IFD0 at 8: 2 entries, ends at 8 + 2 + 24 + 4 = 38.
    t.extend_from_slice(&2u16.to_be_bytes());
    t.extend_from_slice(&[0x01, 0x12, 0, 3, 0, 0, 0, 1]);
    t.extend_from_slice(&orientation.to_be_bytes());
    t.extend_from_slice(&[0, 0]);
    t.extend_from_slice(&[0x88, 0x25, 0, 4, 0, 0, 0, 1]);
    t.extend_from_slice(&38u32.to_be_bytes());
    t.extend_from_slice(&0u32.to_be_bytes());
    // GPS IFD at 38: latitude reference and latitude, ends at 68.
    t.extend_from_slice(&2u16.to_be_bytes());
    t.extend_from_slice(&[0, 1, 0, 2, 0, 0, 0, 2, b'N', 0, 0, 0]);
    t.extend_from_slice(&[0, 2, 0, 5, 0, 0, 0, 3]);
    t.extend_from_slice(&68u32.to_be_bytes());
    t.extend_from_slice(&0u32.to_be_bytes());
    for (num, den) in [(48u32, 1u32), (51, 1), (2900, 100)] {
        t.extend_from_slice(&num.to_be_bytes());
        t.extend_from_slice(&den.to_be_bytes());
    }
    t
}

/// A JPEG with EXIF (orientation and GPS), XMP and a comment.
fn jpeg_with_metadata(image: &RgbImage, orientation: u16) -> Vec<u8> {
    let mut jpeg = Jpeg::from_bytes(Bytes::from(jpeg_of(image))).unwrap();
    jpeg.set_exif(Some(Bytes::from(exif_with_gps(orientation))));
    let xmp = b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>Camera serial 123</x:xmpmeta>";
    jpeg.segments_mut().insert(
        1,
        JpegSegment::new_with_contents(markers::APP1, Bytes::from_static(xmp)),
    );
    jpeg.segments_mut().insert(
        1,
        JpegSegment::new_with_contents(markers::COM, Bytes::from_static(b"secret comment")),
    );
    jpeg.encoder().bytes().to_vec()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn decode(bytes: &[u8]) -> DynamicImage {
    image::load_from_memory(bytes).unwrap()
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut c = Vec::new();
    c.extend_from_slice(&(data.len() as u32).to_be_bytes());
    c.extend_from_slice(kind);
    c.extend_from_slice(data);
    let mut crc_input = kind.to_vec();
    crc_input.extend_from_slice(data);
    c.extend_from_slice(&crc32(&crc_input).to_be_bytes());
    c
}

/// A PNG whose header claims 100000×100000 RGBA pixels (40 GB decoded), with a few bytes of
/// image data.
fn png_bomb() -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&100_000u32.to_be_bytes());
    ihdr.extend_from_slice(&100_000u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 6, 0, 0, 0]);
    png.extend(png_chunk(b"IHDR", &ihdr));
    png.extend(png_chunk(
        b"IDAT",
        &[0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    ));
    png.extend(png_chunk(b"IEND", &[]));
    png
}

/// A GIF of `frames` 1×1 frames, by hand (the `image` encoder would be slow for many).
fn gif_with_frames(frames: u32) -> Vec<u8> {
    let mut g = b"GIF89a".to_vec();
    g.extend_from_slice(&[1, 0, 1, 0, 0x80, 0, 0]);
    g.extend_from_slice(&[0, 0, 0, 255, 255, 255]);
    for _ in 0..frames {
        g.extend_from_slice(&[0x21, 0xF9, 4, 0, 10, 0, 0, 0]);
        g.extend_from_slice(&[0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0]);
        g.extend_from_slice(&[2, 2, 0x44, 0x01, 0]);
    }
    g.push(0x3B);
    g
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/media")
        .join(name)
}

// ---------------------------------------------------------------------------------------
// Inspect

#[test]
fn inspect_reads_the_format_from_the_bytes() {
    let limits = Limits::default();
    let image = DynamicImage::ImageRgb8(photo(64, 48));
    for (format, want) in [
        (ImageFormat::Jpeg, MediaFormat::Jpeg),
        (ImageFormat::Png, MediaFormat::Png),
        (ImageFormat::WebP, MediaFormat::Webp),
        (ImageFormat::Gif, MediaFormat::Gif),
    ] {
        let bytes = encode(&image, format);
        let info = imaging::inspect(&bytes, &limits).unwrap();
        assert_eq!(info.format, want);
        assert_eq!((info.width, info.height), (64, 48));
        assert_eq!(
            info.frames,
            (want == MediaFormat::Gif).then_some(1),
            "{want:?}"
        );
    }
}

#[test]
fn inspect_swaps_the_sides_of_a_turned_photo() {
    let bytes = jpeg_with_metadata(&photo(64, 32), 6);
    let info = imaging::inspect(&bytes, &Limits::default()).unwrap();
    assert_eq!((info.width, info.height), (32, 64));
}

#[test]
fn inspect_counts_gif_frames_and_refuses_too_many() {
    let limits = Limits::default();
    let info = imaging::inspect(&gif_with_frames(3), &limits).unwrap();
    assert_eq!(info.frames, Some(3));
    assert_eq!((info.width, info.height), (1, 1));
    assert_eq!(
        imaging::inspect(&gif_with_frames(imaging::MAX_GIF_FRAMES + 1), &limits),
        Err(ImagingError::TooManyFrames {
            limit: imaging::MAX_GIF_FRAMES
        })
    );
    // The hand-made GIF really decodes.
    let normalized = imaging::normalize(&gif_with_frames(3), &limits).unwrap();
    assert_eq!(normalized.frames, Some(3));
    assert_eq!(normalized.bytes, gif_with_frames(3));
}

#[test]
fn other_files_are_not_images() {
    let limits = Limits::default();
    let heic = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic".to_vec();
    let mp4 = std::fs::read(fixture("clip.mp4")).unwrap();
    for bytes in [
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj".to_vec(),
        b"Hello, this is plain text pretending to be a picture.".to_vec(),
        b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>".to_vec(),
        heic,
        mp4,
        Vec::new(),
    ] {
        assert_eq!(
            imaging::inspect(&bytes, &limits),
            Err(ImagingError::NotAnImage)
        );
        assert_eq!(
            imaging::normalize(&bytes, &limits),
            Err(ImagingError::NotAnImage)
        );
        assert_eq!(
            imaging::thumbnail(&bytes, 100, &limits),
            Err(ImagingError::NotAnImage)
        );
    }
    assert_eq!(
        ImagingError::NotAnImage.to_string(),
        "this file is not a picture Herald can read: send a JPEG, PNG, WebP or GIF"
    );
}

// ---------------------------------------------------------------------------------------
// Limits

#[test]
fn a_decompression_bomb_is_refused_from_its_header() {
    let limits = Limits::default();
    let bomb = png_bomb();
    let refused = ImagingError::TooManyPixels {
        width: 100_000,
        height: 100_000,
        limit: 60_000_000,
    };
    let started = std::time::Instant::now();
    assert_eq!(imaging::inspect(&bomb, &limits), Err(refused.clone()));
    assert_eq!(imaging::normalize(&bomb, &limits), Err(refused.clone()));
    assert_eq!(
        imaging::thumbnail(&bomb, 200, &limits),
        Err(refused.clone())
    );
    let specs = profile::specs();
    assert!(matches!(
        imaging::profile_set(&bomb, FocalPoint::default(), None, &specs, &limits),
        Err(ImagingError::TooManyPixels { .. })
    ));
    // Nothing was decoded (40 GB would not have fitted anyway).
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
}

#[test]
fn limits_refuse_big_files_and_big_pictures() {
    let bytes = jpeg_of(&photo(400, 300));
    let tight = Limits {
        max_pixels: 100_000,
        max_bytes: 1_000_000,
    };
    assert_eq!(
        imaging::inspect(&bytes, &tight),
        Err(ImagingError::TooManyPixels {
            width: 400,
            height: 300,
            limit: 100_000
        })
    );
    let tiny = Limits {
        max_pixels: 60_000_000,
        max_bytes: 100,
    };
    assert!(matches!(
        imaging::normalize(&bytes, &tiny),
        Err(ImagingError::TooLarge { limit: 100, .. })
    ));
    // A 50-megapixel camera photo passes the default limits (headers only here).
    let mut header = Vec::new();
    header.extend_from_slice(&8660u32.to_be_bytes());
    header.extend_from_slice(&5773u32.to_be_bytes());
    header.extend_from_slice(&[8, 2, 0, 0, 0]);
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(png_chunk(b"IHDR", &header));
    png.extend(png_chunk(
        b"IDAT",
        &[0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    ));
    png.extend(png_chunk(b"IEND", &[]));
    let info = imaging::inspect(&png, &Limits::default()).unwrap();
    assert_eq!((info.width, info.height), (8660, 5773));
}

// ---------------------------------------------------------------------------------------
// Normalize

#[test]
fn normalize_turns_the_photo_and_drops_exif_gps_xmp_and_comments() {
    // Stored 64×32 with a red block at the top left; orientation 6 means "turn 90° clockwise
    // to show", so it shows 32×64 with the block at the top right.
    let mut stored = photo(64, 32);
    for y in 0..8 {
        for x in 0..8 {
            stored.put_pixel(x, y, Rgb([255, 0, 0]));
        }
    }
    let original = jpeg_with_metadata(&stored, 6);
    assert!(contains(&original, b"Exif\0\0") && contains(&original, b"Camera serial"));

    let out = imaging::normalize(&original, &Limits::default()).unwrap();
    assert_eq!(out.format, MediaFormat::Jpeg);
    assert_eq!((out.width, out.height), (32, 64));
    assert_eq!(out.frames, None);
    let jpeg = Jpeg::from_bytes(Bytes::from(out.bytes.clone())).unwrap();
    assert_eq!(jpeg.exif(), None);
    for gone in [
        &b"Exif\0\0"[..],
        b"MM\0*",
        b"Camera serial",
        b"secret comment",
    ] {
        assert!(
            !contains(&out.bytes, gone),
            "{:?} left",
            String::from_utf8_lossy(gone)
        );
    }
    let shown = decode(&out.bytes).to_rgb8();
    assert_eq!(shown.dimensions(), (32, 64));
    let corner = shown.get_pixel(28, 3);
    assert!(corner[0] > 200 && corner[1] < 60, "{corner:?}");
    // And it says upright now.
    let again = imaging::inspect(&out.bytes, &Limits::default()).unwrap();
    assert_eq!((again.width, again.height), (32, 64));
}

#[test]
fn normalize_strips_an_upright_jpeg_without_re_encoding_it() {
    let original = jpeg_with_metadata(&photo(64, 48), 1);
    let out = imaging::normalize(&original, &Limits::default()).unwrap();
    assert_eq!((out.width, out.height), (64, 48));
    assert!(out.bytes.len() < original.len());
    assert!(!contains(&out.bytes, b"Exif\0\0") && !contains(&out.bytes, b"MM\0*"));
    assert!(!contains(&out.bytes, b"xmpmeta") && !contains(&out.bytes, b"secret"));
    // The compressed pixels are the very same: the scan data is a suffix of both files.
    let plain = jpeg_of(&photo(64, 48));
    let scan_start = plain.windows(2).position(|w| w == [0xFF, 0xDA]).unwrap();
    assert!(out.bytes.ends_with(&plain[scan_start..]));
    assert_eq!(decode(&out.bytes).to_rgb8(), decode(&original).to_rgb8());
}

#[test]
fn normalize_keeps_the_colour_profile() {
    // A made-up RGB profile: only its header is looked at.
    let mut icc = vec![0u8; 128];
    icc[16..20].copy_from_slice(b"RGB ");
    let mut jpeg = Jpeg::from_bytes(Bytes::from(jpeg_with_metadata(&photo(40, 20), 1))).unwrap();
    img_parts::ImageICC::set_icc_profile(&mut jpeg, Some(Bytes::from(icc.clone())));
    let original = jpeg.encoder().bytes().to_vec();
    let out = imaging::normalize(&original, &Limits::default()).unwrap();
    let kept = Jpeg::from_bytes(Bytes::from(out.bytes)).unwrap();
    assert_eq!(
        img_parts::ImageICC::icc_profile(&kept).map(|b| b.to_vec()),
        Some(icc)
    );
}

#[test]
fn normalize_strips_png_and_webp_metadata() {
    let limits = Limits::default();
    let image = DynamicImage::ImageRgba8(RgbaImage::from_fn(30, 20, |x, y| {
        Rgba([x as u8 * 8, y as u8 * 12, 90, 200])
    }));

    let mut png = Png::from_bytes(Bytes::from(encode(&image, ImageFormat::Png))).unwrap();
    png.set_exif(Some(Bytes::from(exif_with_gps(1))));
    let end = png.chunks().len() - 1;
    png.chunks_mut().insert(
        end,
        PngChunk::new(*b"tEXt", Bytes::from_static(b"Comment\0secret comment")),
    );
    png.chunks_mut()
        .insert(end, PngChunk::new(*b"prVt", Bytes::from_static(b"private")));
    let original = png.encoder().bytes().to_vec();
    let out = imaging::normalize(&original, &limits).unwrap();
    assert_eq!(
        (out.format, out.width, out.height),
        (MediaFormat::Png, 30, 20)
    );
    let kinds: Vec<[u8; 4]> = Png::from_bytes(Bytes::from(out.bytes.clone()))
        .unwrap()
        .chunks()
        .iter()
        .map(|c| c.kind())
        .collect();
    assert!(
        kinds
            .iter()
            .all(|k| [*b"IHDR", *b"IDAT", *b"IEND"].contains(k)),
        "{kinds:?}"
    );
    assert_eq!(decode(&out.bytes), decode(&original));

    let mut webp = WebP::from_bytes(Bytes::from(encode(&image, ImageFormat::WebP))).unwrap();
    webp.set_exif(Some(Bytes::from(exif_with_gps(1))));
    let original = webp.encoder().bytes().to_vec();
    assert!(contains(&original, b"EXIF"));
    let out = imaging::normalize(&original, &limits).unwrap();
    assert_eq!(
        (out.format, out.width, out.height),
        (MediaFormat::Webp, 30, 20)
    );
    assert!(!contains(&out.bytes, b"EXIF") && !contains(&out.bytes, b"MM\0*"));
    assert_eq!(decode(&out.bytes), decode(&original));
}

#[test]
fn normalize_refuses_a_damaged_picture() {
    let bytes = jpeg_of(&photo(64, 48));
    // Headers whole, pixels cut off after the first few bytes of scan data.
    let scan = bytes.windows(2).position(|w| w == [0xFF, 0xDA]).unwrap();
    let cut = &bytes[..scan + 20];
    let png = encode(&DynamicImage::ImageRgb8(photo(64, 48)), ImageFormat::Png);
    let png_cut = &png[..png.len() / 2];
    for damaged in [cut, png_cut] {
        match imaging::normalize(damaged, &Limits::default()) {
            Err(ImagingError::Corrupt(why)) => assert!(!why.is_empty()),
            // zune-jpeg fills in a cut-off JPEG like browsers do: then it is at least whole.
            Ok(n) => assert_eq!((n.width, n.height), (64, 48)),
            Err(other) => panic!("{other:?}"),
        }
    }
    assert!(matches!(
        imaging::normalize(png_cut, &Limits::default()),
        Err(ImagingError::Corrupt(_))
    ));
}

// ---------------------------------------------------------------------------------------
// Thumbnails and crops

#[test]
fn thumbnails_fit_the_longest_side_and_keep_transparency() {
    let limits = Limits::default();
    let bytes = jpeg_with_metadata(&photo(400, 200), 6);
    let thumb = imaging::thumbnail(&bytes, 100, &limits).unwrap();
    assert_eq!(imaging::sniff(&thumb), Some(MediaFormat::Jpeg));
    let t = decode(&thumb);
    assert_eq!((t.width(), t.height()), (50, 100));

    // Small pictures are not enlarged.
    let t = decode(&imaging::thumbnail(&jpeg_of(&photo(40, 30)), 100, &limits).unwrap());
    assert_eq!((t.width(), t.height()), (40, 30));

    let transparent = DynamicImage::ImageRgba8(RgbaImage::from_fn(300, 300, |x, _| {
        Rgba([200, 10, 10, if x < 150 { 0 } else { 255 }])
    }));
    let thumb = imaging::thumbnail(&encode(&transparent, ImageFormat::Png), 64, &limits).unwrap();
    assert_eq!(imaging::sniff(&thumb), Some(MediaFormat::Png));
    assert!(decode(&thumb).color().has_alpha());

    // An alpha channel nobody uses gives a JPEG.
    let opaque = DynamicImage::ImageRgba8(RgbaImage::from_pixel(300, 300, Rgba([1, 2, 3, 255])));
    let thumb = imaging::thumbnail(&encode(&opaque, ImageFormat::Png), 64, &limits).unwrap();
    assert_eq!(imaging::sniff(&thumb), Some(MediaFormat::Jpeg));

    assert!(matches!(
        imaging::thumbnail(&bytes, 0, &limits),
        Err(ImagingError::BadRequest(_))
    ));
}

#[test]
fn render_crop_cuts_the_picture_as_shown() {
    let limits = Limits::default();
    // Left half black, right half white; shown as stored.
    let split = RgbImage::from_fn(200, 100, |x, _| {
        if x < 100 {
            Rgb([0, 0, 0])
        } else {
            Rgb([255, 255, 255])
        }
    });
    let bytes = jpeg_of(&split);
    let rect = Rect {
        x: 110,
        y: 0,
        width: 80,
        height: 100,
    };
    let out = decode(&imaging::render_crop(&bytes, rect, 40, 50, &limits).unwrap()).to_rgb8();
    assert_eq!(out.dimensions(), (40, 50));
    assert!(out.pixels().all(|p| p[0] > 230), "white only");

    // The same file turned a quarter (orientation 6): the white half is now the bottom.
    let mut jpeg = Jpeg::from_bytes(Bytes::from(bytes)).unwrap();
    jpeg.set_exif(Some(Bytes::from(exif_with_gps(6))));
    let turned = jpeg.encoder().bytes().to_vec();
    let bottom = Rect {
        x: 0,
        y: 110,
        width: 100,
        height: 80,
    };
    let out = decode(&imaging::render_crop(&turned, bottom, 50, 40, &limits).unwrap()).to_rgb8();
    assert_eq!(out.dimensions(), (50, 40));
    assert!(out.pixels().all(|p| p[0] > 230), "white only");

    let outside = Rect {
        x: 150,
        y: 0,
        width: 100,
        height: 10,
    };
    assert!(matches!(
        imaging::render_crop(&turned, outside, 10, 10, &limits),
        Err(ImagingError::BadRequest(_))
    ));
}

#[test]
fn profile_set_makes_every_spec_at_its_exact_size() {
    let specs = profile::specs();
    let bytes = jpeg_with_metadata(&photo(1200, 900), 1);
    let set = imaging::profile_set(
        &bytes,
        FocalPoint::default(),
        None,
        &specs,
        &Limits::default(),
    )
    .unwrap();
    assert_eq!(set.len(), specs.len());
    for ((spec, out), want) in set.iter().zip(&specs) {
        assert_eq!(spec, want, "in the order asked");
        let format = imaging::sniff(out);
        match spec.slot {
            Slot::Avatar => assert_eq!(format, Some(MediaFormat::Png)),
            Slot::Banner => assert_eq!(format, Some(MediaFormat::Jpeg)),
        }
        assert!(!contains(out, b"Exif\0\0"));
        let image = decode(out);
        assert_eq!(
            (image.width(), image.height()),
            (spec.width, spec.height),
            "{}",
            profile::file_name(spec)
        );
    }
}

#[test]
fn profile_set_follows_the_focal_points_on_a_turned_photo() {
    // Stored 300×800, black top half and white bottom half, orientation 6: shown 800×300
    // with black on the right and white on the left.
    let stored = RgbImage::from_fn(300, 800, |_, y| {
        if y < 400 {
            Rgb([0, 0, 0])
        } else {
            Rgb([255, 255, 255])
        }
    });
    let bytes = jpeg_with_metadata(&stored, 6);
    let specs =
        vec![profile::spec(herald::domain::text::Network::Instagram, Slot::Avatar).unwrap()];
    let left = FocalPoint { x: 0.0, y: 0.5 };
    let right = FocalPoint { x: 1.0, y: 0.5 };
    let limits = Limits::default();

    let set = imaging::profile_set(&bytes, right, Some(left), &specs, &limits).unwrap();
    let avatar = decode(&set[0].1).to_rgb8();
    assert_eq!(avatar.dimensions(), (320, 320));
    assert!(
        avatar.pixels().all(|p| p[0] > 230),
        "avatar_focal wins: white"
    );

    let set = imaging::profile_set(&bytes, right, None, &specs, &limits).unwrap();
    let avatar = decode(&set[0].1).to_rgb8();
    assert!(
        avatar.pixels().all(|p| p[0] < 25),
        "the main focal point: black"
    );
}

#[test]
fn profile_set_from_reduced_copies_matches_a_direct_crop() {
    // Small outputs from a bigger picture: the set works from copies reduced 4 and 8 times.
    // Each output must line up with the same crop rendered straight from the full picture:
    // closer to it than to the crops 2 pixels off in any direction (blocks make any shift
    // show).
    let blocks = RgbImage::from_fn(1600, 1200, |x, y| {
        let on = (x / 37 + y / 53) % 2 == 1;
        Rgb([if on { 220 } else { 20 }, (x / 7) as u8, (y / 5) as u8])
    });
    let bytes = jpeg_with_metadata(&blocks, 8);
    let spec = |slot, width, height| profile::ProfileSpec {
        network: herald::domain::text::Network::X,
        slot,
        width,
        height,
        shape: profile::Shape::Square,
        safe_zones: Vec::new(),
        note: "",
    };
    let specs = vec![spec(Slot::Banner, 300, 100), spec(Slot::Avatar, 100, 100)];
    let focal = FocalPoint { x: 0.3, y: 0.6 };
    let limits = Limits::default();
    let set = imaging::profile_set(&bytes, focal, None, &specs, &limits).unwrap();
    let info = imaging::inspect(&bytes, &limits).unwrap();
    assert_eq!(
        (info.width, info.height),
        (1200, 1600),
        "orientation 8 turns it"
    );
    // Brightness only: JPEG keeps colour at half resolution, PNG at full.
    let mean_difference = |a: &image::GrayImage, rect: Rect, spec: &profile::ProfileSpec| {
        let direct = imaging::render_crop(&bytes, rect, spec.width, spec.height, &limits).unwrap();
        let b = decode(&direct).to_luma8();
        let sum: u64 = a
            .as_raw()
            .iter()
            .zip(b.as_raw())
            .map(|(x, y)| u64::from(x.abs_diff(*y)))
            .sum();
        sum as f64 / a.as_raw().len() as f64
    };
    for (spec, out) in &set {
        let out = decode(out).to_luma8();
        assert_eq!(out.dimensions(), (spec.width, spec.height));
        let rect = herald::domain::media::crop::around_focal(
            info.width,
            info.height,
            focal,
            spec.aspect(),
        );
        let same = mean_difference(&out, rect, spec);
        assert!(same < 8.0, "{}x{}: {same}", spec.width, spec.height);
        let shifts = [
            (rect.x >= 2).then(|| Rect {
                x: rect.x - 2,
                ..rect
            }),
            (rect.x + rect.width + 2 <= info.width).then(|| Rect {
                x: rect.x + 2,
                ..rect
            }),
            (rect.y >= 2).then(|| Rect {
                y: rect.y - 2,
                ..rect
            }),
            (rect.y + rect.height + 2 <= info.height).then(|| Rect {
                y: rect.y + 2,
                ..rect
            }),
        ];
        for shifted in shifts.into_iter().flatten() {
            let off = mean_difference(&out, shifted, spec);
            assert!(
                same < off,
                "{}x{}: {same} vs {off} at {shifted:?}",
                spec.width,
                spec.height
            );
        }
    }
}

#[test]
fn profile_set_from_a_transparent_png_gives_opaque_banners() {
    let logo = DynamicImage::ImageRgba8(RgbaImage::from_fn(600, 400, |x, _| {
        Rgba([0, 0, 200, if x % 50 < 25 { 0 } else { 255 }])
    }));
    let specs = profile::specs();
    let set = imaging::profile_set(
        &encode(&logo, ImageFormat::Png),
        FocalPoint::default(),
        None,
        &specs,
        &Limits::default(),
    )
    .unwrap();
    for (spec, out) in &set {
        let image = decode(out);
        assert_eq!((image.width(), image.height()), (spec.width, spec.height));
        assert_eq!(image.color().has_alpha(), spec.slot == Slot::Avatar);
    }
}

// ---------------------------------------------------------------------------------------
// Video

#[test]
fn probe_reads_mp4_and_mov() {
    for (name, format) in [
        ("clip.mp4", MediaFormat::Mp4),
        ("clip.mov", MediaFormat::Mov),
    ] {
        let info = video::probe(&fixture(name)).unwrap();
        assert_eq!(info.format, format, "{name}");
        assert_eq!((info.width, info.height), (320, 240), "{name}");
        assert!(info.duration_ms.abs_diff(2000) <= 100, "{name}: {info:?}");
        assert!(info.has_audio, "{name}");
        assert_eq!(info.video_codec.as_deref(), Some("h264"), "{name}");
        let head = std::fs::read(fixture(name)).unwrap();
        assert_eq!(imaging::sniff(&head[..16]), Some(format));
    }
}

#[test]
fn probe_refuses_cut_and_foreign_files() {
    let dir = tempfile::tempdir().unwrap();
    let whole = std::fs::read(fixture("clip.mp4")).unwrap();

    let cut = dir.path().join("cut.mp4");
    std::fs::write(&cut, &whole[..whole.len() / 2]).unwrap();
    match video::probe(&cut) {
        Err(ImagingError::Corrupt(why)) => assert!(why.contains("cut short"), "{why}"),
        other => panic!("{other:?}"),
    }

    for (name, bytes) in [
        (
            "garbage.mp4",
            b"this is not a video at all, just words".to_vec(),
        ),
        ("photo.mp4", jpeg_of(&photo(16, 16))),
        ("empty.mp4", Vec::new()),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        assert_eq!(video::probe(&path), Err(ImagingError::NotAVideo), "{name}");
    }

    // An ftyp box and nothing useful after it.
    let path = dir.path().join("header-only.mp4");
    std::fs::write(&path, &whole[..32]).unwrap();
    assert!(matches!(video::probe(&path), Err(ImagingError::Corrupt(_))));

    assert!(matches!(
        video::probe(&dir.path().join("missing.mp4")),
        Err(ImagingError::Io(_))
    ));
}

// ---------------------------------------------------------------------------------------
// Bad bytes never panic

fn every_function_on(bytes: &[u8]) {
    let limits = Limits::default();
    let _ = imaging::sniff(bytes);
    let _ = imaging::inspect(bytes, &limits);
    let _ = imaging::normalize(bytes, &limits);
    let _ = imaging::thumbnail(bytes, 32, &limits);
    let rect = Rect {
        x: 0,
        y: 0,
        width: 1,
        height: 1,
    };
    let _ = imaging::render_crop(bytes, rect, 8, 8, &limits);
}

#[test]
fn truncated_pictures_never_panic() {
    let image = DynamicImage::ImageRgb8(photo(48, 32));
    let mut files = vec![
        jpeg_with_metadata(&photo(48, 32), 6),
        encode(&image, ImageFormat::Png),
        encode(&image, ImageFormat::WebP),
        encode(&image, ImageFormat::Gif),
        gif_with_frames(4),
    ];
    let mut webp = WebP::from_bytes(Bytes::from(files[2].clone())).unwrap();
    webp.set_exif(Some(Bytes::from(exif_with_gps(3))));
    files.push(webp.encoder().bytes().to_vec());
    for file in files {
        let step = (file.len() / 60).max(1);
        for cut in (0..file.len()).step_by(step) {
            every_function_on(&file[..cut]);
        }
        // And flipped bytes in the middle.
        let mut damaged = file.clone();
        for i in (file.len() / 3..file.len()).step_by(7) {
            damaged[i] ^= 0x5A;
        }
        every_function_on(&damaged);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn random_bytes_never_panic(
        magic in prop_oneof![
            Just(Vec::new()),
            Just(vec![0xFF, 0xD8, 0xFF]),
            Just(b"\x89PNG\r\n\x1a\n".to_vec()),
            Just(b"RIFF\0\0\0\0WEBP".to_vec()),
            Just(b"GIF89a".to_vec()),
        ],
        rest in proptest::collection::vec(any::<u8>(), 0..512),
    ) {
        let mut bytes = magic;
        bytes.extend(rest);
        every_function_on(&bytes);
    }
}
