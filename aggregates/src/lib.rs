//! AuthNode's domain: the `User`, `Application` and `Settings` aggregates.
//!
//! Pure logic with no I/O: commands carry everything a decision needs (the clock reading, random
//! ids, policy snapshots, already-hashed passwords and already-sealed secrets), so every rule is
//! testable with given/when/then and no database. Storage and HTTP depend on this crate, never
//! the reverse.

pub mod application;
pub mod audit;
pub mod common;
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
pub use metadata::RequestMetadata;
pub use settings::{Settings, SettingsCommand, SettingsError, SettingsEvent};
pub use user::{User, UserCommand, UserError, UserEvent};
pub use wire::UnknownValue;

use cqrs_es::persist::EventUpcaster;

/// Version written for every event schema that has not changed since the first release.
pub const EVENT_VERSION_1: &str = "1.0";

/// Every upcaster the stores and replays must register, so old event rows keep loading after a
/// schema change (events are upcast on read, never rewritten).
pub fn upcasters() -> Vec<Box<dyn EventUpcaster>> {
    Vec::new()
}

/// A domain error's stable, machine-readable identity, used by the HTTP layer for its
/// `{"error":{"code","message","field"}}` body.
pub trait DomainError: std::error::Error {
    /// Stable `snake_case` code for API clients.
    fn code(&self) -> &'static str;
    /// The request field the error is about, when there is one.
    fn field(&self) -> Option<&'static str> {
        None
    }
    /// Broad class, which decides the HTTP status.
    fn kind(&self) -> ErrorKind;
}

/// The classes of domain error, mapped once to HTTP statuses by the API layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The input is malformed or out of range (400/422).
    Invalid,
    /// The target does not exist for this caller (404), including another user's object.
    NotFound,
    /// The request clashes with current state (409).
    Conflict,
    /// A policy forbids it (403).
    Forbidden,
    /// The account is locked (423).
    Locked,
    /// Credentials or tokens were wrong (401).
    Unauthorized,
}
