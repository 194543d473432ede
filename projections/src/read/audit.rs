//! The audit index: one row per event, filtered and paged by global position (keyset).

use aggregates::Outcome;
use aggregates::Timestamp;
use aggregates::time::format_timestamp;
use sqlx::AnyPool;

use super::{Cells, ReadError};

/// Which events a page holds; every field narrows it (all match when empty).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// The acting user.
    pub actor: Option<String>,
    /// The user the events are about.
    pub subject: Option<String>,
    /// Aggregate type.
    pub aggregate_type: Option<String>,
    /// Aggregate id.
    pub aggregate_id: Option<String>,
    /// Event type.
    pub event_type: Option<String>,
    /// Success or failure.
    pub outcome: Option<Outcome>,
    /// Client address.
    pub ip: Option<String>,
    /// Recorded at or after.
    pub from: Option<Timestamp>,
    /// Recorded before.
    pub to: Option<Timestamp>,
}

/// One audit entry with the event's stored metadata and payload (JSON text, not redacted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRow {
    /// Global position.
    pub position: i64,
    /// Recording time (stored time text).
    pub recorded_at: String,
    /// Acting user.
    pub actor_id: Option<String>,
    /// `anonymous`, `user`, `admin`, `cli` or `system`.
    pub actor_kind: String,
    /// The user the event is about.
    pub subject_user_id: Option<String>,
    /// Aggregate type.
    pub aggregate_type: String,
    /// Aggregate id.
    pub aggregate_id: String,
    /// Event type.
    pub event_type: String,
    /// Success or failure.
    pub outcome: Outcome,
    /// Client address.
    pub ip: Option<String>,
    /// Request id.
    pub request_id: Option<String>,
    /// The event's metadata (JSON text).
    pub metadata: String,
    /// The event's payload (JSON text; may hold hashes and sealed values).
    pub payload: String,
}

/// Up to `limit` entries matching `filter` older than position `before`, newest first.
pub async fn page(pool: &AnyPool, filter: &AuditFilter, before: i64, limit: i64) -> Result<Vec<AuditRow>, ReadError> {
    let mut clauses = Vec::new();
    let mut binds: Vec<String> = Vec::new();
    let mut add = |column: &str, value: &str| {
        binds.push(value.to_owned());
        clauses.push(format!("{column} = ${}", binds.len()));
    };
    let f = filter;
    // One aggregate's events are found through the event log's primary key.
    for (column, value) in [
        ("a.actor_id", &f.actor),
        ("a.subject_user_id", &f.subject),
        ("e.aggregate_type", &f.aggregate_type),
        ("e.aggregate_id", &f.aggregate_id),
        ("a.event_type", &f.event_type),
        ("a.ip", &f.ip),
    ] {
        if let Some(v) = value {
            add(column, v);
        }
    }
    if let Some(outcome) = f.outcome {
        // A literal, not a bind, so that the planner can use the partial index on failures; the
        // text comes from the enum, never from input.
        clauses.push(format!("a.outcome = '{}'", outcome.as_str()));
    }
    if let Some(t) = &f.from {
        binds.push(format_timestamp(t));
        clauses.push(format!("a.recorded_at >= ${}", binds.len()));
    }
    if let Some(t) = &f.to {
        binds.push(format_timestamp(t));
        clauses.push(format!("a.recorded_at < ${}", binds.len()));
    }
    let n = binds.len();
    let conditions: String = clauses.iter().flat_map(|c| [" AND ", c.as_str()]).collect();
    let sql = include_str!("sql/audit_page.sql")
        .replace("/*filters*/", &conditions)
        .replace("$before", &format!("${}", n + 1))
        .replace("$limit", &format!("${}", n + 2));
    let mut query = sqlx::query(&sql);
    for b in binds {
        query = query.bind(b);
    }
    let rows = query.bind(before).bind(limit).fetch_all(pool).await?;
    rows.iter()
        .map(|r| {
            let c = Cells::new("audit_index", r);
            Ok(AuditRow {
                position: c.int("position")?,
                recorded_at: c.text("recorded_at")?,
                actor_id: c.opt_text("actor_id")?,
                actor_kind: c.text("actor_kind")?,
                subject_user_id: c.opt_text("subject_user_id")?,
                aggregate_type: c.text("aggregate_type")?,
                aggregate_id: c.text("aggregate_id")?,
                event_type: c.text("event_type")?,
                outcome: c.parsed("outcome")?,
                ip: c.opt_text("ip")?,
                request_id: c.opt_text("request_id")?,
                metadata: c.text("metadata")?,
                payload: c.text("payload")?,
            })
        })
        .collect()
}
