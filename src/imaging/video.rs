//! What a video is: container, size, duration, sound, codec.
//!
//! Read with `mp4parse`, Mozilla's pure-Rust ISO-BMFF parser (the one Firefox ships, fuzzed
//! for years): MP4 and QuickTime MOV are both ISO-BMFF, so one parser covers the two formats
//! the networks take, with no program to install and no process to start per upload. Only the
//! top-level boxes are walked on disk (seeking past the media data) and only `ftyp` and
//! `moov` are read into memory, so a 500 MB video costs a few reads. The codec comes from the
//! video track's sample entry (`avc1`, `hvc1`, ...), read here because `mp4parse` does not
//! name HEVC or ProRes.
//!
//! When `mp4parse` cannot read a file that does start like one (an `ftyp` box), and `ffprobe`
//! is on the `PATH`, `ffprobe` gets a chance (10 seconds at most); without it, the file is
//! refused with `mp4parse`'s reason. Files that do not start with `ftyp` are not videos here.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::{ImagingError, sniff};
use crate::domain::media::MediaFormat;

/// The most memory the movie header may take (it lists every sample: an hour of 60 fps video
/// is about 5 MB).
const MAX_MOOV_BYTES: u64 = 64 * 1024 * 1024;
const FFPROBE_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VideoInfo {
    /// MOV when the `ftyp` major brand is QuickTime's `qt  `, MP4 otherwise.
    pub format: MediaFormat,
    /// As shown: swapped when the track is turned a quarter (phones filming upright).
    pub width: u32,
    pub height: u32,
    pub duration_ms: u64,
    pub has_audio: bool,
    /// `h264`, `hevc`, `av1`, `vp9`, `prores`..., or the sample entry's code as is.
    pub video_codec: Option<String>,
}

fn io(error: std::io::Error) -> ImagingError {
    ImagingError::Io(error.to_string())
}

fn corrupt(what: impl Into<String>) -> ImagingError {
    ImagingError::Corrupt(what.into())
}

/// Reads the video at `path`; see the module documentation for how.
pub fn probe(path: &Path) -> Result<VideoInfo, ImagingError> {
    let mut file = File::open(path).map_err(io)?;
    let len = file.metadata().map_err(io)?.len();
    let mut head = Vec::with_capacity(16);
    (&mut file).take(16).read_to_end(&mut head).map_err(io)?;
    let format = match sniff(&head) {
        Some(f @ (MediaFormat::Mp4 | MediaFormat::Mov)) => f,
        _ => return Err(ImagingError::NotAVideo),
    };
    match native(&mut file, len, format) {
        Ok(info) => Ok(info),
        // Not a video at all (no video track): ffprobe would say the same.
        Err(ImagingError::NotAVideo) => Err(ImagingError::NotAVideo),
        Err(error) => match ffprobe(path, format) {
            Some(Ok(info)) => Ok(info),
            Some(Err(_)) | None => Err(error),
        },
    }
}

