//! Given/when/then tests of the `Settings` aggregate.

mod common;

use aggregates::settings::{
    LockoutPolicy, OidcConfig, PasswordPolicy, SessionPolicy, SignupMode, SignupPolicy, SmtpConfig, SmtpSecurity, TwoFactorPolicy, TwoFactorScope,
};
use aggregates::{DomainError, ErrorKind, Settings, SettingsCommand, SettingsError, SettingsEvent};
use common::{other_sealed, sealed, t0};
use cqrs_es::test::{AggregateTestExecutor, TestFramework};

// ---------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------

fn given(events: Vec<SettingsEvent>) -> AggregateTestExecutor<Settings> {
    TestFramework::<Settings>::with(()).given(events)
}

fn fresh() -> AggregateTestExecutor<Settings> {
    TestFramework::<Settings>::with(()).given_no_previous_events()
}

async fn run(history: Vec<SettingsEvent>, command: SettingsCommand) -> Result<Vec<SettingsEvent>, SettingsError> {
    given(history).when_async(command).await.inspect_result()
}

/// Asserts that `command` on fresh settings is refused for `field` with `message`.
async fn assert_invalid(command: SettingsCommand, field: &'static str, message: &'static str) {
    let result = run(vec![], command.clone()).await;
    assert_eq!(result, Err(SettingsError::Invalid { field, message }), "{command:?}");
    assert_eq!(result.unwrap_err().field(), Some(field));
}

fn smtp() -> SmtpConfig {
    SmtpConfig {
        host: "smtp.example.com".into(),
        port: 587,
        security: SmtpSecurity::StartTls,
        username: Some("mailer".into()),
        password: Some(sealed()),
        from: "authnode@example.com".into(),
    }
}

fn oidc() -> OidcConfig {
    OidcConfig {
        issuer: "https://id.example.com/realms/main".into(),
        client_id: "authnode".into(),
        client_secret: Some(sealed()),
        scopes: vec!["email".into(), "profile".into(), "groups".into()],
        group_role_mapping: vec![("ops".into(), "admin".into()), ("audit".into(), "auditor".into()), ("staff".into(), "user".into())],
        auto_provision: true,
        sso_only: false,
    }
}

// ---------------------------------------------------------------------------------------------
// ChangeSignupPolicy
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn signup_policy_change_is_recorded() {
    let p = SignupPolicy { mode: SignupMode::Open, allowed_domains: vec!["example.com".into(), "mail.example-corp.co.uk".into()] };
    fresh().when_async(SettingsCommand::ChangeSignupPolicy(p.clone())).await.then_expect_events(vec![SettingsEvent::SignupPolicyChanged(p)]);
}

#[tokio::test]
async fn signup_policy_accepts_invite_mode_and_100_domains() {
    let p = SignupPolicy { mode: SignupMode::Invite, allowed_domains: (0..100).map(|i| format!("d{i}.example")).collect() };
    fresh().when_async(SettingsCommand::ChangeSignupPolicy(p.clone())).await.then_expect_events(vec![SettingsEvent::SignupPolicyChanged(p)]);
}

#[tokio::test]
async fn unchanged_signup_policy_records_nothing() {
    fresh().when_async(SettingsCommand::ChangeSignupPolicy(SignupPolicy::default())).await.then_expect_events(vec![]);
    let p = SignupPolicy { mode: SignupMode::Open, allowed_domains: vec!["example.com".into()] };
    given(vec![SettingsEvent::SignupPolicyChanged(p.clone())]).when_async(SettingsCommand::ChangeSignupPolicy(p)).await.then_expect_events(vec![]);
}

#[tokio::test]
async fn signup_policy_with_more_than_100_domains_is_refused() {
    let p = SignupPolicy { mode: SignupMode::Open, allowed_domains: (0..101).map(|i| format!("d{i}.example")).collect() };
    assert_invalid(SettingsCommand::ChangeSignupPolicy(p), "allowed_domains", "at most 100 domains").await;
}

