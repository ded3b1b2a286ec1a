//! Channels as records of a workspace. Connecting them to the real networks (OAuth, tokens)
//! comes with the connectors; until then they are created by operators and tests.

use uuid::Uuid;

use super::{Actor, AppResult, Services};
use crate::domain::text::Network;
use crate::domain::validation::clean_name;
use crate::domain::{Permission, Validation};
use crate::storage::channels::{self, Channel};

pub struct NewChannel<'a> {
    pub network: Network,
    pub handle: &'a str,
    pub display_name: &'a str,
    pub service_url: &'a str,
    /// A Mastodon instance's limits, when known.
    pub max_characters: Option<i64>,
    pub chars_per_url: Option<i64>,
}

impl Services {
    pub async fn list_channels(&self, actor: &Actor, ws: Uuid) -> AppResult<Vec<Channel>> {
        self.workspace(actor, ws).await?;
        Ok(channels::list(&self.db, ws).await?)
    }

    /// Adds a channel record (managers).
    pub async fn add_channel(
        &self,
        actor: &Actor,
        ws: Uuid,
        new: NewChannel<'_>,
    ) -> AppResult<Channel> {
        self.active_workspace_for(actor, ws, Permission::Manage)
            .await?;
        let mut v = Validation::new();
        let handle = clean_name(&mut v, "handle", new.handle, 200);
        let display_name = if new.display_name.trim().is_empty() {
            handle.clone()
        } else {
            clean_name(&mut v, "display_name", new.display_name, 200)
        };
        v.check(
            new.max_characters
                .is_none_or(|n| (1..=100_000).contains(&n)),
            "max_characters",
            "must be between 1 and 100000",
        );
        v.check(
            new.chars_per_url.is_none_or(|n| (0..=1000).contains(&n)),
            "chars_per_url",
            "must be between 0 and 1000",
        );
        v.finish()?;
        let now = self.now_ms();
        let channel = Channel {
            handle,
            display_name,
            service_url: new.service_url.trim().to_owned(),
            max_characters: new.max_characters,
            chars_per_url: new.chars_per_url,
            ..Channel::new(ws, new.network, now)
        };
        channels::insert(&self.db, &channel).await?;
        Ok(channel)
    }
}
