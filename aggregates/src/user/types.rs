//! Value types of the `User` aggregate, shared by its commands, events and the read models.

use serde::{Deserialize, Serialize};

use crate::common::{Sealed, Timestamp};
use crate::wire::wire_names;

/// What a user may do. The first user is always an admin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Role {
    /// Manages users and settings and reads the audit log; one active admin must always remain.
    Admin,
    /// Keeps a vault; what self-signup and SSO provisioning grant.
    #[default]
    User,
    /// Keeps a vault and reads the audit log, but manages nothing.
    Auditor,
}

wire_names!(Role { Admin => "admin", User => "user", Auditor => "auditor" });

/// How the account came to be; decides which role is granted and whether a password is needed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegistrationMethod {
    /// The person signed up, subject to the signup policy unless they are the first user.
    SelfSignup,
    /// An admin (or the CLI) created it: the only method whose requested role is honoured.
    AdminCreated,
    /// A first single-sign-on login created it: the only method that may come without a password.
    OidcProvisioned,
}

wire_names!(RegistrationMethod { SelfSignup => "self_signup", AdminCreated => "admin_created", OidcProvisioned => "oidc_provisioned" });

/// Which credential a login used, recorded on success and failure for the audit log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum LoginMethod {
    /// Password (plus any second factor).
    Password,
    /// A passkey (WebAuthn).
    Passkey,
    /// Single sign-on through the configured OpenID Connect provider.
    Oidc,
}

wire_names!(LoginMethod { Password => "password", Passkey => "passkey", Oidc => "oidc" });

/// Why a login failed. The caller tells, except that any failure during a lock becomes `Locked`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LoginFailureReason {
    /// The password did not match the stored hash.
    BadPassword,
    /// The second-factor code was wrong or had been used already.
    BadSecondFactor,
    /// The account was locked; such failures neither count towards nor extend the lock.
    Locked,
    /// An admin disabled the account.
    Disabled,
}

wire_names!(LoginFailureReason { BadPassword => "bad_password", BadSecondFactor => "bad_second_factor", Locked => "locked", Disabled => "disabled" });

/// Why a session ended before it expired.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RevocationReason {
    /// The user logged out of this session.
    Logout,
    /// The user ended it from their list of sessions.
    RevokedByUser,
    /// An admin ended it.
    RevokedByAdmin,
    /// The password was changed (the session that did it may stay) or reset by an admin.
    PasswordChanged,
    /// A rotated refresh token was presented again, a sign of token theft (RFC 9700 §4.14.2).
    RefreshTokenReused,
    /// Disabling an account ends every one of its sessions.
    AccountDisabled,
}

wire_names!(RevocationReason { Logout => "logout", RevokedByUser => "revoked_by_user", RevokedByAdmin => "revoked_by_admin", PasswordChanged => "password_changed", RefreshTokenReused => "refresh_token_reused", AccountDisabled => "account_disabled" });

/// The themes the web UI offers.
pub const THEMES: [&str; 3] = ["light", "dark", "auto"];
/// How the web UI may group a code's digits.
pub const CODE_FORMATS: [&str; 4] = ["none", "pairs", "halves", "triplets"];
/// Longest idle time before the UI locks, in minutes (a day).
pub const MAX_AUTO_LOCK_MINUTES: u32 = 1440;
/// Longest time a copied code stays on the clipboard, in seconds.
pub const MAX_CLIPBOARD_CLEAR_SECONDS: u32 = 600;

/// How the web UI shows the vault; the ranges are checked by `UserCommand::ChangePreferences`.
// Plain strings rather than enums in the stored events, so that the UI can gain a theme without
// an event upcaster; the API document still lists the values accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Preferences {
    /// `light`, `dark` or `auto` (follow the system setting).
    #[cfg_attr(feature = "openapi", schema(schema_with = openapi::themes))]
    pub theme: String,
    /// How codes are grouped: `none`, `pairs`, `halves` (e.g. `123 456`) or `triplets`.
    #[cfg_attr(feature = "openapi", schema(schema_with = openapi::code_formats))]
    pub code_format: String,
    /// Lock the UI after this many idle minutes (0 = never, at most 1440).
    #[cfg_attr(feature = "openapi", schema(maximum = 1440))]
    pub auto_lock_minutes: u32,
    /// Seconds after which a copied code is cleared from the clipboard (0 = never, at most 600).
    #[cfg_attr(feature = "openapi", schema(maximum = 600))]
    pub clipboard_clear_seconds: u32,
}

impl Default for Preferences {
    fn default() -> Self {
        Self { theme: "auto".into(), code_format: "halves".into(), auto_lock_minutes: 10, clipboard_clear_seconds: 30 }
    }
}

/// What the aggregate keeps of a live session: enough to rotate its refresh token, end it, and
/// tell whether its holder proved who they are recently (step-up).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionState {
    /// SHA-256 (hex) of the current refresh token; the token itself is never stored.
    pub refresh_token_hash: String,
    /// When the session ends at the latest; each refresh sets it anew.
    pub expires_at: Timestamp,
    /// The last step-up (password or passkey) within this session; sensitive commands need one
    /// from the last [`STEP_UP_SECONDS`]. (Absent in snapshots written before step-up existed.)
    #[serde(default)]
    pub reauthenticated_at: Option<Timestamp>,
    /// Hashes of this session's earlier, rotated refresh tokens (oldest first, at most
    /// [`ROTATED_TOKENS_KEPT`]): presenting one of them is reuse, a sign of theft, while a token
    /// never issued for the session is merely invalid. Rebuilt from `SessionRefreshed` events.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rotated_hashes: Vec<String>,
}

