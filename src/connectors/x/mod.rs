//! X (formerly Twitter) through API v2 with OAuth 2.0 user tokens
//! (<https://docs.x.com/x-api/introduction>). Tokens last two hours; `refresh` (called by the
//! periodic refresh pass ahead of expiry) renews them with the install's X app.
//!
//! X has no idempotency key: an attempt whose outcome is unknown is reconciled by
//! `find_published`, which reads the channel's latest posts back into the text that was
//! sent (X answers with `t.co` links, HTML entities and a link for the media; `text.rs`)
//! before comparing.
//!
//! Every address is the install's (`Endpoints`); a session's `base_url` is not used.

mod api;
mod errors;
mod media;
pub mod oauth;
mod publish;
mod read;
mod text;

use std::sync::{Arc, RwLock};

use async_trait::async_trait;
use reqwest::{Method, RequestBuilder};
use serde::de::DeserializeOwned;
use url::Url;

use super::connector::{Connector, PublishError, Session, join};
use super::error::{ConnectorError, ConnectorResult};
use super::http::{Answer, Http, Kind};
use super::model::{
    Account, Interaction, OAuthApp, PublicProfile, PublishRequest, Published, RemotePost, RemoteRef,
};
use crate::domain::Clock;
use crate::domain::text::Network;
use api::{Envelope, User};

/// Keys of `Credentials::extra`.
pub const USER_ID: &str = "user_id";
pub const USERNAME: &str = "username";

/// What a user lookup asks for.
const USER_FIELDS: &str = "public_metrics,profile_image_url";
/// What a timeline asks for: `entities` to put links back as people wrote them,
/// `note_tweet` for the full text of long posts. Not `non_public_metrics`: X refuses them
/// for posts older than 30 days (<https://docs.x.com/x-api/fundamentals/metrics>), and
/// `public_metrics` carries `impression_count` already.
const TWEET_FIELDS: &str =
    "created_at,public_metrics,in_reply_to_user_id,referenced_tweets,entities,note_tweet,author_id";

/// The install's addresses for X; tests point them at a local server.
#[derive(Clone, Debug)]
pub struct Endpoints {
    /// `https://api.x.com`: every `/2/...` call.
    pub api: Url,
    /// Where `/2/media/...` lives (the same host today).
    pub upload: Url,
    /// Where people approve Herald.
    pub authorize: Url,
    pub token: Url,
}

impl Default for Endpoints {
    fn default() -> Self {
        let url = |s: &str| Url::parse(s).expect("a constant URL");
        Endpoints {
            api: url("https://api.x.com"),
            upload: url("https://api.x.com"),
            authorize: url("https://x.com/i/oauth2/authorize"),
            token: url("https://api.x.com/2/oauth2/token"),
        }
    }
}

impl Endpoints {
    /// Every address on one server (a test's, or a proxy's), at X's paths.
    pub fn on(base: &Url) -> Self {
        Endpoints {
            api: base.clone(),
            upload: base.clone(),
            authorize: join(base, "/i/oauth2/authorize"),
            token: join(base, "/2/oauth2/token"),
        }
    }
}

#[derive(Clone)]
pub struct X {
    http: Http,
    clock: Arc<dyn Clock>,
    endpoints: Arc<Endpoints>,
    /// The install's X app, for refreshing tokens; an instance admin may enter or change it
    /// while Herald runs, so it is shared by every clone.
    app: Arc<RwLock<Option<OAuthApp>>>,
}

impl X {
    pub fn new(http: Http, clock: Arc<dyn Clock>, endpoints: Endpoints) -> Self {
        X {
            http,
            clock,
            endpoints: Arc::new(endpoints),
            app: Arc::new(RwLock::new(None)),
        }
    }

    pub fn with_app(self, app: OAuthApp) -> Self {
        self.set_app(Some(app));
        self
    }

    /// The API base, kept as the `service_url` of X channels.
    pub fn service_url(&self) -> &Url {
        &self.endpoints.api
    }

    pub fn set_app(&self, app: Option<OAuthApp>) {
        if let Ok(mut slot) = self.app.write() {
            *slot = app;
        }
    }

