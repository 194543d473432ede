//! Lockout state of login names that match no account (see `aggregates::lockout`), in the shared
//! database so that every replica locks a name at the same failure.

use aggregates::Timestamp;
use aggregates::lockout::NameLockout;
use aggregates::settings::LockoutPolicy;
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::db::{Backend, Db};

/// Records a failed sign-in for the normalised `name` at `at` under `policy`; returns the lock
/// in force afterwards, if any.
pub async fn fail(db: &Db, name: &str, policy: LockoutPolicy, at: Timestamp) -> Result<Option<Timestamp>, sqlx::Error> {
    let key = hex::encode(Sha256::digest(name.as_bytes()));
    let mut tx = db.begin_write().await?;
    sqlx::query(include_str!("sql/name_lockout_ensure.sql")).bind(key.clone()).execute(&mut *tx).await?;
    let lock_sql = match db.backend {
        Backend::Postgres => include_str!("sql/name_lockout_lock_postgres.sql"),
        Backend::Sqlite => include_str!("sql/name_lockout_lock_sqlite.sql"),
    };
    let stored: String = sqlx::query(lock_sql).bind(key.clone()).fetch_one(&mut *tx).await?.try_get("state")?;
    // A row that does not decode (never written by this code) starts over rather than failing sign-in.
    let mut state: NameLockout = serde_json::from_str(&stored).unwrap_or_default();
    let lock = state.fail(policy, at);
    let window_end = state.recent.last().map_or(0, |t| (*t + chrono::Duration::minutes(i64::from(policy.window_minutes))).timestamp());
    let expires_at = window_end.max(state.locked_until.map_or(0, |t| t.timestamp()));
    let json = serde_json::to_string(&state).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    sqlx::query(include_str!("sql/name_lockout_put.sql")).bind(key).bind(json).bind(expires_at).execute(&mut *tx).await?;
    tx.commit().await?;
    if rand::random::<u8>() < 4 {
        // Now and then, forget names with nothing left that counts.
        let _ = sqlx::query(include_str!("sql/name_lockout_sweep.sql")).bind(at.timestamp()).execute(&db.pool).await;
    }
    Ok(lock)
}
