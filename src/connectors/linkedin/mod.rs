//! LinkedIn for members and the organisations (company pages) they administer, through the
//! versioned REST API (`/rest/...` with `LinkedIn-Version` and Rest.li 2.0,
//! <https://learn.microsoft.com/en-us/linkedin/marketing/versioning>). A channel acts as
//! one author, `urn:li:person:...` or `urn:li:organization:...`, kept in its credentials.
//!
//! LinkedIn has no idempotency key and no threads. An attempt whose outcome is unknown is
//! reconciled by the default `find_published` over `recent_posts`, whose texts are read
//! back from LinkedIn's "little" format into what the person wrote.
//!
//! Every address is the install's (`Endpoints`); a session's `base_url` is not used.

mod api;
mod errors;
mod little;
mod media;
pub mod oauth;
mod publish;

use std::sync::Arc;

use async_trait::async_trait;
use reqwest::{Method, RequestBuilder};
use serde::de::DeserializeOwned;
use url::Url;

use super::connector::{Connector, PublishError, Session, join};
use super::error::{ConnectorError, ConnectorResult};
use super::http::{Answer, Http, Kind};
use super::model::{
    Account, Interaction, Metrics, OAuthApp, PublishRequest, Published, RemotePost, RemoteRef,
};
use crate::domain::Clock;
use crate::domain::text::Network;
use api::{Elements, Organization, Post, SocialActions, UserInfo};

/// The API version Herald speaks (`YYYYMM`). LinkedIn supports each monthly version for at
/// least a year and then refuses it (HTTP 426), so this must move forward at least yearly;
/// 202609 was current when this connector was written (November 2026).
pub const LINKEDIN_VERSION: &str = "202609";
const RESTLI_PROTOCOL: &str = "2.0.0";

/// Key of `Credentials::extra`: the URN the channel posts as.
pub const AUTHOR: &str = "author";

/// How many recent posts `interactions` reads comments from (one request each).
const POSTS_FOR_COMMENTS: usize = 10;

/// The install's addresses for LinkedIn; tests point them at a local server.
#[derive(Clone, Debug)]
pub struct Endpoints {
    /// `https://api.linkedin.com`: `/rest/...` and `/v2/userinfo`.
    pub api: Url,
    pub authorize: Url,
    pub token: Url,
}

impl Default for Endpoints {
    fn default() -> Self {
        let url = |s: &str| Url::parse(s).expect("a constant URL");
        Endpoints {
            api: url("https://api.linkedin.com"),
            authorize: url("https://www.linkedin.com/oauth/v2/authorization"),
            token: url("https://www.linkedin.com/oauth/v2/accessToken"),
        }
    }
}

impl Endpoints {
    /// Every address on one server (a test's, or a proxy's), at LinkedIn's paths.
    pub fn on(base: &Url) -> Self {
        Endpoints {
            api: base.clone(),
            authorize: join(base, "/oauth/v2/authorization"),
            token: join(base, "/oauth/v2/accessToken"),
        }
    }
}

#[derive(Clone)]
pub struct LinkedIn {
    http: Http,
    clock: Arc<dyn Clock>,
    endpoints: Arc<Endpoints>,
    /// The install's LinkedIn app, for refreshing tokens (shared by every clone).
    app: Arc<std::sync::RwLock<Option<OAuthApp>>>,
}

impl LinkedIn {
    pub fn new(http: Http, clock: Arc<dyn Clock>, endpoints: Endpoints) -> Self {
        LinkedIn {
            http,
            clock,
            endpoints: Arc::new(endpoints),
            app: Arc::new(std::sync::RwLock::new(None)),
        }
    }

    pub fn with_app(self, app: OAuthApp) -> Self {
        self.set_app(Some(app));
        self
    }

    pub fn set_app(&self, app: Option<OAuthApp>) {
        if let Ok(mut slot) = self.app.write() {
            *slot = app;
        }
    }

    /// The API base channels of this network talk to (for the channel's `service_url`).
    pub fn service_url(&self) -> &Url {
        &self.endpoints.api
    }

    fn app(&self) -> Option<OAuthApp> {
        self.app.read().ok().and_then(|app| app.clone())
    }

    /// A versioned REST call with the headers every `/rest` request needs.
    fn rest(&self, session: &Session, method: Method, path: &str) -> RequestBuilder {
        self.http
            .client()
            .request(method, join(&self.endpoints.api, path))
            .bearer_auth(&session.credentials.access_token)
            .header("LinkedIn-Version", LINKEDIN_VERSION)
            .header("X-Restli-Protocol-Version", RESTLI_PROTOCOL)
    }

    /// Sends; a failure is classified.
    async fn send_ok(&self, request: RequestBuilder, kind: Kind) -> ConnectorResult<Answer> {
        let answer = self.http.send(request, kind).await?;
        if answer.is_success() {
            Ok(answer)
        } else {
            Err(errors::classify(&answer, self.clock.now_ms()))
        }
    }

    async fn call<T: DeserializeOwned>(
        &self,
        request: RequestBuilder,
        kind: Kind,
    ) -> ConnectorResult<T> {
        self.send_ok(request, kind).await?.json()
    }

    async fn get<T: DeserializeOwned>(&self, session: &Session, path: &str) -> ConnectorResult<T> {
        self.call(self.rest(session, Method::GET, path), Kind::Read)
            .await
    }

