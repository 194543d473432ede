//! The caller's vault. Every read is filtered by owner and every command names the actor, so
//! another user's application is always "not found".

use std::collections::HashSet;

use aggregates::application::{Algorithm, CreationSource, Metadata, OtpParams, OtpType};
use aggregates::{ApplicationCommand, ApplicationEvent, ErrorKind, Sealed, otp};
use projections::read::applications::{self as read, ApplicationRow};
use zeroize::Zeroizing;

use super::caller::{Caller, Origin};
use super::error::AppError;
use super::{App, present, ratelimit};
use crate::crypto::context;
use crate::views::factors::SecretView;
use crate::views::vault::{AppBody, ApplicationEnvelope, ApplicationList, HotpNext, ListQuery};

/// Longest notes, in characters.
const MAX_NOTES: usize = 10_000;

/// The caller's application, or `application_not_found` (also for another user's).
async fn load(app: &App, caller: &Caller, id: &str) -> Result<ApplicationRow, AppError> {
    read::of_owner_by_id(&app.db.pool, &caller.user_id.to_string(), id).await?.ok_or_else(|| AppError::not_found("application_not_found"))
}

/// The application as the API shows it.
async fn envelope(app: &App, caller: &Caller, id: &str) -> Result<ApplicationEnvelope, AppError> {
    let row = load(app, caller, id).await?;
    let opener = app.keyring.opener(&row.owner_id).await?;
    Ok(ApplicationEnvelope { application: present::application(row, &opener) })
}

/// The caller's applications in their order, filtered (the trash only with `trashed=true`).
pub async fn list(app: &App, caller: &Caller, q: ListQuery) -> Result<ApplicationList, AppError> {
    let owner = caller.user_id.to_string();
    let rows = read::of_owner(&app.db.pool, &owner).await?;
    let opener = app.keyring.opener(&owner).await?;
    let needle = q.q.as_deref().map(str::to_lowercase).filter(|n| !n.is_empty());
    let wanted = |row: &ApplicationRow| {
        row.trashed_at.is_some() == q.trashed.unwrap_or(false)
            && q.favorite.is_none_or(|f| row.favorite == f)
            && q.tag.as_deref().is_none_or(|t| row.tags.iter().any(|x| x.eq_ignore_ascii_case(t)))
            && needle.as_ref().is_none_or(|n| format!("{} {} {}", row.issuer, row.label, row.tags.join(" ")).to_lowercase().contains(n.as_str()))
    };
    let applications = rows.into_iter().filter(wanted).map(|row| present::application(row, &opener)).collect();
    Ok(ApplicationList { applications })
}

/// One of the caller's applications.
pub async fn get(app: &App, caller: &Caller, id: &str) -> Result<ApplicationEnvelope, AppError> {
    envelope(app, caller, id).await
}

fn otp_error(e: &otp::OtpError) -> AppError {
    // A base32 secret's validity (RFC 4648 §6 block lengths, at most 256 bytes) goes beyond the
    // character pattern the API document gives it: its own code, as `invalid_otpauth_uri`.
    let code = if e.field == "secret" { "invalid_secret" } else { "invalid_field" };
    AppError::refused(ErrorKind::Invalid, code, e.message.clone()).field(e.field)
}

/// Seals notes for the application; blank notes are none.
async fn seal_notes(app: &App, owner: &str, id: &str, notes: Option<String>) -> Result<Option<Sealed>, AppError> {
    match notes.filter(|n| !n.trim().is_empty()) {
        None => Ok(None),
        Some(n) if n.chars().count() > MAX_NOTES => Err(AppError::invalid("notes", format!("notes must be at most {MAX_NOTES} characters"))),
        Some(n) => Ok(Some(app.keyring.seal(owner, &context::application_notes(id), n.as_bytes()).await?)),
    }
}

/// Adds an application from fields or from an `otpauth://` URI (the fields then override it).
pub async fn create(app: &App, caller: &Caller, origin: &Origin, body: AppBody) -> Result<ApplicationEnvelope, AppError> {
    create_from(app, caller, origin, body, None).await
}

/// Adds an application from a PNG or JPEG picture of an `otpauth://` QR code.
pub async fn create_from_qr(app: &App, caller: &Caller, origin: &Origin, image: Vec<u8>, allow_short_secret: bool) -> Result<ApplicationEnvelope, AppError> {
    ratelimit::hit(app, ratelimit::QR_PER_USER, &caller.user_id.to_string()).await?;
    // Decoding is CPU and memory work: off the async runtime, and only a few at a time, so that
    // parallel uploads queue (holding only their compressed bytes) instead of each holding a
    // decoded picture (issue 14: 16 parallel worst-case uploads peaked at 2.39 GiB).
    let _permit = QR_DECODERS.acquire().await.map_err(AppError::internal)?;
    let text = tokio::task::spawn_blocking(move || decode_qr(&image)).await.map_err(AppError::internal)??;
    let body = AppBody { uri: Some(Zeroizing::new(text)), allow_short_secret: Some(allow_short_secret), ..AppBody::default() };
    create_from(app, caller, origin, body, Some(CreationSource::Qr)).await
}

