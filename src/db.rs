//! Database connection for both stores: PostgreSQL (production) and an embedded SQLite file
//! (the zero-setup default). One `sqlx::Any` pool serves both; the SQL text is shared (`$n`
//! placeholders work on both) and only the DDL differs, in `migrations/<backend>/`.

use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{Any, AnyPool, ConnectOptions, Executor, Transaction};

pub use projections::Backend;

/// Errors opening or migrating the database.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// The URL's scheme is neither postgres nor sqlite.
    #[error("DATABASE_URL must start with postgres://, postgresql:// or sqlite:// (got {0:?})")]
    UnsupportedUrl(String),
    /// The data directory could not be created.
    #[error("cannot create the directory {path}: {source}")]
    CreateDir {
        /// Directory.
        path: String,
        /// Cause.
        source: std::io::Error,
    },
    /// Connecting failed.
    #[error("cannot connect to the database: {0}")]
    Connect(#[source] sqlx::Error),
    /// A migration failed.
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// Indexes left dropped by an interrupted rebuild could not be re-created.
    #[error("cannot re-create the read-model indexes of an interrupted rebuild: {0}")]
    RestoreIndexes(#[source] projections::ProjectionError),
}

/// A pool plus the knowledge of which backend it talks to.
#[derive(Clone, Debug)]
pub struct Db {
    /// The connection pool.
    pub pool: AnyPool,
    /// The backend.
    pub backend: Backend,
}

/// How long a request waits for a PostgreSQL connection before answering 503: while the server is
/// down, new connections are refused and sqlx keeps retrying until this deadline, so it bounds
/// how long a client waits to learn the database is unavailable (and how fast `/readyz` turns red).
const POSTGRES_ACQUIRE_TIMEOUT: Duration = Duration::from_secs(1);

/// The embedded store cannot be "down"; a wait here is a queue behind the single writer
/// (whose lock wait `busy_timeout` also bounds at 10 s).
const SQLITE_ACQUIRE_TIMEOUT: Duration = Duration::from_secs(10);

static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");
static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

impl Db {
    /// Opens a pool for `url` (creating the SQLite file and its directory if needed).
    pub async fn connect(url: &str, max_connections: u32) -> Result<Self, DbError> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else {
            return Err(DbError::UnsupportedUrl(url.split(':').next().unwrap_or_default().to_owned()));
        };
        let mut url = url.to_owned();
        if backend == Backend::Sqlite {
            let path = sqlite_path(&url);
            if let Some(dir) = std::path::Path::new(&path).parent().filter(|d| !d.as_os_str().is_empty()) {
                create_private_dir(dir).map_err(|source| DbError::CreateDir { path: dir.display().to_string(), source })?;
            }
            if !path.is_empty() && !path.starts_with(':') {
                owner_only_files(std::path::Path::new(&path)).map_err(|source| DbError::CreateDir { path: path.clone(), source })?;
            }
            if !url.contains("mode=") {
                url.push_str(if url.contains('?') { "&mode=rwc" } else { "?mode=rwc" });
            }
        }
        let options = AnyConnectOptions::from_str(&url).map_err(DbError::Connect)?.disable_statement_logging();
        let mut pool = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { max_connections.min(8) } else { max_connections })
            .acquire_timeout(if backend == Backend::Sqlite { SQLITE_ACQUIRE_TIMEOUT } else { POSTGRES_ACQUIRE_TIMEOUT });
        if backend == Backend::Sqlite {
            pool = pool.after_connect(|conn, _| {
                Box::pin(async move {
                    // WAL lets readers run beside the single writer; FULL sync because the event
                    // log is the audit trail and must survive power loss; busy_timeout makes
                    // writers queue for the lock instead of failing.
                    conn.execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON; PRAGMA cache_size = -16384; PRAGMA temp_store = MEMORY;")
                        .await?;
                    Ok(())
                })
            });
        }
        let pool = pool.connect_with(options).await.map_err(DbError::Connect)?;
        Ok(Self { pool, backend })
    }

    /// Applies pending migrations for this backend, then finishes an interrupted rebuild's indexes.
    pub async fn migrate(&self) -> Result<(), DbError> {
        match self.backend {
            Backend::Postgres => POSTGRES_MIGRATIONS.run(&self.pool).await?,
            Backend::Sqlite => SQLITE_MIGRATIONS.run(&self.pool).await?,
        }
        // A `replay` that died mid-load left its secondary indexes dropped: put them back.
        let mut conn = self.pool.acquire().await.map_err(DbError::Connect)?;
        projections::restore_deferred_indexes(&mut conn, self.backend, None).await.map_err(DbError::RestoreIndexes)?;
        Ok(())
    }

    /// Begins a transaction that will write. On SQLite it takes the write lock up front
    /// (`BEGIN IMMEDIATE`), since upgrading a read transaction later can fail with SQLITE_BUSY.
    pub async fn begin_write(&self) -> Result<Transaction<'static, Any>, sqlx::Error> {
        match self.backend {
            Backend::Postgres => self.pool.begin().await,
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
        }
    }

    /// Whether the database answers (for `/readyz`).
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }
}

