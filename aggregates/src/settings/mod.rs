//! The `Settings` aggregate: the one instance of instance-wide policy.

mod commands;
mod errors;
mod events;
pub(crate) mod types;

use cqrs_es::Aggregate;
use cqrs_es::event_sink::EventSink;
use serde::{Deserialize, Serialize};

use crate::common::Timestamp;

pub use commands::SettingsCommand;
pub use errors::SettingsError;
pub use events::{SettingsEvent, TWO_FACTOR_POLICY_CHANGED_VERSION};
pub use types::{
    LockoutPolicy, OidcConfig, PasswordPolicy, SessionPolicy, SignupMode, SignupPolicy, SmtpConfig, SmtpSecurity, TwoFactorPolicy, TwoFactorScope,
};

use crate::user::types::Role;

/// The id of the only `Settings` instance.
pub const SETTINGS_ID: &str = "global";

/// The settings aggregate: instance-wide policy, defaults until an admin changes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Settings {
    /// Who may register themselves; closed by default.
    pub signup: SignupPolicy,
    /// Rules for new passwords.
    pub password: PasswordPolicy,
    /// When repeated failed logins lock an account.
    pub lockout: LockoutPolicy,
    /// Access- and refresh-token lifetimes.
    pub session: SessionPolicy,
    /// Who must enrol a second factor; nobody by default.
    pub two_factor: TwoFactorPolicy,
    /// Outgoing mail, if configured.
    pub smtp: Option<SmtpConfig>,
    /// SSO provider, if configured.
    pub oidc: Option<OidcConfig>,
    /// Record an audit event whenever a code is read.
    pub code_access_auditing: bool,
    /// Days audit entries are kept in the query index (`None` = forever).
    pub audit_retention_days: Option<u32>,
    /// When the two-factor policy last changed (grace periods run from it); `None` before any
    /// change, and for changes recorded before the time was kept.
    #[serde(default)]
    pub two_factor_changed_at: Option<Timestamp>,
}

fn check(ok: bool, field: &'static str, message: &'static str) -> Result<(), SettingsError> {
    if ok { Ok(()) } else { Err(SettingsError::Invalid { field, message }) }
}

fn valid_domain(d: &str) -> bool {
    !d.is_empty()
        && d.len() <= 253
        && d.contains('.')
        && !d.starts_with(['.', '-'])
        && !d.ends_with('.')
        && d.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-')
}

fn valid_host(h: &str) -> bool {
    !h.is_empty() && h.len() <= 253 && h.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'))
}

impl Settings {
    fn validate(command: &SettingsCommand) -> Result<(), SettingsError> {
        match command {
            SettingsCommand::ChangeSignupPolicy(p) => {
                check(p.allowed_domains.len() <= 100, "allowed_domains", "at most 100 domains")?;
                check(
                    p.allowed_domains.iter().all(|d| valid_domain(d)),
                    "allowed_domains",
                    "each must be a lower-case domain name such as example.com",
                )
            }
            SettingsCommand::ChangePasswordPolicy(p) => {
                // NIST SP 800-63B §5.1.1.2: at least 8 characters, permit at least 64.
                check(p.min_length >= 8, "min_length", "must be at least 8")?;
                check(p.max_length <= 128, "max_length", "must be at most 128")?;
                check(p.max_length >= 64, "max_length", "must be at least 64 (NIST SP 800-63B)")?;
                if p.min_length > p.max_length {
                    return Err(SettingsError::PasswordLengthsInverted);
                }
                Ok(())
            }
            SettingsCommand::ChangeLockoutPolicy(p) => {
                check((1..=100).contains(&p.max_failures), "max_failures", "must be 1–100")?;
                check((1..=1440).contains(&p.window_minutes), "window_minutes", "must be 1–1440")?;
                check((1..=10_080).contains(&p.lock_minutes), "lock_minutes", "must be 1–10080")
            }
            SettingsCommand::ChangeSessionPolicy(p) => {
                check((60..=86_400).contains(&p.access_ttl_seconds), "access_ttl_seconds", "must be 60–86400")?;
                check((300..=31_536_000).contains(&p.refresh_ttl_seconds), "refresh_ttl_seconds", "must be 300–31536000")?;
                if p.refresh_ttl_seconds < p.access_ttl_seconds {
                    return Err(SettingsError::SessionLifetimesInverted);
                }
                check((300..=31_536_000).contains(&p.idle_timeout_seconds), "idle_timeout_seconds", "must be 300–31536000")
            }
            SettingsCommand::ChangeTwoFactorPolicy { policy, .. } => check(policy.grace_days <= 90, "grace_days", "must be 0–90"),
            SettingsCommand::ConfigureSmtp(c) => {
                check(valid_host(&c.host), "smtp.host", "must be a host name or address")?;
                check(c.port != 0, "smtp.port", "must be 1–65535")?;
                check(crate::common::normalize_email(&c.from).is_some() || c.from.contains('<'), "smtp.from", "must be an email address")?;
                check(c.username.as_ref().is_none_or(|u| !u.is_empty() && u.len() <= 256), "smtp.username", "must be 1–256 characters")
            }
            SettingsCommand::ConfigureOidc(c) => {
                check(c.issuer.starts_with("https://") || c.issuer.starts_with("http://"), "oidc.issuer", "must be an http(s) URL")?;
                check(c.issuer.len() <= 2048, "oidc.issuer", "is too long")?;
                check(!c.client_id.is_empty() && c.client_id.len() <= 256, "oidc.client_id", "must be 1–256 characters")?;
                check(
                    c.scopes.iter().all(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_graphic())),
                    "oidc.scopes",
                    "must be non-empty scope tokens",
                )?;
                check(
                    c.group_role_mapping.iter().all(|(_, r)| r.parse::<Role>().is_ok()),
                    "oidc.group_role_mapping",
                    "roles must be admin, user or auditor",
                )
            }
            SettingsCommand::SetAuditRetention(Some(days)) => {
                check((30..=36_500).contains(days), "audit_retention_days", "must be 30–36500, or null to keep forever")
            }
            SettingsCommand::RemoveSmtp
            | SettingsCommand::RemoveOidc
            | SettingsCommand::SetCodeAccessAuditing(_)
            | SettingsCommand::SetAuditRetention(None) => Ok(()),
        }
    }
}

