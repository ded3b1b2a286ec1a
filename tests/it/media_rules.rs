//! Each network's media rules (`domain::media::rules`): every problem code, the boundaries
//! (exactly at a limit passes, one over is refused), and that no facts make `check` panic.

use herald::domain::media::rules::{
    MastodonMediaLimits, MediaContext, MediaProblem, aspect_range, check,
};
use herald::domain::media::{MediaFacts, MediaFormat, MediaKind};
use herald::domain::text::Network;
use proptest::prelude::*;

const MIB: u64 = 1_048_576;

fn image(bytes: u64, width: u32, height: u32) -> MediaFacts {
    MediaFacts {
        format: MediaFormat::Jpeg,
        bytes,
        width,
        height,
        duration_ms: None,
        frames: None,
        alt_text: "A red bicycle against a wall".into(),
    }
}

fn jpeg() -> MediaFacts {
    image(500_000, 1080, 1080)
}

fn gif(frames: u32) -> MediaFacts {
    MediaFacts {
        format: MediaFormat::Gif,
        frames: Some(frames),
        ..image(1_000_000, 480, 270)
    }
}

fn video(duration_ms: u64) -> MediaFacts {
    MediaFacts {
        format: MediaFormat::Mp4,
        duration_ms: Some(duration_ms),
        alt_text: String::new(),
        ..image(20 * 1_000_000, 1280, 720)
    }
}

fn ctx() -> MediaContext {
    MediaContext::default()
}

fn instagram(format: &str) -> MediaContext {
    MediaContext {
        instagram_format: Some(format.into()),
        ..ctx()
    }
}

fn facebook(format: &str) -> MediaContext {
    MediaContext {
        facebook_format: Some(format.into()),
        ..ctx()
    }
}

fn codes(problems: &[MediaProblem]) -> Vec<&str> {
    problems.iter().map(|p| p.code.as_str()).collect()
}

/// The codes `check` gives, with each message printed when the test fails.
fn check_codes(network: Network, media: &[MediaFacts], ctx: &MediaContext) -> Vec<String> {
    let problems = check(network, media, ctx);
    for p in &problems {
        assert!(!p.message.is_empty());
        assert!(p.index.is_none_or(|i| i < media.len()), "{p:?}");
    }
    codes(&problems).into_iter().map(String::from).collect()
}

#[test]
fn plain_posts_pass_everywhere_that_takes_them() {
    for network in Network::ALL {
        assert_eq!(
            check_codes(network, &[], &ctx()).is_empty(),
            network != Network::Instagram
        );
        let picture = image(400_000, 1080, 1080);
        assert!(
            check(network, &[picture], &ctx()).is_empty(),
            "{network:?}: {:?}",
            check(network, &[image(400_000, 1080, 1080)], &ctx())
        );
    }
}

#[test]
fn x_images_up_to_exactly_5_mb() {
    assert!(check(Network::X, &[image(5 * MIB, 1200, 800)], &ctx()).is_empty());
    let problems = check(Network::X, &[jpeg(), image(5 * MIB + 1, 1200, 800)], &ctx());
    assert_eq!(codes(&problems), ["file_too_large"]);
    assert_eq!(problems[0].index, Some(1));
    assert_eq!(
        problems[0].message,
        "Image 2 is 5.1 MB; X accepts images up to 5 MB. Compress it, or choose a smaller file."
    );
}

#[test]
fn four_images_pass_five_are_too_many() {
    assert!(check(Network::X, &vec![jpeg(); 4], &ctx()).is_empty());
    let problems = check(Network::X, &vec![jpeg(); 5], &ctx());
    assert_eq!(codes(&problems), ["too_many_media"]);
    assert_eq!(problems[0].index, None);
    assert_eq!(
        problems[0].message,
        "This post has 5 attachments; X accepts up to 4 images, or 1 GIF, or 1 video per post. \
         Remove 1."
    );
    for network in [Network::Mastodon, Network::Bluesky] {
        assert!(check(network, &vec![jpeg(); 4], &ctx()).is_empty());
        assert_eq!(
            check_codes(network, &vec![jpeg(); 5], &ctx()),
            ["too_many_media"]
        );
    }
    // One kind over its own count: two GIFs on X.
    assert_eq!(
        check_codes(Network::X, &[gif(10), gif(10)], &ctx()),
        ["too_many_media"]
    );
}