/// The `ftyp` and `moov` boxes of the file, checking that the top-level boxes fill it.
fn top_level(file: &mut File, len: u64) -> Result<(Vec<u8>, Vec<u8>), ImagingError> {
    let (mut ftyp, mut moov) = (None, None);
    let mut at = 0u64;
    while at < len {
        file.seek(SeekFrom::Start(at)).map_err(io)?;
        let mut header = [0u8; 16];
        let available = (len - at).min(16) as usize;
        file.read_exact(&mut header[..available]).map_err(io)?;
        if available < 8 {
            return Err(corrupt(
                "the video ends inside a box header (the file is cut short)",
            ));
        }
        let size32 = u32::from_be_bytes([header[0], header[1], header[2], header[3]]);
        let kind = [header[4], header[5], header[6], header[7]];
        let (size, header_len) = match size32 {
            0 => (len - at, 8),
            1 => {
                if available < 16 {
                    return Err(corrupt("the video ends inside a box header"));
                }
                let mut large = [0u8; 8];
                large.copy_from_slice(&header[8..16]);
                (u64::from_be_bytes(large), 16)
            }
            n => (u64::from(n), 8),
        };
        if size < header_len {
            return Err(corrupt(format!(
                "a box ({}) has an impossible size",
                String::from_utf8_lossy(&kind)
            )));
        }
        if at == 0 && &kind != b"ftyp" {
            return Err(ImagingError::NotAVideo);
        }
        let end = at
            .checked_add(size)
            .filter(|&end| end <= len)
            .ok_or_else(|| {
                corrupt(format!(
                    "the video ends inside its '{}' box (the file is cut short)",
                    String::from_utf8_lossy(&kind)
                ))
            })?;
        let wanted = match &kind {
            b"ftyp" if ftyp.is_none() => Some(&mut ftyp),
            b"moov" if moov.is_none() => Some(&mut moov),
            _ => None,
        };
        if let Some(slot) = wanted {
            if size > MAX_MOOV_BYTES {
                return Err(ImagingError::Unsupported(
                    "the video's header is too big to read".into(),
                ));
            }
            file.seek(SeekFrom::Start(at)).map_err(io)?;
            let mut data = vec![0u8; size as usize];
            file.read_exact(&mut data).map_err(io)?;
            *slot = Some(data);
        }
        at = end;
    }
    let ftyp = ftyp.ok_or(ImagingError::NotAVideo)?;
    let moov = moov.ok_or_else(|| {
        corrupt("the video has no movie header ('moov' box): it was not finished being written")
    })?;
    Ok((ftyp, moov))
}

fn native(file: &mut File, len: u64, format: MediaFormat) -> Result<VideoInfo, ImagingError> {
    let (ftyp, moov) = top_level(file, len)?;
    let codec = video_fourcc(&moov).map(|c| codec_name(&c));
    let mut boxes = ftyp;
    boxes.extend_from_slice(&moov);
    drop(moov);
    let context = mp4parse::read_mp4(&mut std::io::Cursor::new(boxes))
        .map_err(|e| corrupt(format!("the video could not be read: {e}")))?;

    let movie_scale = context.timescale.map(|t| t.0).filter(|&t| t > 0);
    let track_ms = |track: &mp4parse::Track| -> Option<u64> {
        // The track header's duration is in the movie's timescale and includes edits; the
        // media header's is the track's own.
        if let (Some(tkhd), Some(scale)) = (&track.tkhd, movie_scale)
            && tkhd.duration > 0
            && tkhd.duration != u64::from(u32::MAX)
        {
            return Some(scaled_ms(tkhd.duration, scale));
        }
        let (duration, scale) = (track.duration?.0, track.timescale?.0);
        (scale > 0).then(|| scaled_ms(duration, scale))
    };

    let video = context
        .tracks
        .iter()
        .find(|t| t.track_type == mp4parse::TrackType::Video)
        .ok_or(ImagingError::NotAVideo)?;
    let has_audio = context
        .tracks
        .iter()
        .any(|t| t.track_type == mp4parse::TrackType::Audio);

    let (mut width, mut height) = video
        .tkhd
        .as_ref()
        .map(|tkhd| (tkhd.width >> 16, tkhd.height >> 16))
        .unwrap_or((0, 0));
    if width == 0 || height == 0 {
        let entry = video.stsd.as_ref().and_then(|stsd| {
            stsd.descriptions.iter().find_map(|d| match d {
                mp4parse::SampleEntry::Video(v) => Some((u32::from(v.width), u32::from(v.height))),
                _ => None,
            })
        });
        (width, height) = entry.unwrap_or((0, 0));
    }
    if width == 0 || height == 0 {
        return Err(corrupt("the video track has no size"));
    }
    if let Some(tkhd) = &video.tkhd
        && tkhd.matrix.a == 0
        && tkhd.matrix.d == 0
        && tkhd.matrix.b != 0
    {
        (width, height) = (height, width);
    }

    let mut duration_ms = track_ms(video).unwrap_or(0);
    if duration_ms == 0 {
        duration_ms = context
            .tracks
            .iter()
            .filter_map(track_ms)
            .max()
            .unwrap_or(0);
    }
    if duration_ms == 0
        && let (Some(mvex), Some(scale)) = (&context.mvex, movie_scale)
        && let Some(fragments) = mvex.fragment_duration
    {
        duration_ms = scaled_ms(fragments.0, scale);
    }
    Ok(VideoInfo {
        format,
        width,
        height,
        duration_ms,
        has_audio,
        video_codec: codec,
    })
}

