//! Passkeys (WebAuthn Level 3, with `webauthn-rs`): registering and managing them, and using
//! one as the second factor of a password sign-in, alone (passwordless, discoverable
//! credentials), or for a step-up.
//!
//! The relying party is AuthNode at `AUTHNODE_PUBLIC_URL` (its host is the RP id, the URL the
//! only accepted origin). User verification is required; sign counters and backup flags are
//! checked and kept as `webauthn-rs` recommends. Every ceremony's state stays on the server,
//! sealed, in the shared database, for five minutes and one use.

use aggregates::time::format_timestamp;
use aggregates::user::{FactorProof, LoginMethod};
use aggregates::{ErrorKind, User, UserCommand};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use projections::read::users;
use serde::Serialize;
use serde::de::DeserializeOwned;
use webauthn_rs::prelude::{
    DiscoverableAuthentication, Passkey, PasskeyAuthentication, PasskeyRegistration, PublicKeyCredential, RegisterPublicKeyCredential, Webauthn,
};

use super::caller::{Caller, Origin};
use super::error::{AppError, CommandError};
use super::started::{SignedIn, signed_in};
use super::{App, ratelimit, tokens};
use crate::crypto::{SYSTEM_OWNER, context};
use crate::store::ceremonies;
use crate::views::factors::{PasskeyList, PasskeyOptions, PasskeyView, Reauthenticated};

/// How long a ceremony may take (what `webauthn-rs` puts in the options as the timeout).
const CEREMONY_SECONDS: i64 = 300;

/// The kinds of ceremony; a ceremony is only ever finished as the kind it was begun as.
const REGISTER: &str = "register";
const SECOND_FACTOR: &str = "second-factor";
const PASSWORDLESS: &str = "passwordless";
const REAUTH: &str = "reauth";

fn webauthn(app: &App) -> Result<&Webauthn, AppError> {
    app.webauthn.as_ref().map_err(|why| AppError::refused(ErrorKind::Conflict, "passkeys_unavailable", why.clone()))
}

fn ceremony_invalid() -> AppError {
    AppError::unauthorized("ceremony_invalid", "the passkey request is not valid or has expired; start again")
}

/// Within a live session, a refused ceremony or assertion is bad input (400, field
/// `credential`), not a failed authentication of the request (401, which clients take as the
/// session's end).
fn in_session(e: AppError) -> AppError {
    match e {
        AppError::Refused {
            kind: ErrorKind::Unauthorized,
            code: code @ ("ceremony_invalid" | "passkey_invalid" | "second_factor_invalid"),
            message,
            ..
        } => {
            let code = if code == "second_factor_invalid" { "passkey_invalid" } else { code };
            AppError::Refused { kind: ErrorKind::Invalid, code, message, field: Some("credential") }
        }
        other => other,
    }
}

fn passkey_invalid() -> AppError {
    AppError::unauthorized("passkey_invalid", "the passkey's answer could not be verified")
}

/// Remembers a ceremony's state, sealed, for five minutes; returns its id.
async fn begin<S: Serialize>(app: &App, id: Option<String>, kind: &str, user: Option<&str>, state: &S) -> Result<String, AppError> {
    let id = id.unwrap_or_else(|| URL_SAFE_NO_PAD.encode(app.env().bytes::<24>()));
    let json = serde_json::to_vec(state).map_err(AppError::internal)?;
    let sealed = app.keyring.seal(SYSTEM_OWNER, &context::webauthn_ceremony(&id), &json).await?;
    let now = app.env().now();
    let expires_at = format_timestamp(&(now + chrono::Duration::seconds(CEREMONY_SECONDS)));
    ceremonies::put(&app.db, &id, kind, user, sealed.as_str(), &expires_at).await?;
    if rand::random::<u8>() < 8 {
        // Now and then, forget ceremonies nobody finished.
        let _ = ceremonies::forget_expired(&app.db, &format_timestamp(&now)).await;
    }
    Ok(id)
}

