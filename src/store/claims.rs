//! Cross-aggregate uniqueness (email, username): the claims an event makes or releases, applied
//! in the same transaction as the event, so two concurrent registrations cannot both win.

use aggregates::UserEvent;
use cqrs_es::persist::SerializedEvent;

/// A change to the `unique_claims` table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClaimOp {
    /// Take `value` of `kind` for `owner`; fails if someone holds it.
    Claim {
        /// `email` or `username`.
        kind: &'static str,
        /// The normalised value.
        value: String,
        /// The aggregate taking it.
        owner: String,
    },
    /// Give up whatever value of `kind` `owner` holds.
    Release {
        /// `email` or `username`.
        kind: &'static str,
        /// The aggregate releasing it.
        owner: String,
    },
}

/// A value someone else already holds.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind} is already taken")]
pub struct ClaimConflict {
    /// `email` or `username`.
    pub kind: &'static str,
}

/// The claim operations implied by one serialized event.
pub fn claims_for(event: &SerializedEvent) -> Vec<ClaimOp> {
    if event.aggregate_type != <aggregates::User as cqrs_es::Aggregate>::TYPE {
        return Vec::new();
    }
    let Ok(user_event) = serde_json::from_value::<UserEvent>(event.payload.clone()) else {
        return Vec::new();
    };
    let owner = event.aggregate_id.clone();
    match user_event {
        UserEvent::UserRegistered { email, username, .. } => {
            vec![ClaimOp::Claim { kind: "email", value: email, owner: owner.clone() }, ClaimOp::Claim { kind: "username", value: username, owner }]
        }
        UserEvent::UserEmailChanged { email } => {
            vec![ClaimOp::Release { kind: "email", owner: owner.clone() }, ClaimOp::Claim { kind: "email", value: email, owner }]
        }
        UserEvent::UserUsernameChanged { username } => {
            vec![ClaimOp::Release { kind: "username", owner: owner.clone() }, ClaimOp::Claim { kind: "username", value: username, owner }]
        }
        UserEvent::UserDeleted { .. } => {
            vec![ClaimOp::Release { kind: "email", owner: owner.clone() }, ClaimOp::Release { kind: "username", owner }]
        }
        _ => Vec::new(),
    }
}
