//! Given/when/then tests of the `User` aggregate.

mod common;

use aggregates::settings::{LockoutPolicy, PasswordPolicy, SignupMode, SignupPolicy};
use aggregates::user::{LoginFailureReason, LoginMethod, NewPassword, Preferences, RegistrationMethod, RevocationReason, Role};
use aggregates::{DomainError, ErrorKind, Timestamp, User, UserCommand, UserError, UserEvent};
use common::{at_min, at_sec, password, phc, t0};
use cqrs_es::Aggregate;
use cqrs_es::test::TestFramework;
use uuid::Uuid;

const USER_ID: Uuid = Uuid::from_u128(0x0195_8f2a_1c00_7000_8000_0000_0000_0001);
// Sessions sort S1 < S2 < S3, which is the order in which revocations are emitted.
const S1: Uuid = Uuid::from_u128(0x0195_8f2a_1c00_7000_8000_0000_0000_0011);
const S2: Uuid = Uuid::from_u128(0x0195_8f2a_1c00_7000_8000_0000_0000_0012);
const S3: Uuid = Uuid::from_u128(0x0195_8f2a_1c00_7000_8000_0000_0000_0013);

// ---------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------

fn given(events: Vec<UserEvent>) -> cqrs_es::test::AggregateTestExecutor<User> {
    TestFramework::<User>::with(()).given(events)
}

fn open_signup() -> SignupPolicy {
    SignupPolicy { mode: SignupMode::Open, allowed_domains: vec![] }
}

fn closed_signup() -> SignupPolicy {
    SignupPolicy { mode: SignupMode::Closed, allowed_domains: vec![] }
}

/// A `Register` command, defaulting to an open self-signup of a non-first user.
struct Reg {
    email: String,
    username: String,
    display_name: Option<String>,
    password: Option<NewPassword>,
    role: Role,
    method: RegistrationMethod,
    signup: SignupPolicy,
    policy: PasswordPolicy,
    existing_users: u64,
}

impl Default for Reg {
    fn default() -> Self {
        Self {
            email: "alice@example.com".into(),
            username: "alice".into(),
            display_name: None,
            password: Some(password(12)),
            role: Role::User,
            method: RegistrationMethod::SelfSignup,
            signup: open_signup(),
            policy: PasswordPolicy::default(),
            existing_users: 3,
        }
    }
}

impl Reg {
    fn cmd(self) -> UserCommand {
        UserCommand::Register {
            user_id: USER_ID,
            email: self.email,
            username: self.username,
            display_name: self.display_name,
            password: self.password,
            role: self.role,
            method: self.method,
            signup: self.signup,
            password_policy: self.policy,
            existing_users: self.existing_users,
            at: t0(),
        }
    }
}

/// The event the default `Reg` produces, with the given role and method.
fn registered_as(role: Role, method: RegistrationMethod) -> UserEvent {
    UserEvent::UserRegistered {
        user_id: USER_ID,
        email: "alice@example.com".into(),
        username: "alice".into(),
        display_name: "alice".into(),
        role,
        password_hash: Some(phc(12)),
        method,
        at: t0(),
    }
}

/// History of a registered user with `role`.
fn user(role: Role) -> Vec<UserEvent> {
    vec![registered_as(role, RegistrationMethod::AdminCreated)]
}

fn started(session_id: Uuid, hash: &str, expires_at: Timestamp) -> UserEvent {
    UserEvent::SessionStarted { session_id, method: LoginMethod::Password, refresh_token_hash: hash.into(), expires_at, at: t0() }
}

/// History of a registered user with `role` and live sessions S1, S2, S3.
fn user_with_three_sessions(role: Role) -> Vec<UserEvent> {
    let mut events = user(role);
    events.push(started(S1, "h1", at_min(600)));
    events.push(started(S2, "h2", at_min(600)));
    events.push(started(S3, "h3", at_min(600)));
    events
}

fn revoked(session_id: Uuid, reason: RevocationReason) -> UserEvent {
    UserEvent::SessionRevoked { session_id, reason }
}

/// Lockout policy: 5 failures in 15 minutes lock for 30 minutes.
fn lockout() -> LockoutPolicy {
    LockoutPolicy { max_failures: 5, window_minutes: 15, lock_minutes: 30 }
}

fn fail_at(at: Timestamp) -> UserCommand {
    UserCommand::RecordLoginFailure { method: LoginMethod::Password, reason: LoginFailureReason::BadPassword, lockout: lockout(), at }
}

fn failed(at: Timestamp, failures_in_window: u32) -> UserEvent {
    UserEvent::LoginFailed { method: LoginMethod::Password, reason: LoginFailureReason::BadPassword, failures_in_window, at }
}

fn start_session_at(at: Timestamp) -> UserCommand {
    UserCommand::StartSession {
        session_id: S1,
        method: LoginMethod::Password,
        refresh_token_hash: "h1".into(),
        expires_at: at + chrono::Duration::days(30),
        at,
    }
}

fn session_accepted_at(at: Timestamp) -> Vec<UserEvent> {
    vec![
        UserEvent::LoginSucceeded { method: LoginMethod::Password, at },
        UserEvent::SessionStarted {
            session_id: S1,
            method: LoginMethod::Password,
            refresh_token_hash: "h1".into(),
            expires_at: at + chrono::Duration::days(30),
            at,
        },
    ]
}

/// Runs one command against a history and returns the outcome.
async fn run(history: Vec<UserEvent>, command: UserCommand) -> Result<Vec<UserEvent>, UserError> {
    given(history).when_async(command).await.inspect_result()
}

/// Runs one command that must be accepted and appends its events to `history`.
async fn step(history: &mut Vec<UserEvent>, command: UserCommand) -> Vec<UserEvent> {
    let events = run(history.clone(), command.clone()).await.unwrap_or_else(|e| panic!("{command:?} refused: {e}"));
    history.extend(events.clone());
    events
}

/// One instance of every command except `Register`, each valid for a live user.
fn every_non_register_command() -> Vec<UserCommand> {
    vec![
        UserCommand::ChangeEmail { email: "new@example.com".into() },
        UserCommand::ChangeUsername { username: "newname".into() },
        UserCommand::ChangeDisplayName { display_name: "New Name".into() },
        UserCommand::ChangeRole { role: Role::Auditor, active_admins: 2 },
        UserCommand::Disable { active_admins: 2 },
        UserCommand::Enable,
        UserCommand::ChangePassword { new: password(12), policy: PasswordPolicy::default(), keep_session: None },
        UserCommand::ResetPassword { new: password(12), policy: PasswordPolicy::default() },
        fail_at(t0()),
        start_session_at(t0()),
        UserCommand::RefreshSession { session_id: S1, presented_hash: "h1".into(), new_hash: "h1b".into(), expires_at: at_min(600), at: t0() },
        UserCommand::RevokeSession { session_id: S1, reason: RevocationReason::Logout },
        UserCommand::RevokeAllSessions { except: None, reason: RevocationReason::RevokedByAdmin },
        UserCommand::ExpireSession { session_id: S1, at: at_min(10_000) },
        UserCommand::Unlock { at: t0() },
        UserCommand::ChangePreferences(Preferences { theme: "dark".into(), ..Preferences::default() }),
        UserCommand::Delete { active_admins: 2, at: t0() },
    ]
}

// ---------------------------------------------------------------------------------------------
// Register
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn first_self_signup_becomes_admin_even_when_signup_is_closed() {
    given(vec![])
        .when_async(Reg { signup: closed_signup(), existing_users: 0, ..Reg::default() }.cmd())
        .await
        .then_expect_events(vec![registered_as(Role::Admin, RegistrationMethod::SelfSignup)]);
}

#[tokio::test]
async fn first_self_signup_becomes_admin_even_when_signup_is_invite_only_and_domain_not_allowed() {
    let signup = SignupPolicy { mode: SignupMode::Invite, allowed_domains: vec!["corp.example".into()] };
    given(vec![])
        .when_async(Reg { signup, existing_users: 0, ..Reg::default() }.cmd())
        .await
        .then_expect_events(vec![registered_as(Role::Admin, RegistrationMethod::SelfSignup)]);
}