/// Creates `dir` (and its parents) if missing; a directory created here is the owner's only
/// (0700), since it holds the embedded store and the master key.
pub fn create_private_dir(dir: &std::path::Path) -> std::io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// Creates the SQLite file readable by its owner only (0600), and takes group and other access
/// away from an existing one and its WAL files: the log holds every account's history. SQLite
/// gives the `-wal` and `-shm` files it creates the database file's permissions.
fn owner_only_files(path: &std::path::Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        if !path.exists() {
            match std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path) {
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(e) => return Err(e),
            }
        }
        for suffix in ["", "-wal", "-shm"] {
            let file = std::path::PathBuf::from(format!("{}{suffix}", path.display()));
            if let Ok(meta) = std::fs::metadata(&file)
                && meta.permissions().mode() & 0o077 != 0
            {
                std::fs::set_permissions(&file, std::fs::Permissions::from_mode(meta.permissions().mode() & 0o700))?;
            }
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// The file path inside a `sqlite:` URL.
pub fn sqlite_path(url: &str) -> String {
    let rest = url.trim_start_matches("sqlite:").trim_start_matches("//");
    rest.split('?').next().unwrap_or_default().to_owned()
}

/// Whether an sqlx error means the database is unreachable (→ 503) rather than a bad query.
pub fn is_connection_error(err: &sqlx::Error) -> bool {
    matches!(err, sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Tls(_)) || is_disconnect(err)
}

/// Whether an sqlx error means the connection in use was lost (the server closed it, restarted
/// or is shutting down): a statement that only reads may be retried on a fresh connection.
pub fn is_disconnect(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::Io(_) | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(db) => db.code().is_some_and(|code| unavailable_code(&code)),
        _ => false,
    }
}

/// Database error codes that mean "unavailable", not "bad statement".
fn unavailable_code(code: &str) -> bool {
    // PostgreSQL (Appendix A, SQLSTATE): class 08 connection exception; 57P01 admin_shutdown
    // (a restart terminates every session), 57P02 crash_shutdown, 57P03 cannot_connect_now
    // (starting up or shutting down); 53300 too_many_connections.
    code.starts_with("08")
        || matches!(code, "57P01" | "57P02" | "57P03" | "53300")
        // SQLite result codes: SQLITE_BUSY (5) and its extended forms, SQLITE_LOCKED (6), i.e.
        // the write lock was not granted within busy_timeout.
        || matches!(code, "5" | "6" | "261" | "517" | "262")
}

/// Whether an sqlx error is a unique/primary-key violation.
pub fn is_unique_violation(err: &sqlx::Error) -> bool {
    err.as_database_error().is_some_and(sqlx::error::DatabaseError::is_unique_violation)
}
