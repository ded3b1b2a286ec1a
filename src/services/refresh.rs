//! Renewing tokens ahead of expiry, run periodically by every instance. A channel is claimed
//! with a conditional update first, so two instances never both spend a refresh token
//! (networks that rotate them would then refuse the loser's and ask for a reconnection).

use super::{AppResult, Services};
use crate::domain::channel::refresh_ahead_ms;
use crate::storage::channels;

/// A claim lasts this long: another instance may try again after it.
const CLAIM_MS: i64 = 5 * 60_000;

/// What one pass did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Refreshed {
    pub renewed: usize,
    pub failed: usize,
}

impl Services {
    /// Renews every token that expires soon and can be renewed; a refusal marks the channel
    /// "reconnect needed" (through `settle`).
    pub async fn refresh_expiring_tokens(&self) -> AppResult<Refreshed> {
        self.sync_network_apps().await?;
        let now = self.now_ms();
        let horizon = now + refresh_ahead_ms(crate::domain::text::Network::Instagram);
        let mut done = Refreshed::default();
        for channel in channels::expiring(&self.db, horizon).await? {
            let due = channel
                .token_expires_at_ms
                .is_some_and(|at| at - now <= refresh_ahead_ms(channel.network));
            if !due || !channel.token_refreshable {
                continue;
            }
            if !channels::claim_refresh(&self.db, channel.id, now, CLAIM_MS).await? {
                continue;
            }
            let outcome = self.through_channel(&channel, |c, s| c.refresh(s)).await;
            match outcome {
                Ok(()) => done.renewed += 1,
                Err(e) => {
                    tracing::warn!(channel = %channel.id, error = %e, "renewing a token failed");
                    done.failed += 1;
                }
            }
        }
        Ok(done)
    }
}
