//! Wiring: the database, the key ring, one cqrs-es framework per aggregate, and the command path
//! (metadata, bounded retry on concurrent writes, then projection catch-up).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use aggregates::user::{NewPassword, RegistrationMethod, Role};
use aggregates::{Application, DomainError, ErrorKind, Settings, User, UserCommand};
use chrono::Utc;
use cqrs_es::persist::PersistedEventStore;
use cqrs_es::{Aggregate, AggregateError, CqrsFramework};
use projections::{Projection, RequestMetadata};
use sqlx::Row;
use uuid::Uuid;

use crate::config::Config;
use crate::crypto::{CryptoError, Keyring, MasterKey};
use crate::db::{Backend, Db, DbError};
use crate::store::SqlEventRepository;
use crate::store::claims::ClaimConflict;
use crate::store::events::{ACTIVE_ADMINS, AppendError, EXISTING_USERS};

/// A `User` snapshot is written every this many events (logins make users grow).
pub const USER_SNAPSHOT_EVERY: usize = 50;
/// Attempts for a command that meets a concurrent write before it is reported as a conflict.
pub const MAX_ATTEMPTS: u32 = 8;

/// The cqrs-es framework type for one aggregate.
pub type Cqrs<A> = CqrsFramework<A, PersistedEventStore<SqlEventRepository, A>>;

/// Why a command did not take effect. The user-facing message is separate from log details.
#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    /// The domain refused it.
    #[error("{message}")]
    Rejected {
        /// Stable code.
        code: &'static str,
        /// User-facing message.
        message: String,
        /// Field concerned.
        field: Option<&'static str>,
        /// Class (decides the HTTP status).
        kind: ErrorKind,
    },
    /// A unique value (email, username) is taken.
    #[error("{kind} is already taken")]
    Duplicate {
        /// Which value.
        kind: &'static str,
    },
    /// A registration took the first-user path but another account now exists (retry it).
    #[error("another account was registered first; try again")]
    NotFirstUser,
    /// Still conflicting after the bounded retries.
    #[error("the object was changed concurrently; try again")]
    Conflict,
    /// The database is unreachable.
    #[error("the database is unavailable")]
    Unavailable(String),
    /// Anything else (logged in detail, reported generically).
    #[error("internal error")]
    Internal(String),
}

/// Errors opening the application.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// Database.
    #[error(transparent)]
    Db(#[from] DbError),
    /// Keys.
    #[error(transparent)]
    Crypto(#[from] CryptoError),
    /// Master key file handling.
    #[error("{0}")]
    MasterKey(String),
    /// Preparing the read models failed.
    #[error("read models: {0}")]
    Projection(String),
}

/// A user to register.
#[derive(Debug, Clone)]
pub struct NewUser<'a> {
    /// Email address.
    pub email: &'a str,
    /// Username.
    pub username: &'a str,
    /// Display name.
    pub display_name: Option<&'a str>,
    /// Hashed password.
    pub password: NewPassword,
    /// Role asked for.
    pub role: Role,
    /// How.
    pub method: RegistrationMethod,
}

/// The running application's shared state.
pub struct App {
    /// Database.
    pub db: Db,
    /// Event repository.
    pub repo: SqlEventRepository,
    /// Seals and opens secrets.
    pub keyring: Keyring,
    /// `User` commands.
    pub users: Cqrs<User>,
    /// `Application` commands.
    pub applications: Cqrs<Application>,
    /// `Settings` commands.
    pub settings: Cqrs<Settings>,
    /// `LoginAttempt` commands (sign-ins naming no account).
    pub login_attempts: Cqrs<aggregates::login_attempt::LoginAttempt>,
    /// Whether commands update the read models before returning (off only for bulk seeding).
    pub project_inline: bool,
    /// Projection catch-ups that failed (exported as a metric).
    pub projection_failures: AtomicU64,
    /// Sessions seen live in the last second: session id → (user id, role). Any command on a
    /// user clears that user's entries here; other replicas see changes within the second.
    pub live_sessions: crate::cache::TtlCache<String, (String, String)>,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App").field("backend", &self.db.backend).finish_non_exhaustive()
    }
}

fn framework<A: Aggregate<Services = ()>>(repo: &SqlEventRepository, snapshot_every: Option<usize>) -> Cqrs<A> {
    let store = match snapshot_every {
        Some(n) => PersistedEventStore::new_snapshot_store(repo.clone(), n),
        None => PersistedEventStore::new_event_store(repo.clone()),
    }
    .with_upcasters(aggregates::upcasters());
    CqrsFramework::new(store, vec![], ())
}

