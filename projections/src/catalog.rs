//! The read models and their tables, each table declared once.
//!
//! `table!` turns one declaration (SQL name, key column, append-only flag, and every column with
//! its Rust name, SQL name and kind) into a module holding the `TableSpec` the SQL is generated
//! from, a marker type for the table, and one `Col` constant per column. Rows are then built and
//! changed by those constants (`users::EMAIL`), never by position or by name at run time: a
//! misspelt column, or a column of another table, does not compile. The integration test
//! `tests/schema.rs` checks every declaration against the migrations of both stores.

use std::marker::PhantomData;

use crate::error::ProjectionError;

/// The read models.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Projection {
    /// `users` (+ `passkeys`): accounts by id, email and username, and their passkeys.
    Users,
    /// `applications`: vault entries per owner, ordered, ciphertext only.
    Applications,
    /// `sessions`: live and ended sessions.
    Sessions,
    /// `settings`: the settings document.
    Settings,
    /// `audit_index` (+ `audit_subjects`): one row per event for audit queries.
    Audit,
}

impl Projection {
    /// Every projection.
    pub const ALL: [Self; 5] = [Self::Users, Self::Applications, Self::Sessions, Self::Settings, Self::Audit];

    /// The checkpoint name (also the CLI name).
    pub fn name(self) -> &'static str {
        match self {
            Self::Users => "users",
            Self::Applications => "applications",
            Self::Sessions => "sessions",
            Self::Settings => "settings",
            Self::Audit => "audit",
        }
    }

    /// Parses a CLI name.
    pub fn from_name(name: &str) -> Result<Self, ProjectionError> {
        Self::ALL.into_iter().find(|p| p.name() == name).ok_or_else(|| ProjectionError::UnknownProjection(name.to_owned()))
    }

    /// The tables this projection owns.
    pub fn tables(self) -> &'static [TableSpec] {
        match self {
            Self::Users => &[users::SPEC, passkeys::SPEC],
            Self::Applications => &[applications::SPEC, vault_versions::SPEC],
            Self::Sessions => &[sessions::SPEC],
            Self::Settings => &[settings::SPEC],
            Self::Audit => &[audit_index::SPEC, audit_subjects::SPEC],
        }
    }
}

/// A read-model table: its name, key column, columns, and which columns are integers.
#[derive(Debug, Clone, Copy)]
pub struct TableSpec {
    /// Table name.
    pub name: &'static str,
    /// Primary-key column (always the first column).
    pub key: &'static str,
    /// All columns.
    pub columns: &'static [&'static str],
    /// The integer columns; every other column is text.
    pub ints: &'static [&'static str],
    /// Whether a rebuild only ever inserts rows (never looks one up or changes it), so that its
    /// unique indexes can wait until the load is done.
    pub append_only: bool,
}

/// A table known at compile time (the marker type `table!` generates for it).
pub(crate) trait TableDef: 'static {
    /// The table's definition.
    const SPEC: TableSpec;
    /// Whether each column is an integer, in column order (what reading a row needs).
    const INT_MASK: &'static [bool];
}

/// A column of table `T`: its position in `T::SPEC.columns`. Only `table!` makes them, so every
/// `Col<T>` is a valid index into a row of `T`.
pub(crate) struct Col<T>(usize, PhantomData<fn() -> T>);

// Not derived: derives would require `T: Clone`, and the marker types need not be.
impl<T> Clone for Col<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Col<T> {}

impl<T> Col<T> {
    /// The column at `index` (for `table!` only).
    const fn at(index: usize) -> Self {
        Self(index, PhantomData)
    }

    /// Its position in the row.
    pub(crate) fn index(self) -> usize {
        self.0
    }
}

impl<T: TableDef> Col<T> {
    /// Its SQL name.
    pub(crate) fn name(self) -> &'static str {
        T::SPEC.columns[self.0]
    }
}

/// How many of `mask` are set (the length of a table's `ints`).
const fn count(mask: &[bool]) -> usize {
    let (mut i, mut n) = (0, 0);
    while i < mask.len() {
        if mask[i] {
            n += 1;
        }
        i += 1;
    }
    n
}

