//! The state of a `User`: only what its decisions need, rebuilt from the events.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::types::{PasskeyFactor, Preferences, RecoveryCodes, Role, SessionState, TotpFactor};
use crate::common::Timestamp;

/// The user aggregate: only what its decisions need, rebuilt from the events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct User {
    /// Set once registered.
    pub id: Option<Uuid>,
    /// Trimmed and lower-cased.
    pub email: String,
    /// Lower-cased, so that logins are case-insensitive.
    pub username: String,
    /// Free text shown in the UI; the username unless one was given.
    pub display_name: String,
    /// What the user may do; `RegistrationMethod` says which role registration grants.
    pub role: Role,
    /// Set by an admin; refuses new sessions and refreshes until enabled again.
    pub disabled: bool,
    /// Locked until this instant after too many failures.
    pub locked_until: Option<Timestamp>,
    /// Failed logins counted towards the lockout, oldest first (only those inside the window matter).
    pub recent_failures: Vec<Timestamp>,
    /// Live sessions by id; ended sessions are dropped so the state stays small.
    pub sessions: BTreeMap<Uuid, SessionState>,
    /// The defaults until the user changes them.
    pub preferences: Preferences,
    /// Deleted (its data key destroyed); from then on the user is not found.
    pub deleted: bool,
    /// The authenticator app, pending or enabled. (Fields from here on are absent in snapshots
    /// written before second factors existed.)
    #[serde(default)]
    pub totp: Option<TotpFactor>,
    /// The current recovery codes.
    #[serde(default)]
    pub recovery: Option<RecoveryCodes>,
    /// Passkeys by credential id (base64url).
    #[serde(default)]
    pub passkeys: BTreeMap<String, PasskeyFactor>,
    /// Sign-ins waiting for their second factor: challenge hash → when it runs out.
    #[serde(default)]
    pub challenges: BTreeMap<String, Timestamp>,
}
