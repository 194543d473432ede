//! How each projection turns events into rows.
//!
//! A batch of events is applied in memory: the rows it touches are loaded first (a few `IN (…)`
//! queries), the events change them, and the changed rows are written back with multi-row
//! upserts and deletes. The same code serves live catch-up (small batches) and rebuilds (large
//! batches over empty tables), and it keeps database round trips per batch, not per event.
//! SQL is shared by both backends (`$n` placeholders, integers as BIGINT/INTEGER, times as
//! fixed-width UTC text).

use std::collections::{HashMap, HashSet};

use crate::conn::Conn;
use crate::{Backend, DomainEvent, ProjectionError, StoredEvent, format_ts};
use aggregates::application::{Algorithm, OtpType};
use aggregates::{ApplicationEvent, SettingsEvent, UserEvent};
use cqrs_es::Aggregate;

/// The read models.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Projection {
    /// `users`: accounts by id, email and username.
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

pub(crate) const USERS: TableSpec = TableSpec {
    name: "users",
    key: "id",
    columns: &[
        "id",
        "email",
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
        "deleted_at",
    ],
    ints: &["disabled"],
    append_only: false,
};
pub(crate) const APPLICATIONS: TableSpec = TableSpec {
    name: "applications",
    key: "id",
    columns: &[
        "id",
        "owner_id",
        "issuer",
        "label",
        "otp_type",
        "algorithm",
        "digits",
        "period",
        "counter",
        "secret",
        "notes",
        "url",
        "icon",
        "color",
        "tags",
        "favorite",
        "position",
        "source",
        "trashed_at",
        "created_at",
        "updated_at",
    ],
    ints: &["digits", "period", "counter", "favorite", "position"],
    append_only: false,
};
pub(crate) const SESSIONS: TableSpec = TableSpec {
    name: "sessions",
    key: "id",
    columns: &[
        "id",
        "user_id",
        "method",
        "refresh_token_hash",
        "started_at",
        "refreshed_at",
        "expires_at",
        "ip",
        "user_agent",
        "ended_at",
        "end_reason",
    ],
    ints: &[],
    append_only: false,
};
pub(crate) const SETTINGS: TableSpec =
    TableSpec { name: "settings", key: "id", columns: &["id", "document", "updated_at"], ints: &[], append_only: false };
pub(crate) const AUDIT_INDEX: TableSpec = TableSpec {
    name: "audit_index",
    key: "position",
    columns: &[
        "position",
        "recorded_at",
        "actor_id",
        "actor_kind",
        "subject_user_id",
        "aggregate_type",
        "aggregate_id",
        "event_type",
        "outcome",
        "ip",
        "request_id",
    ],
    ints: &["position"],
    // One row per event, written once.
    append_only: true,
};
/// Per-owner vault version (the position of the owner's latest application event).
pub(crate) const VAULT_VERSIONS: TableSpec =
    TableSpec { name: "vault_versions", key: "owner_id", columns: &["owner_id", "position"], ints: &["position"], append_only: false };
pub(crate) const AUDIT_SUBJECTS: TableSpec =
    TableSpec { name: "audit_subjects", key: "aggregate_id", columns: &["aggregate_id", "user_id"], ints: &[], append_only: false };

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
            Self::Users => &[USERS],
            Self::Applications => &[APPLICATIONS, VAULT_VERSIONS],
            Self::Sessions => &[SESSIONS],
            Self::Settings => &[SETTINGS],
            Self::Audit => &[AUDIT_INDEX, AUDIT_SUBJECTS],
        }
    }
}

/// A cell value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum V {
    /// Text or NULL.
    T(Option<String>),
    /// Integer or NULL.
    I(Option<i64>),
}

/// The key of a row: its first cell as text.
fn key_of(values: &[V]) -> String {
    match values.first() {
        Some(V::T(Some(s))) => s.clone(),
        Some(V::I(Some(n))) => n.to_string(),
        _ => String::new(),
    }
}

fn t(s: impl Into<String>) -> V {
    V::T(Some(s.into()))
}

const NULL: V = V::T(None);

