//! Second factors: the sign-in challenge, authenticator app, recovery codes, passkeys, step-up.

use aggregates::user::SecondFactorMethod;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use zeroize::Zeroizing;

use super::auth::SessionTokens;

/// The password was right and the account has a second factor: complete the sign-in at
/// `POST /auth/login/second-factor` with this challenge (no token or cookie is set yet).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SecondFactorChallenge {
    /// Always `true`: tells this answer from a signed-in one.
    pub second_factor_required: bool,
    /// Single-use, bound to this account, valid for `expires_in` seconds.
    #[schema(format = Password)]
    pub challenge: String,
    /// The factors the account can complete the sign-in with.
    pub methods: Vec<SecondFactorMethod>,
    /// Seconds the challenge stays valid (at most 300).
    pub expires_in: u32,
    /// When `methods` has `webauthn`: the options for `navigator.credentials.get()`
    /// (`PublicKeyCredential.parseRequestOptionsFromJSON(webauthn.publicKey)`).
    #[schema(required = true, value_type = Option<Object>)]
    pub webauthn: Option<serde_json::Value>,
}

/// What `POST /auth/login` answers: a session, or a challenge for the second factor.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(untagged)]
pub enum LoginAnswer {
    /// Signed in (the account has no second factor).
    SignedIn(Box<SessionTokens>),
    /// The second factor is still to come.
    SecondFactor(SecondFactorChallenge),
}

/// `POST /auth/login/second-factor`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SecondFactorBody {
    /// The challenge from the password step.
    #[schema(value_type = String, format = Password)]
    pub challenge: Zeroizing<String>,
    /// Which factor completes it.
    pub method: SecondFactorMethod,
    /// For `totp`: the 6-digit code; for `recovery`: a recovery code (spaces and dashes ignored).
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Password)]
    pub code: Option<Zeroizing<String>>,
    /// For `webauthn`: the assertion answering the challenge's `webauthn` options
    /// (`PublicKeyCredential.toJSON()`).
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub credential: Option<serde_json::Value>,
}

/// `POST /me/totp`: a new authenticator-app secret, pending until confirmed with a code.
#[derive(Clone, Serialize, ToSchema)]
pub struct TotpEnrolment {
    /// `otpauth://totp/…` for apps that take a link.
    pub otpauth_uri: String,
    /// The secret in base32, for typing in by hand.
    pub secret: String,
    /// A PNG of the QR code of `otpauth_uri`, base64-encoded.
    pub qr_png_base64: String,
}

impl std::fmt::Debug for TotpEnrolment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TotpEnrolment(..)")
    }
}

/// An authenticator-app code.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TotpCode {
    /// The 6-digit code the app shows now.
    #[schema(value_type = String, pattern = r#"^[\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[0-9]{6}[\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"#)]
    pub code: Zeroizing<String>,
}

/// `DELETE /me/totp`: a current code or a recovery code (one of the two).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DisableTotpBody {
    /// The code the app shows now.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub code: Option<Zeroizing<String>>,
    /// A recovery code instead (the app is lost).
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub recovery_code: Option<Zeroizing<String>>,
}

/// A new set of recovery codes: shown this once, stored only as keyed hashes.
#[derive(Clone, Serialize, ToSchema)]
pub struct RecoveryCodesView {
    /// Ten single-use codes.
    pub recovery_codes: Vec<String>,
}

impl std::fmt::Debug for RecoveryCodesView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "RecoveryCodesView({} codes)", self.recovery_codes.len())
    }
}

/// A registered passkey (never its credential).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PasskeyView {
    /// The credential id (base64url).
    pub id: String,
    /// The owner's name for it.
    pub name: String,
    /// When it was registered.
    #[schema(format = DateTime)]
    pub registered_at: String,
    /// When it last signed in or stepped up.
    #[schema(required = true, format = DateTime)]
    pub last_used_at: Option<String>,
}

