//! Running projections: catch-up by global position, rebuild, and verify against scratch tables.

use std::collections::HashMap;

use cqrs_es::persist::SerializedEvent;
use sqlx::{AnyConnection, AnyPool, Connection, Row};

use crate::apply::TableSpec;
use crate::{Backend, Projection, ProjectionError, decode};

/// What a catch-up did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CatchUp {
    /// Events read from the log.
    pub events: u64,
    /// The position every projection reached.
    pub position: i64,
}

/// Differences between a live table and its rebuild.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableDiff {
    /// Table name.
    pub table: &'static str,
    /// Keys only in the live table.
    pub only_live: Vec<String>,
    /// Keys only in the rebuild.
    pub only_rebuilt: Vec<String>,
    /// Keys whose rows differ, with the first differing column and both values.
    pub changed: Vec<(String, String, Option<String>, Option<String>)>,
}

const SELECT_LOG: &str = "SELECT position, aggregate_type, aggregate_id, sequence, event_type, event_version, payload, metadata, recorded_at FROM events \
     WHERE position > $1 AND position <= $2 ORDER BY position LIMIT $3";

async fn ensure_checkpoints(conn: &mut AnyConnection, projections: &[Projection]) -> Result<(), ProjectionError> {
    for p in projections {
        sqlx::query("INSERT INTO projection_checkpoints (name, position, updated_at) VALUES ($1, 0, '') ON CONFLICT (name) DO NOTHING")
            .bind(p.name())
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// One batch: lock the checkpoints, apply the next events up to `until`, advance, commit.
/// Returns the number of events read (0 = caught up).
async fn batch(conn: &mut AnyConnection, backend: Backend, projections: &[Projection], until: i64, limit: i64) -> Result<CatchUp, ProjectionError> {
    let mut tx = match backend {
        Backend::Postgres => conn.begin().await?,
        Backend::Sqlite => conn.begin_with("BEGIN IMMEDIATE").await?,
    };
    let names: Vec<&str> = projections.iter().map(|p| p.name()).collect();
    let lock = match backend {
        Backend::Postgres => "SELECT name, position FROM projection_checkpoints ORDER BY name FOR UPDATE",
        Backend::Sqlite => "SELECT name, position FROM projection_checkpoints ORDER BY name",
    };
    let checkpoints: HashMap<String, i64> = sqlx::query(lock)
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(|r| (r.get::<String, _>(0), r.get::<i64, _>(1)))
        .filter(|(n, _)| names.contains(&n.as_str()))
        .collect();
    let cp = |p: &Projection| checkpoints.get(p.name()).copied().unwrap_or(0);
    let from = projections.iter().map(cp).min().unwrap_or(0);
    let rows = sqlx::query(SELECT_LOG).bind(from).bind(until).bind(limit).fetch_all(&mut *tx).await?;
    if rows.is_empty() {
        tx.commit().await?;
        return Ok(CatchUp { events: 0, position: from });
    }
    let upcasters = aggregates::upcasters();
    let mut last = from;
    for row in &rows {
        let position: i64 = row.try_get(0)?;
        let sequence: i64 = row.try_get(3)?;
        let event_type: String = row.try_get(4)?;
        let parse = |i: usize| -> Result<serde_json::Value, ProjectionError> {
            let text: String = row.try_get(i)?;
            serde_json::from_str(&text).map_err(|e| ProjectionError::Decode { position, event_type: event_type.clone(), message: e.to_string() })
        };
        let raw = SerializedEvent {
            aggregate_type: row.try_get(1)?,
            aggregate_id: row.try_get(2)?,
            sequence: sequence as usize,
            event_type: event_type.clone(),
            event_version: row.try_get(5)?,
            payload: parse(6)?,
            metadata: parse(7)?,
        };
        let ev = decode(raw, position, row.try_get(8)?, &upcasters)?;
        for p in projections {
            if cp(p) < position {
                p.apply(&mut tx, &ev).await?;
            }
        }
        last = position;
    }
    for p in projections {
        if cp(p) < last {
            sqlx::query("UPDATE projection_checkpoints SET position = $1, updated_at = $2 WHERE name = $3")
                .bind(last)
                .bind(crate::format_ts(&chrono::Utc::now()))
                .bind(p.name())
                .execute(&mut *tx)
                .await?;
        }
    }
    tx.commit().await?;
    Ok(CatchUp { events: rows.len() as u64, position: last })
}

async fn run(
    conn: &mut AnyConnection,
    backend: Backend,
    projections: &[Projection],
    until: i64,
    mut progress: impl FnMut(CatchUp),
) -> Result<CatchUp, ProjectionError> {
    ensure_checkpoints(conn, projections).await?;
    let mut total = CatchUp::default();
    loop {
        let step = batch(conn, backend, projections, until, 2000).await?;
        total.position = step.position;
        if step.events == 0 {
            return Ok(total);
        }
        total.events += step.events;
        progress(total);
    }
}

/// Brings `projections` up to the head of the log. Safe to call from many tasks and replicas at
/// once: the checkpoint lock serialises them and each event is applied exactly once.
pub async fn catch_up(pool: &AnyPool, backend: Backend, projections: &[Projection]) -> Result<CatchUp, ProjectionError> {
    let mut conn = pool.acquire().await?;
    run(&mut conn, backend, projections, i64::MAX, |_| {}).await
}

/// Empties `projections`' tables and rebuilds them from the whole log, reporting progress.
pub async fn rebuild(
    pool: &AnyPool,
    backend: Backend,
    projections: &[Projection],
    progress: impl FnMut(CatchUp),
) -> Result<CatchUp, ProjectionError> {
    let mut conn = pool.acquire().await?;
    ensure_checkpoints(&mut conn, projections).await?;
    let mut tx = match backend {
        Backend::Postgres => conn.begin().await?,
        Backend::Sqlite => conn.begin_with("BEGIN IMMEDIATE").await?,
    };
    if backend == Backend::Postgres {
        // Wait for in-flight catch-ups, then reset atomically with the truncation.
        sqlx::query("SELECT name FROM projection_checkpoints FOR UPDATE").fetch_all(&mut *tx).await?;
    }
    for p in projections {
        for t in p.tables() {
            sqlx::query(&format!("DELETE FROM {}", t.name)).execute(&mut *tx).await?;
        }
        sqlx::query("UPDATE projection_checkpoints SET position = 0 WHERE name = $1").bind(p.name()).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    run(&mut conn, backend, projections, i64::MAX, progress).await
}

fn qualified(backend: Backend, scratch: bool, table: &str) -> String {
    match (backend, scratch) {
        (Backend::Postgres, false) => format!("public.{table}"),
        (Backend::Postgres, true) => format!("pg_temp.{table}"),
        (Backend::Sqlite, false) => format!("main.{table}"),
        (Backend::Sqlite, true) => format!("temp.{table}"),
    }
}

type Rows = Vec<(String, Vec<Option<String>>)>;

async fn dump(conn: &mut AnyConnection, backend: Backend, scratch: bool, t: &TableSpec) -> Result<Rows, ProjectionError> {
    let cols: Vec<String> = t.columns.iter().map(|c| format!("CAST({c} AS TEXT)")).collect();
    let sql = format!("SELECT CAST({} AS TEXT), {} FROM {} ORDER BY {}", t.key, cols.join(", "), qualified(backend, scratch, t.name), t.key);
    let rows = sqlx::query(&sql).fetch_all(conn).await?;
    rows.iter()
        .map(|r| {
            let key: String = r.try_get(0)?;
            let vals = (1..=t.columns.len()).map(|i| r.try_get::<Option<String>, _>(i)).collect::<Result<Vec<_>, _>>()?;
            Ok((key, vals))
        })
        .collect()
}

fn diff(t: &TableSpec, live: Rows, rebuilt: Rows) -> TableDiff {
    let live: HashMap<_, _> = live.into_iter().collect();
    let rebuilt: HashMap<_, _> = rebuilt.into_iter().collect();
    let mut d = TableDiff { table: t.name, only_live: vec![], only_rebuilt: vec![], changed: vec![] };
    for (k, lv) in &live {
        match rebuilt.get(k) {
            None => d.only_live.push(k.clone()),
            Some(rv) if rv != lv => {
                let i = lv.iter().zip(rv).position(|(a, b)| a != b).unwrap_or(0);
                d.changed.push((k.clone(), t.columns[i].to_owned(), lv[i].clone(), rv[i].clone()));
            }
            Some(_) => {}
        }
    }
    d.only_rebuilt = rebuilt.keys().filter(|k| !live.contains_key(*k)).cloned().collect();
    d.only_live.sort();
    d.only_rebuilt.sort();
    d.changed.sort();
    d
}

/// Rebuilds every projection into temporary scratch tables on one connection (temporary tables
/// shadow the live ones there, so the projection SQL is unchanged), up to the position the live
/// projections have reached, and diffs them with the live tables. Returns only tables that differ.
pub async fn verify(pool: &AnyPool, backend: Backend) -> Result<Vec<TableDiff>, ProjectionError> {
    let live = catch_up(pool, backend, &Projection::ALL).await?;
    let mut conn = pool.acquire().await?.detach();
    let mut specs: Vec<TableSpec> = Projection::ALL.iter().flat_map(|p| p.tables().iter().copied()).collect();
    specs.push(TableSpec { name: "projection_checkpoints", key: "name", columns: &[] });
    for t in &specs {
        let ddl = match backend {
            Backend::Postgres => format!("CREATE TEMP TABLE {0} (LIKE public.{0} INCLUDING ALL)", t.name),
            Backend::Sqlite => {
                let sql: String = sqlx::query("SELECT sql FROM main.sqlite_master WHERE type = 'table' AND name = $1")
                    .bind(t.name)
                    .fetch_one(&mut conn)
                    .await?
                    .try_get(0)?;
                sql.replacen("CREATE TABLE", "CREATE TEMP TABLE", 1)
            }
        };
        sqlx::query(&ddl).execute(&mut conn).await?;
    }
    run(&mut conn, backend, &Projection::ALL, live.position, |_| {}).await?;
    let mut diffs = Vec::new();
    for t in specs.iter().filter(|t| !t.columns.is_empty()) {
        let l = dump(&mut conn, backend, false, t).await?;
        let r = dump(&mut conn, backend, true, t).await?;
        let d = diff(t, l, r);
        if !(d.only_live.is_empty() && d.only_rebuilt.is_empty() && d.changed.is_empty()) {
            diffs.push(d);
        }
    }
    conn.close().await?;
    Ok(diffs)
}
