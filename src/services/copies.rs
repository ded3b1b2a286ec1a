//! What periodic work makes: a copy of a post (an evergreen re-share, an occurrence of a
//! recurring post, a feed item's post), put on its way through the same path a person's
//! post takes. The work acts as the person who set it up, so their role, the workspace's
//! approval policy and the publishing engine apply as if they had clicked.

use sqlx::types::Json;
use uuid::Uuid;

use super::schedule::When;
use super::{Actor, AppError, AppResult, Services};
use crate::domain::Permission;
use crate::storage::copies::{self, PostCopy};
use crate::storage::posts::{self, Post, Variant};
use crate::storage::{media, tags, users};

impl Services {
    /// The member periodic work acts as; `Err` says why it cannot (for the task's note).
    pub(super) async fn acting_as(
        &self,
        ws: Uuid,
        user: Option<Uuid>,
        permission: Permission,
    ) -> AppResult<Result<Actor, String>> {
        let Some(user) = user else {
            return Ok(Err(
                "the person who set this up no longer has an account".into()
            ));
        };
        let actor = Actor {
            user: users::by_id(&self.db, user).await?,
            session_id: None,
            csrf_token: None,
        };
        match self.active_workspace_for(&actor, ws, permission).await {
            Ok(_) => Ok(Ok(actor)),
            Err(AppError::NotFound) => Ok(Err(
                "the person who set this up is no longer a member of the workspace".into(),
            )),
            Err(AppError::Forbidden(why) | AppError::Conflict(why)) => Ok(Err(why)),
            Err(e) => Err(e),
        }
    }

    /// Copies `source` (text, notes, credit, tags, media, and each chosen channel's variant
    /// with its own parts and options) as a new draft by `author`, and records where it
    /// came from.
    pub(super) async fn copy_post(
        &self,
        source: &Post,
        channels: Option<&[Uuid]>,
        author: Uuid,
        reason: &str,
        for_at_ms: i64,
    ) -> AppResult<Post> {
        let now = self.now_ms();
        let post = Post {
            id: Uuid::now_v7(),
            author_id: author,
            created_at_ms: now,
            updated_at_ms: now,
            approvals_done: 0,
            approvals_needed: 0,
            ..source.clone()
        };
        let variants: Vec<Variant> = posts::variants(&self.db, source.id)
            .await?
            .into_iter()
            .filter(|v| channels.is_none_or(|c| c.contains(&v.channel_id)))
            .map(|v| fresh_variant(&v, post.id, now))
            .collect();
        let tag_ids: Vec<Uuid> = tags::of_post(&self.db, source.id)
            .await?
            .iter()
            .map(|t| t.id)
            .collect();
        let media_ids: Vec<Uuid> = media::of_post(&self.db, source.id)
            .await?
            .iter()
            .map(|m| m.id)
            .collect();
        posts::save(&self.db, &post, &tag_ids, &variants, &[], Some(&media_ids)).await?;
        let record = PostCopy {
            copy_post_id: post.id,
            source_post_id: source.id,
            workspace_id: source.workspace_id,
            reason: reason.into(),
            channel_id: channels.and_then(|c| (c.len() == 1).then(|| c[0])),
            for_at_ms,
            created_at_ms: now,
        };
        if let Err(e) = copies::record(&self.db, &record).await {
            posts::delete(&self.db, post.workspace_id, post.id).await?;
            return Err(e.into());
        }
        Ok(post)
    }

    /// Schedules `post` as `actor` would (`when`), or, where the workspace wants approval
    /// first, sends it for review with that time. `Err` is the reason for people; with
    /// `discard` the post is then deleted, so nothing half-made stays behind (otherwise it
    /// stays a draft for people to finish).
    pub(super) async fn send_on(
        &self,
        actor: &Actor,
        post: &Post,
        when: When,
        note: &str,
        discard: bool,
    ) -> AppResult<Result<(), String>> {
        let ws = post.workspace_id;
        let member = self.workspace(actor, ws).await?;
        let author = self.role_of(ws, post.author_id).await?;
        let review = super::review::policy(&member.workspace).steps_for(author) > 0;
        let outcome = if review {
            let desired = match &when {
                When::At {
                    at_ms,
                    time_zone,
                    local_time,
                } => Some((*at_ms, time_zone.clone(), local_time.clone())),
                When::Queue { .. } => self.first_slot(post).await?,
                When::Now => None,
            };
            self.submit_post(actor, ws, post.id, desired, note)
                .await
                .map(|_| ())
        } else {
            self.schedule_post(actor, ws, post.id, when)
                .await
                .map(|_| ())
        };
        if outcome.is_err() && discard {
            posts::delete(&self.db, ws, post.id).await?;
        }
        match outcome {
            Ok(()) => Ok(Ok(())),
            Err(AppError::Validation(errors)) => {
                let why: Vec<String> = errors.into_iter().map(|e| e.message).collect();
                Ok(Err(why.join("; ")))
            }
            Err(AppError::Conflict(why) | AppError::Forbidden(why)) => Ok(Err(why)),
            Err(e) => Err(e),
        }
    }

    /// The first channel's next free posting slot for `post`, as "add to queue" would take
    /// it: the time a queued post asks for when it goes to review.
    async fn first_slot(&self, post: &Post) -> AppResult<Option<(i64, String, String)>> {
        let ws = crate::storage::workspaces::by_id(&self.db, post.workspace_id).await?;
        let Some(variant) = posts::variants(&self.db, post.id).await?.into_iter().next() else {
            return Ok(None);
        };
        let Some(channel) =
            crate::storage::channels::get(&self.db, ws.id, variant.channel_id).await?
        else {
            return Ok(None);
        };
        Ok(self
            .place_in_queue(&channel, &ws.time_zone, ws.min_gap_ms, post.id, false)
            .await?
            .ok()
            .map(|p| (p.at_ms, p.time_zone, p.local_time)))
    }
}

/// A draft variant with the text and options of `v`.
fn fresh_variant(v: &Variant, post: Uuid, now: i64) -> Variant {
    Variant {
        detached: v.detached,
        parts: Json(v.parts.0.clone()),
        first_comment: v.first_comment.clone(),
        options: Json(v.options.0.clone()),
        ..super::posts::new_variant(post, v.channel_id, now)
    }
}
