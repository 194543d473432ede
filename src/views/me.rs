//! The caller's own profile, password and sessions.

use aggregates::user::{LoginMethod, Preferences};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use zeroize::Zeroizing;

/// `PATCH /me`: any subset; each change is its own event.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PatchMe {
    /// New email address (unique, case-insensitive).
    #[serde(default)]
    #[schema(max_length = 254, pattern = r#"^[\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[^\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\u0000-\u001F\u007F-\u009F@]{1,64}@[^\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\u0000-\u001F\u007F-\u009F@.][^\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\u0000-\u001F\u007F-\u009F@]*\.[^\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\u0000-\u001F\u007F-\u009F@]*[^\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\u0000-\u001F\u007F-\u009F@.][\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"#)]
    pub email: Option<String>,
    /// New user name (unique, case-insensitive).
    #[serde(default)]
    #[schema(pattern = r#"^[\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[A-Za-z0-9][A-Za-z0-9._-]{2,31}[\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"#)]
    pub username: Option<String>,
    /// New display name.
    #[serde(default)]
    #[schema(pattern = r#"^[\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[^\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\u0000-\u001F\u007F-\u009F](?:[^\u0000-\u001F\u007F-\u009F]{0,98}[^\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\u0000-\u001F\u007F-\u009F])?[\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"#)]
    pub display_name: Option<String>,
    /// New preferences, given whole.
    #[serde(default)]
    pub preferences: Option<Preferences>,
}

/// `POST /me/password`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangePassword {
    /// Proves the person at the keyboard is the account holder.
    #[schema(value_type = String, format = Password)]
    pub current_password: Zeroizing<String>,
    /// Length per the password policy.
    #[schema(value_type = String, format = Password, min_length = 8, max_length = 128)]
    pub new_password: Zeroizing<String>,
}

/// One live session of the caller.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SessionView {
    /// Whether this is the session making the request.
    pub current: bool,
    /// Session id.
    #[schema(format = "uuid")]
    pub id: String,
    /// How it was started.
    pub method: LoginMethod,
    /// Start time.
    #[schema(format = DateTime)]
    pub started_at: String,
    /// Last token refresh.
    #[schema(required = true, format = DateTime)]
    pub refreshed_at: Option<String>,
    /// When it ends unless refreshed.
    #[schema(format = DateTime)]
    pub expires_at: String,
    /// Client address at start.
    #[schema(required = true)]
    pub ip: Option<String>,
    /// Client user agent at start.
    #[schema(required = true)]
    pub user_agent: Option<String>,
}

/// `{sessions}`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SessionList {
    /// Live sessions, newest first.
    pub sessions: Vec<SessionView>,
}
