//! Instagram professional accounts (business and creator) through the Instagram Graph API
//! (<https://developers.facebook.com/docs/instagram-platform>). A channel's `extra` names the
//! account (`ig_user_id`) and how it logged in (`login`: `facebook` uses graph.facebook.com
//! with the page's token, `instagram` uses graph.instagram.com with a 60-day token).
//! Instagram fetches media from public addresses itself, so publishing needs the install's
//! public URL of each file (`MediaFile::public_url`).

pub mod api;
pub mod login;
mod publish;
mod read;

use std::sync::Arc;

use async_trait::async_trait;
use url::Url;

use super::containers::Polling;
use super::graph::Graph;
use super::{Endpoints, encode, errors};
use crate::connectors::connector::{Connector, PublishError, Session};
use crate::connectors::error::{ConnectorError, ConnectorResult};
use crate::connectors::http::{Answer, Http, Kind};
use crate::connectors::model::{
    Account, Interaction, PublicProfile, PublishRequest, Published, RemotePost, RemoteRef,
};
use crate::domain::Clock;
use crate::domain::text::Network;
use api::IgUser;

#[derive(Clone)]
pub struct Instagram {
    /// For accounts reached through Facebook Login (signed with the Facebook app's secret
    /// when known).
    graph: Graph,
    /// For Instagram Login, whose app secret is the Instagram app's, not Facebook's: never
    /// signed. Shares `graph`'s pause (one app budget).
    plain: Graph,
    endpoints: Endpoints,
    polling: Polling,
}

impl Instagram {
    pub fn new(http: Http, clock: Arc<dyn Clock>, endpoints: Endpoints) -> Self {
        let plain = Graph::new(http, clock);
        Instagram {
            graph: plain.clone(),
            plain,
            endpoints,
            polling: Polling::default(),
        }
    }

    /// Signs Facebook Login calls with `appsecret_proof` (the Facebook app's secret).
    pub fn with_app_secret(mut self, secret: impl Into<String>) -> Self {
        self.graph = self.graph.with_app_secret(secret);
        self
    }

    /// How containers are polled (tests poll fast).
    pub fn with_polling(mut self, polling: Polling) -> Self {
        self.polling = polling;
        self
    }

    /// The base every Instagram channel names as its `service_url`, whichever login it came
    /// through: one account is one channel, so connecting it the other way reconnects it.
    pub fn service_url(&self) -> &Url {
        &self.endpoints.instagram_graph
    }

    /// See `Facebook::usage_high`: the same budget, the same rule.
    pub fn usage_high(&self, answer: &Answer) -> Option<i64> {
        errors::usage_high(answer, self.graph.now_ms())
    }

    pub fn paused_until(&self) -> Option<i64> {
        self.graph.paused_until()
    }

    fn through_instagram_login(session: &Session) -> bool {
        session.credentials.extra.get("login").map(String::as_str) == Some("instagram")
    }

    /// The API (and its signing) this channel's token belongs to.
    fn api(&self, session: &Session) -> (&Graph, &Url) {
        if Self::through_instagram_login(session) {
            (&self.plain, &self.endpoints.instagram_graph)
        } else {
            (&self.graph, &self.endpoints.graph)
        }
    }

    fn token(session: &Session) -> &str {
        &session.credentials.access_token
    }

    /// The account's id. Instagram Login tokens know their account as `me`; through
    /// Facebook Login `me` is the page, so the id must have been kept when connecting.
    fn user_id(session: &Session) -> ConnectorResult<String> {
        match session
            .credentials
            .extra
            .get("ig_user_id")
            .filter(|id| !id.is_empty())
        {
            Some(id) => Ok(id.clone()),
            None if Self::through_instagram_login(session) => Ok("me".into()),
            None => Err(ConnectorError::auth(
                "the channel does not name its Instagram account; connect it again",
            )),
        }
    }

    async fn user(&self, session: &Session) -> ConnectorResult<IgUser> {
        let (graph, base) = self.api(session);
        let path = format!("/{}", encode(&Self::user_id(session)?));
        let request = graph.get(
            base,
            &path,
            Self::token(session),
            &[("fields", login::USER_FIELDS)],
        );
        graph.call(request, Kind::Read).await
    }
}

#[async_trait]
impl Connector for Instagram {
    fn network(&self) -> Network {
        Network::Instagram
    }

    async fn verify(&self, session: &mut Session) -> ConnectorResult<Account> {
        Ok(self.user(session).await?.account())
    }

    async fn publish(
        &self,
        session: &mut Session,
        request: &PublishRequest,
    ) -> Result<Published, PublishError> {
        self.publish_media(session, request).await
    }

    /// Meta documents no delete for Instagram media published through the API.
    async fn delete(&self, _session: &mut Session, _post: &RemoteRef) -> ConnectorResult<()> {
        Err(ConnectorError::unsupported("deleting Instagram posts"))
    }

    async fn recent_posts(
        &self,
        session: &mut Session,
        limit: usize,
    ) -> ConnectorResult<Vec<RemotePost>> {
        self.media_list(session, limit, true).await
    }

    async fn interactions(
        &self,
        session: &mut Session,
        limit: usize,
    ) -> ConnectorResult<Vec<Interaction>> {
        self.comments_and_tags(session, limit).await
    }

    async fn lookup(
        &self,
        session: &mut Session,
        handle: &str,
        limit: usize,
    ) -> ConnectorResult<PublicProfile> {
        self.discover(session, handle, limit).await
    }

    /// Instagram Login tokens last 60 days and renew themselves; Facebook Login channels hold
    /// a page token that does not expire.
    async fn refresh(&self, session: &mut Session) -> ConnectorResult<()> {
        if !Self::through_instagram_login(session) {
            return Err(ConnectorError::unsupported("refreshing a page token"));
        }
        let fresh = self.refresh_token(&session.credentials).await?;
        session.credentials.refreshed(fresh);
        session.changed = true;
        Ok(())
    }

    /// Looks among recent media without their insights (a reconciliation reads captions
    /// only).
    async fn find_published(
        &self,
        session: &mut Session,
        text: &str,
    ) -> ConnectorResult<Option<RemoteRef>> {
        let wanted: Vec<&str> = text.split_whitespace().collect();
        Ok(self
            .media_list(session, 20, false)
            .await?
            .into_iter()
            .find(|p| p.text.split_whitespace().collect::<Vec<_>>() == wanted)
            .map(|p| p.post))
    }
}
