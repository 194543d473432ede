//! Current and next codes for a whole vault, computed on the server and reused while nothing
//! they depend on changed.

use std::sync::Arc;

use aggregates::application::OtpType;
use aggregates::otp;
use projections::read::applications as read;

use super::App;
use super::caller::Caller;
use super::code_cache::{CachedCode, CodesSnapshot};
use super::error::AppError;
use crate::crypto::context;
use crate::views::vault::CodesResponse;

/// Current and next codes for every application of the caller not in the trash. Reading codes
/// never moves an HOTP counter.
pub async fn codes(app: &App, caller: &Caller) -> Result<CodesResponse, AppError> {
    let owner = caller.user_id.to_string();
    // The owner's vault version moves with every projected event on one of their applications,
    // whichever replica wrote it (they share the database): while it stands still, the vault is
    // unchanged.
    let version = read::vault_version(&app.db.pool, &owner).await?;
    let now = app.env().now();
    let unix = u64::try_from(now.timestamp()).unwrap_or(0);
    let snapshot = match app.codes_cache.get(&owner) {
        Some(s) if s.holds(version, unix) => s,
        _ => {
            let fresh = Arc::new(compute(app, &owner, version, unix).await?);
            app.codes_cache.put(owner, fresh.clone());
            fresh
        }
    };
    Ok(CodesResponse { server_time: now.timestamp_millis(), codes: snapshot.views(unix) })
}

async fn compute(app: &App, owner: &str, version: i64, unix: u64) -> Result<CodesSnapshot, AppError> {
    let sources = read::code_sources(&app.db.pool, owner).await?;
    let opener = app.keyring.opener(owner).await?;
    let mut items = Vec::with_capacity(sources.len());
    for s in sources {
        let secret = opener.open(&context::application_secret(&s.id), &s.secret)?;
        let c = otp::codes(&s.otp, &secret, unix);
        let step = (s.otp.otp_type != OtpType::Hotp).then(|| unix / u64::from(c.period));
        items.push(CachedCode { id: s.id, code: c.code, next_code: c.next_code, period: c.period, step });
    }
    Ok(CodesSnapshot::new(version, items))
}
