//! Read rows turned into the views the API returns, in one place.

use aggregates::Sealed;
use projections::read::applications::ApplicationRow;
use projections::read::sessions::SessionRow;
use projections::read::users as read_users;
use projections::read::users::UserRow;

use super::App;
use super::error::AppError;
use crate::crypto::{Opener, context};
use crate::views::me::SessionView;
use crate::views::users::{SecondFactorSummary, UserView};
use crate::views::vault::ApplicationView;

/// A user as the API shows it.
pub fn user(row: UserRow) -> UserView {
    UserView {
        id: row.id,
        email: row.email,
        username: row.username,
        display_name: row.display_name,
        role: row.role,
        disabled: row.disabled,
        locked_until: row.locked_until,
        preferences: row.preferences,
        created_at: row.created_at,
        updated_at: row.updated_at,
        last_login_at: row.last_login_at,
        second_factors: SecondFactorSummary { totp: row.totp_enabled, recovery_codes_left: row.recovery_codes_left, passkeys: row.passkeys },
    }
}

/// An application as its owner sees it: notes opened with the owner's key, never the secret.
/// Notes that no longer open (a shredded key) show as absent rather than failing the listing.
pub fn application(row: ApplicationRow, opener: &Opener) -> ApplicationView {
    let notes = row.notes.as_ref().and_then(|sealed: &Sealed| opener.open(&context::application_notes(&row.id), sealed).ok());
    ApplicationView {
        notes: notes.map(|b| String::from_utf8_lossy(&b).into_owned()),
        id: row.id,
        issuer: row.issuer,
        label: row.label,
        otp_type: row.otp.otp_type,
        algorithm: row.otp.algorithm,
        digits: i64::from(row.otp.digits),
        period: i64::from(row.otp.period),
        counter: row.otp.counter as i64,
        tags: row.tags,
        favorite: row.favorite,
        position: row.position,
        url: row.url,
        icon: row.icon,
        color: row.color,
        trashed_at: row.trashed_at,
        created_at: row.created_at,
        updated_at: row.updated_at,
    }
}

/// One of the caller's sessions; `current` marks the one making the request.
pub fn session(row: SessionRow, current: &str) -> SessionView {
    SessionView {
        current: row.id == current,
        id: row.id,
        method: row.method,
        started_at: row.started_at,
        refreshed_at: row.refreshed_at,
        expires_at: row.expires_at,
        ip: row.ip,
        user_agent: row.user_agent,
    }
}

/// The user as the API shows it, or `user_not_found` (also when deleted).
pub async fn user_view(app: &App, id: &str) -> Result<UserView, AppError> {
    let row = read_users::by_id(&app.db.pool, id).await?.ok_or_else(|| AppError::not_found("user_not_found"))?;
    Ok(user(row))
}
