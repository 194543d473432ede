//! `/admin/*`: user management and settings (role admin).

use aggregates::SettingsCommand;
use aggregates::UserCommand;
use aggregates::settings::{LockoutPolicy, PasswordPolicy, SETTINGS_ID, SessionPolicy, SignupPolicy, TwoFactorPolicy};
use aggregates::user::{RegistrationMethod, RevocationReason, Role};
use axum::Json;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use serde::Deserialize;
use sqlx::Row;
use zeroize::Zeroizing;

use super::auth::Authenticated;
use super::context::RequestContext;
use super::error::{ApiError, ApiJson, ApiPath, ApiQuery};
use super::routes_me::user_json;
use super::{ApiState, St, no_content};
use crate::app::NewUser;

fn admin(who: &Authenticated) -> Result<(), ApiError> {
    who.require(&[Role::Admin])
}

fn meta(ctx: &RequestContext, who: &Authenticated) -> projections::RequestMetadata {
    ctx.actor(&who.user_id.to_string(), "admin", &who.session_id.to_string())
}

/// Search filter.
#[derive(Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct UserQuery {
    /// Case-insensitive search in email, user name and display name.
    #[serde(default)]
    q: Option<String>,
}

/// Users, optionally searched by email, username or display name.
#[utoipa::path(
    get,
    path = "/api/v1/admin/users",
    tag = "admin",
    params(UserQuery),
    responses(
        (status = 200, description = "Users by creation time", body = super::openapi::UserList),
        (status = 400, description = "`invalid_query` (a query parameter that does not parse or is unknown)", body = super::openapi::ErrorBody),
        (status = 401, description = "`unauthenticated`, `invalid_token` or `session_revoked`: no live session", body = super::openapi::ErrorBody),
        (status = 403, description = "`forbidden` (not an admin) or `account_disabled`", body = super::openapi::ErrorBody)
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn list_users(state: St, who: Authenticated, ApiQuery(q): ApiQuery<UserQuery>) -> Result<Json<serde_json::Value>, ApiError> {
    admin(&who)?;
    let needle = format!("%{}%", q.q.unwrap_or_default().to_lowercase().replace(['%', '_'], ""));
    let rows = sqlx::query(
        "SELECT id FROM users WHERE deleted_at IS NULL AND (LOWER(email) LIKE $1 OR LOWER(username) LIKE $1 OR LOWER(display_name) LIKE $1) \
         ORDER BY created_at LIMIT 500",
    )
    .bind(needle)
    .fetch_all(&state.app.db.pool)
    .await?;
    let mut users = Vec::with_capacity(rows.len());
    for r in rows {
        users.push(user_json(&state.app, &r.try_get::<String, _>(0)?).await?);
    }
    Ok(Json(serde_json::json!({ "users": users })))
}

/// One user.
#[utoipa::path(
    get,
    path = "/api/v1/admin/users/{id}",
    tag = "admin",
    params(("id" = String, Path, description = "User id")),
    responses(
        (status = 200, description = "The user", body = super::openapi::UserEnvelope),
        (status = 401, description = "`unauthenticated`, `invalid_token` or `session_revoked`: no live session", body = super::openapi::ErrorBody),
        (status = 403, description = "`forbidden` (not an admin) or `account_disabled`", body = super::openapi::ErrorBody),
        (status = 404, description = "`user_not_found`", body = super::openapi::ErrorBody)
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn get_user(state: St, who: Authenticated, ApiPath(id): ApiPath<String>) -> Result<Json<serde_json::Value>, ApiError> {
    admin(&who)?;
    Ok(Json(serde_json::json!({ "user": user_json(&state.app, &id).await? })))
}

/// `POST /admin/users` body.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUser {
    email: String,
    username: String,
    #[schema(value_type = String, format = Password)]
    password: Zeroizing<String>,
    #[serde(default)]
    display_name: Option<String>,
    /// Default `user`.
    #[serde(default)]
    role: Option<Role>,
}

/// Creates an account with a role.
#[utoipa::path(
    post,
    path = "/api/v1/admin/users",
    tag = "admin",
    request_body = CreateUser,
    responses(
        (status = 201, description = "Created", body = super::openapi::UserEnvelope),
        (status = 400, description = "`malformed_json` or `invalid_body` (wrong shape or unknown field), `invalid_field` (password length), `invalid_email`, `invalid_username` or `invalid_display_name`", body = super::openapi::ErrorBody),
        (status = 401, description = "`unauthenticated`, `invalid_token` or `session_revoked`: no live session", body = super::openapi::ErrorBody),
        (status = 403, description = "`forbidden` (not an admin), `account_disabled` or `csrf_failed`", body = super::openapi::ErrorBody),
        (status = 409, description = "`email_taken` or `username_taken`", body = super::openapi::ErrorBody),
        (status = 413, description = "`body_too_large`: over 64 KiB", body = super::openapi::ErrorBody),
        (status = 415, description = "`unsupported_media_type`: the body must be `application/json`", body = super::openapi::ErrorBody)
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn create_user(state: St, ctx: RequestContext, who: Authenticated, ApiJson(body): ApiJson<CreateUser>) -> Result<Response, ApiError> {
    admin(&who)?;
    let policy = state.app.current_settings().await?.password;
    let password = super::auth::new_password("password", body.password, policy).await?;
    let new = NewUser {
        email: &body.email,
        username: &body.username,
        display_name: body.display_name.as_deref(),
        password,
        role: body.role.unwrap_or(Role::User),
        method: RegistrationMethod::AdminCreated,
    };
    let id = state.app.register_user(new, &meta(&ctx, &who)).await?;
    Ok((StatusCode::CREATED, Json(serde_json::json!({ "user": user_json(&state.app, &id.to_string()).await? }))).into_response())
}

async fn exists(state: &ApiState, id: &str) -> Result<(), ApiError> {
    user_json(&state.app, id).await.map(|_| ())
}

/// `PATCH /admin/users/{id}` body.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PatchUser {
    #[serde(default)]
    role: Option<Role>,
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    username: Option<String>,
    #[serde(default)]
    display_name: Option<String>,
}

/// Changes a user's role or profile.
#[utoipa::path(
    patch,
    path = "/api/v1/admin/users/{id}",
    tag = "admin",
    params(("id" = String, Path, description = "User id")),
    request_body = PatchUser,
    responses(
        (status = 200, description = "The changed user", body = super::openapi::UserEnvelope),
        (status = 400, description = "`malformed_json` or `invalid_body` (wrong shape or unknown field), `invalid_email`, `invalid_username` or `invalid_display_name`", body = super::openapi::ErrorBody),
        (status = 401, description = "`unauthenticated`, `invalid_token` or `session_revoked`: no live session", body = super::openapi::ErrorBody),
        (status = 403, description = "`forbidden` (not an admin), `account_disabled` or `csrf_failed`", body = super::openapi::ErrorBody),
        (status = 404, description = "`user_not_found`", body = super::openapi::ErrorBody),
        (status = 409, description = "`last_admin` (the last active admin keeps the role), `email_taken`, `username_taken` or `conflict`", body = super::openapi::ErrorBody),
        (status = 413, description = "`body_too_large`: over 64 KiB", body = super::openapi::ErrorBody),
        (status = 415, description = "`unsupported_media_type`: the body must be `application/json`", body = super::openapi::ErrorBody)
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn patch_user(
    state: St,
    ctx: RequestContext,
    who: Authenticated,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<PatchUser>,
) -> Result<Json<serde_json::Value>, ApiError> {
    admin(&who)?;
    exists(&state, &id).await?;
    let app = &state.app;
    let mut commands = Vec::new();
    if let Some(role) = body.role {
        commands.push(UserCommand::ChangeRole { role, active_admins: app.count_active_admins().await? });
    }
    commands.extend(super::routes_me::profile_commands(body.email, body.username, body.display_name));
    for cmd in commands {
        app.execute(&app.users, &id, cmd, &meta(&ctx, &who)).await?;
    }
    Ok(Json(serde_json::json!({ "user": user_json(app, &id).await? })))
}

/// Deletes a user: their data key is destroyed with the event (crypto-shredding).
#[utoipa::path(
    delete,
    path = "/api/v1/admin/users/{id}",
    tag = "admin",
    params(("id" = String, Path, description = "User id")),
    responses(
        (status = 204, description = "Deleted; the user's data key is destroyed"),
        (status = 401, description = "`unauthenticated`, `invalid_token` or `session_revoked`: no live session", body = super::openapi::ErrorBody),
        (status = 403, description = "`forbidden` (not an admin), `account_disabled` or `csrf_failed`", body = super::openapi::ErrorBody),
        (status = 404, description = "`user_not_found`", body = super::openapi::ErrorBody),
        (status = 409, description = "`last_admin`", body = super::openapi::ErrorBody)
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn delete_user(state: St, ctx: RequestContext, who: Authenticated, ApiPath(id): ApiPath<String>) -> Result<Response, ApiError> {
    admin(&who)?;
    exists(&state, &id).await?;
    let app = &state.app;
    let cmd = UserCommand::Delete { active_admins: app.count_active_admins().await?, at: Utc::now() };
    app.execute(&app.users, &id, cmd, &meta(&ctx, &who)).await?;
    Ok(no_content())
}

/// The simple admin actions: disable, enable, unlock, revoke-sessions.
#[utoipa::path(
    post,
    path = "/api/v1/admin/users/{id}/{action}",
    tag = "admin",
    params(("id" = String, Path, description = "User id"), ("action" = super::openapi::UserAction, Path, description = "What to do")),
    responses(
        (status = 204, description = "Done"),
        (status = 401, description = "`unauthenticated`, `invalid_token` or `session_revoked`: no live session", body = super::openapi::ErrorBody),
        (status = 403, description = "`forbidden` (not an admin), `account_disabled` or `csrf_failed`", body = super::openapi::ErrorBody),
        (status = 404, description = "`user_not_found`, or `no_such_route` for another action", body = super::openapi::ErrorBody),
        (status = 409, description = "`last_admin`, `already_disabled`, `not_disabled` or `not_locked`", body = super::openapi::ErrorBody)
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn action(
    state: St,
    ctx: RequestContext,
    who: Authenticated,
    ApiPath((id, action)): ApiPath<(String, String)>,
) -> Result<Response, ApiError> {
    admin(&who)?;
    exists(&state, &id).await?;
    let app = &state.app;
    let cmd = match action.as_str() {
        "disable" => UserCommand::Disable { active_admins: app.count_active_admins().await? },
        "enable" => UserCommand::Enable,
        "unlock" => UserCommand::Unlock { at: Utc::now() },
        "revoke-sessions" => UserCommand::RevokeAllSessions { except: None, reason: RevocationReason::RevokedByAdmin },
        _ => return Err(ApiError::new(StatusCode::NOT_FOUND, "no_such_route", "no such API route")),
    };
    app.execute(&app.users, &id, cmd, &meta(&ctx, &who)).await?;
    Ok(no_content())
}

/// `POST /admin/users/{id}/reset-password` body.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetPassword {
    #[schema(value_type = String, format = Password)]
    password: Zeroizing<String>,
}

/// Sets a new password and ends every session of the user.
#[utoipa::path(
    post,
    path = "/api/v1/admin/users/{id}/reset-password",
    tag = "admin",
    params(("id" = String, Path, description = "User id")),
    request_body = ResetPassword,
    responses(
        (status = 204, description = "Set; every session of the user is ended"),
        (status = 400, description = "`malformed_json` or `invalid_body` (wrong shape or unknown field) or `invalid_field` (password length)", body = super::openapi::ErrorBody),
        (status = 401, description = "`unauthenticated`, `invalid_token` or `session_revoked`: no live session", body = super::openapi::ErrorBody),
        (status = 403, description = "`forbidden` (not an admin), `account_disabled` or `csrf_failed`", body = super::openapi::ErrorBody),
        (status = 404, description = "`user_not_found`", body = super::openapi::ErrorBody),
        (status = 413, description = "`body_too_large`: over 64 KiB", body = super::openapi::ErrorBody),
        (status = 415, description = "`unsupported_media_type`: the body must be `application/json`", body = super::openapi::ErrorBody)
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn reset_password(
    state: St,
    ctx: RequestContext,
    who: Authenticated,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<ResetPassword>,
) -> Result<Response, ApiError> {
    admin(&who)?;
    exists(&state, &id).await?;
    let app = &state.app;
    let policy = app.current_settings().await?.password;
    let new = super::auth::new_password("password", body.password, policy).await?;
    let cmd = UserCommand::ResetPassword { new, policy };
    app.execute(&app.users, &id, cmd, &meta(&ctx, &who)).await?;
    Ok(no_content())
}

/// The settings as the API shows them: sealed secrets only say whether they are set.
async fn settings_json(state: &ApiState) -> Result<serde_json::Value, ApiError> {
    let s = state.app.current_settings().await?;
    let mut v = serde_json::to_value(&s).map_err(ApiError::internal)?;
    if let Some(smtp) = v.get_mut("smtp").and_then(|x| x.as_object_mut()) {
        let set = smtp.get("password").is_some_and(|p| !p.is_null());
        smtp.insert("password".into(), serde_json::Value::Bool(set));
    }
    if let Some(oidc) = v.get_mut("oidc").and_then(|x| x.as_object_mut()) {
        let set = oidc.get("client_secret").is_some_and(|p| !p.is_null());
        oidc.insert("client_secret".into(), serde_json::Value::Bool(set));
    }
    Ok(v)
}

/// Current settings.
#[utoipa::path(
    get,
    path = "/api/v1/admin/settings",
    tag = "admin",
    responses(
        (status = 200, description = "The settings", body = super::openapi::SettingsEnvelope),
        (status = 401, description = "`unauthenticated`, `invalid_token` or `session_revoked`: no live session", body = super::openapi::ErrorBody),
        (status = 403, description = "`forbidden` (not an admin) or `account_disabled`", body = super::openapi::ErrorBody)
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn get_settings(state: St, who: Authenticated) -> Result<Json<serde_json::Value>, ApiError> {
    admin(&who)?;
    Ok(Json(serde_json::json!({ "settings": settings_json(&state).await? })))
}

/// `PATCH /admin/settings`: any subset of the policies, each given whole.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PatchSettings {
    #[serde(default)]
    signup: Option<SignupPolicy>,
    #[serde(default)]
    password: Option<PasswordPolicy>,
    #[serde(default)]
    lockout: Option<LockoutPolicy>,
    #[serde(default)]
    session: Option<SessionPolicy>,
    #[serde(default)]
    two_factor: Option<TwoFactorPolicy>,
    #[serde(default)]
    code_access_auditing: Option<bool>,
    /// Keep audit entries in the query index this many days.
    #[serde(default)]
    audit_retention_days: Option<u32>,
    /// `true`: keep them forever.
    #[serde(default)]
    keep_audit_forever: Option<bool>,
}

/// Changes policies; each is validated by the settings aggregate.
#[utoipa::path(
    patch,
    path = "/api/v1/admin/settings",
    tag = "admin",
    request_body = PatchSettings,
    responses(
        (status = 200, description = "The changed settings", body = super::openapi::SettingsEnvelope),
        (status = 400, description = "`malformed_json` or `invalid_body` (wrong shape or unknown field) or a policy value out of range (`field` names it)", body = super::openapi::ErrorBody),
        (status = 401, description = "`unauthenticated`, `invalid_token` or `session_revoked`: no live session", body = super::openapi::ErrorBody),
        (status = 403, description = "`forbidden` (not an admin), `account_disabled` or `csrf_failed`", body = super::openapi::ErrorBody),
        (status = 409, description = "`conflict`", body = super::openapi::ErrorBody),
        (status = 413, description = "`body_too_large`: over 64 KiB", body = super::openapi::ErrorBody),
        (status = 415, description = "`unsupported_media_type`: the body must be `application/json`", body = super::openapi::ErrorBody)
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn patch_settings(
    state: St,
    ctx: RequestContext,
    who: Authenticated,
    ApiJson(body): ApiJson<PatchSettings>,
) -> Result<Json<serde_json::Value>, ApiError> {
    admin(&who)?;
    let mut commands = Vec::new();
    if let Some(p) = body.signup {
        commands.push(SettingsCommand::ChangeSignupPolicy(p));
    }
    if let Some(p) = body.password {
        commands.push(SettingsCommand::ChangePasswordPolicy(p));
    }
    if let Some(p) = body.lockout {
        commands.push(SettingsCommand::ChangeLockoutPolicy(p));
    }
    if let Some(p) = body.session {
        commands.push(SettingsCommand::ChangeSessionPolicy(p));
    }
    if let Some(p) = body.two_factor {
        commands.push(SettingsCommand::ChangeTwoFactorPolicy(p));
    }
    if let Some(enabled) = body.code_access_auditing {
        commands.push(SettingsCommand::SetCodeAccessAuditing(enabled));
    }
    if let Some(days) = body.audit_retention_days {
        commands.push(SettingsCommand::SetAuditRetention(Some(days)));
    }
    if body.keep_audit_forever == Some(true) {
        commands.push(SettingsCommand::SetAuditRetention(None));
    }
    for cmd in commands {
        state.app.execute(&state.app.settings, SETTINGS_ID, cmd, &meta(&ctx, &who)).await?;
    }
    Ok(Json(serde_json::json!({ "settings": settings_json(&state).await? })))
}
