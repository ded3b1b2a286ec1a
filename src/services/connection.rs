//! A connected channel's conversation with its network: credentials decrypted for the call,
//! renewed ones stored again, and the outcome written to the channel's health so every page
//! shows "reconnect needed" or "rate limited until ..." the moment a call learns it.

use anyhow::anyhow;
use uuid::Uuid;

use super::{Actor, AppError, AppResult, Services};
use crate::connectors::model::{
    Account, Credentials, Interaction, PublicProfile, PublishRequest, Published, RemotePost,
};
use crate::connectors::{Connector, ConnectorError, PublishError, Session};
use crate::domain::Permission;
use crate::storage::channels::{self, Channel};

/// Health values (the `channels.health` column).
pub const OK: &str = "ok";
pub const RECONNECT_NEEDED: &str = "reconnect_needed";
pub const RATE_LIMITED: &str = "rate_limited";
pub const DISCONNECTED: &str = "disconnected";

impl Services {
    pub(super) fn seal_credentials(&self, channel: Uuid, c: &Credentials) -> AppResult<String> {
        let json = serde_json::to_vec(c).map_err(|e| AppError::Internal(e.into()))?;
        Ok(self
            .secrets
            .encrypt(&json, &Channel::credentials_aad(channel)))
    }

    /// The channel's session, or a clear refusal when it is not connected.
    pub(super) fn network_session(&self, channel: &Channel) -> AppResult<Session> {
        let sealed = channel.credentials.as_deref().ok_or_else(|| {
            AppError::Conflict(format!(
                "{} is not connected to {}; connect it first",
                channel.handle,
                channel.network.label()
            ))
        })?;
        let json = self
            .secrets
            .decrypt(sealed, &Channel::credentials_aad(channel.id))
            .map_err(|e| AppError::Internal(anyhow!("channel {} credentials: {e}", channel.id)))?;
        let credentials: Credentials =
            serde_json::from_slice(&json).map_err(|e| AppError::Internal(e.into()))?;
        let base = credentials
            .extra
            .get(crate::connectors::bluesky::session::PDS)
            .cloned()
            .unwrap_or_else(|| channel.service_url.clone());
        let base = url::Url::parse(&base)
            .map_err(|e| AppError::Internal(anyhow!("channel {} address: {e}", channel.id)))?;
        Ok(Session::new(base, credentials))
    }

    /// Stores renewed credentials, and the channel's health as `error` (or success) says.
    async fn note_outcome(
        &self,
        channel: &Channel,
        session: &Session,
        error: Option<&ConnectorError>,
    ) -> AppResult<()> {
        let now = self.now_ms();
        if session.changed {
            // Not when the channel was disconnected meanwhile (`credentials IS NOT NULL`).
            let sealed = self.seal_credentials(channel.id, &session.credentials)?;
            channels::update_credentials(
                &self.db,
                channel.id,
                &sealed,
                session.credentials.expires_at_ms,
                session.credentials.can_renew(),
                now,
            )
            .await?;
        }
        let (health, message, until) = match error {
            None => (OK, String::new(), None),
            Some(ConnectorError::AuthExpired { message }) => {
                (RECONNECT_NEEDED, message.clone(), None)
            }
            Some(ConnectorError::RateLimited { retry_at_ms }) => (
                RATE_LIMITED,
                String::new(),
                Some(retry_at_ms.unwrap_or(now + 15 * 60_000)),
            ),
            // Other failures concern one request, not the channel.
            Some(_) => (
                channel.health.as_str(),
                channel.health_message.clone(),
                channel.rate_limited_until_ms,
            ),
        };
        // Written only when it changed: a successful read costs no write.
        if health != channel.health
            || message != channel.health_message
            || until != channel.rate_limited_until_ms
        {
            channels::set_health(&self.db, channel.id, health, &message, until, now).await?;
            if health == RECONNECT_NEEDED && channel.health != RECONNECT_NEEDED {
                self.notify(
                    channel.workspace_id,
                    super::Event::ReconnectNeeded {
                        channel_id: channel.id,
                        message,
                    },
                )
                .await;
            }
        }
        Ok(())
    }

