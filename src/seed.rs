//! Generates a realistic store through the real command path, for benchmarks
//! (`authnode bench-seed`): users with vaults, renames, favourites, logins, failures and
//! session revocations.

use std::sync::Arc;

use aggregates::RequestMetadata;
use aggregates::application::{Algorithm, CreationSource, Metadata, OtpParams, OtpType};
use aggregates::user::{LoginFailureReason, LoginMethod, RegistrationMethod, RevocationReason, Role};
use aggregates::{ApplicationCommand, UserCommand};
use uuid::Uuid;

use crate::app::{App, CommandError, NewUser};

/// What `seed` produced.
#[derive(Debug, Clone, Copy, Default)]
pub struct SeedReport {
    /// Users created.
    pub users: u64,
    /// Commands executed.
    pub commands: u64,
}

async fn seed_user(app: &App, n: u64, phc: &str, apps_per_user: u64, logins: u64) -> Result<u64, CommandError> {
    let meta =
        RequestMetadata { actor_kind: "cli".into(), ip: Some("127.0.0.1".into()), user_agent: Some("authnode-bench".into()), ..Default::default() };
    let password = crate::app::credentials::Hashed { phc: zeroize::Zeroizing::new(phc.to_owned()), length: 16 };
    let user_id = app
        .register_user(
            NewUser {
                email: &format!("user{n}@bench.example"),
                username: &format!("user{n}"),
                display_name: None,
                password,
                role: Role::User,
                method: RegistrationMethod::AdminCreated,
            },
            &meta,
        )
        .await?;
    let uid = user_id.to_string();
    let meta = RequestMetadata { actor_id: Some(uid.clone()), actor_kind: "user".into(), ..meta };
    let mut commands = 1;
    for a in 0..apps_per_user {
        let id = Uuid::now_v7();
        let secret = app
            .keyring
            .seal(&uid, &crate::crypto::context::application_secret(&id.to_string()), format!("JBSWY3DPEHPK3PXP{a:04}").as_bytes())
            .await
            .map_err(|e| CommandError::Internal(e.to_string()))?;
        let otp = OtpParams { otp_type: OtpType::Totp, algorithm: Algorithm::Sha1, digits: 6, period: 30, counter: 0 };
        let create = ApplicationCommand::Create {
            id,
            owner_id: user_id,
            issuer: format!("Service {a}"),
            label: format!("user{n}@bench.example"),
            secret,
            otp,
            tags: vec!["bench".into()],
            favorite: false,
            metadata: Metadata::default(),
            position: a as i64,
            source: CreationSource::Fields,
            at: app.env().now(),
        };
        app.execute(&app.applications, &id.to_string(), create, &meta).await?;
        commands += 1;
        if a % 4 == 0 {
            let rename = ApplicationCommand::Rename { actor: user_id, issuer: format!("Renamed {a}"), label: "bench".into() };
            app.execute(&app.applications, &id.to_string(), rename, &meta).await?;
            app.execute(&app.applications, &id.to_string(), ApplicationCommand::SetFavorite { actor: user_id, favorite: true }, &meta).await?;
            commands += 2;
        }
    }
    let settings = app.current_settings().await?;
    for l in 0..logins {
        if l % 6 == 5 {
            let fail = UserCommand::RecordLoginFailure {
                method: LoginMethod::Password,
                reason: LoginFailureReason::BadPassword,
                lockout: settings.lockout,
                at: app.env().now(),
            };
            app.execute(&app.users, &uid, fail, &meta).await?;
            commands += 1;
        }
        let session_id = Uuid::now_v7();
        let start = UserCommand::StartSession {
            session_id,
            method: LoginMethod::Password,
            refresh_token_hash: format!("{l:064x}"),
            expires_at: app.env().now() + chrono::Duration::days(30),
            at: app.env().now(),
        };
        app.execute(&app.users, &uid, start, &meta).await?;
        commands += 1;
        if l % 3 == 0 {
            app.execute(&app.users, &uid, UserCommand::RevokeSession { session_id, reason: RevocationReason::Logout }, &meta).await?;
            commands += 1;
        }
    }
    Ok(commands)
}

/// Creates `users` users concurrently (`parallel` at a time), each with `apps_per_user`
/// applications and `logins` logins. Read models are rebuilt by the caller afterwards.
pub async fn seed(app: Arc<App>, users: u64, apps_per_user: u64, logins: u64, parallel: u64) -> Result<SeedReport, CommandError> {
    let phc =
        crate::password::hash(zeroize::Zeroizing::new("bench-password-123".to_owned())).await.map_err(|e| CommandError::Internal(e.to_string()))?;
    let next = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..parallel.max(1) {
        let (app, next, phc) = (app.clone(), next.clone(), phc.clone());
        tasks.spawn(async move {
            let mut commands = 0;
            loop {
                let n = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if n >= users {
                    return Ok::<u64, CommandError>(commands);
                }
                commands += seed_user(&app, n, &phc, apps_per_user, logins).await?;
            }
        });
    }
    let mut report = SeedReport { users, commands: 0 };
    while let Some(r) = tasks.join_next().await {
        report.commands += r.map_err(|e| CommandError::Internal(e.to_string()))??;
    }
    Ok(report)
}
