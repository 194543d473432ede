//! The HTTP server: binds, serves the router, and shuts down gracefully.

use std::sync::Arc;

use crate::app::App;
use crate::config::Config;
use crate::http::router::{metrics_router, router};
use crate::http::state::ApiState;

/// Serves until SIGINT/SIGTERM, then finishes in-flight requests.
pub async fn serve(app: Arc<App>, config: Config, listener: tokio::net::TcpListener) -> std::io::Result<()> {
    let metrics_listen = config.metrics_listen;
    let state = ApiState::new(app, config);
    if let Some(addr) = metrics_listen {
        // Prometheus scrapes this address; the public one no longer answers /metrics.
        let metrics = tokio::net::TcpListener::bind(addr).await?;
        tracing::info!(%addr, "serving /metrics");
        let router = metrics_router(&state);
        tokio::spawn(async move {
            if let Err(e) = axum::serve(metrics, router).with_graceful_shutdown(shutdown_signal()).await {
                tracing::error!(error = %e, "the metrics listener stopped");
            }
        });
    }
    axum::serve(listener, router(state).into_make_service_with_connect_info::<std::net::SocketAddr>()).with_graceful_shutdown(shutdown_signal()).await
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
