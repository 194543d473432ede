//! The backend switch and the error type, which every other module uses. They live in a leaf
//! module of their own (re-exported by the crate root) so that nothing below the root depends on
//! `lib.rs` for them.

/// Which database the pool talks to; the SQL is shared, locking differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// PostgreSQL.
    Postgres,
    /// Embedded SQLite.
    Sqlite,
}

/// Errors of the read side.
#[derive(Debug, thiserror::Error)]
pub enum ProjectionError {
    /// The database failed.
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    /// An event could not be decoded; the projections halt at it.
    #[error("event at position {position} ({event_type}) cannot be decoded: {message}")]
    Decode {
        /// Global position of the event.
        position: i64,
        /// Its type.
        event_type: String,
        /// What went wrong.
        message: String,
    },
    /// An unknown projection name was asked for.
    #[error("unknown projection {0:?} (known: users, applications, sessions, settings, audit)")]
    UnknownProjection(String),
    /// A projection built a row without a value for one of its columns (a bug in the event
    /// mapping); the batch is refused rather than writing a half-filled row.
    #[error("a new {table} row was built without a value for its {column} column")]
    IncompleteRow {
        /// The table.
        table: &'static str,
        /// The first column left unset.
        column: &'static str,
    },
}
