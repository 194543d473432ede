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
                std::fs::create_dir_all(dir).map_err(|source| DbError::CreateDir { path: dir.display().to_string(), source })?;
            }
            if !url.contains("mode=") {
                url.push_str(if url.contains('?') { "&mode=rwc" } else { "?mode=rwc" });
            }
        }
        let options = AnyConnectOptions::from_str(&url).map_err(DbError::Connect)?.disable_statement_logging();
        let mut pool = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { max_connections.min(8) } else { max_connections })
            .acquire_timeout(Duration::from_secs(10));
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

/// The file path inside a `sqlite:` URL.
pub fn sqlite_path(url: &str) -> String {
    let rest = url.trim_start_matches("sqlite:").trim_start_matches("//");
    rest.split('?').next().unwrap_or_default().to_owned()
}

/// Whether an sqlx error means the database is unreachable (→ 503) rather than a bad query.
pub fn is_connection_error(err: &sqlx::Error) -> bool {
    matches!(err, sqlx::Error::Io(_) | sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Tls(_) | sqlx::Error::WorkerCrashed)
}

/// Whether an sqlx error is a unique/primary-key violation.
pub fn is_unique_violation(err: &sqlx::Error) -> bool {
    err.as_database_error().is_some_and(sqlx::error::DatabaseError::is_unique_violation)
}
