//! What every handler can reach: the application, the configuration, and HTTP-only facts.

use std::sync::Arc;

use axum::extract::State;

use super::metrics::HttpMetrics;
use crate::app::App;
use crate::config::Config;

/// Shared state of the HTTP layer.
pub struct ApiState {
    /// The application.
    pub app: Arc<App>,
    /// Configuration.
    pub config: Config,
    /// Whether cookies get `Secure` (everywhere but plain-HTTP localhost).
    pub secure_cookies: bool,
    /// Request statistics for `/metrics`.
    pub metrics: Arc<HttpMetrics>,
}

impl ApiState {
    /// State for `app` under `config`.
    pub fn new(app: Arc<App>, config: Config) -> Arc<Self> {
        let local = matches!(config.public_url.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"));
        let secure_cookies = !(config.public_url.scheme() == "http" && local);
        Arc::new(Self { app, config, secure_cookies, metrics: Arc::default() })
    }
}

/// The `State` extractor of the API handlers.
pub type St = State<Arc<ApiState>>;
