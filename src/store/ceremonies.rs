//! WebAuthn ceremonies in progress, in the shared database: begun on one replica, finished on any,
//! and finished once.

use sqlx::Row;

use crate::db::Db;

/// A ceremony taken to be finished.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ceremony {
    /// The user it was begun for (none for a passwordless sign-in, which learns the user from
    /// the answer).
    pub user_id: Option<String>,
    /// The sealed state.
    pub state: String,
    /// When it runs out (stored time text).
    pub expires_at: String,
}

/// Remembers a ceremony.
pub async fn put(db: &Db, id: &str, kind: &str, user_id: Option<&str>, state: &str, expires_at: &str) -> Result<(), sqlx::Error> {
    sqlx::query(include_str!("sql/ceremony_put.sql"))
        .bind(id.to_owned())
        .bind(kind.to_owned())
        .bind(user_id.map(str::to_owned))
        .bind(state.to_owned())
        .bind(expires_at.to_owned())
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Takes the ceremony `id` of `kind` (deleting it), if there is one.
pub async fn take(db: &Db, id: &str, kind: &str) -> Result<Option<Ceremony>, sqlx::Error> {
    let row = sqlx::query(include_str!("sql/ceremony_take.sql")).bind(id.to_owned()).bind(kind.to_owned()).fetch_optional(&db.pool).await?;
    row.map(|r| Ok(Ceremony { user_id: r.try_get("user_id")?, state: r.try_get("state")?, expires_at: r.try_get("expires_at")? })).transpose()
}

/// Forgets the ceremonies that ran out before `before` (stored time text).
pub async fn forget_expired(db: &Db, before: &str) -> Result<(), sqlx::Error> {
    sqlx::query(include_str!("sql/ceremony_forget.sql")).bind(before.to_owned()).execute(&db.pool).await?;
    Ok(())
}