/// Secrets shorter than this (80 bits) are refused unless the user confirms: RFC 4226 §4 asks
/// for at least 128 bits, but some services still issue 80-bit secrets, which are accepted.
pub const MIN_SECRET_BYTES: usize = 10;

/// Refuses a secret under [`MIN_SECRET_BYTES`] unless the user confirmed it.
fn check_secret_length(secret: &[u8], allow_short_secret: Option<bool>) -> Result<(), AppError> {
    if secret.len() >= MIN_SECRET_BYTES || allow_short_secret == Some(true) {
        return Ok(());
    }
    let message = format!(
        "the secret is only {} bits; RFC 4226 §4 asks for at least 128 and recommends 160, so its codes are easier to guess. Send allow_short_secret: true to use it anyway",
        secret.len() * 8
    );
    Err(AppError::refused(ErrorKind::Invalid, "secret_too_short", message).field("secret"))
}

/// Pictures decoded at once, process-wide.
static QR_DECODERS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// Largest picture side decoded, in pixels.
pub const MAX_QR_SIDE: u32 = 8000;

/// Largest picture decoded, in pixels (a 12-megapixel phone photo; a screenshot is far less).
pub const MAX_QR_PIXELS: u64 = 12_000_000;

/// Pictures are scaled down to this side before QR detection: a QR code readable on a phone
/// screen stays readable, and detection works on at most ~2.6 MB.
const QR_DETECT_SIDE: u32 = 1600;

/// Decodes the first QR code in a PNG or JPEG, refusing oversized pictures from their header,
/// before any pixel is decoded (decompression bombs), and bounding what decoding may allocate.
fn decode_qr(bytes: &[u8]) -> Result<String, AppError> {
    let bad = || AppError::refused(ErrorKind::Invalid, "invalid_image", "the file is not a PNG or JPEG picture").field("image");
    let reader = image::ImageReader::new(std::io::Cursor::new(bytes)).with_guessed_format().map_err(|_| bad())?;
    let (width, height) = reader.into_dimensions().map_err(|_| bad())?;
    let too_large = || {
        let message = format!("the picture must be at most {MAX_QR_SIDE} pixels a side and {} megapixels (8 bits a channel)", MAX_QR_PIXELS / 1_000_000);
        AppError::refused(ErrorKind::Invalid, "image_too_large", message).field("image")
    };
    if width > MAX_QR_SIDE || height > MAX_QR_SIDE || u64::from(width) * u64::from(height) > MAX_QR_PIXELS {
        return Err(too_large());
    }
    let mut reader = image::ImageReader::new(std::io::Cursor::new(bytes)).with_guessed_format().map_err(|_| bad())?;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_QR_SIDE);
    limits.max_image_height = Some(MAX_QR_SIDE);
    // 12 MP at 4 bytes a pixel (RGBA), the largest decoded buffer a permitted picture needs.
    limits.max_alloc = Some(MAX_QR_PIXELS * 4 + 1024 * 1024);
    reader.limits(limits);
    let decoded = reader.decode().map_err(|e| match e {
        // A 16-bit picture needs twice the memory: refused as too large, not as unreadable.
        image::ImageError::Limits(_) => too_large(),
        _ => bad(),
    })?;
    // Grey first (a quarter of RGBA), dropping the colour picture at once; then, if large,
    // scaled down by box averaging (`thumbnail` needs no full-size intermediate buffer, unlike
    // the filtered resizers, which keep a float copy).
    let grey = decoded.to_luma8();
    drop(decoded);
    let (w, h) = grey.dimensions();
    let picture = if w.max(h) > QR_DETECT_SIDE {
        let scale = f64::from(QR_DETECT_SIDE) / f64::from(w.max(h));
        let (nw, nh) = (((f64::from(w) * scale) as u32).max(1), ((f64::from(h) * scale) as u32).max(1));
        image::imageops::thumbnail(&grey, nw, nh)
    } else {
        grey
    };
    let mut prepared = rqrr::PreparedImage::prepare(picture);
    let grids = prepared.detect_grids();
    let no_qr = || AppError::refused(ErrorKind::Invalid, "no_qr_code", "no readable QR code was found in the picture").field("image");
    let (_, content) = grids.first().ok_or_else(no_qr)?.decode().map_err(|_| no_qr())?;
    Ok(content)
}

