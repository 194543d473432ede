//! The OpenAPI 3 description of the HTTP API, generated from the handlers' `#[utoipa::path]`
//! annotations and the request types, served at `/api/v1/openapi.json`, and a Swagger UI page at
//! `/api/v1/docs/` whose files are compiled into the binary (no CDN, nothing fetched at build or
//! run time).
//!
//! Most handlers assemble their JSON with `serde_json::json!`, so the response shapes are
//! described here by documentation-only structs; `tests/api.rs` checks real responses against
//! them, so a drift between the two fails the tests.

use std::sync::OnceLock;

use aggregates::application::{Algorithm, OtpType};
use aggregates::settings::{LockoutPolicy, PasswordPolicy, SessionPolicy, SignupPolicy, SmtpSecurity, TwoFactorPolicy};
use aggregates::user::{LoginMethod, Preferences, Role};
use axum::Router;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
use utoipa::{Modify, OpenApi, ToSchema};

use super::auth::{ACCESS_COOKIE, CSRF_COOKIE, CSRF_HEADER};

/// Where the document is served (the Swagger UI page loads it from here).
pub const OPENAPI_PATH: &str = "/api/v1/openapi.json";
/// Where the docs page is served.
pub const DOCS_PATH: &str = "/api/v1/docs";

/// The OpenAPI document of the API.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "AuthNode",
        description = "Self-hosted multi-user vault for TOTP/HOTP secrets, event-sourced. Every error is \
                       `{\"error\":{\"code\",\"message\",\"field\"?}}` with a fitting status; another user's object is a 404. \
                       Browsers authenticate with the `authnode_access` cookie and must echo the `authnode_csrf` cookie in \
                       `X-CSRF-Token` on unsafe requests; API clients send `Authorization: Bearer <access_token>`."
    ),
    paths(
        super::routes_meta::auth_config,
        super::routes_auth::register,
        super::routes_auth::login,
        super::routes_auth::refresh,
        super::routes_auth::logout,
        super::routes_me::get_me,
        super::routes_me::patch_me,
        super::routes_me::change_password,
        super::routes_me::sessions,
        super::routes_me::revoke_others,
        super::routes_me::revoke_session,
        super::routes_audit::my_activity,
        super::routes_vault::list,
        super::routes_vault::create,
        super::routes_vault::codes,
        super::routes_vault::create_from_qr,
        super::routes_vault::reorder,
        super::routes_vault::get_one,
        super::routes_vault::update,
        super::routes_vault::delete,
        super::routes_vault::restore,
        super::routes_vault::hotp_next,
        super::routes_admin::list_users,
        super::routes_admin::create_user,
        super::routes_admin::get_user,
        super::routes_admin::patch_user,
        super::routes_admin::delete_user,
        super::routes_admin::reset_password,
        super::routes_admin::action,
        super::routes_admin::get_settings,
        super::routes_admin::patch_settings,
        super::routes_audit::audit,
        serve_openapi,
        super::metrics::render,
        crate::server::healthz,
        crate::server::readyz,
    ),
    // Schemas used only by path parameters are not collected on their own.
    components(schemas(ErrorBody, UserAction)),
    modifiers(&SecuritySchemes, &ServerErrors),
    tags(
        (name = "auth", description = "Sign-up, sign-in, token refresh, sign-out"),
        (name = "me", description = "The caller's profile, password, sessions and activity"),
        (name = "applications", description = "The caller's vault"),
        (name = "admin", description = "User management and settings (admins)"),
        (name = "audit", description = "The audit log (admins and auditors)"),
        (name = "operations", description = "Health, readiness, metrics and this document"),
    )
)]
pub struct ApiDoc;

/// The document (its `info.version` is this crate's `CARGO_PKG_VERSION`, filled in by the derive).
pub fn document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// The two ways to present an access token.
struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some("The `access_token` from sign-in or refresh."))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "cookie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                ACCESS_COOKIE.to_owned(),
                format!("Set by sign-in for browsers. Unsafe methods must also send the `{CSRF_COOKIE}` cookie's value in `{CSRF_HEADER}`."),
            ))),
        );
    }
}

/// Every operation that does work can fail with a 500 (a bug, logged; the client learns nothing
/// more) and with a 503 while the database is unreachable. Adding them here rather than in each
/// annotation keeps the annotations about what is particular to each handler.
struct ServerErrors;

