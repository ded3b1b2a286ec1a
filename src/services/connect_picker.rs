//! Connecting networks where one sign-in grants several accounts: Facebook pages, Instagram
//! accounts (through Facebook Login, or Instagram Login's one account) and LinkedIn (the
//! member and the organisations they administer). The callback lists the accounts and keeps
//! them, tokens included, encrypted in a short-lived grant; the person who signed in then
//! picks which to connect (`connect_grant`). Reconnecting a channel skips the picker: its
//! account is taken from the list, or the person is told it is no longer theirs to manage.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::connection::connector_error;
use super::{AppError, AppResult, Services};
use crate::connectors::model::{Account, ConnectableAccount, Credentials, ServerLimits};
use crate::connectors::{Connector, Session};
use crate::domain::text::Network;
use crate::storage::channels::{self, Channel};
use crate::storage::connect_grants::{self, Grant};
use crate::storage::oauth::Flow;

/// How long the listed accounts wait for the person to pick.
pub(super) const GRANT_TTL_MS: i64 = 15 * 60_000;

/// The two ways an Instagram account signs in (`Flow::login`, `Grant::login`).
pub const LOGIN_FACEBOOK: &str = "facebook";
pub const LOGIN_INSTAGRAM: &str = "instagram";

/// What an OAuth callback came to.
#[derive(Debug)]
pub enum OAuthFinished {
    /// One account, connected (X, Threads, Mastodon, or a reconnect).
    Connected(Channel),
    /// Several accounts to pick from, kept in this grant.
    Pick(Uuid),
    /// A reconnect whose account the network no longer lists for this person (they no
    /// longer administer the page): nothing changed.
    NotListed(Channel),
}

/// One listed account as the grant keeps it (encrypted, tokens included).
#[derive(Serialize, Deserialize)]
pub(super) struct Pending {
    pub account: Account,
    pub service_url: String,
    pub credentials: Option<Credentials>,
    pub unavailable: Option<String>,
}

impl Pending {
    fn from(listed: ConnectableAccount, service_url: &url::Url) -> Self {
        let usable = listed.unavailable.is_none();
        Pending {
            account: listed.account,
            service_url: service_url.as_str().trim_end_matches('/').to_owned(),
            credentials: usable.then_some(listed.credentials),
            unavailable: listed.unavailable,
        }
    }
}

/// The network whose app and callback a sign-in uses: Instagram through Facebook Login signs
/// in with the Facebook app, and comes back to Facebook's callback.
pub fn sign_in_network(network: Network, login: &str) -> Network {
    match (network, login) {
        (Network::Instagram, LOGIN_FACEBOOK) => Network::Facebook,
        (other, _) => other,
    }
}

/// The sign-in a flow records: Instagram's (`instagram` unless `facebook` is asked for), none
/// for the other networks.
pub(super) fn login_for(network: Network, login: &str) -> AppResult<&'static str> {
    match (network, login.trim()) {
        (Network::Instagram, "" | LOGIN_INSTAGRAM) => Ok(LOGIN_INSTAGRAM),
        (Network::Instagram, LOGIN_FACEBOOK) => Ok(LOGIN_FACEBOOK),
        (Network::Instagram, _) => Err(AppError::field(
            "login",
            "must be `instagram` (Instagram Login) or `facebook` (through a Facebook page)",
        )),
        (_, "") => Ok(""),
        (other, _) => Err(AppError::field(
            "login",
            format!("{} has one sign-in; leave `login` out", other.label()),
        )),
    }
}

impl Services {
    /// Whether this flow ends on the picker (its network grants several accounts).
    pub(super) fn picks(flow: &Flow) -> bool {
        matches!(
            Network::parse(&flow.network),
            Some(Network::Facebook | Network::Instagram | Network::Linkedin)
        )
    }

