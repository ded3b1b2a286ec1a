//! The picker's side of a grant (see `connect_picker`): what the person sees of the listed
//! accounts, and connecting the ones they tick. Only the person who signed in, in the
//! workspace they started from, with the right to manage its channels, reads or uses a
//! grant; anyone else is told it does not exist.

use uuid::Uuid;

use super::connect_picker::Pending;
use super::{Actor, AppError, AppResult, Services};
use crate::connectors::model::{Account, ServerLimits};
use crate::domain::Permission;
use crate::domain::text::Network;
use crate::storage::channels::{self, Channel};
use crate::storage::connect_grants::{self, Grant};

/// A grant as the picker shows it: no tokens.
#[derive(Clone, Debug)]
pub struct GrantView {
    pub id: Uuid,
    pub workspace_id: Uuid,
    pub network: Network,
    /// Instagram: `facebook` or `instagram`; empty otherwise.
    pub login: String,
    pub created_at_ms: i64,
    pub expires_at_ms: i64,
    pub accounts: Vec<GrantAccount>,
}

#[derive(Clone, Debug)]
pub struct GrantAccount {
    pub account: Account,
    /// Why it cannot be picked, when it cannot.
    pub unavailable: Option<String>,
    /// The channel that already has this account: picking it reconnects that channel.
    pub channel_id: Option<Uuid>,
}

fn expired() -> AppError {
    AppError::Conflict(
        "This list of accounts has expired or was already used; connect again to pick.".into(),
    )
}

impl Services {
    /// A grant of the actor's in `ws`, decrypted. Another person's, another workspace's or
    /// a missing one is `NotFound`; an expired or unreadable one says to connect again.
    async fn open_grant(
        &self,
        actor: &Actor,
        ws: Uuid,
        id: Uuid,
    ) -> AppResult<(Grant, Network, Vec<Pending>)> {
        self.active_workspace_for(actor, ws, Permission::Manage)
            .await?;
        let grant = connect_grants::get(&self.db, id)
            .await?
            .filter(|g| g.workspace_id == ws && g.user_id == actor.user.id)
            .ok_or(AppError::NotFound)?;
        if grant.expires_at_ms < self.now_ms() {
            connect_grants::take(&self.db, id).await?;
            return Err(expired());
        }
        let network = Network::parse(&grant.network).ok_or(AppError::NotFound)?;
        let listed = self
            .secrets
            .decrypt(&grant.accounts, &Grant::accounts_aad(grant.id))
            .ok()
            .and_then(|json| serde_json::from_slice::<Vec<Pending>>(&json).ok());
        let Some(listed) = listed else {
            // Tampered with, or moved from another row: useless, so it goes.
            tracing::warn!(grant = %id, "a connect grant did not decrypt");
            connect_grants::take(&self.db, id).await?;
            return Err(AppError::Conflict(
                "This list of accounts could not be read; connect again to pick.".into(),
            ));
        };
        Ok((grant, network, listed))
    }

    async fn grant_view(
        &self,
        grant: &Grant,
        network: Network,
        listed: Vec<Pending>,
    ) -> AppResult<GrantView> {
        let mut accounts = Vec::with_capacity(listed.len());
        for p in listed {
            let channel_id = match p.unavailable {
                Some(_) => None,
                None => channels::find_account(
                    &self.db,
                    grant.workspace_id,
                    network,
                    &p.service_url,
                    &p.account.remote_id,
                )
                .await?
                .map(|c| c.id),
            };
            accounts.push(GrantAccount {
                account: p.account,
                unavailable: p.unavailable,
                channel_id,
            });
        }
        Ok(GrantView {
            id: grant.id,
            workspace_id: grant.workspace_id,
            network,
            login: grant.login.clone(),
            created_at_ms: grant.created_at_ms,
            expires_at_ms: grant.expires_at_ms,
            accounts,
        })
    }

    /// The accounts a sign-in listed, for the person to pick from.
    pub async fn connect_grant(&self, actor: &Actor, ws: Uuid, id: Uuid) -> AppResult<GrantView> {
        let (grant, network, listed) = self.open_grant(actor, ws, id).await?;
        self.grant_view(&grant, network, listed).await
    }

    /// The actor's grants in `ws` still waiting to be picked from (API clients find the one
    /// their sign-in made here), newest first.
    pub async fn connect_grants(&self, actor: &Actor, ws: Uuid) -> AppResult<Vec<GrantView>> {
        self.active_workspace_for(actor, ws, Permission::Manage)
            .await?;
        let grants = connect_grants::of_user(&self.db, ws, actor.user.id, self.now_ms()).await?;
        let mut views = Vec::with_capacity(grants.len());
        for g in grants {
            // An unreadable one is skipped here; opening it says why and removes it.
            if let Ok((grant, network, listed)) = self.open_grant(actor, ws, g.id).await {
                views.push(self.grant_view(&grant, network, listed).await?);
            }
        }
        Ok(views)
    }

    /// Connects the picked accounts (by `remote_id`), one channel each: a new channel, or the
    /// one that already has the account, reconnected in place. The grant is used up.
    pub async fn pick_connect_grant(
        &self,
        actor: &Actor,
        ws: Uuid,
        id: Uuid,
        account_ids: &[String],
    ) -> AppResult<Vec<Channel>> {
        let (grant, network, listed) = self.open_grant(actor, ws, id).await?;
        if account_ids.is_empty() {
            return Err(AppError::field("account_ids", "pick at least one account"));
        }
        let mut chosen: Vec<&Pending> = Vec::new();
        let mut errors = crate::domain::Validation::new();
        for wanted in account_ids {
            match listed.iter().find(|p| &p.account.remote_id == wanted) {
                None => errors.add(
                    "account_ids",
                    format!(
                        "{wanted:?} is not among the accounts {} listed",
                        network.label()
                    ),
                ),
                Some(p) => match (&p.unavailable, &p.credentials) {
                    (None, Some(_)) => {
                        if !chosen.iter().any(|c| c.account.remote_id == *wanted) {
                            chosen.push(p);
                        }
                    }
                    (reason, _) => errors.add(
                        "account_ids",
                        format!(
                            "{} cannot be connected: {}",
                            p.account.display_name,
                            reason
                                .as_deref()
                                .unwrap_or("the network gave no access to it")
                        ),
                    ),
                },
            }
        }
        errors.finish()?;
        // Taken before connecting, so a second submit cannot use it again.
        connect_grants::take(&self.db, grant.id)
            .await?
            .ok_or_else(expired)?;
        let mut connected = Vec::with_capacity(chosen.len());
        for p in chosen {
            let Some(credentials) = p.credentials.clone() else {
                continue;
            };
            let server = url::Url::parse(&p.service_url)
                .map_err(|e| AppError::Internal(anyhow::anyhow!("service url: {e}")))?;
            let channel = self
                .save_connection(
                    ws,
                    network,
                    &server,
                    &p.account,
                    credentials,
                    &ServerLimits::default(),
                    None,
                )
                .await?;
            connected.push(channel);
        }
        Ok(connected)
    }
}