/// The rows of one table that a batch touches; `None` marks a deleted (or absent) row.
struct Table {
    spec: TableSpec,
    backend: Backend,
    rows: HashMap<String, Option<Vec<V>>>,
    dirty: HashSet<String>,
    /// Keys that exist in the database (loaded by a prefetch).
    existing: HashSet<String>,
}

impl Table {
    fn new(spec: TableSpec, backend: Backend) -> Self {
        Self { spec, backend, rows: HashMap::new(), dirty: HashSet::new(), existing: HashSet::new() }
    }

    /// The i-th bind placeholder (binds are always in order). SQLite gets anonymous `?`: its
    /// parser looks up every `$N` or `?N` in a linear list, which makes statements with thousands
    /// of parameters quadratic to prepare.
    fn ph(&self, i: usize) -> String {
        match self.backend {
            Backend::Postgres => format!("${i}"),
            Backend::Sqlite => "?".to_owned(),
        }
    }

    fn col(&self, name: &str) -> usize {
        self.spec.columns.iter().position(|c| *c == name).unwrap_or_else(|| panic!("{} has no column {name}", self.spec.name))
    }

    /// Which columns are integers, in column order.
    fn int_mask(&self) -> Vec<bool> {
        self.spec.columns.iter().map(|c| self.spec.ints.contains(c)).collect()
    }

    /// Loads the rows for `keys` not seen yet in this batch.
    async fn prefetch<C: Conn>(&mut self, conn: &mut C, keys: impl IntoIterator<Item = String>) -> Result<(), ProjectionError> {
        let missing: Vec<String> = keys.into_iter().filter(|k| !self.rows.contains_key(k)).collect::<HashSet<_>>().into_iter().collect();
        let ints = self.int_mask();
        for chunk in missing.chunks(500) {
            let placeholders: Vec<String> = (1..=chunk.len()).map(|i| self.ph(i)).collect();
            let sql =
                format!("SELECT {} FROM {} WHERE {} IN ({})", self.spec.columns.join(", "), self.spec.name, self.spec.key, placeholders.join(", "));
            let binds = chunk.iter().map(|k| self.key_value(k)).collect();
            for values in conn.rows(&sql, binds, &ints).await? {
                let key = key_of(&values);
                self.existing.insert(key.clone());
                self.rows.insert(key, Some(values));
            }
            for k in chunk {
                self.rows.entry(k.clone()).or_insert(None);
            }
        }
        Ok(())
    }

    /// Loads every row whose `column` equals `value` (for cascades such as a deleted owner).
    async fn prefetch_where<C: Conn>(&mut self, conn: &mut C, column: &str, value: &str) -> Result<(), ProjectionError> {
        let sql = format!("SELECT {} FROM {} WHERE {column} = $1", self.spec.columns.join(", "), self.spec.name);
        for values in conn.rows(&sql, vec![t(value)], &self.int_mask()).await? {
            let key = key_of(&values);
            if !self.rows.contains_key(&key) {
                self.existing.insert(key.clone());
                self.rows.insert(key, Some(values));
            }
        }
        Ok(())
    }

    /// A key as a bind value of the key column's type.
    fn key_value(&self, key: &str) -> V {
        if self.spec.ints.contains(&self.spec.key) { V::I(Some(key.parse::<i64>().unwrap_or_default())) } else { t(key) }
    }

    fn put(&mut self, key: String, values: Vec<V>) {
        debug_assert_eq!(values.len(), self.spec.columns.len());
        self.dirty.insert(key.clone());
        self.rows.insert(key, Some(values));
    }

    fn delete(&mut self, key: &str) {
        self.dirty.insert(key.to_owned());
        self.rows.insert(key.to_owned(), None);
    }

    /// Sets columns of an existing row; a missing row is left alone (its creation event was
    /// applied before this projection's history began, e.g. a purged application).
    fn set(&mut self, key: &str, changes: Vec<(&str, V)>) {
        let spec = self.spec;
        if let Some(Some(row)) = self.rows.get_mut(key) {
            for (c, v) in changes {
                let i = spec.columns.iter().position(|x| *x == c).unwrap_or_else(|| panic!("{} has no column {c}", spec.name));
                row[i] = v;
            }
            if !self.dirty.contains(key) {
                self.dirty.insert(key.to_owned());
            }
        }
    }

