//! What every aggregate shares: the event schema version and how its errors are classified.

/// Version written for every event schema that has not changed since the first release.
pub const EVENT_VERSION_1: &str = "1.0";

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
