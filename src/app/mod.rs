//! The application layer: the write side's wiring (the database, the key ring, one event store
//! per aggregate and the command path with its bounded retry and projection catch-up) and, in
//! the submodules, the use cases the HTTP API and the CLI call. A use case takes the caller, the
//! request's origin and the injected clock and randomness, runs commands, and returns views.

pub mod admin;
pub mod audit;
pub mod auth;
pub mod caller;
pub mod code_cache;
pub mod codes;
pub mod credentials;
pub mod env;
pub mod error;
pub mod factors;
pub mod me;
pub mod passkeys;
pub mod present;
pub mod ratelimit;
pub mod relying_party;
pub mod started;
pub mod tokens;
pub mod vault;
pub mod writers;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use aggregates::user::{RegistrationMethod, Role};
use aggregates::{Application, DomainError, ErrorKind, RequestMetadata, Settings, User, UserCommand};
use cqrs_es::event_sink::EventSink;
use cqrs_es::persist::{PersistedEventStore, SerializedEvent};
use cqrs_es::{Aggregate, AggregateError, DomainEvent, EventStore};
use projections::Projection;
use sqlx::Row;
use uuid::Uuid;

use crate::config::Config;
use crate::crypto::{CryptoError, Keyring, MasterKey};
use crate::db::{Backend, Db, DbError};
use crate::keyfile::KeyFileError;
use crate::store::SqlEventRepository;
use crate::store::claims::ClaimConflict;
use crate::store::events::{ACTIVE_ADMINS, AppendError, EXISTING_USERS};
use env::Env;
pub use error::{AppError, CommandError};

/// A `User` snapshot is written every this many events (logins make users grow).
pub const USER_SNAPSHOT_EVERY: usize = 50;
/// Attempts for a command that meets a concurrent write before it is reported as a conflict.
pub const MAX_ATTEMPTS: u32 = 8;

/// The event store of one aggregate type.
pub type Store<A> = PersistedEventStore<SqlEventRepository, A>;

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
    #[error(transparent)]
    KeyFile(#[from] KeyFileError),
    /// No usable master key.
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
    /// Display name (defaults to the username).
    pub display_name: Option<&'a str>,
    /// Hashed password, sealed once the user's data key exists.
    pub password: credentials::Hashed,
    /// Role asked for (only honoured for admin-created accounts).
    pub role: Role,
    /// How the account comes to be.
    pub method: RegistrationMethod,
}

/// How an application instance behaves beyond its database and key.
#[derive(Debug, Clone)]
pub struct Options {
    /// Time and randomness.
    pub env: Env,
    /// Whether sign-in, sign-up and refresh are rate limited (`AUTHNODE_RATE_LIMITS`).
    pub rate_limits: bool,
    /// Where browsers reach AuthNode (`AUTHNODE_PUBLIC_URL`): the passkeys' relying party.
    pub public_url: url::Url,
}

impl Default for Options {
    fn default() -> Self {
        Self { env: Env::default(), rate_limits: true, public_url: url::Url::parse("http://localhost:8080").expect("a valid URL") }
    }
}

