//! `/me/second-factors`, `/me/totp`, `/me/recovery-codes`: the caller's second factors. These
//! stay open while the two-factor policy holds the account to enrolment.

use axum::Json;
use axum::http::StatusCode;

use super::auth::Enrolling;
use super::error::ApiError;
use super::extract::ApiJson;
use super::responses::{AccessErrors, Enroller};
use super::state::St;
use crate::app::caller::Origin;
use crate::app::factors;
use crate::views::errors::ErrorBody;
use crate::views::factors::{DisableTotpBody, RecoveryCodesView, SecondFactorStatus, TotpCode, TotpEnrolment};

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
        (status = 400, description = "`invalid_field` (field `code`: give `code` or `recovery_code`)", body = ErrorBody),
        (status = 401, description = "`second_factor_invalid` (wrong, reused or spent code)", body = ErrorBody),
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
