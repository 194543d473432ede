//! Passkeys over real HTTP, on SQLite and PostgreSQL, answered by a software authenticator
//! (`webauthn-authenticator-rs`'s `SoftPasskey`, real P-256 keys and signatures): registering,
//! the second factor after the password, passwordless sign-in, step-up, the sign counter, user
//! verification, single-use expiring ceremonies, management, and tenant isolation.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use common::TestStore;
use common::http::{Server, code};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use webauthn_authenticator_rs::WebauthnAuthenticator;
use webauthn_authenticator_rs::softpasskey::SoftPasskey;
use webauthn_rs::prelude::{CreationChallengeResponse, RequestChallengeResponse, Url};

/// A server whose clock the test moves, and the authenticator of its user.
struct Bench {
    s: Server,
    now: Arc<AtomicI64>,
    key: std::sync::Mutex<SoftPasskey>,
}

impl Bench {
    async fn start(store: &TestStore) -> Self {
        let now = Arc::new(AtomicI64::new(chrono::Utc::now().timestamp()));
        let read = now.clone();
        let clock: authnode::app::env::Clock = Arc::new(move || chrono::DateTime::from_timestamp(read.load(Ordering::SeqCst), 0).unwrap());
        // `true`: the software key claims user verification (a PIN or a fingerprint) when asked.
        Self { s: Server::start_with_clock(store, clock).await, now, key: std::sync::Mutex::new(SoftPasskey::new(true)) }
    }

    fn advance(&self, seconds: i64) {
        self.now.fetch_add(seconds, Ordering::SeqCst);
    }

    fn key(&self) -> std::sync::MutexGuard<'_, SoftPasskey> {
        self.key.lock().unwrap()
    }

    fn origin(&self) -> Url {
        self.s.public_url()
    }

    async fn step_up(&self, token: &str) {
        let (st, body) = self.s.post("/auth/reauth", Some(token), json!({ "password": "correct horse battery" })).await;
        assert_eq!(st, StatusCode::OK, "{body}");
    }

    /// Begins a registration (the caller has stepped up): the ceremony and its options.
    async fn registration(&self, token: &str) -> (String, CreationChallengeResponse) {
        let (st, body) = self.s.post("/me/passkeys/options", Some(token), json!({})).await;
        assert_eq!(st, StatusCode::OK, "{body}");
        (body["ceremony"].as_str().unwrap().to_owned(), serde_json::from_value(body["options"].clone()).unwrap())
    }

    /// Registers a new passkey of `self.key` for the holder of `token`; its id.
    async fn register(&self, token: &str, name: &str) -> String {
        self.step_up(token).await;
        let (ceremony, options) = self.registration(token).await;
        let credential = self.key().do_registration(self.origin(), options).unwrap();
        let (st, body) = self.s.post("/me/passkeys", Some(token), json!({ "ceremony": ceremony, "name": name, "credential": credential })).await;
        assert_eq!(st, StatusCode::CREATED, "{body}");
        body["id"].as_str().unwrap().to_owned()
    }

    /// The key's assertion for `options` at `origin`.
    fn assert(&self, origin: Url, options: &Value) -> Value {
        let options: RequestChallengeResponse = serde_json::from_value(options.clone()).unwrap();
        serde_json::to_value(self.key().do_authentication(origin, options).unwrap()).unwrap()
    }

    /// The key's answer to a passwordless ceremony, as a phone or a security key with the
    /// passkey stored on it answers: `SoftPasskey` keeps no discoverable credentials, so the
    /// test names the credential to use and adds the user handle the authenticator would
    /// return. Neither is covered by the signature; the server verifies everything that is.
    fn assert_discoverable(&self, options: &Value, credential_id: &str, user_handle: &[u8]) -> Value {
        let mut options = options.clone();
        options["publicKey"]["allowCredentials"] = json!([{ "type": "public-key", "id": credential_id }]);
        let mut answer = self.assert(self.origin(), &options);
        answer["response"]["userHandle"] = json!(base64url(user_handle));
        answer
    }
}

/// The same host on another port: another origin (RFC 6454), where a phishing page could be.
fn other_port(origin: &Url) -> Url {
    let mut other = origin.clone();
    other.set_port(Some(if origin.port() == Some(1) { 2 } else { 1 })).unwrap();
    other
}

