//! One owner's computed codes, kept between requests (a leaf: the codes use case fills it, the
//! application holds it).

use crate::views::vault::CodeView;

/// One owner's codes as computed at one vault version: reused until the vault changes or a TOTP
/// period ends. It holds only codes that the endpoint hands out anyway, never a secret.
#[derive(Debug)]
pub struct CodesSnapshot {
    version: i64,
    items: Vec<CachedCode>,
}

/// One application's codes, and the time step they belong to.
#[derive(Debug)]
pub struct CachedCode {
    /// Application id.
    pub id: String,
    /// Current code.
    pub code: String,
    /// Next code.
    pub next_code: String,
    /// Period in seconds (0 for HOTP).
    pub period: u32,
    /// The time step the codes belong to (TOTP and Steam); `None` for HOTP, whose codes change
    /// only with the counter, i.e. with the vault version.
    pub step: Option<u64>,
}

impl CodesSnapshot {
    /// Codes computed at vault `version`.
    pub fn new(version: i64, items: Vec<CachedCode>) -> Self {
        Self { version, items }
    }

    /// Whether these codes are still the ones to hand out at `unix` for vault `version`.
    pub fn holds(&self, version: i64, unix: u64) -> bool {
        self.version == version && self.items.iter().all(|i| i.step.is_none_or(|step| unix / u64::from(i.period) == step))
    }

    /// The codes as the API shows them at `unix` (seconds left in each period).
    pub fn views(&self, unix: u64) -> Vec<CodeView> {
        self.items
            .iter()
            .map(|i| CodeView {
                id: i.id.clone(),
                code: i.code.clone(),
                next_code: i.next_code.clone(),
                period: i.period,
                remaining: if i.step.is_some() { i.period - (unix % u64::from(i.period)) as u32 } else { 0 },
            })
            .collect()
    }
}
