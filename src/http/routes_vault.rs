//! `/applications/*`: the caller's vault. Every read is filtered by owner and every command
//! names the actor, so another user's application is always "not found".

use aggregates::application::{Algorithm, CreationSource, Metadata, OtpParams, OtpType};
use aggregates::{ApplicationCommand, Sealed, otp};
use axum::Json;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use sqlx::Row;
use uuid::Uuid;
use zeroize::Zeroizing;

use super::auth::Authenticated;
use super::context::RequestContext;
use super::error::{ApiError, ApiJson, ApiPath, ApiQuery};
use super::{ApiState, St, no_content};
use crate::crypto::Opener;

const COLUMNS: &str = "id, issuer, label, otp_type, algorithm, digits, period, counter, tags, favorite, position, notes, url, icon, color, \
                       trashed_at, created_at, updated_at, secret";

fn secret_context(id: &str) -> String {
    format!("application:{id}:secret")
}

fn notes_context(id: &str) -> String {
    format!("application:{id}:notes")
}

fn parse_otp_type(s: &str) -> OtpType {
    match s {
        "hotp" => OtpType::Hotp,
        "steam" => OtpType::Steam,
        _ => OtpType::Totp,
    }
}

fn parse_algorithm(s: &str) -> Algorithm {
    match s {
        "SHA256" => Algorithm::Sha256,
        "SHA512" => Algorithm::Sha512,
        _ => Algorithm::Sha1,
    }
}

/// One application as stored in the read model (secret still sealed).
struct Row_ {
    json: serde_json::Value,
    id: String,
    otp: OtpParams,
    secret: String,
    trashed: bool,
}

fn decode_row(r: &sqlx::any::AnyRow, opener: Option<&Opener>) -> Result<Row_, ApiError> {
    let id: String = r.try_get(0)?;
    let otp_type: String = r.try_get(3)?;
    let algorithm: String = r.try_get(4)?;
    let digits: i64 = r.try_get(5)?;
    let period: i64 = r.try_get(6)?;
    let counter: i64 = r.try_get(7)?;
    let tags: String = r.try_get(8)?;
    let notes: Option<String> = r.try_get(11)?;
    let trashed_at: Option<String> = r.try_get(15)?;
    let notes_plain = match (notes.and_then(Sealed::new), opener) {
        (Some(sealed), Some(o)) => o.open(&notes_context(&id), &sealed).ok().map(|b| String::from_utf8_lossy(&b).into_owned()),
        _ => None,
    };
    let otp = OtpParams {
        otp_type: parse_otp_type(&otp_type),
        algorithm: parse_algorithm(&algorithm),
        digits: u8::try_from(digits).unwrap_or(6),
        period: u32::try_from(period).unwrap_or(30),
        counter: u64::try_from(counter).unwrap_or(0),
    };
    let json = serde_json::json!({
        "id": id,
        "issuer": r.try_get::<String, _>(1)?,
        "label": r.try_get::<String, _>(2)?,
        "otp_type": otp_type,
        "algorithm": algorithm,
        "digits": digits,
        "period": period,
        "counter": counter,
        "tags": serde_json::from_str::<serde_json::Value>(&tags).unwrap_or_default(),
        "favorite": r.try_get::<i64, _>(9)? != 0,
        "position": r.try_get::<i64, _>(10)?,
        "notes": notes_plain,
        "url": r.try_get::<Option<String>, _>(12)?,
        "icon": r.try_get::<Option<String>, _>(13)?,
        "color": r.try_get::<Option<String>, _>(14)?,
        "trashed_at": trashed_at,
        "created_at": r.try_get::<String, _>(16)?,
        "updated_at": r.try_get::<String, _>(17)?,
    });
    Ok(Row_ { json, id, otp, secret: r.try_get(18)?, trashed: trashed_at.is_some() })
}

async fn load_one(state: &ApiState, who: &Authenticated, id: &str) -> Result<Row_, ApiError> {
    let sql = format!("SELECT {COLUMNS} FROM applications WHERE id = $1 AND owner_id = $2");
    let row = sqlx::query(&sql)
        .bind(id.to_owned())
        .bind(who.user_id.to_string())
        .fetch_optional(&state.app.db.pool)
        .await?
        .ok_or_else(|| ApiError::not_found("application_not_found"))?;
    let opener = state.app.keyring.opener(&who.user_id.to_string()).await.map_err(ApiError::internal)?;
    decode_row(&row, Some(&opener))
}

