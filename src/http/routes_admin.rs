//! `/admin/*`: user management and settings (role admin).

use axum::Json;
use axum::http::StatusCode;
use axum::response::IntoResponse;

use super::error::ApiError;
use super::extract::{ApiJson, ApiPath, ApiQuery};
use super::responses::{AccessErrors, AdminReader, AdminWriter};
use super::state::St;
use crate::app::admin;
use crate::app::caller::{Caller, Origin};
use crate::views::admin::{CreateUser, PatchSettings, PatchUser, ResetPassword, SettingsEnvelope, UserAction, UserQuery};
use crate::views::errors::ErrorBody;
use crate::views::users::{UserEnvelope, UserList};

/// Users, optionally searched by email, username or display name.
#[utoipa::path(
    get,
    path = "/api/v1/admin/users",
    tag = "admin",
    params(UserQuery),
    responses((status = 200, description = "Users by creation time", body = UserList), AccessErrors<AdminReader>),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn list_users(state: St, who: Caller, ApiQuery(q): ApiQuery<UserQuery>) -> Result<Json<UserList>, ApiError> {
    Ok(Json(admin::list_users(&state.app, &who, q.q).await?))
}

/// One user.
#[utoipa::path(
    get,
    path = "/api/v1/admin/users/{id}",
    tag = "admin",
    params(("id" = String, Path, description = "User id")),
    responses(
        (status = 200, description = "The user", body = UserEnvelope),
        AccessErrors<AdminReader>,
        (status = 404, description = "`user_not_found`", body = ErrorBody)
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn get_user(state: St, who: Caller, ApiPath(id): ApiPath<String>) -> Result<Json<UserEnvelope>, ApiError> {
    Ok(Json(admin::get_user(&state.app, &who, &id).await?))
}

/// Creates an account with a role.
#[utoipa::path(
    post,
    path = "/api/v1/admin/users",
    tag = "admin",
    request_body = CreateUser,
    responses(
        (status = 201, description = "Created", body = UserEnvelope),
        AccessErrors<AdminWriter>,
        (status = 400, description = "`invalid_field` (password length), `password_breached` (field `password`, when the policy checks it), `invalid_email`, `invalid_username` or `invalid_display_name`", body = ErrorBody),
        (status = 409, description = "`email_taken` or `username_taken`", body = ErrorBody)
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn create_user(state: St, origin: Origin, who: Caller, ApiJson(body): ApiJson<CreateUser>) -> Result<impl IntoResponse, ApiError> {
    Ok((StatusCode::CREATED, Json(admin::create_user(&state.app, &who, &origin, body).await?)))
}

/// Changes a user's role or profile.
#[utoipa::path(
    patch,
    path = "/api/v1/admin/users/{id}",
    tag = "admin",
    params(("id" = String, Path, description = "User id")),
    request_body = PatchUser,
    responses(
        (status = 200, description = "The changed user", body = UserEnvelope),
        AccessErrors<AdminWriter>,
        (status = 400, description = "`invalid_email`, `invalid_username` or `invalid_display_name`", body = ErrorBody),
        (status = 403, description = "`forbidden` (not an admin), `reauthentication_required` (a new email needs the admin's step-up), `account_disabled`, `second_factor_enrolment_required` or `csrf_failed`", body = ErrorBody),
        (status = 404, description = "`user_not_found`", body = ErrorBody),
        (status = 409, description = "`last_admin` (the last active admin keeps the role), `email_taken`, `username_taken` or `conflict`", body = ErrorBody)
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn patch_user(
    state: St,
    origin: Origin,
    who: Caller,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<PatchUser>,
) -> Result<Json<UserEnvelope>, ApiError> {
    Ok(Json(admin::patch_user(&state.app, &who, &origin, &id, body).await?))
}

/// Deletes a user: their data key is destroyed with the event (crypto-shredding).
#[utoipa::path(
    delete,
    path = "/api/v1/admin/users/{id}",
    tag = "admin",
    params(("id" = String, Path, description = "User id")),
    responses(
        (status = 204, description = "Deleted; the user's data key is destroyed"),
        AccessErrors<AdminWriter>,
        (status = 404, description = "`user_not_found`", body = ErrorBody),
        (status = 409, description = "`last_admin`", body = ErrorBody)
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn delete_user(state: St, origin: Origin, who: Caller, ApiPath(id): ApiPath<String>) -> Result<StatusCode, ApiError> {
    admin::delete_user(&state.app, &who, &origin, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The simple admin actions: disable, enable, unlock, revoke-sessions.
#[utoipa::path(
    post,
    path = "/api/v1/admin/users/{id}/{action}",
    tag = "admin",
    params(("id" = String, Path, description = "User id"), ("action" = UserAction, Path, description = "What to do")),
    responses(
        (status = 204, description = "Done"),
        AccessErrors<AdminWriter>,
        (status = 404, description = "`user_not_found`, or `no_such_route` for another action", body = ErrorBody),
        (status = 409, description = "`last_admin`, `already_disabled`, `not_disabled` or `not_locked`", body = ErrorBody)
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn action(state: St, origin: Origin, who: Caller, ApiPath((id, action)): ApiPath<(String, String)>) -> Result<StatusCode, ApiError> {
    // An unknown action is an unknown route, like any other path the router does not have; the
    // role and user checks come first all the same, as for a known action.
    let Ok(action) = serde_json::from_value::<UserAction>(serde_json::Value::String(action)) else {
        admin::get_user(&state.app, &who, &id).await?;
        return Err(ApiError::new(StatusCode::NOT_FOUND, "no_such_route", "no such API route"));
    };
    admin::act(&state.app, &who, &origin, &id, action).await?;
    Ok(StatusCode::NO_CONTENT)
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
        AccessErrors<AdminWriter>,
        (status = 400, description = "`invalid_field` (password length) or `password_breached` (field `password`, when the policy checks it)", body = ErrorBody),
        (status = 404, description = "`user_not_found`", body = ErrorBody)
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn reset_password(
    state: St,
    origin: Origin,
    who: Caller,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<ResetPassword>,
) -> Result<StatusCode, ApiError> {
    admin::reset_password(&state.app, &who, &origin, &id, body).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Current settings.
#[utoipa::path(
    get,
    path = "/api/v1/admin/settings",
    tag = "admin",
    responses((status = 200, description = "The settings", body = SettingsEnvelope), AccessErrors<AdminReader>),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn get_settings(state: St, who: Caller) -> Result<Json<SettingsEnvelope>, ApiError> {
    Ok(Json(admin::get_settings(&state.app, &who).await?))
}

/// Changes policies; each is validated by the settings aggregate.
#[utoipa::path(
    patch,
    path = "/api/v1/admin/settings",
    tag = "admin",
    request_body = PatchSettings,
    responses(
        (status = 200, description = "The changed settings", body = SettingsEnvelope),
        AccessErrors<AdminWriter>,
        (status = 400, description = "a policy value out of range (`field` names it)", body = ErrorBody),
        (status = 409, description = "`conflict`", body = ErrorBody)
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn patch_settings(
    state: St,
    origin: Origin,
    who: Caller,
    ApiJson(body): ApiJson<PatchSettings>,
) -> Result<Json<SettingsEnvelope>, ApiError> {
    Ok(Json(admin::patch_settings(&state.app, &who, &origin, body).await?))
}

/// Removes every second factor of a user (authenticator app, recovery codes, passkeys) and ends
/// their sessions, e.g. after they lost their phone; audited.
#[utoipa::path(
    post,
    path = "/api/v1/admin/users/{id}/reset-second-factors",
    tag = "admin",
    params(("id" = String, Path, description = "User id")),
    responses(
        (status = 204, description = "Reset; every session of the user is ended"),
        AccessErrors<AdminWriter>,
        (status = 404, description = "`user_not_found`", body = ErrorBody)
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn reset_second_factors(state: St, origin: Origin, who: Caller, ApiPath(id): ApiPath<String>) -> Result<StatusCode, ApiError> {
    crate::app::factors::reset(&state.app, &who, &origin, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
