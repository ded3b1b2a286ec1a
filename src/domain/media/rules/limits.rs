//! Each network's media limits as a table: one `Limits` per network (and per post format where
//! the network has several), built from the sources cited beside each number.
//!
//! Sizes: X and Mastodon state binary limits (X's "5 MB" is 5,242,880 bytes, Mastodon's
//! defaults are 16 MiB and 99 MiB), so their messages use MB = 1,048,576 bytes. Bluesky's
//! lexicon states decimal bytes. Meta and LinkedIn say "MB" without the bytes; Herald takes
//! the decimal (smaller) reading so that a file it accepts is never refused for size.

use super::{MastodonMediaLimits, MediaContext};
use crate::domain::media::MediaFormat::{self, Gif, Jpeg, Mov, Mp4, Png, Webp};
use crate::domain::media::MediaKind;
use crate::domain::text::Network;

pub(super) const MIB: u64 = 1_048_576;
pub(super) const MB: u64 = 1_000_000;
const SECOND: u64 = 1_000;
const MINUTE: u64 = 60 * SECOND;

/// An accepted range of width / height, with how people write it.
#[derive(Clone, Copy, Debug)]
pub(super) struct Aspect {
    pub min: f64,
    pub max: f64,
    pub label: &'static str,
}

/// How items of one kind may be attached on one network.
#[derive(Clone, Debug)]
pub(super) struct Rule {
    /// "image", "GIF", "video": what messages call one item of this kind.
    pub noun: &'static str,
    pub formats: &'static [MediaFormat],
    /// How many of this kind one post may carry.
    pub max_count: usize,
    pub max_bytes: Option<u64>,
    /// Width × height.
    pub max_pixels: Option<u64>,
    /// Smallest width and height.
    pub min_side: Option<u32>,
    /// (longer side, shorter side), in either orientation.
    pub max_sides: Option<(u32, u32)>,
    pub aspect: Option<Aspect>,
    pub min_ms: Option<u64>,
    pub max_ms: Option<u64>,
    pub max_frames: Option<u32>,
}

impl Rule {
    const fn new(noun: &'static str, formats: &'static [MediaFormat], max_count: usize) -> Rule {
        Rule {
            noun,
            formats,
            max_count,
            max_bytes: None,
            max_pixels: None,
            min_side: None,
            max_sides: None,
            aspect: None,
            min_ms: None,
            max_ms: None,
            max_frames: None,
        }
    }

    /// Whether this rule needs the width and height to be known.
    pub fn measures(&self) -> bool {
        self.max_pixels.is_some()
            || self.min_side.is_some()
            || self.max_sides.is_some()
            || self.aspect.is_some()
    }
}

/// What one network (in one post format) accepts.
#[derive(Clone, Debug)]
pub(super) struct Limits {
    /// The subject of messages: "X", "this Mastodon server", "Instagram".
    pub name: &'static str,
    /// Where the limits apply, for messages: "" or " in a reel".
    pub place: &'static str,
    pub media_required: bool,
    /// Set when this format takes no media at all: why, and what to do.
    pub no_media: Option<&'static str>,
    /// Whether different kinds (images and videos) may share a post.
    pub mix: bool,
    pub min_items: usize,
    pub max_items: usize,
    /// A format's rule is the first whose `formats` holds it.
    pub rules: Vec<Rule>,
    /// Ends "too many" messages ("Remove 1{hint}."): another format that takes more.
    pub count_hint: &'static str,
    /// A kind this format does not take, and the format that does ("Choose Story for an image").
    pub kind_hint: Option<(MediaKind, &'static str)>,
    /// Bytes in the "MB" of this network's messages.
    pub mb: u64,
    pub alt_max: Option<usize>,
    /// Alt text counted in graphemes (Bluesky) rather than characters.
    pub alt_graphemes: bool,
}

impl Limits {
    fn new(name: &'static str, rules: Vec<Rule>) -> Limits {
        Limits {
            name,
            place: "",
            media_required: false,
            no_media: None,
            mix: false,
            min_items: 0,
            max_items: rules.iter().map(|r| r.max_count).max().unwrap_or(0),
            rules,
            count_hint: "",
            kind_hint: None,
            mb: MB,
            alt_max: None,
            alt_graphemes: false,
        }
    }

