//! `/auth/*`: register, login, refresh, logout.

use axum::Json;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use zeroize::Zeroizing;

use super::auth::{Enrolling, REFRESH_COOKIE, check_csrf, cleared_cookies, cookie, session_cookies};
use super::error::ApiError;
use super::extract::ApiJson;
use super::responses::{AccessErrors, Enroller, Throttled};
use super::state::St;
use crate::app::auth::LoginOutcome;
use crate::app::caller::Origin;
use crate::app::{AppError, auth, factors, passkeys};
use crate::views::auth::{LoginBody, RefreshBody, RegisterBody, SessionTokens};
use crate::views::errors::ErrorBody;
use crate::views::factors::{LoginAnswer, PasskeyOptions, PasskeySignInBody, ReauthBody, Reauthenticated, SecondFactorBody};
use crate::views::users::UserEnvelope;

/// Creates an account: the first becomes admin; later ones only while sign-up is open.
#[utoipa::path(
    post,
    path = "/api/v1/auth/register",
    tag = "auth",
    request_body = RegisterBody,
    responses(
        (status = 201, description = "The account; the first one is an admin", body = UserEnvelope),
        AccessErrors<Throttled>,
        (status = 400, description = "`invalid_field` (password length), `password_breached` (field `password`: on the breached-password list, when the policy checks it), `invalid_email`, `invalid_username`, `invalid_display_name`", body = ErrorBody),
        (status = 403, description = "`signup_closed`, `signup_invite_only` or `email_domain_not_allowed`", body = ErrorBody),
        (status = 409, description = "`email_taken` or `username_taken`", body = ErrorBody)
    ),
    security(())
)]
pub async fn register(state: St, origin: Origin, ApiJson(body): ApiJson<RegisterBody>) -> Result<impl IntoResponse, ApiError> {
    Ok((StatusCode::CREATED, Json(auth::register(&state.app, &origin, body).await?)))
}

/// Password login. Unknown accounts cost the same argon2 work as known ones and get the same
/// answer. An account with a second factor gets a challenge instead of a session.
#[utoipa::path(
    post,
    path = "/api/v1/auth/login",
    tag = "auth",
    request_body = LoginBody,
    responses(
        (status = 200, description = "Signed in (tokens in the body and as cookies), or, for an account with a second factor, `{second_factor_required: true, challenge, methods}` and no token or cookie", body = LoginAnswer, headers(("Set-Cookie" = String, description = "When signed in: `authnode_access` (HttpOnly, path /api), `authnode_refresh` (HttpOnly, path /api/v1/auth), `authnode_csrf` (readable by the UI)"))),
        AccessErrors<Throttled>,
        (status = 401, description = "`invalid_credentials` (unknown account and wrong password look the same), or `challenge_invalid` (a second factor was added or removed at that very moment on another server: sign in again)", body = ErrorBody),
        (status = 403, description = "`account_disabled`", body = ErrorBody),
        (status = 409, description = "`no_second_factor` (as `challenge_invalid`: the account's factors changed at that moment; sign in again)", body = ErrorBody),
        (status = 423, description = "`account_locked` after too many failures", body = ErrorBody)
    ),
    security(())
)]
pub async fn login(state: St, origin: Origin, ApiJson(body): ApiJson<LoginBody>) -> Result<Response, ApiError> {
    Ok(match auth::login(&state.app, &origin, &body.login, body.password).await? {
        LoginOutcome::SignedIn(signed_in) => {
            (session_cookies(&state, &signed_in), Json(LoginAnswer::SignedIn(Box::new(signed_in.tokens)))).into_response()
        }
        LoginOutcome::SecondFactor(challenge) => Json(LoginAnswer::SecondFactor(challenge)).into_response(),
    })
}

