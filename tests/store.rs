//! The store suite, run against SQLite and PostgreSQL alike.

mod common;

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use aggregates::application::{Algorithm, CreationSource, Metadata, OtpParams, OtpType};
use aggregates::user::{LoginMethod, RevocationReason};
use aggregates::{Application, ApplicationCommand, Sealed, User, UserCommand};
use authnode::app::{App, CommandError};
use authnode::crypto::{CryptoError, MasterKey};
use authnode::store::SqlEventRepository;
use authnode::store::chain::{self, ChainBreak};
use base64::Engine;
use chrono::Utc;
use common::{TestStore, meta, register};
use cqrs_es::EventStore;
use cqrs_es::persist::{PersistedEventRepository, PersistedEventStore, SerializedEvent};
use sqlx::Row;
use uuid::Uuid;

const CANARY_SECRET: &str = "CANARYSECRETJBSWY3DPEHPK3PXP";
const CANARY_NOTE: &str = "canary-note-recovery-code-8812";

fn totp() -> OtpParams {
    OtpParams { otp_type: OtpType::Totp, algorithm: Algorithm::Sha1, digits: 6, period: 30, counter: 0 }
}

async fn create_app(app: &App, owner: Uuid, secret: &str) -> Uuid {
    let id = Uuid::now_v7();
    let sealed = app.keyring.seal(&owner.to_string(), &format!("application:{id}:secret"), secret.as_bytes()).await.unwrap();
    let notes = app.keyring.seal(&owner.to_string(), &format!("application:{id}:notes"), CANARY_NOTE.as_bytes()).await.unwrap();
    let cmd = ApplicationCommand::Create {
        id,
        owner_id: owner,
        issuer: "GitHub".into(),
        label: "alice".into(),
        secret: sealed,
        otp: totp(),
        tags: vec!["work".into()],
        favorite: false,
        metadata: Metadata { notes: Some(notes), ..Metadata::default() },
        position: 0,
        source: CreationSource::Fields,
        at: Utc::now(),
    };
    app.execute(&app.applications, &id.to_string(), cmd, &meta(Some(owner))).await.unwrap();
    id
}

async fn load_user(app: &App, id: Uuid, snapshots: bool) -> User {
    let store = if snapshots {
        PersistedEventStore::<SqlEventRepository, User>::new_snapshot_store(app.repo.clone(), authnode::app::USER_SNAPSHOT_EVERY)
    } else {
        PersistedEventStore::<SqlEventRepository, User>::new_event_store(app.repo.clone())
    };
    store.load_aggregate(&id.to_string()).await.unwrap().aggregate
}

fn start_session(session_id: Uuid) -> UserCommand {
    UserCommand::StartSession {
        session_id,
        method: LoginMethod::Password,
        refresh_token_hash: "a".repeat(64),
        expires_at: Utc::now() + chrono::Duration::days(1),
        at: Utc::now(),
    }
}

async fn append_and_load(store: &TestStore) {
    let app = store.app(&MasterKey::generate()).await;
    let alice = register(&app, "alice").await;
    let app_id = create_app(&app, alice, "JBSWY3DPEHPK3PXP").await;
    let rename = ApplicationCommand::Rename { actor: alice, issuer: "GitLab".into(), label: "alice@example.com".into() };
    app.execute(&app.applications, &app_id.to_string(), rename, &meta(Some(alice))).await.unwrap();

    let events = app.repo.get_events::<Application>(&app_id.to_string()).await.unwrap();
    let types: Vec<_> = events.iter().map(|e| e.event_type.as_str()).collect();
    assert_eq!(types, ["ApplicationCreated", "ApplicationRenamed"]);
    assert_eq!(events.iter().map(|e| e.sequence).collect::<Vec<_>>(), [1, 2]);
    // Request metadata travels with every event.
    assert_eq!(events[1].metadata["actor_id"], alice.to_string());
    assert_eq!(events[1].metadata["ip"], "127.0.0.1");
    assert_eq!(events[1].metadata["user_agent"], "store-tests/1.0");
    assert!(events[1].metadata["request_id"].as_str().is_some_and(|r| r.len() == 36));

    let loaded = PersistedEventStore::<SqlEventRepository, Application>::new_event_store(app.repo.clone())
        .load_aggregate(&app_id.to_string())
        .await
        .unwrap()
        .aggregate;
    assert_eq!((loaded.issuer.as_str(), loaded.label.as_str()), ("GitLab", "alice@example.com"));
    assert_eq!(loaded.owner_id, Some(alice));

    // Read models followed, and carry the recorded time.
    let row = sqlx::query("SELECT issuer, label, owner_id, secret FROM applications WHERE id = $1")
        .bind(app_id.to_string())
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(row.get::<String, _>(0), "GitLab");
    assert_eq!(row.get::<String, _>(2), alice.to_string());
    assert!(row.get::<String, _>(3).starts_with("v1:"));
    let recorded: Vec<String> =
        sqlx::query("SELECT recorded_at FROM events ORDER BY position").fetch_all(&app.db.pool).await.unwrap().iter().map(|r| r.get(0)).collect();
    assert!(recorded.iter().all(|t| t.len() == 27 && t.ends_with('Z')), "{recorded:?}");
    assert!(recorded.windows(2).all(|w| w[0] <= w[1]));

    // Rejected commands write nothing and keep their typed error.
    let bad = ApplicationCommand::Rename { actor: alice, issuer: String::new(), label: "  ".into() };
    let err = app.execute(&app.applications, &app_id.to_string(), bad, &meta(Some(alice))).await.unwrap_err();
    assert!(matches!(err, CommandError::Rejected { code: "issuer_or_label_required", field: Some("label"), .. }), "{err:?}");
    // Another user is told the application does not exist.
    let bob = register(&app, "bob").await;
    let steal = ApplicationCommand::Trash { actor: bob, at: Utc::now() };
    let err = app.execute(&app.applications, &app_id.to_string(), steal, &meta(Some(bob))).await.unwrap_err();
    assert!(matches!(err, CommandError::Rejected { code: "application_not_found", .. }), "{err:?}");
    assert_eq!(app.repo.get_events::<Application>(&app_id.to_string()).await.unwrap().len(), 2);
}

