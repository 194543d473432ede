//! The caller's vault: applications (2FA accounts), their codes, order and trash.

use aggregates::application::{Algorithm, OtpType};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use zeroize::Zeroizing;

/// `GET /applications` filters.
#[derive(Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// Case-insensitive search in issuer, label and tags.
    #[serde(default)]
    pub q: Option<String>,
    /// Only applications with this tag (case-insensitive).
    #[serde(default)]
    pub tag: Option<String>,
    /// Only favourites (`true`) or only the others (`false`).
    #[serde(default)]
    pub favorite: Option<bool>,
    /// `true`: the trash instead of the vault.
    #[serde(default)]
    pub trashed: Option<bool>,
}

/// Create or update body. On create, either `uri` or `secret` is required. On update, an
/// absent field is kept and an empty string clears `notes`, `url`, `icon` or `color`.
#[derive(Deserialize, Default, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AppBody {
    /// An `otpauth://totp/…` or `otpauth://hotp/…` URI (create only).
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub uri: Option<Zeroizing<String>>,
    /// Service name, e.g. `GitHub`.
    #[serde(default)]
    #[schema(pattern = r#"^[\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*(?:[^\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\u0000-\u001F\u007F-\u009F](?:[^\u0000-\u001F\u007F-\u009F]{0,253}[^\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\u0000-\u001F\u007F-\u009F])?)?[\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"#)]
    pub issuer: Option<String>,
    /// Account name at the service, e.g. an email address.
    #[serde(default)]
    #[schema(pattern = r#"^[\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*(?:[^\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\u0000-\u001F\u007F-\u009F](?:[^\u0000-\u001F\u007F-\u009F]{0,253}[^\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\u0000-\u001F\u007F-\u009F])?)?[\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"#)]
    pub label: Option<String>,
    /// Base32 secret (spaces and case ignored); never returned.
    #[serde(default)]
    #[schema(value_type = Option<String>, min_length = 1, pattern = r#"^[A-Za-z2-7=\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000-]*$"#)]
    pub secret: Option<Zeroizing<String>>,
    /// OTP scheme (default `totp`; `steam` implies 5 digits).
    #[serde(default)]
    pub otp_type: Option<OtpType>,
    /// HMAC hash (default `SHA1`, as RFC 4226/6238).
    #[serde(default)]
    pub algorithm: Option<Algorithm>,
    /// Code length: 6–8 (Steam: 5, the only length it allows).
    #[serde(default)]
    #[schema(minimum = 5, maximum = 8)]
    pub digits: Option<u8>,
    /// Time step in seconds, 1–300 (default 30; kept but unused for HOTP).
    #[serde(default)]
    #[schema(minimum = 1, maximum = 300)]
    pub period: Option<u32>,
    /// HOTP counter (default 0).
    #[serde(default)]
    #[schema(maximum = 9_223_372_036_854_775_807_u64)]
    pub counter: Option<u64>,
    /// Free labels for filtering.
    #[serde(default)]
    pub tags: Option<Vec<String>>,
    /// Favourites can be filtered on.
    #[serde(default)]
    pub favorite: Option<bool>,
    /// Notes, at most 10,000 characters (stored encrypted).
    #[serde(default)]
    #[schema(max_length = 10000)]
    pub notes: Option<String>,
    /// Web address of the service.
    #[serde(default)]
    #[schema(pattern = r#"^[\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*(?:[Hh][Tt][Tt][Pp][Ss]?://[^\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\u0000-\u001F\u007F-\u009F]*)?[\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"#)]
    pub url: Option<String>,
    /// Icon name or URL.
    #[serde(default)]
    #[schema(pattern = r#"^[\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[A-Za-z0-9._-]{0,64}[\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"#)]
    pub icon: Option<String>,
    /// Card colour.
    #[serde(default)]
    #[schema(pattern = r#"^[\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*(?:#[0-9A-Fa-f]{6})?[\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"#)]
    pub color: Option<String>,
    /// Create only: add a secret shorter than 80 bits anyway (it is refused with
    /// `secret_too_short` otherwise; RFC 4226 §4 asks for 128 bits and recommends 160).
    #[serde(default)]
    pub allow_short_secret: Option<bool>,
}

/// A multipart upload of a QR picture.
#[derive(ToSchema)]
pub struct QrUpload {
    /// PNG or JPEG picture holding an `otpauth://` QR code (at most 2 MiB, 8000 px a side and 12 megapixels).
    #[schema(value_type = String, format = Binary)]
    pub image: Vec<u8>,
    /// `true` adds a secret shorter than 80 bits anyway (see `AppBody.allow_short_secret`).
    #[schema(value_type = bool)]
    pub allow_short_secret: Option<String>,
}

/// An application (never its secret).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApplicationView {
    /// Application id.
    #[schema(format = "uuid")]
    pub id: String,
    /// Service name.
    pub issuer: String,
    /// Account name at the service.
    pub label: String,
    /// OTP scheme.
    pub otp_type: OtpType,
    /// HMAC algorithm.
    pub algorithm: Algorithm,
    /// Code length.
    pub digits: i64,
    /// Time step in seconds (TOTP, Steam).
    pub period: i64,
    /// HOTP counter: the code shown is for this value.
    pub counter: i64,
    /// Free labels.
    pub tags: Vec<String>,
    /// Favourite.
    pub favorite: bool,
    /// Place in the caller's order (0 first).
    pub position: i64,
    /// Notes (stored encrypted, opened for the owner only).
    #[schema(required = true)]
    pub notes: Option<String>,
    /// Web address of the service.
    #[schema(required = true)]
    pub url: Option<String>,
    /// Icon name or URL.
    #[schema(required = true)]
    pub icon: Option<String>,
    /// Card colour.
    #[schema(required = true)]
    pub color: Option<String>,
    /// When it was moved to the trash; null while it is in the vault.
    #[schema(required = true, format = DateTime)]
    pub trashed_at: Option<String>,
    /// Creation time.
    #[schema(format = DateTime)]
    pub created_at: String,
    /// Time of the last change.
    #[schema(format = DateTime)]
    pub updated_at: String,
}

/// `{application}`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApplicationEnvelope {
    /// The application.
    pub application: ApplicationView,
}

/// `{applications}`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApplicationList {
    /// Applications in the caller's order.
    pub applications: Vec<ApplicationView>,
}

/// `DELETE /applications/{id}` options.
#[derive(Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DeleteQuery {
    /// `true`: delete for good instead of moving to the trash.
    #[serde(default)]
    pub purge: bool,
}

/// `PUT /applications/order`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderBody {
    /// Application ids in the wanted order.
    pub ids: Vec<String>,
}

/// The code after stepping an HOTP counter.
#[derive(Debug, Clone, Serialize, ToSchema)]
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

/// Codes of one application.
#[derive(Debug, Clone, Serialize, ToSchema)]
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

/// `GET /applications/codes`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CodesResponse {
    /// Server time in Unix milliseconds (for clock-skew correction).
    pub server_time: i64,
    /// One entry per application not in the trash, in the caller's order.
    pub codes: Vec<CodeView>,
}
