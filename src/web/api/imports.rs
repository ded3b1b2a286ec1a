//! Importing posts from a CSV file (format: `services::imports`), and reading an uploaded
//! file from a raw body or a multipart form, bounded.

use axum::Json;
use axum::body::Body;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::services::AppError;
use crate::services::imports::{ImportProblem, MAX_CSV_BYTES, PostsImport};
use crate::web::auth::TokenUser;
use crate::web::{ApiError, ApiPath, AppState};

/// The uploaded file: the `file` field of a multipart form, or else the whole body; at most
/// `max` bytes.
pub(crate) async fn read_upload(
    headers: &HeaderMap,
    body: Body,
    max: usize,
) -> Result<Vec<u8>, AppError> {
    let too_large = || {
        AppError::field(
            "file",
            format!(
                "is larger than {} MB, the most Herald takes here",
                max / (1024 * 1024)
            ),
        )
    };
    let multipart = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if !multipart {
        return axum::body::to_bytes(body, max)
            .await
            .map(|b| b.to_vec())
            .map_err(|_| too_large());
    }
    let mut request = Request::new(body);
    *request.headers_mut() = headers.clone();
    let mut form = Multipart::from_request(request, &()).await.map_err(|e| {
        AppError::field(
            "file",
            format!("send a multipart/form-data upload ({})", e.body_text()),
        )
    })?;
    let malformed = |e: axum::extract::multipart::MultipartError| {
        AppError::field(
            "file",
            format!("the upload could not be read ({})", e.body_text()),
        )
    };
    while let Some(mut field) = form.next_field().await.map_err(malformed)? {
        if field.name() != Some("file") {
            continue;
        }
        let mut out = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(malformed)? {
            if out.len() + chunk.len() > max {
                return Err(too_large());
            }
            out.extend_from_slice(&chunk);
        }
        return Ok(out);
    }
    Err(AppError::field("file", "choose a file to upload"))
}

#[derive(Serialize, ToSchema)]
pub struct ImportCreated {
    pub created: usize,
    pub post_ids: Vec<Uuid>,
}

/// One problem with an import.
#[derive(Serialize, ToSchema)]
pub struct ImportProblemView {
    /// The data row (1 = the first row after the header); null for the file or its header.
    pub row: Option<usize>,
    /// The line of the file where that row starts (the header is line 1).
    pub line: Option<u64>,
    /// The column at fault, when one is.
    pub column: Option<String>,
    pub problem: String,
    /// `rows[3].channels`, as other validation errors name fields.
    pub field: String,
    /// The same as `problem`, as other validation errors word it.
    pub message: String,
}

impl From<&ImportProblem> for ImportProblemView {
    fn from(p: &ImportProblem) -> Self {
        let field = match (p.row, &p.column) {
            (Some(r), Some(c)) => format!("rows[{r}].{c}"),
            (Some(r), None) => format!("rows[{r}]"),
            (None, Some(c)) => format!("header.{c}"),
            (None, None) => "file".to_owned(),
        };
        ImportProblemView {
            row: p.row,
            line: p.line,
            column: p.column.clone(),
            problem: p.problem.clone(),
            field,
            message: p.problem.clone(),
        }
    }
}

/// Nothing was imported: every problem of the file (problem+json).
#[derive(Serialize, ToSchema)]
pub struct ImportRefused {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    pub created: usize,
    pub errors: Vec<ImportProblemView>,
}

pub fn refused_response(problems: &[ImportProblem]) -> Response {
    let body = ImportRefused {
        kind: "https://herald.invalid/problems/import-refused".into(),
        title: "Nothing imported".into(),
        status: 422,
        detail: format!(
            "{} problem{} in the file; nothing was created. Fix them and import the file again.",
            problems.len(),
            if problems.len() == 1 { "" } else { "s" }
        ),
        created: 0,
        errors: problems.iter().map(ImportProblemView::from).collect(),
    };
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        [(header::CONTENT_TYPE, "application/problem+json")],
        serde_json::to_vec(&body).unwrap_or_default(),
    )
        .into_response()
}

/// Imports posts from a CSV file (the body as `text/csv`, or a multipart form with a `file`
/// field), each scheduled at its time, all or nothing: every row is checked first, and
/// every problem is reported as (row, column, problem) with nothing created. UTF-8 (a BOM
/// is fine), at most 5 MB and 5,000 rows. Columns: `text`, `channels` (handles or ids,
/// separated by `|` or `;`), `time` (RFC 3339, or a local "2026-03-29 09:30" in
/// `time_zone` or the workspace's zone, or `queue` for each channel's next free posting
/// slot, row after row), and optional `time_zone`, `media` (media library ids) and `tags`,
/// separated like channels.
#[utoipa::path(post, path = "/api/v1/workspaces/{ws}/imports/posts.csv", tag = "posts",
    params(("ws" = Uuid, Path)), request_body(content = String, content_type = "text/csv"),
    responses((status = 201, body = ImportCreated), (status = 403, body = crate::web::problem::Problem),
        (status = 409, body = crate::web::problem::Problem), (status = 422, body = ImportRefused)))]
pub async fn posts_csv(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath(ws): ApiPath<Uuid>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let bytes = match read_upload(&headers, body, MAX_CSV_BYTES).await {
        Ok(b) => b,
        Err(AppError::Validation(errors)) => {
            let problems: Vec<ImportProblem> = errors
                .into_iter()
                .map(|e| ImportProblem {
                    row: None,
                    line: None,
                    column: None,
                    problem: format!("the {} {}", e.field, e.message),
                })
                .collect();
            // The workspace and role are checked before saying anything about the file.
            state.services.workspace(&actor, ws).await?;
            return Ok(refused_response(&problems));
        }
        Err(e) => return Err(e.into()),
    };
    match state.services.import_posts_csv(&actor, ws, &bytes).await? {
        PostsImport::Created { post_ids, .. } => Ok((
            StatusCode::CREATED,
            Json(ImportCreated {
                created: post_ids.len(),
                post_ids,
            }),
        )
            .into_response()),
        PostsImport::Refused { problems } => Ok(refused_response(&problems)),
    }
}
