//! The Mastodon client API's JSON, as much of it as Herald reads
//! (<https://docs.joinmastodon.org/entities/>), and its mapping to Herald's model. Fields
//! that compatible servers (snac, Pleroma, GoToSocial) may leave out are optional.

use serde::Deserialize;

use crate::connectors::html_text;
use crate::connectors::model::{
    Account, Interaction, InteractionKind, Metrics, RemotePost, RemoteRef, ServerLimits,
};

#[derive(Debug, Deserialize)]
pub struct MastodonAccount {
    pub id: String,
    pub username: String,
    pub acct: String,
    #[serde(default)]
    pub display_name: String,
    pub url: Option<String>,
    pub avatar: Option<String>,
    pub followers_count: Option<i64>,
    pub following_count: Option<i64>,
    pub statuses_count: Option<i64>,
}

impl MastodonAccount {
    /// `host` names the instance, so a local account reads `@alice@host` everywhere.
    pub fn into_account(self, host: &str) -> Account {
        let handle = if self.acct.contains('@') {
            format!("@{}", self.acct)
        } else {
            format!("@{}@{host}", self.username)
        };
        Account {
            remote_id: self.id,
            display_name: if self.display_name.is_empty() {
                self.username
            } else {
                self.display_name
            },
            handle,
            avatar_url: self.avatar,
            profile_url: self.url,
            followers: self.followers_count,
            following: self.following_count,
            posts: self.statuses_count,
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct Status {
    pub id: String,
    pub url: Option<String>,
    pub uri: Option<String>,
    #[serde(default)]
    pub content: String,
    pub created_at: Option<String>,
    pub in_reply_to_id: Option<String>,
    pub replies_count: Option<i64>,
    pub reblogs_count: Option<i64>,
    pub favourites_count: Option<i64>,
    pub quotes_count: Option<i64>,
    pub account: Option<MastodonAccount>,
}

impl Status {
    pub fn reference(&self) -> RemoteRef {
        RemoteRef {
            id: self.id.clone(),
            url: self.url.clone().or_else(|| self.uri.clone()),
            cid: None,
        }
    }

    pub fn into_post(self) -> RemotePost {
        RemotePost {
            post: self.reference(),
            text: html_text::to_text(&self.content),
            created_at_ms: self.created_at.as_deref().and_then(instant),
            reply_to: self.in_reply_to_id,
            metrics: Metrics {
                likes: self.favourites_count,
                reposts: self.reblogs_count,
                replies: self.replies_count,
                quotes: self.quotes_count,
                impressions: None,
            },
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct Notification {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub created_at: Option<String>,
    pub account: MastodonAccount,
    pub status: Option<Status>,
}

impl Notification {
    pub fn into_interaction(self, host: &str) -> Interaction {
        let kind = match self.kind.as_str() {
            "mention"
                if self
                    .status
                    .as_ref()
                    .is_some_and(|s| s.in_reply_to_id.is_some()) =>
            {
                InteractionKind::Reply
            }
            "mention" => InteractionKind::Mention,
            "favourite" => InteractionKind::Like,
            "reblog" => InteractionKind::Repost,
            "quote" => InteractionKind::Quote,
            "follow" => InteractionKind::Follow,
            _ => InteractionKind::Other,
        };
        // A mention's status is the reply itself; a like's or repost's is our post.
        let (text, subject, post) = match (&self.status, kind) {
            (
                Some(s),
                InteractionKind::Reply | InteractionKind::Mention | InteractionKind::Quote,
            ) => (
                Some(html_text::to_text(&s.content)),
                s.in_reply_to_id.clone(),
                Some(s.reference()),
            ),
            (Some(s), _) => (None, Some(s.id.clone()), None),
            (None, _) => (None, None, None),
        };
        Interaction {
            id: self.id,
            kind,
            author: self.account.into_account(host),
            text,
            subject,
            post,
            at_ms: self.created_at.as_deref().and_then(instant),
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct Conversation {
    pub id: String,
    #[serde(default)]
    pub accounts: Vec<MastodonAccount>,
    pub last_status: Option<Status>,
}

#[derive(Debug, Deserialize)]
pub struct Attachment {
    pub id: String,
    /// Null while the server is still processing the file.
    pub url: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct App {
    pub client_id: String,
    pub client_secret: String,
}

#[derive(Debug, Deserialize)]
pub struct Token {
    pub access_token: String,
    pub refresh_token: Option<String>,
    pub expires_in: Option<i64>,
}

/// `/api/v2/instance` or `/api/v1/instance` (which older servers and snac answer): the
/// limits sit under `configuration` on both; Pleroma-style servers say `max_toot_chars`.
pub fn limits(instance: &serde_json::Value) -> ServerLimits {
    let config = &instance["configuration"];
    let int = |v: &serde_json::Value| v.as_i64();
    ServerLimits {
        max_characters: int(&config["statuses"]["max_characters"])
            .or_else(|| int(&instance["max_toot_chars"])),
        chars_per_url: int(&config["statuses"]["characters_reserved_per_url"]),
        max_media: int(&config["statuses"]["max_media_attachments"]),
        image_size_limit: int(&config["media_attachments"]["image_size_limit"]),
        video_size_limit: int(&config["media_attachments"]["video_size_limit"]),
    }
}

pub fn instant(text: &str) -> Option<i64> {
    text.parse::<jiff::Timestamp>()
        .ok()
        .map(|t| t.as_millisecond())
}
