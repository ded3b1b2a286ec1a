//! Connecting channels: a pasted Mastodon token, a Bluesky handle and app password, or
//! Mastodon's OAuth flow (Herald registered on the instance once, PKCE, single-use state).
//! Connecting an account a channel already has reconnects that channel in place, so it keeps
//! its posts.

use sha2::{Digest, Sha256};
use url::Url;
use uuid::Uuid;

use super::connect_picker::OAuthFinished;
use super::connection::{OK, apply_account, connector_error};
use super::{Actor, AppError, AppResult, Services};
use crate::connectors::mastodon::Mastodon;
use crate::connectors::mastodon::api::App;
use crate::connectors::model::{Account, Credentials, ServerLimits};
use crate::connectors::{Connector, ConnectorError, Session, pkce};
use crate::domain::Permission;
use crate::domain::text::Network;
use crate::storage::channels::{self, Channel};
use crate::storage::oauth::{self, Flow, InstanceApp};

/// How long a person has to approve Herald on the network.
pub(super) const FLOW_TTL_MS: i64 = 30 * 60_000;

/// Where Bluesky accounts sign in unless the person names another service.
pub const BLUESKY_DEFAULT_SERVICE: &str = "https://bsky.social";

pub enum ConnectRequest {
    Mastodon {
        instance_url: String,
        access_token: String,
    },
    Bluesky {
        service_url: Option<String>,
        identifier: String,
        app_password: String,
    },
}

/// An address as people type it (`mastodon.social`, `https://host/`) as a URL.
pub fn parse_server(field: &str, raw: &str) -> AppResult<Url> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(AppError::field(field, "is required"));
    }
    if raw.len() > 2000 {
        return Err(AppError::field(field, "is too long for an address"));
    }
    let with_scheme = if raw.contains("://") {
        raw.to_owned()
    } else {
        format!("https://{raw}")
    };
    let url = Url::parse(&with_scheme)
        .map_err(|_| AppError::field(field, format!("{raw:?} is not a server address")))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(AppError::field(
            field,
            format!("{raw:?} is not a web address"),
        ));
    }
    let mut url = url;
    url.set_query(None);
    url.set_fragment(None);
    let trimmed = url.path().trim_end_matches('/').to_owned();
    url.set_path(&trimmed);
    Ok(url)
}

fn as_field(field: &str, e: ConnectorError) -> AppError {
    match e {
        ConnectorError::RateLimited { .. } => connector_error(e),
        other => AppError::field(field, other.to_string()),
    }
}

fn secret(field: &str, raw: &str) -> AppResult<String> {
    let value = raw.trim();
    if value.is_empty() {
        return Err(AppError::field(field, "is required"));
    }
    if value.len() > 4096 || value.chars().any(char::is_control) {
        return Err(AppError::field(field, "is not a valid credential"));
    }
    Ok(value.to_owned())
}

