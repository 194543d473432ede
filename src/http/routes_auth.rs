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
use crate::app::{AppError, auth, factors};
use crate::views::auth::{LoginBody, RefreshBody, RegisterBody, SessionTokens};
use crate::views::errors::ErrorBody;
use crate::views::factors::{LoginAnswer, ReauthBody, Reauthenticated, SecondFactorBody};
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
        (status = 400, description = "`invalid_field` (password length), `invalid_email`, `invalid_username`, `invalid_display_name`", body = ErrorBody),
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
        (status = 401, description = "`invalid_credentials` (unknown account and wrong password look the same)", body = ErrorBody),
        (status = 403, description = "`account_disabled`", body = ErrorBody),
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
        (status = 400, description = "`invalid_field` (`code` missing)", body = ErrorBody),
        (status = 401, description = "`challenge_invalid` (unknown, expired or spent: sign in again) or `second_factor_invalid` (wrong, reused or spent code; counts towards the lockout)", body = ErrorBody),
        (status = 403, description = "`account_disabled`", body = ErrorBody),
        (status = 423, description = "`account_locked` after too many failures", body = ErrorBody)
    ),
    security(())
)]
pub async fn second_factor(state: St, origin: Origin, ApiJson(body): ApiJson<SecondFactorBody>) -> Result<impl IntoResponse, ApiError> {
    let signed_in = auth::complete_second_factor(&state.app, &origin, &body.challenge, body.method, body.code.as_deref().map(String::as_str)).await?;
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
        (status = 403, description = "`wrong_password` (field `password`; counts towards the lockout), `account_disabled` or `csrf_failed`", body = ErrorBody)
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn reauth(
    state: St,
    origin: Origin,
    Enrolling(who): Enrolling,
    ApiJson(body): ApiJson<ReauthBody>,
) -> Result<Json<Reauthenticated>, ApiError> {
    Ok(Json(factors::reauthenticate(&state.app, &who, &origin, body.password).await?))
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
