//! An attempt whose outcome is unknown (the worker stopped mid-call, the answer was lost) is
//! looked for on the network before anything is sent again.

use super::to_json;
use crate::connectors::ConnectorError;
use crate::connectors::model::RemoteRef;
use crate::domain::post::VariantState;
use crate::domain::retry::{self, MAX_ATTEMPTS};
use crate::domain::text::Network;
use crate::services::{AppResult, Services};
use crate::storage::attempts::{self, Attempt, Settled};
use crate::storage::channels::Channel;
use crate::storage::jobs::Finish;
use crate::storage::notifications::PostContext;
use crate::storage::posts::Variant;
use crate::storage::publishing::{self, Outcome};

/// Networks where sending the same variant again cannot duplicate it: Mastodon keeps an
/// `Idempotency-Key` for an hour, and Bluesky records are written under keys Herald derives
/// from the variant (a second write to the same key fails instead of adding a post).
fn resend_is_safe(network: Network) -> bool {
    matches!(network, Network::Mastodon | Network::Bluesky)
}

pub(super) enum Reconciled {
    Proceed,
    Finished(Finish),
}

impl Services {
    /// Looks on the network for what the last attempt may have published.
    pub(super) async fn reconcile(
        &self,
        variant: &Variant,
        channel: &Channel,
        context: &PostContext,
        last: &Attempt,
        done: &mut Vec<RemoteRef>,
    ) -> AppResult<Reconciled> {
        let now = self.now_ms();
        let unknown = Settled {
            state: "outcome_unknown",
            error_kind: Some("outcome_unknown".into()),
            error: Some("the worker stopped while the network was answering".into()),
            published: last.published.clone(),
            at_ms: now,
            ..Settled::default()
        };
        if last.state == "sending"
            && !attempts::settle(&self.db, last.id, "sending", &unknown).await?
        {
            // Its worker settled it just now: look again.
            return Ok(Reconciled::Finished(Finish::RunAt {
                at_ms: now,
                error: None,
            }));
        }
        let Some(text) = variant.parts.0.get(done.len()).cloned() else {
            return Ok(Reconciled::Proceed);
        };
        let found = if text.trim().is_empty() {
            Err(ConnectorError::unsupported("finding a post without text"))
        } else {
            let text = text.clone();
            self.through_channel_raw(channel, move |c, s| {
                Box::pin(async move { c.find_published(s, &text).await })
            })
            .await?
        };
        let settle_as = |published: &[RemoteRef]| Settled {
            state: "reconciled",
            error_kind: last.error_kind.clone(),
            error: last.error.clone(),
            published: to_json(published),
            at_ms: now,
            ..Settled::default()
        };
        match found {
            Ok(Some(post)) => {
                done.push(post);
                attempts::settle(&self.db, last.id, "outcome_unknown", &settle_as(done)).await?;
                Ok(Reconciled::Proceed)
            }
            Ok(None) => {
                attempts::settle(&self.db, last.id, "outcome_unknown", &settle_as(done)).await?;
                Ok(Reconciled::Proceed)
            }
            Err(_) if resend_is_safe(channel.network) => Ok(Reconciled::Proceed),
            Err(e) if e.is_retryable() && variant.tries < MAX_ATTEMPTS => {
                let at = retry::next_try_ms(variant.tries.max(1), now, None, rand::random());
                let outcome = Outcome::Retrying {
                    retry_at_ms: at,
                    kind: "outcome_unknown".into(),
                    error: format!("looking for the post on the network failed: {e}"),
                };
                publishing::conclude(&self.db, variant.id, &outcome, now).await?;
                Ok(Reconciled::Finished(Finish::RunAt {
                    at_ms: at,
                    error: None,
                }))
            }
            Err(e) => {
                let error = format!(
                    "it is not known whether {} published it, and Herald could not find out \
                     ({e}); look on the network, then retry or mark it published",
                    channel.network.label()
                );
                let finish = self
                    .stop(
                        variant,
                        context.clone(),
                        VariantState::OutcomeUnknown,
                        "outcome_unknown",
                        error,
                    )
                    .await?;
                Ok(Reconciled::Finished(finish))
            }
        }
    }
}
