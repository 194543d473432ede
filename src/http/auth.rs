//! Browser sessions over HTTP: the cookies that carry the tokens, the double-submit CSRF check,
//! and the extractor that admits a request on a live session (bearer token or cookie).

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::header::{AUTHORIZATION, COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method};

use super::error::ApiError;
use super::state::ApiState;
use crate::app::AppError;
use crate::app::caller::Caller;
use crate::app::started::SignedIn;

/// Cookie holding the access token (sent to the API only).
pub const ACCESS_COOKIE: &str = "authnode_access";
/// Cookie holding the refresh token (sent to the auth endpoints only).
pub const REFRESH_COOKIE: &str = "authnode_refresh";
/// Cookie holding the CSRF token (readable by the UI, echoed in `X-CSRF-Token`).
pub const CSRF_COOKIE: &str = "authnode_csrf";
/// Header that must echo the CSRF cookie on cookie-authenticated unsafe requests.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The cookies a session sets: name, path (the narrowest that still reaches its readers), and
/// whether scripts may not read it.
const COOKIES: [(&str, &str, bool); 3] = [(ACCESS_COOKIE, "/api", true), (REFRESH_COOKIE, "/api/v1/auth", true), (CSRF_COOKIE, "/", false)];

/// Reads one cookie.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A `Set-Cookie` value: SameSite=Strict always, HttpOnly unless the UI must read it, Secure
/// unless the public origin is plain-HTTP localhost.
fn set_cookie(state: &ApiState, name: &str, value: &str, path: &str, max_age: i64, http_only: bool) -> HeaderValue {
    let mut c = format!("{name}={value}; Path={path}; Max-Age={max_age}; SameSite=Strict");
    if http_only {
        c.push_str("; HttpOnly");
    }
    if state.secure_cookies {
        c.push_str("; Secure");
    }
    HeaderValue::from_str(&c).unwrap_or_else(|_| HeaderValue::from_static("invalid=; Max-Age=0"))
}

/// The cookies of a started or refreshed session.
pub fn session_cookies(state: &ApiState, signed_in: &SignedIn) -> HeaderMap {
    let t = &signed_in.tokens;
    let access_age = i64::from(t.expires_in);
    let refresh_age = i64::from(signed_in.refresh_ttl_seconds);
    let values = [(&t.access_token, access_age), (&t.refresh_token, refresh_age), (&t.csrf_token, refresh_age)];
    let mut headers = HeaderMap::new();
    for ((name, path, http_only), (value, age)) in COOKIES.into_iter().zip(values) {
        headers.append(SET_COOKIE, set_cookie(state, name, value, path, age, http_only));
    }
    headers
}

/// The session cookies, expired (sign-out).
pub fn cleared_cookies(state: &ApiState) -> HeaderMap {
    let mut headers = HeaderMap::new();
    for (name, path, http_only) in COOKIES {
        headers.append(SET_COOKIE, set_cookie(state, name, "", path, 0, http_only));
    }
    headers
}

/// Cookies ride along on cross-site requests too, so a cookie-authenticated unsafe request must
/// prove it comes from our own pages by echoing the CSRF cookie in a header (double submit).
pub fn check_csrf(headers: &HeaderMap) -> Result<(), AppError> {
    let sent = headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let expected = cookie(headers, CSRF_COOKIE).unwrap_or_default();
    if expected.is_empty() || !aggregates::common::constant_time_eq(sent.as_bytes(), expected.as_bytes()) {
        return Err(AppError::forbidden("csrf_failed", "missing or wrong X-CSRF-Token header"));
    }
    Ok(())
}

/// The caller of a request with a live session (bearer token, or cookie plus CSRF check).
async fn authenticate(parts: &Parts, state: &ApiState) -> Result<Caller, ApiError> {
    let bearer = parts.headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer ")).map(str::trim);
    let token = if let Some(t) = bearer {
        t
    } else {
        let t = cookie(&parts.headers, ACCESS_COOKIE).ok_or_else(|| ApiError::unauthorized("unauthenticated", "sign in first"))?;
        if !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS) {
            check_csrf(&parts.headers)?;
        }
        t
    };
    Ok(crate::app::auth::admit(&state.app, token).await?)
}

/// A signed-in caller whom the two-factor policy does not hold to enrolment.
impl FromRequestParts<Arc<ApiState>> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &Arc<ApiState>) -> Result<Self, Self::Rejection> {
        let caller = authenticate(parts, state).await?;
        if caller.enrolment_due {
            return Err(AppError::forbidden(
                "second_factor_enrolment_required",
                "set up a second factor (an authenticator app or a passkey) first: the two-factor policy requires one",
            )
            .into());
        }
        Ok(caller)
    }
}

/// A signed-in caller on a route that stays open while the two-factor policy holds the account to
/// enrolment: the profile, the second factors themselves, step-up and sign-out.
#[derive(Debug, Clone)]
pub struct Enrolling(pub Caller);

impl FromRequestParts<Arc<ApiState>> for Enrolling {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &Arc<ApiState>) -> Result<Self, Self::Rejection> {
        authenticate(parts, state).await.map(Self)
    }
}