/// The columns whose `mask` entry is set, in order.
const fn only_ints<const N: usize>(columns: &[&'static str], mask: &[bool]) -> [&'static str; N] {
    let mut out = [""; N];
    let (mut i, mut n) = (0, 0);
    while i < columns.len() {
        if mask[i] {
            out[n] = columns[i];
            n += 1;
        }
        i += 1;
    }
    out
}

/// Declares a table (see the module documentation). Each column is `RUST_NAME: "sql_name" kind`
/// with kind `text` or `int`; the `key` column comes first, as the row cache expects.
macro_rules! table {
    (
        $(#[$doc:meta])*
        $module:ident = $name:literal $(, $append_only:ident)? {
            key $key:ident: $key_sql:literal $key_kind:ident,
            $($col:ident: $sql:literal $kind:ident),+ $(,)?
        }
    ) => {
        $(#[$doc])*
        pub(crate) mod $module {
            use crate::catalog::{Col, TableDef, TableSpec, count, only_ints};

            #[doc = concat!("The `", $name, "` table as a type: `Col<Def>` are its columns, `Table<Def>` its row cache.")]
            #[derive(Debug, Clone, Copy)]
            pub(crate) struct Def;

            /// Column names, in column order.
            const COLUMNS: &[&str] = &[$key_sql, $($sql),+];
            /// Whether each column is an integer, in column order.
            const INT_MASK: &[bool] = &[table!(@int $key_kind), $(table!(@int $kind)),+];
            /// The integer columns, in column order.
            const INTS: [&str; count(INT_MASK)] = only_ints(COLUMNS, INT_MASK);
            // A row under construction records its set cells in a `u64`.
            const _: () = assert!(COLUMNS.len() <= 64, "a table may have at most 64 columns");

            impl TableDef for Def {
                const SPEC: TableSpec = TableSpec {
                    name: $name,
                    key: $key_sql,
                    columns: COLUMNS,
                    ints: &INTS,
                    append_only: table!(@append_only $($append_only)?),
                };
                const INT_MASK: &'static [bool] = INT_MASK;
            }

            #[doc = concat!("The `", $name, "` table's definition.")]
            pub(crate) const SPEC: TableSpec = <Def as TableDef>::SPEC;

            table!(@columns $name; 0usize; $key $key_sql, $($col $sql,)+);
        }
    };
    // One constant per column, numbered in declaration order.
    (@columns $table:literal; $i:expr;) => {};
    (@columns $table:literal; $i:expr; $col:ident $sql:literal, $($rest:tt)*) => {
        #[doc = concat!("`", $table, ".", $sql, "`.")]
        pub(crate) const $col: Col<Def> = Col::at($i);
        table!(@columns $table; $i + 1; $($rest)*);
    };
    (@int int) => { true };
    (@int text) => { false };
    (@append_only) => { false };
    (@append_only append_only) => { true };
}

table! {
    /// `users`: one row per account.
    users = "users" {
        key ID: "id" text,
        EMAIL: "email" text,
        USERNAME: "username" text,
        DISPLAY_NAME: "display_name" text,
        ROLE: "role" text,
        DISABLED: "disabled" int,
        LOCKED_UNTIL: "locked_until" text,
        PASSWORD_HASH: "password_hash" text,
        REGISTRATION_METHOD: "registration_method" text,
        PREFERENCES: "preferences" text,
        CREATED_AT: "created_at" text,
        UPDATED_AT: "updated_at" text,
        LAST_LOGIN_AT: "last_login_at" text,
        DELETED_AT: "deleted_at" text,
        TOTP_ENABLED: "totp_enabled" int,
        RECOVERY_CODES_LEFT: "recovery_codes_left" int,
        PASSKEYS: "passkeys" int,
    }
}

table! {
    /// `passkeys`: one row per registered passkey (never its credential: the write side keeps that).
    passkeys = "passkeys" {
        key CREDENTIAL_ID: "credential_id" text,
        USER_ID: "user_id" text,
        NAME: "name" text,
        REGISTERED_AT: "registered_at" text,
        LAST_USED_AT: "last_used_at" text,
    }
}

table! {
    /// `applications`: one row per vault entry.
    applications = "applications" {
        key ID: "id" text,
        OWNER_ID: "owner_id" text,
        ISSUER: "issuer" text,
        LABEL: "label" text,
        OTP_TYPE: "otp_type" text,
        ALGORITHM: "algorithm" text,
        DIGITS: "digits" int,
        PERIOD: "period" int,
        COUNTER: "counter" int,
        SECRET: "secret" text,
        NOTES: "notes" text,
        URL: "url" text,
        ICON: "icon" text,
        COLOR: "color" text,
        TAGS: "tags" text,
        FAVORITE: "favorite" int,
        POSITION: "position" int,
        SOURCE: "source" text,
        TRASHED_AT: "trashed_at" text,
        CREATED_AT: "created_at" text,
        UPDATED_AT: "updated_at" text,
    }
}

table! {
    /// `vault_versions`: per-owner vault version (the position of the owner's latest application event).
    vault_versions = "vault_versions" {
        key OWNER_ID: "owner_id" text,
        POSITION: "position" int,
    }
}

table! {
    /// `sessions`: one row per session, live or ended.
    sessions = "sessions" {
        key ID: "id" text,
        USER_ID: "user_id" text,
        METHOD: "method" text,
        REFRESH_TOKEN_HASH: "refresh_token_hash" text,
        STARTED_AT: "started_at" text,
        REFRESHED_AT: "refreshed_at" text,
        EXPIRES_AT: "expires_at" text,
        IP: "ip" text,
        USER_AGENT: "user_agent" text,
        ENDED_AT: "ended_at" text,
        END_REASON: "end_reason" text,
    }
}

table! {
    /// `settings`: the settings document.
    settings = "settings" {
        key ID: "id" text,
        DOCUMENT: "document" text,
        UPDATED_AT: "updated_at" text,
    }
}

table! {
    /// `audit_index`: one row per event, written once (so append-only).
    audit_index = "audit_index", append_only {
        key POSITION: "position" int,
        RECORDED_AT: "recorded_at" text,
        ACTOR_ID: "actor_id" text,
        ACTOR_KIND: "actor_kind" text,
        SUBJECT_USER_ID: "subject_user_id" text,
        AGGREGATE_TYPE: "aggregate_type" text,
        AGGREGATE_ID: "aggregate_id" text,
        EVENT_TYPE: "event_type" text,
        OUTCOME: "outcome" text,
        IP: "ip" text,
        REQUEST_ID: "request_id" text,
    }
}

table! {
    /// `audit_subjects`: which user an aggregate belongs to (an application's owner).
    audit_subjects = "audit_subjects" {
        key AGGREGATE_ID: "aggregate_id" text,
        USER_ID: "user_id" text,
    }
}