#[tokio::test]
async fn signup_policy_with_a_malformed_domain_is_refused() {
    let too_long = format!("{}.com", "a".repeat(250));
    for domain in [
        "Example.com",
        "localhost",
        ".example.com",
        "-example.com",
        "example.com.",
        "",
        "exa mple.com",
        "*.example.com",
        "exam_ple.com",
        too_long.as_str(),
    ] {
        let p = SignupPolicy { mode: SignupMode::Open, allowed_domains: vec!["example.com".into(), domain.into()] };
        assert_invalid(SettingsCommand::ChangeSignupPolicy(p), "allowed_domains", "each must be a lower-case domain name such as example.com").await;
    }
}

// ---------------------------------------------------------------------------------------------
// ChangePasswordPolicy
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn password_policy_change_is_recorded() {
    for p in [
        PasswordPolicy { min_length: 8, max_length: 64, breach_check: true },
        PasswordPolicy { min_length: 64, max_length: 64, breach_check: false },
        PasswordPolicy { min_length: 128, max_length: 128, breach_check: false },
    ] {
        fresh().when_async(SettingsCommand::ChangePasswordPolicy(p)).await.then_expect_events(vec![SettingsEvent::PasswordPolicyChanged(p)]);
    }
}

#[tokio::test]
async fn unchanged_password_policy_records_nothing() {
    fresh().when_async(SettingsCommand::ChangePasswordPolicy(PasswordPolicy::default())).await.then_expect_events(vec![]);
}

#[tokio::test]
async fn password_policy_bounds_are_enforced() {
    let p = |min_length, max_length| SettingsCommand::ChangePasswordPolicy(PasswordPolicy { min_length, max_length, breach_check: false });
    assert_invalid(p(7, 128), "min_length", "must be at least 8").await;
    assert_invalid(p(0, 64), "min_length", "must be at least 8").await;
    assert_invalid(p(10, 129), "max_length", "must be at most 128").await;
    assert_invalid(p(10, 63), "max_length", "must be at least 64 (NIST SP 800-63B)").await;
    assert_eq!(run(vec![], p(65, 64)).await, Err(SettingsError::PasswordLengthsInverted));
}

// ---------------------------------------------------------------------------------------------
// ChangeLockoutPolicy
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn lockout_policy_change_is_recorded_at_both_bounds() {
    for p in [
        LockoutPolicy { max_failures: 1, window_minutes: 1, lock_minutes: 1 },
        LockoutPolicy { max_failures: 100, window_minutes: 1440, lock_minutes: 10_080 },
    ] {
        fresh().when_async(SettingsCommand::ChangeLockoutPolicy(p)).await.then_expect_events(vec![SettingsEvent::LockoutPolicyChanged(p)]);
    }
}

#[tokio::test]
async fn unchanged_lockout_policy_records_nothing() {
    fresh().when_async(SettingsCommand::ChangeLockoutPolicy(LockoutPolicy::default())).await.then_expect_events(vec![]);
}

#[tokio::test]
async fn lockout_policy_bounds_are_enforced() {
    let p = |max_failures, window_minutes, lock_minutes| {
        SettingsCommand::ChangeLockoutPolicy(LockoutPolicy { max_failures, window_minutes, lock_minutes })
    };
    assert_invalid(p(0, 15, 15), "max_failures", "must be 1–100").await;
    assert_invalid(p(101, 15, 15), "max_failures", "must be 1–100").await;
    assert_invalid(p(5, 0, 15), "window_minutes", "must be 1–1440").await;
    assert_invalid(p(5, 1441, 15), "window_minutes", "must be 1–1440").await;
    assert_invalid(p(5, 15, 0), "lock_minutes", "must be 1–10080").await;
    assert_invalid(p(5, 15, 10_081), "lock_minutes", "must be 1–10080").await;
}

