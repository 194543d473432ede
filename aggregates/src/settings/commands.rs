//! What can be asked of the `Settings`.

use super::types::{LockoutPolicy, OidcConfig, PasswordPolicy, SessionPolicy, SignupPolicy, SmtpConfig, TwoFactorPolicy};
use crate::common::Timestamp;

/// Requests to the settings. Each replaces one setting as a whole; the same value records nothing.
#[derive(Debug, Clone, PartialEq)]
pub enum SettingsCommand {
    /// At most 100 allowed domains, each a lower-case domain name.
    ChangeSignupPolicy(SignupPolicy),
    /// Minimum at least 8, maximum 64–128 (NIST SP 800-63B), minimum not above maximum.
    ChangePasswordPolicy(PasswordPolicy),
    /// 1–100 failures within 1–1440 minutes lock for 1–10080 minutes.
    ChangeLockoutPolicy(LockoutPolicy),
    /// Lifetimes within their ranges, the refresh token never shorter-lived than the access token.
    ChangeSessionPolicy(SessionPolicy),
    /// Set 2FA enforcement; a grace period runs from `at`.
    ChangeTwoFactorPolicy {
        /// The new policy.
        policy: TwoFactorPolicy,
        /// Clock reading.
        at: Timestamp,
    },
    /// Set up outgoing mail; the password arrives sealed.
    ConfigureSmtp(SmtpConfig),
    /// Drop the mail configuration; refused when there is none.
    RemoveSmtp,
    /// Set up the SSO provider; mapped roles must be `Role` wire names.
    ConfigureOidc(OidcConfig),
    /// Drop the SSO provider; refused when there is none.
    RemoveOidc,
    /// Turn code-access auditing on or off.
    SetCodeAccessAuditing(bool),
    /// Audit retention in days, 30–36500 (`None` = forever).
    SetAuditRetention(Option<u32>),
}