/// Finds the master key: configured, or (embedded store only) `<data dir>/master.key`, generated
/// once with mode 0600 on a fresh store and never regenerated over existing data.
pub async fn resolve_master_key(config: &Config, db: &Db) -> Result<MasterKey, OpenError> {
    if let Some(text) = &config.master_key {
        return Ok(MasterKey::from_base64(text)?);
    }
    if db.backend != Backend::Sqlite {
        return Err(OpenError::MasterKey("AUTHNODE_MASTER_KEY: required with PostgreSQL (32 random bytes, base64)".into()));
    }
    let path = config.data_dir.join("master.key");
    if path.exists() {
        let text = std::fs::read_to_string(&path).map_err(|e| OpenError::MasterKey(format!("cannot read {}: {e}", path.display())))?;
        return MasterKey::from_base64(&text).map_err(|_| OpenError::MasterKey(format!("{} does not hold a valid master key", path.display())));
    }
    if Keyring::has_key_check(db).await? {
        return Err(OpenError::MasterKey(format!(
            "the database holds sealed data but {} is missing; restore the key file or set AUTHNODE_MASTER_KEY (a new key would make the data unreadable)",
            path.display()
        )));
    }
    let key = MasterKey::generate();
    crate::keyfile::write_key_file(&path, &key)?;
    tracing::warn!(path = %path.display(), "generated a new master key; back it up, the data cannot be read without it");
    Ok(key)
}

impl App {
    /// Connects, migrates, checks the master key and builds the frameworks.
    pub async fn open(config: &Config) -> Result<Arc<Self>, OpenError> {
        let db = Db::connect(&config.database_url, config.db_max_connections).await?;
        db.migrate().await?;
        let mut master = resolve_master_key(config, &db).await?;
        if config.master_key.is_none()
            && db.backend == Backend::Sqlite
            && !Keyring::key_matches(&db, &master).await?
            && let Some(rotated) = crate::keyfile::finish_interrupted_rotation(&config.data_dir, &db).await?
        {
            master = rotated;
        }
        Self::with_db(db, master).await
    }

    /// Builds the application over an open, migrated database.
    pub async fn with_db(db: Db, master: MasterKey) -> Result<Arc<Self>, OpenError> {
        let keyring = Keyring::new(db.clone(), master);
        keyring.check_or_init().await?;
        let mut conn = db.pool.acquire().await.map_err(DbError::Connect)?;
        projections::ensure_checkpoints(&mut conn, &Projection::ALL).await.map_err(|e| OpenError::Projection(e.to_string()))?;
        drop(conn);
        let repo = SqlEventRepository::new(db.clone(), USER_SNAPSHOT_EVERY);
        Ok(Arc::new(Self {
            users: framework(&repo, Some(USER_SNAPSHOT_EVERY)),
            applications: framework(&repo, None),
            settings: framework(&repo, None),
            login_attempts: framework(&repo, None),
            db,
            repo,
            keyring,
            project_inline: true,
            projection_failures: AtomicU64::new(0),
            live_sessions: crate::cache::TtlCache::new(Duration::from_secs(1)),
        }))
    }

    /// The projections' backend flag.
    pub fn backend(&self) -> projections::Backend {
        match self.db.backend {
            Backend::Postgres => projections::Backend::Postgres,
            Backend::Sqlite => projections::Backend::Sqlite,
        }
    }