/// Takes (once) a ceremony begun as `kind`, if it has not run out; its state and user.
async fn finish<S: DeserializeOwned>(app: &App, id: &str, kind: &str) -> Result<(S, Option<String>), AppError> {
    let taken = ceremonies::take(&app.db, id, kind).await?.ok_or_else(ceremony_invalid)?;
    if taken.expires_at <= format_timestamp(&app.env().now()) {
        return Err(ceremony_invalid());
    }
    let sealed = aggregates::Sealed::new(taken.state).ok_or_else(|| AppError::internal("a ceremony's state is not sealed"))?;
    let json = app.keyring.open(SYSTEM_OWNER, &context::webauthn_ceremony(id), &sealed).await?;
    Ok((serde_json::from_slice(&json).map_err(AppError::internal)?, taken.user_id))
}

/// The ceremony id of a WebAuthn challenge: its SHA-256, so the id reveals nothing of it.
fn challenge_key(challenge: &[u8]) -> String {
    use sha2::Digest;
    URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(challenge))
}

/// The challenge an assertion answers, from its client data (WebAuthn L3 §5.8.1); the
/// signature over it is checked when the ceremony finishes.
fn answered_challenge(answer: &PublicKeyCredential) -> Option<Vec<u8>> {
    #[derive(serde::Deserialize)]
    struct ClientData {
        challenge: String,
    }
    let data: ClientData = serde_json::from_slice(answer.response.client_data_json.as_ref()).ok()?;
    URL_SAFE_NO_PAD.decode(data.challenge.trim_end_matches('=')).ok()
}

fn credential<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, AppError> {
    serde_json::from_value(value)
        .map_err(|e| AppError::refused(ErrorKind::Invalid, "credential_invalid", format!("not a WebAuthn credential: {e}")).field("credential"))
}

/// The user's passkeys as the library takes them.
fn passkeys_of(user: &User) -> Result<Vec<Passkey>, AppError> {
    user.passkeys.values().map(|p| serde_json::from_str(&p.credential).map_err(AppError::internal)).collect()
}

/// The sign counter stored with a passkey (`webauthn-rs` keeps it in its serialised form only).
fn stored_counter(passkey: &Passkey) -> Result<u32, AppError> {
    let value = serde_json::to_value(passkey).map_err(AppError::internal)?;
    value
        .pointer("/cred/counter")
        .and_then(serde_json::Value::as_u64)
        .and_then(|c| u32::try_from(c).ok())
        .ok_or_else(|| AppError::internal("a passkey without a counter"))
}

fn credential_id(passkey: &Passkey) -> String {
    URL_SAFE_NO_PAD.encode(passkey.cred_id())
}

/// The options (JSON) of an authentication ceremony, without the library's `mediation`: the
/// page chooses it (`conditional` for the autofill, none for a button).
fn request_options<T: Serialize>(rcr: &T) -> Result<serde_json::Value, AppError> {
    let mut options = serde_json::to_value(rcr).map_err(AppError::internal)?;
    if let Some(map) = options.as_object_mut() {
        map.remove("mediation");
    }
    Ok(options)
}

/// Begins registering a passkey for the caller. The options ask for a discoverable credential
/// where the authenticator can make one (so it also signs in without a password), with user
/// verification, and exclude the caller's passkeys.
pub async fn registration_options(app: &App, caller: &Caller) -> Result<PasskeyOptions, AppError> {
    let webauthn = webauthn(app)?;
    let id = caller.user_id.to_string();
    let user = app.load_user(&id).await?;
    // Refused now rather than after the person has touched their authenticator.
    if !user.stepped_up(caller.session_id, app.env().now()) {
        return Err(CommandError::from_domain(&aggregates::user::UserError::ReauthenticationRequired).into());
    }
    if user.passkeys.len() >= aggregates::user::MAX_PASSKEYS {
        return Err(CommandError::from_domain(&aggregates::user::UserError::TooManyPasskeys).into());
    }
    let exclude = passkeys_of(&user)?.iter().map(|p| p.cred_id().clone()).collect::<Vec<_>>();
    let (ccr, state): (_, PasskeyRegistration) =
        webauthn.start_passkey_registration(caller.user_id, &user.username, &user.display_name, Some(exclude)).map_err(AppError::internal)?;
    let mut options = serde_json::to_value(&ccr).map_err(AppError::internal)?;
    // webauthn-rs asks for a server-side credential; a passkey that can sign in alone must be
    // discoverable (WebAuthn L3 §5.4.6: residentKey "preferred" makes one where it can).
    if let Some(selection) = options.pointer_mut("/publicKey/authenticatorSelection").and_then(serde_json::Value::as_object_mut) {
        selection.insert("residentKey".into(), "preferred".into());
        selection.insert("requireResidentKey".into(), false.into());
    }
    let ceremony = begin(app, None, REGISTER, Some(&id), &state).await?;
    Ok(PasskeyOptions { ceremony, options })
}

