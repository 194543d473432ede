//! Running projections: catch-up by global position, rebuild, and verify against scratch tables.

use std::collections::HashMap;

use sqlx::{AnyConnection, AnyPool, Connection, Row};

use crate::apply::{Batch, TableSpec};
use crate::{Backend, Projection, ProjectionError, RawRow, StoredEvent, decode};

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

/// Creates the checkpoint rows (at position 0) that do not exist yet, so that catch-ups can lock
/// them. Called at start-up, and by rebuild and verify for their tables.
pub async fn ensure_checkpoints(conn: &mut AnyConnection, projections: &[Projection]) -> Result<(), ProjectionError> {
    for p in projections {
        sqlx::query("INSERT INTO projection_checkpoints (name, position, updated_at) VALUES ($1, 0, '') ON CONFLICT (name) DO NOTHING")
            .bind(p.name())
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Reads and decodes the events after `from` (up to `until`, at most `limit`).
async fn read_events(conn: &mut AnyConnection, from: i64, until: i64, limit: i64) -> Result<Vec<StoredEvent>, ProjectionError> {
    let rows = sqlx::query(SELECT_LOG).bind(from).bind(until).bind(limit).fetch_all(&mut *conn).await?;
    let upcasters = aggregates::upcasters();
    let mut events = Vec::with_capacity(rows.len());
    for row in &rows {
        let raw = RawRow {
            position: row.try_get(0)?,
            aggregate_type: row.try_get(1)?,
            aggregate_id: row.try_get(2)?,
            sequence: row.try_get(3)?,
            event_type: row.try_get(4)?,
            event_version: row.try_get(5)?,
            payload: row.try_get(6)?,
            metadata: row.try_get(7)?,
            recorded_at: row.try_get(8)?,
        };
        events.push(decode(raw, &upcasters)?);
    }
    Ok(events)
}

/// Reads (and on PostgreSQL row-locks) the checkpoints of `projections` only, always in name
/// order so that concurrent catch-ups and per-projection rebuilds cannot deadlock. On SQLite the
/// write transaction (`BEGIN IMMEDIATE`) is the lock.
fn lock_checkpoints(backend: Backend, projections: &[Projection]) -> String {
    // The names are the projections' own constants, never input.
    let names = projections.iter().map(|p| format!("'{}'", p.name())).collect::<Vec<_>>().join(", ");
    let lock = if backend == Backend::Postgres { " FOR UPDATE" } else { "" };
    format!("SELECT name, position FROM projection_checkpoints WHERE name IN ({names}) ORDER BY name{lock}")
}

/// One batch: lock the checkpoints, apply the next events up to `until`, advance, commit.
/// `ready` may hold events read ahead (a rebuild's pipeline); they are used when they start
/// where the checkpoints are. Returns the number of events applied (0 = caught up).
async fn batch(
    conn: &mut AnyConnection,
    backend: Backend,
    projections: &[Projection],
    until: i64,
    limit: i64,
    ready: Option<Vec<StoredEvent>>,
) -> Result<CatchUp, ProjectionError> {
    let mut tx = match backend {
        Backend::Postgres => conn.begin().await?,
        Backend::Sqlite => conn.begin_with("BEGIN IMMEDIATE").await?,
    };
    let names: Vec<&str> = projections.iter().map(|p| p.name()).collect();
    let mut checkpoints: HashMap<String, i64> = HashMap::new();
    for r in sqlx::query(&lock_checkpoints(backend, projections)).fetch_all(&mut *tx).await? {
        let name: String = r.try_get(0)?;
        if names.contains(&name.as_str()) {
            checkpoints.insert(name, r.try_get(1)?);
        }
    }
    let cp = |p: &Projection| checkpoints.get(p.name()).copied().unwrap_or(0);
    let from = projections.iter().map(cp).min().unwrap_or(0);
    let started = std::time::Instant::now();
    let events = match ready {
        // Read-ahead events are only usable if they start right after the checkpoints.
        Some(events) if events.first().is_some_and(|e| e.position == from + 1) => events,
        _ => read_events(&mut tx, from, until, limit).await?,
    };
    if events.is_empty() {
        tx.commit().await?;
        return Ok(CatchUp { events: 0, position: from });
    }
    let read = started.elapsed();
    let active = |p: Projection, position: i64| projections.contains(&p) && cp(&p) < position;
    let mut changes = Batch::new(backend);
    changes.prefetch(&mut tx, &events, active).await?;
    let prefetched = started.elapsed();
    for ev in &events {
        for p in projections {
            if active(*p, ev.position) {
                changes.apply(*p, ev)?;
            }
        }
    }
    let applied = started.elapsed();
    changes.flush(&mut tx).await?;
    tracing::debug!(events = events.len(), ?read, ?prefetched, ?applied, flushed = ?started.elapsed(), "projection batch");
    let last = events.last().map_or(from, |e| e.position);
    for p in projections {
        if cp(p) < last {
            sqlx::query(
                "INSERT INTO projection_checkpoints (name, position, updated_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (name) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at",
            )
            .bind(p.name())
            .bind(last)
            .bind(crate::format_ts(&chrono::Utc::now()))
            .execute(&mut *tx)
            .await?;
        }
    }
    tx.commit().await?;
    Ok(CatchUp { events: events.len() as u64, position: last })
}

async fn run(
    conn: &mut AnyConnection,
    backend: Backend,
    projections: &[Projection],
    until: i64,
    batch_size: i64,
    mut progress: impl FnMut(CatchUp),
) -> Result<CatchUp, ProjectionError> {
    let mut total = CatchUp::default();
    loop {
        let step = batch(conn, backend, projections, until, batch_size, None).await?;
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
    run(&mut conn, backend, projections, i64::MAX, 1000, |_| {}).await
}

/// Empties `projections`' tables and rebuilds them from the whole log, reporting progress.
/// (Rebuilding projections side by side on PostgreSQL was tried: on 2 cores it was slower, since
/// every one of them reads and decodes the whole log.)
pub async fn rebuild(
    pool: &AnyPool,
    backend: Backend,
    projections: &[Projection],
    progress: impl FnMut(CatchUp),
) -> Result<CatchUp, ProjectionError> {
    // A connection of its own (closed at the end, never returned to the pool with the
    // relaxed sync setting below).
    let mut conn = pool.acquire().await?.detach();
    ensure_checkpoints(&mut conn, projections).await?;
    let mut tx = match backend {
        Backend::Postgres => conn.begin().await?,
        Backend::Sqlite => conn.begin_with("BEGIN IMMEDIATE").await?,
    };
    if backend == Backend::Postgres {
        // Wait for in-flight catch-ups of these projections, then reset atomically with the
        // truncation. Same lock order as `batch` (by name), so the two cannot deadlock.
        sqlx::query(&lock_checkpoints(backend, projections)).fetch_all(&mut *tx).await?;
    }
    for p in projections {
        for t in p.tables() {
            sqlx::query(&format!("DELETE FROM {}", t.name)).execute(&mut *tx).await?;
            defer_indexes(&mut tx, backend, t.name).await?;
        }
        sqlx::query("UPDATE projection_checkpoints SET position = 0 WHERE name = $1").bind(p.name()).execute(&mut *tx).await?;
    }
    tx.commit().await?;

    // Read and decode the next chunk on a second connection while this one writes the current
    // chunk: positions are gap-free and commit-ordered, so reading ahead up to the head seen now
    // is safe, and `batch` falls back to reading itself if the checkpoints moved meanwhile.
    let head: i64 = sqlx::query("SELECT position FROM event_head WHERE id = 1").fetch_one(&mut conn).await?.try_get(0)?;
    let (tx_chunks, mut rx_chunks) = tokio::sync::mpsc::channel::<Result<Vec<StoredEvent>, ProjectionError>>(2);
    let reader_pool = pool.clone();
    let reader = tokio::spawn(async move {
        let mut reader = match reader_pool.acquire().await {
            Ok(c) => c,
            Err(e) => return drop(tx_chunks.send(Err(e.into())).await),
        };
        let mut from = 0;
        while from < head {
            let chunk = read_events(&mut reader, from, head, REBUILD_CHUNK).await;
            if let Ok(events) = &chunk {
                from = events.last().map_or(head, |e| e.position);
            }
            let failed = chunk.is_err();
            if tx_chunks.send(chunk).await.is_err() || failed {
                return;
            }
        }
    });
    // Read models are derived data: a crash loses at most the last batches, rows and checkpoints
    // together (same transaction), and the next catch-up redoes them. So the rebuild's own
    // connection does not wait for each commit to reach the disk; event appends keep full sync.
    if backend == Backend::Sqlite {
        sqlx::query("PRAGMA synchronous = NORMAL").execute(&mut conn).await?;
        // Bulk index maintenance over random keys: keep the indexes in memory for the rebuild.
        sqlx::query("PRAGMA cache_size = -262144").execute(&mut conn).await?;
    } else {
        sqlx::query("SET synchronous_commit = off").execute(&mut conn).await?;
    }
    let tables: Vec<&str> = projections.iter().flat_map(|p| p.tables().iter().map(|t| t.name)).collect();
    let loaded = async {
        let mut total = CatchUp::default();
        let mut progress = progress;
        loop {
            let waited = std::time::Instant::now();
            let Some(chunk) = rx_chunks.recv().await else { break };
            tracing::debug!(waited = ?waited.elapsed(), "rebuild waited for the reader");
            let step = batch(&mut conn, backend, projections, head, REBUILD_CHUNK, Some(chunk?)).await?;
            total.events += step.events;
            total.position = step.position;
            progress(total);
        }
        reader.await.map_err(|e| ProjectionError::Decode { position: total.position, event_type: String::new(), message: e.to_string() })?;
        let tail =
            run(&mut conn, backend, projections, i64::MAX, REBUILD_CHUNK, |t| progress(CatchUp { events: total.events + t.events, ..t })).await?;
        Ok::<_, ProjectionError>(CatchUp { events: total.events + tail.events, position: tail.position })
    }
    .await;
    // Even when the load failed, put the indexes back: a running server must not be left
    // scanning whole tables (a killed replay is repaired at the next start instead).
    let restored = restore_deferred_indexes(&mut conn, backend, Some(&tables)).await;
    conn.close().await?;
    let done = loaded?;
    restored?;
    Ok(done)
}

/// Drops the secondary indexes of `table` for a bulk load, recording each definition in
/// `deferred_indexes` in the same transaction. Unique indexes and primary keys stay: upserts and
/// lookups during the load need them.
async fn defer_indexes(tx: &mut sqlx::Transaction<'_, sqlx::Any>, backend: Backend, table: &str) -> Result<(), ProjectionError> {
    let sql = match backend {
        Backend::Sqlite => {
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = $1 AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'"
        }
        Backend::Postgres => {
            "SELECT indexname::text, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = $1 AND indexdef NOT LIKE 'CREATE UNIQUE%'"
        }
    };
    let found = sqlx::query(sql).bind(table).fetch_all(&mut **tx).await?;
    for r in found {
        let (name, definition): (String, String) = (r.try_get(0)?, r.try_get(1)?);
        sqlx::query("INSERT INTO deferred_indexes (name, table_name, definition) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING")
            .bind(&name)
            .bind(table)
            .bind(&definition)
            .execute(&mut **tx)
            .await?;
        sqlx::query(&format!("DROP INDEX {name}")).execute(&mut **tx).await?;
    }
    Ok(())
}

/// Re-creates the indexes a rebuild dropped: those of `tables` after their load, or all of them
/// (`None`) at start-up after a rebuild that did not finish. Idempotent, and serialised between
/// processes (a server starting while `replay` runs), so two never create the same index at once.
pub async fn restore_deferred_indexes(conn: &mut AnyConnection, backend: Backend, tables: Option<&[&str]>) -> Result<(), ProjectionError> {
    let mut tx = match backend {
        Backend::Postgres => conn.begin().await?,
        Backend::Sqlite => conn.begin_with("BEGIN IMMEDIATE").await?,
    };
    if backend == Backend::Postgres {
        // Any fixed key works: this is the only advisory lock AuthNode takes.
        sqlx::query("SELECT pg_advisory_xact_lock(7326001)").execute(&mut *tx).await?;
    }
    let rows = sqlx::query("SELECT name, table_name, definition FROM deferred_indexes ORDER BY name").fetch_all(&mut *tx).await?;
    for r in rows {
        let (name, table, definition): (String, String, String) = (r.try_get(0)?, r.try_get(1)?, r.try_get(2)?);
        if tables.is_some_and(|t| !t.contains(&table.as_str())) {
            continue;
        }
        // Both stores print definitions as `CREATE INDEX <name> ON …`.
        let create = definition.replacen("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1);
        sqlx::query(&create).execute(&mut *tx).await?;
        sqlx::query("DELETE FROM deferred_indexes WHERE name = $1").bind(&name).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Events per transaction when rebuilding.
const REBUILD_CHUNK: i64 = 5_000;

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
    catch_up(pool, backend, &Projection::ALL).await?;
    let specs: Vec<TableSpec> = Projection::ALL.iter().flat_map(|p| p.tables().iter().copied()).collect();

    // The live side, read in one snapshot together with the position it reflects, so writers
    // running meanwhile cannot make the comparison drift.
    let mut live_conn = pool.acquire().await?;
    let mut snapshot = live_conn.begin().await?;
    if backend == Backend::Postgres {
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ").execute(&mut *snapshot).await?;
    }
    let mut positions = Vec::new();
    for r in sqlx::query("SELECT position FROM projection_checkpoints").fetch_all(&mut *snapshot).await? {
        positions.push(r.try_get::<i64, _>(0)?);
    }
    let live_position = positions.into_iter().min().unwrap_or(0);
    let mut live_rows = Vec::new();
    for t in &specs {
        live_rows.push(dump(&mut snapshot, backend, false, t).await?);
    }
    snapshot.commit().await?;
    drop(live_conn);

    let mut conn = pool.acquire().await?.detach();
    let mut scratch_specs = specs.clone();
    scratch_specs.push(TableSpec { name: "projection_checkpoints", key: "name", columns: &[], ints: &[] });
    for t in &scratch_specs {
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
    ensure_checkpoints(&mut conn, &Projection::ALL).await?;
    run(&mut conn, backend, &Projection::ALL, live_position, REBUILD_CHUNK, |_| {}).await?;
    let mut diffs = Vec::new();
    for (t, l) in specs.iter().zip(live_rows) {
        let r = dump(&mut conn, backend, true, t).await?;
        let d = diff(t, l, r);
        if !(d.only_live.is_empty() && d.only_rebuilt.is_empty() && d.changed.is_empty()) {
            diffs.push(d);
        }
    }
    conn.close().await?;
    Ok(diffs)
}