/// List filters.
#[derive(Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// Case-insensitive search in issuer, label and tags.
    #[serde(default)]
    q: Option<String>,
    /// Only applications with this tag (case-insensitive).
    #[serde(default)]
    tag: Option<String>,
    /// Only favourites (`true`) or only the others (`false`).
    #[serde(default)]
    favorite: Option<bool>,
    /// `true`: the trash instead of the vault.
    #[serde(default)]
    trashed: Option<bool>,
}

/// The caller's applications in their order, filtered.
#[utoipa::path(
    get,
    path = "/api/v1/applications",
    tag = "applications",
    params(ListQuery),
    responses(
        (status = 200, description = "The caller's applications in their order", body = super::openapi::ApplicationList),
        (status = 400, description = "`invalid_query` (a query parameter that does not parse or is unknown)", body = super::openapi::ErrorBody),
        (status = 401, description = "`unauthenticated`, `invalid_token` or `session_revoked`: no live session", body = super::openapi::ErrorBody),
        (status = 403, description = "`account_disabled`", body = super::openapi::ErrorBody)
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn list(state: St, who: Authenticated, ApiQuery(q): ApiQuery<ListQuery>) -> Result<Json<serde_json::Value>, ApiError> {
    let sql = format!("SELECT {COLUMNS} FROM applications WHERE owner_id = $1 ORDER BY position, created_at");
    let rows = sqlx::query(&sql).bind(who.user_id.to_string()).fetch_all(&state.app.db.pool).await?;
    let opener = state.app.keyring.opener(&who.user_id.to_string()).await.map_err(ApiError::internal)?;
    let needle = q.q.as_deref().map(str::to_lowercase).filter(|n| !n.is_empty());
    let mut out = Vec::new();
    for r in &rows {
        let row = decode_row(r, Some(&opener))?;
        let j = &row.json;
        let tags: Vec<String> = j["tags"].as_array().map(|a| a.iter().filter_map(|t| t.as_str().map(str::to_owned)).collect()).unwrap_or_default();
        if row.trashed != q.trashed.unwrap_or(false) {
            continue;
        }
        if q.favorite.is_some_and(|f| j["favorite"] != f) {
            continue;
        }
        if q.tag.as_deref().is_some_and(|t| !tags.iter().any(|x| x.eq_ignore_ascii_case(t))) {
            continue;
        }
        if let Some(n) = &needle {
            let hay = format!("{} {} {}", j["issuer"].as_str().unwrap_or(""), j["label"].as_str().unwrap_or(""), tags.join(" ")).to_lowercase();
            if !hay.contains(n.as_str()) {
                continue;
            }
        }
        out.push(row.json);
    }
    Ok(Json(serde_json::json!({ "applications": out })))
}

/// Create or update body. On create, either `uri` or `secret` is required. On update, an
/// absent field is kept and an empty string clears `notes`, `url`, `icon` or `color`.
#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AppBody {
    /// An `otpauth://totp/…` or `otpauth://hotp/…` URI (create only).
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    uri: Option<Zeroizing<String>>,
    #[serde(default)]
    issuer: Option<String>,
    #[serde(default)]
    label: Option<String>,
    /// Base32 secret (spaces and case ignored); never returned.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    secret: Option<Zeroizing<String>>,
    /// OTP scheme (default `totp`; `steam` implies 5 digits).
    #[serde(default)]
    otp_type: Option<OtpType>,
    #[serde(default)]
    algorithm: Option<Algorithm>,
    /// Code length: 6–8 (Steam: 5).
    #[serde(default)]
    digits: Option<u8>,
    /// Time step in seconds, 1–300 (default 30).
    #[serde(default)]
    period: Option<u32>,
    /// HOTP counter (default 0).
    #[serde(default)]
    counter: Option<u64>,
    #[serde(default)]
    tags: Option<Vec<String>>,
    #[serde(default)]
    favorite: Option<bool>,
    /// Notes, at most 10,000 characters (stored encrypted).
    #[serde(default)]
    notes: Option<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    icon: Option<String>,
    #[serde(default)]
    color: Option<String>,
}

