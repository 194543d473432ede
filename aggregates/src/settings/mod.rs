//! The `Settings` aggregate: the one instance of instance-wide policy.

use cqrs_es::event_sink::EventSink;
use cqrs_es::{Aggregate, DomainEvent};
use serde::{Deserialize, Serialize};

use crate::{DomainError, EVENT_VERSION_1, ErrorKind, Sealed};

/// The id of the only `Settings` instance.
pub const SETTINGS_ID: &str = "global";

/// Who may create an account by themselves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum SignupMode {
    /// Anyone (optionally limited to some email domains).
    Open,
    /// Nobody but the first user; admins create accounts.
    #[default]
    Closed,
    /// Only holders of an invitation.
    Invite,
}

/// Self-registration policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignupPolicy {
    /// Who may sign up.
    pub mode: SignupMode,
    /// When not empty, self-registered emails must be in one of these domains (lower-case).
    pub allowed_domains: Vec<String>,
}

/// Password rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordPolicy {
    /// Minimum length in characters (at least 8, per NIST SP 800-63B §5.1.1.2).
    pub min_length: u32,
    /// Maximum length in characters (at most 128).
    pub max_length: u32,
    /// Whether new passwords are checked against a breached-password list.
    pub breach_check: bool,
}

impl Default for PasswordPolicy {
    fn default() -> Self {
        Self { min_length: 10, max_length: 128, breach_check: false }
    }
}

/// Brute-force lockout rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LockoutPolicy {
    /// Failed logins within the window that lock the account.
    pub max_failures: u32,
    /// Window in minutes in which failures are counted.
    pub window_minutes: u32,
    /// How long a lock lasts, in minutes.
    pub lock_minutes: u32,
}

impl Default for LockoutPolicy {
    fn default() -> Self {
        Self { max_failures: 5, window_minutes: 15, lock_minutes: 15 }
    }
}

/// Token and session lifetimes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionPolicy {
    /// Access-token lifetime in seconds.
    pub access_ttl_seconds: u32,
    /// Refresh-token (session) lifetime in seconds.
    pub refresh_ttl_seconds: u32,
    /// A session unused for this many seconds ends.
    pub idle_timeout_seconds: u32,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        Self { access_ttl_seconds: 600, refresh_ttl_seconds: 30 * 86_400, idle_timeout_seconds: 7 * 86_400 }
    }
}

/// Who must use a second factor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum TwoFactorScope {
    /// Nobody is forced.
    #[default]
    Off,
    /// Admins must.
    Admins,
    /// Everyone must.
    Everyone,
}

/// Second-factor enforcement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TwoFactorPolicy {
    /// Who is forced.
    pub scope: TwoFactorScope,
    /// Days a user has to enrol before being forced.
    pub grace_days: u32,
}

/// Transport security towards the SMTP relay.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum SmtpSecurity {
    /// Plain SMTP (only sensible on loopback).
    None,
    /// STARTTLS upgrade (RFC 3207).
    StartTls,
    /// Implicit TLS (RFC 8314).
    Tls,
}

/// Outgoing mail configuration; the password is sealed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SmtpConfig {
    /// Relay host name.
    pub host: String,
    /// Relay port.
    pub port: u16,
    /// Transport security.
    pub security: SmtpSecurity,
    /// Login name, if the relay needs one.
    pub username: Option<String>,
    /// Sealed login password.
    pub password: Option<Sealed>,
    /// The `From:` address.
    pub from: String,
}

/// OpenID Connect provider configuration; the client secret is sealed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OidcConfig {
    /// Issuer URL (discovery base).
    pub issuer: String,
    /// Client id.
    pub client_id: String,
    /// Sealed client secret.
    pub client_secret: Option<Sealed>,
    /// Scopes requested besides `openid`.
    pub scopes: Vec<String>,
    /// Provider group → AuthNode role (`admin`, `user`, `auditor`).
    pub group_role_mapping: Vec<(String, String)>,
    /// Create accounts on first SSO login.
    pub auto_provision: bool,
    /// Disable password logins for non-admins.
    pub sso_only: bool,
}

/// The settings aggregate state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Settings {
    /// Self-registration policy.
    pub signup: SignupPolicy,
    /// Password rules.
    pub password: PasswordPolicy,
    /// Lockout rules.
    pub lockout: LockoutPolicy,
    /// Session lifetimes.
    pub session: SessionPolicy,
    /// Second-factor enforcement.
    pub two_factor: TwoFactorPolicy,
    /// Outgoing mail, if configured.
    pub smtp: Option<SmtpConfig>,
    /// SSO provider, if configured.
    pub oidc: Option<OidcConfig>,
    /// Record an audit event whenever a code is read.
    pub code_access_auditing: bool,
    /// Days audit entries are kept in the query index (`None` = forever).
    pub audit_retention_days: Option<u32>,
}

/// Commands on the settings.
#[derive(Debug, Clone, PartialEq)]
pub enum SettingsCommand {
    /// Set the signup policy.
    ChangeSignupPolicy(SignupPolicy),
    /// Set the password policy.
    ChangePasswordPolicy(PasswordPolicy),
    /// Set the lockout policy.
    ChangeLockoutPolicy(LockoutPolicy),
    /// Set the session policy.
    ChangeSessionPolicy(SessionPolicy),
    /// Set 2FA enforcement.
    ChangeTwoFactorPolicy(TwoFactorPolicy),
    /// Configure outgoing mail.
    ConfigureSmtp(SmtpConfig),
    /// Remove the mail configuration.
    RemoveSmtp,
    /// Configure the SSO provider.
    ConfigureOidc(OidcConfig),
    /// Remove the SSO provider.
    RemoveOidc,
    /// Turn code-access auditing on or off.
    SetCodeAccessAuditing(bool),
    /// Set audit retention in days (`None` = forever).
    SetAuditRetention(Option<u32>),
}

