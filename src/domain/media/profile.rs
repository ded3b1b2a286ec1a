//! The profile images each network shows: the profile picture (avatar) and the header, cover
//! or banner, at the exact size the network recommends, with the areas that stay visible
//! (`SafeZoneKind::Keep`) or are hidden behind the avatar and buttons
//! (`SafeZoneKind::Covered`), in output pixels.
//!
//! `docs/platforms.md` does not list these sizes; each figure below comes from the network's
//! help centre (or, for Mastodon and Bluesky, from the code that resizes uploads), cited next
//! to it. Overlap areas are measured on the web app at its usual column width and scaled up:
//! approximate by nature, they are there to warn, not to promise.

use serde::Serialize;

use super::MediaFormat;
use super::crop::Rect;
use crate::domain::text::Network;

/// Which profile image.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Slot {
    /// The profile picture.
    Avatar,
    /// The header, cover or banner across the top of the profile.
    Banner,
}

impl Slot {
    pub fn as_str(self) -> &'static str {
        match self {
            Slot::Avatar => "avatar",
            Slot::Banner => "banner",
        }
    }
}

/// How the network masks the picture when it shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Shape {
    Circle,
    Square,
    /// A square with rounded corners.
    Rounded,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SafeZoneKind {
    /// What matters (faces, text, a logo) must stay inside.
    Keep,
    /// Hidden behind the avatar, the name or buttons: keep it free of anything that matters.
    Covered,
}

/// An area of the output image, in output pixels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct SafeZone {
    pub label: &'static str,
    pub rect: Rect,
    pub kind: SafeZoneKind,
}

/// One profile image of one network.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ProfileSpec {
    pub network: Network,
    pub slot: Slot,
    pub width: u32,
    pub height: u32,
    pub shape: Shape,
    pub safe_zones: Vec<SafeZone>,
    pub note: &'static str,
}

impl ProfileSpec {
    /// Width over height.
    pub fn aspect(&self) -> f32 {
        self.width as f32 / self.height.max(1) as f32
    }

    /// Avatars as PNG (small, and sharp edges for logos), banners as JPEG (large photos).
    pub fn format(&self) -> MediaFormat {
        match self.slot {
            Slot::Avatar => MediaFormat::Png,
            Slot::Banner => MediaFormat::Jpeg,
        }
    }
}

/// `x-avatar-400x400.png`, `x-banner-1500x500.jpg`.
pub fn file_name(spec: &ProfileSpec) -> String {
    format!(
        "{}-{}-{}x{}.{}",
        spec.network.as_str(),
        spec.slot.as_str(),
        spec.width,
        spec.height,
        spec.format().extension()
    )
}

/// The one spec of `network` for `slot`, if the network has that image.
pub fn spec(network: Network, slot: Slot) -> Option<ProfileSpec> {
    specs()
        .into_iter()
        .find(|s| s.network == network && s.slot == slot)
}

