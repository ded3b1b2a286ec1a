//! Putting a post's variants on their way: at a time, now, cancelled, or tried again. Each
//! variant and its publish job change in one transaction, and the workers are woken.

use uuid::Uuid;

use super::posts::PostDetail;
use super::{Actor, AppError, AppResult, Services};
use crate::domain::post::VariantState;
use crate::domain::validation::check_time_zone;
use crate::domain::{Permission, Validation};
use crate::jobs::Job;
use crate::storage::attempts::{self, Attempt};
use crate::storage::posts;
use crate::storage::publishing::{self, Timing};

/// A time more than this far back is a mistake, not "now".
const PAST_SLACK_MS: i64 = 60_000;
/// Further ahead than any plan: most likely a typo in the year.
const MAX_AHEAD_MS: i64 = 5 * 365 * 24 * 3_600_000;

/// When a post goes out.
#[derive(Clone, Debug)]
pub enum When {
    /// At an instant; `time_zone` and `local_time` keep what the person meant.
    At {
        at_ms: i64,
        time_zone: String,
        local_time: String,
    },
    Now,
    /// The channels' queues: each variant at its channel's next free posting slot, or with
    /// `share_next`, at the very next slot, the queued posts moving one slot later.
    Queue {
        share_next: bool,
    },
}

