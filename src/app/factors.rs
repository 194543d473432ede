//! The caller's second factors: authenticator app (RFC 6238), recovery codes, step-up
//! re-authentication, and what the two-factor policy asks of an account.
//!
//! Codes are checked here, where the secrets can be opened; the `User` aggregate then decides
//! whether what matched may be used now (a time step not used before, a recovery code not spent),
//! so a replay loses the race to optimistic concurrency like any other double write.

use aggregates::application::{Algorithm, OtpParams, OtpType};
use aggregates::common::constant_time_eq;
use aggregates::settings::TwoFactorScope;
use aggregates::time::format_timestamp;
use aggregates::user::{FactorProof, LoginFailureReason, LoginMethod, RECOVERY_CODES, Role, STEP_UP_SECONDS, SecondFactorMethod, UserError};
use aggregates::{ErrorKind, Sealed, Timestamp, User, UserCommand, UserEvent, otp};
use base64::Engine;
use hmac::Mac;
use projections::read::users;
use sha2::Digest;
use uuid::Uuid;
use zeroize::Zeroizing;

use super::caller::{Caller, Origin};
use super::error::AppError;
use super::{App, CommandError, ratelimit};
use crate::crypto::context;
use crate::views::factors::{PasskeyView, Reauthenticated, RecoveryCodesView, SecondFactorStatus, TotpEnrolment};

/// The issuer authenticator apps show for AuthNode's own accounts.
const ISSUER: &str = "AuthNode";
/// An authenticator-app code's time step, in seconds (RFC 6238's default, what every app uses).
const PERIOD: u32 = 30;

/// The parameters every authenticator app understands: SHA-1, 6 digits, 30 s.
fn totp_params() -> OtpParams {
    OtpParams { otp_type: OtpType::Totp, algorithm: Algorithm::Sha1, digits: 6, period: PERIOD, counter: 0 }
}

/// The time step within one step of `now` whose code is `code` (RFC 6238 §5.2 allows one step
/// of clock drift either way), each compared in constant time.
pub fn matching_step(secret: &[u8], code: &str, now: Timestamp) -> Option<u64> {
    let code = code.trim();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let current = u64::try_from(now.timestamp()).ok()? / u64::from(PERIOD);
    [current.checked_sub(1), Some(current), Some(current + 1)]
        .into_iter()
        .flatten()
        .find(|step| constant_time_eq(otp::codes(&totp_params(), secret, step * u64::from(PERIOD)).code.as_bytes(), code.as_bytes()))
}

/// A recovery code as typed: case, spaces and dashes do not matter.
fn normalise_recovery_code(code: &str) -> String {
    code.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect()
}

/// Marks hashes of the current scheme in the sealed list.
const RECOVERY_HASH_V2: &str = "s2:";

/// The stored hash of a recovery code: SHA-256 over a label, the user id and the code, hex. The
/// list is sealed under the user's data key, and a code holds 80 random bits, so no key is
/// needed on top (a key derived from the master key, as the first sets used, stopped matching
/// after a master-key rotation).
fn recovery_hash(user: &str, code: &str) -> String {
    let digest = sha2::Sha256::new()
        .chain_update(b"authnode recovery code\0")
        .chain_update(user.as_bytes())
        .chain_update(b":")
        .chain_update(normalise_recovery_code(code).as_bytes())
        .finalize();
    format!("{RECOVERY_HASH_V2}{}", hex::encode(digest))
}

