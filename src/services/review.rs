//! Review and approval (PRODUCT.md, step 7): submit, approve (one or two steps: the team,
//! then the client), request changes, comments, and the audit log of every change. An edit
//! to an approved post sends it back to review, unless the workspace lets approvers make
//! small fixes.

use uuid::Uuid;

use super::posts::PostDetail;
use super::{Actor, AppError, AppResult, Services};
use crate::domain::approval::{self, Approver, Policy};
use crate::domain::post::VariantState;
use crate::domain::validation::clean_text;
use crate::domain::{Permission, Role, Validation};
use crate::jobs::Job;
use crate::storage::memberships;
use crate::storage::posts::{self, Post, Variant};
use crate::storage::publishing::{self, Timing};
use crate::storage::review::{self, Comment, Desired, PostEvent};
use crate::storage::workspaces::{MemberWorkspace, Workspace};

const MAX_NOTE_CHARS: usize = 5_000;

/// Who did something, as the log names them.
pub(super) struct Who {
    pub id: Option<Uuid>,
    pub name: String,
}

impl Who {
    pub fn of(actor: &Actor) -> Who {
        let u = &actor.user;
        Who {
            id: Some(u.id),
            name: if u.display_name.is_empty() {
                u.email.clone()
            } else {
                u.display_name.clone()
            },
        }
    }
}

pub(super) fn policy(w: &Workspace) -> Policy {
    Policy {
        required: w.requires_approval,
        steps: w.approval_steps,
        allow_small_fixes: w.allow_small_fixes,
    }
}

pub(super) fn event(
    post: Uuid,
    who: &Who,
    action: &str,
    from: &str,
    to: &str,
    note: &str,
    at_ms: i64,
) -> PostEvent {
    PostEvent {
        id: Uuid::now_v7(),
        post_id: post,
        actor_id: who.id,
        actor_name: who.name.clone(),
        action: action.into(),
        from_state: from.into(),
        to_state: to.into(),
        note: note.into(),
        at_ms,
    }
}

impl Services {
    /// The workspace's approval policy: required or not, one or two steps, small fixes.
    pub async fn set_approval_policy(
        &self,
        actor: &Actor,
        ws: Uuid,
        required: bool,
        steps: i64,
        allow_small_fixes: bool,
    ) -> AppResult<MemberWorkspace> {
        self.active_workspace_for(actor, ws, Permission::Manage)
            .await?;
        if !(1..=2).contains(&steps) {
            return Err(AppError::field(
                "approval_steps",
                "must be 1 (the team) or 2 (the team, then the client)",
            ));
        }
        crate::storage::workspaces::set_approval(
            &self.db,
            ws,
            required,
            steps,
            allow_small_fixes,
            self.now_ms(),
        )
        .await?;
        self.workspace(actor, ws).await
    }

    /// Sends a post to review, with the time it should go out once approved (optional).
    pub async fn submit_post(
        &self,
        actor: &Actor,
        ws: Uuid,
        id: Uuid,
        desired: Option<(i64, String, String)>,
        note: &str,
    ) -> AppResult<PostDetail> {
        let (post, variants) = self.editable_post(actor, ws, id).await?;
        let member = self
            .active_workspace_for(actor, ws, Permission::WriteDrafts)
            .await?;
        let mut v = Validation::new();
        let note = clean_text(&mut v, "note", note, MAX_NOTE_CHARS);
        if variants.is_empty() {
            v.add("channel_ids", "choose at least one channel first");
        }
        let now = self.now_ms();
        if let Some((at, _, _)) = &desired
            && *at < now - 60_000
        {
            v.add("at", "is in the past; choose a later time");
        }
        v.finish()?;
        let author = self.role_of(ws, post.author_id).await?;
        // Asking for a review is always possible, even where none is required.
        let needed = policy(&member.workspace).steps_for(author).max(1);
        let (at_ms, time_zone, local_time) = match desired {
            Some((at, tz, local)) => (Some(at), tz, local),
            None => (None, member.workspace.time_zone.clone(), String::new()),
        };
        let from = state_of(&variants);
        let e = event(
            post.id,
            &Who::of(actor),
            "submitted",
            &from,
            "in_review",
            &note,
            now,
        );
        let desired = Desired {
            at_ms,
            time_zone,
            local_time,
        };
        if review::submit(&self.db, &e, needed, &desired).await? == 0 {
            return Err(AppError::Conflict(
                "Nothing to submit: this post is already in review, scheduled or published.".into(),
            ));
        }
        self.notify(ws, super::Event::PostSubmitted { post_id: post.id })
            .await;
        self.fresh_detail(post).await
    }

    /// One approval; the last one needed approves the post, and schedules it when it has a
    /// time ahead.
    pub async fn approve_post(
        &self,
        actor: &Actor,
        ws: Uuid,
        id: Uuid,
        note: &str,
    ) -> AppResult<PostDetail> {
        let member = self
            .active_workspace_for(actor, ws, Permission::Approve)
            .await?;
        let approver = Approver::of(member.role)
            .ok_or_else(|| AppError::forbidden("Your role does not approve posts."))?;
        let post = self.post_in(ws, id).await?;
        self.approve_as(&member.workspace, post, approver, &Who::of(actor), note)
            .await
    }

