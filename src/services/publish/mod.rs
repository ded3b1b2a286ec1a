//! Publishing one variant, as its job runs it (DESIGN.md, "Publishing: once, on time, or
//! loudly"): late posts within the grace window go out, later ones are marked missed; every
//! attempt is written before the network call and settled after it with the network's
//! answer; only rate limits and transient failures are retried; an attempt whose outcome is
//! unknown is looked for on the network before anything is sent again.

mod reconcile;
mod request;

use uuid::Uuid;

use reconcile::Reconciled;

use super::{AppError, AppResult, Services};
use crate::connectors::model::RemoteRef;
use crate::connectors::{ConnectorError, transcript};
use crate::domain::post::VariantState;
use crate::domain::retry::{self, MAX_ATTEMPTS};
use crate::storage::attempts::{self, Attempt, Settled};
use crate::storage::channels::{self, Channel};
use crate::storage::group_commit::Write;
use crate::storage::jobs::Finish;
use crate::storage::notifications::PostContext;
use crate::storage::posts::Variant;
use crate::storage::publishing::{self, Outcome, Surroundings};

/// How long the signed public address of a post's media works (Meta fetches it while the
/// container is made, minutes later at most).
const PUBLIC_URL_TTL_MS: i64 = 24 * 3_600_000;

/// How soon an attempt whose outcome is unknown is looked for on the network.
const RECONCILE_AFTER_MS: i64 = 30_000;

impl Services {
    /// Runs the publish job of `variant_id` for `worker`; the answer says what the queue
    /// does with the job next.
    pub async fn run_publish(&self, variant_id: Uuid, worker: &str) -> AppResult<Finish> {
        let now = self.now_ms();
        let Some((variant, around)) =
            publishing::get_with_surroundings(&self.db, variant_id).await?
        else {
            return Ok(Finish::Done);
        };
        let take = match variant.state {
            VariantState::Scheduled => {
                let due = variant.scheduled_at_ms.unwrap_or(now);
                if due > now {
                    return Ok(Finish::RunAt {
                        at_ms: due,
                        error: None,
                    });
                }
                true
            }
            VariantState::Publishing => {
                if let Some(at) = variant.retry_at_ms.filter(|at| *at > now) {
                    return Ok(Finish::RunAt {
                        at_ms: at,
                        error: None,
                    });
                }
                // A retry that is due, or a job taken over from a worker that stopped.
                false
            }
            _ => return Ok(Finish::Done),
        };
        if take {
            let due = variant.scheduled_at_ms.unwrap_or(now);
            if now - due > around.grace_window_ms {
                return self.missed(&variant, now - due).await;
            }
        }
        self.attempt(variant, &around, worker, take).await
    }

    async fn missed(&self, variant: &Variant, late_ms: i64) -> AppResult<Finish> {
        let late = late_ms / 60_000;
        let error = format!(
            "missed: Herald was not running at the time it was due ({late} min ago, \
             more than the workspace's grace window); schedule it again or publish now"
        );
        if publishing::miss(&self.db, variant.id, &error, self.now_ms()).await? {
            let event = super::Event::PostFailed {
                variant_id: variant.id,
                kind: "missed".into(),
                reason: error,
            };
            self.notify_publishing(event, None).await;
        }
        tracing::warn!(variant = %variant.id, late_min = late, "post missed");
        Ok(Finish::Done)
    }

