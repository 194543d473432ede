//! `/auth/*`: register, login, refresh, logout.

use aggregates::UserCommand;
use aggregates::user::{LoginFailureReason, LoginMethod, RegistrationMethod, RevocationReason, Role};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use serde::Deserialize;
use sqlx::Row;
use uuid::Uuid;
use zeroize::Zeroizing;

use super::auth::{self, ACCESS_COOKIE, Authenticated, CSRF_COOKIE, REFRESH_COOKIE};
use super::context::RequestContext;
use super::error::{ApiError, ApiJson};
use super::routes_me::user_json;
use super::{ApiState, St, no_content, ratelimit};
use crate::app::{CommandError, NewUser};

/// `POST /auth/register` body.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterBody {
    email: String,
    username: String,
    /// Length per the password policy (default 10–128 characters).
    #[schema(value_type = String, format = Password)]
    password: Zeroizing<String>,
    #[serde(default)]
    display_name: Option<String>,
}

/// Creates an account: the first becomes admin; later ones only while sign-up is open.
#[utoipa::path(
    post,
    path = "/api/v1/auth/register",
    tag = "auth",
    request_body = RegisterBody,
    responses(
        (status = 201, description = "The account; the first one is an admin", body = super::openapi::UserEnvelope),
        (status = 400, description = "`malformed_json` or `invalid_body` (wrong shape or unknown field), `invalid_field` (password length), `invalid_email`, `invalid_username`, `invalid_display_name`", body = super::openapi::ErrorBody),
        (status = 403, description = "`signup_closed`, `signup_invite_only` or `email_domain_not_allowed`", body = super::openapi::ErrorBody),
        (status = 409, description = "`email_taken` or `username_taken`", body = super::openapi::ErrorBody),
        (status = 413, description = "`body_too_large`: over 64 KiB", body = super::openapi::ErrorBody),
        (status = 415, description = "`unsupported_media_type`: the body must be `application/json`", body = super::openapi::ErrorBody),
        (status = 429, description = "`rate_limited`; wait `Retry-After` seconds", body = super::openapi::ErrorBody, headers(("Retry-After" = i64, description = "Seconds to wait")))
    ),
    security(())
)]
pub async fn register(state: St, ctx: RequestContext, ApiJson(body): ApiJson<RegisterBody>) -> Result<Response, ApiError> {
    let app = &state.app;
    ratelimit::hit(&state, ratelimit::REGISTER_PER_IP, &ctx.ip.to_string()).await?;
    let settings = app.current_settings().await?;
    let password = auth::new_password("password", body.password, settings.password).await?;
    let new = NewUser {
        email: &body.email,
        username: &body.username,
        display_name: body.display_name.as_deref(),
        password,
        role: Role::User,
        method: RegistrationMethod::SelfSignup,
    };
    let id = app.register_user(new, &ctx.anonymous()).await?;
    Ok((StatusCode::CREATED, axum::Json(serde_json::json!({ "user": user_json(app, &id.to_string()).await? })).into_response()).into_response())
}

/// `POST /auth/login` body.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginBody {
    /// Email or user name (any case).
    login: String,
    #[schema(value_type = String, format = Password)]
    password: Zeroizing<String>,
}

/// Starts a session for a signed-in user: tokens in the body for API clients, cookies for browsers.
async fn session_response(state: &ApiState, user_id: Uuid, session_id: Uuid, refresh: &str, status: StatusCode) -> Result<Response, ApiError> {
    let app = &state.app;
    let policy = app.current_settings().await?.session;
    let now = Utc::now();
    let access = auth::access_token(&state.jwt, user_id, session_id, now, policy.access_ttl_seconds)?;
    let csrf = auth::csrf_token();
    let body = serde_json::json!({
        "access_token": access,
        "token_type": "Bearer",
        "expires_in": policy.access_ttl_seconds,
        "refresh_token": refresh,
        "session_id": session_id,
        "csrf_token": csrf,
        "user": user_json(app, &user_id.to_string()).await?,
    });
    let mut headers = HeaderMap::new();
    headers.append(SET_COOKIE, auth::set_cookie(state, ACCESS_COOKIE, &access, "/api", i64::from(policy.access_ttl_seconds), true));
    headers.append(SET_COOKIE, auth::set_cookie(state, REFRESH_COOKIE, refresh, "/api/v1/auth", i64::from(policy.refresh_ttl_seconds), true));
    headers.append(SET_COOKIE, auth::set_cookie(state, CSRF_COOKIE, &csrf, "/", i64::from(policy.refresh_ttl_seconds), false));
    Ok((status, headers, axum::Json(body)).into_response())
}

