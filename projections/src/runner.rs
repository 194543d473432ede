//! Running projections: catch-up by global position, rebuild, and verify against scratch tables.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

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

/// Begins a transaction that will write. On SQLite it takes the write lock up front
/// (`BEGIN IMMEDIATE`): upgrading a read transaction later can fail with SQLITE_BUSY.
async fn begin_write(conn: &mut AnyConnection, backend: Backend) -> Result<sqlx::Transaction<'_, sqlx::Any>, sqlx::Error> {
    match backend {
        Backend::Postgres => conn.begin().await,
        Backend::Sqlite => conn.begin_with("BEGIN IMMEDIATE").await,
    }
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
    ready: Option<Arc<Vec<StoredEvent>>>,
) -> Result<CatchUp, ProjectionError> {
    let mut tx = begin_write(conn, backend).await?;
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
    let fetched;
    let events: &[StoredEvent] = match &ready {
        // Read-ahead events are only usable if they start right after the checkpoints.
        Some(events) if events.first().is_some_and(|e| e.position == from + 1) => events,
        _ => {
            fetched = read_events(&mut tx, from, until, limit).await?;
            &fetched
        }
    };
    if events.is_empty() {
        tx.commit().await?;
        return Ok(CatchUp { events: 0, position: from });
    }
    let read = started.elapsed();
    let active = |p: Projection, position: i64| projections.contains(&p) && cp(&p) < position;
    let mut changes = Batch::new(backend);
    changes.prefetch(&mut tx, events, active).await?;
    let prefetched = started.elapsed();
    for ev in events {
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

/// Empties `projections`' tables and rebuilds them from the whole log, reporting progress (the
/// position every projection has passed). Each chunk of the log is read and decoded once.
/// (Rebuilding each projection with its own reader was tried: on 2 cores it was slower, since
/// every one of them read and decoded the whole log.)
pub async fn rebuild(
    pool: &AnyPool,
    backend: Backend,
    projections: &[Projection],
    progress: impl FnMut(CatchUp),
) -> Result<CatchUp, ProjectionError> {
    let mut conn = pool.acquire().await?.detach();
    ensure_checkpoints(&mut conn, projections).await?;
    let mut tx = begin_write(&mut conn, backend).await?;
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

    // Lanes of projections, each written on its own connection. On PostgreSQL the audit index
    // (a row per event, the largest write) gets a lane of its own so that two server backends
    // share the load; SQLite has a single writer, so there everything is one lane.
    let mut lanes: Vec<Vec<Projection>> = vec![projections.to_vec()];
    let pool_fits = pool.options().get_max_connections() >= 3;
    if backend == Backend::Postgres && pool_fits && projections.len() > 1 && projections.contains(&Projection::Audit) {
        lanes = vec![vec![Projection::Audit], projections.iter().copied().filter(|p| *p != Projection::Audit).collect()];
    }

    // The connection that emptied the tables writes the first lane (its cache is warm).
    relax_sync(&mut conn, backend).await?;
    let mut writers = vec![conn];
    for _ in 1..lanes.len() {
        let mut extra = pool.acquire().await?.detach();
        relax_sync(&mut extra, backend).await?;
        writers.push(extra);
    }
    let head: i64 = sqlx::query("SELECT position FROM event_head WHERE id = 1").fetch_one(&mut writers[0]).await?.try_get(0)?;
    // Read and decode each chunk once, on a connection of its own, while the lanes write the
    // previous one: positions are gap-free and commit-ordered, so reading ahead up to the head
    // seen now is safe, and `batch` falls back to reading itself if the checkpoints moved.
    let (senders, receivers): (Vec<_>, Vec<_>) = lanes.iter().map(|_| tokio::sync::mpsc::channel::<Arc<Vec<StoredEvent>>>(2)).unzip();
    let reader_pool = pool.clone();
    let reader = tokio::spawn(async move {
        let mut reader = reader_pool.acquire().await?;
        let mut from = 0;
        while from < head {
            let events = Arc::new(read_events(&mut reader, from, head, REBUILD_CHUNK).await?);
            from = events.last().map_or(head, |e| e.position);
            for tx in &senders {
                if tx.send(events.clone()).await.is_err() {
                    return Ok(());
                }
            }
        }
        Ok::<_, ProjectionError>(())
    });

    let progress = RefCell::new(progress);
    let done = RefCell::new(vec![CatchUp::default(); lanes.len()]);
    let report = |lane: usize, c: CatchUp| {
        let mut done = done.borrow_mut();
        done[lane] = c;
        // Every projection has passed the slowest lane's position.
        let slowest = done.iter().min_by_key(|c| c.position).copied().unwrap_or_default();
        (progress.borrow_mut())(slowest);
    };
    let runs = lanes.iter().zip(writers.iter_mut()).zip(receivers).enumerate().map(|(i, ((lane, conn), mut rx))| async move {
        let mut total = CatchUp::default();
        while let Some(chunk) = rx.recv().await {
            let step = batch(conn, backend, lane, head, REBUILD_CHUNK, Some(chunk)).await?;
            total.events += step.events;
            total.position = step.position;
            report(i, total);
        }
        // Whatever the reader did not deliver (it stopped early, or the log grew meanwhile).
        let tail = run(conn, backend, lane, i64::MAX, REBUILD_CHUNK, |t| report(i, CatchUp { events: total.events + t.events, ..t })).await?;
        Ok::<_, ProjectionError>(CatchUp { events: total.events + tail.events, position: tail.position })
    });
    let results = futures::future::join_all(runs).await;
    let read = reader.await.map_err(|e| ProjectionError::Decode { position: 0, event_type: String::new(), message: e.to_string() });
    // Even when the load failed, put the indexes back: a running server must not be left
    // scanning whole tables (a killed replay is repaired at the next start instead).
    let tables: Vec<&str> = projections.iter().flat_map(|p| p.tables().iter().map(|t| t.name)).collect();
    // (Spreading the index builds over the writers' connections was tried on PostgreSQL: no gain,
    // its index builds already use both cores.)
    let restored = restore_deferred_indexes(&mut writers[0], backend, Some(&tables)).await;
    for conn in writers {
        conn.close().await?;
    }
    read??;
    restored?;
    let mut all = CatchUp::default();
    for r in results {
        let r = r?;
        all = CatchUp { events: all.events.max(r.events), position: all.position.max(r.position) };
    }
    Ok(all)
}

/// Settings for a rebuild's own connections (closed at the end, never returned to the pool).
async fn relax_sync(conn: &mut AnyConnection, backend: Backend) -> Result<(), ProjectionError> {
    // Read models are derived data: a crash loses at most the last batches, rows and checkpoints
    // together (same transaction), and the next catch-up redoes them. So rebuild connections do
    // not wait for each commit to reach the disk; event appends keep full sync.
    if backend == Backend::Sqlite {
        sqlx::query("PRAGMA synchronous = NORMAL").execute(&mut *conn).await?;
        // Bulk index maintenance over random keys: keep the indexes in memory for the rebuild.
        sqlx::query("PRAGMA cache_size = -262144").execute(&mut *conn).await?;
    } else {
        sqlx::query("SET synchronous_commit = off").execute(&mut *conn).await?;
    }
    Ok(())
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
/// (`None`) at start-up after a rebuild that did not finish. Idempotent.
pub async fn restore_deferred_indexes(conn: &mut AnyConnection, backend: Backend, tables: Option<&[&str]>) -> Result<(), ProjectionError> {
    for name in deferred_indexes(conn, tables).await? {
        restore_index(conn, backend, &name).await?;
    }
    Ok(())
}

/// Names of the deferred indexes of `tables` (all with `None`).
async fn deferred_indexes(conn: &mut AnyConnection, tables: Option<&[&str]>) -> Result<Vec<String>, ProjectionError> {
    let mut names = Vec::new();
    for r in sqlx::query("SELECT name, table_name FROM deferred_indexes ORDER BY name").fetch_all(&mut *conn).await? {
        let (name, table): (String, String) = (r.try_get(0)?, r.try_get(1)?);
        if tables.is_none_or(|t| t.contains(&table.as_str())) {
            names.push(name);
        }
    }
    Ok(names)
}

/// Re-creates one deferred index and forgets it, in one transaction. Serialised per index between
/// processes (a server starting while `replay` runs), so two never build the same index at once.
async fn restore_index(conn: &mut AnyConnection, backend: Backend, name: &str) -> Result<(), ProjectionError> {
    let mut tx = begin_write(conn, backend).await?;
    if backend == Backend::Postgres {
        sqlx::query("SELECT pg_advisory_xact_lock(hashtext($1)::bigint)").bind(name).execute(&mut *tx).await?;
    }
    // Someone else may have restored it while this transaction waited for the lock.
    let row = sqlx::query("SELECT definition FROM deferred_indexes WHERE name = $1").bind(name).fetch_optional(&mut *tx).await?;
    if let Some(row) = row {
        let definition: String = row.try_get(0)?;
        // Both stores print definitions as `CREATE INDEX <name> ON …`.
        let create = definition.replacen("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1);
        sqlx::query(&create).execute(&mut *tx).await?;
        sqlx::query("DELETE FROM deferred_indexes WHERE name = $1").bind(name).execute(&mut *tx).await?;
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