/// Completes a sign-in whose password passed, with the second factor. Without the challenge of
/// that password step there is nothing to complete.
#[utoipa::path(
    post,
    path = "/api/v1/auth/login/second-factor",
    tag = "auth",
    request_body = SecondFactorBody,
    responses(
        (status = 200, description = "Signed in: the same body and cookies as a password sign-in", body = SessionTokens, headers(("Set-Cookie" = String, description = "`authnode_access`, `authnode_refresh`, `authnode_csrf`"))),
        AccessErrors<Throttled>,
        (status = 400, description = "`invalid_field` (`code` missing, or `credential` missing or not a WebAuthn credential)", body = ErrorBody),
        (status = 401, description = "`challenge_invalid` (unknown, expired or spent, or the password changed since: sign in again), `ceremony_invalid` (the passkey request was used or ran out), or `second_factor_invalid` (wrong, reused or spent code, or a passkey answer that does not verify; counts towards the lockout)", body = ErrorBody),
        (status = 403, description = "`account_disabled`", body = ErrorBody),
        (status = 409, description = "`totp_not_enabled` (the app was removed meanwhile) or `passkeys_unavailable` (the public URL has no host name)", body = ErrorBody),
        (status = 423, description = "`account_locked` after too many failures: while locked, no answer is checked", body = ErrorBody)
    ),
    security(())
)]
pub async fn second_factor(state: St, origin: Origin, ApiJson(body): ApiJson<SecondFactorBody>) -> Result<impl IntoResponse, ApiError> {
    let code = body.code.as_deref().map(String::as_str);
    let signed_in = auth::complete_second_factor(&state.app, &origin, &body.challenge, body.method, code, body.credential).await?;
    Ok((session_cookies(&state, &signed_in), Json(signed_in.tokens)))
}

/// Step-up: proves who you are again, so that sensitive actions (removing a factor, new
/// recovery codes, changing the email, showing an application's secret) work for five minutes.
#[utoipa::path(
    post,
    path = "/api/v1/auth/reauth",
    tag = "auth",
    request_body = ReauthBody,
    responses(
        (status = 200, description = "Stepped up", body = Reauthenticated),
        AccessErrors<Enroller>,
        (status = 400, description = "`invalid_field`: neither the password nor a passkey answer, or `credential` is not a WebAuthn credential; `ceremony_invalid` (field `credential`: the passkey request was used or ran out) or `passkey_invalid` (field `credential`: an answer that does not verify, or a sign counter that did not go up)", body = ErrorBody),
        (status = 401, description = "`unauthenticated`, `invalid_token` or `session_revoked`: no live session", body = ErrorBody),
        (status = 403, description = "`wrong_password` (field `password`; counts towards the lockout), `account_disabled` or `csrf_failed`", body = ErrorBody),
        (status = 404, description = "`session_not_found` (the session ended meanwhile)", body = ErrorBody),
        (status = 409, description = "`passkeys_unavailable` (the public URL has no host name)", body = ErrorBody),
        (status = 423, description = "`account_locked`: no step-up until the lock runs out", body = ErrorBody),
        (status = 429, description = "`rate_limited` (step-ups count like sign-ins, per address and per account); wait `Retry-After` seconds", body = ErrorBody)
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn reauth(
    state: St,
    origin: Origin,
    Enrolling(who): Enrolling,
    ApiJson(body): ApiJson<ReauthBody>,
) -> Result<Json<Reauthenticated>, ApiError> {
    let done = match (body.password, body.ceremony, body.credential) {
        (Some(password), None, None) => factors::reauthenticate(&state.app, &who, &origin, password).await?,
        (None, ceremony, Some(credential)) => passkeys::reauthenticate(&state.app, &who, &origin, ceremony.as_deref(), credential).await?,
        _ => return Err(AppError::invalid("password", "give either the password or a passkey's credential").into()),
    };
    Ok(Json(done))
}

/// Begins a step-up with a passkey: the options for `navigator.credentials.get()`.
#[utoipa::path(
    post,
    path = "/api/v1/auth/reauth/options",
    tag = "auth",
    responses(
        (status = 200, description = "A ceremony for one of the caller's passkeys", body = PasskeyOptions),
        AccessErrors<Enroller>,
        (status = 409, description = "`no_passkey` (step up with the password) or `passkeys_unavailable` (the public URL has no host name)", body = ErrorBody)
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn reauth_options(state: St, Enrolling(who): Enrolling) -> Result<Json<PasskeyOptions>, ApiError> {
    Ok(Json(passkeys::reauth_options(&state.app, &who).await?))
}

/// Begins a passwordless sign-in: options for a discoverable passkey (with `mediation:
/// "conditional"` the browser offers it in the sign-in form's autofill).
#[utoipa::path(
    post,
    path = "/api/v1/auth/passkey/options",
    tag = "auth",
    responses(
        (status = 200, description = "A ceremony for any passkey of this site", body = PasskeyOptions),
        AccessErrors<Throttled>,
        (status = 409, description = "`passkeys_unavailable` (the public URL has no host name)", body = ErrorBody)
    ),
    security(())
)]
pub async fn passwordless_options(state: St, origin: Origin) -> Result<Json<PasskeyOptions>, ApiError> {
    Ok(Json(passkeys::passwordless_options(&state.app, &origin).await?))
}

