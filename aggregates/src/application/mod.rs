//! The `Application` aggregate: one 2FA account in a user's vault.

mod commands;
mod errors;
mod events;
pub(crate) mod types;

use cqrs_es::Aggregate;
use cqrs_es::event_sink::EventSink;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub use commands::ApplicationCommand;
pub use errors::ApplicationError;
pub use events::ApplicationEvent;
pub use types::{Algorithm, CreationSource, MAX_COUNTER, Metadata, OtpParams, OtpType};

use crate::common::clean_text;
use crate::common::{Sealed, Timestamp};

/// The application aggregate: only what its decisions need, rebuilt from the events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Application {
    /// Set once created.
    pub id: Option<Uuid>,
    /// The vault owner: the only user who may act on it.
    pub owner_id: Option<Uuid>,
    /// Issuer (service name).
    pub issuer: String,
    /// Account label at the issuer; issuer or label is always non-empty.
    pub label: String,
    /// The sealed OTP secret; dropped on purge.
    pub secret: Option<Sealed>,
    /// `None` only before creation.
    pub otp: Option<OtpParams>,
    /// Trimmed, unique case-insensitively, at most 32 of at most 64 characters each.
    pub tags: Vec<String>,
    /// Starred by the owner.
    pub favorite: bool,
    /// Notes, URL, icon and colour.
    pub metadata: Metadata,
    /// Sort key in the owner's vault, lowest first.
    pub position: i64,
    /// When it went to the trash; `None` when not in it. A trashed HOTP counter cannot advance.
    pub trashed_at: Option<Timestamp>,
    /// Deleted for good: the secret is dropped and nobody finds the application any more.
    pub purged: bool,
}

fn invalid(field: &'static str, message: &'static str) -> ApplicationError {
    ApplicationError::InvalidField { field, message }
}

/// Trims issuer and label; at least one must be non-empty, each at most 255 characters.
fn clean_names(issuer: &str, label: &str) -> Result<(String, String), ApplicationError> {
    let issuer = clean_text(issuer, 255).ok_or_else(|| invalid("issuer", "must be at most 255 characters without control characters"))?;
    let label = clean_text(label, 255).ok_or_else(|| invalid("label", "must be at most 255 characters without control characters"))?;
    if issuer.is_empty() && label.is_empty() {
        return Err(ApplicationError::NameRequired);
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
            C::RevealSecret { actor, at } => {
                self.owned_by(actor)?;
                vec![E::ApplicationSecretRevealed { at }]
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
            // A record for the audit trail; nothing about the application changes.
            E::ApplicationSecretRevealed { .. } => {}
        }
    }
}
