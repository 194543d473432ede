//! How each projection turns an event into row changes. SQL is shared by both backends
//! (`$n` placeholders, integers as BIGINT/INTEGER, times as fixed-width UTC text).

use aggregates::application::{Algorithm, OtpType};
use aggregates::{ApplicationEvent, SettingsEvent, UserEvent};
use cqrs_es::Aggregate;
use sqlx::{AnyConnection, Row};

use crate::{DomainEvent, ProjectionError, StoredEvent, format_ts};

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

/// A read-model table: its name, key column and every column (for rebuild and diff).
#[derive(Debug, Clone, Copy)]
pub struct TableSpec {
    /// Table name.
    pub name: &'static str,
    /// Primary-key column.
    pub key: &'static str,
    /// All columns.
    pub columns: &'static [&'static str],
}

const USERS: TableSpec = TableSpec {
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
};
const APPLICATIONS: TableSpec = TableSpec {
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
};
const SESSIONS: TableSpec = TableSpec {
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
};
const SETTINGS: TableSpec = TableSpec { name: "settings", key: "id", columns: &["id", "document", "updated_at"] };
const AUDIT_INDEX: TableSpec = TableSpec {
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
};
const AUDIT_SUBJECTS: TableSpec = TableSpec { name: "audit_subjects", key: "aggregate_id", columns: &["aggregate_id", "user_id"] };