fn otp_error(e: &otp::OtpError) -> ApiError {
    ApiError::invalid(e.field, e.message.clone())
}

async fn seal(state: &ApiState, owner: &str, context: &str, plaintext: &[u8]) -> Result<Sealed, ApiError> {
    state.app.keyring.seal(owner, context, plaintext).await.map_err(ApiError::internal)
}

async fn seal_notes(state: &ApiState, owner: &str, id: &str, notes: Option<String>) -> Result<Option<Sealed>, ApiError> {
    match notes.filter(|n| !n.trim().is_empty()) {
        None => Ok(None),
        Some(n) if n.chars().count() > 10_000 => Err(ApiError::invalid("notes", "notes must be at most 10000 characters")),
        Some(n) => Ok(Some(seal(state, owner, &notes_context(id), n.as_bytes()).await?)),
    }
}

/// Adds an application from fields or from an `otpauth://` URI (fields then override).
#[utoipa::path(
    post,
    path = "/api/v1/applications",
    tag = "applications",
    request_body(content = AppBody, description = "Either `uri` (an `otpauth://` URI; other fields then override it) or `secret` (base32) with optional parameters", content_type = "application/json"),
    responses(
        (status = 201, description = "Created", body = super::openapi::ApplicationEnvelope),
        (status = 400, description = "`malformed_json` or `invalid_body` (wrong shape or unknown field) or `invalid_field` (e.g. `uri`, `secret`, `digits`, `period`, `notes`)", body = super::openapi::ErrorBody),
        (status = 401, description = "`unauthenticated`, `invalid_token` or `session_revoked`: no live session", body = super::openapi::ErrorBody),
        (status = 403, description = "`account_disabled`, or `csrf_failed` (cookie sign-in without a matching `X-CSRF-Token`)", body = super::openapi::ErrorBody),
        (status = 413, description = "`body_too_large`: over 64 KiB", body = super::openapi::ErrorBody),
        (status = 415, description = "`unsupported_media_type`: the body must be `application/json`", body = super::openapi::ErrorBody)
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn create(state: St, ctx: RequestContext, who: Authenticated, ApiJson(body): ApiJson<AppBody>) -> Result<Response, ApiError> {
    create_app(&state, &ctx, &who, body, None).await
}

/// Largest QR image upload.
pub const MAX_QR_BYTES: usize = 2 * 1024 * 1024;

/// Adds an application from an uploaded QR image (multipart field `image`, PNG or JPEG).
#[utoipa::path(
    post,
    path = "/api/v1/applications/qr",
    tag = "applications",
    request_body(content = super::openapi::QrUpload, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "Created from the QR code", body = super::openapi::ApplicationEnvelope),
        (status = 400, description = "`invalid_field` (field `image`: no picture, not PNG/JPEG, not an `otpauth://` URI), `no_qr_code` or `invalid_multipart`", body = super::openapi::ErrorBody),
        (status = 401, description = "`unauthenticated`, `invalid_token` or `session_revoked`: no live session", body = super::openapi::ErrorBody),
        (status = 403, description = "`account_disabled`, or `csrf_failed` (cookie sign-in without a matching `X-CSRF-Token`)", body = super::openapi::ErrorBody),
        (status = 413, description = "`body_too_large`: the picture is over 2 MiB", body = super::openapi::ErrorBody)
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn create_from_qr(state: St, ctx: RequestContext, who: Authenticated, mut form: axum::extract::Multipart) -> Result<Response, ApiError> {
    let mut image = None;
    while let Some(field) = form.next_field().await.map_err(|e| multipart_error(&e))? {
        if field.name() == Some("image") {
            image = Some(field.bytes().await.map_err(|e| multipart_error(&e))?);
        }
    }
    let bytes = image.ok_or_else(|| ApiError::invalid("image", "send the picture in a multipart field named image"))?;
    let text = tokio::task::spawn_blocking(move || decode_qr(&bytes)).await.map_err(ApiError::internal)??;
    let body = AppBody { uri: Some(Zeroizing::new(text)), ..AppBody::default() };
    create_app(&state, &ctx, &who, body, Some(CreationSource::Qr)).await
}

fn multipart_error(e: &axum::extract::multipart::MultipartError) -> ApiError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "body_too_large", format!("the image must be at most {} MiB", MAX_QR_BYTES / 1024 / 1024))
    } else {
        ApiError::new(StatusCode::BAD_REQUEST, "invalid_multipart", e.body_text())
    }
}

