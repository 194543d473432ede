//! What can be asked of the `Settings`.

use super::{LockoutPolicy, OidcConfig, PasswordPolicy, SessionPolicy, SignupPolicy, SmtpConfig, TwoFactorPolicy};

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
