//! The vaults: applications per owner, ciphertext only.

use aggregates::Sealed;
use aggregates::application::OtpParams;
use sqlx::AnyPool;
use sqlx::any::AnyRow;

use super::{Cells, ReadError};

const TABLE: &str = "applications";

/// One application with its secret and notes still sealed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicationRow {
    /// Application id.
    pub id: String,
    /// Owner's user id.
    pub owner_id: String,
    /// Service name.
    pub issuer: String,
    /// Account name at the service.
    pub label: String,
    /// OTP parameters.
    pub otp: OtpParams,
    /// The sealed secret.
    pub secret: Sealed,
    /// Sealed notes.
    pub notes: Option<Sealed>,
    /// Web address.
    pub url: Option<String>,
    /// Icon.
    pub icon: Option<String>,
    /// Colour.
    pub color: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// Favourite.
    pub favorite: bool,
    /// Place in the owner's order.
    pub position: i64,
    /// In the trash since (stored time text).
    pub trashed_at: Option<String>,
    /// Creation time (stored time text).
    pub created_at: String,
    /// Last change (stored time text).
    pub updated_at: String,
}

fn otp(c: &Cells<'_>) -> Result<OtpParams, ReadError> {
    Ok(OtpParams {
        otp_type: c.parsed("otp_type")?,
        algorithm: c.parsed("algorithm")?,
        digits: c.int_as("digits")?,
        period: c.int_as("period")?,
        counter: c.int_as("counter")?,
    })
}

fn application(r: &AnyRow) -> Result<ApplicationRow, ReadError> {
    let c = Cells::new(TABLE, r);
    Ok(ApplicationRow {
        id: c.text("id")?,
        owner_id: c.text("owner_id")?,
        issuer: c.text("issuer")?,
        label: c.text("label")?,
        otp: otp(&c)?,
        secret: c.sealed("secret")?,
        notes: c.opt_sealed("notes")?,
        url: c.opt_text("url")?,
        icon: c.opt_text("icon")?,
        color: c.opt_text("color")?,
        tags: c.json("tags")?,
        favorite: c.flag("favorite")?,
        position: c.int("position")?,
        trashed_at: c.opt_text("trashed_at")?,
        created_at: c.text("created_at")?,
        updated_at: c.text("updated_at")?,
    })
}

/// The owner's applications in their order, the trash included.
pub async fn of_owner(pool: &AnyPool, owner: &str) -> Result<Vec<ApplicationRow>, ReadError> {
    let rows = sqlx::query(include_str!("sql/applications_of_owner.sql")).bind(owner.to_owned()).fetch_all(pool).await?;
    rows.iter().map(application).collect()
}

/// The application, if `owner` owns it (another user's application does not exist for them).
pub async fn of_owner_by_id(pool: &AnyPool, owner: &str, id: &str) -> Result<Option<ApplicationRow>, ReadError> {
    let row = sqlx::query(include_str!("sql/application_of_owner.sql")).bind(id.to_owned()).bind(owner.to_owned()).fetch_optional(pool).await?;
    row.as_ref().map(application).transpose()
}

/// The ids of the owner's applications, the trash included.
pub async fn ids_of_owner(pool: &AnyPool, owner: &str) -> Result<Vec<String>, ReadError> {
    let rows = sqlx::query(include_str!("sql/application_ids_of_owner.sql")).bind(owner.to_owned()).fetch_all(pool).await?;
    rows.iter().map(|r| Cells::new(TABLE, r).text("id")).collect()
}

/// The position a new application takes: after the owner's last one.
pub async fn next_position(pool: &AnyPool, owner: &str) -> Result<i64, ReadError> {
    let row = sqlx::query(include_str!("sql/application_next_position.sql")).bind(owner.to_owned()).fetch_one(pool).await?;
    Cells::new(TABLE, &row).int("next_position")
}

/// The owner's vault version: the position of the latest event on one of their applications,
/// on whichever replica it was written; 0 before any. While it stands still, the vault is unchanged.
pub async fn vault_version(pool: &AnyPool, owner: &str) -> Result<i64, ReadError> {
    let row = sqlx::query(include_str!("sql/vault_version.sql")).bind(owner.to_owned()).fetch_optional(pool).await?;
    row.map_or(Ok(0), |r| Cells::new("vault_versions", &r).int("position"))
}

/// What computing one application's codes needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeSource {
    /// Application id.
    pub id: String,
    /// OTP parameters.
    pub otp: OtpParams,
    /// The sealed secret.
    pub secret: Sealed,
}

/// The code sources of the owner's applications not in the trash, in their order.
pub async fn code_sources(pool: &AnyPool, owner: &str) -> Result<Vec<CodeSource>, ReadError> {
    let rows = sqlx::query(include_str!("sql/application_code_sources.sql")).bind(owner.to_owned()).fetch_all(pool).await?;
    rows.iter()
        .map(|r| {
            let c = Cells::new(TABLE, r);
            Ok(CodeSource { id: c.text("id")?, otp: otp(&c)?, secret: c.sealed("secret")? })
        })
        .collect()
}
