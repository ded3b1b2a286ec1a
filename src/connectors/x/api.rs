//! X API v2's JSON, as much of it as Herald reads
//! (<https://docs.x.com/x-api/fundamentals/data-dictionary>), and its mapping to Herald's
//! model; texts are read back as written in `text.rs`.

use serde::Deserialize;

use super::{errors, text};
use crate::connectors::error::ConnectorResult;
use crate::connectors::model::{
    Account, Interaction, InteractionKind, Metrics, RemotePost, RemoteRef,
};

/// Every v2 answer: `data`, the `includes` the expansions asked for, and `errors` (with a
/// 200 these are "partial errors": a user that does not exist, a post not visible).
#[derive(Debug, Deserialize)]
#[serde(bound(deserialize = "T: Deserialize<'de>"))]
pub struct Envelope<T> {
    data: Option<T>,
    #[serde(default)]
    includes: Includes,
    #[serde(default)]
    errors: Vec<serde_json::Value>,
}

#[derive(Debug, Default, Deserialize)]
pub struct Includes {
    #[serde(default)]
    pub users: Vec<User>,
}

impl<T> Envelope<T> {
    /// The one thing asked for; a 200 with only `errors` is the first of them.
    pub fn one(self) -> ConnectorResult<T> {
        self.data.ok_or_else(|| errors::partial(&self.errors))
    }
}

