//! The policies and configurations that `Settings` holds.

use serde::{Deserialize, Serialize};

use crate::common::Sealed;
use crate::wire::wire_names;

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

wire_names!(SignupMode { Open => "open", Closed => "closed", Invite => "invite" });

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
    #[cfg_attr(feature = "openapi", schema(minimum = 8, maximum = 128))]
    pub min_length: u32,
    /// Maximum length in characters (64–128; NIST SP 800-63B asks to permit at least 64).
    #[cfg_attr(feature = "openapi", schema(minimum = 64, maximum = 128))]
    pub max_length: u32,
    /// Whether new passwords are checked against a breached-password list (on by default, as
    /// NIST SP 800-63B §3.1.1.2 asks).
    pub breach_check: bool,
}

impl Default for PasswordPolicy {
    fn default() -> Self {
        Self { min_length: 10, max_length: 128, breach_check: true }
    }
}

/// Brute-force lockout rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LockoutPolicy {
    /// Failed logins within the window that lock the account (1–100).
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 100))]
    pub max_failures: u32,
    /// Sliding window in minutes in which failures are counted (1–1440).
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 1440))]
    pub window_minutes: u32,
    /// How long a lock lasts, in minutes (1–10080, a week).
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 10080))]
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
    /// Access-token lifetime in seconds (60–86400).
    #[cfg_attr(feature = "openapi", schema(minimum = 60, maximum = 86400))]
    pub access_ttl_seconds: u32,
    /// Refresh-token (session) lifetime in seconds (300–31536000, not below the access token's).
    #[cfg_attr(feature = "openapi", schema(minimum = 300, maximum = 31_536_000))]
    pub refresh_ttl_seconds: u32,
    /// A session unused for this many seconds ends (300–31536000).
    #[cfg_attr(feature = "openapi", schema(minimum = 300, maximum = 31_536_000))]
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
    /// Admins, whose accounts can change everyone else's.
    Admins,
    /// Every user, admins included.
    Everyone,
}

wire_names!(TwoFactorScope { Off => "off", Admins => "admins", Everyone => "everyone" });

/// Second-factor enforcement; off by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TwoFactorPolicy {
    /// Who must enrol.
    pub scope: TwoFactorScope,
    /// Days a user has to enrol before being forced (0–90).
    #[cfg_attr(feature = "openapi", schema(maximum = 90))]
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

wire_names!(SmtpSecurity { None => "none", StartTls => "start_tls", Tls => "tls" });

/// Outgoing mail configuration; the password is sealed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SmtpConfig {
    /// Relay host name or address (IPv6 in brackets).
    pub host: String,
    /// Relay port, never 0.
    pub port: u16,
    /// How the connection is protected; `None` only suits a relay on loopback.
    pub security: SmtpSecurity,
    /// Login name, if the relay needs one.
    pub username: Option<String>,
    /// Sealed login password.
    pub password: Option<Sealed>,
    /// The `From:` header: a bare address or `Name <address>`.
    pub from: String,
}

/// OpenID Connect provider configuration; the client secret is sealed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OidcConfig {
    /// Issuer URL (discovery base): http(s), at most 2048 characters.
    pub issuer: String,
    /// The client id registered at the provider (1–256 characters).
    pub client_id: String,
    /// Sealed client secret, if the provider issued one.
    pub client_secret: Option<Sealed>,
    /// Scopes requested besides `openid`.
    pub scopes: Vec<String>,
    /// Provider group → AuthNode role, as a `Role` wire name (`admin`, `user`, `auditor`).
    pub group_role_mapping: Vec<(String, String)>,
    /// Create accounts on first SSO login.
    pub auto_provision: bool,
    /// Disable password logins for non-admins.
    pub sso_only: bool,
}
