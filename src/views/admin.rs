//! User management and settings (admins).

use aggregates::settings::{LockoutPolicy, PasswordPolicy, SessionPolicy, SignupPolicy, SmtpSecurity, TwoFactorPolicy};
use aggregates::user::Role;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use zeroize::Zeroizing;

/// `GET /admin/users` search.
#[derive(Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct UserQuery {
    /// Case-insensitive search in email, user name and display name.
    #[serde(default)]
    pub q: Option<String>,
}

/// `POST /admin/users`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUser {
    /// Must be unique (case-insensitive).
    #[schema(max_length = 254, pattern = r#"^[\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[^\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\u0000-\u001F\u007F-\u009F@]{1,64}@[^\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\u0000-\u001F\u007F-\u009F@.][^\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\u0000-\u001F\u007F-\u009F@]*\.[^\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\u0000-\u001F\u007F-\u009F@]*[^\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\u0000-\u001F\u007F-\u009F@.][\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"#)]
    pub email: String,
    /// 3–32 characters of `a-z 0-9 . _ -`, unique (case-insensitive).
    #[schema(pattern = r#"^[\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[A-Za-z0-9][A-Za-z0-9._-]{2,31}[\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"#)]
    pub username: String,
    /// Length per the password policy.
    #[schema(value_type = String, format = Password, min_length = 8, max_length = 128)]
    pub password: Zeroizing<String>,
    /// Defaults to the username (also when empty); at most 100 characters without control characters.
    #[serde(default)]
    #[schema(pattern = r#"^[\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*(?:[^\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\u0000-\u001F\u007F-\u009F](?:[^\u0000-\u001F\u007F-\u009F]{0,98}[^\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\u0000-\u001F\u007F-\u009F])?)?[\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"#)]
    pub display_name: Option<String>,
    /// Default `user`.
    #[serde(default)]
    pub role: Option<Role>,
}

/// `PATCH /admin/users/{id}`: any subset.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PatchUser {
    /// New role (the last active admin keeps theirs).
    #[serde(default)]
    pub role: Option<Role>,
    /// New email address.
    #[serde(default)]
    #[schema(max_length = 254, pattern = r#"^[\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[^\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\u0000-\u001F\u007F-\u009F@]{1,64}@[^\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\u0000-\u001F\u007F-\u009F@.][^\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\u0000-\u001F\u007F-\u009F@]*\.[^\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\u0000-\u001F\u007F-\u009F@]*[^\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\u0000-\u001F\u007F-\u009F@.][\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"#)]
    pub email: Option<String>,
    /// New user name.
    #[serde(default)]
    #[schema(pattern = r#"^[\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[A-Za-z0-9][A-Za-z0-9._-]{2,31}[\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"#)]
    pub username: Option<String>,
    /// New display name.
    #[serde(default)]
    #[schema(pattern = r#"^[\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[^\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\u0000-\u001F\u007F-\u009F](?:[^\u0000-\u001F\u007F-\u009F]{0,98}[^\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\u0000-\u001F\u007F-\u009F])?[\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"#)]
    pub display_name: Option<String>,
}

/// `POST /admin/users/{id}/reset-password`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetPassword {
    /// Length per the password policy; every session of the user ends.
    #[schema(value_type = String, format = Password, min_length = 8, max_length = 128)]
    pub password: Zeroizing<String>,
}

/// The admin actions without a body (`POST /admin/users/{id}/{action}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum UserAction {
    /// Disable the account (its sessions stop working).
    Disable,
    /// Enable it again.
    Enable,
    /// Lift a lockout.
    Unlock,
    /// End every session of the user.
    RevokeSessions,
}

/// `PATCH /admin/settings`: any subset of the policies, each given whole.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PatchSettings {
    /// Who may register.
    #[serde(default)]
    pub signup: Option<SignupPolicy>,
    /// Password length rules.
    #[serde(default)]
    pub password: Option<PasswordPolicy>,
    /// When failed sign-ins lock an account, and for how long.
    #[serde(default)]
    pub lockout: Option<LockoutPolicy>,
    /// Token and session lifetimes.
    #[serde(default)]
    pub session: Option<SessionPolicy>,
    /// Who must use a second factor.
    #[serde(default)]
    pub two_factor: Option<TwoFactorPolicy>,
    // Code-access auditing and audit retention exist in the domain but nothing enforces them
    // yet (issue 13): a policy that does nothing is not offered.
}

/// Outgoing mail settings (the password is only shown as set or not).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SmtpView {
    /// Relay host name.
    pub host: String,
    /// Relay port.
    pub port: u16,
    /// Transport security.
    pub security: SmtpSecurity,
    /// Login name.
    #[schema(required = true)]
    pub username: Option<String>,
    /// Whether a password is stored (the password itself never leaves the server).
    pub password: bool,
    /// The `From:` address.
    pub from: String,
}

/// Single sign-on settings (the client secret is only shown as set or not).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OidcView {
    /// Issuer URL.
    pub issuer: String,
    /// Client id.
    pub client_id: String,
    /// Whether a client secret is stored (the secret itself never leaves the server).
    pub client_secret: bool,
    /// Scopes requested besides `openid`.
    pub scopes: Vec<String>,
    /// `[provider group, role]` pairs.
    #[schema(value_type = Vec<Vec<String>>)]
    pub group_role_mapping: Vec<(String, String)>,
    /// Create accounts on first SSO login.
    pub auto_provision: bool,
    /// Disable password logins for non-admins.
    pub sso_only: bool,
}

/// The settings.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SettingsView {
    /// Self-registration policy.
    pub signup: SignupPolicy,
    /// Password rules.
    pub password: PasswordPolicy,
    /// Lockout rules.
    pub lockout: LockoutPolicy,
    /// Session lifetimes.
    pub session: SessionPolicy,
    /// Second-factor enforcement.
    pub two_factor: TwoFactorPolicy,
    /// Outgoing mail, if configured.
    #[schema(required = true)]
    pub smtp: Option<SmtpView>,
    /// SSO provider, if configured.
    #[schema(required = true)]
    pub oidc: Option<OidcView>,
}

/// `{settings}`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SettingsEnvelope {
    /// The settings.
    pub settings: SettingsView,
}
