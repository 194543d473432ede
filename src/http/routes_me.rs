//! `/me/*`: the caller's profile, password and sessions.

use axum::Json;
use axum::http::StatusCode;

use super::auth::Enrolling;
use super::error::ApiError;
use super::extract::{ApiJson, ApiPath};
use super::responses::{AccessErrors, Enroller, Reader, Writer};
use super::state::St;
use crate::app::caller::{Caller, Origin};
use crate::app::me;
use crate::views::errors::ErrorBody;
use crate::views::me::{ChangePassword, PatchMe, SessionList};
use crate::views::users::UserEnvelope;

/// The caller's profile.
#[utoipa::path(
    get,
    path = "/api/v1/me",
    tag = "me",
    responses((status = 200, description = "The caller", body = UserEnvelope), AccessErrors<Enroller>),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn get_me(state: St, Enrolling(who): Enrolling) -> Result<Json<UserEnvelope>, ApiError> {
    Ok(Json(me::get(&state.app, &who).await?))
}

/// Changes profile fields; each change is its own event.
#[utoipa::path(
    patch,
    path = "/api/v1/me",
    tag = "me",
    request_body = PatchMe,
    responses(
        (status = 200, description = "The changed profile", body = UserEnvelope),
        AccessErrors<Writer>,
        (status = 400, description = "`invalid_email`, `invalid_username`, `invalid_display_name` or `invalid_preference`", body = ErrorBody),
        (status = 403, description = "`reauthentication_required` (a new email needs a step-up: `POST /auth/reauth`), `account_disabled`, `second_factor_enrolment_required` or `csrf_failed`", body = ErrorBody),
        (status = 409, description = "`email_taken`, `username_taken` or `conflict`", body = ErrorBody)
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn patch_me(state: St, origin: Origin, who: Caller, ApiJson(body): ApiJson<PatchMe>) -> Result<Json<UserEnvelope>, ApiError> {
    Ok(Json(me::patch(&state.app, &who, &origin, body).await?))
}

/// Changes the password (the current one is required) and ends every other session.
#[utoipa::path(
    post,
    path = "/api/v1/me/password",
    tag = "me",
    request_body = ChangePassword,
    responses(
        (status = 204, description = "Changed; every other session is ended"),
        AccessErrors<Writer>,
        (status = 400, description = "`invalid_field` (`new_password` length) or `password_breached` (field `new_password`: on the breached-password list, when the policy checks it)", body = ErrorBody),
        (status = 403, description = "`wrong_password` (field `current_password`), `account_disabled`, `second_factor_enrolment_required` or `csrf_failed`", body = ErrorBody)
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn change_password(state: St, origin: Origin, who: Caller, ApiJson(body): ApiJson<ChangePassword>) -> Result<StatusCode, ApiError> {
    me::change_password(&state.app, &who, &origin, body).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The caller's live sessions, newest first; the current one is marked.
#[utoipa::path(
    get,
    path = "/api/v1/me/sessions",
    tag = "me",
    responses((status = 200, description = "Live sessions, newest first", body = SessionList), AccessErrors<Reader>),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn sessions(state: St, who: Caller) -> Result<Json<SessionList>, ApiError> {
    Ok(Json(me::sessions(&state.app, &who).await?))
}

/// Ends one of the caller's sessions (another user's session is "not found").
#[utoipa::path(
    delete,
    path = "/api/v1/me/sessions/{id}",
    tag = "me",
    params(("id" = String, Path, description = "Session id")),
    responses(
        (status = 204, description = "Ended"),
        AccessErrors<Writer>,
        (status = 404, description = "`session_not_found` (also another user's)", body = ErrorBody)
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn revoke_session(state: St, origin: Origin, who: Caller, ApiPath(id): ApiPath<String>) -> Result<StatusCode, ApiError> {
    me::revoke_session(&state.app, &who, &origin, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Ends every session of the caller but the current one.
#[utoipa::path(
    post,
    path = "/api/v1/me/sessions/revoke-others",
    tag = "me",
    responses((status = 204, description = "Every other session is ended"), AccessErrors<Writer>),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn revoke_others(state: St, origin: Origin, who: Caller) -> Result<StatusCode, ApiError> {
    me::revoke_others(&state.app, &who, &origin).await?;
    Ok(StatusCode::NO_CONTENT)
}
