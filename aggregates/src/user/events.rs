//! What happened to a `User`: the facts that are stored.

use cqrs_es::DomainEvent;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::types::{LoginFailureReason, LoginMethod, PasswordHash, Preferences, RegistrationMethod, RevocationReason, Role, SecondFactorMethod};
use crate::common::{Sealed, Timestamp};
use crate::domain::EVENT_VERSION_1;

/// The version of the events that carry a password hash since it is sealed (1.0 held it in clear).
pub const PASSWORD_HASH_SEALED_VERSION: &str = "2.0";

/// The events whose 1.0 form held the password hash in clear.
pub const PASSWORD_HASH_EVENTS: [&str; 3] = ["UserRegistered", "PasswordChanged", "PasswordResetByAdmin"];

/// Facts about a user. Stored as JSON and replayed for ever: variants and fields are never
/// renamed, and a changed shape needs a new event version and an upcaster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum UserEvent {
    /// The account was created.
    UserRegistered {
        /// Also the aggregate id.
        user_id: Uuid,
        /// Trimmed and lower-cased.
        email: String,
        /// Lower-cased, so that logins are case-insensitive.
        username: String,
        /// Trimmed; the username when none was given.
        display_name: String,
        /// Role granted: admin for the first user, whatever was asked.
        role: Role,
        /// argon2id PHC string (a hash, never the password); sealed since 2.0.
        password_hash: Option<PasswordHash>,
        /// How the account came to be; only SSO-provisioned accounts may lack a password.
        method: RegistrationMethod,
        /// Clock reading from the command.
        at: Timestamp,
    },
    /// The email address changed.
    UserEmailChanged {
        /// Normalised like at registration.
        email: String,
    },
    /// The username changed.
    UserUsernameChanged {
        /// Lower-cased like at registration.
        username: String,
    },
    /// The display name changed.
    UserDisplayNameChanged {
        /// Trimmed.
        display_name: String,
    },
    /// The role changed.
    UserRoleChanged {
        /// The previous role: not needed for the state, kept for readers of the history.
        from: Role,
        /// The role from now on.
        to: Role,
    },
    /// An admin disabled the account.
    UserDisabled,
    /// An admin enabled the account.
    UserEnabled,
    /// The user changed their password.
    PasswordChanged {
        /// New argon2id PHC string; sealed since 2.0.
        password_hash: PasswordHash,
    },
    /// An admin reset the password.
    PasswordResetByAdmin {
        /// New argon2id PHC string; sealed since 2.0.
        password_hash: PasswordHash,
    },
    /// A login succeeded; this clears the failures counted towards a lockout.
    LoginSucceeded {
        /// Credential used.
        method: LoginMethod,
        /// Clock reading from the command.
        at: Timestamp,
    },
    /// A login failed.
    LoginFailed {
        /// Credential tried.
        method: LoginMethod,
        /// `Locked` for every failure during a lock, whatever the caller said.
        reason: LoginFailureReason,
        /// Failures inside the lockout window, this one included; 0 while locked, as those do not count.
        failures_in_window: u32,
        /// Kept in the state, where the sliding lockout window needs it.
        at: Timestamp,
    },
    /// Too many failures locked the account.
    AccountLocked {
        /// Logins are refused before this instant; a lock that ran out needs no unlock.
        until: Timestamp,
        /// Failures in the window that triggered it.
        failures: u32,
    },
    /// An admin lifted the lock.
    AccountUnlocked,
    /// A session began.
    SessionStarted {
        /// Chosen by the caller; names the session from now on.
        session_id: Uuid,
        /// Credential the login used.
        method: LoginMethod,
        /// SHA-256 (hex) of the first refresh token.
        refresh_token_hash: String,
        /// End of the session at the latest, unless a refresh moves it.
        expires_at: Timestamp,
        /// Clock reading from the command.
        at: Timestamp,
    },
    /// A session's refresh token rotated.
    SessionRefreshed {
        /// The session whose token rotated.
        session_id: Uuid,
        /// SHA-256 (hex) of the new refresh token; the previous one is now a reuse signal.
        refresh_token_hash: String,
        /// New end of the session at the latest.
        expires_at: Timestamp,
        /// Clock reading from the command.
        at: Timestamp,
    },
    /// A session was ended early.
    SessionRevoked {
        /// Dropped from the state; later commands on it find no session.
        session_id: Uuid,
        /// `RefreshTokenReused` here means a token was probably stolen.
        reason: RevocationReason,
    },
    /// A session ran out.
    SessionExpired {
        /// Dropped from the state; later commands on it find no session.
        session_id: Uuid,
    },
    /// The preferences were replaced as a whole.
    PreferencesChanged(Preferences),
    /// The account was deleted and its data key destroyed.
    UserDeleted {
        /// Clock reading from the command.
        at: Timestamp,
    },
    /// An authenticator app's secret was issued; it counts once a code confirms it.
    TotpEnrolmentStarted {
        /// The 160-bit secret, sealed under the user's data key.
        secret: Sealed,
    },
    /// A code confirmed the authenticator app: sign-ins now ask for a second factor.
    TotpEnabled {
        /// The time step of the confirming code (it cannot be used again).
        step: u64,
        /// Clock reading from the command.
        at: Timestamp,
    },
    /// An authenticator-app code was accepted (sign-in or removal); its step cannot be reused.
    TotpCodeAccepted {
        /// RFC 6238 time step.
        step: u64,
    },
    /// The authenticator app was removed.
    TotpDisabled {
        /// Clock reading from the command.
        at: Timestamp,
    },
    /// A new set of recovery codes replaced any earlier one.
    RecoveryCodesGenerated {
        /// JSON array of the codes' keyed hashes, sealed under the user's data key.
        hashes: Sealed,
        /// How many codes the set has.
        count: u8,
        /// Clock reading from the command.
        at: Timestamp,
    },
    /// A recovery code was used; it cannot be used again.
    RecoveryCodeUsed {
        /// Its index in the set.
        index: u8,
        /// Codes left after this one.
        remaining: u8,
        /// Clock reading from the command.
        at: Timestamp,
    },
    /// The recovery codes were dropped (no second factor is left for them to stand in for).
    RecoveryCodesDiscarded,
    /// A passkey was registered.
    PasskeyRegistered {
        /// The credential id (base64url).
        credential_id: String,
        /// The owner's name for it.
        name: String,
        /// The credential (public key, sign counter, backup flags) as the WebAuthn library
        /// stores it, as JSON; nothing in it is secret.
        credential: String,
        /// The sign counter at registration (absent, so 0, in events written before the
        /// domain tracked counters: the first use then sets it).
        #[serde(default)]
        counter: u32,
        /// Clock reading from the command.
        at: Timestamp,
    },
    /// A passkey was renamed.
    PasskeyRenamed {
        /// The credential id.
        credential_id: String,
        /// The new name.
        name: String,
    },
    /// A passkey signed in or stepped up; its stored sign counter and backup state moved on.
    PasskeyUsed {
        /// The credential id.
        credential_id: String,
        /// The credential after the assertion, as JSON.
        credential: String,
        /// The assertion's sign counter (absent, so 0, in events written before the domain
        /// tracked counters).
        #[serde(default)]
        counter: u32,
        /// Clock reading from the command.
        at: Timestamp,
    },
    /// A passkey was removed.
    PasskeyRemoved {
        /// The credential id.
        credential_id: String,
        /// Clock reading from the command.
        at: Timestamp,
    },
    /// The password of a sign-in passed and the account has a second factor: the sign-in waits
    /// for it under this challenge.
    SecondFactorChallengeIssued {
        /// SHA-256 (hex) of the challenge token; the token itself is never stored.
        challenge_hash: String,
        /// When the challenge stops working.
        expires_at: Timestamp,
        /// Clock reading from the command.
        at: Timestamp,
    },
    /// A challenge was spent by a completed sign-in.
    SecondFactorChallengeConsumed {
        /// SHA-256 (hex) of the challenge token.
        challenge_hash: String,
    },
    /// A second factor was proved for a sign-in.
    SecondFactorPassed {
        /// Which factor.
        method: SecondFactorMethod,
        /// Clock reading from the command.
        at: Timestamp,
    },
    /// The holder of a session proved who they are again (step-up).
    SessionReauthenticated {
        /// The session.
        session_id: Uuid,
        /// `password` or `passkey`.
        method: LoginMethod,
        /// Clock reading from the command; sensitive actions work for five minutes after it.
        at: Timestamp,
    },
    /// An admin removed every second factor of the account (its sessions end with it).
    SecondFactorsReset {
        /// Clock reading from the command.
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
            Self::TotpEnrolmentStarted { .. } => "TotpEnrolmentStarted",
            Self::TotpEnabled { .. } => "TotpEnabled",
            Self::TotpCodeAccepted { .. } => "TotpCodeAccepted",
            Self::TotpDisabled { .. } => "TotpDisabled",
            Self::RecoveryCodesGenerated { .. } => "RecoveryCodesGenerated",
            Self::RecoveryCodeUsed { .. } => "RecoveryCodeUsed",
            Self::RecoveryCodesDiscarded => "RecoveryCodesDiscarded",
            Self::PasskeyRegistered { .. } => "PasskeyRegistered",
            Self::PasskeyRenamed { .. } => "PasskeyRenamed",
            Self::PasskeyUsed { .. } => "PasskeyUsed",
            Self::PasskeyRemoved { .. } => "PasskeyRemoved",
            Self::SecondFactorChallengeIssued { .. } => "SecondFactorChallengeIssued",
            Self::SecondFactorChallengeConsumed { .. } => "SecondFactorChallengeConsumed",
            Self::SecondFactorPassed { .. } => "SecondFactorPassed",
            Self::SessionReauthenticated { .. } => "SessionReauthenticated",
            Self::SecondFactorsReset { .. } => "SecondFactorsReset",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        match self {
            Self::UserRegistered { .. } | Self::PasswordChanged { .. } | Self::PasswordResetByAdmin { .. } => PASSWORD_HASH_SEALED_VERSION.to_owned(),
            _ => EVENT_VERSION_1.to_owned(),
        }
    }
}
