//! `POST /review/{token}/unlock`: the link's password. Right: a cookie proving it, scoped to
//! the link's page, and back to the page. Wrong: the form again, saying so; too many wrong
//! ones: the form, saying how long to wait.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use serde::Deserialize;

use super::view::ReviewPage;
use super::{page_path, respond, unlock_cookie, unusable};
use crate::services::AppError;
use crate::web::AppState;
use crate::web::ui::UiError;
use crate::web::ui::client::Client;
use crate::web::ui::forms::{Errors, UiForm, UiPath};

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct UnlockForm {
    password: String,
}

pub async fn unlock(
    State(state): State<AppState>,
    client: Client,
    jar: CookieJar,
    UiPath(token): UiPath<String>,
    UiForm(form): UiForm<UnlockForm>,
) -> Result<Response, UiError> {
    match state
        .services
        .unlock_review_link(&token, &form.password, &client.ip)
        .await
    {
        Ok((value, _expires)) => {
            let jar = jar.add(unlock_cookie(&state, &token, value));
            Ok((jar, Redirect::to(&page_path(&token))).into_response())
        }
        Err(AppError::Validation(fields)) => respond(
            StatusCode::UNPROCESSABLE_ENTITY,
            ReviewPage::locked(&token, Errors(fields)),
        ),
        Err(AppError::TooManyRequests { message, .. }) => {
            let mut errors = Errors::default();
            errors.add("password", &message);
            respond(
                StatusCode::TOO_MANY_REQUESTS,
                ReviewPage::locked(&token, errors),
            )
        }
        Err(e) => unusable(&token, e),
    }
}
