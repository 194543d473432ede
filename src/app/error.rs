//! The application layer's errors: what the write path reports ([`CommandError`]) and what a use
//! case reports ([`AppError`]). Each carries a stable code and a message meant for the client;
//! details meant for the log travel separately (`Unavailable`/`Internal`).

use aggregates::ErrorKind;

use crate::crypto::CryptoError;

/// Why a command did not take effect.
#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    /// The domain refused it.
    #[error("{message}")]
    Rejected {
        /// Stable code.
        code: &'static str,
        /// User-facing message.
        message: String,
        /// Field concerned.
        field: Option<&'static str>,
        /// Class (decides the HTTP status).
        kind: ErrorKind,
    },
    /// A unique value (email, username) is taken.
    #[error("{kind} is already taken")]
    Duplicate {
        /// Which value.
        kind: &'static str,
    },
    /// A registration took the first-user path but another account now exists (retry it).
    #[error("another account was registered first; try again")]
    NotFirstUser,
    /// Still conflicting after the bounded retries.
    #[error("the object was changed concurrently; try again")]
    Conflict,
    /// The database is unreachable.
    #[error("the database is unavailable")]
    Unavailable(String),
    /// Anything else (logged in detail, reported generically).
    #[error("internal error")]
    Internal(String),
}

impl CommandError {
    /// The domain's refusal `e`, with its code, message, field and class.
    pub fn from_domain<E: aggregates::DomainError>(e: &E) -> Self {
        Self::Rejected { code: e.code(), message: e.to_string(), field: e.field(), kind: e.kind() }
    }
}

/// Why a use case did not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Refused: bad input, a missing object, a policy or the current state says no.
    #[error("{message}")]
    Refused {
        /// Class (decides the HTTP status).
        kind: ErrorKind,
        /// Stable `snake_case` code.
        code: &'static str,
        /// User-facing message.
        message: String,
        /// The request field at fault.
        field: Option<&'static str>,
    },
    /// Too many attempts in the current window.
    #[error("too many attempts; try again in {retry_after} s")]
    RateLimited {
        /// Seconds until the window ends.
        retry_after: i64,
    },
    /// The database is unreachable (the detail is for the log).
    #[error("the database is unavailable")]
    Unavailable(String),
    /// The connection in use was lost mid-statement (e.g. the database restarted): as
    /// `Unavailable`, but a request that only reads may be tried once more.
    #[error("the database connection was lost")]
    Disconnected(String),
    /// A bug or corrupt data (the detail is for the log).
    #[error("internal error")]
    Internal(String),
}

impl AppError {
    /// A refusal of the given class.
    pub fn refused(kind: ErrorKind, code: &'static str, message: impl Into<String>) -> Self {
        Self::Refused { kind, code, message: message.into(), field: None }
    }

    /// A bad value in `field` (`invalid_field`).
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        Self::Refused { kind: ErrorKind::Invalid, code: "invalid_field", message: message.into(), field: Some(field) }
    }

    /// The object does not exist for this caller (also another user's object).
    pub fn not_found(code: &'static str) -> Self {
        Self::refused(ErrorKind::NotFound, code, "not found")
    }

    /// Credentials or tokens are not valid.
    pub fn unauthorized(code: &'static str, message: impl Into<String>) -> Self {
        Self::refused(ErrorKind::Unauthorized, code, message)
    }

    /// A policy or the caller's role forbids it.
    pub fn forbidden(code: &'static str, message: impl Into<String>) -> Self {
        Self::refused(ErrorKind::Forbidden, code, message)
    }

    /// Names the request field at fault.
    #[must_use]
    pub fn field(mut self, name: &'static str) -> Self {
        if let Self::Refused { field, .. } = &mut self {
            *field = Some(name);
        }
        self
    }

    /// A bug or corrupt data; `detail` goes to the log only.
    pub fn internal(detail: impl std::fmt::Display) -> Self {
        Self::Internal(detail.to_string())
    }
}

impl From<CommandError> for AppError {
    fn from(e: CommandError) -> Self {
        match e {
            CommandError::Rejected { code, message, field, kind } => Self::Refused { kind, code, message, field },
            CommandError::Duplicate { kind } => {
                let code = match kind {
                    "email" => "email_taken",
                    "username" => "username_taken",
                    "passkey" => "passkey_exists",
                    _ => "duplicate",
                };
                Self::Refused { kind: ErrorKind::Conflict, code, message: format!("this {kind} is already taken"), field: Some(kind) }
            }
            CommandError::NotFirstUser | CommandError::Conflict => {
                Self::refused(ErrorKind::Conflict, "conflict", "the object was changed at the same time; try again")
            }
            CommandError::Unavailable(d) => Self::Unavailable(d),
            CommandError::Internal(d) => Self::Internal(d),
        }
    }
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        if crate::db::is_disconnect(&e) {
            Self::Disconnected(e.to_string())
        } else if crate::db::is_connection_error(&e) {
            Self::Unavailable(e.to_string())
        } else {
            Self::Internal(e.to_string())
        }
    }
}

impl From<projections::read::ReadError> for AppError {
    fn from(e: projections::read::ReadError) -> Self {
        match e {
            projections::read::ReadError::Db(e) => e.into(),
            corrupt @ projections::read::ReadError::Corrupt { .. } => Self::Internal(corrupt.to_string()),
        }
    }
}

impl From<CryptoError> for AppError {
    fn from(e: CryptoError) -> Self {
        match e {
            CryptoError::Db(e) => e.into(),
            other => Self::Internal(other.to_string()),
        }
    }
}

impl From<crate::password::PasswordError> for AppError {
    fn from(e: crate::password::PasswordError) -> Self {
        Self::Internal(e.to_string())
    }
}
