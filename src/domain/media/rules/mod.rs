//! Each network's rules for the media attached to a post: how many items of which kinds,
//! formats, file sizes, pixels, shapes, video lengths and alt text. Pure: `check` reads the
//! facts the library measured (`MediaFacts`) and says, in words, what the network would refuse
//! and what to do about it. The numbers and their sources are in `limits`.

mod item;
mod limits;
mod words;

use serde::Serialize;

use super::{MediaFacts, MediaFormat, MediaKind};
use crate::domain::text::Network;
use item::{check_alt_text, check_item, unsupported};
use limits::Limits;

/// The instance limits Mastodon reports in `configuration.media_attachments`/`statuses` of
/// `GET /api/v2/instance`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MastodonMediaLimits {
    /// `statuses.max_media_attachments`.
    pub max_attachments: u32,
    /// Bytes.
    pub image_size_limit: u64,
    /// Width × height.
    pub image_matrix_limit: u64,
    /// Bytes.
    pub video_size_limit: u64,
    /// Width × height.
    pub video_matrix_limit: u64,
    /// Characters of a media description (alt text).
    pub description_limit: u32,
}

impl Default for MastodonMediaLimits {
    /// A stock Mastodon's values (mastodon/documentation `entities/Instance.md`).
    fn default() -> Self {
        MastodonMediaLimits {
            max_attachments: 4,
            image_size_limit: 16_777_216,
            image_matrix_limit: 33_177_600,
            video_size_limit: 103_809_024,
            video_matrix_limit: 8_294_400,
            description_limit: 1_500,
        }
    }
}

/// What the rules need to know beyond the media: the variant's post format and the
/// workspace's and instance's settings.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MediaContext {
    /// `VariantOptions::instagram_format`: feed (the default), reel, story, carousel.
    pub instagram_format: Option<String>,
    /// `VariantOptions::facebook_format`: link, photo, text; absent takes photos or a video.
    pub facebook_format: Option<String>,
    /// Every image and GIF needs alt text (videos are exempt).
    pub require_alt_text: bool,
    /// The Mastodon instance's limits; a stock Mastodon's when absent.
    pub mastodon: Option<MastodonMediaLimits>,
}

/// One reason the network would refuse the media as they are.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct MediaProblem {
    /// Stable, for scripts: `too_many_media`, `mixed_media`, `media_required`,
    /// `media_not_allowed`, `unsupported_format`, `file_too_large`, `too_many_pixels`,
    /// `dimensions_out_of_range`, `aspect_ratio_out_of_range`, `video_too_long`,
    /// `video_too_short`, `too_many_frames`, `alt_text_missing`, `alt_text_too_long`,
    /// `carousel_too_small`.
    pub code: String,
    /// For people: what is wrong, with numbers and units, and what to do.
    pub message: String,
    /// Which attachment (0-based) it concerns; None for the set as a whole.
    pub index: Option<usize>,
}

fn problem(code: &str, message: String, index: Option<usize>) -> MediaProblem {
    MediaProblem {
        code: code.into(),
        message,
        index,
    }
}

/// Everything `network` would refuse in `media` (in the order attached) for a variant in
/// `ctx`: first the set as a whole, then each item in order. Empty when all is well.
pub fn check(network: Network, media: &[MediaFacts], ctx: &MediaContext) -> Vec<MediaProblem> {
    let limits = limits::of(network, ctx);
    let mut out = Vec::new();
    if media.is_empty() {
        if limits.media_required {
            let needed: Vec<String> = limits.rules.iter().map(|r| words::a(r.noun)).collect();
            out.push(problem(
                "media_required",
                format!(
                    "{} needs {}{}; a text-only post is refused. Attach one.",
                    limits.name,
                    words::list(&needed, "or"),
                    limits.place
                ),
                None,
            ));
        }
        return out;
    }
    if let Some(why) = limits.no_media {
        out.push(problem("media_not_allowed", why.into(), None));
        return out;
    }
    check_set(&limits, media, &mut out);
    for (index, item) in media.iter().enumerate() {
        match limits.rule(item.format) {
            Some(rule) => check_item(&limits, rule, index, item, &mut out),
            None => out.push(unsupported(&limits, index, item.format)),
        }
        check_alt_text(&limits, ctx, index, item, &mut out);
    }
    out
}

/// The aspect-ratio range (width / height) a network accepts for a single image in this
/// context, if it limits it (Instagram feed 0.8..=1.91); used to decide when a crop is needed.
/// For `MediaKind::Video` or `Gif`, the range for that kind.
pub fn aspect_range(network: Network, ctx: &MediaContext, kind: MediaKind) -> Option<(f32, f32)> {
    let limits = limits::of(network, ctx);
    let rule = MediaFormat::ALL
        .into_iter()
        .filter(|f| f.kind() == kind)
        .find_map(|f| limits.rule(f))?;
    rule.aspect.map(|a| (a.min as f32, a.max as f32))
}

