//! Sign-up, sign-in and token refresh.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use zeroize::Zeroizing;

use super::users::UserView;

/// `POST /auth/register`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterBody {
    /// Must be unique (case-insensitive); the sign-up policy may restrict its domain.
    #[schema(max_length = 254, pattern = r#"^[\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[^\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\u0000-\u001F\u007F-\u009F@]{1,64}@[^\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\u0000-\u001F\u007F-\u009F@.][^\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\u0000-\u001F\u007F-\u009F@]*\.[^\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\u0000-\u001F\u007F-\u009F@]*[^\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\u0000-\u001F\u007F-\u009F@.][\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"#)]
    pub email: String,
    /// 3–32 characters of `a-z 0-9 . _ -`, unique (case-insensitive).
    #[schema(pattern = r#"^[\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[A-Za-z0-9][A-Za-z0-9._-]{2,31}[\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"#)]
    pub username: String,
    /// Length per the password policy (default 10–128 characters).
    #[schema(value_type = String, format = Password, min_length = 8, max_length = 128)]
    pub password: Zeroizing<String>,
    /// Defaults to the username (also when empty); at most 100 characters without control characters.
    #[serde(default)]
    #[schema(pattern = r#"^[\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*(?:[^\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\u0000-\u001F\u007F-\u009F](?:[^\u0000-\u001F\u007F-\u009F]{0,98}[^\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\u0000-\u001F\u007F-\u009F])?)?[\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"#)]
    pub display_name: Option<String>,
}

/// `POST /auth/login`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginBody {
    /// Email or user name (any case).
    pub login: String,
    /// The account's password.
    #[schema(value_type = String, format = Password)]
    pub password: Zeroizing<String>,
}

/// `POST /auth/refresh` (the refresh cookie is used when there is no body).
#[derive(Deserialize, Default, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshBody {
    /// The refresh token from sign-in or the previous refresh (each is good for one use).
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Password)]
    pub refresh_token: Option<Zeroizing<String>>,
}

/// Always `Bearer`.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
pub enum TokenType {
    /// RFC 6750 bearer token.
    Bearer,
}

/// A started or refreshed session. The same tokens are also set as cookies
/// (`authnode_access`, `authnode_refresh`, `authnode_csrf`).
#[derive(Clone, Serialize, ToSchema)]
pub struct SessionTokens {
    /// JWT access token for `Authorization: Bearer`, valid for `expires_in` seconds.
    pub access_token: String,
    /// Token type.
    pub token_type: TokenType,
    /// Access-token lifetime in seconds (the session policy's access TTL).
    pub expires_in: u32,
    /// Refresh token (single use: each refresh returns a new one).
    pub refresh_token: String,
    /// Session id (also the `sid` claim of the access token).
    #[schema(format = "uuid")]
    pub session_id: String,
    /// Value of the `authnode_csrf` cookie, for `X-CSRF-Token`.
    pub csrf_token: String,
    /// The signed-in user.
    pub user: UserView,
}

/// Never prints the tokens (a `{:?}` in a log line must not leak a session).
impl std::fmt::Debug for SessionTokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionTokens").field("session_id", &self.session_id).field("user", &self.user.id).finish_non_exhaustive()
    }
}
