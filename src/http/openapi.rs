//! The OpenAPI 3.1 document of the HTTP API, assembled from the handlers' `#[utoipa::path]`
//! annotations and the view types (`crate::views`), served at `/api/v1/openapi.json`, and a
//! Swagger UI page at `/api/v1/docs/` whose files are compiled into the binary (no CDN, nothing
//! fetched at build or run time).

use std::sync::OnceLock;

use axum::Router;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use utoipa::openapi::RefOr;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::auth::{ACCESS_COOKIE, CSRF_COOKIE, CSRF_HEADER};
use super::responses::error_response;
use super::{metrics, routes_admin, routes_audit, routes_auth, routes_factors, routes_me, routes_meta, routes_vault};

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
        routes_meta::auth_config,
        routes_auth::register,
        routes_auth::login,
        routes_auth::refresh,
        routes_auth::second_factor,
        routes_auth::reauth,
        routes_auth::reauth_options,
        routes_auth::passwordless_options,
        routes_auth::passkey_sign_in,
        routes_auth::logout,
        routes_me::get_me,
        routes_me::patch_me,
        routes_me::change_password,
        routes_me::sessions,
        routes_me::revoke_others,
        routes_me::revoke_session,
        routes_audit::my_activity,
        routes_factors::status,
        routes_factors::start_totp,
        routes_factors::confirm_totp,
        routes_factors::disable_totp,
        routes_factors::regenerate_recovery_codes,
        routes_factors::passkey_registration_options,
        routes_factors::register_passkey,
        routes_factors::list_passkeys,
        routes_factors::rename_passkey,
        routes_factors::remove_passkey,
        routes_vault::list,
        routes_vault::create,
        routes_vault::codes,
        routes_vault::create_from_qr,
        routes_vault::reorder,
        routes_vault::get_one,
        routes_vault::update,
        routes_vault::delete,
        routes_vault::restore,
        routes_vault::hotp_next,
        routes_vault::secret,
        routes_admin::list_users,
        routes_admin::create_user,
        routes_admin::get_user,
        routes_admin::patch_user,
        routes_admin::delete_user,
        routes_admin::reset_password,
        routes_admin::reset_second_factors,
        routes_admin::action,
        routes_admin::get_settings,
        routes_admin::patch_settings,
        routes_audit::audit,
        serve_openapi,
        metrics::render,
        routes_meta::healthz,
        routes_meta::readyz,
    ),
    // Schemas used only by path parameters are not collected on their own.
    components(schemas(crate::views::errors::ErrorBody, crate::views::admin::UserAction)),
    modifiers(&SecuritySchemes, &RequestShapeErrors, &ServerErrors),
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

/// The document as served: [`document`] with every free-text string (one without a pattern,
/// enum or binary format) ruling out U+0000, which the server refuses at the boundary (see
/// `router::refuse_nul` and `extract::ApiJson`): the schema must not accept what the server rejects.
pub fn document_json() -> serde_json::Value {
    let mut doc = serde_json::to_value(document()).unwrap_or_default();
    closed_objects(&mut doc);
    input_rules(&mut doc);
    no_nul_in_strings(&mut doc);
    doc
}

/// Every object schema with declared properties is closed (`additionalProperties: false`): the
/// server refuses a field it does not know anywhere in a body (`extract::ApiJson`), and answers
/// with exactly the fields its types declare. Free-form objects (no properties) stay open.
fn closed_objects(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(fields) => {
            if fields.contains_key("properties") && !fields.contains_key("additionalProperties") {
                fields.insert("additionalProperties".into(), serde_json::Value::Bool(false));
            }
            fields.values_mut().for_each(closed_objects);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(closed_objects),
        _ => {}
    }
}

/// Control characters (`char::is_control`: Unicode Cc).
const CTL: &str = "\\u0000-\\u001F\\u007F-\\u009F";

/// The characters Rust's `trim` removes (Unicode `White_Space`), for patterns of trimmed fields.
const WS: &str = "\\t-\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000";

