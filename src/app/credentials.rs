//! Passwords as the application handles them: a new one is checked against the policy (length,
//! breached-password list), hashed off the runtime and sealed under its owner's data key; a
//! stored one is opened and verified. Deleting a user destroys that key, and with it every hash
//! of theirs the event log holds since 2.0 events (older events keep the clear PHC they had).

use aggregates::ErrorKind;
use aggregates::Sealed;
use aggregates::settings::PasswordPolicy;
use aggregates::user::NewPassword;
use zeroize::Zeroizing;

use super::error::{AppError, CommandError};
use crate::crypto::{CryptoError, Keyring, context};

/// A new password, hashed, not yet sealed for its owner (whose id may not exist yet).
#[derive(Clone)]
pub struct Hashed {
    /// The argon2id PHC string.
    pub phc: Zeroizing<String>,
    /// Length of the plaintext in characters, the unit the policy counts in.
    pub length: usize,
}

impl std::fmt::Debug for Hashed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Hashed({} chars)", self.length)
    }
}

/// Checks a new password against the policy, its length and (when the policy says so) the
/// breached-password list, before any argon2 work is spent on it; then hashes it off the runtime.
pub async fn new_password(field: &'static str, password: Zeroizing<String>, policy: PasswordPolicy) -> Result<Hashed, AppError> {
    let length = password.chars().count();
    if length < policy.min_length as usize || length > policy.max_length as usize {
        return Err(AppError::invalid(field, format!("password must be {}–{} characters", policy.min_length, policy.max_length)));
    }
    if policy.breach_check && crate::password::breached::is_breached(&password) {
        let message = "this password is on a list of passwords exposed in data breaches, so attackers try it first; choose another";
        return Err(AppError::refused(ErrorKind::Invalid, "password_breached", message).field(field));
    }
    let phc = Zeroizing::new(crate::password::hash(password).await?);
    Ok(Hashed { phc, length })
}

/// Seals a hashed password under `owner`'s data key: what the domain's password commands take.
pub async fn seal(keyring: &Keyring, owner: &str, hashed: &Hashed) -> Result<NewPassword, CommandError> {
    let hash = keyring.seal(owner, &context::password_hash(owner), hashed.phc.as_bytes()).await.map_err(|e| CommandError::Internal(e.to_string()))?;
    Ok(NewPassword { hash, length: hashed.length })
}

/// Whether `password` is `owner`'s: `stored` is the read model's hash (sealed, or a clear PHC
/// from before 2.0). Without an account, a hash or a readable one, the same argon2 work is done
/// against a dummy hash and the answer is no, so timing tells nothing about accounts.
pub async fn matches(keyring: &Keyring, owner: Option<&str>, stored: Option<String>, password: Zeroizing<String>) -> Result<bool, AppError> {
    let phc = match (owner, stored) {
        (Some(owner), Some(stored)) => match Sealed::new(stored.as_str()) {
            Some(sealed) => match keyring.open(owner, &context::password_hash(owner), &sealed).await {
                Ok(bytes) => Some(Zeroizing::new(String::from_utf8(bytes.to_vec()).map_err(AppError::internal)?)),
                // A deleted user's key is gone: nothing of theirs opens again.
                Err(CryptoError::KeyDestroyed) => None,
                Err(e) => return Err(e.into()),
            },
            None => Some(Zeroizing::new(stored)),
        },
        _ => None,
    };
    let known = phc.is_some();
    let ok = crate::password::verify(password, phc.unwrap_or_else(|| Zeroizing::new(crate::password::DUMMY_HASH.clone()))).await?;
    Ok(ok && known)
}