// ---------------------------------------------------------------------------------------------
// ChangeSessionPolicy
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn session_policy_change_is_recorded_at_both_bounds() {
    for p in [
        SessionPolicy { access_ttl_seconds: 60, refresh_ttl_seconds: 300, idle_timeout_seconds: 300 },
        SessionPolicy { access_ttl_seconds: 86_400, refresh_ttl_seconds: 31_536_000, idle_timeout_seconds: 31_536_000 },
        SessionPolicy { access_ttl_seconds: 3600, refresh_ttl_seconds: 3600, idle_timeout_seconds: 900 },
    ] {
        fresh().when_async(SettingsCommand::ChangeSessionPolicy(p)).await.then_expect_events(vec![SettingsEvent::SessionPolicyChanged(p)]);
    }
}

#[tokio::test]
async fn unchanged_session_policy_records_nothing() {
    fresh().when_async(SettingsCommand::ChangeSessionPolicy(SessionPolicy::default())).await.then_expect_events(vec![]);
}

#[tokio::test]
async fn session_policy_bounds_are_enforced() {
    let p = |access_ttl_seconds, refresh_ttl_seconds, idle_timeout_seconds| {
        SettingsCommand::ChangeSessionPolicy(SessionPolicy { access_ttl_seconds, refresh_ttl_seconds, idle_timeout_seconds })
    };
    assert_invalid(p(59, 3600, 3600), "access_ttl_seconds", "must be 60–86400").await;
    assert_invalid(p(86_401, 172_800, 3600), "access_ttl_seconds", "must be 60–86400").await;
    assert_invalid(p(60, 299, 3600), "refresh_ttl_seconds", "must be 300–31536000").await;
    assert_invalid(p(600, 31_536_001, 3600), "refresh_ttl_seconds", "must be 300–31536000").await;
    let inverted = run(vec![], p(3600, 1800, 3600)).await;
    assert_eq!(inverted, Err(SettingsError::SessionLifetimesInverted));
    assert_eq!(inverted.unwrap_err().field(), Some("refresh_ttl_seconds"));
    assert_invalid(p(600, 3600, 299), "idle_timeout_seconds", "must be 300–31536000").await;
    assert_invalid(p(600, 3600, 31_536_001), "idle_timeout_seconds", "must be 300–31536000").await;
}

// ---------------------------------------------------------------------------------------------
// ChangeTwoFactorPolicy
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn two_factor_policy_change_is_recorded() {
    for p in [TwoFactorPolicy { scope: TwoFactorScope::Everyone, grace_days: 90 }, TwoFactorPolicy { scope: TwoFactorScope::Admins, grace_days: 0 }] {
        fresh()
            .when_async(SettingsCommand::ChangeTwoFactorPolicy { policy: p, at: t0() })
            .await
            .then_expect_events(vec![SettingsEvent::TwoFactorPolicyChanged { policy: p, at: Some(t0()) }]);
    }
}

#[tokio::test]
async fn unchanged_two_factor_policy_records_nothing() {
    fresh().when_async(SettingsCommand::ChangeTwoFactorPolicy { policy: TwoFactorPolicy::default(), at: t0() }).await.then_expect_events(vec![]);
}

#[tokio::test]
async fn two_factor_grace_period_over_90_days_is_refused() {
    assert_invalid(
        SettingsCommand::ChangeTwoFactorPolicy { policy: TwoFactorPolicy { scope: TwoFactorScope::Everyone, grace_days: 91 }, at: t0() },
        "grace_days",
        "must be 0–90",
    )
    .await;
}

// ---------------------------------------------------------------------------------------------
// ConfigureSmtp / RemoveSmtp
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn smtp_configuration_is_recorded() {
    fresh().when_async(SettingsCommand::ConfigureSmtp(smtp())).await.then_expect_events(vec![SettingsEvent::SmtpConfigured(smtp())]);
}

#[tokio::test]
async fn smtp_accepts_a_named_from_an_ip_host_and_no_credentials() {
    let c = SmtpConfig {
        host: "[::1]".into(),
        port: 25,
        security: SmtpSecurity::None,
        username: None,
        password: None,
        from: "AuthNode <authnode@example.com>".into(),
    };
    fresh().when_async(SettingsCommand::ConfigureSmtp(c.clone())).await.then_expect_events(vec![SettingsEvent::SmtpConfigured(c)]);
}

