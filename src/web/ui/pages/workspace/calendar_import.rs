//! `POST /w/{ws}/calendar/import/posts`: a CSV file of posts uploaded from the calendar page
//! (format: `services::imports`). A refused file shows the table of (row, line, column,
//! problem) the service returns, nothing created; an imported one says how many posts and
//! links to the month of the first.

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use jiff::tz::TimeZone;
use uuid::Uuid;

use super::calendar::{local_parts, query_string};
use super::calendar_forms::{answer, back_pairs};
use crate::services::AppError;
use crate::services::imports::{ImportProblem, MAX_CSV_BYTES, PostsImport};
use crate::web::AppState;
use crate::web::auth::SessionUser;
use crate::web::ui::UiError;
use crate::web::ui::forms::UiPath;
use crate::web::ui::render::{Htmx, Toast};
use crate::web::upload::read_small;

/// What the last upload did, shown under the form.
pub enum CsvOutcome {
    Created {
        count: usize,
        /// The month view of the first post.
        href: String,
        /// `March 2026`
        month: String,
    },
    Refused {
        problems: Vec<ProblemRow>,
    },
}

/// One line of the problems table.
pub struct ProblemRow {
    /// `3`, or `file` / `header`.
    pub row: String,
    pub line: String,
    pub column: String,
    pub problem: String,
}

impl From<&ImportProblem> for ProblemRow {
    fn from(p: &ImportProblem) -> Self {
        ProblemRow {
            row: match (p.row, &p.column) {
                (Some(r), _) => r.to_string(),
                (None, Some(_)) => "header".into(),
                (None, None) => "file".into(),
            },
            line: p.line.map(|l| l.to_string()).unwrap_or_default(),
            column: p.column.clone().unwrap_or_default(),
            problem: p.problem.clone(),
        }
    }
}

/// The most problems the table lists (the rest are counted): a broken 5,000-row file
/// would otherwise make a page of megabytes.
const MAX_SHOWN: usize = 200;

pub async fn upload(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath(ws_id): UiPath<Uuid>,
    request: Request,
) -> Result<Response, UiError> {
    let ws = state.services.workspace(&actor, ws_id).await?;
    let form = read_small(request, MAX_CSV_BYTES).await;
    let back = form
        .as_ref()
        .ok()
        .and_then(|f| f.fields.get("back").cloned())
        .unwrap_or_default();
    let q = back_pairs(&back);
    let result = match form {
        Ok(f) => {
            state
                .services
                .import_posts_csv(&actor, ws_id, &f.file)
                .await
        }
        Err(e) => Err(e),
    };
    let status = match &result {
        Err(AppError::TooLarge(_)) => StatusCode::PAYLOAD_TOO_LARGE,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    let outcome = match result {
        Ok(o) => o,
        // A file that cannot be read at all: one line in the table, as the API says it.
        Err(AppError::Validation(fields) | AppError::TooLarge(fields)) => PostsImport::Refused {
            problems: fields
                .into_iter()
                .map(|f| ImportProblem {
                    row: None,
                    line: None,
                    column: None,
                    problem: format!("the {} {}", f.field, f.message),
                })
                .collect(),
        },
        Err(e) => return Err(e.into()),
    };
    match outcome {
        PostsImport::Created {
            post_ids,
            first_at_ms,
        } => {
            let count = post_ids.len();
            let tz = TimeZone::get(&ws.workspace.time_zone).unwrap_or(TimeZone::UTC);
            let first = first_at_ms
                .and_then(|ms| local_parts(ms, &tz))
                .map(|(d, _)| d);
            let (href, month) = match first {
                Some(d) => (
                    format!(
                        "/w/{ws_id}/calendar?{}",
                        query_string(&[("view", "month"), ("date", &d.to_string())])
                    ),
                    d.strftime("%B %Y").to_string(),
                ),
                None => (format!("/w/{ws_id}/calendar"), String::new()),
            };
            let text = format!(
                "Imported {count} post{}, each scheduled.",
                if count == 1 { "" } else { "s" }
            );
            let shown = CsvOutcome::Created { count, href, month };
            let keep = move |cal: &mut super::calendar::CalendarView| cal.csv = Some(shown);
            answer(
                &state,
                &actor,
                &ws,
                htmx,
                &q,
                Toast::ok(text),
                StatusCode::OK,
                keep,
            )
            .await
        }
        PostsImport::Refused { problems } => {
            let total = problems.len();
            let mut rows: Vec<ProblemRow> = problems
                .iter()
                .take(MAX_SHOWN)
                .map(ProblemRow::from)
                .collect();
            if total > MAX_SHOWN {
                rows.push(ProblemRow {
                    row: String::new(),
                    line: String::new(),
                    column: String::new(),
                    problem: format!("… and {} more problems", total - MAX_SHOWN),
                });
            }
            let toast = Toast::error(format!(
                "Nothing imported: {total} problem{} in the file. Fix {} and upload it again.",
                if total == 1 { "" } else { "s" },
                if total == 1 { "it" } else { "them" }
            ));
            let shown = CsvOutcome::Refused { problems: rows };
            let keep = move |cal: &mut super::calendar::CalendarView| cal.csv = Some(shown);
            answer(&state, &actor, &ws, htmx, &q, toast, status, keep).await
        }
    }
}
