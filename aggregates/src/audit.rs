//! How the audit trail classifies an event.

use serde::{Deserialize, Serialize};

/// Whether an event records a change that happened or a refused attempt (PCI DSS v4 10.2.2 asks
/// every audit record to say which).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Outcome {
    /// The change happened.
    Success,
    /// A refused attempt (e.g. a failed sign-in).
    Failure,
}

crate::wire::wire_names!(Outcome { Success => "success", Failure => "failure" });