async fn create_from(
    app: &App,
    caller: &Caller,
    origin: &Origin,
    body: AppBody,
    forced: Option<CreationSource>,
) -> Result<ApplicationEnvelope, AppError> {
    let owner = caller.user_id.to_string();
    let id = app.env().new_id();
    let (issuer, label, secret, mut params, source) = if let Some(uri) = &body.uri {
        // Whether a text is a usable otpauth:// URI is more than a pattern can say: its own code.
        let parsed = otp::parse_uri(uri).map_err(|e| AppError::refused(ErrorKind::Invalid, "invalid_otpauth_uri", e.message.clone()).field(e.field))?;
        (parsed.issuer, parsed.label, Zeroizing::new(parsed.secret), parsed.params, CreationSource::Uri)
    } else {
        let text = body.secret.as_ref().ok_or_else(|| AppError::invalid("secret", "give a base32 secret or an otpauth:// uri"))?;
        let secret = Zeroizing::new(otp::decode_secret(text).map_err(|e| otp_error(&e))?);
        let params = OtpParams { otp_type: OtpType::Totp, algorithm: Algorithm::Sha1, digits: 6, period: 30, counter: 0 };
        (String::new(), String::new(), secret, params, CreationSource::Fields)
    };
    check_secret_length(&secret, body.allow_short_secret)?;
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
    let id_text = id.to_string();
    let sealed = app.keyring.seal(&owner, &context::application_secret(&id_text), &secret).await?;
    let notes = seal_notes(app, &owner, &id_text, body.notes).await?;
    let position = read::next_position(&app.db.pool, &owner).await?;
    let cmd = ApplicationCommand::Create {
        id,
        owner_id: caller.user_id,
        issuer: body.issuer.unwrap_or(issuer),
        label: body.label.unwrap_or(label),
        secret: sealed,
        otp: params,
        tags: body.tags.unwrap_or_default(),
        favorite: body.favorite.unwrap_or(false),
        metadata: Metadata { notes, url: body.url, icon: body.icon, color: body.color },
        position,
        source: forced.unwrap_or(source),
        at: app.env().now(),
    };
    app.execute(&app.applications, &id_text, cmd, &caller.meta(origin)).await?;
    envelope(app, caller, &id_text).await
}

/// Changes any subset of fields; each kind of change is its own event, all appended together.
pub async fn update(app: &App, caller: &Caller, origin: &Origin, id: &str, body: AppBody) -> Result<ApplicationEnvelope, AppError> {
    if body.uri.is_some() {
        return Err(AppError::invalid("uri", "a URI can only be used to create an application"));
    }
    let current = load(app, caller, id).await?;
    let owner = caller.user_id.to_string();
    let actor = caller.user_id;
    let mut commands = Vec::new();
    if body.issuer.is_some() || body.label.is_some() {
        commands.push(ApplicationCommand::Rename {
            actor,
            issuer: body.issuer.clone().unwrap_or_else(|| current.issuer.clone()),
            label: body.label.clone().unwrap_or_else(|| current.label.clone()),
        });
    }
    if let Some(text) = &body.secret {
        let secret = Zeroizing::new(otp::decode_secret(text).map_err(|e| otp_error(&e))?);
        check_secret_length(&secret, body.allow_short_secret)?;
        commands
            .push(ApplicationCommand::ReplaceSecret { actor, secret: app.keyring.seal(&owner, &context::application_secret(id), &secret).await? });
    }
    if body.otp_type.is_some() || body.algorithm.is_some() || body.digits.is_some() || body.period.is_some() || body.counter.is_some() {
        let mut otp = current.otp;
        if let Some(t) = body.otp_type {
            // Steam fixes 5 digits; leaving Steam without naming a length goes back to the usual 6.
            if body.digits.is_none() {
                if t == OtpType::Steam {
                    otp.digits = 5;
                } else if otp.otp_type == OtpType::Steam {
                    otp.digits = 6;
                }
            }
            // Steam also fixes SHA1; the other types keep whatever hash the application had.
            if t == OtpType::Steam && body.algorithm.is_none() {
                otp.algorithm = Algorithm::Sha1;
            }
            otp.otp_type = t;
        }
        otp.algorithm = body.algorithm.unwrap_or(otp.algorithm);
        otp.digits = body.digits.unwrap_or(otp.digits);
        otp.period = body.period.unwrap_or(otp.period);
        otp.counter = body.counter.unwrap_or(otp.counter);
        commands.push(ApplicationCommand::ChangeOtpParameters { actor, otp });
    }
    if body.notes.is_some() || body.url.is_some() || body.icon.is_some() || body.color.is_some() {
        let notes = match body.notes {
            Some(n) => seal_notes(app, &owner, id, Some(n)).await?,
            None => current.notes.clone(),
        };
        let metadata = Metadata { notes, url: body.url.or(current.url), icon: body.icon.or(current.icon), color: body.color.or(current.color) };
        commands.push(ApplicationCommand::ChangeMetadata { actor, metadata });
    }
    if let Some(tags) = body.tags {
        commands.push(ApplicationCommand::ChangeTags { actor, tags });
    }
    if let Some(favorite) = body.favorite {
        commands.push(ApplicationCommand::SetFavorite { actor, favorite });
    }
    if !commands.is_empty() {
        app.execute_all(&app.applications, id, commands, &caller.meta(origin)).await?;
    }
    envelope(app, caller, id).await
}

