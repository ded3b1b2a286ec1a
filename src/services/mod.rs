//! The use cases. Every permission check happens here, so the web UI, the API and the CLI
//! cannot disagree about who may do what.

mod accounts;
pub mod brand_kit;
pub mod calendar;
pub mod calendar_events;
pub mod calendar_feed;
mod channels;
mod connect;
mod connect_grants;
mod connect_networks;
mod connect_picker;
mod connection;
mod copies;
mod email;
mod error;
pub mod evergreen;
pub mod feeds;
pub mod imports;
mod imports_queue;
mod invites;
mod lanes;
mod link_preview;
mod links;
pub mod media;
mod members;
pub mod network_apps;
pub mod notify;
mod periodic;
pub mod post_actions;
pub mod posts;
mod publish;
mod queue;
pub mod recurrence;
mod recurrence_input;
mod refresh;
pub mod repeat;
mod review;
pub mod review_link_access;
pub mod review_links;
pub mod schedule;
mod split;
mod tags;
mod throttle;
mod token_cache;
mod tokens;
pub mod webhooks;
mod workspaces;

use std::sync::Arc;

pub use accounts::{NewAccount, NewSession, SESSION_TTL_MS};
pub use channels::NewChannel;
pub use connect::{ConnectRequest, not_listed};
pub use connect_grants::{GrantAccount, GrantView};
pub use connect_picker::{LOGIN_FACEBOOK, LOGIN_INSTAGRAM, OAuthFinished, sign_in_network};
pub use email::MAX_EMAIL_TRIES;
pub use error::AppError;
pub use invites::{InvitePreview, NewInvite};
pub use notify::Event;
pub use refresh::Refreshed;
pub use tokens::NewToken;

use crate::connectors::link_preview::Previewer;
use crate::crypto::SecretBox;
use crate::domain::Clock;
use crate::storage::Db;
use crate::storage::group_commit::GroupCommit;
use crate::storage::users::User;

/// Everything a use case needs; cheap to clone.
#[derive(Clone)]
pub struct Services {
    pub db: Db,
    pub clock: Arc<dyn Clock>,
    pub secrets: SecretBox,
    tokens: Arc<token_cache::TokenCache>,
    previewer: Previewer,
    pub media: media::MediaStore,
    pub connectors: crate::connectors::registry::Registry,
    /// Wakes this process's worker when a job is queued (Postgres also notifies the others).
    pub wake: Arc<tokio::sync::Notify>,
    /// The engine's writes, committed in batches (`storage::group_commit`).
    pub commits: Arc<GroupCommit>,
    channel_lanes: Arc<lanes::Lanes>,
    /// The install's public address (configuration `public_url`), for addresses networks
    /// fetch from; `None` when it is not set.
    public_url: Option<String>,
    /// Reads RSS and Atom feeds; `None` until the install sets it up (`with_feed_fetcher`).
    feed_fetcher: Option<crate::connectors::feeds::FeedFetcher>,
    /// Sends notification emails; `None` when the install has no SMTP server.
    mailer: Option<Arc<crate::mail::Mailer>>,
}

/// The person a request acts for, authenticated by a session cookie or an API token.
#[derive(Clone, Debug)]
pub struct Actor {
    pub user: User,
    /// The browser session, when the request came with one.
    pub session_id: Option<uuid::Uuid>,
    /// The CSRF token bound to that session.
    pub csrf_token: Option<String>,
}

impl Services {
    pub fn new(
        db: Db,
        clock: Arc<dyn Clock>,
        secrets: SecretBox,
        previewer: Previewer,
        media: media::MediaStore,
        connectors: crate::connectors::registry::Registry,
    ) -> Self {
        Services {
            commits: Arc::new(GroupCommit::new(db.clone())),
            db,
            clock,
            secrets,
            tokens: Arc::default(),
            previewer,
            media,
            connectors,
            wake: Arc::default(),
            channel_lanes: Arc::default(),
            public_url: None,
            feed_fetcher: None,
            mailer: None,
        }
    }

    /// Names the install's public address (`Services::media_public_url` needs it).
    #[must_use]
    pub fn with_public_url(mut self, public_url: Option<String>) -> Self {
        self.public_url = public_url.filter(|u| !u.trim().is_empty());
        self
    }

    /// Lets the feed import read feeds (through the SSRF guard the fetcher carries).
    #[must_use]
    pub fn with_feed_fetcher(mut self, fetcher: crate::connectors::feeds::FeedFetcher) -> Self {
        self.feed_fetcher = Some(fetcher);
        self
    }

    pub fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }
}

pub type AppResult<T> = Result<T, AppError>;
