//! Request metadata stored with every event: who caused it, from where, through which request.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

/// Who/where/how of a command, stored as the event row's metadata JSON.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestMetadata {
    /// The acting user's id, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor_id: Option<String>,
    /// `user`, `admin`, `system`, `cli` or `anonymous`.
    #[serde(default)]
    pub actor_kind: String,
    /// Client IP address (after trusted-proxy resolution).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip: Option<String>,
    /// Client user agent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_agent: Option<String>,
    /// Request id (also in the logs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// The acting session.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_id: Option<String>,
}

impl RequestMetadata {
    /// Metadata for work done by the system itself (e.g. expiry sweeps).
    pub fn system() -> Self {
        Self { actor_kind: "system".into(), ..Self::default() }
    }

    /// Metadata for the command-line tool.
    pub fn cli() -> Self {
        Self { actor_kind: "cli".into(), ..Self::default() }
    }

    /// The string map cqrs-es stores as the event metadata.
    pub fn to_map(&self) -> HashMap<String, String> {
        let mut m = HashMap::new();
        let mut put = |k: &str, v: &Option<String>| {
            if let Some(v) = v {
                m.insert(k.to_owned(), v.clone());
            }
        };
        put("actor_id", &self.actor_id);
        put("ip", &self.ip);
        put("user_agent", &self.user_agent);
        put("request_id", &self.request_id);
        put("session_id", &self.session_id);
        m.insert("actor_kind".to_owned(), if self.actor_kind.is_empty() { "system".to_owned() } else { self.actor_kind.clone() });
        m
    }
}