    fn keys_where(&self, column: &str, value: &str) -> Vec<String> {
        let i = self.col(column);
        self.rows.iter().filter(|(_, r)| matches!(r, Some(r) if r[i] == V::T(Some(value.to_owned())))).map(|(k, _)| k.clone()).collect()
    }

    fn get(&self, key: &str, column: &str) -> Option<&V> {
        let i = self.col(column);
        self.rows.get(key).and_then(Option::as_ref).map(|r| &r[i])
    }

    /// Writes rows: new ones by the connection's bulk path if it has one, else (and for upserts)
    /// multi-row INSERT statements of about 8,000 parameters each, which measured fastest on
    /// both backends.
    async fn write_rows<C: Conn>(&self, conn: &mut C, rows: Vec<Vec<V>>, upsert: bool) -> Result<(), ProjectionError> {
        if rows.is_empty() || (!upsert && conn.copy_in(&self.spec, &rows).await?) {
            return Ok(());
        }
        let cols = self.spec.columns;
        let per_chunk = (8_000 / cols.len()).max(1);
        let conflict = if upsert {
            let updates: Vec<String> = cols[1..].iter().map(|c| format!("{c} = excluded.{c}")).collect();
            format!(" ON CONFLICT ({}) DO UPDATE SET {}", self.spec.key, updates.join(", "))
        } else {
            String::new()
        };
        let mut rows = rows.into_iter().peekable();
        while rows.peek().is_some() {
            let chunk: Vec<Vec<V>> = rows.by_ref().take(per_chunk).collect();
            let mut n = 0;
            let tuples: Vec<String> = chunk
                .iter()
                .map(|_| {
                    let p: Vec<String> = cols
                        .iter()
                        .map(|_| {
                            n += 1;
                            self.ph(n)
                        })
                        .collect();
                    format!("({})", p.join(", "))
                })
                .collect();
            let sql = format!("INSERT INTO {} ({}) VALUES {}{conflict}", self.spec.name, cols.join(", "), tuples.join(", "));
            conn.run(&sql, chunk.into_iter().flatten().collect()).await?;
        }
        Ok(())
    }

    /// Writes the changed rows back (multi-row inserts for new rows, upserts for rows that
    /// existed, chunked deletes) and forgets them.
    async fn flush<C: Conn>(&mut self, conn: &mut C) -> Result<(), ProjectionError> {
        let mut rows = std::mem::take(&mut self.rows);
        let mut dirty: Vec<String> = std::mem::take(&mut self.dirty).into_iter().collect();
        dirty.sort();
        let (mut inserts, mut upserts, mut deletes) = (Vec::new(), Vec::new(), Vec::new());
        for k in dirty {
            match rows.remove(&k) {
                Some(Some(row)) if self.existing.contains(&k) => upserts.push(row),
                Some(Some(row)) => inserts.push(row),
                _ if self.existing.contains(&k) => deletes.push(k),
                _ => {}
            }
        }
        self.existing.clear();
        self.write_rows(conn, inserts, false).await?;
        self.write_rows(conn, upserts, true).await?;
        for chunk in deletes.chunks(500) {
            let placeholders: Vec<String> = (1..=chunk.len()).map(|i| self.ph(i)).collect();
            let sql = format!("DELETE FROM {} WHERE {} IN ({})", self.spec.name, self.spec.key, placeholders.join(", "));
            conn.run(&sql, chunk.iter().map(|k| self.key_value(k)).collect()).await?;
        }
        self.dirty.clear();
        Ok(())
    }
}

fn otp_type(t: OtpType) -> &'static str {
    match t {
        OtpType::Totp => "totp",
        OtpType::Hotp => "hotp",
        OtpType::Steam => "steam",
    }
}

fn algorithm(a: Algorithm) -> &'static str {
    match a {
        Algorithm::Sha1 => "SHA1",
        Algorithm::Sha256 => "SHA256",
        Algorithm::Sha512 => "SHA512",
    }
}

/// The `snake_case` wire name of a unit-like enum value, via its serde form.
fn wire<T: serde::Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// The session an event is about, if any.
fn session_of(e: &UserEvent) -> Option<String> {
    match e {
        UserEvent::SessionStarted { session_id, .. }
        | UserEvent::SessionRefreshed { session_id, .. }
        | UserEvent::SessionRevoked { session_id, .. }
        | UserEvent::SessionExpired { session_id } => Some(session_id.to_string()),
        _ => None,
    }
}