/// The first scheme's hash (HMAC-SHA256 under a key derived from the master key), for sets made
/// before `RECOVERY_HASH_V2`: they keep working until the master key is rotated.
fn legacy_recovery_hash(app: &App, user: &str, code: &str) -> String {
    let key = app.keyring.derive("recovery-codes");
    let mut mac = <hmac::Hmac<sha2::Sha256> as Mac>::new_from_slice(key.as_slice()).expect("HMAC accepts any key length");
    mac.update(user.as_bytes());
    mac.update(b":");
    mac.update(normalise_recovery_code(code).as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// A new set of recovery codes: the codes to show once (80 random bits each, as four groups of
/// four base32 letters and digits) and their hashes sealed for the store.
async fn new_recovery_codes(app: &App, user: &str) -> Result<(Vec<String>, Sealed), AppError> {
    let codes: Vec<String> = (0..RECOVERY_CODES)
        .map(|_| {
            let text = otp::encode_secret(&app.env().bytes::<10>()).to_lowercase();
            text.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join("-")
        })
        .collect();
    let hashes: Vec<String> = codes.iter().map(|c| recovery_hash(user, c)).collect();
    let json = serde_json::to_vec(&hashes).map_err(AppError::internal)?;
    let sealed = app.keyring.seal(user, &context::recovery_codes(user), &json).await?;
    Ok((codes, sealed))
}

/// The index of `code` in the user's current set, if it is one of them and not spent.
async fn recovery_index(app: &App, user: &User, user_id: &str, code: &str) -> Result<Option<u8>, AppError> {
    let Some(set) = &user.recovery else { return Ok(None) };
    let json = app.keyring.open(user_id, &context::recovery_codes(user_id), &set.hashes).await?;
    let hashes: Vec<String> = serde_json::from_slice(&json).map_err(AppError::internal)?;
    let (current, legacy) = (recovery_hash(user_id, code), legacy_recovery_hash(app, user_id, code));
    let found = hashes.iter().position(|h| {
        let wanted = if h.starts_with(RECOVERY_HASH_V2) { &current } else { &legacy };
        constant_time_eq(h.as_bytes(), wanted.as_bytes())
    });
    Ok(found.and_then(|i| u8::try_from(i).ok()).filter(|i| !set.used.contains(i)))
}

/// The time step `code` matched for the user's authenticator app (the pending one while
/// enrolling, else only a confirmed one), if it did.
async fn totp_step(app: &App, user: &User, user_id: &str, code: &str, enrolling: bool) -> Result<Option<u64>, AppError> {
    let Some(totp) = user.totp.as_ref().filter(|t| t.confirmed != enrolling) else { return Ok(None) };
    let secret = app.keyring.open(user_id, &context::totp_secret(user_id), &totp.secret).await?;
    Ok(matching_step(&secret, code, app.env().now()))
}

/// What a second-factor answer proves, or `None` when it proves nothing (wrong code).
pub(super) async fn proof_of(app: &App, user: &User, user_id: &str, method: SecondFactorMethod, code: &str) -> Result<Option<FactorProof>, AppError> {
    Ok(match method {
        SecondFactorMethod::Totp => totp_step(app, user, user_id, code, false).await?.map(|step| FactorProof::Totp { step }),
        SecondFactorMethod::Recovery => recovery_index(app, user, user_id, code).await?.map(|index| FactorProof::Recovery { index }),
        SecondFactorMethod::Webauthn => None,
    })
}

/// A PNG of the QR code of `text`, base64-encoded (4 modules of quiet zone, 6 px per module).
pub(super) fn qr_png_base64(text: &str) -> Result<String, AppError> {
    let qr = qrcodegen::QrCode::encode_text(text, qrcodegen::QrCodeEcc::Medium).map_err(|e| AppError::internal(format!("QR code: {e:?}")))?;
    let (border, scale) = (4, 6);
    let side = u32::try_from((qr.size() + 2 * border) * scale).map_err(AppError::internal)?;
    let picture = image::GrayImage::from_fn(side, side, |x, y| {
        let module = |v: u32| i32::try_from(v).unwrap_or(0) / scale - border;
        image::Luma([if qr.get_module(module(x), module(y)) { 0 } else { 255 }])
    });
    let mut png = Vec::new();
    picture.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png).map_err(AppError::internal)?;
    Ok(base64::engine::general_purpose::STANDARD.encode(png))
}

/// Begins enrolling an authenticator app: a fresh 160-bit secret, kept sealed and pending until
/// a code confirms it.
pub async fn start_totp(app: &App, caller: &Caller, origin: &Origin) -> Result<TotpEnrolment, AppError> {
    let id = caller.user_id.to_string();
    let user = app.load_user(&id).await?;
    let secret = Zeroizing::new(app.env().bytes::<20>());
    let sealed = app.keyring.seal(&id, &context::totp_secret(&id), secret.as_slice()).await?;
    let cmd = UserCommand::StartTotpEnrolment { session_id: caller.session_id, secret: sealed, at: app.env().now() };
    app.execute(&app.users, &id, cmd, &caller.meta(origin)).await?;
    let otpauth_uri = otp::to_uri(ISSUER, &user.username, secret.as_slice(), &totp_params());
    Ok(TotpEnrolment { qr_png_base64: qr_png_base64(&otpauth_uri)?, otpauth_uri, secret: otp::encode_secret(secret.as_slice()) })
}

fn invalid_code() -> AppError {
    AppError::refused(ErrorKind::Invalid, "invalid_code", "that code is not the one the authenticator app shows now").field("code")
}

/// Confirms the pending authenticator app with a code it shows, and issues recovery codes.
pub async fn confirm_totp(app: &App, caller: &Caller, origin: &Origin, code: &str) -> Result<RecoveryCodesView, AppError> {
    let id = caller.user_id.to_string();
    let user = app.load_user(&id).await?;
    let secret = match &user.totp {
        None => return Err(CommandError::from_domain(&UserError::TotpNotPending).into()),
        Some(t) if t.confirmed => return Err(CommandError::from_domain(&UserError::TotpAlreadyEnabled).into()),
        Some(t) => t.secret.clone(),
    };
    let now = app.env().now();
    if !user.stepped_up(caller.session_id, now) {
        return Err(CommandError::from_domain(&UserError::ReauthenticationRequired).into());
    }
    let step = totp_step(app, &user, &id, code, true).await?.ok_or_else(invalid_code)?;
    let (codes, hashes) = new_recovery_codes(app, &id).await?;
    let cmd =
        UserCommand::ConfirmTotp { session_id: caller.session_id, secret, step, recovery_hashes: hashes, recovery_count: RECOVERY_CODES, at: now };
    app.execute(&app.users, &id, cmd, &caller.meta(origin)).await?;
    Ok(RecoveryCodesView { recovery_codes: codes })
}

/// Removes the authenticator app: needs a recent step-up, and a code from the app or a
/// recovery code (the app may be lost).
pub async fn disable_totp(app: &App, caller: &Caller, origin: &Origin, code: Option<&str>, recovery_code: Option<&str>) -> Result<(), AppError> {
    let id = caller.user_id.to_string();
    ratelimit::hit(app, ratelimit::LOGIN_PER_ACCOUNT, &format!("user:{id}")).await?;
    let user = app.load_user(&id).await?;
    // The step-up is checked before the code, so a session without one learns nothing about
    // codes here (the command checks it again, atomically).
    if !user.stepped_up(caller.session_id, app.env().now()) {
        return Err(CommandError::from_domain(&UserError::ReauthenticationRequired).into());
    }
    let (proof, field) = match (code, recovery_code) {
        (Some(code), None) => (proof_of(app, &user, &id, SecondFactorMethod::Totp, code).await?, "code"),
        (None, Some(code)) => (proof_of(app, &user, &id, SecondFactorMethod::Recovery, code).await?, "recovery_code"),
        _ => return Err(AppError::invalid("code", "give either code (from the app) or recovery_code")),
    };
    // A wrong code here is bad input from a signed-in caller (400), not a failed sign-in (401).
    let wrong = || AppError::refused(ErrorKind::Invalid, "invalid_code", "the code is wrong, already used or spent").field(field);
    let proof = proof.ok_or_else(wrong)?;
    let cmd = UserCommand::DisableTotp { session_id: caller.session_id, proof, at: app.env().now() };
    match app.execute(&app.users, &id, cmd, &caller.meta(origin)).await.map_err(AppError::from) {
        Err(AppError::Refused { code: "second_factor_invalid", .. }) => Err(wrong()),
        other => other,
    }
}

/// Replaces the recovery codes (needs a recent step-up); the old ones stop working.
pub async fn regenerate_recovery_codes(app: &App, caller: &Caller, origin: &Origin) -> Result<RecoveryCodesView, AppError> {
    let id = caller.user_id.to_string();
    let (codes, hashes) = new_recovery_codes(app, &id).await?;
    let cmd = UserCommand::RegenerateRecoveryCodes { session_id: caller.session_id, hashes, count: RECOVERY_CODES, at: app.env().now() };
    app.execute(&app.users, &id, cmd, &caller.meta(origin)).await?;
    Ok(RecoveryCodesView { recovery_codes: codes })
}

/// Step-up with the password: sensitive actions work for five minutes in this session. A wrong
/// password counts towards the lockout like a failed sign-in.
pub async fn reauthenticate(app: &App, caller: &Caller, origin: &Origin, password: Zeroizing<String>) -> Result<Reauthenticated, AppError> {
    let id = caller.user_id.to_string();
    limit_step_ups(app, origin, &id).await?;
    let now = app.env().now();
    // A locked account proves nothing (and spends no argon2 work) until the lock runs out.
    if let Some(until) = app.load_user(&id).await?.locked_until.filter(|u| *u > now) {
        return Err(CommandError::from_domain(&UserError::AccountLocked { until }).into());
    }
    let stored = users::password_hash(&app.db.pool, &id).await?;
    let ok = super::credentials::matches(&app.keyring, Some(&id), stored, password).await?;
    if !ok {
        let lockout = app.current_settings().await?.lockout;
        let fail = UserCommand::RecordLoginFailure { method: LoginMethod::Password, reason: LoginFailureReason::BadPassword, lockout, at: now };
        app.execute(&app.users, &id, fail, &caller.meta(origin)).await?;
        return Err(AppError::forbidden("wrong_password", "the password is wrong").field("password"));
    }
    let cmd = UserCommand::Reauthenticate { session_id: caller.session_id, method: LoginMethod::Password, passkey: None, at: now };
    app.execute(&app.users, &id, cmd, &caller.meta(origin)).await?;
    Ok(Reauthenticated { expires_in: STEP_UP_SECONDS as u32 })
}

/// Step-ups are password guesses too: limited per address and per account like sign-ins.
pub(super) async fn limit_step_ups(app: &App, origin: &Origin, user_id: &str) -> Result<(), AppError> {
    ratelimit::hit(app, ratelimit::LOGIN_PER_IP, &origin.ip.to_string()).await?;
    ratelimit::hit(app, ratelimit::LOGIN_PER_ACCOUNT, &format!("user:{user_id}")).await
}

/// Refuses (`reauthentication_required`) unless the caller's session stepped up within the last
/// five minutes. For actions on other aggregates (revealing a secret, an admin changing an
/// email); commands on the caller's own `User` check it themselves.
pub async fn require_step_up(app: &App, caller: &Caller) -> Result<(), AppError> {
    let user = app.load_user(&caller.user_id.to_string()).await?;
    if user.stepped_up(caller.session_id, app.env().now()) {
        Ok(())
    } else {
        Err(CommandError::from_domain(&aggregates::UserError::ReauthenticationRequired).into())
    }
}

/// Whether the two-factor policy covers a user of `role`.
pub fn covers(scope: TwoFactorScope, role: Role) -> bool {
    match scope {
        TwoFactorScope::Off => false,
        TwoFactorScope::Admins => role == Role::Admin,
        TwoFactorScope::Everyone => true,
    }
}

/// Until when an account the policy covers may go without a second factor: `grace_days` after
/// the later of its creation (stored time text) and the policy's last change.
pub fn enrol_by(created_at: &str, policy_changed_at: Option<Timestamp>, grace_days: u32) -> Option<Timestamp> {
    let created = chrono::DateTime::parse_from_rfc3339(created_at).ok()?.with_timezone(&chrono::Utc);
    let start = policy_changed_at.filter(|changed| *changed > created).unwrap_or(created);
    Some(start + chrono::Duration::days(i64::from(grace_days)))
}

/// What protects the caller's account, and what the policy asks of it.
pub async fn status(app: &App, caller: &Caller) -> Result<SecondFactorStatus, AppError> {
    let id = caller.user_id.to_string();
    let row = users::by_id(&app.db.pool, &id).await?.ok_or_else(|| AppError::not_found("user_not_found"))?;
    let passkeys = users::passkeys(&app.db.pool, &id)
        .await?
        .into_iter()
        .map(|p| PasskeyView { id: p.credential_id, name: p.name, registered_at: p.registered_at, last_used_at: p.last_used_at })
        .collect();
    let settings = app.current_settings().await?;
    let now = app.env().now();
    let required = covers(settings.two_factor.scope, row.role);
    let deadline = if required && !row.has_second_factor() {
        enrol_by(&row.created_at, settings.two_factor_changed_at, settings.two_factor.grace_days)
    } else {
        None
    };
    let stepped_up_until = app
        .load_user(&id)
        .await?
        .sessions
        .get(&caller.session_id)
        .and_then(|s| s.reauthenticated_at)
        .map(|at| at + chrono::Duration::seconds(STEP_UP_SECONDS))
        .filter(|until| *until > now);
    Ok(SecondFactorStatus {
        totp_enabled: row.totp_enabled,
        recovery_codes_left: row.recovery_codes_left,
        passkeys,
        required,
        enrol_by: deadline.map(|t| format_timestamp(&t)),
        enrolment_due: deadline.is_some_and(|by| by <= now),
        stepped_up_until: stepped_up_until.map(|t| format_timestamp(&t)),
    })
}

/// An admin removes every second factor of a user (audited) and ends their sessions.
pub async fn reset(app: &App, caller: &Caller, origin: &Origin, id: &str) -> Result<(), AppError> {
    caller.require(&[Role::Admin])?;
    super::present::user_view(app, id).await?;
    // With the password, this takes over an account: the admin proves it is them.
    require_step_up(app, caller).await?;
    app.execute(&app.users, id, UserCommand::ResetSecondFactors { at: app.env().now() }, &caller.meta(origin)).await?;
    Ok(())
}

/// Whether `events` locked the account, and until when.
pub(super) fn new_lock(events: &[UserEvent]) -> Option<String> {
    events.iter().find_map(|e| match e {
        UserEvent::AccountLocked { until, .. } => Some(format_timestamp(until)),
        _ => None,
    })
}

/// The challenge token of a sign-in waiting for its second factor: `<user id>.<256 random bits>`
/// (the user id lets the answer find the account; only the hash is stored).
pub(super) fn challenge_token(app: &App, user: Uuid) -> String {
    format!("{user}.{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(app.env().bytes::<32>()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_match_within_one_step_and_only_as_six_digits() {
        // RFC 6238 Appendix B's SHA-1 key; at t = 59 s the 8-digit code is 94287082, so the
        // 6-digit one is its last six digits.
        let secret = b"12345678901234567890";
        let at = |s: i64| chrono::DateTime::from_timestamp(s, 0).unwrap();
        assert_eq!(matching_step(secret, "287082", at(59)), Some(1));
        assert_eq!(matching_step(secret, " 287082 ", at(59 + 30)), Some(1), "one step late is accepted");
        assert_eq!(matching_step(secret, "287082", at(59 + 60)), None, "two steps late is not");
        assert_eq!(matching_step(secret, "28708", at(59)), None);
        assert_eq!(matching_step(secret, "28708a", at(59)), None);
    }

    #[test]
    fn recovery_codes_are_typed_loosely() {
        assert_eq!(normalise_recovery_code(" ABCD-efgh 2345-6789 "), "abcdefgh23456789");
    }

    #[test]
    fn the_grace_period_runs_from_the_later_of_creation_and_policy_change() {
        let created = "2026-01-01T00:00:00.000000Z";
        let at = |text: &str| Some(chrono::DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&chrono::Utc));
        let by = |changed, days| enrol_by(created, changed, days).map(|t| format_timestamp(&t));
        assert_eq!(by(None, 7).as_deref(), Some("2026-01-08T00:00:00.000000Z"));
        assert_eq!(by(at("2026-02-01T00:00:00Z"), 0).as_deref(), Some("2026-02-01T00:00:00.000000Z"));
        assert_eq!(by(at("2025-12-01T00:00:00Z"), 1).as_deref(), Some("2026-01-02T00:00:00.000000Z"));
    }
}
