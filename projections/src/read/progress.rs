//! How far the log and the projections have come (for `/metrics`).

use sqlx::AnyPool;

use super::{Cells, ReadError};

/// The position of the last event in the log (0 for an empty log).
pub async fn log_head(pool: &AnyPool) -> Result<i64, ReadError> {
    let row = sqlx::query(include_str!("sql/log_head.sql")).fetch_one(pool).await?;
    Cells::new("event_head", &row).int("position")
}

/// The position the slowest projection has reached (0 before any checkpoint exists).
pub async fn slowest_checkpoint(pool: &AnyPool) -> Result<i64, ReadError> {
    let row = sqlx::query(include_str!("sql/slowest_checkpoint.sql")).fetch_one(pool).await?;
    Ok(Cells::new("projection_checkpoints", &row).opt_int("position")?.unwrap_or(0))
}