    /// The member behind the token (OpenID Connect; not versioned).
    async fn userinfo(&self, session: &Session) -> ConnectorResult<UserInfo> {
        let request = self
            .http
            .client()
            .get(join(&self.endpoints.api, "/v2/userinfo"))
            .bearer_auth(&session.credentials.access_token);
        self.call(request, Kind::Read).await
    }

    async fn organization(&self, session: &Session, urn: &str) -> ConnectorResult<Account> {
        let id = urn.rsplit(':').next().unwrap_or(urn);
        let org: Organization = self
            .get(session, &format!("/rest/organizations/{}", api::encode(id)))
            .await?;
        // Followers need the organisation's admin rights; without them the page still is.
        let path = format!(
            "/rest/networkSizes/{}?edgeType=COMPANY_FOLLOWED_BY_MEMBER",
            api::encode(urn)
        );
        let followers = match self.get::<api::NetworkSize>(session, &path).await {
            Ok(size) => size.first_degree_size,
            Err(ConnectorError::Rejected { .. }) => None,
            Err(e) => return Err(e),
        };
        Ok(org.into_account(followers))
    }

    /// The URN the channel posts as; a member's is learnt from `userinfo` when missing.
    async fn author(&self, session: &mut Session) -> ConnectorResult<String> {
        if let Some(author) = session.credentials.extra.get(AUTHOR) {
            return Ok(author.clone());
        }
        let me = self.userinfo(session).await?;
        session.credentials.extra.insert(AUTHOR.into(), me.urn());
        session.changed = true;
        Ok(me.urn())
    }

    /// The author's latest posts, without metrics.
    async fn posts(&self, session: &mut Session, count: usize) -> ConnectorResult<Vec<Post>> {
        let author = self.author(session).await?;
        let path = format!(
            "/rest/posts?author={}&q=author&count={}&sortBy=LAST_MODIFIED",
            api::encode(&author),
            count.clamp(1, 100)
        );
        let page: Elements<Post> = self.get(session, &path).await?;
        Ok(page.elements)
    }

    /// Likes and comments of one post; a post LinkedIn will not tell about has none.
    async fn metrics(&self, session: &Session, urn: &str) -> ConnectorResult<Metrics> {
        let path = format!("/rest/socialActions/{}", api::encode(urn));
        match self.get::<SocialActions>(session, &path).await {
            Ok(actions) => Ok(actions.metrics()),
            Err(ConnectorError::Rejected { .. }) => Ok(Metrics::default()),
            Err(e) => Err(e),
        }
    }
}

#[async_trait]
impl Connector for LinkedIn {
    fn network(&self) -> Network {
        Network::Linkedin
    }

    async fn verify(&self, session: &mut Session) -> ConnectorResult<Account> {
        match session.credentials.extra.get(AUTHOR).cloned() {
            Some(org) if org.starts_with("urn:li:organization:") => {
                self.organization(session, &org).await
            }
            _ => {
                let me = self.userinfo(session).await?;
                if session.credentials.extra.get(AUTHOR) != Some(&me.urn()) {
                    session.credentials.extra.insert(AUTHOR.into(), me.urn());
                    session.changed = true;
                }
                Ok(me.into_account())
            }
        }
    }

    async fn publish(
        &self,
        session: &mut Session,
        request: &PublishRequest,
    ) -> Result<Published, PublishError> {
        self.publish_post(session, request).await
    }

    async fn delete(&self, session: &mut Session, post: &RemoteRef) -> ConnectorResult<()> {
        let path = format!("/rest/posts/{}", api::encode(&post.id));
        let request = self
            .rest(session, Method::DELETE, &path)
            .header("X-RestLi-Method", "DELETE");
        let answer = self.http.send(request, Kind::Write).await?;
        match answer.status.as_u16() {
            // 204; 404 means it is gone already, which is what was asked.
            200..=299 | 404 => Ok(()),
            _ => Err(errors::classify(&answer, self.clock.now_ms())),
        }
    }

    async fn recent_posts(
        &self,
        session: &mut Session,
        limit: usize,
    ) -> ConnectorResult<Vec<RemotePost>> {
        let posts = self.posts(session, limit).await?;
        let mut out = Vec::with_capacity(posts.len());
        for post in posts.into_iter().take(limit.max(1)) {
            let metrics = self.metrics(session, &post.id).await?;
            out.push(post.into_post(metrics));
        }
        Ok(out)
    }

    /// Comments on the latest posts (LinkedIn's API has no notifications), newest first,
    /// without the channel's own.
    async fn interactions(
        &self,
        session: &mut Session,
        limit: usize,
    ) -> ConnectorResult<Vec<Interaction>> {
        let author = self.author(session).await?;
        let posts = self.posts(session, POSTS_FOR_COMMENTS).await?;
        let mut found = Vec::new();
        for post in posts {
            let path = format!("/rest/socialActions/{}/comments", api::encode(&post.id));
            let comments: Elements<api::Comment> = self.get(session, &path).await?;
            found.extend(
                comments
                    .elements
                    .into_iter()
                    .filter(|c| c.actor.as_deref() != Some(author.as_str()))
                    .filter_map(|c| c.into_interaction(&post.id)),
            );
        }
        found.sort_by_key(|i| std::cmp::Reverse(i.at_ms));
        found.truncate(limit.max(1));
        Ok(found)
    }

    async fn refresh(&self, session: &mut Session) -> ConnectorResult<()> {
        let app = self.app().ok_or_else(|| {
            ConnectorError::auth("Herald has no LinkedIn app to refresh the token with: an instance admin must enter it")
        })?;
        self.refresh_with(&app, session).await
    }
}
