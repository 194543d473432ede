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
    /// `RemoveSmtp` or `RemoveOidc` with nothing configured.
    #[error("not configured")]
    NotConfigured,
}

impl DomainError for SettingsError {
    fn code(&self) -> &'static str {
        match self {
            Self::Invalid { .. } => "invalid_setting",
            Self::NotConfigured => "not_configured",
        }
    }
    fn field(&self) -> Option<&'static str> {
        match self {
            Self::Invalid { field, .. } => Some(field),
            Self::NotConfigured => None,
        }
    }
    fn kind(&self) -> ErrorKind {
        match self {
            Self::Invalid { .. } => ErrorKind::Invalid,
            Self::NotConfigured => ErrorKind::Conflict,
        }
    }
}
