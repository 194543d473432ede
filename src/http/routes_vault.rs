//! `/applications/*`: the caller's vault.

use axum::Json;
use axum::http::StatusCode;
use axum::response::IntoResponse;

use super::error::ApiError;
use super::extract::{ApiJson, ApiPath, ApiQuery};
use super::responses::{AccessErrors, Reader, Writer};
use super::state::St;
use crate::app::AppError;
use crate::app::caller::{Caller, Origin};
use crate::app::{codes, vault};
use crate::views::errors::ErrorBody;
use crate::views::factors::SecretView;
use crate::views::vault::{AppBody, ApplicationEnvelope, ApplicationList, CodesResponse, DeleteQuery, HotpNext, ListQuery, OrderBody, QrUpload};

/// Largest QR image upload.
pub const MAX_QR_BYTES: usize = 2 * 1024 * 1024;

/// The caller's applications in their order, filtered.
#[utoipa::path(
    get,
    path = "/api/v1/applications",
    tag = "applications",
    params(ListQuery),
    responses((status = 200, description = "The caller's applications in their order", body = ApplicationList), AccessErrors<Reader>),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn list(state: St, who: Caller, ApiQuery(q): ApiQuery<ListQuery>) -> Result<Json<ApplicationList>, ApiError> {
    Ok(Json(vault::list(&state.app, &who, q).await?))
}

/// Adds an application from fields or from an `otpauth://` URI (fields then override).
#[utoipa::path(
    post,
    path = "/api/v1/applications",
    tag = "applications",
    request_body(content = AppBody, description = "Either `uri` (an `otpauth://` URI; other fields then override it) or `secret` (base32) with optional parameters", content_type = "application/json"),
    responses(
        (status = 201, description = "Created", body = ApplicationEnvelope),
        AccessErrors<Writer>,
        (status = 400, description = "`invalid_field` (e.g. `uri`, `secret`, `digits`, `period`, `notes`), or `secret_too_short` (under 80 bits, unless `allow_short_secret` is `true`)", body = ErrorBody)
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn create(state: St, origin: Origin, who: Caller, ApiJson(body): ApiJson<AppBody>) -> Result<impl IntoResponse, ApiError> {
    Ok((StatusCode::CREATED, Json(vault::create(&state.app, &who, &origin, body).await?)))
}

/// Adds an application from an uploaded QR image (multipart field `image`, PNG or JPEG).
#[utoipa::path(
    post,
    path = "/api/v1/applications/qr",
    tag = "applications",
    request_body(content = QrUpload, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "Created from the QR code", body = ApplicationEnvelope),
        AccessErrors<Writer>,
        (status = 400, description = "`invalid_field` (field `image`: no picture, not PNG/JPEG, not an `otpauth://` URI), `image_too_large` (over 8000 px a side or 12 megapixels), `secret_too_short` (under 80 bits, unless `allow_short_secret` is `true`), `no_qr_code` or `invalid_multipart`", body = ErrorBody),
        (status = 413, description = "`body_too_large`: the picture is over 2 MiB", body = ErrorBody),
        (status = 415, description = "`unsupported_media_type`: not multipart/form-data with a boundary", body = ErrorBody),
        (status = 429, description = "`rate_limited`: more than 30 pictures a minute (see `Retry-After`)", body = ErrorBody)
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn create_from_qr(
    state: St,
    origin: Origin,
    who: Caller,
    form: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<impl IntoResponse, ApiError> {
    // axum answers a missing or boundary-less multipart content type in plain text: the API's
    // error shape instead.
    let mut form = form.map_err(|e| {
        ApiError::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", format!("send the picture as multipart/form-data with a boundary ({})", e.body_text()))
    })?;
    let mut image = None;
    let mut allow_short_secret = false;
    while let Some(field) = form.next_field().await.map_err(|e| multipart_error(&e))? {
        match field.name() {
            Some("image") => image = Some(field.bytes().await.map_err(|e| multipart_error(&e))?),
            Some("allow_short_secret") => {
                let text = field.text().await.map_err(|e| multipart_error(&e))?;
                allow_short_secret = match text.trim() {
                    "true" => true,
                    "false" | "" => false,
                    _ => return Err(AppError::invalid("allow_short_secret", "must be true or false").into()),
                };
            }
            other => {
                let name = other.unwrap_or_default().chars().take(64).collect::<String>();
                return Err(ApiError::new(StatusCode::BAD_REQUEST, "invalid_multipart", format!("unknown field {name:?}: send image and, optionally, allow_short_secret")));
            }
        }
    }
    let image = image.ok_or_else(|| ApiError::from(AppError::invalid("image", "send the picture in a multipart field named image")))?;
    Ok((StatusCode::CREATED, Json(vault::create_from_qr(&state.app, &who, &origin, image.to_vec(), allow_short_secret).await?)))
}

fn multipart_error(e: &axum::extract::multipart::MultipartError) -> ApiError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "body_too_large", format!("the image must be at most {} MiB", MAX_QR_BYTES / 1024 / 1024))
    } else {
        ApiError::new(StatusCode::BAD_REQUEST, "invalid_multipart", e.body_text())
    }
}

