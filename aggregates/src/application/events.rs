//! What happened to an `Application`: the facts that are stored.

use cqrs_es::DomainEvent;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::types::{CreationSource, Metadata, OtpParams};
use crate::common::{Sealed, Timestamp};
use crate::domain::EVENT_VERSION_1;

/// Facts about an application. Stored as JSON and replayed for ever: variants and fields are
/// never renamed, and a changed shape needs a new event version and an upcaster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ApplicationEvent {
    /// Added to a vault.
    ApplicationCreated {
        /// Also the aggregate id.
        id: Uuid,
        /// The only user who may act on it.
        owner_id: Uuid,
        /// Trimmed.
        issuer: String,
        /// Trimmed; issuer or label is non-empty.
        label: String,
        /// Only ever sealed: the plaintext never enters an event.
        secret: Sealed,
        /// Checked by `OtpParams::validate`.
        otp: OtpParams,
        /// Cleaned: trimmed, without empties or case-insensitive duplicates.
        tags: Vec<String>,
        /// Starred from the start.
        favorite: bool,
        /// Normalised: blanks are `None`, the colour is lower-case.
        metadata: Metadata,
        /// Sort key in the owner's vault.
        position: i64,
        /// How the data was entered.
        source: CreationSource,
        /// Clock reading from the command.
        at: Timestamp,
    },
    /// Issuer or label changed.
    ApplicationRenamed {
        /// Both are recorded, even if only one changed.
        issuer: String,
        /// Trimmed; issuer or label is non-empty.
        label: String,
    },
    /// The secret was replaced.
    ApplicationSecretReplaced {
        /// Only ever sealed: the plaintext never enters an event.
        secret: Sealed,
    },
    /// OTP parameters changed.
    ApplicationOtpParametersChanged {
        /// Validated; they replace the old ones as a whole, counter included.
        otp: OtpParams,
    },
    /// Notes, URL, icon or colour changed.
    ApplicationMetadataChanged {
        /// All four fields, normalised; they replace the old ones as a whole.
        metadata: Metadata,
    },
    /// Tags changed.
    ApplicationTagsChanged {
        /// The whole new set, cleaned.
        tags: Vec<String>,
    },
    /// Marked as favourite.
    ApplicationFavorited,
    /// No longer favourite.
    ApplicationUnfavorited,
    /// Moved in the vault order.
    ApplicationMoved {
        /// Sort key in the owner's vault.
        position: i64,
    },
    /// The HOTP counter stepped forward.
    HotpCounterAdvanced {
        /// The counter after the step, at most `MAX_COUNTER`.
        counter: u64,
    },
    /// Moved to the trash.
    ApplicationTrashed {
        /// Clock reading from the command.
        at: Timestamp,
    },
    /// Restored from the trash.
    ApplicationRestored,
    /// Deleted for good.
    ApplicationPurged {
        /// Clock reading from the command.
        at: Timestamp,
    },
    /// The owner was shown the secret: an access worth its own audit record.
    ApplicationSecretRevealed {
        /// Clock reading from the command.
        at: Timestamp,
    },
}

impl DomainEvent for ApplicationEvent {
    fn event_type(&self) -> String {
        match self {
            Self::ApplicationCreated { .. } => "ApplicationCreated",
            Self::ApplicationRenamed { .. } => "ApplicationRenamed",
            Self::ApplicationSecretReplaced { .. } => "ApplicationSecretReplaced",
            Self::ApplicationOtpParametersChanged { .. } => "ApplicationOtpParametersChanged",
            Self::ApplicationMetadataChanged { .. } => "ApplicationMetadataChanged",
            Self::ApplicationTagsChanged { .. } => "ApplicationTagsChanged",
            Self::ApplicationFavorited => "ApplicationFavorited",
            Self::ApplicationUnfavorited => "ApplicationUnfavorited",
            Self::ApplicationMoved { .. } => "ApplicationMoved",
            Self::HotpCounterAdvanced { .. } => "HotpCounterAdvanced",
            Self::ApplicationTrashed { .. } => "ApplicationTrashed",
            Self::ApplicationRestored => "ApplicationRestored",
            Self::ApplicationPurged { .. } => "ApplicationPurged",
            Self::ApplicationSecretRevealed { .. } => "ApplicationSecretRevealed",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        EVENT_VERSION_1.to_owned()
    }
}
