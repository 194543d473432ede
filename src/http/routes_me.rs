//! `/me/*`: the caller's profile, password and sessions.

use aggregates::UserCommand;
use aggregates::user::{Preferences, RevocationReason};
use axum::Json;

use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use sqlx::Row;
use uuid::Uuid;
use zeroize::Zeroizing;

use super::auth::Authenticated;
use super::context::RequestContext;
use super::error::{ApiError, ApiJson, ApiPath};
use super::{St, no_content};
use crate::app::App;

/// A user as the API shows it (never the password hash).
pub async fn user_json(app: &App, id: &str) -> Result<serde_json::Value, ApiError> {
    let row = sqlx::query(
        "SELECT id, email, username, display_name, role, disabled, locked_until, preferences, created_at, updated_at, last_login_at \
         FROM users WHERE id = $1 AND deleted_at IS NULL",
    )
    .bind(id.to_owned())
    .fetch_optional(&app.db.pool)
    .await?
    .ok_or_else(|| ApiError::not_found("user_not_found"))?;
    let prefs: String = row.try_get(7)?;
    Ok(serde_json::json!({
        "id": row.try_get::<String, _>(0)?,
        "email": row.try_get::<String, _>(1)?,
        "username": row.try_get::<String, _>(2)?,
        "display_name": row.try_get::<String, _>(3)?,
        "role": row.try_get::<String, _>(4)?,
        "disabled": row.try_get::<i64, _>(5)? != 0,
        "locked_until": row.try_get::<Option<String>, _>(6)?,
        "preferences": serde_json::from_str::<serde_json::Value>(&prefs).unwrap_or_default(),
        "created_at": row.try_get::<String, _>(8)?,
        "updated_at": row.try_get::<String, _>(9)?,
        "last_login_at": row.try_get::<Option<String>, _>(10)?,
    }))
}

/// One command per profile field given (each change is its own event).
pub(super) fn profile_commands(email: Option<String>, username: Option<String>, display_name: Option<String>) -> Vec<UserCommand> {
    let mut commands = Vec::new();
    if let Some(email) = email {
        commands.push(UserCommand::ChangeEmail { email });
    }
    if let Some(username) = username {
        commands.push(UserCommand::ChangeUsername { username });
    }
    if let Some(display_name) = display_name {
        commands.push(UserCommand::ChangeDisplayName { display_name });
    }
    commands
}

/// The caller's profile.
#[utoipa::path(
    get,
    path = "/api/v1/me",
    tag = "me",
    responses(
        (status = 200, description = "The caller", body = super::openapi::UserEnvelope),
        (status = 401, description = "`unauthenticated`, `invalid_token` or `session_revoked`: no live session", body = super::openapi::ErrorBody),
        (status = 403, description = "`account_disabled`", body = super::openapi::ErrorBody)
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn get_me(state: St, who: Authenticated) -> Result<Json<serde_json::Value>, ApiError> {
    Ok(Json(serde_json::json!({ "user": user_json(&state.app, &who.user_id.to_string()).await? })))
}

/// `PATCH /me` body: any subset.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PatchMe {
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    username: Option<String>,
    #[serde(default)]
    display_name: Option<String>,
    #[serde(default)]
    preferences: Option<Preferences>,
}

/// Changes profile fields; each change is its own event.
#[utoipa::path(
    patch,
    path = "/api/v1/me",
    tag = "me",
    request_body = PatchMe,
    responses(
        (status = 200, description = "The changed profile", body = super::openapi::UserEnvelope),
        (status = 400, description = "`malformed_json` or `invalid_body` (wrong shape or unknown field), `invalid_email`, `invalid_username`, `invalid_display_name` or `invalid_preference`", body = super::openapi::ErrorBody),
        (status = 401, description = "`unauthenticated`, `invalid_token` or `session_revoked`: no live session", body = super::openapi::ErrorBody),
        (status = 403, description = "`account_disabled`, or `csrf_failed` (cookie sign-in without a matching `X-CSRF-Token`)", body = super::openapi::ErrorBody),
        (status = 409, description = "`email_taken`, `username_taken` or `conflict`", body = super::openapi::ErrorBody),
        (status = 413, description = "`body_too_large`: over 64 KiB", body = super::openapi::ErrorBody),
        (status = 415, description = "`unsupported_media_type`: the body must be `application/json`", body = super::openapi::ErrorBody)
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn patch_me(
    state: St,
    ctx: RequestContext,
    who: Authenticated,
    ApiJson(body): ApiJson<PatchMe>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let app = &state.app;
    let uid = who.user_id.to_string();
    let meta = who.meta(&ctx);
    let mut commands = profile_commands(body.email, body.username, body.display_name);
    if let Some(p) = body.preferences {
        commands.push(UserCommand::ChangePreferences(p));
    }
    for cmd in commands {
        app.execute(&app.users, &uid, cmd, &meta).await?;
    }
    Ok(Json(serde_json::json!({ "user": user_json(app, &uid).await? })))
}

/// `POST /me/password` body.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangePassword {
    #[schema(value_type = String, format = Password)]
    current_password: Zeroizing<String>,
    #[schema(value_type = String, format = Password)]
    new_password: Zeroizing<String>,
}