/// Decodes the first QR code in a PNG or JPEG, refusing oversized pictures before decoding
/// (decompression bombs).
fn decode_qr(bytes: &[u8]) -> Result<String, ApiError> {
    let bad = || ApiError::invalid("image", "the file is not a PNG or JPEG picture");
    let mut reader = image::ImageReader::new(std::io::Cursor::new(bytes)).with_guessed_format().map_err(|_| bad())?;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(6000);
    limits.max_image_height = Some(6000);
    limits.max_alloc = Some(128 * 1024 * 1024);
    reader.limits(limits);
    let picture = reader.decode().map_err(|_| bad())?.to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(picture);
    let grids = prepared.detect_grids();
    let no_qr = || ApiError::new(StatusCode::BAD_REQUEST, "no_qr_code", "no readable QR code was found in the picture").field("image");
    let (_, content) = grids.first().ok_or_else(no_qr)?.decode().map_err(|_| no_qr())?;
    Ok(content)
}

async fn create_app(
    state: &ApiState,
    ctx: &RequestContext,
    who: &Authenticated,
    body: AppBody,
    forced_source: Option<CreationSource>,
) -> Result<Response, ApiError> {
    let owner = who.user_id.to_string();
    let id = Uuid::now_v7();
    let (issuer, label, secret, mut params, source) = if let Some(uri) = &body.uri {
        let parsed = otp::parse_uri(uri).map_err(|e| otp_error(&e))?;
        (parsed.issuer, parsed.label, Zeroizing::new(parsed.secret), parsed.params, CreationSource::Uri)
    } else {
        let text = body.secret.as_ref().ok_or_else(|| ApiError::invalid("secret", "give a base32 secret or an otpauth:// uri"))?;
        let secret = Zeroizing::new(otp::decode_secret(text).map_err(|e| otp_error(&e))?);
        let params = OtpParams { otp_type: OtpType::Totp, algorithm: Algorithm::Sha1, digits: 6, period: 30, counter: 0 };
        (String::new(), String::new(), secret, params, CreationSource::Fields)
    };
    if let Some(t) = body.otp_type {
        params.otp_type = t;
        if t == OtpType::Steam {
            params.digits = 5;
        }
    }
    params.algorithm = body.algorithm.unwrap_or(params.algorithm);
    params.digits = body.digits.unwrap_or(params.digits);
    params.period = body.period.unwrap_or(params.period);
    params.counter = body.counter.unwrap_or(params.counter);
    let source = forced_source.unwrap_or(source);
    let sealed = seal(state, &owner, &secret_context(&id.to_string()), &secret).await?;
    let notes = seal_notes(state, &owner, &id.to_string(), body.notes).await?;
    let position: i64 = sqlx::query("SELECT COALESCE(MAX(position), -1) + 1 FROM applications WHERE owner_id = $1")
        .bind(&owner)
        .fetch_one(&state.app.db.pool)
        .await?
        .try_get(0)?;
    let cmd = ApplicationCommand::Create {
        id,
        owner_id: who.user_id,
        issuer: body.issuer.unwrap_or(issuer),
        label: body.label.unwrap_or(label),
        secret: sealed,
        otp: params,
        tags: body.tags.unwrap_or_default(),
        favorite: body.favorite.unwrap_or(false),
        metadata: Metadata { notes, url: body.url, icon: body.icon, color: body.color },
        position,
        source,
        at: Utc::now(),
    };
    let meta = who.meta(ctx);
    state.app.execute(&state.app.applications, &id.to_string(), cmd, &meta).await?;
    let row = load_one(state, who, &id.to_string()).await?;
    Ok((StatusCode::CREATED, Json(serde_json::json!({ "application": row.json }))).into_response())
}

