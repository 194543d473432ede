//! Rate-limit counters, kept in the shared database so that every replica counts the same hits.

use sqlx::Row;

use crate::db::Db;

/// Counts one hit on `key` in the window starting at `window_start` (Unix seconds) and returns
/// the hits counted in that window so far, this one included.
pub async fn hit(db: &Db, key: &str, window_start: i64) -> Result<i64, sqlx::Error> {
    sqlx::query(include_str!("sql/rate_limit_hit.sql")).bind(key.to_owned()).bind(window_start).fetch_one(&db.pool).await?.try_get("hits")
}

/// Forgets the windows that started before `before` (Unix seconds).
pub async fn forget_before(db: &Db, before: i64) -> Result<(), sqlx::Error> {
    sqlx::query(include_str!("sql/rate_limit_forget.sql")).bind(before).execute(&db.pool).await?;
    Ok(())
}
