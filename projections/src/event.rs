//! Events as the projections read them from the log: decoded (and upcast) into their
//! aggregate's event type, with the metadata and recording time they were stored with.

use aggregates::{ApplicationEvent, RequestMetadata, SettingsEvent, UserEvent};

use crate::error::ProjectionError;
use cqrs_es::Aggregate;
use cqrs_es::persist::{EventUpcaster, SerializedEvent};

/// An event as read from the log, decoded into its aggregate's event type.
#[derive(Debug, Clone)]
pub struct StoredEvent {
    /// Global position.
    pub position: i64,
    /// Aggregate type.
    pub aggregate_type: String,
    /// Aggregate id.
    pub aggregate_id: String,
    /// Per-aggregate sequence.
    pub sequence: i64,
    /// Event type name.
    pub event_type: String,
    /// Who, where and how.
    pub metadata: RequestMetadata,
    /// When it was recorded (stored text).
    pub recorded_at: String,
    /// The typed payload.
    pub event: DomainEvent,
}

/// A decoded payload.
#[derive(Debug, Clone)]
pub enum DomainEvent {
    /// A `User` event.
    User(UserEvent),
    /// An `Application` event.
    Application(ApplicationEvent),
    /// A `Settings` event.
    Settings(SettingsEvent),
    /// An aggregate type this version does not project (kept in the audit index only).
    Other,
}

/// The columns of one event row as stored.
#[derive(Debug, Clone)]
pub struct RawRow {
    /// Global position.
    pub position: i64,
    /// Aggregate type.
    pub aggregate_type: String,
    /// Aggregate id.
    pub aggregate_id: String,
    /// Per-aggregate sequence.
    pub sequence: i64,
    /// Event type.
    pub event_type: String,
    /// Schema version.
    pub event_version: String,
    /// Payload JSON text.
    pub payload: String,
    /// Metadata JSON text.
    pub metadata: String,
    /// Recording time text.
    pub recorded_at: String,
}

fn typed<T: serde::de::DeserializeOwned>(raw: &RawRow, value: Option<serde_json::Value>) -> Result<T, ProjectionError> {
    let result = match value {
        Some(v) => serde_json::from_value(v),
        None => serde_json::from_str(&raw.payload),
    };
    result.map_err(|e| ProjectionError::Decode { position: raw.position, event_type: raw.event_type.clone(), message: e.to_string() })
}

/// Upcasts (when an upcaster applies) and decodes one event row.
pub fn decode(raw: RawRow, upcasters: &[Box<dyn EventUpcaster>]) -> Result<StoredEvent, ProjectionError> {
    // Only events an upcaster rewrites take the detour through a JSON value.
    let upcast = if upcasters.iter().any(|u| u.can_upcast(&raw.event_type, &raw.event_version)) {
        let payload = serde_json::from_str(&raw.payload).map_err(|e| ProjectionError::Decode {
            position: raw.position,
            event_type: raw.event_type.clone(),
            message: e.to_string(),
        })?;
        let mut serialized = SerializedEvent {
            aggregate_id: raw.aggregate_id.clone(),
            sequence: raw.sequence as usize,
            aggregate_type: raw.aggregate_type.clone(),
            event_type: raw.event_type.clone(),
            event_version: raw.event_version.clone(),
            payload,
            metadata: serde_json::Value::Null,
        };
        for upcaster in upcasters {
            if upcaster.can_upcast(&serialized.event_type, &serialized.event_version) {
                serialized = upcaster.upcast(serialized);
            }
        }
        Some(serialized.payload)
    } else {
        None
    };
    let event = match raw.aggregate_type.as_str() {
        t if t == aggregates::User::TYPE => DomainEvent::User(typed(&raw, upcast)?),
        t if t == aggregates::Application::TYPE => DomainEvent::Application(typed(&raw, upcast)?),
        t if t == aggregates::Settings::TYPE => DomainEvent::Settings(typed(&raw, upcast)?),
        _ => DomainEvent::Other,
    };
    let metadata = serde_json::from_str(&raw.metadata).unwrap_or_default();
    Ok(StoredEvent {
        position: raw.position,
        aggregate_type: raw.aggregate_type,
        aggregate_id: raw.aggregate_id,
        sequence: raw.sequence,
        event_type: raw.event_type,
        metadata,
        recorded_at: raw.recorded_at,
        event,
    })
}