/// How many rotated refresh-token hashes a session remembers. With 15-minute access tokens an
/// active browser rotates about four times an hour, so this spans a working day; an older token
/// presented again is refused as invalid without ending the session.
pub const ROTATED_TOKENS_KEPT: usize = 32;

/// How long a step-up re-authentication lets sensitive actions through.
pub const STEP_UP_SECONDS: i64 = 300;

/// A password hash as an event holds it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum PasswordHash {
    /// The argon2id PHC string in clear, as events before 2.0 held it (upcast, never rewritten).
    Plain(String),
    /// The argon2id PHC string sealed under the user's data key: deleting the user leaves it
    /// unreadable, with the rest of their credentials.
    Sealed(Sealed),
}

impl PasswordHash {
    /// The stored text: the PHC string, or the sealed envelope (which [`Sealed::new`] tells apart).
    pub fn stored(&self) -> &str {
        match self {
            Self::Plain(phc) => phc,
            Self::Sealed(sealed) => sealed.as_str(),
        }
    }
}

impl std::fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Plain(_) => "PasswordHash::Plain(…)",
            Self::Sealed(_) => "PasswordHash::Sealed(…)",
        })
    }
}
/// How long a sign-in may wait for its second factor after the password passed (≤ 5 minutes).
pub const CHALLENGE_SECONDS: i64 = 300;
/// Recovery codes per set.
pub const RECOVERY_CODES: u8 = 10;
/// Passkeys one account may register.
pub const MAX_PASSKEYS: usize = 20;

/// A second factor, as a sign-in challenge offers it and events record its use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum SecondFactorMethod {
    /// A code from an authenticator app (RFC 6238).
    Totp,
    /// One of the single-use recovery codes.
    Recovery,
    /// A passkey or security key (WebAuthn).
    Webauthn,
}

wire_names!(SecondFactorMethod { Totp => "totp", Recovery => "recovery", Webauthn => "webauthn" });

/// An authenticator app's secret: pending until a first code confirms the user copied it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TotpFactor {
    /// The 160-bit secret, sealed under the user's data key (opened only to check a code).
    pub secret: Sealed,
    /// Confirmed with a code: from then on sign-ins ask for one.
    pub confirmed: bool,
    /// The last time step a code was accepted for: a code is good once (RFC 6238 §5.2).
    pub last_step: Option<u64>,
}

/// The current set of recovery codes: only their keyed hashes, sealed together, and which of
/// them were spent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecoveryCodes {
    /// JSON array of the codes' hashes, sealed under the user's data key.
    pub hashes: Sealed,
    /// How many codes the set has.
    pub count: u8,
    /// Indexes of the codes already used (each works once).
    pub used: std::collections::BTreeSet<u8>,
}

impl RecoveryCodes {
    /// Codes still usable.
    pub fn left(&self) -> u8 {
        self.count.saturating_sub(u8::try_from(self.used.len()).unwrap_or(u8::MAX))
    }
}

/// A registered passkey.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasskeyFactor {
    /// The owner's name for it ("laptop", "phone").
    pub name: String,
    /// The credential as the WebAuthn library stores it (public key, sign counter, backup
    /// flags), as JSON: opaque to the domain.
    pub credential: String,
    /// When it was registered.
    pub registered_at: Timestamp,
    /// When it last signed in or stepped up.
    pub last_used_at: Option<Timestamp>,
    /// The highest sign counter seen (WebAuthn L3 §6.1.1); 0 while the authenticator keeps none.
    #[serde(default)]
    pub counter: u32,
}

/// Proof of a second factor. Checking a code needs the opened secret, which the domain never
/// sees: the caller checks it and names what matched; the domain decides whether that may be
/// used now (a step not used before, a recovery code not spent, a registered passkey).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FactorProof {
    /// An authenticator-app code that matched this time step.
    Totp {
        /// RFC 6238 time step (Unix time / period).
        step: u64,
    },
    /// The recovery code at this index of the current set.
    Recovery {
        /// Index in the sealed list of hashes.
        index: u8,
    },
    /// A WebAuthn assertion verified against this passkey.
    Passkey {
        /// The credential id (base64url).
        credential_id: String,
        /// The credential after the assertion (new sign counter, backup state), as JSON.
        credential: String,
        /// The assertion's sign counter (0 for authenticators that keep none).
        counter: u32,
    },
}

impl FactorProof {
    /// The method this proof uses.
    pub fn method(&self) -> SecondFactorMethod {
        match self {
            Self::Totp { .. } => SecondFactorMethod::Totp,
            Self::Recovery { .. } => SecondFactorMethod::Recovery,
            Self::Passkey { .. } => SecondFactorMethod::Webauthn,
        }
    }
}

/// The document schemas of the string fields that accept only listed values.
#[cfg(feature = "openapi")]
mod openapi {
    use utoipa::openapi::schema::{ObjectBuilder, Type};

    fn one_of(description: &str, values: &[&str]) -> utoipa::openapi::Object {
        ObjectBuilder::new().schema_type(Type::String).enum_values(Some(values.iter().copied())).description(Some(description)).build()
    }

    pub(super) fn themes() -> utoipa::openapi::Object {
        one_of("`light`, `dark` or `auto` (follow the system setting).", &crate::user::types::THEMES)
    }

    pub(super) fn code_formats() -> utoipa::openapi::Object {
        one_of("How codes are grouped: `none`, `pairs`, `halves` (e.g. `123 456`) or `triplets`.", &crate::user::types::CODE_FORMATS)
    }
}