    /// As `through_channel`, but the network's error comes back as it is (classified), for
    /// the publisher to act on; only Herald's own failures are `Err`.
    pub(super) async fn through_channel_raw<T>(
        &self,
        channel: &Channel,
        call: impl for<'a> FnOnce(
            &'a dyn Connector,
            &'a mut Session,
        )
            -> futures_util::future::BoxFuture<'a, Result<T, ConnectorError>>,
    ) -> AppResult<Result<T, ConnectorError>> {
        let mut session = self.network_session(channel)?;
        let turn = self.connectors.permit(channel.network).await;
        let outcome = call(self.connectors.get(channel.network), &mut session).await;
        drop(turn);
        self.note_outcome(channel, &session, outcome.as_ref().err())
            .await?;
        Ok(outcome)
    }

    /// Publishes on the channel, one publish per channel at a time in this process (so a
    /// burst reaches followers in order), under the network's concurrency limit.
    pub(super) async fn publish_through(
        &self,
        channel: &Channel,
        request: &PublishRequest,
    ) -> AppResult<Result<Published, PublishError>> {
        let mut session = self.network_session(channel)?;
        let lane = self.channel_lanes.lane(channel.id);
        let _lane = lane.lock().await;
        let turn = self.connectors.permit(channel.network).await;
        let outcome = self
            .connectors
            .get(channel.network)
            .publish(&mut session, request)
            .await;
        drop(turn);
        let error = outcome.as_ref().err().map(|e| &e.error);
        self.note_outcome(channel, &session, error).await?;
        Ok(outcome)
    }

    /// One call to the channel's network: its session, a turn under the network's
    /// concurrency limit, and the outcome settled into the channel's health.
    pub(super) async fn through_channel<T>(
        &self,
        channel: &Channel,
        // Connector methods return boxed futures (async_trait), so `|c, s| c.verify(s)` fits.
        call: impl for<'a> FnOnce(
            &'a dyn Connector,
            &'a mut Session,
        )
            -> futures_util::future::BoxFuture<'a, Result<T, ConnectorError>>,
    ) -> AppResult<T> {
        self.through_channel_raw(channel, call)
            .await?
            .map_err(connector_error)
    }

    pub(super) async fn channel_for(
        &self,
        actor: &Actor,
        ws: Uuid,
        id: Uuid,
        permission: Permission,
    ) -> AppResult<Channel> {
        self.active_workspace_for(actor, ws, permission).await?;
        channels::get(&self.db, ws, id)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// Checks the credentials and refreshes the account's counts (followers, posts).
    pub async fn check_channel(&self, actor: &Actor, ws: Uuid, id: Uuid) -> AppResult<Channel> {
        let channel = self.channel_for(actor, ws, id, Permission::Read).await?;
        let account: Account = self.through_channel(&channel, |c, s| c.verify(s)).await?;
        let mut fresh = channels::get(&self.db, ws, id)
            .await?
            .ok_or(AppError::NotFound)?;
        apply_account(&mut fresh, &account);
        fresh.checked_at_ms = Some(self.now_ms());
        channels::update_connection(&self.db, &fresh).await?;
        Ok(fresh)
    }

    /// The channel's own recent posts as the network shows them, with metrics.
    pub async fn channel_posts(
        &self,
        actor: &Actor,
        ws: Uuid,
        id: Uuid,
        limit: usize,
    ) -> AppResult<Vec<RemotePost>> {
        let channel = self.channel_for(actor, ws, id, Permission::Read).await?;
        self.through_channel(&channel, |c, s| c.recent_posts(s, limit))
            .await
    }

    /// Replies, mentions, likes, reposts and follows the channel received.
    pub async fn channel_interactions(
        &self,
        actor: &Actor,
        ws: Uuid,
        id: Uuid,
        limit: usize,
    ) -> AppResult<Vec<Interaction>> {
        let channel = self.channel_for(actor, ws, id, Permission::Read).await?;
        self.through_channel(&channel, |c, s| c.interactions(s, limit))
            .await
    }

    /// Another account's public profile, read through this channel.
    pub async fn channel_lookup(
        &self,
        actor: &Actor,
        ws: Uuid,
        id: Uuid,
        handle: &str,
        limit: usize,
    ) -> AppResult<PublicProfile> {
        let channel = self.channel_for(actor, ws, id, Permission::Read).await?;
        let handle = handle.trim();
        if handle.is_empty() || handle.chars().count() > 300 {
            return Err(AppError::field(
                "handle",
                "give an account's handle (up to 300 characters)",
            ));
        }
        let handle = handle.to_owned();
        self.through_channel(&channel, move |c, s| {
            Box::pin(async move { c.lookup(s, &handle, limit).await })
        })
        .await
    }

    /// Forgets the credentials; the channel and its posts stay, to be reconnected.
    pub async fn disconnect_channel(
        &self,
        actor: &Actor,
        ws: Uuid,
        id: Uuid,
    ) -> AppResult<Channel> {
        let mut channel = self.channel_for(actor, ws, id, Permission::Manage).await?;
        channel.credentials = None;
        channel.token_expires_at_ms = None;
        channel.token_refreshable = false;
        channel.health = DISCONNECTED.into();
        channel.health_message = String::new();
        channel.rate_limited_until_ms = None;
        channel.updated_at_ms = self.now_ms();
        channels::update_connection(&self.db, &channel).await?;
        Ok(channel)
    }
}

pub(super) fn apply_account(channel: &mut Channel, account: &Account) {
    channel.remote_id = account.remote_id.clone();
    channel.handle = account.handle.clone();
    channel.display_name = account.display_name.clone();
    channel.avatar_url = account.avatar_url.clone().unwrap_or_default();
    channel.profile_url = account.profile_url.clone().unwrap_or_default();
    channel.followers = account.followers;
    channel.following = account.following;
    channel.posts_count = account.posts;
}

/// A network's refusal in the words people see (the network's own message kept).
pub(super) fn connector_error(e: ConnectorError) -> AppError {
    match e {
        ConnectorError::AuthExpired { message } => AppError::Conflict(format!(
            "The network no longer accepts this channel's credentials ({message}); reconnect it."
        )),
        ConnectorError::RateLimited { .. } => AppError::TooManyRequests {
            message: format!("{e}; try again later."),
            retry_after_s: 60,
        },
        other => AppError::Conflict(other.to_string()),
    }
}
