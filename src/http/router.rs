//! Routes, request ids and logging.

use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use axum::routing::{delete, get, patch, post, put};

use super::context::RequestId;
use super::error::ApiError;
use super::state::ApiState;
use super::{metrics, openapi, routes_admin, routes_audit, routes_auth, routes_factors, routes_me, routes_meta, routes_vault, ui};

/// Largest JSON body accepted (QR uploads get their own limit).
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Everything the server answers: the API under `/api/v1`, the docs page, `/metrics`, the
/// probes, and the web UI for every other path.
pub fn router(state: Arc<ApiState>) -> Router {
    let api = Router::new()
        .route("/auth/config", get(routes_meta::auth_config))
        .route("/auth/register", post(routes_auth::register))
        .route("/auth/login", post(routes_auth::login))
        .route("/auth/refresh", post(routes_auth::refresh))
        .route("/auth/login/second-factor", post(routes_auth::second_factor))
        .route("/auth/reauth", post(routes_auth::reauth))
        .route("/auth/reauth/options", post(routes_auth::reauth_options))
        .route("/auth/passkey/options", post(routes_auth::passwordless_options))
        .route("/auth/passkey", post(routes_auth::passkey_sign_in))
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
        .route("/applications/{id}/secret", get(routes_vault::secret))
        .route("/me/activity", get(routes_audit::my_activity))
        .route("/me/second-factors", get(routes_factors::status))
        .route("/me/totp", post(routes_factors::start_totp).delete(routes_factors::disable_totp))
        .route("/me/totp/confirm", post(routes_factors::confirm_totp))
        .route("/me/recovery-codes", post(routes_factors::regenerate_recovery_codes))
        .route("/me/passkeys/options", post(routes_factors::passkey_registration_options))
        .route("/me/passkeys", get(routes_factors::list_passkeys).post(routes_factors::register_passkey))
        .route("/me/passkeys/{id}", patch(routes_factors::rename_passkey).delete(routes_factors::remove_passkey))
        .route("/audit", get(routes_audit::audit))
        .route("/admin/users", get(routes_admin::list_users).post(routes_admin::create_user))
        .route("/admin/users/{id}", get(routes_admin::get_user).patch(routes_admin::patch_user).delete(routes_admin::delete_user))
        .route("/admin/users/{id}/reset-password", post(routes_admin::reset_password))
        .route("/admin/users/{id}/reset-second-factors", post(routes_admin::reset_second_factors))
        .route("/admin/users/{id}/{action}", post(routes_admin::action))
        .route("/admin/settings", get(routes_admin::get_settings).patch(routes_admin::patch_settings))
        .route("/openapi.json", get(openapi::serve_openapi))
        .route_layer(axum::middleware::from_fn_with_state(state.metrics.clone(), metrics::track))
        .fallback(|| async { ApiError::new(StatusCode::NOT_FOUND, "no_such_route", "no such API route") })
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::map_response(no_store))
        .with_state(state.clone());
    let observed = Router::new()
        .nest("/api/v1", api)
        .merge(openapi::docs_router())
        .route("/metrics", get(metrics::render).with_state((state.app.clone(), state.metrics.clone())))
        .layer(axum::middleware::from_fn(request_id_and_log));
    Router::new()
        .route("/healthz", get(routes_meta::healthz))
        .route("/readyz", get(routes_meta::readyz))
        .with_state(state)
        .merge(observed)
        .fallback(ui::serve)
        .layer(axum::middleware::map_response(|mut res: Response| async move {
            ui::add_common_headers(res.headers_mut());
            res
        }))
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

/// API answers carry tokens, codes, secrets and personal data: no cache (the browser's or a
/// proxy's) may keep them (RFC 9111 §5.2.2.5).
async fn no_store(mut res: Response) -> Response {
    res.headers_mut().entry(axum::http::header::CACHE_CONTROL).or_insert(HeaderValue::from_static("no-store"));
    res
}
