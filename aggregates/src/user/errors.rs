//! Why a `User` command was refused.

use crate::common::Timestamp;
use crate::domain::{DomainError, ErrorKind};

/// Why a user command was refused. `code()` is part of the API contract: codes never change.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UserError {
    /// No such user, or a deleted one.
    #[error("user not found")]
    NotFound,
    /// Register on an existing aggregate.
    #[error("user already exists")]
    AlreadyRegistered,
    /// Fails the pragmatic address check of `normalize_email`.
    #[error("invalid email address")]
    InvalidEmail,
    /// Not 3–32 characters of `a-z 0-9 . _ -` starting with a letter or digit.
    #[error("username must be 3–32 characters: letters, digits, '.', '_' or '-'")]
    InvalidUsername,
    /// Empty, over 100 characters, or with control characters.
    #[error("display name must be at most 100 characters without control characters")]
    InvalidDisplayName,
    /// Self-signup while the signup mode is `Closed`.
    #[error("sign-up is closed")]
    SignupClosed,
    /// Self-signup while the signup mode is `Invite`.
    #[error("sign-up requires an invitation")]
    SignupInviteOnly,
    /// Self-signup from a domain outside the policy's allowed domains.
    #[error("this email domain may not sign up")]
    EmailDomainNotAllowed,
    /// No password given; only SSO-provisioned accounts may lack one.
    #[error("a password is required")]
    PasswordRequired,
    /// Too short for the policy.
    #[error("password must be at least {min} characters")]
    PasswordTooShort {
        /// The policy's minimum, in characters.
        min: u32,
    },
    /// Too long for the policy.
    #[error("password must be at most {max} characters")]
    PasswordTooLong {
        /// The policy's maximum, in characters.
        max: u32,
    },
    /// Would leave no active admin, and so nobody able to manage the instance.
    #[error("the last active admin cannot be demoted, disabled or deleted")]
    LastAdmin,
    /// `Disable` on a disabled account.
    #[error("account is already disabled")]
    AlreadyDisabled,
    /// `Enable` on an account that is not disabled.
    #[error("account is not disabled")]
    NotDisabled,
    /// Starting or refreshing a session of a disabled account.
    #[error("account is disabled")]
    AccountDisabled,
    /// Starting a session during a lockout.
    #[error("account is locked until {until}")]
    AccountLocked {
        /// When the lock ends.
        until: Timestamp,
    },
    /// Unlock on an unlocked account.
    #[error("account is not locked")]
    NotLocked,
    /// No such live session: ended sessions are dropped from the state.
    #[error("session not found")]
    SessionNotFound,
    /// A refresh token that was never issued for the session (neither its current nor a rotated one).
    #[error("the refresh token is not valid")]
    RefreshTokenInvalid,
    /// The session ran out. The aggregate never refuses with it (it records
    /// `UserEvent::SessionExpired`); it gives callers the shared code.
    #[error("session expired")]
    SessionExpired,
    /// A preference is outside its allowed values.
    #[error("invalid preference: {field}")]
    InvalidPreference {
        /// The `Preferences` field at fault.
        field: &'static str,
    },
    /// Enrolling an authenticator app while one is enabled (remove it first).
    #[error("an authenticator app is already enabled")]
    TotpAlreadyEnabled,
    /// Confirming an authenticator app nobody started enrolling.
    #[error("no authenticator app enrolment is pending; start one first")]
    TotpNotPending,
    /// Removing (or proving with) an authenticator app the account does not have.
    #[error("no authenticator app is enabled")]
    TotpNotEnabled,
    /// A second factor that is not good now: a code already used in its time step, a spent
    /// recovery code, a passkey that is not this account's.
    #[error("the second factor is not valid")]
    SecondFactorInvalid,
    /// A sign-in challenge that does not exist, ran out or was already spent.
    #[error("the sign-in challenge is not valid or has expired; sign in again")]
    ChallengeInvalid,
    /// Recovery codes for an account without a second factor to stand in for.
    #[error("the account has no second factor")]
    NoSecondFactor,
    /// A sensitive action without a step-up in the last five minutes.
    #[error("confirm your password (or a passkey) first; this needs a recent proof of who you are")]
    ReauthenticationRequired,
    /// No such passkey on this account.
    #[error("passkey not found")]
    PasskeyNotFound,
    /// The passkey is registered already.
    #[error("this passkey is registered already")]
    PasskeyExists,
    /// The account has [`super::types::MAX_PASSKEYS`] passkeys already.
    #[error("an account may have at most 20 passkeys")]
    TooManyPasskeys,
    /// Empty, over 64 characters, or with control characters.
    #[error("a passkey name must be 1–64 characters without control characters")]
    InvalidPasskeyName,
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
            Self::RefreshTokenInvalid => "invalid_refresh_token",
            Self::SessionExpired => "session_expired",
            Self::InvalidPreference { .. } => "invalid_preference",
            Self::TotpAlreadyEnabled => "totp_already_enabled",
            Self::TotpNotPending => "totp_not_pending",
            Self::TotpNotEnabled => "totp_not_enabled",
            Self::SecondFactorInvalid => "second_factor_invalid",
            Self::ChallengeInvalid => "challenge_invalid",
            Self::NoSecondFactor => "no_second_factor",
            Self::ReauthenticationRequired => "reauthentication_required",
            Self::PasskeyNotFound => "passkey_not_found",
            Self::PasskeyExists => "passkey_exists",
            Self::TooManyPasskeys => "too_many_passkeys",
            Self::InvalidPasskeyName => "invalid_passkey_name",
        }
    }

    fn field(&self) -> Option<&'static str> {
        match self {
            Self::InvalidEmail | Self::EmailDomainNotAllowed => Some("email"),
            Self::InvalidUsername => Some("username"),
            Self::InvalidDisplayName => Some("display_name"),
            Self::PasswordRequired | Self::PasswordTooShort { .. } | Self::PasswordTooLong { .. } => Some("password"),
            Self::InvalidPreference { field } => Some(field),
            Self::InvalidPasskeyName => Some("name"),
            _ => None,
        }
    }

    fn kind(&self) -> ErrorKind {
        match self {
            Self::NotFound | Self::SessionNotFound | Self::PasskeyNotFound => ErrorKind::NotFound,
            Self::AlreadyRegistered
            | Self::LastAdmin
            | Self::AlreadyDisabled
            | Self::NotDisabled
            | Self::NotLocked
            | Self::TotpAlreadyEnabled
            | Self::TotpNotPending
            | Self::TotpNotEnabled
            | Self::NoSecondFactor
            | Self::PasskeyExists
            | Self::TooManyPasskeys => ErrorKind::Conflict,
            Self::SignupClosed | Self::SignupInviteOnly | Self::EmailDomainNotAllowed | Self::AccountDisabled | Self::ReauthenticationRequired => {
                ErrorKind::Forbidden
            }
            Self::AccountLocked { .. } => ErrorKind::Locked,
            Self::SessionExpired | Self::RefreshTokenInvalid | Self::SecondFactorInvalid | Self::ChallengeInvalid => ErrorKind::Unauthorized,
            Self::InvalidEmail
            | Self::InvalidUsername
            | Self::InvalidDisplayName
            | Self::PasswordRequired
            | Self::PasswordTooShort { .. }
            | Self::PasswordTooLong { .. }
            | Self::InvalidPreference { .. }
            | Self::InvalidPasskeyName => ErrorKind::Invalid,
        }
    }
}
