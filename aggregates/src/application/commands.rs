//! What can be asked of an `Application`.

use uuid::Uuid;

use super::types::{CreationSource, Metadata, OtpParams};
use crate::common::{Sealed, Timestamp};

/// Requests to an application. Every command but `Create` names the acting user: only the owner
/// may act, and anyone else is told the application does not exist.
#[derive(Debug, Clone, PartialEq)]
pub enum ApplicationCommand {
    /// Add an application to a vault.
    Create {
        /// Chosen by the caller (UUID v7); also the aggregate id.
        id: Uuid,
        /// The user whose vault it joins; only they may act on it later.
        owner_id: Uuid,
        /// Service name; trimmed, at most 255 characters.
        issuer: String,
        /// Account name at the issuer; like `issuer`, and at least one of the two is non-empty.
        label: String,
        /// Sealed by the caller; the domain never sees the plaintext.
        secret: Sealed,
        /// Checked by `OtpParams::validate`.
        otp: OtpParams,
        /// Trimmed; empties and case-insensitive duplicates are dropped, and more than 32 are refused.
        tags: Vec<String>,
        /// Starred from the start.
        favorite: bool,
        /// Notes, URL, icon and colour; checked and normalised.
        metadata: Metadata,
        /// Sort key in the owner's vault, chosen by the caller.
        position: i64,
        /// How the data was entered; recorded, not checked.
        source: CreationSource,
        /// Clock reading.
        at: Timestamp,
    },
    /// Change issuer and label.
    Rename {
        /// The user asking; must be the owner.
        actor: Uuid,
        /// Same rules as at creation.
        issuer: String,
        /// Same rules as at creation.
        label: String,
    },
    /// Replace the secret.
    ReplaceSecret {
        /// The user asking; must be the owner.
        actor: Uuid,
        /// Sealed by the caller; the current envelope records nothing.
        secret: Sealed,
    },
    /// Change the OTP parameters.
    ChangeOtpParameters {
        /// The user asking; must be the owner.
        actor: Uuid,
        /// Checked by `OtpParams::validate`; the current parameters record nothing.
        otp: OtpParams,
    },
    /// Change notes, URL, icon or colour.
    ChangeMetadata {
        /// The user asking; must be the owner.
        actor: Uuid,
        /// Replaces all four fields; blank ones are cleared.
        metadata: Metadata,
    },
    /// Replace the tag set.
    ChangeTags {
        /// The user asking; must be the owner.
        actor: Uuid,
        /// Replaces the whole set; cleaned like at creation.
        tags: Vec<String>,
    },
    /// Mark or unmark as favourite.
    SetFavorite {
        /// The user asking; must be the owner.
        actor: Uuid,
        /// The state wanted; the current state records nothing.
        favorite: bool,
    },
    /// Move within the vault order.
    Move {
        /// The user asking; must be the owner.
        actor: Uuid,
        /// New sort key; the vault's other applications are moved by their own commands.
        position: i64,
    },
    /// Step an HOTP counter forward.
    AdvanceHotpCounter {
        /// The user asking; must be the owner.
        actor: Uuid,
    },
    /// Move to the trash.
    Trash {
        /// The user asking; must be the owner.
        actor: Uuid,
        /// Clock reading.
        at: Timestamp,
    },
    /// Take back out of the trash.
    Restore {
        /// The user asking; must be the owner.
        actor: Uuid,
    },
    /// Delete for good.
    Purge {
        /// The user asking; must be the owner.
        actor: Uuid,
        /// Clock reading.
        at: Timestamp,
    },
    /// Record that the owner was shown the secret (to move the account to another device); the
    /// caller checked the owner's recent step-up.
    RevealSecret {
        /// The user asking; must be the owner.
        actor: Uuid,
        /// Clock reading.
        at: Timestamp,
    },
}