/// Moves an application to the trash, or with `purge` deletes it for good.
pub async fn delete(app: &App, caller: &Caller, origin: &Origin, id: &str, purge: bool) -> Result<(), AppError> {
    load(app, caller, id).await?;
    let (actor, at) = (caller.user_id, app.env().now());
    let cmd = if purge { ApplicationCommand::Purge { actor, at } } else { ApplicationCommand::Trash { actor, at } };
    app.execute(&app.applications, id, cmd, &caller.meta(origin)).await?;
    Ok(())
}

/// Takes an application out of the trash.
pub async fn restore(app: &App, caller: &Caller, origin: &Origin, id: &str) -> Result<ApplicationEnvelope, AppError> {
    load(app, caller, id).await?;
    app.execute(&app.applications, id, ApplicationCommand::Restore { actor: caller.user_id }, &caller.meta(origin)).await?;
    envelope(app, caller, id).await
}

/// Puts the listed applications in this order (positions 0, 1, …): one append for all of them.
pub async fn reorder(app: &App, caller: &Caller, origin: &Origin, ids: Vec<String>) -> Result<(), AppError> {
    let mine: HashSet<String> = read::ids_of_owner(&app.db.pool, &caller.user_id.to_string()).await?.into_iter().collect();
    if ids.iter().any(|id| !mine.contains(id)) {
        return Err(AppError::not_found("application_not_found").field("ids"));
    }
    if ids.iter().collect::<HashSet<_>>().len() != ids.len() {
        return Err(AppError::invalid("ids", "ids must not repeat"));
    }
    let moves = ids
        .into_iter()
        .enumerate()
        .map(|(position, id)| (id, ApplicationCommand::Move { actor: caller.user_id, position: position as i64 }))
        .collect();
    app.execute_each(&app.applications, moves, &caller.meta(origin)).await?;
    Ok(())
}

/// Steps an HOTP counter and returns the codes for the new counter value.
pub async fn hotp_next(app: &App, caller: &Caller, origin: &Origin, id: &str) -> Result<HotpNext, AppError> {
    load(app, caller, id).await?;
    let events =
        app.execute_all(&app.applications, id, vec![ApplicationCommand::AdvanceHotpCounter { actor: caller.user_id }], &caller.meta(origin)).await?;
    let counter = events
        .iter()
        .find_map(|e| match e {
            ApplicationEvent::HotpCounterAdvanced { counter } => Some(*counter),
            _ => None,
        })
        .ok_or_else(|| AppError::internal("advancing the HOTP counter produced no HotpCounterAdvanced event"))?;
    // The secret and parameters as they are now (a change may have landed since `row` was read);
    // the counter as this command left it.
    let row = load(app, caller, id).await?;
    let opener = app.keyring.opener(&row.owner_id).await?;
    let secret = opener.open(&context::application_secret(id), &row.secret)?;
    let codes = otp::codes(&OtpParams { counter, ..row.otp }, &secret, 0);
    Ok(HotpNext { id: id.to_owned(), counter, code: codes.code, next_code: codes.next_code })
}

/// The secret of one of the caller's applications and its `otpauth://` URI, to move the account
/// to another device: needs a recent step-up, and is recorded as an event of its own.
pub async fn reveal_secret(app: &App, caller: &Caller, origin: &Origin, id: &str) -> Result<SecretView, AppError> {
    let row = load(app, caller, id).await?;
    super::factors::require_step_up(app, caller).await?;
    // Everything shown is made before the reveal is recorded, so a failure records nothing.
    let opener = app.keyring.opener(&row.owner_id).await?;
    let secret = opener.open(&context::application_secret(id), &row.secret)?;
    let otpauth_uri = otp::to_uri(&row.issuer, &row.label, &secret, &row.otp);
    // A link longer than a QR code holds (long issuer and label) is shown as text only.
    let qr_png_base64 = super::factors::qr_png_base64(&otpauth_uri).ok();
    let view = SecretView { secret: otp::encode_secret(&secret), qr_png_base64, otpauth_uri };
    app.execute(&app.applications, id, ApplicationCommand::RevealSecret { actor: caller.user_id, at: app.env().now() }, &caller.meta(origin)).await?;
    Ok(view)
}