fn invalid_credentials() -> ApiError {
    ApiError::unauthorized("invalid_credentials", "wrong login or password")
}

fn locked(until: &str) -> ApiError {
    ApiError::new(StatusCode::LOCKED, "account_locked", format!("too many failed sign-ins; the account is locked until {until}"))
}

/// Password login. Unknown accounts cost the same argon2 work as known ones and get the same answer.
#[utoipa::path(
    post,
    path = "/api/v1/auth/login",
    tag = "auth",
    request_body = LoginBody,
    responses(
        (status = 200, description = "Signed in: tokens in the body and as cookies", body = super::openapi::SessionTokens, headers(("Set-Cookie" = String, description = "`authnode_access` (HttpOnly, path /api), `authnode_refresh` (HttpOnly, path /api/v1/auth), `authnode_csrf` (readable by the UI)"))),
        (status = 400, description = "`malformed_json` or `invalid_body` (wrong shape or unknown field)", body = super::openapi::ErrorBody),
        (status = 401, description = "`invalid_credentials` (unknown account and wrong password look the same)", body = super::openapi::ErrorBody),
        (status = 403, description = "`account_disabled`", body = super::openapi::ErrorBody),
        (status = 413, description = "`body_too_large`: over 64 KiB", body = super::openapi::ErrorBody),
        (status = 415, description = "`unsupported_media_type`: the body must be `application/json`", body = super::openapi::ErrorBody),
        (status = 423, description = "`account_locked` after too many failures", body = super::openapi::ErrorBody),
        (status = 429, description = "`rate_limited`; wait `Retry-After` seconds", body = super::openapi::ErrorBody, headers(("Retry-After" = i64, description = "Seconds to wait")))
    ),
    security(())
)]
pub async fn login(state: St, ctx: RequestContext, ApiJson(body): ApiJson<LoginBody>) -> Result<Response, ApiError> {
    let app = &state.app;
    let login = body.login.trim().to_lowercase();
    ratelimit::hit(&state, ratelimit::LOGIN_PER_IP, &ctx.ip.to_string()).await?;
    ratelimit::hit(&state, ratelimit::LOGIN_PER_ACCOUNT, &login).await?;
    let row = sqlx::query("SELECT id, password_hash, locked_until FROM users WHERE (email = $1 OR username = $1) AND deleted_at IS NULL")
        .bind(&login)
        .fetch_optional(&app.db.pool)
        .await?;
    let (user, phc, locked_until) = match &row {
        Some(r) => (Some(r.try_get::<String, _>(0)?), r.try_get::<Option<String>, _>(1)?, r.try_get::<Option<String>, _>(2)?),
        None => (None, None, None),
    };
    let known_hash = phc.is_some();
    let ok = crate::password::verify(body.password, phc.unwrap_or_else(|| crate::password::DUMMY_HASH.clone())).await.map_err(ApiError::internal)?;
    let Some(user) = user else {
        // Recorded too: the audit log must show attacks on accounts that do not exist.
        let cmd = aggregates::login_attempt::LoginAttemptCommand::RecordUnknownAccount { login: body.login, at: Utc::now() };
        app.execute(&app.login_attempts, &Uuid::now_v7().to_string(), cmd, &ctx.anonymous()).await?;
        return Err(invalid_credentials());
    };
    let uid = Uuid::parse_str(&user).map_err(ApiError::internal)?;
    let meta = ctx.actor(&user, "user", "");
    let meta = projections::RequestMetadata { session_id: None, ..meta };
    let settings = app.current_settings().await?;
    let now = Utc::now();
    if !(ok && known_hash) {
        let fail = UserCommand::RecordLoginFailure {
            method: LoginMethod::Password,
            reason: LoginFailureReason::BadPassword,
            lockout: settings.lockout,
            at: now,
        };
        app.execute(&app.users, &user, fail, &meta).await?;
        let until: Option<String> =
            sqlx::query("SELECT locked_until FROM users WHERE id = $1").bind(&user).fetch_one(&app.db.pool).await?.try_get(0)?;
        return Err(match until.filter(|u| *u > projections::format_ts(&now)) {
            Some(u) => locked(&u),
            None => invalid_credentials(),
        });
    }
    if let Some(u) = locked_until.filter(|u| *u > projections::format_ts(&now)) {
        let fail =
            UserCommand::RecordLoginFailure { method: LoginMethod::Password, reason: LoginFailureReason::Locked, lockout: settings.lockout, at: now };
        app.execute(&app.users, &user, fail, &meta).await?;
        return Err(locked(&u));
    }
    let session_id = Uuid::now_v7();
    let (refresh, refresh_hash) = auth::refresh_token(session_id);
    let start = UserCommand::StartSession {
        session_id,
        method: LoginMethod::Password,
        refresh_token_hash: refresh_hash,
        expires_at: now + chrono::Duration::seconds(i64::from(settings.session.refresh_ttl_seconds)),
        at: now,
    };
    let meta = projections::RequestMetadata { session_id: Some(session_id.to_string()), ..meta };
    match app.execute(&app.users, &user, start, &meta).await {
        Ok(()) => session_response(&state, uid, session_id, &refresh, StatusCode::OK).await,
        Err(CommandError::Rejected { code: "account_locked", message, .. }) => Err(ApiError::new(StatusCode::LOCKED, "account_locked", message)),
        Err(e) => Err(e.into()),
    }
}

