//! What happened to the `Settings`: the facts that are stored.

use cqrs_es::DomainEvent;
use serde::{Deserialize, Serialize};

use super::types::{LockoutPolicy, OidcConfig, PasswordPolicy, SessionPolicy, SignupPolicy, SmtpConfig, TwoFactorPolicy};
use crate::common::Timestamp;
use crate::domain::EVENT_VERSION_1;

/// The schema version of `TwoFactorPolicyChanged` (2.0: the policy with the time of the change).
pub const TWO_FACTOR_POLICY_CHANGED_VERSION: &str = "2.0";

/// Facts about the settings, each carrying the whole new value. Stored as JSON and replayed for
/// ever: variants and fields are never renamed, and a changed shape needs an upcaster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SettingsEvent {
    /// A new signup policy.
    SignupPolicyChanged(SignupPolicy),
    /// New password rules; existing passwords are not re-checked.
    PasswordPolicyChanged(PasswordPolicy),
    /// New lockout rules; a lock already in place keeps its end.
    LockoutPolicyChanged(LockoutPolicy),
    /// New lifetimes; live sessions keep the end they were given.
    SessionPolicyChanged(SessionPolicy),
    /// 2FA enforcement changed. Version 2.0 records when, since a grace period runs from it;
    /// 1.0 events are upcast with no time (see `crate::upcasters`).
    TwoFactorPolicyChanged {
        /// The new policy.
        policy: TwoFactorPolicy,
        /// Clock reading from the command (`None` in events upcast from 1.0).
        at: Option<Timestamp>,
    },
    /// Mail goes out through this relay from now on.
    SmtpConfigured(SmtpConfig),
    /// No mail goes out any more.
    SmtpRemoved,
    /// SSO logins go to this provider from now on.
    OidcProviderConfigured(OidcConfig),
    /// SSO logins are no longer offered.
    OidcProviderRemoved,
    /// Code-access auditing was switched on or off.
    CodeAccessAuditingChanged {
        /// On: each code read is to be recorded in the audit log.
        enabled: bool,
    },
    /// How long audit entries stay in the query index from now on.
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
            Self::TwoFactorPolicyChanged { .. } => "TwoFactorPolicyChanged",
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
        match self {
            Self::TwoFactorPolicyChanged { .. } => TWO_FACTOR_POLICY_CHANGED_VERSION.to_owned(),
            _ => EVENT_VERSION_1.to_owned(),
        }
    }
}