#[tokio::test]
async fn smtp_reconfiguration_with_a_change_is_recorded() {
    let c = SmtpConfig { port: 465, security: SmtpSecurity::Tls, password: Some(other_sealed()), ..smtp() };
    given(vec![SettingsEvent::SmtpConfigured(smtp())])
        .when_async(SettingsCommand::ConfigureSmtp(c.clone()))
        .await
        .then_expect_events(vec![SettingsEvent::SmtpConfigured(c)]);
}

#[tokio::test]
async fn unchanged_smtp_configuration_records_nothing() {
    given(vec![SettingsEvent::SmtpConfigured(smtp())]).when_async(SettingsCommand::ConfigureSmtp(smtp())).await.then_expect_events(vec![]);
}

#[tokio::test]
async fn smtp_configuration_bounds_are_enforced() {
    for host in ["", "smtp host", "smtp/example", &"h".repeat(254)] {
        assert_invalid(SettingsCommand::ConfigureSmtp(SmtpConfig { host: host.to_owned(), ..smtp() }), "smtp.host", "must be a host name or address")
            .await;
    }
    assert_invalid(SettingsCommand::ConfigureSmtp(SmtpConfig { port: 0, ..smtp() }), "smtp.port", "must be 1–65535").await;
    for from in ["", "authnode", "authnode@localhost"] {
        assert_invalid(SettingsCommand::ConfigureSmtp(SmtpConfig { from: from.into(), ..smtp() }), "smtp.from", "must be an email address").await;
    }
    for username in [String::new(), "u".repeat(257)] {
        assert_invalid(
            SettingsCommand::ConfigureSmtp(SmtpConfig { username: Some(username), ..smtp() }),
            "smtp.username",
            "must be 1–256 characters",
        )
        .await;
    }
}

#[tokio::test]
async fn smtp_username_of_256_characters_is_accepted() {
    let c = SmtpConfig { username: Some("u".repeat(256)), ..smtp() };
    fresh().when_async(SettingsCommand::ConfigureSmtp(c.clone())).await.then_expect_events(vec![SettingsEvent::SmtpConfigured(c)]);
}

#[tokio::test]
async fn removing_configured_smtp_is_recorded() {
    given(vec![SettingsEvent::SmtpConfigured(smtp())])
        .when_async(SettingsCommand::RemoveSmtp)
        .await
        .then_expect_events(vec![SettingsEvent::SmtpRemoved]);
}

#[tokio::test]
async fn removing_smtp_when_not_configured_is_refused() {
    fresh().when_async(SettingsCommand::RemoveSmtp).await.then_expect_error(SettingsError::NotConfigured);
    given(vec![SettingsEvent::SmtpConfigured(smtp()), SettingsEvent::SmtpRemoved])
        .when_async(SettingsCommand::RemoveSmtp)
        .await
        .then_expect_error(SettingsError::NotConfigured);
}

#[tokio::test]
async fn removing_smtp_does_not_depend_on_oidc() {
    given(vec![SettingsEvent::OidcProviderConfigured(oidc())])
        .when_async(SettingsCommand::RemoveSmtp)
        .await
        .then_expect_error(SettingsError::NotConfigured);
}

// ---------------------------------------------------------------------------------------------
// ConfigureOidc / RemoveOidc
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn oidc_configuration_is_recorded() {
    fresh().when_async(SettingsCommand::ConfigureOidc(oidc())).await.then_expect_events(vec![SettingsEvent::OidcProviderConfigured(oidc())]);
}

#[tokio::test]
async fn oidc_accepts_a_public_client_over_http_without_scopes_or_mapping() {
    let c = OidcConfig {
        issuer: "http://localhost:8080".into(),
        client_id: "c".repeat(256),
        client_secret: None,
        scopes: vec![],
        group_role_mapping: vec![],
        auto_provision: false,
        sso_only: true,
    };
    fresh().when_async(SettingsCommand::ConfigureOidc(c.clone())).await.then_expect_events(vec![SettingsEvent::OidcProviderConfigured(c)]);
}