impl Modify for ServerErrors {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let error = || ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build();
        for (path, item) in &mut openapi.paths.paths {
            let operations = [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch];
            for operation in operations.into_iter().flatten() {
                let responses = &mut operation.responses.responses;
                // These answer from memory and cannot fail (`/metrics` leaves out the database
                // figures when the database is down).
                if ["/healthz", "/metrics", OPENAPI_PATH].contains(&path.as_str()) {
                    continue;
                }
                responses.entry("503".into()).or_insert_with(|| {
                    ResponseBuilder::new()
                        .description("`database_unavailable`: the database is unreachable; try again shortly")
                        .content("application/json", error())
                        .build()
                        .into()
                });
                responses.entry("500".into()).or_insert_with(|| {
                    ResponseBuilder::new()
                        .description("`internal_error`: a bug; the details are in the server log")
                        .content("application/json", error())
                        .build()
                        .into()
                });
            }
        }
    }
}

/// `GET /api/v1/openapi.json`: this document.
#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    tag = "operations",
    responses((status = 200, description = "The OpenAPI document", content_type = "application/json", body = Object))
)]
pub async fn serve_openapi() -> Response {
    // Built once: the document never changes while the process runs.
    static JSON: OnceLock<String> = OnceLock::new();
    let json = JSON.get_or_init(|| document().to_json().unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}")));
    ([(CONTENT_TYPE, "application/json")], json.as_str()).into_response()
}

/// The Swagger UI page at `/api/v1/docs/` and its assets, served from files embedded in the
/// binary. Mounted on the outer router because its redirect and file URLs are absolute.
pub fn docs_router<S: Clone + Send + Sync + 'static>() -> Router<S> {
    let config = utoipa_swagger_ui::Config::new([OPENAPI_PATH])
        // Swagger UI otherwise sends the document to validator.swagger.io and shows its badge.
        .validator_url("none")
        .try_it_out_enabled(true)
        .persist_authorization(false);
    let router: Router<S> = utoipa_swagger_ui::SwaggerUi::new(DOCS_PATH).config(config).into();
    // The page shares the vault's origin, so it gets a policy as tight as Swagger UI allows: its
    // own scripts only (it has no inline script), inline styles (its components set them).
    router.layer(axum::middleware::map_response(|mut res: axum::response::Response| async move {
        res.headers_mut().insert(axum::http::header::CONTENT_SECURITY_POLICY, axum::http::HeaderValue::from_static(DOCS_CSP));
        res
    }))
}

/// Content Security Policy of the docs page.
pub const DOCS_CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; \
     connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The body of every error answer.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({"error": {"code": "invalid_field", "message": "must be 1–500", "field": "limit"}}))]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// What went wrong.
#[derive(Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable `snake_case` code, e.g. `invalid_field`, `unauthenticated`, `application_not_found`.
    pub code: String,
    /// Human-readable message.
    pub message: String,
    /// The request field at fault, when there is one (absent otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = String, required = false)]
    pub field: Option<String>,
}

/// A user as the API shows it (never the password hash).
#[derive(Serialize, ToSchema)]
pub struct UserView {
    /// User id.
    #[schema(format = "uuid")]
    pub id: String,
    /// Email address (lower-case).
    pub email: String,
    /// User name (lower-case).
    pub username: String,
    /// Display name (may be empty).
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// Whether the account is disabled.
    pub disabled: bool,
    /// Locked by too many failed sign-ins until then.
    #[schema(required = true, format = DateTime)]
    pub locked_until: Option<String>,
    /// Display preferences.
    pub preferences: Preferences,
    /// Creation time.
    #[schema(format = DateTime)]
    pub created_at: String,
    /// Last change.
    #[schema(format = DateTime)]
    pub updated_at: String,
    /// Last successful sign-in.
    #[schema(required = true, format = DateTime)]
    pub last_login_at: Option<String>,
}

/// `{user}`.
#[derive(Serialize, ToSchema)]
pub struct UserEnvelope {
    /// The user.
    pub user: UserView,
}

/// `{users}`.
#[derive(Serialize, ToSchema)]
pub struct UserList {
    /// Users by creation time (at most 500).
    pub users: Vec<UserView>,
}

/// Always `Bearer`.
#[derive(Serialize, ToSchema)]
pub enum TokenType {
    /// RFC 6750 bearer token.
    Bearer,
}

/// A started or refreshed session. The same tokens are also set as cookies
/// (`authnode_access`, `authnode_refresh`, `authnode_csrf`).
#[derive(Serialize, ToSchema)]
pub struct SessionTokens {
    /// JWT access token for `Authorization: Bearer`.
    pub access_token: String,
    /// Token type.
    pub token_type: TokenType,
    /// Access-token lifetime in seconds.
    pub expires_in: u32,
    /// Refresh token (single use: each refresh returns a new one).
    pub refresh_token: String,
    /// Session id.
    #[schema(format = "uuid")]
    pub session_id: String,
    /// Value of the `authnode_csrf` cookie, for `X-CSRF-Token`.
    pub csrf_token: String,
    /// The signed-in user.
    pub user: UserView,
}