impl Projection {
    /// Every projection, in the order they are applied to an event.
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
            Self::Applications => &[APPLICATIONS],
            Self::Sessions => &[SESSIONS],
            Self::Settings => &[SETTINGS],
            Self::Audit => &[AUDIT_INDEX, AUDIT_SUBJECTS],
        }
    }

    /// Applies one event to this projection's tables.
    pub async fn apply(self, conn: &mut AnyConnection, ev: &StoredEvent) -> Result<(), ProjectionError> {
        match (self, &ev.event) {
            (Self::Users, DomainEvent::User(e)) => users(conn, ev, e).await,
            (Self::Applications, DomainEvent::Application(e)) => applications(conn, ev, e).await,
            (Self::Applications, DomainEvent::User(UserEvent::UserDeleted { .. })) => {
                // The owner's data key is gone: their applications can never be read again.
                sqlx::query("DELETE FROM applications WHERE owner_id = $1").bind(&ev.aggregate_id).execute(conn).await?;
                Ok(())
            }
            (Self::Sessions, DomainEvent::User(e)) => sessions(conn, ev, e).await,
            (Self::Settings, DomainEvent::Settings(e)) => settings(conn, ev, e).await,
            (Self::Audit, _) => audit(conn, ev).await,
            _ => Ok(()),
        }
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

async fn set_user(conn: &mut AnyConnection, ev: &StoredEvent, assignment: &str, value: Option<String>) -> Result<(), ProjectionError> {
    let sql = format!("UPDATE users SET {assignment} = $1, updated_at = $2 WHERE id = $3");
    sqlx::query(&sql).bind(value).bind(&ev.recorded_at).bind(&ev.aggregate_id).execute(conn).await?;
    Ok(())
}

async fn users(conn: &mut AnyConnection, ev: &StoredEvent, e: &UserEvent) -> Result<(), ProjectionError> {
    match e {
        UserEvent::UserRegistered { user_id, email, username, display_name, role, password_hash, method, at } => {
            sqlx::query(
                "INSERT INTO users (id, email, username, display_name, role, disabled, locked_until, password_hash, registration_method, preferences, \
                 created_at, updated_at, last_login_at, deleted_at) VALUES ($1, $2, $3, $4, $5, 0, NULL, $6, $7, $8, $9, $10, NULL, NULL)",
            )
            .bind(user_id.to_string())
            .bind(email)
            .bind(username)
            .bind(display_name)
            .bind(role.as_str())
            .bind(password_hash.clone())
            .bind(wire(method))
            .bind(serde_json::to_string(&aggregates::user::Preferences::default()).unwrap_or_default())
            .bind(format_ts(at))
            .bind(&ev.recorded_at)
            .execute(conn)
            .await?;
            Ok(())
        }
        UserEvent::UserEmailChanged { email } => set_user(conn, ev, "email", Some(email.clone())).await,
        UserEvent::UserUsernameChanged { username } => set_user(conn, ev, "username", Some(username.clone())).await,
        UserEvent::UserDisplayNameChanged { display_name } => set_user(conn, ev, "display_name", Some(display_name.clone())).await,
        UserEvent::UserRoleChanged { to, .. } => set_user(conn, ev, "role", Some(to.as_str().to_owned())).await,
        UserEvent::UserDisabled => set_int(conn, ev, "users", "disabled", 1).await,
        UserEvent::UserEnabled => set_int(conn, ev, "users", "disabled", 0).await,
        UserEvent::PasswordChanged { password_hash } | UserEvent::PasswordResetByAdmin { password_hash } => {
            set_user(conn, ev, "password_hash", Some(password_hash.clone())).await
        }
        UserEvent::LoginSucceeded { at, .. } => set_user(conn, ev, "last_login_at", Some(format_ts(at))).await,
        UserEvent::AccountLocked { until, .. } => set_user(conn, ev, "locked_until", Some(format_ts(until))).await,
        UserEvent::AccountUnlocked => set_user(conn, ev, "locked_until", None).await,
        UserEvent::PreferencesChanged(p) => set_user(conn, ev, "preferences", Some(serde_json::to_string(p).unwrap_or_default())).await,
        UserEvent::UserDeleted { at } => {
            sqlx::query("UPDATE users SET deleted_at = $1, password_hash = NULL, updated_at = $2 WHERE id = $3")
                .bind(format_ts(at))
                .bind(&ev.recorded_at)
                .bind(&ev.aggregate_id)
                .execute(conn)
                .await?;
            Ok(())
        }
        UserEvent::LoginFailed { .. }
        | UserEvent::SessionStarted { .. }
        | UserEvent::SessionRefreshed { .. }
        | UserEvent::SessionRevoked { .. }
        | UserEvent::SessionExpired { .. } => Ok(()),
    }
}

async fn set_app(conn: &mut AnyConnection, ev: &StoredEvent, assignments: &str, values: Vec<Option<String>>) -> Result<(), ProjectionError> {
    let n = values.len();
    let sql = format!("UPDATE applications SET {assignments}, updated_at = ${} WHERE id = ${}", n + 1, n + 2);
    let mut q = sqlx::query(&sql);
    for v in values {
        q = q.bind(v);
    }
    q.bind(&ev.recorded_at).bind(&ev.aggregate_id).execute(conn).await?;
    Ok(())
}

async fn set_int(conn: &mut AnyConnection, ev: &StoredEvent, table: &str, column: &str, value: i64) -> Result<(), ProjectionError> {
    let sql = format!("UPDATE {table} SET {column} = $1, updated_at = $2 WHERE id = $3");
    sqlx::query(&sql).bind(value).bind(&ev.recorded_at).bind(&ev.aggregate_id).execute(conn).await?;
    Ok(())
}

async fn applications(conn: &mut AnyConnection, ev: &StoredEvent, e: &ApplicationEvent) -> Result<(), ProjectionError> {
    use ApplicationEvent as E;
    match e {
        E::ApplicationCreated { id, owner_id, issuer, label, secret, otp, tags, favorite, metadata, position, source, at } => {
            sqlx::query(
                "INSERT INTO applications (id, owner_id, issuer, label, otp_type, algorithm, digits, period, counter, secret, notes, url, icon, color, \
                 tags, favorite, position, source, trashed_at, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, NULL, $19, $20)",
            )
            .bind(id.to_string())
            .bind(owner_id.to_string())
            .bind(issuer)
            .bind(label)
            .bind(otp_type(otp.otp_type))
            .bind(algorithm(otp.algorithm))
            .bind(i64::from(otp.digits))
            .bind(i64::from(otp.period))
            .bind(otp.counter as i64)
            .bind(secret.as_str())
            .bind(metadata.notes.as_ref().map(|n| n.as_str().to_owned()))
            .bind(metadata.url.clone())
            .bind(metadata.icon.clone())
            .bind(metadata.color.clone())
            .bind(serde_json::to_string(tags).unwrap_or_default())
            .bind(i64::from(*favorite))
            .bind(*position)
            .bind(wire(source))
            .bind(format_ts(at))
            .bind(&ev.recorded_at)
            .execute(conn)
            .await?;
            Ok(())
        }
        E::ApplicationRenamed { issuer, label } => {
            set_app(conn, ev, "issuer = $1, label = $2", vec![Some(issuer.clone()), Some(label.clone())]).await
        }
        E::ApplicationSecretReplaced { secret } => set_app(conn, ev, "secret = $1", vec![Some(secret.as_str().to_owned())]).await,
        E::ApplicationOtpParametersChanged { otp } => {
            sqlx::query(
                "UPDATE applications SET otp_type = $1, algorithm = $2, digits = $3, period = $4, counter = $5, updated_at = $6 WHERE id = $7",
            )
            .bind(otp_type(otp.otp_type))
            .bind(algorithm(otp.algorithm))
            .bind(i64::from(otp.digits))
            .bind(i64::from(otp.period))
            .bind(otp.counter as i64)
            .bind(&ev.recorded_at)
            .bind(&ev.aggregate_id)
            .execute(conn)
            .await?;
            Ok(())
        }
        E::ApplicationMetadataChanged { metadata } => {
            set_app(
                conn,
                ev,
                "notes = $1, url = $2, icon = $3, color = $4",
                vec![metadata.notes.as_ref().map(|n| n.as_str().to_owned()), metadata.url.clone(), metadata.icon.clone(), metadata.color.clone()],
            )
            .await
        }
        E::ApplicationTagsChanged { tags } => set_app(conn, ev, "tags = $1", vec![Some(serde_json::to_string(tags).unwrap_or_default())]).await,
        E::ApplicationFavorited => set_int(conn, ev, "applications", "favorite", 1).await,
        E::ApplicationUnfavorited => set_int(conn, ev, "applications", "favorite", 0).await,
        E::ApplicationMoved { position } => set_int(conn, ev, "applications", "position", *position).await,
        E::HotpCounterAdvanced { counter } => set_int(conn, ev, "applications", "counter", *counter as i64).await,
        E::ApplicationTrashed { at } => set_app(conn, ev, "trashed_at = $1", vec![Some(format_ts(at))]).await,
        E::ApplicationRestored => set_app(conn, ev, "trashed_at = $1", vec![None]).await,
        E::ApplicationPurged { .. } => {
            sqlx::query("DELETE FROM applications WHERE id = $1").bind(&ev.aggregate_id).execute(conn).await?;
            Ok(())
        }
    }
}

async fn end_session(conn: &mut AnyConnection, ev: &StoredEvent, session_id: &str, reason: &str) -> Result<(), ProjectionError> {
    sqlx::query("UPDATE sessions SET ended_at = $1, end_reason = $2 WHERE id = $3 AND ended_at IS NULL")
        .bind(&ev.recorded_at)
        .bind(reason.to_owned())
        .bind(session_id.to_owned())
        .execute(conn)
        .await?;
    Ok(())
}

async fn sessions(conn: &mut AnyConnection, ev: &StoredEvent, e: &UserEvent) -> Result<(), ProjectionError> {
    match e {
        UserEvent::SessionStarted { session_id, method, refresh_token_hash, expires_at, at } => {
            sqlx::query(
                "INSERT INTO sessions (id, user_id, method, refresh_token_hash, started_at, refreshed_at, expires_at, ip, user_agent, ended_at, end_reason) \
                 VALUES ($1, $2, $3, $4, $5, NULL, $6, $7, $8, NULL, NULL)",
            )
            .bind(session_id.to_string())
            .bind(&ev.aggregate_id)
            .bind(wire(method))
            .bind(refresh_token_hash)
            .bind(format_ts(at))
            .bind(format_ts(expires_at))
            .bind(ev.metadata.ip.clone())
            .bind(ev.metadata.user_agent.clone())
            .execute(conn)
            .await?;
            Ok(())
        }
        UserEvent::SessionRefreshed { session_id, refresh_token_hash, expires_at, at } => {
            sqlx::query("UPDATE sessions SET refresh_token_hash = $1, refreshed_at = $2, expires_at = $3 WHERE id = $4")
                .bind(refresh_token_hash)
                .bind(format_ts(at))
                .bind(format_ts(expires_at))
                .bind(session_id.to_string())
                .execute(conn)
                .await?;
            Ok(())
        }
        UserEvent::SessionRevoked { session_id, reason } => end_session(conn, ev, &session_id.to_string(), &wire(reason)).await,
        UserEvent::SessionExpired { session_id } => end_session(conn, ev, &session_id.to_string(), "expired").await,
        UserEvent::UserDeleted { .. } => {
            sqlx::query("UPDATE sessions SET ended_at = $1, end_reason = 'user_deleted' WHERE user_id = $2 AND ended_at IS NULL")
                .bind(&ev.recorded_at)
                .bind(&ev.aggregate_id)
                .execute(conn)
                .await?;
            Ok(())
        }
        _ => Ok(()),
    }
}

async fn settings(conn: &mut AnyConnection, ev: &StoredEvent, e: &SettingsEvent) -> Result<(), ProjectionError> {
    let current: Option<String> =
        sqlx::query("SELECT document FROM settings WHERE id = $1").bind(&ev.aggregate_id).fetch_optional(&mut *conn).await?.map(|r| r.get(0));
    let mut state: aggregates::Settings = match current {
        Some(doc) => serde_json::from_str(&doc).map_err(|e| ProjectionError::Decode {
            position: ev.position,
            event_type: ev.event_type.clone(),
            message: format!("stored settings document: {e}"),
        })?,
        None => aggregates::Settings::default(),
    };
    // The aggregate's own `apply` is the single definition of how settings evolve.
    state.apply(e.clone());
    let doc = serde_json::to_string(&state).unwrap_or_default();
    sqlx::query("INSERT INTO settings (id, document, updated_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE SET document = excluded.document, updated_at = excluded.updated_at")
        .bind(&ev.aggregate_id)
        .bind(doc)
        .bind(&ev.recorded_at)
        .execute(conn)
        .await?;
    Ok(())
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

async fn audit(conn: &mut AnyConnection, ev: &StoredEvent) -> Result<(), ProjectionError> {
    let subject: Option<String> = match &ev.event {
        DomainEvent::User(_) => Some(ev.aggregate_id.clone()),
        DomainEvent::Application(ApplicationEvent::ApplicationCreated { owner_id, .. }) => {
            sqlx::query("INSERT INTO audit_subjects (aggregate_id, user_id) VALUES ($1, $2) ON CONFLICT (aggregate_id) DO NOTHING")
                .bind(&ev.aggregate_id)
                .bind(owner_id.to_string())
                .execute(&mut *conn)
                .await?;
            Some(owner_id.to_string())
        }
        DomainEvent::Application(_) => sqlx::query("SELECT user_id FROM audit_subjects WHERE aggregate_id = $1")
            .bind(&ev.aggregate_id)
            .fetch_optional(&mut *conn)
            .await?
            .map(|r| r.get(0)),
        DomainEvent::Settings(_) | DomainEvent::Other => None,
    };
    let m = &ev.metadata;
    sqlx::query(
        "INSERT INTO audit_index (position, recorded_at, actor_id, actor_kind, subject_user_id, aggregate_type, aggregate_id, event_type, outcome, ip, request_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(ev.position)
    .bind(&ev.recorded_at)
    .bind(m.actor_id.clone())
    .bind(if m.actor_kind.is_empty() { "system".to_owned() } else { m.actor_kind.clone() })
    .bind(subject)
    .bind(&ev.aggregate_type)
    .bind(&ev.aggregate_id)
    .bind(&ev.event_type)
    .bind(outcome(ev))
    .bind(m.ip.clone())
    .bind(m.request_id.clone())
    .execute(conn)
    .await?;
    Ok(())
}
