//! The OTP engine: HOTP (RFC 4226), TOTP (RFC 6238) and Steam Guard codes, base32 secrets
//! (RFC 4648 §6), and `otpauth://` URIs in the Key Uri Format used by authenticator apps.
//! Pure functions: the clock reading is an argument.

use totp_rs::{Algorithm as Hmac, Builder};

use crate::application::{Algorithm, OtpParams, OtpType};

/// Why an OTP input was refused; `field` names the request field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct OtpError {
    /// The field at fault (`uri`, `secret`, `digits`, `period`, `algorithm`, `counter`).
    pub field: &'static str,
    /// What is wrong.
    pub message: String,
}

fn bad(field: &'static str, message: impl Into<String>) -> OtpError {
    OtpError { field, message: message.into() }
}

/// Longest secret accepted, in bytes (real secrets are 10–64).
pub const MAX_SECRET_BYTES: usize = 256;

/// Decodes a base32 secret as people paste it: case-insensitive, spaces and hyphens ignored,
/// padding optional.
pub fn decode_secret(text: &str) -> Result<Vec<u8>, OtpError> {
    let cleaned: String =
        text.chars().filter(|c| !c.is_whitespace() && *c != '-').map(|c| c.to_ascii_uppercase()).collect::<String>().trim_end_matches('=').to_owned();
    if cleaned.is_empty() {
        return Err(bad("secret", "is required"));
    }
    if let Some(c) = cleaned.chars().find(|c| !matches!(c, 'A'..='Z' | '2'..='7')) {
        return Err(bad("secret", format!("is not base32: unexpected character {c:?} (use A–Z and 2–7)")));
    }
    // A base32 length of 1, 3 or 6 (mod 8) cannot come from whole bytes.
    if matches!(cleaned.len() % 8, 1 | 3 | 6) {
        return Err(bad("secret", "is not valid base32: wrong length"));
    }
    let bytes = totp_rs::Secret::try_from_base32(&cleaned)
        .ok()
        .map(|s| AsRef::<[u8]>::as_ref(&s).to_vec())
        .ok_or_else(|| bad("secret", "is not valid base32"))?;
    if bytes.is_empty() || bytes.len() > MAX_SECRET_BYTES {
        return Err(bad("secret", format!("must decode to 1–{MAX_SECRET_BYTES} bytes")));
    }
    Ok(bytes)
}

/// Encodes a secret as unpadded base32 (for QR codes and exports).
pub fn encode_secret(secret: &[u8]) -> String {
    totp_rs::Secret::from(secret.to_vec()).to_base32()
}

fn hmac(a: Algorithm) -> Hmac {
    match a {
        Algorithm::Sha1 => Hmac::SHA1,
        Algorithm::Sha256 => Hmac::SHA256,
        Algorithm::Sha512 => Hmac::SHA512,
    }
}

/// The code at moving factor `counter` (already divided by the period for time-based codes).
fn at_counter(params: &OtpParams, secret: &[u8], counter: u64) -> String {
    // A step of 1 turns the library's time-based API into RFC 4226 HOTP over `counter`. The
    // digits were validated (6–8, Steam 5), and short secrets are legitimate in the wild
    // (e.g. 80-bit ones), hence the non-RFC-checking build.
    let builder = match params.otp_type {
        OtpType::Steam => Builder::new_steam(),
        OtpType::Totp | OtpType::Hotp => Builder::new().with_algorithm(hmac(params.algorithm)).with_digits(params.digits),
    };
    builder.with_secret(secret.to_vec()).with_step_duration(1).build_noncompliant().generate(counter).to_string()
}

/// A code and the one after it, with the time left on the current one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Codes {
    /// The current code.
    pub code: String,
    /// The next code (next period, or next counter for HOTP).
    pub next_code: String,
    /// Period in seconds (0 for HOTP).
    pub period: u32,
    /// Seconds until the current code changes (0 for HOTP).
    pub remaining: u32,
}

