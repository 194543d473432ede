//! What happened to a `User`: the facts that are stored.

use cqrs_es::DomainEvent;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{LoginFailureReason, LoginMethod, Preferences, RegistrationMethod, RevocationReason, Role};
use crate::{EVENT_VERSION_1, Timestamp};

/// Facts about a user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum UserEvent {
    /// The account was created.
    UserRegistered {
        /// Id.
        user_id: Uuid,
        /// Normalised email.
        email: String,
        /// Normalised username.
        username: String,
        /// Display name.
        display_name: String,
        /// Role.
        role: Role,
        /// argon2id PHC string (a hash, never the password).
        password_hash: Option<String>,
        /// How.
        method: RegistrationMethod,
        /// When.
        at: Timestamp,
    },
    /// The email address changed.
    UserEmailChanged {
        /// New address.
        email: String,
    },
    /// The username changed.
    UserUsernameChanged {
        /// New username.
        username: String,
    },
    /// The display name changed.
    UserDisplayNameChanged {
        /// New name.
        display_name: String,
    },
    /// The role changed.
    UserRoleChanged {
        /// Before.
        from: Role,
        /// After.
        to: Role,
    },
    /// An admin disabled the account.
    UserDisabled,
    /// An admin enabled the account.
    UserEnabled,
    /// The user changed their password.
    PasswordChanged {
        /// New argon2id PHC string.
        password_hash: String,
    },
    /// An admin reset the password.
    PasswordResetByAdmin {
        /// New argon2id PHC string.
        password_hash: String,
    },
    /// A login succeeded.
    LoginSucceeded {
        /// Method.
        method: LoginMethod,
        /// When.
        at: Timestamp,
    },
    /// A login failed.
    LoginFailed {
        /// Method.
        method: LoginMethod,
        /// Why.
        reason: LoginFailureReason,
        /// Failures inside the lockout window, this one included.
        failures_in_window: u32,
        /// When.
        at: Timestamp,
    },
    /// Too many failures locked the account.
    AccountLocked {
        /// Until when.
        until: Timestamp,
        /// Failures that caused it.
        failures: u32,
    },
    /// An admin lifted the lock.
    AccountUnlocked,
    /// A session began.
    SessionStarted {
        /// Session id.
        session_id: Uuid,
        /// Method.
        method: LoginMethod,
        /// SHA-256 (hex) of the refresh token.
        refresh_token_hash: String,
        /// End at the latest.
        expires_at: Timestamp,
        /// When.
        at: Timestamp,
    },
    /// A session's refresh token rotated.
    SessionRefreshed {
        /// Session id.
        session_id: Uuid,
        /// SHA-256 (hex) of the new refresh token.
        refresh_token_hash: String,
        /// New end.
        expires_at: Timestamp,
        /// When.
        at: Timestamp,
    },
    /// A session was ended early.
    SessionRevoked {
        /// Session id.
        session_id: Uuid,
        /// Why.
        reason: RevocationReason,
    },
    /// A session ran out.
    SessionExpired {
        /// Session id.
        session_id: Uuid,
    },
    /// Preferences changed.
    PreferencesChanged(Preferences),
    /// The account was deleted and its data key destroyed.
    UserDeleted {
        /// When.
        at: Timestamp,
    },
}

impl DomainEvent for UserEvent {
    fn event_type(&self) -> String {
        match self {
            Self::UserRegistered { .. } => "UserRegistered",
            Self::UserEmailChanged { .. } => "UserEmailChanged",
            Self::UserUsernameChanged { .. } => "UserUsernameChanged",
            Self::UserDisplayNameChanged { .. } => "UserDisplayNameChanged",
            Self::UserRoleChanged { .. } => "UserRoleChanged",
            Self::UserDisabled => "UserDisabled",
            Self::UserEnabled => "UserEnabled",
            Self::PasswordChanged { .. } => "PasswordChanged",
            Self::PasswordResetByAdmin { .. } => "PasswordResetByAdmin",
            Self::LoginSucceeded { .. } => "LoginSucceeded",
            Self::LoginFailed { .. } => "LoginFailed",
            Self::AccountLocked { .. } => "AccountLocked",
            Self::AccountUnlocked => "AccountUnlocked",
            Self::SessionStarted { .. } => "SessionStarted",
            Self::SessionRefreshed { .. } => "SessionRefreshed",
            Self::SessionRevoked { .. } => "SessionRevoked",
            Self::SessionExpired { .. } => "SessionExpired",
            Self::PreferencesChanged(_) => "PreferencesChanged",
            Self::UserDeleted { .. } => "UserDeleted",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        EVENT_VERSION_1.to_owned()
    }
}
