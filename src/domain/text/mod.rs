//! How each network counts and reads post text: length as the network counts it, the
//! entities it recognises (links, hashtags, mentions, cashtags) with UTF-8 byte offsets, and
//! each problem in words with its position. Pure functions; `herald check` and
//! `POST /api/v1/check` print what `check` returns.

pub mod bluesky;
mod mastodon;
mod meta;
pub mod split;
mod threads;
mod twitter_text;
pub mod x;

use serde::Serialize;

/// The networks Herald publishes to.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    serde::Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Network {
    X,
    Mastodon,
    Bluesky,
    Threads,
    Linkedin,
    Instagram,
    Facebook,
}

impl Network {
    pub const ALL: [Network; 7] = [
        Network::X,
        Network::Mastodon,
        Network::Bluesky,
        Network::Threads,
        Network::Linkedin,
        Network::Instagram,
        Network::Facebook,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Network::X => "x",
            Network::Mastodon => "mastodon",
            Network::Bluesky => "bluesky",
            Network::Threads => "threads",
            Network::Linkedin => "linkedin",
            Network::Instagram => "instagram",
            Network::Facebook => "facebook",
        }
    }

    /// The network's name as people write it.
    pub fn label(self) -> &'static str {
        match self {
            Network::X => "X",
            Network::Mastodon => "Mastodon",
            Network::Bluesky => "Bluesky",
            Network::Threads => "Threads",
            Network::Linkedin => "LinkedIn",
            Network::Instagram => "Instagram",
            Network::Facebook => "Facebook",
        }
    }

    pub fn parse(name: &str) -> Option<Network> {
        Network::ALL
            .into_iter()
            .find(|n| n.as_str() == name.trim().to_lowercase())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    Url,
    Hashtag,
    Mention,
    Cashtag,
}

/// A link, hashtag, mention or cashtag as the network recognises it. `text` is the exact
/// slice of the input (with its `#`, `@` or `$`); `start..end` are UTF-8 byte offsets.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Entity {
    pub kind: EntityKind,
    pub text: String,
    pub start: usize,
    pub end: usize,
}

/// One reason the text cannot be published as it is, with the byte range it concerns
/// (`0..0` when it concerns the whole post).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// Stable, for scripts: `too_long`, `too_many_bytes`, `too_many_hashtags`, `invalid_character`, ...
    pub code: String,
    /// For people: what is wrong and what to do.
    pub message: String,
    pub start: usize,
    pub end: usize,
}

/// What `check` answers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Check {
    pub network: Network,
    /// The length as the network counts it (weighted for X, graphemes for Bluesky, ...).
    pub length: usize,
    pub limit: usize,
    pub valid: bool,
    pub entities: Vec<Entity>,
    pub problems: Vec<Problem>,
}

/// Settings a check may need beyond the text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CheckOptions {
    /// A Mastodon instance's limits (`configuration.statuses` of `GET /api/v2/instance`);
    /// the defaults of a stock Mastodon when absent.
    pub mastodon: Option<MastodonLimits>,
    /// A content warning (Mastodon `spoiler_text`), which counts toward the limit.
    pub content_warning: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MastodonLimits {
    pub max_characters: usize,
    pub characters_reserved_per_url: usize,
}

impl Default for MastodonLimits {
    fn default() -> Self {
        MastodonLimits {
            max_characters: 500,
            characters_reserved_per_url: 23,
        }
    }
}

/// Checks `text` against one network's rules.
pub fn check(network: Network, text: &str, options: &CheckOptions) -> Check {
    match network {
        Network::X => x::check(text),
        Network::Mastodon => mastodon::check(text, options),
        Network::Bluesky => bluesky::check(text),
        Network::Threads => threads::check(text),
        Network::Linkedin | Network::Instagram | Network::Facebook => meta::check(network, text),
    }
}
