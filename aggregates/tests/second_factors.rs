//! Given/when/then tests of the `User` aggregate's second factors: authenticator app, recovery
//! codes, passkeys, the sign-in challenge and step-up.

mod common;

use aggregates::user::{FactorProof, LoginMethod, RegistrationMethod, RevocationReason, Role, SecondFactorMethod};
use aggregates::{DomainError, ErrorKind, User, UserCommand, UserError, UserEvent};
use chrono::Duration;
use common::{at_min, at_sec, other_sealed, phc, sealed, t0};
use cqrs_es::Aggregate;
use cqrs_es::test::TestFramework;
use uuid::Uuid;

const USER_ID: Uuid = Uuid::from_u128(0x0195_8f2a_1c00_7000_8000_0000_0000_0001);
const S1: Uuid = Uuid::from_u128(0x0195_8f2a_1c00_7000_8000_0000_0000_0011);
const S2: Uuid = Uuid::from_u128(0x0195_8f2a_1c00_7000_8000_0000_0000_0012);

fn given(events: Vec<UserEvent>) -> cqrs_es::test::AggregateTestExecutor<User> {
    TestFramework::<User>::with(()).given(events)
}

fn registered() -> UserEvent {
    UserEvent::UserRegistered {
        user_id: USER_ID,
        email: "alice@example.com".into(),
        username: "alice".into(),
        display_name: "alice".into(),
        role: Role::User,
        password_hash: Some(phc(12)),
        method: RegistrationMethod::SelfSignup,
        at: t0(),
    }
}

fn session(id: Uuid) -> UserEvent {
    UserEvent::SessionStarted {
        session_id: id,
        method: LoginMethod::Password,
        refresh_token_hash: "a".repeat(64),
        expires_at: at_min(60 * 24),
        at: t0(),
    }
}

/// Registered, signed in (S1), authenticator app confirmed at step 100 with ten recovery codes.
fn with_totp() -> Vec<UserEvent> {
    vec![
        registered(),
        session(S1),
        UserEvent::TotpEnrolmentStarted { secret: sealed() },
        UserEvent::TotpEnabled { step: 100, at: t0() },
        UserEvent::RecoveryCodesGenerated { hashes: other_sealed(), count: 10, at: t0() },
    ]
}

fn stepped_up(at: chrono::DateTime<chrono::Utc>) -> UserEvent {
    UserEvent::SessionReauthenticated { session_id: S1, method: LoginMethod::Password, at }
}

fn challenge(expires: i64) -> UserEvent {
    UserEvent::SecondFactorChallengeIssued { challenge_hash: "c".repeat(64), expires_at: at_min(expires), at: t0() }
}

fn complete(proof: FactorProof, at: chrono::DateTime<chrono::Utc>) -> UserCommand {
    UserCommand::CompleteSecondFactor {
        challenge_hash: "c".repeat(64),
        proof,
        session_id: S2,
        refresh_token_hash: "b".repeat(64),
        expires_at: at_min(60),
        at,
    }
}

fn refused(events: Vec<UserEvent>, command: UserCommand, error: UserError) {
    given(events).when(command).then_expect_error(error);
}

#[test]
fn enrolling_an_authenticator_app_needs_a_step_up_and_a_confirming_code() {
    let start = |secret| UserCommand::StartTotpEnrolment { session_id: S1, secret, at: t0() };
    let up = || vec![registered(), session(S1), stepped_up(t0())];
    given(up()).when(start(sealed())).then_expect_events(vec![UserEvent::TotpEnrolmentStarted { secret: sealed() }]);
    // A stolen session must not put its own factor on the account.
    refused(vec![registered(), session(S1)], start(sealed()), UserError::ReauthenticationRequired);
    let confirm =
        |secret| UserCommand::ConfirmTotp { session_id: S1, secret, step: 7, recovery_hashes: other_sealed(), recovery_count: 10, at: t0() };
    refused(up(), confirm(sealed()), UserError::TotpNotPending);
    let pending = || [up(), vec![UserEvent::TotpEnrolmentStarted { secret: sealed() }]].concat();
    given(pending()).when(confirm(sealed())).then_expect_events(vec![
        UserEvent::TotpEnabled { step: 7, at: t0() },
        UserEvent::RecoveryCodesGenerated { hashes: other_sealed(), count: 10, at: t0() },
    ]);
    // Another enrolment replaced the secret the code was checked against.
    refused(pending(), confirm(other_sealed()), UserError::TotpNotPending);
    refused(
        vec![registered(), session(S1), UserEvent::TotpEnrolmentStarted { secret: sealed() }],
        confirm(sealed()),
        UserError::ReauthenticationRequired,
    );
    let mut enabled = with_totp();
    enabled.push(stepped_up(t0()));
    refused(enabled.clone(), confirm(sealed()), UserError::TotpAlreadyEnabled);
    refused(enabled, start(other_sealed()), UserError::TotpAlreadyEnabled);
}