/// Finishes registering a passkey: verifies the new credential against the ceremony and keeps it.
pub async fn register(
    app: &App,
    caller: &Caller,
    origin: &Origin,
    ceremony: &str,
    name: &str,
    answer: serde_json::Value,
) -> Result<PasskeyView, AppError> {
    // A bad name is refused before the ceremony is spent (the domain checks it again).
    let trimmed = name.trim().chars().count();
    if trimmed == 0 || trimmed > 64 || name.chars().any(char::is_control) {
        return Err(CommandError::from_domain(&aggregates::user::UserError::InvalidPasskeyName).into());
    }
    register_checked(app, caller, origin, ceremony, name, answer).await.map_err(in_session)
}

async fn register_checked(
    app: &App,
    caller: &Caller,
    origin: &Origin,
    ceremony: &str,
    name: &str,
    answer: serde_json::Value,
) -> Result<PasskeyView, AppError> {
    let webauthn = webauthn(app)?;
    let id = caller.user_id.to_string();
    let answer: RegisterPublicKeyCredential = credential(answer)?;
    let (state, user): (PasskeyRegistration, _) = finish(app, ceremony, REGISTER).await?;
    if user.as_deref() != Some(id.as_str()) {
        return Err(ceremony_invalid());
    }
    let passkey = webauthn.finish_passkey_registration(&answer, &state).map_err(|e| {
        tracing::info!(error = %e, "passkey registration refused");
        AppError::refused(ErrorKind::Invalid, "passkey_invalid", "the new passkey could not be verified").field("credential")
    })?;
    let credential_id = credential_id(&passkey);
    let cmd = UserCommand::RegisterPasskey {
        session_id: caller.session_id,
        credential_id: credential_id.clone(),
        name: name.to_owned(),
        credential: serde_json::to_string(&passkey).map_err(AppError::internal)?,
        counter: stored_counter(&passkey)?,
        at: app.env().now(),
    };
    app.execute(&app.users, &id, cmd, &caller.meta(origin)).await?;
    list(app, caller)
        .await?
        .passkeys
        .into_iter()
        .find(|p| p.id == credential_id)
        .ok_or_else(|| AppError::internal("a registered passkey is not listed"))
}

/// The caller's passkeys, oldest first.
pub async fn list(app: &App, caller: &Caller) -> Result<PasskeyList, AppError> {
    let rows = users::passkeys(&app.db.pool, &caller.user_id.to_string()).await?;
    Ok(PasskeyList {
        passkeys: rows
            .into_iter()
            .map(|p| PasskeyView { id: p.credential_id, name: p.name, registered_at: p.registered_at, last_used_at: p.last_used_at })
            .collect(),
    })
}

/// Renames one of the caller's passkeys.
pub async fn rename(app: &App, caller: &Caller, origin: &Origin, credential_id: &str, name: &str) -> Result<PasskeyView, AppError> {
    let cmd = UserCommand::RenamePasskey { credential_id: credential_id.to_owned(), name: name.to_owned() };
    app.execute(&app.users, &caller.user_id.to_string(), cmd, &caller.meta(origin)).await?;
    list(app, caller).await?.passkeys.into_iter().find(|p| p.id == credential_id).ok_or_else(|| AppError::not_found("passkey_not_found"))
}

/// Removes one of the caller's passkeys (needs a recent step-up).
pub async fn remove(app: &App, caller: &Caller, origin: &Origin, credential_id: &str) -> Result<(), AppError> {
    let cmd = UserCommand::RemovePasskey { session_id: caller.session_id, credential_id: credential_id.to_owned(), at: app.env().now() };
    app.execute(&app.users, &caller.user_id.to_string(), cmd, &caller.meta(origin)).await?;
    Ok(())
}