/// The keys of one table a batch must load: those whose first event in the batch does not
/// create them.
#[derive(Default)]
struct Wanted {
    keys: Vec<String>,
    seen: HashSet<String>,
}

impl Wanted {
    fn touch(&mut self, key: &str, creates: bool) {
        if !self.seen.contains(key) {
            self.seen.insert(key.to_owned());
            if !creates {
                self.keys.push(key.to_owned());
            }
        }
    }
}

/// One batch of row changes across the read models.
pub(crate) struct Batch {
    users: Table,
    applications: Table,
    versions: Table,
    sessions: Table,
    settings: Table,
    audit: Table,
    subjects: Table,
}

impl Batch {
    pub(crate) fn new(backend: Backend) -> Self {
        Self {
            users: Table::new(USERS, backend),
            applications: Table::new(APPLICATIONS, backend),
            versions: Table::new(VAULT_VERSIONS, backend),
            sessions: Table::new(SESSIONS, backend),
            settings: Table::new(SETTINGS, backend),
            audit: Table::new(AUDIT_INDEX, backend),
            subjects: Table::new(AUDIT_SUBJECTS, backend),
        }
    }

    /// Loads every row the events (as seen by `active(projection, position)`) will touch.
    pub(crate) async fn prefetch<C: Conn>(
        &mut self,
        conn: &mut C,
        events: &[StoredEvent],
        active: impl Fn(Projection, i64) -> bool,
    ) -> Result<(), ProjectionError> {
        let (mut users, mut apps, mut sessions, mut settings, mut subjects) =
            (Wanted::default(), Wanted::default(), Wanted::default(), Wanted::default(), Wanted::default());
        let mut deleted_owners = vec![];
        for ev in events {
            // An aggregate's first event creates it, so its rows cannot exist yet: nothing to load.
            let creates = ev.sequence == 1;
            match &ev.event {
                DomainEvent::User(e) => {
                    if active(Projection::Users, ev.position) {
                        users.touch(&ev.aggregate_id, creates);
                    }
                    if active(Projection::Sessions, ev.position)
                        && let Some(s) = session_of(e)
                    {
                        // Session ids are fresh at `SessionStarted`.
                        sessions.touch(&s, matches!(e, UserEvent::SessionStarted { .. }));
                    }
                    if matches!(e, UserEvent::UserDeleted { .. }) {
                        deleted_owners.push((ev.aggregate_id.clone(), ev.position));
                    }
                }
                DomainEvent::Application(_) => {
                    if active(Projection::Applications, ev.position) {
                        apps.touch(&ev.aggregate_id, creates);
                    }
                    if active(Projection::Audit, ev.position) {
                        subjects.touch(&ev.aggregate_id, creates);
                    }
                }
                DomainEvent::Settings(_) if active(Projection::Settings, ev.position) => settings.touch(&ev.aggregate_id, creates),
                DomainEvent::Settings(_) | DomainEvent::Other => {}
            }
        }
        let (users, apps, sessions, settings, subjects) = (users.keys, apps.keys, sessions.keys, settings.keys, subjects.keys);
        self.users.prefetch(conn, users).await?;
        self.applications.prefetch(conn, apps).await?;
        // The owners whose vault version these events move (known once their applications are loaded).
        let mut owners = Vec::new();
        for ev in events.iter().filter(|ev| active(Projection::Applications, ev.position)) {
            match &ev.event {
                DomainEvent::Application(ApplicationEvent::ApplicationCreated { owner_id, .. }) => owners.push(owner_id.to_string()),
                DomainEvent::Application(_) => {
                    if let Some(V::T(Some(owner))) = self.applications.get(&ev.aggregate_id, "owner_id") {
                        owners.push(owner.clone());
                    }
                }
                DomainEvent::User(UserEvent::UserDeleted { .. }) => owners.push(ev.aggregate_id.clone()),
                _ => {}
            }
        }
        self.versions.prefetch(conn, owners).await?;
        self.sessions.prefetch(conn, sessions).await?;
        self.settings.prefetch(conn, settings).await?;
        self.subjects.prefetch(conn, subjects).await?;
        for (owner, position) in deleted_owners {
            if active(Projection::Applications, position) {
                self.applications.prefetch_where(conn, "owner_id", &owner).await?;
            }
            if active(Projection::Sessions, position) {
                self.sessions.prefetch_where(conn, "user_id", &owner).await?;
            }
        }
        Ok(())
    }

