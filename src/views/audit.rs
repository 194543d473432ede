//! The audit log, filtered and paged by global position.

use aggregates::Outcome;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Audit filters and paging.
#[derive(Deserialize, Default, Clone, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    /// Actor (user id).
    #[serde(default)]
    pub actor: Option<String>,
    /// The user the events are about (user id).
    #[serde(default)]
    pub subject: Option<String>,
    /// `user`, `application`, `settings`, …
    #[serde(default)]
    pub aggregate_type: Option<String>,
    /// The object's id.
    #[serde(default)]
    pub aggregate_id: Option<String>,
    /// Event name, e.g. `SessionStarted`.
    #[serde(default)]
    pub event_type: Option<String>,
    /// `success` or `failure`.
    #[serde(default)]
    #[param(value_type = Option<Outcome>)]
    pub outcome: Option<String>,
    /// Client address.
    #[serde(default)]
    pub ip: Option<String>,
    /// RFC 3339 lower time bound (inclusive).
    #[serde(default)]
    #[param(format = DateTime)]
    pub from: Option<String>,
    /// RFC 3339 upper time bound (exclusive).
    #[serde(default)]
    #[param(format = DateTime)]
    pub to: Option<String>,
    /// Return entries older than this position (the previous page's `next_before`).
    #[serde(default)]
    pub before: Option<i64>,
    /// Page size (1–500, default 100).
    #[serde(default)]
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
}

/// One event of the log, with secrets and hashes redacted from its payload.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AuditEntry {
    /// Global position in the log (gap-free, commit order).
    pub position: i64,
    /// When it was recorded.
    #[schema(format = DateTime)]
    pub recorded_at: String,
    /// Who did it (a user id; null for anonymous and system actors).
    #[schema(required = true)]
    pub actor_id: Option<String>,
    /// `anonymous`, `user`, `admin`, `cli` or `system`.
    pub actor_kind: String,
    /// The user the event is about.
    #[schema(required = true)]
    pub subject_user_id: Option<String>,
    /// `user`, `application`, `settings`, …
    pub aggregate_type: String,
    /// The object's id.
    pub aggregate_id: String,
    /// Past-tense event name, e.g. `ApplicationCreated`.
    pub event_type: String,
    /// Outcome.
    pub outcome: Outcome,
    /// Client address.
    #[schema(required = true)]
    pub ip: Option<String>,
    /// Request id (also in the server log).
    #[schema(required = true)]
    pub request_id: Option<String>,
    /// Client user agent.
    #[schema(required = true)]
    pub user_agent: Option<String>,
    /// Session id.
    #[schema(required = true)]
    pub session_id: Option<String>,
    /// The event payload, `{"<event type>": {…}}`, with secrets replaced by `[redacted]`/`[sealed]`.
    #[schema(value_type = Object)]
    pub payload: serde_json::Value,
}

/// One page of audit entries, newest first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AuditPage {
    /// Entries.
    pub entries: Vec<AuditEntry>,
    /// Pass as `before` for the next (older) page; null on the last page.
    #[schema(required = true)]
    pub next_before: Option<i64>,
}