#[test]
fn a_password_alone_never_signs_in_an_account_with_a_second_factor() {
    let start = UserCommand::StartSession {
        session_id: S2,
        method: LoginMethod::Password,
        refresh_token_hash: "b".repeat(64),
        expires_at: at_min(60),
        at: t0(),
    };
    refused(with_totp(), start, UserError::ChallengeInvalid);
    let issue = UserCommand::IssueSecondFactorChallenge { challenge_hash: "c".repeat(64), expires_at: at_min(5), at: t0() };
    refused(vec![registered()], issue.clone(), UserError::NoSecondFactor);
    given(with_totp()).when(issue).then_expect_events(vec![challenge(5)]);
}

#[test]
fn a_challenge_is_completed_once_before_it_runs_out_with_a_fresh_code() {
    let mut events = with_totp();
    events.push(challenge(5));
    given(events.clone()).when(complete(FactorProof::Totp { step: 101 }, at_min(1))).then_expect_events(vec![
        UserEvent::TotpCodeAccepted { step: 101 },
        UserEvent::SecondFactorChallengeConsumed { challenge_hash: "c".repeat(64) },
        UserEvent::SecondFactorPassed { method: SecondFactorMethod::Totp, at: at_min(1) },
        UserEvent::LoginSucceeded { method: LoginMethod::Password, at: at_min(1) },
        UserEvent::SessionStarted {
            session_id: S2,
            method: LoginMethod::Password,
            refresh_token_hash: "b".repeat(64),
            expires_at: at_min(60),
            at: at_min(1),
        },
    ]);
    // The code of the confirming step (or an older one) is spent.
    refused(events.clone(), complete(FactorProof::Totp { step: 100 }, at_min(1)), UserError::SecondFactorInvalid);
    // Too late, unknown, or already spent.
    refused(events.clone(), complete(FactorProof::Totp { step: 101 }, at_min(5)), UserError::ChallengeInvalid);
    refused(with_totp(), complete(FactorProof::Totp { step: 101 }, at_min(1)), UserError::ChallengeInvalid);
    let mut spent = events;
    spent.push(UserEvent::SecondFactorChallengeConsumed { challenge_hash: "c".repeat(64) });
    refused(spent, complete(FactorProof::Totp { step: 102 }, at_min(1)), UserError::ChallengeInvalid);
}

#[test]
fn a_recovery_code_works_once() {
    let mut events = with_totp();
    events.push(challenge(5));
    given(events.clone()).when(complete(FactorProof::Recovery { index: 3 }, at_min(1))).then_expect_events(vec![
        UserEvent::RecoveryCodeUsed { index: 3, remaining: 9, at: at_min(1) },
        UserEvent::SecondFactorChallengeConsumed { challenge_hash: "c".repeat(64) },
        UserEvent::SecondFactorPassed { method: SecondFactorMethod::Recovery, at: at_min(1) },
        UserEvent::LoginSucceeded { method: LoginMethod::Password, at: at_min(1) },
        UserEvent::SessionStarted {
            session_id: S2,
            method: LoginMethod::Password,
            refresh_token_hash: "b".repeat(64),
            expires_at: at_min(60),
            at: at_min(1),
        },
    ]);
    events.push(UserEvent::RecoveryCodeUsed { index: 3, remaining: 9, at: t0() });
    refused(events.clone(), complete(FactorProof::Recovery { index: 3 }, at_min(1)), UserError::SecondFactorInvalid);
    refused(events, complete(FactorProof::Recovery { index: 10 }, at_min(1)), UserError::SecondFactorInvalid);
}