/// `POST /auth/refresh` body (the refresh cookie is used when absent).
#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshBody {
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Password)]
    refresh_token: Option<Zeroizing<String>>,
}

/// Rotates the refresh token. Presenting an already-rotated token revokes the session.
#[utoipa::path(
    post,
    path = "/api/v1/auth/refresh",
    tag = "auth",
    request_body(content = Option<RefreshBody>, description = "The refresh token; without a body the `authnode_refresh` cookie is used", content_type = "application/json"),
    responses(
        (status = 200, description = "New tokens (the presented refresh token is spent)", body = super::openapi::SessionTokens, headers(("Set-Cookie" = String, description = "`authnode_access` (HttpOnly, path /api), `authnode_refresh` (HttpOnly, path /api/v1/auth), `authnode_csrf` (readable by the UI)"))),
        (status = 400, description = "`malformed_json` or `invalid_body` (wrong shape or unknown field)", body = super::openapi::ErrorBody),
        (status = 401, description = "`unauthenticated` (no token), `invalid_refresh_token`, `refresh_token_reused` (the session is ended) or `session_expired`", body = super::openapi::ErrorBody),
        (status = 403, description = "`csrf_failed`: the token came from the cookie without a matching `X-CSRF-Token`", body = super::openapi::ErrorBody),
        (status = 413, description = "`body_too_large`: over 64 KiB", body = super::openapi::ErrorBody),
        (status = 415, description = "`unsupported_media_type`: the body must be `application/json`", body = super::openapi::ErrorBody),
        (status = 429, description = "`rate_limited`; wait `Retry-After` seconds", body = super::openapi::ErrorBody, headers(("Retry-After" = i64, description = "Seconds to wait")))
    ),
    security(())
)]
pub async fn refresh(state: St, ctx: RequestContext, headers: HeaderMap, body: Option<ApiJson<RefreshBody>>) -> Result<Response, ApiError> {
    let app = &state.app;
    ratelimit::hit(&state, ratelimit::REFRESH_PER_IP, &ctx.ip.to_string()).await?;
    let from_body = body.and_then(|ApiJson(b)| b.refresh_token);
    let token: Zeroizing<String> = if let Some(t) = from_body {
        t
    } else {
        let t = auth::cookie(&headers, REFRESH_COOKIE).ok_or_else(|| ApiError::unauthorized("unauthenticated", "no refresh token"))?;
        auth::check_csrf(&headers)?;
        Zeroizing::new(t.to_owned())
    };
    let bad = || ApiError::unauthorized("invalid_refresh_token", "the refresh token is not valid");
    let session_id = auth::refresh_session(&token).ok_or_else(bad)?;
    let row = sqlx::query("SELECT user_id FROM sessions WHERE id = $1 AND ended_at IS NULL")
        .bind(session_id.to_string())
        .fetch_optional(&app.db.pool)
        .await?;
    let user: String = row.ok_or_else(bad)?.try_get(0)?;
    let uid = Uuid::parse_str(&user).map_err(ApiError::internal)?;
    let settings = app.current_settings().await?;
    let now = Utc::now();
    let (new_token, new_hash) = auth::refresh_token(session_id);
    let cmd = UserCommand::RefreshSession {
        session_id,
        presented_hash: auth::hash_token(&token),
        new_hash: new_hash.clone(),
        expires_at: now + chrono::Duration::seconds(i64::from(settings.session.refresh_ttl_seconds)),
        at: now,
    };
    let meta = ctx.actor(&user, "user", &session_id.to_string());
    match app.execute(&app.users, &user, cmd, &meta).await {
        Ok(()) => {}
        Err(CommandError::Rejected { code: "session_not_found", .. }) => return Err(bad()),
        Err(e) => return Err(e.into()),
    }
    let row =
        sqlx::query("SELECT refresh_token_hash, end_reason FROM sessions WHERE id = $1").bind(session_id.to_string()).fetch_one(&app.db.pool).await?;
    let current: String = row.try_get(0)?;
    let end_reason: Option<String> = row.try_get(1)?;
    match end_reason.as_deref() {
        None if current == new_hash => session_response(&state, uid, session_id, &new_token, StatusCode::OK).await,
        Some("refresh_token_reused") => {
            Err(ApiError::unauthorized("refresh_token_reused", "this refresh token was already used; the session has been ended for safety"))
        }
        _ => Err(ApiError::unauthorized("session_expired", "the session has ended; sign in again")),
    }
}

