//! The `authnode` server and CLI: configuration, storage, crypto, command handling and HTTP.

pub mod app;
pub mod cache;
pub mod config;
pub mod crypto;
pub mod db;
pub mod http;
pub mod keyfile;
pub mod password;
pub mod seed;
pub mod server;
pub mod store;
pub mod views;
