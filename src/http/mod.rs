//! The HTTP API (`/api/v1`), the probes, `/metrics`, the docs page and the web UI. Handlers
//! extract the request, call a use case in [`crate::app`] and answer with its view.

pub mod auth;
pub mod context;
pub mod error;
pub mod extract;
pub mod metrics;
pub mod openapi;
pub mod responses;
pub mod router;
pub mod routes_admin;
pub mod routes_audit;
pub mod routes_auth;
pub mod routes_factors;
pub mod routes_me;
pub mod routes_meta;
pub mod routes_vault;
pub mod state;
pub mod ui;
