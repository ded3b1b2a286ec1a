//! Ending one session, or all of them.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use uuid::Uuid;

use super::AccountPage;
use crate::web::AppState;
use crate::web::auth::SessionUser;
use crate::web::ui::UiError;
use crate::web::ui::cookies;
use crate::web::ui::forms::UiPath;
use crate::web::ui::render::{Htmx, Toast, ok, redirect};

/// Logs out one session; ending this browser's own is logging out.
pub async fn end(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    jar: CookieJar,
    UiPath(id): UiPath<Uuid>,
) -> Result<Response, UiError> {
    state.services.end_session(&actor, id).await?;
    if actor.session_id == Some(id) {
        return Ok((cookies::end_session(jar), redirect(htmx, "/login")).into_response());
    }
    let mut page = AccountPage::load(&state, &actor).await?;
    page.shell
        .toasts
        .push(Toast::ok("That session is logged out."));
    ok(htmx, page)
}

/// Logs out every session of this account, this one included.
pub async fn end_all(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    jar: CookieJar,
) -> Result<Response, UiError> {
    state.services.logout_everywhere(&actor).await?;
    Ok((cookies::end_session(jar), redirect(htmx, "/login")).into_response())
}