/// `GET /me/second-factors`: what protects the account, and what the policy asks of it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SecondFactorStatus {
    /// An authenticator app is enabled.
    pub totp_enabled: bool,
    /// Recovery codes still usable.
    pub recovery_codes_left: u8,
    /// Registered passkeys, oldest first.
    pub passkeys: Vec<PasskeyView>,
    /// The two-factor policy covers this account (by role).
    pub required: bool,
    /// Until when an account the policy covers may go without a second factor; null when not
    /// covered or already protected.
    #[schema(required = true, format = DateTime)]
    pub enrol_by: Option<String>,
    /// `enrol_by` has passed: until a factor is enrolled, only the enrolment routes answer.
    pub enrolment_due: bool,
    /// Until when this session's step-up lasts; null when it has none (sensitive actions will
    /// answer `reauthentication_required`).
    #[schema(required = true, format = DateTime)]
    pub stepped_up_until: Option<String>,
}

/// `POST /auth/reauth`: prove who you are again (step-up), with the password, or with a passkey:
/// the assertion answering `POST /auth/reauth/options` (with that ceremony's id, or without: the
/// assertion names its challenge).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReauthBody {
    /// The account's password.
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Password)]
    pub password: Option<Zeroizing<String>>,
    /// The passkey ceremony's id (optional).
    #[serde(default)]
    pub ceremony: Option<String>,
    /// The assertion (`PublicKeyCredential.toJSON()`).
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub credential: Option<serde_json::Value>,
}

/// A WebAuthn ceremony begun: its id (to send back with the answer) and the options for the
/// browser (`PublicKeyCredential.parseCreationOptionsFromJSON(options.publicKey)` or
/// `parseRequestOptionsFromJSON`). Valid for five minutes, once.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PasskeyOptions {
    /// The ceremony's id.
    pub ceremony: String,
    /// `{publicKey: …}`, as the browser takes them (the page adds `mediation: "conditional"`
    /// for the autofill sign-in).
    #[schema(value_type = Object)]
    pub options: serde_json::Value,
}

/// `POST /me/passkeys`: the new credential answering `POST /me/passkeys/options`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterPasskeyBody {
    /// The ceremony's id.
    pub ceremony: String,
    /// The owner's name for it ("laptop", "phone"), 1–64 characters.
    #[schema(pattern = r#"^[ \u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[^\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\u0000-\u001F\u007F-\u009F](?:[^\u0000-\u001F\u007F-\u009F]{0,62}[^\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\u0000-\u001F\u007F-\u009F])?[ \u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"#)]
    pub name: String,
    /// `PublicKeyCredential.toJSON()` of `navigator.credentials.create()`.
    #[schema(value_type = Object)]
    pub credential: serde_json::Value,
}

/// `PATCH /me/passkeys/{id}`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RenamePasskeyBody {
    /// The new name, 1–64 characters.
    #[schema(pattern = r#"^[\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*[^\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\u0000-\u001F\u007F-\u009F](?:[^\u0000-\u001F\u007F-\u009F]{0,62}[^\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\u0000-\u001F\u007F-\u009F])?[\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"#)]
    pub name: String,
}

/// `GET /me/passkeys`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PasskeyList {
    /// Registered passkeys, oldest first.
    pub passkeys: Vec<PasskeyView>,
}

/// `POST /auth/passkey`: a passwordless sign-in's assertion.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasskeySignInBody {
    /// The ceremony of `POST /auth/passkey/options`.
    pub ceremony: String,
    /// `PublicKeyCredential.toJSON()` of `navigator.credentials.get()`.
    #[schema(value_type = Object)]
    pub credential: serde_json::Value,
}

/// A step-up's lifetime.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Reauthenticated {
    /// Seconds during which sensitive actions are allowed.
    pub expires_in: u32,
}

/// `GET /applications/{id}/secret`: what moving an account to another device takes.
#[derive(Clone, Serialize, ToSchema)]
pub struct SecretView {
    /// The secret in base32.
    pub secret: String,
    /// The application as an `otpauth://` URI.
    pub otpauth_uri: String,
    /// A PNG of the QR code of `otpauth_uri`, base64-encoded, for a phone's camera; null when
    /// the link is longer than a QR code holds (very long issuer and label).
    #[schema(required = true)]
    pub qr_png_base64: Option<String>,
}

impl std::fmt::Debug for SecretView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretView(..)")
    }
}
