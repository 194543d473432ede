//! Regression tests for what adversarial testing found (issue 14), each on SQLite and
//! PostgreSQL: NUL characters, database outages, forged refresh tokens, QR decoding memory, the
//! lockout of unknown names, requests the OpenAPI document does not describe, headers and file
//! permissions, short secrets and concurrent sign-ins to one account.

mod common;

use std::time::{Duration, Instant};

use authnode::db::Backend;
use common::TestStore;
use common::http::{Server, code};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const SECRET_URI: &str = "otpauth://totp/Example:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Example";

/// An admin (`root`) and a user (`alice`) with one application; returns their tokens and the id.
async fn admin_user_and_app(s: &Server) -> (String, String, String) {
    s.register("root").await;
    s.open_signup().await;
    s.register("alice").await;
    let (root, _, _) = s.login("root").await;
    let (alice, _, _) = s.login("alice").await;
    let (st, body) = s.post("/applications", Some(&alice), json!({ "uri": SECRET_URI })).await;
    assert_eq!(st, StatusCode::CREATED, "{body}");
    (root, alice, body["application"]["id"].as_str().unwrap().to_owned())
}

async fn raw(s: &Server, method: Method, path: &str, token: Option<&str>, body: Option<&str>) -> (StatusCode, Value) {
    let mut req = s.http.request(method, s.url(path));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    if let Some(b) = body {
        req = req.header("content-type", "application/json").body(b.to_owned());
    }
    let res = req.send().await.unwrap();
    let status = res.status();
    let text = res.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

/// Issue 14.1: a NUL character anywhere a string enters gets the same 400 on both stores
/// (PostgreSQL cannot store it in text and answered 500).
async fn nul_characters_are_refused_at_the_boundary(store: &TestStore) {
    let s = Server::start(store).await;
    let (root, alice, app_id) = admin_user_and_app(&s).await;
    let (st, body) = raw(&s, Method::POST, "/auth/login", None, Some(r#"{"login":"a\u0000b","password":"correct horse battery"}"#)).await;
    assert_eq!((st, code(&body)), (StatusCode::BAD_REQUEST, "invalid_body"), "{body}");
    let (st, body) = raw(&s, Method::POST, "/applications", Some(&alice), Some(r#"{"secret":"JBSWY3DPEHPK3PXP","issuer":"Git\u0000Hub"}"#)).await;
    assert_eq!((st, code(&body)), (StatusCode::BAD_REQUEST, "invalid_body"), "{body}");
    let (st, body) = raw(&s, Method::PATCH, &format!("/applications/{app_id}"), Some(&alice), Some(r#"{"label":"\u0000"}"#)).await;
    assert_eq!((st, code(&body)), (StatusCode::BAD_REQUEST, "invalid_body"), "{body}");
    // An escaped backslash before "u0000" is text, not a NUL.
    let (st, body) = raw(&s, Method::PATCH, &format!("/applications/{app_id}"), Some(&alice), Some(r#"{"label":"a\\u0000b"}"#)).await;
    assert_eq!(st, StatusCode::OK, "{body}");
    assert_eq!(body["application"]["label"], "a\\u0000b");

    let paths: [(Method, &str, &str); 13] = [
        (Method::GET, "/applications/a%00b", "invalid_path"),
        (Method::PATCH, "/applications/a%00b", "invalid_path"),
        (Method::DELETE, "/applications/a%00b", "invalid_path"),
        (Method::POST, "/applications/a%00b/restore", "invalid_path"),
        (Method::POST, "/applications/a%00b/hotp/next", "invalid_path"),
        (Method::GET, "/me/activity?aggregate_id=a%00b", "invalid_query"),
        (Method::GET, "/applications?q=a%00b", "invalid_query"),
        (Method::GET, "/audit?aggregate_id=a%00b", "invalid_query"),
        (Method::GET, "/audit?event_type=a%00b", "invalid_query"),
        (Method::GET, "/audit?ip=a%00b", "invalid_query"),
        (Method::GET, "/admin/users?q=a%00b", "invalid_query"),
        (Method::GET, "/admin/users/a%00b", "invalid_path"),
        (Method::POST, "/admin/users/a%00b/disable", "invalid_path"),
    ];
    for (method, path, want) in paths {
        let token = if path.starts_with("/admin") || path.starts_with("/audit") { &root } else { &alice };
        let body = matches!(method, Method::PATCH).then_some("{}");
        let (st, answer) = raw(&s, method.clone(), path, Some(token), body).await;
        assert_eq!((st, code(&answer)), (StatusCode::BAD_REQUEST, want), "{method} {path}: {answer}");
    }
    // Nothing was written by any of them, and the server still answers.
    let (st, list) = s.get("/applications", &alice).await;
    assert_eq!((st, list["applications"].as_array().map(Vec::len)), (StatusCode::OK, Some(1)));
}

/// Issue 14.2: errors that mean "the database is unavailable" are 503, not 500. On PostgreSQL a
/// terminated session (SQLSTATE 57P01, what a restart does to every connection); on SQLite a
/// write lock that is not granted (SQLITE_BUSY).
async fn lost_connections_and_busy_databases_are_unavailable_not_internal(store: &TestStore) {
    use authnode::app::AppError;
    use sqlx::Connection;
    let err = match store.backend {
        Backend::Postgres => {
            let mut victim = sqlx::PgConnection::connect(&store.url).await.unwrap();
            let pid: i32 = sqlx::query_scalar("SELECT pg_backend_pid()").fetch_one(&mut victim).await.unwrap();
            let mut admin = sqlx::PgConnection::connect(&store.url).await.unwrap();
            sqlx::query("SELECT pg_terminate_backend($1)").bind(pid).execute(&mut admin).await.unwrap();
            tokio::time::sleep(Duration::from_millis(200)).await;
            sqlx::query("SELECT 1").execute(&mut victim).await.expect_err("the session was terminated")
        }
        Backend::Sqlite => {
            let db = store.db().await;
            let holder = db.begin_write().await.unwrap();
            let mut other = sqlx::SqliteConnection::connect(&store.url).await.unwrap();
            sqlx::query("PRAGMA busy_timeout = 0").execute(&mut other).await.unwrap();
            let err = sqlx::query("INSERT INTO rate_limits (key, window_start, hits) VALUES ('x', 0, 1)").execute(&mut other).await.expect_err("locked");
            drop(holder);
            err
        }
    };
    assert!(authnode::db::is_connection_error(&err), "{err:?}");
    let answer = authnode::http::error::ApiError::from(AppError::from(err));
    assert_eq!((answer.status, answer.code), (StatusCode::SERVICE_UNAVAILABLE, "database_unavailable"));
}

/// Issue 14.3: knowing a session id (it is in the audit log and the JWT) is not enough to end
/// the session: only a token really issued for it and since rotated counts as reuse.
async fn a_forged_refresh_token_ends_no_session(store: &TestStore) {
    let s = Server::start(store).await;
    s.register("alice").await;
    let (access, refresh, session_id) = s.login("alice").await;
    for forged in [format!("{session_id}.forged"), format!("{session_id}.{}", "A".repeat(43))] {
        let (st, body) = s.post("/auth/refresh", None, json!({ "refresh_token": forged })).await;
        assert_eq!((st, code(&body)), (StatusCode::UNAUTHORIZED, "invalid_refresh_token"), "{body}");
    }
    let (st, _) = s.get("/me", &access).await;
    assert_eq!(st, StatusCode::OK, "the session lives on");
    let (st, body) = s.post("/auth/refresh", None, json!({ "refresh_token": refresh })).await;
    assert_eq!(st, StatusCode::OK, "the real token still rotates: {body}");
    // The rotated one, presented again, is reuse: the session ends.
    let (st, body) = s.post("/auth/refresh", None, json!({ "refresh_token": refresh })).await;
    assert_eq!((st, code(&body)), (StatusCode::UNAUTHORIZED, "refresh_token_reused"), "{body}");
    let (st, _) = s.get("/me", &access).await;
    assert_eq!(st, StatusCode::UNAUTHORIZED, "the session ended");
}

/// A PNG of `width`×`height` RGBA pixels that compresses to almost nothing.
fn big_png(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbaImage::from_pixel(width, height, image::Rgba([255, 255, 255, 255]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// Issue 14.4: pictures over the pixel limit are refused from their header, before decoding.
async fn oversized_qr_pictures_are_refused_before_decoding(store: &TestStore) {
    let s = Server::start(store).await;
    s.register("alice").await;
    let (alice, _, _) = s.login("alice").await;
    let bomb = big_png(6000, 6000);
    assert!(bomb.len() < 2 * 1024 * 1024, "inside the upload limit: {} bytes", bomb.len());
    let form = reqwest::multipart::Form::new().part("image", reqwest::multipart::Part::bytes(bomb).file_name("bomb.png"));
    let res = s.http.post(s.url("/applications/qr")).bearer_auth(&alice).multipart(form).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert_eq!(code(&res.json::<Value>().await.unwrap()), "image_too_large");
    // Without a multipart boundary: the API's JSON error, not axum's plain text.
    let res = s.http.post(s.url("/applications/qr")).bearer_auth(&alice).header("content-type", "multipart/form-data").body("x").send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(code(&res.json::<Value>().await.unwrap()), "unsupported_media_type");
}

/// Issue 14.4: sixteen parallel worst-case uploads (the largest picture still decoded) keep the
/// server process under 300 MiB (peak resident set of the real binary, from /proc).
async fn parallel_worst_case_qr_uploads_stay_under_300_mib(store: &TestStore) {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_authnode"));
    cmd.args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .env("DATABASE_URL", &store.url)
        .env("AUTHNODE_DATA_DIR", store.dir.path())
        .env("AUTHNODE_MASTER_KEY", authnode::crypto::MasterKey::generate().to_base64())
        .env("AUTHNODE_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    let mut child = cmd.spawn().unwrap();
    let base = format!("http://127.0.0.1:{port}/api/v1");
    let http = reqwest::Client::new();
    let started = Instant::now();
    while http.get(format!("{base}/auth/config")).send().await.is_err() {
        assert!(started.elapsed() < Duration::from_secs(30), "server did not start");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let reg = json!({ "email": "alice@example.com", "username": "alice", "password": "correct horse battery" });
    assert!(http.post(format!("{base}/auth/register")).json(&reg).send().await.unwrap().status().is_success());
    let login: Value = http.post(format!("{base}/auth/login")).json(&json!({"login":"alice","password":"correct horse battery"})).send().await.unwrap().json().await.unwrap();
    let token = login["access_token"].as_str().unwrap().to_owned();
    // 4000×3000 = 12 megapixels, the most that is decoded; white, so no QR code is found.
    let picture = big_png(4000, 3000);
    let mut uploads = Vec::new();
    for _ in 0..16 {
        let (http, url, token, picture) = (http.clone(), format!("{base}/applications/qr"), token.clone(), picture.clone());
        uploads.push(tokio::spawn(async move {
            let form = reqwest::multipart::Form::new().part("image", reqwest::multipart::Part::bytes(picture).file_name("big.png"));
            let res = http.post(url).bearer_auth(token).multipart(form).send().await.unwrap();
            (res.status(), res.json::<Value>().await.unwrap())
        }));
    }
    for u in uploads {
        let (status, body) = u.await.unwrap();
        assert_eq!((status, code(&body)), (StatusCode::BAD_REQUEST, "no_qr_code"), "{body}");
    }
    let status = std::fs::read_to_string(format!("/proc/{}/status", child.id())).unwrap();
    let _ = child.kill();
    let _ = child.wait();
    let peak_kib: u64 = status.lines().find_map(|l| l.strip_prefix("VmHWM:")).and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok()).unwrap();
    assert!(peak_kib < 300 * 1024, "peak resident set {} MiB", peak_kib / 1024);
}

/// Issue 14.5: a name that matches no account locks exactly like an account: the same answers
/// after the same number of failures.
async fn unknown_names_lock_like_accounts(store: &TestStore) {
    let s = Server::start(store).await;
    s.register("alice").await;
    let lockout = aggregates::settings::LockoutPolicy { max_failures: 3, window_minutes: 15, lock_minutes: 15 };
    s.app.execute(&s.app.settings, aggregates::settings::SETTINGS_ID, aggregates::SettingsCommand::ChangeLockoutPolicy(lockout), &aggregates::RequestMetadata::cli()).await.unwrap();
    let mut answers = Vec::new();
    for name in ["alice", "nobody-here"] {
        let mut seen = Vec::new();
        for _ in 0..5 {
            let (st, body) = s.post("/auth/login", None, json!({ "login": name, "password": "wrong password!!" })).await;
            let message = body["error"]["message"].as_str().unwrap_or_default();
            seen.push((st, code(&body).to_owned(), message.contains("locked until")));
        }
        answers.push(seen);
    }
    assert_eq!(answers[0], answers[1], "an account and an unknown name answer alike");
    assert_eq!(answers[1][2], (StatusCode::LOCKED, "account_locked".to_owned(), true), "{:?}", answers[1]);
    assert_eq!(answers[1][1].0, StatusCode::UNAUTHORIZED);
    // Case and surrounding spaces do not make a different name.
    let (st, _) = s.post("/auth/login", None, json!({ "login": " NOBODY-here ", "password": "x" })).await;
    assert_eq!(st, StatusCode::LOCKED);
}

/// Issue 14.6: what the OpenAPI document says is what the server does.
async fn bodies_and_payloads_have_their_documented_shape(store: &TestStore) {
    let s = Server::start(store).await;
    let (root, alice, app_id) = admin_user_and_app(&s).await;
    // Arrays are not objects.
    let (st, body) = raw(&s, Method::PATCH, "/me", Some(&alice), Some("[null,null]")).await;
    assert_eq!((st, code(&body)), (StatusCode::BAD_REQUEST, "invalid_body"), "{body}");
    let (st, body) = raw(&s, Method::POST, "/applications", Some(&alice), Some(&format!("[{SECRET_URI:?}]"))).await;
    assert_eq!((st, code(&body)), (StatusCode::BAD_REQUEST, "invalid_body"), "{body}");
    // An event without fields is an object in the audit payload.
    let (st, _) = s.call(Method::DELETE, &format!("/applications/{app_id}"), Some(&alice), None).await;
    assert_eq!(st, StatusCode::NO_CONTENT);
    let (st, _) = s.post(&format!("/applications/{app_id}/restore"), Some(&alice), json!({})).await;
    assert_eq!(st, StatusCode::OK);
    let (st, page) = s.get("/audit?event_type=ApplicationRestored", &root).await;
    assert_eq!(st, StatusCode::OK, "{page}");
    let payload = &page["entries"][0]["payload"];
    assert!(payload["ApplicationRestored"].is_object(), "{page}");

    // The document states the rules the server enforces (issue 14.6), and the server keeps them.
    let doc: Value = s.http.get(s.url("/openapi.json")).send().await.unwrap().json().await.unwrap();
    let schema = |name: &str| doc["components"]["schemas"][name].clone();
    assert_eq!(schema("RegisterBody")["properties"]["password"]["minLength"], 10, "the policy in force");
    assert_eq!(schema("RegisterBody")["properties"]["password"]["maxLength"], 128);
    assert!(schema("RegisterBody")["properties"]["username"]["pattern"].is_string());
    assert!(schema("RegisterBody")["properties"]["email"]["pattern"].is_string());
    assert!(schema("PatchMe")["properties"]["display_name"]["pattern"].is_string());
    assert_eq!((schema("AppBody")["properties"]["period"]["minimum"].clone(), schema("AppBody")["properties"]["period"]["maximum"].clone()), (json!(1), json!(300)));
    assert_eq!(schema("LockoutPolicy")["properties"]["lock_minutes"]["maximum"], 10080);
    assert_eq!(schema("LockoutPolicy")["additionalProperties"], false, "nested objects are closed");
    // A raised policy shows in the served document.
    let policy = aggregates::settings::PasswordPolicy { min_length: 14, ..Default::default() };
    s.app.execute(&s.app.settings, aggregates::settings::SETTINGS_ID, aggregates::SettingsCommand::ChangePasswordPolicy(policy), &aggregates::RequestMetadata::cli()).await.unwrap();
    let doc: Value = s.http.get(s.url("/openapi.json")).send().await.unwrap().json().await.unwrap();
    assert_eq!(doc["components"]["schemas"]["RegisterBody"]["properties"]["password"]["minLength"], 14);
    // Refused as documented: an unknown field inside a nested object, a number out of range, a
    // blank display name; a whole number written as 30.0 is the integer it is.
    for (path, body, want) in [
        ("/admin/settings", json!({ "lockout": { "max_failures": 5, "window_minutes": 15, "lock_minutes": 15, "extra": 1 } }), "invalid_body"),
        ("/admin/settings", json!({ "lockout": { "max_failures": 5, "window_minutes": 15, "lock_minutes": 10081 } }), "invalid_setting"),
        ("/me", json!({ "display_name": "   " }), "invalid_display_name"),
    ] {
        let (st, answer) = s.call(Method::PATCH, path, Some(&root), Some(body.clone())).await;
        assert_eq!((st, code(&answer)), (StatusCode::BAD_REQUEST, want), "{body}: {answer}");
    }
    let (st, answer) = s.call(Method::PATCH, &format!("/applications/{app_id}"), Some(&alice), Some(json!({ "period": 30.0 }))).await;
    assert_eq!(st, StatusCode::OK, "{answer}");
}

/// Issue 14.7: HSTS once the public origin is https; `/metrics` behind a token when one is set;
/// the embedded store's file readable by its owner only.
async fn headers_metrics_token_and_file_modes(store: &TestStore) {
    let app = store.app(&authnode::crypto::MasterKey::generate()).await;
    let config = |https: bool| {
        authnode::config::Config::from_lookup(|k| match k {
            "AUTHNODE_PUBLIC_URL" => Some(if https { "https://vault.example.com".into() } else { "http://localhost:8080".into() }),
            "AUTHNODE_METRICS_TOKEN" => Some("metrics-token-0123456789".into()),
            _ => None,
        })
        .unwrap()
    };
    for https in [true, false] {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let router = authnode::http::router::router(authnode::http::state::ApiState::new(app.clone(), config(https)));
        tokio::spawn(async move { axum::serve(listener, router.into_make_service_with_connect_info::<std::net::SocketAddr>()).await.unwrap() });
        let http = reqwest::Client::new();
        let res = http.get(format!("{base}/api/v1/auth/config")).send().await.unwrap();
        assert_eq!(res.headers().get("strict-transport-security").map(|v| v.to_str().unwrap().to_owned()), https.then(|| "max-age=31536000".to_owned()));
        assert_eq!(res.headers().get("cache-control").unwrap(), "no-store");
        let res = http.get(format!("{base}/metrics")).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
        let res = http.get(format!("{base}/metrics")).bearer_auth("metrics-token-0123456789x").send().await.unwrap();
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
        let res = http.get(format!("{base}/metrics")).bearer_auth("metrics-token-0123456789").send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        assert!(res.text().await.unwrap().contains("authnode_http_requests_total"));
        let docs = http.get(format!("{base}/api/v1/docs/")).send().await.unwrap();
        let csp = docs.headers().get("content-security-policy").unwrap().to_str().unwrap().to_owned();
        assert!(!csp.contains("unsafe-inline"), "{csp}");
    }
    if store.backend == Backend::Sqlite {
        use std::os::unix::fs::PermissionsExt;
        let file = authnode::db::sqlite_path(&store.url);
        assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
        // A data directory created by the server is the owner's only; an existing looser file is tightened.
        let dir = store.dir.path().join("fresh/data");
        let loose = dir.join("authnode.db");
        let db = authnode::db::Db::connect(&format!("sqlite://{}", loose.display()), 2).await.unwrap();
        db.pool.close().await;
        assert_eq!(std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777, 0o700);
        std::fs::set_permissions(&loose, std::fs::Permissions::from_mode(0o644)).unwrap();
        let db = authnode::db::Db::connect(&format!("sqlite://{}", loose.display()), 2).await.unwrap();
        db.pool.close().await;
        assert_eq!(std::fs::metadata(&loose).unwrap().permissions().mode() & 0o777, 0o600);
    }
}

/// Issue 14.8: a secret under 80 bits needs the user's confirmation.
async fn short_secrets_need_confirmation(store: &TestStore) {
    let s = Server::start(store).await;
    s.register("alice").await;
    let (alice, _, _) = s.login("alice").await;
    for body in [json!({ "secret": "AE", "issuer": "Old" }), json!({ "uri": "otpauth://totp/x?secret=AE&issuer=X" }), json!({ "secret": "JBSWY3DPEHPK3PX", "issuer": "Old" })] {
        let (st, answer) = s.post("/applications", Some(&alice), body.clone()).await;
        assert_eq!((st, code(&answer), answer["error"]["field"].as_str()), (StatusCode::BAD_REQUEST, "secret_too_short", Some("secret")), "{body}: {answer}");
    }
    let (st, answer) = s.post("/applications", Some(&alice), json!({ "secret": "AE", "issuer": "Old", "allow_short_secret": true })).await;
    assert_eq!(st, StatusCode::CREATED, "{answer}");
    let id = answer["application"]["id"].as_str().unwrap().to_owned();
    // Replacing the secret follows the same rule.
    let (st, answer) = s.call(Method::PATCH, &format!("/applications/{id}"), Some(&alice), Some(json!({ "secret": "AEAE" }))).await;
    assert_eq!((st, code(&answer)), (StatusCode::BAD_REQUEST, "secret_too_short"));
    // 80 bits, as many services still issue, are accepted.
    let (st, answer) = s.post("/applications", Some(&alice), json!({ "secret": "JBSWY3DPEHPK3PXP", "issuer": "Typical" })).await;
    assert_eq!(st, StatusCode::CREATED, "{answer}");
}

/// Issue 14.8: concurrent correct-password sign-ins to one account all succeed (they queue for
/// the account instead of exhausting their retries against each other).
async fn concurrent_sign_ins_to_one_account_all_succeed(store: &TestStore) {
    // Rate limits off: 48 sign-ins a minute to one account is what this test is about.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let options = authnode::app::Options { rate_limits: false, ..Default::default() };
    let app = authnode::app::App::build(store.db().await, authnode::crypto::MasterKey::generate(), options).await.unwrap();
    let s = std::sync::Arc::new(Server::serve(app, listener));
    s.register("alice").await;
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let s = s.clone();
        tasks.push(tokio::spawn(async move {
            let mut statuses = Vec::new();
            for _ in 0..6 {
                let (st, body) = s.post("/auth/login", None, json!({ "login": "alice", "password": "correct horse battery" })).await;
                statuses.push((st, code(&body).to_owned()));
            }
            statuses
        }));
    }
    for t in tasks {
        for (st, c) in t.await.unwrap() {
            assert_eq!(st, StatusCode::OK, "{c}");
        }
    }
    // Not one of them had to be decided again: writers to one aggregate queue in this process.
    assert_eq!(s.app.command_conflicts.load(std::sync::atomic::Ordering::Relaxed), 0);
}

on_both_backends!(
    nul_characters_are_refused_at_the_boundary,
    lost_connections_and_busy_databases_are_unavailable_not_internal,
    a_forged_refresh_token_ends_no_session,
    oversized_qr_pictures_are_refused_before_decoding,
    parallel_worst_case_qr_uploads_stay_under_300_mib,
    unknown_names_lock_like_accounts,
    bodies_and_payloads_have_their_documented_shape,
    headers_metrics_token_and_file_modes,
    short_secrets_need_confirmation,
    concurrent_sign_ins_to_one_account_all_succeed,
);
