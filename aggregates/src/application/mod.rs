//! The `Application` aggregate: one 2FA account in a user's vault.

use cqrs_es::event_sink::EventSink;
use cqrs_es::{Aggregate, DomainEvent};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::common::clean_text;
use crate::{DomainError, EVENT_VERSION_1, ErrorKind, Sealed, Timestamp};

/// The largest HOTP counter (2^63 − 1): stores keep integers signed, and no real token gets near it.
pub const MAX_COUNTER: u64 = i64::MAX as u64;

/// The one-time-password scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum OtpType {
    /// Time-based (RFC 6238).
    Totp,
    /// Counter-based (RFC 4226).
    Hotp,
    /// Steam Guard: TOTP with 5 characters from Steam's alphabet.
    Steam,
}

/// HMAC hash function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Algorithm {
    /// HMAC-SHA1 (the default of RFC 4226/6238).
    #[serde(rename = "SHA1")]
    Sha1,
    /// HMAC-SHA256.
    #[serde(rename = "SHA256")]
    Sha256,
    /// HMAC-SHA512.
    #[serde(rename = "SHA512")]
    Sha512,
}

/// The OTP parameters of an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OtpParams {
    /// Scheme.
    pub otp_type: OtpType,
    /// Hash.
    pub algorithm: Algorithm,
    /// Code length (6–8; Steam: 5).
    pub digits: u8,
    /// Time step in seconds (1–300), for TOTP and Steam.
    pub period: u32,
    /// Moving factor, for HOTP.
    pub counter: u64,
}

impl OtpParams {
    /// Checks the parameters; returns the offending field and why.
    pub fn validate(&self) -> Result<(), ApplicationError> {
        let bad = |field, message| Err(ApplicationError::InvalidField { field, message });
        match self.otp_type {
            OtpType::Steam => {
                if self.digits != 5 {
                    return bad("digits", "Steam codes have 5 characters");
                }
                if self.algorithm != Algorithm::Sha1 {
                    return bad("algorithm", "Steam codes use SHA1");
                }
            }
            OtpType::Totp | OtpType::Hotp => {
                if !(6..=8).contains(&self.digits) {
                    return bad("digits", "must be 6, 7 or 8");
                }
            }
        }
        if self.otp_type != OtpType::Hotp && !(1..=300).contains(&self.period) {
            return bad("period", "must be 1–300 seconds");
        }
        if self.counter > MAX_COUNTER {
            return bad("counter", "must be at most 9223372036854775807");
        }
        Ok(())
    }
}

/// Where an application's data came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CreationSource {
    /// Typed in.
    Fields,
    /// An `otpauth://` URI.
    Uri,
    /// A decoded QR image.
    Qr,
    /// An import file.
    Import,
}

/// Descriptive fields besides issuer and label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Metadata {
    /// Sealed free-text notes (may hold recovery hints, so they are sealed like the secret).
    pub notes: Option<Sealed>,
    /// The service's web address.
    pub url: Option<String>,
    /// Icon reference (a slug from the bundled icon set).
    pub icon: Option<String>,
    /// Card colour, `#rrggbb`.
    pub color: Option<String>,
}

/// The application aggregate state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Application {
    /// Set once created.
    pub id: Option<Uuid>,
    /// The vault owner.
    pub owner_id: Option<Uuid>,
    /// Issuer (service name).
    pub issuer: String,
    /// Account label.
    pub label: String,
    /// The sealed OTP secret.
    pub secret: Option<Sealed>,
    /// OTP parameters.
    pub otp: Option<OtpParams>,
    /// Tags.
    pub tags: Vec<String>,
    /// Favourite flag.
    pub favorite: bool,
    /// Descriptive fields.
    pub metadata: Metadata,
    /// Order position in the owner's vault.
    pub position: i64,
    /// In the trash since.
    pub trashed_at: Option<Timestamp>,
    /// Purged for good.
    pub purged: bool,
}

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

/// Why an application command was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApplicationError {
    /// Unknown, purged, or owned by someone else.
    #[error("application not found")]
    NotFound,
    /// Create on an existing id.
    #[error("application already exists")]
    AlreadyExists,
    /// A field is invalid.
    #[error("{field}: {message}")]
    InvalidField {
        /// Which field.
        field: &'static str,
        /// Why.
        message: &'static str,
    },
    /// HOTP-only operation on a time-based application.
    #[error("only HOTP applications have a counter")]
    NotHotp,
    /// The counter cannot move further.
    #[error("HOTP counter is exhausted")]
    CounterExhausted,
    /// The operation needs the application out of the trash.
    #[error("application is in the trash")]
    Trashed,
    /// Restore on an application that is not in the trash.
    #[error("application is not in the trash")]
    NotTrashed,
}

