//! What goes to a network and what comes back, in Herald's words (each connector maps its
//! network's JSON to these).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::domain::media::MediaKind;
use crate::domain::post::VariantOptions;

/// A channel's credentials. Stored encrypted (`SecretBox`), never shown.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credentials {
    pub access_token: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    /// When the access token stops working, when the network says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at_ms: Option<i64>,
    /// Per-network extras (Bluesky: the DID and the PDS; Facebook: the page id).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extra: BTreeMap<String, String>,
}

impl std::fmt::Debug for Credentials {
    // Tokens never reach logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("expires_at_ms", &self.expires_at_ms)
            .field("has_refresh_token", &self.refresh_token.is_some())
            .finish_non_exhaustive()
    }
}

impl Credentials {
    pub fn bearer(access_token: impl Into<String>) -> Self {
        Credentials {
            access_token: access_token.into(),
            ..Credentials::default()
        }
    }

    /// Whether Herald can get a new access token on its own (a refresh token, or Bluesky's
    /// app password).
    pub fn can_renew(&self) -> bool {
        self.refresh_token.as_deref().is_some_and(|t| !t.is_empty())
            || self
                .extra
                .contains_key(super::bluesky::session::APP_PASSWORD)
    }

    /// Takes a refreshed set, keeping the old refresh token when the network sent none (a
    /// refresh never replaces a refresh token with an empty one).
    pub fn refreshed(&mut self, new: Credentials) {
        let keep = self.refresh_token.take();
        let mut extra = std::mem::take(&mut self.extra);
        extra.extend(new.extra);
        *self = Credentials {
            refresh_token: new.refresh_token.filter(|t| !t.is_empty()).or(keep),
            extra,
            ..new
        };
    }
}

/// The account behind a channel, or any public account.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Account {
    /// The network's own id (Mastodon account id, Bluesky DID, X user id...).
    pub remote_id: String,
    /// As people write it: `@alice@example.social`, `@alice.bsky.social`.
    pub handle: String,
    pub display_name: String,
    pub avatar_url: Option<String>,
    pub profile_url: Option<String>,
    pub followers: Option<i64>,
    pub following: Option<i64>,
    pub posts: Option<i64>,
}

/// A Mastodon instance's (or another server's) own limits, read when connecting.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ServerLimits {
    pub max_characters: Option<i64>,
    pub chars_per_url: Option<i64>,
    pub max_media: Option<i64>,
    pub image_size_limit: Option<i64>,
    pub video_size_limit: Option<i64>,
}

/// A file to attach, read from the media library.
#[derive(Clone)]
pub struct MediaFile {
    pub bytes: Vec<u8>,
    pub mime: String,
    pub file_name: String,
    pub kind: MediaKind,
    pub alt: String,
    pub width: u32,
    pub height: u32,
    /// Where the network can fetch the file itself: the install's signed, expiring address
    /// (`Services::media_public_url`). Instagram and Threads take media only this way.
    pub public_url: Option<String>,
}

impl std::fmt::Debug for MediaFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "MediaFile({}, {}, {} bytes, {}x{})",
            self.file_name,
            self.mime,
            self.bytes.len(),
            self.width,
            self.height
        )
    }
}

/// One post of a thread: its text and media.
#[derive(Clone, Debug, Default)]
pub struct Part {
    pub text: String,
    pub media: Vec<MediaFile>,
}

/// A link card, for networks that do not make one themselves (Bluesky).
#[derive(Clone, Debug)]
pub struct LinkCard {
    pub url: String,
    pub title: String,
    pub description: String,
    pub thumb: Option<MediaFile>,
}

/// What to publish on one channel.
#[derive(Clone, Debug, Default)]
pub struct PublishRequest {
    /// One or more parts; after the first, each replies to the one before.
    pub parts: Vec<Part>,
    /// Posted as a reply (comment) to the first part, where the network has comments.
    pub first_comment: Option<String>,
    /// Publish as a reply to this post.
    pub reply_to: Option<RemoteRef>,
    pub options: VariantOptions,
    pub link_card: Option<LinkCard>,
    /// Stable across retries of the same variant, so a retry cannot duplicate.
    pub idempotency_key: String,
    /// When the variant's first attempt began (stable across retries too): with the key, it
    /// makes Bluesky's record keys.
    pub first_attempt_ms: i64,
    /// Where `parts` start in the whole thread: a retry after part 2 of 4 was published sends
    /// parts 3 and 4 (replying to part 2), and their keys must be those of parts 3 and 4.
    pub first_part_index: usize,
}

/// A post on a network.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RemoteRef {
    /// Mastodon status id, Bluesky `at://` URI, X tweet id...
    pub id: String,
    /// Where people see it.
    pub url: Option<String>,
    /// Bluesky's content hash (replies need it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cid: Option<String>,
}

/// What a publish made.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Published {
    /// One per part, in order.
    pub parts: Vec<RemoteRef>,
    pub first_comment: Option<RemoteRef>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Metrics {
    pub likes: Option<i64>,
    pub reposts: Option<i64>,
    pub replies: Option<i64>,
    pub quotes: Option<i64>,
    pub impressions: Option<i64>,
}

/// A post read back from a network.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RemotePost {
    pub post: RemoteRef,
    pub text: String,
    pub created_at_ms: Option<i64>,
    pub reply_to: Option<String>,
    pub metrics: Metrics,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum InteractionKind {
    Reply,
    Mention,
    Like,
    Repost,
    Quote,
    Follow,
    Message,
    Other,
}

/// A reply, mention, like, repost, follow or message someone sent the channel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Interaction {
    /// The network's id for the notification (or comment, or message).
    pub id: String,
    pub kind: InteractionKind,
    pub author: Account,
    /// The reply's or mention's text.
    pub text: Option<String>,
    /// The post that was liked, reposted or replied to.
    pub subject: Option<String>,
    /// The reply or mention itself, to answer it.
    pub post: Option<RemoteRef>,
    pub at_ms: Option<i64>,
}

/// Another account's public profile with its recent posts (competitor monitoring).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PublicProfile {
    pub account: Account,
    pub recent: Vec<RemotePost>,
}

/// An install's app registration on a network (entered by an instance admin), for the OAuth
/// flows of X, Facebook, Instagram, LinkedIn and Threads.
#[derive(Clone, PartialEq, Eq)]
pub struct OAuthApp {
    pub client_id: String,
    pub client_secret: String,
}

impl std::fmt::Debug for OAuthApp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "OAuthApp({})", self.client_id)
    }
}

/// One account an OAuth grant gives access to, for the person to pick (Facebook pages,
/// LinkedIn organisations, Instagram accounts linked to pages).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ConnectableAccount {
    pub account: Account,
    /// What the channel needs to act as this account (a page token...).
    #[serde(skip)]
    pub credentials: Credentials,
    /// Why this account cannot be connected, when the network listed it anyway (a page with
    /// no Instagram account linked, a page the person may not publish to).
    pub unavailable: Option<String>,
}

impl ConnectableAccount {
    pub fn new(account: Account, credentials: Credentials) -> Self {
        ConnectableAccount {
            account,
            credentials,
            unavailable: None,
        }
    }

    /// An account shown with the reason it cannot be picked.
    pub fn unavailable(account: Account, reason: impl Into<String>) -> Self {
        ConnectableAccount {
            account,
            credentials: Credentials::default(),
            unavailable: Some(reason.into()),
        }
    }
}