/// The longest alt text `network` accepts, and whether it counts graphemes (Bluesky) rather
/// than characters; `None` when the network states no limit.
pub fn alt_text_limit(network: Network, ctx: &MediaContext) -> Option<(usize, bool)> {
    let limits = limits::of(network, ctx);
    limits.alt_max.map(|max| (max, limits.alt_graphemes))
}

/// How people write the shapes `network` accepts for `kind` ("4:5 (0.8:1) to 1.91:1"), if
/// it limits them.
pub fn aspect_label(network: Network, ctx: &MediaContext, kind: MediaKind) -> Option<&'static str> {
    let limits = limits::of(network, ctx);
    let rule = MediaFormat::ALL
        .into_iter()
        .filter(|f| f.kind() == kind)
        .find_map(|f| limits.rule(f))?;
    rule.aspect.map(|a| a.label)
}

/// What the post may carry, for count messages: `up to 4 images, or 1 GIF, or 1 video`.
fn offer(limits: &Limits) -> String {
    let nouns: Vec<String> = limits.rules.iter().map(|r| r.noun.to_string()).collect();
    if limits.max_items == 1 {
        format!("1 {}", words::list(&nouns, "or"))
    } else if limits.mix || limits.rules.len() == 1 {
        let plural: Vec<String> = nouns.iter().map(|n| format!("{n}s")).collect();
        let range = if limits.min_items > 1 {
            format!("{} to {}", limits.min_items, limits.max_items)
        } else {
            format!("up to {}", limits.max_items)
        };
        format!("{range} {}", words::list(&plural, "and"))
    } else {
        let each: Vec<String> = limits
            .rules
            .iter()
            .map(|r| words::count(r.max_count, r.noun))
            .collect();
        format!("up to {}", each.join(", or "))
    }
}

fn per(limits: &Limits) -> &'static str {
    if limits.place.is_empty() {
        " per post"
    } else {
        limits.place
    }
}

fn check_set(limits: &Limits, media: &[MediaFacts], out: &mut Vec<MediaProblem>) {
    // How many items each rule covers (unsupported formats count toward the total only).
    let counts: Vec<usize> = limits
        .rules
        .iter()
        .map(|r| {
            media
                .iter()
                .filter(|m| r.formats.contains(&m.format))
                .count()
        })
        .collect();
    let kinds = counts.iter().filter(|&&c| c > 0).count();
    let total = media.len();
    let mixed = !limits.mix && kinds > 1;
    if mixed {
        let present: Vec<String> = limits
            .rules
            .iter()
            .zip(&counts)
            .filter(|(_, c)| **c > 0)
            .map(|(r, c)| words::count(*c, r.noun))
            .collect();
        out.push(problem(
            "mixed_media",
            format!(
                "This post has {}; {} accepts {}{}, not a mix. Keep one kind and move the others \
                 to another post.",
                words::list(&present, "and"),
                limits.name,
                offer(limits),
                per(limits)
            ),
            None,
        ));
    }
    let over_kind = limits
        .rules
        .iter()
        .zip(&counts)
        .find(|(r, c)| **c > r.max_count);
    let too_many = if total > limits.max_items {
        Some((words::count(total, "attachment"), total - limits.max_items))
    } else if !mixed && let Some((rule, &c)) = over_kind {
        Some((words::count(c, rule.noun), c - rule.max_count))
    } else {
        None
    };
    if let Some((has, excess)) = too_many {
        let message = if limits.max_items == 0 {
            format!(
                "This post has {has}; {} accepts no media. Remove the media.",
                limits.name
            )
        } else {
            format!(
                "This post has {has}; {} accepts {}{}. Remove {excess}{}.",
                limits.name,
                offer(limits),
                per(limits),
                limits.count_hint
            )
        };
        out.push(problem("too_many_media", message, None));
    }
    if total < limits.min_items {
        out.push(problem(
            "carousel_too_small",
            format!(
                "This carousel has {}; {} needs {}{}. Add {} more, or choose another format.",
                words::count(total, "item"),
                limits.name,
                offer(limits),
                per(limits),
                limits.min_items - total
            ),
            None,
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alt_text_limits_and_shapes_in_words() {
        let ctx = MediaContext::default();
        assert_eq!(alt_text_limit(Network::X, &ctx), Some((1_000, false)));
        assert_eq!(alt_text_limit(Network::Bluesky, &ctx), Some((2_000, true)));
        assert_eq!(
            alt_text_limit(Network::Mastodon, &ctx),
            Some((1_500, false))
        );
        assert_eq!(alt_text_limit(Network::Linkedin, &ctx), None);
        assert_eq!(
            aspect_label(Network::Instagram, &ctx, MediaKind::Image),
            Some("4:5 (0.8:1) to 1.91:1")
        );
    }

    #[test]
    fn every_network_has_a_rule_for_each_context() {
        for network in Network::ALL {
            let limits = limits::of(network, &MediaContext::default());
            assert!(!limits.rules.is_empty(), "{network:?}");
            assert!(limits.max_items >= 1, "{network:?}");
        }
    }
}
