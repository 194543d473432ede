//! Authentication: short-lived JWT access tokens carrying the session id, rotating refresh
//! tokens (only their SHA-256 is stored), browser cookies with a double-submit CSRF token, and
//! the extractor that admits a request only while its session is live.

use std::sync::Arc;

use aggregates::user::Role;
use axum::extract::FromRequestParts;
use axum::http::header::{AUTHORIZATION, COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::Row;
use uuid::Uuid;

use super::ApiState;
use super::error::ApiError;

/// Cookie holding the access token (sent to the API only).
pub const ACCESS_COOKIE: &str = "authnode_access";
/// Cookie holding the refresh token (sent to the auth endpoints only).
pub const REFRESH_COOKIE: &str = "authnode_refresh";
/// Cookie holding the CSRF token (readable by the UI, echoed in `X-CSRF-Token`).
pub const CSRF_COOKIE: &str = "authnode_csrf";
/// Header that must echo the CSRF cookie on cookie-authenticated unsafe requests.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// Token signing keys, derived from the master key (shared by every replica).
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
}

impl JwtKeys {
    /// Keys from 32 secret bytes.
    pub fn new(secret: &[u8]) -> Self {
        Self { encoding: EncodingKey::from_secret(secret), decoding: DecodingKey::from_secret(secret) }
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    iss: String,
    sub: String,
    sid: String,
    iat: i64,
    exp: i64,
}

const ISSUER: &str = "authnode";

/// Signs an access token for a session.
pub fn access_token(keys: &JwtKeys, user_id: Uuid, session_id: Uuid, now: DateTime<Utc>, ttl_seconds: u32) -> Result<String, ApiError> {
    let claims = Claims {
        iss: ISSUER.into(),
        sub: user_id.to_string(),
        sid: session_id.to_string(),
        iat: now.timestamp(),
        exp: now.timestamp() + i64::from(ttl_seconds),
    };
    jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &keys.encoding).map_err(ApiError::internal)
}

/// A new refresh token for `session_id` (`<session id>.<256 random bits>`) and its hash.
pub fn refresh_token(session_id: Uuid) -> (String, String) {
    let secret: [u8; 32] = rand::random();
    let token = format!("{session_id}.{}", URL_SAFE_NO_PAD.encode(secret));
    let hash = hash_token(&token);
    (token, hash)
}

/// SHA-256 hex of a token (what the store keeps).
pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The session id inside a refresh token.
pub fn refresh_session(token: &str) -> Option<Uuid> {
    token.split_once('.').and_then(|(sid, _)| Uuid::parse_str(sid).ok())
}

/// A fresh random CSRF token.
pub fn csrf_token() -> String {
    URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>())
}

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
pub fn set_cookie(state: &ApiState, name: &str, value: &str, path: &str, max_age: i64, http_only: bool) -> HeaderValue {
    let mut c = format!("{name}={value}; Path={path}; Max-Age={max_age}; SameSite=Strict");
    if http_only {
        c.push_str("; HttpOnly");
    }
    if state.secure_cookies {
        c.push_str("; Secure");
    }
    HeaderValue::from_str(&c).unwrap_or_else(|_| HeaderValue::from_static("invalid=; Max-Age=0"))
}

/// Checks a new password's length against the policy (before any argon2 work is spent on it),
/// then hashes it off the runtime: what the domain's password commands take.
pub async fn new_password(
    field: &'static str,
    password: zeroize::Zeroizing<String>,
    policy: aggregates::settings::PasswordPolicy,
) -> Result<aggregates::user::NewPassword, ApiError> {
    let length = password.chars().count();
    if length < policy.min_length as usize || length > policy.max_length as usize {
        return Err(ApiError::invalid(field, format!("password must be {}–{} characters", policy.min_length, policy.max_length)));
    }
    let phc = crate::password::hash(password).await.map_err(ApiError::internal)?;
    Ok(aggregates::user::NewPassword { phc, length })
}