#[test]
fn a_locked_or_disabled_account_cannot_complete_a_sign_in() {
    let mut events = with_totp();
    events.push(challenge(5));
    let mut locked = events.clone();
    locked.push(UserEvent::AccountLocked { until: at_min(30), failures: 5 });
    given(locked).when(complete(FactorProof::Totp { step: 101 }, at_min(1))).then_expect_error(UserError::AccountLocked { until: at_min(30) });
    events.push(UserEvent::UserDisabled);
    refused(events, complete(FactorProof::Totp { step: 101 }, at_min(1)), UserError::AccountDisabled);
}

#[test]
fn removing_the_app_needs_a_recent_step_up_and_a_code() {
    let disable = |at| UserCommand::DisableTotp { session_id: S1, proof: FactorProof::Totp { step: 200 }, at };
    refused(with_totp(), disable(at_min(1)), UserError::ReauthenticationRequired);
    let mut events = with_totp();
    events.push(stepped_up(at_min(1)));
    // Five minutes after the step-up it no longer counts.
    refused(events.clone(), disable(at_sec(60 + 301)), UserError::ReauthenticationRequired);
    given(events.clone()).when(disable(at_min(3))).then_expect_events(vec![
        UserEvent::TotpCodeAccepted { step: 200 },
        UserEvent::TotpDisabled { at: at_min(3) },
        // No factor is left for the recovery codes to stand in for.
        UserEvent::RecoveryCodesDiscarded,
    ]);
    refused(
        events,
        UserCommand::DisableTotp { session_id: S1, proof: FactorProof::Totp { step: 99 }, at: at_min(3) },
        UserError::SecondFactorInvalid,
    );
}

#[test]
fn recovery_codes_are_regenerated_after_a_step_up_for_an_account_with_a_factor() {
    let regenerate = |at| UserCommand::RegenerateRecoveryCodes { session_id: S1, hashes: sealed(), count: 10, at };
    refused(vec![registered(), session(S1), stepped_up(t0())], regenerate(at_min(1)), UserError::NoSecondFactor);
    refused(with_totp(), regenerate(at_min(1)), UserError::ReauthenticationRequired);
    let mut events = with_totp();
    events.push(stepped_up(t0()));
    given(events).when(regenerate(at_min(1))).then_expect_events(vec![UserEvent::RecoveryCodesGenerated {
        hashes: sealed(),
        count: 10,
        at: at_min(1),
    }]);
}

fn passkey(id: &str) -> UserEvent {
    UserEvent::PasskeyRegistered { credential_id: id.into(), name: "laptop".into(), credential: "{}".into(), counter: 0, at: t0() }
}

#[test]
fn passkeys_are_registered_renamed_and_removed() {
    let register = |id: &str, name: &str| UserCommand::RegisterPasskey {
        session_id: S1,
        credential_id: id.into(),
        name: name.into(),
        credential: "{}".into(),
        counter: 0,
        at: t0(),
    };
    let up = || vec![registered(), session(S1), stepped_up(t0())];
    given(up()).when(register("k1", "  laptop ")).then_expect_events(vec![passkey("k1")]);
    refused(vec![registered(), session(S1)], register("k1", "laptop"), UserError::ReauthenticationRequired);
    refused([up(), vec![passkey("k1")]].concat(), register("k1", "again"), UserError::PasskeyExists);
    refused(up(), register("k1", " "), UserError::InvalidPasskeyName);
    let mut many = up();
    many.extend((0..20).map(|i| passkey(&format!("k{i}"))));
    refused(many, register("k99", "one more"), UserError::TooManyPasskeys);
    given(vec![registered(), passkey("k1")])
        .when(UserCommand::RenamePasskey { credential_id: "k1".into(), name: "phone".into() })
        .then_expect_events(vec![UserEvent::PasskeyRenamed { credential_id: "k1".into(), name: "phone".into() }]);
    refused(vec![registered()], UserCommand::RenamePasskey { credential_id: "k1".into(), name: "x".into() }, UserError::PasskeyNotFound);
    let remove = UserCommand::RemovePasskey { session_id: S1, credential_id: "k1".into(), at: at_min(1) };
    refused(vec![registered(), session(S1), passkey("k1")], remove.clone(), UserError::ReauthenticationRequired);
    given(vec![registered(), session(S1), passkey("k1"), passkey("k2"), stepped_up(t0())])
        .when(remove)
        .then_expect_events(vec![UserEvent::PasskeyRemoved { credential_id: "k1".into(), at: at_min(1) }]);
}

