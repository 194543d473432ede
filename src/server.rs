//! The HTTP server: health probes, the API and the embedded web UI on one router.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};

use crate::app::App;
use crate::config::Config;

/// Builds the router: health probes, the API, and the UI for every other path.
pub fn router(app: Arc<App>, config: Config) -> Router {
    router_for(crate::http::ApiState::new(app, config))
}

/// The same router around a prepared API state (tests inject a clock this way).
pub fn router_for(state: Arc<crate::http::ApiState>) -> Router {
    let app = state.app.clone();
    let api = crate::http::router(state);
    Router::new().route("/healthz", get(healthz)).route("/readyz", get(readyz)).with_state(app).merge(api).fallback(crate::http::ui::serve).layer(
        axum::middleware::map_response(|mut res: axum::response::Response| async move {
            crate::http::ui::add_common_headers(res.headers_mut());
            res
        }),
    )
}

/// The process is up.
#[utoipa::path(get, path = "/healthz", tag = "operations", responses((status = 200, description = "`{\"status\":\"ok\"}`", body = crate::http::openapi::HealthStatus)))]
pub(crate) async fn healthz() -> impl IntoResponse {
    Json(serde_json::json!({ "status": "ok" }))
}

/// The database answers.
#[utoipa::path(
    get,
    path = "/readyz",
    tag = "operations",
    responses(
        (status = 200, description = "`{\"status\":\"ready\"}`", body = crate::http::openapi::HealthStatus),
        (status = 503, description = "`database_unavailable`", body = crate::http::openapi::ErrorBody)
    )
)]
pub(crate) async fn readyz(State(app): State<Arc<App>>) -> impl IntoResponse {
    if app.db.ping().await {
        (StatusCode::OK, Json(serde_json::json!({ "status": "ready" })))
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(serde_json::json!({ "error": { "code": "database_unavailable", "message": "the database is unavailable" } })),
        )
    }
}

/// Serves until SIGINT/SIGTERM, then finishes in-flight requests.
pub async fn serve(app: Arc<App>, config: Config, listener: tokio::net::TcpListener) -> std::io::Result<()> {
    axum::serve(listener, router(app, config).into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(shutdown_signal())
        .await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { () = ctrl_c => {}, () = term => {} }
    tracing::info!("shutting down");
}
