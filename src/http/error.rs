//! The one mapping from every error to HTTP: a status and `{"error":{"code","message","field"?}}`.
//! The user-facing message is separate from what is logged; bad input is never a 500.

use aggregates::ErrorKind;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::app::AppError;
use crate::views::errors::{ErrorBody, ErrorDetail};

/// An error answer.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Stable `snake_case` code.
    pub code: &'static str,
    /// User-facing message.
    pub message: String,
    /// The request field concerned.
    pub field: Option<&'static str>,
    /// Seconds to wait (`Retry-After`), for 429.
    pub retry_after: Option<i64>,
    /// The database connection was lost mid-request: a read-only request may be retried once.
    pub retry_read: bool,
}

/// Response extension marking an answer that a read-only request may retry once (see
/// [`ApiError::retry_read`]).
#[derive(Debug, Clone, Copy)]
pub struct RetryableRead;

impl ApiError {
    /// An error with a status, code and message.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self { status, code, message: message.into(), field: None, retry_after: None, retry_read: false }
    }

    /// 401: not signed in, or the credentials/token are not valid.
    pub fn unauthorized(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, code, message)
    }

    /// 500, logging the detail and telling the client nothing about it.
    pub fn internal(detail: impl std::fmt::Display) -> Self {
        tracing::error!(error = %detail, "internal error");
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal_error", "something went wrong; the details are in the server log")
    }

    /// 503 when the database is down.
    pub fn unavailable(detail: impl std::fmt::Display) -> Self {
        tracing::error!(error = %detail, "database unavailable");
        Self::new(StatusCode::SERVICE_UNAVAILABLE, "database_unavailable", "the database is unavailable; try again shortly")
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody { error: ErrorDetail { code: self.code.to_owned(), message: self.message, field: self.field.map(str::to_owned) } };
        let mut res = (self.status, Json(body)).into_response();
        if self.retry_read {
            res.extensions_mut().insert(RetryableRead);
        }
        if let Some(seconds) = self.retry_after
            && let Ok(v) = axum::http::HeaderValue::from_str(&seconds.to_string())
        {
            res.headers_mut().insert(axum::http::header::RETRY_AFTER, v);
        }
        res
    }
}

/// The status for each class of refusal.
pub fn status_of(kind: ErrorKind) -> StatusCode {
    match kind {
        ErrorKind::Invalid => StatusCode::BAD_REQUEST,
        ErrorKind::NotFound => StatusCode::NOT_FOUND,
        ErrorKind::Conflict => StatusCode::CONFLICT,
        ErrorKind::Forbidden => StatusCode::FORBIDDEN,
        ErrorKind::Locked => StatusCode::LOCKED,
        ErrorKind::Unauthorized => StatusCode::UNAUTHORIZED,
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        match e {
            AppError::Refused { kind, code, message, field } => Self { status: status_of(kind), code, message, field, retry_after: None, retry_read: false },
            AppError::RateLimited { retry_after } => Self {
                retry_after: Some(retry_after.max(1)),
                ..Self::new(StatusCode::TOO_MANY_REQUESTS, "rate_limited", format!("too many attempts; try again in {retry_after} s"))
            },
            AppError::Unavailable(detail) => Self::unavailable(detail),
            AppError::Disconnected(detail) => Self { retry_read: true, ..Self::unavailable(detail) },
            AppError::Internal(detail) => Self::internal(detail),
        }
    }
}
