//! Running projections: catch-up by global position, rebuild, and verify against scratch tables.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

use sqlx::postgres::PgConnectOptions;
use sqlx::{AnyConnection, AnyPool, ConnectOptions, Connection, PgConnection, Row};

use crate::catalog::{Projection, TableSpec};
use crate::cell::V;
use crate::conn::Conn;
use crate::error::{Backend, ProjectionError};
use crate::event::{RawRow, StoredEvent, decode};
use crate::mapping::Batch;

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

/// Which columns of `SELECT_LOG` are integers.
const LOG_INTS: [bool; 9] = [true, false, false, true, false, false, false, false, false];

/// Reads and decodes the events after `from` (up to `until`, at most `limit`).
async fn read_events<C: Conn>(conn: &mut C, from: i64, until: i64, limit: i64) -> Result<Vec<StoredEvent>, ProjectionError> {
    let rows = conn.rows(SELECT_LOG, vec![V::I(Some(from)), V::I(Some(until)), V::I(Some(limit))], &LOG_INTS).await?;
    let upcasters = aggregates::upcasters();
    let mut events = Vec::with_capacity(rows.len());
    for row in rows {
        let mut c = row.into_iter();
        let raw = RawRow {
            position: int_cell(&mut c),
            aggregate_type: text_cell(&mut c),
            aggregate_id: text_cell(&mut c),
            sequence: int_cell(&mut c),
            event_type: text_cell(&mut c),
            event_version: text_cell(&mut c),
            payload: text_cell(&mut c),
            metadata: text_cell(&mut c),
            recorded_at: text_cell(&mut c),
        };
        events.push(decode(raw, &upcasters)?);
    }
    Ok(events)
}

/// The next cell as an integer (the log's columns are NOT NULL).
fn int_cell(cells: &mut impl Iterator<Item = V>) -> i64 {
    match cells.next() {
        Some(V::I(Some(n))) => n,
        _ => 0,
    }
}

/// The next cell as text.
fn text_cell(cells: &mut impl Iterator<Item = V>) -> String {
    match cells.next() {
        Some(V::T(Some(s))) => s,
        _ => String::new(),
    }
}

/// Begins a transaction that will write. On SQLite it takes the write lock up front
/// (`BEGIN IMMEDIATE`): upgrading a read transaction later can fail with SQLITE_BUSY.
async fn begin_write<C: Conn>(conn: &mut C, backend: Backend) -> Result<sqlx::Transaction<'_, C::Database>, sqlx::Error> {
    match backend {
        Backend::Postgres => conn.begin().await,
        Backend::Sqlite => conn.begin_with("BEGIN IMMEDIATE").await,
    }
}

/// Reads (and on PostgreSQL row-locks) the checkpoints of `projections` only, always in name
/// order so that concurrent catch-ups and per-projection rebuilds cannot deadlock. On SQLite the
/// write transaction (`BEGIN IMMEDIATE`) is the lock.
/// `table` is the checkpoint table as the statement names it (a rebuild's swap names the live one).
fn lock_checkpoints(backend: Backend, projections: &[Projection], table: &str) -> String {
    // The names are the projections' own constants, never input.
    let names = projections.iter().map(|p| format!("'{}'", p.name())).collect::<Vec<_>>().join(", ");
    let lock = if backend == Backend::Postgres { " FOR UPDATE" } else { "" };
    format!("SELECT name, position FROM {table} WHERE name IN ({names}) ORDER BY name{lock}")
}