impl<T: Default> Envelope<T> {
    /// A list, with the users it refers to; no `data` and no `errors` is an empty page.
    pub fn list(self) -> ConnectorResult<(T, Vec<User>)> {
        match self.data {
            Some(data) => Ok((data, self.includes.users)),
            None if self.errors.is_empty() => Ok((T::default(), Vec::new())),
            None => Err(errors::partial(&self.errors)),
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct User {
    pub id: String,
    pub username: String,
    #[serde(default)]
    pub name: String,
    pub profile_image_url: Option<String>,
    pub public_metrics: Option<UserMetrics>,
}

#[derive(Debug, Deserialize)]
pub struct UserMetrics {
    pub followers_count: Option<i64>,
    pub following_count: Option<i64>,
    pub tweet_count: Option<i64>,
}

impl User {
    pub fn account(&self) -> Account {
        let metrics = self.public_metrics.as_ref();
        Account {
            remote_id: self.id.clone(),
            handle: format!("@{}", self.username),
            display_name: if self.name.is_empty() {
                self.username.clone()
            } else {
                self.name.clone()
            },
            avatar_url: self.profile_image_url.clone(),
            profile_url: Some(format!("https://x.com/{}", self.username)),
            followers: metrics.and_then(|m| m.followers_count),
            following: metrics.and_then(|m| m.following_count),
            posts: metrics.and_then(|m| m.tweet_count),
        }
    }

    pub fn into_account(self) -> Account {
        self.account()
    }
}

/// The account behind `id`, from the answer's expansions; X may leave one out.
fn author(users: &[User], id: Option<&str>) -> Account {
    let Some(id) = id else {
        return Account::default();
    };
    users
        .iter()
        .find(|u| u.id == id)
        .map(User::account)
        .unwrap_or_else(|| Account {
            remote_id: id.to_owned(),
            ..Account::default()
        })
}

#[derive(Debug, Default, Deserialize)]
pub struct Tweet {
    pub id: String,
    #[serde(default)]
    pub text: String,
    pub created_at: Option<String>,
    pub author_id: Option<String>,
    #[serde(default)]
    pub referenced_tweets: Vec<Referenced>,
    pub public_metrics: Option<TweetMetrics>,
    /// Only for the channel's own posts of the last 30 days, when asked for.
    pub non_public_metrics: Option<TweetMetrics>,
    pub organic_metrics: Option<TweetMetrics>,
    pub entities: Option<Entities>,
    /// The whole text of a post longer than 280 (`text` is then cut).
    pub note_tweet: Option<NoteTweet>,
}

#[derive(Debug, Deserialize)]
pub struct Referenced {
    #[serde(rename = "type")]
    pub kind: String,
    pub id: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct TweetMetrics {
    pub retweet_count: Option<i64>,
    pub reply_count: Option<i64>,
    pub like_count: Option<i64>,
    pub quote_count: Option<i64>,
    pub impression_count: Option<i64>,
}

#[derive(Debug, Default, Deserialize)]
pub struct Entities {
    #[serde(default)]
    pub urls: Vec<UrlEntity>,
}

#[derive(Debug, Deserialize)]
pub struct UrlEntity {
    pub url: String,
    pub expanded_url: Option<String>,
    /// Set on the link X adds for attached media.
    pub media_key: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct NoteTweet {
    pub text: String,
    pub entities: Option<Entities>,
}

#[derive(Debug, Deserialize)]
pub struct Deleted {
    pub deleted: bool,
}

#[derive(Debug, Deserialize)]
pub struct Created {
    pub id: String,
}

impl Tweet {
    fn referenced(&self, kind: &str) -> Option<String> {
        self.referenced_tweets
            .iter()
            .find(|r| r.kind == kind)
            .map(|r| r.id.clone())
    }

    /// The text as its author wrote it (the whole of a long post).
    pub fn plain_text(&self) -> String {
        match &self.note_tweet {
            Some(note) => text::plain(&note.text, note.entities.as_ref()),
            None => text::plain(&self.text, self.entities.as_ref()),
        }
    }

    fn metrics(&self) -> Metrics {
        let public = self.public_metrics.as_ref();
        let impressions = public
            .and_then(|m| m.impression_count)
            .or_else(|| self.non_public_metrics.as_ref()?.impression_count)
            .or_else(|| self.organic_metrics.as_ref()?.impression_count);
        Metrics {
            likes: public.and_then(|m| m.like_count),
            reposts: public.and_then(|m| m.retweet_count),
            replies: public.and_then(|m| m.reply_count),
            quotes: public.and_then(|m| m.quote_count),
            impressions,
        }
    }

    pub fn into_post(self, username: Option<&str>) -> RemotePost {
        RemotePost {
            text: self.plain_text(),
            created_at_ms: self.created_at.as_deref().and_then(instant),
            reply_to: self.referenced("replied_to"),
            metrics: self.metrics(),
            post: reference(&self.id, username),
        }
    }

    /// A post that mentions the channel: a reply when it answers a post, a quote when it
    /// quotes one, a mention otherwise.
    pub fn into_interaction(self, users: &[User]) -> Interaction {
        let (kind, subject) = match (self.referenced("replied_to"), self.referenced("quoted")) {
            (Some(id), _) => (InteractionKind::Reply, Some(id)),
            (None, Some(id)) => (InteractionKind::Quote, Some(id)),
            (None, None) => (InteractionKind::Mention, None),
        };
        let author = author(users, self.author_id.as_deref());
        let username = (!author.handle.is_empty()).then(|| author.handle.trim_start_matches('@'));
        Interaction {
            id: self.id.clone(),
            kind,
            text: Some(self.plain_text()),
            subject,
            post: Some(reference(&self.id, username)),
            at_ms: self.created_at.as_deref().and_then(instant),
            author,
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct DmEvent {
    pub id: String,
    #[serde(default)]
    pub text: String,
    pub sender_id: Option<String>,
    pub created_at: Option<String>,
    pub dm_conversation_id: Option<String>,
}

impl DmEvent {
    pub fn into_interaction(self, users: &[User]) -> Interaction {
        Interaction {
            author: author(users, self.sender_id.as_deref()),
            kind: InteractionKind::Message,
            text: Some(text::unescape(&self.text)),
            subject: self.dm_conversation_id,
            post: None,
            at_ms: self.created_at.as_deref().and_then(instant),
            id: self.id,
        }
    }
}

/// Where people see a post: under its author's name when known; `/i/web/status/` works
/// for any post.
pub fn reference(id: &str, username: Option<&str>) -> RemoteRef {
    let url = match username.filter(|u| !u.is_empty()) {
        Some(user) => format!("https://x.com/{user}/status/{id}"),
        None => format!("https://x.com/i/web/status/{id}"),
    };
    RemoteRef {
        id: id.to_owned(),
        url: Some(url),
        cid: None,
    }
}

pub fn instant(text: &str) -> Option<i64> {
    text.parse::<jiff::Timestamp>()
        .ok()
        .map(|t| t.as_millisecond())
}

/// A path segment: ids and usernames are plain, but a handle typed by a person may not be.
pub fn segment(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for b in raw.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