fn scaled_ms(duration: u64, scale: u64) -> u64 {
    (u128::from(duration) * 1000 / u128::from(scale.max(1))) as u64
}

/// The boxes directly inside `data` (the contents of a container): (type, contents).
fn children(data: &[u8]) -> impl Iterator<Item = ([u8; 4], &[u8])> {
    let mut at = 0usize;
    std::iter::from_fn(move || {
        let header = data.get(at..at + 8)?;
        let size = u32::from_be_bytes([header[0], header[1], header[2], header[3]]) as usize;
        let kind = [header[4], header[5], header[6], header[7]];
        let (start, end) = match size {
            0 => (at + 8, data.len()),
            1 => {
                let large = data.get(at + 8..at + 16)?;
                let mut buf = [0u8; 8];
                buf.copy_from_slice(large);
                let size = usize::try_from(u64::from_be_bytes(buf)).ok()?;
                (at + 16, at.checked_add(size)?)
            }
            n if n < 8 => return None,
            n => (at + 8, at.checked_add(n)?),
        };
        let contents = data.get(start..end)?;
        at = end;
        Some((kind, contents))
    })
}

fn child<'a>(data: &'a [u8], kind: &[u8; 4]) -> Option<&'a [u8]> {
    children(data).find(|(k, _)| k == kind).map(|(_, c)| c)
}

/// The sample entry code of the first video track (`avc1`, `hvc1`, `apch`...), from
/// moov/trak/mdia/(hdlr = vide)/minf/stbl/stsd.
fn video_fourcc(moov: &[u8]) -> Option<[u8; 4]> {
    let moov = children(moov).next().filter(|(k, _)| k == b"moov")?.1;
    children(moov)
        .filter(|(k, _)| k == b"trak")
        .find_map(|(_, trak)| {
            let mdia = child(trak, b"mdia")?;
            // hdlr: version and flags (4), pre_defined (4), handler type (4).
            let handler = child(mdia, b"hdlr")?.get(8..12)?;
            if handler != b"vide" {
                return None;
            }
            let stsd = child(child(child(mdia, b"minf")?, b"stbl")?, b"stsd")?;
            // stsd: version and flags (4), entry count (4), then entries as boxes.
            children(stsd.get(8..)?).next().map(|(k, _)| k)
        })
}

fn codec_name(fourcc: &[u8; 4]) -> String {
    match fourcc {
        b"avc1" | b"avc2" | b"avc3" | b"avc4" => "h264".into(),
        b"hvc1" | b"hev1" | b"dvh1" | b"dvhe" => "hevc".into(),
        b"av01" => "av1".into(),
        b"vp09" => "vp9".into(),
        b"vp08" => "vp8".into(),
        b"mp4v" => "mpeg4".into(),
        b"apch" | b"apcn" | b"apcs" | b"apco" | b"ap4h" | b"ap4x" => "prores".into(),
        b"encv" => "encrypted".into(),
        other => String::from_utf8_lossy(other).trim().to_ascii_lowercase(),
    }
}

/// `ffprobe`'s reading, or `None` when it is not installed.
fn ffprobe(path: &Path, format: MediaFormat) -> Option<Result<VideoInfo, ImagingError>> {
    let mut child = match Command::new("ffprobe")
        .args([
            "-v",
            "error",
            "-print_format",
            "json",
            "-show_format",
            "-show_streams",
        ])
        .arg(path)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
    {
        Ok(child) => child,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(e) => return Some(Err(io(e))),
    };
    // Read while it runs, so that a full pipe cannot stall it.
    let mut stdout = child.stdout.take()?;
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        let _ = stdout.read_to_end(&mut out);
        out
    });
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() > FFPROBE_TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                let _ = reader.join();
                return Some(Err(corrupt("reading the video took too long")));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => return Some(Err(io(e))),
        }
    };
    let out = reader.join().unwrap_or_default();
    if !status.success() {
        return Some(Err(corrupt("ffprobe could not read the video")));
    }
    Some(parse_ffprobe(&out, format))
}

