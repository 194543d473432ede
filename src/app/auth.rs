//! Sign-up, sign-in, token refresh and sign-out, and admitting a request on its access token.

use aggregates::ErrorKind;
use aggregates::login_attempt::LoginAttemptCommand;
use aggregates::settings::SignupMode;
use aggregates::time::format_timestamp;
use aggregates::user::{CHALLENGE_SECONDS, LoginFailureReason, LoginMethod, RegistrationMethod, RevocationReason, Role, SecondFactorMethod};
use aggregates::{UserCommand, UserEvent};
use projections::read::{sessions, users};
use uuid::Uuid;
use zeroize::Zeroizing;

use super::caller::{Caller, LiveSession, Origin};
use super::credentials::new_password;
use super::error::{AppError, CommandError};
use super::started::{SignedIn, signed_in};
use super::{App, NewUser, credentials, factors, passkeys, present, ratelimit, tokens};
use crate::views::auth::RegisterBody;
use crate::views::factors::SecondFactorChallenge;
use crate::views::meta::AuthConfig;
use crate::views::users::UserEnvelope;

/// What the sign-in screen offers: first-run setup, self-registration, password rules.
pub async fn config(app: &App) -> Result<AuthConfig, AppError> {
    let settings = app.current_settings().await?;
    let setup_required = app.count_users().await? == 0;
    Ok(AuthConfig {
        setup_required,
        signup_open: setup_required || settings.signup.mode == SignupMode::Open,
        password_min_length: settings.password.min_length,
        password_max_length: settings.password.max_length,
    })
}

/// Creates an account: the first becomes admin; later ones only while sign-up is open.
pub async fn register(app: &App, origin: &Origin, body: RegisterBody) -> Result<UserEnvelope, AppError> {
    ratelimit::hit(app, ratelimit::REGISTER_PER_IP, &origin.ip.to_string()).await?;
    let settings = app.current_settings().await?;
    let password = new_password("password", body.password, settings.password).await?;
    let new = NewUser {
        email: &body.email,
        username: &body.username,
        display_name: body.display_name.as_deref(),
        password,
        role: Role::User,
        method: RegistrationMethod::SelfSignup,
    };
    let id = app.register_user(new, &origin.anonymous()).await?;
    Ok(UserEnvelope { user: present::user_view(app, &id.to_string()).await? })
}

fn invalid_credentials() -> AppError {
    AppError::unauthorized("invalid_credentials", "wrong login or password")
}

fn locked(until: &str) -> AppError {
    AppError::refused(ErrorKind::Locked, "account_locked", format!("too many failed sign-ins; the account is locked until {until}"))
}

