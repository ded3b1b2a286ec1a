//! Connecting through the networks' sign-in pages, with the app an instance admin entered on
//! the Networks page. X and Threads grant one account per sign-in, so the person picks
//! nothing; Facebook pages, Instagram accounts and LinkedIn organisations, where one sign-in
//! grants several, end on a picker (`connect_picker`).

use url::Url;
use uuid::Uuid;

use super::connect::{FLOW_TTL_MS, hash};
use super::connect_picker::{LOGIN_FACEBOOK, login_for, sign_in_network};
use super::connection::connector_error;
use super::{Actor, AppError, AppResult, Services};
use crate::connectors::model::{OAuthApp, ServerLimits};
use crate::connectors::{Connector, Session, pkce};
use crate::domain::Permission;
use crate::domain::text::Network;
use crate::storage::channels::{self, Channel};
use crate::storage::oauth::{self, Flow};

impl Services {
    pub(super) async fn app_for(&self, network: Network) -> AppResult<OAuthApp> {
        self.network_app(network).await?.ok_or_else(|| {
            AppError::field(
                "network",
                format!(
                    "{} needs this install's app credentials first: an instance admin enters them on the Networks page",
                    network.label()
                ),
            )
        })
    }

    /// Starts connecting through a network's sign-in page (X, Threads, Facebook, Instagram,
    /// LinkedIn); returns the address to send the person to. `login` picks Instagram's
    /// sign-in (`facebook` or `instagram`, the default); `redirect_uri` must be the callback
    /// of `sign_in_network(network, login)`.
    pub async fn start_network_oauth(
        &self,
        actor: &Actor,
        ws: Uuid,
        network: Network,
        login: &str,
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
        let login = login_for(network, login)?;
        let app = self.app_for(sign_in_network(network, login)).await?;
        let (state, verifier) = (pkce::random_token(), pkce::random_token());
        let url = match network {
            Network::X => self.connectors.x.authorize_url(
                &app,
                redirect_uri,
                &state,
                &pkce::challenge(&verifier),
            ),
            Network::Threads => self
                .connectors
                .threads
                .authorize_url(&app, redirect_uri, &state),
            Network::Facebook => self
                .connectors
                .facebook
                .authorize_url(&app, redirect_uri, &state),
            // One Facebook Login grants the pages and their Instagram accounts.
            Network::Instagram if login == LOGIN_FACEBOOK => self
                .connectors
                .facebook
                .authorize_url(&app, redirect_uri, &state),
            Network::Instagram => {
                self.connectors
                    .instagram
                    .authorize_url(&app, redirect_uri, &state)
            }
            Network::Linkedin => self
                .connectors
                .linkedin
                .authorize_url(&app, redirect_uri, &state),
            other => {
                return Err(AppError::field(
                    "network",
                    format!(
                        "connecting {} from here is not available yet",
                        other.label()
                    ),
                ));
            }
        };
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
                network: network.as_str().into(),
                service_url: String::new(),
                channel_id: channel,
                login: login.into(),
                created_at_ms: now,
                expires_at_ms: now + FLOW_TTL_MS,
            },
        )
        .await?;
        Ok(url)
    }

    /// The rest of `finish_oauth` for X and Threads: the code for tokens (long-lived ones on
    /// Threads), the account, the channel.
    pub(super) async fn finish_network_oauth(
        &self,
        flow: &Flow,
        code: &str,
        verifier: &str,
        redirect_uri: &str,
    ) -> AppResult<Channel> {
        let network = Network::parse(&flow.network).ok_or(AppError::NotFound)?;
        let app = self.app_for(network).await?;
        let (credentials, service, connector): (_, Url, &dyn Connector) = match network {
            Network::X => {
                let x = &self.connectors.x;
                let credentials = x
                    .exchange_code(&app, redirect_uri, code, verifier)
                    .await
                    .map_err(connector_error)?;
                (credentials, x.service_url().clone(), x)
            }
            Network::Threads => {
                let threads = &self.connectors.threads;
                let short = threads
                    .exchange_code(&app, redirect_uri, code)
                    .await
                    .map_err(connector_error)?;
                // `long_lived` keeps the account id that came with the short-lived token.
                let long = threads
                    .long_lived(&app, &short)
                    .await
                    .map_err(connector_error)?;
                (long, threads.service_url().clone(), threads)
            }
            other => {
                return Err(AppError::Conflict(format!(
                    "connecting {} is not available yet",
                    other.label()
                )));
            }
        };
        let mut session = Session::new(service.clone(), credentials);
        let account = connector
            .verify(&mut session)
            .await
            .map_err(connector_error)?;
        self.save_connection(
            flow.workspace_id,
            network,
            &service,
            &account,
            session.credentials,
            &ServerLimits::default(),
            flow.channel_id,
        )
        .await
    }
}
