//! Why a `Settings` command was refused.

use crate::domain::{DomainError, ErrorKind};

/// Why a settings command was refused. `code()` is part of the API contract: codes never change.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettingsError {
    /// A value is out of range; `field` names it.
    #[error("{field}: {message}")]
    Invalid {
        /// The offending field (`snake_case`, dotted for nesting).
        field: &'static str,
        /// What is wrong, for the user.
        message: &'static str,
    },
    /// The session would end before its first access token: a rule between two values.
    #[error("refresh_ttl_seconds: must not be shorter than the access-token lifetime")]
    SessionLifetimesInverted,
    /// The password policy's minimum would exceed its maximum: a rule between two values.
    #[error("min_length: must not exceed max_length")]
    PasswordLengthsInverted,
    /// `RemoveSmtp` or `RemoveOidc` with nothing configured.
    #[error("not configured")]
    NotConfigured,
}

impl DomainError for SettingsError {
    fn code(&self) -> &'static str {
        match self {
            Self::Invalid { .. } => "invalid_setting",
            Self::SessionLifetimesInverted => "session_lifetimes_inverted",
            Self::PasswordLengthsInverted => "password_lengths_inverted",
            Self::NotConfigured => "not_configured",
        }
    }
    fn field(&self) -> Option<&'static str> {
        match self {
            Self::Invalid { field, .. } => Some(field),
            Self::SessionLifetimesInverted => Some("refresh_ttl_seconds"),
            Self::PasswordLengthsInverted => Some("min_length"),
            Self::NotConfigured => None,
        }
    }
    fn kind(&self) -> ErrorKind {
        match self {
            Self::Invalid { .. } | Self::SessionLifetimesInverted | Self::PasswordLengthsInverted => ErrorKind::Invalid,
            Self::NotConfigured => ErrorKind::Conflict,
        }
    }
}