/// One live session of the caller.
#[derive(Serialize, ToSchema)]
pub struct SessionView {
    /// Whether this is the session making the request.
    pub current: bool,
    /// Session id.
    #[schema(format = "uuid")]
    pub id: String,
    /// How it was started.
    pub method: LoginMethod,
    /// Start time.
    #[schema(format = DateTime)]
    pub started_at: String,
    /// Last token refresh.
    #[schema(required = true, format = DateTime)]
    pub refreshed_at: Option<String>,
    /// When it ends unless refreshed.
    #[schema(format = DateTime)]
    pub expires_at: String,
    /// Client address at start.
    #[schema(required = true)]
    pub ip: Option<String>,
    /// Client user agent at start.
    #[schema(required = true)]
    pub user_agent: Option<String>,
}

/// `{sessions}`.
#[derive(Serialize, ToSchema)]
pub struct SessionList {
    /// Live sessions, newest first.
    pub sessions: Vec<SessionView>,
}

/// An application (never its secret).
#[derive(Serialize, ToSchema)]
pub struct ApplicationView {
    /// Application id.
    #[schema(format = "uuid")]
    pub id: String,
    /// Issuer (service name).
    pub issuer: String,
    /// Account label.
    pub label: String,
    /// OTP scheme.
    pub otp_type: OtpType,
    /// HMAC algorithm.
    pub algorithm: Algorithm,
    /// Code length.
    pub digits: i64,
    /// Time step in seconds (TOTP, Steam).
    pub period: i64,
    /// HOTP counter.
    pub counter: i64,
    /// Tags.
    pub tags: Vec<String>,
    /// Favourite.
    pub favorite: bool,
    /// Place in the caller's order (0 first).
    pub position: i64,
    /// Notes (stored encrypted).
    #[schema(required = true)]
    pub notes: Option<String>,
    /// Web address of the service.
    #[schema(required = true)]
    pub url: Option<String>,
    /// Icon name or URL.
    #[schema(required = true)]
    pub icon: Option<String>,
    /// Colour.
    #[schema(required = true)]
    pub color: Option<String>,
    /// When it was moved to the trash.
    #[schema(required = true, format = DateTime)]
    pub trashed_at: Option<String>,
    /// Creation time.
    #[schema(format = DateTime)]
    pub created_at: String,
    /// Last change.
    #[schema(format = DateTime)]
    pub updated_at: String,
}

/// `{application}`.
#[derive(Serialize, ToSchema)]
pub struct ApplicationEnvelope {
    /// The application.
    pub application: ApplicationView,
}

/// `{applications}`.
#[derive(Serialize, ToSchema)]
pub struct ApplicationList {
    /// Applications in the caller's order.
    pub applications: Vec<ApplicationView>,
}

/// Codes of one application.
#[derive(Serialize, ToSchema)]
pub struct CodeView {
    /// Application id.
    #[schema(format = "uuid")]
    pub id: String,
    /// The current code.
    pub code: String,
    /// The next code (next period, or next counter for HOTP).
    pub next_code: String,
    /// Period in seconds (0 for HOTP).
    pub period: u32,
    /// Seconds until the current code changes (0 for HOTP).
    pub remaining: u32,
}

/// `GET /api/v1/applications/codes`.
#[derive(Serialize, ToSchema)]
pub struct CodesResponse {
    /// Server time in Unix milliseconds (for clock-skew correction).
    pub server_time: i64,
    /// One entry per application not in the trash, in the caller's order.
    pub codes: Vec<CodeView>,
}

/// The code after stepping an HOTP counter.
#[derive(Serialize, ToSchema)]
pub struct HotpNext {
    /// Application id.
    #[schema(format = "uuid")]
    pub id: String,
    /// The new counter value.
    pub counter: u64,
    /// Code for the new counter.
    pub code: String,
    /// Code for the counter after it.
    pub next_code: String,
}

/// A multipart upload of a QR picture.
#[derive(ToSchema)]
pub struct QrUpload {
    /// PNG or JPEG picture holding an `otpauth://` QR code (at most 2 MiB, 6000×6000 px).
    #[schema(value_type = String, format = Binary)]
    pub image: Vec<u8>,
}

