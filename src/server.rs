//! The HTTP server: binds, serves the router, and shuts down gracefully.

use std::sync::Arc;

use crate::app::App;
use crate::config::Config;
use crate::http::router::router;
use crate::http::state::ApiState;

/// Serves until SIGINT/SIGTERM, then finishes in-flight requests.
pub async fn serve(app: Arc<App>, config: Config, listener: tokio::net::TcpListener) -> std::io::Result<()> {
    axum::serve(listener, router(ApiState::new(app, config)).into_make_service_with_connect_info::<std::net::SocketAddr>())
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