    pub fn rule(&self, format: MediaFormat) -> Option<&Rule> {
        self.rules.iter().find(|r| r.formats.contains(&format))
    }
}

pub(super) fn of(network: Network, ctx: &MediaContext) -> Limits {
    match network {
        Network::X => x(),
        Network::Mastodon => mastodon(ctx.mastodon.as_ref()),
        Network::Bluesky => bluesky(),
        Network::Threads => threads(),
        Network::Linkedin => linkedin(),
        Network::Instagram => instagram(ctx.instagram_format.as_deref()),
        Network::Facebook => facebook(ctx.facebook_format.as_deref()),
    }
}

// X: docs.x.com `x-api/media/quickstart/best-practices.mdx` (xdevplatform/docs @ ea1d2d4):
// "up to 4 photos, 1 animated GIF or 1 video"; images JPG/PNG/GIF/WEBP <= 5 MB; GIF <= 15 MB,
// <= 1280x1080, <= 350 frames; video <= 512 MB, 0.5-140 s, 32x32 to 1280x1024, aspect 1:3 to
// 3:1. The same page recommends 720x1280 portrait video, so sides are checked in either
// orientation. (A later revision of the page, xdevplatform/docs @ 0c986f0, allows Post videos
// of 0.5 s-20 min and 8 GB; the 140 s / 512 MB of platforms.md §1 are kept until connectors
// confirm.) Alt text <= 1,000 characters: X's media metadata limit.
fn x() -> Limits {
    Limits {
        mb: MIB,
        alt_max: Some(1_000),
        ..Limits::new(
            "X",
            vec![
                Rule {
                    max_bytes: Some(5 * MIB),
                    ..Rule::new("image", &[Jpeg, Png, Webp], 4)
                },
                Rule {
                    max_bytes: Some(15 * MIB),
                    max_sides: Some((1280, 1080)),
                    max_frames: Some(350),
                    ..Rule::new("GIF", &[Gif], 1)
                },
                Rule {
                    max_bytes: Some(512 * MIB),
                    min_side: Some(32),
                    max_sides: Some((1280, 1024)),
                    aspect: Some(Aspect {
                        min: 1.0 / 3.0,
                        max: 3.0,
                        label: "1:3 to 3:1",
                    }),
                    min_ms: Some(500),
                    max_ms: Some(140 * SECOND),
                    ..Rule::new("video", &[Mp4, Mov], 1)
                },
            ],
        )
    }
}

// Mastodon: the instance's `configuration.media_attachments` and `statuses` from
// `GET /api/v2/instance` (mastodon/documentation `entities/Instance.md`; defaults in
// platforms.md §2). Videos cannot share a post with other media (Mastodon's
// `StatusCreationService`: "images_and_video"); an animated GIF is stored as an image and
// becomes a silent looping video (gifv), which may sit with images. Descriptions are counted in
// characters (Ruby string length).
fn mastodon(instance: Option<&MastodonMediaLimits>) -> Limits {
    let name = if instance.is_some() {
        "this Mastodon server"
    } else {
        "Mastodon"
    };
    let l = instance.cloned().unwrap_or_default();
    let max = l.max_attachments as usize;
    Limits {
        mb: MIB,
        max_items: max,
        alt_max: Some(l.description_limit as usize),
        ..Limits::new(
            name,
            vec![
                Rule {
                    max_bytes: Some(l.image_size_limit),
                    max_pixels: Some(l.image_matrix_limit),
                    ..Rule::new("image", &[Jpeg, Png, Webp, Gif], max)
                },
                Rule {
                    max_bytes: Some(l.video_size_limit),
                    max_pixels: Some(l.video_matrix_limit),
                    ..Rule::new("video", &[Mp4, Mov], max.min(1))
                },
            ],
        )
    }
}

// Bluesky: atproto `lexicons/app/bsky/embed/images.json` (<= 4 images, accept image/*,
// maxSize 2,000,000: "May be up to 2 MB, formerly limited to 1 MB"); `embed/video.json`
// (accept video/mp4 only; maxSize 300,000,000, "formerly limited to 100mb": Herald keeps
// 100,000,000, what the video service took when platforms.md §3 was written); 3 minutes: the
// video service's limit since March 2025 (Bluesky announcement, 2nd-hand). A post embeds images
// or a video, not both (one `embed`). Alt text: 2,000 graphemes, the Bluesky app's
// MAX_ALT_TEXT (bluesky-social/social-app `src/lib/constants.ts`); the current lexicons set
// no limit. A GIF is taken as an image and shown still.
fn bluesky() -> Limits {
    Limits {
        alt_max: Some(2_000),
        alt_graphemes: true,
        ..Limits::new(
            "Bluesky",
            vec![
                Rule {
                    max_bytes: Some(2_000_000),
                    ..Rule::new("image", &[Jpeg, Png, Webp, Gif], 4)
                },
                Rule {
                    max_bytes: Some(100_000_000),
                    max_ms: Some(3 * MINUTE),
                    ..Rule::new("video", &[Mp4], 1)
                },
            ],
        )
    }
}

// Threads: Meta's Threads API media specifications (restated by ayrshare.com
// media-guidelines/threads, 2nd-hand): images JPEG/PNG <= 8 MB, aspect ratio limit 10:1, width
// 320-1440 (scaled up or down by Threads, so not refused); video MOV/MP4 <= 1 GB, <= 5 min,
// aspect 0.01:1-10:1. Carousels mix images and videos, up to 20 items (platforms.md §0,
// 2nd-hand; older docs say 10). Alt text <= 1,000 characters (repliz-docs Threads
// specification, 2nd-hand).
fn threads() -> Limits {
    Limits {
        mix: true,
        alt_max: Some(1_000),
        ..Limits::new(
            "Threads",
            vec![
                Rule {
                    max_bytes: Some(8 * MB),
                    aspect: Some(Aspect {
                        min: 0.1,
                        max: 10.0,
                        label: "1:10 to 10:1",
                    }),
                    ..Rule::new("image", &[Jpeg, Png], 20)
                },
                Rule {
                    max_bytes: Some(1_000 * MB),
                    max_ms: Some(5 * MINUTE),
                    aspect: Some(Aspect {
                        min: 0.01,
                        max: 10.0,
                        label: "0.01:1 to 10:1",
                    }),
                    ..Rule::new("video", &[Mp4, Mov], 20)
                },
            ],
        )
    }
}

// LinkedIn: one video, or up to 20 images in a multi-image post (platforms.md §0/§7,
// 2nd-hand); images under 36,152,320 pixels (LinkedIn Images API, restated by ayrshare.com
// media-guidelines/linkedin); Images API formats JPG, GIF, PNG; video MP4, 3 s-30 min,
// <= 500 MB (same page). LinkedIn's alt text limit is not confirmed, so it is not checked.
fn linkedin() -> Limits {
    Limits::new(
        "LinkedIn",
        vec![
            Rule {
                max_pixels: Some(36_152_320),
                ..Rule::new("image", &[Jpeg, Png, Gif], 20)
            },
            Rule {
                max_bytes: Some(500 * MB),
                min_ms: Some(3 * SECOND),
                max_ms: Some(30 * MINUTE),
                ..Rule::new("video", &[Mp4], 1)
            },
        ],
    )
}

// Instagram: media is required (a container needs image_url or video_url; Meta content
// publishing docs, platforms.md §5). Images <= 8 MB, aspect 4:5 to 1.91:1, width 320-1440
// scaled by Instagram (Meta IG media reference, restated by ayrshare.com
// media-guidelines/instagram; platforms.md §5 from help.instagram.com, 2nd-hand). Instagram
// takes JPEG; Herald converts PNG and WebP before sending, so any library image is accepted
// here. Carousel 2-10 items (platforms.md §5, 2nd-hand). Reels: MOV/MP4, 3 s-15 min, <= 300 MB,
// aspect 0.01:1-10:1 with 9:16 recommended (Meta reels specification via ayrshare.com; its
// translated copies say 1 GB). Stories: video <= 60 s. Feed videos are published as reels
// (Meta deprecated VIDEO in favour of REELS), so they share the reel limits. Alt text: the
// limit is not documented, so it is not checked.
fn instagram(format: Option<&str>) -> Limits {
    const FEED_ASPECT: Aspect = Aspect {
        min: 0.8,
        max: 1.91,
        label: "4:5 (0.8:1) to 1.91:1",
    };
    let image = |count: usize, aspect: Option<Aspect>| Rule {
        max_bytes: Some(8 * MB),
        aspect,
        ..Rule::new("image", &[Jpeg, Png, Webp], count)
    };
    let video = |count: usize, max_ms: u64| Rule {
        max_bytes: Some(300 * MB),
        aspect: Some(Aspect {
            min: 0.01,
            max: 10.0,
            label: "0.01:1 to 10:1",
        }),
        min_ms: Some(3 * SECOND),
        max_ms: Some(max_ms),
        ..Rule::new("video", &[Mp4, Mov], count)
    };
    let base = |rules: Vec<Rule>| Limits {
        media_required: true,
        mix: true,
        ..Limits::new("Instagram", rules)
    };
    match format {
        Some("carousel") => Limits {
            place: " in a carousel",
            min_items: 2,
            max_items: 10,
            ..base(vec![image(10, Some(FEED_ASPECT)), video(10, 15 * MINUTE)])
        },
        Some("reel") => Limits {
            place: " in a reel",
            kind_hint: Some((MediaKind::Image, "Choose Feed post or Story for an image")),
            ..base(vec![video(1, 15 * MINUTE)])
        },
        Some("story") => Limits {
            place: " in a story",
            ..base(vec![image(1, None), video(1, MINUTE)])
        },
        _ => Limits {
            place: " in a feed post",
            count_hint: ", or choose Carousel for 2 to 10",
            ..base(vec![image(1, Some(FEED_ASPECT)), video(1, 15 * MINUTE)])
        },
    }
}

// Facebook Pages: photo posts up to 10 images (multi-photo via attached_media; 2nd-hand);
// photos <= 10 MB in JPEG, PNG, GIF (Meta's photo upload formats, which do not list WebP);
// videos: Meta allows 4 GB and 240 minutes, Herald's own limit is 1 GB. A link post shows the
// link's card, which attached media would replace; a text post has none. The default format
// takes photos or one video.
fn facebook(format: Option<&str>) -> Limits {
    let photos = Rule {
        max_bytes: Some(10 * MB),
        ..Rule::new("image", &[Jpeg, Png, Gif], 10)
    };
    let video = Rule {
        max_bytes: Some(1_000 * MB),
        max_ms: Some(240 * MINUTE),
        ..Rule::new("video", &[Mp4, Mov], 1)
    };
    match format {
        Some("link") => Limits {
            no_media: Some(
                "A Facebook link post shows the link's preview card and takes no media. \
                 Remove the media, or choose Photo post.",
            ),
            ..Limits::new("Facebook", vec![])
        },
        Some("text") => Limits {
            no_media: Some(
                "A Facebook text post takes no media. Remove the media, or choose Photo post.",
            ),
            ..Limits::new("Facebook", vec![])
        },
        Some("photo") => Limits {
            place: " in a photo post",
            kind_hint: Some((
                MediaKind::Video,
                "Choose the default format to post a video",
            )),
            ..Limits::new("Facebook", vec![photos])
        },
        _ => Limits::new("Facebook", vec![photos, video]),
    }
}
