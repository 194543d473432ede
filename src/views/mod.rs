//! The API's data contract: every JSON body the HTTP API accepts or returns, as Rust types.
//!
//! Handlers deserialize requests into these types and serialize these types as responses, and
//! the OpenAPI document takes its schemas from the same derives, so the document cannot drift
//! from what the server really does. The use cases in [`crate::app`] return them.

pub mod admin;
pub mod audit;
pub mod auth;
pub mod errors;
pub mod factors;
pub mod me;
pub mod meta;
pub mod users;
pub mod vault;
