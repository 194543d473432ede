//! The HTTP API (`/api/v1`): state, router, request-id and logging middleware, JSON errors.

pub mod auth;
pub mod context;
pub mod error;
pub mod metrics;
pub mod openapi;
pub mod ratelimit;
mod routes_admin;
mod routes_audit;
mod routes_auth;
mod routes_me;
mod routes_meta;
pub mod routes_vault;
pub mod ui;

use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post, put};

use crate::app::App;
use crate::config::Config;
use auth::JwtKeys;
use context::RequestId;
use error::ApiError;

/// Largest JSON body accepted (QR uploads get their own limit).
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Shared state of the HTTP layer.
pub struct ApiState {
    /// The application.
    pub app: Arc<App>,
    /// Configuration.
    pub config: Config,
    /// Token keys.
    pub jwt: JwtKeys,
    /// Whether cookies get `Secure` (everywhere but plain-HTTP localhost).
    pub secure_cookies: bool,
    /// Request statistics for `/metrics`.
    pub metrics: metrics::HttpMetrics,
    /// The clock codes are computed at (injected so tests can pin RFC test-vector times).
    pub clock: Clock,
    /// Each owner's last computed codes, reused while the vault and the periods are unchanged.
    pub codes_cache: crate::cache::TtlCache<String, Arc<routes_vault::CodesSnapshot>>,
}

/// A source of the current time.
pub type Clock = Arc<dyn Fn() -> chrono::DateTime<chrono::Utc> + Send + Sync>;

impl ApiState {
    /// State for `app` under `config`.
    pub fn new(app: Arc<App>, config: Config) -> Arc<Self> {
        Self::with_clock(app, config, Arc::new(chrono::Utc::now))
    }

    /// State whose OTP codes are computed at `clock`'s time.
    pub fn with_clock(app: Arc<App>, config: Config, clock: Clock) -> Arc<Self> {
        let jwt = JwtKeys::new(app.keyring.derive("jwt-hs256").as_slice());
        let local = matches!(config.public_url.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"));
        let secure_cookies = !(config.public_url.scheme() == "http" && local);
        Arc::new(Self {
            app,
            config,
            jwt,
            secure_cookies,
            metrics: metrics::HttpMetrics::default(),
            clock,
            codes_cache: crate::cache::TtlCache::new(std::time::Duration::from_secs(300)),
        })
    }
}

/// The API routes.
pub fn router(state: Arc<ApiState>) -> Router {
    let api = Router::new()
        .route("/auth/config", get(routes_meta::auth_config))
        .route("/auth/register", post(routes_auth::register))
        .route("/auth/login", post(routes_auth::login))
        .route("/auth/refresh", post(routes_auth::refresh))
        .route("/auth/logout", post(routes_auth::logout))
        .route("/me", get(routes_me::get_me).patch(routes_me::patch_me))
        .route("/me/password", post(routes_me::change_password))
        .route("/me/sessions", get(routes_me::sessions))
        .route("/me/sessions/revoke-others", post(routes_me::revoke_others))
        .route("/me/sessions/{id}", delete(routes_me::revoke_session))
        .route("/applications", get(routes_vault::list).post(routes_vault::create))
        .route("/applications/codes", get(routes_vault::codes))
        .route("/applications/qr", post(routes_vault::create_from_qr).layer(DefaultBodyLimit::max(routes_vault::MAX_QR_BYTES + 16 * 1024)))
        .route("/applications/order", put(routes_vault::reorder))
        .route("/applications/{id}", get(routes_vault::get_one).patch(routes_vault::update).delete(routes_vault::delete))
        .route("/applications/{id}/restore", post(routes_vault::restore))
        .route("/applications/{id}/hotp/next", post(routes_vault::hotp_next))
        .route("/me/activity", get(routes_audit::my_activity))
        .route("/audit", get(routes_audit::audit))
        .route("/admin/users", get(routes_admin::list_users).post(routes_admin::create_user))
        .route("/admin/users/{id}", get(routes_admin::get_user).patch(routes_admin::patch_user).delete(routes_admin::delete_user))
        .route("/admin/users/{id}/reset-password", post(routes_admin::reset_password))
        .route("/admin/users/{id}/{action}", post(routes_admin::action))
        .route("/admin/settings", get(routes_admin::get_settings).patch(routes_admin::patch_settings))
        .route("/openapi.json", get(openapi::serve_openapi))
        .route_layer(axum::middleware::from_fn_with_state(state.clone(), metrics::track))
        .fallback(|| async { ApiError::new(StatusCode::NOT_FOUND, "no_such_route", "no such API route") })
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(state.clone());
    Router::new()
        .nest("/api/v1", api)
        .merge(openapi::docs_router())
        .route("/metrics", get(metrics::render).with_state(state))
        .layer(axum::middleware::from_fn(request_id_and_log))
}

/// Gives every request an id (a sane incoming `X-Request-Id`, else a new UUID), echoes it, and
/// logs the outcome with it.
async fn request_id_and_log(mut req: Request, next: Next) -> Response {
    let id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty() && v.len() <= 128 && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
        .map_or_else(|| uuid::Uuid::new_v4().to_string(), str::to_owned);
    req.extensions_mut().insert(RequestId(id.clone()));
    let (method, path) = (req.method().clone(), req.uri().path().to_owned());
    let started = Instant::now();
    let mut res = next.run(req).await;
    if let Ok(v) = HeaderValue::from_str(&id) {
        res.headers_mut().insert("x-request-id", v);
    }
    tracing::info!(request_id = %id, %method, %path, status = res.status().as_u16(), elapsed_ms = started.elapsed().as_millis() as u64, "request");
    res
}

/// Turns a handler's state into the `State` extractor type (helper for the route modules).
pub type St = State<Arc<ApiState>>;

/// An empty 204.
pub fn no_content() -> Response {
    StatusCode::NO_CONTENT.into_response()
}