#[test]
fn kinds_do_not_mix_where_the_network_says_so() {
    let problems = check(Network::X, &[jpeg(), video(10_000)], &ctx());
    assert_eq!(codes(&problems), ["mixed_media"]);
    assert!(
        problems[0].message.contains("1 image and 1 video"),
        "{}",
        problems[0].message
    );
    assert_eq!(
        check_codes(Network::X, &[jpeg(), gif(10)], &ctx()),
        ["mixed_media"]
    );
    assert_eq!(
        check_codes(Network::Bluesky, &[jpeg(), video(10_000)], &ctx()),
        ["mixed_media"]
    );
    assert_eq!(
        check_codes(Network::Linkedin, &[jpeg(), video(10_000)], &ctx()),
        ["mixed_media"]
    );
    // Mastodon keeps GIFs with images (gifv), not videos with anything.
    assert!(check(Network::Mastodon, &[jpeg(), gif(10)], &ctx()).is_empty());
    assert_eq!(
        check_codes(Network::Mastodon, &[jpeg(), video(10_000)], &ctx()),
        ["mixed_media"]
    );
    // Threads and Instagram carousels mix.
    assert!(check(Network::Threads, &[jpeg(), video(10_000)], &ctx()).is_empty());
    assert!(
        check(
            Network::Instagram,
            &[jpeg(), video(10_000)],
            &instagram("carousel")
        )
        .is_empty()
    );
}

#[test]
fn instagram_needs_media_and_a_feed_shape() {
    let problems = check(Network::Instagram, &[], &ctx());
    assert_eq!(codes(&problems), ["media_required"]);
    assert!(problems[0].message.contains("text-only"));
    // 4:5 is the tallest a feed picture may be; 3:4 is taller.
    assert!(check(Network::Instagram, &[image(1_000_000, 1080, 1350)], &ctx()).is_empty());
    assert!(check(Network::Instagram, &[image(1_000_000, 1910, 1000)], &ctx()).is_empty());
    let problems = check(Network::Instagram, &[image(1_000_000, 1080, 1440)], &ctx());
    assert_eq!(codes(&problems), ["aspect_ratio_out_of_range"]);
    assert_eq!(
        problems[0].message,
        "Image 1 is 0.75:1 (1,080 × 1,440 pixels); Instagram accepts images from 4:5 (0.8:1) to \
         1.91:1 in a feed post. Crop it."
    );
    assert_eq!(
        check_codes(Network::Instagram, &[image(1_000_000, 2000, 1000)], &ctx()),
        ["aspect_ratio_out_of_range"]
    );
    // Stories take any shape.
    assert!(
        check(
            Network::Instagram,
            &[image(1_000_000, 1080, 1920)],
            &instagram("story")
        )
        .is_empty()
    );
    // A feed post is one item.
    let problems = check(Network::Instagram, &[jpeg(), jpeg()], &instagram("feed"));
    assert_eq!(codes(&problems), ["too_many_media"]);
    assert!(
        problems[0].message.contains("choose Carousel"),
        "{}",
        problems[0].message
    );
    assert_eq!(
        check_codes(Network::Instagram, &[image(8_000_001, 1080, 1080)], &ctx()),
        ["file_too_large"]
    );
}

#[test]
fn instagram_formats() {
    let carousel = instagram("carousel");
    let problems = check(Network::Instagram, &[jpeg()], &carousel);
    assert_eq!(codes(&problems), ["carousel_too_small"]);
    assert!(check(Network::Instagram, &vec![jpeg(); 2], &carousel).is_empty());
    assert!(check(Network::Instagram, &vec![jpeg(); 10], &carousel).is_empty());
    assert_eq!(
        check_codes(Network::Instagram, &vec![jpeg(); 11], &carousel),
        ["too_many_media"]
    );
    assert_eq!(
        check_codes(Network::Instagram, &[], &carousel),
        ["media_required"]
    );

    let reel = instagram("reel");
    assert!(check(Network::Instagram, &[video(15 * 60_000)], &reel).is_empty());
    assert_eq!(
        check_codes(Network::Instagram, &[video(15 * 60_000 + 1)], &reel),
        ["video_too_long"]
    );
    let problems = check(Network::Instagram, &[jpeg()], &reel);
    assert_eq!(codes(&problems), ["unsupported_format"]);
    assert!(
        problems[0].message.contains("Feed post or Story"),
        "{}",
        problems[0].message
    );
    assert_eq!(
        check_codes(Network::Instagram, &[video(2_999)], &reel),
        ["video_too_short"]
    );

    let story = instagram("story");
    assert!(check(Network::Instagram, &[video(60_000)], &story).is_empty());
    let problems = check(Network::Instagram, &[video(61_000)], &story);
    assert_eq!(
        problems[0].message,
        "Video 1 is 61.0 seconds long; Instagram accepts videos up to 60 seconds in a story. \
         Trim it."
    );
    // GIFs are not Instagram media.
    assert_eq!(
        check_codes(Network::Instagram, &[gif(10)], &ctx()),
        ["unsupported_format"]
    );
}