/// One application.
#[utoipa::path(
    get,
    path = "/api/v1/applications/{id}",
    tag = "applications",
    params(("id" = String, Path, description = "Application id")),
    responses(
        (status = 200, description = "The application", body = ApplicationEnvelope),
        AccessErrors<Reader>,
        (status = 404, description = "`application_not_found` (also another user's)", body = ErrorBody)
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn get_one(state: St, who: Caller, ApiPath(id): ApiPath<String>) -> Result<Json<ApplicationEnvelope>, ApiError> {
    Ok(Json(vault::get(&state.app, &who, &id).await?))
}

/// Changes any subset of fields; each kind of change is its own event.
#[utoipa::path(
    patch,
    path = "/api/v1/applications/{id}",
    tag = "applications",
    params(("id" = String, Path, description = "Application id")),
    request_body(content = AppBody, description = "Any subset; an absent field is kept, an empty string clears `notes`, `url`, `icon` or `color`", content_type = "application/json"),
    responses(
        (status = 200, description = "The changed application", body = ApplicationEnvelope),
        AccessErrors<Writer>,
        (status = 400, description = "`invalid_field` (`uri` is refused on update; `secret`, `digits`, `period`, `notes`)", body = ErrorBody),
        (status = 404, description = "`application_not_found` (also another user's)", body = ErrorBody),
        (status = 409, description = "`conflict` (changed at the same time; try again)", body = ErrorBody)
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn update(
    state: St,
    origin: Origin,
    who: Caller,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<AppBody>,
) -> Result<Json<ApplicationEnvelope>, ApiError> {
    Ok(Json(vault::update(&state.app, &who, &origin, &id, body).await?))
}

/// Moves to the trash, or with `?purge=true` deletes for good.
#[utoipa::path(
    delete,
    path = "/api/v1/applications/{id}",
    tag = "applications",
    params(("id" = String, Path, description = "Application id"), DeleteQuery),
    responses(
        (status = 204, description = "Moved to the trash, or purged"),
        AccessErrors<Writer>,
        (status = 404, description = "`application_not_found` (also another user's)", body = ErrorBody),
        (status = 409, description = "`application_trashed`: already in the trash (purge it with `?purge=true`)", body = ErrorBody)
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn delete(
    state: St,
    origin: Origin,
    who: Caller,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery<DeleteQuery>,
) -> Result<StatusCode, ApiError> {
    vault::delete(&state.app, &who, &origin, &id, q.purge).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Takes an application out of the trash.
#[utoipa::path(
    post,
    path = "/api/v1/applications/{id}/restore",
    tag = "applications",
    params(("id" = String, Path, description = "Application id")),
    responses(
        (status = 200, description = "Out of the trash", body = ApplicationEnvelope),
        AccessErrors<Writer>,
        (status = 404, description = "`application_not_found` (also another user's)", body = ErrorBody),
        (status = 409, description = "`application_not_trashed`", body = ErrorBody)
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn restore(state: St, origin: Origin, who: Caller, ApiPath(id): ApiPath<String>) -> Result<Json<ApplicationEnvelope>, ApiError> {
    Ok(Json(vault::restore(&state.app, &who, &origin, &id).await?))
}

/// Puts the listed applications in this order (positions 0, 1, …): one append for all of them.
#[utoipa::path(
    put,
    path = "/api/v1/applications/order",
    tag = "applications",
    request_body = OrderBody,
    responses(
        (status = 204, description = "Reordered: the listed ids get positions 0, 1, …"),
        AccessErrors<Writer>,
        (status = 400, description = "`invalid_field` (`ids` repeat)", body = ErrorBody),
        (status = 404, description = "`application_not_found` (field `ids`): an id that is not the caller's", body = ErrorBody)
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn reorder(state: St, origin: Origin, who: Caller, ApiJson(body): ApiJson<OrderBody>) -> Result<StatusCode, ApiError> {
    vault::reorder(&state.app, &who, &origin, body.ids).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Steps an HOTP counter and returns the code for the new counter value.
#[utoipa::path(
    post,
    path = "/api/v1/applications/{id}/hotp/next",
    tag = "applications",
    params(("id" = String, Path, description = "Application id")),
    responses(
        (status = 200, description = "The counter moved on by one", body = HotpNext),
        AccessErrors<Writer>,
        (status = 404, description = "`application_not_found` (also another user's)", body = ErrorBody),
        (status = 409, description = "`not_hotp`, `counter_exhausted` or `application_trashed`", body = ErrorBody)
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn hotp_next(state: St, origin: Origin, who: Caller, ApiPath(id): ApiPath<String>) -> Result<Json<HotpNext>, ApiError> {
    Ok(Json(vault::hotp_next(&state.app, &who, &origin, &id).await?))
}

/// Current and next codes for every application not in the trash, computed on the server.
/// Reading codes never moves an HOTP counter.
#[utoipa::path(
    get,
    path = "/api/v1/applications/codes",
    tag = "applications",
    responses((status = 200, description = "Current and next codes of every application not in the trash", body = CodesResponse), AccessErrors<Reader>),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn codes(state: St, who: Caller) -> Result<Json<CodesResponse>, ApiError> {
    Ok(Json(codes::codes(&state.app, &who).await?))
}

/// The application's secret and its `otpauth://` URI, to move the account to another device.
/// Needs a recent step-up (`POST /auth/reauth`); each reveal is an event in the audit log.
#[utoipa::path(
    get,
    path = "/api/v1/applications/{id}/secret",
    tag = "applications",
    params(("id" = String, Path, description = "Application id")),
    responses(
        (status = 200, description = "The secret (base32) and the URI", body = SecretView),
        AccessErrors<Reader>,
        (status = 403, description = "`reauthentication_required` (step up first), `account_disabled` or `second_factor_enrolment_required`", body = ErrorBody),
        (status = 404, description = "`application_not_found` (also another user's)", body = ErrorBody)
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn secret(state: St, origin: Origin, who: Caller, ApiPath(id): ApiPath<String>) -> Result<Json<SecretView>, ApiError> {
    Ok(Json(vault::reveal_secret(&state.app, &who, &origin, &id).await?))
}