#[tokio::test]
async fn first_admin_created_user_becomes_admin_whatever_role_was_asked() {
    given(vec![])
        .when_async(Reg { method: RegistrationMethod::AdminCreated, role: Role::Auditor, existing_users: 0, ..Reg::default() }.cmd())
        .await
        .then_expect_events(vec![registered_as(Role::Admin, RegistrationMethod::AdminCreated)]);
}

#[tokio::test]
async fn first_oidc_provisioned_user_becomes_admin_without_password() {
    given(vec![])
        .when_async(
            Reg { method: RegistrationMethod::OidcProvisioned, password: None, signup: closed_signup(), existing_users: 0, ..Reg::default() }.cmd(),
        )
        .await
        .then_expect_events(vec![UserEvent::UserRegistered {
            user_id: USER_ID,
            email: "alice@example.com".into(),
            username: "alice".into(),
            display_name: "alice".into(),
            role: Role::Admin,
            password_hash: None,
            method: RegistrationMethod::OidcProvisioned,
            at: t0(),
        }]);
}

#[tokio::test]
async fn open_self_signup_registers_a_plain_user_even_if_admin_is_asked_for() {
    given(vec![])
        .when_async(Reg { role: Role::Admin, ..Reg::default() }.cmd())
        .await
        .then_expect_events(vec![registered_as(Role::User, RegistrationMethod::SelfSignup)]);
}

#[tokio::test]
async fn self_signup_is_refused_when_signup_is_closed() {
    given(vec![]).when_async(Reg { signup: closed_signup(), ..Reg::default() }.cmd()).await.then_expect_error(UserError::SignupClosed);
}

#[tokio::test]
async fn self_signup_is_refused_when_signup_is_invite_only() {
    let signup = SignupPolicy { mode: SignupMode::Invite, allowed_domains: vec![] };
    given(vec![]).when_async(Reg { signup, ..Reg::default() }.cmd()).await.then_expect_error(UserError::SignupInviteOnly);
}

#[tokio::test]
async fn self_signup_in_an_allowed_domain_is_accepted() {
    let signup = SignupPolicy { mode: SignupMode::Open, allowed_domains: vec!["corp.example".into(), "example.com".into()] };
    given(vec![])
        .when_async(Reg { signup, ..Reg::default() }.cmd())
        .await
        .then_expect_events(vec![registered_as(Role::User, RegistrationMethod::SelfSignup)]);
}

#[tokio::test]
async fn self_signup_outside_the_allowed_domains_is_refused() {
    let signup = SignupPolicy { mode: SignupMode::Open, allowed_domains: vec!["corp.example".into()] };
    given(vec![]).when_async(Reg { signup, ..Reg::default() }.cmd()).await.then_expect_error(UserError::EmailDomainNotAllowed);
}

#[tokio::test]
async fn allowed_domains_match_exactly_so_a_subdomain_is_refused() {
    let signup = SignupPolicy { mode: SignupMode::Open, allowed_domains: vec!["example.com".into()] };
    given(vec![])
        .when_async(Reg { email: "alice@mail.example.com".into(), signup, ..Reg::default() }.cmd())
        .await
        .then_expect_error(UserError::EmailDomainNotAllowed);
}

#[tokio::test]
async fn allowed_domains_are_matched_against_the_lower_cased_email() {
    let signup = SignupPolicy { mode: SignupMode::Open, allowed_domains: vec!["example.com".into()] };
    given(vec![])
        .when_async(Reg { email: "Alice@EXAMPLE.com".into(), signup, ..Reg::default() }.cmd())
        .await
        .then_expect_events(vec![registered_as(Role::User, RegistrationMethod::SelfSignup)]);
}

#[tokio::test]
async fn admin_created_account_keeps_the_requested_role_and_ignores_the_signup_policy() {
    let signup = SignupPolicy { mode: SignupMode::Closed, allowed_domains: vec!["corp.example".into()] };
    given(vec![])
        .when_async(Reg { method: RegistrationMethod::AdminCreated, role: Role::Auditor, signup, ..Reg::default() }.cmd())
        .await
        .then_expect_events(vec![registered_as(Role::Auditor, RegistrationMethod::AdminCreated)]);
}

#[tokio::test]
async fn admin_created_account_may_be_another_admin() {
    given(vec![])
        .when_async(Reg { method: RegistrationMethod::AdminCreated, role: Role::Admin, ..Reg::default() }.cmd())
        .await
        .then_expect_events(vec![registered_as(Role::Admin, RegistrationMethod::AdminCreated)]);
}

#[tokio::test]
async fn oidc_provisioned_user_needs_no_password_is_a_plain_user_and_ignores_signup_policy() {
    given(vec![])
        .when_async(
            Reg { method: RegistrationMethod::OidcProvisioned, password: None, role: Role::Admin, signup: closed_signup(), ..Reg::default() }.cmd(),
        )
        .await
        .then_expect_events(vec![UserEvent::UserRegistered {
            user_id: USER_ID,
            email: "alice@example.com".into(),
            username: "alice".into(),
            display_name: "alice".into(),
            role: Role::User,
            password_hash: None,
            method: RegistrationMethod::OidcProvisioned,
            at: t0(),
        }]);
}

#[tokio::test]
async fn oidc_provisioned_user_given_a_password_still_has_it_checked_against_policy() {
    given(vec![])
        .when_async(Reg { method: RegistrationMethod::OidcProvisioned, password: Some(password(9)), ..Reg::default() }.cmd())
        .await
        .then_expect_error(UserError::PasswordTooShort { min: 10 });
}

#[tokio::test]
async fn self_signup_without_password_is_refused() {
    given(vec![]).when_async(Reg { password: None, ..Reg::default() }.cmd()).await.then_expect_error(UserError::PasswordRequired);
}

#[tokio::test]
async fn admin_created_account_without_password_is_refused() {
    given(vec![])
        .when_async(Reg { method: RegistrationMethod::AdminCreated, password: None, ..Reg::default() }.cmd())
        .await
        .then_expect_error(UserError::PasswordRequired);
}

#[tokio::test]
async fn first_user_without_password_is_refused_unless_oidc() {
    given(vec![]).when_async(Reg { password: None, existing_users: 0, ..Reg::default() }.cmd()).await.then_expect_error(UserError::PasswordRequired);
}

#[tokio::test]
async fn password_shorter_than_policy_minimum_is_refused() {
    given(vec![])
        .when_async(Reg { password: Some(password(9)), ..Reg::default() }.cmd())
        .await
        .then_expect_error(UserError::PasswordTooShort { min: 10 });
}

#[tokio::test]
async fn password_longer_than_policy_maximum_is_refused() {
    given(vec![])
        .when_async(Reg { password: Some(password(129)), ..Reg::default() }.cmd())
        .await
        .then_expect_error(UserError::PasswordTooLong { max: 128 });
}

#[tokio::test]
async fn password_length_bounds_follow_the_policy_in_force() {
    let policy = PasswordPolicy { min_length: 16, max_length: 64, breach_check: true };
    given(vec![])
        .when_async(Reg { password: Some(password(15)), policy, ..Reg::default() }.cmd())
        .await
        .then_expect_error(UserError::PasswordTooShort { min: 16 });
    given(vec![])
        .when_async(Reg { password: Some(password(65)), policy, ..Reg::default() }.cmd())
        .await
        .then_expect_error(UserError::PasswordTooLong { max: 64 });
    for length in [16, 64] {
        given(vec![]).when_async(Reg { password: Some(password(length)), policy, ..Reg::default() }.cmd()).await.then_expect_events(vec![
            UserEvent::UserRegistered {
                user_id: USER_ID,
                email: "alice@example.com".into(),
                username: "alice".into(),
                display_name: "alice".into(),
                role: Role::User,
                password_hash: Some(phc(length)),
                method: RegistrationMethod::SelfSignup,
                at: t0(),
            },
        ]);
    }
}

#[tokio::test]
async fn first_user_password_is_still_checked_against_policy() {
    given(vec![])
        .when_async(Reg { password: Some(password(3)), existing_users: 0, ..Reg::default() }.cmd())
        .await
        .then_expect_error(UserError::PasswordTooShort { min: 10 });
}