/// Whether an audit entry records a success or a refused attempt.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The change happened.
    Success,
    /// A refused attempt (e.g. a failed sign-in).
    Failure,
}

/// One event of the log, with secrets and hashes redacted from its payload.
#[derive(Serialize, ToSchema)]
pub struct AuditEntry {
    /// Global position in the log (gap-free, commit order).
    pub position: i64,
    /// When it was recorded.
    #[schema(format = DateTime)]
    pub recorded_at: String,
    /// Who did it.
    #[schema(required = true)]
    pub actor_id: Option<String>,
    /// `anonymous`, `user`, `admin` or `system`.
    pub actor_kind: String,
    /// The user the event is about.
    #[schema(required = true)]
    pub subject_user_id: Option<String>,
    /// `user`, `application`, `settings`, …
    pub aggregate_type: String,
    /// The object's id.
    pub aggregate_id: String,
    /// Past-tense event name, e.g. `ApplicationCreated`.
    pub event_type: String,
    /// Outcome.
    pub outcome: Outcome,
    /// Client address.
    #[schema(required = true)]
    pub ip: Option<String>,
    /// Request id.
    #[schema(required = true)]
    pub request_id: Option<String>,
    /// Client user agent.
    #[schema(required = true)]
    pub user_agent: Option<String>,
    /// Session id.
    #[schema(required = true)]
    pub session_id: Option<String>,
    /// The event payload, `{"<event type>": {…}}`, with secrets replaced by `[redacted]`/`[sealed]`.
    #[schema(value_type = Object)]
    pub payload: serde_json::Value,
}

/// One page of audit entries, newest first.
#[derive(Serialize, ToSchema)]
pub struct AuditPage {
    /// Entries.
    pub entries: Vec<AuditEntry>,
    /// Pass as `before` for the next (older) page; null on the last page.
    #[schema(required = true)]
    pub next_before: Option<i64>,
}

/// Outgoing mail settings (the password is only shown as set or not).
#[derive(Serialize, ToSchema)]
pub struct SmtpView {
    /// Relay host name.
    pub host: String,
    /// Relay port.
    pub port: u16,
    /// Transport security.
    pub security: SmtpSecurity,
    /// Login name.
    #[schema(required = true)]
    pub username: Option<String>,
    /// Whether a password is stored.
    pub password: bool,
    /// The `From:` address.
    pub from: String,
}

/// Single sign-on settings (the client secret is only shown as set or not).
#[derive(Serialize, ToSchema)]
pub struct OidcView {
    /// Issuer URL.
    pub issuer: String,
    /// Client id.
    pub client_id: String,
    /// Whether a client secret is stored.
    pub client_secret: bool,
    /// Scopes requested besides `openid`.
    pub scopes: Vec<String>,
    /// `[provider group, role]` pairs.
    #[schema(value_type = Vec<Vec<String>>)]
    pub group_role_mapping: Vec<(String, String)>,
    /// Create accounts on first SSO login.
    pub auto_provision: bool,
    /// Disable password logins for non-admins.
    pub sso_only: bool,
}

/// The settings.
#[derive(Serialize, ToSchema)]
pub struct SettingsView {
    /// Self-registration policy.
    pub signup: SignupPolicy,
    /// Password rules.
    pub password: PasswordPolicy,
    /// Lockout rules.
    pub lockout: LockoutPolicy,
    /// Session lifetimes.
    pub session: SessionPolicy,
    /// Second-factor enforcement.
    pub two_factor: TwoFactorPolicy,
    /// Outgoing mail, if configured.
    #[schema(required = true)]
    pub smtp: Option<SmtpView>,
    /// SSO provider, if configured.
    #[schema(required = true)]
    pub oidc: Option<OidcView>,
    /// Record an audit event whenever a code is read.
    pub code_access_auditing: bool,
    /// Days audit entries are kept in the query index (null = forever).
    #[schema(required = true)]
    pub audit_retention_days: Option<u32>,
}

/// `{settings}`.
#[derive(Serialize, ToSchema)]
pub struct SettingsEnvelope {
    /// The settings.
    pub settings: SettingsView,
}

/// The admin actions without a body.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum UserAction {
    /// Disable the account (its sessions stop working).
    Disable,
    /// Enable it again.
    Enable,
    /// Lift a lockout.
    Unlock,
    /// End every session of the user.
    RevokeSessions,
}

/// `/healthz` and `/readyz`.
#[derive(Serialize, ToSchema)]
pub struct HealthStatus {
    /// `ok` (process up) or `ready` (database answers).
    pub status: String,
}
