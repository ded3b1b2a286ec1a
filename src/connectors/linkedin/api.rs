//! LinkedIn's JSON, as much of it as Herald reads: OpenID `userinfo`, organisations and
//! their access control lists, posts (<https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/posts-api>),
//! social action summaries and comments
//! (<https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/comments-api>).

use serde::Deserialize;

use super::little;
use crate::connectors::model::{
    Account, Interaction, InteractionKind, Metrics, RemotePost, RemoteRef,
};

/// Rest.li collections: `{"elements": [...], "paging": {...}}`.
#[derive(Debug, Deserialize)]
#[serde(bound(deserialize = "T: Deserialize<'de>"))]
pub struct Elements<T> {
    #[serde(default = "Vec::new")]
    pub elements: Vec<T>,
}

/// `GET /v2/userinfo` (OpenID Connect, <https://learn.microsoft.com/en-us/linkedin/consumer/integrations/self-serve/sign-in-with-linkedin-v2>).
#[derive(Debug, Deserialize)]
pub struct UserInfo {
    pub sub: String,
    #[serde(default)]
    pub name: String,
    pub picture: Option<String>,
}

impl UserInfo {
    pub fn urn(&self) -> String {
        format!("urn:li:person:{}", self.sub)
    }

    pub fn into_account(self) -> Account {
        Account {
            remote_id: self.urn(),
            handle: self.name.clone(),
            display_name: self.name,
            avatar_url: self.picture,
            ..Account::default()
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct Acl {
    /// `organizationTarget` in older versions.
    #[serde(alias = "organizationTarget", alias = "organizationalTarget")]
    pub organization: String,
    pub state: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Organization {
    pub id: i64,
    #[serde(default)]
    pub localized_name: String,
    pub vanity_name: Option<String>,
}

impl Organization {
    pub fn into_account(self, followers: Option<i64>) -> Account {
        Account {
            remote_id: format!("urn:li:organization:{}", self.id),
            handle: self
                .vanity_name
                .clone()
                .unwrap_or_else(|| self.localized_name.clone()),
            display_name: self.localized_name,
            profile_url: self
                .vanity_name
                .map(|v| format!("https://www.linkedin.com/company/{v}/")),
            followers,
            ..Account::default()
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NetworkSize {
    pub first_degree_size: Option<i64>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Post {
    pub id: String,
    #[serde(default)]
    pub commentary: String,
    pub published_at: Option<i64>,
    pub created_at: Option<i64>,
}

impl Post {
    pub fn into_post(self, metrics: Metrics) -> RemotePost {
        RemotePost {
            post: reference(&self.id),
            text: little::to_plain(&self.commentary),
            created_at_ms: self.published_at.or(self.created_at),
            reply_to: None,
            metrics,
        }
    }
}

/// `GET /rest/socialActions/{urn}`: likes and comments of a post.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SocialActions {
    pub likes_summary: Option<LikesSummary>,
    pub comments_summary: Option<CommentsSummary>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LikesSummary {
    pub total_likes: Option<i64>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CommentsSummary {
    pub aggregated_total_comments: Option<i64>,
    pub total_first_level_comments: Option<i64>,
}

impl SocialActions {
    pub fn metrics(&self) -> Metrics {
        let comments = self.comments_summary.as_ref();
        Metrics {
            likes: self.likes_summary.as_ref().and_then(|l| l.total_likes),
            replies: comments
                .and_then(|c| c.aggregated_total_comments.or(c.total_first_level_comments)),
            ..Metrics::default()
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct Comment {
    pub id: Option<String>,
    #[serde(rename = "commentUrn")]
    pub comment_urn: Option<String>,
    #[serde(rename = "$URN")]
    pub urn: Option<String>,
    pub actor: Option<String>,
    pub created: Option<Stamp>,
    pub message: Option<Message>,
}

#[derive(Debug, Deserialize)]
pub struct Stamp {
    pub time: Option<i64>,
}

#[derive(Debug, Deserialize)]
pub struct Message {
    #[serde(default)]
    pub text: String,
}

impl Comment {
    pub fn key(&self) -> Option<String> {
        self.comment_urn
            .clone()
            .or_else(|| self.urn.clone())
            .or_else(|| self.id.clone())
    }

    /// A comment on `post`; LinkedIn names its author by URN only (names need
    /// permissions Herald does not ask for).
    pub fn into_interaction(self, post: &str) -> Option<Interaction> {
        let key = self.key()?;
        Some(Interaction {
            id: key.clone(),
            kind: InteractionKind::Reply,
            author: Account {
                remote_id: self.actor.unwrap_or_default(),
                ..Account::default()
            },
            text: self.message.map(|m| m.text),
            subject: Some(post.to_owned()),
            post: Some(RemoteRef {
                id: key,
                url: None,
                cid: None,
            }),
            at_ms: self.created.and_then(|c| c.time),
        })
    }
}

/// Where people see a post.
pub fn reference(urn: &str) -> RemoteRef {
    RemoteRef {
        id: urn.to_owned(),
        url: Some(format!("https://www.linkedin.com/feed/update/{urn}/")),
        cid: None,
    }
}

/// A URN as one path segment or query value: Rest.li wants `:` `(` `)` `,` encoded.
pub fn encode(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len() + 16);
    for b in raw.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A header value LinkedIn may send percent-encoded (`x-restli-id`).
pub fn decode(raw: &str) -> String {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urns_travel_encoded() {
        assert_eq!(encode("urn:li:share:1"), "urn%3Ali%3Ashare%3A1");
        assert_eq!(decode("urn%3Ali%3Ashare%3A1"), "urn:li:share:1");
        assert_eq!(decode("urn:li:share:1"), "urn:li:share:1");
    }
}