impl Services {
    /// Connects (or reconnects, with `channel`) a channel with credentials pasted by a manager.
    pub async fn connect_channel(
        &self,
        actor: &Actor,
        ws: Uuid,
        request: ConnectRequest,
        channel: Option<Uuid>,
    ) -> AppResult<Channel> {
        self.active_workspace_for(actor, ws, Permission::Manage)
            .await?;
        match request {
            ConnectRequest::Mastodon {
                instance_url,
                access_token,
            } => {
                let instance = parse_server("instance_url", &instance_url)?;
                let token = secret("access_token", &access_token)?;
                let mastodon = &self.connectors.mastodon;
                let limits = mastodon
                    .server_limits(&instance)
                    .await
                    .map_err(|e| as_field("instance_url", e))?;
                let mut session = Session::new(instance.clone(), Credentials::bearer(token));
                let account = mastodon
                    .verify(&mut session)
                    .await
                    .map_err(|e| as_field("access_token", e))?;
                self.save_connection(
                    ws,
                    Network::Mastodon,
                    &instance,
                    &account,
                    session.credentials,
                    &limits,
                    channel,
                )
                .await
            }
            ConnectRequest::Bluesky {
                service_url,
                identifier,
                app_password,
            } => {
                let service = parse_server(
                    "service_url",
                    service_url
                        .as_deref()
                        .filter(|s| !s.trim().is_empty())
                        .unwrap_or(BLUESKY_DEFAULT_SERVICE),
                )?;
                let identifier = secret("identifier", &identifier)?;
                let password = secret("app_password", &app_password)?;
                let bluesky = &self.connectors.bluesky;
                let mut session = bluesky
                    .sign_in(&service, &identifier, &password)
                    .await
                    .map_err(|e| match e {
                        ConnectorError::AuthExpired { message } => {
                            AppError::field("app_password", message)
                        }
                        other => as_field("service_url", other),
                    })?;
                let account = match bluesky.verify(&mut session).await {
                    Ok(account) => account,
                    Err(
                        e @ (ConnectorError::AuthExpired { .. }
                        | ConnectorError::RateLimited { .. }),
                    ) => {
                        return Err(as_field("identifier", e));
                    }
                    // The profile comes from the AppView, which may not have indexed a new
                    // account yet; the sign-in already proved the credentials.
                    Err(_) => {
                        use crate::connectors::bluesky::session::{DID, HANDLE};
                        let extra = &session.credentials.extra;
                        let handle = extra.get(HANDLE).cloned().unwrap_or_default();
                        Account {
                            remote_id: extra.get(DID).cloned().unwrap_or_default(),
                            handle: format!("@{handle}"),
                            display_name: handle,
                            ..Account::default()
                        }
                    }
                };
                self.save_connection(
                    ws,
                    Network::Bluesky,
                    &service,
                    &account,
                    session.credentials,
                    &ServerLimits::default(),
                    channel,
                )
                .await
            }
        }
    }

    /// Stores a verified connection: on the channel being reconnected, on the channel that
    /// already has this account, or on a new channel.
    #[allow(clippy::too_many_arguments)]
    pub(super) async fn save_connection(
        &self,
        ws: Uuid,
        network: Network,
        server: &Url,
        account: &Account,
        credentials: Credentials,
        limits: &ServerLimits,
        reconnect: Option<Uuid>,
    ) -> AppResult<Channel> {
        let service_url = server.as_str().trim_end_matches('/').to_owned();
        let existing = match reconnect {
            Some(id) => {
                let channel = channels::get(&self.db, ws, id)
                    .await?
                    .ok_or(AppError::NotFound)?;
                if channel.network != network {
                    return Err(AppError::field(
                        "network",
                        format!("this channel is on {}", channel.network.label()),
                    ));
                }
                if !channel.remote_id.is_empty() && channel.remote_id != account.remote_id {
                    return Err(AppError::Conflict(format!(
                        "This channel is {}, but these credentials are for {}. Sign in as {} to reconnect it.",
                        channel.handle, account.handle, channel.handle
                    )));
                }
                Some(channel)
            }
            None => {
                channels::find_account(&self.db, ws, network, &service_url, &account.remote_id)
                    .await?
            }
        };
        let now = self.now_ms();
        let is_new = existing.is_none();
        let mut channel = existing.unwrap_or_else(|| Channel::new(ws, network, now));
        apply_account(&mut channel, account);
        channel.service_url = service_url;
        channel.max_characters = limits.max_characters.or(channel.max_characters);
        channel.chars_per_url = limits.chars_per_url.or(channel.chars_per_url);
        channel.max_media = limits.max_media.or(channel.max_media);
        channel.token_expires_at_ms = credentials.expires_at_ms;
        channel.token_refreshable = credentials.can_renew();
        channel.credentials = Some(self.seal_credentials(channel.id, &credentials)?);
        channel.health = OK.into();
        channel.health_message = String::new();
        channel.rate_limited_until_ms = None;
        channel.connected_at_ms = Some(now);
        channel.checked_at_ms = Some(now);
        channel.updated_at_ms = now;
        if is_new {
            channels::insert(&self.db, &channel).await?;
        } else {
            channels::update_connection(&self.db, &channel).await?;
        }
        Ok(channel)
    }