#[test]
fn a_passkey_signs_in_alone_and_as_a_second_factor() {
    let sign_in = |id: &str| UserCommand::SignInWithPasskey {
        credential_id: id.into(),
        credential: "{\"counter\":2}".into(),
        counter: 2,
        session_id: S2,
        refresh_token_hash: "b".repeat(64),
        expires_at: at_min(60),
        at: at_min(1),
    };
    given(vec![registered(), passkey("k1")]).when(sign_in("k1")).then_expect_events(vec![
        UserEvent::PasskeyUsed { credential_id: "k1".into(), credential: "{\"counter\":2}".into(), counter: 2, at: at_min(1) },
        UserEvent::LoginSucceeded { method: LoginMethod::Passkey, at: at_min(1) },
        UserEvent::SessionStarted {
            session_id: S2,
            method: LoginMethod::Passkey,
            refresh_token_hash: "b".repeat(64),
            expires_at: at_min(60),
            at: at_min(1),
        },
    ]);
    refused(vec![registered(), passkey("k1")], sign_in("k2"), UserError::SecondFactorInvalid);
    refused(vec![registered(), passkey("k1"), UserEvent::UserDisabled], sign_in("k1"), UserError::AccountDisabled);
    let proof = FactorProof::Passkey { credential_id: "k1".into(), credential: "{}".into(), counter: 0 };
    given(vec![registered(), passkey("k1"), challenge(5)]).when(complete(proof, at_min(1))).then_expect_events(vec![
        UserEvent::PasskeyUsed { credential_id: "k1".into(), credential: "{}".into(), counter: 0, at: at_min(1) },
        UserEvent::SecondFactorChallengeConsumed { challenge_hash: "c".repeat(64) },
        UserEvent::SecondFactorPassed { method: SecondFactorMethod::Webauthn, at: at_min(1) },
        UserEvent::LoginSucceeded { method: LoginMethod::Password, at: at_min(1) },
        UserEvent::SessionStarted {
            session_id: S2,
            method: LoginMethod::Password,
            refresh_token_hash: "b".repeat(64),
            expires_at: at_min(60),
            at: at_min(1),
        },
    ]);
}

#[test]
fn an_admin_reset_removes_every_factor_and_ends_the_sessions() {
    let mut events = with_totp();
    events.push(passkey("k1"));
    given(events).when(UserCommand::ResetSecondFactors { at: at_min(1) }).then_expect_events(vec![
        UserEvent::SecondFactorsReset { at: at_min(1) },
        UserEvent::SessionRevoked { session_id: S1, reason: RevocationReason::RevokedByAdmin },
    ]);
}

#[test]
fn a_step_up_survives_a_token_refresh_and_ends_with_its_session() {
    let mut user = User::default();
    for e in [registered(), session(S1), stepped_up(at_min(1))] {
        user.apply(e);
    }
    assert!(user.stepped_up(S1, at_min(2)));
    assert!(!user.stepped_up(S1, at_min(1) + Duration::seconds(301)));
    assert!(!user.stepped_up(S2, at_min(2)), "another session did not step up");
    user.apply(UserEvent::SessionRefreshed { session_id: S1, refresh_token_hash: "d".repeat(64), expires_at: at_min(120), at: at_min(2) });
    assert!(user.stepped_up(S1, at_min(3)));
    user.apply(UserEvent::SessionRevoked { session_id: S1, reason: RevocationReason::Logout });
    assert!(!user.stepped_up(S1, at_min(3)));
}

