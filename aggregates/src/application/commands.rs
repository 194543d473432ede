//! What can be asked of an `Application`.

use uuid::Uuid;

use super::{CreationSource, Metadata, OtpParams};
use crate::{Sealed, Timestamp};

/// Commands on an application. Every command but `Create` names the acting user: only the owner
/// may act, and anyone else is told the application does not exist.
#[derive(Debug, Clone, PartialEq)]
pub enum ApplicationCommand {
    /// Add an application to a vault.
    Create {
        /// New id.
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
        /// Clock reading.
        at: Timestamp,
    },
    /// Change issuer and label.
    Rename {
        /// Acting user.
        actor: Uuid,
        /// New issuer.
        issuer: String,
        /// New label.
        label: String,
    },
    /// Replace the secret.
    ReplaceSecret {
        /// Acting user.
        actor: Uuid,
        /// New sealed secret.
        secret: Sealed,
    },
    /// Change the OTP parameters.
    ChangeOtpParameters {
        /// Acting user.
        actor: Uuid,
        /// New parameters.
        otp: OtpParams,
    },
    /// Change notes, URL, icon or colour.
    ChangeMetadata {
        /// Acting user.
        actor: Uuid,
        /// New fields.
        metadata: Metadata,
    },
    /// Replace the tag set.
    ChangeTags {
        /// Acting user.
        actor: Uuid,
        /// New tags.
        tags: Vec<String>,
    },
    /// Mark or unmark as favourite.
    SetFavorite {
        /// Acting user.
        actor: Uuid,
        /// New flag.
        favorite: bool,
    },
    /// Move within the vault order.
    Move {
        /// Acting user.
        actor: Uuid,
        /// New position.
        position: i64,
    },
    /// Step an HOTP counter forward.
    AdvanceHotpCounter {
        /// Acting user.
        actor: Uuid,
    },
    /// Move to the trash.
    Trash {
        /// Acting user.
        actor: Uuid,
        /// Clock reading.
        at: Timestamp,
    },
    /// Take back out of the trash.
    Restore {
        /// Acting user.
        actor: Uuid,
    },
    /// Delete for good.
    Purge {
        /// Acting user.
        actor: Uuid,
        /// Clock reading.
        at: Timestamp,
    },
}
