//! The web UI, embedded at build time (see `build.rs`) and served at `/`: hashed assets cached
//! for a year, every client route answered with `index.html` (single-page app), and the browser
//! security headers (CSP without inline scripts, no framing, no sniffing, no referrer).

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};

use super::error::ApiError;

mod assets {
    include!(concat!(env!("OUT_DIR"), "/ui_assets.rs"));
}

/// The UI's Content Security Policy: only our own origin; no inline script or style (CSP Level 3).
/// `blob:` images and media are the QR paste preview and the camera stream; `data:` images are
/// SVG data the stylesheet may carry.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; \
     connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Headers every response carries, API and UI alike.
pub fn add_common_headers(headers: &mut HeaderMap) {
    headers.entry(header::X_CONTENT_TYPE_OPTIONS).or_insert(HeaderValue::from_static("nosniff"));
    headers.entry(header::REFERRER_POLICY).or_insert(HeaderValue::from_static("no-referrer"));
    // X-Frame-Options for browsers that predate CSP frame-ancestors (RFC 7034).
    headers.entry(header::X_FRAME_OPTIONS).or_insert(HeaderValue::from_static("DENY"));
    headers.entry("cross-origin-opener-policy").or_insert(HeaderValue::from_static("same-origin"));
}

fn find(path: &str) -> Option<&'static [u8]> {
    assets::ASSETS.binary_search_by(|(p, _)| (*p).cmp(path)).ok().map(|i| assets::ASSETS[i].1)
}

/// Content type by file extension, for the kinds of files a Vite build emits.
fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or_default() {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "ico" => "image/x-icon",
        "webp" => "image/webp",
        "woff2" => "font/woff2",
        "json" | "webmanifest" => "application/json",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn file_response(path: &str, bytes: &'static [u8], head: bool) -> Response {
    // Vite names everything under assets/ by content hash, so those never change; the rest (index.html,
    // favicon) must be revalidated so a new release is picked up at once.
    let cache = if path.starts_with("assets/") { "public, max-age=31536000, immutable" } else { "no-cache" };
    let mut res = if head { Response::new(Body::empty()) } else { Response::new(Body::from(bytes)) };
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type(path)));
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(bytes.len()));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    h.insert("permissions-policy", HeaderValue::from_static("camera=(self), microphone=(), geolocation=(), payment=()"));
    res
}

/// Serves the UI for every path the API does not own.
pub async fn serve(method: Method, uri: Uri) -> Response {
    let path = uri.path();
    if path == "/api" || path.starts_with("/api/") {
        return ApiError::new(StatusCode::NOT_FOUND, "no_such_route", "no such API route").into_response();
    }
    let head = method == Method::HEAD;
    if method != Method::GET && !head {
        return ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", "only GET and HEAD are served here").into_response();
    }
    let rel = path.trim_start_matches('/');
    if !rel.is_empty()
        && let Some(bytes) = find(rel)
    {
        return file_response(rel, bytes, head);
    }
    // A missing file under assets/ (or any path with an extension) is a real 404, not the app shell:
    // answering HTML for a script would only produce confusing errors after a redeploy.
    let last = rel.rsplit('/').next().unwrap_or_default();
    if rel.starts_with("assets/") || last.contains('.') {
        return (StatusCode::NOT_FOUND, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], "not found").into_response();
    }
    match find("index.html") {
        Some(bytes) => file_response("index.html", bytes, head),
        None => (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "This AuthNode binary was built without its web UI (AUTHNODE_SKIP_UI_BUILD=1). The API is at /api/v1.",
        )
            .into_response(),
    }
}

/// Whether this binary carries the UI.
pub fn embedded() -> bool {
    find("index.html").is_some()
}