impl DomainError for ApplicationError {
    fn code(&self) -> &'static str {
        match self {
            Self::NotFound => "application_not_found",
            Self::AlreadyExists => "application_exists",
            Self::InvalidField { .. } => "invalid_field",
            Self::NotHotp => "not_hotp",
            Self::CounterExhausted => "counter_exhausted",
            Self::Trashed => "application_trashed",
            Self::NotTrashed => "application_not_trashed",
        }
    }
    fn field(&self) -> Option<&'static str> {
        match self {
            Self::InvalidField { field, .. } => Some(field),
            _ => None,
        }
    }
    fn kind(&self) -> ErrorKind {
        match self {
            Self::NotFound => ErrorKind::NotFound,
            Self::InvalidField { .. } => ErrorKind::Invalid,
            Self::AlreadyExists | Self::NotHotp | Self::CounterExhausted | Self::Trashed | Self::NotTrashed => ErrorKind::Conflict,
        }
    }
}

fn invalid(field: &'static str, message: &'static str) -> ApplicationError {
    ApplicationError::InvalidField { field, message }
}

/// Trims issuer and label; at least one must be non-empty, each at most 255 characters.
fn clean_names(issuer: &str, label: &str) -> Result<(String, String), ApplicationError> {
    let issuer = clean_text(issuer, 255).ok_or_else(|| invalid("issuer", "must be at most 255 characters without control characters"))?;
    let label = clean_text(label, 255).ok_or_else(|| invalid("label", "must be at most 255 characters without control characters"))?;
    if issuer.is_empty() && label.is_empty() {
        return Err(invalid("label", "issuer or label is required"));
    }
    Ok((issuer, label))
}

/// Trims, drops empties and duplicates (case-insensitively), keeps first-seen order.
fn clean_tags(tags: Vec<String>) -> Result<Vec<String>, ApplicationError> {
    let mut out: Vec<String> = Vec::with_capacity(tags.len());
    for tag in tags {
        let t = clean_text(&tag, 64).ok_or_else(|| invalid("tags", "each tag must be at most 64 characters without control characters"))?;
        if !t.is_empty() && !out.iter().any(|o| o.eq_ignore_ascii_case(&t)) {
            out.push(t);
        }
    }
    if out.len() > 32 {
        return Err(invalid("tags", "at most 32 tags"));
    }
    Ok(out)
}

fn clean_metadata(m: Metadata) -> Result<Metadata, ApplicationError> {
    let url = match m.url.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(u) => {
            let lower = u.to_ascii_lowercase();
            if u.len() > 2048
                || !(lower.starts_with("https://") || lower.starts_with("http://"))
                || u.chars().any(|c| c.is_whitespace() || c.is_control())
            {
                return Err(invalid("url", "must be an http(s) URL of at most 2048 characters"));
            }
            Some(u.to_owned())
        }
    };
    let icon = match m.icon.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(i) => {
            if i.len() > 64 || !i.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.')) {
                return Err(invalid("icon", "must be an icon name of at most 64 characters (a-z, 0-9, '-', '_', '.')"));
            }
            Some(i.to_owned())
        }
    };
    let color = match m.color.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(c) => {
            let hex = c.strip_prefix('#').filter(|h| h.len() == 6 && h.bytes().all(|b| b.is_ascii_hexdigit()));
            if hex.is_none() {
                return Err(invalid("color", "must be a colour like #1a2b3c"));
            }
            Some(c.to_ascii_lowercase())
        }
    };
    Ok(Metadata { notes: m.notes, url, icon, color })
}

impl Application {
    /// Checks that the application exists for `actor`; another owner's application does not.
    fn owned_by(&self, actor: Uuid) -> Result<(), ApplicationError> {
        if self.id.is_none() || self.purged || self.owner_id != Some(actor) { Err(ApplicationError::NotFound) } else { Ok(()) }
    }

    fn not_trashed(&self) -> Result<(), ApplicationError> {
        if self.trashed_at.is_some() { Err(ApplicationError::Trashed) } else { Ok(()) }
    }

