//! API errors as RFC 9457 `application/problem+json`, and a JSON extractor whose rejections
//! name the field at fault.

use axum::extract::{FromRequest, Request};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::domain::FieldError;
use crate::services::AppError;

/// The body of every API error.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem (`about:blank` style: see `title`).
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// For validation problems: each field at fault and what is wrong with it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

/// An `AppError` on its way out of the API.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl From<AppError> for ApiError {
    fn from(err: AppError) -> Self {
        ApiError(err)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, kind, title, detail, errors) = match self.0 {
            AppError::NotFound => (
                StatusCode::NOT_FOUND,
                "not-found",
                "Not found",
                "No such resource.".to_owned(),
                vec![],
            ),
            AppError::Unauthenticated(m) => (
                StatusCode::UNAUTHORIZED,
                "unauthenticated",
                "Unauthenticated",
                m,
                vec![],
            ),
            AppError::Forbidden(m) => (StatusCode::FORBIDDEN, "forbidden", "Forbidden", m, vec![]),
            AppError::Validation(errors) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation",
                "Invalid input",
                field_words(&errors),
                errors,
            ),
            AppError::TooLarge(errors) => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "too-large",
                "Too large",
                field_words(&errors),
                errors,
            ),
            AppError::Conflict(m) => (StatusCode::CONFLICT, "conflict", "Conflict", m, vec![]),
            AppError::TooManyRequests {
                message,
                retry_after_s,
            } => {
                let mut response = problem(
                    StatusCode::TOO_MANY_REQUESTS,
                    "rate-limited",
                    "Too many requests",
                    message,
                    vec![],
                );
                if let Ok(v) = retry_after_s.to_string().parse() {
                    response.headers_mut().insert(header::RETRY_AFTER, v);
                }
                return response;
            }
            AppError::Internal(err) => {
                tracing::error!(error = ?err, "internal error");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "Internal error",
                    "Something went wrong on our side; it has been logged.".to_owned(),
                    vec![],
                )
            }
        };
        problem(status, kind, title, detail, errors)
    }
}

/// `field: message; field: message`, the detail of a problem about fields.
fn field_words(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(|e| format!("{}: {}", e.field, e.message))
        .collect::<Vec<_>>()
        .join("; ")
}

pub fn problem(
    status: StatusCode,
    kind: &str,
    title: &str,
    detail: String,
    errors: Vec<FieldError>,
) -> Response {
    let body = Problem {
        kind: format!("https://herald.invalid/problems/{kind}"),
        title: title.to_owned(),
        status: status.as_u16(),
        detail,
        errors,
    };
    let json = serde_json::to_vec(&body).unwrap_or_default();
    (
        status,
        [(header::CONTENT_TYPE, "application/problem+json")],
        json,
    )
        .into_response()
}

/// Like `axum::Json`, but a body that does not parse is answered with the path of the field
/// at fault (`errors[0].field`), unknown fields included.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        if !is_json {
            return Err(
                AppError::field("body", "send JSON with `Content-Type: application/json`").into(),
            );
        }
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|_| {
                AppError::field(
                    "body",
                    format!("must be at most {} bytes", super::MAX_BODY_BYTES),
                )
            })?;
        let mut de = serde_json::Deserializer::from_slice(&bytes);
        let value = serde_path_to_error::deserialize(&mut de).map_err(|err| {
            // serde_path_to_error writes the root as "." and an unknown position as "?".
            let path = Some(err.path().to_string()).filter(|p| p != "." && p != "?");
            let inner = err.into_inner();
            let message = inner.to_string();
            // The path already ends at an unknown field; a missing one is named only in the text.
            let field = match (missing_field(&message), path) {
                (Some(f), Some(p)) => format!("{p}.{f}"),
                (Some(f), None) => f,
                (None, Some(p)) => p,
                (None, None) => "body".to_owned(),
            };
            AppError::field(&field, strip_position(&message))
        })?;
        Ok(ApiJson(value))
    }
}

/// serde names a missing field only in its message: "missing field `x`".
fn missing_field(message: &str) -> Option<String> {
    let rest = message.strip_prefix("missing field `")?;
    rest.split('`').next().map(str::to_owned)
}

fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

/// Like `axum::extract::Path`, but a malformed id is answered as problem+json naming it.
pub struct ApiPath<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> axum::extract::FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(ApiPath(value)),
            Err(rejection) => Err(AppError::field("path", rejection.body_text()).into()),
        }
    }
}
