//! What a member may do to a post right now (schedule, send for review, approve, cancel,
//! retry...), decided by the same rules the actions themselves apply, so the UI shows only
//! the controls that would work. Each action still checks for itself when it is used.

use uuid::Uuid;

use super::posts::PostDetail;
use super::{Actor, AppError, AppResult, Services};
use crate::domain::approval::{Approver, Policy};
use crate::domain::post::VariantState;
use crate::domain::{Permission, Role};

/// The controls to offer on one post.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PostActions {
    /// Schedule at a time, add to the queue, publish now.
    pub schedule: bool,
    /// The post needs an approval it does not have yet: the schedule button sends it for
    /// review instead (with the time wanted).
    pub review_first: bool,
    /// Send for review.
    pub submit: bool,
    /// Approve: `Some(Ok)` now, `Some(Err(why))` for an approver whose turn it is not.
    pub approve: Option<Result<(), &'static str>>,
    pub request_changes: bool,
    pub cancel: bool,
    /// Publish the failed channels again.
    pub retry: bool,
    /// Publish again channels whose outcome is unknown (they may already be on the network).
    pub send_anyway: bool,
    pub comment: bool,
    pub approvals_done: i64,
    pub approvals_needed: i64,
}

/// What decides the actions, gathered.
pub struct Facts<'a> {
    pub role: Role,
    pub archived: bool,
    pub is_author: bool,
    pub author: Role,
    pub policy: Policy,
    pub states: &'a [(VariantState, bool)],
    pub approvals_done: i64,
    pub approvals_needed: i64,
}

impl PostActions {
    /// The rules of `schedule_post`, `submit_post`, `approve_post`, `request_changes`,
    /// `cancel_post` and `retry_post`, applied to `f`. `states` pairs each variant's state
    /// with whether it waits for an automatic retry.
    pub fn decide(f: &Facts<'_>) -> PostActions {
        let mut a = PostActions {
            approvals_done: f.approvals_done,
            approvals_needed: f.approvals_needed,
            ..PostActions::default()
        };
        if f.archived || f.states.is_empty() {
            a.comment = !f.archived;
            return a;
        }
        let any = |wanted: &[VariantState]| f.states.iter().any(|(s, _)| wanted.contains(s));
        use VariantState::*;
        let editable = f.states.iter().all(|(s, _)| s.editable());
        let may_schedule = f.role.allows(Permission::Schedule);
        let needs_approval = f.policy.steps_for(f.author) > 0;
        a.review_first = needs_approval && !any(&[Approved, Scheduled]);
        a.schedule = may_schedule
            && if needs_approval {
                any(&[Approved, Scheduled, Failed])
            } else {
                any(&[Draft, Approved, Scheduled, Failed, Cancelled])
            };
        a.submit = f.role.allows(Permission::WriteDrafts)
            && (f.is_author || may_schedule)
            && editable
            && !any(&[InReview])
            && any(&[Draft, ChangesRequested, Cancelled, Failed]);
        if let Some(approver) = Approver::of(f.role)
            && any(&[InReview])
        {
            a.approve = Some(f.policy.may_approve(
                f.approvals_needed.max(1),
                f.approvals_done,
                approver,
            ));
        }
        // Approved or scheduled posts are sent back only when they were reviewed at all.
        let reviewed = any(&[InReview]) || (f.approvals_needed > 0 && any(&[Approved, Scheduled]));
        a.request_changes = f.role.allows(Permission::Approve) && reviewed;
        let retrying = f.states.iter().any(|(s, r)| *s == Publishing && *r);
        a.cancel = may_schedule && (retrying || any(&[Scheduled, Failed, OutcomeUnknown]));
        a.retry = may_schedule && any(&[Failed]);
        a.send_anyway = may_schedule && any(&[OutcomeUnknown]);
        a.comment = true;
        a
    }
}