/// Changes the password (the current one is required) and ends every other session.
#[utoipa::path(
    post,
    path = "/api/v1/me/password",
    tag = "me",
    request_body = ChangePassword,
    responses(
        (status = 204, description = "Changed; every other session is ended"),
        (status = 400, description = "`malformed_json` or `invalid_body` (wrong shape or unknown field) or `invalid_field` (`new_password` length)", body = super::openapi::ErrorBody),
        (status = 401, description = "`unauthenticated`, `invalid_token` or `session_revoked`: no live session", body = super::openapi::ErrorBody),
        (status = 403, description = "`wrong_password` (field `current_password`), `account_disabled` or `csrf_failed`", body = super::openapi::ErrorBody),
        (status = 413, description = "`body_too_large`: over 64 KiB", body = super::openapi::ErrorBody),
        (status = 415, description = "`unsupported_media_type`: the body must be `application/json`", body = super::openapi::ErrorBody)
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn change_password(
    state: St,
    ctx: RequestContext,
    who: Authenticated,
    ApiJson(body): ApiJson<ChangePassword>,
) -> Result<Response, ApiError> {
    let app = &state.app;
    let uid = who.user_id.to_string();
    let phc: Option<String> = sqlx::query("SELECT password_hash FROM users WHERE id = $1").bind(&uid).fetch_one(&app.db.pool).await?.try_get(0)?;
    let ok = crate::password::verify(body.current_password, phc.unwrap_or_else(|| crate::password::DUMMY_HASH.clone()))
        .await
        .map_err(ApiError::internal)?;
    if !ok {
        return Err(ApiError::new(StatusCode::FORBIDDEN, "wrong_password", "the current password is wrong").field("current_password"));
    }
    let policy = app.current_settings().await?.password;
    let new = super::auth::new_password("new_password", body.new_password, policy).await?;
    let cmd = UserCommand::ChangePassword { new, policy, keep_session: Some(who.session_id) };
    app.execute(&app.users, &uid, cmd, &who.meta(&ctx)).await?;
    Ok(no_content())
}

/// The caller's live sessions, newest first; the current one is marked.
#[utoipa::path(
    get,
    path = "/api/v1/me/sessions",
    tag = "me",
    responses(
        (status = 200, description = "Live sessions, newest first", body = super::openapi::SessionList),
        (status = 401, description = "`unauthenticated`, `invalid_token` or `session_revoked`: no live session", body = super::openapi::ErrorBody),
        (status = 403, description = "`account_disabled`", body = super::openapi::ErrorBody)
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn sessions(state: St, who: Authenticated) -> Result<Json<serde_json::Value>, ApiError> {
    let rows = sqlx::query(
        "SELECT id, method, started_at, refreshed_at, expires_at, ip, user_agent FROM sessions \
         WHERE user_id = $1 AND ended_at IS NULL AND expires_at > $2 ORDER BY started_at DESC",
    )
    .bind(who.user_id.to_string())
    .bind(projections::format_ts(&chrono::Utc::now()))
    .fetch_all(&state.app.db.pool)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let id: String = r.try_get(0)?;
        out.push(serde_json::json!({
            "current": id == who.session_id.to_string(),
            "id": id,
            "method": r.try_get::<String, _>(1)?,
            "started_at": r.try_get::<String, _>(2)?,
            "refreshed_at": r.try_get::<Option<String>, _>(3)?,
            "expires_at": r.try_get::<String, _>(4)?,
            "ip": r.try_get::<Option<String>, _>(5)?,
            "user_agent": r.try_get::<Option<String>, _>(6)?,
        }));
    }
    Ok(Json(serde_json::json!({ "sessions": out })))
}

/// Ends one of the caller's sessions (another user's session is "not found").
#[utoipa::path(
    delete,
    path = "/api/v1/me/sessions/{id}",
    tag = "me",
    params(("id" = String, Path, description = "Session id")),
    responses(
        (status = 204, description = "Ended"),
        (status = 401, description = "`unauthenticated`, `invalid_token` or `session_revoked`: no live session", body = super::openapi::ErrorBody),
        (status = 403, description = "`account_disabled`, or `csrf_failed` (cookie sign-in without a matching `X-CSRF-Token`)", body = super::openapi::ErrorBody),
        (status = 404, description = "`session_not_found` (also another user's)", body = super::openapi::ErrorBody)
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn revoke_session(state: St, ctx: RequestContext, who: Authenticated, ApiPath(id): ApiPath<String>) -> Result<Response, ApiError> {
    let app = &state.app;
    let uid = who.user_id.to_string();
    let session_id = Uuid::parse_str(&id).map_err(|_| ApiError::not_found("session_not_found"))?;
    let owned = sqlx::query("SELECT 1 FROM sessions WHERE id = $1 AND user_id = $2 AND ended_at IS NULL")
        .bind(session_id.to_string())
        .bind(&uid)
        .fetch_optional(&app.db.pool)
        .await?
        .is_some();
    if !owned {
        return Err(ApiError::not_found("session_not_found"));
    }
    let cmd = UserCommand::RevokeSession { session_id, reason: RevocationReason::RevokedByUser };
    app.execute(&app.users, &uid, cmd, &who.meta(&ctx)).await?;
    Ok(no_content())
}

/// Ends every session of the caller but the current one.
#[utoipa::path(
    post,
    path = "/api/v1/me/sessions/revoke-others",
    tag = "me",
    responses(
        (status = 204, description = "Every other session is ended"),
        (status = 401, description = "`unauthenticated`, `invalid_token` or `session_revoked`: no live session", body = super::openapi::ErrorBody),
        (status = 403, description = "`account_disabled`, or `csrf_failed` (cookie sign-in without a matching `X-CSRF-Token`)", body = super::openapi::ErrorBody)
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn revoke_others(state: St, ctx: RequestContext, who: Authenticated) -> Result<Response, ApiError> {
    let app = &state.app;
    let uid = who.user_id.to_string();
    let cmd = UserCommand::RevokeAllSessions { except: Some(who.session_id), reason: RevocationReason::RevokedByUser };
    app.execute(&app.users, &uid, cmd, &who.meta(&ctx)).await?;
    Ok(no_content())
}
