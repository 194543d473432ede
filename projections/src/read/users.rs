//! Accounts.

use aggregates::user::{Preferences, Role};
use sqlx::AnyPool;

use super::{Cells, ReadError};

/// An account as the API shows it: never its password hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRow {
    /// User id.
    pub id: String,
    /// Normalised (lower-case) email.
    pub email: String,
    /// Normalised (lower-case) user name.
    pub username: String,
    /// Display name.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// Disabled by an admin.
    pub disabled: bool,
    /// Locked until then (stored time text; may have lapsed).
    pub locked_until: Option<String>,
    /// Display preferences.
    pub preferences: Preferences,
    /// Creation time (stored time text).
    pub created_at: String,
    /// Last change (stored time text).
    pub updated_at: String,
    /// Last successful sign-in (stored time text).
    pub last_login_at: Option<String>,
    /// An authenticator app is enabled.
    pub totp_enabled: bool,
    /// Recovery codes still usable.
    pub recovery_codes_left: u8,
    /// Registered passkeys.
    pub passkeys: u32,
}

impl UserRow {
    /// Whether sign-ins ask for a second factor.
    pub fn has_second_factor(&self) -> bool {
        self.totp_enabled || self.passkeys > 0
    }
}

fn user(cells: &Cells<'_>) -> Result<UserRow, ReadError> {
    Ok(UserRow {
        id: cells.text("id")?,
        email: cells.text("email")?,
        username: cells.text("username")?,
        display_name: cells.text("display_name")?,
        role: cells.parsed("role")?,
        disabled: cells.flag("disabled")?,
        locked_until: cells.opt_text("locked_until")?,
        preferences: cells.json("preferences")?,
        created_at: cells.text("created_at")?,
        updated_at: cells.text("updated_at")?,
        last_login_at: cells.opt_text("last_login_at")?,
        totp_enabled: cells.flag("totp_enabled")?,
        recovery_codes_left: cells.int_as("recovery_codes_left")?,
        passkeys: cells.int_as("passkeys")?,
    })
}

/// The account, unless it does not exist or was deleted.
pub async fn by_id(pool: &AnyPool, id: &str) -> Result<Option<UserRow>, ReadError> {
    let row = sqlx::query(include_str!("sql/user_by_id.sql")).bind(id.to_owned()).fetch_optional(pool).await?;
    row.map(|r| user(&Cells::new("users", &r))).transpose()
}

/// Accounts whose email, user name or display name contains `needle` (case-insensitive; `%`
/// and `_` in it match themselves by being dropped), oldest first, at most `limit`.
pub async fn search(pool: &AnyPool, needle: &str, limit: i64) -> Result<Vec<UserRow>, ReadError> {
    let pattern = format!("%{}%", needle.to_lowercase().replace(['%', '_'], ""));
    let rows = sqlx::query(include_str!("sql/users_search.sql")).bind(pattern).bind(limit).fetch_all(pool).await?;
    rows.iter().map(|r| user(&Cells::new("users", r))).collect()
}

/// What a password sign-in needs about an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    /// User id.
    pub id: String,
    /// argon2id PHC string (none for accounts that only sign in otherwise).
    pub password_hash: Option<String>,
    /// Locked until then (stored time text; may have lapsed).
    pub locked_until: Option<String>,
    /// An authenticator app is enabled.
    pub totp_enabled: bool,
    /// Recovery codes still usable.
    pub recovery_codes_left: u8,
    /// Registered passkeys.
    pub passkeys: u32,
}

/// The account whose email or user name is `login` (already trimmed and lower-cased).
pub async fn credentials(pool: &AnyPool, login: &str) -> Result<Option<Credentials>, ReadError> {
    let row = sqlx::query(include_str!("sql/user_credentials.sql")).bind(login.to_owned()).fetch_optional(pool).await?;
    row.map(|r| {
        let c = Cells::new("users", &r);
        Ok(Credentials {
            id: c.text("id")?,
            password_hash: c.opt_text("password_hash")?,
            locked_until: c.opt_text("locked_until")?,
            totp_enabled: c.flag("totp_enabled")?,
            recovery_codes_left: c.int_as("recovery_codes_left")?,
            passkeys: c.int_as("passkeys")?,
        })
    })
    .transpose()
}

/// The account's password hash (`None` without a password or without the account).
pub async fn password_hash(pool: &AnyPool, id: &str) -> Result<Option<String>, ReadError> {
    let row = sqlx::query(include_str!("sql/user_password_hash.sql")).bind(id.to_owned()).fetch_optional(pool).await?;
    Ok(match row {
        Some(r) => Cells::new("users", &r).opt_text("password_hash")?,
        None => None,
    })
}

/// A registered passkey as its owner's list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasskeyRow {
    /// The credential id (base64url).
    pub credential_id: String,
    /// The owner's name for it.
    pub name: String,
    /// Registration time (stored time text).
    pub registered_at: String,
    /// Last use (stored time text).
    pub last_used_at: Option<String>,
}

/// The user's passkeys, oldest first.
pub async fn passkeys(pool: &AnyPool, user: &str) -> Result<Vec<PasskeyRow>, ReadError> {
    let rows = sqlx::query(include_str!("sql/passkeys_of_user.sql")).bind(user.to_owned()).fetch_all(pool).await?;
    rows.iter()
        .map(|r| {
            let c = Cells::new("passkeys", r);
            Ok(PasskeyRow {
                credential_id: c.text("credential_id")?,
                name: c.text("name")?,
                registered_at: c.text("registered_at")?,
                last_used_at: c.opt_text("last_used_at")?,
            })
        })
        .collect()
}