    pub(super) async fn approve_as(
        &self,
        workspace: &Workspace,
        post: Post,
        approver: Approver,
        who: &Who,
        note: &str,
    ) -> AppResult<PostDetail> {
        let mut v = Validation::new();
        let note = clean_text(&mut v, "note", note, MAX_NOTE_CHARS);
        v.finish()?;
        let variants = posts::variants(&self.db, post.id).await?;
        if !variants.iter().any(|v| v.state == VariantState::InReview) {
            return Err(AppError::Conflict(
                "This post is not waiting for review.".into(),
            ));
        }
        let steps = post.approvals_needed.max(1);
        let done = post.approvals_done;
        policy(workspace)
            .may_approve(steps, done, approver)
            .map_err(|reason| AppError::Conflict(format!("Not yet: {reason}.")))?;
        let last = done + 1 >= steps;
        let now = self.now_ms();
        let to = if last { "approved" } else { "in_review" };
        let action = if last { "approved" } else { "approved_step" };
        let e = event(post.id, who, action, "in_review", to, &note, now);
        if !review::approve(&self.db, &e, done, last).await? {
            return Err(AppError::Conflict(
                "Someone else reviewed this post just now; reload it.".into(),
            ));
        }
        if last {
            self.schedule_approved(post.id, &variants, who).await?;
            self.notify(
                workspace.id,
                super::Event::PostApproved { post_id: post.id },
            )
            .await;
        }
        self.fresh_detail(post).await
    }

    /// Approving a post that has a time ahead schedules it (variant by variant, at the time
    /// chosen when it was submitted).
    async fn schedule_approved(&self, post: Uuid, before: &[Variant], who: &Who) -> AppResult<()> {
        let now = self.now_ms();
        let timings: Vec<Timing> = before
            .iter()
            .filter(|v| v.state == VariantState::InReview)
            .filter_map(|v| {
                let at = v.scheduled_at_ms.filter(|at| *at >= now)?;
                Some(Timing {
                    variant_id: v.id,
                    at_ms: at,
                    time_zone: v.time_zone.clone(),
                    local_time: v.local_time.clone(),
                    queued: false,
                    job: Job::PublishVariant { variant_id: v.id }.row(at, now),
                })
            })
            .collect();
        if timings.is_empty() {
            return Ok(());
        }
        publishing::schedule(&self.db, &timings, &[VariantState::Approved], now).await?;
        review::log(
            &self.db,
            &event(post, who, "scheduled", "approved", "scheduled", "", now),
        )
        .await?;
        self.wake_workers().await;
        Ok(())
    }

    /// Sends the post back to its author with what to change (required).
    pub async fn request_changes(
        &self,
        actor: &Actor,
        ws: Uuid,
        id: Uuid,
        note: &str,
    ) -> AppResult<PostDetail> {
        self.active_workspace_for(actor, ws, Permission::Approve)
            .await?;
        let post = self.post_in(ws, id).await?;
        self.request_changes_as(post, &Who::of(actor), note).await
    }

    pub(super) async fn request_changes_as(
        &self,
        post: Post,
        who: &Who,
        note: &str,
    ) -> AppResult<PostDetail> {
        let mut v = Validation::new();
        let note = clean_text(&mut v, "note", note, MAX_NOTE_CHARS);
        v.check(!note.is_empty(), "note", "say what should change");
        v.finish()?;
        let variants = posts::variants(&self.db, post.id).await?;
        let e = event(
            post.id,
            who,
            "changes_requested",
            &state_of(&variants),
            "changes_requested",
            &note,
            self.now_ms(),
        );
        let moved =
            review::send_back(&self.db, &e, &["in_review", "approved", "scheduled"]).await?;
        if moved == 0 {
            return Err(AppError::Conflict(
                "This post is not waiting for review.".into(),
            ));
        }
        self.add_comment_as(post.id, who, &note).await?;
        let event = super::Event::ChangesRequested {
            post_id: post.id,
            note,
        };
        self.notify(post.workspace_id, event).await;
        self.fresh_detail(post).await
    }

    /// After an edit: an approved (or scheduled, or partly approved) post goes back to
    /// review, unless the workspace allows approvers small fixes and this is one.
    pub(super) async fn after_edit(
        &self,
        actor: &Actor,
        before: &[Variant],
        after: &PostDetail,
    ) -> AppResult<()> {
        let post = &after.post;
        if post.approvals_needed == 0 {
            return Ok(());
        }
        let member: MemberWorkspace = self.workspace(actor, post.workspace_id).await?;
        let reviewed = |s: VariantState| {
            matches!(s, VariantState::Approved | VariantState::Scheduled)
                || (s == VariantState::InReview && post.approvals_done > 0)
        };
        let changed: Vec<(String, String)> = after
            .variants
            .iter()
            .filter_map(|d| {
                let old = before.iter().find(|b| b.id == d.variant.id)?;
                let (was, now) = (old.parts.join("\n\n"), d.variant.parts.join("\n\n"));
                (reviewed(old.state)
                    && (was != now || old.first_comment != d.variant.first_comment))
                    .then_some((was, now))
            })
            .collect();
        if changed.is_empty() {
            return Ok(());
        }
        let small = member.workspace.allow_small_fixes
            && member.role.allows(Permission::Approve)
            && changed
                .iter()
                .all(|(was, now)| approval::is_small_fix(was, now));
        let who = Who::of(actor);
        let now = self.now_ms();
        if small {
            review::log(
                &self.db,
                &event(post.id, &who, "small_fix", "approved", "approved", "", now),
            )
            .await?;
            return Ok(());
        }
        let e = event(
            post.id,
            &who,
            "edited",
            &state_of(before),
            "in_review",
            "changed after approval",
            now,
        );
        review::send_back(&self.db, &e, &["in_review", "approved", "scheduled"]).await?;
        Ok(())
    }