#[test]
fn second_factor_errors_have_stable_codes_and_classes() {
    for (e, code, kind) in [
        (UserError::ChallengeInvalid, "challenge_invalid", ErrorKind::Unauthorized),
        (UserError::SecondFactorInvalid, "second_factor_invalid", ErrorKind::Unauthorized),
        (UserError::ReauthenticationRequired, "reauthentication_required", ErrorKind::Forbidden),
        (UserError::TotpAlreadyEnabled, "totp_already_enabled", ErrorKind::Conflict),
        (UserError::PasskeyNotFound, "passkey_not_found", ErrorKind::NotFound),
        (UserError::InvalidPasskeyName, "invalid_passkey_name", ErrorKind::Invalid),
    ] {
        assert_eq!((e.code(), e.kind()), (code, kind), "{e:?}");
    }
}

/// WebAuthn L3 §6.1.1, decided by the aggregate: once a counter was seen, an assertion must
/// carry a higher one (two racing sign-ins with the same counter: the second is refused on its
/// retry); authenticators that keep no counter (always 0) are accepted.
#[test]
fn a_passkey_counter_that_does_not_go_up_is_refused() {
    let used = |counter| UserEvent::PasskeyUsed { credential_id: "k1".into(), credential: "{}".into(), counter, at: t0() };
    let reauth = |counter| UserCommand::Reauthenticate {
        session_id: S1,
        method: LoginMethod::Passkey,
        passkey: Some(("k1".into(), "{}".into(), counter)),
        at: at_min(1),
    };
    let base = || vec![registered(), session(S1), passkey("k1"), used(5)];
    refused(base(), reauth(5), UserError::SecondFactorInvalid);
    refused(base(), reauth(4), UserError::SecondFactorInvalid);
    refused(base(), reauth(0), UserError::SecondFactorInvalid);
    given(base()).when(reauth(6)).then_expect_events(vec![
        UserEvent::PasskeyUsed { credential_id: "k1".into(), credential: "{}".into(), counter: 6, at: at_min(1) },
        UserEvent::SessionReauthenticated { session_id: S1, method: LoginMethod::Passkey, at: at_min(1) },
    ]);
    given(vec![registered(), session(S1), passkey("k1"), used(0)]).when(reauth(0)).then_expect_events(vec![
        UserEvent::PasskeyUsed { credential_id: "k1".into(), credential: "{}".into(), counter: 0, at: at_min(1) },
        UserEvent::SessionReauthenticated { session_id: S1, method: LoginMethod::Passkey, at: at_min(1) },
    ]);
}

#[test]
fn a_locked_account_cannot_step_up() {
    let lock = UserEvent::AccountLocked { until: at_min(15), failures: 5 };
    let reauth = UserCommand::Reauthenticate { session_id: S1, method: LoginMethod::Password, passkey: None, at: at_min(1) };
    refused(vec![registered(), session(S1), lock.clone()], reauth.clone(), UserError::AccountLocked { until: at_min(15) });
    let later = UserCommand::Reauthenticate { session_id: S1, method: LoginMethod::Password, passkey: None, at: at_min(16) };
    given(vec![registered(), session(S1), lock]).when(later).then_expect_events(vec![UserEvent::SessionReauthenticated {
        session_id: S1,
        method: LoginMethod::Password,
        at: at_min(16),
    }]);
}

/// A sign-in waiting for its second factor passed the old password: after a change or an admin
/// reset it cannot be finished.
#[test]
fn a_new_password_ends_the_sign_ins_waiting_for_a_second_factor() {
    for change in [UserEvent::PasswordChanged { password_hash: common::phc(20) }, UserEvent::PasswordResetByAdmin { password_hash: common::phc(20) }]
    {
        let mut events = with_totp();
        events.extend([challenge(5), change]);
        refused(events, complete(FactorProof::Totp { step: 101 }, at_min(1)), UserError::ChallengeInvalid);
    }
}
