//! What a client must know before signing in, and the operational probes.

use axum::Json;
use axum::http::StatusCode;
use axum::response::IntoResponse;

use super::error::ApiError;
use super::state::St;
use crate::app::auth;
use crate::views::errors::ErrorBody;
use crate::views::meta::{AuthConfig, HealthStatus};

/// What the sign-in screen offers: first-run setup, self-registration, password rules.
#[utoipa::path(
    get,
    path = "/api/v1/auth/config",
    tag = "auth",
    responses((status = 200, description = "Public sign-in configuration", body = AuthConfig))
)]
pub async fn auth_config(state: St) -> Result<Json<AuthConfig>, ApiError> {
    Ok(Json(auth::config(&state.app).await?))
}

/// The process is up.
#[utoipa::path(get, path = "/healthz", tag = "operations", responses((status = 200, description = "`{\"status\":\"ok\"}`", body = HealthStatus)))]
pub async fn healthz() -> Json<HealthStatus> {
    Json(HealthStatus { status: "ok".into() })
}

/// The database answers.
#[utoipa::path(
    get,
    path = "/readyz",
    tag = "operations",
    responses(
        (status = 200, description = "`{\"status\":\"ready\"}`", body = HealthStatus),
        (status = 503, description = "`database_unavailable`", body = ErrorBody)
    )
)]
pub async fn readyz(state: St) -> axum::response::Response {
    if state.app.db.ping().await {
        (StatusCode::OK, Json(HealthStatus { status: "ready".into() })).into_response()
    } else {
        ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "database_unavailable", "the database is unavailable").into_response()
    }
}