/// Password sign-in. Unknown accounts cost the same argon2 work as known ones and get the same
/// answer (no account oracle); every outcome is an event.
pub async fn login(app: &App, origin: &Origin, login: &str, password: Zeroizing<String>) -> Result<LoginOutcome, AppError> {
    let name = login.trim().to_lowercase();
    ratelimit::hit(app, ratelimit::LOGIN_PER_IP, &origin.ip.to_string()).await?;
    ratelimit::hit(app, ratelimit::LOGIN_PER_ACCOUNT, &name).await?;
    let account = users::credentials(&app.db.pool, &name).await?;
    let (owner, stored) = account.as_ref().map_or((None, None), |a| (Some(a.id.as_str()), a.password_hash.clone()));
    let ok = credentials::matches(&app.keyring, owner, stored, password).await?;
    let settings = app.current_settings().await?;
    let now = app.env().now();
    let Some(account) = account else {
        // A name that matches no account locks exactly as an account would (same count, same
        // answer, same end), or the lockout would tell which accounts exist.
        let lock = crate::store::name_lockouts::fail(&app.db, &name, settings.lockout, now).await?;
        // Recorded too: the audit log must show attacks on accounts that do not exist.
        let cmd = LoginAttemptCommand::RecordUnknownAccount { login: login.to_owned(), at: now };
        app.execute(&app.login_attempts, &app.env().new_id().to_string(), cmd, &origin.anonymous()).await?;
        return Err(match lock {
            Some(until) => locked(&format_timestamp(&until)),
            None => invalid_credentials(),
        });
    };
    let user_id = Uuid::parse_str(&account.id).map_err(AppError::internal)?;
    let meta = origin.actor(&account.id, "user", None);
    let lock_in_force = account.locked_until.filter(|u| *u > format_timestamp(&now));
    if !ok {
        let fail = UserCommand::RecordLoginFailure {
            method: LoginMethod::Password,
            reason: LoginFailureReason::BadPassword,
            lockout: settings.lockout,
            at: now,
        };
        let events = app.execute_all(&app.users, &account.id, vec![fail], &meta).await?;
        return Err(match factors::new_lock(&events).or(lock_in_force) {
            Some(until) => locked(&until),
            None => invalid_credentials(),
        });
    }
    if let Some(until) = lock_in_force {
        let fail =
            UserCommand::RecordLoginFailure { method: LoginMethod::Password, reason: LoginFailureReason::Locked, lockout: settings.lockout, at: now };
        app.execute(&app.users, &account.id, fail, &meta).await?;
        return Err(locked(&until));
    }
    if account.totp_enabled || account.passkeys > 0 {
        // The password alone never signs in such an account: the sign-in waits for the second
        // factor under a short-lived, single-use challenge bound to this account.
        let challenge = factors::challenge_token(app, user_id);
        let challenge_hash = tokens::hash_token(&challenge);
        let cmd = UserCommand::IssueSecondFactorChallenge {
            challenge_hash: challenge_hash.clone(),
            expires_at: now + chrono::Duration::seconds(CHALLENGE_SECONDS),
            at: now,
        };
        app.execute(&app.users, &account.id, cmd, &meta).await?;
        let webauthn = if account.passkeys > 0 {
            let user = app.load_user(&account.id).await?;
            passkeys::second_factor_options(app, &user, &account.id, &challenge_hash).await?
        } else {
            None
        };
        let mut methods = Vec::new();
        if account.totp_enabled {
            methods.push(SecondFactorMethod::Totp);
        }
        if account.recovery_codes_left > 0 {
            methods.push(SecondFactorMethod::Recovery);
        }
        if webauthn.is_some() {
            methods.push(SecondFactorMethod::Webauthn);
        }
        return Ok(LoginOutcome::SecondFactor(SecondFactorChallenge {
            second_factor_required: true,
            challenge,
            methods,
            expires_in: CHALLENGE_SECONDS as u32,
            webauthn,
        }));
    }
    let session_id = app.env().new_id();
    let (refresh, refresh_hash) = tokens::refresh_token(app.env(), session_id);
    let start = UserCommand::StartSession {
        session_id,
        method: LoginMethod::Password,
        refresh_token_hash: refresh_hash,
        expires_at: now + chrono::Duration::seconds(i64::from(settings.session.refresh_ttl_seconds)),
        at: now,
    };
    app.execute(&app.users, &account.id, start, &origin.actor(&account.id, "user", Some(&session_id.to_string()))).await?;
    Ok(LoginOutcome::SignedIn(Box::new(signed_in(app, user_id, session_id, refresh).await?)))
}

/// What a password sign-in led to.
#[derive(Debug)]
pub enum LoginOutcome {
    /// A session (the account has no second factor).
    SignedIn(Box<SignedIn>),
    /// The second factor is still to come.
    SecondFactor(SecondFactorChallenge),
}

fn challenge_invalid() -> AppError {
    AppError::unauthorized("challenge_invalid", "the sign-in challenge is not valid or has expired; sign in again")
}

