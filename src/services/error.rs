use crate::domain::FieldError;
use crate::storage::StoreError;

/// What a use case can answer instead of a result. Converted once at each surface: a
/// problem+json body for the API, a toast or a field message for the UI, an exit code for
/// the CLI.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Not there, or not visible to this person (another workspace's ids land here too, so
    /// their existence is not revealed).
    #[error("not found")]
    NotFound,
    /// No valid session or token, or wrong credentials; the text says which, for people.
    #[error("{0}")]
    Unauthenticated(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("some fields are invalid")]
    Validation(Vec<FieldError>),
    /// An upload (or a field of one) over its limit, each named with the limit.
    #[error("too large")]
    TooLarge(Vec<FieldError>),
    #[error("{0}")]
    Conflict(String),
    #[error("{message}")]
    TooManyRequests { message: String, retry_after_s: i64 },
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

impl AppError {
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        AppError::Validation(vec![FieldError {
            field: field.to_owned(),
            message: message.into(),
        }])
    }

    pub fn too_large(field: &str, message: impl Into<String>) -> Self {
        AppError::TooLarge(vec![FieldError {
            field: field.to_owned(),
            message: message.into(),
        }])
    }

    pub fn login_required() -> Self {
        AppError::Unauthenticated("You need to log in.".into())
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        AppError::Forbidden(message.into())
    }

    /// The same error with field `from` called `to` (one rule behind two request shapes).
    pub fn renamed(self, from: &str, to: &str) -> Self {
        match self {
            AppError::Validation(mut errors) => {
                for e in &mut errors {
                    if e.field == from {
                        e.field = to.to_owned();
                    }
                }
                AppError::Validation(errors)
            }
            other => other,
        }
    }
}

impl From<Vec<FieldError>> for AppError {
    fn from(errors: Vec<FieldError>) -> Self {
        AppError::Validation(errors)
    }
}

impl From<StoreError> for AppError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Conflict(what) => AppError::Conflict(format!("already exists ({what})")),
            other => AppError::Internal(other.into()),
        }
    }
}

impl From<tokio::task::JoinError> for AppError {
    fn from(err: tokio::task::JoinError) -> Self {
        AppError::Internal(err.into())
    }
}
