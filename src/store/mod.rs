//! The write side's storage: the event repository behind cqrs-es, with a global gap-free
//! position, a hash chain, request metadata and transactional uniqueness claims.

pub mod ceremonies;
pub mod chain;
pub mod claims;
pub mod events;
pub mod name_lockouts;
pub mod rate_limits;

pub use events::SqlEventRepository;
