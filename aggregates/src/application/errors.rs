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
    /// Issuer and label would both be empty (a rule over two fields and, on update, the stored ones).
    #[error("label: issuer or label is required")]
    NameRequired,
    /// Steam fixes its code length (5) and hash (SHA1); `field` names the one given otherwise.
    #[error("{field}: {message}")]
    SteamParametersFixed {
        /// `digits` or `algorithm`.
        field: &'static str,
        /// What Steam requires.
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
            Self::NameRequired => "issuer_or_label_required",
            Self::SteamParametersFixed { .. } => "steam_parameters_fixed",
            Self::NotHotp => "not_hotp",
            Self::CounterExhausted => "counter_exhausted",
            Self::Trashed => "application_trashed",
            Self::NotTrashed => "application_not_trashed",
        }
    }
    fn field(&self) -> Option<&'static str> {
        match self {
            Self::InvalidField { field, .. } | Self::SteamParametersFixed { field, .. } => Some(field),
            Self::NameRequired => Some("label"),
            _ => None,
        }
    }
    fn kind(&self) -> ErrorKind {
        match self {
            Self::NotFound => ErrorKind::NotFound,
            Self::InvalidField { .. } | Self::NameRequired | Self::SteamParametersFixed { .. } => ErrorKind::Invalid,
            Self::AlreadyExists | Self::NotHotp | Self::CounterExhausted | Self::Trashed | Self::NotTrashed => ErrorKind::Conflict,
        }
    }
}
