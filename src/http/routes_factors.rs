//! `/me/second-factors`, `/me/totp`, `/me/recovery-codes`, `/me/passkeys`: the caller's second
//! factors. These stay open while the two-factor policy holds the account to enrolment.

use axum::Json;
use axum::http::StatusCode;
use axum::response::IntoResponse;

use super::auth::Enrolling;
use super::error::ApiError;
use super::extract::{ApiJson, ApiPath};
use super::responses::{AccessErrors, Enroller};
use super::state::St;
use crate::app::caller::Origin;
use crate::app::{factors, passkeys};
use crate::views::errors::ErrorBody;
use crate::views::factors::{
    DisableTotpBody, PasskeyList, PasskeyOptions, PasskeyView, RecoveryCodesView, RegisterPasskeyBody, RenamePasskeyBody, SecondFactorStatus,
    TotpCode, TotpEnrolment,
};

/// What protects the caller's account, and what the two-factor policy asks of it.
#[utoipa::path(
    get,
    path = "/api/v1/me/second-factors",
    tag = "me",
    responses((status = 200, description = "Second factors and the policy's deadline", body = SecondFactorStatus), AccessErrors<Enroller>),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn status(state: St, Enrolling(who): Enrolling) -> Result<Json<SecondFactorStatus>, ApiError> {
    Ok(Json(factors::status(&state.app, &who).await?))
}