/// Cookies ride along on cross-site requests too, so a cookie-authenticated unsafe request must
/// prove it comes from our own pages by echoing the CSRF cookie in a header (double submit).
pub fn check_csrf(headers: &HeaderMap) -> Result<(), ApiError> {
    let sent = headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let expected = cookie(headers, CSRF_COOKIE).unwrap_or_default();
    if expected.is_empty() || !aggregates::common::constant_time_eq(sent.as_bytes(), expected.as_bytes()) {
        return Err(ApiError::new(StatusCode::FORBIDDEN, "csrf_failed", "missing or wrong X-CSRF-Token header"));
    }
    Ok(())
}

/// The signed-in caller.
#[derive(Debug, Clone)]
pub struct Authenticated {
    /// User id.
    pub user_id: Uuid,
    /// Session id.
    pub session_id: Uuid,
    /// Role now (read per request, so a role change applies at once).
    pub role: Role,
}

impl Authenticated {
    /// The actor kind recorded in events.
    pub fn actor_kind(&self) -> &'static str {
        if self.role == Role::Admin { "admin" } else { "user" }
    }

    /// The metadata this caller's commands carry.
    pub fn meta(&self, ctx: &super::context::RequestContext) -> projections::RequestMetadata {
        ctx.actor(&self.user_id.to_string(), self.actor_kind(), &self.session_id.to_string())
    }

    /// Refuses unless the caller has one of `roles`.
    pub fn require(&self, roles: &[Role]) -> Result<(), ApiError> {
        if roles.contains(&self.role) { Ok(()) } else { Err(ApiError::new(StatusCode::FORBIDDEN, "forbidden", "your role may not do this")) }
    }
}

fn parse_role(s: &str) -> Role {
    match s {
        "admin" => Role::Admin,
        "auditor" => Role::Auditor,
        _ => Role::User,
    }
}

impl FromRequestParts<Arc<ApiState>> for Authenticated {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &Arc<ApiState>) -> Result<Self, Self::Rejection> {
        let bearer = parts.headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer ")).map(str::trim);
        let token = if let Some(t) = bearer {
            t.to_owned()
        } else {
            let t = cookie(&parts.headers, ACCESS_COOKIE).ok_or_else(|| ApiError::unauthorized("unauthenticated", "sign in first"))?;
            if !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS) {
                check_csrf(&parts.headers)?;
            }
            t.to_owned()
        };
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.leeway = 0;
        let claims = jsonwebtoken::decode::<Claims>(&token, &state.jwt.decoding, &validation)
            .map_err(|_| ApiError::unauthorized("invalid_token", "the access token is invalid or expired"))?
            .claims;
        let (Ok(user_id), Ok(session_id)) = (Uuid::parse_str(&claims.sub), Uuid::parse_str(&claims.sid)) else {
            return Err(ApiError::unauthorized("invalid_token", "the access token is invalid"));
        };
        // The session must still be live: revocation takes effect on the next request here and
        // within a second on every other replica (the shared database, cached for one second).
        if let Some((owner, role)) = state.app.live_sessions.get(&session_id.to_string())
            && owner == user_id.to_string()
        {
            return Ok(Self { user_id, session_id, role: parse_role(&role) });
        }
        let row = sqlx::query(
            "SELECT s.user_id, s.ended_at, s.expires_at, u.role, u.disabled, u.deleted_at FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = $1",
        )
        .bind(session_id.to_string())
        .fetch_optional(&state.app.db.pool)
        .await?;
        let Some(row) = row else {
            return Err(ApiError::unauthorized("session_revoked", "the session has ended; sign in again"));
        };
        let owner: String = row.try_get(0)?;
        let ended: Option<String> = row.try_get(1)?;
        let expires: String = row.try_get(2)?;
        let role: String = row.try_get(3)?;
        let disabled: i64 = row.try_get(4)?;
        let deleted: Option<String> = row.try_get(5)?;
        if owner != user_id.to_string() || ended.is_some() || deleted.is_some() || expires <= projections::format_ts(&Utc::now()) {
            return Err(ApiError::unauthorized("session_revoked", "the session has ended; sign in again"));
        }
        if disabled != 0 {
            return Err(ApiError::new(StatusCode::FORBIDDEN, "account_disabled", "this account is disabled"));
        }
        state.app.live_sessions.put(session_id.to_string(), (owner, role.clone()));
        Ok(Self { user_id, session_id, role: parse_role(&role) })
    }
}
