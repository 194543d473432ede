//! The audit log for admins and auditors, and each user's own activity: the event log filtered
//! and paged by global position, with secrets and hashes redacted from payloads.

use aggregates::Outcome;
use aggregates::user::Role;
use projections::read::audit::{self as read, AuditFilter, AuditRow};
use serde_json::Value;

use super::App;
use super::caller::Caller;
use super::error::AppError;
use crate::views::audit::{AuditEntry, AuditPage, AuditQuery};

/// Default page size.
const DEFAULT_LIMIT: i64 = 100;
/// Largest page size.
const MAX_LIMIT: i64 = 500;

/// Payload keys whose values never leave the server, whatever event holds them.
const REDACTED_KEYS: [&str; 8] =
    ["password_hash", "refresh_token_hash", "presented_hash", "challenge_hash", "secret", "notes", "password", "client_secret"];

/// Replaces secrets, hashes and sealed values anywhere in a payload.
pub fn redact(v: &mut Value) {
    match v {
        Value::Object(map) => {
            for (k, val) in map.iter_mut() {
                if REDACTED_KEYS.contains(&k.as_str()) && !val.is_null() {
                    *val = Value::String("[redacted]".into());
                } else {
                    redact(val);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact),
        Value::String(s) if s.starts_with(aggregates::common::SEALED_PREFIX) => *s = "[sealed]".into(),
        _ => {}
    }
}

fn time_bound(field: &'static str, text: &str) -> Result<aggregates::Timestamp, AppError> {
    chrono::DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&chrono::Utc))
        .map_err(|_| AppError::invalid(field, "must be an RFC 3339 time such as 2026-01-31T12:00:00Z"))
}

/// The audit log (admins and auditors).
pub async fn query(app: &App, caller: &Caller, q: AuditQuery) -> Result<AuditPage, AppError> {
    caller.require(&[Role::Admin, Role::Auditor])?;
    page(app, q, None).await
}

/// The caller's own activity (the `subject` filter is always the caller).
pub async fn my_activity(app: &App, caller: &Caller, q: AuditQuery) -> Result<AuditPage, AppError> {
    page(app, q, Some(caller.user_id.to_string())).await
}

async fn page(app: &App, q: AuditQuery, forced_subject: Option<String>) -> Result<AuditPage, AppError> {
    let limit = q.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(AppError::invalid("limit", format!("must be 1–{MAX_LIMIT}")));
    }
    let outcome = match q.outcome.as_deref() {
        None => None,
        Some(text) => Some(text.parse::<Outcome>().map_err(|_| AppError::invalid("outcome", "must be success or failure"))?),
    };
    let filter = AuditFilter {
        actor: q.actor,
        subject: forced_subject.or(q.subject),
        aggregate_type: q.aggregate_type,
        aggregate_id: q.aggregate_id,
        event_type: q.event_type,
        outcome,
        ip: q.ip,
        from: q.from.as_deref().map(|t| time_bound("from", t)).transpose()?,
        to: q.to.as_deref().map(|t| time_bound("to", t)).transpose()?,
    };
    // One more than asked tells whether another page follows.
    let mut rows = read::page(&app.db.pool, &filter, q.before.unwrap_or(i64::MAX), limit + 1).await?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let entries: Vec<AuditEntry> = rows.into_iter().map(entry).collect();
    let next_before = if more { entries.last().map(|e| e.position) } else { None };
    Ok(AuditPage { entries, next_before })
}

fn entry(row: AuditRow) -> AuditEntry {
    let metadata: Value = serde_json::from_str(&row.metadata).unwrap_or_default();
    let mut payload: Value = serde_json::from_str(&row.payload).unwrap_or_default();
    // An event without fields is stored as its bare name ("ApplicationRestored"): shown in the
    // documented `{"<event type>": {…}}` shape like every other.
    if let Value::String(name) = payload {
        payload = serde_json::json!({ name: {} });
    }
    redact(&mut payload);
    let text = |key: &str| metadata.get(key).and_then(Value::as_str).map(str::to_owned);
    AuditEntry {
        user_agent: text("user_agent"),
        session_id: text("session_id"),
        position: row.position,
        recorded_at: row.recorded_at,
        actor_id: row.actor_id,
        actor_kind: row.actor_kind,
        subject_user_id: row.subject_user_id,
        aggregate_type: row.aggregate_type,
        aggregate_id: row.aggregate_id,
        event_type: row.event_type,
        outcome: row.outcome,
        ip: row.ip,
        request_id: row.request_id,
        payload,
    }
}
