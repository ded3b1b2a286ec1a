//! What the calendar page's forms share: the page drawn again after a form (with a toast,
//! and what the form wants kept), the page's query string they carry back, and the bounded
//! reading of the two upload forms (a file and a few short fields).

use std::collections::HashMap;

use axum::extract::{FromRequest, Multipart, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::calendar::{self, CalendarPage, CalendarView};
use crate::services::{Actor, AppError};
use crate::storage::workspaces::MemberWorkspace;
use crate::web::AppState;
use crate::web::ui::UiError;
use crate::web::ui::render::{Htmx, Toast, render};
use crate::web::ui::shell::Shell;

/// Short fields beside the file (the page's query string, a kind) are at most this long.
const MAX_FIELD_BYTES: usize = 4 * 1024;

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

/// An upload form as read: the `file` field's bytes and the other fields.
#[derive(Debug, Default)]
pub(super) struct UploadForm {
    pub file: Vec<u8>,
    pub fields: HashMap<String, String>,
}

/// Reads a multipart form with one `file` of at most `max` bytes (it stops reading there)
/// and short text fields. The route's body limit lets a little more than `max` through.
pub(super) async fn read_multipart(request: Request, max: usize) -> Result<UploadForm, AppError> {
    let mut form = Multipart::from_request(request, &()).await.map_err(|e| {
        AppError::field(
            "file",
            format!("send the form as multipart/form-data ({})", e.body_text()),
        )
    })?;
    let malformed = |e: axum::extract::multipart::MultipartError| {
        AppError::field("file", format!("could not be read ({})", e.body_text()))
    };
    let mut out = UploadForm::default();
    let mut seen_file = false;
    while let Some(mut field) = form.next_field().await.map_err(malformed)? {
        let name = field.name().unwrap_or_default().to_owned();
        let limit = if name == "file" { max } else { MAX_FIELD_BYTES };
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(malformed)? {
            if bytes.len() + chunk.len() > limit {
                return Err(if name == "file" {
                    AppError::field(
                        "file",
                        format!(
                            "is larger than {} MB, the most Herald takes here",
                            max / (1024 * 1024)
                        ),
                    )
                } else {
                    AppError::field(&name, "is too long")
                });
            }
            bytes.extend_from_slice(&chunk);
        }
        if name == "file" {
            seen_file = true;
            out.file = bytes;
        } else {
            out.fields
                .insert(name, String::from_utf8_lossy(&bytes).into_owned());
        }
    }
    if !seen_file || out.file.is_empty() {
        return Err(AppError::field(
            "file",
            "is missing: choose a file to upload",
        ));
    }
    Ok(out)
}
