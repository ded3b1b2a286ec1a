//! The "When", "Repeat" and review sections: loading them for a post, and the answer to
//! their forms.
//!
//! An htmx answer replaces the three sections and the heading's state badge out of band, and
//! adds a toast, so nothing typed in the post's own fields is redrawn; the client review
//! links section, loaded apart, hears `post-changed` and loads itself again. When the post just
//! became read-only (or editable again), the whole composer is drawn again instead, as its
//! fields must be. Without JavaScript the browser goes back to the composer (or, when a
//! form has errors, gets the whole page with them).

use super::attempts;
use super::page::{composer, whole_page};
use super::repeat_view::RepeatView;
use super::review_view::ReviewView;
use super::view::{Composer, lock_reason};
use super::when_poll;
use super::when_view::WhenView;
use crate::services::Actor;
use crate::services::posts::PostDetail;
use crate::storage::workspaces::MemberWorkspace;
use crate::web::AppState;
use crate::web::ui::UiError;
use crate::web::ui::render::{Htmx, Toast, toast_fragment};
use askama::Template;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};

/// The htmx event the answers to the sections' forms raise, for the parts of the composer
/// they do not redraw themselves.
pub(super) const POST_CHANGED: &str = "post-changed";

/// Fills `c.when`, `c.repeat` and `c.review` for `d`.
pub(super) async fn load(
    state: &AppState,
    actor: &Actor,
    ws: &MemberWorkspace,
    d: &PostDetail,
    c: &mut Composer,
) -> Result<(), UiError> {
    let (id, zone) = (ws.workspace.id, &ws.workspace.time_zone);
    let s = &state.services;
    let actions = s.post_actions(actor, id, d).await?;
    let tried = s.post_attempts(actor, id, d.post.id).await?;
    let comments = s.post_comments(actor, id, d.post.id).await?;
    let events = s.post_events(actor, id, d.post.id).await?;
    let mut when = WhenView::of(id, &c.csrf, zone, d, actions.clone());
    when.attempts = attempts::groups(d, &tried, zone);
    when.poll = when_poll::url(id, d, s.now_ms(), c.read_only);
    c.when = Some(when);
    let repeat = s.post_repeat(actor, id, d.post.id).await?;
    let today = jiff::Timestamp::from_millisecond(s.now_ms())
        .ok()
        .and_then(|t| t.in_tz(zone).ok())
        .map(|z| z.date())
        .unwrap_or_default();
    c.repeat = Some(RepeatView::of(id, d.post.id, &c.csrf, zone, repeat, today));
    c.review = Some(ReviewView::of(
        id, d.post.id, &c.csrf, zone, actions, &comments, &events,
    ));
    Ok(())
}

/// The htmx answer: the sections, the heading and the toasts, out of band.
#[derive(Template)]
#[template(path = "composer_sections.html")]
struct Sections<'a> {
    c: &'a Composer,
}

/// How a section's form came out.
pub(super) struct Outcome {
    pub status: StatusCode,
    pub toast: Toast,
    /// Changes the redrawn composer (the form as typed, its errors) before it is drawn.
    pub keep: Box<dyn FnOnce(&mut Composer) + Send>,
    /// The section a browser without JavaScript is sent back to.
    pub anchor: &'static str,
}

impl Outcome {
    pub fn done(text: impl Into<String>) -> Self {
        Outcome {
            status: StatusCode::OK,
            toast: Toast::ok(text),
            keep: Box::new(|_| {}),
            anchor: "post-when",
        }
    }

    pub fn refused(
        text: impl Into<String>,
        keep: impl FnOnce(&mut Composer) + Send + 'static,
    ) -> Self {
        Outcome {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            toast: Toast::error(text),
            keep: Box::new(keep),
            anchor: "post-when",
        }
    }

    /// Sends a browser without JavaScript back to the review section.
    pub fn in_review(mut self) -> Self {
        self.anchor = "post-review";
        self
    }

    /// Sends a browser without JavaScript back to the "Repeat" section.
    pub fn in_repeat(mut self) -> Self {
        self.anchor = "post-repeat";
        self
    }
}

/// Answers a section's form about the post `before` (as it was when the form came in).
pub(super) async fn answer(
    state: &AppState,
    actor: &Actor,
    htmx: Htmx,
    ws: &MemberWorkspace,
    before: &PostDetail,
    outcome: Outcome,
) -> Result<Response, UiError> {
    let (ws_id, id) = (ws.workspace.id, before.post.id);
    let ok = outcome.status.is_success();
    if !htmx.request && ok {
        let to = format!("/w/{ws_id}/posts/{id}#{}", outcome.anchor);
        return Ok(Redirect::to(&to).into_response());
    }
    let detail = state.services.get_post(actor, ws_id, id).await?;
    let was_locked = lock_reason(ws, actor, Some(before)).is_some();
    let locked = lock_reason(ws, actor, Some(&detail)).is_some();
    let full = !htmx.request || was_locked != locked;
    let mut c = composer(state, actor, ws, Some(&detail), full).await?;
    if !full {
        load(state, actor, ws, &detail, &mut c).await?;
    }
    (outcome.keep)(&mut c);
    place_focus(&mut c, outcome.anchor);
    if full {
        let response = whole_page(
            state,
            actor,
            ws,
            htmx,
            outcome.status,
            c,
            Some(outcome.toast),
        )
        .await?;
        return Ok(if htmx.request {
            into_main(response)
        } else {
            response
        });
    }
    if let Some(w) = c.when.as_mut() {
        w.oob = true;
    }
    if let Some(r) = c.review.as_mut() {
        r.oob = true;
    }
    if let Some(r) = c.repeat.as_mut() {
        r.oob = true;
    }
    let mut body = Sections { c: &c }.render()?;
    body.push_str(&toast_fragment(&[outcome.toast], true)?);
    let mut response = (outcome.status, Html(body)).into_response();
    // The client review links section (loaded apart, `review_links`) depends on the post's
    // state too: sent for review it offers links, approved it stops. It listens for this.
    response.headers_mut().insert(
        "hx-trigger-after-settle",
        HeaderValue::from_static(POST_CHANGED),
    );
    Ok(response)
}

/// Makes an htmx answer of the whole composer replace the page's `#main`, whatever the
/// request aimed at.
pub(super) fn into_main(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert("hx-retarget", HeaderValue::from_static("#main"));
    headers.insert("hx-reswap", HeaderValue::from_static("innerHTML"));
    response
}

/// After an answer the keyboard goes to the first field to fix, or else to the heading of
/// the section whose form was sent (the button pressed was replaced).
fn place_focus(c: &mut Composer, anchor: &str) {
    let invalid = c
        .when
        .as_ref()
        .and_then(|w| w.first_invalid())
        .or_else(|| c.review.as_ref().and_then(|r| r.first_invalid()))
        .or_else(|| c.repeat.as_ref().and_then(|r| r.first_invalid()));
    let heading = match anchor {
        "post-review" => "review-title",
        "post-repeat" => "repeat-title",
        _ => "when-title",
    };
    let focus = invalid.unwrap_or(heading).to_owned();
    if let Some(w) = c.when.as_mut() {
        w.focus = focus.clone();
    }
    if let Some(r) = c.repeat.as_mut() {
        r.focus = focus.clone();
    }
    if let Some(r) = c.review.as_mut() {
        r.focus = focus;
    }
}
