//! The HTTP API over real HTTP against a spawned server, on SQLite and PostgreSQL.

mod common;

use std::sync::Arc;

use common::TestStore;
use common::http::{Server, code};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn registration_and_login(store: &TestStore) {
    let s = Server::start(store).await;
    let (status, body) = s.register("root").await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["user"]["role"], "admin", "the first user is the admin");
    assert!(body["user"].get("password_hash").is_none());
    // Sign-up is closed by default after the first user.
    let (status, body) = s.register("bob").await;
    assert_eq!((status, code(&body)), (StatusCode::FORBIDDEN, "signup_closed"));
    s.open_signup().await;
    let (status, body) = s.register("bob").await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["user"]["role"], "user");
    let (status, body) = s.register("bob").await;
    assert_eq!((status, code(&body)), (StatusCode::CONFLICT, "email_taken"));
    let (status, body) =
        s.post("/auth/register", None, json!({ "email": "not-an-email", "username": "carol", "password": "correct horse battery" })).await;
    assert_eq!((status, code(&body), body["error"]["field"].as_str()), (StatusCode::BAD_REQUEST, "invalid_email", Some("email")));
    let (status, body) = s.post("/auth/register", None, json!({ "email": "c@example.com", "username": "carol", "password": "short" })).await;
    assert_eq!((status, body["error"]["field"].as_str()), (StatusCode::BAD_REQUEST, Some("password")));

    // Wrong password and unknown account look the same.
    let (status, wrong) = s.post("/auth/login", None, json!({ "login": "bob", "password": "wrong password!!" })).await;
    let (status2, unknown) = s.post("/auth/login", None, json!({ "login": "nobody", "password": "wrong password!!" })).await;
    assert_eq!((status, status2), (StatusCode::UNAUTHORIZED, StatusCode::UNAUTHORIZED));
    assert_eq!(wrong, unknown);

    let (access, _refresh, session) = s.login("BOB@example.com").await;
    let (status, me) = s.get("/me", &access).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["user"]["username"], "bob");
    let (status, body) = s.call(reqwest::Method::GET, "/me", None, None).await;
    assert_eq!((status, code(&body)), (StatusCode::UNAUTHORIZED, "unauthenticated"));
    let (status, body) = s.get("/me", "not.a.jwt").await;
    assert_eq!((status, code(&body)), (StatusCode::UNAUTHORIZED, "invalid_token"));
    // The login was recorded with its request metadata.
    let row: (String, Option<String>) =
        sqlx::query_as("SELECT event_type, ip FROM audit_index WHERE event_type = 'SessionStarted' ORDER BY position DESC LIMIT 1")
            .fetch_one(&s.app.db.pool)
            .await
            .unwrap();
    assert_eq!(row, ("SessionStarted".to_owned(), Some("127.0.0.1".to_owned())));
    let failures: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_index WHERE event_type = 'LoginFailed'").fetch_one(&s.app.db.pool).await.unwrap();
    assert_eq!(failures, 1);

    // Profile changes.
    let (status, body) = s.call(reqwest::Method::PATCH, "/me", Some(&access), Some(json!({ "display_name": "Bobby" }))).await;
    assert_eq!((status, body["user"]["display_name"].as_str()), (StatusCode::OK, Some("Bobby")));
    let (status, body) = s.call(reqwest::Method::PATCH, "/me", Some(&access), Some(json!({ "username": "root" }))).await;
    assert_eq!((status, code(&body)), (StatusCode::CONFLICT, "username_taken"));
    let (status, sessions) = s.get("/me/sessions", &access).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(sessions["sessions"][0]["id"], session);
    assert_eq!(sessions["sessions"][0]["current"], true);
}

