//! `POST /review/{token}/decide`: the client approves, or asks for changes with a comment.
//! Done: back to the page, which thanks them and shows where the post stands. Refused (the
//! post was reviewed already, or waits for the team first): the page again, saying why,
//! with what they typed.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use serde::Deserialize;

use super::view::{ReviewPage, review_view};
use super::{page_path, respond, unlock_of, unusable};
use crate::services::AppError;
use crate::services::review_link_access::{ClientDecision, LinkAccess, ReviewVisit};
use crate::web::AppState;
use crate::web::ui::UiError;
use crate::web::ui::forms::{Errors, UiForm, UiPath};

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DecisionForm {
    form_token: String,
    /// `approve` or `changes` (the button pressed).
    decision: String,
    name: String,
    note: String,
}

pub async fn decide(
    State(state): State<AppState>,
    jar: CookieJar,
    UiPath(token): UiPath<String>,
    UiForm(form): UiForm<DecisionForm>,
) -> Result<Response, UiError> {
    let unlock = unlock_of(&jar);
    let access = LinkAccess {
        token: &token,
        unlock: unlock.as_deref(),
    };
    let (decision, done) = match form.decision.as_str() {
        "approve" => (ClientDecision::Approve, "approved"),
        "changes" => (ClientDecision::RequestChanges, "changes"),
        _ => (ClientDecision::Approve, ""),
    };
    let outcome = if done.is_empty() {
        Err(AppError::field(
            "decision",
            "press Approve or Request changes",
        ))
    } else {
        state
            .services
            .decide_on_review_link(&access, &form.form_token, decision, &form.name, &form.note)
            .await
    };
    let (status, errors, refusal) = match outcome {
        Ok(_) => {
            let to = format!("{}?done={done}", page_path(&token));
            return Ok(Redirect::to(&to).into_response());
        }
        Err(AppError::Validation(fields)) => {
            (StatusCode::UNPROCESSABLE_ENTITY, Errors(fields), None)
        }
        Err(AppError::Conflict(m)) => (StatusCode::CONFLICT, Errors::default(), Some(m)),
        Err(AppError::Forbidden(m)) => (StatusCode::FORBIDDEN, Errors::default(), Some(m)),
        Err(AppError::Unauthenticated(_)) => {
            return respond(
                StatusCode::UNAUTHORIZED,
                ReviewPage::locked(&token, Errors::default()),
            );
        }
        Err(e) => return unusable(&token, e),
    };
    // The page again, as it now stands, with the problem and what was typed.
    match state.services.visit_review_link(&access).await {
        Ok(ReviewVisit::Open(open)) => {
            let mut review = review_view(&state.services, &open);
            review.refusal = refusal;
            review.name = form.name;
            review.note = form.note;
            let mut page = ReviewPage::open(&token, review);
            page.errors = errors;
            respond(status, page)
        }
        Ok(ReviewVisit::Locked) => respond(
            StatusCode::UNAUTHORIZED,
            ReviewPage::locked(&token, Errors::default()),
        ),
        Err(e) => unusable(&token, e),
    }
}