    /// One try at sending what of `variant` is not on the network yet. With `take`, the
    /// variant is still `scheduled`: a plain send takes it in the same commit that writes
    /// the attempt; anything else takes it first.
    async fn attempt(
        &self,
        mut variant: Variant,
        around: &Surroundings,
        worker: &str,
        take: bool,
    ) -> AppResult<Finish> {
        let now = self.now_ms();
        let channel = channels::get(&self.db, around.workspace_id, variant.channel_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let mut context = notification_context(&variant, around, &channel);
        let rate_limited = channel.rate_limited_until_ms.filter(|u| *u > now);
        let last = match variant.attempt_count {
            0 => None,
            _ => attempts::last(&self.db, variant.id).await?,
        };
        let pending = last
            .as_ref()
            .filter(|a| matches!(a.state.as_str(), "sending" | "outcome_unknown"));
        let plain = channel.credentials.is_some()
            && rate_limited.is_none()
            && pending.is_none()
            && last.is_none()
            && !variant.parts.0.is_empty();
        if take && !plain {
            match publishing::start(&self.db, variant.id, now).await? {
                Some(taken) => variant = taken,
                // Cancelled, moved or taken meanwhile.
                None => return Ok(Finish::Done),
            }
        }
        let take = take && plain;
        if channel.credentials.is_none() {
            let error = format!(
                "{} is not connected to {}; reconnect it, then retry",
                channel.handle,
                channel.network.label()
            );
            return self
                .stop(
                    &variant,
                    context,
                    VariantState::Failed,
                    "disconnected",
                    error,
                )
                .await;
        }
        if let Some(until) = rate_limited {
            // The network said when; asking before then only spends the allowance.
            let outcome = Outcome::Retrying {
                retry_at_ms: until,
                kind: "rate_limited".into(),
                error: "the network's rate limit for this channel resets then".into(),
            };
            publishing::conclude(&self.db, variant.id, &outcome, now).await?;
            return Ok(Finish::RunAt {
                at_ms: until,
                error: None,
            });
        }
        let mut done: Vec<RemoteRef> = last
            .as_ref()
            .and_then(|a| serde_json::from_str(&a.published).ok())
            .unwrap_or_default();
        if let Some(last) = pending {
            match self
                .reconcile(&variant, &channel, &context, last, &mut done)
                .await?
            {
                Reconciled::Proceed => {}
                Reconciled::Finished(finish) => return Ok(finish),
            }
        }
        let parts = &variant.parts.0;
        if done.len() >= parts.len() {
            return self.published(&variant, context, &done).await;
        }
        let attempt = Attempt {
            id: Uuid::now_v7(),
            variant_id: variant.id,
            number: variant.attempt_count + 1,
            state: "sending".into(),
            worker: worker.to_owned(),
            started_at_ms: now,
            finished_at_ms: None,
            error_kind: None,
            error: None,
            published: to_json(&done),
            raw_answer: "[]".into(),
        };
        let request = self
            .request(&variant, &channel, around.has_media, &done, &attempt)
            .await?;
        let begin = Write::Begin {
            attempt: attempt.clone(),
            take,
        };
        if !self.commits.write(begin).await? {
            // Cancelled meanwhile, or another worker is on it (it took the job over).
            return Ok(Finish::Done);
        }
        let (result, exchanges) =
            transcript::recorded(self.publish_through(&channel, &request)).await;
        let raw = serde_json::to_string(&exchanges).unwrap_or_else(|_| "[]".into());
        let now = self.now_ms();
        let (error, newly) = match result? {
            Ok(published) => {
                done.extend(published.parts);
                let settled = Settled {
                    state: "published",
                    published: to_json(&done),
                    raw_answer: raw,
                    at_ms: now,
                    ..Settled::default()
                };
                let outcome = published_outcome(&done);
                if self.settle(attempt.id, settled, &variant, outcome).await? {
                    context.remote_url = done.first().and_then(|r| r.url.clone());
                    let event = super::Event::PostPublished {
                        variant_id: variant.id,
                    };
                    self.notify_publishing(event, Some(context)).await;
                }
                return Ok(Finish::Done);
            }
            Err(e) => (e.error, e.done.parts),
        };
        done.extend(newly);
        let kind = kind_of(&error);
        let unknown = kind == "outcome_unknown";
        let out_of_tries = variant.tries + 1 >= MAX_ATTEMPTS;
        let will_retry = (error.is_retryable() || unknown) && !out_of_tries;
        // An unknown outcome is looked for on the network before the next try.
        let state = match (unknown, will_retry) {
            (true, _) => "outcome_unknown",
            (false, true) => "retrying",
            (false, false) => "failed",
        };
        let settled = Settled {
            state,
            error_kind: Some(kind.into()),
            error: Some(error.to_string()),
            published: to_json(&done),
            raw_answer: raw,
            at_ms: now,
        };
        let message = with_progress(&error.to_string(), done.len(), parts.len());
        if will_retry {
            let reset = match &error {
                ConnectorError::RateLimited { retry_at_ms } => *retry_at_ms,
                _ => None,
            };
            let at = if unknown {
                now + RECONCILE_AFTER_MS
            } else {
                retry::next_try_ms(attempt.number, now, reset, rand::random())
            };
            let outcome = Outcome::Retrying {
                retry_at_ms: at,
                kind: kind.into(),
                error: message,
            };
            if !self.settle(attempt.id, settled, &variant, outcome).await? {
                return Ok(Finish::Done);
            }
            return Ok(Finish::RunAt {
                at_ms: at,
                error: None,
            });
        }
        let state = if unknown {
            VariantState::OutcomeUnknown
        } else {
            VariantState::Failed
        };
        let message = if out_of_tries && (error.is_retryable() || unknown) {
            format!("gave up after {} attempts: {message}", variant.tries + 1)
        } else {
            message
        };
        tracing::warn!(variant = %variant.id, kind, error = message, "publishing stopped");
        let outcome = Outcome::Stopped {
            state,
            kind: kind.into(),
            error: message.clone(),
        };
        if self.settle(attempt.id, settled, &variant, outcome).await? {
            let event = super::Event::PostFailed {
                variant_id: variant.id,
                kind: kind.into(),
                reason: message,
            };
            self.notify_publishing(event, Some(context)).await;
        }
        Ok(Finish::Done)
    }

    /// Settles the attempt (still `sending`) and concludes the variant in one commit; false
    /// when another worker settled it first.
    async fn settle(
        &self,
        attempt_id: Uuid,
        settled: Settled,
        variant: &Variant,
        outcome: Outcome,
    ) -> AppResult<bool> {
        let write = Write::Settle {
            attempt_id,
            from: "sending",
            settled,
            conclude: Some((variant.id, outcome)),
        };
        Ok(self.commits.write(write).await?)
    }

    async fn published(
        &self,
        variant: &Variant,
        mut context: PostContext,
        done: &[RemoteRef],
    ) -> AppResult<Finish> {
        let outcome = published_outcome(done);
        if publishing::conclude(&self.db, variant.id, &outcome, self.now_ms()).await? {
            context.remote_url = done.first().and_then(|r| r.url.clone());
            let event = super::Event::PostPublished {
                variant_id: variant.id,
            };
            self.notify_publishing(event, Some(context)).await;
        }
        Ok(Finish::Done)
    }

    async fn stop(
        &self,
        variant: &Variant,
        context: PostContext,
        state: VariantState,
        kind: &str,
        error: String,
    ) -> AppResult<Finish> {
        tracing::warn!(variant = %variant.id, kind, error, "publishing stopped");
        let outcome = Outcome::Stopped {
            state,
            kind: kind.into(),
            error: error.clone(),
        };
        if publishing::conclude(&self.db, variant.id, &outcome, self.now_ms()).await? {
            let event = super::Event::PostFailed {
                variant_id: variant.id,
                kind: kind.into(),
                reason: error,
            };
            self.notify_publishing(event, Some(context)).await;
        }
        Ok(Finish::Done)
    }
}

/// What the post's notification is made of, from what the publisher already read.
fn notification_context(
    variant: &Variant,
    around: &Surroundings,
    channel: &Channel,
) -> PostContext {
    PostContext {
        workspace_id: around.workspace_id,
        post_id: variant.post_id,
        author_id: around.author_id,
        text: around.post_text.clone(),
        channel_id: Some(channel.id),
        channel_handle: Some(channel.handle.clone()),
        network: Some(channel.network.as_str().to_owned()),
        remote_url: variant.remote_url.clone(),
        scheduled_at_ms: variant.scheduled_at_ms,
        author_is_member: around.author_is_member,
        has_webhooks: around.has_webhooks,
    }
}

fn published_outcome(done: &[RemoteRef]) -> Outcome {
    let first = done.first().cloned().unwrap_or_default();
    Outcome::Published {
        remote_id: first.id,
        remote_url: first.url,
    }
}

fn kind_of(e: &ConnectorError) -> &'static str {
    match e {
        ConnectorError::RateLimited { .. } => "rate_limited",
        ConnectorError::AuthExpired { .. } => "auth_expired",
        ConnectorError::Rejected { .. } => "rejected",
        ConnectorError::Transient { .. } => "transient",
        ConnectorError::OutcomeUnknown { .. } | ConnectorError::BadAnswer { .. } => {
            "outcome_unknown"
        }
        ConnectorError::BadAddress { .. } => "bad_address",
        ConnectorError::Unsupported { .. } => "unsupported",
    }
}

/// "2 of 4 parts are published; ..." when a thread stopped half way.
fn with_progress(error: &str, done: usize, total: usize) -> String {
    if done == 0 || total <= 1 {
        error.to_owned()
    } else {
        format!("{done} of {total} parts are published; {error}")
    }
}

fn to_json(parts: &[RemoteRef]) -> String {
    serde_json::to_string(parts).unwrap_or_else(|_| "[]".into())
}
