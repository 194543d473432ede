//! Accounts as the API shows them (never a password hash).

use aggregates::user::{Preferences, Role};
use serde::Serialize;
use utoipa::ToSchema;

/// A user as the API shows it (never the password hash).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UserView {
    /// User id.
    #[schema(format = "uuid")]
    pub id: String,
    /// Lower-case: addresses are compared case-insensitively.
    pub email: String,
    /// Lower-case: sign-in names are compared case-insensitively.
    pub username: String,
    /// Free text shown in the UI (the username when none was given).
    pub display_name: String,
    /// What the account may do.
    pub role: Role,
    /// A disabled account cannot sign in and its sessions stop working.
    pub disabled: bool,
    /// Locked by too many failed sign-ins until then (may lie in the past: the lock has lapsed).
    #[schema(required = true, format = DateTime)]
    pub locked_until: Option<String>,
    /// Display preferences the UI applies.
    pub preferences: Preferences,
    /// Creation time.
    #[schema(format = DateTime)]
    pub created_at: String,
    /// Time of the last change to the account's profile or state.
    #[schema(format = DateTime)]
    pub updated_at: String,
    /// Last successful sign-in.
    #[schema(required = true, format = DateTime)]
    pub last_login_at: Option<String>,
    /// What protects the account besides its password.
    pub second_factors: SecondFactorSummary,
}

/// An account's second factors, as counts (never a secret).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SecondFactorSummary {
    /// An authenticator app is enabled.
    pub totp: bool,
    /// Recovery codes still usable.
    pub recovery_codes_left: u8,
    /// Registered passkeys.
    pub passkeys: u32,
}

/// `{user}`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UserEnvelope {
    /// The user.
    pub user: UserView,
}

/// `{users}`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UserList {
    /// Users by creation time (at most 500).
    pub users: Vec<UserView>,
}
