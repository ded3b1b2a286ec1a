//! `cargo bench --bench images`: the imaging layer on generated photos (a gradient with
//! noise, JPEG quality 90, so that it does not compress to nothing). Times `profile_set`
//! (every network's avatar and banner from one photo), `normalize` and `thumbnail` on a
//! 4000×3000 photo, then the peak memory of `profile_set` and `normalize` on a 50-megapixel
//! one (8660×5773), measured two ways: in a child process per phase (the robust figure: the
//! child holds only the file's bytes before it starts) and in this process after resetting
//! the peak through /proc/self/clear_refs. Prints the figures; asserts nothing.
//!
//! Uses mimalloc like the server binary, so the memory figures are the server's.

#![forbid(unsafe_code)]

use std::hint::black_box;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use herald::domain::media::FocalPoint;
use herald::domain::media::profile;
use herald::imaging::{self, Limits};
use image::{ImageEncoder, Rgb, RgbImage};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const RUNS: usize = 10;

/// A photo-like JPEG: smooth gradients plus per-pixel noise.
fn photo_jpeg(width: u32, height: u32) -> Vec<u8> {
    let mut seed = 0x9E37_79B9u32;
    let image = RgbImage::from_fn(width, height, |x, y| {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        let noise = (seed & 0x1F) as u8;
        let fx = x as f32 / width as f32;
        let fy = y as f32 / height as f32;
        Rgb([
            ((fx * 200.0) as u8).saturating_add(noise),
            ((fy * 180.0 + 30.0) as u8).saturating_add(noise / 2),
            (((1.0 - fx) * fy * 220.0) as u8).saturating_add(noise),
        ])
    });
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
        .write_image(
            image.as_raw(),
            width,
            height,
            image::ExtendedColorType::Rgb8,
        )
        .expect("encoding the generated photo");
    out
}

/// This process's CPU time (user + system, every thread) from /proc/self/stat, in clock
/// ticks of 10 ms (USER_HZ is 100 on Linux).
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The fields after the command name, which is in parentheses and may hold spaces.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the whole line, 12 and 13 of `rest`.
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

/// Wall-clock median, min and max of `RUNS` timed calls after one untimed call, and the mean
/// CPU time of a call (all threads): on a busy machine the CPU time says more.
fn time(mut f: impl FnMut()) -> (Duration, Duration, Duration) {
    f();
    let cpu_before = cpu_time();
    let mut runs: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    if let (Some(before), Some(after)) = (cpu_before, cpu_time()) {
        let per_run = (after - before) / RUNS as u32;
        print!("[CPU {} ms a call] ", ms(per_run));
    }
    runs.sort();
    (runs[RUNS / 2], runs[0], runs[RUNS - 1])
}

fn ms(d: Duration) -> String {
    format!("{:.0}", d.as_secs_f64() * 1000.0)
}

/// A /proc/self/status figure in kB (VmHWM: peak resident memory; VmRSS: now).
fn status_kb(key: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|l| l.starts_with(key))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// Resets VmHWM to the current resident size (Linux 4.0+); false when not permitted.
fn reset_peak() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

fn run_phase(phase: &str, bytes: &[u8]) {
    let limits = Limits::default();
    let specs = profile::specs();
    match phase {
        "profile_set" => {
            let set = imaging::profile_set(bytes, FocalPoint::default(), None, &specs, &limits)
                .expect("profile_set");
            black_box(set);
        }
        "normalize" => {
            black_box(imaging::normalize(bytes, &limits).expect("normalize"));
        }
        "thumbnail" => {
            black_box(imaging::thumbnail(bytes, 400, &limits).expect("thumbnail"));
        }
        other => panic!("unknown phase {other}"),
    }
}

/// Child mode: `images --phase NAME FILE` runs one phase on the file and prints its peak
/// resident memory and the resident memory before it, in kB.
fn child(phase: &str, file: &Path) {
    let bytes = std::fs::read(file).expect("reading the photo");
    let before = status_kb("VmRSS:").unwrap_or(0);
    run_phase(phase, &bytes);
    let peak = status_kb("VmHWM:").unwrap_or(0);
    println!("{peak} {before}");
}

