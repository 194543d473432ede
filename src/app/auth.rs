//! Sign-up, sign-in, token refresh and sign-out, and admitting a request on its access token.

use aggregates::ErrorKind;
use aggregates::login_attempt::LoginAttemptCommand;
use aggregates::settings::{PasswordPolicy, SignupMode};
use aggregates::time::format_timestamp;
use aggregates::user::{LoginFailureReason, LoginMethod, NewPassword, RegistrationMethod, RevocationReason, Role};
use aggregates::{UserCommand, UserEvent};
use projections::read::{sessions, users};
use uuid::Uuid;
use zeroize::Zeroizing;

use super::caller::{Caller, Origin};
use super::error::{AppError, CommandError};
use super::{App, NewUser, present, ratelimit, tokens};
use crate::views::auth::{RegisterBody, SessionTokens, TokenType};
use crate::views::meta::AuthConfig;
use crate::views::users::{UserEnvelope, UserView};

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

/// Checks a new password's length against the policy (before any argon2 work is spent on it),
/// then hashes it off the runtime: what the domain's password commands take.
pub async fn new_password(field: &'static str, password: Zeroizing<String>, policy: PasswordPolicy) -> Result<NewPassword, AppError> {
    let length = password.chars().count();
    if length < policy.min_length as usize || length > policy.max_length as usize {
        return Err(AppError::invalid(field, format!("password must be {}–{} characters", policy.min_length, policy.max_length)));
    }
    let phc = crate::password::hash(password).await?;
    Ok(NewPassword { phc, length })
}

/// The user as the API shows it, or `user_not_found` (also when deleted).
pub async fn user_view(app: &App, id: &str) -> Result<UserView, AppError> {
    let row = users::by_id(&app.db.pool, id).await?.ok_or_else(|| AppError::not_found("user_not_found"))?;
    Ok(present::user(row))
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
    Ok(UserEnvelope { user: user_view(app, &id.to_string()).await? })
}

/// A started session: the tokens for the body, and how long the refresh cookie may live.
#[derive(Debug)]
pub struct SignedIn {
    /// Tokens and the user.
    pub tokens: SessionTokens,
    /// The refresh token's lifetime (the session policy's refresh TTL).
    pub refresh_ttl_seconds: u32,
}

async fn signed_in(app: &App, user_id: Uuid, session_id: Uuid, refresh_token: String) -> Result<SignedIn, AppError> {
    let policy = app.current_settings().await?.session;
    let access_token = tokens::access_token(&app.tokens, user_id, session_id, app.env().now(), policy.access_ttl_seconds)?;
    let tokens = SessionTokens {
        access_token,
        token_type: TokenType::Bearer,
        expires_in: policy.access_ttl_seconds,
        refresh_token,
        session_id: session_id.to_string(),
        csrf_token: tokens::csrf_token(app.env()),
        user: user_view(app, &user_id.to_string()).await?,
    };
    Ok(SignedIn { tokens, refresh_ttl_seconds: policy.refresh_ttl_seconds })
}

fn invalid_credentials() -> AppError {
    AppError::unauthorized("invalid_credentials", "wrong login or password")
}

fn locked(until: &str) -> AppError {
    AppError::refused(ErrorKind::Locked, "account_locked", format!("too many failed sign-ins; the account is locked until {until}"))
}

/// Password sign-in. Unknown accounts cost the same argon2 work as known ones and get the same
/// answer (no account oracle); every outcome is an event.
pub async fn login(app: &App, origin: &Origin, login: &str, password: Zeroizing<String>) -> Result<SignedIn, AppError> {
    let name = login.trim().to_lowercase();
    ratelimit::hit(app, ratelimit::LOGIN_PER_IP, &origin.ip.to_string()).await?;
    ratelimit::hit(app, ratelimit::LOGIN_PER_ACCOUNT, &name).await?;
    let account = users::credentials(&app.db.pool, &name).await?;
    let phc = account.as_ref().and_then(|a| a.password_hash.clone());
    let known_hash = phc.is_some();
    let ok = crate::password::verify(password, phc.unwrap_or_else(|| crate::password::DUMMY_HASH.clone())).await?;
    let Some(account) = account else {
        // Recorded too: the audit log must show attacks on accounts that do not exist.
        let cmd = LoginAttemptCommand::RecordUnknownAccount { login: login.to_owned(), at: app.env().now() };
        app.execute(&app.login_attempts, &app.env().new_id().to_string(), cmd, &origin.anonymous()).await?;
        return Err(invalid_credentials());
    };
    let user_id = Uuid::parse_str(&account.id).map_err(AppError::internal)?;
    let meta = origin.actor(&account.id, "user", None);
    let settings = app.current_settings().await?;
    let now = app.env().now();
    let lock_in_force = account.locked_until.filter(|u| *u > format_timestamp(&now));
    if !(ok && known_hash) {
        let fail = UserCommand::RecordLoginFailure {
            method: LoginMethod::Password,
            reason: LoginFailureReason::BadPassword,
            lockout: settings.lockout,
            at: now,
        };
        let events = app.execute_all(&app.users, &account.id, vec![fail], &meta).await?;
        let new_lock = events.iter().find_map(|e| match e {
            UserEvent::AccountLocked { until, .. } => Some(format_timestamp(until)),
            _ => None,
        });
        return Err(match new_lock.or(lock_in_force) {
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
    signed_in(app, user_id, session_id, refresh).await
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
    if let Some((owner, role)) = app.live_sessions.get(&session)
        && owner == user
    {
        return Ok(Caller { user_id, session_id, role });
    }
    let revoked = || AppError::unauthorized("session_revoked", "the session has ended; sign in again");
    let access = sessions::access(&app.db.pool, &session).await?.ok_or_else(revoked)?;
    if access.user_id != user || !access.is_live(&now) {
        return Err(revoked());
    }
    if access.disabled {
        return Err(AppError::forbidden("account_disabled", "this account is disabled"));
    }
    app.live_sessions.put(session, (access.user_id, access.role));
    Ok(Caller { user_id, session_id, role: access.role })
}
