//! What happened to an `Application`: the facts that are stored.

use cqrs_es::DomainEvent;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{CreationSource, Metadata, OtpParams};
use crate::{EVENT_VERSION_1, Sealed, Timestamp};

/// Facts about an application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ApplicationEvent {
    /// Added to a vault.
    ApplicationCreated {
        /// Id.
        id: Uuid,
        /// Owner.
        owner_id: Uuid,
        /// Issuer.
        issuer: String,
        /// Label.
        label: String,
        /// Sealed secret.
        secret: Sealed,
        /// OTP parameters.
        otp: OtpParams,
        /// Tags.
        tags: Vec<String>,
        /// Favourite.
        favorite: bool,
        /// Descriptive fields.
        metadata: Metadata,
        /// Position.
        position: i64,
        /// Origin.
        source: CreationSource,
        /// When.
        at: Timestamp,
    },
    /// Issuer or label changed.
    ApplicationRenamed {
        /// Issuer.
        issuer: String,
        /// Label.
        label: String,
    },
    /// The secret was replaced.
    ApplicationSecretReplaced {
        /// New sealed secret.
        secret: Sealed,
    },
    /// OTP parameters changed.
    ApplicationOtpParametersChanged {
        /// New parameters.
        otp: OtpParams,
    },
    /// Notes, URL, icon or colour changed.
    ApplicationMetadataChanged {
        /// New fields.
        metadata: Metadata,
    },
    /// Tags changed.
    ApplicationTagsChanged {
        /// New tags.
        tags: Vec<String>,
    },
    /// Marked as favourite.
    ApplicationFavorited,
    /// No longer favourite.
    ApplicationUnfavorited,
    /// Moved in the vault order.
    ApplicationMoved {
        /// New position.
        position: i64,
    },
    /// The HOTP counter stepped forward.
    HotpCounterAdvanced {
        /// New counter value.
        counter: u64,
    },
    /// Moved to the trash.
    ApplicationTrashed {
        /// When.
        at: Timestamp,
    },
    /// Restored from the trash.
    ApplicationRestored,
    /// Deleted for good.
    ApplicationPurged {
        /// When.
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
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        EVENT_VERSION_1.to_owned()
    }
}