impl Aggregate for Settings {
    const TYPE: &'static str = "settings";
    type Command = SettingsCommand;
    type Event = SettingsEvent;
    type Error = SettingsError;
    type Services = ();

    async fn handle(&mut self, command: Self::Command, (): &(), sink: &EventSink<Self>) -> Result<(), Self::Error> {
        Self::validate(&command)?;
        // An unchanged value records nothing: the audit trail holds facts, not no-ops.
        let event = match command {
            SettingsCommand::ChangeSignupPolicy(p) => (p != self.signup).then_some(SettingsEvent::SignupPolicyChanged(p)),
            SettingsCommand::ChangePasswordPolicy(p) => (p != self.password).then_some(SettingsEvent::PasswordPolicyChanged(p)),
            SettingsCommand::ChangeLockoutPolicy(p) => (p != self.lockout).then_some(SettingsEvent::LockoutPolicyChanged(p)),
            SettingsCommand::ChangeSessionPolicy(p) => (p != self.session).then_some(SettingsEvent::SessionPolicyChanged(p)),
            SettingsCommand::ChangeTwoFactorPolicy { policy, at } => {
                (policy != self.two_factor).then_some(SettingsEvent::TwoFactorPolicyChanged { policy, at: Some(at) })
            }
            SettingsCommand::ConfigureSmtp(c) => (Some(&c) != self.smtp.as_ref()).then_some(SettingsEvent::SmtpConfigured(c)),
            SettingsCommand::RemoveSmtp => {
                if self.smtp.is_none() {
                    return Err(SettingsError::NotConfigured);
                }
                Some(SettingsEvent::SmtpRemoved)
            }
            SettingsCommand::ConfigureOidc(c) => (Some(&c) != self.oidc.as_ref()).then_some(SettingsEvent::OidcProviderConfigured(c)),
            SettingsCommand::RemoveOidc => {
                if self.oidc.is_none() {
                    return Err(SettingsError::NotConfigured);
                }
                Some(SettingsEvent::OidcProviderRemoved)
            }
            SettingsCommand::SetCodeAccessAuditing(enabled) => {
                (enabled != self.code_access_auditing).then_some(SettingsEvent::CodeAccessAuditingChanged { enabled })
            }
            SettingsCommand::SetAuditRetention(days) => (days != self.audit_retention_days).then_some(SettingsEvent::AuditRetentionChanged { days }),
        };
        if let Some(event) = event {
            sink.write(event, self).await;
        }
        Ok(())
    }

    fn apply(&mut self, event: Self::Event) {
        match event {
            SettingsEvent::SignupPolicyChanged(p) => self.signup = p,
            SettingsEvent::PasswordPolicyChanged(p) => self.password = p,
            SettingsEvent::LockoutPolicyChanged(p) => self.lockout = p,
            SettingsEvent::SessionPolicyChanged(p) => self.session = p,
            SettingsEvent::TwoFactorPolicyChanged { policy, at } => {
                self.two_factor = policy;
                self.two_factor_changed_at = at;
            }
            SettingsEvent::SmtpConfigured(c) => self.smtp = Some(c),
            SettingsEvent::SmtpRemoved => self.smtp = None,
            SettingsEvent::OidcProviderConfigured(c) => self.oidc = Some(c),
            SettingsEvent::OidcProviderRemoved => self.oidc = None,
            SettingsEvent::CodeAccessAuditingChanged { enabled } => self.code_access_auditing = enabled,
            SettingsEvent::AuditRetentionChanged { days } => self.audit_retention_days = days,
        }
    }
}
