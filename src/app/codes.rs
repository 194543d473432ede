//! Current and next codes for a whole vault, computed on the server and reused while nothing
//! they depend on changed.

use std::sync::Arc;

use aggregates::application::OtpType;
use aggregates::otp;
use projections::read::applications as read;

use super::App;
use super::caller::Caller;
use super::error::AppError;
use crate::crypto::context;
use crate::views::vault::{CodeView, CodesResponse};

/// One owner's codes as computed at one vault version: reused until the vault changes or a TOTP
/// period ends. It holds only codes that the endpoint hands out anyway, never a secret.
#[derive(Debug)]
pub struct CodesSnapshot {
    version: i64,
    items: Vec<CachedCode>,
}

#[derive(Debug)]
struct CachedCode {
    id: String,
    code: String,
    next_code: String,
    period: u32,
    /// The time step the codes belong to (TOTP and Steam); `None` for HOTP, whose codes change
    /// only with the counter, i.e. with the vault version.
    step: Option<u64>,
}

impl CodesSnapshot {
    /// Whether these codes are still the ones to hand out at `unix` for vault `version`.
    fn holds(&self, version: i64, unix: u64) -> bool {
        self.version == version && self.items.iter().all(|i| i.step.is_none_or(|step| unix / u64::from(i.period) == step))
    }
}

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
    let codes = snapshot
        .items
        .iter()
        .map(|i| CodeView {
            id: i.id.clone(),
            code: i.code.clone(),
            next_code: i.next_code.clone(),
            period: i.period,
            remaining: if i.step.is_some() { i.period - (unix % u64::from(i.period)) as u32 } else { 0 },
        })
        .collect();
    Ok(CodesResponse { server_time: now.timestamp_millis(), codes })
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
    Ok(CodesSnapshot { version, items })
}
