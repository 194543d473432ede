//! Tamper evidence: every event's hash covers its content and its predecessor's hash, so any
//! changed, deleted, inserted or reordered event breaks the chain from that point on.

use sha2::{Digest, Sha256};

/// The chain's starting value (hash of "no predecessor").
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The stored fields of one event that the hash covers, exactly as stored.
#[derive(Debug, Clone, Copy)]
pub struct ChainedFields<'a> {
    /// Global position.
    pub position: i64,
    /// Aggregate type.
    pub aggregate_type: &'a str,
    /// Aggregate id.
    pub aggregate_id: &'a str,
    /// Per-aggregate sequence.
    pub sequence: i64,
    /// Event type.
    pub event_type: &'a str,
    /// Event schema version.
    pub event_version: &'a str,
    /// Payload JSON text as stored (sealed fields are ciphertext, so shredding keys never
    /// changes these bytes).
    pub payload: &'a str,
    /// Metadata JSON text as stored.
    pub metadata: &'a str,
    /// Recording time as stored.
    pub recorded_at: &'a str,
}

/// SHA-256 over the predecessor's hash and each field, every field length-prefixed so that no
/// two different events can serialise to the same input. Returns lower-case hex.
pub fn event_hash(prev_hash: &str, f: &ChainedFields<'_>) -> String {
    let mut h = Sha256::new();
    let mut field = |bytes: &[u8]| {
        h.update((bytes.len() as u64).to_be_bytes());
        h.update(bytes);
    };
    field(b"authnode-event-v1");
    field(prev_hash.as_bytes());
    field(&f.position.to_be_bytes());
    field(f.aggregate_type.as_bytes());
    field(f.aggregate_id.as_bytes());
    field(&f.sequence.to_be_bytes());
    field(f.event_type.as_bytes());
    field(f.event_version.as_bytes());
    field(f.payload.as_bytes());
    field(f.metadata.as_bytes());
    field(f.recorded_at.as_bytes());
    hex::encode(h.finalize())
}

/// Where the chain first breaks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainBreak {
    /// A stored hash does not match the recomputed one (changed, inserted or reordered event).
    #[error("event at position {position} does not match its hash (changed, inserted or reordered)")]
    HashMismatch {
        /// Global position.
        position: i64,
    },
    /// Positions skip (deleted event).
    #[error("event at position {expected} is missing (found {found} next)")]
    Gap {
        /// The position that should come next.
        expected: i64,
        /// The position found instead.
        found: i64,
    },
    /// The head does not match the last event (events deleted at the end).
    #[error("the chain head says {head_position} events but the log ends at {last}")]
    Truncated {
        /// Recorded head.
        head_position: i64,
        /// Last event found.
        last: i64,
    },
    /// The database failed.
    #[error("database error: {0}")]
    Db(String),
}

/// Recomputes the chain in position order up to the head as it is when the check starts (events
/// appended meanwhile are left for the next check). Returns the number of events checked, or
/// the first break.
pub async fn verify(db: &crate::db::Db) -> Result<i64, ChainBreak> {
    use futures::TryStreamExt;
    use sqlx::Row;
    let dberr = |e: sqlx::Error| ChainBreak::Db(e.to_string());
    let head = sqlx::query("SELECT position, hash FROM event_head WHERE id = 1").fetch_one(&db.pool).await.map_err(dberr)?;
    let head_position: i64 = head.try_get(0).map_err(dberr)?;
    let head_hash: String = head.try_get(1).map_err(dberr)?;
    let mut rows = sqlx::query(
        "SELECT position, aggregate_type, aggregate_id, sequence, event_type, event_version, payload, metadata, recorded_at, hash FROM events \
         WHERE position <= $1 ORDER BY position",
    )
    .bind(head_position)
    .fetch(&db.pool);
    let mut prev = GENESIS.to_owned();
    let mut expected = 1;
    while let Some(row) = rows.try_next().await.map_err(dberr)? {
        let position: i64 = row.try_get(0).map_err(dberr)?;
        if position != expected {
            return Err(ChainBreak::Gap { expected, found: position });
        }
        let s = |i: usize| row.try_get::<String, _>(i).map_err(dberr);
        let (aggregate_type, aggregate_id, event_type, event_version, payload, metadata, recorded_at, stored) =
            (s(1)?, s(2)?, s(4)?, s(5)?, s(6)?, s(7)?, s(8)?, s(9)?);
        let sequence: i64 = row.try_get(3).map_err(dberr)?;
        let fields = ChainedFields {
            position,
            aggregate_type: &aggregate_type,
            aggregate_id: &aggregate_id,
            sequence,
            event_type: &event_type,
            event_version: &event_version,
            payload: &payload,
            metadata: &metadata,
            recorded_at: &recorded_at,
        };
        if event_hash(&prev, &fields) != stored {
            return Err(ChainBreak::HashMismatch { position });
        }
        prev = stored;
        expected += 1;
    }
    drop(rows);
    if head_position != expected - 1 || head_hash != prev {
        return Err(ChainBreak::Truncated { head_position, last: expected - 1 });
    }
    Ok(expected - 1)
}