/// Begins the passkey ceremony of a sign-in waiting for its second factor: the options go out
/// with the challenge, the state is kept under the challenge's hash.
pub(super) async fn second_factor_options(
    app: &App,
    user: &User,
    user_id: &str,
    challenge_hash: &str,
) -> Result<Option<serde_json::Value>, AppError> {
    let (Ok(webauthn), false) = (webauthn(app), user.passkeys.is_empty()) else { return Ok(None) };
    let (rcr, state): (_, PasskeyAuthentication) = webauthn.start_passkey_authentication(&passkeys_of(user)?).map_err(AppError::internal)?;
    begin(app, Some(challenge_hash.to_owned()), SECOND_FACTOR, Some(user_id), &state).await?;
    Ok(Some(request_options(&rcr)?))
}

/// Verifies an assertion against an authentication ceremony of the user's: the proof (the
/// passkey with its sign counter and backup state moved on), or why not.
fn verify(webauthn: &Webauthn, user: &User, answer: &PublicKeyCredential, state: &PasskeyAuthentication) -> Result<FactorProof, AppError> {
    let result = webauthn.finish_passkey_authentication(answer, state).map_err(|e| {
        // A counter that went backwards (a cloned key, WebAuthn L3 §7.2 step 22) is refused here too.
        tracing::info!(error = %e, "passkey assertion refused");
        passkey_invalid()
    })?;
    updated(user, &result)
}

/// The proof of the passkey `result` was verified for, with its stored state updated.
fn updated(user: &User, result: &webauthn_rs::prelude::AuthenticationResult) -> Result<FactorProof, AppError> {
    let mut passkey = passkeys_of(user)?.into_iter().find(|p| p.cred_id() == result.cred_id()).ok_or_else(passkey_invalid)?;
    // webauthn-rs compares the counter with the credential as it was when the ceremony began;
    // another sign-in may have moved it on since. A counter that did not go up from the one
    // stored now means two copies of the key are in use (WebAuthn L3 §6.1.1): refused.
    let stored = stored_counter(&passkey)?;
    if (result.counter() > 0 || stored > 0) && result.counter() <= stored {
        tracing::warn!(stored, presented = result.counter(), "passkey sign counter did not increase: possibly a cloned authenticator");
        return Err(passkey_invalid());
    }
    passkey.update_credential(result);
    Ok(FactorProof::Passkey {
        credential_id: credential_id(&passkey),
        credential: serde_json::to_string(&passkey).map_err(AppError::internal)?,
        counter: result.counter(),
    })
}

