//! The install's app credentials on the networks with one host (X, Facebook, Instagram,
//! LinkedIn, Threads): entered by an instance admin, stored encrypted, and handed to the
//! connectors that renew tokens with them. Every instance reloads them on each refresh pass,
//! so a change made on one instance reaches the others without a restart.

use super::{Actor, AppError, AppResult, Services};
use crate::connectors::model::OAuthApp;
use crate::domain::text::Network;
use crate::storage::oauth::{self, NetworkApp};

/// The networks whose apps an admin registers, in the order the page lists them.
pub const OAUTH_NETWORKS: [Network; 5] = [
    Network::X,
    Network::Facebook,
    Network::Instagram,
    Network::Linkedin,
    Network::Threads,
];

/// What the admin page shows of one network's app (never the secret).
pub struct NetworkAppStatus {
    pub network: Network,
    pub client_id: Option<String>,
    pub updated_at_ms: Option<i64>,
}

impl Services {
    fn require_admin(actor: &Actor) -> AppResult<()> {
        if actor.user.is_admin {
            Ok(())
        } else {
            Err(AppError::forbidden(
                "Only instance admins manage the networks' app credentials.",
            ))
        }
    }

    pub async fn network_app_statuses(&self, actor: &Actor) -> AppResult<Vec<NetworkAppStatus>> {
        Self::require_admin(actor)?;
        let stored = oauth::network_apps(&self.db).await?;
        Ok(OAUTH_NETWORKS
            .iter()
            .map(|n| {
                let app = stored.iter().find(|a| a.network == n.as_str());
                NetworkAppStatus {
                    network: *n,
                    client_id: app.map(|a| a.client_id.clone()),
                    updated_at_ms: app.map(|a| a.updated_at_ms),
                }
            })
            .collect())
    }

    /// Saves (or, with both fields empty, removes) a network's app credentials.
    pub async fn save_network_app(
        &self,
        actor: &Actor,
        network: Network,
        client_id: &str,
        client_secret: &str,
    ) -> AppResult<()> {
        Self::require_admin(actor)?;
        if !OAUTH_NETWORKS.contains(&network) {
            return Err(AppError::field(
                "network",
                format!("{} needs no app credentials", network.label()),
            ));
        }
        let (id, secret) = (client_id.trim(), client_secret.trim());
        let mut errors = crate::domain::Validation::new();
        errors.check(
            !id.is_empty() && id.len() <= 500 && !id.chars().any(char::is_control),
            "client_id",
            "must be the app's client id (up to 500 characters)",
        );
        errors.check(
            !secret.is_empty() && secret.len() <= 1000 && !secret.chars().any(char::is_control),
            "client_secret",
            "must be the app's client secret (up to 1000 characters)",
        );
        errors.finish()?;
        oauth::save_network_app(
            &self.db,
            &NetworkApp {
                network: network.as_str().into(),
                client_id: id.into(),
                client_secret: self
                    .secrets
                    .encrypt(secret.as_bytes(), &NetworkApp::secret_aad(network.as_str())),
                updated_by: Some(actor.user.id),
                updated_at_ms: self.now_ms(),
            },
        )
        .await?;
        self.sync_network_apps().await
    }

    /// A network's app, decrypted, when an admin entered one.
    pub async fn network_app(&self, network: Network) -> AppResult<Option<OAuthApp>> {
        let Some(stored) = oauth::network_app(&self.db, network.as_str()).await? else {
            return Ok(None);
        };
        let secret = self
            .secrets
            .decrypt(
                &stored.client_secret,
                &NetworkApp::secret_aad(network.as_str()),
            )
            .map_err(|e| {
                AppError::Internal(anyhow::anyhow!("{} app secret: {e}", network.as_str()))
            })?;
        Ok(Some(OAuthApp {
            client_id: stored.client_id,
            client_secret: String::from_utf8_lossy(&secret).into_owned(),
        }))
    }

    /// Hands the stored apps to the connectors that renew tokens with them.
    pub async fn sync_network_apps(&self) -> AppResult<()> {
        self.connectors
            .x
            .set_app(self.network_app(Network::X).await?);
        self.connectors
            .linkedin
            .set_app(self.network_app(Network::Linkedin).await?);
        Ok(())
    }
}

impl Services {
    /// The networks whose app an admin has entered (for the Channels page; no secrets).
    pub async fn configured_networks(&self) -> AppResult<Vec<Network>> {
        Ok(oauth::network_apps(&self.db)
            .await?
            .iter()
            .filter_map(|a| Network::parse(&a.network))
            .collect())
    }
}
