//! Form plumbing: field errors beside their fields, and extractors whose rejections become
//! UI errors instead of plain-text 400s.

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use super::UiError;
use crate::domain::FieldError;
use crate::services::AppError;

/// The field errors of one form, looked up by field name in templates.
#[derive(Clone, Debug, Default)]
pub struct Errors(pub Vec<FieldError>);

impl Errors {
    /// The message for `field`, joined when there are several.
    pub fn get(&self, field: &str) -> Option<String> {
        let messages: Vec<&str> = self
            .0
            .iter()
            .filter(|e| e.field == field)
            .map(|e| e.message.as_str())
            .collect();
        (!messages.is_empty()).then(|| messages.join("; "))
    }

    pub fn add(&mut self, field: &str, message: &str) {
        self.0.push(FieldError {
            field: field.to_owned(),
            message: message.to_owned(),
        });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Splits a service error: validation problems go back to the form, the rest goes up.
    pub fn from_app(err: AppError) -> Result<Errors, UiError> {
        match err {
            AppError::Validation(fields) => Ok(Errors(fields)),
            other => Err(other.into()),
        }
    }
}

/// A urlencoded form. Form structs use `#[serde(default)]`, so a missing field is empty and
/// the service names it; anything unreadable is a validation error, not a bare 400.
pub struct UiForm<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for UiForm<T> {
    type Rejection = UiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Form::<T>::from_request(req, state).await {
            Ok(axum::Form(value)) => Ok(UiForm(value)),
            Err(e) => Err(AppError::field("form", e.body_text()).into()),
        }
    }
}

/// Path parameters; a malformed id is simply a page that does not exist.
pub struct UiPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for UiPath<T> {
    type Rejection = UiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(UiPath(value)),
            Err(_) => Err(AppError::NotFound.into()),
        }
    }
}
