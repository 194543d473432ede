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

/// JSON body extractor.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiJson<T>(pub T);

impl<S, T> axum::extract::FromRequest<S> for ApiJson<T>
where
    Json<T>: axum::extract::FromRequest<S, Rejection = JsonRejection>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        Json::<T>::from_request(req, state).await.map(|Json(v)| Self(v)).map_err(ApiError::from)
    }
}

impl<S, T> axum::extract::OptionalFromRequest<S> for ApiJson<T>
where
    Json<T>: axum::extract::FromRequest<S, Rejection = JsonRejection>,
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
