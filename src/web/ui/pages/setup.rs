//! `/setup`: the first page of a fresh install creates the first account, an instance admin.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use serde::Deserialize;

use crate::services::NewAccount;
use crate::web::AppState;
use crate::web::ui::UiError;
use crate::web::ui::client::Client;
use crate::web::ui::cookies;
use crate::web::ui::forms::{Errors, UiForm};
use crate::web::ui::render::{Htmx, page, render};
use crate::web::ui::shell::Shell;

#[derive(Template)]
#[template(path = "setup.html", blocks = ["main", "topbar"])]
pub struct SetupPage {
    shell: Shell,
    form: SetupForm,
    errors: Errors,
}
page!(SetupPage);

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SetupForm {
    pub email: String,
    pub display_name: String,
    pub password: String,
    pub confirm_password: String,
}

pub async fn show(
    State(state): State<AppState>,
    htmx: Htmx,
    jar: CookieJar,
) -> Result<Response, UiError> {
    if state.services.is_set_up().await? {
        return Ok(Redirect::to("/login").into_response());
    }
    let (jar, csrf) = cookies::anon_csrf(&state, jar);
    let page = SetupPage {
        shell: Shell::anonymous("Welcome", csrf),
        form: SetupForm::default(),
        errors: Errors::default(),
    };
    Ok((jar, render(htmx, StatusCode::OK, page)?).into_response())
}

pub async fn submit(
    State(state): State<AppState>,
    htmx: Htmx,
    client: Client,
    jar: CookieJar,
    UiForm(form): UiForm<SetupForm>,
) -> Result<Response, UiError> {
    if state.services.is_set_up().await? {
        return Ok(Redirect::to("/login").into_response());
    }
    let mut errors = Errors::default();
    // Checked first: a mismatch means the person does not know which password they typed.
    if form.password != form.confirm_password {
        errors.add("confirm_password", "does not match the password");
    } else {
        let input = NewAccount {
            email: &form.email,
            display_name: &form.display_name,
            password: &form.password,
            is_admin: true,
        };
        match state.services.create_first_account(input).await {
            Ok(_) => {
                let session = state
                    .services
                    .login(&form.email, &form.password, &client.ip, &client.user_agent)
                    .await?;
                let jar = cookies::start_session(&state, jar, &session);
                return Ok((jar, Redirect::to("/workspaces")).into_response());
            }
            Err(e) => errors = Errors::from_app(e)?,
        }
    }
    let (jar, csrf) = cookies::anon_csrf(&state, jar);
    let form = SetupForm {
        password: String::new(),
        confirm_password: String::new(),
        ..form
    };
    let page = SetupPage {
        shell: Shell::anonymous("Welcome", csrf),
        form,
        errors,
    };
    Ok((jar, render(htmx, StatusCode::UNPROCESSABLE_ENTITY, page)?).into_response())
}
