//! `/audit` (admins and auditors) and `/me/activity`: the event log, filtered and paged by
//! global position (keyset), with secrets and hashes redacted from payloads.

use aggregates::user::Role;
use axum::Json;
use serde::Deserialize;
use serde_json::Value;
use sqlx::Row;

use super::St;
use super::auth::Authenticated;
use super::error::{ApiError, ApiQuery};

/// Audit filters and paging.
#[derive(Deserialize, Default, Clone, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    /// Actor (user id).
    #[serde(default)]
    actor: Option<String>,
    /// The user the events are about (user id).
    #[serde(default)]
    subject: Option<String>,
    /// `user`, `application`, `settings`, …
    #[serde(default)]
    aggregate_type: Option<String>,
    /// The object's id.
    #[serde(default)]
    aggregate_id: Option<String>,
    /// Event name, e.g. `SessionStarted`.
    #[serde(default)]
    event_type: Option<String>,
    /// `success` or `failure`.
    #[serde(default)]
    #[param(value_type = Option<super::openapi::Outcome>)]
    outcome: Option<String>,
    /// Client address.
    #[serde(default)]
    ip: Option<String>,
    /// RFC 3339 lower time bound (inclusive).
    #[serde(default)]
    #[param(format = DateTime)]
    from: Option<String>,
    /// RFC 3339 upper time bound (exclusive).
    #[serde(default)]
    #[param(format = DateTime)]
    to: Option<String>,
    /// Return entries older than this position (the previous page's `next_before`).
    #[serde(default)]
    before: Option<i64>,
    /// Page size (1–500, default 100).
    #[serde(default)]
    #[param(minimum = 1, maximum = 500)]
    limit: Option<i64>,
}

const REDACTED_KEYS: [&str; 7] = ["password_hash", "refresh_token_hash", "presented_hash", "secret", "notes", "password", "client_secret"];

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

fn time_bound(field: &'static str, text: &str) -> Result<String, ApiError> {
    chrono::DateTime::parse_from_rfc3339(text)
        .map(|t| projections::format_ts(&t.with_timezone(&chrono::Utc)))
        .map_err(|_| ApiError::invalid(field, "must be an RFC 3339 time such as 2026-01-31T12:00:00Z"))
}

