//! Public facts and operational answers: the sign-in configuration and the health probes.

use serde::Serialize;
use utoipa::ToSchema;

/// Public facts for the sign-in screen; nothing here identifies any account.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AuthConfig {
    /// No account exists yet: the next registration creates the first administrator.
    pub setup_required: bool,
    /// Anyone may register (`signup.mode` is `open`, or no account exists yet).
    pub signup_open: bool,
    /// The password policy's minimum length, for the form's hint.
    pub password_min_length: u32,
    /// The password policy's maximum length.
    pub password_max_length: u32,
}

/// `/healthz` (`ok`: the process is up) and `/readyz` (`ready`: the database answers).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HealthStatus {
    /// `ok` or `ready`.
    pub status: String,
}
