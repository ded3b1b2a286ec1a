//! The AT Protocol JSON Herald reads (`lexicons/` in shared/fixtures/bluesky) and its
//! mapping to Herald's model.

use serde::Deserialize;

use crate::connectors::model::{
    Account, Interaction, InteractionKind, Metrics, RemotePost, RemoteRef,
};

/// `com.atproto.server.createSession` and `refreshSession`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionAnswer {
    pub access_jwt: String,
    pub refresh_jwt: String,
    pub handle: String,
    pub did: String,
    pub did_doc: Option<serde_json::Value>,
}

impl SessionAnswer {
    /// The PDS the DID document names (`#atproto_pds`), where the account's data lives.
    pub fn pds(&self) -> Option<String> {
        self.did_doc.as_ref()?["service"]
            .as_array()?
            .iter()
            .find(|s| {
                s["id"]
                    .as_str()
                    .is_some_and(|id| id.ends_with("#atproto_pds"))
                    || s["type"] == "AtprotoPersonalDataServer"
            })?["serviceEndpoint"]
            .as_str()
            .map(str::to_owned)
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProfileView {
    pub did: String,
    pub handle: String,
    pub display_name: Option<String>,
    pub avatar: Option<String>,
    pub followers_count: Option<i64>,
    pub follows_count: Option<i64>,
    pub posts_count: Option<i64>,
}

impl ProfileView {
    pub fn into_account(self) -> Account {
        Account {
            profile_url: Some(format!("https://bsky.app/profile/{}", self.handle)),
            display_name: self
                .display_name
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| self.handle.clone()),
            handle: format!("@{}", self.handle),
            remote_id: self.did,
            avatar_url: self.avatar,
            followers: self.followers_count,
            following: self.follows_count,
            posts: self.posts_count,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PostView {
    pub uri: String,
    pub cid: String,
    pub author: ProfileView,
    pub record: serde_json::Value,
    pub reply_count: Option<i64>,
    pub repost_count: Option<i64>,
    pub like_count: Option<i64>,
    pub quote_count: Option<i64>,
}

impl PostView {
    pub fn into_post(self) -> RemotePost {
        RemotePost {
            post: RemoteRef {
                url: Some(web_url(&self.uri, &self.author.handle)),
                id: self.uri,
                cid: Some(self.cid),
            },
            text: self.record["text"].as_str().unwrap_or_default().to_owned(),
            created_at_ms: self.record["createdAt"].as_str().and_then(instant),
            reply_to: self.record["reply"]["parent"]["uri"]
                .as_str()
                .map(str::to_owned),
            metrics: Metrics {
                likes: self.like_count,
                reposts: self.repost_count,
                replies: self.reply_count,
                quotes: self.quote_count,
                impressions: None,
            },
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct FeedItem {
    pub post: PostView,
    /// Set when the item is someone's repost, not the author's own post.
    pub reason: Option<serde_json::Value>,
}

#[derive(Debug, Deserialize)]
pub struct Feed {
    pub feed: Vec<FeedItem>,
}

#[derive(Debug, Deserialize)]
pub struct Posts {
    pub posts: Vec<PostView>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Notification {
    pub uri: String,
    pub cid: String,
    pub author: ProfileView,
    pub reason: String,
    pub reason_subject: Option<String>,
    pub record: serde_json::Value,
    pub indexed_at: Option<String>,
}

impl Notification {
    pub fn into_interaction(self) -> Interaction {
        let kind = match self.reason.as_str() {
            "reply" => InteractionKind::Reply,
            "mention" => InteractionKind::Mention,
            "like" => InteractionKind::Like,
            "repost" => InteractionKind::Repost,
            "quote" => InteractionKind::Quote,
            "follow" => InteractionKind::Follow,
            _ => InteractionKind::Other,
        };
        let is_post = matches!(
            kind,
            InteractionKind::Reply | InteractionKind::Mention | InteractionKind::Quote
        );
        let subject = self.reason_subject.or_else(|| {
            self.record["reply"]["parent"]["uri"]
                .as_str()
                .map(str::to_owned)
        });
        Interaction {
            text: is_post
                .then(|| self.record["text"].as_str().map(str::to_owned))
                .flatten(),
            post: is_post.then(|| RemoteRef {
                url: Some(web_url(&self.uri, &self.author.handle)),
                id: self.uri.clone(),
                cid: Some(self.cid.clone()),
            }),
            at_ms: self.record["createdAt"]
                .as_str()
                .and_then(instant)
                .or_else(|| self.indexed_at.as_deref().and_then(instant)),
            id: self.uri,
            kind,
            author: self.author.into_account(),
            subject,
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct Notifications {
    pub notifications: Vec<Notification>,
}

/// `at://did/app.bsky.feed.post/rkey` as people open it.
pub fn web_url(uri: &str, handle: &str) -> String {
    let rkey = uri.rsplit('/').next().unwrap_or_default();
    format!("https://bsky.app/profile/{handle}/post/{rkey}")
}

pub fn instant(text: &str) -> Option<i64> {
    text.parse::<jiff::Timestamp>()
        .ok()
        .map(|t| t.as_millisecond())
}
