//! Value types of the `User` aggregate, shared by its commands, events and the read models.

use serde::{Deserialize, Serialize};

use crate::Timestamp;
use crate::wire::wire_names;

/// What a user may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Role {
    /// Manages users, settings and reads the audit log.
    Admin,
    /// Keeps a vault.
    #[default]
    User,
    /// Keeps a vault and reads the audit log (read-only).
    Auditor,
}

wire_names!(Role { Admin => "admin", User => "user", Auditor => "auditor" });

/// How the account came to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegistrationMethod {
    /// The person signed up.
    SelfSignup,
    /// An admin (or the CLI) created it.
    AdminCreated,
    /// First single-sign-on login provisioned it.
    OidcProvisioned,
}

wire_names!(RegistrationMethod { SelfSignup => "self_signup", AdminCreated => "admin_created", OidcProvisioned => "oidc_provisioned" });

/// How a login was attempted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum LoginMethod {
    /// Password (plus any second factor).
    Password,
    /// Passkey.
    Passkey,
    /// Single sign-on.
    Oidc,
}

wire_names!(LoginMethod { Password => "password", Passkey => "passkey", Oidc => "oidc" });

/// Why a login failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LoginFailureReason {
    /// Wrong password.
    BadPassword,
    /// Wrong or replayed second factor.
    BadSecondFactor,
    /// The account is locked.
    Locked,
    /// The account is disabled.
    Disabled,
}

wire_names!(LoginFailureReason { BadPassword => "bad_password", BadSecondFactor => "bad_second_factor", Locked => "locked", Disabled => "disabled" });

/// Why a session ended early.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RevocationReason {
    /// The user logged out.
    Logout,
    /// The user revoked it from their session list.
    RevokedByUser,
    /// An admin revoked it.
    RevokedByAdmin,
    /// The password changed.
    PasswordChanged,
    /// A rotated refresh token was presented again (token theft signal).
    RefreshTokenReused,
    /// The account was disabled.
    AccountDisabled,
}

wire_names!(RevocationReason { Logout => "logout", RevokedByUser => "revoked_by_user", RevokedByAdmin => "revoked_by_admin", PasswordChanged => "password_changed", RefreshTokenReused => "refresh_token_reused", AccountDisabled => "account_disabled" });

/// Display preferences.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Preferences {
    /// `light`, `dark` or `auto`.
    pub theme: String,
    /// How codes are grouped: `none`, `pairs`, `halves` (e.g. `123 456`).
    pub code_format: String,
    /// Lock the UI after this many idle minutes (0 = never).
    pub auto_lock_minutes: u32,
    /// Seconds after which a copied code is cleared from the clipboard (0 = never).
    pub clipboard_clear_seconds: u32,
}

impl Default for Preferences {
    fn default() -> Self {
        Self { theme: "auto".into(), code_format: "halves".into(), auto_lock_minutes: 10, clipboard_clear_seconds: 30 }
    }
}

/// The state of one live session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionState {
    /// SHA-256 (hex) of the current refresh token.
    pub refresh_token_hash: String,
    /// When the session ends at the latest.
    pub expires_at: Timestamp,
}