/// Rules the server enforces that span fields or list items, which the derive cannot state:
/// "one of these is required", "not on update", Steam's fixed parameters, the domain list.
fn input_rules(doc: &mut serde_json::Value) {
    use serde_json::json;
    let reference = |name: &str| json!({ "$ref": format!("#/components/schemas/{name}") });
    let not_blank = json!({ "pattern": format!("[^{WS}]") });
    // The QR upload takes its two fields only (`routes_vault::create_from_qr`).
    if let Some(upload) = doc.pointer_mut("/components/schemas/QrUpload") {
        upload["additionalProperties"] = json!(false);
    }
    // Steam fixes 5 digits and SHA1; the other types take 6–8 digits (`OtpParams::validate`).
    let otp_rule = json!({
        "if": { "properties": { "otp_type": { "const": "steam" } }, "required": ["otp_type"] },
        "then": { "properties": { "digits": { "enum": [5, null] }, "algorithm": { "enum": ["SHA1", null] } } },
        "else": { "properties": { "digits": { "minimum": 6 } } }
    });
    // "Given" means present and not null: the server reads null as absent.
    let given = |field: &str, kind: &str| json!({ "required": [field], "properties": { field: { "type": kind } } });
    let bodies = [
        // Create: a URI, or a secret with an issuer or a label to show.
        ("/api/v1/applications", "post", json!({
            "allOf": [reference("AppBody"), otp_rule.clone()],
            "anyOf": [
                given("uri", "string"),
                { "allOf": [given("secret", "string")], "anyOf": [
                    { "required": ["issuer"], "properties": { "issuer": { "type": "string", "pattern": not_blank["pattern"] } } },
                    { "required": ["label"], "properties": { "label": { "type": "string", "pattern": not_blank["pattern"] } } }
                ] }
            ]
        })),
        // Update: everything but the URI, which only creates.
        ("/api/v1/applications/{id}", "patch", json!({ "allOf": [reference("AppBody"), otp_rule], "not": given("uri", "string") })),
        // Exactly one proof: the password, or a passkey's credential (with its ceremony).
        ("/api/v1/auth/reauth", "post", json!({ "allOf": [reference("ReauthBody")], "anyOf": [
            { "allOf": [given("password", "string")], "properties": { "ceremony": { "type": "null" }, "credential": { "type": "null" } } },
            { "allOf": [given("credential", "object")], "properties": { "password": { "type": "null" } } }
        ] })),
        // Exactly one of the two codes.
        ("/api/v1/me/totp", "delete", json!({ "allOf": [reference("DisableTotpBody")], "anyOf": [
            { "allOf": [given("code", "string")], "properties": { "recovery_code": { "type": "null" } } },
            { "allOf": [given("recovery_code", "string")], "properties": { "code": { "type": "null" } } }
        ] })),
    ];
    for (path, method, schema) in bodies {
        if let Some(slot) = doc.pointer_mut(&format!("/paths/{}/{method}/requestBody/content/application~1json/schema", path.replace('/', "~1"))) {
            *slot = schema;
        }
    }
    // Each tag as `clean_tags` takes it: trimmed, at most 64 characters, no control character.
    if let Some(tags) = doc.pointer_mut("/components/schemas/AppBody/properties/tags/items") {
        tags["pattern"] = json!(format!("^[{WS}]*(?:[^{WS}{CTL}](?:[^{CTL}]{{0,62}}[^{WS}{CTL}])?)?[{WS}]*$"));
    }
    // `valid_domain` in the settings aggregate: lower-case, a dot, not starting with a dot or a
    // hyphen, not ending with a dot; at most 100 of them.
    if let Some(domains) = doc.pointer_mut("/components/schemas/SignupPolicy/properties/allowed_domains") {
        domains["maxItems"] = json!(100);
        domains["items"] = json!({ "type": "string", "maxLength": 253, "pattern": "^[a-z0-9][a-z0-9.-]*\\.[a-z0-9.-]*[a-z0-9-]$" });
    }
}

/// The served document states the password policy in force (the committed one, the default).
pub fn with_password_policy(mut doc: serde_json::Value, policy: aggregates::settings::PasswordPolicy) -> serde_json::Value {
    for field in ["/RegisterBody/properties/password", "/CreateUser/properties/password", "/ResetPassword/properties/password", "/ChangePassword/properties/new_password"] {
        if let Some(schema) = doc.pointer_mut(&format!("/components/schemas{field}")) {
            schema["minLength"] = serde_json::json!(policy.min_length);
            schema["maxLength"] = serde_json::json!(policy.max_length);
        }
    }
    doc
}