/// Completes a sign-in whose password passed with its second factor. Only a challenge from that
/// password step gets here (there is no other way to name the account); a wrong factor counts
/// towards the lockout and the rate limits like a wrong password.
pub async fn complete_second_factor(
    app: &App,
    origin: &Origin,
    challenge: &str,
    method: SecondFactorMethod,
    code: Option<&str>,
    credential: Option<serde_json::Value>,
) -> Result<SignedIn, AppError> {
    ratelimit::hit(app, ratelimit::LOGIN_PER_IP, &origin.ip.to_string()).await?;
    let user_id = challenge.split_once('.').and_then(|(id, _)| Uuid::parse_str(id).ok()).ok_or_else(challenge_invalid)?;
    let id = user_id.to_string();
    let user = match app.load_user(&id).await {
        Err(AppError::Refused { code: "user_not_found", .. }) => return Err(challenge_invalid()),
        other => other?,
    };
    let now = app.env().now();
    let challenge_hash = tokens::hash_token(challenge);
    if user.challenges.get(&challenge_hash).is_none_or(|until| *until <= now) {
        return Err(challenge_invalid());
    }
    // Charged once the challenge is known good, so forged challenges naming someone cannot use
    // up their budget.
    ratelimit::hit(app, ratelimit::LOGIN_PER_ACCOUNT, &format!("user:{id}")).await?;
    let meta = origin.actor(&id, "user", None);

    let failed = |events: Vec<UserEvent>| match factors::new_lock(&events) {
        Some(until) => locked(&until),
        None => AppError::unauthorized("second_factor_invalid", "the second factor is not valid"),
    };
    let settings = app.current_settings().await?;
    let record_failure = || UserCommand::RecordLoginFailure {
        method: LoginMethod::Password,
        reason: LoginFailureReason::BadSecondFactor,
        lockout: settings.lockout,
        at: now,
    };
    // While the account is locked no answer is looked at: right and wrong look the same, and
    // nothing is learnt for when the lock runs out.
    if let Some(until) = user.locked_until.filter(|u| *u > now) {
        let fail =
            UserCommand::RecordLoginFailure { method: LoginMethod::Password, reason: LoginFailureReason::Locked, lockout: settings.lockout, at: now };
        app.execute(&app.users, &id, fail, &meta).await?;
        return Err(locked(&format_timestamp(&until)));
    }
    let proof = match (method, code, credential) {
        (SecondFactorMethod::Webauthn, _, Some(credential)) => passkeys::second_factor_proof(app, &user, &id, &challenge_hash, credential).await?,
        (SecondFactorMethod::Webauthn, _, None) => {
            return Err(AppError::invalid("credential", "give the passkey's answer (PublicKeyCredential.toJSON())"));
        }
        (_, Some(code), _) => factors::proof_of(app, &user, &id, method, code).await?,
        (_, None, _) => return Err(AppError::invalid("code", "give the code from the authenticator app or a recovery code")),
    };
    let Some(proof) = proof else {
        let events = app.execute_all(&app.users, &id, vec![record_failure()], &meta).await?;
        return Err(failed(events));
    };
    let session_id = app.env().new_id();
    let (refresh, refresh_hash) = tokens::refresh_token(app.env(), session_id);
    let cmd = UserCommand::CompleteSecondFactor {
        challenge_hash,
        proof,
        session_id,
        refresh_token_hash: refresh_hash,
        expires_at: now + chrono::Duration::seconds(i64::from(settings.session.refresh_ttl_seconds)),
        at: now,
    };
    match app.execute_all(&app.users, &id, vec![cmd], &origin.actor(&id, "user", Some(&session_id.to_string()))).await {
        Ok(_) => signed_in(app, user_id, session_id, refresh).await,
        // A code already used in its time step, or a spent recovery code: as wrong as any.
        Err(CommandError::Rejected { code: "second_factor_invalid", .. }) => {
            let events = app.execute_all(&app.users, &id, vec![record_failure()], &meta).await?;
            Err(failed(events))
        }
        Err(e) => Err(e.into()),
    }
}