/// One batch: lock the checkpoints, apply the next events up to `until`, advance, commit.
/// `ready` may hold events read ahead (a rebuild's pipeline); they are used when they start
/// where the checkpoints are. Returns the number of events applied (0 = caught up).
async fn batch<C: Conn>(
    conn: &mut C,
    backend: Backend,
    projections: &[Projection],
    until: i64,
    limit: i64,
    ready: Option<Arc<Vec<StoredEvent>>>,
) -> Result<CatchUp, ProjectionError> {
    let mut tx = begin_write(conn, backend).await?;
    let names: Vec<&str> = projections.iter().map(|p| p.name()).collect();
    let mut checkpoints: HashMap<String, i64> = HashMap::new();
    for r in tx.rows(&lock_checkpoints(backend, projections, "projection_checkpoints"), vec![], &[false, true]).await? {
        if let [V::T(Some(name)), V::I(Some(position))] = &r[..]
            && names.contains(&name.as_str())
        {
            checkpoints.insert(name.clone(), *position);
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
            fetched = read_events(&mut *tx, from, until, limit).await?;
            &fetched
        }
    };
    if events.is_empty() {
        tx.commit().await?;
        return Ok(CatchUp { events: 0, position: from });
    }
    let read = started.elapsed();
    // Per projection, in `projections` order: looked up for every event, so no map lookups.
    let positions: Vec<i64> = projections.iter().map(cp).collect();
    let active = |p: Projection, position: i64| projections.iter().zip(&positions).any(|(x, at)| *x == p && *at < position);
    let mut changes = Batch::new(backend);
    changes.prefetch(&mut *tx, events, active).await?;
    let prefetched = started.elapsed();
    for ev in events {
        for p in projections {
            if active(*p, ev.position) {
                changes.apply(*p, ev)?;
            }
        }
    }
    let applied = started.elapsed();
    changes.flush(&mut *tx).await?;
    tracing::debug!(events = events.len(), ?read, ?prefetched, ?applied, flushed = ?started.elapsed(), "projection batch");
    let last = events.last().map_or(from, |e| e.position);
    for p in projections {
        if cp(p) < last {
            tx.run(
                "INSERT INTO projection_checkpoints (name, position, updated_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (name) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at",
                vec![V::T(Some(p.name().to_owned())), V::I(Some(last)), V::T(Some(aggregates::time::format_timestamp(&chrono::Utc::now())))],
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(CatchUp { events: events.len() as u64, position: last })
}

async fn run<C: Conn>(
    conn: &mut C,
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
    run(&mut *conn, backend, projections, i64::MAX, 1000, |_| {}).await
}

/// Rebuilds `projections` from the whole log, reporting progress (the position every projection
/// has passed). Each chunk of the log is read and decoded once, by a reader that runs ahead of
/// the writers. (Rebuilding each projection with its own reader was tried: on 2 cores it was
/// slower, since every one of them read and decoded the whole log.)
///
/// - **PostgreSQL**: each lane of projections loads fresh copies of its tables in a schema of
///   its own, inside one transaction, builds their indexes, and swaps them in for the live
///   tables at the end. Readers see the old read models until that commit, a failure leaves
///   everything as it was, and the load never touches the live tables' indexes or dead rows.
/// - **SQLite**: the tables are emptied and refilled in place, with their secondary indexes
///   dropped during the load and re-created after it.
pub async fn rebuild(
    pool: &AnyPool,
    backend: Backend,
    projections: &[Projection],
    progress: impl FnMut(CatchUp),
) -> Result<CatchUp, ProjectionError> {
    let started = std::time::Instant::now();
    let mut conn = pool.acquire().await?.detach();
    ensure_checkpoints(&mut conn, projections).await?;
    let head: i64 = sqlx::query("SELECT position FROM event_head WHERE id = 1").fetch_one(&mut conn).await?.try_get(0)?;
    let done = match backend {
        Backend::Postgres => {
            conn.close().await?;
            rebuild_postgres(pool, projections, head, progress).await
        }
        Backend::Sqlite => {
            let done = rebuild_in_place(&mut conn, pool, projections, head, progress).await;
            conn.close().await?;
            done
        }
    };
    tracing::debug!(elapsed = ?started.elapsed(), "rebuild: done");
    done
}

/// Reads and decodes the log up to `head` once, on a connection of its own, and sends every
/// chunk to each of `lanes` writers while they write the previous one. Positions are gap-free
/// and commit-ordered, so reading ahead up to a head seen before is safe; `batch` reads by itself
/// if its checkpoints are elsewhere.
fn spawn_reader(source: Source, head: i64, lanes: usize) -> (Reader, Vec<Chunks>) {
    let (senders, receivers): (Vec<_>, Vec<_>) = (0..lanes).map(|_| tokio::sync::mpsc::channel::<Arc<Vec<StoredEvent>>>(2)).unzip();
    let reader = tokio::spawn(async move {
        match source {
            Source::Pool(pool) => read_all(&mut *pool.acquire().await?, head, &senders).await,
            Source::Postgres(options) => {
                let mut conn = PgConnection::connect_with(&options).await?;
                conn.run("SET jit = off", vec![]).await?;
                read_all(&mut conn, head, &senders).await?;
                Ok(conn.close().await?)
            }
        }
    });
    (reader, receivers)
}

/// Where a rebuild's reader reads: a pooled connection, or (PostgreSQL) a typed connection of its
/// own, which skips the Any driver's per-row conversion.
enum Source {
    Pool(AnyPool),
    Postgres(Box<PgConnectOptions>),
}

async fn read_all<C: Conn>(conn: &mut C, head: i64, senders: &[tokio::sync::mpsc::Sender<Arc<Vec<StoredEvent>>>]) -> Result<(), ProjectionError> {
    let mut from = 0;
    while from < head {
        let events = Arc::new(read_events(conn, from, head, REBUILD_CHUNK).await?);
        from = events.last().map_or(head, |e| e.position);
        for tx in senders {
            if tx.send(events.clone()).await.is_err() {
                return Ok(());
            }
        }
    }
    Ok(())
}

/// The task reading the log for a rebuild.
type Reader = tokio::task::JoinHandle<Result<(), ProjectionError>>;
/// The decoded chunks of the log a rebuild lane receives.
type Chunks = tokio::sync::mpsc::Receiver<Arc<Vec<StoredEvent>>>;

/// The reader's outcome (a panic becomes an error).
async fn reader_result(reader: Reader) -> Result<(), ProjectionError> {
    reader.await.map_err(|e| ProjectionError::Decode { position: 0, event_type: String::new(), message: e.to_string() })?
}

/// Combines the lanes' results: all events, the position every lane reached.
fn combine(results: Vec<Result<CatchUp, ProjectionError>>) -> Result<CatchUp, ProjectionError> {
    let mut all: Option<CatchUp> = None;
    for r in results {
        let r = r?;
        all = Some(all.map_or(r, |a| CatchUp { events: a.events.max(r.events), position: a.position.min(r.position) }));
    }
    Ok(all.unwrap_or_default())
}

/// Progress over several lanes: every projection has passed the slowest lane's position.
struct Progress<F> {
    report: RefCell<F>,
    lanes: RefCell<Vec<CatchUp>>,
}

impl<F: FnMut(CatchUp)> Progress<F> {
    fn new(report: F, lanes: usize) -> Self {
        Self { report: RefCell::new(report), lanes: RefCell::new(vec![CatchUp::default(); lanes]) }
    }

    fn lane(&self, lane: usize, c: CatchUp) {
        let mut lanes = self.lanes.borrow_mut();
        lanes[lane] = c;
        let slowest = lanes.iter().min_by_key(|c| c.position).copied().unwrap_or_default();
        (self.report.borrow_mut())(slowest);
    }
}

/// The SQLite rebuild: empty the tables and refill them in place on one connection (SQLite has a
/// single writer), with secondary indexes dropped during the load.
async fn rebuild_in_place(
    conn: &mut AnyConnection,
    pool: &AnyPool,
    projections: &[Projection],
    head: i64,
    progress: impl FnMut(CatchUp),
) -> Result<CatchUp, ProjectionError> {
    let backend = Backend::Sqlite;
    let mut tx = begin_write(conn, backend).await?;
    for p in projections {
        for t in p.tables() {
            sqlx::query(&format!("DELETE FROM {}", t.name)).execute(&mut *tx).await?;
            defer_indexes(&mut tx, backend, t.name).await?;
        }
        sqlx::query("UPDATE projection_checkpoints SET position = 0 WHERE name = $1").bind(p.name()).execute(&mut *tx).await?;
    }
    tx.commit().await?;

    // The connection that emptied the tables writes (its cache is warm).
    relax_sync(conn, backend).await?;
    let (reader, mut receivers) = spawn_reader(Source::Pool(pool.clone()), head, 1);
    let progress = Progress::new(progress, 1);
    let mut rx = receivers.remove(0);
    let load = async {
        let mut total = CatchUp::default();
        while let Some(chunk) = rx.recv().await {
            let step = batch(&mut *conn, backend, projections, head, REBUILD_CHUNK, Some(chunk)).await?;
            total.events += step.events;
            total.position = step.position;
            progress.lane(0, total);
        }
        // Whatever the reader did not deliver (it stopped early, or the log grew meanwhile).
        let tail = run(&mut *conn, backend, projections, i64::MAX, REBUILD_CHUNK, |t| {
            progress.lane(0, CatchUp { events: total.events + t.events, ..t });
        })
        .await?;
        Ok::<_, ProjectionError>(CatchUp { events: total.events + tail.events, position: tail.position })
    }
    .await;
    drop(rx);
    let read = reader_result(reader).await;
    // Even when the load failed, put the indexes back: a running server must not be left
    // scanning whole tables (a killed replay is repaired at the next start instead).
    let tables: Vec<&str> = projections.iter().flat_map(|p| p.tables().iter().map(|t| t.name)).collect();
    let restored = restore_deferred_indexes(conn, backend, Some(&tables)).await;
    let done = load?;
    read?;
    restored?;
    Ok(done)
}

/// The PostgreSQL rebuild: lanes of projections, each on a typed connection of its own (which can
/// bulk-load with COPY) building shadow tables that it swaps in. The audit index (a row per
/// event, the largest write) gets a lane of its own, so two server backends share the load and
/// the audit index builds overlap the other lane's load.
async fn rebuild_postgres(pool: &AnyPool, projections: &[Projection], head: i64, progress: impl FnMut(CatchUp)) -> Result<CatchUp, ProjectionError> {
    let mut lanes: Vec<Vec<Projection>> = vec![projections.to_vec()];
    if projections.len() > 1 && projections.contains(&Projection::Audit) {
        lanes = vec![vec![Projection::Audit], projections.iter().copied().filter(|p| *p != Projection::Audit).collect()];
    }
    let options = PgConnectOptions::from_url(&pool.connect_options().database_url)?.disable_statement_logging();
    let (reader, receivers) = spawn_reader(Source::Postgres(Box::new(options.clone())), head, lanes.len());
    let progress = Progress::new(progress, lanes.len());
    let progress = &progress;
    let options = &options;
    let runs = lanes.iter().zip(receivers).enumerate().map(|(i, (lane, rx))| async move {
        let mut conn = PgConnection::connect_with(options).await?;
        relax_sync(&mut conn, Backend::Postgres).await?;
        // On an error the connection closes with the transaction open: it rolls back.
        let done = shadow_lane(&mut conn, lane, rx, head, |c| progress.lane(i, c)).await?;
        conn.close().await?;
        Ok::<_, ProjectionError>(done)
    });
    let results = futures::future::join_all(runs).await;
    reader_result(reader).await?;
    combine(results)
}

/// An index of a live table: its name, its definition, and the constraint it backs (`p`/`u`), if any.
struct IndexDef {
    name: String,
    definition: String,
    constraint: Option<(String, String)>,
}

const TABLE_INDEXES: &str = "SELECT i.indexname::text, i.indexdef, c.contype::text, c.conname::text FROM pg_indexes i \
     LEFT JOIN pg_constraint c ON c.conindid = format('%I.%I', i.schemaname, i.indexname)::regclass AND c.contype IN ('p', 'u') \
     WHERE i.schemaname = $1 AND i.tablename = $2 ORDER BY i.indexname";

/// One PostgreSQL rebuild lane, in one transaction: create the lane's tables afresh in a schema
/// of its own (named after the lane, so two replays of the same projections queue instead of
/// mixing), with the unique indexes the load's upserts need; load them from the reader's chunks;
/// build the other indexes; then, holding the live checkpoints, apply the events that arrived
/// meanwhile, replace the live tables and move the checkpoints.
async fn shadow_lane(
    conn: &mut PgConnection,
    lane: &[Projection],
    mut rx: Chunks,
    head: i64,
    progress: impl Fn(CatchUp),
) -> Result<CatchUp, ProjectionError> {
    let backend = Backend::Postgres;
    let live = match conn.rows("SELECT current_schema()::text", vec![], &[false]).await?.first().map(|r| &r[0]) {
        Some(V::T(Some(s))) => s.clone(),
        _ => "public".to_owned(),
    };
    let shadow = format!("authnode_rebuild_{}", lane.iter().map(|p| p.name()).collect::<Vec<_>>().join("_"));
    let mut tx = conn.begin().await?;
    tx.run(&format!("CREATE SCHEMA {shadow}"), vec![]).await?;
    // Unqualified names now mean the shadow tables, so the projection SQL is unchanged.
    tx.run(&format!("SET LOCAL search_path = {shadow}, {live}"), vec![]).await?;
    tx.run(&format!("CREATE TABLE {shadow}.projection_checkpoints (LIKE {live}.projection_checkpoints INCLUDING ALL)"), vec![]).await?;
    for p in lane {
        tx.run("INSERT INTO projection_checkpoints (name, position, updated_at) VALUES ($1, 0, '')", vec![V::T(Some(p.name().to_owned()))]).await?;
    }
    let mut deferred = Vec::new();
    for t in lane.iter().flat_map(|p| p.tables()) {
        tx.run(
            &format!(
                "CREATE TABLE {shadow}.{0} (LIKE {live}.{0} INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED INCLUDING IDENTITY INCLUDING STORAGE)",
                t.name
            ),
            vec![],
        )
        .await?;
        let mut indexes = Vec::new();
        for r in tx.rows(TABLE_INDEXES, vec![V::T(Some(live.clone())), V::T(Some(t.name.to_owned()))], &[false; 4]).await? {
            if let [V::T(Some(name)), V::T(Some(definition)), kind, constraint] = &r[..] {
                let constraint = match (kind, constraint) {
                    (V::T(Some(k)), V::T(Some(c))) => Some((k.clone(), c.clone())),
                    _ => None,
                };
                indexes.push(IndexDef { name: name.clone(), definition: definition.clone(), constraint });
            }
        }
        for ix in indexes {
            // `pg_indexes` prints `CREATE [UNIQUE] INDEX <name> ON <schema>.<table> USING …`;
            // the same definition on the shadow table keeps the index's name.
            let definition = ix.definition.replacen(&format!(" ON {live}.{} ", t.name), &format!(" ON {shadow}.{} ", t.name), 1);
            let mut statements = vec![definition];
            if let Some((kind, name)) = ix.constraint {
                let kind = if kind == "p" { "PRIMARY KEY" } else { "UNIQUE" };
                statements.push(format!("ALTER TABLE {shadow}.{} ADD CONSTRAINT {name} {kind} USING INDEX {}", t.name, ix.name));
            }
            // The load's lookups and upserts need the unique indexes, except on tables a rebuild
            // only appends to (built after the load, over rows already in key order).
            if statements[0].starts_with("CREATE UNIQUE INDEX ") && !t.append_only {
                for statement in statements {
                    tx.run(&statement, vec![]).await?;
                }
            } else if statements[0].starts_with("CREATE UNIQUE INDEX ") {
                deferred.splice(0..0, statements);
            } else {
                deferred.extend(statements);
            }
        }
    }

    let mut total = CatchUp::default();
    while let Some(chunk) = rx.recv().await {
        let step = batch(&mut *tx, backend, lane, head, REBUILD_CHUNK, Some(chunk)).await?;
        total.events += step.events;
        total.position = step.position;
        progress(total);
    }
    // Whatever the reader did not deliver (it stopped early, or the log grew meanwhile).
    let tail = run(&mut *tx, backend, lane, i64::MAX, REBUILD_CHUNK, |t| progress(CatchUp { events: total.events + t.events, ..t })).await?;
    total = CatchUp { events: total.events + tail.events, position: tail.position };
    tracing::debug!(?lane, "rebuild: lane loaded");
    for definition in deferred {
        let started = std::time::Instant::now();
        tx.run(&definition, vec![]).await?;
        tracing::debug!(definition, elapsed = ?started.elapsed(), "rebuild: index built");
    }

    // The swap. Live catch-ups of these projections wait from here until the commit; whatever
    // they applied before is replaced, and whatever was appended since the tail is applied now.
    tx.run(&lock_checkpoints(backend, lane, &format!("{live}.projection_checkpoints")), vec![]).await?;
    let last = run(&mut *tx, backend, lane, i64::MAX, REBUILD_CHUNK, |t| progress(CatchUp { events: total.events + t.events, ..t })).await?;
    total = CatchUp { events: total.events + last.events, position: last.position.max(total.position) };
    for t in lane.iter().flat_map(|p| p.tables()) {
        tx.run(&format!("DROP TABLE {live}.{}", t.name), vec![]).await?;
        tx.run(&format!("ALTER TABLE {shadow}.{} SET SCHEMA {live}", t.name), vec![]).await?;
    }
    tx.run(
        &format!(
            "UPDATE {live}.projection_checkpoints l SET position = s.position, updated_at = s.updated_at \
             FROM {shadow}.projection_checkpoints s WHERE l.name = s.name"
        ),
        vec![],
    )
    .await?;
    tx.run(&format!("DROP SCHEMA {shadow} CASCADE"), vec![]).await?;
    tx.commit().await?;
    tracing::debug!(?lane, "rebuild: lane swapped in");
    Ok(total)
}

/// Settings for a rebuild's own connections (closed at the end, never returned to the pool).
async fn relax_sync<C: Conn>(conn: &mut C, backend: Backend) -> Result<(), ProjectionError> {
    // Read models are derived data: a crash loses at most the last batches, rows and checkpoints
    // together (same transaction), and the next catch-up redoes them. So rebuild connections do
    // not wait for each commit to reach the disk; event appends keep full sync.
    if backend == Backend::Sqlite {
        conn.run("PRAGMA synchronous = NORMAL", vec![]).await?;
        // Bulk index maintenance over random keys: keep the indexes in memory for the rebuild.
        conn.run("PRAGMA cache_size = -262144", vec![]).await?;
    } else {
        conn.run("SET synchronous_commit = off", vec![]).await?;
        // The lanes look rows up by primary key in tables that grow from empty during the load,
        // with no statistics yet: the planner then prefers sequential scans with hashed IN lists,
        // which makes every lookup scan the whole table. Key lookups are what is wanted here.
        conn.run("SET enable_seqscan = off", vec![]).await?;
        // Every statement here is short. Left on, JIT compiles any statement whose estimated cost
        // passes `jit_above_cost` — which the line above makes every plan that still has a
        // sequential scan (catalog queries, cascades before an index is built) — and compiling
        // costs far more than such a statement runs (measured: 6.0 s replays instead of 2.0 s).
        conn.run("SET jit = off", vec![]).await?;
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
        let started = std::time::Instant::now();
        restore_index(conn, backend, &name).await?;
        tracing::debug!(index = name, elapsed = ?started.elapsed(), "index restored");
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
    scratch_specs.push(TableSpec { name: "projection_checkpoints", key: "name", columns: &[], ints: &[], append_only: false });
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