#[tokio::test]
async fn registration_normalises_email_username_and_display_name() {
    given(vec![])
        .when_async(
            Reg {
                email: "  Alice.Smith@Example.COM ".into(),
                username: " Alice_Smith ".into(),
                display_name: Some("  Alice Smith  ".into()),
                ..Reg::default()
            }
            .cmd(),
        )
        .await
        .then_expect_events(vec![UserEvent::UserRegistered {
            user_id: USER_ID,
            email: "alice.smith@example.com".into(),
            username: "alice_smith".into(),
            display_name: "Alice Smith".into(),
            role: Role::User,
            password_hash: Some(phc(12)),
            method: RegistrationMethod::SelfSignup,
            at: t0(),
        }]);
}

#[tokio::test]
async fn blank_display_name_defaults_to_the_username() {
    given(vec![])
        .when_async(Reg { display_name: Some("   ".into()), ..Reg::default() }.cmd())
        .await
        .then_expect_events(vec![registered_as(Role::User, RegistrationMethod::SelfSignup)]);
}

#[tokio::test]
async fn registration_with_invalid_email_is_refused() {
    for email in ["alice", "alice@localhost", "a b@example.com", "@example.com", "alice@.example.com", "alice@example.com."] {
        let result = run(vec![], Reg { email: email.into(), ..Reg::default() }.cmd()).await;
        assert_eq!(result, Err(UserError::InvalidEmail), "{email:?}");
    }
}

#[tokio::test]
async fn registration_with_invalid_username_is_refused() {
    let too_long = "a".repeat(33);
    for username in ["al", "-alice", ".alice", "alice smith", "alice@home", "älice", too_long.as_str()] {
        let result = run(vec![], Reg { username: username.into(), ..Reg::default() }.cmd()).await;
        assert_eq!(result, Err(UserError::InvalidUsername), "{username:?}");
    }
}

#[tokio::test]
async fn registration_with_invalid_display_name_is_refused() {
    for display_name in ["x".repeat(101), "Alice\u{0}Smith".to_owned(), "Alice\nSmith".to_owned()] {
        let result = run(vec![], Reg { display_name: Some(display_name.clone()), ..Reg::default() }.cmd()).await;
        assert_eq!(result, Err(UserError::InvalidDisplayName), "{display_name:?}");
    }
}

#[tokio::test]
async fn registering_an_existing_user_again_is_refused() {
    given(user(Role::User)).when_async(Reg::default().cmd()).await.then_expect_error(UserError::AlreadyRegistered);
}

#[tokio::test]
async fn registering_over_a_deleted_user_is_refused() {
    let mut history = user(Role::User);
    history.push(UserEvent::UserDeleted { at: t0() });
    given(history).when_async(Reg::default().cmd()).await.then_expect_error(UserError::AlreadyRegistered);
}

// ---------------------------------------------------------------------------------------------
// Unregistered and deleted users
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn every_command_on_an_unregistered_user_is_not_found() {
    for command in every_non_register_command() {
        let result = run(vec![], command.clone()).await;
        assert_eq!(result, Err(UserError::NotFound), "{command:?}");
    }
}

#[tokio::test]
async fn every_command_on_a_deleted_user_is_not_found() {
    let mut history = user_with_three_sessions(Role::User);
    history.push(UserEvent::UserDisabled);
    history.push(UserEvent::UserDeleted { at: t0() });
    for command in every_non_register_command() {
        let result = run(history.clone(), command.clone()).await;
        assert_eq!(result, Err(UserError::NotFound), "{command:?}");
    }
}