/// Every profile image of every network, in `Network::ALL` order, avatar first.
pub fn specs() -> Vec<ProfileSpec> {
    vec![
        // X Help Center, "How to customize your profile" and "Common issues when uploading a
        // profile photo" (help.x.com/en/managing-your-account): profile photo 400×400 px,
        // header 1500×500 px. The photo is shown in a circle.
        circle_avatar(Network::X, 400, "Shown as a circle, 48 px in timelines."),
        ProfileSpec {
            network: Network::X,
            slot: Slot::Banner,
            width: 1500,
            height: 500,
            shape: Shape::Square,
            safe_zones: vec![
                // Same help pages: the header may be cropped top and bottom (about 60 px at
                // this size) depending on the screen.
                SafeZone {
                    label: "visible on every screen",
                    rect: Rect {
                        x: 0,
                        y: 60,
                        width: 1500,
                        height: 380,
                    },
                    kind: SafeZoneKind::Keep,
                },
                // The web profile shows the header at 600×200 with a 134 px avatar 16 px from
                // the left, half over the header's bottom edge: ×2.5.
                SafeZone {
                    label: "profile picture",
                    rect: Rect {
                        x: 40,
                        y: 333,
                        width: 334,
                        height: 167,
                    },
                    kind: SafeZoneKind::Covered,
                },
            ],
            note: "Top and bottom edges may be cropped; the profile picture covers the lower left.",
        },
        // Mastodon has no help centre for this: the server itself resizes uploads, avatar to
        // 400×400 (app/models/concerns/account/avatar.rb, AVATAR_DIMENSIONS) and header to
        // 1500×500 (app/models/concerns/account/header.rb, HEADER_DIMENSIONS). Avatars have
        // rounded corners in the web app.
        ProfileSpec {
            network: Network::Mastodon,
            slot: Slot::Avatar,
            width: 400,
            height: 400,
            shape: Shape::Rounded,
            safe_zones: Vec::new(),
            note: "A square with rounded corners; animated avatars are shown still by default.",
        },
        ProfileSpec {
            network: Network::Mastodon,
            slot: Slot::Banner,
            width: 1500,
            height: 500,
            shape: Shape::Square,
            safe_zones: vec![
                // Web app: a 94 px avatar 20 px from the left over the bottom edge of a
                // 600 px wide header: ×2.5.
                SafeZone {
                    label: "profile picture",
                    rect: Rect {
                        x: 50,
                        y: 383,
                        width: 235,
                        height: 117,
                    },
                    kind: SafeZoneKind::Covered,
                },
            ],
            note: "The avatar and name overlap the lower left.",
        },
        // Bluesky's app crops avatars to 1000×1000 and banners to 3000×1000 before upload
        // (bluesky-social/social-app, the avatar and banner pickers), shown as a circle and 3:1.
        circle_avatar(Network::Bluesky, 1000, "Shown as a circle."),
        ProfileSpec {
            network: Network::Bluesky,
            slot: Slot::Banner,
            width: 3000,
            height: 1000,
            shape: Shape::Square,
            safe_zones: vec![
                // App: a 94 px avatar 14 px from the left, 43 px over the bottom edge of a
                // 600×200 banner: ×5.
                SafeZone {
                    label: "profile picture",
                    rect: Rect {
                        x: 70,
                        y: 785,
                        width: 470,
                        height: 215,
                    },
                    kind: SafeZoneKind::Covered,
                },
            ],
            note: "The avatar overlaps the lower left.",
        },
        // Threads uses the Instagram profile picture (Instagram Help Center: profile photo
        // shown at 320×320 px, in a circle); it has no banner.
        circle_avatar(
            Network::Threads,
            320,
            "Comes from the linked Instagram account; shown as a circle. No banner.",
        ),
        // LinkedIn Help, "Image specifications for your LinkedIn Pages"
        // (linkedin.com/help/linkedin/answer/a563309): logo 400×400 px (square), cover
        // 1128×191 px.
        ProfileSpec {
            network: Network::Linkedin,
            slot: Slot::Avatar,
            width: 400,
            height: 400,
            shape: Shape::Square,
            safe_zones: Vec::new(),
            note: "Company Page logo, shown square.",
        },
        ProfileSpec {
            network: Network::Linkedin,
            slot: Slot::Banner,
            width: 1128,
            height: 191,
            shape: Shape::Square,
            safe_zones: Vec::new(),
            note: "Company Page cover; very wide, keep it simple. The logo sits at its lower left.",
        },
        // Instagram Help Center: the profile photo is shown at 320×320 px, in a circle; there
        // is no banner.
        circle_avatar(Network::Instagram, 320, "Shown as a circle. No banner."),
        // Facebook Help Center, "Profile picture and cover photo dimensions for your Page":
        // the Page's profile picture displays at 176×176 px on computers (upload 720×720 for
        // sharp screens, shown as a circle); the cover displays at 820×312 px on computers and
        // 640×360 px on smartphones, and 1640×624 is the recommended upload (2× desktop).
        circle_avatar(
            Network::Facebook,
            720,
            "Shown as a circle, 176 px on computers.",
        ),
        ProfileSpec {
            network: Network::Facebook,
            slot: Slot::Banner,
            width: 1640,
            height: 624,
            shape: Shape::Square,
            safe_zones: vec![facebook_mobile_zone()],
            note: "Computers show it all; phones show only the centre at 16:9, so keep text there.",
        },
    ]
}

/// Phones show the cover at 640×360: the full height and the centre at 16:9 of it.
fn facebook_mobile_zone() -> SafeZone {
    let (width, height) = (1640u32, 624u32);
    let visible = ((f64::from(height) * 640.0 / 360.0).floor() as u32).min(width);
    SafeZone {
        label: "visible on phones",
        rect: Rect {
            x: (width - visible) / 2,
            y: 0,
            width: visible,
            height,
        },
        kind: SafeZoneKind::Keep,
    }
}

