//! What happened to the `Settings`: the facts that are stored.

use cqrs_es::DomainEvent;
use serde::{Deserialize, Serialize};

use super::{LockoutPolicy, OidcConfig, PasswordPolicy, SessionPolicy, SignupPolicy, SmtpConfig, TwoFactorPolicy};
use crate::EVENT_VERSION_1;

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
