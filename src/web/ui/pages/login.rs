//! `/login` and `/logout`.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use serde::Deserialize;

use crate::services::AppError;
use crate::web::AppState;
use crate::web::auth::{MaybeSessionUser, SessionUser};
use crate::web::ui::UiError;
use crate::web::ui::client::Client;
use crate::web::ui::cookies;
use crate::web::ui::format::safe_next;
use crate::web::ui::forms::{Errors, UiForm};
use crate::web::ui::render::{Htmx, page, render};
use crate::web::ui::shell::Shell;

#[derive(Template)]
#[template(path = "login.html", blocks = ["main", "topbar"])]
pub struct LoginPage {
    shell: Shell,
    email: String,
    next: String,
    /// Wrong credentials or throttling: one message for the whole form.
    problem: Option<String>,
    errors: Errors,
}
page!(LoginPage);

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    MaybeSessionUser(actor): MaybeSessionUser,
    htmx: Htmx,
    jar: CookieJar,
    Query(q): Query<NextQuery>,
) -> Result<Response, UiError> {
    let next = safe_next(q.next.as_deref());
    if actor.is_some() {
        return Ok(Redirect::to(&next).into_response());
    }
    if !state.services.is_set_up().await? {
        return Ok(Redirect::to("/setup").into_response());
    }
    let (jar, csrf) = cookies::anon_csrf(&state, jar);
    let page = LoginPage {
        shell: Shell::anonymous("Log in", csrf),
        email: String::new(),
        next,
        problem: None,
        errors: Errors::default(),
    };
    Ok((jar, render(htmx, StatusCode::OK, page)?).into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LoginForm {
    email: String,
    password: String,
    next: String,
}

pub async fn submit(
    State(state): State<AppState>,
    htmx: Htmx,
    client: Client,
    jar: CookieJar,
    UiForm(form): UiForm<LoginForm>,
) -> Result<Response, UiError> {
    let next = safe_next(Some(&form.next));
    let (status, problem, errors) = match state
        .services
        .login(&form.email, &form.password, &client.ip, &client.user_agent)
        .await
    {
        Ok(session) => {
            let jar = cookies::start_session(&state, jar, &session);
            return Ok((jar, Redirect::to(&next)).into_response());
        }
        Err(AppError::Unauthenticated(m)) => (StatusCode::UNAUTHORIZED, Some(m), Errors::default()),
        Err(AppError::TooManyRequests { message, .. }) => (
            StatusCode::TOO_MANY_REQUESTS,
            Some(message),
            Errors::default(),
        ),
        Err(other) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            Errors::from_app(other)?,
        ),
    };
    let (jar, csrf) = cookies::anon_csrf(&state, jar);
    let page = LoginPage {
        shell: Shell::anonymous("Log in", csrf),
        email: form.email,
        next,
        problem,
        errors,
    };
    Ok((jar, render(htmx, status, page)?).into_response())
}

/// Ends this browser's session.
pub async fn logout(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    jar: CookieJar,
) -> Result<Response, UiError> {
    state.services.logout(&actor).await?;
    Ok((cookies::end_session(jar), Redirect::to("/login")).into_response())
}
