//! Fixtures shared by the aggregate test crates: fixed instants, sealed values and passwords.
// Each test crate uses a different subset of these helpers.
#![allow(dead_code)]

use aggregates::user::{NewPassword, PasswordHash};
use aggregates::{Sealed, Timestamp};
use chrono::{Duration, TimeZone, Utc};

/// A fixed reference instant; every test clock reading is relative to it.
pub fn t0() -> Timestamp {
    Utc.with_ymd_and_hms(2025, 3, 14, 9, 26, 53).unwrap()
}

/// `t0()` plus `minutes` (may be negative).
pub fn at_min(minutes: i64) -> Timestamp {
    t0() + Duration::minutes(minutes)
}

/// `t0()` plus `seconds` (may be negative).
pub fn at_sec(seconds: i64) -> Timestamp {
    t0() + Duration::seconds(seconds)
}

/// A valid sealed envelope.
pub fn sealed() -> Sealed {
    Sealed::new(format!("v1:{}", "A".repeat(60))).unwrap()
}

/// Another valid sealed envelope, different from `sealed()`.
pub fn other_sealed() -> Sealed {
    Sealed::new(format!("v1:{}", "B".repeat(60))).unwrap()
}

/// The sealed PHC string stored for a password of `length` characters (distinct per length).
pub fn sealed_phc(length: usize) -> Sealed {
    Sealed::new(format!("v1:{}{length:04}", "P".repeat(60))).unwrap()
}

/// The password hash an event holds for a password of `length` characters.
pub fn phc(length: usize) -> PasswordHash {
    PasswordHash::Sealed(sealed_phc(length))
}

/// An already-hashed, sealed new password of `length` characters.
pub fn password(length: usize) -> NewPassword {
    NewPassword { hash: sealed_phc(length), length }
}
