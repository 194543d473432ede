//! Value types shared by the aggregates.

use serde::{Deserialize, Serialize};

/// A UTC instant; always injected through commands, never read from a clock inside the domain.
pub type Timestamp = chrono::DateTime<chrono::Utc>;

/// Prefix of every sealed envelope produced by the crypto layer (`v1:` + base64 of nonce and
/// XChaCha20-Poly1305 ciphertext).
pub const SEALED_PREFIX: &str = "v1:";

/// An opaque sealed secret. The domain never sees plaintext: it only checks that what it is given
/// looks sealed, so a plaintext secret can never slip into an event by mistake.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Sealed(String);

impl Sealed {
    /// Wraps a sealed envelope; `None` if the text is not in the sealed format.
    pub fn new(envelope: impl Into<String>) -> Option<Self> {
        let envelope = envelope.into();
        let body = envelope.strip_prefix(SEALED_PREFIX)?;
        // nonce (24) + tag (16) at least, base64 => at least 54 characters.
        (body.len() >= 54 && body.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'-' | b'_')))
            .then_some(Self(envelope))
    }

    /// The envelope text, for the crypto layer to open.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Sealed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Sealed({} bytes)", self.0.len())
    }
}

/// Trims and checks a free-text field: `Some(trimmed)` when its length in characters is within
/// `max` and it has no control characters.
pub(crate) fn clean_text(value: &str, max: usize) -> Option<String> {
    let t = value.trim();
    (t.chars().count() <= max && !t.chars().any(char::is_control)).then(|| t.to_owned())
}

/// A pragmatic address check (one `@`, a dotted domain, no spaces), deliberately looser than
/// RFC 5322: proof of an address is by mail, not by grammar. Returns the normalised (trimmed,
/// lower-case) address.
pub fn normalize_email(email: &str) -> Option<String> {
    let e = email.trim().to_lowercase();
    let (local, domain) = e.split_once('@')?;
    // RFC 5321 §4.5.3.1 sets 64 and 254 (octets, as counted in ASCII addresses); counted here in
    // characters so that one rule holds for every address and the API document can state it.
    let ok = !local.is_empty()
        && local.chars().count() <= 64
        && e.chars().count() <= 254
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && !e.chars().any(|c| c.is_whitespace() || c.is_control());
    ok.then_some(e)
}

/// Usernames: 3–32 characters of `a-z 0-9 . _ -`, starting with a letter or digit; stored
/// lower-case so that logins are case-insensitive.
pub fn normalize_username(username: &str) -> Option<String> {
    let u = username.trim().to_lowercase();
    let ok = (3..=32).contains(&u.len())
        && u.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric())
        && u.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-'));
    ok.then_some(u)
}

/// Compares two byte strings in time independent of where they differ (token hashes).
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_rejects_plaintext() {
        assert!(Sealed::new("JBSWY3DPEHPK3PXP").is_none());
        assert!(Sealed::new(format!("v1:{}", "A".repeat(60))).is_some());
        assert!(Sealed::new("v1:short").is_none());
    }

    #[test]
    fn emails_and_usernames_normalise() {
        assert_eq!(normalize_email(" Alice@Example.COM ").as_deref(), Some("alice@example.com"));
        assert!(normalize_email("alice@localhost").is_none());
        assert!(normalize_email("a b@example.com").is_none());
        assert_eq!(normalize_username("Alice_1").as_deref(), Some("alice_1"));
        assert!(normalize_username("al").is_none());
        assert!(normalize_username("-alice").is_none());
    }

    #[test]
    fn constant_time_eq_works() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