    /// The rest of `finish_oauth` for the picker networks: the code for tokens, the accounts
    /// they reach, then a grant to pick from (or, reconnecting, the channel's own account).
    pub(super) async fn finish_picker_oauth(
        &self,
        flow: &Flow,
        code: &str,
        redirect_uri: &str,
    ) -> AppResult<OAuthFinished> {
        let network = Network::parse(&flow.network).ok_or(AppError::NotFound)?;
        let listed = self
            .list_granted(network, &flow.login, code, redirect_uri)
            .await?;
        if let Some(id) = flow.channel_id {
            let channel = channels::get(&self.db, flow.workspace_id, id)
                .await?
                .ok_or(AppError::NotFound)?;
            // A record-only channel names no account yet: the person picks one for it below.
            if !channel.remote_id.is_empty() {
                let found = listed
                    .into_iter()
                    .find(|p| p.account.remote_id == channel.remote_id && p.credentials.is_some());
                let Some(Pending {
                    account,
                    service_url,
                    credentials: Some(credentials),
                    ..
                }) = found
                else {
                    return Ok(OAuthFinished::NotListed(channel));
                };
                let server = url::Url::parse(&service_url)
                    .map_err(|e| AppError::Internal(anyhow::anyhow!("service url: {e}")))?;
                let channel = self
                    .save_connection(
                        flow.workspace_id,
                        network,
                        &server,
                        &account,
                        credentials,
                        &ServerLimits::default(),
                        Some(id),
                    )
                    .await?;
                return Ok(OAuthFinished::Connected(channel));
            }
        }
        if listed.is_empty() {
            return Err(AppError::Conflict(format!(
                "{} listed no accounts you manage, so there is nothing to connect.",
                network.label()
            )));
        }
        let id = self
            .keep_grant(
                flow.workspace_id,
                flow.user_id,
                network,
                &flow.login,
                &listed,
            )
            .await?;
        Ok(OAuthFinished::Pick(id))
    }

    /// Trades the code for tokens and lists every account the sign-in reaches.
    async fn list_granted(
        &self,
        network: Network,
        login: &str,
        code: &str,
        redirect_uri: &str,
    ) -> AppResult<Vec<Pending>> {
        let app = self.app_for(sign_in_network(network, login)).await?;
        let c = &self.connectors;
        let listed = match (network, login) {
            (Network::Facebook, _) | (Network::Instagram, LOGIN_FACEBOOK) => {
                let short = c
                    .facebook
                    .exchange_code(&app, redirect_uri, code)
                    .await
                    .map_err(connector_error)?;
                // Page tokens read with a long-lived user token do not expire.
                let user = c
                    .facebook
                    .long_lived(&app, &short)
                    .await
                    .map_err(connector_error)?;
                let (accounts, service) = if network == Network::Facebook {
                    (c.facebook.pages(&user).await, c.facebook.service_url())
                } else {
                    let accounts = c.instagram.accounts_via_facebook(&user).await;
                    (accounts, c.instagram.service_url())
                };
                let accounts = accounts.map_err(connector_error)?;
                accounts
                    .into_iter()
                    .map(|a| Pending::from(a, service))
                    .collect()
            }
            (Network::Instagram, _) => {
                let ig = &c.instagram;
                let short = ig
                    .exchange_code(&app, redirect_uri, code)
                    .await
                    .map_err(connector_error)?;
                let long = ig.long_lived(&app, &short).await.map_err(connector_error)?;
                let mut session = Session::new(ig.service_url().clone(), long);
                let account = ig.verify(&mut session).await.map_err(connector_error)?;
                let listed = ConnectableAccount::new(account, session.credentials);
                vec![Pending::from(listed, ig.service_url())]
            }
            (Network::Linkedin, _) => {
                let li = &c.linkedin;
                let credentials = li
                    .exchange_code(&app, redirect_uri, code)
                    .await
                    .map_err(connector_error)?;
                let session = Session::new(li.service_url().clone(), credentials);
                let accounts = li
                    .connectable_accounts(&session)
                    .await
                    .map_err(connector_error)?;
                accounts
                    .into_iter()
                    .map(|a| Pending::from(a, li.service_url()))
                    .collect()
            }
            (other, _) => {
                return Err(AppError::Conflict(format!(
                    "{} connects one account per sign-in",
                    other.label()
                )));
            }
        };
        Ok(listed)
    }

    /// Keeps the listed accounts, encrypted and bound to the new row.
    async fn keep_grant(
        &self,
        ws: Uuid,
        user: Uuid,
        network: Network,
        login: &str,
        listed: &[Pending],
    ) -> AppResult<Uuid> {
        let now = self.now_ms();
        connect_grants::delete_expired(&self.db, now).await?;
        let id = Uuid::now_v7();
        let json = serde_json::to_vec(listed)
            .map_err(|e| AppError::Internal(anyhow::anyhow!("grant accounts: {e}")))?;
        connect_grants::insert(
            &self.db,
            &Grant {
                id,
                workspace_id: ws,
                user_id: user,
                network: network.as_str().into(),
                login: login.into(),
                accounts: self.secrets.encrypt(&json, &Grant::accounts_aad(id)),
                created_at_ms: now,
                expires_at_ms: now + GRANT_TTL_MS,
            },
        )
        .await?;
        Ok(id)
    }
}