#[test]
fn facebook_link_and_text_posts_take_no_media() {
    for format in ["link", "text"] {
        let problems = check(Network::Facebook, &[jpeg()], &facebook(format));
        assert_eq!(codes(&problems), ["media_not_allowed"]);
        assert_eq!(problems[0].index, None);
        assert!(check(Network::Facebook, &[], &facebook(format)).is_empty());
    }
    assert!(check(Network::Facebook, &vec![jpeg(); 10], &facebook("photo")).is_empty());
    assert_eq!(
        check_codes(Network::Facebook, &vec![jpeg(); 11], &facebook("photo")),
        ["too_many_media"]
    );
    assert_eq!(
        check_codes(Network::Facebook, &[video(10_000)], &facebook("photo")),
        ["unsupported_format"]
    );
    assert!(check(Network::Facebook, &[video(10_000)], &ctx()).is_empty());
}

#[test]
fn formats_each_network_refuses() {
    let mov = MediaFacts {
        format: MediaFormat::Mov,
        ..video(10_000)
    };
    let problems = check(Network::Bluesky, std::slice::from_ref(&mov), &ctx());
    assert_eq!(codes(&problems), ["unsupported_format"]);
    assert_eq!(
        problems[0].message,
        "Video 1 is a MOV file; Bluesky accepts MP4 videos. Convert it, or remove it."
    );
    assert!(check(Network::X, &[mov], &ctx()).is_empty());
    let webp = MediaFacts {
        format: MediaFormat::Webp,
        ..jpeg()
    };
    assert_eq!(
        check_codes(Network::Threads, std::slice::from_ref(&webp), &ctx()),
        ["unsupported_format"]
    );
    assert_eq!(
        check_codes(Network::Linkedin, std::slice::from_ref(&webp), &ctx()),
        ["unsupported_format"]
    );
    assert!(check(Network::Instagram, &[webp], &ctx()).is_empty());
    assert_eq!(
        check_codes(Network::Threads, &[gif(10)], &ctx()),
        ["unsupported_format"]
    );
}

#[test]
fn x_gifs_and_videos() {
    assert!(check(Network::X, &[gif(350)], &ctx()).is_empty());
    let problems = check(Network::X, &[gif(351)], &ctx());
    assert_eq!(codes(&problems), ["too_many_frames"]);
    assert_eq!(
        check_codes(
            Network::X,
            &[MediaFacts {
                bytes: 15 * MIB + 1,
                ..gif(10)
            }],
            &ctx()
        ),
        ["file_too_large"]
    );
    assert_eq!(
        check_codes(
            Network::X,
            &[MediaFacts {
                width: 1281,
                ..gif(10)
            }],
            &ctx()
        ),
        ["dimensions_out_of_range"]
    );

    assert!(check(Network::X, &[video(500)], &ctx()).is_empty());
    assert!(check(Network::X, &[video(140_000)], &ctx()).is_empty());
    assert_eq!(
        check_codes(Network::X, &[video(499)], &ctx()),
        ["video_too_short"]
    );
    let problems = check(Network::X, &[video(140_001)], &ctx());
    assert_eq!(codes(&problems), ["video_too_long"]);
    assert_eq!(
        problems[0].message,
        "Video 1 is 140.1 seconds (2.3 minutes) long; X accepts videos up to 140 seconds. Trim it."
    );
    // Portrait 720 × 1280 is X's own recommendation: sides count in either orientation.
    let portrait = MediaFacts {
        width: 720,
        height: 1280,
        ..video(10_000)
    };
    assert!(check(Network::X, &[portrait], &ctx()).is_empty());
    let big = MediaFacts {
        width: 1920,
        height: 1080,
        ..video(10_000)
    };
    assert_eq!(
        check_codes(Network::X, &[big], &ctx()),
        ["dimensions_out_of_range"]
    );
    let tiny = MediaFacts {
        width: 31,
        height: 31,
        ..video(10_000)
    };
    assert_eq!(
        check_codes(Network::X, &[tiny], &ctx()),
        ["dimensions_out_of_range"]
    );
    // 1:3 passes, narrower does not.
    let narrow = MediaFacts {
        width: 300,
        height: 900,
        ..video(10_000)
    };
    assert!(check(Network::X, &[narrow], &ctx()).is_empty());
    let narrower = MediaFacts {
        width: 290,
        height: 900,
        ..video(10_000)
    };
    assert_eq!(
        check_codes(Network::X, &[narrower], &ctx()),
        ["aspect_ratio_out_of_range"]
    );
    assert_eq!(
        check_codes(
            Network::X,
            &[MediaFacts {
                bytes: 512 * MIB + 1,
                ..video(10_000)
            }],
            &ctx()
        ),
        ["file_too_large"]
    );
}

