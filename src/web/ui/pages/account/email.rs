//! Whether one's notifications also come by email.

use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;

use super::AccountPage;
use crate::web::AppState;
use crate::web::auth::SessionUser;
use crate::web::ui::UiError;
use crate::web::ui::forms::UiForm;
use crate::web::ui::render::{Htmx, Toast, ok};

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct EmailForm {
    /// Present (a checked checkbox) for on, absent for off.
    email: Option<String>,
}

pub async fn save(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiForm(form): UiForm<EmailForm>,
) -> Result<Response, UiError> {
    let on = form.email.is_some();
    state.services.set_email_notifications(&actor, on).await?;
    let mut page = AccountPage::load(&state, &actor).await?;
    page.shell.toasts.push(Toast::ok(if on {
        "Your notifications will come by email too."
    } else {
        "No more notification emails: you will find them on the Notifications page."
    }));
    ok(htmx, page)
}
