//! `GET /auth/config`: what a sign-in screen must know before anyone is signed in.

use aggregates::settings::SignupMode;
use axum::Json;
use serde::Serialize;

use super::St;
use super::error::ApiError;

/// Public facts for the sign-in screen; nothing here identifies any account.
#[derive(Serialize, utoipa::ToSchema)]
pub struct AuthConfig {
    /// No account exists yet: the next registration creates the first administrator.
    pub setup_required: bool,
    /// Anyone may register (`signup.mode` is `open`).
    pub signup_open: bool,
    /// The password policy's minimum length, for the form's hint.
    pub password_min_length: u32,
    /// The password policy's maximum length.
    pub password_max_length: u32,
}

/// What the sign-in screen offers: first-run setup, self-registration, password rules.
#[utoipa::path(
    get,
    path = "/api/v1/auth/config",
    tag = "auth",
    responses(
        (status = 200, description = "Public sign-in configuration", body = AuthConfig),
        (status = 503, description = "`database_unavailable`", body = super::openapi::ErrorBody)
    )
)]
pub async fn auth_config(state: St) -> Result<Json<AuthConfig>, ApiError> {
    let settings = state.app.current_settings().await?;
    let setup_required = state.app.count_users().await? == 0;
    Ok(Json(AuthConfig {
        setup_required,
        signup_open: setup_required || settings.signup.mode == SignupMode::Open,
        password_min_length: settings.password.min_length,
        password_max_length: settings.password.max_length,
    }))
}