async fn refresh_rotation_reuse_and_revocation(store: &TestStore) {
    let s = Server::start(store).await;
    s.register("root").await;
    let (access, refresh, _) = s.login("root").await;
    let (status, body) = s.post("/auth/refresh", None, json!({ "refresh_token": refresh })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (access2, refresh2) = (body["access_token"].as_str().unwrap().to_owned(), body["refresh_token"].as_str().unwrap().to_owned());
    assert_ne!(refresh, refresh2);
    assert_eq!(s.get("/me", &access2).await.0, StatusCode::OK);
    // The rotated-out token comes back: theft is assumed and the session dies.
    let (status, body) = s.post("/auth/refresh", None, json!({ "refresh_token": refresh })).await;
    assert_eq!((status, code(&body)), (StatusCode::UNAUTHORIZED, "refresh_token_reused"));
    let (status, body) = s.get("/me", &access2).await;
    assert_eq!((status, code(&body)), (StatusCode::UNAUTHORIZED, "session_revoked"));
    assert_eq!(s.get("/me", &access).await.0, StatusCode::UNAUTHORIZED);
    let (status, _) = s.post("/auth/refresh", None, json!({ "refresh_token": refresh2 })).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, body) = s.post("/auth/refresh", None, json!({ "refresh_token": "garbage" })).await;
    assert_eq!((status, code(&body)), (StatusCode::UNAUTHORIZED, "invalid_refresh_token"));

    // Logout ends the session at once.
    let (access, _, _) = s.login("root").await;
    let (status, _) = s.post("/auth/logout", Some(&access), json!({})).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(code(&s.get("/me", &access).await.1), "session_revoked");

    // Sessions: revoke one, revoke the others; another user's session is "not found".
    let (a1, _, s1) = s.login("root").await;
    let (a2, _, s2) = s.login("root").await;
    let (a3, _, _) = s.login("root").await;
    s.open_signup().await;
    s.register("eve").await;
    let (eve, _, eve_session) = s.login("eve").await;
    let (status, body) = s.call(reqwest::Method::DELETE, &format!("/me/sessions/{eve_session}"), Some(&a1), None).await;
    assert_eq!((status, code(&body)), (StatusCode::NOT_FOUND, "session_not_found"));
    assert_eq!(s.get("/me", &eve).await.0, StatusCode::OK, "eve's session survived root's attempt");
    let (status, _) = s.call(reqwest::Method::DELETE, &format!("/me/sessions/{s2}"), Some(&a1), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(s.get("/me", &a2).await.0, StatusCode::UNAUTHORIZED);
    let (status, _) = s.call(reqwest::Method::DELETE, "/me/sessions/not-a-uuid", Some(&a1), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = s.post("/me/sessions/revoke-others", Some(&a1), json!({})).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(s.get("/me", &a3).await.0, StatusCode::UNAUTHORIZED);
    let (status, list) = s.get("/me/sessions", &a1).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list["sessions"].as_array().unwrap().len(), 1);
    assert_eq!(list["sessions"][0]["id"], s1);

    // Password change needs the current password and ends the other sessions.
    let (other, _, _) = s.login("root").await;
    let (status, body) =
        s.post("/me/password", Some(&a1), json!({ "current_password": "nope nope nope", "new_password": "a new long passphrase" })).await;
    assert_eq!((status, code(&body)), (StatusCode::FORBIDDEN, "wrong_password"));
    let (status, _) =
        s.post("/me/password", Some(&a1), json!({ "current_password": "correct horse battery", "new_password": "a new long passphrase" })).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(s.get("/me", &a1).await.0, StatusCode::OK);
    assert_eq!(s.get("/me", &other).await.0, StatusCode::UNAUTHORIZED);
    let (status, _) = s.post("/auth/login", None, json!({ "login": "root", "password": "a new long passphrase" })).await;
    assert_eq!(status, StatusCode::OK);
}

async fn lockout_after_repeated_failures(store: &TestStore) {
    let s = Server::start(store).await;
    s.register("root").await;
    // Default policy: 5 failures in 15 minutes lock for 15 minutes.
    for i in 1..=4 {
        let (status, body) = s.post("/auth/login", None, json!({ "login": "root", "password": "wrong password!!" })).await;
        assert_eq!((status, code(&body)), (StatusCode::UNAUTHORIZED, "invalid_credentials"), "attempt {i}");
    }
    let (status, body) = s.post("/auth/login", None, json!({ "login": "root", "password": "wrong password!!" })).await;
    assert_eq!((status, code(&body)), (StatusCode::LOCKED, "account_locked"));
    let (status, body) = s.post("/auth/login", None, json!({ "login": "root", "password": "correct horse battery" })).await;
    assert_eq!((status, code(&body)), (StatusCode::LOCKED, "account_locked"), "even the right password waits out the lock");
    let locked: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_index WHERE event_type = 'AccountLocked'").fetch_one(&s.app.db.pool).await.unwrap();
    assert_eq!(locked, 1);
}

async fn bad_requests_get_clear_4xx_errors(store: &TestStore) {
    let s = Server::start(store).await;
    let raw = |body: &'static str, content_type: Option<&'static str>| {
        let mut req = s.http.post(s.url("/auth/login")).body(body);
        if let Some(ct) = content_type {
            req = req.header("content-type", ct);
        }
        req
    };
    for (req, want_status, want_code) in [
        (raw("{not json", Some("application/json")), StatusCode::BAD_REQUEST, "malformed_json"),
        (raw(r#"{"login": 5, "password": []}"#, Some("application/json")), StatusCode::BAD_REQUEST, "invalid_body"),
        (raw(r#"{"login": "a"}"#, Some("application/json")), StatusCode::BAD_REQUEST, "invalid_body"),
        (raw(r#"{"login": "a", "password": "b"}"#, None), StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type"),
    ] {
        let res = req.send().await.unwrap();
        assert_eq!(res.status(), want_status);
        let body: Value = res.json().await.unwrap();
        assert_eq!(code(&body), want_code);
        assert!(body["error"]["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    let huge = format!(r#"{{"login": "{}", "password": "x"}}"#, "a".repeat(200_000));
    let res = s.http.post(s.url("/auth/login")).header("content-type", "application/json").body(huge).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(code(&res.json::<Value>().await.unwrap()), "body_too_large");
    let res = s.http.get(s.url("/no/such/thing")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(res.headers().contains_key("x-request-id"));
    assert_eq!(code(&res.json::<Value>().await.unwrap()), "no_such_route");
}

async fn browser_cookies_need_the_csrf_header(store: &TestStore) {
    let s = Server::start(store).await;
    s.register("root").await;
    let res = s.http.post(s.url("/auth/login")).json(&json!({ "login": "root", "password": "correct horse battery" })).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let cookies: Vec<String> = res.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_owned()).collect();
    let find = |name: &str| cookies.iter().find(|c| c.starts_with(&format!("{name}="))).cloned().unwrap();
    let access = find("authnode_access");
    let csrf = find("authnode_csrf");
    assert!(access.contains("HttpOnly") && access.contains("SameSite=Strict"), "{access}");
    assert!(!access.contains("Secure"), "plain-HTTP localhost gets no Secure flag: {access}");
    assert!(!csrf.contains("HttpOnly"), "the UI must read the CSRF cookie");
    let value = |c: &str| c.split(';').next().unwrap().to_owned();
    let cookie_header = format!("{}; {}", value(&access), value(&csrf));
    let csrf_value = value(&csrf).split_once('=').unwrap().1.to_owned();
    let res = s.http.get(s.url("/me")).header("cookie", &cookie_header).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let res = s.http.post(s.url("/auth/logout")).header("cookie", &cookie_header).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(code(&res.json::<Value>().await.unwrap()), "csrf_failed");
    let res = s.http.post(s.url("/auth/logout")).header("cookie", &cookie_header).header("x-csrf-token", "forged").send().await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = s.http.post(s.url("/auth/logout")).header("cookie", &cookie_header).header("x-csrf-token", &csrf_value).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert!(res.headers().get_all("set-cookie").iter().all(|c| c.to_str().unwrap().contains("Max-Age=0")));
    let res = s.http.get(s.url("/me")).header("cookie", &cookie_header).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
}

async fn vault_crud_codes_and_isolation(store: &TestStore) {
    use aggregates::application::{Algorithm, OtpParams, OtpType};
    let s = Server::start(store).await;
    s.register("alice").await;
    s.open_signup().await;
    s.register("bob").await;
    let (alice, _, _) = s.login("alice").await;
    let (bob, _, _) = s.login("bob").await;
    let post = |path: &'static str, token: String, body: Value| {
        let s = &s;
        async move { s.post(path, Some(&token), body).await }
    };

    // From a URI (RFC 6238's SHA1 key), from fields (SHA256, 8 digits, 60 s), and an HOTP one.
    let rfc_b32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    let (st, a) = post(
        "/applications",
        alice.clone(),
        json!({ "uri": format!("otpauth://totp/GitHub:alice?secret={rfc_b32}&issuer=GitHub"), "tags": ["work"] }),
    )
    .await;
    assert_eq!(st, StatusCode::CREATED, "{a}");
    let a = a["application"].clone();
    assert_eq!((a["issuer"].as_str(), a["label"].as_str(), a["position"].as_i64()), (Some("GitHub"), Some("alice"), Some(0)));
    assert!(a.get("secret").is_none());
    let (st, b) = post(
        "/applications",
        alice.clone(),
        json!({ "issuer": "AWS", "label": "root", "secret": "JBSW Y3DP EHPK 3PXP", "algorithm": "SHA256", "digits": 8, "period": 60, "notes": "recovery in safe", "color": "#336699" }),
    )
    .await;
    assert_eq!(st, StatusCode::CREATED, "{b}");
    let b = b["application"].clone();
    assert_eq!((b["digits"].as_i64(), b["period"].as_i64(), b["notes"].as_str()), (Some(8), Some(60), Some("recovery in safe")));
    let (st, h) =
        post("/applications", alice.clone(), json!({ "issuer": "Bank", "label": "token", "secret": rfc_b32, "otp_type": "hotp", "counter": 0 }))
            .await;
    assert_eq!(st, StatusCode::CREATED, "{h}");
    let h = h["application"].clone();
    let (a_id, b_id, h_id) = (a["id"].as_str().unwrap().to_owned(), b["id"].as_str().unwrap().to_owned(), h["id"].as_str().unwrap().to_owned());

    // Codes are computed on the server and match the RFC algorithms.
    let (st, codes) = s.get("/applications/codes", &alice).await;
    assert_eq!(st, StatusCode::OK);
    let unix = codes["server_time"].as_i64().unwrap() as u64 / 1000;
    let code_of = |id: &str| codes["codes"].as_array().unwrap().iter().find(|c| c["id"] == id).cloned().unwrap();
    let want_a = aggregates::otp::codes(
        &OtpParams { otp_type: OtpType::Totp, algorithm: Algorithm::Sha1, digits: 6, period: 30, counter: 0 },
        b"12345678901234567890",
        unix,
    );
    assert_eq!(code_of(&a_id)["code"], want_a.code);
    assert_eq!(code_of(&a_id)["next_code"], want_a.next_code);
    assert_eq!(code_of(&a_id)["remaining"], want_a.remaining);
    let want_b = aggregates::otp::codes(
        &OtpParams { otp_type: OtpType::Totp, algorithm: Algorithm::Sha256, digits: 8, period: 60, counter: 0 },
        &aggregates::otp::decode_secret("JBSWY3DPEHPK3PXP").unwrap(),
        unix,
    );
    assert_eq!(code_of(&b_id)["code"], want_b.code);
    assert_eq!(code_of(&b_id)["period"], 60);
    // RFC 4226 Appendix D: counter 0 → 755224, 1 → 287082; reading codes never advances it.
    assert_eq!((code_of(&h_id)["code"].as_str(), code_of(&h_id)["next_code"].as_str()), (Some("755224"), Some("287082")));
    let (_, again) = s.get("/applications/codes", &alice).await;
    assert_eq!(again["codes"].as_array().unwrap().iter().find(|c| c["id"] == h_id.as_str()).unwrap()["code"], "755224");
    let (st, next) = s.post(&format!("/applications/{h_id}/hotp/next"), Some(&alice), json!({})).await;
    assert_eq!((st, next["counter"].as_i64(), next["code"].as_str()), (StatusCode::OK, Some(1), Some("287082")));
    let (st, body) = s.post(&format!("/applications/{a_id}/hotp/next"), Some(&alice), json!({})).await;
    assert_eq!((st, code(&body)), (StatusCode::CONFLICT, "not_hotp"));

    // Update, filters, reorder, trash, restore, purge.
    let (st, upd) = s
        .call(
            reqwest::Method::PATCH,
            &format!("/applications/{a_id}"),
            Some(&alice),
            Some(json!({ "label": "alice@example.com", "favorite": true, "tags": ["work", "code"] })),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{upd}");
    assert_eq!((upd["application"]["label"].as_str(), upd["application"]["favorite"].as_bool()), (Some("alice@example.com"), Some(true)));
    let ids = |v: &Value| v["applications"].as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap().to_owned()).collect::<Vec<_>>();
    assert_eq!(ids(&s.get("/applications", &alice).await.1), [a_id.as_str(), b_id.as_str(), h_id.as_str()]);
    assert_eq!(ids(&s.get("/applications?favorite=true", &alice).await.1), [a_id.as_str()]);
    assert_eq!(ids(&s.get("/applications?tag=CODE", &alice).await.1), [a_id.as_str()]);
    assert_eq!(ids(&s.get("/applications?q=aws", &alice).await.1), [b_id.as_str()]);
    let (st, _) = s.call(reqwest::Method::PUT, "/applications/order", Some(&alice), Some(json!({ "ids": [h_id, a_id, b_id] }))).await;
    assert_eq!(st, StatusCode::NO_CONTENT);
    assert_eq!(ids(&s.get("/applications", &alice).await.1), [h_id.as_str(), a_id.as_str(), b_id.as_str()]);
    let (st, _) = s.call(reqwest::Method::DELETE, &format!("/applications/{b_id}"), Some(&alice), None).await;
    assert_eq!(st, StatusCode::NO_CONTENT);
    assert_eq!(ids(&s.get("/applications", &alice).await.1), [h_id.as_str(), a_id.as_str()]);
    assert_eq!(ids(&s.get("/applications?trashed=true", &alice).await.1), [b_id.as_str()]);
    assert!(s.get("/applications/codes", &alice).await.1["codes"].as_array().unwrap().iter().all(|c| c["id"] != b_id.as_str()));
    let (st, _) = s.post(&format!("/applications/{b_id}/restore"), Some(&alice), json!({})).await;
    assert_eq!(st, StatusCode::OK);
    let (st, _) = s.call(reqwest::Method::DELETE, &format!("/applications/{b_id}?purge=true"), Some(&alice), None).await;
    assert_eq!(st, StatusCode::NO_CONTENT);
    assert_eq!(s.get(&format!("/applications/{b_id}"), &alice).await.0, StatusCode::NOT_FOUND);

    // Another user's application does not exist for them, on every endpoint.
    for (method, path, body) in [
        (reqwest::Method::GET, format!("/applications/{a_id}"), None),
        (reqwest::Method::PATCH, format!("/applications/{a_id}"), Some(json!({ "label": "mine now" }))),
        (reqwest::Method::DELETE, format!("/applications/{a_id}"), None),
        (reqwest::Method::DELETE, format!("/applications/{a_id}?purge=true"), None),
        (reqwest::Method::POST, format!("/applications/{a_id}/restore"), Some(json!({}))),
        (reqwest::Method::POST, format!("/applications/{h_id}/hotp/next"), Some(json!({}))),
        (reqwest::Method::PUT, "/applications/order".to_owned(), Some(json!({ "ids": [a_id] }))),
    ] {
        let (st, body) = s.call(method.clone(), &path, Some(&bob), body).await;
        assert_eq!(st, StatusCode::NOT_FOUND, "{method} {path}: {body}");
        assert_eq!(code(&body), "application_not_found");
    }
    assert!(ids(&s.get("/applications", &bob).await.1).is_empty());
    assert!(s.get("/applications/codes", &bob).await.1["codes"].as_array().unwrap().is_empty());
    let (_, still) = s.get(&format!("/applications/{a_id}"), &alice).await;
    assert_eq!(still["application"]["label"], "alice@example.com", "bob changed nothing");
    let (_, hotp) = s.get(&format!("/applications/{h_id}"), &alice).await;
    assert_eq!(hotp["application"]["counter"], 1, "bob did not advance the counter");

    // Bad input names the field; no secret ever comes back.
    for (body, field) in [
        (json!({ "secret": "not base32!" }), "secret"),
        (json!({ "uri": "https://example.com" }), "uri"),
        (json!({ "uri": "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&digits=12" }), "digits"),
        (json!({ "issuer": "x", "secret": "JBSWY3DPEHPK3PXP", "period": 0 }), "period"),
        (json!({ "issuer": "x" }), "secret"),
        (json!({ "issuer": "x", "secret": "JBSWY3DPEHPK3PXP", "color": "red" }), "color"),
    ] {
        let (st, err) = s.post("/applications", Some(&alice), body.clone()).await;
        assert_eq!((st, err["error"]["field"].as_str()), (StatusCode::BAD_REQUEST, Some(field)), "{body}: {err}");
    }
    let (st, err) = s.post("/applications", Some(&alice), json!({ "secret": "JBSWY3DPEHPK3PXP", "digits": "six" })).await;
    assert_eq!((st, code(&err)), (StatusCode::BAD_REQUEST, "invalid_body"));
    let listing = s.http.get(s.url("/applications")).bearer_auth(&alice).send().await.unwrap().text().await.unwrap();
    assert!(!listing.contains(rfc_b32) && !listing.contains("JBSWY3DPEHPK3PXP") && !listing.contains("v1:"), "{listing}");
}

async fn admin_users_settings_and_audit(store: &TestStore) {
    let s = Server::start(store).await;
    s.register("root").await;
    let (root, _, _) = s.login("root").await;
    let pw = "correct horse battery";
    let (st, bob) = s.post("/admin/users", Some(&root), json!({ "email": "bob@example.com", "username": "bob", "password": pw })).await;
    assert_eq!(st, StatusCode::CREATED, "{bob}");
    let bob_id = bob["user"]["id"].as_str().unwrap().to_owned();
    let (st, aud) =
        s.post("/admin/users", Some(&root), json!({ "email": "aud@example.com", "username": "auditor", "password": pw, "role": "auditor" })).await;
    assert_eq!((st, aud["user"]["role"].as_str()), (StatusCode::CREATED, Some("auditor")));
    let (st, body) = s.post("/admin/users", Some(&root), json!({ "email": "x@example.com", "username": "x1", "password": pw, "role": "king" })).await;
    assert_eq!((st, code(&body)), (StatusCode::BAD_REQUEST, "invalid_body"));
    let (bob_t, _, _) = s.login("bob").await;
    let (aud_t, _, _) = s.login("auditor").await;

    // Roles.
    assert_eq!(code(&s.get("/admin/users", &bob_t).await.1), "forbidden");
    assert_eq!(s.get("/admin/users", &aud_t).await.0, StatusCode::FORBIDDEN);
    assert_eq!(s.get("/audit", &aud_t).await.0, StatusCode::OK);
    assert_eq!(s.get("/audit", &bob_t).await.0, StatusCode::FORBIDDEN);
    let (_, found) = s.get("/admin/users?q=BOB", &root).await;
    assert_eq!(found["users"].as_array().unwrap().len(), 1);
    assert_eq!(s.get("/admin/users/00000000-0000-0000-0000-000000000000", &root).await.0, StatusCode::NOT_FOUND);
    let (st, _) = s.post("/admin/users/00000000-0000-0000-0000-000000000000/disable", Some(&root), json!({})).await;
    assert_eq!(st, StatusCode::NOT_FOUND);

    // Disable / enable.
    let (st, _) = s.post(&format!("/admin/users/{bob_id}/disable"), Some(&root), json!({})).await;
    assert_eq!(st, StatusCode::NO_CONTENT);
    assert_ne!(s.get("/me", &bob_t).await.0, StatusCode::OK, "a disabled user's token is refused");
    let (st, body) = s.post("/auth/login", None, json!({ "login": "bob", "password": pw })).await;
    assert_eq!((st, code(&body)), (StatusCode::FORBIDDEN, "account_disabled"));
    let (st, _) = s.post(&format!("/admin/users/{bob_id}/enable"), Some(&root), json!({})).await;
    assert_eq!(st, StatusCode::NO_CONTENT);

    // Lockout, then unlock by an admin.
    for _ in 0..5 {
        s.post("/auth/login", None, json!({ "login": "bob", "password": "wrong password!!" })).await;
    }
    assert_eq!(s.post("/auth/login", None, json!({ "login": "bob", "password": pw })).await.0, StatusCode::LOCKED);
    let (st, _) = s.post(&format!("/admin/users/{bob_id}/unlock"), Some(&root), json!({})).await;
    assert_eq!(st, StatusCode::NO_CONTENT);
    let (bob_t, _, _) = s.login("bob").await;

    // The last admin is protected; with a second admin the first may step down.
    let root_id = s.get("/me", &root).await.1["user"]["id"].as_str().unwrap().to_owned();
    for (method, path, body) in [
        (reqwest::Method::PATCH, format!("/admin/users/{root_id}"), Some(json!({ "role": "user" }))),
        (reqwest::Method::POST, format!("/admin/users/{root_id}/disable"), Some(json!({}))),
        (reqwest::Method::DELETE, format!("/admin/users/{root_id}"), None),
    ] {
        let (st, body) = s.call(method, &path, Some(&root), body).await;
        assert_eq!((st, code(&body)), (StatusCode::CONFLICT, "last_admin"), "{path}");
    }
    let (st, body) = s.call(reqwest::Method::PATCH, &format!("/admin/users/{bob_id}"), Some(&root), Some(json!({ "role": "admin" }))).await;
    assert_eq!((st, body["user"]["role"].as_str()), (StatusCode::OK, Some("admin")));
    let (st, _) = s.call(reqwest::Method::PATCH, &format!("/admin/users/{bob_id}"), Some(&root), Some(json!({ "role": "user" }))).await;
    assert_eq!(st, StatusCode::OK);

    // Password reset and session revocation end the user's sessions; a reset needs the admin's
    // step-up (with a second-factor reset it takes an account over).
    let reset = json!({ "password": "brand new passphrase" });
    let (st, body) = s.post(&format!("/admin/users/{bob_id}/reset-password"), Some(&root), reset.clone()).await;
    assert_eq!((st, code(&body)), (StatusCode::FORBIDDEN, "reauthentication_required"), "{body}");
    s.post("/auth/reauth", Some(&root), json!({ "password": "correct horse battery" })).await;
    let (st, _) = s.post(&format!("/admin/users/{bob_id}/reset-password"), Some(&root), reset).await;
    assert_eq!(st, StatusCode::NO_CONTENT);
    assert_eq!(s.get("/me", &bob_t).await.0, StatusCode::UNAUTHORIZED);
    let (st, body) = s.post("/auth/login", None, json!({ "login": "bob", "password": "brand new passphrase" })).await;
    assert_eq!(st, StatusCode::OK);
    let bob_t = body["access_token"].as_str().unwrap().to_owned();
    let (st, app) = s.post("/applications", Some(&bob_t), json!({ "issuer": "Mail", "secret": "JBSWY3DPEHPK3PXP" })).await;
    assert_eq!(st, StatusCode::CREATED);
    let (st, _) = s.post(&format!("/admin/users/{bob_id}/revoke-sessions"), Some(&root), json!({})).await;
    assert_eq!(st, StatusCode::NO_CONTENT);
    assert_eq!(s.get("/me", &bob_t).await.0, StatusCode::UNAUTHORIZED);

    // Settings: partial updates, validated.
    let (st, set) = s.get("/admin/settings", &root).await;
    assert_eq!((st, set["settings"]["signup"]["mode"].as_str()), (StatusCode::OK, Some("closed")));
    let (st, set) = s
        .call(
            reqwest::Method::PATCH,
            "/admin/settings",
            Some(&root),
            Some(json!({ "signup": { "mode": "open", "allowed_domains": ["example.com"] } })),
        )
        .await;
    assert_eq!((st, set["settings"]["signup"]["mode"].as_str()), (StatusCode::OK, Some("open")));
    let (st, body) = s
        .call(
            reqwest::Method::PATCH,
            "/admin/settings",
            Some(&root),
            Some(json!({ "lockout": { "max_failures": 0, "window_minutes": 5, "lock_minutes": 5 } })),
        )
        .await;
    assert_eq!((st, body["error"]["field"].as_str()), (StatusCode::BAD_REQUEST, Some("max_failures")));
    let (st, body) = s
        .call(reqwest::Method::PATCH, "/admin/settings", Some(&root), Some(json!({ "signup": { "mode": "sometimes", "allowed_domains": [] } })))
        .await;
    assert_eq!((st, code(&body)), (StatusCode::BAD_REQUEST, "invalid_body"));
    // Policies nothing enforces yet are not offered (neither shown nor accepted).
    for unenforced in [json!({ "code_access_auditing": true }), json!({ "audit_retention_days": 90 })] {
        let (st, body) = s.call(reqwest::Method::PATCH, "/admin/settings", Some(&root), Some(unenforced)).await;
        assert_eq!((st, code(&body)), (StatusCode::BAD_REQUEST, "invalid_body"), "{body}");
    }
    let (_, shown) = s.get("/admin/settings", &root).await;
    assert!(shown["settings"].get("code_access_auditing").is_none() && shown["settings"].get("audit_retention_days").is_none(), "{shown}");
    assert_eq!(s.call(reqwest::Method::PATCH, "/admin/settings", Some(&aud_t), Some(json!({}))).await.0, StatusCode::FORBIDDEN);

    // Delete shreds the user's data; the history stays.
    let (st, _) = s.call(reqwest::Method::DELETE, &format!("/admin/users/{bob_id}"), Some(&root), None).await;
    assert_eq!(st, StatusCode::NO_CONTENT);
    assert_eq!(s.post("/auth/login", None, json!({ "login": "bob", "password": "brand new passphrase" })).await.0, StatusCode::UNAUTHORIZED);
    let app_id = app["application"]["id"].as_str().unwrap();
    assert!(matches!(
        s.app
            .keyring
            .open(&bob_id, &format!("application:{app_id}:secret"), &aggregates::Sealed::new(format!("v1:{}", "A".repeat(60))).unwrap())
            .await,
        Err(authnode::crypto::CryptoError::KeyDestroyed)
    ));

    // The audit log saw all of it, with who and where, secrets redacted.
    let (st, log) = s.get(&format!("/audit?event_type=UserDisabled&subject={bob_id}"), &aud_t).await;
    assert_eq!(st, StatusCode::OK);
    let e = &log["entries"][0];
    assert_eq!((e["actor_id"].as_str(), e["actor_kind"].as_str(), e["ip"].as_str()), (Some(root_id.as_str()), Some("admin"), Some("127.0.0.1")));
    assert!(e["request_id"].as_str().is_some_and(|r| !r.is_empty()));
    let (_, log) = s.get("/audit?event_type=PasswordResetByAdmin", &root).await;
    assert_eq!(log["entries"][0]["payload"]["PasswordResetByAdmin"]["password_hash"], "[redacted]");
    let (_, log) = s.get("/audit?event_type=ApplicationCreated", &root).await;
    assert_eq!(log["entries"][0]["payload"]["ApplicationCreated"]["secret"], "[redacted]");
    let (_, failures) = s.get("/audit?outcome=failure", &root).await;
    assert!(failures["entries"].as_array().unwrap().iter().all(|e| e["outcome"] == "failure"));
    assert!(failures["entries"].as_array().unwrap().iter().any(|e| e["event_type"] == "AccountLocked"));
    let text = s.http.get(s.url("/audit?limit=500")).bearer_auth(&root).send().await.unwrap().text().await.unwrap();
    assert!(!text.contains("$argon2") && !text.contains("JBSWY3DPEHPK3PXP") && !text.contains("\"v1:"), "no secret or hash in the audit API");
    // Keyset pagination by position: pages do not overlap and go back in time.
    let (_, p1) = s.get("/audit?limit=3", &root).await;
    let before = p1["next_before"].as_i64().unwrap();
    let (_, p2) = s.get(&format!("/audit?limit=3&before={before}"), &root).await;
    let pos = |p: &Value| p["entries"].as_array().unwrap().iter().map(|e| e["position"].as_i64().unwrap()).collect::<Vec<_>>();
    let (a, b) = (pos(&p1), pos(&p2));
    assert_eq!(a.len(), 3);
    assert!(a.windows(2).all(|w| w[0] > w[1]) && b.iter().all(|x| *x < *a.last().unwrap()));
    assert_eq!(code(&s.get("/audit?limit=0", &root).await.1), "invalid_field");
    assert_eq!(s.get("/audit?from=yesterday", &root).await.0, StatusCode::BAD_REQUEST);
    let (_, windowed) = s.get("/audit?from=2000-01-01T00:00:00Z&to=2000-01-02T00:00:00Z", &root).await;
    assert!(windowed["entries"].as_array().unwrap().is_empty());
    // A user's own activity is only about them.
    let (st, mine) = s.get("/me/activity", &aud_t).await;
    assert_eq!(st, StatusCode::OK);
    let aud_id = aud["user"]["id"].as_str().unwrap();
    assert!(!mine["entries"].as_array().unwrap().is_empty());
    assert!(mine["entries"].as_array().unwrap().iter().all(|e| e["subject_user_id"] == aud_id));
    let (_, theirs) = s.get(&format!("/me/activity?subject={bob_id}"), &aud_t).await;
    assert!(theirs["entries"].as_array().unwrap().iter().all(|e| e["subject_user_id"] == aud_id), "cannot widen to another user");
}

async fn sign_ins_are_rate_limited(store: &TestStore) {
    let s = Server::start(store).await;
    s.register("root").await;
    let mut last = (StatusCode::OK, Value::Null);
    let mut retry_after = None;
    let mut attempts = 0;
    // 20 per minute per account; a minute boundary during the loop can reset the count once.
    while attempts < 45 && last.0 != StatusCode::TOO_MANY_REQUESTS {
        attempts += 1;
        let res = s.http.post(s.url("/auth/login")).json(&json!({ "login": "ghost", "password": "whatever it is" })).send().await.unwrap();
        retry_after = res.headers().get("retry-after").map(|v| v.to_str().unwrap().parse::<i64>().unwrap());
        last = (res.status(), res.json().await.unwrap());
    }
    assert_eq!((last.0, code(&last.1)), (StatusCode::TOO_MANY_REQUESTS, "rate_limited"));
    assert!(attempts >= 21, "the first 20 attempts are allowed, got limited at {attempts}");
    assert!(retry_after.is_some_and(|r| (1..=60).contains(&r)), "{retry_after:?}");
    // Another account from the same address still gets through (the per-address budget is larger).
    let (st, _) = s.post("/auth/login", None, json!({ "login": "root", "password": "correct horse battery" })).await;
    assert_eq!(st, StatusCode::OK);
}

async fn a_login_flood_does_not_stall_other_requests(store: &TestStore) {
    let s = Arc::new(Server::start(store).await);
    s.register("root").await;
    s.open_signup().await;
    for i in 0..4 {
        assert_eq!(s.register(&format!("user{i}")).await.0, StatusCode::CREATED);
    }
    let (root, _, _) = s.login("root").await;
    s.post("/applications", Some(&root), json!({ "issuer": "A", "secret": "JBSWY3DPEHPK3PXP" })).await;
    // 32 concurrent sign-ins (argon2 each, on the blocking pool behind a semaphore) ...
    let mut flood = tokio::task::JoinSet::new();
    for i in 0..32 {
        let s = s.clone();
        flood.spawn(
            async move { s.post("/auth/login", None, json!({ "login": format!("user{}", i % 4), "password": "correct horse battery" })).await.0 },
        );
    }
    // ... while the codes endpoint keeps answering.
    let mut answered = 0;
    while !flood.is_empty() || answered < 5 {
        let (st, body) = s.get("/applications/codes", &root).await;
        assert_eq!(st, StatusCode::OK, "{body}");
        assert_eq!(body["codes"].as_array().unwrap().len(), 1);
        answered += 1;
        while let Some(done) = flood.try_join_next() {
            assert_eq!(done.unwrap(), StatusCode::OK);
        }
        if answered > 10_000 {
            break;
        }
    }
    assert!(answered >= 5);
    // The requests show up in the metrics.
    let metrics = s.http.get(format!("{}/metrics", s.base)).send().await.unwrap().text().await.unwrap();
    assert!(metrics.contains(r#"authnode_http_requests_total{method="POST",route="/api/v1/auth/login",status="200"} 33"#), "{metrics}");
    assert!(metrics.contains(r#"route="/api/v1/applications/codes""#));
    assert!(metrics.contains("authnode_projection_lag_events 0"));
    assert!(metrics.contains("authnode_projection_failures_total 0"));
}

/// A PNG holding `text` as a QR code (8 px modules, 4-module quiet zone).
fn qr_png(text: &str) -> Vec<u8> {
    let qr = qrcodegen::QrCode::encode_text(text, qrcodegen::QrCodeEcc::Medium).unwrap();
    let (scale, border) = (8, 4);
    let side = ((qr.size() + 2 * border) * scale) as u32;
    let img = image::GrayImage::from_fn(side, side, |x, y| {
        let (mx, my) = (x as i32 / scale - border, y as i32 / scale - border);
        image::Luma([if qr.get_module(mx, my) { 0 } else { 255 }])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

async fn applications_from_qr_images(store: &TestStore) {
    let s = Server::start(store).await;
    s.register("root").await;
    let (root, _, _) = s.login("root").await;
    let upload = |bytes: Vec<u8>, field: &'static str| {
        let form = reqwest::multipart::Form::new().part(field, reqwest::multipart::Part::bytes(bytes).file_name("qr.png"));
        s.http.post(s.url("/applications/qr")).bearer_auth(&root).multipart(form).send()
    };
    let res = upload(qr_png("otpauth://totp/Example:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Example&digits=8"), "image").await.unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let body: Value = res.json().await.unwrap();
    assert_eq!((body["application"]["issuer"].as_str(), body["application"]["digits"].as_i64()), (Some("Example"), Some(8)));
    let source: String = sqlx::query_scalar("SELECT source FROM applications").fetch_one(&s.app.db.pool).await.unwrap();
    assert_eq!(source, "qr");

    for (bytes, field, status, want) in [
        (b"definitely not a picture".to_vec(), "image", StatusCode::BAD_REQUEST, "invalid_image"),
        (qr_png("https://example.com/not-otp"), "image", StatusCode::BAD_REQUEST, "invalid_otpauth_uri"),
        (qr_png("otpauth://totp/x?secret=JBSWY3DPEHPK3PXP"), "picture", StatusCode::BAD_REQUEST, "invalid_multipart"),
        (vec![0u8; 2 * 1024 * 1024 + 64 * 1024], "image", StatusCode::PAYLOAD_TOO_LARGE, "body_too_large"),
    ] {
        let res = upload(bytes, field).await.unwrap();
        assert_eq!(res.status(), status);
        let body: Value = res.json().await.unwrap();
        assert_eq!(code(&body), want, "{body}");
    }
    let blank = {
        let img = image::GrayImage::from_pixel(200, 200, image::Luma([255]));
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::Png).unwrap();
        out.into_inner()
    };
    let res = upload(blank, "image").await.unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert_eq!(code(&res.json::<Value>().await.unwrap()), "no_qr_code");
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM applications").fetch_one(&s.app.db.pool).await.unwrap();
    assert_eq!(count, 1, "nothing else was created");
}

/// The sign-in screen's public facts, the embedded web UI with its security headers, and JSON
/// errors for query strings that do not parse.
async fn auth_config_web_ui_and_query_errors(store: &TestStore) {
    let s = Server::start(store).await;
    let (status, cfg) = s.call(reqwest::Method::GET, "/auth/config", None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!((cfg["setup_required"].as_bool(), cfg["signup_open"].as_bool()), (Some(true), Some(true)), "{cfg}");
    assert_eq!(cfg["password_min_length"], 10);
    s.register("root").await;
    let (_, cfg) = s.call(reqwest::Method::GET, "/auth/config", None, None).await;
    assert_eq!((cfg["setup_required"].as_bool(), cfg["signup_open"].as_bool()), (Some(false), Some(false)), "{cfg}");
    s.open_signup().await;
    let (_, cfg) = s.call(reqwest::Method::GET, "/auth/config", None, None).await;
    assert_eq!(cfg["signup_open"].as_bool(), Some(true));

    // Client routes get the app shell; it loads only same-origin scripts, under a CSP without inline code.
    assert!(authnode::http::ui::embedded(), "the test build embeds the UI");
    for path in ["/", "/profile/sessions", "/admin/audit"] {
        let res = s.http.get(format!("{}{path}", s.base)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        let h = res.headers().clone();
        assert!(h["content-type"].to_str().unwrap().starts_with("text/html"));
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"), "{csp}");
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert_eq!(h["referrer-policy"], "no-referrer");
        assert_eq!(h["cache-control"], "no-cache");
        let html = res.text().await.unwrap();
        assert!(html.contains("<div id=\"root\">"), "{html}");
        assert!(!html.contains("<script>") && !html.contains("<style"), "no inline script or style: {html}");
        let script = html.split("src=\"").nth(1).and_then(|r| r.split('"').next()).unwrap();
        assert!(script.starts_with("/assets/"), "{script}");
        let js = s.http.get(format!("{}{script}", s.base)).send().await.unwrap();
        assert_eq!(js.status(), StatusCode::OK);
        assert!(js.headers()["content-type"].to_str().unwrap().starts_with("text/javascript"));
        assert!(js.headers()["cache-control"].to_str().unwrap().contains("immutable"));
    }
    // A missing asset is a 404, never the app shell; unknown API routes stay JSON.
    let res = s.http.get(format!("{}/assets/gone-1234.js", s.base)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let (status, body) = s.call(reqwest::Method::GET, "/../../api/v2/nothing", None, None).await;
    assert_eq!((status, code(&body)), (StatusCode::NOT_FOUND, "no_such_route"));
    let res = s.http.post(format!("{}/profile", s.base)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::METHOD_NOT_ALLOWED);
    // API responses carry the common headers too.
    let res = s.http.get(s.url("/auth/config")).send().await.unwrap();
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");

    // Query strings that do not parse get the JSON error shape.
    let (token, _, _) = s.login("root").await;
    for path in [
        "/applications?favorite=maybe",
        "/applications?colour=red",
        "/audit?limit=abc",
        "/audit?colour=red",
        "/admin/users?q=a&q=b",
        "/admin/users?zzz=1",
    ] {
        let (status, body) = s.get(path, &token).await;
        assert_eq!((status, code(&body)), (StatusCode::BAD_REQUEST, "invalid_query"), "{path}: {body}");
        assert!(body["error"]["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    // Path segments that are not UTF-8 get the JSON shape too.
    for path in ["/applications/%FF", "/admin/users/%C3%28", "/me/sessions/%FF"] {
        let method = if path.starts_with("/me/sessions") { reqwest::Method::DELETE } else { reqwest::Method::GET };
        let (status, body) = s.call(method, path, Some(&token), None).await;
        assert_eq!((status, code(&body)), (StatusCode::BAD_REQUEST, "invalid_path"), "{path}: {body}");
    }
}

/// RFC 4648 base32 without padding (test helper: the API takes secrets in base32).
fn base32(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::new();
    let (mut acc, mut bits) = (0u32, 0u32);
    for &b in bytes {
        acc = (acc << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(ALPHABET[((acc >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(ALPHABET[((acc << (5 - bits)) & 31) as usize] as char);
    }
    out
}

/// The codes endpoint and HOTP stepping give the published test vectors: RFC 6238 Appendix B
/// (SHA1, SHA256, SHA512, 8 digits), RFC 4226 Appendix D, and Steam Guard's code.
async fn codes_equal_the_rfc_test_vectors(store: &TestStore) {
    let now = std::sync::Arc::new(std::sync::atomic::AtomicI64::new(59));
    let clock_now = now.clone();
    let clock: authnode::app::env::Clock =
        std::sync::Arc::new(move || chrono::DateTime::from_timestamp(clock_now.load(std::sync::atomic::Ordering::SeqCst), 0).unwrap());
    let s = Server::start_with_clock(store, clock).await;
    s.register("root").await;
    let (token, _, _) = s.login("root").await;
    let create = |body: Value| {
        let s = &s;
        let token = token.clone();
        async move {
            let (status, b) = s.post("/applications", Some(&token), body).await;
            assert_eq!(status, StatusCode::CREATED, "{b}");
            b["application"]["id"].as_str().unwrap().to_owned()
        }
    };
    // RFC 6238 Appendix B uses a key of the hash's output length, made of "1234567890" repeated.
    let key = |n: usize| base32(&b"1234567890".repeat(7)[..n]);
    let sha1 = create(json!({ "issuer": "rfc", "label": "sha1", "secret": key(20), "algorithm": "SHA1", "digits": 8 })).await;
    let sha256 = create(json!({ "issuer": "rfc", "label": "sha256", "secret": key(32), "algorithm": "SHA256", "digits": 8 })).await;
    let sha512 = create(json!({ "issuer": "rfc", "label": "sha512", "secret": key(64), "algorithm": "SHA512", "digits": 8 })).await;
    let steam = create(json!({ "uri": format!("otpauth://totp/Steam:me?secret={}&issuer=Steam&encoder=steam", key(20)) })).await;
    let hotp = create(json!({ "issuer": "rfc", "label": "hotp", "secret": key(20), "otp_type": "hotp", "counter": 0 })).await;

    let table = [
        (59, "94287082", "46119246", "90693936"),
        (1_111_111_109, "07081804", "68084774", "25091201"),
        (1_111_111_111, "14050471", "67062674", "99943326"),
        (1_234_567_890, "89005924", "91819424", "93441116"),
        (2_000_000_000, "69279037", "90698825", "38618901"),
        (20_000_000_000, "65353130", "77737706", "47863826"),
    ];
    for (t, a, b, c) in table {
        now.store(t, std::sync::atomic::Ordering::SeqCst);
        // The whole server follows the pinned clock: a session started decades earlier has run
        // out, so sign in again at each instant.
        let (token, _, _) = s.login("root").await;
        let (status, body) = s.get("/applications/codes", &token).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["server_time"], t * 1000);
        let by_id = |id: &str| body["codes"].as_array().unwrap().iter().find(|c| c["id"] == id).cloned().unwrap();
        assert_eq!(by_id(&sha1)["code"], a, "SHA1 at {t}");
        assert_eq!(by_id(&sha256)["code"], b, "SHA256 at {t}");
        assert_eq!(by_id(&sha512)["code"], c, "SHA512 at {t}");
        assert_eq!(by_id(&sha1)["remaining"], 30 - t % 30, "seconds left at {t}");
        // Reading codes never moves the HOTP counter: RFC 4226's first value every time.
        assert_eq!(by_id(&hotp)["code"], "755224");
    }
    // Steam Guard: 5 characters from its alphabet, the value Python's hmac gives at this time.
    now.store(1_111_111_109, std::sync::atomic::Ordering::SeqCst);
    let (token, _, _) = s.login("root").await;
    let (_, body) = s.get("/applications/codes", &token).await;
    let steam_code = body["codes"].as_array().unwrap().iter().find(|c| c["id"] == steam.as_str()).unwrap()["code"].clone();
    assert_eq!(steam_code, "PY4YB");
    // RFC 4226 Appendix D: counters 1 to 9.
    for (counter, want) in ["287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"].iter().enumerate() {
        let (status, body) = s.post(&format!("/applications/{hotp}/hotp/next"), Some(&token), json!({})).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!((body["counter"].as_u64(), body["code"].as_str()), (Some(counter as u64 + 1), Some(*want)));
    }
    // Codes served again at the same instant follow every change at once (they are never stale
    // while the vault changes): the advanced counter, then new parameters and a new secret.
    let code_of = |body: &Value, id: &str| body["codes"].as_array().unwrap().iter().find(|c| c["id"] == id).unwrap()["code"].clone();
    let (_, body) = s.get("/applications/codes", &token).await;
    assert_eq!(code_of(&body, &hotp), "520489");
    now.store(59, std::sync::atomic::Ordering::SeqCst);
    let (_, body) = s.get("/applications/codes", &token).await;
    assert_eq!(code_of(&body, &sha1), "94287082");
    let (status, b) = s
        .call(reqwest::Method::PATCH, &format!("/applications/{sha1}"), Some(&token), Some(json!({ "algorithm": "SHA256", "secret": key(32) })))
        .await;
    assert_eq!(status, StatusCode::OK, "{b}");
    let (_, body) = s.get("/applications/codes", &token).await;
    assert_eq!(code_of(&body, &sha1), "46119246");
    let (status, _) = s.call(reqwest::Method::DELETE, &format!("/applications/{sha1}"), Some(&token), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, body) = s.get("/applications/codes", &token).await;
    assert!(body["codes"].as_array().unwrap().iter().all(|c| c["id"] != sha1.as_str()), "a trashed application has no codes");

    // Another user's cached codes never mix with these, whatever the order of requests.
    s.open_signup().await;
    s.register("eve").await;
    let (eve, _, _) = s.login("eve").await;
    let (_, mine) = s.get("/applications/codes", &token).await;
    let (_, theirs) = s.get("/applications/codes", &eve).await;
    assert_eq!(theirs["codes"], json!([]), "eve has no applications");
    let (status, b) = s.post("/applications", Some(&eve), json!({ "issuer": "eve", "label": "x", "secret": key(20) })).await;
    assert_eq!(status, StatusCode::CREATED, "{b}");
    let eve_app = b["application"]["id"].as_str().unwrap().to_owned();
    let (_, theirs) = s.get("/applications/codes", &eve).await;
    let ids: Vec<&str> = theirs["codes"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [eve_app.as_str()]);
    let (_, again) = s.get("/applications/codes", &token).await;
    assert_eq!(again["codes"], mine["codes"], "eve's change leaves root's codes as they were");
}

on_both_backends!(
    codes_equal_the_rfc_test_vectors,
    auth_config_web_ui_and_query_errors,
    applications_from_qr_images,
    a_login_flood_does_not_stall_other_requests,
    sign_ins_are_rate_limited,
    admin_users_settings_and_audit,
    vault_crud_codes_and_isolation,
    registration_and_login,
    refresh_rotation_reuse_and_revocation,
    lockout_after_repeated_failures,
    bad_requests_get_clear_4xx_errors,
    browser_cookies_need_the_csrf_header,
    openapi_document_matches_the_router,
    real_responses_match_the_documented_schemas,
    docs_page_and_its_assets_are_served_locally,
);

// ---------------------------------------------------------------------------------------------
// The OpenAPI document and the docs page.
// ---------------------------------------------------------------------------------------------

/// The routes the router registers, read from its source (so a new route without documentation
/// fails `openapi_document_matches_the_router`): `(method, full path)`. Routes in
/// `http::router::router` before the `/api/v1` nest are API routes; those after it (`/metrics`,
/// the probes) are taken as written.
fn router_routes() -> std::collections::BTreeSet<(String, String)> {
    fn routes_in(source: &str) -> Vec<(usize, String, Vec<String>)> {
        let mut out = Vec::new();
        let mut from = 0;
        while let Some(i) = source[from..].find(".route(\"") {
            let start = from + i + ".route(".len();
            let path_end = start + 1 + source[start + 1..].find('"').unwrap();
            let path = source[start + 1..path_end].to_owned();
            // The route's method router: everything up to the parenthesis closing `.route(`.
            let mut depth = 1;
            let mut end = start;
            for (j, c) in source[start..].char_indices() {
                match c {
                    '(' => depth += 1,
                    ')' => depth -= 1,
                    _ => {}
                }
                if depth == 0 {
                    end = start + j;
                    break;
                }
            }
            let expr = &source[path_end + 1..end];
            let mut methods = Vec::new();
            for m in ["get", "post", "put", "patch", "delete"] {
                let mut k = 0;
                while let Some(p) = expr[k..].find(&format!("{m}(")) {
                    let at = k + p;
                    let before = expr[..at].chars().next_back().unwrap_or(' ');
                    if !(before.is_alphanumeric() || before == '_' || before == ':') {
                        methods.push(m.to_owned());
                    }
                    k = at + m.len();
                }
            }
            out.push((from + i, path, methods));
            from = end;
        }
        out
    }
    let mut all = std::collections::BTreeSet::new();
    let http = include_str!("../src/http/router.rs");
    let nest = http.find(".nest(\"/api/v1\"").expect("the API is nested under /api/v1");
    for (at, path, methods) in routes_in(http) {
        assert!(!methods.is_empty(), "no method found for route {path}");
        let full = if at < nest { format!("/api/v1{path}") } else { path };
        all.extend(methods.into_iter().map(|m| (m, full.clone())));
    }
    all
}

/// Follows `$ref`s into `components`.
fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => resolve(doc, doc.pointer(r.trim_start_matches('#')).unwrap_or_else(|| panic!("dangling {r}"))),
        None => schema,
    }
}

/// What is wrong with `value` under `schema`, a schema of the OpenAPI 3.1 document `doc` (whose
/// schemas are JSON Schema 2020-12): validated by the `jsonschema` crate, formats (`uuid`,
/// `date-time`) included, with `$ref`s resolved in the document. Objects are checked closed: a
/// real answer carries no property its schema does not list (the published document leaves
/// response objects open, so that a new field breaks no client).
fn schema_errors(doc: &Value, schema: &Value, value: &Value) -> Vec<String> {
    fn closed(v: &mut Value) {
        match v {
            Value::Object(map) => {
                if map.contains_key("properties") && !map.contains_key("additionalProperties") {
                    map.insert("additionalProperties".into(), Value::Bool(false));
                }
                map.values_mut().for_each(closed);
            }
            Value::Array(items) => items.iter_mut().for_each(closed),
            _ => {}
        }
    }
    let mut components = doc["components"].clone();
    closed(&mut components);
    let mut root = json!({ "$schema": "https://json-schema.org/draft/2020-12/schema", "components": components });
    root.as_object_mut().unwrap().extend(schema.as_object().unwrap().clone());
    let validator = jsonschema::draft202012::options().should_validate_formats(true).build(&root).unwrap_or_else(|e| panic!("schema {schema}: {e}"));
    validator.iter_errors(value).map(|e| format!("{}: {e}", e.instance_path())).collect()
}

/// Every `$ref` in a document.
fn collect_refs<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
    match v {
        Value::Object(m) => {
            out.extend(m.get("$ref").and_then(Value::as_str));
            m.values().for_each(|x| collect_refs(x, out));
        }
        Value::Array(a) => a.iter().for_each(|x| collect_refs(x, out)),
        _ => {}
    }
}

/// Checks a real answer against what the document says `method path` answers with `status`.
fn check_response(doc: &Value, method: &str, path: &str, status: StatusCode, body: &Value) {
    let op = &doc["paths"][path][method];
    assert!(op.is_object(), "{method} {path} is not documented");
    let response = &op["responses"][status.as_str()];
    assert!(response.is_object(), "{method} {path} does not document status {status}: {body}");
    let schema = &response["content"]["application/json"]["schema"];
    assert!(schema.is_object(), "{method} {path} {status} documents no JSON body");
    let errors = schema_errors(doc, schema, body);
    assert!(errors.is_empty(), "{method} {path} {status} does not match its documented schema:\n{}\nbody: {body}", errors.join("\n"));
}

async fn openapi_document(s: &Server) -> Value {
    let res = s.http.get(s.url("/openapi.json")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "application/json");
    res.json().await.unwrap()
}

async fn openapi_document_matches_the_router(store: &TestStore) {
    use aggregates::application::{Algorithm, OtpType};
    use aggregates::user::Role;

    let s = Server::start(store).await;
    let doc = openapi_document(&s).await;
    assert!(doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.")), "{}", doc["openapi"]);
    assert_eq!(doc["info"]["title"], "AuthNode");
    assert_eq!(doc["info"]["version"], env!("CARGO_PKG_VERSION"));

    // Exactly the router's routes are documented, each with its methods.
    let routes = router_routes();
    assert!(routes.len() >= 30, "the route scan found too little: {routes:?}");
    let mut documented = std::collections::BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, _) in item.as_object().unwrap().iter().filter(|(k, _)| ["get", "post", "put", "patch", "delete"].contains(&k.as_str())) {
            documented.insert((method.clone(), path.clone()));
        }
    }
    let missing: Vec<_> = routes.difference(&documented).collect();
    let extra: Vec<_> = documented.difference(&routes).collect();
    assert!(missing.is_empty(), "routes without documentation: {missing:?}");
    assert!(extra.is_empty(), "documented operations the router does not have: {extra:?}");

    // Generated clients name each operation by its id.
    let ids: Vec<&str> = routes.iter().filter_map(|(m, p)| doc["paths"][p][m]["operationId"].as_str()).collect();
    assert_eq!(ids.len(), routes.len(), "operations without an operationId");
    let unique: std::collections::BTreeSet<_> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "operationIds are not unique: {ids:?}");

    let public = [
        "/api/v1/auth/config",
        "/api/v1/auth/register",
        "/api/v1/auth/login",
        "/api/v1/auth/login/second-factor",
        "/api/v1/auth/passkey/options",
        "/api/v1/auth/passkey",
        "/api/v1/auth/refresh",
        "/api/v1/openapi.json",
        "/healthz",
        "/readyz",
        "/metrics",
    ];
    let mut access_problems = Vec::new();
    for (method, path) in &routes {
        let op = &doc["paths"][path][method];
        let what = format!("{method} {path}");
        assert!(op["tags"].as_array().is_some_and(|t| !t.is_empty()), "{what} has no tag");
        // Every `{param}` in the path is declared.
        for name in path.split('/').filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}'))) {
            let declared = op["parameters"].as_array().into_iter().flatten().filter(|p| p["name"] == name && p["in"] == "path").count();
            assert_eq!(declared, 1, "{what} declares path parameter {name} {declared} times");
        }
        // Signed-in routes take the bearer token or the cookie; the others say they need nothing.
        let schemes: Vec<String> = op["security"].as_array().into_iter().flatten().flat_map(|r| r.as_object().unwrap().keys().cloned()).collect();
        if public.contains(&path.as_str()) {
            assert!(schemes.is_empty(), "{what} is public but documents {schemes:?}");
        } else {
            assert_eq!(schemes, ["bearer", "cookie"], "{what}");
            // A handler's own 401/403 row replaces the shared one: it must keep what every
            // signed-in operation can answer.
            let says = |status: &str, code: &str| op["responses"][status]["description"].as_str().is_some_and(|d| d.contains(&format!("`{code}`")));
            if !(says("401", "unauthenticated") && says("401", "session_revoked")) {
                access_problems.push(format!("{what}: 401 lacks the session codes"));
            }
            if !says("403", "account_disabled") {
                access_problems.push(format!("{what}: 403 lacks `account_disabled`"));
            }
            let open_while_enrolling = path.starts_with("/api/v1/me/passkeys")
                || path.starts_with("/api/v1/me/totp")
                || path.starts_with("/api/v1/auth/reauth")
                || ["/api/v1/me/second-factors", "/api/v1/me/recovery-codes", "/api/v1/auth/logout"].contains(&path.as_str())
                || (path == "/api/v1/me" && method == "get");
            if says("403", "second_factor_enrolment_required") == open_while_enrolling {
                access_problems.push(format!("{what}: 403 `second_factor_enrolment_required` documented {}", !open_while_enrolling));
            }
        }
        // Every failure answer is the error shape.
        let responses = op["responses"].as_object().unwrap();
        assert!(responses.keys().any(|k| k.starts_with('2')), "{what} documents no success");
        for (status, response) in responses.iter().filter(|(k, _)| k.starts_with('4') || k.starts_with('5')) {
            assert_eq!(
                response["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/ErrorBody",
                "{what} {status} is not the error shape"
            );
        }
        // Bodies: JSON ones come with their extractor's failures.
        if let Some(content) = op["requestBody"]["content"].as_object()
            && content.contains_key("application/json")
        {
            for status in ["400", "413", "415"] {
                assert!(responses.contains_key(status), "{what} takes JSON but does not document {status}");
            }
        }
    }
    assert!(access_problems.is_empty(), "{access_problems:#?}");
    // Every reference resolves.
    let mut all_refs = Vec::new();
    collect_refs(&doc, &mut all_refs);
    assert!(all_refs.len() > 50);
    for r in all_refs {
        assert!(doc.pointer(r.trim_start_matches('#')).is_some(), "dangling reference {r}");
    }
    let error = resolve(&doc, &doc["components"]["schemas"]["ErrorBody"]);
    assert_eq!(error["required"], json!(["error"]));
    let detail = resolve(&doc, &error["properties"]["error"]);
    assert_eq!(detail["required"], json!(["code", "message"]));
    assert_eq!(detail["properties"]["field"]["type"], "string");
    assert_eq!(doc["components"]["securitySchemes"]["bearer"]["scheme"], "bearer");
    assert_eq!(
        (doc["components"]["securitySchemes"]["cookie"]["in"].as_str(), doc["components"]["securitySchemes"]["cookie"]["name"].as_str()),
        (Some("cookie"), Some("authnode_access"))
    );

    // Parameters and enums as the handlers read them (the enum values come from the domain types).
    let params = |method: &str, path: &str| -> Vec<String> {
        doc["paths"][path][method]["parameters"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap().to_owned()).collect()
    };
    assert_eq!(params("get", "/api/v1/applications"), ["q", "tag", "favorite", "trashed"]);
    assert_eq!(params("delete", "/api/v1/applications/{id}"), ["id", "purge"]);
    let audit = params("get", "/api/v1/audit");
    for p in ["actor", "subject", "aggregate_type", "aggregate_id", "event_type", "outcome", "ip", "from", "to", "before", "limit"] {
        assert!(audit.contains(&p.to_owned()), "audit does not document ?{p}: {audit:?}");
    }
    let enum_of = |name: &str| doc["components"]["schemas"][name]["enum"].clone();
    let wire = |v: Vec<Value>| Value::Array(v);
    assert_eq!(enum_of("OtpType"), wire([OtpType::Totp, OtpType::Hotp, OtpType::Steam].iter().map(|v| json!(v)).collect()));
    assert_eq!(enum_of("OtpType"), json!(["totp", "hotp", "steam"]));
    assert_eq!(enum_of("Algorithm"), json!(["SHA1", "SHA256", "SHA512"]));
    assert_eq!(enum_of("Algorithm"), wire([Algorithm::Sha1, Algorithm::Sha256, Algorithm::Sha512].iter().map(|v| json!(v)).collect()));
    assert_eq!(enum_of("Role"), wire([Role::Admin, Role::User, Role::Auditor].iter().map(|v| json!(v)).collect()));
    assert_eq!(enum_of("UserAction"), json!(["disable", "enable", "unlock", "revoke-sessions"]));
    let app_body = &doc["components"]["schemas"]["AppBody"]["properties"];
    for field in [
        "uri",
        "issuer",
        "label",
        "secret",
        "otp_type",
        "algorithm",
        "digits",
        "period",
        "counter",
        "tags",
        "favorite",
        "notes",
        "url",
        "icon",
        "color",
    ] {
        assert!(app_body[field].is_object(), "AppBody does not document {field}");
    }
    let qr = &doc["paths"]["/api/v1/applications/qr"]["post"]["requestBody"]["content"];
    assert!(qr["multipart/form-data"].is_object(), "{qr}");
}

async fn real_responses_match_the_documented_schemas(store: &TestStore) {
    let s = Server::start(store).await;
    let doc = openapi_document(&s).await;
    let (st, body) = s.register("root").await;
    check_response(&doc, "post", "/api/v1/auth/register", st, &body);
    let (st, body) = s.register("root").await;
    check_response(&doc, "post", "/api/v1/auth/register", st, &body);
    let (st, body) = s.post("/auth/login", None, json!({ "login": "root", "password": "correct horse battery" })).await;
    check_response(&doc, "post", "/api/v1/auth/login", st, &body);
    let (st, bad) = s.post("/auth/login", None, json!({ "login": "root", "password": "wrong password!!" })).await;
    check_response(&doc, "post", "/api/v1/auth/login", st, &bad);
    let root = body["access_token"].as_str().unwrap().to_owned();
    let (st, body) = s.post("/auth/refresh", None, json!({ "refresh_token": body["refresh_token"] })).await;
    check_response(&doc, "post", "/api/v1/auth/refresh", st, &body);

    let (st, body) = s.get("/me", &root).await;
    check_response(&doc, "get", "/api/v1/me", st, &body);
    // The checker itself notices a missing, an undocumented and a mistyped property.
    let mut doctored = body.clone();
    doctored["user"].as_object_mut().unwrap().remove("email");
    doctored["user"]["password_hash"] = json!("$argon2id$…");
    doctored["user"]["disabled"] = json!("no");
    let errors = schema_errors(&doc, &json!({ "$ref": "#/components/schemas/UserEnvelope" }), &doctored);
    assert_eq!(errors.len(), 3, "{errors:?}");
    let (st, body) = s.call(reqwest::Method::GET, "/me", None, None).await;
    check_response(&doc, "get", "/api/v1/me", st, &body);
    let (st, body) = s.get("/me/sessions", &root).await;
    check_response(&doc, "get", "/api/v1/me/sessions", st, &body);

    let (st, body) = s
        .post("/applications", Some(&root), json!({ "issuer": "AWS", "label": "root", "secret": "JBSWY3DPEHPK3PXP", "tags": ["work"], "notes": "n" }))
        .await;
    check_response(&doc, "post", "/api/v1/applications", st, &body);
    let id = body["application"]["id"].as_str().unwrap().to_owned();
    let (st, body) = s.post("/applications", Some(&root), json!({ "issuer": "Bank", "secret": "JBSWY3DPEHPK3PXP", "otp_type": "hotp" })).await;
    check_response(&doc, "post", "/api/v1/applications", st, &body);
    let hotp = body["application"]["id"].as_str().unwrap().to_owned();
    let (st, body) = s.post("/applications", Some(&root), json!({ "issuer": "X", "secret": "not base32 !!" })).await;
    assert!(body["error"]["field"].is_string(), "{body}");
    check_response(&doc, "post", "/api/v1/applications", st, &body);
    let (st, body) = s.get("/applications", &root).await;
    check_response(&doc, "get", "/api/v1/applications", st, &body);
    let (st, body) = s.get(&format!("/applications/{id}"), &root).await;
    check_response(&doc, "get", "/api/v1/applications/{id}", st, &body);
    let (st, body) = s.get("/applications/00000000-0000-0000-0000-000000000000", &root).await;
    check_response(&doc, "get", "/api/v1/applications/{id}", st, &body);
    let (st, body) = s.get("/applications/codes", &root).await;
    assert_eq!(body["codes"].as_array().unwrap().len(), 2);
    check_response(&doc, "get", "/api/v1/applications/codes", st, &body);
    let (st, body) = s.post(&format!("/applications/{hotp}/hotp/next"), Some(&root), json!({})).await;
    check_response(&doc, "post", "/api/v1/applications/{id}/hotp/next", st, &body);
    let (st, body) = s.post(&format!("/applications/{id}/hotp/next"), Some(&root), json!({})).await;
    check_response(&doc, "post", "/api/v1/applications/{id}/hotp/next", st, &body);

    let (st, body) = s.get("/admin/users", &root).await;
    check_response(&doc, "get", "/api/v1/admin/users", st, &body);
    let (st, body) = s.get("/admin/settings", &root).await;
    check_response(&doc, "get", "/api/v1/admin/settings", st, &body);
    let (st, body) = s.get("/audit?limit=50", &root).await;
    check_response(&doc, "get", "/api/v1/audit", st, &body);
    let (st, body) = s.get("/audit?limit=0", &root).await;
    check_response(&doc, "get", "/api/v1/audit", st, &body);
    let (st, body) = s.get("/me/activity", &root).await;
    check_response(&doc, "get", "/api/v1/me/activity", st, &body);
    // Second factors and step-up.
    let (st, body) = s.get("/me/second-factors", &root).await;
    check_response(&doc, "get", "/api/v1/me/second-factors", st, &body);
    let (st, body) = s.get(&format!("/applications/{id}/secret"), &root).await;
    check_response(&doc, "get", "/api/v1/applications/{id}/secret", st, &body);
    let (st, body) = s.post("/auth/reauth", Some(&root), json!({ "password": "correct horse battery" })).await;
    check_response(&doc, "post", "/api/v1/auth/reauth", st, &body);
    let (st, body) = s.get(&format!("/applications/{id}/secret"), &root).await;
    check_response(&doc, "get", "/api/v1/applications/{id}/secret", st, &body);
    let (st, body) = s.post("/me/totp", Some(&root), json!({})).await;
    check_response(&doc, "post", "/api/v1/me/totp", st, &body);
    let (st, body) = s.post("/me/totp/confirm", Some(&root), json!({ "code": "12345" })).await;
    check_response(&doc, "post", "/api/v1/me/totp/confirm", st, &body);
    let (st, body) = s.post("/auth/login/second-factor", None, json!({ "challenge": "x.y", "method": "totp", "code": "123456" })).await;
    check_response(&doc, "post", "/api/v1/auth/login/second-factor", st, &body);
    let health: Value = s.http.get(format!("{}/healthz", s.base)).send().await.unwrap().json().await.unwrap();
    check_response(&doc, "get", "/healthz", StatusCode::OK, &health);
    let ready: Value = s.http.get(format!("{}/readyz", s.base)).send().await.unwrap().json().await.unwrap();
    check_response(&doc, "get", "/readyz", StatusCode::OK, &ready);
}

async fn docs_page_and_its_assets_are_served_locally(store: &TestStore) {
    let s = Server::start(store).await;
    // `/api/v1/docs` redirects to the page; reqwest follows.
    let res = s.http.get(s.url("/docs")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.url().path(), "/api/v1/docs/");
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    // It shares the vault's origin, so it runs only its own scripts and cannot be framed.
    let csp = res.headers()["content-security-policy"].to_str().unwrap().to_owned();
    assert!(csp.contains("script-src 'self';") && csp.contains("frame-ancestors 'none'"), "{csp}");
    let html = res.text().await.unwrap();
    assert!(!html.contains("<script>"), "no inline script, which the policy would block");
    // Every file the page loads comes from here, by a relative address.
    let mut assets = Vec::new();
    for attr in ["src=\"", "href=\""] {
        for piece in html.split(attr).skip(1) {
            assets.push(piece.split('"').next().unwrap().to_owned());
        }
    }
    let has = |ext: &str| assets.iter().any(|a| a.rsplit('.').next() == Some(ext));
    assert!(has("js") && has("css"), "{assets:?}");
    for asset in &assets {
        assert!(!asset.contains("//"), "the docs page loads {asset} from elsewhere");
        let url = format!("{}/api/v1/docs/{}", s.base, asset.trim_start_matches("./"));
        let res = s.http.get(&url).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{url}");
        let ct = res.headers()["content-type"].to_str().unwrap().to_owned();
        let want = match asset.rsplit('.').next().unwrap() {
            "js" => "javascript",
            "css" => "text/css",
            "png" => "image/png",
            other => panic!("unexpected asset type {other} ({asset})"),
        };
        assert!(ct.contains(want), "{url} is served as {ct}");
        assert!(!res.bytes().await.unwrap().is_empty(), "{url} is empty");
    }
    // The page is pointed at our document and does not send it to swagger.io's validator.
    let init = s.http.get(s.url("/docs/swagger-initializer.js")).send().await.unwrap().text().await.unwrap();
    assert!(init.contains("\"/api/v1/openapi.json\""), "{init}");
    assert!(init.contains("\"validatorUrl\": \"none\""), "{init}");
    assert!(!init.contains("https://"), "{init}");
    let res = s.http.get(s.url("/docs/no-such-file.js")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}
