//! Threads through the Threads API (<https://developers.facebook.com/docs/threads>): its own
//! app and OAuth on threads.net, posts and thread parts published as containers
//! (`reply_to_id` chains the parts), 60-day tokens renewed with `th_refresh_token`. The
//! channel's `extra["user_id"]` names the account (`me` works too).

mod api;
pub mod login;
mod publish;
mod read;

use std::sync::Arc;

use async_trait::async_trait;
use url::Url;

use super::containers::Polling;
use super::graph::Graph;
use super::wire::Success;
use super::{Endpoints, encode, errors};
use crate::connectors::connector::{Connector, PublishError, Session};
use crate::connectors::error::{ConnectorError, ConnectorResult};
use crate::connectors::http::{Answer, Http, Kind};
use crate::connectors::model::{
    Account, Interaction, PublishRequest, Published, RemotePost, RemoteRef,
};
use crate::domain::Clock;
use crate::domain::text::Network;

#[derive(Clone)]
pub struct Threads {
    graph: Graph,
    endpoints: Endpoints,
    polling: Polling,
}

impl Threads {
    pub fn new(http: Http, clock: Arc<dyn Clock>, endpoints: Endpoints) -> Self {
        Threads {
            graph: Graph::new(http, clock),
            endpoints,
            polling: Polling::default(),
        }
    }

    /// How containers are polled (tests poll fast).
    pub fn with_polling(mut self, polling: Polling) -> Self {
        self.polling = polling;
        self
    }

    /// The Threads API base channels talk to (for the channel's `service_url`).
    pub fn service_url(&self) -> &Url {
        &self.endpoints.threads_graph
    }

    /// See `Facebook::usage_high`: Threads sends the same usage headers.
    pub fn usage_high(&self, answer: &Answer) -> Option<i64> {
        errors::usage_high(answer, self.graph.now_ms())
    }

    pub fn paused_until(&self) -> Option<i64> {
        self.graph.paused_until()
    }

    fn base(&self) -> &Url {
        &self.endpoints.threads_graph
    }

    fn token(session: &Session) -> &str {
        &session.credentials.access_token
    }

    fn user_id(session: &Session) -> String {
        session
            .credentials
            .extra
            .get("user_id")
            .filter(|id| !id.is_empty())
            .cloned()
            .unwrap_or_else(|| "me".into())
    }

    fn path(id: &str, edge: &str) -> String {
        format!("/{}{edge}", encode(id))
    }
}

#[async_trait]
impl Connector for Threads {
    fn network(&self) -> Network {
        Network::Threads
    }

    async fn verify(&self, session: &mut Session) -> ConnectorResult<Account> {
        self.profile(session).await
    }

    async fn publish(
        &self,
        session: &mut Session,
        request: &PublishRequest,
    ) -> Result<Published, PublishError> {
        self.publish_thread(session, request).await
    }

    /// `DELETE /{threads-media-id}` (<https://developers.facebook.com/docs/threads/posts/delete-posts>),
    /// which needs `threads_delete` and allows 100 deletes a day.
    async fn delete(&self, session: &mut Session, post: &RemoteRef) -> ConnectorResult<()> {
        let request =
            self.graph
                .delete(self.base(), &Self::path(&post.id, ""), Self::token(session));
        let answer: Success = self.graph.call(request, Kind::Write).await?;
        if answer.success {
            Ok(())
        } else {
            Err(ConnectorError::rejected(
                "Threads did not delete the post",
                None,
            ))
        }
    }

    async fn recent_posts(
        &self,
        session: &mut Session,
        limit: usize,
    ) -> ConnectorResult<Vec<RemotePost>> {
        self.posts(session, limit, true).await
    }

    async fn interactions(
        &self,
        session: &mut Session,
        limit: usize,
    ) -> ConnectorResult<Vec<Interaction>> {
        self.replies(session, limit).await
    }

    async fn refresh(&self, session: &mut Session) -> ConnectorResult<()> {
        let fresh = self.refresh_token(&session.credentials).await?;
        session.credentials.refreshed(fresh);
        session.changed = true;
        Ok(())
    }

    /// Looks among recent posts without their insights.
    async fn find_published(
        &self,
        session: &mut Session,
        text: &str,
    ) -> ConnectorResult<Option<RemoteRef>> {
        let wanted: Vec<&str> = text.split_whitespace().collect();
        Ok(self
            .posts(session, 20, false)
            .await?
            .into_iter()
            .find(|p| p.text.split_whitespace().collect::<Vec<_>>() == wanted)
            .map(|p| p.post))
    }
}