/// The codes for `params` at Unix time `now` (seconds). HOTP uses the stored counter and never
/// advances it.
pub fn codes(params: &OtpParams, secret: &[u8], now: u64) -> Codes {
    match params.otp_type {
        OtpType::Hotp => Codes {
            code: at_counter(params, secret, params.counter),
            next_code: at_counter(params, secret, params.counter.saturating_add(1)),
            period: 0,
            remaining: 0,
        },
        OtpType::Totp | OtpType::Steam => {
            let period = u64::from(if params.otp_type == OtpType::Steam { 30 } else { params.period.max(1) });
            let step = now / period;
            Codes {
                code: at_counter(params, secret, step),
                next_code: at_counter(params, secret, step + 1),
                period: period as u32,
                remaining: (period - now % period) as u32,
            }
        }
    }
}

/// An `otpauth://` URI taken apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtpUri {
    /// Issuer (from the `issuer` parameter, else the label prefix).
    pub issuer: String,
    /// Account label.
    pub label: String,
    /// The raw secret.
    pub secret: Vec<u8>,
    /// OTP parameters.
    pub params: OtpParams,
}

/// Parses an `otpauth://totp|hotp|steam/[issuer:]account?secret=…` URI (Key Uri Format):
/// case-insensitive scheme and type, URL-decoded label, issuer from the parameter or the label
/// prefix, defaults SHA1 / 6 digits / 30 s.
pub fn parse_uri(uri: &str) -> Result<OtpUri, OtpError> {
    let uri = uri.trim();
    let parsed = url::Url::parse(uri).map_err(|_| bad("uri", "is not a URI"))?;
    if !parsed.scheme().eq_ignore_ascii_case("otpauth") {
        return Err(bad("uri", "must start with otpauth://"));
    }
    let kind = parsed.host_str().unwrap_or_default().to_ascii_lowercase();
    let mut otp_type: OtpType = kind.parse().map_err(|_| bad("uri", "type must be totp, hotp or steam"))?;
    let path = parsed.path().trim_start_matches('/');
    let label_text = percent_encoding::percent_decode_str(path).decode_utf8().map_err(|_| bad("uri", "label is not UTF-8"))?.into_owned();
    let (prefix, account) = match label_text.split_once(':') {
        Some((issuer, account)) => (Some(issuer.trim().to_owned()), account.trim().to_owned()),
        None => (None, label_text.trim().to_owned()),
    };
    let mut secret = None;
    let mut issuer_param = None;
    let mut algorithm = Algorithm::Sha1;
    let mut digits: Option<u8> = None;
    let mut period: u32 = 30;
    let mut counter: Option<u64> = None;
    for (key, value) in parsed.query_pairs() {
        match key.to_ascii_lowercase().as_str() {
            "secret" => secret = Some(decode_secret(&value)?),
            "issuer" => issuer_param = Some(value.trim().to_owned()),
            "algorithm" => {
                // Tolerate `sha256` and `SHA-256` spellings; the wire names are `SHA256` and so on.
                algorithm = value.to_ascii_uppercase().replace('-', "").parse().map_err(|_| bad("algorithm", "must be SHA1, SHA256 or SHA512"))?;
            }
            "digits" => digits = Some(value.parse().map_err(|_| bad("digits", "must be a number"))?),
            "period" => period = value.parse().map_err(|_| bad("period", "must be a number of seconds"))?,
            "counter" => counter = Some(value.parse().map_err(|_| bad("counter", "must be a non-negative number"))?),
            // Some exporters mark Steam accounts this way.
            "encoder" if value.eq_ignore_ascii_case("steam") => otp_type = OtpType::Steam,
            _ => {}
        }
    }
    let secret = secret.ok_or_else(|| bad("secret", "is missing from the URI"))?;
    if otp_type == OtpType::Hotp && counter.is_none() {
        return Err(bad("counter", "is required for HOTP"));
    }
    let params = OtpParams {
        otp_type,
        algorithm: if otp_type == OtpType::Steam { Algorithm::Sha1 } else { algorithm },
        digits: if otp_type == OtpType::Steam { 5 } else { digits.unwrap_or(6) },
        period: if otp_type == OtpType::Steam { 30 } else { period },
        counter: counter.unwrap_or(0),
    };
    params.validate().map_err(|e| match e {
        crate::application::ApplicationError::InvalidField { field, message } => bad(field, message),
        other => bad("uri", other.to_string()),
    })?;
    let issuer = issuer_param.filter(|i| !i.is_empty()).or(prefix).unwrap_or_default();
    Ok(OtpUri { issuer, label: account, secret, params })
}

