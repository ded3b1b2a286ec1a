//! `POST /w/{ws}/posts/{id}/repeat`: the "Repeat" section's form. Sets the post's recurring
//! rule (or replaces it); the service checks every field, and what it refuses comes back
//! beside its field and in a toast naming it, with nothing changed.

use axum::extract::State;
use axum::response::Response;
use uuid::Uuid;

use super::form::Pairs;
use super::repeat_input::{RepeatForm, label};
use super::sections::{Outcome, answer};
use super::view::capitalise;
use crate::domain::schedule::Recurrence;
use crate::services::AppError;
use crate::web::AppState;
use crate::web::auth::SessionUser;
use crate::web::ui::UiError;
use crate::web::ui::forms::{Errors, UiForm, UiPath};
use crate::web::ui::render::Htmx;

pub async fn set_repeat(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath((ws_id, id)): UiPath<(Uuid, Uuid)>,
    UiForm(pairs): UiForm<Pairs>,
) -> Result<Response, UiError> {
    let ws = state.services.workspace(&actor, ws_id).await?;
    let before = state.services.get_post(&actor, ws_id, id).await?;
    let form = RepeatForm::parse(&pairs);
    let set = state
        .services
        .set_recurrence(&actor, ws_id, id, form.to_input())
        .await;
    let outcome = match set {
        Ok(view) => {
            let s = &view.series;
            let words = s
                .rule
                .parse::<Recurrence>()
                .map(|r| r.in_words())
                .unwrap_or_else(|_| s.rule.clone());
            Outcome::done(format!("Repeating: {words} ({}).", s.time_zone)).in_repeat()
        }
        Err(AppError::Validation(fields)) => refused(Some(form), Errors(fields), "Not repeating"),
        Err(e) => return Err(e.into()),
    };
    answer(&state, &actor, htmx, &ws, &before, outcome).await
}

/// The rule's form back as typed (when it was the one sent), each error beside its field
/// (every weekday's under the weekday boxes), and a toast that names each field and says
/// what is wrong with it.
pub(super) fn refused(form: Option<RepeatForm>, errors: Errors, what: &str) -> Outcome {
    let said: Vec<String> = errors
        .0
        .iter()
        .map(|e| {
            format!(
                "{}: {}",
                label(field_of(&e.field)),
                e.message.trim_end_matches('.')
            )
        })
        .collect();
    let text = format!("{what}. {}.", said.join(". "));
    let errors = Errors(
        errors
            .0
            .into_iter()
            .map(|mut e| {
                e.field = field_of(&e.field).to_owned();
                e.message = capitalise(&e.message);
                e
            })
            .collect(),
    );
    Outcome::refused(text, move |c| {
        if let Some(r) = c.repeat.as_mut() {
            if let Some(form) = form {
                r.form = form;
            }
            r.errors = errors;
        }
    })
    .in_repeat()
}

/// The form's field a service error is about: every weekday's is the weekday boxes'.
fn field_of(field: &str) -> &str {
    if field.starts_with("weekdays[") {
        "weekdays"
    } else {
        field
    }
}
