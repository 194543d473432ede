//! AuthNode's read models: tables built from the event log and rebuildable from it at any time.
//!
//! Projections follow the log by **global position** (not by cqrs-es's in-process dispatch, which
//! swallows errors and has no global order). Each batch applies events and advances the
//! projections' checkpoints in one transaction, under a lock on the checkpoint rows, so several
//! replicas can run catch-ups safely; on an error the batch rolls back and the projection halts
//! at that event instead of skipping it. Projections use the event's recorded time, never the
//! wall clock, so a rebuild produces exactly the live tables (`authnode verify` checks that).

mod catalog;
mod cell;
mod conn;
mod error;
mod event;
mod mapping;
pub mod read;
mod runner;
mod table;

pub use catalog::{Projection, TableSpec};
pub use error::{Backend, ProjectionError};
pub use event::{DomainEvent, RawRow, StoredEvent, decode};
pub use runner::{CatchUp, TableDiff, catch_up, ensure_checkpoints, rebuild, restore_deferred_indexes, verify};