/// Builds an `otpauth://` URI for export or a QR code.
pub fn to_uri(issuer: &str, label: &str, secret: &[u8], params: &OtpParams) -> String {
    use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
    let enc = |s: &str| utf8_percent_encode(s, NON_ALPHANUMERIC).to_string();
    let kind = params.otp_type.as_str();
    let name = if issuer.is_empty() { enc(label) } else { format!("{}:{}", enc(issuer), enc(label)) };
    let algorithm = params.algorithm.as_str();
    let moving = match params.otp_type {
        OtpType::Hotp => format!("counter={}", params.counter),
        OtpType::Totp | OtpType::Steam => format!("period={}", params.period),
    };
    let issuer_param = if issuer.is_empty() { String::new() } else { format!("&issuer={}", enc(issuer)) };
    format!("otpauth://{kind}/{name}?secret={}&algorithm={algorithm}&digits={}&{moving}{issuer_param}", encode_secret(secret), params.digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn totp(algorithm: Algorithm, digits: u8, period: u32) -> OtpParams {
        OtpParams { otp_type: OtpType::Totp, algorithm, digits, period, counter: 0 }
    }

    #[test]
    fn rfc4226_appendix_d_hotp_vectors() {
        let secret = b"12345678901234567890";
        let expected = ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"];
        for (counter, want) in expected.iter().enumerate() {
            let p = OtpParams { otp_type: OtpType::Hotp, algorithm: Algorithm::Sha1, digits: 6, period: 30, counter: counter as u64 };
            let c = codes(&p, secret, 1_700_000_000);
            assert_eq!(c.code, *want, "counter {counter}");
            assert_eq!((c.period, c.remaining), (0, 0));
            if counter < 9 {
                assert_eq!(c.next_code, expected[counter + 1]);
            }
        }
    }

    #[test]
    fn rfc6238_appendix_b_totp_vectors() {
        let sha1 = b"12345678901234567890".as_slice();
        let sha256 = b"12345678901234567890123456789012".as_slice();
        let sha512 = b"1234567890123456789012345678901234567890123456789012345678901234".as_slice();
        let table: [(u64, &str, &str, &str); 6] = [
            (59, "94287082", "46119246", "90693936"),
            (1_111_111_109, "07081804", "68084774", "25091201"),
            (1_111_111_111, "14050471", "67062674", "99943326"),
            (1_234_567_890, "89005924", "91819424", "93441116"),
            (2_000_000_000, "69279037", "90698825", "38618901"),
            (20_000_000_000, "65353130", "77737706", "47863826"),
        ];
        for (t, a, b, c) in table {
            assert_eq!(codes(&totp(Algorithm::Sha1, 8, 30), sha1, t).code, a, "SHA1 at {t}");
            assert_eq!(codes(&totp(Algorithm::Sha256, 8, 30), sha256, t).code, b, "SHA256 at {t}");
            assert_eq!(codes(&totp(Algorithm::Sha512, 8, 30), sha512, t).code, c, "SHA512 at {t}");
        }
    }

    #[test]
    fn other_periods_digits_and_steam_match_an_independent_implementation() {
        // Expected values computed with Python's hmac module (see the commit that added them).
        let secret = decode_secret("JBSWY3DPEHPK3PXP").unwrap();
        assert_eq!(codes(&totp(Algorithm::Sha1, 6, 30), &secret, 1_700_000_000).code, "324550");
        assert_eq!(codes(&totp(Algorithm::Sha256, 7, 45), &secret, 1_700_000_000).code, "4158300");
        let steam = OtpParams { otp_type: OtpType::Steam, algorithm: Algorithm::Sha1, digits: 5, period: 30, counter: 0 };
        assert_eq!(codes(&steam, &secret, 1_700_000_000).code, "2KM2P");
        assert_eq!(codes(&steam, &secret, 59).code, "2YXGV");
        assert_eq!(codes(&steam, b"12345678901234567890", 1_111_111_109).code, "PY4YB");
    }

    #[test]
    fn remaining_seconds_and_next_code() {
        let p = totp(Algorithm::Sha1, 8, 30);
        let c = codes(&p, b"12345678901234567890", 1_111_111_109);
        assert_eq!((c.period, c.remaining), (30, 1));
        assert_eq!(c.next_code, codes(&p, b"12345678901234567890", 1_111_111_110).code);
        assert_eq!(codes(&totp(Algorithm::Sha1, 6, 1), b"x", 5).remaining, 1);
    }

    #[test]
    fn base32_is_tolerant_but_strict_about_content() {
        assert_eq!(decode_secret("jbsw y3dp-ehpk 3pxp").unwrap(), decode_secret("JBSWY3DPEHPK3PXP").unwrap());
        assert_eq!(decode_secret("GEZDGNBVGY3TQOJQ").unwrap(), decode_secret("GEZDGNBVGY3TQOJQ====").unwrap());
        assert_eq!(decode_secret("").unwrap_err().field, "secret");
        assert!(decode_secret("JBSWY3DP1").unwrap_err().message.contains("'1'"));
        assert!(decode_secret("ABC").is_err());
        assert_eq!(encode_secret(&decode_secret("JBSWY3DPEHPK3PXP").unwrap()), "JBSWY3DPEHPK3PXP");
    }

    #[test]
    fn uris_parse_per_the_key_uri_format() {
        let u = parse_uri("otpauth://totp/ACME%20Co:john.doe@email.com?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ&issuer=ACME%20Co&algorithm=SHA256&digits=8&period=60").unwrap();
        assert_eq!((u.issuer.as_str(), u.label.as_str()), ("ACME Co", "john.doe@email.com"));
        assert_eq!(u.params, totp(Algorithm::Sha256, 8, 60));
        // Scheme and type are case-insensitive; issuer comes from the label when the parameter is absent.
        let u = parse_uri("OTPAUTH://TOTP/GitHub:alice?secret=jbswy3dpehpk3pxp").unwrap();
        assert_eq!((u.issuer.as_str(), u.label.as_str()), ("GitHub", "alice"));
        assert_eq!(u.params, totp(Algorithm::Sha1, 6, 30));
        let u = parse_uri("otpauth://hotp/bob?secret=JBSWY3DPEHPK3PXP&counter=7").unwrap();
        assert_eq!((u.params.otp_type, u.params.counter, u.issuer.as_str()), (OtpType::Hotp, 7, ""));
        let u = parse_uri("otpauth://totp/Steam:gaben?secret=JBSWY3DPEHPK3PXP&encoder=steam").unwrap();
        assert_eq!((u.params.otp_type, u.params.digits), (OtpType::Steam, 5));
        // Round trip.
        let again = parse_uri(&to_uri("ACME Co", "john@x.y", &u.secret, &totp(Algorithm::Sha512, 7, 45))).unwrap();
        assert_eq!((again.issuer.as_str(), again.label.as_str(), again.params), ("ACME Co", "john@x.y", totp(Algorithm::Sha512, 7, 45)));
    }

    #[test]
    fn bad_uris_name_the_field() {
        let field = |u: &str| parse_uri(u).unwrap_err().field;
        assert_eq!(field("https://example.com"), "uri");
        assert_eq!(field("not a uri"), "uri");
        assert_eq!(field("otpauth://motp/x?secret=JBSWY3DPEHPK3PXP"), "uri");
        assert_eq!(field("otpauth://totp/x"), "secret");
        assert_eq!(field("otpauth://totp/x?secret=!!"), "secret");
        assert_eq!(field("otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&digits=9"), "digits");
        assert_eq!(field("otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&digits=six"), "digits");
        assert_eq!(field("otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&period=0"), "period");
        assert_eq!(field("otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&period=301"), "period");
        assert_eq!(field("otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&algorithm=MD5"), "algorithm");
        assert_eq!(field("otpauth://hotp/x?secret=JBSWY3DPEHPK3PXP"), "counter");
        assert_eq!(field("otpauth://hotp/x?secret=JBSWY3DPEHPK3PXP&counter=-1"), "counter");
    }
}