/// Rotates a refresh token (RFC 9700 §4.14.2): a new token for this one, which is spent. An
/// already-rotated token ends the session instead. `token` is what the request presented, or
/// why it presented none; either is judged after the rate limit.
pub async fn refresh(app: &App, origin: &Origin, token: Result<Zeroizing<String>, AppError>) -> Result<SignedIn, AppError> {
    ratelimit::hit(app, ratelimit::REFRESH_PER_IP, &origin.ip.to_string()).await?;
    let token = token?;
    let token = token.as_str();
    let bad = || AppError::unauthorized("invalid_refresh_token", "the refresh token is not valid");
    let session_id = tokens::refresh_session(token).ok_or_else(bad)?;
    let owner = sessions::live_owner(&app.db.pool, &session_id.to_string()).await?.ok_or_else(bad)?;
    let user_id = Uuid::parse_str(&owner).map_err(AppError::internal)?;
    let settings = app.current_settings().await?;
    let now = app.env().now();
    let (new_token, new_hash) = tokens::refresh_token(app.env(), session_id);
    let cmd = UserCommand::RefreshSession {
        session_id,
        presented_hash: tokens::hash_token(token),
        new_hash,
        expires_at: now + chrono::Duration::seconds(i64::from(settings.session.refresh_ttl_seconds)),
        at: now,
    };
    let meta = origin.actor(&owner, "user", Some(&session_id.to_string()));
    let events = match app.execute_all(&app.users, &owner, vec![cmd], &meta).await {
        Ok(events) => events,
        Err(CommandError::Rejected { code: "session_not_found", .. }) => return Err(bad()),
        Err(e) => return Err(e.into()),
    };
    // The domain decided: rotated, ended as expired, or ended because the token was reused.
    match events.first() {
        Some(UserEvent::SessionRefreshed { .. }) => signed_in(app, user_id, session_id, new_token).await,
        Some(UserEvent::SessionRevoked { reason: RevocationReason::RefreshTokenReused, .. }) => {
            Err(AppError::unauthorized("refresh_token_reused", "this refresh token was already used; the session has been ended for safety"))
        }
        _ => Err(AppError::unauthorized("session_expired", "the session has ended; sign in again")),
    }
}

/// Ends the caller's session.
pub async fn logout(app: &App, caller: &Caller, origin: &Origin) -> Result<(), AppError> {
    let cmd = UserCommand::RevokeSession { session_id: caller.session_id, reason: RevocationReason::Logout };
    app.execute(&app.users, &caller.user_id.to_string(), cmd, &caller.meta(origin)).await?;
    Ok(())
}

/// Admits a request carrying `access_token` while its session is live. Revocation takes effect
/// on the next request on this replica, and within a second on every other (the shared database,
/// cached for one second).
pub async fn admit(app: &App, access_token: &str) -> Result<Caller, AppError> {
    let now = app.env().now();
    let (user_id, session_id) = tokens::verify_access_token(&app.tokens, access_token, now)?;
    let (user, session) = (user_id.to_string(), session_id.to_string());
    if let Some(live) = app.live_sessions.get(&session)
        && live.user_id == user
    {
        return Ok(Caller { user_id, session_id, role: live.role, enrolment_due: live.enrolment_due });
    }
    let revoked = || AppError::unauthorized("session_revoked", "the session has ended; sign in again");
    let access = sessions::access(&app.db.pool, &session).await?.ok_or_else(revoked)?;
    if access.user_id != user || !access.is_live(&now) {
        return Err(revoked());
    }
    if access.disabled {
        return Err(AppError::forbidden("account_disabled", "this account is disabled"));
    }
    let enrolment_due = if access.has_second_factor {
        false
    } else {
        let settings = app.current_settings().await?;
        factors::covers(settings.two_factor.scope, access.role)
            && factors::enrol_by(&access.user_created_at, settings.two_factor_changed_at, settings.two_factor.grace_days).is_some_and(|by| by <= now)
    };
    app.live_sessions.put(session, LiveSession { user_id: access.user_id, role: access.role, enrolment_due });
    Ok(Caller { user_id, session_id, role: access.role, enrolment_due })
}
