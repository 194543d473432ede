//! AuthNode's domain: the `User`, `Application` and `Settings` aggregates.
//!
//! Pure logic with no I/O: commands carry everything a decision needs (the clock reading, random
//! ids, policy snapshots, already-hashed passwords and already-sealed secrets), so every rule is
//! testable with given/when/then and no database. Storage and HTTP depend on this crate, never
//! the reverse.

pub mod application;
pub mod audit;
pub mod common;
pub mod domain;
pub mod lockout;
pub mod login_attempt;
pub mod metadata;
pub mod otp;
pub mod settings;
pub mod time;
pub mod user;
pub mod wire;

pub use application::{Application, ApplicationCommand, ApplicationError, ApplicationEvent};
pub use audit::Outcome;
pub use common::{Sealed, Timestamp};
pub use domain::{DomainError, EVENT_VERSION_1, ErrorKind};
pub use metadata::RequestMetadata;
pub use settings::{Settings, SettingsCommand, SettingsError, SettingsEvent};
pub use user::{User, UserCommand, UserError, UserEvent};
pub use wire::UnknownValue;

use cqrs_es::persist::{EventUpcaster, SemanticVersionEventUpcaster};

/// Every upcaster the stores and replays must register, so old event rows keep loading after a
/// schema change (events are upcast on read, never rewritten).
pub fn upcasters() -> Vec<Box<dyn EventUpcaster>> {
    let mut all: Vec<Box<dyn EventUpcaster>> = vec![Box::new(SemanticVersionEventUpcaster::new(
        "TwoFactorPolicyChanged",
        settings::TWO_FACTOR_POLICY_CHANGED_VERSION,
        Box::new(two_factor_policy_changed_v2),
    ))];
    for event in user::PASSWORD_HASH_EVENTS {
        let upcast = move |payload| password_hash_v2(event, payload);
        all.push(Box::new(SemanticVersionEventUpcaster::new(event, user::PASSWORD_HASH_SEALED_VERSION, Box::new(upcast))));
    }
    all
}

/// `UserRegistered`, `PasswordChanged` and `PasswordResetByAdmin` 1.0 held the PHC string in
/// clear (`"password_hash": "$argon2id$…"`); 2.0 says which it is (`{"Plain": …}` or
/// `{"Sealed": …}`). A 1.0 hash stays what it was: `Plain`.
fn password_hash_v2(event: &str, mut payload: serde_json::Value) -> serde_json::Value {
    if let Some(hash) = payload.get_mut(event).and_then(|fields| fields.get_mut("password_hash"))
        && let Some(phc) = hash.as_str().map(str::to_owned)
    {
        *hash = serde_json::json!({ "Plain": phc });
    }
    payload
}

/// `TwoFactorPolicyChanged` 1.0 held the policy alone (`{"TwoFactorPolicyChanged": {scope, …}}`);
/// 2.0 holds the policy and the time of the change, which 1.0 events do not know.
fn two_factor_policy_changed_v2(payload: serde_json::Value) -> serde_json::Value {
    match payload {
        serde_json::Value::Object(mut map) => {
            if let Some(policy) = map.remove("TwoFactorPolicyChanged") {
                map.insert("TwoFactorPolicyChanged".into(), serde_json::json!({ "policy": policy, "at": null }));
            }
            serde_json::Value::Object(map)
        }
        other => other,
    }
}
