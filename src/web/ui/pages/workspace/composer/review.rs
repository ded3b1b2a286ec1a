//! The review controls: `POST /w/{ws}/posts/{id}/submit` (from the "When" section, with the
//! time wanted once approved), `/approve` and `/request-changes` (a note is required). The
//! services decide who may; the section shows only what the person's role allows.

use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use uuid::Uuid;

use super::review_view::ReviewView;
use super::sections::{Outcome, answer};
use super::view::capitalise;
use super::when::refused;
use super::when_input::{Unclear, chosen};
use super::when_view::WhenForm;
use crate::domain::post::VariantState;
use crate::services::AppError;
use crate::services::posts::PostDetail;
use crate::web::AppState;
use crate::web::auth::SessionUser;
use crate::web::ui::UiError;
use crate::web::ui::forms::{Errors, UiForm, UiPath};
use crate::web::ui::render::Htmx;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NoteForm {
    note: String,
}

pub async fn submit(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath((ws_id, id)): UiPath<(Uuid, Uuid)>,
    UiForm(form): UiForm<WhenForm>,
) -> Result<Response, UiError> {
    let ws = state.services.workspace(&actor, ws_id).await?;
    let before = state.services.get_post(&actor, ws_id, id).await?;
    let desired = match chosen(&form, &ws.workspace.time_zone, true) {
        Ok(c) => c.map(|c| (c.at_ms, c.time_zone, c.local_time)),
        Err(unclear) => {
            let outcome = refused(form, unclear, "Not sent for review");
            return answer(&state, &actor, htmx, &ws, &before, outcome).await;
        }
    };
    let timed = desired.is_some();
    let result = state
        .services
        .submit_post(&actor, ws_id, id, desired, &form.note)
        .await;
    let outcome = match result {
        Ok(_) if timed => {
            Outcome::done("Sent for review: it is scheduled for its time once approved.")
        }
        Ok(_) => Outcome::done("Sent for review."),
        Err(AppError::Validation(fields)) => {
            refused(form, Unclear::Fields(Errors(fields)), "Not sent for review")
        }
        Err(e) => return Err(e.into()),
    };
    answer(&state, &actor, htmx, &ws, &before, outcome).await
}

pub async fn approve(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath((ws_id, id)): UiPath<(Uuid, Uuid)>,
    UiForm(form): UiForm<NoteForm>,
) -> Result<Response, UiError> {
    let ws = state.services.workspace(&actor, ws_id).await?;
    let before = state.services.get_post(&actor, ws_id, id).await?;
    let outcome = match state
        .services
        .approve_post(&actor, ws_id, id, &form.note)
        .await
    {
        Ok(after) => Outcome::done(approved(&after)).in_review(),
        Err(AppError::Validation(fields)) => kept(form.note, fields, "approve", "Not approved"),
        Err(e) => return Err(e.into()),
    };
    answer(&state, &actor, htmx, &ws, &before, outcome).await
}

pub async fn request_changes(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath((ws_id, id)): UiPath<(Uuid, Uuid)>,
    UiForm(form): UiForm<NoteForm>,
) -> Result<Response, UiError> {
    let ws = state.services.workspace(&actor, ws_id).await?;
    let before = state.services.get_post(&actor, ws_id, id).await?;
    let outcome = match state
        .services
        .request_changes(&actor, ws_id, id, &form.note)
        .await
    {
        Ok(_) => Outcome::done("Sent back to the author with your note.").in_review(),
        Err(AppError::Validation(fields)) => {
            kept(form.note, fields, "request-changes", "Not sent back")
        }
        Err(e) => return Err(e.into()),
    };
    answer(&state, &actor, htmx, &ws, &before, outcome).await
}

/// What approving did: the last approval schedules a post that has a time ahead.
fn approved(after: &PostDetail) -> &'static str {
    let states = || after.variants.iter().map(|v| v.variant.state);
    if states().any(|s| s == VariantState::Scheduled) {
        "Approved and scheduled."
    } else if states().any(|s| s == VariantState::InReview) {
        "Approved; it now waits for the next approval."
    } else {
        "Approved: it can be scheduled now."
    }
}

/// A review form back as typed, with its errors.
pub(super) fn kept(
    typed: String,
    fields: Vec<crate::domain::FieldError>,
    form: &'static str,
    what: &str,
) -> Outcome {
    let said: Vec<String> = fields.iter().map(|f| capitalise(&f.message)).collect();
    let text = format!("{what}: {}.", said.join("; ").trim_end_matches('.'));
    Outcome::refused(text, move |c| {
        if let Some(r) = c.review.as_mut() {
            keep_typed(r, form, typed, fields);
        }
    })
    .in_review()
}

fn keep_typed(
    r: &mut ReviewView,
    form: &'static str,
    typed: String,
    fields: Vec<crate::domain::FieldError>,
) {
    r.failed = form;
    r.errors = Errors(
        fields
            .into_iter()
            .map(|mut f| {
                f.message = capitalise(&f.message);
                f
            })
            .collect(),
    );
    if form == "comment" {
        r.body = typed;
    } else {
        r.note = typed;
    }
}