    /// Applies one event to one projection's rows.
    pub(crate) fn apply(&mut self, projection: Projection, ev: &StoredEvent) -> Result<(), ProjectionError> {
        match (projection, &ev.event) {
            (Projection::Users, DomainEvent::User(e)) => self.user(ev, e),
            (Projection::Applications, DomainEvent::Application(e)) => self.application(ev, e),
            (Projection::Applications, DomainEvent::User(UserEvent::UserDeleted { .. })) => {
                // The owner's data key is gone: their applications can never be read again.
                for k in self.applications.keys_where("owner_id", &ev.aggregate_id) {
                    self.applications.delete(&k);
                }
                self.versions.delete(&ev.aggregate_id);
            }
            (Projection::Sessions, DomainEvent::User(e)) => self.session(ev, e),
            (Projection::Settings, DomainEvent::Settings(e)) => self.setting(ev, e)?,
            (Projection::Audit, _) => self.audit(ev),
            _ => {}
        }
        Ok(())
    }

    /// Writes every changed row.
    pub(crate) async fn flush<C: Conn>(&mut self, conn: &mut C) -> Result<(), ProjectionError> {
        for rows in
            [&mut self.users, &mut self.applications, &mut self.versions, &mut self.sessions, &mut self.settings, &mut self.audit, &mut self.subjects]
        {
            rows.flush(conn).await?;
        }
        Ok(())
    }

    fn user(&mut self, ev: &StoredEvent, e: &UserEvent) {
        let id = ev.aggregate_id.as_str();
        let now = t(&ev.recorded_at);
        let set = |rows: &mut Table, changes: &[(&str, V)]| {
            let mut all = changes.to_vec();
            all.push(("updated_at", now.clone()));
            rows.set(id, all);
        };
        match e {
            UserEvent::UserRegistered { user_id, email, username, display_name, role, password_hash, method, at } => {
                self.users.put(
                    user_id.to_string(),
                    vec![
                        t(user_id.to_string()),
                        t(email),
                        t(username),
                        t(display_name),
                        t(role.as_str()),
                        V::I(Some(0)),
                        NULL,
                        V::T(password_hash.clone()),
                        t(wire(method)),
                        t(json(&aggregates::user::Preferences::default())),
                        t(format_ts(at)),
                        now.clone(),
                        NULL,
                        NULL,
                    ],
                );
            }
            UserEvent::UserEmailChanged { email } => set(&mut self.users, &[("email", t(email))]),
            UserEvent::UserUsernameChanged { username } => set(&mut self.users, &[("username", t(username))]),
            UserEvent::UserDisplayNameChanged { display_name } => set(&mut self.users, &[("display_name", t(display_name))]),
            UserEvent::UserRoleChanged { to, .. } => set(&mut self.users, &[("role", t(to.as_str()))]),
            UserEvent::UserDisabled => set(&mut self.users, &[("disabled", V::I(Some(1)))]),
            UserEvent::UserEnabled => set(&mut self.users, &[("disabled", V::I(Some(0)))]),
            UserEvent::PasswordChanged { password_hash } | UserEvent::PasswordResetByAdmin { password_hash } => {
                set(&mut self.users, &[("password_hash", t(password_hash))]);
            }
            UserEvent::LoginSucceeded { at, .. } => set(&mut self.users, &[("last_login_at", t(format_ts(at)))]),
            UserEvent::AccountLocked { until, .. } => set(&mut self.users, &[("locked_until", t(format_ts(until)))]),
            UserEvent::AccountUnlocked => set(&mut self.users, &[("locked_until", NULL)]),
            UserEvent::PreferencesChanged(p) => set(&mut self.users, &[("preferences", t(json(p)))]),
            UserEvent::UserDeleted { at } => set(&mut self.users, &[("deleted_at", t(format_ts(at))), ("password_hash", NULL)]),
            UserEvent::LoginFailed { .. }
            | UserEvent::SessionStarted { .. }
            | UserEvent::SessionRefreshed { .. }
            | UserEvent::SessionRevoked { .. }
            | UserEvent::SessionExpired { .. } => {}
        }
    }

