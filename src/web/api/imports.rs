//! Importing posts from a CSV file (format: `services::imports`), from a raw body or a
//! multipart form (read by `web::upload::read_small`, within the route's limit).

use axum::Json;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::services::AppError;
use crate::services::imports::{ImportProblem, MAX_CSV_BYTES, PostsImport};
use crate::web::auth::TokenUser;
use crate::web::upload::read_small;
use crate::web::{ApiError, ApiPath, AppState};

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
/// is fine), at most 32 MB (a larger file is a 413) and 5,000 rows. Columns: `text`,
/// `channels` (handles or ids, separated by `|` or `;`), `time` (RFC 3339, or a local
/// "2026-03-29 09:30" in `time_zone` or the workspace's zone, or `queue` for each channel's
/// next free posting slot, row after row), and optional `time_zone`, `media` (media library
/// ids) and `tags`, separated like channels.
#[utoipa::path(post, path = "/api/v1/workspaces/{ws}/imports/posts.csv", tag = "posts",
    params(("ws" = Uuid, Path)), request_body(content = String, content_type = "text/csv"),
    responses((status = 201, body = ImportCreated), (status = 403, body = crate::web::problem::Problem),
        (status = 409, body = crate::web::problem::Problem), (status = 413, body = crate::web::problem::Problem),
        (status = 422, body = ImportRefused)))]
pub async fn posts_csv(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath(ws): ApiPath<Uuid>,
    request: Request,
) -> Result<Response, ApiError> {
    // The workspace and role are checked before the file is read or anything is said
    // about it.
    state.services.workspace(&actor, ws).await?;
    let bytes = match read_small(request, MAX_CSV_BYTES).await {
        Ok(upload) => upload.file,
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
