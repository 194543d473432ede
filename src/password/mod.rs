//! Password hashing with argon2id (RFC 9106) at OWASP's recommended m=19 MiB, t=2, p=1. Hashing
//! is CPU-bound, so it runs on the blocking pool behind a semaphore sized to the cores: a login
//! flood queues there instead of starving the async runtime.

use std::sync::{Arc, LazyLock};

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};
use tokio::sync::Semaphore;
use zeroize::Zeroizing;

pub mod breached;

static PERMITS: LazyLock<Arc<Semaphore>> =
    LazyLock::new(|| Arc::new(Semaphore::new(std::thread::available_parallelism().map_or(2, std::num::NonZero::get))));

/// A PHC string of a password nobody has, verified against for unknown accounts so that their
/// logins take the same time as real ones (no user-enumeration oracle).
pub static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| hash_blocking(b"authnode-dummy-password-for-timing").unwrap_or_default());

fn argon2() -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::new(19 * 1024, 2, 1, Some(32)).expect("static argon2 parameters are valid"))
}

/// Errors of the password layer.
#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    /// Hashing failed.
    #[error("password hashing failed")]
    Hash,
    /// The worker pool is gone (shutdown).
    #[error("password worker unavailable")]
    Unavailable,
}

fn hash_blocking(password: &[u8]) -> Result<String, PasswordError> {
    argon2().hash_password(password).map(|h| h.to_string()).map_err(|_| PasswordError::Hash)
}

/// Hashes a password off the async runtime.
pub async fn hash(password: Zeroizing<String>) -> Result<String, PasswordError> {
    // The permit moves into the blocking job, so it is held for as long as the hash runs even if
    // the request that asked for it is dropped (a flood of abandoned logins stays bounded).
    let permit = PERMITS.clone().acquire_owned().await.map_err(|_| PasswordError::Unavailable)?;
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        hash_blocking(password.as_bytes())
    })
    .await
    .map_err(|_| PasswordError::Unavailable)?
}

/// Verifies a password against a PHC string off the async runtime (false on any mismatch or
/// malformed hash; argon2's comparison is constant-time).
pub async fn verify(password: Zeroizing<String>, phc: Zeroizing<String>) -> Result<bool, PasswordError> {
    let permit = PERMITS.clone().acquire_owned().await.map_err(|_| PasswordError::Unavailable)?;
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        PasswordHash::new(&phc).is_ok_and(|h| argon2().verify_password(password.as_bytes(), &h).is_ok())
    })
    .await
    .map_err(|_| PasswordError::Unavailable)
}