#[test]
fn mastodon_follows_the_instance() {
    // Stock limits: 16 MiB images, 33,177,600-pixel images, 3840 × 2160 videos.
    assert!(check(Network::Mastodon, &[image(16 * MIB, 7680, 4320)], &ctx()).is_empty());
    assert_eq!(
        check_codes(
            Network::Mastodon,
            &[image(16 * MIB + 1, 1000, 1000)],
            &ctx()
        ),
        ["file_too_large"]
    );
    let problems = check(Network::Mastodon, &[image(1_000, 7681, 4320)], &ctx());
    assert_eq!(codes(&problems), ["too_many_pixels"]);
    assert!(
        problems[0].message.contains("33,177,600 pixels"),
        "{}",
        problems[0].message
    );
    let uhd = MediaFacts {
        width: 3840,
        height: 2160,
        ..video(10_000)
    };
    assert!(check(Network::Mastodon, &[uhd], &ctx()).is_empty());
    let bigger = MediaFacts {
        width: 4096,
        height: 2160,
        ..video(10_000)
    };
    assert_eq!(
        check_codes(Network::Mastodon, &[bigger], &ctx()),
        ["too_many_pixels"]
    );

    let instance = MediaContext {
        mastodon: Some(MastodonMediaLimits {
            max_attachments: 2,
            image_size_limit: MIB,
            description_limit: 10,
            ..MastodonMediaLimits::default()
        }),
        ..ctx()
    };
    let problems = check(
        Network::Mastodon,
        &vec![image(MIB + 1, 100, 100); 3],
        &instance,
    );
    assert_eq!(
        codes(&problems),
        [
            "too_many_media",
            "file_too_large",
            "alt_text_too_long",
            "file_too_large",
            "alt_text_too_long",
            "file_too_large",
            "alt_text_too_long"
        ]
    );
    assert!(
        problems[0]
            .message
            .contains("this Mastodon server accepts up to 2 images"),
        "{}",
        problems[0].message
    );
}

