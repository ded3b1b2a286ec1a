//! `GET /w/{ws}/posts/{id}/when?locked=..&seen=..`: the "When" section again, for the page
//! to follow a post while it goes out. While a channel is publishing (or due within a
//! minute) the section carries an htmx poll of this address every few seconds; the answer
//! without anything in flight carries none, so the polling stops by itself.
//!
//! The address says what the page shows: `locked`, whether its fields are read-only (when
//! that changed, say a scheduled post started publishing, the whole composer is drawn again
//! rather than leaving editable fields that no save would be allowed to change), and `seen`,
//! each channel's state, so a channel that just published or failed is also said in a toast
//! (the live region screen readers hear). `app.js` skips a poll's answer while a field in
//! what it would replace is being typed in. Without JavaScript the address sends the browser
//! back to the composer.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use uuid::Uuid;

use super::page::{composer, whole_page};
use super::sections::{into_main, load};
use super::view::{Composer, capitalise, lock_reason};
use crate::domain::post::VariantState;
use crate::services::posts::PostDetail;
use crate::web::AppState;
use crate::web::auth::SessionUser;
use crate::web::ui::UiError;
use crate::web::ui::forms::UiPath;
use crate::web::ui::pages::workspace::networks;
use crate::web::ui::render::{Htmx, Toast, toast_fragment};

/// A scheduled channel due within this long is as good as going out.
const DUE_SOON_MS: i64 = 60_000;
/// A channel overdue by longer than this is stuck (no worker is running), not in flight:
/// the page stops asking, and the sweep marks it missed.
const STUCK_MS: i64 = 15 * 60_000;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PollQuery {
    locked: String,
    seen: String,
}

#[derive(Template)]
#[template(path = "composer_when_poll.html")]
struct PollAnswer<'a> {
    c: &'a Composer,
}

pub async fn poll(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath((ws_id, id)): UiPath<(Uuid, Uuid)>,
    Query(q): Query<PollQuery>,
) -> Result<Response, UiError> {
    let ws = state.services.workspace(&actor, ws_id).await?;
    let detail = state.services.get_post(&actor, ws_id, id).await?;
    if !htmx.request {
        let to = format!("/w/{ws_id}/posts/{id}#post-when");
        return Ok(Redirect::to(&to).into_response());
    }
    let toast = news(&q.seen, &detail);
    let locked = lock_reason(&ws, &actor, Some(&detail)).is_some();
    if (q.locked == "1") != locked {
        let c = composer(&state, &actor, &ws, Some(&detail), true).await?;
        let status = axum::http::StatusCode::OK;
        let response = whole_page(&state, &actor, &ws, htmx, status, c, toast).await?;
        return Ok(into_main(response));
    }
    let mut c = composer(&state, &actor, &ws, Some(&detail), false).await?;
    load(&state, &actor, &ws, &detail, &mut c).await?;
    let mut body = PollAnswer { c: &c }.render()?;
    if let Some(t) = toast {
        body.push_str(&toast_fragment(&[t], true)?);
    }
    Ok(Html(body).into_response())
}

/// Whether a channel of `d` is going out now: publishing (not waiting for a retry more
/// than a minute away), or scheduled within the next minute.
pub(super) fn in_flight(d: &PostDetail, now: i64) -> bool {
    let live = |at: i64| at <= now + DUE_SOON_MS && at >= now - STUCK_MS;
    d.variants.iter().any(|v| {
        let v = &v.variant;
        match v.state {
            VariantState::Publishing => v.retry_at_ms.is_none_or(live),
            VariantState::Scheduled => v.scheduled_at_ms.is_some_and(live),
            _ => false,
        }
    })
}

/// The address the section polls while `d` is in flight, or `None`.
pub(super) fn url(ws: Uuid, d: &PostDetail, now: i64, locked: bool) -> Option<String> {
    in_flight(d, now).then(|| {
        format!(
            "/w/{ws}/posts/{}/when?locked={}&seen={}",
            d.post.id,
            u8::from(locked),
            seen(d)
        )
    })
}

/// Each channel's state, in the post's order.
fn seen(d: &PostDetail) -> String {
    let states: Vec<&str> = d
        .variants
        .iter()
        .map(|v| v.variant.state.as_str())
        .collect();
    states.join(",")
}

/// What finished since the page saw `seen`: one toast, red when a channel failed.
fn news(seen: &str, d: &PostDetail) -> Option<Toast> {
    let before: Vec<&str> = seen.split(',').collect();
    if before.len() != d.variants.len() {
        return None;
    }
    let mut said = Vec::new();
    let mut failed = false;
    for (v, was) in d.variants.iter().zip(before) {
        let state = v.variant.state;
        if state.as_str() == was {
            continue;
        }
        let name = format!(
            "{} on {}",
            v.channel.handle,
            networks::label(v.channel.network)
        );
        match state {
            VariantState::Published => said.push(format!("Published: {name}.")),
            VariantState::Failed => {
                failed = true;
                let why = v.variant.error.as_deref().unwrap_or("").trim();
                said.push(match why {
                    "" => format!("Not published: {name}."),
                    why => format!("Not published: {name}: {}.", why.trim_end_matches('.')),
                });
            }
            VariantState::OutcomeUnknown => {
                failed = true;
                said.push(format!(
                    "{}: the network did not answer; look for the post there before retrying.",
                    capitalise(&name)
                ));
            }
            _ => {}
        }
    }
    if said.is_empty() {
        return None;
    }
    let text = said.join(" ");
    Some(if failed {
        Toast::error(text)
    } else {
        Toast::ok(text)
    })
}
