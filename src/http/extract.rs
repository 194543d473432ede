//! Extractors whose rejections use the API's error shape instead of axum's plain-text answers.

use axum::http::StatusCode;

use super::error::ApiError;

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

/// Whether a text (a value or a key) anywhere in `value` holds U+0000. The free-form WebAuthn
/// `credential` is left to webauthn-rs, which refuses what is not base64url: nothing in it is
/// stored as it came.
fn has_nul(value: &serde_json::Value, top: bool) -> bool {
    match value {
        serde_json::Value::String(text) => text.contains('\0'),
        serde_json::Value::Array(items) => items.iter().any(|v| has_nul(v, false)),
        serde_json::Value::Object(fields) => fields.iter().any(|(k, v)| k.contains('\0') || (!(top && k == "credential") && has_nul(v, false))),
        _ => false,
    }
}

/// Rewrites numbers written with a fraction or exponent that are whole (`1.0`, `1e2`) as integers:
/// JSON Schema counts them as integers (2020-12 §6.1.1), serde's integer types would not.
fn whole_numbers_as_integers(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Number(n) if n.is_f64() => {
            if let Some(f) = n.as_f64().filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15) {
                // Exact below 2^53: the float holds the integer it was written as.
                *n = serde_json::Number::from(f as i64);
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(whole_numbers_as_integers),
        serde_json::Value::Object(fields) => fields.values_mut().for_each(whole_numbers_as_integers),
        _ => {}
    }
}

/// Reads and checks a JSON body; `None` for a literal `null` (no body).
async fn read_json<S: Send + Sync>(req: axum::extract::Request, state: &S) -> Result<Option<serde_json::Value>, ApiError> {
    if !is_json(req.headers()) {
        return Err(ApiError::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", "send the body as application/json"));
    }
    let bytes = <axum::body::Bytes as axum::extract::FromRequest<S>>::from_request(req, state).await.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "body_too_large", "the request body is too large")
        } else {
            ApiError::new(StatusCode::BAD_REQUEST, "bad_request", e.body_text())
        }
    })?;
    let malformed = || ApiError::new(StatusCode::BAD_REQUEST, "malformed_json", "the request body is not valid JSON");
    let mut value: serde_json::Value = serde_json::from_slice(&bytes).map_err(|_| malformed())?;
    match value {
        serde_json::Value::Object(_) => {}
        serde_json::Value::Null => return Ok(None),
        _ => return Err(ApiError::new(StatusCode::BAD_REQUEST, "invalid_body", "the request body must be a JSON object")),
    }
    if has_nul(&value, true) {
        return Err(ApiError::new(StatusCode::BAD_REQUEST, "invalid_body", "text must not contain the NUL character (\\u0000)"));
    }
    whole_numbers_as_integers(&mut value);
    Ok(Some(value))
}

/// Deserialises a checked body into the request type (400 `invalid_body` naming what is wrong).
/// Every object of the body is closed, as the document says (`additionalProperties: false`): a
/// field the type would ignore is refused, also inside nested domain types.
fn decode<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> Result<T, ApiError> {
    let mut ignored = None;
    let decoded = serde_ignored::deserialize(value, |path| {
        ignored.get_or_insert_with(|| path.to_string());
    })
    .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, "invalid_body", format!("Failed to deserialize the JSON body into the target type: {e}")))?;
    match ignored {
        Some(path) => Err(ApiError::new(StatusCode::BAD_REQUEST, "invalid_body", format!("unknown field {path}"))),
        None => Ok(decoded),
    }
}

impl<S, T> axum::extract::FromRequest<S> for ApiJson<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        match read_json(req, state).await? {
            Some(value) => decode(value).map(Self),
            None => Err(ApiError::new(StatusCode::BAD_REQUEST, "invalid_body", "the request body must be a JSON object")),
        }
    }
}

impl<S, T> axum::extract::OptionalFromRequest<S> for ApiJson<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Option<Self>, Self::Rejection> {
        // An absent body (no content type, no bytes) or `null` is "no body"; anything else must
        // be a JSON object.
        let has_body = req.headers().contains_key(axum::http::header::CONTENT_TYPE)
            || req.headers().get(axum::http::header::CONTENT_LENGTH).is_some_and(|v| v != "0");
        if !has_body {
            return Ok(None);
        }
        read_json(req, state).await?.map(decode).transpose().map(|v| v.map(Self))
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
    use super::has_nul;
    use serde_json::json;

    #[test]
    fn finds_a_nul_in_values_and_keys_but_leaves_the_credential_to_webauthn() {
        assert!(has_nul(&json!({ "login": "a\u{0}b" }), true));
        assert!(has_nul(&json!({ "a": ["x", { "b": "\u{0}" }] }), true));
        assert!(has_nul(&json!({ "a\u{0}": 1 }), true));
        assert!(!has_nul(&json!({ "login": "a\\u0000b" }), true));
        assert!(!has_nul(&json!({ "credential": { "id": "\u{0}" } }), true));
        assert!(has_nul(&json!({ "x": { "credential": "\u{0}" } }), true));
    }
}
