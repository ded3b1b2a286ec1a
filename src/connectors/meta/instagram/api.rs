//! The Instagram Graph API's JSON as Herald reads it
//! (<https://developers.facebook.com/docs/instagram-platform/reference/instagram-user>,
//! `.../instagram-media`, `.../instagram-comment`), mapped to Herald's model.

use serde::Deserialize;

use crate::connectors::meta::encode;
use crate::connectors::meta::wire::{Paged, instant};
use crate::connectors::model::{
    Account, Interaction, InteractionKind, Metrics, RemotePost, RemoteRef,
};

/// A professional account: the channel's own, a page's `instagram_business_account`, or
/// one found by `business_discovery`.
#[derive(Debug, Deserialize)]
pub struct IgUser {
    pub id: String,
    pub username: Option<String>,
    pub name: Option<String>,
    pub profile_picture_url: Option<String>,
    pub followers_count: Option<i64>,
    pub follows_count: Option<i64>,
    pub media_count: Option<i64>,
    pub media: Option<Paged<Media>>,
}

pub fn profile_url(username: &str) -> String {
    format!("https://www.instagram.com/{}/", encode(username))
}

impl IgUser {
    pub fn account(&self) -> Account {
        let username = self.username.clone().unwrap_or_default();
        Account {
            remote_id: self.id.clone(),
            handle: format!("@{username}"),
            display_name: self
                .name
                .clone()
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| username.clone()),
            avatar_url: self.profile_picture_url.clone(),
            profile_url: (!username.is_empty()).then(|| profile_url(&username)),
            followers: self.followers_count,
            following: self.follows_count,
            posts: self.media_count,
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct Media {
    pub id: String,
    pub caption: Option<String>,
    pub permalink: Option<String>,
    pub timestamp: Option<String>,
    pub like_count: Option<i64>,
    pub comments_count: Option<i64>,
    pub username: Option<String>,
}

impl Media {
    pub fn reference(&self) -> RemoteRef {
        RemoteRef {
            id: self.id.clone(),
            url: self.permalink.clone(),
            cid: None,
        }
    }

    pub fn into_post(self) -> RemotePost {
        RemotePost {
            post: self.reference(),
            created_at_ms: self.timestamp.as_deref().and_then(instant),
            metrics: Metrics {
                likes: self.like_count,
                replies: self.comments_count,
                reposts: None,
                quotes: None,
                impressions: None,
            },
            text: self.caption.unwrap_or_default(),
            reply_to: None,
        }
    }

    /// A post that tags or mentions the channel, as an interaction.
    pub fn into_mention(self) -> Interaction {
        Interaction {
            id: self.id.clone(),
            kind: InteractionKind::Mention,
            author: by(self.username.as_deref(), None),
            text: self.caption.clone(),
            subject: None,
            post: Some(self.reference()),
            at_ms: self.timestamp.as_deref().and_then(instant),
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct Comment {
    pub id: String,
    pub text: Option<String>,
    pub timestamp: Option<String>,
    pub username: Option<String>,
    pub from: Option<CommentAuthor>,
    pub replies: Option<Paged<Comment>>,
    pub media: Option<MediaRef>,
}

#[derive(Debug, Deserialize)]
pub struct CommentAuthor {
    pub id: Option<String>,
    pub username: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct MediaRef {
    pub id: String,
}

/// An account known by username (comments name their author only so).
fn by(username: Option<&str>, id: Option<&str>) -> Account {
    let username = username.unwrap_or_default();
    Account {
        remote_id: id.unwrap_or_default().to_owned(),
        handle: if username.is_empty() {
            String::new()
        } else {
            format!("@{username}")
        },
        display_name: username.to_owned(),
        profile_url: (!username.is_empty()).then(|| profile_url(username)),
        ..Account::default()
    }
}

impl Comment {
    pub fn author_name(&self) -> Option<&str> {
        self.username
            .as_deref()
            .or_else(|| self.from.as_ref().and_then(|f| f.username.as_deref()))
    }

    /// As an interaction: `kind` is `Reply` for comments on the channel's media, `Mention`
    /// for a comment elsewhere that names the channel.
    pub fn interaction(&self, kind: InteractionKind, subject: Option<&str>) -> Interaction {
        Interaction {
            id: self.id.clone(),
            kind,
            author: by(
                self.author_name(),
                self.from.as_ref().and_then(|f| f.id.as_deref()),
            ),
            text: self.text.clone(),
            subject: subject
                .map(str::to_owned)
                .or_else(|| self.media.as_ref().map(|m| m.id.clone())),
            post: Some(RemoteRef {
                id: self.id.clone(),
                url: None,
                cid: None,
            }),
            at_ms: self.timestamp.as_deref().and_then(instant),
        }
    }
}

/// `GET /{ig-user-id}?fields=mentioned_comment...` / `mentioned_media...`, with the id of a
/// mention Meta sent in a webhook.
#[derive(Debug, Deserialize)]
pub struct Mentioned {
    pub mentioned_comment: Option<Comment>,
    pub mentioned_media: Option<Media>,
}

/// `GET /{ig-user-id}?fields=business_discovery.username(...){...}`.
#[derive(Debug, Deserialize)]
pub struct Discovery {
    pub business_discovery: Option<IgUser>,
}
