//! `POST /w/{ws}/posts/{id}/schedule`: the "When" section's form. Its buttons schedule at
//! the date and time typed (in the zone chosen), add to the channels' queues (or share
//! next), or publish now. A time that happens twice comes back as a question; bad input
//! comes back beside its field, with a toast.

use axum::extract::State;
use axum::response::Response;
use uuid::Uuid;

use super::sections::{Outcome, answer};
use super::view::capitalise;
use super::when_input::{Unclear, chosen};
use super::when_view::WhenForm;
use crate::domain::post::VariantState;
use crate::domain::schedule::format_in_zone;
use crate::services::AppError;
use crate::services::posts::PostDetail;
use crate::services::schedule::When;
use crate::web::AppState;
use crate::web::auth::SessionUser;
use crate::web::ui::UiError;
use crate::web::ui::forms::{Errors, UiForm, UiPath};
use crate::web::ui::render::Htmx;

pub async fn schedule(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath((ws_id, id)): UiPath<(Uuid, Uuid)>,
    UiForm(form): UiForm<WhenForm>,
) -> Result<Response, UiError> {
    let ws = state.services.workspace(&actor, ws_id).await?;
    let before = state.services.get_post(&actor, ws_id, id).await?;
    let zone = ws.workspace.time_zone.clone();
    let when = match form.action.as_str() {
        "now" => When::Now,
        "queue" => When::Queue {
            share_next: !form.share_next.is_empty(),
        },
        _ => match chosen(&form, &zone, false) {
            Ok(Some(c)) => When::At {
                at_ms: c.at_ms,
                time_zone: c.time_zone,
                local_time: c.local_time,
            },
            other => {
                // `chosen` is `Ok(None)` only for an optional time; this one is not.
                let unclear = other.err().unwrap_or_else(|| {
                    let mut errors = Errors::default();
                    errors.add("date", "Choose a day.");
                    Unclear::Fields(errors)
                });
                let outcome = refused(form, unclear, "Not scheduled");
                return answer(&state, &actor, htmx, &ws, &before, outcome).await;
            }
        },
    };
    let done = match &when {
        When::Now => "Publishing now.",
        When::Queue { share_next: true } => "Shared next",
        When::Queue { .. } => "Added to the queue",
        When::At { .. } => "Scheduled",
    };
    let outcome = match state.services.schedule_post(&actor, ws_id, id, when).await {
        Ok(d) => Outcome::done(match first_time(&d, &zone) {
            Some(at) if !done.ends_with('.') => format!("{done}: {at}."),
            _ => done.to_owned(),
        }),
        Err(AppError::Validation(fields)) => {
            refused(form, Unclear::Fields(Errors(fields)), "Not scheduled")
        }
        Err(e) => return Err(e.into()),
    };
    answer(&state, &actor, htmx, &ws, &before, outcome).await
}

/// The earliest time a channel of `d` is scheduled for, in its zone.
fn first_time(d: &PostDetail, zone: &str) -> Option<String> {
    d.variants
        .iter()
        .filter(|v| v.variant.state == VariantState::Scheduled)
        .filter_map(|v| Some((v.variant.scheduled_at_ms?, &v.variant.time_zone)))
        .min_by_key(|(at, _)| *at)
        .map(|(at, tz)| {
            let name = if tz.is_empty() { zone } else { tz.as_str() };
            let tz = jiff::tz::TimeZone::get(name).unwrap_or(jiff::tz::TimeZone::UTC);
            format_in_zone(at, &tz)
        })
}

/// The form back as typed, with its errors beside the fields (a service's `at` is the date
/// and time) or the question about a repeated time, and a toast that says what is wrong.
pub(super) fn refused(form: WhenForm, unclear: Unclear, what: &str) -> Outcome {
    let (errors, fold) = match unclear {
        Unclear::Fields(Errors(fields)) => (
            Errors(
                fields
                    .into_iter()
                    .map(|mut f| {
                        if f.field == "at" {
                            f.field = "time".into();
                        }
                        f.message = capitalise(&f.message);
                        f
                    })
                    .collect(),
            ),
            None,
        ),
        Unclear::Fold(choice) => (Errors::default(), Some(choice)),
    };
    let said: Vec<String> = match &fold {
        Some(choice) => vec![choice.message.clone()],
        None => errors.0.iter().map(|e| e.message.clone()).collect(),
    };
    let text = format!(
        "{what}: {}.",
        said.join(" ").trim_end_matches('.').trim_end()
    );
    Outcome::refused(text, move |c| {
        if let Some(w) = c.when.as_mut() {
            w.form = form;
            w.errors = errors;
            w.fold = fold;
        }
    })
}
