//! The checks of one attachment: format, size, pixels, shape, length, frames and alt text.

use unicode_segmentation::UnicodeSegmentation;

use super::limits::{Limits, Rule};
use super::{MediaContext, MediaProblem, problem, words};
use crate::domain::media::{MediaFacts, MediaFormat, MediaKind};

pub(super) fn unsupported(limits: &Limits, index: usize, format: MediaFormat) -> MediaProblem {
    let name = words::item(index, format);
    let kind = format.kind();
    let kind_taken = limits
        .rules
        .iter()
        .any(|r| r.formats.iter().any(|f| f.kind() == kind));
    let message = if kind_taken {
        let formats: Vec<String> = limits
            .rules
            .iter()
            .flat_map(|r| r.formats.iter())
            .filter(|f| f.kind() == kind)
            .map(|f| words::format_name(*f).to_string())
            .collect();
        format!(
            "{name} is a {} file; {} accepts {} {}s{}. Convert it, or remove it.",
            words::format_name(format),
            limits.name,
            words::list(&formats, "and"),
            words::kind_noun(kind, false),
            limits.place
        )
    } else {
        let taken: Vec<String> = limits
            .rules
            .iter()
            .map(|r| format!("{}s", r.noun))
            .collect();
        let hint = if let Some((hinted, hint)) = limits.kind_hint
            && hinted == kind
        {
            format!("{hint}, or remove it.")
        } else if kind == MediaKind::Gif {
            "Convert it to a video or a still image, or remove it.".to_string()
        } else {
            "Remove it.".to_string()
        };
        format!(
            "{name} is {}; {} accepts only {}{}. {hint}",
            words::a(words::kind_noun(kind, false)),
            limits.name,
            words::list(&taken, "and"),
            limits.place
        )
    };
    problem("unsupported_format", message, Some(index))
}

/// Within the range, allowing a rounding error of 0.1 % (a 1080 × 1351 picture is 4:5).
fn aspect_ok(ratio: f64, min: f64, max: f64) -> bool {
    ratio >= min * 0.999 && ratio <= max * 1.001
}

pub(super) fn check_item(
    limits: &Limits,
    rule: &Rule,
    index: usize,
    item: &MediaFacts,
    out: &mut Vec<MediaProblem>,
) {
    let name = words::item(index, item.format);
    let nouns = format!("{}s", rule.noun);
    let who = limits.name;
    let place = limits.place;
    let mut push = |code: &str, message: String| out.push(problem(code, message, Some(index)));

    if let Some(max) = rule.max_bytes
        && item.bytes > max
    {
        push(
            "file_too_large",
            format!(
                "{name} is {}; {who} accepts {nouns} up to {}{place}. Compress it, or choose a \
                 smaller file.",
                words::size(item.bytes, limits.mb),
                words::size_limit(max, limits.mb)
            ),
        );
    }

    let (w, h) = (item.width, item.height);
    if rule.measures() && (w == 0 || h == 0) {
        push(
            "dimensions_out_of_range",
            format!(
                "{name} reports {}, so its size and shape cannot be checked. Upload it again.",
                words::dimensions(w, h)
            ),
        );
    } else {
        let pixels = u64::from(w) * u64::from(h);
        if let Some(max) = rule.max_pixels
            && pixels > max
        {
            push(
                "too_many_pixels",
                format!(
                    "{name} is {} ({} pixels); {who} accepts {nouns} of up to {} pixels{place}. \
                     Resize it.",
                    words::dimensions(w, h),
                    words::thousands(pixels),
                    words::thousands(max)
                ),
            );
        }
        let (long, short) = (w.max(h), w.min(h));
        let too_small = rule.min_side.is_some_and(|min| short < min);
        let too_big = rule
            .max_sides
            .is_some_and(|(max_long, max_short)| long > max_long || short > max_short);
        if too_small || too_big {
            let side = |n: u32| words::thousands(u64::from(n));
            let min = rule.min_side.map(|m| format!("{} × {}", side(m), side(m)));
            let max = rule
                .max_sides
                .map(|(l, s)| format!("{} × {}", side(l), side(s)));
            let range = match (min, max) {
                (Some(min), Some(max)) => format!("from {min} to {max} pixels"),
                (Some(min), None) => format!("of at least {min} pixels"),
                (None, Some(max)) => format!("of up to {max} pixels"),
                (None, None) => String::new(),
            };
            push(
                "dimensions_out_of_range",
                format!(
                    "{name} is {}; {who} accepts {nouns} {range} (either orientation){place}. \
                     Resize it.",
                    words::dimensions(w, h)
                ),
            );
        }
        if let Some(aspect) = rule.aspect
            && !aspect_ok(f64::from(w) / f64::from(h), aspect.min, aspect.max)
        {
            push(
                "aspect_ratio_out_of_range",
                format!(
                    "{name} is {} ({}); {who} accepts {nouns} from {}{place}. Crop it.",
                    words::ratio(w, h),
                    words::dimensions(w, h),
                    aspect.label
                ),
            );
        }
    }

    if let Some(ms) = item.duration_ms {
        if let Some(max) = rule.max_ms
            && ms > max
        {
            push(
                "video_too_long",
                format!(
                    "{name} is {} long; {who} accepts {nouns} up to {}{place}. Trim it.",
                    words::duration(ms, true),
                    words::duration_limit(max)
                ),
            );
        }
        if let Some(min) = rule.min_ms
            && ms < min
        {
            push(
                "video_too_short",
                format!(
                    "{name} is {} long; {who} accepts {nouns} of at least {}{place}. Use a \
                     longer clip.",
                    words::duration(ms, false),
                    words::duration_limit(min)
                ),
            );
        }
    }

    if let (Some(max), Some(frames)) = (rule.max_frames, item.frames)
        && frames > max
    {
        push(
            "too_many_frames",
            format!(
                "{name} has {} frames; {who} accepts {nouns} of up to {max} frames. Shorten it, \
                 or post it as a video.",
                words::thousands(u64::from(frames))
            ),
        );
    }
}

pub(super) fn check_alt_text(
    limits: &Limits,
    ctx: &MediaContext,
    index: usize,
    item: &MediaFacts,
    out: &mut Vec<MediaProblem>,
) {
    let name = words::item(index, item.format);
    let alt = item.alt_text.as_str();
    let described = matches!(item.format.kind(), MediaKind::Image | MediaKind::Gif);
    if ctx.require_alt_text && described && alt.trim().is_empty() {
        out.push(problem(
            "alt_text_missing",
            format!(
                "{name} has no alt text, and this workspace asks for it on every image. Describe \
                 what it shows for people who cannot see it."
            ),
            Some(index),
        ));
    }
    if let Some(max) = limits.alt_max {
        let (length, unit) = if limits.alt_graphemes {
            (alt.graphemes(true).count(), "characters (graphemes)")
        } else {
            (alt.chars().count(), "characters")
        };
        if length > max {
            out.push(problem(
                "alt_text_too_long",
                format!(
                    "{name}'s alt text is {} {unit}; {} accepts up to {}. Shorten it by {}.",
                    words::thousands(length as u64),
                    limits.name,
                    words::thousands(max as u64),
                    words::thousands((length - max) as u64)
                ),
                Some(index),
            ));
        }
    }
}
