//! `/audit` (admins and auditors) and `/me/activity`: the event log, filtered and paged by
//! global position (keyset), with secrets and hashes redacted from payloads.

use axum::Json;

use super::error::ApiError;
use super::extract::ApiQuery;
use super::responses::{AccessErrors, Reader, StaffReader};
use super::state::St;
use crate::app::audit;
use crate::app::caller::Caller;
use crate::views::audit::{AuditPage, AuditQuery};
use crate::views::errors::ErrorBody;

/// The audit log (admins and auditors).
#[utoipa::path(
    get,
    path = "/api/v1/audit",
    tag = "audit",
    params(AuditQuery),
    responses(
        (status = 200, description = "Audit entries, newest first", body = AuditPage),
        AccessErrors<StaffReader>,
        (status = 400, description = "`invalid_field` (`limit`, `from`, `to`, `outcome`)", body = ErrorBody)
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn audit(state: St, who: Caller, ApiQuery(q): ApiQuery<AuditQuery>) -> Result<Json<AuditPage>, ApiError> {
    Ok(Json(audit::query(&state.app, &who, q).await?))
}

/// The caller's own activity.
#[utoipa::path(
    get,
    path = "/api/v1/me/activity",
    tag = "me",
    params(AuditQuery),
    responses(
        (status = 200, description = "The caller's own audit entries (the `subject` filter is ignored)", body = AuditPage),
        AccessErrors<Reader>,
        (status = 400, description = "`invalid_field` (`limit`, `from`, `to`, `outcome`)", body = ErrorBody)
    ),
    security(("bearer" = []), ("cookie" = []))
)]
pub async fn my_activity(state: St, who: Caller, ApiQuery(q): ApiQuery<AuditQuery>) -> Result<Json<AuditPage>, ApiError> {
    Ok(Json(audit::my_activity(&state.app, &who, q).await?))
}