#[tokio::test]
async fn oidc_reconfiguration_with_a_change_is_recorded() {
    let c = OidcConfig { sso_only: true, client_secret: Some(other_sealed()), ..oidc() };
    given(vec![SettingsEvent::OidcProviderConfigured(oidc())])
        .when_async(SettingsCommand::ConfigureOidc(c.clone()))
        .await
        .then_expect_events(vec![SettingsEvent::OidcProviderConfigured(c)]);
}

#[tokio::test]
async fn unchanged_oidc_configuration_records_nothing() {
    given(vec![SettingsEvent::OidcProviderConfigured(oidc())]).when_async(SettingsCommand::ConfigureOidc(oidc())).await.then_expect_events(vec![]);
}

#[tokio::test]
async fn oidc_configuration_bounds_are_enforced() {
    for issuer in ["id.example.com", "ftp://id.example.com", "HTTPS://id.example.com"] {
        assert_invalid(SettingsCommand::ConfigureOidc(OidcConfig { issuer: issuer.into(), ..oidc() }), "oidc.issuer", "must be an http(s) URL").await;
    }
    let long_issuer = format!("https://id.example.com/{}", "a".repeat(2048));
    assert_invalid(SettingsCommand::ConfigureOidc(OidcConfig { issuer: long_issuer, ..oidc() }), "oidc.issuer", "is too long").await;
    for client_id in [String::new(), "c".repeat(257)] {
        assert_invalid(SettingsCommand::ConfigureOidc(OidcConfig { client_id, ..oidc() }), "oidc.client_id", "must be 1–256 characters").await;
    }
    for scope in ["", "two words", "tab\t"] {
        let scopes = vec!["email".into(), scope.into()];
        assert_invalid(SettingsCommand::ConfigureOidc(OidcConfig { scopes, ..oidc() }), "oidc.scopes", "must be non-empty scope tokens").await;
    }
    for role in ["root", "Admin", ""] {
        let group_role_mapping = vec![("ops".into(), "admin".into()), ("x".into(), role.into())];
        assert_invalid(
            SettingsCommand::ConfigureOidc(OidcConfig { group_role_mapping, ..oidc() }),
            "oidc.group_role_mapping",
            "roles must be admin, user or auditor",
        )
        .await;
    }
}

#[tokio::test]
async fn removing_configured_oidc_is_recorded() {
    given(vec![SettingsEvent::OidcProviderConfigured(oidc())])
        .when_async(SettingsCommand::RemoveOidc)
        .await
        .then_expect_events(vec![SettingsEvent::OidcProviderRemoved]);
}

#[tokio::test]
async fn removing_oidc_when_not_configured_is_refused() {
    fresh().when_async(SettingsCommand::RemoveOidc).await.then_expect_error(SettingsError::NotConfigured);
    given(vec![SettingsEvent::OidcProviderConfigured(oidc()), SettingsEvent::OidcProviderRemoved, SettingsEvent::SmtpConfigured(smtp())])
        .when_async(SettingsCommand::RemoveOidc)
        .await
        .then_expect_error(SettingsError::NotConfigured);
}

// ---------------------------------------------------------------------------------------------
// SetCodeAccessAuditing / SetAuditRetention
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn code_access_auditing_switches_are_recorded() {
    fresh()
        .when_async(SettingsCommand::SetCodeAccessAuditing(true))
        .await
        .then_expect_events(vec![SettingsEvent::CodeAccessAuditingChanged { enabled: true }]);
    given(vec![SettingsEvent::CodeAccessAuditingChanged { enabled: true }])
        .when_async(SettingsCommand::SetCodeAccessAuditing(false))
        .await
        .then_expect_events(vec![SettingsEvent::CodeAccessAuditingChanged { enabled: false }]);
}

#[tokio::test]
async fn unchanged_code_access_auditing_records_nothing() {
    fresh().when_async(SettingsCommand::SetCodeAccessAuditing(false)).await.then_expect_events(vec![]);
    given(vec![SettingsEvent::CodeAccessAuditingChanged { enabled: true }])
        .when_async(SettingsCommand::SetCodeAccessAuditing(true))
        .await
        .then_expect_events(vec![]);
}

