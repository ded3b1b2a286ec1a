//! Facebook Pages through the Graph API (<https://developers.facebook.com/docs/pages-api>):
//! a person logs in with Facebook, picks pages, and each channel keeps its page's own token
//! (`extra["page_id"]` names the page). Page tokens read with a long-lived user token do not
//! expire, so there is nothing to refresh: a refused token means reconnecting.

mod messages;
mod publish;
mod read;

use std::sync::Arc;

use async_trait::async_trait;
use url::Url;

use super::facebook_login::{self, Page};
use super::graph::Graph;
use super::wire::Success;
use super::{Endpoints, encode, errors};
use crate::connectors::connector::{Connector, PublishError, Session};
use crate::connectors::error::{ConnectorError, ConnectorResult};
use crate::connectors::http::{Answer, Http, Kind};
use crate::connectors::model::{
    Account, ConnectableAccount, Credentials, Interaction, OAuthApp, PublicProfile, PublishRequest,
    Published, RemotePost, RemoteRef,
};
use crate::domain::Clock;
use crate::domain::text::Network;

/// A page's fields as Herald shows the account.
const PAGE_FIELDS: &str = "id,name,username,link,picture{url},followers_count,fan_count";

#[derive(Clone)]
pub struct Facebook {
    graph: Graph,
    endpoints: Endpoints,
}

impl Facebook {
    pub fn new(http: Http, clock: Arc<dyn Clock>, endpoints: Endpoints) -> Self {
        Facebook {
            graph: Graph::new(http, clock),
            endpoints,
        }
    }

    /// Signs calls with `appsecret_proof` (see `Graph::with_app_secret`).
    pub fn with_app_secret(mut self, secret: impl Into<String>) -> Self {
        self.graph = self.graph.with_app_secret(secret);
        self
    }

    /// The Graph base channels of this network talk to (for the channel's `service_url`).
    pub fn service_url(&self) -> &Url {
        &self.endpoints.graph
    }

    /// Until when an answer says to stop calling because a usage budget reached 90 %
    /// (`errors::usage_high`). Every call of this connector already watches it and refuses
    /// with `RateLimited` until then; `paused_until` tells the current pause.
    pub fn usage_high(&self, answer: &Answer) -> Option<i64> {
        errors::usage_high(answer, self.graph.now_ms())
    }

    pub fn paused_until(&self) -> Option<i64> {
        self.graph.paused_until()
    }

    /// Where to send the person to log in with Facebook and grant Herald its pages (and
    /// their Instagram accounts).
    pub fn authorize_url(&self, app: &OAuthApp, redirect_uri: &str, state: &str) -> Url {
        facebook_login::authorize_url(&self.endpoints, app, redirect_uri, state)
    }

    /// The dialog's code as a short-lived user token.
    pub async fn exchange_code(
        &self,
        app: &OAuthApp,
        redirect_uri: &str,
        code: &str,
    ) -> ConnectorResult<Credentials> {
        facebook_login::exchange_code(&self.graph, &self.endpoints, app, redirect_uri, code).await
    }

    /// A long-lived (60-day) user token, with which page tokens never expire.
    pub async fn long_lived(
        &self,
        app: &OAuthApp,
        user: &Credentials,
    ) -> ConnectorResult<Credentials> {
        facebook_login::long_lived(&self.graph, &self.endpoints, app, user).await
    }

    /// The pages the person runs, each with its own token, to pick from; pages they may not
    /// publish to are listed as unavailable, with why.
    pub async fn pages(&self, user: &Credentials) -> ConnectorResult<Vec<ConnectableAccount>> {
        let fields = format!("{PAGE_FIELDS},access_token,tasks");
        let pages = facebook_login::pages(&self.graph, &self.endpoints, user, &fields).await?;
        Ok(pages
            .into_iter()
            .map(|page| {
                let token = page.access_token.clone().filter(|t| !t.is_empty());
                match token {
                    Some(token) if page.can_publish() => {
                        let mut credentials = Credentials::bearer(token);
                        credentials.extra.insert("page_id".into(), page.id.clone());
                        ConnectableAccount::new(page.account(), credentials)
                    }
                    // Listed so the person sees why the page they expected is not offered.
                    _ => ConnectableAccount::unavailable(
                        page.account(),
                        "Your role on this page does not allow publishing (Facebook gave no page token with content rights).",
                    ),
                }
            })
            .collect())
    }

    /// The page a channel acts as: its id, or `me` (a page token's `me` is the page).
    fn page_id(session: &Session) -> String {
        session
            .credentials
            .extra
            .get("page_id")
            .filter(|id| !id.is_empty())
            .cloned()
            .unwrap_or_else(|| "me".into())
    }

    fn token(session: &Session) -> &str {
        &session.credentials.access_token
    }

    async fn page(&self, session: &Session, page: &str) -> ConnectorResult<Page> {
        let request = self.graph.get(
            &self.endpoints.graph,
            &format!("/{}", encode(page)),
            Self::token(session),
            &[("fields", PAGE_FIELDS)],
        );
        self.graph.call(request, Kind::Read).await
    }
}

#[async_trait]
impl Connector for Facebook {
    fn network(&self) -> Network {
        Network::Facebook
    }

    async fn verify(&self, session: &mut Session) -> ConnectorResult<Account> {
        let page = self.page(session, &Self::page_id(session)).await?;
        Ok(page.account())
    }

    async fn publish(
        &self,
        session: &mut Session,
        request: &PublishRequest,
    ) -> Result<Published, PublishError> {
        self.publish_post(session, request).await
    }

    async fn delete(&self, session: &mut Session, post: &RemoteRef) -> ConnectorResult<()> {
        let request = self.graph.delete(
            &self.endpoints.graph,
            &format!("/{}", encode(&post.id)),
            Self::token(session),
        );
        let answer: Success = self.graph.call(request, Kind::Write).await?;
        if answer.success {
            Ok(())
        } else {
            Err(ConnectorError::rejected(
                "Facebook did not delete the post",
                None,
            ))
        }
    }

    async fn recent_posts(
        &self,
        session: &mut Session,
        limit: usize,
    ) -> ConnectorResult<Vec<RemotePost>> {
        self.posts_of(session, &Self::page_id(session), limit).await
    }

    async fn interactions(
        &self,
        session: &mut Session,
        limit: usize,
    ) -> ConnectorResult<Vec<Interaction>> {
        self.comments(session, limit).await
    }

    async fn messages(
        &self,
        session: &mut Session,
        limit: usize,
    ) -> ConnectorResult<Vec<Interaction>> {
        self.conversations(session, limit).await
    }

    async fn lookup(
        &self,
        session: &mut Session,
        handle: &str,
        limit: usize,
    ) -> ConnectorResult<PublicProfile> {
        self.public_page(session, handle, limit).await
    }
}