/// The passkey proof of a sign-in waiting under `challenge_hash`, or `None` if the assertion
/// does not verify (the caller counts that as a failed attempt).
pub(super) async fn second_factor_proof(
    app: &App,
    user: &User,
    user_id: &str,
    challenge_hash: &str,
    answer: serde_json::Value,
) -> Result<Option<FactorProof>, AppError> {
    let webauthn = webauthn(app)?;
    let answer: PublicKeyCredential = credential(answer)?;
    let (state, owner): (PasskeyAuthentication, _) = finish(app, challenge_hash, SECOND_FACTOR).await?;
    if owner.as_deref() != Some(user_id) {
        return Err(ceremony_invalid());
    }
    match verify(webauthn, user, &answer, &state) {
        Ok(proof) => Ok(Some(proof)),
        Err(AppError::Refused { code: "passkey_invalid", .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Begins a passwordless sign-in: options without credentials, for a discoverable passkey
/// (the browser offers the ones it has; `mediation: "conditional"` is for the autofill).
pub async fn passwordless_options(app: &App, origin: &Origin) -> Result<PasskeyOptions, AppError> {
    let webauthn = webauthn(app)?;
    ratelimit::hit(app, ratelimit::LOGIN_PER_IP, &origin.ip.to_string()).await?;
    let (rcr, state): (_, DiscoverableAuthentication) = webauthn.start_discoverable_authentication().map_err(AppError::internal)?;
    let ceremony = begin(app, None, PASSWORDLESS, None, &state).await?;
    Ok(PasskeyOptions { ceremony, options: request_options(&rcr)? })
}

/// Signs in with a passkey alone: the assertion names its user (the user handle) and credential.
pub async fn sign_in(app: &App, origin: &Origin, ceremony: &str, answer: serde_json::Value) -> Result<SignedIn, AppError> {
    let webauthn = webauthn(app)?;
    ratelimit::hit(app, ratelimit::LOGIN_PER_IP, &origin.ip.to_string()).await?;
    let answer: PublicKeyCredential = credential(answer)?;
    let (state, _): (DiscoverableAuthentication, _) = finish(app, ceremony, PASSWORDLESS).await?;
    let (user_id, credential_id) = webauthn.identify_discoverable_authentication(&answer).map_err(|_| passkey_invalid())?;
    let id = user_id.to_string();
    let user = match app.load_user(&id).await {
        Err(AppError::Refused { code: "user_not_found", .. }) => return Err(passkey_invalid()),
        other => other?,
    };
    let passkey = passkeys_of(&user)?.into_iter().find(|p| p.cred_id().as_slice() == credential_id).ok_or_else(passkey_invalid)?;
    let result = webauthn.finish_discoverable_authentication_v2(&answer, state, &passkey).map_err(|e| {
        tracing::info!(error = %e, "passwordless assertion refused");
        passkey_invalid()
    })?;
    let FactorProof::Passkey { credential_id, credential, counter } = updated(&user, &result)? else { return Err(passkey_invalid()) };
    let settings = app.current_settings().await?;
    let now = app.env().now();
    let session_id = app.env().new_id();
    let (refresh, refresh_hash) = tokens::refresh_token(app.env(), session_id);
    let cmd = UserCommand::SignInWithPasskey {
        credential_id,
        credential,
        counter,
        session_id,
        refresh_token_hash: refresh_hash,
        expires_at: now + chrono::Duration::seconds(i64::from(settings.session.refresh_ttl_seconds)),
        at: now,
    };
    app.execute(&app.users, &id, cmd, &origin.actor(&id, "user", Some(&session_id.to_string()))).await?;
    signed_in(app, user_id, session_id, refresh).await
}

/// Begins a step-up with one of the caller's passkeys.
pub async fn reauth_options(app: &App, caller: &Caller) -> Result<PasskeyOptions, AppError> {
    let webauthn = webauthn(app)?;
    let id = caller.user_id.to_string();
    let user = app.load_user(&id).await?;
    if user.passkeys.is_empty() {
        return Err(AppError::refused(ErrorKind::Conflict, "no_passkey", "the account has no passkey; step up with the password"));
    }
    let (rcr, state): (_, PasskeyAuthentication) = webauthn.start_passkey_authentication(&passkeys_of(&user)?).map_err(AppError::internal)?;
    // Keyed by its challenge, so the assertion alone (which carries the challenge) finds it.
    let ceremony = begin(app, Some(challenge_key(rcr.public_key.challenge.as_ref())), REAUTH, Some(&id), &state).await?;
    Ok(PasskeyOptions { ceremony, options: request_options(&rcr)? })
}

/// Step-up with a passkey of the caller's.
pub async fn reauthenticate(
    app: &App,
    caller: &Caller,
    origin: &Origin,
    ceremony: Option<&str>,
    answer: serde_json::Value,
) -> Result<Reauthenticated, AppError> {
    reauthenticate_checked(app, caller, origin, ceremony, answer).await.map_err(in_session)
}

async fn reauthenticate_checked(
    app: &App,
    caller: &Caller,
    origin: &Origin,
    ceremony: Option<&str>,
    answer: serde_json::Value,
) -> Result<Reauthenticated, AppError> {
    let webauthn = webauthn(app)?;
    let id = caller.user_id.to_string();
    super::factors::limit_step_ups(app, origin, &id).await?;
    let answer: PublicKeyCredential = credential(answer)?;
    let ceremony = match ceremony {
        Some(c) => c.to_owned(),
        None => challenge_key(&answered_challenge(&answer).ok_or_else(ceremony_invalid)?),
    };
    let (state, owner): (PasskeyAuthentication, _) = finish(app, &ceremony, REAUTH).await?;
    if owner.as_deref() != Some(id.as_str()) {
        return Err(ceremony_invalid());
    }
    let user = app.load_user(&id).await?;
    let FactorProof::Passkey { credential_id, credential, counter } = verify(webauthn, &user, &answer, &state)? else {
        return Err(passkey_invalid());
    };
    let cmd = UserCommand::Reauthenticate {
        session_id: caller.session_id,
        method: LoginMethod::Passkey,
        passkey: Some((credential_id, credential, counter)),
        at: app.env().now(),
    };
    app.execute(&app.users, &id, cmd, &caller.meta(origin)).await?;
    Ok(Reauthenticated { expires_in: aggregates::user::STEP_UP_SECONDS as u32 })
}