/// Ends the caller's session and clears the cookies.
#[utoipa::path(
    post,
    path = "/api/v1/auth/logout",
    tag = "auth",
    responses(
        (status = 204, description = "Signed out; the cookies are cleared", headers(("Set-Cookie" = String, description = "The three cookies with Max-Age=0"))),
        (status = 401, description = "`unauthenticated`, `invalid_token` or `session_revoked`: no live session", body = super::openapi::ErrorBody),
        (status = 403, description = "`account_disabled`, or `csrf_failed` (cookie sign-in without a matching `X-CSRF-Token`)", body = super::openapi::ErrorBody)
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn logout(state: St, ctx: RequestContext, who: Authenticated) -> Result<Response, ApiError> {
    let app = &state.app;
    let uid = who.user_id.to_string();
    let cmd = UserCommand::RevokeSession { session_id: who.session_id, reason: RevocationReason::Logout };
    app.execute(&app.users, &uid, cmd, &who.meta(&ctx)).await?;
    let mut res = no_content();
    for (name, path, http_only) in [(ACCESS_COOKIE, "/api", true), (REFRESH_COOKIE, "/api/v1/auth", true), (CSRF_COOKIE, "/", false)] {
        res.headers_mut().append(SET_COOKIE, auth::set_cookie(&state, name, "", path, 0, http_only));
    }
    Ok(res)
}
