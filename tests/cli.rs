//! The `authnode` binary end to end: on the embedded store, configuration errors, first start
//! (generated key file), create-admin, serve with health probes, replay, verify, audit verify,
//! key rotation and a missing key; on PostgreSQL, the read side's commands without the master key.

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

fn authnode(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_authnode"));
    cmd.args(args).env_clear().env("AUTHNODE_DATA_DIR", dir).env("AUTHNODE_LOG", "warn").stdin(Stdio::null());
    if let Ok(path) = std::env::var("PATH") {
        cmd.env("PATH", path);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run authnode")
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

#[test]
fn bad_configuration_is_one_clear_line_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    for (var, value) in
        [("AUTHNODE_LISTEN", "nowhere"), ("DATABASE_URL", "mysql://x"), ("AUTHNODE_MASTER_KEY", "tooshort"), ("AUTHNODE_LOG_FORMAT", "xml")]
    {
        let out = authnode(dir.path(), &["migrate"], &[(var, value)]);
        assert_eq!(out.status.code(), Some(2), "{var}: {}", text(&out));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
        assert!(stderr.contains(var), "{stderr}");
    }
}

#[test]
fn embedded_store_lifecycle() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();

    // First use generates the master key, readable by the owner only.
    let out =
        authnode(d, &["create-admin", "--email", "root@example.com", "--username", "root"], &[("AUTHNODE_ADMIN_PASSWORD", "correct horse battery")]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("created admin root"));
    let key_file = d.join("master.key");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&key_file).unwrap().permissions().mode() & 0o777, 0o600);
    }
    // The username is taken now.
    let out =
        authnode(d, &["create-admin", "--email", "other@example.com", "--username", "root"], &[("AUTHNODE_ADMIN_PASSWORD", "correct horse battery")]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("username is already taken"), "{}", text(&out));
    // Policy violations are refused with the domain's message.
    let out = authnode(d, &["create-admin", "--email", "x@example.com", "--username", "shorty"], &[("AUTHNODE_ADMIN_PASSWORD", "short")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("10–128 characters"), "{}", text(&out));
    // So is a password from the breached-password list, as through the API.
    let out = authnode(d, &["create-admin", "--email", "x@example.com", "--username", "common"], &[("AUTHNODE_ADMIN_PASSWORD", "password123")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("data breaches"), "{}", text(&out));

    let out = authnode(d, &["bench-seed", "--users", "5", "--apps", "3", "--logins", "4", "--parallel", "2"], &[]);
    assert!(out.status.success(), "{}", text(&out));

    let out = authnode(d, &["replay"], &[]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("events/s"), "{}", text(&out));
    let out = authnode(d, &["replay", "audit"], &[]);
    assert!(out.status.success() && text(&out).contains("into audit"), "{}", text(&out));
    let out = authnode(d, &["replay", "nonsense"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("unknown projection"));

    let out = authnode(d, &["verify"], &[]);
    assert!(out.status.success(), "{}", text(&out));
    let out = authnode(d, &["audit", "verify"], &[]);
    assert!(out.status.success() && text(&out).contains("hash chain intact"), "{}", text(&out));

    // Tampering: a read model that drifted, and an edited event.
    let db = d.join("authnode.db");
    let conn = |sql: &str| {
        let out = Command::new("python3")
            .arg("-c")
            .arg(format!("import sqlite3; c=sqlite3.connect({:?}); c.execute({sql:?}); c.commit()", db.display().to_string()))
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", text(&out));
    };
    conn("UPDATE users SET display_name = 'mallory' WHERE username = 'root'");
    let out = authnode(d, &["verify"], &[]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("display_name") && text(&out).contains("mallory"), "{}", text(&out));
    assert!(authnode(d, &["replay", "users"], &[]).status.success());
    assert!(authnode(d, &["verify"], &[]).status.success());
    conn("UPDATE events SET payload = replace(payload, 'root@example.com', 'evil@example.com') WHERE position = 1");
    let out = authnode(d, &["audit", "verify"], &[]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("position 1"), "{}", text(&out));
    conn("UPDATE events SET payload = replace(payload, 'evil@example.com', 'root@example.com') WHERE position = 1");

    // Rotation swaps the key file; the data stays readable and the old key no longer opens it.
    let old_key = std::fs::read_to_string(&key_file).unwrap();
    let out = authnode(d, &["keys", "rotate"], &[]);
    assert!(out.status.success(), "{}", text(&out));
    let new_key = std::fs::read_to_string(&key_file).unwrap();
    assert_ne!(old_key, new_key);
    assert!(authnode(d, &["verify"], &[]).status.success());
    // Commands that open sealed data need the key (`verify` does not: the read side holds only
    // ciphertext).
    let needs_key = |env: &[(&str, &str)]| {
        let mut env = env.to_vec();
        env.push(("AUTHNODE_ADMIN_PASSWORD", "correct horse battery"));
        authnode(d, &["create-admin", "--email", "keycheck@example.com", "--username", "keycheck"], &env)
    };
    let out = needs_key(&[("AUTHNODE_MASTER_KEY", old_key.trim())]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("does not match"), "{}", text(&out));

    // A missing key file is never silently regenerated over existing data.
    std::fs::rename(&key_file, d.join("moved.key")).unwrap();
    let out = needs_key(&[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("master.key is missing"), "{}", text(&out));
    assert!(!key_file.exists());
    for read_side in [&["verify"][..], &["replay"], &["audit", "verify"]] {
        let out = authnode(d, read_side, &[]);
        assert!(out.status.success(), "{read_side:?} without the key: {}", text(&out));
    }
    assert!(!key_file.exists());
    std::fs::rename(d.join("moved.key"), &key_file).unwrap();

    // serve answers its probes and stops cleanly on SIGTERM.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let listen = format!("127.0.0.1:{port}");
    let child = Command::new(env!("CARGO_BIN_EXE_authnode"))
        .args(["serve", "--listen", &listen])
        .env("AUTHNODE_DATA_DIR", d)
        .env("AUTHNODE_LOG_FORMAT", "json")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let client = reqwest::Client::new();
        let mut ready = None;
        for _ in 0..100 {
            if let Ok(r) = client.get(format!("http://{listen}/readyz")).send().await {
                ready = Some(r);
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let ready = ready.expect("server came up");
        assert_eq!(ready.status(), 200);
        assert_eq!(ready.json::<serde_json::Value>().await.unwrap()["status"], "ready");
        let health = client.get(format!("http://{listen}/healthz")).send().await.unwrap();
        assert_eq!(health.status(), 200);
    });
    #[cfg(unix)]
    {
        let _ = Command::new("kill").arg("-TERM").arg(child.id().to_string()).status();
    }
    let out = child.wait_with_output().unwrap();
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{log}");
    assert!(log.lines().any(|l| l.starts_with('{') && l.contains("authnode listening")), "{log}");
    assert!(!log.contains(old_key.trim()) && !log.contains(new_key.trim()), "no key material in logs");
}

/// `replay`, `verify` and `audit verify` work on ciphertext only, so on PostgreSQL (where the
/// master key is never on disk) they run without `AUTHNODE_MASTER_KEY`.
#[test]
fn read_side_commands_need_no_master_key_on_postgres() {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let store = rt.block_on(common::TestStore::new(authnode::db::Backend::Postgres));
    let key = authnode::crypto::MasterKey::generate().to_base64();
    let d = store.dir.path();
    let url = [("DATABASE_URL", store.url.as_str())];
    let out = authnode(
        d,
        &["bench-seed", "--users", "3", "--apps", "2", "--logins", "2", "--parallel", "1"],
        &[url[0], ("AUTHNODE_MASTER_KEY", key.as_str())],
    );
    assert!(out.status.success(), "{}", text(&out));
    let out = authnode(
        d,
        &["create-admin", "--email", "root@example.com", "--username", "root"],
        &[url[0], ("AUTHNODE_ADMIN_PASSWORD", "correct horse battery")],
    );
    assert_eq!(out.status.code(), Some(2), "opening sealed data needs the key: {}", text(&out));
    assert!(text(&out).contains("AUTHNODE_MASTER_KEY"), "{}", text(&out));
    for command in [&["replay"][..], &["verify"], &["audit", "verify"]] {
        let out = authnode(d, command, &url);
        assert!(out.status.success(), "{command:?}: {}", text(&out));
    }
    rt.block_on(store.cleanup());
}
