//! What the composer's review section shows: where the approvals stand, the controls the
//! person's role allows (approve, request changes), the comment thread and the audit log.

use uuid::Uuid;

use crate::services::post_actions::PostActions;
use crate::storage::review::{Comment, PostEvent};
use crate::web::ui::format::when;
use crate::web::ui::forms::Errors;

pub struct ReviewView {
    pub ws: Uuid,
    pub post: Uuid,
    pub csrf: String,
    pub actions: PostActions,
    pub comments: Vec<CommentView>,
    pub events: Vec<EventView>,
    /// What was typed in the forms, kept when they come back with errors.
    pub note: String,
    pub body: String,
    pub errors: Errors,
    /// Which form the errors belong to: `approve`, `request-changes` or `comment`.
    pub failed: &'static str,
    pub oob: bool,
    /// The id of the element that takes the keyboard after an answer (empty: none).
    pub focus: String,
}

pub struct CommentView {
    pub author: String,
    pub at: String,
    pub body: String,
}

pub struct EventView {
    pub who: String,
    pub at: String,
    pub what: String,
    pub note: String,
}

impl ReviewView {
    pub fn of(
        ws: Uuid,
        post: Uuid,
        csrf: &str,
        zone: &str,
        actions: PostActions,
        comments: &[Comment],
        events: &[PostEvent],
    ) -> Self {
        ReviewView {
            ws,
            post,
            csrf: csrf.to_owned(),
            actions,
            comments: comments
                .iter()
                .map(|c| CommentView {
                    author: name(&c.author_name),
                    at: when(c.created_at_ms, zone),
                    body: c.body.clone(),
                })
                .collect(),
            events: events
                .iter()
                .rev()
                .map(|e| EventView {
                    who: name(&e.actor_name),
                    at: when(e.at_ms, zone),
                    what: describe(e),
                    note: e.note.clone(),
                })
                .collect(),
            note: String::new(),
            body: String::new(),
            errors: Errors::default(),
            failed: "",
            oob: false,
            focus: String::new(),
        }
    }

    pub fn action(&self, what: &str) -> String {
        format!("/w/{}/posts/{}/{what}", self.ws, self.post)
    }

    /// "Needs 2 approvals; 1 given.", or "Approved." (empty when the post has not been
    /// sent for review).
    pub fn approvals(&self) -> String {
        let (done, needed) = (self.actions.approvals_done, self.actions.approvals_needed);
        match needed {
            0 => String::new(),
            n if done >= n => "Approved.".to_owned(),
            1 => "Needs one approval.".to_owned(),
            n if done == 0 => format!("Needs {n} approvals: the team's, then the client's."),
            n => format!("Needs {n} approvals; {done} given."),
        }
    }

    /// Why the person, an approver, cannot approve yet.
    pub fn not_yet(&self) -> Option<String> {
        match self.actions.approve {
            Some(Err(why)) => Some(super::view::capitalise(why) + "."),
            _ => None,
        }
    }

    pub fn may_approve(&self) -> bool {
        matches!(self.actions.approve, Some(Ok(())))
    }

    pub fn autofocus(&self, id: &str) -> bool {
        self.focus == id
    }

    /// The text area of the form that came back with errors, by its element id.
    pub fn first_invalid(&self) -> Option<&'static str> {
        match self.failed {
            "approve" => Some("approve-note"),
            "request-changes" => Some("changes-note"),
            "comment" => Some("comment-body"),
            _ => None,
        }
    }

    /// The error of the form `form`, field `field`.
    pub fn error(&self, form: &str, field: &str) -> Option<String> {
        (self.failed == form)
            .then(|| self.errors.get(field))
            .flatten()
    }

    /// What was typed in `form`'s text area, when it came back with errors.
    pub fn typed(&self, form: &str) -> &str {
        match form {
            f if f != self.failed => "",
            "comment" => &self.body,
            _ => &self.note,
        }
    }
}

fn name(n: &str) -> String {
    if n.trim().is_empty() {
        "Someone".to_owned()
    } else {
        n.to_owned()
    }
}

/// "submitted it (draft → in review)".
fn describe(e: &PostEvent) -> String {
    let action = match e.action.as_str() {
        "submitted" => "sent it for review",
        "approved" => "approved it",
        "approved_step" => "gave the first approval",
        "changes_requested" => "asked for changes",
        "scheduled" => "scheduled it",
        "small_fix" => "made a small fix",
        "edited" => "edited it after approval",
        "cancelled" => "cancelled it",
        other => return format!("{} ({})", other.replace('_', " "), states(e)),
    };
    format!("{action} ({})", states(e))
}

fn states(e: &PostEvent) -> String {
    format!(
        "{} → {}",
        e.from_state.replace('_', " "),
        e.to_state.replace('_', " ")
    )
}
