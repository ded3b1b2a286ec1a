//! Personal API tokens: the secret is shown once, right after creation.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use uuid::Uuid;

use super::{AccountPage, NewTokenView};
use crate::web::AppState;
use crate::web::auth::SessionUser;
use crate::web::ui::UiError;
use crate::web::ui::forms::{Errors, UiForm, UiPath};
use crate::web::ui::render::{Htmx, Toast, ok, render};

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TokenForm {
    name: String,
}

pub async fn create(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiForm(form): UiForm<TokenForm>,
) -> Result<Response, UiError> {
    match state.services.create_token(&actor, &form.name).await {
        Ok(created) => {
            let mut page = AccountPage::load(&state, &actor).await?;
            page.new_token = Some(NewTokenView {
                name: created.token.name,
                secret: created.secret,
            });
            ok(htmx, page)
        }
        Err(e) => {
            let mut page = AccountPage::load(&state, &actor).await?;
            page.token_errors = Errors::from_app(e)?;
            page.token_name = form.name;
            render(htmx, StatusCode::UNPROCESSABLE_ENTITY, page)
        }
    }
}

pub async fn revoke(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath(id): UiPath<Uuid>,
) -> Result<Response, UiError> {
    state.services.revoke_token(&actor, id).await?;
    let mut page = AccountPage::load(&state, &actor).await?;
    page.shell.toasts.push(Toast::ok(
        "The token is revoked; programs using it can no longer log in.",
    ));
    ok(htmx, page)
}