fn parse_ffprobe(json: &[u8], format: MediaFormat) -> Result<VideoInfo, ImagingError> {
    let value: serde_json::Value = serde_json::from_slice(json)
        .map_err(|e| corrupt(format!("ffprobe said something unexpected: {e}")))?;
    let streams = value["streams"].as_array().cloned().unwrap_or_default();
    let is = |s: &serde_json::Value, kind: &str| s["codec_type"].as_str() == Some(kind);
    let video = streams
        .iter()
        .find(|s| is(s, "video") && s["disposition"]["attached_pic"].as_i64() != Some(1))
        .ok_or(ImagingError::NotAVideo)?;
    let side = |key: &str| {
        video[key]
            .as_u64()
            .and_then(|v| u32::try_from(v).ok())
            .unwrap_or(0)
    };
    let (mut width, mut height) = (side("width"), side("height"));
    if width == 0 || height == 0 {
        return Err(corrupt("the video track has no size"));
    }
    let rotation = video["side_data_list"]
        .as_array()
        .and_then(|list| list.iter().find_map(|d| d["rotation"].as_f64()))
        .or_else(|| {
            video["tags"]["rotate"]
                .as_str()
                .and_then(|r| r.parse().ok())
        })
        .unwrap_or(0.0);
    if (rotation.abs().round() as i64) % 180 == 90 {
        (width, height) = (height, width);
    }
    let seconds = |v: &serde_json::Value| v.as_str().and_then(|s| s.parse::<f64>().ok());
    let duration = seconds(&value["format"]["duration"])
        .or_else(|| seconds(&video["duration"]))
        .filter(|s| s.is_finite() && *s >= 0.0)
        .unwrap_or(0.0);
    Ok(VideoInfo {
        format,
        width,
        height,
        duration_ms: (duration * 1000.0).round() as u64,
        has_audio: streams.iter().any(|s| is(s, "audio")),
        video_codec: video["codec_name"].as_str().map(str::to_owned),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/media")
            .join(name)
    }

    #[test]
    fn ffprobe_reads_the_fixtures_like_mp4parse() {
        for (name, format) in [
            ("clip.mp4", MediaFormat::Mp4),
            ("clip.mov", MediaFormat::Mov),
        ] {
            let Some(by_ffprobe) = ffprobe(&fixture(name), format) else {
                // Not installed here: nothing to compare.
                return;
            };
            let by_ffprobe = by_ffprobe.unwrap();
            let native = probe(&fixture(name)).unwrap();
            assert_eq!(
                (by_ffprobe.width, by_ffprobe.height),
                (native.width, native.height)
            );
            assert_eq!(by_ffprobe.has_audio, native.has_audio);
            assert_eq!(by_ffprobe.video_codec, native.video_codec);
            assert!(by_ffprobe.duration_ms.abs_diff(native.duration_ms) <= 100);
        }
    }

    #[test]
    fn ffprobe_output_with_rotation() {
        let json = br#"{"streams":[{"codec_type":"video","codec_name":"hevc","width":1920,
            "height":1080,"side_data_list":[{"rotation":-90}]},{"codec_type":"audio"}],
            "format":{"duration":"12.345000"}}"#;
        let info = parse_ffprobe(json, MediaFormat::Mov).unwrap();
        assert_eq!((info.width, info.height), (1080, 1920));
        assert_eq!(info.duration_ms, 12_345);
        assert!(info.has_audio);
        assert_eq!(info.video_codec.as_deref(), Some("hevc"));
        assert_eq!(
            parse_ffprobe(br#"{"streams":[{"codec_type":"audio"}]}"#, MediaFormat::Mp4),
            Err(ImagingError::NotAVideo)
        );
    }

    #[test]
    fn box_walk_never_panics_on_garbage() {
        let mut data = b"\0\0\0\x10moov\0\0\0\x08trak".to_vec();
        for len in 0..data.len() {
            let _ = video_fourcc(&data[..len]);
        }
        data.extend_from_slice(&[0xFF; 8]);
        let _ = video_fourcc(&data);
        let _ = children(b"\0\0\0\x01moov\xff\xff\xff\xff\xff\xff\xff\xff").count();
    }
}
