//! Value types of the `Application` aggregate: the OTP parameters and descriptive fields.

use serde::{Deserialize, Serialize};

use super::errors::ApplicationError;
use crate::common::Sealed;
use crate::wire::wire_names;

/// The largest HOTP counter (2^63 − 1): stores keep integers signed, and no real token gets near it.
pub const MAX_COUNTER: u64 = i64::MAX as u64;

/// The one-time-password scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum OtpType {
    /// Time-based (RFC 6238).
    Totp,
    /// Counter-based (RFC 4226).
    Hotp,
    /// Steam Guard: TOTP with 5 characters from Steam's alphabet.
    Steam,
}

wire_names!(OtpType { Totp => "totp", Hotp => "hotp", Steam => "steam" });

/// HMAC hash function; the wire names are upper-case, as `otpauth://` URIs spell them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Algorithm {
    /// HMAC-SHA1 (the default of RFC 4226/6238).
    #[serde(rename = "SHA1")]
    Sha1,
    /// HMAC-SHA256, which RFC 6238 allows for TOTP.
    #[serde(rename = "SHA256")]
    Sha256,
    /// HMAC-SHA512, which RFC 6238 allows for TOTP.
    #[serde(rename = "SHA512")]
    Sha512,
}

wire_names!(Algorithm { Sha1 => "SHA1", Sha256 => "SHA256", Sha512 => "SHA512" });

/// How an application's codes are computed; `validate` holds the allowed ranges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OtpParams {
    /// Steam fixes `algorithm` and `digits`; HOTP ignores `period`.
    pub otp_type: OtpType,
    /// Always SHA1 for Steam.
    pub algorithm: Algorithm,
    /// Code length (6–8; Steam: 5).
    pub digits: u8,
    /// Time step in seconds (1–300), for TOTP and Steam.
    pub period: u32,
    /// Moving factor for HOTP, at most `MAX_COUNTER`; unused by time-based codes.
    pub counter: u64,
}

impl OtpParams {
    /// Checks the parameters; returns the offending field and why.
    pub fn validate(&self) -> Result<(), ApplicationError> {
        let bad = |field, message| Err(ApplicationError::InvalidField { field, message });
        match self.otp_type {
            OtpType::Steam => {
                if self.digits != 5 {
                    return Err(ApplicationError::SteamParametersFixed { field: "digits", message: "Steam codes have 5 characters" });
                }
                if self.algorithm != Algorithm::Sha1 {
                    return Err(ApplicationError::SteamParametersFixed { field: "algorithm", message: "Steam codes use SHA1" });
                }
            }
            OtpType::Totp | OtpType::Hotp => {
                if !(6..=8).contains(&self.digits) {
                    return bad("digits", "must be 6, 7 or 8");
                }
            }
        }
        // Checked for HOTP too, though it does not use it: one rule for the field, whatever the type.
        if !(1..=300).contains(&self.period) {
            return bad("period", "must be 1–300 seconds");
        }
        if self.counter > MAX_COUNTER {
            return bad("counter", "must be at most 9223372036854775807");
        }
        Ok(())
    }
}

/// Where an application's data came from, as recorded when it was created.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CreationSource {
    /// Secret and parameters typed into the form.
    Fields,
    /// An `otpauth://` URI.
    Uri,
    /// A decoded QR image.
    Qr,
    /// An import file.
    Import,
}

wire_names!(CreationSource { Fields => "fields", Uri => "uri", Qr => "qr", Import => "import" });

/// Descriptive fields besides issuer and label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Metadata {
    /// Sealed free-text notes (may hold recovery hints, so they are sealed like the secret).
    pub notes: Option<Sealed>,
    /// The service's web address: http(s), at most 2048 characters.
    pub url: Option<String>,
    /// Icon reference (a slug from the bundled icon set).
    pub icon: Option<String>,
    /// Card colour, `#rrggbb`, stored lower-case.
    pub color: Option<String>,
}