    /// Executes a command with request metadata: retries a bounded number of times when another
    /// writer got there first (optimistic concurrency), then brings the read models up to date.
    pub async fn execute<A>(&self, cqrs: &Cqrs<A>, id: &str, command: A::Command, meta: &RequestMetadata) -> Result<(), CommandError>
    where
        A: Aggregate<Services = ()>,
        A::Command: Clone,
        A::Error: DomainError + 'static,
    {
        let map = meta.to_map();
        let mut attempt = 0;
        loop {
            attempt += 1;
            match cqrs.execute_with_metadata(id, command.clone(), map.clone()).await {
                Ok(()) => break,
                Err(AggregateError::AggregateConflict) if attempt < MAX_ATTEMPTS => {
                    // Jittered backoff so that racing writers spread out.
                    let jitter = rand::random::<u64>() % (5 * u64::from(attempt));
                    tokio::time::sleep(Duration::from_millis(1 + jitter)).await;
                }
                Err(AggregateError::AggregateConflict) => return Err(CommandError::Conflict),
                Err(AggregateError::UserError(e)) => {
                    return Err(CommandError::Rejected { code: e.code(), message: e.to_string(), field: e.field(), kind: e.kind() });
                }
                Err(AggregateError::UnexpectedError(e)) => {
                    return Err(match e.downcast_ref::<AppendError>() {
                        Some(AppendError::Claim(ClaimConflict::Taken { kind })) => CommandError::Duplicate { kind },
                        Some(AppendError::Claim(ClaimConflict::NotFirstUser)) => CommandError::NotFirstUser,
                        Some(AppendError::Claim(ClaimConflict::LastAdmin)) => CommandError::Rejected {
                            code: "last_admin",
                            message: ClaimConflict::LastAdmin.to_string(),
                            field: None,
                            kind: ErrorKind::Conflict,
                        },
                        _ => CommandError::Internal(e.to_string()),
                    });
                }
                Err(AggregateError::DatabaseConnectionError(e)) => return Err(CommandError::Unavailable(e.to_string())),
                Err(AggregateError::DeserializationError(e)) => return Err(CommandError::Internal(format!("stored data does not decode: {e}"))),
            }
        }
        if self.project_inline {
            self.project().await;
        }
        if A::TYPE == User::TYPE {
            // Sessions, role, status or the account itself may have changed.
            self.live_sessions.forget(|_, (user, _)| user == id);
            self.keyring.forget(id);
        }
        Ok(())
    }

    /// Brings every read model up to the head of the log. A failure is logged and counted, and
    /// the projection stays halted at the failing event (it never skips one).
    pub async fn project(&self) {
        if let Err(e) = projections::catch_up(&self.db.pool, self.backend(), &Projection::ALL).await {
            self.projection_failures.fetch_add(1, Ordering::Relaxed);
            tracing::error!(error = %e, "projection catch-up failed; read models are halted at the failing event");
        }
    }

    /// Accounts that exist (not deleted), from the write side (never lagging, unaffected by a
    /// replay emptying the read models).
    pub async fn count_users(&self) -> Result<u64, sqlx::Error> {
        let n: i64 = sqlx::query(EXISTING_USERS).fetch_one(&self.db.pool).await?.try_get(0)?;
        Ok(n as u64)
    }

    /// Active admins (enabled, not deleted), from the write side. The store re-checks the rule
    /// inside the append, so two admins demoting each other at once cannot both succeed.
    pub async fn count_active_admins(&self) -> Result<u64, sqlx::Error> {
        let n: i64 = sqlx::query(ACTIVE_ADMINS).fetch_one(&self.db.pool).await?.try_get(0)?;
        Ok(n as u64)
    }

    /// The current settings (default when never changed), from the event store.
    pub async fn current_settings(&self) -> Result<Settings, CommandError> {
        use cqrs_es::EventStore;
        let store = PersistedEventStore::<SqlEventRepository, Settings>::new_event_store(self.repo.clone()).with_upcasters(aggregates::upcasters());
        let ctx = store.load_aggregate(aggregates::settings::SETTINGS_ID).await.map_err(|e| CommandError::Internal(e.to_string()))?;
        Ok(ctx.aggregate)
    }

    /// Registers a user through the domain, creating their data key first.
    pub async fn register_user(&self, new: NewUser<'_>, meta: &RequestMetadata) -> Result<Uuid, CommandError> {
        let NewUser { email, username, display_name, password, role, method } = new;
        let settings = self.current_settings().await?;
        let user_id = Uuid::now_v7();
        self.keyring.create_data_key(&user_id.to_string()).await.map_err(|e| CommandError::Internal(e.to_string()))?;
        // Two registrations racing for "first user" (which skips the signup policy and makes an
        // admin): the store lets one through; the other is decided again as a normal signup.
        for attempt in 0..2 {
            let existing_users = self.count_users().await.map_err(|e| CommandError::Unavailable(e.to_string()))?;
            let cmd = UserCommand::Register {
                user_id,
                email: email.to_owned(),
                username: username.to_owned(),
                display_name: display_name.map(str::to_owned),
                password: Some(password.clone()),
                role,
                method,
                signup: settings.signup.clone(),
                password_policy: settings.password,
                existing_users,
                at: Utc::now(),
            };
            match self.execute(&self.users, &user_id.to_string(), cmd, meta).await {
                Err(CommandError::NotFirstUser) if attempt == 0 => {}
                Err(e) => {
                    let _ = self.keyring.shred(&user_id.to_string()).await;
                    return Err(e);
                }
                Ok(()) => return Ok(user_id),
            }
        }
        Err(CommandError::Conflict)
    }
}