#[test]
fn alt_text() {
    let required = MediaContext {
        require_alt_text: true,
        ..ctx()
    };
    let blank = MediaFacts {
        alt_text: " \n\t".into(),
        ..jpeg()
    };
    let problems = check(
        Network::X,
        &[jpeg(), blank.clone(), video(10_000)],
        &required,
    );
    // Videos are exempt, and X keeps to one kind: the mix is the only other problem.
    assert_eq!(codes(&problems), ["mixed_media", "alt_text_missing"]);
    assert_eq!(problems[1].index, Some(1));
    assert!(check(Network::Bluesky, std::slice::from_ref(&blank), &ctx()).is_empty());
    assert_eq!(
        check_codes(
            Network::Bluesky,
            &[MediaFacts {
                alt_text: String::new(),
                ..gif(5)
            }],
            &required
        ),
        ["alt_text_missing"]
    );

    // X: 1,000 characters; é counts one.
    let at_limit = MediaFacts {
        alt_text: "é".repeat(1_000),
        ..jpeg()
    };
    assert!(check(Network::X, &[at_limit], &ctx()).is_empty());
    let over = MediaFacts {
        alt_text: "é".repeat(1_001),
        ..jpeg()
    };
    let problems = check(Network::X, &[over], &ctx());
    assert_eq!(codes(&problems), ["alt_text_too_long"]);
    assert_eq!(
        problems[0].message,
        "Image 1's alt text is 1,001 characters; X accepts up to 1,000. Shorten it by 1."
    );
    // Bluesky counts graphemes: a family emoji is one.
    let family = "👨‍👩‍👧‍👧";
    let emoji = MediaFacts {
        alt_text: family.repeat(2_000),
        ..jpeg()
    };
    assert!(check(Network::Bluesky, &[emoji], &ctx()).is_empty());
    let emoji = MediaFacts {
        alt_text: family.repeat(2_001),
        ..jpeg()
    };
    assert_eq!(
        check_codes(Network::Bluesky, &[emoji], &ctx()),
        ["alt_text_too_long"]
    );
    // Mastodon: 1,500 by default.
    let long = MediaFacts {
        alt_text: "a".repeat(1_501),
        ..jpeg()
    };
    assert_eq!(
        check_codes(Network::Mastodon, &[long], &ctx()),
        ["alt_text_too_long"]
    );
}

#[test]
fn other_limits() {
    // LinkedIn: pixels and video length.
    assert!(check(Network::Linkedin, &[image(1_000, 6016, 6009)], &ctx()).is_empty());
    assert_eq!(
        check_codes(Network::Linkedin, &[image(1_000, 6017, 6009)], &ctx()),
        ["too_many_pixels"]
    );
    assert_eq!(
        check_codes(Network::Linkedin, &[video(2_999)], &ctx()),
        ["video_too_short"]
    );
    assert!(check(Network::Linkedin, &vec![jpeg(); 20], &ctx()).is_empty());
    assert_eq!(
        check_codes(Network::Linkedin, &vec![jpeg(); 21], &ctx()),
        ["too_many_media"]
    );
    // Bluesky: 2,000,000 bytes an image, 3 minutes of video.
    assert!(check(Network::Bluesky, &[image(2_000_000, 100, 100)], &ctx()).is_empty());
    let problems = check(Network::Bluesky, &[image(2_000_001, 100, 100)], &ctx());
    assert_eq!(
        problems[0].message,
        "Image 1 is 2.1 MB; Bluesky accepts images up to 2 MB. Compress it, or choose a smaller \
         file."
    );
    assert_eq!(
        check_codes(Network::Bluesky, &[video(180_001)], &ctx()),
        ["video_too_long"]
    );
    // Threads: 20 items, 10:1 at most.
    assert!(check(Network::Threads, &vec![jpeg(); 20], &ctx()).is_empty());
    assert_eq!(
        check_codes(Network::Threads, &vec![jpeg(); 21], &ctx()),
        ["too_many_media"]
    );
    assert_eq!(
        check_codes(Network::Threads, &[image(1_000, 1100, 100)], &ctx()),
        ["aspect_ratio_out_of_range"]
    );
    // Facebook: 1 GB of video.
    let problems = check(
        Network::Facebook,
        &[MediaFacts {
            bytes: 1_200_000_000,
            ..video(1_000)
        }],
        &ctx(),
    );
    assert_eq!(
        problems[0].message,
        "Video 1 is 1.2 GB; Facebook accepts videos up to 1 GB. Compress it, or choose a smaller \
         file."
    );
    // No width or height: the shape cannot be checked where it matters.
    let blank = image(1_000, 0, 0);
    assert_eq!(
        check_codes(Network::Instagram, std::slice::from_ref(&blank), &ctx()),
        ["dimensions_out_of_range"]
    );
    assert!(check(Network::Bluesky, &[blank], &ctx()).is_empty());
}