    /// Starts connecting a Mastodon account through its instance's sign-in page; returns the
    /// address to send the person to.
    pub async fn start_mastodon_oauth(
        &self,
        actor: &Actor,
        ws: Uuid,
        instance_url: &str,
        redirect_uri: &str,
        channel: Option<Uuid>,
    ) -> AppResult<Url> {
        self.active_workspace_for(actor, ws, Permission::Manage)
            .await?;
        if let Some(id) = channel {
            channels::get(&self.db, ws, id)
                .await?
                .ok_or(AppError::NotFound)?;
        }
        let instance = parse_server("instance_url", instance_url)?;
        // Reading the instance first tells a wrong address apart from a refused sign-in.
        self.connectors
            .mastodon
            .server_limits(&instance)
            .await
            .map_err(|e| as_field("instance_url", e))?;
        let app = self.instance_app(&instance, redirect_uri).await?;
        let state = pkce::random_token();
        let verifier = pkce::random_token();
        let state_hash = hash(&state);
        let now = self.now_ms();
        oauth::insert_flow(
            &self.db,
            &Flow {
                code_verifier: self
                    .secrets
                    .encrypt(verifier.as_bytes(), &Flow::verifier_aad(&state_hash)),
                state_hash,
                workspace_id: ws,
                user_id: actor.user.id,
                network: Network::Mastodon.as_str().into(),
                service_url: instance.to_string(),
                channel_id: channel,
                login: String::new(),
                created_at_ms: now,
                expires_at_ms: now + FLOW_TTL_MS,
            },
        )
        .await?;
        Ok(Mastodon::authorize_url(
            &instance,
            &app.client_id,
            redirect_uri,
            &state,
            &pkce::challenge(&verifier),
        ))
    }

    /// Herald's app on an instance: kept from an earlier registration, or registered now.
    async fn instance_app(&self, instance: &Url, redirect_uri: &str) -> AppResult<App> {
        let host = instance.host_str().unwrap_or_default().to_owned()
            + &instance.port().map(|p| format!(":{p}")).unwrap_or_default();
        if let Some(kept) = oauth::instance_app(&self.db, "mastodon", &host, redirect_uri).await? {
            let secret = self
                .secrets
                .decrypt(&kept.client_secret, &InstanceApp::secret_aad(kept.id))
                .map_err(|e| AppError::Internal(anyhow::anyhow!("oauth app secret: {e}")))?;
            return Ok(App {
                client_id: kept.client_id,
                client_secret: String::from_utf8_lossy(&secret).into_owned(),
            });
        }
        let website = redirect_uri.split("/oauth/").next().unwrap_or(redirect_uri);
        let app = self
            .connectors
            .mastodon
            .register_app(instance, redirect_uri, website)
            .await
            .map_err(|e| as_field("instance_url", e))?;
        let id = Uuid::now_v7();
        let stored = oauth::insert_instance_app(
            &self.db,
            &InstanceApp {
                id,
                network: "mastodon".into(),
                host,
                redirect_uri: redirect_uri.into(),
                client_id: app.client_id.clone(),
                client_secret: self
                    .secrets
                    .encrypt(app.client_secret.as_bytes(), &InstanceApp::secret_aad(id)),
                created_at_ms: self.now_ms(),
            },
        )
        .await?;
        if stored.id == id {
            Ok(app)
        } else {
            // Another request registered first: use the kept one.
            Box::pin(self.instance_app(instance, redirect_uri)).await
        }
    }