    fn application(&mut self, ev: &StoredEvent, e: &ApplicationEvent) {
        use ApplicationEvent as E;
        let id = ev.aggregate_id.as_str();
        let owner = match e {
            E::ApplicationCreated { owner_id, .. } => Some(owner_id.to_string()),
            _ => match self.applications.get(id, "owner_id") {
                Some(V::T(Some(o))) => Some(o.clone()),
                _ => None,
            },
        };
        if let Some(owner) = owner {
            self.versions.put(owner.clone(), vec![t(owner), V::I(Some(ev.position))]);
        }
        let now = t(&ev.recorded_at);
        let rows = &mut self.applications;
        let mut set = |changes: &[(&str, V)]| {
            let mut all = changes.to_vec();
            all.push(("updated_at", now.clone()));
            rows.set(id, all);
        };
        match e {
            E::ApplicationCreated { id, owner_id, issuer, label, secret, otp, tags, favorite, metadata, position, source, at } => {
                self.applications.put(
                    id.to_string(),
                    vec![
                        t(id.to_string()),
                        t(owner_id.to_string()),
                        t(issuer),
                        t(label),
                        t(otp_type(otp.otp_type)),
                        t(algorithm(otp.algorithm)),
                        V::I(Some(i64::from(otp.digits))),
                        V::I(Some(i64::from(otp.period))),
                        V::I(Some(otp.counter as i64)),
                        t(secret.as_str()),
                        V::T(metadata.notes.as_ref().map(|n| n.as_str().to_owned())),
                        V::T(metadata.url.clone()),
                        V::T(metadata.icon.clone()),
                        V::T(metadata.color.clone()),
                        t(json(tags)),
                        V::I(Some(i64::from(*favorite))),
                        V::I(Some(*position)),
                        t(wire(source)),
                        NULL,
                        t(format_ts(at)),
                        now.clone(),
                    ],
                );
            }
            E::ApplicationRenamed { issuer, label } => set(&[("issuer", t(issuer)), ("label", t(label))]),
            E::ApplicationSecretReplaced { secret } => set(&[("secret", t(secret.as_str()))]),
            E::ApplicationOtpParametersChanged { otp } => set(&[
                ("otp_type", t(otp_type(otp.otp_type))),
                ("algorithm", t(algorithm(otp.algorithm))),
                ("digits", V::I(Some(i64::from(otp.digits)))),
                ("period", V::I(Some(i64::from(otp.period)))),
                ("counter", V::I(Some(otp.counter as i64))),
            ]),
            E::ApplicationMetadataChanged { metadata } => set(&[
                ("notes", V::T(metadata.notes.as_ref().map(|n| n.as_str().to_owned()))),
                ("url", V::T(metadata.url.clone())),
                ("icon", V::T(metadata.icon.clone())),
                ("color", V::T(metadata.color.clone())),
            ]),
            E::ApplicationTagsChanged { tags } => set(&[("tags", t(json(tags)))]),
            E::ApplicationFavorited => set(&[("favorite", V::I(Some(1)))]),
            E::ApplicationUnfavorited => set(&[("favorite", V::I(Some(0)))]),
            E::ApplicationMoved { position } => set(&[("position", V::I(Some(*position)))]),
            E::HotpCounterAdvanced { counter } => set(&[("counter", V::I(Some(*counter as i64)))]),
            E::ApplicationTrashed { at } => set(&[("trashed_at", t(format_ts(at)))]),
            E::ApplicationRestored => set(&[("trashed_at", NULL)]),
            E::ApplicationPurged { .. } => self.applications.delete(id),
        }
    }