/// Adds `pattern: ^[^\u0000]*$` to the string schemas that do not constrain their text already.
fn no_nul_in_strings(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(fields) => {
            let is_string = match fields.get("type") {
                Some(serde_json::Value::String(t)) => t == "string",
                Some(serde_json::Value::Array(ts)) => ts.iter().any(|t| t == "string"),
                _ => false,
            };
            let constrained = ["pattern", "enum", "const"].iter().any(|k| fields.contains_key(*k))
                || fields.get("format").is_some_and(|f| f == "binary" || f == "date-time" || f == "uuid");
            if is_string && !constrained {
                fields.insert("pattern".into(), serde_json::Value::String("^[^\\u0000]*$".into()));
            }
            fields.values_mut().for_each(no_nul_in_strings);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(no_nul_in_strings),
        _ => {}
    }
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

/// Every operation of the document, mutably.
fn operations(openapi: &mut utoipa::openapi::OpenApi) -> impl Iterator<Item = (&String, &mut Operation)> {
    openapi.paths.paths.iter_mut().flat_map(|(path, item)| {
        [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch].into_iter().flatten().map(move |op| (path, op))
    })
}

/// The answers the extractors give, whichever handler they serve: a JSON body that does not
/// parse or fit (400), is too large (413) or is not JSON (415); a query string or a path segment
/// that does not parse (400). They follow from the operation's shape, so they are added here
/// rather than written on each handler; a handler's own 400 row gets the codes appended.
struct RequestShapeErrors;

impl Modify for RequestShapeErrors {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for (_, op) in operations(openapi) {
            let json_body = op.request_body.as_ref().is_some_and(|b| b.content.contains_key("application/json"));
            let has = |place: ParameterIn| op.parameters.iter().flatten().any(|p| p.parameter_in == place);
            let mut bad_request = Vec::new();
            if json_body {
                bad_request.push(("malformed_json", "`malformed_json` or `invalid_body` (wrong shape or unknown field)"));
            }
            if has(ParameterIn::Query) {
                bad_request.push(("invalid_query", "`invalid_query` (a query parameter that does not parse or is unknown)"));
            }
            if has(ParameterIn::Path) {
                bad_request.push(("invalid_path", "`invalid_path` (a path segment that is not UTF-8)"));
            }
            let responses = &mut op.responses.responses;
            for (code, phrase) in bad_request {
                match responses.get_mut("400") {
                    Some(RefOr::T(existing)) if existing.description.contains(code) => {}
                    Some(RefOr::T(existing)) => existing.description = format!("{phrase}; {}", existing.description),
                    _ => {
                        responses.insert("400".into(), error_response(phrase).into());
                    }
                }
            }
            if json_body {
                responses.entry("413".into()).or_insert_with(|| error_response("`body_too_large`: over 64 KiB").into());
                responses
                    .entry("415".into())
                    .or_insert_with(|| error_response("`unsupported_media_type`: the body must be `application/json`").into());
            }
        }
    }
}

/// Every operation that does work can fail with a 500 (a bug, logged; the client learns nothing
/// more) and with a 503 while the database is unreachable.
struct ServerErrors;

impl Modify for ServerErrors {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for (path, op) in operations(openapi) {
            // These answer from memory and cannot fail (`/metrics` leaves out the database
            // figures when the database is down).
            if ["/healthz", "/metrics", OPENAPI_PATH].contains(&path.as_str()) {
                continue;
            }
            let responses = &mut op.responses.responses;
            responses
                .entry("503".into())
                .or_insert_with(|| error_response("`database_unavailable`: the database is unreachable; try again shortly").into());
            responses.entry("500".into()).or_insert_with(|| error_response("`internal_error`: a bug; the details are in the server log").into());
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
pub async fn serve_openapi(state: super::state::St) -> Response {
    // Built once; only the password policy's bounds follow the settings (the default policy's
    // while the database is unreachable).
    static DOC: OnceLock<serde_json::Value> = OnceLock::new();
    let doc = DOC.get_or_init(document_json).clone();
    let policy = state.app.current_settings().await.map(|s| s.password).unwrap_or_default();
    ([(CONTENT_TYPE, "application/json")], with_password_policy(doc, policy).to_string()).into_response()
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
    // The page shares the vault's origin, so it gets the vault's own tight policy: its own scripts
    // and style sheets only. The few style attributes Swagger UI's components set are refused
    // (cosmetic: collapsed sections still collapse through its style sheet).
    router.layer(axum::middleware::map_response(|mut res: axum::response::Response| async move {
        res.headers_mut().insert(axum::http::header::CONTENT_SECURITY_POLICY, axum::http::HeaderValue::from_static(DOCS_CSP));
        res
    }))
}

/// Content Security Policy of the docs page.
pub const DOCS_CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

#[cfg(test)]
mod tests {
    /// The UI's API types are generated from `frontend/openapi.json` (`npm run gen:api`), so that
    /// copy must be this document: run with `AUTHNODE_UPDATE_OPENAPI=1` to rewrite it.
    #[test]
    fn the_committed_document_is_current() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("frontend/openapi.json");
        let doc = super::with_password_policy(super::document_json(), aggregates::settings::PasswordPolicy::default());
        let current = format!("{}\n", serde_json::to_string_pretty(&doc).expect("the document serialises"));
        if std::env::var_os("AUTHNODE_UPDATE_OPENAPI").is_some() {
            std::fs::write(&path, &current).expect("write frontend/openapi.json");
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == current,
            "frontend/openapi.json is not the server's OpenAPI document: run `AUTHNODE_UPDATE_OPENAPI=1 cargo test -p authnode --lib openapi`, then `npm run gen:api` in frontend/"
        );
    }
}
