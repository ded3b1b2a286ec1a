//! Renaming oneself and changing one's password.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::AccountPage;
use crate::web::AppState;
use crate::web::auth::SessionUser;
use crate::web::ui::UiError;
use crate::web::ui::forms::{Errors, UiForm};
use crate::web::ui::render::{Htmx, Toast, render};

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RenameForm {
    display_name: String,
}

pub async fn rename(
    State(state): State<AppState>,
    SessionUser(mut actor): SessionUser,
    htmx: Htmx,
    UiForm(form): UiForm<RenameForm>,
) -> Result<Response, UiError> {
    match state.services.rename_self(&actor, &form.display_name).await {
        Ok(()) => {
            actor.user.display_name = form.display_name.trim().to_owned();
            let mut page = AccountPage::load(&state, &actor).await?;
            page.shell.toasts.push(Toast::ok("Your name is saved."));
            render(htmx, StatusCode::OK, page)
        }
        Err(e) => {
            let mut page = AccountPage::load(&state, &actor).await?;
            page.name_errors = Errors::from_app(e)?;
            page.display_name = form.display_name;
            render(htmx, StatusCode::UNPROCESSABLE_ENTITY, page)
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PasswordForm {
    current_password: String,
    new_password: String,
    confirm_password: String,
}

pub async fn change_password(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiForm(form): UiForm<PasswordForm>,
) -> Result<Response, UiError> {
    let mut errors = Errors::default();
    if form.new_password != form.confirm_password {
        errors.add("confirm_password", "does not match the new password");
    } else if let Err(e) = state
        .services
        .change_password(&actor, &form.current_password, &form.new_password)
        .await
    {
        errors = Errors::from_app(e)?;
    }
    let mut page = AccountPage::load(&state, &actor).await?;
    if errors.is_empty() {
        page.shell.toasts.push(Toast::ok(
            "Password changed. Your other sessions were logged out.",
        ));
        render(htmx, StatusCode::OK, page)
    } else {
        page.password_errors = errors;
        render(htmx, StatusCode::UNPROCESSABLE_ENTITY, page)
    }
}
