//! The one error shape: `{"error":{"code","message","field"?}}`.

use serde::Serialize;
use utoipa::ToSchema;

/// The body of every error answer.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"error": {"code": "invalid_field", "message": "must be 1–500", "field": "limit"}}))]
pub struct ErrorBody {
    /// What went wrong.
    pub error: ErrorDetail,
}

/// What went wrong, for programs (`code`, stable) and for people (`message`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable `snake_case` code, e.g. `invalid_field`, `unauthenticated`, `application_not_found`.
    pub code: String,
    /// Human-readable; may change between versions, so programs should match on `code`.
    pub message: String,
    /// The request field at fault, when there is one (absent otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = String, required = false)]
    pub field: Option<String>,
}