fn peak_in_child(phase: &str, file: &Path) -> Option<(u64, u64)> {
    let exe = std::env::current_exe().ok()?;
    let out = Command::new(exe)
        .arg("--phase")
        .arg(phase)
        .arg(file)
        .output()
        .ok()?;
    if !out.status.success() {
        eprintln!("{phase}: {}", String::from_utf8_lossy(&out.stderr));
        return None;
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let mut numbers = text.split_whitespace().map(|n| n.parse::<u64>().ok());
    Some((numbers.next()??, numbers.next()??))
}

fn mb(kb: u64) -> u64 {
    (kb + 512) / 1024
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--phase") {
        let (Some(phase), Some(file)) = (args.get(i + 1), args.get(i + 2)) else {
            panic!("usage: images --phase NAME FILE");
        };
        child(phase, Path::new(file));
        return;
    }
    if !args.iter().any(|a| a == "--bench") {
        return;
    }
    let limits = Limits::default();
    let specs = profile::specs();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "{threads} cores available; load average {}",
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );

    let photo = photo_jpeg(4000, 3000);
    println!(
        "4000x3000 JPEG q90: {:.1} MB",
        photo.len() as f64 / 1_000_000.0
    );
    let mut outputs = 0;
    let (median, min, max) = time(|| {
        let set = imaging::profile_set(&photo, FocalPoint::default(), None, &specs, &limits)
            .expect("profile_set");
        outputs = set.len();
        black_box(set);
    });
    println!(
        "profile_set 4000x3000: median {} ms (min {}, max {}), {outputs} images",
        ms(median),
        ms(min),
        ms(max)
    );
    let (median, min, max) = time(|| {
        black_box(imaging::normalize(&photo, &limits).expect("normalize"));
    });
    println!(
        "normalize 4000x3000 (upright: metadata cut out, full decode to check): median {} ms (min {}, max {})",
        ms(median),
        ms(min),
        ms(max)
    );
    let (median, min, max) = time(|| {
        black_box(imaging::thumbnail(&photo, 400, &limits).expect("thumbnail"));
    });
    println!(
        "thumbnail 4000x3000 -> 400: median {} ms (min {}, max {})",
        ms(median),
        ms(min),
        ms(max)
    );
    let (median, min, max) = time(|| {
        black_box(imaging::inspect(&photo, &limits).expect("inspect"));
    });
    println!(
        "inspect 4000x3000: median {:.2} ms (min {:.2}, max {:.2})",
        median.as_secs_f64() * 1000.0,
        min.as_secs_f64() * 1000.0,
        max.as_secs_f64() * 1000.0
    );
    // Where profile_set's time goes: the decode, and the encoders on its largest outputs.
    let (median, _, _) = time(|| {
        black_box(image::load_from_memory(&photo).expect("decode"));
    });
    println!("  of which JPEG decode 4000x3000: median {} ms", ms(median));
    let banner = RgbImage::from_fn(3000, 1000, |x, y| {
        Rgb([(x % 251) as u8, (y % 241) as u8, ((x ^ y) % 256) as u8])
    });
    let (median, _, _) = time(|| {
        let mut out = Vec::new();
        let mut encoder = jpeg_encoder::Encoder::new(&mut out, 88);
        encoder.set_chroma_subsampling_method(jpeg_encoder::ChromaSubsamplingMethod::Average);
        encoder
            .encode(banner.as_raw(), 3000, 1000, jpeg_encoder::ColorType::Rgb)
            .expect("encode");
        black_box(out);
    });
    println!(
        "  JPEG encode 3000x1000 q88 (Bluesky banner) with jpeg-encoder, as used: median {} ms",
        ms(median)
    );
    let (median, _, _) = time(|| {
        let mut out = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 88)
            .write_image(banner.as_raw(), 3000, 1000, image::ExtendedColorType::Rgb8)
            .expect("encode");
        black_box(out);
    });
    println!(
        "  the same with the image crate's encoder: median {} ms",
        ms(median)
    );
    let avatar = RgbImage::from_fn(1000, 1000, |x, y| {
        Rgb([(x % 251) as u8, (y % 241) as u8, ((x ^ y) % 256) as u8])
    });
    let (median, _, _) = time(|| {
        let mut out = Vec::new();
        image::codecs::png::PngEncoder::new_with_quality(
            &mut out,
            image::codecs::png::CompressionType::Fast,
            image::codecs::png::FilterType::Adaptive,
        )
        .write_image(avatar.as_raw(), 1000, 1000, image::ExtendedColorType::Rgb8)
        .expect("encode");
        black_box(out);
    });
    println!(
        "  PNG encode 1000x1000 fast (Bluesky avatar): median {} ms",
        ms(median)
    );
    drop(photo);

    let big = photo_jpeg(8660, 5773);
    println!(
        "8660x5773 (50 MP) JPEG q90: {:.1} MB",
        big.len() as f64 / 1_000_000.0
    );
    let start = Instant::now();
    imaging::profile_set(&big, FocalPoint::default(), None, &specs, &limits).expect("profile_set");
    println!("profile_set 50 MP: {} ms (one run)", ms(start.elapsed()));
    let start = Instant::now();
    imaging::normalize(&big, &limits).expect("normalize");
    println!("normalize 50 MP: {} ms (one run)", ms(start.elapsed()));

    let dir = std::env::temp_dir().join(format!("herald-bench-images-{}", std::process::id()));
    let file = dir.join("50mp.jpg");
    let written = std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&file, &big));
    for phase in ["profile_set", "normalize", "thumbnail"] {
        match written
            .as_ref()
            .ok()
            .and_then(|()| peak_in_child(phase, &file))
        {
            Some((peak, before)) => println!(
                "peak RSS 50 MP {phase}: {} MB (child process; {} MB resident before, the file's bytes included)",
                mb(peak),
                mb(before)
            ),
            None => println!("peak RSS 50 MP {phase}: child process failed"),
        }
    }
    let _ = std::fs::remove_dir_all(&dir);

    for phase in ["profile_set", "normalize", "thumbnail"] {
        let before = status_kb("VmRSS:").unwrap_or(0);
        if !reset_peak() {
            println!("peak RSS 50 MP {phase} (in process): /proc/self/clear_refs not writable");
            continue;
        }
        run_phase(phase, &big);
        let peak = status_kb("VmHWM:").unwrap_or(0);
        println!(
            "peak RSS 50 MP {phase}: {} MB (in process after clear_refs; {} MB resident before)",
            mb(peak),
            mb(before)
        );
    }
}