/// Starts enrolling an authenticator app: a new secret (pending until a code confirms it), as a
/// link, a QR code and text. Starting again replaces a pending secret.
#[utoipa::path(
    post,
    path = "/api/v1/me/totp",
    tag = "me",
    responses(
        (status = 200, description = "The secret to add to the app", body = TotpEnrolment),
        AccessErrors<Enroller>,
        (status = 409, description = "`totp_already_enabled`", body = ErrorBody)
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn start_totp(state: St, origin: Origin, Enrolling(who): Enrolling) -> Result<Json<TotpEnrolment>, ApiError> {
    Ok(Json(factors::start_totp(&state.app, &who, &origin).await?))
}

/// Confirms the pending authenticator app with the code it shows; answers the recovery codes,
/// shown this once.
#[utoipa::path(
    post,
    path = "/api/v1/me/totp/confirm",
    tag = "me",
    request_body = TotpCode,
    responses(
        (status = 200, description = "Enabled: sign-ins now ask for a code. Keep the recovery codes somewhere safe", body = RecoveryCodesView),
        AccessErrors<Enroller>,
        (status = 400, description = "`invalid_code` (field `code`: not the code the app shows now)", body = ErrorBody),
        (status = 409, description = "`totp_not_pending` or `totp_already_enabled`", body = ErrorBody)
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn confirm_totp(
    state: St,
    origin: Origin,
    Enrolling(who): Enrolling,
    ApiJson(body): ApiJson<TotpCode>,
) -> Result<Json<RecoveryCodesView>, ApiError> {
    Ok(Json(factors::confirm_totp(&state.app, &who, &origin, &body.code).await?))
}

/// Removes the authenticator app: needs a recent step-up (`POST /auth/reauth`) and a code from
/// the app or a recovery code.
#[utoipa::path(
    delete,
    path = "/api/v1/me/totp",
    tag = "me",
    request_body = DisableTotpBody,
    responses(
        (status = 204, description = "Removed (with the recovery codes, if no passkey is left)"),
        AccessErrors<Enroller>,
        (status = 400, description = "`invalid_field` (field `code`: give `code` or `recovery_code`) or `invalid_code` (field `code` or `recovery_code`: wrong, reused or spent)", body = ErrorBody),
        (status = 403, description = "`reauthentication_required` (step up first), `account_disabled` or `csrf_failed`", body = ErrorBody),
        (status = 409, description = "`totp_not_enabled`", body = ErrorBody)
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn disable_totp(
    state: St,
    origin: Origin,
    Enrolling(who): Enrolling,
    ApiJson(body): ApiJson<DisableTotpBody>,
) -> Result<StatusCode, ApiError> {
    let (code, recovery) = (body.code.as_deref().map(String::as_str), body.recovery_code.as_deref().map(String::as_str));
    factors::disable_totp(&state.app, &who, &origin, code, recovery).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A new set of recovery codes (the old set stops working); needs a recent step-up.
#[utoipa::path(
    post,
    path = "/api/v1/me/recovery-codes",
    tag = "me",
    responses(
        (status = 200, description = "The new codes, shown this once", body = RecoveryCodesView),
        AccessErrors<Enroller>,
        (status = 403, description = "`reauthentication_required` (step up first), `account_disabled` or `csrf_failed`", body = ErrorBody),
        (status = 409, description = "`no_second_factor`", body = ErrorBody)
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn regenerate_recovery_codes(state: St, origin: Origin, Enrolling(who): Enrolling) -> Result<Json<RecoveryCodesView>, ApiError> {
    Ok(Json(factors::regenerate_recovery_codes(&state.app, &who, &origin).await?))
}

/// Begins registering a passkey: the options for `navigator.credentials.create()`. A passkey
/// signs in on its own, so this needs a recent step-up.
#[utoipa::path(
    post,
    path = "/api/v1/me/passkeys/options",
    tag = "me",
    responses(
        (status = 200, description = "A registration ceremony (five minutes, once)", body = PasskeyOptions),
        AccessErrors<Enroller>,
        (status = 403, description = "`reauthentication_required` (step up first), `account_disabled` or `csrf_failed`", body = ErrorBody),
        (status = 409, description = "`passkeys_unavailable` (the public URL has no host name) or `too_many_passkeys`", body = ErrorBody)
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn passkey_registration_options(state: St, Enrolling(who): Enrolling) -> Result<Json<PasskeyOptions>, ApiError> {
    Ok(Json(passkeys::registration_options(&state.app, &who).await?))
}

/// Finishes registering a passkey with the new credential; needs a recent step-up.
#[utoipa::path(
    post,
    path = "/api/v1/me/passkeys",
    tag = "me",
    request_body = RegisterPasskeyBody,
    responses(
        (status = 201, description = "Registered", body = PasskeyView),
        AccessErrors<Enroller>,
        (status = 400, description = "`invalid_field` (`credential` is not a WebAuthn credential), `invalid_passkey_name` (field `name`, checked before the ceremony is spent), `ceremony_invalid` (field `credential`: unknown, used, expired or another account's ceremony) or `passkey_invalid` (field `credential`: the credential does not verify, e.g. without user verification)", body = ErrorBody),
        (status = 403, description = "`reauthentication_required`, `account_disabled` or `csrf_failed`", body = ErrorBody),
        (status = 409, description = "`passkey_exists`, `too_many_passkeys` or `passkeys_unavailable`", body = ErrorBody)
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn register_passkey(
    state: St,
    origin: Origin,
    Enrolling(who): Enrolling,
    ApiJson(body): ApiJson<RegisterPasskeyBody>,
) -> Result<impl IntoResponse, ApiError> {
    let view = passkeys::register(&state.app, &who, &origin, &body.ceremony, &body.name, body.credential).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// The caller's passkeys, oldest first.
#[utoipa::path(
    get,
    path = "/api/v1/me/passkeys",
    tag = "me",
    responses((status = 200, description = "Passkeys (never their credentials)", body = PasskeyList), AccessErrors<Enroller>),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn list_passkeys(state: St, Enrolling(who): Enrolling) -> Result<Json<PasskeyList>, ApiError> {
    Ok(Json(passkeys::list(&state.app, &who).await?))
}

/// Renames one of the caller's passkeys.
#[utoipa::path(
    patch,
    path = "/api/v1/me/passkeys/{id}",
    tag = "me",
    params(("id" = String, Path, description = "The passkey's credential id")),
    request_body = RenamePasskeyBody,
    responses(
        (status = 200, description = "Renamed", body = PasskeyView),
        AccessErrors<Enroller>,
        (status = 400, description = "`invalid_passkey_name` (field `name`)", body = ErrorBody),
        (status = 404, description = "`passkey_not_found`", body = ErrorBody)
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn rename_passkey(
    state: St,
    origin: Origin,
    Enrolling(who): Enrolling,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<RenamePasskeyBody>,
) -> Result<Json<PasskeyView>, ApiError> {
    Ok(Json(passkeys::rename(&state.app, &who, &origin, &id, &body.name).await?))
}

/// Removes one of the caller's passkeys; needs a recent step-up. Removing the last factor also
/// discards the recovery codes.
#[utoipa::path(
    delete,
    path = "/api/v1/me/passkeys/{id}",
    tag = "me",
    params(("id" = String, Path, description = "The passkey's credential id")),
    responses(
        (status = 204, description = "Removed"),
        AccessErrors<Enroller>,
        (status = 403, description = "`reauthentication_required` (step up first), `account_disabled` or `csrf_failed`", body = ErrorBody),
        (status = 404, description = "`passkey_not_found`", body = ErrorBody)
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn remove_passkey(state: St, origin: Origin, Enrolling(who): Enrolling, ApiPath(id): ApiPath<String>) -> Result<StatusCode, ApiError> {
    passkeys::remove(&state.app, &who, &origin, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
