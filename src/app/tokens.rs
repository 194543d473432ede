//! Tokens: short-lived JWT access tokens carrying the session id (RFC 7519, HS256 under a key
//! derived from the master key, so every replica shares it), rotating refresh tokens of which
//! only a SHA-256 is stored, and CSRF tokens for the double-submit cookie.

use aggregates::Timestamp;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::env::Env;
use super::error::AppError;

/// Token signing keys.
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
}

impl std::fmt::Debug for TokenKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenKeys(..)")
    }
}

impl TokenKeys {
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

/// Signs an access token for a session, valid `ttl_seconds` from `now`.
pub fn access_token(keys: &TokenKeys, user_id: Uuid, session_id: Uuid, now: Timestamp, ttl_seconds: u32) -> Result<String, AppError> {
    let claims = Claims {
        iss: ISSUER.into(),
        sub: user_id.to_string(),
        sid: session_id.to_string(),
        iat: now.timestamp(),
        exp: now.timestamp() + i64::from(ttl_seconds),
    };
    jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &keys.encoding).map_err(AppError::internal)
}

/// The user and session an access token was issued for, if its signature and issuer hold and it
/// has not expired at `now` (the injected clock, not the system's, so tests can pin time).
pub fn verify_access_token(keys: &TokenKeys, token: &str, now: Timestamp) -> Result<(Uuid, Uuid), AppError> {
    let invalid = || AppError::unauthorized("invalid_token", "the access token is invalid or expired");
    let mut validation = Validation::new(Algorithm::HS256);
    validation.set_issuer(&[ISSUER]);
    validation.validate_exp = false;
    validation.set_required_spec_claims(&["exp", "iss", "sub"]);
    let claims = jsonwebtoken::decode::<Claims>(token, &keys.decoding, &validation).map_err(|_| invalid())?.claims;
    // RFC 7519 §4.1.4: not accepted on or after the expiry time.
    if claims.exp <= now.timestamp() {
        return Err(invalid());
    }
    match (Uuid::parse_str(&claims.sub), Uuid::parse_str(&claims.sid)) {
        (Ok(user), Ok(session)) => Ok((user, session)),
        _ => Err(invalid()),
    }
}

/// A new refresh token for `session_id` (`<session id>.<256 random bits>`) and its hash.
pub fn refresh_token(env: &Env, session_id: Uuid) -> (String, String) {
    let token = format!("{session_id}.{}", URL_SAFE_NO_PAD.encode(env.bytes::<32>()));
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
pub fn csrf_token(env: &Env) -> String {
    URL_SAFE_NO_PAD.encode(env.bytes::<32>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_tokens_expire_by_the_injected_clock() {
        let keys = TokenKeys::new(&[7; 32]);
        let (user, session) = (Uuid::now_v7(), Uuid::now_v7());
        let t0 = chrono::DateTime::from_timestamp(59, 0).unwrap();
        let token = access_token(&keys, user, session, t0, 900).unwrap();
        assert_eq!(verify_access_token(&keys, &token, t0).unwrap(), (user, session));
        assert!(verify_access_token(&keys, &token, t0 + chrono::Duration::seconds(899)).is_ok());
        assert!(verify_access_token(&keys, &token, t0 + chrono::Duration::seconds(900)).is_err());
        assert!(verify_access_token(&TokenKeys::new(&[8; 32]), &token, t0).is_err(), "another key");
        assert!(verify_access_token(&keys, "not.a.token", t0).is_err());
    }
}