/// Facts about the settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SettingsEvent {
    /// The signup policy changed.
    SignupPolicyChanged(SignupPolicy),
    /// The password policy changed.
    PasswordPolicyChanged(PasswordPolicy),
    /// The lockout policy changed.
    LockoutPolicyChanged(LockoutPolicy),
    /// The session policy changed.
    SessionPolicyChanged(SessionPolicy),
    /// 2FA enforcement changed.
    TwoFactorPolicyChanged(TwoFactorPolicy),
    /// Outgoing mail was configured.
    SmtpConfigured(SmtpConfig),
    /// Outgoing mail was removed.
    SmtpRemoved,
    /// The SSO provider was configured.
    OidcProviderConfigured(OidcConfig),
    /// The SSO provider was removed.
    OidcProviderRemoved,
    /// Code-access auditing was switched.
    CodeAccessAuditingChanged {
        /// New state.
        enabled: bool,
    },
    /// Audit retention changed.
    AuditRetentionChanged {
        /// Days kept, `None` = forever.
        days: Option<u32>,
    },
}

impl DomainEvent for SettingsEvent {
    fn event_type(&self) -> String {
        match self {
            Self::SignupPolicyChanged(_) => "SignupPolicyChanged",
            Self::PasswordPolicyChanged(_) => "PasswordPolicyChanged",
            Self::LockoutPolicyChanged(_) => "LockoutPolicyChanged",
            Self::SessionPolicyChanged(_) => "SessionPolicyChanged",
            Self::TwoFactorPolicyChanged(_) => "TwoFactorPolicyChanged",
            Self::SmtpConfigured(_) => "SmtpConfigured",
            Self::SmtpRemoved => "SmtpRemoved",
            Self::OidcProviderConfigured(_) => "OidcProviderConfigured",
            Self::OidcProviderRemoved => "OidcProviderRemoved",
            Self::CodeAccessAuditingChanged { .. } => "CodeAccessAuditingChanged",
            Self::AuditRetentionChanged { .. } => "AuditRetentionChanged",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        EVENT_VERSION_1.to_owned()
    }
}

/// Why a settings command was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettingsError {
    /// A value is out of range; `field` names it.
    #[error("{field}: {message}")]
    Invalid {
        /// The offending field (`snake_case`, dotted for nesting).
        field: &'static str,
        /// What is wrong, for the user.
        message: &'static str,
    },
    /// Removing something that is not configured.
    #[error("not configured")]
    NotConfigured,
}

impl DomainError for SettingsError {
    fn code(&self) -> &'static str {
        match self {
            Self::Invalid { .. } => "invalid_setting",
            Self::NotConfigured => "not_configured",
        }
    }
    fn field(&self) -> Option<&'static str> {
        match self {
            Self::Invalid { field, .. } => Some(field),
            Self::NotConfigured => None,
        }
    }
    fn kind(&self) -> ErrorKind {
        match self {
            Self::Invalid { .. } => ErrorKind::Invalid,
            Self::NotConfigured => ErrorKind::Conflict,
        }
    }
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

const ROLES: [&str; 3] = ["admin", "user", "auditor"];

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
                check(p.min_length <= p.max_length, "min_length", "must not exceed max_length")
            }
            SettingsCommand::ChangeLockoutPolicy(p) => {
                check((1..=100).contains(&p.max_failures), "max_failures", "must be 1–100")?;
                check((1..=1440).contains(&p.window_minutes), "window_minutes", "must be 1–1440")?;
                check((1..=10_080).contains(&p.lock_minutes), "lock_minutes", "must be 1–10080")
            }
            SettingsCommand::ChangeSessionPolicy(p) => {
                check((60..=86_400).contains(&p.access_ttl_seconds), "access_ttl_seconds", "must be 60–86400")?;
                check((300..=31_536_000).contains(&p.refresh_ttl_seconds), "refresh_ttl_seconds", "must be 300–31536000")?;
                check(p.refresh_ttl_seconds >= p.access_ttl_seconds, "refresh_ttl_seconds", "must not be shorter than the access-token lifetime")?;
                check((300..=31_536_000).contains(&p.idle_timeout_seconds), "idle_timeout_seconds", "must be 300–31536000")
            }
            SettingsCommand::ChangeTwoFactorPolicy(p) => check(p.grace_days <= 90, "grace_days", "must be 0–90"),
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
                    c.group_role_mapping.iter().all(|(_, r)| ROLES.contains(&r.as_str())),
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
            SettingsCommand::ChangeTwoFactorPolicy(p) => (p != self.two_factor).then_some(SettingsEvent::TwoFactorPolicyChanged(p)),
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
            SettingsEvent::TwoFactorPolicyChanged(p) => self.two_factor = p,
            SettingsEvent::SmtpConfigured(c) => self.smtp = Some(c),
            SettingsEvent::SmtpRemoved => self.smtp = None,
            SettingsEvent::OidcProviderConfigured(c) => self.oidc = Some(c),
            SettingsEvent::OidcProviderRemoved => self.oidc = None,
            SettingsEvent::CodeAccessAuditingChanged { enabled } => self.code_access_auditing = enabled,
            SettingsEvent::AuditRetentionChanged { days } => self.audit_retention_days = days,
        }
    }
}
