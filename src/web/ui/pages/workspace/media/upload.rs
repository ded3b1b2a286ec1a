//! `POST /w/{ws}/media`: one file per request, sent by `assets/app.js` with an
//! XMLHttpRequest so each file has its own progress bar. It lives in `upload_routes` (the
//! large body limit, the long timeout) and so outside the UI's error pages: every answer is
//! made here. Success is the new tile (201; 200 when the same bytes were already in the
//! library), ready to put in the grid; a refusal is plain text in words, per field
//! ("file: is 52.3 MB; pictures may be up to 40.0 MB here", a 413), for the file's line.
//! `app.js` refuses a file over the form's `data-max-bytes` before sending it.

use askama::Template;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use uuid::Uuid;

use super::Tile;
use crate::domain::Permission;
use crate::services::AppError;
use crate::web::AppState;
use crate::web::auth::MaybeSessionUser;
use crate::web::upload::spool;

#[derive(Template)]
#[template(path = "media_tile.html")]
struct TileAnswer {
    t: Tile,
}

pub async fn upload(
    State(state): State<AppState>,
    MaybeSessionUser(actor): MaybeSessionUser,
    axum::extract::Path(ws): axum::extract::Path<String>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let Some(actor) = actor else {
        return refusal(
            StatusCode::UNAUTHORIZED,
            "Your session has ended: log in again, then upload the file.".into(),
        );
    };
    let Ok(ws) = ws.parse::<Uuid>() else {
        return words(AppError::NotFound);
    };
    // Membership and role first, so strangers and viewers cannot make the server spool.
    if let Err(e) = state
        .services
        .workspace_for(&actor, ws, Permission::WriteDrafts)
        .await
    {
        return words(e);
    }
    let started = state.services.now_ms();
    let media = &state.services.media;
    let form = match spool(multipart, &media.spool_dir, media.limits.max_upload_bytes()).await {
        Ok(form) => form,
        Err(e) => return words(e),
    };
    let Some(upload) = form.upload else {
        return words(AppError::field(
            "file",
            "is missing: choose a picture or video",
        ));
    };
    let item = match state.services.upload_media(&actor, ws, upload).await {
        Ok(item) => item,
        Err(e) => return words(e),
    };
    // The same bytes again answer the item already there, made before this request.
    let status = if item.media.created_at_ms < started {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    match (TileAnswer { t: Tile::of(&item) }).render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => words(AppError::Internal(e.into())),
    }
}

/// A refusal as one line of text: the field and its message, as the API names them.
fn words(err: AppError) -> Response {
    let (status, text) = match err {
        AppError::NotFound => (
            StatusCode::NOT_FOUND,
            "There is nothing here, or it is not yours to see. Reload the page.".to_owned(),
        ),
        AppError::Unauthenticated(m) => (StatusCode::UNAUTHORIZED, m),
        AppError::Forbidden(m) => (StatusCode::FORBIDDEN, m),
        AppError::Conflict(m) => (StatusCode::CONFLICT, m),
        AppError::TooManyRequests { message, .. } => (StatusCode::TOO_MANY_REQUESTS, message),
        AppError::Validation(fields) => (StatusCode::UNPROCESSABLE_ENTITY, per_field(&fields)),
        AppError::TooLarge(fields) => (StatusCode::PAYLOAD_TOO_LARGE, per_field(&fields)),
        AppError::Internal(e) => {
            tracing::error!(error = ?e, "internal error during an upload");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "Herald hit an unexpected error. Try again; if it keeps happening, the logs say more."
                    .to_owned(),
            )
        }
    };
    refusal(status, text)
}

/// `file: is 52.3 MB; ...`: each field and its message.
fn per_field(fields: &[crate::domain::FieldError]) -> String {
    fields
        .iter()
        .map(|f| format!("{}: {}", f.field.replace('_', " "), f.message))
        .collect::<Vec<_>>()
        .join("; ")
}

fn refusal(status: StatusCode, text: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        text,
    )
        .into_response()
}
