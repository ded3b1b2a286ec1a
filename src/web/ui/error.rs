//! Errors on their way out of the UI.
//!
//! A handler does not know whether it answers htmx or a full page load when it returns an
//! error through `?`, so `UiError` only records what went wrong (in a response extension)
//! and `render_errors`, a middleware that saw the request headers, turns it into either a
//! full HTML page or a toast fragment for htmx.

use std::sync::Arc;

use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};

use super::render::{Htmx, Toast, toast_fragment};
use crate::domain::FieldError;
use crate::services::AppError;

/// An error on its way out of the UI.
#[derive(Debug)]
pub enum UiError {
    App(AppError),
    /// Not logged in: go to the login page, then come back to `next`.
    LoginRequired {
        next: String,
    },
}

impl UiError {
    pub fn login_required(next: &str) -> Self {
        UiError::LoginRequired {
            next: next.to_owned(),
        }
    }
}

impl From<AppError> for UiError {
    fn from(err: AppError) -> Self {
        UiError::App(err)
    }
}

impl From<askama::Error> for UiError {
    fn from(err: askama::Error) -> Self {
        UiError::App(AppError::Internal(err.into()))
    }
}

/// What `render_errors` needs to draw the error; cloneable, as extensions must be.
#[derive(Clone, Debug)]
struct Failure {
    status: StatusCode,
    title: &'static str,
    message: String,
    fields: Arc<Vec<FieldError>>,
    login_next: Option<String>,
}

impl IntoResponse for UiError {
    fn into_response(self) -> Response {
        let failure = match self {
            UiError::LoginRequired { next } => Failure {
                status: StatusCode::UNAUTHORIZED,
                title: "Please log in",
                message: "You need to log in to see this page.".into(),
                fields: Arc::default(),
                login_next: Some(next),
            },
            UiError::App(err) => describe(err),
        };
        let mut response = failure.status.into_response();
        response.extensions_mut().insert(failure);
        response
    }
}

fn describe(err: AppError) -> Failure {
    let (status, title, message, fields) = match err {
        AppError::NotFound => (
            StatusCode::NOT_FOUND,
            "Page not found",
            "There is nothing here, or it is not yours to see. Check the address, or start again from your workspaces.".to_owned(),
            Vec::new(),
        ),
        AppError::Unauthenticated(m) => (StatusCode::UNAUTHORIZED, "Please log in", m, Vec::new()),
        AppError::Forbidden(m) => (StatusCode::FORBIDDEN, "Not allowed", m, Vec::new()),
        AppError::Validation(fields) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "Please check the form",
            "Some fields are not valid.".to_owned(),
            fields,
        ),
        AppError::TooLarge(fields) => (
            StatusCode::PAYLOAD_TOO_LARGE,
            "Too large",
            "The upload is too large.".to_owned(),
            fields,
        ),
        AppError::Conflict(m) => (StatusCode::CONFLICT, "That did not work", m, Vec::new()),
        AppError::TooManyRequests { message, .. } => {
            (StatusCode::TOO_MANY_REQUESTS, "Slow down", message, Vec::new())
        }
        AppError::Internal(e) => {
            tracing::error!(error = ?e, "internal error");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong",
                "Herald hit an unexpected error. Try again; if it keeps happening, the logs say more.".to_owned(),
                Vec::new(),
            )
        }
    };
    Failure {
        status,
        title,
        message,
        fields: Arc::new(fields),
        login_next: None,
    }
}

/// Renders every `UiError` of the UI routes, as a page or (for htmx) as a toast.
pub async fn render_errors(htmx: Htmx, request: Request, next: Next) -> Response {
    let back_to = return_path(&request);
    let response = next.run(request).await;
    let Some(failure) = response.extensions().get::<Failure>().cloned() else {
        return response;
    };
    let rendered = match &failure.login_next {
        Some(path) => login_redirect(htmx, back_to.as_deref().unwrap_or(path)),
        None if htmx.fragment => toast(&failure),
        None => page(&failure),
    };
    rendered.unwrap_or_else(|e| {
        tracing::error!(error = ?e, "rendering an error page failed");
        (StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong.").into_response()
    })
}

/// Where to come back after logging in, when it is not the request's own path: a form post
/// cannot be repeated by a GET, so it returns to the page the form was on (htmx names it) or
/// to the home page.
fn return_path(request: &Request) -> Option<String> {
    if request.method() == axum::http::Method::GET {
        return None;
    }
    let page = request
        .headers()
        .get("hx-current-url")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| url::Url::parse(v).ok())
        .map(|u| u.path().to_owned());
    Some(page.unwrap_or_else(|| "/".to_owned()))
}

fn login_redirect(htmx: Htmx, next: &str) -> Result<Response, askama::Error> {
    let target = format!(
        "/login?next={}",
        url::form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>()
    );
    let mut response = if htmx.request {
        // An XMLHttpRequest follows a 303 silently; htmx needs `HX-Redirect` on a non-3xx.
        StatusCode::UNAUTHORIZED.into_response()
    } else {
        axum::response::Redirect::to(&target).into_response()
    };
    if let Ok(v) = HeaderValue::from_str(&target) {
        response.headers_mut().insert("hx-redirect", v);
    }
    Ok(response)
}

/// A toast appended to `#toasts`, whatever the request targeted. The status stays an error
/// status; the htmx config in `base.html` swaps 4xx and 5xx answers.
fn toast(failure: &Failure) -> Result<Response, askama::Error> {
    let mut text = failure.message.clone();
    for f in failure.fields.iter() {
        text.push_str(&format!(" {}: {}.", field_label(&f.field), f.message));
    }
    let body = toast_fragment(&[Toast::error(text)], false)?;
    let mut response = (failure.status, Html(body)).into_response();
    let headers = response.headers_mut();
    headers.insert("hx-retarget", HeaderValue::from_static("#toasts"));
    headers.insert("hx-reswap", HeaderValue::from_static("beforeend"));
    Ok(response)
}

/// `time_zone` -> `time zone`, for messages that name a field outside its form.
fn field_label(field: &str) -> String {
    field.replace('_', " ")
}

#[derive(askama::Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    title: &'a str,
    message: &'a str,
    fields: &'a [FieldError],
    not_found: bool,
    css: String,
}

fn page(failure: &Failure) -> Result<Response, askama::Error> {
    let page = ErrorPage {
        title: failure.title,
        message: &failure.message,
        fields: &failure.fields,
        not_found: failure.status == StatusCode::NOT_FOUND,
        css: crate::web::assets::url("app.css"),
    };
    Ok((failure.status, Html(askama::Template::render(&page)?)).into_response())
}