#[tokio::test]
async fn every_sample_command_is_accepted_by_a_live_user() {
    // Guards the two tests above: each sample command is refused only because of the missing
    // or deleted user, not because it is invalid in itself.
    let mut history = user_with_three_sessions(Role::User);
    history.push(UserEvent::AccountLocked { until: at_min(30), failures: 5 });
    for command in every_non_register_command() {
        let command = match command {
            // Needs a disabled account.
            UserCommand::Enable => {
                let mut disabled = history.clone();
                disabled.push(UserEvent::UserDisabled);
                assert_eq!(run(disabled, UserCommand::Enable).await, Ok(vec![UserEvent::UserEnabled]));
                continue;
            }
            // Needs an unlocked account.
            c @ UserCommand::StartSession { .. } => {
                assert!(run(user(Role::User), c.clone()).await.is_ok(), "{c:?}");
                continue;
            }
            c => c,
        };
        assert!(run(history.clone(), command.clone()).await.is_ok(), "{command:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// ChangeEmail / ChangeUsername / ChangeDisplayName
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn change_email_records_the_normalised_address() {
    given(user(Role::User))
        .when_async(UserCommand::ChangeEmail { email: " Alice@New.Example ".into() })
        .await
        .then_expect_events(vec![UserEvent::UserEmailChanged { email: "alice@new.example".into() }]);
}

#[tokio::test]
async fn change_email_to_the_same_address_in_other_case_records_nothing() {
    given(user(Role::User)).when_async(UserCommand::ChangeEmail { email: "ALICE@example.com".into() }).await.then_expect_events(vec![]);
}

#[tokio::test]
async fn change_email_to_an_invalid_address_is_refused() {
    given(user(Role::User)).when_async(UserCommand::ChangeEmail { email: "not-an-email".into() }).await.then_expect_error(UserError::InvalidEmail);
}

#[tokio::test]
async fn change_username_records_the_normalised_name() {
    given(user(Role::User))
        .when_async(UserCommand::ChangeUsername { username: " Alice.2 ".into() })
        .await
        .then_expect_events(vec![UserEvent::UserUsernameChanged { username: "alice.2".into() }]);
}

#[tokio::test]
async fn change_username_to_the_same_name_in_other_case_records_nothing() {
    given(user(Role::User)).when_async(UserCommand::ChangeUsername { username: "ALICE".into() }).await.then_expect_events(vec![]);
}

#[tokio::test]
async fn change_username_to_an_invalid_name_is_refused() {
    given(user(Role::User)).when_async(UserCommand::ChangeUsername { username: "_x".into() }).await.then_expect_error(UserError::InvalidUsername);
}

#[tokio::test]
async fn change_display_name_records_the_trimmed_name() {
    given(user(Role::User))
        .when_async(UserCommand::ChangeDisplayName { display_name: "  Alice Liddell ".into() })
        .await
        .then_expect_events(vec![UserEvent::UserDisplayNameChanged { display_name: "Alice Liddell".into() }]);
}

#[tokio::test]
async fn change_display_name_accepts_exactly_100_characters() {
    let name = "é".repeat(100);
    given(user(Role::User))
        .when_async(UserCommand::ChangeDisplayName { display_name: name.clone() })
        .await
        .then_expect_events(vec![UserEvent::UserDisplayNameChanged { display_name: name }]);
}

#[tokio::test]
async fn change_display_name_to_the_same_name_records_nothing() {
    given(user(Role::User)).when_async(UserCommand::ChangeDisplayName { display_name: " alice ".into() }).await.then_expect_events(vec![]);
}

#[tokio::test]
async fn change_display_name_to_blank_too_long_or_control_characters_is_refused() {
    for display_name in ["   ".to_owned(), "x".repeat(101), "tab\there".to_owned()] {
        let result = run(user(Role::User), UserCommand::ChangeDisplayName { display_name: display_name.clone() }).await;
        assert_eq!(result, Err(UserError::InvalidDisplayName), "{display_name:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// ChangeRole
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_user_can_be_promoted_to_admin() {
    given(user(Role::User))
        .when_async(UserCommand::ChangeRole { role: Role::Admin, active_admins: 1 })
        .await
        .then_expect_events(vec![UserEvent::UserRoleChanged { from: Role::User, to: Role::Admin }]);
}

#[tokio::test]
async fn a_non_admin_role_change_is_not_guarded_by_the_admin_count() {
    given(user(Role::User))
        .when_async(UserCommand::ChangeRole { role: Role::Auditor, active_admins: 0 })
        .await
        .then_expect_events(vec![UserEvent::UserRoleChanged { from: Role::User, to: Role::Auditor }]);
}

#[tokio::test]
async fn the_last_active_admin_cannot_be_demoted() {
    given(user(Role::Admin)).when_async(UserCommand::ChangeRole { role: Role::User, active_admins: 1 }).await.then_expect_error(UserError::LastAdmin);
}

#[tokio::test]
async fn an_admin_can_be_demoted_when_another_admin_exists() {
    given(user(Role::Admin))
        .when_async(UserCommand::ChangeRole { role: Role::Auditor, active_admins: 2 })
        .await
        .then_expect_events(vec![UserEvent::UserRoleChanged { from: Role::Admin, to: Role::Auditor }]);
}

#[tokio::test]
async fn a_disabled_admin_is_not_an_active_admin_and_can_be_demoted() {
    let mut history = user(Role::Admin);
    history.push(UserEvent::UserDisabled);
    given(history)
        .when_async(UserCommand::ChangeRole { role: Role::User, active_admins: 1 })
        .await
        .then_expect_events(vec![UserEvent::UserRoleChanged { from: Role::Admin, to: Role::User }]);
}

#[tokio::test]
async fn changing_to_the_current_role_records_nothing_even_for_the_last_admin() {
    given(user(Role::Admin)).when_async(UserCommand::ChangeRole { role: Role::Admin, active_admins: 1 }).await.then_expect_events(vec![]);
}

// ---------------------------------------------------------------------------------------------
// Disable / Enable
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn disabling_a_non_admin_with_one_active_admin_ends_all_its_sessions() {
    given(user_with_three_sessions(Role::User)).when_async(UserCommand::Disable { active_admins: 1 }).await.then_expect_events(vec![
        UserEvent::UserDisabled,
        revoked(S1, RevocationReason::AccountDisabled),
        revoked(S2, RevocationReason::AccountDisabled),
        revoked(S3, RevocationReason::AccountDisabled),
    ]);
}

#[tokio::test]
async fn disabling_a_user_without_sessions_records_only_the_disable() {
    given(user(Role::Auditor)).when_async(UserCommand::Disable { active_admins: 1 }).await.then_expect_events(vec![UserEvent::UserDisabled]);
}

#[tokio::test]
async fn the_last_active_admin_cannot_be_disabled() {
    given(user_with_three_sessions(Role::Admin)).when_async(UserCommand::Disable { active_admins: 1 }).await.then_expect_error(UserError::LastAdmin);
}

#[tokio::test]
async fn an_admin_can_be_disabled_when_another_admin_exists() {
    let mut history = user(Role::Admin);
    history.push(started(S2, "h2", at_min(600)));
    given(history)
        .when_async(UserCommand::Disable { active_admins: 2 })
        .await
        .then_expect_events(vec![UserEvent::UserDisabled, revoked(S2, RevocationReason::AccountDisabled)]);
}

#[tokio::test]
async fn disabling_a_disabled_user_is_refused() {
    let mut history = user(Role::User);
    history.push(UserEvent::UserDisabled);
    given(history).when_async(UserCommand::Disable { active_admins: 2 }).await.then_expect_error(UserError::AlreadyDisabled);
}

#[tokio::test]
async fn enabling_a_disabled_user_is_recorded() {
    let mut history = user(Role::User);
    history.push(UserEvent::UserDisabled);
    given(history).when_async(UserCommand::Enable).await.then_expect_events(vec![UserEvent::UserEnabled]);
}

#[tokio::test]
async fn enabling_an_enabled_user_is_refused() {
    given(user(Role::User)).when_async(UserCommand::Enable).await.then_expect_error(UserError::NotDisabled);
}

#[tokio::test]
async fn enabling_after_a_disable_and_enable_cycle_is_refused() {
    let mut history = user(Role::User);
    history.extend([UserEvent::UserDisabled, UserEvent::UserEnabled]);
    given(history).when_async(UserCommand::Enable).await.then_expect_error(UserError::NotDisabled);
}

// ---------------------------------------------------------------------------------------------
// ChangePassword / ResetPassword
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn changing_password_revokes_every_other_session_but_keeps_the_given_one() {
    given(user_with_three_sessions(Role::User))
        .when_async(UserCommand::ChangePassword { new: password(20), policy: PasswordPolicy::default(), keep_session: Some(S2) })
        .await
        .then_expect_events(vec![
            UserEvent::PasswordChanged { password_hash: phc(20) },
            revoked(S1, RevocationReason::PasswordChanged),
            revoked(S3, RevocationReason::PasswordChanged),
        ]);
}

#[tokio::test]
async fn changing_password_without_a_session_to_keep_revokes_them_all() {
    given(user_with_three_sessions(Role::User))
        .when_async(UserCommand::ChangePassword { new: password(20), policy: PasswordPolicy::default(), keep_session: None })
        .await
        .then_expect_events(vec![
            UserEvent::PasswordChanged { password_hash: phc(20) },
            revoked(S1, RevocationReason::PasswordChanged),
            revoked(S2, RevocationReason::PasswordChanged),
            revoked(S3, RevocationReason::PasswordChanged),
        ]);
}

#[tokio::test]
async fn changing_password_of_an_oidc_user_without_sessions_sets_a_password() {
    let history = vec![UserEvent::UserRegistered {
        user_id: USER_ID,
        email: "alice@example.com".into(),
        username: "alice".into(),
        display_name: "alice".into(),
        role: Role::User,
        password_hash: None,
        method: RegistrationMethod::OidcProvisioned,
        at: t0(),
    }];
    given(history)
        .when_async(UserCommand::ChangePassword { new: password(10), policy: PasswordPolicy::default(), keep_session: None })
        .await
        .then_expect_events(vec![UserEvent::PasswordChanged { password_hash: phc(10) }]);
}

#[tokio::test]
async fn changing_to_a_too_short_password_is_refused() {
    given(user_with_three_sessions(Role::User))
        .when_async(UserCommand::ChangePassword { new: password(9), policy: PasswordPolicy::default(), keep_session: Some(S1) })
        .await
        .then_expect_error(UserError::PasswordTooShort { min: 10 });
}

#[tokio::test]
async fn changing_to_a_too_long_password_is_refused() {
    let policy = PasswordPolicy { min_length: 8, max_length: 64, breach_check: false };
    given(user(Role::User))
        .when_async(UserCommand::ChangePassword { new: password(65), policy, keep_session: None })
        .await
        .then_expect_error(UserError::PasswordTooLong { max: 64 });
}

#[tokio::test]
async fn admin_password_reset_revokes_every_session() {
    given(user_with_three_sessions(Role::User))
        .when_async(UserCommand::ResetPassword { new: password(14), policy: PasswordPolicy::default() })
        .await
        .then_expect_events(vec![
            UserEvent::PasswordResetByAdmin { password_hash: phc(14) },
            revoked(S1, RevocationReason::PasswordChanged),
            revoked(S2, RevocationReason::PasswordChanged),
            revoked(S3, RevocationReason::PasswordChanged),
        ]);
}

#[tokio::test]
async fn admin_password_reset_to_a_too_short_password_is_refused() {
    given(user_with_three_sessions(Role::User))
        .when_async(UserCommand::ResetPassword { new: password(7), policy: PasswordPolicy { min_length: 8, ..PasswordPolicy::default() } })
        .await
        .then_expect_error(UserError::PasswordTooShort { min: 8 });
}

#[tokio::test]
async fn admin_password_reset_to_a_too_long_password_is_refused() {
    given(user(Role::User))
        .when_async(UserCommand::ResetPassword { new: password(129), policy: PasswordPolicy::default() })
        .await
        .then_expect_error(UserError::PasswordTooLong { max: 128 });
}

// ---------------------------------------------------------------------------------------------
// RecordLoginFailure and lockout
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_first_failed_login_is_recorded_with_one_failure_in_window() {
    given(user(Role::User)).when_async(fail_at(t0())).await.then_expect_events(vec![failed(t0(), 1)]);
}

#[tokio::test]
async fn a_failed_login_keeps_its_method_and_reason() {
    given(user(Role::User))
        .when_async(UserCommand::RecordLoginFailure {
            method: LoginMethod::Passkey,
            reason: LoginFailureReason::BadSecondFactor,
            lockout: lockout(),
            at: t0(),
        })
        .await
        .then_expect_events(vec![UserEvent::LoginFailed {
            method: LoginMethod::Passkey,
            reason: LoginFailureReason::BadSecondFactor,
            failures_in_window: 1,
            at: t0(),
        }]);
}

#[tokio::test]
async fn failures_below_the_threshold_do_not_lock() {
    let mut history = user(Role::User);
    history.extend([failed(at_min(0), 1), failed(at_min(1), 2), failed(at_min(2), 3)]);
    given(history).when_async(fail_at(at_min(3))).await.then_expect_events(vec![failed(at_min(3), 4)]);
}

#[tokio::test]
async fn the_nth_failure_within_the_window_locks_until_now_plus_lock_minutes() {
    let mut history = user(Role::User);
    history.extend([failed(at_min(0), 1), failed(at_min(1), 2), failed(at_min(2), 3), failed(at_min(3), 4)]);
    given(history)
        .when_async(fail_at(at_min(14)))
        .await
        .then_expect_events(vec![failed(at_min(14), 5), UserEvent::AccountLocked { until: at_min(44), failures: 5 }]);
}

#[tokio::test]
async fn a_threshold_of_one_locks_on_the_first_failure() {
    let lockout = LockoutPolicy { max_failures: 1, window_minutes: 1, lock_minutes: 7 };
    given(user(Role::User))
        .when_async(UserCommand::RecordLoginFailure { method: LoginMethod::Oidc, reason: LoginFailureReason::BadPassword, lockout, at: t0() })
        .await
        .then_expect_events(vec![
            UserEvent::LoginFailed { method: LoginMethod::Oidc, reason: LoginFailureReason::BadPassword, failures_in_window: 1, at: t0() },
            UserEvent::AccountLocked { until: at_min(7), failures: 1 },
        ]);
}

#[tokio::test]
async fn failures_outside_the_window_do_not_count() {
    let mut history = user(Role::User);
    history.extend([failed(at_min(0), 1), failed(at_min(1), 2), failed(at_min(2), 3), failed(at_min(3), 4)]);
    // Window 15 minutes back from +17 starts at +2; only failures strictly after it count (+3).
    given(history).when_async(fail_at(at_min(17))).await.then_expect_events(vec![failed(at_min(17), 2)]);
}

#[tokio::test]
async fn a_failure_exactly_one_window_old_no_longer_counts() {
    let mut history = user(Role::User);
    history.extend([failed(at_min(0), 1), failed(at_sec(1), 2), failed(at_sec(2), 3), failed(at_sec(3), 4)]);
    // +15 min: the first failure is exactly on the window's edge and drops out; +1 s still counts.
    given(history).when_async(fail_at(at_min(15))).await.then_expect_events(vec![failed(at_min(15), 4)]);
}

#[tokio::test]
async fn the_window_slides_with_each_failure() {
    // Driven by commands: 4 failures, then one late enough to leave only +3 min in the window,
    // then one 30 s later which counts +3 min, +17 min and itself; then one at +18 min, when
    // +3 min sits exactly on the window's edge and no longer counts.
    let mut history = user(Role::User);
    for m in 0..4 {
        step(&mut history, fail_at(at_min(m))).await;
    }
    assert_eq!(step(&mut history, fail_at(at_min(17))).await, vec![failed(at_min(17), 2)]);
    assert_eq!(step(&mut history, fail_at(at_sec(17 * 60 + 30))).await, vec![failed(at_sec(17 * 60 + 30), 3)]);
    assert_eq!(step(&mut history, fail_at(at_min(18))).await, vec![failed(at_min(18), 3)]);
}

#[tokio::test]
async fn a_failure_while_locked_records_reason_locked_and_does_not_extend_the_lock() {
    let mut history = user(Role::User);
    history.push(UserEvent::AccountLocked { until: at_min(30), failures: 5 });
    given(history).when_async(fail_at(at_min(10))).await.then_expect_events(vec![UserEvent::LoginFailed {
        method: LoginMethod::Password,
        reason: LoginFailureReason::Locked,
        failures_in_window: 0,
        at: at_min(10),
    }]);
}

#[tokio::test]
async fn many_failures_while_locked_never_relock() {
    let mut history = user(Role::User);
    history.push(UserEvent::AccountLocked { until: at_min(30), failures: 5 });
    for m in 1..=10 {
        let events = step(&mut history, fail_at(at_min(m))).await;
        assert_eq!(
            events,
            vec![UserEvent::LoginFailed { method: LoginMethod::Password, reason: LoginFailureReason::Locked, failures_in_window: 0, at: at_min(m) }]
        );
    }
    // The lock still ends at +30 and the failures made while locked are not counted afterwards.
    given(history.clone()).when_async(start_session_at(at_min(29))).await.then_expect_error(UserError::AccountLocked { until: at_min(30) });
    given(history).when_async(fail_at(at_min(30))).await.then_expect_events(vec![failed(at_min(30), 1)]);
}

#[tokio::test]
async fn failures_after_a_lock_expired_count_afresh() {
    let mut history = user(Role::User);
    history.extend([
        failed(at_min(0), 1),
        failed(at_min(1), 2),
        failed(at_min(2), 3),
        failed(at_min(3), 4),
        failed(at_min(4), 5),
        UserEvent::AccountLocked { until: at_min(10), failures: 5 },
    ]);
    given(history).when_async(fail_at(at_min(11))).await.then_expect_events(vec![failed(at_min(11), 1)]);
}

#[tokio::test]
async fn lockout_scenario_driven_by_commands() {
    let mut history = user(Role::User);
    for m in 0..4 {
        assert_eq!(step(&mut history, fail_at(at_min(m))).await, vec![failed(at_min(m), u32::try_from(m).unwrap() + 1)]);
    }
    assert_eq!(step(&mut history, fail_at(at_min(4))).await, vec![failed(at_min(4), 5), UserEvent::AccountLocked { until: at_min(34), failures: 5 }]);
    // Locked: no session, and a failure while locked does not move the end of the lock.
    assert_eq!(run(history.clone(), start_session_at(at_min(10))).await, Err(UserError::AccountLocked { until: at_min(34) }));
    step(&mut history, fail_at(at_min(20))).await;
    assert_eq!(run(history.clone(), start_session_at(at_sec(34 * 60 - 1))).await, Err(UserError::AccountLocked { until: at_min(34) }));
    // Once the lock ran out, the login succeeds.
    assert_eq!(step(&mut history, start_session_at(at_min(34))).await, session_accepted_at(at_min(34)));
}

#[test]
fn replayed_state_keeps_only_failures_that_can_still_count() {
    // The decision above only ever counts failures inside the window; the state must not grow
    // without bound either: after each failure it keeps just the ones that counted.
    let mut state = User::default();
    let history = user(Role::User).into_iter().chain([
        failed(at_min(0), 1),
        failed(at_min(1), 2),
        failed(at_min(2), 3),
        failed(at_min(3), 4),
        failed(at_min(17), 2),
    ]);
    for event in history {
        state.apply(event);
    }
    assert_eq!(state.recent_failures, vec![at_min(3), at_min(17)]);
    state.apply(UserEvent::LoginFailed { method: LoginMethod::Password, reason: LoginFailureReason::Locked, failures_in_window: 0, at: at_min(18) });
    assert_eq!(state.recent_failures, vec![at_min(3), at_min(17)]);
    state.apply(UserEvent::AccountLocked { until: at_min(50), failures: 5 });
    assert_eq!((state.recent_failures.clone(), state.locked_until), (vec![], Some(at_min(50))));
    assert!(state.is_locked(at_min(49)) && !state.is_locked(at_min(50)));
}

#[tokio::test]
async fn failure_on_an_unregistered_user_is_refused() {
    given(vec![]).when_async(fail_at(t0())).await.then_expect_error(UserError::NotFound);
}

// ---------------------------------------------------------------------------------------------
// StartSession
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_successful_login_starts_a_session() {
    given(user(Role::User))
        .when_async(UserCommand::StartSession {
            session_id: S2,
            method: LoginMethod::Passkey,
            refresh_token_hash: "hash-a".into(),
            expires_at: at_min(60),
            at: t0(),
        })
        .await
        .then_expect_events(vec![
            UserEvent::LoginSucceeded { method: LoginMethod::Passkey, at: t0() },
            UserEvent::SessionStarted {
                session_id: S2,
                method: LoginMethod::Passkey,
                refresh_token_hash: "hash-a".into(),
                expires_at: at_min(60),
                at: t0(),
            },
        ]);
}

#[tokio::test]
async fn a_disabled_user_cannot_start_a_session() {
    let mut history = user(Role::User);
    history.push(UserEvent::UserDisabled);
    given(history).when_async(start_session_at(t0())).await.then_expect_error(UserError::AccountDisabled);
}

#[tokio::test]
async fn a_disabled_and_locked_user_is_told_disabled() {
    let mut history = user(Role::User);
    history.extend([UserEvent::AccountLocked { until: at_min(30), failures: 5 }, UserEvent::UserDisabled]);
    given(history).when_async(start_session_at(t0())).await.then_expect_error(UserError::AccountDisabled);
}

#[tokio::test]
async fn a_locked_user_cannot_start_a_session() {
    let mut history = user(Role::User);
    history.push(UserEvent::AccountLocked { until: at_min(30), failures: 5 });
    given(history).when_async(start_session_at(at_min(29))).await.then_expect_error(UserError::AccountLocked { until: at_min(30) });
}

#[tokio::test]
async fn a_lock_ends_exactly_at_its_until_instant() {
    let mut history = user(Role::User);
    history.push(UserEvent::AccountLocked { until: at_min(30), failures: 5 });
    given(history).when_async(start_session_at(at_min(30))).await.then_expect_events(session_accepted_at(at_min(30)));
}

#[tokio::test]
async fn a_re_enabled_user_can_start_a_session() {
    let mut history = user(Role::User);
    history.extend([UserEvent::UserDisabled, UserEvent::UserEnabled]);
    given(history).when_async(start_session_at(t0())).await.then_expect_events(session_accepted_at(t0()));
}

#[tokio::test]
async fn a_successful_login_clears_earlier_failures() {
    let mut history = user(Role::User);
    history.extend([failed(at_min(0), 1), failed(at_min(1), 2), failed(at_min(2), 3), failed(at_min(3), 4)]);
    history.extend(session_accepted_at(at_min(4)));
    given(history).when_async(fail_at(at_min(5))).await.then_expect_events(vec![failed(at_min(5), 1)]);
}

#[tokio::test]
async fn a_successful_login_driven_by_commands_resets_the_count_before_the_threshold() {
    let mut history = user(Role::User);
    for m in 0..4 {
        step(&mut history, fail_at(at_min(m))).await;
    }
    step(&mut history, start_session_at(at_min(4))).await;
    for m in 5..9 {
        let events = step(&mut history, fail_at(at_min(m))).await;
        assert_eq!(events, vec![failed(at_min(m), u32::try_from(m).unwrap() - 4)]);
    }
}

// ---------------------------------------------------------------------------------------------
// RefreshSession
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn refresh_with_the_current_hash_rotates_the_token() {
    given(user_with_three_sessions(Role::User))
        .when_async(UserCommand::RefreshSession {
            session_id: S2,
            presented_hash: "h2".into(),
            new_hash: "h2-next".into(),
            expires_at: at_min(1_000),
            at: at_min(10),
        })
        .await
        .then_expect_events(vec![UserEvent::SessionRefreshed {
            session_id: S2,
            refresh_token_hash: "h2-next".into(),
            expires_at: at_min(1_000),
            at: at_min(10),
        }]);
}

#[tokio::test]
async fn refresh_with_a_rotated_hash_revokes_the_session_as_token_reuse() {
    let mut history = user(Role::User);
    history.push(started(S1, "h1", at_min(600)));
    history.push(UserEvent::SessionRefreshed { session_id: S1, refresh_token_hash: "h1-next".into(), expires_at: at_min(700), at: at_min(5) });
    given(history)
        .when_async(UserCommand::RefreshSession {
            session_id: S1,
            presented_hash: "h1".into(),
            new_hash: "h1-evil".into(),
            expires_at: at_min(800),
            at: at_min(6),
        })
        .await
        .then_expect_events(vec![revoked(S1, RevocationReason::RefreshTokenReused)]);
}

#[tokio::test]
async fn refresh_with_a_token_never_issued_for_the_session_is_invalid_and_ends_nothing() {
    // Knowing a session id (it is in the audit log and the JWT) must not let anyone end it.
    let mut history = user(Role::User);
    history.push(started(S1, "h1", at_min(600)));
    history.push(UserEvent::SessionRefreshed { session_id: S1, refresh_token_hash: "h1-next".into(), expires_at: at_min(700), at: at_min(5) });
    given(history.clone())
        .when_async(UserCommand::RefreshSession { session_id: S1, presented_hash: "forged".into(), new_hash: "x".into(), expires_at: at_min(800), at: at_min(6) })
        .await
        .then_expect_error(UserError::RefreshTokenInvalid);
    // The real current token still rotates afterwards.
    given(history)
        .when_async(UserCommand::RefreshSession { session_id: S1, presented_hash: "h1-next".into(), new_hash: "h1-c".into(), expires_at: at_min(800), at: at_min(6) })
        .await
        .then_expect_events(vec![UserEvent::SessionRefreshed { session_id: S1, refresh_token_hash: "h1-c".into(), expires_at: at_min(800), at: at_min(6) }]);
}

#[tokio::test]
async fn a_session_remembers_only_its_latest_rotated_tokens() {
    let mut history = user(Role::User);
    history.push(started(S1, "t0", at_min(6_000)));
    let rotations = aggregates::user::ROTATED_TOKENS_KEPT + 1;
    for i in 1..=rotations {
        history.push(UserEvent::SessionRefreshed { session_id: S1, refresh_token_hash: format!("t{i}"), expires_at: at_min(6_000), at: at_min(1) });
    }
    let refresh = |presented: &str| UserCommand::RefreshSession { session_id: S1, presented_hash: presented.into(), new_hash: "n".into(), expires_at: at_min(6_000), at: at_min(2) };
    // t0 fell out of the window: invalid, the session lives on; t1 is still known: reuse.
    assert_eq!(run(history.clone(), refresh("t0")).await, Err(UserError::RefreshTokenInvalid));
    given(history).when_async(refresh("t1")).await.then_expect_events(vec![revoked(S1, RevocationReason::RefreshTokenReused)]);
}

#[tokio::test]
async fn after_token_reuse_even_the_current_token_no_longer_refreshes() {
    let mut history = user(Role::User);
    step(&mut history, start_session_at(t0())).await;
    let refresh = |presented: &str, new: &str, at| UserCommand::RefreshSession {
        session_id: S1,
        presented_hash: presented.into(),
        new_hash: new.into(),
        expires_at: at_min(900),
        at,
    };
    assert_eq!(
        step(&mut history, refresh("h1", "h1-b", at_min(1))).await,
        vec![UserEvent::SessionRefreshed { session_id: S1, refresh_token_hash: "h1-b".into(), expires_at: at_min(900), at: at_min(1) }]
    );
    assert_eq!(step(&mut history, refresh("h1", "h1-c", at_min(2))).await, vec![revoked(S1, RevocationReason::RefreshTokenReused)]);
    assert_eq!(run(history, refresh("h1-b", "h1-d", at_min(3))).await, Err(UserError::SessionNotFound));
}

#[tokio::test]
async fn refresh_at_or_after_expiry_records_the_session_expired() {
    for at in [at_min(600), at_min(601)] {
        given(user_with_three_sessions(Role::User))
            .when_async(UserCommand::RefreshSession {
                session_id: S3,
                presented_hash: "h3".into(),
                new_hash: "h3-next".into(),
                expires_at: at_min(2_000),
                at,
            })
            .await
            .then_expect_events(vec![UserEvent::SessionExpired { session_id: S3 }]);
    }
}

#[tokio::test]
async fn refresh_of_an_expired_session_with_a_wrong_hash_still_reports_expiry() {
    given(user_with_three_sessions(Role::User))
        .when_async(UserCommand::RefreshSession {
            session_id: S1,
            presented_hash: "bogus".into(),
            new_hash: "x".into(),
            expires_at: at_min(2_000),
            at: at_min(600),
        })
        .await
        .then_expect_events(vec![UserEvent::SessionExpired { session_id: S1 }]);
}

#[tokio::test]
async fn refresh_of_an_unknown_session_is_refused() {
    given(user_with_three_sessions(Role::User))
        .when_async(UserCommand::RefreshSession {
            session_id: Uuid::from_u128(99),
            presented_hash: "h1".into(),
            new_hash: "x".into(),
            expires_at: at_min(700),
            at: t0(),
        })
        .await
        .then_expect_error(UserError::SessionNotFound);
}

#[tokio::test]
async fn refresh_of_a_revoked_session_is_refused() {
    let mut history = user_with_three_sessions(Role::User);
    history.push(revoked(S1, RevocationReason::Logout));
    given(history)
        .when_async(UserCommand::RefreshSession {
            session_id: S1,
            presented_hash: "h1".into(),
            new_hash: "x".into(),
            expires_at: at_min(700),
            at: t0(),
        })
        .await
        .then_expect_error(UserError::SessionNotFound);
}

#[tokio::test]
async fn refresh_on_a_disabled_account_with_a_lingering_session_is_refused() {
    // Disable revokes every session, so this history cannot arise from commands; the guard is
    // defence in depth and must still hold.
    let mut history = user(Role::User);
    history.extend([UserEvent::UserDisabled, started(S1, "h1", at_min(600))]);
    given(history)
        .when_async(UserCommand::RefreshSession {
            session_id: S1,
            presented_hash: "h1".into(),
            new_hash: "x".into(),
            expires_at: at_min(700),
            at: t0(),
        })
        .await
        .then_expect_error(UserError::AccountDisabled);
}

// ---------------------------------------------------------------------------------------------
// RevokeSession / RevokeAllSessions / ExpireSession
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn revoking_a_live_session_records_the_reason() {
    given(user_with_three_sessions(Role::User))
        .when_async(UserCommand::RevokeSession { session_id: S2, reason: RevocationReason::RevokedByUser })
        .await
        .then_expect_events(vec![revoked(S2, RevocationReason::RevokedByUser)]);
}

#[tokio::test]
async fn revoking_an_unknown_session_is_refused() {
    given(user_with_three_sessions(Role::User))
        .when_async(UserCommand::RevokeSession { session_id: Uuid::from_u128(99), reason: RevocationReason::Logout })
        .await
        .then_expect_error(UserError::SessionNotFound);
}

#[tokio::test]
async fn revoking_an_already_ended_session_is_refused() {
    let mut history = user_with_three_sessions(Role::User);
    history.push(UserEvent::SessionExpired { session_id: S2 });
    given(history)
        .when_async(UserCommand::RevokeSession { session_id: S2, reason: RevocationReason::Logout })
        .await
        .then_expect_error(UserError::SessionNotFound);
}

#[tokio::test]
async fn revoke_all_sessions_except_one() {
    given(user_with_three_sessions(Role::User))
        .when_async(UserCommand::RevokeAllSessions { except: Some(S3), reason: RevocationReason::RevokedByUser })
        .await
        .then_expect_events(vec![revoked(S1, RevocationReason::RevokedByUser), revoked(S2, RevocationReason::RevokedByUser)]);
}

#[tokio::test]
async fn revoke_all_sessions_without_exception() {
    given(user_with_three_sessions(Role::Admin))
        .when_async(UserCommand::RevokeAllSessions { except: None, reason: RevocationReason::RevokedByAdmin })
        .await
        .then_expect_events(vec![
            revoked(S1, RevocationReason::RevokedByAdmin),
            revoked(S2, RevocationReason::RevokedByAdmin),
            revoked(S3, RevocationReason::RevokedByAdmin),
        ]);
}

#[tokio::test]
async fn revoke_all_sessions_skips_sessions_that_already_ended() {
    let mut history = user_with_three_sessions(Role::User);
    history.extend([revoked(S1, RevocationReason::Logout), UserEvent::SessionExpired { session_id: S3 }]);
    given(history)
        .when_async(UserCommand::RevokeAllSessions { except: None, reason: RevocationReason::RevokedByAdmin })
        .await
        .then_expect_events(vec![revoked(S2, RevocationReason::RevokedByAdmin)]);
}

#[tokio::test]
async fn revoke_all_sessions_with_none_live_records_nothing() {
    given(user(Role::User))
        .when_async(UserCommand::RevokeAllSessions { except: None, reason: RevocationReason::RevokedByAdmin })
        .await
        .then_expect_events(vec![]);
}

#[tokio::test]
async fn revoke_all_sessions_of_an_unregistered_user_is_refused() {
    given(vec![])
        .when_async(UserCommand::RevokeAllSessions { except: None, reason: RevocationReason::RevokedByAdmin })
        .await
        .then_expect_error(UserError::NotFound);
}

#[tokio::test]
async fn expiring_a_run_out_session_records_it() {
    for at in [at_min(600), at_min(10_000)] {
        given(user_with_three_sessions(Role::User))
            .when_async(UserCommand::ExpireSession { session_id: S1, at })
            .await
            .then_expect_events(vec![UserEvent::SessionExpired { session_id: S1 }]);
    }
}

#[tokio::test]
async fn expiring_a_session_that_has_not_run_out_records_nothing() {
    given(user_with_three_sessions(Role::User))
        .when_async(UserCommand::ExpireSession { session_id: S1, at: at_min(599) })
        .await
        .then_expect_events(vec![]);
}

#[tokio::test]
async fn expiring_a_refreshed_session_uses_its_new_end() {
    let mut history = user_with_three_sessions(Role::User);
    history.push(UserEvent::SessionRefreshed { session_id: S1, refresh_token_hash: "h1b".into(), expires_at: at_min(900), at: at_min(500) });
    given(history).when_async(UserCommand::ExpireSession { session_id: S1, at: at_min(700) }).await.then_expect_events(vec![]);
}

#[tokio::test]
async fn expiring_an_unknown_session_is_refused() {
    given(user_with_three_sessions(Role::User))
        .when_async(UserCommand::ExpireSession { session_id: Uuid::from_u128(99), at: at_min(700) })
        .await
        .then_expect_error(UserError::SessionNotFound);
}

// ---------------------------------------------------------------------------------------------
// Unlock
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn an_admin_can_unlock_a_locked_account() {
    let mut history = user(Role::User);
    history.push(UserEvent::AccountLocked { until: at_min(30), failures: 5 });
    given(history).when_async(UserCommand::Unlock { at: at_min(1) }).await.then_expect_events(vec![UserEvent::AccountUnlocked]);
}

#[tokio::test]
async fn unlocking_an_account_that_is_not_locked_is_refused() {
    given(user(Role::User)).when_async(UserCommand::Unlock { at: t0() }).await.then_expect_error(UserError::NotLocked);
}

#[tokio::test]
async fn unlocking_after_the_lock_ran_out_is_refused() {
    let mut history = user(Role::User);
    history.push(UserEvent::AccountLocked { until: at_min(30), failures: 5 });
    given(history).when_async(UserCommand::Unlock { at: at_min(30) }).await.then_expect_error(UserError::NotLocked);
}

#[tokio::test]
async fn after_unlock_the_user_can_log_in_and_failures_count_afresh() {
    let mut history = user(Role::User);
    for m in 0..5 {
        step(&mut history, fail_at(at_min(m))).await;
    }
    assert_eq!(step(&mut history, UserCommand::Unlock { at: at_min(5) }).await, vec![UserEvent::AccountUnlocked]);
    assert_eq!(run(history.clone(), fail_at(at_min(6))).await, Ok(vec![failed(at_min(6), 1)]));
    assert_eq!(run(history.clone(), UserCommand::Unlock { at: at_min(6) }).await, Err(UserError::NotLocked));
    assert_eq!(run(history, start_session_at(at_min(6))).await, Ok(session_accepted_at(at_min(6))));
}

// ---------------------------------------------------------------------------------------------
// ChangePreferences
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn changing_preferences_records_them() {
    let p = Preferences { theme: "dark".into(), code_format: "triplets".into(), auto_lock_minutes: 1440, clipboard_clear_seconds: 600 };
    given(user(Role::User)).when_async(UserCommand::ChangePreferences(p.clone())).await.then_expect_events(vec![UserEvent::PreferencesChanged(p)]);
}

#[tokio::test]
async fn preferences_accept_zero_for_never() {
    let p = Preferences { theme: "light".into(), code_format: "none".into(), auto_lock_minutes: 0, clipboard_clear_seconds: 0 };
    given(user(Role::User)).when_async(UserCommand::ChangePreferences(p.clone())).await.then_expect_events(vec![UserEvent::PreferencesChanged(p)]);
}

#[tokio::test]
async fn unchanged_preferences_record_nothing() {
    given(user(Role::User)).when_async(UserCommand::ChangePreferences(Preferences::default())).await.then_expect_events(vec![]);
    let p = Preferences { code_format: "pairs".into(), ..Preferences::default() };
    let mut history = user(Role::User);
    history.push(UserEvent::PreferencesChanged(p.clone()));
    given(history).when_async(UserCommand::ChangePreferences(p)).await.then_expect_events(vec![]);
}

#[tokio::test]
async fn out_of_range_preferences_are_refused_naming_the_field() {
    let cases = [
        (Preferences { theme: "solarized".into(), ..Preferences::default() }, "theme"),
        (Preferences { theme: "Dark".into(), ..Preferences::default() }, "theme"),
        (Preferences { code_format: "quads".into(), ..Preferences::default() }, "code_format"),
        (Preferences { auto_lock_minutes: 1441, ..Preferences::default() }, "auto_lock_minutes"),
        (Preferences { clipboard_clear_seconds: 601, ..Preferences::default() }, "clipboard_clear_seconds"),
    ];
    for (p, field) in cases {
        let result = run(user(Role::User), UserCommand::ChangePreferences(p.clone())).await;
        assert_eq!(result, Err(UserError::InvalidPreference { field }), "{p:?}");
        assert_eq!(result.unwrap_err().field(), Some(field));
    }
}

// ---------------------------------------------------------------------------------------------
// Delete
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_non_admin_can_be_deleted_with_a_single_active_admin() {
    given(user_with_three_sessions(Role::User))
        .when_async(UserCommand::Delete { active_admins: 1, at: at_min(3) })
        .await
        .then_expect_events(vec![UserEvent::UserDeleted { at: at_min(3) }]);
}

#[tokio::test]
async fn the_last_active_admin_cannot_be_deleted() {
    given(user(Role::Admin)).when_async(UserCommand::Delete { active_admins: 1, at: t0() }).await.then_expect_error(UserError::LastAdmin);
}

#[tokio::test]
async fn an_admin_can_be_deleted_when_another_admin_exists() {
    given(user(Role::Admin))
        .when_async(UserCommand::Delete { active_admins: 2, at: t0() })
        .await
        .then_expect_events(vec![UserEvent::UserDeleted { at: t0() }]);
}

#[tokio::test]
async fn a_disabled_admin_can_be_deleted_even_with_no_other_active_admin_counted() {
    let mut history = user(Role::Admin);
    history.push(UserEvent::UserDisabled);
    given(history).when_async(UserCommand::Delete { active_admins: 1, at: t0() }).await.then_expect_events(vec![UserEvent::UserDeleted { at: t0() }]);
}

#[tokio::test]
async fn deleting_a_deleted_user_is_not_found() {
    let mut history = user(Role::User);
    history.push(UserEvent::UserDeleted { at: t0() });
    given(history).when_async(UserCommand::Delete { active_admins: 2, at: at_min(1) }).await.then_expect_error(UserError::NotFound);
}

#[tokio::test]
async fn non_admin_can_be_disabled_then_deleted_with_one_active_admin() {
    let mut history = user_with_three_sessions(Role::Auditor);
    let disabled = step(&mut history, UserCommand::Disable { active_admins: 1 }).await;
    assert_eq!(disabled.len(), 4);
    assert_eq!(step(&mut history, UserCommand::Delete { active_admins: 1, at: at_min(1) }).await, vec![UserEvent::UserDeleted { at: at_min(1) }]);
    assert_eq!(run(history, UserCommand::Enable).await, Err(UserError::NotFound));
}

// ---------------------------------------------------------------------------------------------
// Error metadata used by the HTTP layer
// ---------------------------------------------------------------------------------------------

#[test]
fn user_errors_expose_code_field_and_kind() {
    let cases: [(UserError, &str, Option<&str>, ErrorKind); 8] = [
        (UserError::NotFound, "user_not_found", None, ErrorKind::NotFound),
        (UserError::EmailDomainNotAllowed, "email_domain_not_allowed", Some("email"), ErrorKind::Forbidden),
        (UserError::PasswordTooShort { min: 10 }, "password_too_short", Some("password"), ErrorKind::Invalid),
        (UserError::LastAdmin, "last_admin", None, ErrorKind::Conflict),
        (UserError::AccountDisabled, "account_disabled", None, ErrorKind::Forbidden),
        (UserError::AccountLocked { until: t0() }, "account_locked", None, ErrorKind::Locked),
        (UserError::SessionExpired, "session_expired", None, ErrorKind::Unauthorized),
        (UserError::InvalidPreference { field: "theme" }, "invalid_preference", Some("theme"), ErrorKind::Invalid),
    ];
    for (error, code, field, kind) in cases {
        assert_eq!((error.code(), error.field(), error.kind()), (code, field, kind), "{error:?}");
    }
}

/// The 1.0 events with a password hash held the PHC string in clear; they are upcast on read to
/// `PasswordHash::Plain` (never rewritten), while new ones are 2.0 and sealed.
#[test]
fn password_hash_events_1_0_are_upcast_to_plain() {
    use aggregates::user::PasswordHash;
    use cqrs_es::persist::SerializedEvent;
    let old = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA";
    let stored = [
        (
            "UserRegistered",
            serde_json::json!({ "UserRegistered": {
            "user_id": USER_ID, "email": "alice@example.com", "username": "alice", "display_name": "alice",
            "role": "user", "password_hash": old, "method": "self_signup", "at": "2026-01-01T00:00:00Z" } }),
        ),
        (
            "UserRegistered",
            serde_json::json!({ "UserRegistered": {
            "user_id": USER_ID, "email": "alice@example.com", "username": "alice", "display_name": "alice",
            "role": "user", "password_hash": null, "method": "oidc_provisioned", "at": "2026-01-01T00:00:00Z" } }),
        ),
        ("PasswordChanged", serde_json::json!({ "PasswordChanged": { "password_hash": old } })),
        ("PasswordResetByAdmin", serde_json::json!({ "PasswordResetByAdmin": { "password_hash": old } })),
    ];
    let upcasters = aggregates::upcasters();
    let mut decoded = Vec::new();
    for (event_type, payload) in stored {
        assert!(upcasters.iter().any(|u| u.can_upcast(event_type, "1.0")), "{event_type}");
        assert!(!upcasters.iter().any(|u| u.can_upcast(event_type, "2.0")), "current {event_type} events are not upcast");
        let mut event = SerializedEvent {
            aggregate_id: USER_ID.to_string(),
            sequence: 1,
            aggregate_type: "user".into(),
            event_type: event_type.into(),
            event_version: "1.0".into(),
            payload,
            metadata: serde_json::Value::Null,
        };
        for u in upcasters.iter().filter(|u| u.can_upcast(event_type, "1.0")) {
            event = u.upcast(event);
        }
        decoded.push(serde_json::from_value::<UserEvent>(event.payload).unwrap());
    }
    let plain = PasswordHash::Plain(old.into());
    assert!(matches!(&decoded[0], UserEvent::UserRegistered { password_hash: Some(h), .. } if *h == plain), "{:?}", decoded[0]);
    assert!(matches!(&decoded[1], UserEvent::UserRegistered { password_hash: None, .. }));
    assert_eq!(decoded[2], UserEvent::PasswordChanged { password_hash: plain.clone() });
    assert_eq!(decoded[3], UserEvent::PasswordResetByAdmin { password_hash: plain });
    let current = UserEvent::PasswordChanged { password_hash: phc(12) };
    assert_eq!(cqrs_es::DomainEvent::event_version(&current), "2.0");
    let json = serde_json::to_value(&current).unwrap();
    assert!(json["PasswordChanged"]["password_hash"]["Sealed"].as_str().is_some_and(|s| s.starts_with("v1:")), "{json}");
}
