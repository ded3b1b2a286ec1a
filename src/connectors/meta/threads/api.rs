//! The Threads API's JSON as Herald reads it
//! (<https://developers.facebook.com/docs/threads/threads-profiles>,
//! <https://developers.facebook.com/docs/threads/retrieve-and-discover-posts/retrieve-posts>,
//! <https://developers.facebook.com/docs/threads/reply-management>).

use serde::Deserialize;

use crate::connectors::meta::encode;
use crate::connectors::meta::wire::instant;
use crate::connectors::model::{Account, Interaction, InteractionKind, RemotePost, RemoteRef};

#[derive(Debug, Deserialize)]
pub struct User {
    pub id: String,
    pub username: Option<String>,
    pub name: Option<String>,
    pub threads_profile_picture_url: Option<String>,
}

fn profile_url(username: &str) -> String {
    format!("https://www.threads.net/@{}", encode(username))
}

impl User {
    pub fn account(&self, followers: Option<i64>) -> Account {
        let username = self.username.clone().unwrap_or_default();
        Account {
            remote_id: self.id.clone(),
            handle: format!("@{username}"),
            display_name: self
                .name
                .clone()
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| username.clone()),
            avatar_url: self.threads_profile_picture_url.clone(),
            profile_url: (!username.is_empty()).then(|| profile_url(&username)),
            followers,
            following: None,
            posts: None,
        }
    }
}

/// A post (own posts, or replies to them).
#[derive(Debug, Deserialize)]
pub struct Post {
    pub id: String,
    pub text: Option<String>,
    pub timestamp: Option<String>,
    pub permalink: Option<String>,
    pub username: Option<String>,
    pub replied_to: Option<IdOnly>,
}

#[derive(Debug, Deserialize)]
pub struct IdOnly {
    pub id: String,
}

impl Post {
    fn reference(&self) -> RemoteRef {
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
            reply_to: self.replied_to.as_ref().map(|r| r.id.clone()),
            text: self.text.unwrap_or_default(),
            metrics: Default::default(),
        }
    }

    /// A reply to the channel's post `subject`.
    pub fn into_reply(self, subject: &str) -> Interaction {
        let username = self.username.clone().unwrap_or_default();
        Interaction {
            id: self.id.clone(),
            kind: InteractionKind::Reply,
            author: Account {
                handle: format!("@{username}"),
                display_name: username.clone(),
                profile_url: (!username.is_empty()).then(|| profile_url(&username)),
                ..Account::default()
            },
            post: Some(self.reference()),
            at_ms: self.timestamp.as_deref().and_then(instant),
            subject: Some(subject.to_owned()),
            text: self.text,
        }
    }
}
