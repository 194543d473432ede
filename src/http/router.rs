//! Routes, request ids and logging.

use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request};
use axum::body::Body;
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, patch, post, put};

use super::context::RequestId;
use super::error::{ApiError, RetryableRead};
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
        .layer(axum::middleware::from_fn(retry_lost_read))
        .layer(axum::middleware::from_fn(refuse_nul))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::map_response(no_store))
        .with_state(state.clone());
    let mut observed = Router::new().nest("/api/v1", api).merge(openapi::docs_router());
    if state.config.metrics_listen.is_none() {
        observed = observed.merge(metrics_router(&state));
    }
    let observed = observed.layer(axum::middleware::from_fn(request_id_and_log));
    // RFC 6797: once the public origin is https, browsers must never fall back to plain HTTP.
    let hsts = state.config.public_url.scheme() == "https";
    Router::new()
        .route("/healthz", get(routes_meta::healthz))
        .route("/readyz", get(routes_meta::readyz))
        .with_state(state)
        .merge(observed)
        .fallback(ui::serve)
        .layer(axum::middleware::map_response(move |mut res: Response| async move {
            ui::add_common_headers(res.headers_mut());
            if hsts {
                res.headers_mut().entry(axum::http::header::STRICT_TRANSPORT_SECURITY).or_insert(HeaderValue::from_static(HSTS));
            }
            res
        }))
}

/// `Strict-Transport-Security` when the public origin is https: a year, as browsers' preload
/// rules expect; subdomains are left alone (they may not all be served over TLS).
pub const HSTS: &str = "max-age=31536000";

/// `/metrics` alone: merged into the main router, or served on `AUTHNODE_METRICS_LISTEN`. With
/// `AUTHNODE_METRICS_TOKEN` set it answers only `Authorization: Bearer <token>`.
pub fn metrics_router(state: &Arc<ApiState>) -> Router {
    let token = state.config.metrics_token.clone();
    Router::new().route("/metrics", get(metrics::render).with_state((state.app.clone(), state.metrics.clone()))).layer(
        axum::middleware::from_fn(move |req: Request, next: Next| {
            let token = token.clone();
            async move {
                match &token {
                    Some(expected) if !metrics::bearer_matches(req.headers(), expected) => {
                        let mut res = ApiError::unauthorized("metrics_token_required", "send the metrics token as Authorization: Bearer <token>").into_response();
                        res.headers_mut().insert(axum::http::header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"metrics\""));
                        res
                    }
                    _ => next.run(req).await,
                }
            }
        }),
    )
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

/// A read (GET or HEAD) whose database connection was lost mid-request, as when the database
/// restarts, is run once more: it changed nothing, and the pool hands out a fresh connection.
async fn retry_lost_read(req: Request, next: Next) -> Response {
    if !matches!(*req.method(), Method::GET | Method::HEAD) {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    let res = next.clone().run(Request::from_parts(parts.clone(), body)).await;
    if res.extensions().get::<RetryableRead>().is_none() {
        return res;
    }
    tracing::warn!(path = %parts.uri.path(), "database connection lost during a read; trying it once more");
    next.run(Request::from_parts(parts, Body::empty())).await
}

/// Refuses a NUL character in the path or query string before any handler sees it. PostgreSQL
/// cannot store U+0000 in text and SQLite would store it, so both stores must meet the same 400
/// at the boundary (JSON bodies are checked by [`super::extract::ApiJson`]). A NUL can only arrive
/// percent-encoded (`%00`): `%` itself is always encoded as `%25` (RFC 3986 §2.4).
async fn refuse_nul(req: Request, next: Next) -> Response {
    let has_nul = |s: &str| s.as_bytes().windows(3).any(|w| w == b"%00");
    if has_nul(req.uri().path()) {
        return ApiError::new(StatusCode::BAD_REQUEST, "invalid_path", "the path must not contain a NUL character (%00)").into_response();
    }
    if req.uri().query().is_some_and(has_nul) {
        return ApiError::new(StatusCode::BAD_REQUEST, "invalid_query", "the query string must not contain a NUL character (%00)").into_response();
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use axum::Router;
    use axum::routing::get;

    use super::retry_lost_read;
    use crate::app::AppError;
    use crate::http::error::ApiError;

    /// A route failing with a lost connection the first `failures` times it runs.
    fn flaky(failures: usize) -> (Router, Arc<AtomicUsize>) {
        let calls = Arc::new(AtomicUsize::new(0));
        let counted = calls.clone();
        let handler = move || {
            let counted = counted.clone();
            async move {
                if counted.fetch_add(1, Ordering::SeqCst) < failures { Err(ApiError::from(AppError::Disconnected("terminated".into()))) } else { Ok("ok") }
            }
        };
        // A path held in a variable: tests/api.rs reads the route literals of this file as the API.
        let path = "/r";
        let router = Router::new().route(path, get(handler.clone()).post(handler)).layer(axum::middleware::from_fn(retry_lost_read));
        (router, calls)
    }

    async fn serve(router: Router) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}/r", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
        base
    }

    #[tokio::test]
    async fn a_read_that_lost_its_connection_runs_once_more_and_a_write_does_not() {
        let http = reqwest::Client::new();
        let (router, calls) = flaky(1);
        let url = serve(router).await;
        let res = http.get(&url).send().await.unwrap();
        assert_eq!((res.status().as_u16(), calls.load(Ordering::SeqCst)), (200, 2));
        let (router, calls) = flaky(1);
        let url = serve(router).await;
        let res = http.post(&url).send().await.unwrap();
        assert_eq!((res.status().as_u16(), calls.load(Ordering::SeqCst)), (503, 1), "a write is never repeated");
        // Only once: a database still gone is a 503 after the second try.
        let (router, calls) = flaky(5);
        let url = serve(router).await;
        let res = http.get(&url).send().await.unwrap();
        assert_eq!((res.status().as_u16(), calls.load(Ordering::SeqCst)), (503, 2));
        assert_eq!(res.json::<serde_json::Value>().await.unwrap()["error"]["code"], "database_unavailable");
    }
}
