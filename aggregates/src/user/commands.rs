//! What can be asked of a `User`.

use uuid::Uuid;

use super::types::{FactorProof, LoginFailureReason, LoginMethod, Preferences, RegistrationMethod, RevocationReason, Role};
use crate::common::{Sealed, Timestamp};
use crate::settings::types::{LockoutPolicy, PasswordPolicy, SignupPolicy};

/// A new password, hashed by the caller (argon2id is CPU work done off the runtime) and sealed
/// under the user's data key; the length is in characters, so the domain can apply the policy
/// without seeing the password.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword {
    /// The argon2id PHC string (`$argon2id$v=19$…`), sealed: what gets stored.
    pub hash: Sealed,
    /// Length of the plaintext in characters, the unit the password policy counts in.
    pub length: usize,
}

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "NewPassword({} chars)", self.length)
    }
}

/// Requests to a user. Each carries the clock reading and policy snapshots its decision needs.
#[derive(Debug, Clone, PartialEq)]
pub enum UserCommand {
    /// Create the account.
    Register {
        /// Chosen by the caller (UUID v7); also the aggregate id.
        user_id: Uuid,
        /// As typed; normalised and checked here.
        email: String,
        /// As typed; lower-cased and checked here.
        username: String,
        /// Defaults to the username when absent or blank.
        display_name: Option<String>,
        /// Required unless the account is provisioned by SSO.
        password: Option<NewPassword>,
        /// Role asked for (only honoured for admin-created accounts; the first user is always admin).
        role: Role,
        /// Decides the role granted, whether `signup` applies and whether a password is required.
        method: RegistrationMethod,
        /// Signup policy in force; binds self-signup only, and never the first user.
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
        /// As typed; normalised like at registration. The current address records nothing.
        email: String,
    },
    /// Change the username.
    ChangeUsername {
        /// As typed; lower-cased like at registration. The current username records nothing.
        username: String,
    },
    /// Change the display name.
    ChangeDisplayName {
        /// Trimmed; 1–100 characters without control characters.
        display_name: String,
    },
    /// Change the role.
    ChangeRole {
        /// The role wanted; the current role records nothing.
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
        /// Hashed by the caller; its length is checked against `policy`.
        new: NewPassword,
        /// Password policy in force.
        policy: PasswordPolicy,
        /// The session to keep; every other session is revoked.
        keep_session: Option<Uuid>,
    },
    /// An admin sets a new password; every session is revoked.
    ResetPassword {
        /// Hashed by the caller; its length is checked against `policy`.
        new: NewPassword,
        /// Password policy in force.
        policy: PasswordPolicy,
    },
    /// Record a failed login; locks the account once the policy's threshold is reached.
    RecordLoginFailure {
        /// Credential that was tried.
        method: LoginMethod,
        /// Why it failed; becomes `Locked` while the account is locked.
        reason: LoginFailureReason,
        /// Lockout policy in force.
        lockout: LockoutPolicy,
        /// Clock reading; the lockout window ends here.
        at: Timestamp,
    },
    /// A login succeeded: start a session.
    StartSession {
        /// Chosen by the caller (UUID v7); names the session from now on.
        session_id: Uuid,
        /// Credential the login used.
        method: LoginMethod,
        /// SHA-256 (hex) of the first refresh token; the token itself never reaches the domain.
        refresh_token_hash: String,
        /// End of the session at the latest.
        expires_at: Timestamp,
        /// Clock reading.
        at: Timestamp,
    },
    /// Rotate a session's refresh token. A presented token that is not the current one means a
    /// rotated token was replayed: the session is revoked instead (RFC 9700 §4.14.2).
    RefreshSession {
        /// The session the token belongs to.
        session_id: Uuid,
        /// SHA-256 (hex) of the token presented, compared in constant time.
        presented_hash: String,
        /// SHA-256 (hex) of the token that replaces it.
        new_hash: String,
        /// New end of the session at the latest.
        expires_at: Timestamp,
        /// Clock reading; a session whose end is not after it is expired instead.
        at: Timestamp,
    },
    /// End one session.
    RevokeSession {
        /// Must be live; an ended session is not found.
        session_id: Uuid,
        /// Kept in the event for the audit log.
        reason: RevocationReason,
    },
    /// End every session except, optionally, one.
    RevokeAllSessions {
        /// Session to keep, usually the caller's own.
        except: Option<Uuid>,
        /// Kept in the event for the audit log.
        reason: RevocationReason,
    },
    /// Record that a session ran out.
    ExpireSession {
        /// Must be live; an ended session is not found.
        session_id: Uuid,
        /// Clock reading; a session that has not run out by then records nothing.
        at: Timestamp,
    },
    /// An admin lifts a lockout.
    Unlock {
        /// Clock reading; a lock that already ran out is refused as not locked.
        at: Timestamp,
    },
    /// Replace the preferences; the same preferences record nothing.
    ChangePreferences(Preferences),
    /// Delete the account (its data key is destroyed by the caller: crypto-shredding).
    Delete {
        /// Active admins right now, this user included.
        active_admins: u64,
        /// Clock reading.
        at: Timestamp,
    },
    /// Begin enrolling an authenticator app: its secret is kept pending until a code confirms it
    /// (a second start replaces a pending secret, never an enabled one).
    StartTotpEnrolment {
        /// The caller's session, which must have stepped up in the last five minutes: a stolen
        /// session must not be able to put a factor of its own on the account.
        session_id: Uuid,
        /// A fresh 160-bit secret, sealed under the user's data key.
        secret: Sealed,
        /// Clock reading.
        at: Timestamp,
    },
    /// Confirm the pending authenticator app with a code that matched `step`, and issue the
    /// first set of recovery codes with it.
    ConfirmTotp {
        /// The caller's session, which must have stepped up in the last five minutes.
        session_id: Uuid,
        /// The pending secret the code was checked against: if another enrolment replaced it
        /// meanwhile, this one is refused rather than enabling a secret the app does not hold.
        secret: Sealed,
        /// RFC 6238 time step the code matched.
        step: u64,
        /// The new recovery codes' keyed hashes, sealed.
        recovery_hashes: Sealed,
        /// How many codes the set has.
        recovery_count: u8,
        /// Clock reading.
        at: Timestamp,
    },
    /// Remove the authenticator app: needs a recent step-up on `session_id` and a current code
    /// or a recovery code.
    DisableTotp {
        /// The caller's session, which must have stepped up in the last five minutes.
        session_id: Uuid,
        /// A code from the app, or a recovery code.
        proof: FactorProof,
        /// Clock reading.
        at: Timestamp,
    },
    /// Replace the recovery codes (the old set stops working); needs a recent step-up.
    RegenerateRecoveryCodes {
        /// The caller's session, which must have stepped up in the last five minutes.
        session_id: Uuid,
        /// The new codes' keyed hashes, sealed.
        hashes: Sealed,
        /// How many codes the set has.
        count: u8,
        /// Clock reading.
        at: Timestamp,
    },
    /// Add a passkey after a WebAuthn registration ceremony that the caller verified. A passkey
    /// signs in on its own, so adding one needs a recent step-up: a stolen session must not be
    /// able to plant a lasting way in.
    RegisterPasskey {
        /// The caller's session, which must have stepped up in the last five minutes.
        session_id: Uuid,
        /// The credential id (base64url); unique per account.
        credential_id: String,
        /// The owner's name for it; trimmed, 1–64 characters.
        name: String,
        /// The credential as the WebAuthn library stores it, as JSON.
        credential: String,
        /// The sign counter the authenticator reported.
        counter: u32,
        /// Clock reading.
        at: Timestamp,
    },
    /// Rename a passkey.
    RenamePasskey {
        /// Which passkey.
        credential_id: String,
        /// Trimmed, 1–64 characters.
        name: String,
    },
    /// Remove a passkey; needs a recent step-up.
    RemovePasskey {
        /// The caller's session, which must have stepped up in the last five minutes.
        session_id: Uuid,
        /// Which passkey.
        credential_id: String,
        /// Clock reading.
        at: Timestamp,
    },
    /// The password was right and the account has a second factor: remember a challenge that
    /// completing the sign-in must present (its hash only).
    IssueSecondFactorChallenge {
        /// SHA-256 (hex) of the challenge token given to the client.
        challenge_hash: String,
        /// At most five minutes after `at`.
        expires_at: Timestamp,
        /// Clock reading.
        at: Timestamp,
    },
    /// Complete a sign-in whose password passed with a second factor: spends the challenge and
    /// the proof, and starts the session.
    CompleteSecondFactor {
        /// SHA-256 (hex) of the challenge token presented.
        challenge_hash: String,
        /// The second factor.
        proof: FactorProof,
        /// New session id.
        session_id: Uuid,
        /// SHA-256 (hex) of the first refresh token.
        refresh_token_hash: String,
        /// End of the session at the latest.
        expires_at: Timestamp,
        /// Clock reading.
        at: Timestamp,
    },
    /// Sign in with a passkey alone (a discoverable credential that verified the user).
    SignInWithPasskey {
        /// The credential id (base64url).
        credential_id: String,
        /// The credential after the assertion, as JSON.
        credential: String,
        /// The sign counter the authenticator reported.
        counter: u32,
        /// New session id.
        session_id: Uuid,
        /// SHA-256 (hex) of the first refresh token.
        refresh_token_hash: String,
        /// End of the session at the latest.
        expires_at: Timestamp,
        /// Clock reading.
        at: Timestamp,
    },
    /// The holder of a session proved who they are again (step-up), with their password or a
    /// passkey (whose updated credential comes along).
    Reauthenticate {
        /// The session that stepped up.
        session_id: Uuid,
        /// `password` or `passkey`.
        method: LoginMethod,
        /// For a passkey: the credential id, the credential after the assertion and its sign
        /// counter.
        passkey: Option<(String, String, u32)>,
        /// Clock reading.
        at: Timestamp,
    },
    /// An admin removes every second factor of the account and ends its sessions.
    ResetSecondFactors {
        /// Clock reading.
        at: Timestamp,
    },
}