impl Services {
    /// Schedules every variant that may be (drafts, or approved ones where the workspace
    /// requires approval; failed and cancelled ones again); refuses, naming the field, a
    /// time in the past, a disconnected channel or a variant its network would refuse.
    pub async fn schedule_post(
        &self,
        actor: &Actor,
        ws: Uuid,
        id: Uuid,
        when: When,
    ) -> AppResult<PostDetail> {
        let member = self
            .active_workspace_for(actor, ws, Permission::Schedule)
            .await?;
        let post = posts::get(&self.db, ws, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let now = self.now_ms();
        let mut v = Validation::new();
        let publish_now = matches!(when, When::Now);
        let queue = match when {
            When::Queue { share_next } => Some(share_next),
            _ => None,
        };
        let (at_ms, time_zone, local_time) = match when {
            When::Now | When::Queue { .. } => {
                (now, member.workspace.time_zone.clone(), String::new())
            }
            When::At {
                at_ms,
                time_zone,
                local_time,
            } => {
                let zone = check_time_zone(&mut v, "time_zone", &time_zone);
                if at_ms < now - PAST_SLACK_MS {
                    v.add("at", "is in the past; choose a later time, or publish now");
                } else if at_ms > now + MAX_AHEAD_MS {
                    v.add("at", "is more than five years ahead");
                }
                (at_ms.max(now), zone, local_time)
            }
        };
        let detail = self.detail(post).await?;
        if detail.variants.is_empty() {
            v.add("channel_ids", "choose at least one channel first");
        }
        // Contributors' posts always need approval, whatever the workspace's policy.
        let author = self.role_of(ws, detail.post.author_id).await?;
        let needs_approval = super::review::policy(&member.workspace).steps_for(author) > 0;
        let from: &[VariantState] = if needs_approval {
            &[
                VariantState::Approved,
                VariantState::Scheduled,
                VariantState::Failed,
            ]
        } else {
            &[
                VariantState::Draft,
                VariantState::Approved,
                VariantState::Scheduled,
                VariantState::Failed,
                VariantState::Cancelled,
            ]
        };
        let mut timings = Vec::new();
        let mut moved = Vec::new();
        for (i, d) in detail.variants.iter().enumerate() {
            if !from.contains(&d.variant.state) {
                continue;
            }
            let name = format!("{} ({})", d.channel.handle, d.channel.network.label());
            if d.channel.credentials.is_none() {
                v.add(
                    "channel_ids",
                    format!("{name} is not connected; reconnect it or take it off the post"),
                );
            }
            for (p, check) in d.checks.iter().enumerate() {
                if let Some(problem) = check.problems.first() {
                    v.add(
                        &format!("variants[{i}].parts[{p}]"),
                        format!("{name}: {}", problem.message),
                    );
                }
            }
            if let Some(problem) = d.media_problems.first() {
                v.add(
                    &format!("variants[{i}].media"),
                    format!("{name}: {}", problem.message),
                );
            }
            let (mut at_ms, mut time_zone, mut local_time) =
                (at_ms, time_zone.clone(), local_time.clone());
            let gap = member.workspace.min_gap_ms;
            if let Some(share_next) = queue {
                match self
                    .place_in_queue(
                        &d.channel,
                        &member.workspace.time_zone,
                        gap,
                        detail.post.id,
                        share_next,
                    )
                    .await?
                {
                    Ok(placed) => {
                        (at_ms, time_zone, local_time) =
                            (placed.at_ms, placed.time_zone, placed.local_time);
                        moved.extend(placed.moved);
                    }
                    Err(reason) => v.add("channel_ids", reason),
                }
            } else if let Some(gap) = gap.filter(|_| !publish_now) {
                let close = self
                    .gap_conflicts(&d.channel, detail.post.id, at_ms, gap)
                    .await?;
                if let Some(other) = close.first() {
                    v.add(
                        "at",
                        format!(
                            "{name} already has a post at {}; this workspace keeps {} minutes between posts on a channel",
                            crate::domain::schedule::format_utc(*other),
                            gap / 60_000
                        ),
                    );
                }
            }
            let job = Job::PublishVariant {
                variant_id: d.variant.id,
            };
            timings.push(Timing {
                variant_id: d.variant.id,
                at_ms,
                time_zone,
                local_time,
                queued: queue.is_some(),
                job: job.row(at_ms, now),
            });
        }
        v.finish()?;
        if timings.is_empty() {
            return Err(AppError::Conflict(if needs_approval {
                "Nothing to schedule: this workspace publishes approved posts only; send it for review first.".into()
            } else {
                "Nothing to schedule: every channel of this post is published or on its way.".into()
            }));
        }
        // Share next: the queued posts after it each move one slot later, in the same
        // transaction.
        timings.extend(moved);
        publishing::schedule(&self.db, &timings, from, now).await?;
        self.wake_workers().await;
        if !publish_now {
            self.notify(ws, super::Event::PostScheduled { post_id: id })
                .await;
        }
        self.detail(detail.post).await
    }

    /// Stops variants that have not gone out: scheduled, waiting for a retry, failed.
    pub async fn cancel_post(&self, actor: &Actor, ws: Uuid, id: Uuid) -> AppResult<PostDetail> {
        let detail = self.post_to_steer(actor, ws, id).await?;
        let ids: Vec<Uuid> = detail.variants.iter().map(|d| d.variant.id).collect();
        let changed = publishing::cancel(&self.db, &ids, self.now_ms()).await?;
        if changed.is_empty() {
            return Err(AppError::Conflict(
                "Nothing to cancel: no channel of this post is waiting to go out.".into(),
            ));
        }
        self.detail(detail.post).await
    }

    /// Publishes failed variants again, now. Those whose outcome is unknown may already be
    /// on the network: they are sent again only when the person says so (`include_unknown`,
    /// after looking).
    pub async fn retry_post(
        &self,
        actor: &Actor,
        ws: Uuid,
        id: Uuid,
        include_unknown: bool,
    ) -> AppResult<PostDetail> {
        let detail = self.post_to_steer(actor, ws, id).await?;
        let now = self.now_ms();
        let mut from = vec![VariantState::Failed];
        if include_unknown {
            from.push(VariantState::OutcomeUnknown);
        }
        let timings: Vec<Timing> = detail
            .variants
            .iter()
            .filter(|d| from.contains(&d.variant.state))
            .map(|d| Timing {
                variant_id: d.variant.id,
                at_ms: now,
                time_zone: d.variant.time_zone.clone(),
                local_time: String::new(),
                queued: false,
                job: Job::PublishVariant {
                    variant_id: d.variant.id,
                }
                .row(now, now),
            })
            .collect();
        if timings.is_empty() {
            return Err(AppError::Conflict(
                "Nothing to retry: no channel of this post failed.".into(),
            ));
        }
        publishing::schedule(&self.db, &timings, &from, now).await?;
        self.wake_workers().await;
        self.detail(detail.post).await
    }

    /// Every attempt to publish the post, with what the networks answered.
    pub async fn post_attempts(
        &self,
        actor: &Actor,
        ws: Uuid,
        id: Uuid,
    ) -> AppResult<Vec<Attempt>> {
        self.workspace(actor, ws).await?;
        let post = posts::get(&self.db, ws, id)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok(attempts::of_post(&self.db, post.id).await?)
    }

    async fn post_to_steer(&self, actor: &Actor, ws: Uuid, id: Uuid) -> AppResult<PostDetail> {
        self.active_workspace_for(actor, ws, Permission::Schedule)
            .await?;
        let post = posts::get(&self.db, ws, id)
            .await?
            .ok_or(AppError::NotFound)?;
        self.detail(post).await
    }

    /// Wakes this process's worker, and on Postgres every instance's.
    pub(super) async fn wake_workers(&self) {
        self.wake.notify_one();
        if let Err(e) = crate::storage::jobs::notify(&self.db).await {
            tracing::warn!(error = %e, "waking the other instances' workers failed");
        }
    }
}
