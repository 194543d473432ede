//! What can be asked of a `User`.

use uuid::Uuid;

use super::{LoginFailureReason, LoginMethod, Preferences, RegistrationMethod, RevocationReason, Role};
use crate::Timestamp;
use crate::settings::{LockoutPolicy, PasswordPolicy, SignupPolicy};

/// A new password, hashed by the caller (argon2id is CPU work done off the runtime); the length
/// is in characters, so the domain can apply the policy without seeing the password.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword {
    /// The argon2id PHC string.
    pub phc: String,
    /// Length of the plaintext in characters.
    pub length: usize,
}

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "NewPassword({} chars)", self.length)
    }
}

/// Commands on a user.
#[derive(Debug, Clone, PartialEq)]
pub enum UserCommand {
    /// Create the account.
    Register {
        /// New id (UUID v7).
        user_id: Uuid,
        /// Email address.
        email: String,
        /// Username.
        username: String,
        /// Display name (defaults to the username).
        display_name: Option<String>,
        /// The password, if the method needs one.
        password: Option<NewPassword>,
        /// Role asked for (only honoured for admin-created accounts; the first user is always admin).
        role: Role,
        /// How the account is created.
        method: RegistrationMethod,
        /// The signup policy in force.
        signup: SignupPolicy,
        /// The password policy in force.
        password_policy: PasswordPolicy,
        /// How many accounts exist already (0 = this is the first, who becomes admin).
        existing_users: u64,
        /// Clock reading.
        at: Timestamp,
    },
    /// Change the email address.
    ChangeEmail {
        /// New address.
        email: String,
    },
    /// Change the username.
    ChangeUsername {
        /// New username.
        username: String,
    },
    /// Change the display name.
    ChangeDisplayName {
        /// New name.
        display_name: String,
    },
    /// Change the role.
    ChangeRole {
        /// New role.
        role: Role,
        /// Active (enabled, not deleted) admins right now, this user included.
        active_admins: u64,
    },
    /// Disable the account, ending its sessions.
    Disable {
        /// Active admins right now, this user included.
        active_admins: u64,
    },
    /// Enable a disabled account.
    Enable,
    /// The user changes their own password (the caller verified the current one).
    ChangePassword {
        /// The new password.
        new: NewPassword,
        /// Policy in force.
        policy: PasswordPolicy,
        /// The session to keep; every other session is revoked.
        keep_session: Option<Uuid>,
    },
    /// An admin sets a new password; every session is revoked.
    ResetPassword {
        /// The new password.
        new: NewPassword,
        /// Policy in force.
        policy: PasswordPolicy,
    },
    /// Record a failed login; locks the account once the policy's threshold is reached.
    RecordLoginFailure {
        /// Method tried.
        method: LoginMethod,
        /// Why it failed.
        reason: LoginFailureReason,
        /// Lockout policy in force.
        lockout: LockoutPolicy,
        /// Clock reading.
        at: Timestamp,
    },
    /// A login succeeded: start a session.
    StartSession {
        /// New session id.
        session_id: Uuid,
        /// Method used.
        method: LoginMethod,
        /// SHA-256 (hex) of the first refresh token.
        refresh_token_hash: String,
        /// End of the session at the latest.
        expires_at: Timestamp,
        /// Clock reading.
        at: Timestamp,
    },
    /// Rotate a session's refresh token. A presented token that is not the current one means a
    /// rotated token was replayed: the session is revoked instead (RFC 9700 §4.14.2).
    RefreshSession {
        /// Session id.
        session_id: Uuid,
        /// SHA-256 (hex) of the token presented.
        presented_hash: String,
        /// SHA-256 (hex) of the new token.
        new_hash: String,
        /// New end of the session.
        expires_at: Timestamp,
        /// Clock reading.
        at: Timestamp,
    },
    /// End one session.
    RevokeSession {
        /// Session id.
        session_id: Uuid,
        /// Why.
        reason: RevocationReason,
    },
    /// End every session except, optionally, one.
    RevokeAllSessions {
        /// Session to keep.
        except: Option<Uuid>,
        /// Why.
        reason: RevocationReason,
    },
    /// Record that a session ran out.
    ExpireSession {
        /// Session id.
        session_id: Uuid,
        /// Clock reading.
        at: Timestamp,
    },
    /// An admin lifts a lockout.
    Unlock {
        /// Clock reading.
        at: Timestamp,
    },
    /// Change preferences.
    ChangePreferences(Preferences),
    /// Delete the account (its data key is destroyed by the caller: crypto-shredding).
    Delete {
        /// Active admins right now, this user included.
        active_admins: u64,
        /// Clock reading.
        at: Timestamp,
    },
}
