//! Second factors over real HTTP, on SQLite and PostgreSQL: authenticator app, recovery codes,
//! the sign-in challenge, lockout, the two-factor policy, step-up and revealing a secret. Codes
//! are computed here (RFC 4226/6238), independently of the server's OTP engine.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use base64::Engine;
use common::TestStore;
use common::http::{Server, code};
use hmac::{Hmac, Mac};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// RFC 4648 base32 (no padding, any case).
fn base32_decode(text: &str) -> Vec<u8> {
    let (mut out, mut acc, mut bits) = (Vec::new(), 0u64, 0);
    for c in text.trim_end_matches('=').chars() {
        let v = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".find(c.to_ascii_uppercase()).expect("base32") as u64;
        acc = (acc << 5) | v;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

/// The 6-digit TOTP code (RFC 6238, SHA-1, 30 s) of `secret` at Unix time `t`.
fn totp(secret: &str, t: i64) -> String {
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(&base32_decode(secret)).unwrap();
    mac.update(&((t / 30) as u64).to_be_bytes());
    let h = mac.finalize().into_bytes();
    let off = (h[19] & 0xf) as usize;
    let bin = (u32::from(h[off]) & 0x7f) << 24 | u32::from(h[off + 1]) << 16 | u32::from(h[off + 2]) << 8 | u32::from(h[off + 3]);
    format!("{:06}", bin % 1_000_000)
}

/// A server whose clock the test moves.
struct Clocked {
    s: Server,
    now: Arc<AtomicI64>,
}

impl Clocked {
    async fn start(store: &TestStore) -> Self {
        // Mid-period, so that a code and the next step are a whole period apart.
        let start = chrono::Utc::now().timestamp() / 30 * 30 + 10;
        let now = Arc::new(AtomicI64::new(start));
        let read = now.clone();
        let clock: authnode::app::env::Clock = Arc::new(move || chrono::DateTime::from_timestamp(read.load(Ordering::SeqCst), 0).unwrap());
        Self { s: Server::start_with_clock(store, clock).await, now }
    }

    fn t(&self) -> i64 {
        self.now.load(Ordering::SeqCst)
    }

    fn advance(&self, seconds: i64) {
        self.now.fetch_add(seconds, Ordering::SeqCst);
    }
}

/// Signs in with the password only; the raw answer.
async fn password_step(s: &Server, name: &str) -> (StatusCode, Value, bool) {
    let res = s.http.post(s.url("/auth/login")).json(&json!({ "login": name, "password": "correct horse battery" })).send().await.unwrap();
    let (status, cookies) = (res.status(), res.headers().get_all("set-cookie").iter().count() > 0);
    (status, res.json().await.unwrap(), cookies)
}

/// Steps up the holder of `token` with the password.
async fn step_up(s: &Server, token: &str) {
    let (status, body) = s.post("/auth/reauth", Some(token), json!({ "password": "correct horse battery" })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

/// Enrols an authenticator app for the holder of `token` (stepping up first); returns its secret
/// and recovery codes.
async fn enrol(c: &Clocked, token: &str) -> (String, Vec<String>) {
    step_up(&c.s, token).await;
    let (status, body) = c.s.post("/me/totp", Some(token), json!({})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let secret = body["secret"].as_str().unwrap().to_owned();
    let (status, body) = c.s.post("/me/totp/confirm", Some(token), json!({ "code": totp(&secret, c.t()) })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let codes = body["recovery_codes"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_owned()).collect();
    (secret, codes)
}

async fn audit_types(s: &Server, token: &str, query: &str) -> Vec<String> {
    let (status, body) = s.get(&format!("/audit?limit=500{query}"), token).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["entries"].as_array().unwrap().iter().map(|e| e["event_type"].as_str().unwrap().to_owned()).collect()
}

async fn authenticator_app_enrolment_sign_in_and_removal(store: &TestStore) {
    let c = Clocked::start(store).await;
    let s = &c.s;
    s.register("root").await;
    let (token, _, _) = s.login("root").await;
    let (_, status) = s.call(reqwest::Method::GET, "/me/second-factors", Some(&token), None).await;
    assert_eq!((status["totp_enabled"].as_bool(), status["recovery_codes_left"].as_u64()), (Some(false), Some(0)), "{status}");

    // Enrolment needs a step-up (a stolen session must not put its own factor on the account);
    // the secret comes as a link, a QR picture and text; a wrong code does not confirm it.
    let (st, body) = s.post("/me/totp", Some(&token), json!({})).await;
    assert_eq!((st, code(&body)), (StatusCode::FORBIDDEN, "reauthentication_required"), "{body}");
    step_up(s, &token).await;
    let (st, body) = s.post("/me/totp", Some(&token), json!({})).await;
    assert_eq!(st, StatusCode::OK, "{body}");
    let secret = body["secret"].as_str().unwrap().to_owned();
    assert_eq!(base32_decode(&secret).len(), 20, "a 160-bit secret");
    let uri = body["otpauth_uri"].as_str().unwrap();
    assert!(uri.starts_with("otpauth://totp/") && uri.contains(&format!("secret={secret}")) && uri.contains("issuer=AuthNode"), "{uri}");
    let png = base64::engine::general_purpose::STANDARD.decode(body["qr_png_base64"].as_str().unwrap()).unwrap();
    let picture = image::load_from_memory(&png).unwrap().to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(picture);
    assert_eq!(prepared.detect_grids()[0].decode().unwrap().1, uri, "the QR code holds the link");
    let wrong = if totp(&secret, c.t()) == "000000" { "111111" } else { "000000" };
    let (st, body) = s.post("/me/totp/confirm", Some(&token), json!({ "code": wrong })).await;
    assert_eq!((st, code(&body)), (StatusCode::BAD_REQUEST, "invalid_code"), "{body}");
    let (st, body) = s.post("/me/totp/confirm", Some(&token), json!({ "code": totp(&secret, c.t()) })).await;
    assert_eq!(st, StatusCode::OK, "{body}");
    let recovery: Vec<String> = body["recovery_codes"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_owned()).collect();
    assert_eq!(recovery.len(), 10);
    assert_eq!(recovery.iter().collect::<std::collections::HashSet<_>>().len(), 10, "distinct codes");
    let (st, body) = s.post("/me/totp", Some(&token), json!({})).await;
    assert_eq!((st, code(&body)), (StatusCode::CONFLICT, "totp_already_enabled"));

    // The password alone no longer signs in: a challenge, and neither token nor cookie.
    let (st, answer, cookies) = password_step(s, "root").await;
    assert_eq!(st, StatusCode::OK, "{answer}");
    assert_eq!(answer["second_factor_required"], true);
    assert!(answer.get("access_token").is_none() && !cookies, "no session before the second factor: {answer}");
    assert_eq!(answer["methods"], json!(["totp", "recovery"]));
    assert!(answer["expires_in"].as_u64().unwrap() <= 300);
    let challenge = answer["challenge"].as_str().unwrap().to_owned();
    let complete = |challenge: &str, method: &str, code: &str| {
        let body = json!({ "challenge": challenge, "method": method, "code": code });
        async move { s.post("/auth/login/second-factor", None, body).await }
    };
    // The code that confirmed the app is spent (same time step): refused, and the challenge stays.
    let (st, body) = complete(&challenge, "totp", &totp(&secret, c.t())).await;
    assert_eq!((st, code(&body)), (StatusCode::UNAUTHORIZED, "second_factor_invalid"), "{body}");
    c.advance(30);
    let (st, body) = complete(&challenge, "totp", &totp(&secret, c.t())).await;
    assert_eq!(st, StatusCode::OK, "{body}");
    assert!(body["access_token"].is_string() && body["refresh_token"].is_string(), "{body}");
    let (st, _) = s.get("/me", body["access_token"].as_str().unwrap()).await;
    assert_eq!(st, StatusCode::OK);
    // A challenge is good once.
    c.advance(30);
    let (st, body) = complete(&challenge, "totp", &totp(&secret, c.t())).await;
    assert_eq!((st, code(&body)), (StatusCode::UNAUTHORIZED, "challenge_invalid"), "{body}");

    // A recovery code instead of the app, once.
    let (_, answer, _) = password_step(s, "root").await;
    let (st, body) = complete(answer["challenge"].as_str().unwrap(), "recovery", &recovery[3].to_uppercase().replace('-', " ")).await;
    assert_eq!(st, StatusCode::OK, "a recovery code is typed loosely: {body}");
    let (_, status) = s.call(reqwest::Method::GET, "/me/second-factors", Some(&token), None).await;
    assert_eq!(status["recovery_codes_left"], 9);
    let (_, answer, _) = password_step(s, "root").await;
    let (st, body) = complete(answer["challenge"].as_str().unwrap(), "recovery", &recovery[3]).await;
    assert_eq!((st, code(&body)), (StatusCode::UNAUTHORIZED, "second_factor_invalid"), "{body}");

    // A challenge runs out after five minutes.
    let (_, answer, _) = password_step(s, "root").await;
    c.advance(301);
    let (st, body) = complete(answer["challenge"].as_str().unwrap(), "totp", &totp(&secret, c.t())).await;
    assert_eq!((st, code(&body)), (StatusCode::UNAUTHORIZED, "challenge_invalid"), "{body}");

    // Without the password step there is no challenge to complete: a code alone never signs in,
    // nor does a challenge moved to another account.
    let root_id = status_id(s, &token).await;
    for fake in [format!("{root_id}.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), format!("{root_id}."), "nonsense".to_owned()] {
        let (st, body) = complete(&fake, "totp", &totp(&secret, c.t())).await;
        assert_eq!((st, code(&body)), (StatusCode::UNAUTHORIZED, "challenge_invalid"), "{fake}: {body}");
    }
    s.open_signup().await;
    let (_, bob) = s.register("bob").await;
    let bob_id = bob["user"]["id"].as_str().unwrap();
    let (_, answer, _) = password_step(s, "root").await;
    let moved = answer["challenge"].as_str().unwrap().replacen(&root_id, bob_id, 1);
    let (st, body) = complete(&moved, "totp", &totp(&secret, c.t())).await;
    assert_eq!((st, code(&body)), (StatusCode::UNAUTHORIZED, "challenge_invalid"), "{body}");

    // Removal needs a recent step-up and a code; the step-up lasts five minutes.
    let (token, _) = sign_in_with_code(&c, "root", &secret).await;
    let remove = |code: String| {
        let token = token.clone();
        async move { s.call(reqwest::Method::DELETE, "/me/totp", Some(&token), Some(json!({ "code": code }))).await }
    };
    c.advance(30);
    let (st, body) = remove(totp(&secret, c.t())).await;
    assert_eq!((st, code(&body)), (StatusCode::FORBIDDEN, "reauthentication_required"), "{body}");
    let (st, body) = s.post("/auth/reauth", Some(&token), json!({ "password": "not the password" })).await;
    assert_eq!((st, code(&body), body["error"]["field"].as_str()), (StatusCode::FORBIDDEN, "wrong_password", Some("password")), "{body}");
    let (st, body) = s.post("/auth/reauth", Some(&token), json!({ "password": "correct horse battery" })).await;
    assert_eq!((st, body["expires_in"].as_u64()), (StatusCode::OK, Some(300)), "{body}");
    c.advance(301);
    let (st, body) = s.post("/me/recovery-codes", Some(&token), json!({})).await;
    assert_eq!((st, code(&body)), (StatusCode::FORBIDDEN, "reauthentication_required"), "a step-up expires: {body}");
    s.post("/auth/reauth", Some(&token), json!({ "password": "correct horse battery" })).await;
    let (st, body) = s.post("/me/recovery-codes", Some(&token), json!({})).await;
    assert_eq!(st, StatusCode::OK, "{body}");
    let fresh = body["recovery_codes"][0].as_str().unwrap().to_owned();
    let right = totp(&secret, c.t());
    let wrong = if right == "000000" { "000001".to_owned() } else { "000000".to_owned() };
    let (st, body) = remove(wrong).await;
    assert_eq!((st, code(&body), body["error"]["field"].as_str()), (StatusCode::BAD_REQUEST, "invalid_code", Some("code")), "{body}");
    let (_, status) = s.call(reqwest::Method::GET, "/me/second-factors", Some(&token), None).await;
    assert!(status["stepped_up_until"].is_string() && status["enrolment_due"] == false, "{status}");
    let (st, body) = remove(right).await;
    assert_eq!(st, StatusCode::NO_CONTENT, "{body}");
    let (_, status) = s.call(reqwest::Method::GET, "/me/second-factors", Some(&token), None).await;
    assert_eq!((status["totp_enabled"].as_bool(), status["recovery_codes_left"].as_u64()), (Some(false), Some(0)), "{status}");
    assert!(!fresh.is_empty());
    let (st, answer, cookies) = password_step(s, "root").await;
    assert!(st == StatusCode::OK && answer["access_token"].is_string() && cookies, "the password signs in again: {answer}");

    // Every step is in the audit log.
    let types = audit_types(s, &token, "").await;
    for t in [
        "TotpEnrolmentStarted",
        "TotpEnabled",
        "RecoveryCodesGenerated",
        "SecondFactorChallengeIssued",
        "SecondFactorPassed",
        "RecoveryCodeUsed",
        "SessionReauthenticated",
        "TotpDisabled",
    ] {
        assert!(types.iter().any(|x| x == t), "{t} is not in the audit log: {types:?}");
    }
    let failures = audit_types(s, &token, "&outcome=failure").await;
    assert!(
        failures.iter().filter(|t| *t == "LoginFailed").count() >= 3,
        "wrong second factors and the wrong step-up password are failures: {failures:?}"
    );
}

async fn status_id(s: &Server, token: &str) -> String {
    let (_, me) = s.get("/me", token).await;
    me["user"]["id"].as_str().unwrap().to_owned()
}

/// Signs in with the password and a fresh code (the next time step); returns the access token
/// and the whole answer.
async fn sign_in_with_code(c: &Clocked, name: &str, secret: &str) -> (String, Value) {
    c.advance(30);
    let (_, answer, _) = password_step(&c.s, name).await;
    let body = json!({ "challenge": answer["challenge"], "method": "totp", "code": totp(secret, c.t()) });
    let (st, body) = c.s.post("/auth/login/second-factor", None, body).await;
    assert_eq!(st, StatusCode::OK, "{body}");
    (body["access_token"].as_str().unwrap().to_owned(), body)
}

async fn second_factor_failures_lock_the_account(store: &TestStore) {
    let c = Clocked::start(store).await;
    let s = &c.s;
    s.register("root").await;
    let (token, _, _) = s.login("root").await;
    let (st, body) = s
        .call(
            reqwest::Method::PATCH,
            "/admin/settings",
            Some(&token),
            Some(json!({ "lockout": { "max_failures": 3, "window_minutes": 15, "lock_minutes": 15 } })),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{body}");
    let (secret, _) = enrol(&c, &token).await;
    c.advance(30);
    let (_, answer, _) = password_step(s, "root").await;
    let wrong = if totp(&secret, c.t()) == "000000" { "111111" } else { "000000" };
    let attempt = |code: String| {
        let body = json!({ "challenge": answer["challenge"], "method": "totp", "code": code });
        async move { s.post("/auth/login/second-factor", None, body).await }
    };
    for expected in [
        (StatusCode::UNAUTHORIZED, "second_factor_invalid"),
        (StatusCode::UNAUTHORIZED, "second_factor_invalid"),
        (StatusCode::LOCKED, "account_locked"),
    ] {
        let (st, body) = attempt(wrong.to_owned()).await;
        assert_eq!((st, code(&body)), expected, "{body}");
    }
    // While locked, no answer is looked at: the right code and a wrong one get the same 423,
    // and a step-up with the right password is refused too.
    for answer in [totp(&secret, c.t()), wrong.to_owned()] {
        let (st, body) = attempt(answer).await;
        assert_eq!((st, code(&body)), (StatusCode::LOCKED, "account_locked"), "locked: {body}");
    }
    let (st, body) = s.post("/auth/reauth", Some(&token), json!({ "password": "correct horse battery" })).await;
    assert_eq!((st, code(&body)), (StatusCode::LOCKED, "account_locked"), "{body}");
    // The lock runs out; the challenge did too, and a fresh sign-in works.
    c.advance(16 * 60);
    let (st, body) = attempt(totp(&secret, c.t())).await;
    assert_eq!((st, code(&body)), (StatusCode::UNAUTHORIZED, "challenge_invalid"), "{body}");
    sign_in_with_code(&c, "root", &secret).await;
}

async fn the_two_factor_policy_is_enforced(store: &TestStore) {
    let c = Clocked::start(store).await;
    let s = &c.s;
    s.register("root").await;
    let (root, _, _) = s.login("root").await;
    s.open_signup().await;
    s.register("bob").await;
    let (bob, _, _) = s.login("bob").await;
    let policy = |scope: &str, grace: u32| json!({ "two_factor": { "scope": scope, "grace_days": grace } });

    // Admins only: bob is not covered, root is (no grace).
    let (st, body) = s.call(reqwest::Method::PATCH, "/admin/settings", Some(&root), Some(policy("admins", 0))).await;
    assert_eq!(st, StatusCode::OK, "{body}");
    let (st, _) = s.get("/applications", &bob).await;
    assert_eq!(st, StatusCode::OK);
    let (st, body) = s.get("/applications", &root).await;
    assert_eq!((st, code(&body)), (StatusCode::FORBIDDEN, "second_factor_enrolment_required"), "{body}");
    let (st, body) = s.get("/admin/users", &root).await;
    assert_eq!((st, code(&body)), (StatusCode::FORBIDDEN, "second_factor_enrolment_required"), "{body}");
    // What enrolment needs stays open.
    let (st, _) = s.get("/me", &root).await;
    assert_eq!(st, StatusCode::OK);
    let (st, status) = s.call(reqwest::Method::GET, "/me/second-factors", Some(&root), None).await;
    assert_eq!((st, status["required"].as_bool(), status["enrolment_due"].as_bool()), (StatusCode::OK, Some(true), Some(true)), "{status}");
    assert!(status["enrol_by"].is_string(), "{status}");
    let (secret, _) = enrol(&c, &root).await;
    let (root, _) = sign_in_with_code(&c, "root", &secret).await;
    let (st, _) = s.get("/admin/users", &root).await;
    assert_eq!(st, StatusCode::OK, "enrolled: everything is open again");

    // Everyone, with a week of grace: bob may go on for now, and is told until when.
    let (st, body) = s.call(reqwest::Method::PATCH, "/admin/settings", Some(&root), Some(policy("everyone", 7))).await;
    assert_eq!(st, StatusCode::OK, "{body}");
    let (st, _) = s.get("/applications", &bob).await;
    assert_eq!(st, StatusCode::OK, "within the grace period");
    let (_, status) = s.call(reqwest::Method::GET, "/me/second-factors", Some(&bob), None).await;
    assert_eq!(status["enrolment_due"], false, "{status}");
    let enrol_by = chrono::DateTime::parse_from_rfc3339(status["enrol_by"].as_str().unwrap()).unwrap().timestamp();
    assert!((enrol_by - (c.t() + 7 * 86_400)).abs() <= 2, "a week from the policy change: {status}");
    c.advance(8 * 86_400);
    let (bob, _, _) = s.login("bob").await;
    let (st, body) = s.get("/applications", &bob).await;
    assert_eq!((st, code(&body)), (StatusCode::FORBIDDEN, "second_factor_enrolment_required"), "after the grace period: {body}");
    // Off again: nobody is held.
    let (root, _) = sign_in_with_code(&c, "root", &secret).await;
    s.call(reqwest::Method::PATCH, "/admin/settings", Some(&root), Some(policy("off", 0))).await;
    let (st, _) = s.get("/applications", &bob).await;
    assert_eq!(st, StatusCode::OK);
}

async fn revealing_a_secret_needs_a_step_up_and_is_audited(store: &TestStore) {
    let s = Server::start(store).await;
    s.register("root").await;
    let (token, _, _) = s.login("root").await;
    let (st, body) =
        s.post("/applications", Some(&token), json!({ "issuer": "GitHub", "label": "root@example.com", "secret": "JBSWY3DPEHPK3PXP" })).await;
    assert_eq!(st, StatusCode::CREATED, "{body}");
    let id = body["application"]["id"].as_str().unwrap().to_owned();
    let (st, body) = s.get(&format!("/applications/{id}/secret"), &token).await;
    assert_eq!((st, code(&body)), (StatusCode::FORBIDDEN, "reauthentication_required"), "{body}");
    let (st, _) = s.post("/auth/reauth", Some(&token), json!({ "password": "correct horse battery" })).await;
    assert_eq!(st, StatusCode::OK);
    let res = s.http.get(s.url(&format!("/applications/{id}/secret"))).bearer_auth(&token).send().await.unwrap();
    let cache = res.headers().get("cache-control").map(|v| v.to_str().unwrap().to_owned());
    assert_eq!(cache.as_deref(), Some("no-store"), "no cache may keep a secret (RFC 9111 §5.2.2.5)");
    let (st, body): (_, Value) = (res.status(), res.json().await.unwrap());
    assert_eq!(st, StatusCode::OK, "{body}");
    assert_eq!(body["secret"], "JBSWY3DPEHPK3PXP");
    let uri = body["otpauth_uri"].as_str().unwrap();
    assert!(
        uri.starts_with("otpauth://totp/GitHub:root%40example") && uri.contains("secret=JBSWY3DPEHPK3PXP&") && uri.ends_with("issuer=GitHub"),
        "{uri}"
    );
    let (_, audit) = s.get(&format!("/audit?aggregate_id={id}&event_type=ApplicationSecretRevealed"), &token).await;
    let entries = audit["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 1, "{audit}");
    assert!(entries[0]["actor_id"].is_string() && entries[0]["ip"].is_string());
    // Another user's application is not found, step-up or not.
    s.open_signup().await;
    s.register("eve").await;
    let (eve, _, _) = s.login("eve").await;
    s.post("/auth/reauth", Some(&eve), json!({ "password": "correct horse battery" })).await;
    let (st, body) = s.get(&format!("/applications/{id}/secret"), &eve).await;
    assert_eq!((st, code(&body)), (StatusCode::NOT_FOUND, "application_not_found"), "{body}");
}

async fn an_admin_resets_second_factors(store: &TestStore) {
    let c = Clocked::start(store).await;
    let s = &c.s;
    s.register("root").await;
    let (root, _, _) = s.login("root").await;
    s.open_signup().await;
    let (_, bob) = s.register("bob").await;
    let bob_id = bob["user"]["id"].as_str().unwrap().to_owned();
    let (bob_token, _, _) = s.login("bob").await;
    enrol(&c, &bob_token).await;
    let (_, user) = s.get(&format!("/admin/users/{bob_id}"), &root).await;
    assert_eq!(user["user"]["second_factors"], json!({ "totp": true, "recovery_codes_left": 10, "passkeys": 0 }), "{user}");
    let (st, body) = s.post(&format!("/admin/users/{bob_id}/reset-second-factors"), Some(&bob_token), json!({})).await;
    assert_eq!((st, code(&body)), (StatusCode::FORBIDDEN, "forbidden"));
    // With a password reset this takes an account over: the admin steps up first.
    let (st, body) = s.post(&format!("/admin/users/{bob_id}/reset-second-factors"), Some(&root), json!({})).await;
    assert_eq!((st, code(&body)), (StatusCode::FORBIDDEN, "reauthentication_required"), "{body}");
    step_up(s, &root).await;
    let (st, _) = s.post(&format!("/admin/users/{bob_id}/reset-second-factors"), Some(&root), json!({})).await;
    assert_eq!(st, StatusCode::NO_CONTENT);
    let (st, _) = s.get("/me", &bob_token).await;
    assert_eq!(st, StatusCode::UNAUTHORIZED, "bob's sessions ended");
    let (_, user) = s.get(&format!("/admin/users/{bob_id}"), &root).await;
    assert_eq!(user["user"]["second_factors"], json!({ "totp": false, "recovery_codes_left": 0, "passkeys": 0 }));
    let (st, answer, _) = password_step(s, "bob").await;
    assert!(st == StatusCode::OK && answer["access_token"].is_string(), "{answer}");
    assert!(audit_types(s, &root, &format!("&aggregate_id={bob_id}")).await.contains(&"SecondFactorsReset".to_owned()));
}

async fn a_new_email_needs_a_step_up(store: &TestStore) {
    let server = Server::start(store).await;
    let s = &server;
    s.register("root").await;
    let (root, _, _) = s.login("root").await;
    s.open_signup().await;
    let (_, bob) = s.register("bob").await;
    let bob_id = bob["user"]["id"].as_str().unwrap().to_owned();
    let (bob_t, _, _) = s.login("bob").await;
    let patch = |token: &str, path: String, body: Value| {
        let token = token.to_owned();
        async move { s.call(reqwest::Method::PATCH, &path, Some(&token), Some(body)).await }
    };
    // The same address, another field, or a malformed address need none (the last is a 400).
    let (st, _) = patch(&bob_t, "/me".into(), json!({ "email": "BOB@example.com", "display_name": "Bob" })).await;
    assert_eq!(st, StatusCode::OK);
    let (st, body) = patch(&bob_t, "/me".into(), json!({ "email": "not an address" })).await;
    assert_eq!((st, code(&body)), (StatusCode::BAD_REQUEST, "invalid_email"));
    let (st, body) = patch(&bob_t, "/me".into(), json!({ "email": "robert@example.com" })).await;
    assert_eq!((st, code(&body)), (StatusCode::FORBIDDEN, "reauthentication_required"), "{body}");
    s.post("/auth/reauth", Some(&bob_t), json!({ "password": "correct horse battery" })).await;
    let (st, body) = patch(&bob_t, "/me".into(), json!({ "email": "robert@example.com" })).await;
    assert_eq!((st, body["user"]["email"].as_str()), (StatusCode::OK, Some("robert@example.com")), "{body}");
    // An admin changing someone's address steps up too (their own session).
    let (st, body) = patch(&root, format!("/admin/users/{bob_id}"), json!({ "email": "bobby@example.com" })).await;
    assert_eq!((st, code(&body)), (StatusCode::FORBIDDEN, "reauthentication_required"), "{body}");
    s.post("/auth/reauth", Some(&root), json!({ "password": "correct horse battery" })).await;
    let (st, body) = patch(&root, format!("/admin/users/{bob_id}"), json!({ "email": "bobby@example.com" })).await;
    assert_eq!((st, body["user"]["email"].as_str()), (StatusCode::OK, Some("bobby@example.com")), "{body}");
}

/// The breached-password policy (on by default): checked on sign-up, password change, admin
/// creation and admin reset, in any letter case; off, the same passwords are accepted.
async fn breached_passwords_are_refused_while_the_policy_checks_them(store: &TestStore) {
    let s = Server::start(store).await;
    s.register("root").await;
    let (root, _, _) = s.login("root").await;
    let (_, settings) = s.get("/admin/settings", &root).await;
    assert_eq!(settings["settings"]["password"]["breach_check"], true, "on by default: {settings}");
    s.open_signup().await;
    let sign_up = |password: &'static str| {
        let s = &s;
        async move { s.post("/auth/register", None, json!({ "email": "bob@example.com", "username": "bob", "password": password })).await }
    };
    let refused = |(st, body): (StatusCode, Value), field: &str| {
        assert_eq!((st, code(&body), body["error"]["field"].as_str()), (StatusCode::BAD_REQUEST, "password_breached", Some(field)), "{body}");
    };
    refused(sign_up("password123").await, "password");
    refused(sign_up("PassWord123").await, "password");
    refused(
        s.post("/me/password", Some(&root), json!({ "current_password": "correct horse battery", "new_password": "1234567890" })).await,
        "new_password",
    );
    refused(
        s.post("/admin/users", Some(&root), json!({ "email": "c@example.com", "username": "carol", "password": "qwertyuiop" })).await,
        "password",
    );
    let (st, carol) =
        s.post("/admin/users", Some(&root), json!({ "email": "c@example.com", "username": "carol", "password": "a new long passphrase" })).await;
    assert_eq!(st, StatusCode::CREATED, "{carol}");
    let carol_id = carol["user"]["id"].as_str().unwrap();
    step_up(&s, &root).await;
    refused(s.post(&format!("/admin/users/{carol_id}/reset-password"), Some(&root), json!({ "password": "letmein123" })).await, "password");

    let policy = json!({ "password": { "min_length": 10, "max_length": 128, "breach_check": false } });
    let (st, body) = s.call(reqwest::Method::PATCH, "/admin/settings", Some(&root), Some(policy)).await;
    assert_eq!(st, StatusCode::OK, "{body}");
    // Settings are cached for up to a second on each server.
    tokio::time::sleep(std::time::Duration::from_millis(1_100)).await;
    let (st, body) = sign_up("password123").await;
    assert_eq!(st, StatusCode::CREATED, "the policy is off: {body}");
}

/// Recovery codes are hashed without the master key: after `keys rotate` they still work, as
/// the authenticator app does.
async fn recovery_codes_survive_a_master_key_rotation(store: &TestStore) {
    let key = authnode::crypto::MasterKey::generate();
    let now = chrono::Utc::now().timestamp() / 30 * 30 + 10;
    let clock: authnode::app::env::Clock = Arc::new(move || chrono::DateTime::from_timestamp(now, 0).unwrap());
    let options = || authnode::app::Options { env: authnode::app::env::Env { clock: clock.clone(), ..Default::default() }, ..Default::default() };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let app = authnode::app::App::build(store.db().await, key.clone(), options()).await.unwrap();
    let c = Clocked { s: Server::serve(app, listener), now: Arc::new(AtomicI64::new(now)) };
    c.s.register("root").await;
    let (token, _, _) = c.s.login("root").await;
    let (_, codes) = enrol(&c, &token).await;

    let new_key = authnode::crypto::MasterKey::generate();
    authnode::crypto::Keyring::rotate(&c.s.app.db, &key, &new_key).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let rotated = Server::serve(authnode::app::App::build(store.db().await, new_key, options()).await.unwrap(), listener);
    let (_, answer, _) = password_step(&rotated, "root").await;
    let body = json!({ "challenge": answer["challenge"], "method": "recovery", "code": codes[0] });
    let (st, body) = rotated.post("/auth/login/second-factor", None, body).await;
    assert_eq!(st, StatusCode::OK, "a recovery code made before the rotation: {body}");
}

/// A sign-in waiting for its second factor passed the old password: once the password is
/// changed it cannot be finished, even with the right code.
async fn a_new_password_voids_a_waiting_sign_in(store: &TestStore) {
    let c = Clocked::start(store).await;
    let s = &c.s;
    s.register("root").await;
    let (token, _, _) = s.login("root").await;
    let (secret, _) = enrol(&c, &token).await;
    c.advance(30);
    let (_, answer, _) = password_step(s, "root").await;
    let (st, body) =
        s.post("/me/password", Some(&token), json!({ "current_password": "correct horse battery", "new_password": "a new long passphrase" })).await;
    assert_eq!(st, StatusCode::NO_CONTENT, "{body}");
    let body = json!({ "challenge": answer["challenge"], "method": "totp", "code": totp(&secret, c.t()) });
    let (st, body) = s.post("/auth/login/second-factor", None, body).await;
    assert_eq!((st, code(&body)), (StatusCode::UNAUTHORIZED, "challenge_invalid"), "{body}");
}

/// A link too long for a QR code (long issuer and label) is still revealed, as text; one reveal
/// is one event.
async fn a_secret_too_long_for_a_qr_code_is_revealed_as_text(store: &TestStore) {
    let s = Server::start(store).await;
    s.register("root").await;
    let (token, _, _) = s.login("root").await;
    let long = "é".repeat(200);
    let (st, body) = s.post("/applications", Some(&token), json!({ "issuer": long, "label": long, "secret": "JBSWY3DPEHPK3PXP" })).await;
    assert_eq!(st, StatusCode::CREATED, "{body}");
    let id = body["application"]["id"].as_str().unwrap().to_owned();
    step_up(&s, &token).await;
    let (st, body) = s.get(&format!("/applications/{id}/secret"), &token).await;
    assert_eq!(st, StatusCode::OK, "{body}");
    assert_eq!((body["secret"].as_str(), body["qr_png_base64"].is_null()), (Some("JBSWY3DPEHPK3PXP"), true), "{body}");
    assert!(body["otpauth_uri"].as_str().is_some_and(|u| u.starts_with("otpauth://totp/")));
    let reveals = audit_types(&s, &token, "&event_type=ApplicationSecretRevealed").await;
    assert_eq!(reveals.len(), 1, "{reveals:?}");
}

on_both_backends!(
    a_new_email_needs_a_step_up,
    authenticator_app_enrolment_sign_in_and_removal,
    second_factor_failures_lock_the_account,
    the_two_factor_policy_is_enforced,
    revealing_a_secret_needs_a_step_up_and_is_audited,
    an_admin_resets_second_factors,
    breached_passwords_are_refused_while_the_policy_checks_them,
    recovery_codes_survive_a_master_key_rotation,
    a_new_password_voids_a_waiting_sign_in,
    a_secret_too_long_for_a_qr_code_is_revealed_as_text,
);
