//! Every table the projections write, checked against the migrations of both stores.
//!
//! A fresh SQLite file and a fresh PostgreSQL database (on the server at
//! `AUTHNODE_TEST_DATABASE_URL`, default `postgres://postgres@127.0.0.1:5432/postgres`) are
//! migrated, and then for each `TableSpec` of each projection: the table exists, its columns are
//! exactly the spec's, its primary key is the spec's key column, and its integer columns are
//! exactly the spec's integers (every other column text). The projection SQL is generated from
//! the specs, so a spec that drifts from a migration would otherwise only show up as a failing
//! statement at run time, on one store.

use std::collections::BTreeSet;
use std::time::{SystemTime, UNIX_EPOCH};

use projections::{Projection, TableSpec};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Connection, PgConnection, Row, SqliteConnection};

/// How a store declares a column, as far as the projections care.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    /// Read and written as a 64-bit integer.
    Int,
    /// Read and written as text.
    Text,
    /// Anything else (its declared type), which the projections cannot read.
    Other(String),
}

/// One table as a store has it.
#[derive(Debug)]
struct Table {
    /// Its columns and their kinds.
    columns: Vec<(String, Kind)>,
    /// The columns of its primary key.
    primary_key: Vec<String>,
}

/// Everything in which `table` (`None`: it does not exist) disagrees with `spec`, one line each.
fn mismatches(store: &str, spec: &TableSpec, table: Option<&Table>) -> Vec<String> {
    let at = format!("{store}: table {}", spec.name);
    let Some(table) = table else {
        return vec![format!("{at} does not exist")];
    };
    let mut found = Vec::new();
    let declared: BTreeSet<&str> = table.columns.iter().map(|(c, _)| c.as_str()).collect();
    let specified: BTreeSet<&str> = spec.columns.iter().copied().collect();
    for c in specified.difference(&declared) {
        found.push(format!("{at} has no column {c} (the spec has it)"));
    }
    for c in declared.difference(&specified) {
        found.push(format!("{at} has a column {c} that the spec lacks"));
    }
    if table.primary_key != [spec.key] {
        found.push(format!("{at} has primary key {:?}, the spec's key is {}", table.primary_key, spec.key));
    }
    for (c, kind) in table.columns.iter().filter(|(c, _)| specified.contains(c.as_str())) {
        let int = spec.ints.contains(&c.as_str());
        match (kind, int) {
            (Kind::Int, true) | (Kind::Text, false) => {}
            (Kind::Int, false) => found.push(format!("{at}: column {c} is an integer, the spec has it as text")),
            (Kind::Text, true) => found.push(format!("{at}: column {c} is text, the spec has it as an integer")),
            (Kind::Other(t), _) => {
                found.push(format!("{at}: column {c} has type {t}, the spec wants {}", if int { "a 64-bit integer" } else { "text" }));
            }
        }
    }
    for c in spec.ints.iter().filter(|c| !specified.contains(*c)) {
        found.push(format!("{at}: the spec's integer column {c} is not one of its columns"));
    }
    found
}

/// Every table the projections write.
fn specs() -> Vec<TableSpec> {
    Projection::ALL.iter().flat_map(|p| p.tables().iter().copied()).collect()
}

/// Checks every spec against one store.
fn all_mismatches(store: &str, tables: &[(TableSpec, Option<Table>)]) -> Vec<String> {
    tables.iter().flat_map(|(spec, table)| mismatches(store, spec, table.as_ref())).collect()
}

/// A spec that disagrees with the `users` migration in every way the check looks at.
const WRONG_USERS: TableSpec = TableSpec {
    name: "users",
    key: "email",
    // `emial` for `email`, and no `deleted_at`.
    columns: &[
        "id",
        "emial",
        "username",
        "display_name",
        "role",
        "disabled",
        "locked_until",
        "password_hash",
        "registration_method",
        "preferences",
        "created_at",
        "updated_at",
        "last_login_at",
        "totp_enabled",
        "recovery_codes_left",
        "passkeys",
    ],
    // `role` is text, `disabled` an integer.
    ints: &["role", "totp_enabled", "recovery_codes_left", "passkeys"],
    append_only: false,
};

/// The check must see each of `WRONG_USERS`'s disagreements, on any store.
fn assert_wrong_users_is_refused(store: &str, users: Option<&Table>) {
    let found = mismatches(store, &WRONG_USERS, users);
    let expected = [
        format!("{store}: table users has no column emial (the spec has it)"),
        format!("{store}: table users has a column deleted_at that the spec lacks"),
        format!("{store}: table users has a column email that the spec lacks"),
        format!("{store}: table users has primary key [\"id\"], the spec's key is email"),
        format!("{store}: table users: column role is text, the spec has it as an integer"),
        format!("{store}: table users: column disabled is an integer, the spec has it as text"),
    ];
    for e in &expected {
        assert!(found.contains(e), "expected {e:?} among {found:#?}");
    }
    assert_eq!(found.len(), expected.len(), "{found:#?}");
    let missing = mismatches(store, &TableSpec { name: "no_such_table", ..WRONG_USERS }, None);
    assert_eq!(missing, [format!("{store}: table no_such_table does not exist")]);
}