/// One application.
#[utoipa::path(
    get,
    path = "/api/v1/applications/{id}",
    tag = "applications",
    params(("id" = String, Path, description = "Application id")),
    responses(
        (status = 200, description = "The application", body = super::openapi::ApplicationEnvelope),
        (status = 401, description = "`unauthenticated`, `invalid_token` or `session_revoked`: no live session", body = super::openapi::ErrorBody),
        (status = 403, description = "`account_disabled`", body = super::openapi::ErrorBody),
        (status = 404, description = "`application_not_found` (also another user's)", body = super::openapi::ErrorBody)
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn get_one(state: St, who: Authenticated, ApiPath(id): ApiPath<String>) -> Result<Json<serde_json::Value>, ApiError> {
    Ok(Json(serde_json::json!({ "application": load_one(&state, &who, &id).await?.json })))
}

/// Changes any subset of fields; each kind of change is its own event.
#[utoipa::path(
    patch,
    path = "/api/v1/applications/{id}",
    tag = "applications",
    params(("id" = String, Path, description = "Application id")),
    request_body(content = AppBody, description = "Any subset; an absent field is kept, an empty string clears `notes`, `url`, `icon` or `color`", content_type = "application/json"),
    responses(
        (status = 200, description = "The changed application", body = super::openapi::ApplicationEnvelope),
        (status = 400, description = "`malformed_json` or `invalid_body` (wrong shape or unknown field) or `invalid_field` (`uri` is refused on update)", body = super::openapi::ErrorBody),
        (status = 401, description = "`unauthenticated`, `invalid_token` or `session_revoked`: no live session", body = super::openapi::ErrorBody),
        (status = 403, description = "`account_disabled`, or `csrf_failed` (cookie sign-in without a matching `X-CSRF-Token`)", body = super::openapi::ErrorBody),
        (status = 404, description = "`application_not_found` (also another user's)", body = super::openapi::ErrorBody),
        (status = 409, description = "`application_trashed` or `conflict`", body = super::openapi::ErrorBody),
        (status = 413, description = "`body_too_large`: over 64 KiB", body = super::openapi::ErrorBody),
        (status = 415, description = "`unsupported_media_type`: the body must be `application/json`", body = super::openapi::ErrorBody)
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn update(
    state: St,
    ctx: RequestContext,
    who: Authenticated,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<AppBody>,
) -> Result<Json<serde_json::Value>, ApiError> {
    if body.uri.is_some() {
        return Err(ApiError::invalid("uri", "a URI can only be used to create an application"));
    }
    let current = load_one(&state, &who, &id).await?;
    let owner = who.user_id.to_string();
    let actor = who.user_id;
    let j = &current.json;
    let mut commands = Vec::new();
    if body.issuer.is_some() || body.label.is_some() {
        commands.push(ApplicationCommand::Rename {
            actor,
            issuer: body.issuer.clone().unwrap_or_else(|| j["issuer"].as_str().unwrap_or_default().to_owned()),
            label: body.label.clone().unwrap_or_else(|| j["label"].as_str().unwrap_or_default().to_owned()),
        });
    }
    if let Some(text) = &body.secret {
        let secret = Zeroizing::new(otp::decode_secret(text).map_err(|e| otp_error(&e))?);
        commands.push(ApplicationCommand::ReplaceSecret { actor, secret: seal(&state, &owner, &secret_context(&id), &secret).await? });
    }
    if body.otp_type.is_some() || body.algorithm.is_some() || body.digits.is_some() || body.period.is_some() || body.counter.is_some() {
        let mut otp = current.otp;
        if let Some(t) = body.otp_type {
            otp.otp_type = t;
            if t == OtpType::Steam && body.digits.is_none() {
                otp.digits = 5;
            }
        }
        otp.algorithm = body.algorithm.unwrap_or(otp.algorithm);
        otp.digits = body.digits.unwrap_or(otp.digits);
        otp.period = body.period.unwrap_or(otp.period);
        otp.counter = body.counter.unwrap_or(otp.counter);
        commands.push(ApplicationCommand::ChangeOtpParameters { actor, otp });
    }
    if body.notes.is_some() || body.url.is_some() || body.icon.is_some() || body.color.is_some() {
        let keep = |k: &str| j[k].as_str().map(str::to_owned);
        let notes = match body.notes {
            Some(n) => seal_notes(&state, &owner, &id, Some(n)).await?,
            None => match sqlx::query("SELECT notes FROM applications WHERE id = $1")
                .bind(&id)
                .fetch_one(&state.app.db.pool)
                .await?
                .try_get::<Option<String>, _>(0)?
            {
                Some(s) => Sealed::new(s),
                None => None,
            },
        };
        let metadata = Metadata {
            notes,
            url: body.url.or_else(|| keep("url")),
            icon: body.icon.or_else(|| keep("icon")),
            color: body.color.or_else(|| keep("color")),
        };
        commands.push(ApplicationCommand::ChangeMetadata { actor, metadata });
    }
    if let Some(tags) = body.tags {
        commands.push(ApplicationCommand::ChangeTags { actor, tags });
    }
    if let Some(favorite) = body.favorite {
        commands.push(ApplicationCommand::SetFavorite { actor, favorite });
    }
    let meta = who.meta(&ctx);
    for cmd in commands {
        state.app.execute(&state.app.applications, &id, cmd, &meta).await?;
    }
    Ok(Json(serde_json::json!({ "application": load_one(&state, &who, &id).await?.json })))
}

/// `DELETE` options.
#[derive(Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DeleteQuery {
    /// `true`: delete for good instead of moving to the trash.
    #[serde(default)]
    purge: bool,
}

/// Moves to the trash, or with `?purge=true` deletes for good.
#[utoipa::path(
    delete,
    path = "/api/v1/applications/{id}",
    tag = "applications",
    params(("id" = String, Path, description = "Application id"), DeleteQuery),
    responses(
        (status = 204, description = "Moved to the trash, or purged"),
        (status = 400, description = "`invalid_query` (a query parameter that does not parse or is unknown)", body = super::openapi::ErrorBody),
        (status = 401, description = "`unauthenticated`, `invalid_token` or `session_revoked`: no live session", body = super::openapi::ErrorBody),
        (status = 403, description = "`account_disabled`, or `csrf_failed` (cookie sign-in without a matching `X-CSRF-Token`)", body = super::openapi::ErrorBody),
        (status = 404, description = "`application_not_found` (also another user's)", body = super::openapi::ErrorBody)
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn delete(
    state: St,
    ctx: RequestContext,
    who: Authenticated,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery<DeleteQuery>,
) -> Result<Response, ApiError> {
    load_one(&state, &who, &id).await?;
    let cmd = if q.purge {
        ApplicationCommand::Purge { actor: who.user_id, at: Utc::now() }
    } else {
        ApplicationCommand::Trash { actor: who.user_id, at: Utc::now() }
    };
    state.app.execute(&state.app.applications, &id, cmd, &who.meta(&ctx)).await?;
    Ok(no_content())
}

/// Takes an application out of the trash.
#[utoipa::path(
    post,
    path = "/api/v1/applications/{id}/restore",
    tag = "applications",
    params(("id" = String, Path, description = "Application id")),
    responses(
        (status = 200, description = "Out of the trash", body = super::openapi::ApplicationEnvelope),
        (status = 401, description = "`unauthenticated`, `invalid_token` or `session_revoked`: no live session", body = super::openapi::ErrorBody),
        (status = 403, description = "`account_disabled`, or `csrf_failed` (cookie sign-in without a matching `X-CSRF-Token`)", body = super::openapi::ErrorBody),
        (status = 404, description = "`application_not_found` (also another user's)", body = super::openapi::ErrorBody),
        (status = 409, description = "`application_not_trashed`", body = super::openapi::ErrorBody)
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn restore(state: St, ctx: RequestContext, who: Authenticated, ApiPath(id): ApiPath<String>) -> Result<Json<serde_json::Value>, ApiError> {
    load_one(&state, &who, &id).await?;
    let cmd = ApplicationCommand::Restore { actor: who.user_id };
    state.app.execute(&state.app.applications, &id, cmd, &who.meta(&ctx)).await?;
    Ok(Json(serde_json::json!({ "application": load_one(&state, &who, &id).await?.json })))
}

/// `PUT /applications/order` body.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderBody {
    /// Application ids in the wanted order.
    ids: Vec<String>,
}

/// Puts the listed applications in this order (positions 0, 1, …); unknown ids are "not found".
#[utoipa::path(
    put,
    path = "/api/v1/applications/order",
    tag = "applications",
    request_body = OrderBody,
    responses(
        (status = 204, description = "Reordered: the listed ids get positions 0, 1, …"),
        (status = 400, description = "`malformed_json` or `invalid_body` (wrong shape or unknown field) or `invalid_field` (`ids` repeat)", body = super::openapi::ErrorBody),
        (status = 401, description = "`unauthenticated`, `invalid_token` or `session_revoked`: no live session", body = super::openapi::ErrorBody),
        (status = 403, description = "`account_disabled`, or `csrf_failed` (cookie sign-in without a matching `X-CSRF-Token`)", body = super::openapi::ErrorBody),
        (status = 404, description = "`application_not_found` (field `ids`): an id that is not the caller's", body = super::openapi::ErrorBody),
        (status = 413, description = "`body_too_large`: over 64 KiB", body = super::openapi::ErrorBody),
        (status = 415, description = "`unsupported_media_type`: the body must be `application/json`", body = super::openapi::ErrorBody)
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn reorder(state: St, ctx: RequestContext, who: Authenticated, ApiJson(body): ApiJson<OrderBody>) -> Result<Response, ApiError> {
    let owner = who.user_id.to_string();
    let rows = sqlx::query("SELECT id FROM applications WHERE owner_id = $1").bind(&owner).fetch_all(&state.app.db.pool).await?;
    let mine: std::collections::HashSet<String> = rows.iter().map(|r| r.try_get::<String, _>(0)).collect::<Result<_, _>>()?;
    if body.ids.iter().any(|id| !mine.contains(id)) {
        return Err(ApiError::not_found("application_not_found").field("ids"));
    }
    if body.ids.iter().collect::<std::collections::HashSet<_>>().len() != body.ids.len() {
        return Err(ApiError::invalid("ids", "ids must not repeat"));
    }
    let meta = who.meta(&ctx);
    for (position, id) in body.ids.iter().enumerate() {
        let cmd = ApplicationCommand::Move { actor: who.user_id, position: position as i64 };
        state.app.execute(&state.app.applications, id, cmd, &meta).await?;
    }
    Ok(no_content())
}

/// Steps an HOTP counter and returns the code for the new counter value.
#[utoipa::path(
    post,
    path = "/api/v1/applications/{id}/hotp/next",
    tag = "applications",
    params(("id" = String, Path, description = "Application id")),
    responses(
        (status = 200, description = "The counter moved on by one", body = super::openapi::HotpNext),
        (status = 401, description = "`unauthenticated`, `invalid_token` or `session_revoked`: no live session", body = super::openapi::ErrorBody),
        (status = 403, description = "`account_disabled`, or `csrf_failed` (cookie sign-in without a matching `X-CSRF-Token`)", body = super::openapi::ErrorBody),
        (status = 404, description = "`application_not_found` (also another user's)", body = super::openapi::ErrorBody),
        (status = 409, description = "`not_hotp` or `counter_exhausted`", body = super::openapi::ErrorBody)
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn hotp_next(
    state: St,
    ctx: RequestContext,
    who: Authenticated,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    load_one(&state, &who, &id).await?;
    let owner = who.user_id.to_string();
    let cmd = ApplicationCommand::AdvanceHotpCounter { actor: who.user_id };
    state.app.execute(&state.app.applications, &id, cmd, &who.meta(&ctx)).await?;
    let row = load_one(&state, &who, &id).await?;
    let opener = state.app.keyring.opener(&owner).await.map_err(ApiError::internal)?;
    let secret = open_secret(&opener, &row)?;
    let codes = otp::codes(&row.otp, &secret, 0);
    Ok(Json(serde_json::json!({ "id": id, "counter": row.otp.counter, "code": codes.code, "next_code": codes.next_code })))
}

fn open_secret(opener: &Opener, row: &Row_) -> Result<Zeroizing<Vec<u8>>, ApiError> {
    let sealed = Sealed::new(row.secret.clone()).ok_or_else(|| ApiError::internal("stored secret is not sealed"))?;
    opener.open(&secret_context(&row.id), &sealed).map_err(ApiError::internal)
}

/// Current and next codes for every application not in the trash, computed on the server.
/// Reading codes never moves an HOTP counter.
#[utoipa::path(
    get,
    path = "/api/v1/applications/codes",
    tag = "applications",
    responses(
        (status = 200, description = "Current and next codes of every application not in the trash", body = super::openapi::CodesResponse),
        (status = 401, description = "`unauthenticated`, `invalid_token` or `session_revoked`: no live session", body = super::openapi::ErrorBody),
        (status = 403, description = "`account_disabled`", body = super::openapi::ErrorBody)
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn codes(state: St, who: Authenticated) -> Result<Json<CodesOut>, ApiError> {
    let owner = who.user_id.to_string();
    // The owner's vault version moves with every projected event on one of their applications,
    // whichever replica wrote it (they share the database): while it stands still, the vault is
    // unchanged. No row yet means no application event since the table was introduced.
    let version: i64 = match sqlx::query(VAULT_VERSION).bind(&owner).fetch_optional(&state.app.db.pool).await? {
        Some(row) => row.try_get(0)?,
        None => 0,
    };
    let now = (state.clock)();
    let unix = u64::try_from(now.timestamp()).unwrap_or(0);
    let snapshot = match state.codes_cache.get(&owner) {
        Some(s) if s.version == version && s.items.iter().all(|i| i.step.is_none_or(|step| unix / u64::from(i.period) == step)) => s,
        _ => {
            let fresh = Arc::new(compute_codes(&state, &owner, version, unix).await?);
            state.codes_cache.put(owner, fresh.clone());
            fresh
        }
    };
    let codes = snapshot
        .items
        .iter()
        .map(|i| CodeOut {
            id: i.id.clone(),
            code: i.code.clone(),
            next_code: i.next_code.clone(),
            period: i.period,
            remaining: if i.step.is_some() { i.period - (unix % u64::from(i.period)) as u32 } else { 0 },
        })
        .collect();
    Ok(Json(CodesOut { server_time: now.timestamp_millis(), codes }))
}

const VAULT_VERSION: &str = "SELECT position FROM vault_versions WHERE owner_id = $1";

/// `GET /applications/codes` answer.
#[derive(Serialize)]
pub struct CodesOut {
    server_time: i64,
    codes: Vec<CodeOut>,
}

/// One application's codes.
#[derive(Serialize)]
pub struct CodeOut {
    id: String,
    code: String,
    next_code: String,
    period: u32,
    remaining: u32,
}

/// One owner's codes as computed at one vault version: reused until the vault changes or a TOTP
/// period ends. It holds only codes that the endpoint hands out anyway, never a secret.
#[derive(Debug)]
pub struct CodesSnapshot {
    version: i64,
    items: Vec<CachedCode>,
}

#[derive(Debug)]
struct CachedCode {
    id: String,
    code: String,
    next_code: String,
    period: u32,
    /// The time step the codes belong to (TOTP and Steam); `None` for HOTP, whose codes change
    /// only with the counter, i.e. with the vault version.
    step: Option<u64>,
}

async fn compute_codes(state: &ApiState, owner: &str, version: i64, unix: u64) -> Result<CodesSnapshot, ApiError> {
    // Only what codes need: no JSON document per application on this path.
    let rows = sqlx::query(
        "SELECT id, otp_type, algorithm, digits, period, counter, secret FROM applications \
         WHERE owner_id = $1 AND trashed_at IS NULL ORDER BY position, created_at",
    )
    .bind(owner)
    .fetch_all(&state.app.db.pool)
    .await?;
    let opener = state.app.keyring.opener(owner).await.map_err(ApiError::internal)?;
    let mut items = Vec::with_capacity(rows.len());
    for r in &rows {
        let id: String = r.try_get(0)?;
        let otp = OtpParams {
            otp_type: parse_otp_type(&r.try_get::<String, _>(1)?),
            algorithm: parse_algorithm(&r.try_get::<String, _>(2)?),
            digits: u8::try_from(r.try_get::<i64, _>(3)?).unwrap_or(6),
            period: u32::try_from(r.try_get::<i64, _>(4)?).unwrap_or(30),
            counter: u64::try_from(r.try_get::<i64, _>(5)?).unwrap_or(0),
        };
        let sealed = Sealed::new(r.try_get::<String, _>(6)?).ok_or_else(|| ApiError::internal("stored secret is not sealed"))?;
        let secret = opener.open(&secret_context(&id), &sealed).map_err(ApiError::internal)?;
        let c = otp::codes(&otp, &secret, unix);
        let step = (otp.otp_type != OtpType::Hotp).then(|| unix / u64::from(c.period));
        items.push(CachedCode { id, code: c.code, next_code: c.next_code, period: c.period, step });
    }
    Ok(CodesSnapshot { version, items })
}