/// A square avatar shown in a circle: what matters must fit in the square inscribed in it.
fn circle_avatar(network: Network, side: u32, note: &'static str) -> ProfileSpec {
    ProfileSpec {
        network,
        slot: Slot::Avatar,
        width: side,
        height: side,
        shape: Shape::Circle,
        safe_zones: vec![SafeZone {
            label: "inside the circle",
            rect: inscribed_square(side),
            kind: SafeZoneKind::Keep,
        }],
        note,
    }
}

/// The largest square inside the circle inscribed in a `side` × `side` square.
fn inscribed_square(side: u32) -> Rect {
    let inner = (f64::from(side) / std::f64::consts::SQRT_2).floor() as u32;
    let offset = (side - inner) / 2;
    Rect {
        x: offset,
        y: offset,
        width: inner,
        height: inner,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_network_has_an_avatar_and_some_a_banner() {
        let all = specs();
        for network in Network::ALL {
            assert!(spec(network, Slot::Avatar).is_some(), "{network:?}");
        }
        for network in [Network::Instagram, Network::Threads] {
            assert_eq!(spec(network, Slot::Banner), None);
        }
        assert_eq!(all.len(), 12);
        let mut names: Vec<String> = all.iter().map(file_name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), all.len());
    }

    #[test]
    fn sizes_are_the_documented_ones() {
        let size = |n, s| spec(n, s).map(|s| (s.width, s.height, s.shape));
        assert_eq!(
            size(Network::X, Slot::Avatar),
            Some((400, 400, Shape::Circle))
        );
        assert_eq!(
            size(Network::X, Slot::Banner),
            Some((1500, 500, Shape::Square))
        );
        assert_eq!(
            size(Network::Facebook, Slot::Avatar),
            Some((720, 720, Shape::Circle))
        );
        assert_eq!(
            size(Network::Facebook, Slot::Banner),
            Some((1640, 624, Shape::Square))
        );
        assert_eq!(
            size(Network::Linkedin, Slot::Avatar),
            Some((400, 400, Shape::Square))
        );
        assert_eq!(
            size(Network::Linkedin, Slot::Banner),
            Some((1128, 191, Shape::Square))
        );
        assert_eq!(
            size(Network::Instagram, Slot::Avatar),
            Some((320, 320, Shape::Circle))
        );
        assert_eq!(
            size(Network::Threads, Slot::Avatar),
            Some((320, 320, Shape::Circle))
        );
        assert_eq!(
            size(Network::Mastodon, Slot::Avatar),
            Some((400, 400, Shape::Rounded))
        );
        assert_eq!(
            size(Network::Mastodon, Slot::Banner),
            Some((1500, 500, Shape::Square))
        );
        assert_eq!(
            size(Network::Bluesky, Slot::Avatar),
            Some((1000, 1000, Shape::Circle))
        );
        assert_eq!(
            size(Network::Bluesky, Slot::Banner),
            Some((3000, 1000, Shape::Square))
        );
    }

    #[test]
    fn file_names() {
        let x = spec(Network::X, Slot::Avatar).unwrap();
        assert_eq!(file_name(&x), "x-avatar-400x400.png");
        let x = spec(Network::X, Slot::Banner).unwrap();
        assert_eq!(file_name(&x), "x-banner-1500x500.jpg");
    }

    #[test]
    fn zones_lie_inside_the_image_and_circles_keep_their_inscribed_square() {
        for s in specs() {
            for zone in &s.safe_zones {
                assert!(zone.rect.width > 0 && zone.rect.height > 0);
                assert!(zone.rect.fits_in(s.width, s.height), "{s:?}");
            }
            if s.shape == Shape::Circle {
                let keep = s
                    .safe_zones
                    .iter()
                    .find(|z| z.kind == SafeZoneKind::Keep)
                    .unwrap();
                // The square's corners are on (or just inside) the circle.
                let r = f64::from(s.width) / 2.0;
                let half_diagonal = f64::from(keep.rect.width) / 2.0 * std::f64::consts::SQRT_2;
                assert!(half_diagonal <= r && half_diagonal > r - 2.0, "{s:?}");
                assert_eq!(keep.rect.x, keep.rect.y);
            }
        }
        assert_eq!(
            inscribed_square(400),
            Rect {
                x: 59,
                y: 59,
                width: 282,
                height: 282
            }
        );
    }

    #[test]
    fn facebook_phones_see_the_centre() {
        let cover = spec(Network::Facebook, Slot::Banner).unwrap();
        let zone = cover.safe_zones[0].rect;
        assert_eq!((zone.width, zone.height), (1109, 624));
        assert_eq!(zone.x, 265);
    }
}
