//! Cross-aggregate rules the event store enforces inside the append transaction. Every append
//! holds the `event_head` lock, so these checks are serialised with every other write and cannot
//! race: unique email, username and passkey credential id, one bootstrap admin, at least one active admin, and the
//! destruction of a deleted user's data key in the same commit as `UserDeleted`.

use aggregates::UserEvent;
use aggregates::user::{RegistrationMethod, Role};
use cqrs_es::persist::SerializedEvent;

/// A change or check that accompanies an event in its transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Take `value` of `kind` for `owner`; fails if someone holds it.
    Claim {
        /// `email`, `username`, `admin`, `disabled` or `passkey`.
        kind: &'static str,
        /// The normalised value (the owner id for `admin` and `disabled`).
        value: String,
        /// The aggregate taking it.
        owner: String,
    },
    /// Give up one value of `kind` (an owner may hold several passkeys).
    ReleaseValue {
        /// The claim kind.
        kind: &'static str,
        /// The value.
        value: String,
    },
    /// Give up whatever value of `kind` `owner` holds.
    Release {
        /// The claim kind.
        kind: &'static str,
        /// The aggregate releasing it.
        owner: String,
    },
    /// The registration made its user admin because it believed it was the first: no other
    /// account may exist.
    FirstUserOnly,
    /// After this event, at least one enabled admin must remain.
    KeepAnAdmin,
    /// Destroy the owner's data key (crypto-shredding), atomically with the event.
    ShredKey {
        /// The owner.
        owner: String,
    },
}

/// An event broke a cross-aggregate rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClaimConflict {
    /// A unique value is taken.
    #[error("{kind} is already taken")]
    Taken {
        /// `email` or `username`.
        kind: &'static str,
    },
    /// Another account was created first.
    #[error("another account was registered first")]
    NotFirstUser,
    /// The event would leave no enabled admin.
    #[error("the last active admin cannot be demoted, disabled or deleted")]
    LastAdmin,
}

/// The effects implied by one serialized event. A user event that does not decode is an error:
/// the rules must never be skipped silently.
pub fn effects_for(event: &SerializedEvent) -> Result<Vec<Effect>, serde_json::Error> {
    if event.aggregate_type != <aggregates::User as cqrs_es::Aggregate>::TYPE {
        return Ok(Vec::new());
    }
    let user_event: UserEvent = serde_json::from_value(event.payload.clone())?;
    let owner = event.aggregate_id.clone();
    let claim = |kind, value: String| Effect::Claim { kind, value, owner: owner.clone() };
    let release = |kind| Effect::Release { kind, owner: owner.clone() };
    Ok(match user_event {
        UserEvent::UserRegistered { email, username, role, method, .. } => {
            let mut effects = Vec::new();
            // Self-signup and SSO only make an admin on the bootstrap path (no account yet).
            if role == Role::Admin && method != RegistrationMethod::AdminCreated {
                effects.push(Effect::FirstUserOnly);
            }
            effects.push(claim("email", email));
            effects.push(claim("username", username));
            if role == Role::Admin {
                effects.push(claim("admin", owner.clone()));
            }
            effects
        }
        UserEvent::UserEmailChanged { email } => vec![release("email"), claim("email", email)],
        UserEvent::UserUsernameChanged { username } => vec![release("username"), claim("username", username)],
        UserEvent::UserRoleChanged { from, to } => match (from == Role::Admin, to == Role::Admin) {
            (false, true) => vec![claim("admin", owner.clone())],
            (true, false) => vec![release("admin"), Effect::KeepAnAdmin],
            _ => vec![],
        },
        UserEvent::UserDisabled => vec![claim("disabled", owner.clone()), Effect::KeepAnAdmin],
        UserEvent::UserEnabled => vec![release("disabled")],
        UserEvent::UserDeleted { .. } => vec![
            release("email"),
            release("username"),
            release("admin"),
            release("disabled"),
            release("passkey"),
            Effect::KeepAnAdmin,
            Effect::ShredKey { owner: owner.clone() },
        ],
        // A credential id belongs to one account only (WebAuthn L3 §7.1 step 26).
        UserEvent::PasskeyRegistered { credential_id, .. } => vec![claim("passkey", credential_id)],
        UserEvent::PasskeyRemoved { credential_id, .. } => vec![Effect::ReleaseValue { kind: "passkey", value: credential_id }],
        UserEvent::SecondFactorsReset { .. } => vec![release("passkey")],
        _ => vec![],
    })
}