impl Services {
    /// The controls `actor` gets on `detail`, a post of the workspace `ws`.
    pub async fn post_actions(
        &self,
        actor: &Actor,
        ws: Uuid,
        detail: &PostDetail,
    ) -> AppResult<PostActions> {
        let member = self.workspace(actor, ws).await?;
        if detail.post.workspace_id != member.workspace.id {
            return Err(AppError::NotFound);
        }
        let author = self
            .role_of(member.workspace.id, detail.post.author_id)
            .await?;
        let states: Vec<(VariantState, bool)> = detail
            .variants
            .iter()
            .map(|d| (d.variant.state, d.variant.retry_at_ms.is_some()))
            .collect();
        Ok(PostActions::decide(&Facts {
            role: member.role,
            archived: member.workspace.archived_at_ms.is_some(),
            is_author: detail.post.author_id == actor.user.id,
            author,
            policy: super::review::policy(&member.workspace),
            states: &states,
            approvals_done: detail.post.approvals_done,
            approvals_needed: detail.post.approvals_needed,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use VariantState::*;

    fn facts(
        role: Role,
        author: Role,
        required: bool,
        states: &[(VariantState, bool)],
    ) -> Facts<'_> {
        Facts {
            role,
            archived: false,
            is_author: role == author,
            author,
            policy: Policy {
                required,
                steps: 1,
                allow_small_fixes: false,
            },
            states,
            approvals_done: 0,
            approvals_needed: 1,
        }
    }

    #[test]
    fn a_contributor_sends_for_review_and_never_schedules() {
        let a = PostActions::decide(&facts(
            Role::Contributor,
            Role::Contributor,
            false,
            &[(Draft, false)],
        ));
        assert!(a.submit && a.review_first && !a.schedule && a.approve.is_none());
        assert!(!a.request_changes && !a.cancel && a.comment);
    }

    #[test]
    fn a_manager_schedules_drafts_where_no_approval_is_required() {
        let a = PostActions::decide(&facts(
            Role::Manager,
            Role::Manager,
            false,
            &[(Draft, false)],
        ));
        assert!(a.schedule && !a.review_first && a.submit);
        let required = PostActions::decide(&facts(
            Role::Manager,
            Role::Manager,
            true,
            &[(Draft, false)],
        ));
        assert!(!required.schedule && required.review_first);
    }

    #[test]
    fn only_reviewed_posts_are_sent_back() {
        let states = [(Scheduled, false)];
        let mut f = facts(Role::Manager, Role::Manager, false, &states);
        f.approvals_needed = 0;
        assert!(!PostActions::decide(&f).request_changes, "never reviewed");
        f.approvals_needed = 1;
        assert!(
            PostActions::decide(&f).request_changes,
            "approved, then scheduled"
        );
    }

    #[test]
    fn reviewers_approve_what_is_in_review() {
        let states = [(InReview, false)];
        let a = PostActions::decide(&facts(Role::Manager, Role::Contributor, false, &states));
        assert_eq!(a.approve, Some(Ok(())));
        assert!(a.request_changes && !a.submit);
        let editor = PostActions::decide(&facts(Role::Editor, Role::Contributor, false, &states));
        assert!(editor.approve.is_none() && !editor.request_changes);
    }

    #[test]
    fn failures_offer_retry_and_unknown_outcomes_send_anyway() {
        let states = [(Failed, false), (OutcomeUnknown, false), (Publishing, true)];
        let a = PostActions::decide(&facts(Role::Editor, Role::Editor, false, &states));
        assert!(a.retry && a.send_anyway && a.cancel);
        let viewer = PostActions::decide(&facts(Role::Viewer, Role::Editor, false, &states));
        assert!(!viewer.retry && !viewer.send_anyway && !viewer.cancel && viewer.comment);
    }

    #[test]
    fn an_archived_workspace_offers_nothing() {
        let states = [(Draft, false)];
        let mut f = facts(Role::Owner, Role::Owner, false, &states);
        f.archived = true;
        assert_eq!(
            PostActions::decide(&f),
            PostActions {
                approvals_needed: 1,
                ..PostActions::default()
            }
        );
    }
}