    fn session(&mut self, ev: &StoredEvent, e: &UserEvent) {
        let ended = |rows: &mut Table, id: &str, reason: String| {
            if matches!(rows.get(id, "ended_at"), Some(V::T(None))) {
                rows.set(id, vec![("ended_at", t(&ev.recorded_at)), ("end_reason", t(reason))]);
            }
        };
        match e {
            UserEvent::SessionStarted { session_id, method, refresh_token_hash, expires_at, at } => {
                self.sessions.put(
                    session_id.to_string(),
                    vec![
                        t(session_id.to_string()),
                        t(&ev.aggregate_id),
                        t(wire(method)),
                        t(refresh_token_hash),
                        t(format_ts(at)),
                        NULL,
                        t(format_ts(expires_at)),
                        V::T(ev.metadata.ip.clone()),
                        V::T(ev.metadata.user_agent.clone()),
                        NULL,
                        NULL,
                    ],
                );
            }
            UserEvent::SessionRefreshed { session_id, refresh_token_hash, expires_at, at } => self.sessions.set(
                &session_id.to_string(),
                vec![("refresh_token_hash", t(refresh_token_hash)), ("refreshed_at", t(format_ts(at))), ("expires_at", t(format_ts(expires_at)))],
            ),
            UserEvent::SessionRevoked { session_id, reason } => ended(&mut self.sessions, &session_id.to_string(), wire(reason)),
            UserEvent::SessionExpired { session_id } => ended(&mut self.sessions, &session_id.to_string(), "expired".into()),
            UserEvent::UserDeleted { .. } => {
                for k in self.sessions.keys_where("user_id", &ev.aggregate_id) {
                    ended(&mut self.sessions, &k, "user_deleted".into());
                }
            }
            _ => {}
        }
    }

    fn setting(&mut self, ev: &StoredEvent, e: &SettingsEvent) -> Result<(), ProjectionError> {
        let mut state: aggregates::Settings = match self.settings.get(&ev.aggregate_id, "document") {
            Some(V::T(Some(doc))) => serde_json::from_str(doc).map_err(|err| ProjectionError::Decode {
                position: ev.position,
                event_type: ev.event_type.clone(),
                message: format!("stored settings document: {err}"),
            })?,
            _ => aggregates::Settings::default(),
        };
        // The aggregate's own `apply` is the single definition of how settings evolve.
        state.apply(e.clone());
        self.settings.put(ev.aggregate_id.clone(), vec![t(&ev.aggregate_id), t(json(&state)), t(&ev.recorded_at)]);
        Ok(())
    }

    fn audit(&mut self, ev: &StoredEvent) {
        let subject: Option<String> = match &ev.event {
            DomainEvent::User(_) => Some(ev.aggregate_id.clone()),
            DomainEvent::Application(ApplicationEvent::ApplicationCreated { owner_id, .. }) => {
                if !matches!(self.subjects.get(&ev.aggregate_id, "user_id"), Some(V::T(Some(_)))) {
                    self.subjects.put(ev.aggregate_id.clone(), vec![t(&ev.aggregate_id), t(owner_id.to_string())]);
                }
                Some(owner_id.to_string())
            }
            DomainEvent::Application(_) => match self.subjects.get(&ev.aggregate_id, "user_id") {
                Some(V::T(Some(u))) => Some(u.clone()),
                _ => None,
            },
            DomainEvent::Settings(_) | DomainEvent::Other => None,
        };
        let m = &ev.metadata;
        self.audit.put(
            ev.position.to_string(),
            vec![
                V::I(Some(ev.position)),
                t(&ev.recorded_at),
                V::T(m.actor_id.clone()),
                t(if m.actor_kind.is_empty() { "system" } else { m.actor_kind.as_str() }),
                V::T(subject),
                t(&ev.aggregate_type),
                t(&ev.aggregate_id),
                t(&ev.event_type),
                t(outcome(ev)),
                V::T(m.ip.clone()),
                V::T(m.request_id.clone()),
            ],
        );
    }
}

/// `failure` for events that record a refused attempt, `success` otherwise.
fn outcome(ev: &StoredEvent) -> &'static str {
    match &ev.event {
        DomainEvent::User(
            UserEvent::LoginFailed { .. }
            | UserEvent::AccountLocked { .. }
            | UserEvent::SessionRevoked { reason: aggregates::user::RevocationReason::RefreshTokenReused, .. },
        ) => "failure",
        _ if ev.event_type.ends_with("Failed") => "failure",
        _ => "success",
    }
}
