//! What went wrong when talking to a network, classified the way the publishing engine acts
//! on it (DESIGN.md, "Publishing"): only `RateLimited` and `Transient` are retried.
//! Connectors classify on HTTP status and the network's error codes, never on message text
//! (Mastodon localises its messages); the message is kept for people to read.

use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ConnectorError {
    /// Too many requests; `retry_at_ms` is when the network says the window resets.
    #[error("rate limited by the network{}", until(*.retry_at_ms))]
    RateLimited { retry_at_ms: Option<i64> },
    /// The token is expired, revoked or invalid: the channel must be reconnected (or its
    /// token refreshed).
    #[error("the network refused the credentials: {message}")]
    AuthExpired { message: String },
    /// The network refused the request for good (duplicate, too long, bad media...); its
    /// own words are in `message`, its code (when it has one) in `code`.
    #[error("the network refused it: {message}")]
    Rejected {
        message: String,
        code: Option<String>,
    },
    /// The network could not be reached, timed out or failed (5xx): worth another try.
    #[error("the network is unavailable: {message}")]
    Transient { message: String },
    /// The request may or may not have taken effect (the answer was lost after sending).
    #[error("it is not known whether the network took it: {message}")]
    OutcomeUnknown { message: String },
    /// The answer was not what this network sends (an HTML error page, another kind of
    /// server): the address is probably wrong.
    #[error("{message}")]
    BadAnswer { message: String },
    /// The address is refused before any request (SSRF guard) or malformed.
    #[error("{message}")]
    BadAddress { message: String },
    /// This network (or this account) cannot do it.
    #[error("{what} is not possible on this network")]
    Unsupported { what: String },
}

fn until(at: Option<i64>) -> String {
    at.and_then(|ms| jiff::Timestamp::from_millisecond(ms).ok())
        .map(|t| format!(" until {}", t.strftime("%Y-%m-%d %H:%M:%S UTC")))
        .unwrap_or_default()
}

impl ConnectorError {
    pub fn rejected(message: impl Into<String>, code: Option<String>) -> Self {
        ConnectorError::Rejected {
            message: message.into(),
            code,
        }
    }

    pub fn auth(message: impl Into<String>) -> Self {
        ConnectorError::AuthExpired {
            message: message.into(),
        }
    }

    pub fn transient(message: impl Into<String>) -> Self {
        ConnectorError::Transient {
            message: message.into(),
        }
    }

    pub fn bad_answer(message: impl Into<String>) -> Self {
        ConnectorError::BadAnswer {
            message: message.into(),
        }
    }

    pub fn unsupported(what: impl Into<String>) -> Self {
        ConnectorError::Unsupported { what: what.into() }
    }

    /// Whether the publishing engine may try again (later).
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            ConnectorError::RateLimited { .. } | ConnectorError::Transient { .. }
        )
    }

    /// A stable name for logs, metrics and the API.
    pub fn kind(&self) -> &'static str {
        match self {
            ConnectorError::RateLimited { .. } => "rate_limited",
            ConnectorError::AuthExpired { .. } => "auth_expired",
            ConnectorError::Rejected { .. } => "rejected",
            ConnectorError::Transient { .. } => "transient",
            ConnectorError::OutcomeUnknown { .. } => "outcome_unknown",
            ConnectorError::BadAnswer { .. } => "bad_answer",
            ConnectorError::BadAddress { .. } => "bad_address",
            ConnectorError::Unsupported { .. } => "unsupported",
        }
    }
}

pub type ConnectorResult<T> = Result<T, ConnectorError>;
