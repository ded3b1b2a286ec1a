use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

use crate::services::AppError;

/// An error on its way out of the UI.
#[derive(Debug)]
pub enum UiError {
    App(AppError),
    /// Not logged in: go to the login page, then come back to `next`.
    LoginRequired { next: String },
}

impl UiError {
    pub fn login_required(next: &str) -> Self {
        UiError::LoginRequired { next: next.to_owned() }
    }
}

impl From<AppError> for UiError {
    fn from(err: AppError) -> Self {
        UiError::App(err)
    }
}

impl IntoResponse for UiError {
    fn into_response(self) -> Response {
        match self {
            UiError::LoginRequired { next } => {
                let target = format!("/login?next={}", url::form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>());
                let mut response = Redirect::to(&target).into_response();
                if let Ok(v) = HeaderValue::from_str(&target) {
                    response.headers_mut().insert("hx-redirect", v);
                }
                response
            }
            UiError::App(err) => {
                let status = match &err {
                    AppError::NotFound => StatusCode::NOT_FOUND,
                    AppError::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
                    AppError::Forbidden(_) => StatusCode::FORBIDDEN,
                    AppError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
                    AppError::Conflict(_) => StatusCode::CONFLICT,
                    AppError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
                    AppError::Internal(e) => {
                        tracing::error!(error = ?e, "internal error");
                        StatusCode::INTERNAL_SERVER_ERROR
                    }
                };
                (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], err.to_string()).into_response()
            }
        }
    }
}