    /// Finishes an OAuth flow of a network with one account per sign-in (`complete_oauth`
    /// for any network).
    pub async fn finish_oauth(
        &self,
        actor: &Actor,
        state: &str,
        code: Option<&str>,
        network_error: Option<&str>,
        redirect_uri: &str,
    ) -> AppResult<(Uuid, Channel)> {
        match self
            .complete_oauth(actor, state, code, network_error, redirect_uri)
            .await?
        {
            (ws, OAuthFinished::Connected(channel)) => Ok((ws, channel)),
            (_, OAuthFinished::Pick(_)) => Err(AppError::Conflict(
                "This sign-in granted several accounts: pick them on the picker page.".into(),
            )),
            (_, OAuthFinished::NotListed(c)) => Err(not_listed(&c.handle, c.network.label())),
        }
    }

    /// Finishes an OAuth flow when the network sends the person back: a connected channel,
    /// or accounts to pick from. The flow must have been started by this person; it is used
    /// once.
    pub async fn complete_oauth(
        &self,
        actor: &Actor,
        state: &str,
        code: Option<&str>,
        network_error: Option<&str>,
        redirect_uri: &str,
    ) -> AppResult<(Uuid, OAuthFinished)> {
        let flow = oauth::take_flow(&self.db, &hash(state), self.now_ms())
            .await?
            .filter(|f| f.user_id == actor.user.id)
            .ok_or_else(|| {
                AppError::Conflict(
                    "This sign-in link has expired or was already used; start connecting again."
                        .into(),
                )
            })?;
        if let Some(error) = network_error {
            return Err(AppError::Conflict(format!(
                "The network did not grant access: {error}"
            )));
        }
        let code = code
            .filter(|c| !c.is_empty())
            .ok_or_else(|| AppError::Conflict("The network sent no authorization code.".into()))?;
        self.active_workspace_for(actor, flow.workspace_id, Permission::Manage)
            .await?;
        let verifier = self
            .secrets
            .decrypt(&flow.code_verifier, &Flow::verifier_aad(&flow.state_hash))
            .map_err(|e| AppError::Internal(anyhow::anyhow!("oauth verifier: {e}")))?;
        let verifier = String::from_utf8_lossy(&verifier).into_owned();
        if Self::picks(&flow) {
            let finished = self.finish_picker_oauth(&flow, code, redirect_uri).await?;
            return Ok((flow.workspace_id, finished));
        }
        if flow.network != Network::Mastodon.as_str() {
            let channel = self
                .finish_network_oauth(&flow, code, &verifier, redirect_uri)
                .await?;
            return Ok((flow.workspace_id, OAuthFinished::Connected(channel)));
        }
        let instance = parse_server("instance_url", &flow.service_url)?;
        let app = self.instance_app(&instance, redirect_uri).await?;
        let mastodon = &self.connectors.mastodon;
        let credentials = mastodon
            .exchange_code(&instance, &app, redirect_uri, code, &verifier)
            .await
            .map_err(connector_error)?;
        let limits = mastodon
            .server_limits(&instance)
            .await
            .map_err(connector_error)?;
        let mut session = Session::new(instance.clone(), credentials);
        let account = mastodon
            .verify(&mut session)
            .await
            .map_err(connector_error)?;
        let channel = self
            .save_connection(
                flow.workspace_id,
                Network::Mastodon,
                &instance,
                &account,
                session.credentials,
                &limits,
                flow.channel_id,
            )
            .await?;
        Ok((flow.workspace_id, OAuthFinished::Connected(channel)))
    }
}

/// Why a reconnect changed nothing: the network did not list the channel's account for the
/// person who signed in.
pub fn not_listed(handle: &str, network_label: &str) -> AppError {
    AppError::Conflict(format!(
        "{handle} was not reconnected: {network_label} did not list it among the accounts you manage (you may no longer be an admin of it). Sign in as someone who manages it, or disconnect it."
    ))
}

pub(super) fn hash(state: &str) -> String {
    hex::encode(Sha256::digest(state.as_bytes()))
}
