//! Rate limits on the authentication endpoints, by client address and by account, counted in
//! the shared database so that every replica enforces the same budget.

use axum::http::StatusCode;
use sqlx::Row;

use super::ApiState;
use super::error::ApiError;

/// A budget: at most `max` hits per `window_seconds`.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    /// What is limited (part of the counter key).
    pub name: &'static str,
    /// Hits allowed per window.
    pub max: i64,
    /// Window length.
    pub window_seconds: i64,
}

/// Sign-ins per client address.
pub const LOGIN_PER_IP: Limit = Limit { name: "login-ip", max: 60, window_seconds: 60 };
/// Sign-ins per account name (the lockout policy still applies underneath).
pub const LOGIN_PER_ACCOUNT: Limit = Limit { name: "login-account", max: 20, window_seconds: 60 };
/// Sign-ups per client address.
pub const REGISTER_PER_IP: Limit = Limit { name: "register-ip", max: 20, window_seconds: 600 };
/// Token refreshes per client address.
pub const REFRESH_PER_IP: Limit = Limit { name: "refresh-ip", max: 120, window_seconds: 60 };

/// Counts one hit on `subject` and refuses with 429 (and `Retry-After`) once over budget;
/// nothing when rate limits are configured off.
pub async fn hit(state: &ApiState, limit: Limit, subject: &str) -> Result<(), ApiError> {
    if !state.config.rate_limits {
        return Ok(());
    }
    let db = &state.app.db;
    let now = chrono::Utc::now().timestamp();
    let window = now - now.rem_euclid(limit.window_seconds);
    let key = format!("{}:{subject}", limit.name);
    let hits: i64 = sqlx::query(
        "INSERT INTO rate_limits (key, window_start, hits) VALUES ($1, $2, 1) \
         ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_limits.hits + 1 RETURNING hits",
    )
    .bind(key)
    .bind(window)
    .fetch_one(&db.pool)
    .await?
    .try_get(0)?;
    if hits == 1 && rand::random::<u8>() < 8 {
        // Now and then, forget windows older than an hour.
        let _ = sqlx::query("DELETE FROM rate_limits WHERE window_start < $1").bind(now - 3600).execute(&db.pool).await;
    }
    if hits > limit.max {
        let retry = window + limit.window_seconds - now;
        return Err(
            ApiError::new(StatusCode::TOO_MANY_REQUESTS, "rate_limited", format!("too many attempts; try again in {retry} s")).retry_after(retry)
        );
    }
    Ok(())
}
