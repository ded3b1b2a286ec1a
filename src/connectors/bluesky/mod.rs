//! Bluesky through the AT Protocol: sessions with app passwords, posts as records with a
//! key Herald chooses (a retry conflicts instead of duplicating), blobs for images with
//! their aspect ratio, link cards as external embeds, and the AppView's reads through the
//! PDS.

pub mod api;
mod errors;
mod publish;
pub mod records;
pub mod session;

use async_trait::async_trait;
use reqwest::RequestBuilder;
use serde::de::DeserializeOwned;

use super::connector::{Connector, PublishError, Session};
use super::error::{ConnectorError, ConnectorResult};
use super::http::{Answer, Http, Kind};
use super::model::{
    Account, Interaction, PublicProfile, PublishRequest, Published, RemotePost, RemoteRef,
};
use crate::domain::text::Network;
use api::{Feed, Notifications, ProfileView};

#[derive(Clone)]
pub struct Bluesky {
    http: Http,
}

impl Bluesky {
    pub fn new(http: Http) -> Self {
        Bluesky { http }
    }

    /// Sends a request built for the session; an expired access token is renewed once and
    /// the request sent again.
    async fn xrpc_answer(
        &self,
        session: &mut Session,
        kind: Kind,
        build: &(dyn Fn(&Session) -> RequestBuilder + Send + Sync),
    ) -> ConnectorResult<Answer> {
        let answer = self.http.send(build(session), kind).await?;
        let expired = answer.status.as_u16() == 401
            || (answer.status.as_u16() == 400
                && errors::name(&answer).as_deref() == Some("ExpiredToken"));
        if !expired {
            return Ok(answer);
        }
        self.renew(session).await?;
        self.http.send(build(session), kind).await
    }

    async fn xrpc<T: DeserializeOwned>(
        &self,
        session: &mut Session,
        kind: Kind,
        build: &(dyn Fn(&Session) -> RequestBuilder + Send + Sync),
    ) -> ConnectorResult<T> {
        let answer = self.xrpc_answer(session, kind, build).await?;
        if !answer.is_success() {
            return Err(errors::classify(&answer));
        }
        answer.json()
    }

    async fn query<T: DeserializeOwned>(
        &self,
        session: &mut Session,
        method: &str,
        params: &[(&str, String)],
    ) -> ConnectorResult<T> {
        let http = self.http.clone();
        let path = format!("/xrpc/{method}");
        let params = params.to_vec();
        self.xrpc(session, Kind::Read, &move |s: &Session| {
            http.client()
                .get(s.url(&path))
                .query(&params)
                .bearer_auth(&s.credentials.access_token)
        })
        .await
    }

    async fn procedure<T: DeserializeOwned>(
        &self,
        session: &mut Session,
        method: &str,
        body: serde_json::Value,
    ) -> ConnectorResult<T> {
        let http = self.http.clone();
        let path = format!("/xrpc/{method}");
        self.xrpc(session, Kind::Write, &move |s: &Session| {
            http.client()
                .post(s.url(&path))
                .bearer_auth(&s.credentials.access_token)
                .json(&body)
        })
        .await
    }

    fn did(session: &Session) -> ConnectorResult<String> {
        session
            .credentials
            .extra
            .get(session::DID)
            .cloned()
            .ok_or_else(|| {
                ConnectorError::auth("the channel has no Bluesky account id; reconnect it")
            })
    }

    async fn author_feed(
        &self,
        session: &mut Session,
        actor: &str,
        limit: usize,
    ) -> ConnectorResult<Vec<RemotePost>> {
        let feed: Feed = self
            .query(
                session,
                "app.bsky.feed.getAuthorFeed",
                &[
                    ("actor", actor.to_owned()),
                    ("limit", limit.clamp(1, 100).to_string()),
                    ("filter", "posts_with_replies".to_owned()),
                ],
            )
            .await?;
        Ok(feed
            .feed
            .into_iter()
            .filter(|item| item.reason.is_none())
            .map(|item| item.post.into_post())
            .collect())
    }
}

#[async_trait]
impl Connector for Bluesky {
    fn network(&self) -> Network {
        Network::Bluesky
    }

    async fn verify(&self, session: &mut Session) -> ConnectorResult<Account> {
        let did = Self::did(session)?;
        let profile: ProfileView = self
            .query(session, "app.bsky.actor.getProfile", &[("actor", did)])
            .await?;
        Ok(profile.into_account())
    }

    async fn publish(
        &self,
        session: &mut Session,
        request: &PublishRequest,
    ) -> Result<Published, PublishError> {
        self.publish_thread(session, request).await
    }

    async fn delete(&self, session: &mut Session, post: &RemoteRef) -> ConnectorResult<()> {
        let did = Self::did(session)?;
        let rkey = post.id.rsplit('/').next().unwrap_or_default().to_owned();
        if !post
            .id
            .starts_with(&format!("at://{did}/app.bsky.feed.post/"))
        {
            return Err(ConnectorError::rejected(
                "only this channel's own posts can be deleted",
                None,
            ));
        }
        self.procedure::<serde_json::Value>(
            session,
            "com.atproto.repo.deleteRecord",
            serde_json::json!({"repo": did, "collection": "app.bsky.feed.post", "rkey": rkey}),
        )
        .await
        .map(|_| ())
    }

    async fn recent_posts(
        &self,
        session: &mut Session,
        limit: usize,
    ) -> ConnectorResult<Vec<RemotePost>> {
        let did = Self::did(session)?;
        self.author_feed(session, &did, limit).await
    }

    async fn interactions(
        &self,
        session: &mut Session,
        limit: usize,
    ) -> ConnectorResult<Vec<Interaction>> {
        let list: Notifications = self
            .query(
                session,
                "app.bsky.notification.listNotifications",
                &[("limit", limit.clamp(1, 100).to_string())],
            )
            .await?;
        Ok(list
            .notifications
            .into_iter()
            .map(api::Notification::into_interaction)
            .collect())
    }

    async fn lookup(
        &self,
        session: &mut Session,
        handle: &str,
        limit: usize,
    ) -> ConnectorResult<PublicProfile> {
        let actor = handle.trim().trim_start_matches('@').to_owned();
        let profile: ProfileView = self
            .query(
                session,
                "app.bsky.actor.getProfile",
                &[("actor", actor.clone())],
            )
            .await?;
        let recent = self.author_feed(session, &profile.did, limit).await?;
        Ok(PublicProfile {
            account: profile.into_account(),
            recent,
        })
    }

    async fn refresh(&self, session: &mut Session) -> ConnectorResult<()> {
        self.renew(session).await
    }
}