#[tokio::test]
async fn audit_retention_change_is_recorded_at_both_bounds() {
    for days in [Some(30), Some(36_500)] {
        fresh().when_async(SettingsCommand::SetAuditRetention(days)).await.then_expect_events(vec![SettingsEvent::AuditRetentionChanged { days }]);
    }
}

#[tokio::test]
async fn audit_retention_can_go_back_to_forever() {
    given(vec![SettingsEvent::AuditRetentionChanged { days: Some(365) }])
        .when_async(SettingsCommand::SetAuditRetention(None))
        .await
        .then_expect_events(vec![SettingsEvent::AuditRetentionChanged { days: None }]);
}

#[tokio::test]
async fn unchanged_audit_retention_records_nothing() {
    fresh().when_async(SettingsCommand::SetAuditRetention(None)).await.then_expect_events(vec![]);
    given(vec![SettingsEvent::AuditRetentionChanged { days: Some(90) }])
        .when_async(SettingsCommand::SetAuditRetention(Some(90)))
        .await
        .then_expect_events(vec![]);
}

#[tokio::test]
async fn audit_retention_out_of_range_is_refused() {
    for days in [0, 29, 36_501] {
        assert_invalid(SettingsCommand::SetAuditRetention(Some(days)), "audit_retention_days", "must be 30–36500, or null to keep forever").await;
    }
}

// ---------------------------------------------------------------------------------------------
// Cross-cutting
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn an_invalid_value_is_refused_even_when_equal_to_the_recorded_one() {
    // Validation runs before the no-op check, so a stored value that no longer passes (e.g.
    // written by an older release) cannot be "confirmed" by setting it again.
    given(vec![SettingsEvent::AuditRetentionChanged { days: Some(7) }])
        .when_async(SettingsCommand::SetAuditRetention(Some(7)))
        .await
        .then_expect_error(SettingsError::Invalid { field: "audit_retention_days", message: "must be 30–36500, or null to keep forever" });
}

#[tokio::test]
async fn changes_only_touch_their_own_setting() {
    // A history that changed everything; re-sending the unchanged values records nothing, while
    // the untouched defaults of other settings are not confused with them.
    let signup = SignupPolicy { mode: SignupMode::Open, allowed_domains: vec!["example.com".into()] };
    let password = PasswordPolicy { min_length: 12, max_length: 100, breach_check: true };
    let lockout = LockoutPolicy { max_failures: 3, window_minutes: 10, lock_minutes: 60 };
    let session = SessionPolicy { access_ttl_seconds: 300, refresh_ttl_seconds: 86_400, idle_timeout_seconds: 3600 };
    let two_factor = TwoFactorPolicy { scope: TwoFactorScope::Admins, grace_days: 7 };
    let history = vec![
        SettingsEvent::SignupPolicyChanged(signup.clone()),
        SettingsEvent::PasswordPolicyChanged(password),
        SettingsEvent::LockoutPolicyChanged(lockout),
        SettingsEvent::SessionPolicyChanged(session),
        SettingsEvent::TwoFactorPolicyChanged { policy: two_factor, at: Some(t0()) },
        SettingsEvent::SmtpConfigured(smtp()),
        SettingsEvent::OidcProviderConfigured(oidc()),
        SettingsEvent::CodeAccessAuditingChanged { enabled: true },
        SettingsEvent::AuditRetentionChanged { days: Some(400) },
    ];
    let unchanged = [
        SettingsCommand::ChangeSignupPolicy(signup),
        SettingsCommand::ChangePasswordPolicy(password),
        SettingsCommand::ChangeLockoutPolicy(lockout),
        SettingsCommand::ChangeSessionPolicy(session),
        SettingsCommand::ChangeTwoFactorPolicy { policy: two_factor, at: t0() },
        SettingsCommand::ConfigureSmtp(smtp()),
        SettingsCommand::ConfigureOidc(oidc()),
        SettingsCommand::SetCodeAccessAuditing(true),
        SettingsCommand::SetAuditRetention(Some(400)),
    ];
    for command in unchanged {
        assert_eq!(run(history.clone(), command.clone()).await, Ok(vec![]), "{command:?}");
    }
    let back_to_defaults = [
        (SettingsCommand::ChangeSignupPolicy(SignupPolicy::default()), SettingsEvent::SignupPolicyChanged(SignupPolicy::default())),
        (SettingsCommand::ChangePasswordPolicy(PasswordPolicy::default()), SettingsEvent::PasswordPolicyChanged(PasswordPolicy::default())),
        (SettingsCommand::ChangeLockoutPolicy(LockoutPolicy::default()), SettingsEvent::LockoutPolicyChanged(LockoutPolicy::default())),
        (SettingsCommand::ChangeSessionPolicy(SessionPolicy::default()), SettingsEvent::SessionPolicyChanged(SessionPolicy::default())),
        (
            SettingsCommand::ChangeTwoFactorPolicy { policy: TwoFactorPolicy::default(), at: t0() },
            SettingsEvent::TwoFactorPolicyChanged { policy: TwoFactorPolicy::default(), at: Some(t0()) },
        ),
        (SettingsCommand::RemoveSmtp, SettingsEvent::SmtpRemoved),
        (SettingsCommand::RemoveOidc, SettingsEvent::OidcProviderRemoved),
        (SettingsCommand::SetCodeAccessAuditing(false), SettingsEvent::CodeAccessAuditingChanged { enabled: false }),
        (SettingsCommand::SetAuditRetention(None), SettingsEvent::AuditRetentionChanged { days: None }),
    ];
    for (command, event) in back_to_defaults {
        assert_eq!(run(history.clone(), command.clone()).await, Ok(vec![event]), "{command:?}");
    }
}