async fn query(state: &St, q: AuditQuery, forced_subject: Option<String>) -> Result<Json<Value>, ApiError> {
    let limit = q.limit.unwrap_or(100);
    if !(1..=500).contains(&limit) {
        return Err(ApiError::invalid("limit", "must be 1–500"));
    }
    let mut clauses = Vec::new();
    let mut binds: Vec<String> = Vec::new();
    let mut add = |column: &str, value: String| {
        binds.push(value);
        clauses.push(format!("{column} = ${}", binds.len()));
    };
    if let Some(v) = q.actor {
        add("a.actor_id", v);
    }
    if let Some(v) = forced_subject.or(q.subject) {
        add("a.subject_user_id", v);
    }
    // One aggregate's events are found through the event log's primary key.
    if let Some(v) = q.aggregate_type {
        add("e.aggregate_type", v);
    }
    if let Some(v) = q.aggregate_id {
        add("e.aggregate_id", v);
    }
    if let Some(v) = q.event_type {
        add("a.event_type", v);
    }
    if let Some(v) = q.ip {
        add("a.ip", v);
    }
    if let Some(v) = q.outcome {
        // A literal, not a bind, so the planner can use the partial index on failures; only the
        // two known values get here.
        let literal = match v.as_str() {
            "success" => "'success'",
            "failure" => "'failure'",
            _ => return Err(ApiError::invalid("outcome", "must be success or failure")),
        };
        clauses.push(format!("a.outcome = {literal}"));
    }
    if let Some(v) = q.from {
        binds.push(time_bound("from", &v)?);
        clauses.push(format!("a.recorded_at >= ${}", binds.len()));
    }
    if let Some(v) = q.to {
        binds.push(time_bound("to", &v)?);
        clauses.push(format!("a.recorded_at < ${}", binds.len()));
    }
    let before = q.before.unwrap_or(i64::MAX);
    let n = binds.len();
    let filter = if clauses.is_empty() { String::new() } else { format!("AND {}", clauses.join(" AND ")) };
    let sql = format!(
        "SELECT a.position, a.recorded_at, a.actor_id, a.actor_kind, a.subject_user_id, a.aggregate_type, a.aggregate_id, a.event_type, \
         a.outcome, a.ip, a.request_id, e.metadata, e.payload FROM audit_index a JOIN events e ON e.position = a.position \
         WHERE a.position < ${} {filter} ORDER BY a.position DESC LIMIT ${}",
        n + 1,
        n + 2
    );
    let mut query = sqlx::query(&sql);
    for b in binds {
        query = query.bind(b);
    }
    let rows = query.bind(before).bind(limit + 1).fetch_all(&state.app.db.pool).await?;
    let more = rows.len() as i64 > limit;
    let mut entries = Vec::new();
    for r in rows.iter().take(limit as usize) {
        let metadata: Value = serde_json::from_str(&r.try_get::<String, _>(11)?).unwrap_or_default();
        let mut payload: Value = serde_json::from_str(&r.try_get::<String, _>(12)?).unwrap_or_default();
        redact(&mut payload);
        entries.push(serde_json::json!({
            "position": r.try_get::<i64, _>(0)?,
            "recorded_at": r.try_get::<String, _>(1)?,
            "actor_id": r.try_get::<Option<String>, _>(2)?,
            "actor_kind": r.try_get::<String, _>(3)?,
            "subject_user_id": r.try_get::<Option<String>, _>(4)?,
            "aggregate_type": r.try_get::<String, _>(5)?,
            "aggregate_id": r.try_get::<String, _>(6)?,
            "event_type": r.try_get::<String, _>(7)?,
            "outcome": r.try_get::<String, _>(8)?,
            "ip": r.try_get::<Option<String>, _>(9)?,
            "request_id": r.try_get::<Option<String>, _>(10)?,
            "user_agent": metadata.get("user_agent"),
            "session_id": metadata.get("session_id"),
            "payload": payload,
        }));
    }
    let next_before = if more { entries.last().and_then(|e| e["position"].as_i64()) } else { None };
    Ok(Json(serde_json::json!({ "entries": entries, "next_before": next_before })))
}

/// The audit log (admins and auditors).
#[utoipa::path(
    get,
    path = "/api/v1/audit",
    tag = "audit",
    params(AuditQuery),
    responses(
        (status = 200, description = "Audit entries, newest first", body = super::openapi::AuditPage),
        (status = 400, description = "`invalid_field` (`limit`, `from`, `to`, `outcome`); `invalid_query` (a query parameter that does not parse or is unknown)", body = super::openapi::ErrorBody),
        (status = 401, description = "`unauthenticated`, `invalid_token` or `session_revoked`: no live session", body = super::openapi::ErrorBody),
        (status = 403, description = "`forbidden` (neither admin nor auditor) or `account_disabled`", body = super::openapi::ErrorBody)
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn audit(state: St, who: Authenticated, ApiQuery(q): ApiQuery<AuditQuery>) -> Result<Json<Value>, ApiError> {
    who.require(&[Role::Admin, Role::Auditor])?;
    query(&state, q, None).await
}

/// The caller's own activity.
#[utoipa::path(
    get,
    path = "/api/v1/me/activity",
    tag = "me",
    params(AuditQuery),
    responses(
        (status = 200, description = "The caller's own audit entries (the `subject` filter is ignored)", body = super::openapi::AuditPage),
        (status = 400, description = "`invalid_field` (`limit`, `from`, `to`, `outcome`); `invalid_query` (a query parameter that does not parse or is unknown)", body = super::openapi::ErrorBody),
        (status = 401, description = "`unauthenticated`, `invalid_token` or `session_revoked`: no live session", body = super::openapi::ErrorBody),
        (status = 403, description = "`account_disabled`", body = super::openapi::ErrorBody)
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn my_activity(state: St, who: Authenticated, ApiQuery(q): ApiQuery<AuditQuery>) -> Result<Json<Value>, ApiError> {
    query(&state, q, Some(who.user_id.to_string())).await
}
