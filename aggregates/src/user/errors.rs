//! Why a `User` command was refused.

use crate::{DomainError, ErrorKind, Timestamp};

/// Why a user command was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UserError {
    /// No such user (or deleted).
    #[error("user not found")]
    NotFound,
    /// Register on an existing aggregate.
    #[error("user already exists")]
    AlreadyRegistered,
    /// Bad email.
    #[error("invalid email address")]
    InvalidEmail,
    /// Bad username.
    #[error("username must be 3–32 characters: letters, digits, '.', '_' or '-'")]
    InvalidUsername,
    /// Bad display name.
    #[error("display name must be at most 100 characters without control characters")]
    InvalidDisplayName,
    /// Self-signup is closed.
    #[error("sign-up is closed")]
    SignupClosed,
    /// Self-signup needs an invitation.
    #[error("sign-up requires an invitation")]
    SignupInviteOnly,
    /// Email domain not allowed for self-signup.
    #[error("this email domain may not sign up")]
    EmailDomainNotAllowed,
    /// A password is required.
    #[error("a password is required")]
    PasswordRequired,
    /// Too short for the policy.
    #[error("password must be at least {min} characters")]
    PasswordTooShort {
        /// Policy minimum.
        min: u32,
    },
    /// Too long for the policy.
    #[error("password must be at most {max} characters")]
    PasswordTooLong {
        /// Policy maximum.
        max: u32,
    },
    /// Would leave no active admin.
    #[error("the last active admin cannot be demoted, disabled or deleted")]
    LastAdmin,
    /// Already disabled.
    #[error("account is already disabled")]
    AlreadyDisabled,
    /// Not disabled.
    #[error("account is not disabled")]
    NotDisabled,
    /// The account is disabled.
    #[error("account is disabled")]
    AccountDisabled,
    /// The account is locked.
    #[error("account is locked until {until}")]
    AccountLocked {
        /// Until when.
        until: Timestamp,
    },
    /// Unlock on an unlocked account.
    #[error("account is not locked")]
    NotLocked,
    /// No such live session.
    #[error("session not found")]
    SessionNotFound,
    /// The session ran out.
    #[error("session expired")]
    SessionExpired,
    /// A preference is out of range.
    #[error("invalid preference: {field}")]
    InvalidPreference {
        /// Which one.
        field: &'static str,
    },
}

impl DomainError for UserError {
    fn code(&self) -> &'static str {
        match self {
            Self::NotFound => "user_not_found",
            Self::AlreadyRegistered => "user_exists",
            Self::InvalidEmail => "invalid_email",
            Self::InvalidUsername => "invalid_username",
            Self::InvalidDisplayName => "invalid_display_name",
            Self::SignupClosed => "signup_closed",
            Self::SignupInviteOnly => "signup_invite_only",
            Self::EmailDomainNotAllowed => "email_domain_not_allowed",
            Self::PasswordRequired => "password_required",
            Self::PasswordTooShort { .. } => "password_too_short",
            Self::PasswordTooLong { .. } => "password_too_long",
            Self::LastAdmin => "last_admin",
            Self::AlreadyDisabled => "already_disabled",
            Self::NotDisabled => "not_disabled",
            Self::AccountDisabled => "account_disabled",
            Self::AccountLocked { .. } => "account_locked",
            Self::NotLocked => "not_locked",
            Self::SessionNotFound => "session_not_found",
            Self::SessionExpired => "session_expired",
            Self::InvalidPreference { .. } => "invalid_preference",
        }
    }

    fn field(&self) -> Option<&'static str> {
        match self {
            Self::InvalidEmail | Self::EmailDomainNotAllowed => Some("email"),
            Self::InvalidUsername => Some("username"),
            Self::InvalidDisplayName => Some("display_name"),
            Self::PasswordRequired | Self::PasswordTooShort { .. } | Self::PasswordTooLong { .. } => Some("password"),
            Self::InvalidPreference { field } => Some(field),
            _ => None,
        }
    }

    fn kind(&self) -> ErrorKind {
        match self {
            Self::NotFound | Self::SessionNotFound => ErrorKind::NotFound,
            Self::AlreadyRegistered | Self::LastAdmin | Self::AlreadyDisabled | Self::NotDisabled | Self::NotLocked => ErrorKind::Conflict,
            Self::SignupClosed | Self::SignupInviteOnly | Self::EmailDomainNotAllowed | Self::AccountDisabled => ErrorKind::Forbidden,
            Self::AccountLocked { .. } => ErrorKind::Locked,
            Self::SessionExpired => ErrorKind::Unauthorized,
            Self::InvalidEmail
            | Self::InvalidUsername
            | Self::InvalidDisplayName
            | Self::PasswordRequired
            | Self::PasswordTooShort { .. }
            | Self::PasswordTooLong { .. }
            | Self::InvalidPreference { .. } => ErrorKind::Invalid,
        }
    }
}