#[test]
fn settings_errors_expose_code_field_and_kind() {
    let invalid = SettingsError::Invalid { field: "smtp.port", message: "must be 1–65535" };
    assert_eq!((invalid.code(), invalid.field(), invalid.kind()), ("invalid_setting", Some("smtp.port"), ErrorKind::Invalid));
    let nc = SettingsError::NotConfigured;
    assert_eq!((nc.code(), nc.field(), nc.kind()), ("not_configured", None, ErrorKind::Conflict));
}

/// Version 1.0 of `TwoFactorPolicyChanged` (the policy alone) is upcast on read: events are never
/// rewritten, and old stores keep loading.
#[test]
fn two_factor_policy_changed_1_0_is_upcast() {
    use cqrs_es::persist::SerializedEvent;
    let stored = serde_json::json!({ "TwoFactorPolicyChanged": { "scope": "everyone", "grace_days": 7 } });
    let mut event = SerializedEvent {
        aggregate_id: "settings".into(),
        sequence: 1,
        aggregate_type: "settings".into(),
        event_type: "TwoFactorPolicyChanged".into(),
        event_version: "1.0".into(),
        payload: stored,
        metadata: serde_json::Value::Null,
    };
    let upcasters = aggregates::upcasters();
    assert!(upcasters.iter().any(|u| u.can_upcast("TwoFactorPolicyChanged", "1.0")));
    assert!(!upcasters.iter().any(|u| u.can_upcast("TwoFactorPolicyChanged", "2.0")), "current events are not upcast");
    for u in &upcasters {
        if u.can_upcast(&event.event_type, &event.event_version) {
            event = u.upcast(event);
        }
    }
    let decoded: SettingsEvent = serde_json::from_value(event.payload).unwrap();
    assert_eq!(
        decoded,
        SettingsEvent::TwoFactorPolicyChanged { policy: TwoFactorPolicy { scope: TwoFactorScope::Everyone, grace_days: 7 }, at: None }
    );
    let current = SettingsEvent::TwoFactorPolicyChanged { policy: TwoFactorPolicy::default(), at: Some(t0()) };
    assert_eq!(cqrs_es::DomainEvent::event_version(&current), "2.0");
}