/// Signs in with a passkey alone: the same body and cookies as a password sign-in.
#[utoipa::path(
    post,
    path = "/api/v1/auth/passkey",
    tag = "auth",
    request_body = PasskeySignInBody,
    responses(
        (status = 200, description = "Signed in", body = SessionTokens, headers(("Set-Cookie" = String, description = "`authnode_access`, `authnode_refresh`, `authnode_csrf`"))),
        AccessErrors<Throttled>,
        (status = 400, description = "`invalid_field` (`credential` is not a WebAuthn credential)", body = ErrorBody),
        (status = 401, description = "`ceremony_invalid` (used or ran out) or `passkey_invalid` (unknown passkey, or an answer that does not verify)", body = ErrorBody),
        (status = 403, description = "`account_disabled`", body = ErrorBody),
        (status = 409, description = "`passkeys_unavailable`", body = ErrorBody),
        (status = 423, description = "`account_locked`", body = ErrorBody)
    ),
    security(())
)]
pub async fn passkey_sign_in(state: St, origin: Origin, ApiJson(body): ApiJson<PasskeySignInBody>) -> Result<impl IntoResponse, ApiError> {
    let signed_in = passkeys::sign_in(&state.app, &origin, &body.ceremony, body.credential).await?;
    Ok((session_cookies(&state, &signed_in), Json(signed_in.tokens)))
}

/// Rotates the refresh token. Presenting an already-rotated token revokes the session.
#[utoipa::path(
    post,
    path = "/api/v1/auth/refresh",
    tag = "auth",
    request_body(content = Option<RefreshBody>, description = "The refresh token; without a body the `authnode_refresh` cookie is used", content_type = "application/json"),
    responses(
        (status = 200, description = "New tokens (the presented refresh token is spent)", body = SessionTokens, headers(("Set-Cookie" = String, description = "`authnode_access` (HttpOnly, path /api), `authnode_refresh` (HttpOnly, path /api/v1/auth), `authnode_csrf` (readable by the UI)"))),
        AccessErrors<Throttled>,
        (status = 401, description = "`unauthenticated` (no token), `invalid_refresh_token`, `refresh_token_reused` (the session is ended) or `session_expired`", body = ErrorBody),
        (status = 403, description = "`csrf_failed` (the token came from the cookie without a matching `X-CSRF-Token`) or `account_disabled`", body = ErrorBody)
    ),
    security(())
)]
pub async fn refresh(state: St, origin: Origin, headers: HeaderMap, body: Option<ApiJson<RefreshBody>>) -> Result<impl IntoResponse, ApiError> {
    // Found here, judged after the rate limit: a client over its budget hears so first.
    let token = match body.and_then(|ApiJson(b)| b.refresh_token) {
        Some(t) => Ok(t),
        None => match cookie(&headers, REFRESH_COOKIE) {
            None => Err(AppError::unauthorized("unauthenticated", "no refresh token")),
            Some(t) => check_csrf(&headers).map(|()| Zeroizing::new(t.to_owned())),
        },
    };
    let signed_in = auth::refresh(&state.app, &origin, token).await?;
    Ok((session_cookies(&state, &signed_in), Json(signed_in.tokens)))
}

/// Ends the caller's session and clears the cookies.
#[utoipa::path(
    post,
    path = "/api/v1/auth/logout",
    tag = "auth",
    responses(
        (status = 204, description = "Signed out; the cookies are cleared", headers(("Set-Cookie" = String, description = "The three cookies with Max-Age=0"))),
        AccessErrors<Enroller>
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn logout(state: St, origin: Origin, Enrolling(who): Enrolling) -> Result<impl IntoResponse, ApiError> {
    auth::logout(&state.app, &who, &origin).await?;
    Ok((StatusCode::NO_CONTENT, cleared_cookies(&state)))
}
