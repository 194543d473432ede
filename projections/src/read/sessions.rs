//! Sessions.

use aggregates::Timestamp;
use aggregates::time::format_timestamp;
use aggregates::user::{LoginMethod, Role};
use sqlx::AnyPool;

use super::{Cells, ReadError};

const TABLE: &str = "sessions";

/// A live session as its owner sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRow {
    /// Session id.
    pub id: String,
    /// How it was started.
    pub method: LoginMethod,
    /// Start (stored time text).
    pub started_at: String,
    /// Last refresh (stored time text).
    pub refreshed_at: Option<String>,
    /// End unless refreshed (stored time text).
    pub expires_at: String,
    /// Client address at start.
    pub ip: Option<String>,
    /// Client user agent at start.
    pub user_agent: Option<String>,
}

/// The user's sessions that have neither ended nor run out at `now`, newest first.
pub async fn live_of_user(pool: &AnyPool, user: &str, now: &Timestamp) -> Result<Vec<SessionRow>, ReadError> {
    let rows = sqlx::query(include_str!("sql/sessions_live_of_user.sql")).bind(user.to_owned()).bind(format_timestamp(now)).fetch_all(pool).await?;
    rows.iter()
        .map(|r| {
            let c = Cells::new(TABLE, r);
            Ok(SessionRow {
                id: c.text("id")?,
                method: c.parsed("method")?,
                started_at: c.text("started_at")?,
                refreshed_at: c.opt_text("refreshed_at")?,
                expires_at: c.text("expires_at")?,
                ip: c.opt_text("ip")?,
                user_agent: c.opt_text("user_agent")?,
            })
        })
        .collect()
}

/// The owner of a session that has not ended (`None` for an unknown or ended session).
pub async fn live_owner(pool: &AnyPool, session: &str) -> Result<Option<String>, ReadError> {
    let row = sqlx::query(include_str!("sql/session_live_owner.sql")).bind(session.to_owned()).fetch_optional(pool).await?;
    row.map(|r| Cells::new(TABLE, &r).text("user_id")).transpose()
}

/// What admitting a request on a session needs to know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionAccess {
    /// The session's owner.
    pub user_id: String,
    /// The session was ended (logout, revocation, expiry).
    pub ended: bool,
    /// When it runs out unless refreshed (stored time text).
    pub expires_at: String,
    /// The owner's role now.
    pub role: Role,
    /// The owner is disabled.
    pub disabled: bool,
    /// The owner was deleted.
    pub deleted: bool,
    /// The owner's creation (stored time text).
    pub user_created_at: String,
    /// The owner has a second factor (an authenticator app or a passkey).
    pub has_second_factor: bool,
}

impl SessionAccess {
    /// Whether the session still admits requests at `now` (its owner's status aside).
    pub fn is_live(&self, now: &Timestamp) -> bool {
        !self.ended && !self.deleted && self.expires_at > format_timestamp(now)
    }
}

/// The session's state and its owner's (`None` for an unknown session).
pub async fn access(pool: &AnyPool, session: &str) -> Result<Option<SessionAccess>, ReadError> {
    let row = sqlx::query(include_str!("sql/session_access.sql")).bind(session.to_owned()).fetch_optional(pool).await?;
    row.map(|r| {
        let c = Cells::new(TABLE, &r);
        Ok(SessionAccess {
            user_id: c.text("user_id")?,
            ended: c.opt_text("ended_at")?.is_some(),
            expires_at: c.text("expires_at")?,
            role: c.parsed("role")?,
            disabled: c.flag("disabled")?,
            deleted: c.opt_text("deleted_at")?.is_some(),
            user_created_at: c.text("created_at")?,
            has_second_factor: c.flag("totp_enabled")? || c.int("passkeys")? > 0,
        })
    })
    .transpose()
}