/// A table as SQLite has it (`None` if it does not exist). Kinds follow SQLite's type affinity
/// rules, which decide how values are stored.
async fn sqlite_table(conn: &mut SqliteConnection, name: &str) -> Result<Option<Table>, sqlx::Error> {
    let rows = sqlx::query("SELECT name, type, pk FROM pragma_table_info($1) ORDER BY cid").bind(name).fetch_all(&mut *conn).await?;
    if rows.is_empty() {
        return Ok(None);
    }
    let mut columns = Vec::new();
    let mut primary_key = Vec::new();
    for r in rows {
        let (column, declared, pk): (String, String, i64) = (r.try_get(0)?, r.try_get(1)?, r.try_get(2)?);
        let upper = declared.to_uppercase();
        let kind = if upper.contains("INT") {
            Kind::Int
        } else if ["CHAR", "CLOB", "TEXT"].iter().any(|t| upper.contains(t)) {
            Kind::Text
        } else {
            Kind::Other(declared)
        };
        if pk > 0 {
            primary_key.push((pk, column.clone()));
        }
        columns.push((column, kind));
    }
    primary_key.sort();
    Ok(Some(Table { columns, primary_key: primary_key.into_iter().map(|(_, c)| c).collect() }))
}

/// A table as PostgreSQL has it, in the current schema (`None` if it does not exist). Integers
/// must be `bigint`: the projections decode them as `i64`, which sqlx refuses for narrower types.
async fn postgres_table(conn: &mut PgConnection, name: &str) -> Result<Option<Table>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT column_name::text, data_type::text FROM information_schema.columns \
         WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
    )
    .bind(name)
    .fetch_all(&mut *conn)
    .await?;
    if rows.is_empty() {
        return Ok(None);
    }
    let mut columns = Vec::new();
    for r in rows {
        let (column, data_type): (String, String) = (r.try_get(0)?, r.try_get(1)?);
        let kind = match data_type.as_str() {
            "bigint" => Kind::Int,
            "text" => Kind::Text,
            _ => Kind::Other(data_type),
        };
        columns.push((column, kind));
    }
    let primary_key = sqlx::query_scalar(
        "SELECT k.column_name::text FROM information_schema.table_constraints c \
         JOIN information_schema.key_column_usage k \
           ON k.constraint_schema = c.constraint_schema AND k.constraint_name = c.constraint_name AND k.table_name = c.table_name \
         WHERE c.constraint_type = 'PRIMARY KEY' AND c.table_schema = current_schema() AND c.table_name = $1 \
         ORDER BY k.ordinal_position",
    )
    .bind(name)
    .fetch_all(&mut *conn)
    .await?;
    Ok(Some(Table { columns, primary_key }))
}

/// A name no other run uses at the same time.
fn unique(prefix: &str) -> String {
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
    format!("{prefix}_{}_{nanos}", std::process::id())
}

#[tokio::test]
async fn every_table_spec_matches_the_sqlite_migrations() {
    let dir = tempfile::tempdir().expect("tempdir");
    let options = SqliteConnectOptions::new().filename(dir.path().join("schema.db")).create_if_missing(true);
    let mut conn = SqliteConnection::connect_with(&options).await.expect("open SQLite");
    sqlx::migrate!("../migrations/sqlite").run(&mut conn).await.expect("migrate SQLite");
    let mut tables = Vec::new();
    for spec in specs() {
        let table = sqlite_table(&mut conn, spec.name).await.expect("read SQLite catalog");
        tables.push((spec, table));
    }
    let users = sqlite_table(&mut conn, "users").await.expect("read SQLite catalog");
    conn.close().await.expect("close SQLite");

    let found = all_mismatches("sqlite", &tables);
    assert!(found.is_empty(), "table specs disagree with the SQLite migrations:\n{}", found.join("\n"));
    assert_wrong_users_is_refused("sqlite", users.as_ref());
}

#[tokio::test]
async fn every_table_spec_matches_the_postgres_migrations() {
    let admin = std::env::var("AUTHNODE_TEST_DATABASE_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let name = unique("projections_schema");
    let mut server = PgConnection::connect(&admin).await.expect("PostgreSQL must be running for this test (AUTHNODE_TEST_DATABASE_URL)");
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut server).await.expect("create the test database");
    let url = format!("{}/{name}", admin.rsplit_once('/').map_or(admin.as_str(), |(base, _)| base));

    // Everything that can fail runs before the database is dropped, and is judged after.
    let read = async {
        let mut conn = PgConnection::connect(&url).await?;
        sqlx::migrate!("../migrations/postgres").run(&mut conn).await?;
        let mut tables = Vec::new();
        for spec in specs() {
            let table = postgres_table(&mut conn, spec.name).await?;
            tables.push((spec, table));
        }
        let users = postgres_table(&mut conn, "users").await?;
        conn.close().await?;
        Ok::<_, Box<dyn std::error::Error>>((tables, users))
    }
    .await;
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut server).await.expect("drop the test database");
    server.close().await.expect("close");

    let (tables, users) = read.expect("migrate and read the PostgreSQL catalog");
    let found = all_mismatches("postgres", &tables);
    assert!(found.is_empty(), "table specs disagree with the PostgreSQL migrations:\n{}", found.join("\n"));
    assert_wrong_users_is_refused("postgres", users.as_ref());
}