#[test]
fn aspect_ranges_for_crops() {
    assert_eq!(
        aspect_range(Network::Instagram, &ctx(), MediaKind::Image),
        Some((0.8, 1.91))
    );
    assert_eq!(
        aspect_range(Network::Instagram, &instagram("carousel"), MediaKind::Image),
        Some((0.8, 1.91))
    );
    assert_eq!(
        aspect_range(Network::Instagram, &instagram("story"), MediaKind::Image),
        None
    );
    assert_eq!(
        aspect_range(Network::Instagram, &instagram("reel"), MediaKind::Image),
        None
    );
    assert_eq!(aspect_range(Network::X, &ctx(), MediaKind::Image), None);
    let (min, max) = aspect_range(Network::X, &ctx(), MediaKind::Video).unwrap();
    assert!((min - 1.0 / 3.0).abs() < 1e-6 && max == 3.0);
    assert_eq!(
        aspect_range(Network::Threads, &ctx(), MediaKind::Image),
        Some((0.1, 10.0))
    );
    assert_eq!(
        aspect_range(Network::Facebook, &facebook("link"), MediaKind::Image),
        None
    );
}

#[test]
fn problems_serialize_for_the_api() {
    let problems = check(Network::Instagram, &[], &ctx());
    let json = serde_json::to_value(&problems).unwrap();
    assert_eq!(json[0]["code"], "media_required");
    assert!(json[0]["index"].is_null());
}

fn any_facts() -> impl Strategy<Value = MediaFacts> {
    (
        prop::sample::select(MediaFormat::ALL.to_vec()),
        prop_oneof![Just(0u64), Just(u64::MAX), any::<u64>(), 0u64..20_000_000],
        prop_oneof![Just(0u32), Just(u32::MAX), any::<u32>(), 1u32..5_000],
        prop_oneof![Just(0u32), Just(u32::MAX), any::<u32>(), 1u32..5_000],
        prop::option::of(prop_oneof![Just(0u64), Just(u64::MAX), any::<u64>()]),
        prop::option::of(any::<u32>()),
        prop_oneof![Just(String::new()), ".{0,40}", Just("x".repeat(3_000))],
    )
        .prop_map(
            |(format, bytes, width, height, duration_ms, frames, alt_text)| MediaFacts {
                format,
                bytes,
                width,
                height,
                duration_ms,
                frames,
                alt_text,
            },
        )
}

fn any_context() -> impl Strategy<Value = MediaContext> {
    let format = || {
        prop::option::of(prop_oneof![
            Just("feed".to_string()),
            Just("reel".to_string()),
            Just("story".to_string()),
            Just("carousel".to_string()),
            Just("link".to_string()),
            Just("photo".to_string()),
            Just("text".to_string()),
            ".{0,8}",
        ])
    };
    let mastodon = prop::option::of(
        (
            any::<u32>(),
            any::<u64>(),
            any::<u64>(),
            any::<u64>(),
            any::<u64>(),
            any::<u32>(),
        )
            .prop_map(|(a, b, c, d, e, f)| MastodonMediaLimits {
                max_attachments: a % 8,
                image_size_limit: b,
                image_matrix_limit: c,
                video_size_limit: d,
                video_matrix_limit: e,
                description_limit: f,
            }),
    );
    (format(), format(), any::<bool>(), mastodon).prop_map(
        |(ig, fb, require_alt_text, mastodon)| MediaContext {
            instagram_format: ig,
            facebook_format: fb,
            require_alt_text,
            mastodon,
        },
    )
}

const CODES: [&str; 15] = [
    "too_many_media",
    "mixed_media",
    "media_required",
    "media_not_allowed",
    "unsupported_format",
    "file_too_large",
    "too_many_pixels",
    "dimensions_out_of_range",
    "aspect_ratio_out_of_range",
    "video_too_long",
    "video_too_short",
    "too_many_frames",
    "alt_text_missing",
    "alt_text_too_long",
    "carousel_too_small",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn check_never_panics(
        network in prop::sample::select(Network::ALL.to_vec()),
        media in prop::collection::vec(any_facts(), 0..24),
        ctx in any_context(),
    ) {
        let problems = check(network, &media, &ctx);
        for p in &problems {
            prop_assert!(CODES.contains(&p.code.as_str()), "{p:?}");
            prop_assert!(!p.message.is_empty());
            prop_assert!(p.index.is_none_or(|i| i < media.len()));
        }
        for kind in [MediaKind::Image, MediaKind::Gif, MediaKind::Video] {
            if let Some((min, max)) = aspect_range(network, &ctx, kind) {
                prop_assert!(min > 0.0 && min <= max);
            }
        }
    }
}
