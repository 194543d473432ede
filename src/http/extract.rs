//! Extractors whose rejections use the API's error shape instead of axum's plain-text answers.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;

use super::error::ApiError;

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> Self {
        match r {
            JsonRejection::JsonDataError(e) => Self::new(StatusCode::BAD_REQUEST, "invalid_body", e.body_text()),
            JsonRejection::JsonSyntaxError(_) => Self::new(StatusCode::BAD_REQUEST, "malformed_json", "the request body is not valid JSON"),
            JsonRejection::MissingJsonContentType(_) => {
                Self::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", "send the body as application/json")
            }
            JsonRejection::BytesRejection(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                Self::new(StatusCode::PAYLOAD_TOO_LARGE, "body_too_large", "the request body is too large")
            }
            other => Self::new(other.status(), "bad_request", other.body_text()),
        }
    }
}

/// JSON body extractor. Beyond `axum::Json` it refuses a body that is not a JSON object (serde
/// would read a struct from an array too, so `["otpauth://…"]` became `{uri}`) and any string
/// holding U+0000, which PostgreSQL cannot store: both stores meet the same 400.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiJson<T>(pub T);

/// Whether the request says its body is JSON (`application/json` or `application/*+json`).
fn is_json(headers: &axum::http::HeaderMap) -> bool {
    let Some(value) = headers.get(axum::http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let essence = value.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// Whether JSON text holds an escaped NUL (`\u0000`). In valid JSON a backslash only occurs
/// inside a string, as an escape (RFC 8259 §7), and a raw control character is not allowed at
/// all, so scanning escapes finds every NUL.
pub(crate) fn json_has_nul(bytes: &[u8]) -> bool {
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\' {
            if bytes.get(i + 1) == Some(&b'u') && bytes.get(i + 2..i + 6) == Some(b"0000".as_slice()) {
                return true;
            }
            i += 2;
        } else {
            i += 1;
        }
    }
    false
}

impl<S, T> axum::extract::FromRequest<S> for ApiJson<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(req.headers()) {
            return Err(ApiError::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", "send the body as application/json"));
        }
        let bytes = axum::body::Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "body_too_large", "the request body is too large")
            } else {
                ApiError::new(StatusCode::BAD_REQUEST, "bad_request", e.body_text())
            }
        })?;
        match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
            Some(b'{') => {}
            Some(b'[' | b'"' | b't' | b'f' | b'n' | b'-' | b'0'..=b'9') => {
                return Err(ApiError::new(StatusCode::BAD_REQUEST, "invalid_body", "the request body must be a JSON object"));
            }
            _ => return Err(ApiError::new(StatusCode::BAD_REQUEST, "malformed_json", "the request body is not valid JSON")),
        }
        if json_has_nul(&bytes) {
            return Err(ApiError::new(StatusCode::BAD_REQUEST, "invalid_body", "text must not contain the NUL character (\\u0000)"));
        }
        Json::<T>::from_bytes(&bytes).map(|Json(v)| Self(v)).map_err(ApiError::from)
    }
}

impl<S, T> axum::extract::OptionalFromRequest<S> for ApiJson<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Option<Self>, Self::Rejection> {
        // An absent body (no content type, no bytes) is "no body"; anything else must be JSON.
        let has_body = req.headers().contains_key(axum::http::header::CONTENT_TYPE)
            || req.headers().get(axum::http::header::CONTENT_LENGTH).is_some_and(|v| v != "0");
        if !has_body {
            return Ok(None);
        }
        <Self as axum::extract::FromRequest<S>>::from_request(req, state).await.map(Some)
    }
}

/// Query-string extractor (400 `invalid_query`).
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiQuery<T>(pub T);

impl<S, T> axum::extract::FromRequestParts<S> for ApiQuery<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(Self(v)),
            // serde_urlencoded's message names the parameter and what was wrong with it; it never
            // echoes more than the offending value, which the caller sent.
            Err(e) => Err(ApiError::new(StatusCode::BAD_REQUEST, "invalid_query", e.body_text())),
        }
    }
}

/// Path-parameter extractor (400 `invalid_path`, e.g. for bytes that are not UTF-8).
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiPath<T>(pub T);

impl<S, T> axum::extract::FromRequestParts<S> for ApiPath<T>
where
    T: serde::de::DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(v)) => Ok(Self(v)),
            Err(e) => Err(ApiError::new(StatusCode::BAD_REQUEST, "invalid_path", e.body_text())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::json_has_nul;

    #[test]
    fn finds_an_escaped_nul_and_only_that() {
        assert!(json_has_nul(br#"{"login":"a\u0000b"}"#));
        assert!(json_has_nul(br#"{"a":["x","\u0000"]}"#));
        // An escaped backslash followed by the text "u0000" is not a NUL.
        assert!(!json_has_nul(br#"{"login":"a\\u0000b"}"#));
        assert!(!json_has_nul(br#"{"login":"a\u0001b"}"#));
        assert!(!json_has_nul(br#"{"login":"plain"}"#));
    }
}