    fn app(&self) -> Option<OAuthApp> {
        self.app.read().ok().and_then(|app| app.clone())
    }

    fn api(&self, path: &str) -> Url {
        join(&self.endpoints.api, path)
    }

    fn upload_url(&self, path: &str) -> Url {
        join(&self.endpoints.upload, path)
    }

    /// A request to X with the channel's token.
    fn authed(&self, session: &Session, method: Method, url: Url) -> RequestBuilder {
        self.http
            .client()
            .request(method, url)
            .bearer_auth(&session.credentials.access_token)
    }

    /// Sends; a failure is classified. A 401 is not answered with a refresh here: X
    /// rotates refresh tokens, so only the periodic refresh pass, which claims the channel
    /// first, may spend one (a second spender would void the first one's new token).
    async fn send_ok(&self, request: RequestBuilder, kind: Kind) -> ConnectorResult<Answer> {
        let answer = self.http.send(request, kind).await?;
        if answer.is_success() {
            Ok(answer)
        } else {
            Err(errors::classify(&answer))
        }
    }

    /// Sends, and reads a success as `T`.
    async fn call<T: DeserializeOwned>(
        &self,
        request: RequestBuilder,
        kind: Kind,
    ) -> ConnectorResult<T> {
        self.send_ok(request, kind).await?.json()
    }

    async fn get<T: DeserializeOwned>(&self, session: &Session, path: &str) -> ConnectorResult<T> {
        self.call(
            self.authed(session, Method::GET, self.api(path)),
            Kind::Read,
        )
        .await
    }
}

#[async_trait]
impl Connector for X {
    fn network(&self) -> Network {
        Network::X
    }

    async fn verify(&self, session: &mut Session) -> ConnectorResult<Account> {
        let path = format!("/2/users/me?user.fields={USER_FIELDS}");
        let me: Envelope<User> = self.get(session, &path).await?;
        let user = me.one()?;
        let extra = &mut session.credentials.extra;
        if extra.get(USER_ID) != Some(&user.id) || extra.get(USERNAME) != Some(&user.username) {
            extra.insert(USER_ID.into(), user.id.clone());
            extra.insert(USERNAME.into(), user.username.clone());
            session.changed = true;
        }
        Ok(user.into_account())
    }

    async fn publish(
        &self,
        session: &mut Session,
        request: &PublishRequest,
    ) -> Result<Published, PublishError> {
        self.publish_thread(session, request).await
    }

    async fn delete(&self, session: &mut Session, post: &RemoteRef) -> ConnectorResult<()> {
        self.delete_tweet(session, &post.id).await
    }

    async fn recent_posts(
        &self,
        session: &mut Session,
        limit: usize,
    ) -> ConnectorResult<Vec<RemotePost>> {
        let (id, username) = self.me(session).await?;
        self.timeline(session, &id, username.as_deref(), limit)
            .await
    }

    async fn interactions(
        &self,
        session: &mut Session,
        limit: usize,
    ) -> ConnectorResult<Vec<Interaction>> {
        self.mentions(session, limit).await
    }

    async fn messages(
        &self,
        session: &mut Session,
        limit: usize,
    ) -> ConnectorResult<Vec<Interaction>> {
        self.direct_messages(session, limit).await
    }

    async fn lookup(
        &self,
        session: &mut Session,
        handle: &str,
        limit: usize,
    ) -> ConnectorResult<PublicProfile> {
        self.profile(session, handle, limit).await
    }

    async fn refresh(&self, session: &mut Session) -> ConnectorResult<()> {
        let app = self.app().ok_or_else(|| {
            ConnectorError::auth(
                "Herald has no X app to refresh the token with: an instance admin must enter it",
            )
        })?;
        self.refresh_with(&app, session).await
    }

    /// The default compares with the 20 latest posts as X gives their text back, which is
    /// not the text sent (`t.co` links, entities, the media link); see `read.rs`.
    async fn find_published(
        &self,
        session: &mut Session,
        text: &str,
    ) -> ConnectorResult<Option<RemoteRef>> {
        self.find_by_text(session, text).await
    }
}
