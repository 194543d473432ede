//! The read API: typed queries over the read models, for the application layer. Each function
//! returns row structs with their enums already parsed; a stored value this version cannot read
//! is an error ([`ReadError::Corrupt`]), never a silent default. The SQL lives in `read/sql/`.

pub mod applications;
pub mod audit;
pub mod progress;
pub mod sessions;
pub mod users;

use std::str::FromStr;

use sqlx::Row;
use sqlx::any::AnyRow;

/// Why a read failed.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The database failed.
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    /// A stored value does not decode (a newer version wrote it, or the row was edited by hand).
    #[error("{table}.{column} holds {value:?}, which this version cannot read")]
    Corrupt {
        /// Read model table.
        table: &'static str,
        /// Column.
        column: &'static str,
        /// The stored text, or why it did not decode.
        value: String,
    },
}

/// One row of one table, read by column name.
pub(crate) struct Cells<'r> {
    row: &'r AnyRow,
    table: &'static str,
}

impl<'r> Cells<'r> {
    pub(crate) fn new(table: &'static str, row: &'r AnyRow) -> Self {
        Self { row, table }
    }

    pub(crate) fn text(&self, column: &'static str) -> Result<String, ReadError> {
        Ok(self.row.try_get(column)?)
    }

    pub(crate) fn opt_text(&self, column: &'static str) -> Result<Option<String>, ReadError> {
        Ok(self.row.try_get(column)?)
    }

    pub(crate) fn int(&self, column: &'static str) -> Result<i64, ReadError> {
        Ok(self.row.try_get(column)?)
    }

    pub(crate) fn opt_int(&self, column: &'static str) -> Result<Option<i64>, ReadError> {
        Ok(self.row.try_get(column)?)
    }

    /// A 0/1 flag (both stores keep booleans as integers).
    pub(crate) fn flag(&self, column: &'static str) -> Result<bool, ReadError> {
        match self.int(column)? {
            0 => Ok(false),
            1 => Ok(true),
            other => Err(self.corrupt(column, other.to_string())),
        }
    }

    /// An integer that must fit `T` (e.g. a `u8` digit count).
    pub(crate) fn int_as<T: TryFrom<i64>>(&self, column: &'static str) -> Result<T, ReadError> {
        let n = self.int(column)?;
        T::try_from(n).map_err(|_| self.corrupt(column, n.to_string()))
    }

    /// A text column holding one of an enum's names.
    pub(crate) fn parsed<T: FromStr>(&self, column: &'static str) -> Result<T, ReadError> {
        let text = self.text(column)?;
        text.parse().map_err(|_| self.corrupt(column, text))
    }

    /// A text column holding JSON.
    pub(crate) fn json<T: serde::de::DeserializeOwned>(&self, column: &'static str) -> Result<T, ReadError> {
        let text = self.text(column)?;
        serde_json::from_str(&text).map_err(|e| self.corrupt(column, format!("{text} ({e})")))
    }

    /// A text column holding a sealed envelope.
    pub(crate) fn sealed(&self, column: &'static str) -> Result<aggregates::Sealed, ReadError> {
        let text = self.text(column)?;
        aggregates::Sealed::new(text).ok_or_else(|| self.corrupt(column, "a value that is not sealed".into()))
    }

    /// An optional sealed envelope.
    pub(crate) fn opt_sealed(&self, column: &'static str) -> Result<Option<aggregates::Sealed>, ReadError> {
        self.opt_text(column)?
            .map(|text| aggregates::Sealed::new(text).ok_or_else(|| self.corrupt(column, "a value that is not sealed".into())))
            .transpose()
    }

    pub(crate) fn corrupt(&self, column: &'static str, value: String) -> ReadError {
        ReadError::Corrupt { table: self.table, column, value }
    }
}