    /// A comment on a post; `@name` mentions of members are returned for notifying.
    pub async fn comment_post(
        &self,
        actor: &Actor,
        ws: Uuid,
        id: Uuid,
        body: &str,
    ) -> AppResult<Comment> {
        self.active_workspace_for(actor, ws, Permission::Read)
            .await?;
        let post = self.post_in(ws, id).await?;
        let who = Who::of(actor);
        let comment = self.add_comment_as(post.id, &who, body).await?;
        let people = self.mentioned(ws, &comment.body).await?;
        if !people.is_empty() {
            let event = super::Event::Mentioned {
                post_id: post.id,
                by_id: actor.user.id,
                by_name: who.name,
                comment: comment.body.clone(),
                people,
            };
            self.notify(ws, event).await;
        }
        Ok(comment)
    }

    pub(super) async fn add_comment_as(
        &self,
        post: Uuid,
        who: &Who,
        body: &str,
    ) -> AppResult<Comment> {
        let mut v = Validation::new();
        let body = clean_text(&mut v, "body", body, MAX_NOTE_CHARS);
        v.check(!body.is_empty(), "body", "write something");
        v.finish()?;
        let comment = Comment {
            id: Uuid::now_v7(),
            post_id: post,
            author_id: who.id,
            author_name: who.name.clone(),
            body,
            created_at_ms: self.now_ms(),
        };
        review::add_comment(&self.db, &comment).await?;
        Ok(comment)
    }

    pub async fn post_comments(
        &self,
        actor: &Actor,
        ws: Uuid,
        id: Uuid,
    ) -> AppResult<Vec<Comment>> {
        self.workspace(actor, ws).await?;
        let post = self.post_in(ws, id).await?;
        Ok(review::comments(&self.db, post.id).await?)
    }

    /// The audit log: who changed the post's state, when, from what to what.
    pub async fn post_events(
        &self,
        actor: &Actor,
        ws: Uuid,
        id: Uuid,
    ) -> AppResult<Vec<PostEvent>> {
        self.workspace(actor, ws).await?;
        let post = self.post_in(ws, id).await?;
        Ok(review::events(&self.db, post.id).await?)
    }

    /// The members a comment mentions (`@` followed by the start of their email or their
    /// display name without spaces), for notifications.
    pub async fn mentioned(&self, ws: Uuid, body: &str) -> AppResult<Vec<Uuid>> {
        let members = memberships::list(&self.db, ws).await?;
        let words: Vec<String> = body
            .split_whitespace()
            .filter_map(|w| w.strip_prefix('@'))
            .map(|w| {
                w.trim_end_matches(|c: char| !c.is_alphanumeric())
                    .to_lowercase()
            })
            .filter(|w| !w.is_empty())
            .collect();
        Ok(members
            .into_iter()
            .filter(|m| {
                let local = m.email.split('@').next().unwrap_or("").to_lowercase();
                let name: String = m
                    .display_name
                    .split_whitespace()
                    .collect::<String>()
                    .to_lowercase();
                words
                    .iter()
                    .any(|w| *w == local || (!name.is_empty() && *w == name))
            })
            .map(|m| m.user_id)
            .collect())
    }

    /// The post as stored now (its approval counts change with reviews).
    async fn fresh_detail(&self, post: Post) -> AppResult<PostDetail> {
        let fresh = self.post_in(post.workspace_id, post.id).await?;
        self.detail(fresh).await
    }

    pub(super) async fn post_in(&self, ws: Uuid, id: Uuid) -> AppResult<Post> {
        posts::get(&self.db, ws, id)
            .await?
            .ok_or(AppError::NotFound)
    }

    pub(super) async fn role_of(&self, ws: Uuid, user: Uuid) -> AppResult<Role> {
        // A former member's post is treated as a contributor's: it needs review.
        Ok(memberships::get(&self.db, ws, user)
            .await?
            .map_or(Role::Contributor, |m| m.role))
    }
}

/// The variants' common state, or "mixed", for the log.
fn state_of(variants: &[Variant]) -> String {
    match variants.first() {
        Some(first) if variants.iter().all(|v| v.state == first.state) => {
            first.state.as_str().to_owned()
        }
        Some(_) => "mixed".into(),
        None => "draft".into(),
    }
}
