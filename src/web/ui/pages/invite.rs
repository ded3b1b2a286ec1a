//! `/invite/{token}`: what an invite link opens. Logged in: a Join button. Logged out: a
//! sign-up form that creates the account, logs in and joins, or a link to log in first.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;

use super::setup::SetupForm;
use crate::services::{Actor, AppError, NewAccount};
use crate::web::AppState;
use crate::web::auth::{MaybeSessionUser, SessionUser};
use crate::web::ui::UiError;
use crate::web::ui::client::Client;
use crate::web::ui::cookies;
use crate::web::ui::format::when_utc;
use crate::web::ui::forms::{Errors, UiForm, UiPath};
use crate::web::ui::render::{Htmx, page, render};
use crate::web::ui::shell::Shell;

#[derive(Template)]
#[template(path = "invite.html", blocks = ["main", "topbar"])]
pub struct InvitePage {
    shell: Shell,
    token: String,
    /// Absent when the link cannot be used.
    invite: Option<InviteView>,
    /// Why the link cannot be used (the service's words).
    problem: Option<String>,
    logged_in: bool,
    form: SetupForm,
    errors: Errors,
}
page!(InvitePage);

pub struct InviteView {
    workspace: String,
    role: &'static str,
    role_description: &'static str,
    expires: String,
}

async fn page_for(
    state: &AppState,
    actor: Option<&Actor>,
    jar: CookieJar,
    token: String,
) -> Result<(CookieJar, InvitePage), UiError> {
    let (invite, problem) = match state.services.preview_invite(&token).await {
        Ok(p) => {
            let view = InviteView {
                workspace: p.workspace_name,
                role: p.role.label(),
                role_description: p.role.description(),
                expires: when_utc(p.expires_at_ms),
            };
            (Some(view), None)
        }
        Err(AppError::Conflict(message)) => (None, Some(message)),
        Err(e) => return Err(e.into()),
    };
    let (jar, shell) = match actor {
        Some(a) => (jar, Shell::load(state, a, "Invitation", "").await?),
        None => {
            let (jar, csrf) = cookies::anon_csrf(state, jar);
            (jar, Shell::anonymous("Invitation", csrf))
        }
    };
    let page = InvitePage {
        shell,
        token,
        invite,
        problem,
        logged_in: actor.is_some(),
        form: SetupForm::default(),
        errors: Errors::default(),
    };
    Ok((jar, page))
}

fn status_of(page: &InvitePage) -> StatusCode {
    if page.problem.is_some() {
        StatusCode::GONE
    } else {
        StatusCode::OK
    }
}

pub async fn show(
    State(state): State<AppState>,
    MaybeSessionUser(actor): MaybeSessionUser,
    htmx: Htmx,
    jar: CookieJar,
    UiPath(token): UiPath<String>,
) -> Result<Response, UiError> {
    let (jar, page) = page_for(&state, actor.as_ref(), jar, token).await?;
    let status = status_of(&page);
    Ok((jar, render(htmx, status, page)?).into_response())
}

/// Joins with the invite's role.
pub async fn accept(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    jar: CookieJar,
    UiPath(token): UiPath<String>,
) -> Result<Response, UiError> {
    match state.services.accept_invite(&actor, &token).await {
        Ok(ws) => Ok(Redirect::to(&format!("/w/{ws}")).into_response()),
        Err(AppError::Conflict(message)) => {
            let (jar, mut page) = page_for(&state, Some(&actor), jar, token).await?;
            page.problem = Some(message);
            Ok((jar, render(htmx, StatusCode::CONFLICT, page)?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// Creates an account, logs it in and joins, in that order; stops at the first problem.
pub async fn register(
    State(state): State<AppState>,
    htmx: Htmx,
    client: Client,
    jar: CookieJar,
    UiPath(token): UiPath<String>,
    UiForm(form): UiForm<SetupForm>,
) -> Result<Response, UiError> {
    let (jar, mut page) = page_for(&state, None, jar, token.clone()).await?;
    if page.problem.is_some() {
        let status = status_of(&page);
        return Ok((jar, render(htmx, status, page)?).into_response());
    }
    if form.password != form.confirm_password {
        page.errors
            .add("confirm_password", "does not match the password");
    } else {
        let input = NewAccount {
            email: &form.email,
            display_name: &form.display_name,
            password: &form.password,
            is_admin: false,
        };
        match state.services.create_user(input).await {
            Ok(_) => {
                let session = state
                    .services
                    .login(&form.email, &form.password, &client.ip, &client.user_agent)
                    .await?;
                let actor = state
                    .services
                    .actor_for_session(&session.cookie_token)
                    .await?
                    .ok_or(AppError::login_required())?;
                let jar = cookies::start_session(&state, jar, &session);
                let ws = state.services.accept_invite(&actor, &token).await?;
                return Ok((jar, Redirect::to(&format!("/w/{ws}"))).into_response());
            }
            Err(e) => page.errors = Errors::from_app(e)?,
        }
    }
    page.form = SetupForm {
        password: String::new(),
        confirm_password: String::new(),
        ..form
    };
    Ok((jar, render(htmx, StatusCode::UNPROCESSABLE_ENTITY, page)?).into_response())
}
