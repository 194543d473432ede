//! Rate limits on sign-in, sign-up and refresh, by client address and by account name, counted
//! in the shared database so that every replica enforces the same budget.

use super::App;
use super::error::AppError;
use crate::store::rate_limits;

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
/// QR pictures decoded per user (each costs CPU and memory).
pub const QR_PER_USER: Limit = Limit { name: "qr-user", max: 30, window_seconds: 60 };
/// Token refreshes per client address.
pub const REFRESH_PER_IP: Limit = Limit { name: "refresh-ip", max: 120, window_seconds: 60 };

/// Counts one hit on `subject` and refuses (`RateLimited`, with the seconds to wait) once over
/// budget; nothing when rate limits are switched off.
pub async fn hit(app: &App, limit: Limit, subject: &str) -> Result<(), AppError> {
    if !app.options.rate_limits {
        return Ok(());
    }
    let now = app.env().now().timestamp();
    let window = now - now.rem_euclid(limit.window_seconds);
    let hits = rate_limits::hit(&app.db, &format!("{}:{subject}", limit.name), window).await?;
    if hits == 1 && rand::random::<u8>() < 8 {
        // Now and then, forget windows older than an hour.
        let _ = rate_limits::forget_before(&app.db, now - 3600).await;
    }
    if hits > limit.max {
        return Err(AppError::RateLimited { retry_after: window + limit.window_seconds - now });
    }
    Ok(())
}