fn base64url(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

async fn password_step(s: &Server, name: &str) -> Value {
    let (st, body) = s.post("/auth/login", None, json!({ "login": name, "password": "correct horse battery" })).await;
    assert_eq!(st, StatusCode::OK, "{body}");
    body
}

async fn audit_types(s: &Server, token: &str) -> Vec<String> {
    let (st, body) = s.get("/audit?limit=500", token).await;
    assert_eq!(st, StatusCode::OK, "{body}");
    body["entries"].as_array().unwrap().iter().map(|e| e["event_type"].as_str().unwrap().to_owned()).collect()
}

async fn a_passkey_is_registered_and_signs_in_after_the_password(store: &TestStore) {
    let b = Bench::start(store).await;
    let s = &b.s;
    s.register("root").await;
    let (token, _, _) = s.login("root").await;
    let (st, body) = s.get("/me/passkeys", &token).await;
    assert_eq!((st, body), (StatusCode::OK, json!({ "passkeys": [] })));

    // A passkey signs in on its own: adding one needs a fresh proof.
    let (st, body) = s.post("/me/passkeys/options", Some(&token), json!({})).await;
    assert_eq!((st, code(&body)), (StatusCode::FORBIDDEN, "reauthentication_required"), "{body}");
    b.step_up(&token).await;
    let (ceremony, options) = b.registration(&token).await;
    let raw = serde_json::to_value(&options).unwrap();
    assert_eq!(raw["publicKey"]["rp"]["id"], "localhost", "the relying party is the public URL's host");
    assert_eq!(raw["publicKey"]["authenticatorSelection"]["userVerification"], "required");
    assert_eq!(raw["publicKey"]["authenticatorSelection"]["residentKey"], "preferred", "discoverable where the authenticator can");

    // An answer made for another origin (a phishing site) does not verify.
    let phished = b.key().do_registration(other_port(&b.origin()), options.clone()).unwrap();
    let (st, body) = s.post("/me/passkeys", Some(&token), json!({ "ceremony": ceremony, "name": "laptop", "credential": phished })).await;
    assert_eq!((st, code(&body), body["error"]["field"].as_str()), (StatusCode::BAD_REQUEST, "passkey_invalid", Some("credential")), "{body}");
    // The ceremony was spent by that attempt.
    let credential = b.key().do_registration(b.origin(), options).unwrap();
    let (st, body) = s.post("/me/passkeys", Some(&token), json!({ "ceremony": ceremony, "name": "laptop", "credential": credential })).await;
    assert_eq!((st, code(&body)), (StatusCode::BAD_REQUEST, "ceremony_invalid"), "{body}");

    // Without user verification (the options altered on the way, so the key only tests
    // presence), a new passkey is refused.
    let (ceremony, options) = b.registration(&token).await;
    let mut lax = serde_json::to_value(&options).unwrap();
    lax["publicKey"]["authenticatorSelection"]["userVerification"] = json!("discouraged");
    let unverified = b.key().do_registration(b.origin(), serde_json::from_value(lax).unwrap()).unwrap();
    let (st, body) = s.post("/me/passkeys", Some(&token), json!({ "ceremony": ceremony, "name": "laptop", "credential": unverified })).await;
    assert_eq!((st, code(&body)), (StatusCode::BAD_REQUEST, "passkey_invalid"), "user verification is required: {body}");

    // Garbage is a 400 naming the field, not a 500.
    let (ceremony, _) = b.registration(&token).await;
    let (st, body) = s.post("/me/passkeys", Some(&token), json!({ "ceremony": ceremony, "name": "laptop", "credential": { "id": 5 } })).await;
    assert_eq!((st, code(&body), body["error"]["field"].as_str()), (StatusCode::BAD_REQUEST, "credential_invalid", Some("credential")), "{body}");

    // A bad name is refused before the ceremony is spent: the same ceremony then succeeds.
    let (ceremony, options) = b.registration(&token).await;
    let credential = b.key().do_registration(b.origin(), options).unwrap();
    let (st, body) = s.post("/me/passkeys", Some(&token), json!({ "ceremony": ceremony, "name": " ", "credential": credential })).await;
    assert_eq!((st, code(&body)), (StatusCode::BAD_REQUEST, "invalid_passkey_name"), "{body}");
    let (st, body) = s.post("/me/passkeys", Some(&token), json!({ "ceremony": ceremony, "name": "spare", "credential": credential })).await;
    assert_eq!(st, StatusCode::CREATED, "{body}");
    let spare = body["id"].as_str().unwrap().to_owned();
    let (st, _) = s.call(Method::DELETE, &format!("/me/passkeys/{spare}"), Some(&token), None).await;
    assert_eq!(st, StatusCode::NO_CONTENT);

    // A ceremony runs out after five minutes.
    let (ceremony, options) = b.registration(&token).await;
    let credential = b.key().do_registration(b.origin(), options).unwrap();
    b.advance(301);
    let (st, body) = s.post("/me/passkeys", Some(&token), json!({ "ceremony": ceremony, "name": "laptop", "credential": credential })).await;
    assert_eq!((st, code(&body)), (StatusCode::BAD_REQUEST, "ceremony_invalid"), "{body}");

    let id = b.register(&token, "  laptop ").await;
    let (_, list) = s.get("/me/passkeys", &token).await;
    assert_eq!(list["passkeys"].as_array().unwrap().len(), 1, "{list}");
    assert_eq!((list["passkeys"][0]["id"].as_str(), list["passkeys"][0]["name"].as_str()), (Some(id.as_str()), Some("laptop")));
    assert!(list["passkeys"][0]["last_used_at"].is_null());
    assert!(!list.to_string().contains("cred"), "the credential itself is never listed: {list}");

    // The password alone no longer signs in: the answer is a challenge with the passkey's options.
    let answer = password_step(s, "root").await;
    assert_eq!(answer["second_factor_required"], true, "{answer}");
    assert!(answer["access_token"].is_null());
    assert!(answer["methods"].as_array().unwrap().contains(&json!("webauthn")), "{answer}");
    let challenge = answer["challenge"].as_str().unwrap().to_owned();
    let complete = |challenge: String, credential: Value| async move {
        s.post("/auth/login/second-factor", None, json!({ "challenge": challenge, "method": "webauthn", "credential": credential })).await
    };
    // An assertion for another origin fails like a wrong code, and spends the attempt.
    let phished = b.assert(other_port(&b.origin()), &answer["webauthn"]);
    let (st, body) = complete(challenge.clone(), phished).await;
    assert_eq!((st, code(&body)), (StatusCode::UNAUTHORIZED, "second_factor_invalid"), "{body}");
    let good = b.assert(b.origin(), &answer["webauthn"]);
    let (st, body) = complete(challenge, good).await;
    assert_eq!((st, code(&body)), (StatusCode::UNAUTHORIZED, "ceremony_invalid"), "the passkey request was single-use: {body}");

    let answer = password_step(s, "root").await;
    let good = b.assert(b.origin(), &answer["webauthn"]);
    let challenge = answer["challenge"].as_str().unwrap().to_owned();
    let (st, body) = complete(challenge.clone(), good.clone()).await;
    assert_eq!(st, StatusCode::OK, "{body}");
    assert!(body["access_token"].is_string() && body["user"]["username"] == "root", "{body}");
    let (st, body) = complete(challenge, good).await;
    assert_eq!((st, code(&body)), (StatusCode::UNAUTHORIZED, "challenge_invalid"), "a challenge is single-use: {body}");
    let (_, list) = s.get("/me/passkeys", &token).await;
    assert!(list["passkeys"][0]["last_used_at"].is_string(), "{list}");

    // A passkey alone never completes another account's challenge (the ceremony is bound to
    // the account whose password passed), and without a password step there is no challenge.
    let (st, body) = complete("nonsense".into(), json!({})).await;
    assert_eq!((st, code(&body)), (StatusCode::UNAUTHORIZED, "challenge_invalid"), "{body}");

    let types = audit_types(s, &token).await;
    for t in ["PasskeyRegistered", "PasskeyUsed", "SecondFactorPassed", "LoginFailed", "SessionReauthenticated"] {
        assert!(types.contains(&t.to_owned()), "{t} missing from {types:?}");
    }
}

async fn passwordless_sign_in_step_up_and_the_sign_counter(store: &TestStore) {
    let b = Bench::start(store).await;
    let s = &b.s;
    let (_, me) = s.register("root").await;
    let root_id: uuid::Uuid = me["user"]["id"].as_str().unwrap().parse().unwrap();
    let (token, _, _) = s.login("root").await;
    let id = b.register(&token, "phone").await;

    // Passwordless: the options name no credential; the passkey names its user.
    let (st, begun) = s.post("/auth/passkey/options", None, json!({})).await;
    assert_eq!(st, StatusCode::OK, "{begun}");
    assert!(begun["options"]["publicKey"]["allowCredentials"].as_array().is_none_or(Vec::is_empty), "{begun}");
    assert!(begun["options"]["mediation"].is_null(), "the page chooses the mediation: {begun}");
    let answer = b.assert_discoverable(&begun["options"], &id, root_id.as_bytes());
    let (st, body) = s.post("/auth/passkey", None, json!({ "ceremony": begun["ceremony"], "credential": answer })).await;
    assert_eq!(st, StatusCode::OK, "{body}");
    assert_eq!(body["user"]["username"], "root", "{body}");
    let passwordless = body["access_token"].as_str().unwrap().to_owned();
    let (st, _) = s.get("/applications", &passwordless).await;
    assert_eq!(st, StatusCode::OK);
    let (st, body) = s.post("/auth/passkey", None, json!({ "ceremony": begun["ceremony"], "credential": answer })).await;
    assert_eq!((st, code(&body)), (StatusCode::UNAUTHORIZED, "ceremony_invalid"), "a ceremony is single-use: {body}");
    // A user handle that is not the passkey's owner's does not sign in as anyone.
    let (_, begun) = s.post("/auth/passkey/options", None, json!({})).await;
    let answer = b.assert_discoverable(&begun["options"], &id, uuid::Uuid::new_v4().as_bytes());
    let (st, body) = s.post("/auth/passkey", None, json!({ "ceremony": begun["ceremony"], "credential": answer })).await;
    assert_eq!((st, code(&body)), (StatusCode::UNAUTHORIZED, "passkey_invalid"), "{body}");
    let (_, begun) = s.post("/auth/passkey/options", None, json!({})).await;
    let (st, body) = s.post("/auth/passkey", None, json!({ "ceremony": begun["ceremony"], "credential": "x" })).await;
    assert_eq!((st, code(&body)), (StatusCode::BAD_REQUEST, "credential_invalid"), "{body}");

    // Step-up with the passkey; the assertion alone names its ceremony.
    let (st, begun) = s.post("/auth/reauth/options", Some(&passwordless), json!({})).await;
    assert_eq!(st, StatusCode::OK, "{begun}");
    let answer = b.assert(b.origin(), &begun["options"]);
    let (st, body) = s.post("/auth/reauth", Some(&passwordless), json!({ "credential": answer })).await;
    assert_eq!((st, body["expires_in"].as_u64()), (StatusCode::OK, Some(300)), "{body}");
    let (_, status) = s.get("/me/second-factors", &passwordless).await;
    assert!(status["stepped_up_until"].is_string(), "{status}");
    // Another account's ceremony is not the caller's to finish.
    s.open_signup().await;
    s.register("bob").await;
    let (bob, _, _) = s.login("bob").await;
    let (_, begun) = s.post("/auth/reauth/options", Some(&passwordless), json!({})).await;
    let answer = b.assert(b.origin(), &begun["options"]);
    let (st, body) = s.post("/auth/reauth", Some(&bob), json!({ "ceremony": begun["ceremony"], "credential": answer })).await;
    assert_eq!((st, code(&body)), (StatusCode::BAD_REQUEST, "ceremony_invalid"), "{body}");
    let (st, body) = s.post("/auth/reauth/options", Some(&bob), json!({})).await;
    assert_eq!((st, code(&body)), (StatusCode::CONFLICT, "no_passkey"), "{body}");

    // The sign counter (WebAuthn L3 §6.1.1): an assertion older than one already seen, as a
    // cloned key would make, is refused.
    let (_, first) = s.post("/auth/reauth/options", Some(&token), json!({})).await;
    let (_, second) = s.post("/auth/reauth/options", Some(&token), json!({})).await;
    let older = b.assert(b.origin(), &first["options"]);
    let newer = b.assert(b.origin(), &second["options"]);
    let (st, body) = s.post("/auth/reauth", Some(&token), json!({ "ceremony": second["ceremony"], "credential": newer })).await;
    assert_eq!(st, StatusCode::OK, "{body}");
    let (st, body) = s.post("/auth/reauth", Some(&token), json!({ "ceremony": first["ceremony"], "credential": older })).await;
    assert_eq!((st, code(&body)), (StatusCode::BAD_REQUEST, "passkey_invalid"), "a counter that went back: {body}");

    let types = audit_types(s, &token).await;
    assert!(types.iter().filter(|t| *t == "PasskeyUsed").count() >= 3, "{types:?}");
    assert!(types.contains(&"LoginSucceeded".to_owned()));
}

async fn passkeys_are_renamed_and_removed_by_their_owner_only(store: &TestStore) {
    let b = Bench::start(store).await;
    let s = &b.s;
    s.register("root").await;
    let (token, _, _) = s.login("root").await;
    let id = b.register(&token, "laptop").await;
    let second = b.register(&token, "phone").await;
    assert_ne!(id, second);
    let path = format!("/me/passkeys/{id}");

    let (st, body) = s.call(Method::PATCH, &path, Some(&token), Some(json!({ "name": "work laptop" }))).await;
    assert_eq!((st, body["name"].as_str()), (StatusCode::OK, Some("work laptop")), "{body}");
    let (st, body) = s.call(Method::PATCH, &path, Some(&token), Some(json!({ "name": "  " }))).await;
    assert_eq!((st, code(&body)), (StatusCode::BAD_REQUEST, "invalid_passkey_name"), "{body}");
    let (st, body) = s.call(Method::PATCH, "/me/passkeys/nope", Some(&token), Some(json!({ "name": "x" }))).await;
    assert_eq!((st, code(&body)), (StatusCode::NOT_FOUND, "passkey_not_found"), "{body}");

    // Another user sees none of them and can touch none of them.
    s.open_signup().await;
    s.register("eve").await;
    let (eve, _, _) = s.login("eve").await;
    b.step_up(&eve).await;
    let (_, list) = s.get("/me/passkeys", &eve).await;
    assert_eq!(list, json!({ "passkeys": [] }));
    let (st, body) = s.call(Method::PATCH, &path, Some(&eve), Some(json!({ "name": "mine" }))).await;
    assert_eq!((st, code(&body)), (StatusCode::NOT_FOUND, "passkey_not_found"), "{body}");
    let (st, body) = s.call(Method::DELETE, &path, Some(&eve), None).await;
    assert_eq!((st, code(&body)), (StatusCode::NOT_FOUND, "passkey_not_found"), "{body}");
    // Nor finish root's registration ceremony as hers.
    let (ceremony, options) = b.registration(&token).await;
    let credential = b.key().do_registration(b.origin(), options).unwrap();
    let (st, body) = s.post("/me/passkeys", Some(&eve), json!({ "ceremony": ceremony, "name": "x", "credential": credential })).await;
    assert_eq!((st, code(&body)), (StatusCode::BAD_REQUEST, "ceremony_invalid"), "{body}");
    let (_, list) = s.get("/me/passkeys", &token).await;
    assert_eq!(list["passkeys"].as_array().unwrap().len(), 2, "root's list is unchanged: {list}");

    // Removal needs a step-up; the last factor's removal discards the recovery codes.
    let fresh = {
        let answer = password_step(s, "root").await;
        let credential = b.assert(b.origin(), &answer["webauthn"]);
        let (st, body) = s
            .post("/auth/login/second-factor", None, json!({ "challenge": answer["challenge"], "method": "webauthn", "credential": credential }))
            .await;
        assert_eq!(st, StatusCode::OK, "{body}");
        body["access_token"].as_str().unwrap().to_owned()
    };
    let (st, body) = s.call(Method::DELETE, &path, Some(&fresh), None).await;
    assert_eq!((st, code(&body)), (StatusCode::FORBIDDEN, "reauthentication_required"), "a new session has no step-up: {body}");
    b.step_up(&fresh).await;
    let (st, _) = s.call(Method::DELETE, &path, Some(&fresh), None).await;
    assert_eq!(st, StatusCode::NO_CONTENT);
    let (st, _) = s.call(Method::DELETE, &format!("/me/passkeys/{second}"), Some(&fresh), None).await;
    assert_eq!(st, StatusCode::NO_CONTENT);
    let (_, status) = s.get("/me/second-factors", &fresh).await;
    assert_eq!((status["passkeys"].as_array().map(Vec::len), status["recovery_codes_left"].as_u64()), (Some(0), Some(0)), "{status}");
    let answer = password_step(s, "root").await;
    assert!(answer["access_token"].is_string(), "no factor left: the password signs in: {answer}");

    let types = audit_types(s, &token).await;
    for t in ["PasskeyRenamed", "PasskeyRemoved"] {
        assert!(types.contains(&t.to_owned()), "{t} missing from {types:?}");
    }
}

on_both_backends!(
    a_passkey_is_registered_and_signs_in_after_the_password,
    passwordless_sign_in_step_up_and_the_sign_counter,
    passkeys_are_renamed_and_removed_by_their_owner_only,
);