/// The running application's shared state.
pub struct App {
    /// Database.
    pub db: Db,
    /// Event repository.
    pub repo: SqlEventRepository,
    /// Seals and opens secrets.
    pub keyring: Keyring,
    /// `User` events (snapshotted: logins make users grow).
    pub users: Store<User>,
    /// `Application` events.
    pub applications: Store<Application>,
    /// `Settings` events.
    pub settings: Store<Settings>,
    /// `LoginAttempt` events (sign-ins naming no account).
    pub login_attempts: Store<aggregates::login_attempt::LoginAttempt>,
    /// Whether commands update the read models before returning (off only for bulk seeding).
    pub project_inline: bool,
    /// Projection catch-ups that failed (exported as a metric).
    pub projection_failures: AtomicU64,
    /// Commands that met a concurrent write to their aggregate and were decided again (another
    /// replica's writer: this process's own writers queue, see [`writers`]). Exported as a metric.
    pub command_conflicts: AtomicU64,
    /// Sessions seen live in the last second: session id → (user id, role). Any command on a
    /// user clears that user's entries here; other replicas see changes within the second.
    pub live_sessions: crate::cache::TtlCache<String, caller::LiveSession>,
    /// The settings for a second (every request that admits a session may need the policy);
    /// forgotten at once by a settings command here, within the second elsewhere.
    pub settings_cache: crate::cache::TtlCache<(), Settings>,
    /// Each owner's last computed codes, reused while the vault and the periods are unchanged.
    pub codes_cache: crate::cache::TtlCache<String, Arc<code_cache::CodesSnapshot>>,
    /// Access-token signing keys, derived from the master key.
    pub tokens: tokens::TokenKeys,
    /// The passkeys' relying party, or why there is none (see `relying_party::at`).
    pub webauthn: Result<webauthn_rs::Webauthn, String>,
    /// Queues this process's writers per aggregate (see [`writers`]).
    pub writers: writers::WriterLocks,
    /// Time, randomness and switches.
    pub options: Options,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App").field("backend", &self.db.backend).finish_non_exhaustive()
    }
}