async fn user_snapshots_match_full_replay(store: &TestStore) {
    let app = store.app(&MasterKey::generate()).await;
    let alice = register(&app, "alice").await;
    let mut sessions = Vec::new();
    // 1 + 2×40 events, then a multi-event command (revoke all) that crosses a snapshot boundary
    // in the middle of its events.
    for _ in 0..40 {
        let s = Uuid::now_v7();
        sessions.push(s);
        app.execute(&app.users, &alice.to_string(), start_session(s), &meta(Some(alice))).await.unwrap();
    }
    let revoke = UserCommand::RevokeAllSessions { except: Some(sessions[0]), reason: RevocationReason::RevokedByUser };
    app.execute(&app.users, &alice.to_string(), revoke, &meta(Some(alice))).await.unwrap();
    for _ in 0..10 {
        app.execute(&app.users, &alice.to_string(), start_session(Uuid::now_v7()), &meta(Some(alice))).await.unwrap();
    }
    let n_events = app.repo.get_events::<User>(&alice.to_string()).await.unwrap().len();
    assert_eq!(n_events, 1 + 80 + 39 + 20);
    let snap = app.repo.get_snapshot::<User>(&alice.to_string()).await.unwrap().expect("a snapshot was written");
    assert_eq!(snap.current_sequence % authnode::app::USER_SNAPSHOT_EVERY, 0);
    assert!(snap.current_sequence >= 100, "snapshot at {}", snap.current_sequence);
    let from_snapshot = load_user(&app, alice, true).await;
    let from_events = load_user(&app, alice, false).await;
    assert_eq!(from_snapshot, from_events);
    assert_eq!(from_events.sessions.len(), 11);
    assert!(from_events.sessions.contains_key(&sessions[0]));
}

/// A snapshot taken in the middle of a commit holds each of the commit's events once: events that
/// are not idempotent (a failed login adds to the lockout count) would otherwise count twice.
async fn user_snapshots_count_each_event_once(store: &TestStore) {
    let app = store.app(&MasterKey::generate()).await;
    let alice = register(&app, "alice").await;
    let lockout = aggregates::settings::LockoutPolicy { max_failures: 100, window_minutes: 1440, lock_minutes: 1 };
    let t0 = Utc::now();
    let fail = |i: i64| UserCommand::RecordLoginFailure {
        method: LoginMethod::Password,
        reason: aggregates::user::LoginFailureReason::BadPassword,
        lockout,
        at: t0 + chrono::Duration::seconds(i),
    };
    for i in 0..45 {
        app.execute(&app.users, &alice.to_string(), fail(i), &meta(None)).await.unwrap();
    }
    // One commit of ten events across the 50-event snapshot boundary.
    app.execute_all(&app.users, &alice.to_string(), (45..55).map(fail).collect(), &meta(None)).await.unwrap();
    let snap = app.repo.get_snapshot::<User>(&alice.to_string()).await.unwrap().expect("a snapshot was written");
    assert_eq!(snap.current_sequence, authnode::app::USER_SNAPSHOT_EVERY);
    let from_snapshot = load_user(&app, alice, true).await;
    let from_events = load_user(&app, alice, false).await;
    assert_eq!(from_events.recent_failures.len(), 55);
    assert_eq!(from_snapshot, from_events);
}

async fn concurrent_writers_on_one_aggregate_lose_nothing(store: &TestStore) {
    let app = store.app(&MasterKey::generate()).await;
    let alice = register(&app, "alice").await;
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..16 {
        let app = app.clone();
        tasks.spawn(async move {
            let mut ok = Vec::new();
            for _ in 0..4 {
                let s = Uuid::now_v7();
                match app.execute(&app.users, &alice.to_string(), start_session(s), &meta(Some(alice))).await {
                    Ok(()) => ok.push(s),
                    Err(CommandError::Conflict) => {}
                    Err(e) => panic!("unexpected {e:?}"),
                }
            }
            ok
        });
    }
    let mut accepted = HashSet::new();
    while let Some(r) = tasks.join_next().await {
        accepted.extend(r.unwrap());
    }
    assert!(accepted.len() >= 16, "retries should let many commands through, got {}", accepted.len());
    let events = app.repo.get_events::<User>(&alice.to_string()).await.unwrap();
    // Sequences are exactly 1..=n: nothing lost, nothing duplicated.
    assert_eq!(events.iter().map(|e| e.sequence).collect::<Vec<_>>(), (1..=events.len()).collect::<Vec<_>>());
    let started: HashSet<Uuid> = events
        .iter()
        .filter(|e| e.event_type == "SessionStarted")
        .map(|e| serde_json::from_value::<aggregates::UserEvent>(e.payload.clone()).unwrap())
        .map(|e| match e {
            aggregates::UserEvent::SessionStarted { session_id, .. } => session_id,
            _ => unreachable!(),
        })
        .collect();
    assert_eq!(started, accepted);
    assert_eq!(events.len(), 1 + 2 * accepted.len());
    assert_eq!(load_user(&app, alice, true).await.sessions.len(), accepted.len());
    let live: i64 =
        sqlx::query("SELECT COUNT(*) FROM sessions WHERE user_id = $1").bind(alice.to_string()).fetch_one(&app.db.pool).await.unwrap().get(0);
    assert_eq!(live as usize, accepted.len());

    // Without the command layer's retry, the store itself reports the conflicts (and still
    // loses nothing): race 16 bare writers until at least one conflict shows.
    let raw = Arc::new(cqrs_es::CqrsFramework::new(PersistedEventStore::<SqlEventRepository, User>::new_event_store(app.repo.clone()), vec![], ()));
    let mut before = events.len();
    let mut raw_conflicts = 0;
    for _round in 0..5 {
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..16 {
            let raw = raw.clone();
            tasks.spawn(async move { raw.execute(&alice.to_string(), start_session(Uuid::now_v7())).await });
        }
        let mut raw_ok = 0;
        while let Some(r) = tasks.join_next().await {
            match r.unwrap() {
                Ok(()) => raw_ok += 1,
                Err(cqrs_es::AggregateError::AggregateConflict) => raw_conflicts += 1,
                Err(e) => panic!("unexpected {e:?}"),
            }
        }
        let after = app.repo.get_events::<User>(&alice.to_string()).await.unwrap().len();
        assert_eq!(after, before + 2 * raw_ok);
        before = after;
        if raw_conflicts > 0 {
            break;
        }
    }
    assert!(raw_conflicts > 0, "concurrent appends to one aggregate must be detected");
}