    fn decide(&self, command: ApplicationCommand) -> Result<Vec<ApplicationEvent>, ApplicationError> {
        use ApplicationCommand as C;
        use ApplicationEvent as E;
        Ok(match command {
            C::Create { id, owner_id, issuer, label, secret, otp, tags, favorite, metadata, position, source, at } => {
                if self.id.is_some() {
                    return Err(ApplicationError::AlreadyExists);
                }
                let (issuer, label) = clean_names(&issuer, &label)?;
                otp.validate()?;
                let tags = clean_tags(tags)?;
                let metadata = clean_metadata(metadata)?;
                vec![E::ApplicationCreated { id, owner_id, issuer, label, secret, otp, tags, favorite, metadata, position, source, at }]
            }
            C::Rename { actor, issuer, label } => {
                self.owned_by(actor)?;
                let (issuer, label) = clean_names(&issuer, &label)?;
                if issuer == self.issuer && label == self.label { vec![] } else { vec![E::ApplicationRenamed { issuer, label }] }
            }
            C::ReplaceSecret { actor, secret } => {
                self.owned_by(actor)?;
                if self.secret.as_ref() == Some(&secret) { vec![] } else { vec![E::ApplicationSecretReplaced { secret }] }
            }
            C::ChangeOtpParameters { actor, otp } => {
                self.owned_by(actor)?;
                otp.validate()?;
                if self.otp == Some(otp) { vec![] } else { vec![E::ApplicationOtpParametersChanged { otp }] }
            }
            C::ChangeMetadata { actor, metadata } => {
                self.owned_by(actor)?;
                let metadata = clean_metadata(metadata)?;
                if metadata == self.metadata { vec![] } else { vec![E::ApplicationMetadataChanged { metadata }] }
            }
            C::ChangeTags { actor, tags } => {
                self.owned_by(actor)?;
                let tags = clean_tags(tags)?;
                if tags == self.tags { vec![] } else { vec![E::ApplicationTagsChanged { tags }] }
            }
            C::SetFavorite { actor, favorite } => {
                self.owned_by(actor)?;
                match (self.favorite, favorite) {
                    (false, true) => vec![E::ApplicationFavorited],
                    (true, false) => vec![E::ApplicationUnfavorited],
                    _ => vec![],
                }
            }
            C::Move { actor, position } => {
                self.owned_by(actor)?;
                if position == self.position { vec![] } else { vec![E::ApplicationMoved { position }] }
            }
            C::AdvanceHotpCounter { actor } => {
                self.owned_by(actor)?;
                self.not_trashed()?;
                let otp = self.otp.ok_or(ApplicationError::NotFound)?;
                if otp.otp_type != OtpType::Hotp {
                    return Err(ApplicationError::NotHotp);
                }
                let counter = otp.counter.checked_add(1).filter(|c| *c <= MAX_COUNTER).ok_or(ApplicationError::CounterExhausted)?;
                vec![E::HotpCounterAdvanced { counter }]
            }
            C::Trash { actor, at } => {
                self.owned_by(actor)?;
                self.not_trashed()?;
                vec![E::ApplicationTrashed { at }]
            }
            C::Restore { actor } => {
                self.owned_by(actor)?;
                if self.trashed_at.is_none() {
                    return Err(ApplicationError::NotTrashed);
                }
                vec![E::ApplicationRestored]
            }
            C::Purge { actor, at } => {
                self.owned_by(actor)?;
                vec![E::ApplicationPurged { at }]
            }
        })
    }
}

impl Aggregate for Application {
    const TYPE: &'static str = "application";
    type Command = ApplicationCommand;
    type Event = ApplicationEvent;
    type Error = ApplicationError;
    type Services = ();

    async fn handle(&mut self, command: Self::Command, (): &(), sink: &EventSink<Self>) -> Result<(), Self::Error> {
        for event in self.decide(command)? {
            sink.write(event, self).await;
        }
        Ok(())
    }

    fn apply(&mut self, event: Self::Event) {
        use ApplicationEvent as E;
        match event {
            E::ApplicationCreated { id, owner_id, issuer, label, secret, otp, tags, favorite, metadata, position, .. } => {
                self.id = Some(id);
                self.owner_id = Some(owner_id);
                self.issuer = issuer;
                self.label = label;
                self.secret = Some(secret);
                self.otp = Some(otp);
                self.tags = tags;
                self.favorite = favorite;
                self.metadata = metadata;
                self.position = position;
            }
            E::ApplicationRenamed { issuer, label } => {
                self.issuer = issuer;
                self.label = label;
            }
            E::ApplicationSecretReplaced { secret } => self.secret = Some(secret),
            E::ApplicationOtpParametersChanged { otp } => self.otp = Some(otp),
            E::ApplicationMetadataChanged { metadata } => self.metadata = metadata,
            E::ApplicationTagsChanged { tags } => self.tags = tags,
            E::ApplicationFavorited => self.favorite = true,
            E::ApplicationUnfavorited => self.favorite = false,
            E::ApplicationMoved { position } => self.position = position,
            E::HotpCounterAdvanced { counter } => {
                if let Some(otp) = self.otp.as_mut() {
                    otp.counter = counter;
                }
            }
            E::ApplicationTrashed { at } => self.trashed_at = Some(at),
            E::ApplicationRestored => self.trashed_at = None,
            E::ApplicationPurged { .. } => {
                self.purged = true;
                self.secret = None;
            }
        }
    }
}
