//! The one trait every network implements. Anything a network cannot do answers
//! `Unsupported` (the defaults below), and the UI hides it.

use async_trait::async_trait;
use url::Url;

use super::error::{ConnectorError, ConnectorResult};
use super::model::{
    Account, Credentials, Interaction, PublicProfile, PublishRequest, Published, RemotePost,
    RemoteRef,
};
use crate::domain::text::Network;

/// A channel's address and credentials for one conversation with its network. A connector
/// that refreshes the token on the way sets `changed`, so the caller stores the new ones.
#[derive(Clone, Debug)]
pub struct Session {
    /// The server this channel lives on (a Mastodon instance, a PDS, or the network's API).
    pub base_url: Url,
    pub credentials: Credentials,
    pub changed: bool,
}

impl Session {
    pub fn new(base_url: Url, credentials: Credentials) -> Self {
        Session {
            base_url,
            credentials,
            changed: false,
        }
    }

    /// `path` (which starts with `/`) on the base URL, keeping any base path.
    pub fn url(&self, path: &str) -> Url {
        join(&self.base_url, path)
    }
}

/// `path` on `base`, keeping a path the base has (`https://host/prefix` + `/api/v1/x`).
pub fn join(base: &Url, path: &str) -> Url {
    let mut url = base.clone();
    let prefix = base.path().trim_end_matches('/');
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    url.set_path(&format!("{prefix}{path}"));
    url.set_query((!query.is_empty()).then_some(query));
    url
}

#[async_trait]
pub trait Connector: Send + Sync {
    fn network(&self) -> Network;

    /// The account the credentials belong to, with its follower, following and post counts.
    async fn verify(&self, session: &mut Session) -> ConnectorResult<Account>;

    /// Publishes every part (a thread), then the first comment. A part that fails stops the
    /// rest; what was already published is in the error's `Published` so nothing is posted
    /// twice on a retry.
    async fn publish(
        &self,
        session: &mut Session,
        request: &PublishRequest,
    ) -> Result<Published, PublishError>;

    async fn delete(&self, session: &mut Session, post: &RemoteRef) -> ConnectorResult<()>;

    /// The channel's own recent posts with their metrics, newest first.
    async fn recent_posts(
        &self,
        session: &mut Session,
        limit: usize,
    ) -> ConnectorResult<Vec<RemotePost>>;

    /// Replies, mentions, likes, reposts and follows, newest first.
    async fn interactions(
        &self,
        session: &mut Session,
        limit: usize,
    ) -> ConnectorResult<Vec<Interaction>>;

    /// Direct messages, where the API allows.
    async fn messages(
        &self,
        _session: &mut Session,
        _limit: usize,
    ) -> ConnectorResult<Vec<Interaction>> {
        Err(ConnectorError::unsupported("reading direct messages"))
    }

    /// Another account's public profile and recent posts.
    async fn lookup(
        &self,
        _session: &mut Session,
        _handle: &str,
        _limit: usize,
    ) -> ConnectorResult<PublicProfile> {
        Err(ConnectorError::unsupported("looking up other accounts"))
    }

    /// Gets a new access token with the refresh token (or the stored password, Bluesky).
    async fn refresh(&self, _session: &mut Session) -> ConnectorResult<()> {
        Err(ConnectorError::unsupported("refreshing the token"))
    }

    /// Looks for a post with this text among the channel's recent posts: how a publish whose
    /// outcome is unknown is reconciled on networks without idempotency keys.
    async fn find_published(
        &self,
        session: &mut Session,
        text: &str,
    ) -> ConnectorResult<Option<RemoteRef>> {
        let wanted = normalise(text);
        Ok(self
            .recent_posts(session, 20)
            .await?
            .into_iter()
            .find(|p| normalise(&p.text) == wanted)
            .map(|p| p.post))
    }
}

/// A publish that stopped part-way: what was published, and why it stopped.
#[derive(Debug, thiserror::Error)]
#[error("{error}")]
pub struct PublishError {
    pub error: ConnectorError,
    pub done: Published,
}

impl From<ConnectorError> for PublishError {
    fn from(error: ConnectorError) -> Self {
        PublishError {
            error,
            done: Published::default(),
        }
    }
}

/// Text compared without the whitespace differences networks introduce.
fn normalise(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_keep_the_base_path_and_query() {
        let base = Url::parse("https://social.example/prefix/").unwrap();
        assert_eq!(
            join(&base, "/api/v1/statuses?limit=5").as_str(),
            "https://social.example/prefix/api/v1/statuses?limit=5"
        );
        let bare = Url::parse("http://127.0.0.1:18002").unwrap();
        assert_eq!(
            join(&bare, "/api/v1/instance").as_str(),
            "http://127.0.0.1:18002/api/v1/instance"
        );
    }

    #[test]
    fn a_refresh_keeps_the_refresh_token_it_was_not_given() {
        let mut c = Credentials {
            access_token: "a1".into(),
            refresh_token: Some("r1".into()),
            ..Credentials::default()
        };
        c.refreshed(Credentials {
            access_token: "a2".into(),
            refresh_token: Some(String::new()),
            ..Credentials::default()
        });
        assert_eq!(c.access_token, "a2");
        assert_eq!(c.refresh_token.as_deref(), Some("r1"));
        c.refreshed(Credentials {
            access_token: "a3".into(),
            refresh_token: Some("r3".into()),
            ..Credentials::default()
        });
        assert_eq!(c.refresh_token.as_deref(), Some("r3"));
    }
}