fn tick(aggregate: &str, sequence: usize) -> SerializedEvent {
    SerializedEvent {
        aggregate_id: aggregate.to_owned(),
        sequence,
        aggregate_type: "ordering_test".into(),
        event_type: "Ticked".into(),
        event_version: "1.0".into(),
        payload: serde_json::json!({ "Ticked": { "n": sequence } }),
        metadata: serde_json::json!({ "actor_kind": "system" }),
    }
}

async fn global_position_is_gap_free_and_commit_ordered(store: &TestStore) {
    const WRITERS: usize = 16;
    const PER_WRITER: usize = 10;
    let app = store.app(&MasterKey::generate()).await;
    let base: i64 = sqlx::query("SELECT position FROM event_head").fetch_one(&app.db.pool).await.unwrap().get(0);
    let total = (WRITERS * PER_WRITER + 1) as i64;

    // A reader polls the log the whole time and must see every position exactly once, in order.
    let reader_db = app.db.clone();
    let reader = tokio::spawn(async move {
        let mut seen = Vec::new();
        let mut last = base;
        let deadline = std::time::Instant::now() + Duration::from_secs(60);
        while last < base + total && std::time::Instant::now() < deadline {
            let rows =
                sqlx::query("SELECT position FROM events WHERE position > $1 ORDER BY position").bind(last).fetch_all(&reader_db.pool).await.unwrap();
            for r in rows {
                let p: i64 = r.get(0);
                seen.push(p);
                last = p;
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        seen
    });

    // One writer takes its position, then dawdles inside its transaction.
    // Our own look at the log, on a connection taken before the writers queue for the pool.
    let mut observer = app.db.pool.acquire().await.unwrap();
    let mut slow_tx = app.db.begin_write().await.unwrap();
    let slow_positions = app.repo.append_in_tx(&mut slow_tx, &[tick("slow", 1)], None).await.unwrap();
    assert_eq!(slow_positions, vec![base + 1]);

    let mut writers = tokio::task::JoinSet::new();
    for w in 0..WRITERS {
        let repo = app.repo.clone();
        writers.spawn(async move {
            for s in 1..=PER_WRITER {
                repo.persist::<User>(&[tick(&format!("w{w}"), s)], None).await.unwrap();
            }
        });
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    // Nobody could commit a later position while the slow writer held the lock.
    let visible: i64 = sqlx::query("SELECT COUNT(*) FROM events WHERE position > $1").bind(base).fetch_one(&mut *observer).await.unwrap().get(0);
    assert_eq!(visible, 0, "a later position became visible before an earlier one committed");
    slow_tx.commit().await.unwrap();
    while let Some(r) = writers.join_next().await {
        r.unwrap();
    }
    let seen = reader.await.unwrap();
    assert_eq!(seen, ((base + 1)..=(base + total)).collect::<Vec<_>>());
    assert_eq!(chain::verify(&app.db).await.unwrap(), base + total);
}

async fn concurrent_registrations_of_one_email_admit_one(store: &TestStore) {
    use aggregates::user::{RegistrationMethod, Role};
    let app = store.app(&MasterKey::generate()).await;
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..8 {
        let app = app.clone();
        tasks.spawn(async move {
            app.register_user(
                authnode::app::NewUser {
                    email: "Same@Example.com",
                    username: &format!("user{i}"),
                    display_name: None,
                    password: common::hashed(),
                    role: Role::User,
                    method: RegistrationMethod::AdminCreated,
                },
                &meta(None),
            )
            .await
        });
    }
    let mut ok = 0;
    while let Some(r) = tasks.join_next().await {
        match r.unwrap() {
            Ok(_) => ok += 1,
            Err(CommandError::Duplicate { kind: "email" }) => {}
            Err(e) => panic!("unexpected {e:?}"),
        }
    }
    assert_eq!(ok, 1);
    let n: i64 = sqlx::query("SELECT COUNT(*) FROM users WHERE email = 'same@example.com'").fetch_one(&app.db.pool).await.unwrap().get(0);
    assert_eq!(n, 1);
    // The store keeps the last admin: the only user (the first, so admin) cannot be deleted even
    // when the caller's count is stale.
    let id: String = sqlx::query("SELECT id FROM users").fetch_one(&app.db.pool).await.unwrap().get(0);
    let err = app.execute(&app.users, &id, UserCommand::Delete { active_admins: 2, at: Utc::now() }, &meta(None)).await.unwrap_err();
    assert!(matches!(err, CommandError::Rejected { code: "last_admin", .. }), "{err:?}");
    // With another admin, the deleted user's email becomes free again.
    let root = register(&app, "root").await;
    app.execute(&app.users, &root.to_string(), UserCommand::ChangeRole { role: aggregates::user::Role::Admin, active_admins: 1 }, &meta(None))
        .await
        .unwrap();
    app.execute(&app.users, &id, UserCommand::Delete { active_admins: 2, at: Utc::now() }, &meta(None)).await.unwrap();
    register(&app, "same").await;
}

async fn busy_history(app: &App) -> (Uuid, Uuid) {
    use aggregates::settings::{LockoutPolicy, SignupMode, SignupPolicy};
    use aggregates::user::{LoginFailureReason, Preferences};
    let alice = register(app, "alice").await;
    let bob = register(app, "bob").await;
    let carol = register(app, "carol").await;
    let a1 = create_app(app, alice, "JBSWY3DPEHPK3PXP").await;
    let a2 = create_app(app, alice, "GEZDGNBVGY3TQOJQ").await;
    let b1 = create_app(app, bob, "MFRGGZDFMZTWQ2LK").await;
    let _c1 = create_app(app, carol, "KRSXG5CTMVRXEZLU").await;
    let m = meta(Some(alice));
    let run = |id: Uuid, c: ApplicationCommand| async move { app.execute(&app.applications, &id.to_string(), c, &meta(Some(alice))).await.unwrap() };
    run(a1, ApplicationCommand::Rename { actor: alice, issuer: "Example".into(), label: "a".into() }).await;
    run(a1, ApplicationCommand::SetFavorite { actor: alice, favorite: true }).await;
    run(a1, ApplicationCommand::Move { actor: alice, position: 5 }).await;
    run(a1, ApplicationCommand::ChangeTags { actor: alice, tags: vec!["x".into(), "y".into()] }).await;
    run(a2, ApplicationCommand::ChangeOtpParameters { actor: alice, otp: OtpParams { otp_type: OtpType::Hotp, counter: 7, ..totp() } }).await;
    run(a2, ApplicationCommand::AdvanceHotpCounter { actor: alice }).await;
    run(a2, ApplicationCommand::Trash { actor: alice, at: Utc::now() }).await;
    run(a2, ApplicationCommand::Restore { actor: alice }).await;
    run(a2, ApplicationCommand::Trash { actor: alice, at: Utc::now() }).await;
    app.execute(&app.applications, &b1.to_string(), ApplicationCommand::Purge { actor: bob, at: Utc::now() }, &meta(Some(bob))).await.unwrap();
    let lockout = LockoutPolicy { max_failures: 2, window_minutes: 5, lock_minutes: 5 };
    for _ in 0..2 {
        let f = UserCommand::RecordLoginFailure { method: LoginMethod::Password, reason: LoginFailureReason::BadPassword, lockout, at: Utc::now() };
        app.execute(&app.users, &bob.to_string(), f, &meta(None)).await.unwrap();
    }
    let s = Uuid::now_v7();
    app.execute(&app.users, &alice.to_string(), start_session(s), &m).await.unwrap();
    app.execute(&app.users, &alice.to_string(), UserCommand::ChangePreferences(Preferences { theme: "dark".into(), ..Preferences::default() }), &m)
        .await
        .unwrap();
    app.execute(&app.users, &alice.to_string(), UserCommand::RevokeSession { session_id: s, reason: RevocationReason::Logout }, &m).await.unwrap();
    app.execute(&app.users, &carol.to_string(), UserCommand::Delete { active_admins: 2, at: Utc::now() }, &meta(None)).await.unwrap();
    let settings = aggregates::settings::SETTINGS_ID;
    let policy = SignupPolicy { mode: SignupMode::Open, allowed_domains: vec!["example.com".into()] };
    app.execute(&app.settings, settings, aggregates::SettingsCommand::ChangeSignupPolicy(policy), &meta(None)).await.unwrap();
    (alice, bob)
}

/// Names of the non-unique indexes on the read-model tables, sorted.
async fn secondary_indexes(app: &authnode::app::App) -> Vec<String> {
    let sql = match app.db.backend {
        authnode::db::Backend::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%' \
             AND tbl_name IN ('users', 'applications', 'sessions', 'settings', 'audit_index') ORDER BY name"
        }
        authnode::db::Backend::Postgres => {
            "SELECT indexname::text FROM pg_indexes WHERE schemaname = current_schema() AND indexdef NOT LIKE 'CREATE UNIQUE%' \
             AND tablename IN ('users', 'applications', 'sessions', 'settings', 'audit_index') ORDER BY indexname"
        }
    };
    sqlx::query(sql).fetch_all(&app.db.pool).await.unwrap().iter().map(|r| r.get::<String, _>(0)).collect()
}

/// The read models' table and index definitions, constraints and column collations.
async fn read_model_schema(app: &authnode::app::App) -> Vec<String> {
    let queries: &[&str] = match app.db.backend {
        authnode::db::Backend::Sqlite => &["SELECT type || ' ' || name || ': ' || sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name"],
        authnode::db::Backend::Postgres => &[
            "SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() ORDER BY indexname",
            "SELECT conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint \
             WHERE connamespace = current_schema()::regnamespace ORDER BY 1",
            "SELECT table_name::text || '.' || column_name::text || ' ' || data_type::text || ' ' || coalesce(collation_name::text, '-') || ' ' || is_nullable::text \
             FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY 1",
            "SELECT nspname::text FROM pg_namespace WHERE nspname LIKE 'authnode%' ORDER BY 1",
        ],
    };
    let mut out = Vec::new();
    for q in queries {
        out.extend(sqlx::query(q).fetch_all(&app.db.pool).await.unwrap().iter().map(|r| r.get::<String, _>(0)));
    }
    out
}

async fn replay_equals_live_read_models(store: &TestStore) {
    let app = store.app(&MasterKey::generate()).await;
    let (alice, bob) = busy_history(&app).await;
    assert_eq!(app.projection_failures.load(std::sync::atomic::Ordering::Relaxed), 0);
    assert!(projections::verify(&app.db.pool, app.backend()).await.unwrap().is_empty());

    // Spot-check the live models.
    let row = sqlx::query("SELECT locked_until, disabled FROM users WHERE id = $1").bind(bob.to_string()).fetch_one(&app.db.pool).await.unwrap();
    assert!(row.get::<Option<String>, _>(0).is_some(), "bob is locked after two failures");
    let prefs: String =
        sqlx::query("SELECT preferences FROM users WHERE id = $1").bind(alice.to_string()).fetch_one(&app.db.pool).await.unwrap().get(0);
    assert!(prefs.contains("\"dark\""));
    let ended: Option<String> =
        sqlx::query("SELECT end_reason FROM sessions WHERE user_id = $1").bind(alice.to_string()).fetch_one(&app.db.pool).await.unwrap().get(0);
    assert_eq!(ended.as_deref(), Some("logout"));
    let apps: i64 = sqlx::query("SELECT COUNT(*) FROM applications").fetch_one(&app.db.pool).await.unwrap().get(0);
    assert_eq!(apps, 2, "bob's purged and carol's shredded applications are gone");
    let failures: i64 = sqlx::query("SELECT COUNT(*) FROM audit_index WHERE outcome = 'failure' AND subject_user_id = $1")
        .bind(bob.to_string())
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
        .get(0);
    assert_eq!(failures, 3, "two LoginFailed and one AccountLocked");
    let head = audit_index_is_complete(&app).await;

    // A full rebuild reproduces the same tables, and leaves the schema as it was: every index
    // (those SQLite drops for the load are back; PostgreSQL's swapped-in tables carry the same
    // names), constraint and column collation, and no rebuild schema behind.
    let before = dump_all(&app).await;
    let indexes_before = secondary_indexes(&app).await;
    assert!(indexes_before.contains(&"audit_actor".to_owned()) && indexes_before.len() >= 10, "{indexes_before:?}");
    let schema_before = read_model_schema(&app).await;
    assert!(schema_before.iter().any(|s| s.contains("audit_index_pkey") || s.contains("audit_index")), "{schema_before:?}");
    let done = projections::rebuild(&app.db.pool, app.backend(), &projections::Projection::ALL, |_| {}).await.unwrap();
    assert_eq!(done.events as i64, head);
    assert_eq!(dump_all(&app).await, before);
    assert_eq!(secondary_indexes(&app).await, indexes_before);
    assert_eq!(read_model_schema(&app).await, schema_before);
    // Rebuilding one projection swaps only its tables.
    projections::rebuild(&app.db.pool, app.backend(), &[projections::Projection::Users], |_| {}).await.unwrap();
    assert_eq!(dump_all(&app).await, before);
    assert_eq!(read_model_schema(&app).await, schema_before);
    let deferred: i64 = sqlx::query("SELECT COUNT(*) FROM deferred_indexes").fetch_one(&app.db.pool).await.unwrap().get(0);
    assert_eq!(deferred, 0);
    // A rebuild that died after dropping them: the next start (migrate) re-creates them.
    let def_sql = match app.db.backend {
        authnode::db::Backend::Sqlite => "SELECT sql FROM sqlite_master WHERE name = 'audit_ip'",
        authnode::db::Backend::Postgres => "SELECT indexdef FROM pg_indexes WHERE indexname = 'audit_ip' AND schemaname = current_schema()",
    };
    let def: String = sqlx::query(def_sql).fetch_one(&app.db.pool).await.unwrap().get(0);
    sqlx::query("INSERT INTO deferred_indexes (name, table_name, definition) VALUES ('audit_ip', 'audit_index', $1)")
        .bind(def)
        .execute(&app.db.pool)
        .await
        .unwrap();
    sqlx::query("DROP INDEX audit_ip").execute(&app.db.pool).await.unwrap();
    assert!(!secondary_indexes(&app).await.contains(&"audit_ip".to_owned()));
    app.db.migrate().await.unwrap();
    assert_eq!(secondary_indexes(&app).await, indexes_before);

    // And verify catches a read model that drifted from the log.
    sqlx::query("UPDATE users SET display_name = 'tampered' WHERE id = $1").bind(alice.to_string()).execute(&app.db.pool).await.unwrap();
    let diffs = projections::verify(&app.db.pool, app.backend()).await.unwrap();
    assert_eq!(diffs.len(), 1);
    assert_eq!(diffs[0].table, "users");
    assert_eq!(diffs[0].changed, vec![(alice.to_string(), "display_name".to_owned(), Some("tampered".into()), Some("alice".into()))]);
}

/// Replays run while commands keep arriving (each followed by a live catch-up): the rebuilt read
/// models end up complete and equal to the log, and no catch-up fails, whatever moment of the
/// rebuild (load, swap) the commands hit.
/// The head of the log, after checking that the audit index holds a row for every event.
async fn audit_index_is_complete(app: &App) -> i64 {
    let head: i64 = sqlx::query("SELECT position FROM event_head").fetch_one(&app.db.pool).await.unwrap().get(0);
    let indexed: i64 = sqlx::query("SELECT COUNT(*) FROM audit_index").fetch_one(&app.db.pool).await.unwrap().get(0);
    assert_eq!(indexed, head);
    head
}

async fn replay_while_writers_run_loses_nothing(store: &TestStore) {
    let app = store.app(&MasterKey::generate()).await;
    busy_history(&app).await;
    let owner = register(&app, "dave").await;
    let writer = {
        let app = app.clone();
        tokio::spawn(async move {
            let mut ids = Vec::new();
            for i in 0..40 {
                let id = create_app(&app, owner, "JBSWY3DPEHPK3PXP").await;
                let rename = ApplicationCommand::Rename { actor: owner, issuer: format!("w{i}"), label: "l".into() };
                app.execute(&app.applications, &id.to_string(), rename, &meta(Some(owner))).await.unwrap();
                ids.push(id);
            }
            ids
        })
    };
    let mut replays = 0;
    while !writer.is_finished() || replays < 2 {
        projections::rebuild(&app.db.pool, app.backend(), &projections::Projection::ALL, |_| {}).await.unwrap();
        replays += 1;
    }
    let ids = writer.await.unwrap();
    projections::catch_up(&app.db.pool, app.backend(), &projections::Projection::ALL).await.unwrap();
    assert_eq!(app.projection_failures.load(std::sync::atomic::Ordering::Relaxed), 0);
    assert!(projections::verify(&app.db.pool, app.backend()).await.unwrap().is_empty());
    let renamed: i64 = sqlx::query("SELECT COUNT(*) FROM applications WHERE owner_id = $1 AND issuer LIKE 'w%'")
        .bind(owner.to_string())
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
        .get(0);
    assert_eq!(renamed, ids.len() as i64);
    audit_index_is_complete(&app).await;
}

async fn dump_all(app: &App) -> Vec<String> {
    let mut out = Vec::new();
    for (table, key) in [("users", "id"), ("applications", "id"), ("sessions", "id"), ("settings", "id"), ("audit_index", "position")] {
        let rows = sqlx::query(&format!("SELECT * FROM {table} ORDER BY {key}")).fetch_all(&app.db.pool).await.unwrap();
        for r in rows {
            let cols: Vec<String> = (0..r.len())
                .map(|i| {
                    r.try_get::<Option<String>, _>(i).map_or_else(|_| format!("{:?}", r.try_get::<Option<i64>, _>(i).unwrap()), |v| format!("{v:?}"))
                })
                .collect();
            out.push(format!("{table}:{}", cols.join("|")));
        }
    }
    out
}

async fn sealed_secret_round_trip(store: &TestStore) {
    let current = MasterKey::generate();
    let app = store.app(&current).await;
    let alice = register(&app, "alice").await;
    let bob = register(&app, "bob").await;
    let ctx = "application:0190:secret";
    let sealed = app.keyring.seal(&alice.to_string(), ctx, b"JBSWY3DPEHPK3PXP").await.unwrap();
    assert!(!sealed.as_str().contains("JBSWY3DPEHPK3PXP"));
    assert_eq!(app.keyring.open(&alice.to_string(), ctx, &sealed).await.unwrap().as_slice(), b"JBSWY3DPEHPK3PXP");
    // Two seals of one value differ (random nonce).
    let again = app.keyring.seal(&alice.to_string(), ctx, b"JBSWY3DPEHPK3PXP").await.unwrap();
    assert_ne!(sealed, again);
    // Bound to owner and context: moved anywhere else it does not open.
    assert!(matches!(app.keyring.open(&bob.to_string(), ctx, &sealed).await, Err(CryptoError::OpenFailed)));
    assert!(matches!(app.keyring.open(&alice.to_string(), "application:0190:notes", &sealed).await, Err(CryptoError::OpenFailed)));
    // A flipped ciphertext byte is detected.
    let mut bytes = sealed.as_str().to_owned().into_bytes();
    let i = bytes.len() - 5;
    bytes[i] = if bytes[i] == b'A' { b'B' } else { b'A' };
    let tampered = Sealed::new(String::from_utf8(bytes).unwrap()).unwrap();
    assert!(matches!(app.keyring.open(&alice.to_string(), ctx, &tampered).await, Err(CryptoError::OpenFailed)));
    // An owner without a data key cannot seal.
    assert!(matches!(app.keyring.seal("nobody", ctx, b"x").await, Err(CryptoError::KeyDestroyed)));

    // Rotating the master key re-wraps data keys; sealed values stay readable under the new key only.
    let new_key = MasterKey::generate();
    let n = authnode::crypto::Keyring::rotate(&app.db, &current, &new_key).await.unwrap();
    assert_eq!(n, 3, "system + alice + bob");
    let reopened = App::with_db(app.db.clone(), new_key.clone()).await.unwrap();
    assert_eq!(reopened.keyring.open(&alice.to_string(), ctx, &sealed).await.unwrap().as_slice(), b"JBSWY3DPEHPK3PXP");
    assert!(matches!(App::with_db(app.db.clone(), current).await.unwrap_err(), authnode::app::OpenError::Crypto(CryptoError::WrongMasterKey)));
    // Rotating with the wrong old key changes nothing.
    assert!(matches!(
        authnode::crypto::Keyring::rotate(&app.db, &MasterKey::generate(), &MasterKey::generate()).await,
        Err(CryptoError::WrongMasterKey)
    ));
    assert!(App::with_db(app.db.clone(), new_key).await.is_ok());
}

async fn wrong_master_key_is_refused(store: &TestStore) {
    let key = MasterKey::generate();
    let app = store.app(&key).await;
    register(&app, "alice").await;
    let err = App::with_db(store.db().await, MasterKey::generate()).await.unwrap_err();
    assert!(matches!(err, authnode::app::OpenError::Crypto(CryptoError::WrongMasterKey)), "{err:?}");
    assert!(err.to_string().contains("does not match"));
    assert!(App::with_db(store.db().await, key).await.is_ok());
}

async fn crypto_shredded_secrets_are_unreadable_but_events_load(store: &TestStore) {
    let app = store.app(&MasterKey::generate()).await;
    register(&app, "root").await; // the first user is the admin
    let alice = register(&app, "alice").await;
    let app_id = create_app(&app, alice, "JBSWY3DPEHPK3PXP").await;
    let sealed: String =
        sqlx::query("SELECT secret FROM applications WHERE id = $1").bind(app_id.to_string()).fetch_one(&app.db.pool).await.unwrap().get(0);
    let sealed = Sealed::new(sealed).unwrap();
    let ctx = format!("application:{app_id}:secret");
    assert!(app.keyring.open(&alice.to_string(), &ctx, &sealed).await.is_ok());

    // The password hash is in the log sealed under alice's key, never as a PHC string.
    let registered = app.repo.get_events::<User>(&alice.to_string()).await.unwrap().remove(0);
    assert_eq!((registered.event_type.as_str(), registered.event_version.as_str()), ("UserRegistered", "2.0"));
    let hash = Sealed::new(registered.payload["UserRegistered"]["password_hash"]["Sealed"].as_str().unwrap()).unwrap();
    assert!(!registered.payload.to_string().contains("$argon2"), "{}", registered.payload);
    let password_ctx = format!("user:{alice}:password");
    assert_eq!(app.keyring.open(&alice.to_string(), &password_ctx, &hash).await.unwrap().as_slice(), common::PHC.as_bytes());

    // A snapshot written before hashes were sealed held one in clear, in the state.
    let mut old = serde_json::to_value(load_user(&app, alice, false).await).unwrap();
    old["password_hash"] = serde_json::json!(common::PHC);
    let seq = app.repo.get_events::<User>(&alice.to_string()).await.unwrap().len() as i64;
    sqlx::query("INSERT INTO snapshots (aggregate_type, aggregate_id, last_sequence, current_snapshot, payload) VALUES ('user', $1, $2, 1, $3)")
        .bind(alice.to_string())
        .bind(seq)
        .bind(old.to_string())
        .execute(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(load_user(&app, alice, true).await.username, "alice", "an old snapshot still loads");

    app.execute(&app.users, &alice.to_string(), UserCommand::Delete { active_admins: 1, at: Utc::now() }, &meta(None)).await.unwrap();
    assert!(matches!(app.keyring.open(&alice.to_string(), &password_ctx, &hash).await, Err(CryptoError::KeyDestroyed)), "the hash is shredded");
    let clear: i64 = sqlx::query("SELECT COUNT(*) FROM snapshots WHERE aggregate_id = $1 AND payload LIKE '%argon2%'")
        .bind(alice.to_string())
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
        .get(0);
    assert_eq!(clear, 0, "no snapshot keeps a deleted user's hash");
    // The data key went in the same transaction as the UserDeleted event.
    assert!(!app.keyring.shred(&alice.to_string()).await.unwrap(), "already shredded by the deletion");
    assert!(matches!(app.keyring.open(&alice.to_string(), &ctx, &sealed).await, Err(CryptoError::KeyDestroyed)));
    // Re-creating a key does not bring the data back.
    app.keyring.create_data_key(&alice.to_string()).await.unwrap();
    assert!(matches!(app.keyring.open(&alice.to_string(), &ctx, &sealed).await, Err(CryptoError::OpenFailed)));

    // Every event still loads, and the chain still verifies.
    let user_events = app.repo.get_events::<User>(&alice.to_string()).await.unwrap();
    assert_eq!(user_events.first().unwrap().event_type, "UserRegistered");
    assert_eq!(user_events.last().unwrap().event_type, "UserDeleted");
    assert!(load_user(&app, alice, true).await.deleted);
    let app_events = app.repo.get_events::<Application>(&app_id.to_string()).await.unwrap();
    assert_eq!(app_events.len(), 1);
    let loaded =
        PersistedEventStore::<SqlEventRepository, Application>::new_event_store(app.repo.clone()).load_aggregate(&app_id.to_string()).await.unwrap();
    assert_eq!(loaded.aggregate.secret, Some(sealed));
    chain::verify(&app.db).await.unwrap();
    let listed: i64 =
        sqlx::query("SELECT COUNT(*) FROM applications WHERE owner_id = $1").bind(alice.to_string()).fetch_one(&app.db.pool).await.unwrap().get(0);
    assert_eq!(listed, 0);
}

async fn no_plaintext_secret_reaches_the_database(store: &TestStore) {
    let app = store.app(&MasterKey::generate()).await;
    let alice = register(&app, "alice").await;
    let id = create_app(&app, alice, CANARY_SECRET).await;
    let replacement =
        app.keyring.seal(&alice.to_string(), &format!("application:{id}:secret"), format!("{CANARY_SECRET}2").as_bytes()).await.unwrap();
    app.execute(&app.applications, &id.to_string(), ApplicationCommand::ReplaceSecret { actor: alice, secret: replacement }, &meta(Some(alice)))
        .await
        .unwrap();
    let bytes: Vec<u8> = match store.backend {
        authnode::db::Backend::Sqlite => {
            sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&app.db.pool).await.unwrap();
            let mut all = Vec::new();
            for entry in std::fs::read_dir(store.dir.path()).unwrap() {
                let path = entry.unwrap().path();
                if path.file_name().unwrap().to_string_lossy().starts_with("authnode.db") {
                    all.extend(std::fs::read(&path).unwrap());
                }
            }
            assert!(all.len() > 10_000, "read the database file");
            all
        }
        authnode::db::Backend::Postgres => {
            let out = std::process::Command::new("pg_dump").arg("--dbname").arg(&store.url).output().expect("pg_dump runs");
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            out.stdout
        }
    };
    let haystack = String::from_utf8_lossy(&bytes);
    // The dump really holds the vault (so the search below can fail).
    assert!(haystack.contains("ApplicationSecretReplaced"));
    assert!(haystack.contains("alice@example.com"));
    for needle in [CANARY_SECRET, CANARY_NOTE] {
        assert!(!haystack.contains(needle), "plaintext {needle:?} found in the stored database");
    }
    // Nor in any base64 form of the secret bytes at the usual alignments.
    for shift in 0..3 {
        let padded = format!("{}{CANARY_SECRET}", "x".repeat(shift));
        let b64 = base64::engine::general_purpose::STANDARD.encode(padded.as_bytes());
        let core = &b64[4..b64.len() - 4];
        assert!(!haystack.contains(core), "base64 of the secret found");
    }
}

async fn projection_halts_instead_of_skipping(store: &TestStore) {
    let app = store.app(&MasterKey::generate()).await;
    register(&app, "alice").await;
    let head: i64 = sqlx::query("SELECT position FROM event_head").fetch_one(&app.db.pool).await.unwrap().get(0);
    // An event this code cannot decode lands in the log (the store itself refuses to write one,
    // so it is planted directly, as a restore from a newer version might).
    sqlx::query(
        "INSERT INTO events (position, aggregate_type, aggregate_id, sequence, event_type, event_version, payload, metadata, recorded_at, hash) \
         VALUES ($1, 'user', 'ghost', 1, 'UserRegistered', '9.0', '{\"NoSuchEvent\":{}}', '{}', '2026-01-01T00:00:00.000000Z', 'x')",
    )
    .bind(head + 1)
    .execute(&app.db.pool)
    .await
    .unwrap();
    sqlx::query("UPDATE event_head SET position = $1").bind(head + 1).execute(&app.db.pool).await.unwrap();
    // The store refuses to append an undecodable user event itself: its rules would be skipped.
    let mut bad = tick("ghost2", 1);
    bad.aggregate_type = "user".into();
    bad.payload = serde_json::json!({ "NoSuchEvent": {} });
    let mut tx = app.db.begin_write().await.unwrap();
    assert!(app.repo.append_in_tx(&mut tx, &[bad], None).await.is_err());
    tx.rollback().await.unwrap();
    app.project().await;
    assert_eq!(app.projection_failures.load(std::sync::atomic::Ordering::Relaxed), 1);
    // A later, valid event is not applied past the bad one.
    let bob = register(&app, "bob").await;
    assert_eq!(app.projection_failures.load(std::sync::atomic::Ordering::Relaxed), 2);
    let cps: Vec<i64> =
        sqlx::query("SELECT position FROM projection_checkpoints").fetch_all(&app.db.pool).await.unwrap().iter().map(|r| r.get(0)).collect();
    assert!(cps.iter().all(|p| *p == head), "checkpoints stay before the bad event: {cps:?}");
    let found: i64 = sqlx::query("SELECT COUNT(*) FROM users WHERE id = $1").bind(bob.to_string()).fetch_one(&app.db.pool).await.unwrap().get(0);
    assert_eq!(found, 0);
    let err = projections::catch_up(&app.db.pool, app.backend(), &projections::Projection::ALL).await.unwrap_err();
    assert!(err.to_string().contains(&format!("position {}", head + 1)), "{err}");
}

async fn hash_chain_detects_tampering(store: &TestStore) {
    let app = store.app(&MasterKey::generate()).await;
    busy_history(&app).await;
    let n = chain::verify(&app.db).await.unwrap();
    assert!(n > 20);
    // Change one payload byte.
    let original: String = sqlx::query("SELECT payload FROM events WHERE position = 5").fetch_one(&app.db.pool).await.unwrap().get(0);
    sqlx::query("UPDATE events SET payload = $1 WHERE position = 5").bind(original.replacen('"', "\"x", 1)).execute(&app.db.pool).await.unwrap();
    assert_eq!(chain::verify(&app.db).await.unwrap_err(), ChainBreak::HashMismatch { position: 5 });
    sqlx::query("UPDATE events SET payload = $1 WHERE position = 5").bind(&original).execute(&app.db.pool).await.unwrap();
    chain::verify(&app.db).await.unwrap();
    // Delete one in the middle.
    sqlx::query("DELETE FROM events WHERE position = 7").execute(&app.db.pool).await.unwrap();
    assert_eq!(chain::verify(&app.db).await.unwrap_err(), ChainBreak::Gap { expected: 7, found: 8 });
}

async fn first_user_and_last_admin_rules_hold_under_races(store: &TestStore) {
    use aggregates::user::{RegistrationMethod, Role};
    let app = store.app(&MasterKey::generate()).await;
    // Eight self-signups race on a fresh instance with sign-up closed: exactly one becomes the
    // admin; the others are decided again as ordinary sign-ups and refused.
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..8 {
        let app = app.clone();
        tasks.spawn(async move {
            app.register_user(
                authnode::app::NewUser {
                    email: &format!("u{i}@example.com"),
                    username: &format!("user{i}"),
                    display_name: None,
                    password: common::hashed(),
                    role: Role::User,
                    method: RegistrationMethod::SelfSignup,
                },
                &meta(None),
            )
            .await
        });
    }
    let mut admins = 0;
    let mut refused = 0;
    while let Some(r) = tasks.join_next().await {
        match r.unwrap() {
            Ok(_) => admins += 1,
            Err(CommandError::Rejected { code: "signup_closed", .. }) => refused += 1,
            Err(e) => panic!("unexpected {e:?}"),
        }
    }
    assert_eq!((admins, refused), (1, 7));
    assert_eq!(app.count_active_admins().await.unwrap(), 1);
    let first: String = sqlx::query("SELECT id FROM users WHERE role = 'admin'").fetch_one(&app.db.pool).await.unwrap().get(0);

    // Two admins disable each other at the same time: the store lets exactly one through.
    let second = register(&app, "second").await;
    app.execute(&app.users, &second.to_string(), UserCommand::ChangeRole { role: Role::Admin, active_admins: 1 }, &meta(None)).await.unwrap();
    assert_eq!(app.count_active_admins().await.unwrap(), 2);
    let (m, second_id) = (meta(None), second.to_string());
    let (a, b) = tokio::join!(
        app.execute(&app.users, &first, UserCommand::Disable { active_admins: 2 }, &m),
        app.execute(&app.users, &second_id, UserCommand::Disable { active_admins: 2 }, &m),
    );
    assert_eq!(u8::from(a.is_ok()) + u8::from(b.is_ok()), 1, "{a:?} {b:?}");
    for r in [a, b] {
        if let Err(e) = r {
            assert!(matches!(e, CommandError::Rejected { code: "last_admin", .. }), "{e:?}");
        }
    }
    assert_eq!(app.count_active_admins().await.unwrap(), 1);
}

async fn an_interrupted_rotation_is_finished_at_start(store: &TestStore) {
    if store.backend != authnode::db::Backend::Sqlite {
        return; // key files are the embedded store's
    }
    let data_dir = store.dir.path();
    let url = store.url.clone();
    let config = authnode::config::Config::from_lookup(|k| match k {
        "AUTHNODE_DATA_DIR" => Some(data_dir.display().to_string()),
        "DATABASE_URL" => Some(url.clone()),
        _ => None,
    })
    .unwrap();
    let app = App::open(&config).await.unwrap();
    let alice = register(&app, "alice").await;
    let sealed = app.keyring.seal(&alice.to_string(), "ctx", b"JBSWY3DPEHPK3PXP").await.unwrap();
    let old = MasterKey::from_base64(&std::fs::read_to_string(data_dir.join("master.key")).unwrap()).unwrap();
    // A rotation staged its key and committed, then died before installing the file.
    let new = MasterKey::generate();
    authnode::keyfile::write_key_file(&data_dir.join("master.key.new"), &new).unwrap();
    authnode::crypto::Keyring::rotate(&app.db, &old, &new).await.unwrap();
    drop(app);
    let reopened = App::open(&config).await.expect("the interrupted rotation is completed");
    assert_eq!(reopened.keyring.open(&alice.to_string(), "ctx", &sealed).await.unwrap().as_slice(), b"JBSWY3DPEHPK3PXP");
    assert!(!data_dir.join("master.key.new").exists());
    let installed = MasterKey::from_base64(&std::fs::read_to_string(data_dir.join("master.key")).unwrap()).unwrap();
    assert!(authnode::crypto::Keyring::key_matches(&reopened.db, &installed).await.unwrap());
    // The old key was kept, not deleted.
    assert!(std::fs::read_dir(data_dir).unwrap().any(|e| e.unwrap().file_name().to_string_lossy().starts_with("master.key.old-")));
    // A rotation that never reached the database leaves its staged key aside and starts afresh.
    authnode::keyfile::write_key_file(&data_dir.join("master.key.new"), &MasterKey::generate()).unwrap();
    let done = authnode::keyfile::rotate_embedded(data_dir, &reopened.db).await.unwrap();
    assert_eq!(done.rewrapped, 2, "the system key and alice's");
    assert!(std::fs::read_dir(data_dir).unwrap().any(|e| e.unwrap().file_name().to_string_lossy().starts_with("master.key.new.unused-")));
    let installed = MasterKey::from_base64(&std::fs::read_to_string(data_dir.join("master.key")).unwrap()).unwrap();
    let again = App::with_db(reopened.db.clone(), installed).await.unwrap();
    assert_eq!(again.keyring.open(&alice.to_string(), "ctx", &sealed).await.unwrap().as_slice(), b"JBSWY3DPEHPK3PXP");
    // A process still holding a rotated-out key cannot wrap new data keys with it.
    assert!(matches!(reopened.keyring.create_data_key("late-user").await, Err(CryptoError::WrongMasterKey)));
}

on_both_backends!(
    user_snapshots_count_each_event_once,
    first_user_and_last_admin_rules_hold_under_races,
    an_interrupted_rotation_is_finished_at_start,
    append_and_load,
    user_snapshots_match_full_replay,
    concurrent_writers_on_one_aggregate_lose_nothing,
    global_position_is_gap_free_and_commit_ordered,
    concurrent_registrations_of_one_email_admit_one,
    replay_equals_live_read_models,
    replay_while_writers_run_loses_nothing,
    sealed_secret_round_trip,
    wrong_master_key_is_refused,
    crypto_shredded_secrets_are_unreadable_but_events_load,
    no_plaintext_secret_reaches_the_database,
    projection_halts_instead_of_skipping,
    hash_chain_detects_tampering,
);
