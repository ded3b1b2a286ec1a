//! What the calendar page's forms share: the page drawn again after a form (with a toast,
//! and what the form wants kept) and the page's query string they carry back. The two
//! upload forms are read by `web::upload::read_small`.

use std::collections::HashMap;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::calendar::{self, CalendarPage, CalendarView};
use crate::services::Actor;
use crate::storage::workspaces::MemberWorkspace;
use crate::web::AppState;
use crate::web::ui::UiError;
use crate::web::ui::render::{Htmx, Toast, render};
use crate::web::ui::shell::Shell;

/// The calendar the form came from, from its `back` field (the page's own query string;
/// only its pairs are read, never an address).
pub(super) fn back_pairs(back: &str) -> HashMap<String, String> {
    url::form_urlencoded::parse(back.as_bytes())
        .into_owned()
        .collect()
}

/// The calendar page again, with `toast` and whatever `keep` sets (a refused form's input,
/// an import's answer). Without htmx a success goes back to the calendar itself.
#[allow(clippy::too_many_arguments)]
pub(super) async fn answer(
    state: &AppState,
    actor: &Actor,
    ws: &MemberWorkspace,
    htmx: Htmx,
    q: &HashMap<String, String>,
    toast: Toast,
    status: StatusCode,
    keep: impl FnOnce(&mut CalendarView),
) -> Result<Response, UiError> {
    if !htmx.request && status.is_success() && !toast.error {
        let qs = calendar::query_string(
            &q.iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect::<Vec<_>>(),
        );
        let to = format!("/w/{}/calendar?{qs}", ws.workspace.id);
        return Ok(Redirect::to(&to).into_response());
    }
    let mut cal = calendar::build(state, actor, ws, q).await?;
    keep(&mut cal);
    let mut shell = Shell::in_workspace(state, actor, ws, "Calendar", "calendar").await?;
    shell.toasts.push(toast);
    render(htmx, status, CalendarPage { shell, cal })
}
