//! Why an `Application` command was refused.

use crate::domain::{DomainError, ErrorKind};

/// Why an application command was refused. `code()` is part of the API contract: codes never change.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApplicationError {
    /// Unknown, purged, or owned by someone else: other vaults' contents are never confirmed.
    #[error("application not found")]
    NotFound,
    /// Create on an existing id.
    #[error("application already exists")]
    AlreadyExists,
    /// A field is invalid; the message is meant for the user.
    #[error("{field}: {message}")]
    InvalidField {
        /// The request field at fault.
        field: &'static str,
        /// What is wrong, e.g. `must be 6, 7 or 8`.
        message: &'static str,
    },
    /// HOTP-only operation on a time-based application.
    #[error("only HOTP applications have a counter")]
    NotHotp,
    /// The counter is at `MAX_COUNTER` and cannot move further.
    #[error("HOTP counter is exhausted")]
    CounterExhausted,
    /// The operation needs the application out of the trash.
    #[error("application is in the trash")]
    Trashed,
    /// Restore on an application that is not in the trash.
    #[error("application is not in the trash")]
    NotTrashed,
}

impl DomainError for ApplicationError {
    fn code(&self) -> &'static str {
        match self {
            Self::NotFound => "application_not_found",
            Self::AlreadyExists => "application_exists",
            Self::InvalidField { .. } => "invalid_field",
            Self::NotHotp => "not_hotp",
            Self::CounterExhausted => "counter_exhausted",
            Self::Trashed => "application_trashed",
            Self::NotTrashed => "application_not_trashed",
        }
    }
    fn field(&self) -> Option<&'static str> {
        match self {
            Self::InvalidField { field, .. } => Some(field),
            _ => None,
        }
    }
    fn kind(&self) -> ErrorKind {
        match self {
            Self::NotFound => ErrorKind::NotFound,
            Self::InvalidField { .. } => ErrorKind::Invalid,
            Self::AlreadyExists | Self::NotHotp | Self::CounterExhausted | Self::Trashed | Self::NotTrashed => ErrorKind::Conflict,
        }
    }
}
