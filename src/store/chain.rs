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