fn store<A: Aggregate>(repo: &SqlEventRepository, snapshot_every: Option<usize>) -> Store<A> {
    match snapshot_every {
        Some(n) => PersistedEventStore::new_snapshot_store(repo.clone(), n),
        None => PersistedEventStore::new_event_store(repo.clone()),
    }
    .with_upcasters(aggregates::upcasters())
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
        return Ok(crate::keyfile::read_key(&path)?);
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

/// Opens the database and migrates it: all the read side needs (`replay`, `verify` and
/// `audit verify` work on ciphertext only, so they never need the master key).
pub async fn open_read_side(config: &Config) -> Result<Db, OpenError> {
    let db = Db::connect(&config.database_url, config.db_max_connections).await?;
    db.migrate().await?;
    let mut conn = db.pool.acquire().await.map_err(DbError::Connect)?;
    projections::ensure_checkpoints(&mut conn, &Projection::ALL).await.map_err(|e| OpenError::Projection(e.to_string()))?;
    Ok(db)
}

impl App {
    /// Connects, migrates, checks the master key and builds the event stores.
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
        Self::build(db, master, Options { rate_limits: config.rate_limits, public_url: config.public_url.clone(), ..Options::default() }).await
    }

    /// The application over an open, migrated database, with the system clock and rate limits on.
    pub async fn with_db(db: Db, master: MasterKey) -> Result<Arc<Self>, OpenError> {
        Self::build(db, master, Options::default()).await
    }

    /// The application over an open, migrated database.
    pub async fn build(db: Db, master: MasterKey, options: Options) -> Result<Arc<Self>, OpenError> {
        let keyring = Keyring::new(db.clone(), master);
        keyring.check_or_init().await?;
        let mut conn = db.pool.acquire().await.map_err(DbError::Connect)?;
        projections::ensure_checkpoints(&mut conn, &Projection::ALL).await.map_err(|e| OpenError::Projection(e.to_string()))?;
        drop(conn);
        let repo = SqlEventRepository::new(db.clone(), USER_SNAPSHOT_EVERY);
        let tokens = tokens::TokenKeys::new(keyring.derive("jwt-hs256").as_slice());
        let webauthn = relying_party::at(&options.public_url);
        if let Err(why) = &webauthn {
            tracing::warn!("{why}");
        }
        Ok(Arc::new(Self {
            users: store(&repo, Some(USER_SNAPSHOT_EVERY)),
            applications: store(&repo, None),
            settings: store(&repo, None),
            login_attempts: store(&repo, None),
            db,
            repo,
            keyring,
            project_inline: true,
            projection_failures: AtomicU64::new(0),
            command_conflicts: AtomicU64::new(0),
            live_sessions: crate::cache::TtlCache::new(Duration::from_secs(1)),
            codes_cache: crate::cache::TtlCache::new(Duration::from_secs(300)),
            settings_cache: crate::cache::TtlCache::new(Duration::from_secs(1)),
            tokens,
            webauthn,
            writers: writers::WriterLocks::default(),
            options,
        }))
    }

    /// Time and randomness.
    pub fn env(&self) -> &Env {
        &self.options.env
    }

    /// The projections' backend flag.
    pub fn backend(&self) -> projections::Backend {
        self.db.backend
    }

    /// Runs one command on one aggregate; see [`App::execute_all`].
    pub async fn execute<A>(&self, store: &Store<A>, id: &str, command: A::Command, meta: &RequestMetadata) -> Result<(), CommandError>
    where
        A: Aggregate<Services = ()> + Clone,
        A::Command: Clone,
        A::Error: DomainError + 'static,
    {
        self.execute_all(store, id, vec![command], meta).await.map(drop)
    }

    /// Runs `commands` in order on one aggregate and appends their events in one transaction
    /// (all or nothing), retrying a bounded number of times when another writer got there first
    /// (optimistic concurrency), then brings the read models up to date once. Returns the events.
    pub async fn execute_all<A>(
        &self,
        store: &Store<A>,
        id: &str,
        commands: Vec<A::Command>,
        meta: &RequestMetadata,
    ) -> Result<Vec<A::Event>, CommandError>
    where
        A: Aggregate<Services = ()> + Clone,
        A::Command: Clone,
        A::Error: DomainError + 'static,
    {
        let (map, commands) = (&meta.to_map(), &commands);
        let turn = self.writers.lock(A::TYPE, id).await;
        let events = retrying(&self.command_conflicts, || async move {
            let context = store.load_aggregate(id).await?;
            // Decided on a copy: `commit` applies the events to the context's state itself when
            // it writes a snapshot, and must start from the state they were decided on.
            let events = decide(&mut context.aggregate.clone(), commands.clone()).await?;
            if !events.is_empty() {
                store.commit(events.clone(), context, map.clone()).await?;
            }
            Ok(events)
        })
        .await?;
        drop(turn);
        self.after_commands::<A>(&[id]).await?;
        Ok(events)
    }

    /// Runs one command on each of many aggregates of one type (each aggregate at most once) and
    /// appends every event in one transaction (all or nothing; a concurrent write to any of them retries the whole batch),
    /// then brings the read models up to date once: one request that changes many objects costs
    /// one append and one catch-up, not one of each per object. Writes no snapshots (they are
    /// an optimisation; a later command writes the next one).
    pub async fn execute_each<A>(&self, store: &Store<A>, commands: Vec<(String, A::Command)>, meta: &RequestMetadata) -> Result<(), CommandError>
    where
        A: Aggregate<Services = ()>,
        A::Command: Clone,
        A::Error: DomainError + 'static,
    {
        // Each aggregate once: two commands on one aggregate would claim the same sequence.
        let mut seen = std::collections::HashSet::new();
        if let Some((id, _)) = commands.iter().find(|(id, _)| !seen.insert(id.as_str())) {
            return Err(CommandError::Internal(format!("execute_each was given aggregate {id} twice")));
        }
        if commands.is_empty() {
            return Ok(());
        }
        let metadata = &serde_json::to_value(meta.to_map()).map_err(|e| CommandError::Internal(e.to_string()))?;
        let ids: Vec<&str> = commands.iter().map(|(id, _)| id.as_str()).collect();
        let turns = self.writers.lock_all(A::TYPE, &ids).await;
        let commands = &commands;
        retrying(&self.command_conflicts, || async move {
            let mut batch = Vec::new();
            for (id, command) in commands {
                let mut context = store.load_aggregate(id).await?;
                let events = decide(&mut context.aggregate, vec![command.clone()]).await?;
                for (event, sequence) in events.into_iter().zip(context.current_sequence + 1..) {
                    batch.push(SerializedEvent {
                        aggregate_id: id.clone(),
                        sequence,
                        aggregate_type: A::TYPE.to_owned(),
                        event_type: event.event_type(),
                        event_version: event.event_version(),
                        payload: serde_json::to_value(&event).map_err(|e| AggregateError::UnexpectedError(Box::new(e)))?,
                        metadata: metadata.clone(),
                    });
                }
            }
            self.repo.append_batch(&batch).await.map_err(|e| AggregateError::from(cqrs_es::persist::PersistenceError::from(e)))
        })
        .await?;
        drop(turns);
        self.after_commands::<A>(&ids).await?;
        Ok(())
    }

    /// What follows every successful command: the read models, and the caches that hold facts
    /// the command may have changed. When the database drops the connection right after the
    /// commit (a restart), the catch-up is tried again; if the read models still cannot be
    /// brought up to date the request answers 503 rather than reading a model that does not yet
    /// hold its own write (a 404 for what was just created, or the old value).
    async fn after_commands<A: Aggregate>(&self, ids: &[&str]) -> Result<(), CommandError> {
        // Read models first: a cache forgotten before them could be refilled from the old state.
        let projected = if self.project_inline { self.project_retrying().await } else { Ok(()) };
        if A::TYPE == Settings::TYPE {
            // A policy may have changed: what admitting a session decided may no longer hold.
            self.settings_cache.forget(|(), _| true);
            self.live_sessions.forget(|_, _| true);
        }
        if A::TYPE == User::TYPE {
            // Sessions, role, status or the account itself may have changed.
            for id in ids {
                self.live_sessions.forget(|_, live| live.user_id == *id);
                self.keyring.forget(id);
            }
        }
        projected
    }

    /// One catch-up, tried up to three times when the connection was lost.
    async fn project_retrying(&self) -> Result<(), CommandError> {
        let mut delay = Duration::from_millis(50);
        for attempt in 1..=3 {
            // A halted projection (a bug or an undecodable event) is logged and counted; the
            // write stands and later requests see the models as far as they got.
            let Err(projections::ProjectionError::Db(e)) = self.try_project().await else {
                return Ok(());
            };
            if !crate::db::is_connection_error(&e) {
                return Ok(());
            }
            // Only a lost connection is worth another try; a database that does not answer
            // at all already cost the pool's whole wait.
            if attempt == 3 || !crate::db::is_disconnect(&e) {
                return Err(CommandError::Unavailable(format!("committed, but the read models could not be updated: {e}")));
            }
            tokio::time::sleep(delay).await;
            delay *= 4;
        }
        Ok(())
    }

    /// Brings every read model up to the head of the log. A failure is logged and counted, and
    /// the projection stays halted at the failing event (it never skips one).
    pub async fn project(&self) {
        let _ = self.try_project().await;
    }

    async fn try_project(&self) -> Result<(), projections::ProjectionError> {
        projections::catch_up(&self.db.pool, self.backend(), &Projection::ALL).await.map(drop).inspect_err(|e| {
            self.projection_failures.fetch_add(1, Ordering::Relaxed);
            tracing::error!(error = %e, "projection catch-up failed; read models are halted at the failing event");
        })
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

    /// A user as the write side knows them now (never lagging behind a read model): what
    /// second-factor checks and step-up need. A deleted or unknown user is `user_not_found`.
    pub async fn load_user(&self, id: &str) -> Result<User, AppError> {
        let context = self.users.load_aggregate(id).await.map_err(command_error)?;
        if context.aggregate.id.is_none() || context.aggregate.deleted {
            return Err(AppError::not_found("user_not_found"));
        }
        Ok(context.aggregate)
    }

    /// The current settings (default when never changed), from the event store (at most a second
    /// old: another replica's change shows within the second, as sessions do).
    pub async fn current_settings(&self) -> Result<Settings, CommandError> {
        if let Some(settings) = self.settings_cache.get(&()) {
            return Ok(settings);
        }
        let context = self.settings.load_aggregate(aggregates::settings::SETTINGS_ID).await.map_err(command_error)?;
        self.settings_cache.put((), context.aggregate.clone());
        Ok(context.aggregate)
    }

    /// Registers a user through the domain, creating their data key first.
    pub async fn register_user(&self, new: NewUser<'_>, meta: &RequestMetadata) -> Result<Uuid, CommandError> {
        let NewUser { email, username, display_name, password, role, method } = new;
        let settings = self.current_settings().await?;
        let user_id = self.env().new_id();
        self.keyring.create_data_key(&user_id.to_string()).await.map_err(|e| CommandError::Internal(e.to_string()))?;
        let password = match credentials::seal(&self.keyring, &user_id.to_string(), &password).await {
            Ok(sealed) => sealed,
            Err(e) => {
                let _ = self.keyring.shred(&user_id.to_string()).await;
                return Err(e);
            }
        };
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
                at: self.env().now(),
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

/// Handles `commands` in order against an aggregate's state, which each event updates before the
/// next command is decided. Returns every event (nothing is stored yet).
async fn decide<A: Aggregate<Services = ()>>(aggregate: &mut A, commands: Vec<A::Command>) -> Result<Vec<A::Event>, AggregateError<A::Error>> {
    let mut events = Vec::new();
    for command in commands {
        let sink = EventSink::default();
        aggregate.handle(command, &(), &sink).await.map_err(AggregateError::UserError)?;
        events.extend(sink.collect().await);
    }
    Ok(events)
}

/// Runs `attempt` until it does not meet a concurrent write, at most [`MAX_ATTEMPTS`] times,
/// with jittered backoff so that racing writers spread out.
async fn retrying<T, E, F, Fut>(conflicts: &AtomicU64, mut attempt: F) -> Result<T, CommandError>
where
    E: DomainError + 'static,
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, AggregateError<E>>>,
{
    let mut tries = 0;
    loop {
        tries += 1;
        match attempt().await {
            Ok(t) => return Ok(t),
            Err(AggregateError::AggregateConflict) if tries < MAX_ATTEMPTS => {
                conflicts.fetch_add(1, Ordering::Relaxed);
                let jitter = rand::random::<u64>() % (5 * u64::from(tries));
                tokio::time::sleep(Duration::from_millis(1 + jitter)).await;
            }
            Err(e) => return Err(command_error(e)),
        }
    }
}

/// The one mapping from what cqrs-es and the store report to [`CommandError`].
fn command_error<E: DomainError + 'static>(e: AggregateError<E>) -> CommandError {
    match e {
        AggregateError::AggregateConflict => CommandError::Conflict,
        AggregateError::UserError(e) => CommandError::from_domain(&e),
        AggregateError::UnexpectedError(e) => match e.downcast_ref::<AppendError>() {
            Some(AppendError::Claim(ClaimConflict::Taken { kind })) => CommandError::Duplicate { kind },
            Some(AppendError::Claim(ClaimConflict::NotFirstUser)) => CommandError::NotFirstUser,
            Some(AppendError::Claim(ClaimConflict::LastAdmin)) => {
                CommandError::Rejected { code: "last_admin", message: ClaimConflict::LastAdmin.to_string(), field: None, kind: ErrorKind::Conflict }
            }
            _ => CommandError::Internal(e.to_string()),
        },
        AggregateError::DatabaseConnectionError(e) => CommandError::Unavailable(e.to_string()),
        AggregateError::DeserializationError(e) => CommandError::Internal(format!("stored data does not decode: {e}")),
    }
}
