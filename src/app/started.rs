//! The answer to every way of signing in (password, second factor, passkey, refresh): the
//! started session's tokens and the user.

use uuid::Uuid;

use super::error::AppError;
use super::{App, present, tokens};
use crate::views::auth::{SessionTokens, TokenType};

/// A started session: the tokens for the body, and how long the refresh cookie may live.
#[derive(Debug)]
pub struct SignedIn {
    /// Tokens and the user.
    pub tokens: SessionTokens,
    /// The refresh token's lifetime (the session policy's refresh TTL).
    pub refresh_ttl_seconds: u32,
}

/// Starts answering for a new session: tokens, and the user.
pub async fn signed_in(app: &App, user_id: Uuid, session_id: Uuid, refresh_token: String) -> Result<SignedIn, AppError> {
    let policy = app.current_settings().await?.session;
    let access_token = tokens::access_token(&app.tokens, user_id, session_id, app.env().now(), policy.access_ttl_seconds)?;
    let tokens = SessionTokens {
        access_token,
        token_type: TokenType::Bearer,
        expires_in: policy.access_ttl_seconds,
        refresh_token,
        session_id: session_id.to_string(),
        csrf_token: tokens::csrf_token(app.env()),
        user: present::user_view(app, &user_id.to_string()).await?,
    };
    Ok(SignedIn { tokens, refresh_ttl_seconds: policy.refresh_ttl_seconds })
}
