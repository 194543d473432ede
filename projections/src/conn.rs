//! The few database operations the projections need, over two kinds of connection: sqlx's Any
//! driver (live catch-up and everything on SQLite) and a typed PostgreSQL connection, which a
//! rebuild uses because it can bulk-load new rows with `COPY` (the Any driver has no `COPY`).
//! Rows travel as cells (`V`), so the projection code is the same over both.

use std::fmt::Write as _;

use futures::future::BoxFuture;
use sqlx::{AnyConnection, PgConnection, Row};

use crate::catalog::TableSpec;
use crate::cell::V;

/// A connection projections can read and write through; `Transaction`s of it deref to it.
pub(crate) trait Conn: sqlx::Connection<Database: sqlx::Database<Connection = Self>> + Send {
    /// The rows of `sql` as cells; `ints[i]` tells whether column `i` is an integer (else text).
    fn rows<'a>(&'a mut self, sql: &'a str, binds: Vec<V>, ints: &'a [bool]) -> BoxFuture<'a, Result<Vec<Vec<V>>, sqlx::Error>>;

    /// Runs one statement.
    fn run<'a>(&'a mut self, sql: &'a str, binds: Vec<V>) -> BoxFuture<'a, Result<(), sqlx::Error>>;

    /// Bulk-inserts rows that do not exist yet, if this connection has a faster way than
    /// multi-row `INSERT`s; `false` means it has none and nothing was written.
    fn copy_in<'a>(&'a mut self, _spec: &'a TableSpec, _rows: &'a [Vec<V>]) -> BoxFuture<'a, Result<bool, sqlx::Error>> {
        Box::pin(async { Ok(false) })
    }
}

/// Binds the cells in order.
fn bind_all<'q, DB: sqlx::Database>(
    mut q: sqlx::query::Query<'q, DB, DB::Arguments<'q>>,
    binds: Vec<V>,
) -> sqlx::query::Query<'q, DB, DB::Arguments<'q>>
where
    Option<String>: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    Option<i64>: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    for b in binds {
        q = match b {
            V::T(s) => q.bind(s),
            V::I(i) => q.bind(i),
        };
    }
    q
}

/// `rows` and `run` for a concrete sqlx database type.
macro_rules! via_sqlx {
    ($db:ty) => {
        fn rows<'a>(&'a mut self, sql: &'a str, binds: Vec<V>, ints: &'a [bool]) -> BoxFuture<'a, Result<Vec<Vec<V>>, sqlx::Error>> {
            Box::pin(async move {
                let q = bind_all(sqlx::query::<$db>(sql), binds);
                let rows = q.fetch_all(&mut *self).await?;
                rows.iter()
                    .map(|r| ints.iter().enumerate().map(|(i, int)| if *int { r.try_get(i).map(V::I) } else { r.try_get(i).map(V::T) }).collect())
                    .collect()
            })
        }

        fn run<'a>(&'a mut self, sql: &'a str, binds: Vec<V>) -> BoxFuture<'a, Result<(), sqlx::Error>> {
            Box::pin(async move {
                let q = bind_all(sqlx::query::<$db>(sql), binds);
                q.execute(&mut *self).await?;
                Ok(())
            })
        }
    };
}

impl Conn for AnyConnection {
    via_sqlx!(sqlx::Any);
}

impl Conn for PgConnection {
    via_sqlx!(sqlx::Postgres);

    /// `COPY … FROM STDIN` in text format: the server parses plain rows, with no statement to plan
    /// and no parameters to bind, several times cheaper per row than a multi-row `INSERT`.
    fn copy_in<'a>(&'a mut self, spec: &'a TableSpec, rows: &'a [Vec<V>]) -> BoxFuture<'a, Result<bool, sqlx::Error>> {
        Box::pin(async move {
            if rows.is_empty() {
                return Ok(true);
            }
            let mut copy = self.copy_in_raw(&format!("COPY {} ({}) FROM STDIN", spec.name, spec.columns.join(", "))).await?;
            let mut buf = String::with_capacity(64 * 1024);
            for row in rows {
                copy_row(&mut buf, row);
                if buf.len() >= 60 * 1024 {
                    copy.send(std::mem::take(&mut buf).into_bytes()).await?;
                    buf.reserve(64 * 1024);
                }
            }
            if !buf.is_empty() {
                copy.send(buf.into_bytes()).await?;
            }
            copy.finish().await?;
            Ok(true)
        })
    }
}

/// Appends one row in `COPY`'s text format: tab-separated, `\N` for NULL, newline-terminated,
/// with backslash, tab, newline and carriage return escaped (PostgreSQL docs, "COPY", File Formats).
pub(crate) fn copy_row(buf: &mut String, row: &[V]) {
    for (i, v) in row.iter().enumerate() {
        if i > 0 {
            buf.push('\t');
        }
        match v {
            V::T(None) | V::I(None) => buf.push_str("\\N"),
            V::I(Some(n)) => {
                let _ = write!(buf, "{n}");
            }
            // Most values have nothing to escape: copy them whole.
            V::T(Some(s)) if !s.bytes().any(|b| matches!(b, b'\\' | b'\t' | b'\n' | b'\r')) => buf.push_str(s),
            V::T(Some(s)) => {
                for c in s.chars() {
                    match c {
                        '\\' => buf.push_str("\\\\"),
                        '\t' => buf.push_str("\\t"),
                        '\n' => buf.push_str("\\n"),
                        '\r' => buf.push_str("\\r"),
                        c => buf.push(c),
                    }
                }
            }
        }
    }
    buf.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_rows_escape_what_the_text_format_treats_specially() {
        let mut buf = String::new();
        copy_row(&mut buf, &[V::I(Some(-7)), V::T(None), V::T(Some("a\tb\nc\rd\\e \\N".into())), V::I(None), V::T(Some(String::new()))]);
        assert_eq!(buf, "-7\t\\N\ta\\tb\\nc\\rd\\\\e \\\\N\t\\N\t\n");
    }
}
