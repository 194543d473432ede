//! `PersistedEventRepository` over PostgreSQL or SQLite.
//!
//! Appends take the single `event_head` row lock inside their transaction (PostgreSQL:
//! `SELECT … FOR UPDATE`; SQLite: the database write lock from `BEGIN IMMEDIATE`) and hold it to
//! commit. Positions are therefore assigned in commit order with no gaps: a reader that has seen
//! position n has seen everything before it, which is what ZITADEL and Marten learned the hard
//! way. The same lock orders the hash chain.

use cqrs_es::Aggregate;
use cqrs_es::persist::{PersistedEventRepository, PersistenceError, ReplayStream, SerializedEvent, SerializedSnapshot};
use serde_json::Value;
use sqlx::{Any, Row, Transaction};

use crate::db::{Backend, Db, is_connection_error, is_unique_violation};
use crate::store::chain::{ChainedFields, event_hash};
use crate::store::claims::{ClaimConflict, Effect, effects_for};

/// The event repository shared by every aggregate type.
#[derive(Clone, Debug)]
pub struct SqlEventRepository {
    db: Db,
    snapshot_every: usize,
}

/// Why an append failed.
#[derive(Debug, thiserror::Error)]
pub enum AppendError {
    /// Another writer appended to the aggregate first (optimistic concurrency).
    #[error("aggregate was changed concurrently")]
    Conflict,
    /// A cross-aggregate rule (unique values, bootstrap admin, last admin) refused the event.
    #[error(transparent)]
    Claim(#[from] ClaimConflict),
    /// The log and its head disagree (restored or tampered database): appends stop.
    #[error("event log is inconsistent: {0}")]
    Corrupt(String),
    /// A JSON value could not be serialised.
    #[error("serialisation failed: {0}")]
    Serialize(#[from] serde_json::Error),
    /// The database failed.
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
}

impl From<AppendError> for PersistenceError {
    fn from(err: AppendError) -> Self {
        match err {
            AppendError::Conflict => Self::OptimisticLockError,
            AppendError::Db(e) if is_connection_error(&e) => Self::ConnectionError(Box::new(e)),
            other => Self::UnknownError(Box::new(other)),
        }
    }
}

fn db_err(e: sqlx::Error) -> PersistenceError {
    if is_connection_error(&e) { PersistenceError::ConnectionError(Box::new(e)) } else { PersistenceError::UnknownError(Box::new(e)) }
}

/// Recording time, in the stored timestamp format (microseconds; stored text sorts
/// chronologically and hashes identically on both backends).
pub fn now_text() -> String {
    aggregates::time::format_timestamp(&chrono::Utc::now())
}

fn row_to_event(row: &sqlx::any::AnyRow) -> Result<SerializedEvent, PersistenceError> {
    let get_s = |i: usize| row.try_get::<String, _>(i).map_err(db_err);
    let sequence: i64 = row.try_get(2).map_err(db_err)?;
    Ok(SerializedEvent {
        aggregate_type: get_s(0)?,
        aggregate_id: get_s(1)?,
        sequence: usize::try_from(sequence).map_err(|e| PersistenceError::UnknownError(Box::new(e)))?,
        event_type: get_s(3)?,
        event_version: get_s(4)?,
        payload: serde_json::from_str(&get_s(5)?)?,
        metadata: serde_json::from_str(&get_s(6)?)?,
    })
}

const SELECT_EVENTS: &str = "SELECT aggregate_type, aggregate_id, sequence, event_type, event_version, payload, metadata FROM events";

impl SqlEventRepository {
    /// A repository over `db`; `snapshot_every` must be the size given to
    /// `PersistedEventStore::new_snapshot_store` for the aggregates that snapshot.
    pub fn new(db: Db, snapshot_every: usize) -> Self {
        Self { db, snapshot_every: snapshot_every.max(1) }
    }

    /// The database this repository writes to.
    pub fn db(&self) -> &Db {
        &self.db
    }

    /// Appends events (and optionally a snapshot) inside the caller's write transaction, which
    /// must come from [`Db::begin_write`]. Returns the global positions given to the events.
    /// Exposed so tests can hold a transaction open and prove ordering.
    pub async fn append_in_tx(
        &self,
        tx: &mut Transaction<'static, Any>,
        events: &[SerializedEvent],
        snapshot: Option<(String, Value, usize)>,
    ) -> Result<Vec<i64>, AppendError> {
        let mut positions = Vec::with_capacity(events.len());
        if !events.is_empty() {
            let lock = match self.db.backend {
                Backend::Postgres => "SELECT position, hash FROM event_head WHERE id = 1 FOR UPDATE",
                Backend::Sqlite => "SELECT position, hash FROM event_head WHERE id = 1",
            };
            let head = sqlx::query(lock).fetch_one(&mut **tx).await?;
            let mut position: i64 = head.try_get(0)?;
            let mut prev: String = head.try_get(1)?;
            let recorded_at = now_text();
            for event in events {
                position += 1;
                let payload = serde_json::to_string(&event.payload)?;
                let metadata = serde_json::to_string(&event.metadata)?;
                let sequence = i64::try_from(event.sequence).map_err(|_| AppendError::Conflict)?;
                let hash = event_hash(
                    &prev,
                    &ChainedFields {
                        position,
                        aggregate_type: &event.aggregate_type,
                        aggregate_id: &event.aggregate_id,
                        sequence,
                        event_type: &event.event_type,
                        event_version: &event.event_version,
                        payload: &payload,
                        metadata: &metadata,
                        recorded_at: &recorded_at,
                    },
                );
                let inserted = sqlx::query(
                    "INSERT INTO events (position, aggregate_type, aggregate_id, sequence, event_type, event_version, payload, metadata, recorded_at, hash) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                )
                .bind(position)
                .bind(&event.aggregate_type)
                .bind(&event.aggregate_id)
                .bind(sequence)
                .bind(&event.event_type)
                .bind(&event.event_version)
                .bind(&payload)
                .bind(&metadata)
                .bind(&recorded_at)
                .bind(&hash)
                .execute(&mut **tx)
                .await;
                match inserted {
                    // Only the (aggregate, sequence) key may clash under optimistic concurrency;
                    // a clash on `position` means the head and the log disagree.
                    Err(e) if is_unique_violation(&e) && e.to_string().contains("position") => {
                        return Err(AppendError::Corrupt(format!("position {position} already exists")));
                    }
                    Err(e) if is_unique_violation(&e) => return Err(AppendError::Conflict),
                    other => other?,
                };
                for effect in effects_for(event)? {
                    apply_effect(tx, effect).await?;
                }
                positions.push(position);
                prev = hash;
            }
            sqlx::query("UPDATE event_head SET position = $1, hash = $2 WHERE id = 1").bind(position).bind(&prev).execute(&mut **tx).await?;
        }
        if let Some((aggregate_id, payload, current_snapshot)) = snapshot {
            let aggregate_type = events.first().map(|e| e.aggregate_type.clone()).unwrap_or_default();
            // cqrs-es snapshots the state at the last multiple of the snapshot size that this
            // commit reaches, which need not be its last event: record that sequence, or the
            // events after it would be skipped on the next load.
            let last = events.last().map_or(0, |e| e.sequence);
            let last_sequence = (last / self.snapshot_every * self.snapshot_every) as i64;
            sqlx::query(
                "INSERT INTO snapshots (aggregate_type, aggregate_id, last_sequence, current_snapshot, payload) VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (aggregate_type, aggregate_id) DO UPDATE SET last_sequence = excluded.last_sequence, \
                 current_snapshot = excluded.current_snapshot, payload = excluded.payload",
            )
            .bind(aggregate_type)
            .bind(aggregate_id)
            .bind(last_sequence)
            .bind(current_snapshot as i64)
            .bind(serde_json::to_string(&payload)?)
            .execute(&mut **tx)
            .await?;
        }
        Ok(positions)
    }

    /// Appends the events of several aggregates in one transaction: all are stored or none
    /// (a concurrent write to any of them is a conflict for the whole batch).
    pub async fn append_batch(&self, events: &[SerializedEvent]) -> Result<(), AppendError> {
        self.append(events, None).await
    }

    async fn append(&self, events: &[SerializedEvent], snapshot: Option<(String, Value, usize)>) -> Result<(), AppendError> {
        let mut tx = self.db.begin_write().await?;
        self.append_in_tx(&mut tx, events, snapshot).await?;
        match tx.commit().await {
            Err(e) if is_unique_violation(&e) => Err(AppendError::Conflict),
            other => Ok(other?),
        }
    }

    async fn select(
        &self,
        sql: &str,
        aggregate_type: &str,
        aggregate_id: Option<&str>,
        after: Option<i64>,
    ) -> Result<Vec<SerializedEvent>, PersistenceError> {
        let mut q = sqlx::query(sql).bind(aggregate_type.to_owned());
        if let Some(id) = aggregate_id {
            q = q.bind(id.to_owned());
        }
        if let Some(after) = after {
            q = q.bind(after);
        }
        let rows = q.fetch_all(&self.db.pool).await.map_err(db_err)?;
        rows.iter().map(row_to_event).collect()
    }

    fn stream(events: Vec<SerializedEvent>) -> ReplayStream {
        let (mut feed, stream) = ReplayStream::new(events.len().clamp(1, 1000));
        tokio::spawn(async move {
            for event in events {
                if feed.push(Ok(event)).await.is_err() {
                    return;
                }
            }
        });
        stream
    }
}

async fn apply_effect(tx: &mut Transaction<'static, Any>, effect: Effect) -> Result<(), AppendError> {
    match effect {
        Effect::Claim { kind, value, owner } => {
            let r = sqlx::query("INSERT INTO unique_claims (kind, value, owner_id) VALUES ($1, $2, $3)")
                .bind(kind)
                .bind(value)
                .bind(owner)
                .execute(&mut **tx)
                .await;
            match r {
                Err(e) if is_unique_violation(&e) => Err(ClaimConflict::Taken { kind }.into()),
                other => Ok(other.map(|_| ())?),
            }
        }
        Effect::ReleaseValue { kind, value } => {
            sqlx::query("DELETE FROM unique_claims WHERE kind = $1 AND value = $2").bind(kind).bind(value).execute(&mut **tx).await?;
            Ok(())
        }
        Effect::Release { kind, owner } => {
            sqlx::query("DELETE FROM unique_claims WHERE kind = $1 AND owner_id = $2").bind(kind).bind(owner).execute(&mut **tx).await?;
            Ok(())
        }
        Effect::FirstUserOnly => {
            let users: i64 = sqlx::query(EXISTING_USERS).fetch_one(&mut **tx).await?.try_get(0)?;
            if users > 0 { Err(ClaimConflict::NotFirstUser.into()) } else { Ok(()) }
        }
        Effect::KeepAnAdmin => {
            let admins: i64 = sqlx::query(ACTIVE_ADMINS).fetch_one(&mut **tx).await?.try_get(0)?;
            if admins < 1 { Err(ClaimConflict::LastAdmin.into()) } else { Ok(()) }
        }
        Effect::ShredKey { owner } => {
            sqlx::query("DELETE FROM data_keys WHERE owner_id = $1").bind(owner.clone()).execute(&mut **tx).await?;
            // A snapshot written before password hashes were sealed may hold one in clear: the
            // next load replays the events instead (a new snapshot holds none).
            sqlx::query("DELETE FROM snapshots WHERE aggregate_type = 'user' AND aggregate_id = $1").bind(owner).execute(&mut **tx).await?;
            Ok(())
        }
    }
}

/// Enabled admins, from the write side's claims (never lagging, unlike a read model).
pub const ACTIVE_ADMINS: &str = "SELECT COUNT(*) FROM unique_claims a WHERE a.kind = 'admin' \
     AND NOT EXISTS (SELECT 1 FROM unique_claims d WHERE d.kind = 'disabled' AND d.owner_id = a.owner_id)";

/// Existing (not deleted) accounts, from the write side's claims.
pub const EXISTING_USERS: &str = "SELECT COUNT(*) FROM unique_claims WHERE kind = 'username'";

impl PersistedEventRepository for SqlEventRepository {
    async fn get_events<A: Aggregate>(&self, aggregate_id: &str) -> Result<Vec<SerializedEvent>, PersistenceError> {
        let sql = format!("{SELECT_EVENTS} WHERE aggregate_type = $1 AND aggregate_id = $2 ORDER BY sequence");
        self.select(&sql, A::TYPE, Some(aggregate_id), None).await
    }

    async fn get_last_events<A: Aggregate>(&self, aggregate_id: &str, last_sequence: usize) -> Result<Vec<SerializedEvent>, PersistenceError> {
        let sql = format!("{SELECT_EVENTS} WHERE aggregate_type = $1 AND aggregate_id = $2 AND sequence > $3 ORDER BY sequence");
        self.select(&sql, A::TYPE, Some(aggregate_id), Some(last_sequence as i64)).await
    }

    async fn get_snapshot<A: Aggregate>(&self, aggregate_id: &str) -> Result<Option<SerializedSnapshot>, PersistenceError> {
        let row = sqlx::query("SELECT last_sequence, current_snapshot, payload FROM snapshots WHERE aggregate_type = $1 AND aggregate_id = $2")
            .bind(A::TYPE)
            .bind(aggregate_id.to_owned())
            .fetch_optional(&self.db.pool)
            .await
            .map_err(db_err)?;
        let Some(row) = row else { return Ok(None) };
        let last: i64 = row.try_get(0).map_err(db_err)?;
        let current: i64 = row.try_get(1).map_err(db_err)?;
        let payload: String = row.try_get(2).map_err(db_err)?;
        Ok(Some(SerializedSnapshot {
            aggregate_id: aggregate_id.to_owned(),
            aggregate: serde_json::from_str(&payload)?,
            current_sequence: last as usize,
            current_snapshot: current as usize,
        }))
    }

    async fn persist<A: Aggregate>(
        &self,
        events: &[SerializedEvent],
        snapshot_update: Option<(String, Value, usize)>,
    ) -> Result<(), PersistenceError> {
        Ok(self.append(events, snapshot_update).await?)
    }

    async fn stream_events<A: Aggregate>(&self, aggregate_id: &str) -> Result<ReplayStream, PersistenceError> {
        Ok(Self::stream(self.get_events::<A>(aggregate_id).await?))
    }

    async fn stream_all_events<A: Aggregate>(&self) -> Result<ReplayStream, PersistenceError> {
        let sql = format!("{SELECT_EVENTS} WHERE aggregate_type = $1 ORDER BY position");
        Ok(Self::stream(self.select(&sql, A::TYPE, None, None).await?))
    }
}
