//! How each projection turns events into rows: which rows a batch must load before applying its
//! events, and what every event does to the rows of each projection. Rows are built and changed
//! by column (`users::EMAIL`), through the row cache of `table.rs`.

use std::collections::HashSet;

use aggregates::time::format_timestamp as format_ts;
use aggregates::{ApplicationEvent, Outcome, SettingsEvent, UserEvent};
use cqrs_es::Aggregate;

use crate::catalog::{Col, Projection, TableDef, applications, audit_index, audit_subjects, passkeys, sessions, settings, users, vault_versions};
use crate::cell::{NULL, V, t};
use crate::conn::Conn;
use crate::error::{Backend, ProjectionError};
use crate::event::{DomainEvent, StoredEvent};
use crate::table::Table;

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

/// The passkey an event is about, if any, and whether the event creates its row.
fn passkey_of(e: &UserEvent) -> Option<(&str, bool)> {
    match e {
        UserEvent::PasskeyRegistered { credential_id, .. } => Some((credential_id, true)),
        UserEvent::PasskeyRenamed { credential_id, .. }
        | UserEvent::PasskeyUsed { credential_id, .. }
        | UserEvent::PasskeyRemoved { credential_id, .. } => Some((credential_id, false)),
        _ => None,
    }
}

/// An integer cell of a loaded row (0 when absent).
fn int_of<T: TableDef>(rows: &Table<T>, key: &str, col: Col<T>) -> i64 {
    match rows.get(key, col) {
        Some(V::I(Some(n))) => *n,
        _ => 0,
    }
}

/// Sets columns of an existing row together with its `updated_at` column (the event's time).
fn update<T: TableDef, const N: usize>(rows: &mut Table<T>, key: &str, updated_at: (Col<T>, &V), changes: [(Col<T>, V); N]) {
    rows.set(key, changes.into_iter().chain([(updated_at.0, updated_at.1.clone())]));
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
    users: Table<users::Def>,
    passkeys: Table<passkeys::Def>,
    applications: Table<applications::Def>,
    versions: Table<vault_versions::Def>,
    sessions: Table<sessions::Def>,
    settings: Table<settings::Def>,
    audit: Table<audit_index::Def>,
    subjects: Table<audit_subjects::Def>,
}

impl Batch {
    /// An empty batch.
    pub(crate) fn new(backend: Backend) -> Self {
        Self {
            users: Table::new(backend),
            passkeys: Table::new(backend),
            applications: Table::new(backend),
            versions: Table::new(backend),
            sessions: Table::new(backend),
            settings: Table::new(backend),
            audit: Table::new(backend),
            subjects: Table::new(backend),
        }
    }

    /// Loads every row the events (as seen by `active(projection, position)`) will touch.
    pub(crate) async fn prefetch<C: Conn>(
        &mut self,
        conn: &mut C,
        events: &[StoredEvent],
        active: impl Fn(Projection, i64) -> bool,
    ) -> Result<(), ProjectionError> {
        let (mut users, mut apps, mut sessions, mut settings, mut subjects, mut keys) =
            (Wanted::default(), Wanted::default(), Wanted::default(), Wanted::default(), Wanted::default(), Wanted::default());
        let mut deleted_owners = vec![];
        let mut reset_owners = vec![];
        for ev in events {
            // An aggregate's first event creates it, so its rows cannot exist yet: nothing to load.
            let creates = ev.sequence == 1;
            match &ev.event {
                DomainEvent::User(e) => {
                    if active(Projection::Users, ev.position) {
                        users.touch(&ev.aggregate_id, creates);
                        if let Some((key, creates)) = passkey_of(e) {
                            keys.touch(key, creates);
                        }
                        if matches!(e, UserEvent::SecondFactorsReset { .. }) {
                            reset_owners.push(ev.aggregate_id.clone());
                        }
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
        let (users, apps, sessions, settings, subjects, keys) = (users.keys, apps.keys, sessions.keys, settings.keys, subjects.keys, keys.keys);
        self.users.prefetch(conn, users).await?;
        self.passkeys.prefetch(conn, keys).await?;
        self.applications.prefetch(conn, apps).await?;
        // The owners whose vault version these events move (known once their applications are loaded).
        let mut owners = Vec::new();
        for ev in events.iter().filter(|ev| active(Projection::Applications, ev.position)) {
            match &ev.event {
                DomainEvent::Application(ApplicationEvent::ApplicationCreated { owner_id, .. }) => owners.push(owner_id.to_string()),
                DomainEvent::Application(_) => {
                    if let Some(V::T(Some(owner))) = self.applications.get(&ev.aggregate_id, applications::OWNER_ID) {
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
        for owner in reset_owners {
            self.passkeys.prefetch_where(conn, passkeys::USER_ID, &owner).await?;
        }
        for (owner, position) in deleted_owners {
            if active(Projection::Users, position) {
                self.passkeys.prefetch_where(conn, passkeys::USER_ID, &owner).await?;
            }
            if active(Projection::Applications, position) {
                self.applications.prefetch_where(conn, applications::OWNER_ID, &owner).await?;
            }
            if active(Projection::Sessions, position) {
                self.sessions.prefetch_where(conn, sessions::USER_ID, &owner).await?;
            }
        }
        Ok(())
    }

    /// Applies one event to one projection's rows.
    pub(crate) fn apply(&mut self, projection: Projection, ev: &StoredEvent) -> Result<(), ProjectionError> {
        match (projection, &ev.event) {
            (Projection::Users, DomainEvent::User(e)) => self.user(ev, e)?,
            (Projection::Applications, DomainEvent::Application(e)) => self.application(ev, e)?,
            (Projection::Applications, DomainEvent::User(UserEvent::UserDeleted { .. })) => {
                // The owner's data key is gone: their applications can never be read again.
                for k in self.applications.keys_where(applications::OWNER_ID, &ev.aggregate_id) {
                    self.applications.delete(&k);
                }
                self.versions.delete(&ev.aggregate_id);
            }
            (Projection::Sessions, DomainEvent::User(e)) => self.session(ev, e)?,
            (Projection::Settings, DomainEvent::Settings(e)) => self.setting(ev, e)?,
            (Projection::Audit, _) => self.audit(ev)?,
            _ => {}
        }
        Ok(())
    }

    /// Writes every changed row.
    pub(crate) async fn flush<C: Conn>(&mut self, conn: &mut C) -> Result<(), ProjectionError> {
        // Each table is a type of its own, hence no loop; the order is the one flushes always had.
        self.users.flush(conn).await?;
        self.passkeys.flush(conn).await?;
        self.applications.flush(conn).await?;
        self.versions.flush(conn).await?;
        self.sessions.flush(conn).await?;
        self.settings.flush(conn).await?;
        self.audit.flush(conn).await?;
        self.subjects.flush(conn).await?;
        Ok(())
    }

    fn user(&mut self, ev: &StoredEvent, e: &UserEvent) -> Result<(), ProjectionError> {
        let id = ev.aggregate_id.as_str();
        let now = t(&ev.recorded_at);
        let stamp = (users::UPDATED_AT, &now);
        let rows = &mut self.users;
        match e {
            UserEvent::UserRegistered { user_id, email, username, display_name, role, password_hash, method, at } => rows.put([
                (users::ID, t(user_id.to_string())),
                (users::EMAIL, t(email)),
                (users::USERNAME, t(username)),
                (users::DISPLAY_NAME, t(display_name)),
                (users::ROLE, t(role.as_str())),
                (users::DISABLED, V::I(Some(0))),
                (users::LOCKED_UNTIL, NULL),
                (users::PASSWORD_HASH, V::T(password_hash.as_ref().map(|h| h.stored().to_owned()))),
                (users::REGISTRATION_METHOD, t(method.as_str())),
                (users::PREFERENCES, t(json(&aggregates::user::Preferences::default()))),
                (users::CREATED_AT, t(format_ts(at))),
                (users::UPDATED_AT, now.clone()),
                (users::LAST_LOGIN_AT, NULL),
                (users::DELETED_AT, NULL),
                (users::TOTP_ENABLED, V::I(Some(0))),
                (users::RECOVERY_CODES_LEFT, V::I(Some(0))),
                (users::PASSKEYS, V::I(Some(0))),
            ])?,
            UserEvent::UserEmailChanged { email } => update(rows, id, stamp, [(users::EMAIL, t(email))]),
            UserEvent::UserUsernameChanged { username } => update(rows, id, stamp, [(users::USERNAME, t(username))]),
            UserEvent::UserDisplayNameChanged { display_name } => update(rows, id, stamp, [(users::DISPLAY_NAME, t(display_name))]),
            UserEvent::UserRoleChanged { to, .. } => update(rows, id, stamp, [(users::ROLE, t(to.as_str()))]),
            UserEvent::UserDisabled => update(rows, id, stamp, [(users::DISABLED, V::I(Some(1)))]),
            UserEvent::UserEnabled => update(rows, id, stamp, [(users::DISABLED, V::I(Some(0)))]),
            UserEvent::PasswordChanged { password_hash } | UserEvent::PasswordResetByAdmin { password_hash } => {
                update(rows, id, stamp, [(users::PASSWORD_HASH, t(password_hash.stored()))]);
            }
            UserEvent::LoginSucceeded { at, .. } => update(rows, id, stamp, [(users::LAST_LOGIN_AT, t(format_ts(at)))]),
            UserEvent::AccountLocked { until, .. } => update(rows, id, stamp, [(users::LOCKED_UNTIL, t(format_ts(until)))]),
            UserEvent::AccountUnlocked => update(rows, id, stamp, [(users::LOCKED_UNTIL, NULL)]),
            UserEvent::PreferencesChanged(p) => update(rows, id, stamp, [(users::PREFERENCES, t(json(p)))]),
            UserEvent::UserDeleted { at } => {
                let none = [(users::TOTP_ENABLED, V::I(Some(0))), (users::RECOVERY_CODES_LEFT, V::I(Some(0))), (users::PASSKEYS, V::I(Some(0)))];
                update(rows, id, stamp, [(users::DELETED_AT, t(format_ts(at))), (users::PASSWORD_HASH, NULL)]);
                rows.set(id, none);
                for k in self.passkeys.keys_where(passkeys::USER_ID, id) {
                    self.passkeys.delete(&k);
                }
            }
            UserEvent::TotpEnabled { .. } => update(rows, id, stamp, [(users::TOTP_ENABLED, V::I(Some(1)))]),
            UserEvent::TotpDisabled { .. } => update(rows, id, stamp, [(users::TOTP_ENABLED, V::I(Some(0)))]),
            UserEvent::RecoveryCodesGenerated { count, .. } => update(rows, id, stamp, [(users::RECOVERY_CODES_LEFT, V::I(Some(i64::from(*count))))]),
            UserEvent::RecoveryCodeUsed { remaining, .. } => {
                update(rows, id, stamp, [(users::RECOVERY_CODES_LEFT, V::I(Some(i64::from(*remaining))))]);
            }
            UserEvent::RecoveryCodesDiscarded => update(rows, id, stamp, [(users::RECOVERY_CODES_LEFT, V::I(Some(0)))]),
            UserEvent::PasskeyRegistered { credential_id, name, at, .. } => {
                let n = int_of(rows, id, users::PASSKEYS);
                update(rows, id, stamp, [(users::PASSKEYS, V::I(Some(n + 1)))]);
                self.passkeys.put([
                    (passkeys::CREDENTIAL_ID, t(credential_id)),
                    (passkeys::USER_ID, t(id)),
                    (passkeys::NAME, t(name)),
                    (passkeys::REGISTERED_AT, t(format_ts(at))),
                    (passkeys::LAST_USED_AT, NULL),
                ])?;
            }
            UserEvent::PasskeyRenamed { credential_id, name } => self.passkeys.set(credential_id, [(passkeys::NAME, t(name))]),
            UserEvent::PasskeyUsed { credential_id, at, .. } => self.passkeys.set(credential_id, [(passkeys::LAST_USED_AT, t(format_ts(at)))]),
            UserEvent::PasskeyRemoved { credential_id, .. } => {
                let n = int_of(rows, id, users::PASSKEYS);
                update(rows, id, stamp, [(users::PASSKEYS, V::I(Some((n - 1).max(0))))]);
                self.passkeys.delete(credential_id);
            }
            UserEvent::SecondFactorsReset { .. } => {
                let none = [(users::TOTP_ENABLED, V::I(Some(0))), (users::RECOVERY_CODES_LEFT, V::I(Some(0))), (users::PASSKEYS, V::I(Some(0)))];
                update(rows, id, stamp, none);
                for k in self.passkeys.keys_where(passkeys::USER_ID, id) {
                    self.passkeys.delete(&k);
                }
            }
            UserEvent::LoginFailed { .. }
            | UserEvent::SessionStarted { .. }
            | UserEvent::SessionRefreshed { .. }
            | UserEvent::SessionRevoked { .. }
            | UserEvent::SessionExpired { .. }
            | UserEvent::TotpEnrolmentStarted { .. }
            | UserEvent::TotpCodeAccepted { .. }
            | UserEvent::SecondFactorChallengeIssued { .. }
            | UserEvent::SecondFactorChallengeConsumed { .. }
            | UserEvent::SecondFactorPassed { .. }
            | UserEvent::SessionReauthenticated { .. } => {}
        }
        Ok(())
    }

    fn application(&mut self, ev: &StoredEvent, e: &ApplicationEvent) -> Result<(), ProjectionError> {
        use ApplicationEvent as E;
        // Showing the secret changes nothing in the vault (the audit index records it).
        if matches!(e, E::ApplicationSecretRevealed { .. }) {
            return Ok(());
        }
        let id = ev.aggregate_id.as_str();
        let owner = match e {
            E::ApplicationCreated { owner_id, .. } => Some(owner_id.to_string()),
            _ => match self.applications.get(id, applications::OWNER_ID) {
                Some(V::T(Some(o))) => Some(o.clone()),
                _ => None,
            },
        };
        if let Some(owner) = owner {
            self.versions.put([(vault_versions::OWNER_ID, t(owner)), (vault_versions::POSITION, V::I(Some(ev.position)))])?;
        }
        let now = t(&ev.recorded_at);
        let stamp = (applications::UPDATED_AT, &now);
        let rows = &mut self.applications;
        match e {
            E::ApplicationCreated { id, owner_id, issuer, label, secret, otp, tags, favorite, metadata, position, source, at } => rows.put([
                (applications::ID, t(id.to_string())),
                (applications::OWNER_ID, t(owner_id.to_string())),
                (applications::ISSUER, t(issuer)),
                (applications::LABEL, t(label)),
                (applications::OTP_TYPE, t(otp.otp_type.as_str())),
                (applications::ALGORITHM, t(otp.algorithm.as_str())),
                (applications::DIGITS, V::I(Some(i64::from(otp.digits)))),
                (applications::PERIOD, V::I(Some(i64::from(otp.period)))),
                (applications::COUNTER, V::I(Some(otp.counter as i64))),
                (applications::SECRET, t(secret.as_str())),
                (applications::NOTES, V::T(metadata.notes.as_ref().map(|n| n.as_str().to_owned()))),
                (applications::URL, V::T(metadata.url.clone())),
                (applications::ICON, V::T(metadata.icon.clone())),
                (applications::COLOR, V::T(metadata.color.clone())),
                (applications::TAGS, t(json(tags))),
                (applications::FAVORITE, V::I(Some(i64::from(*favorite)))),
                (applications::POSITION, V::I(Some(*position))),
                (applications::SOURCE, t(source.as_str())),
                (applications::TRASHED_AT, NULL),
                (applications::CREATED_AT, t(format_ts(at))),
                (applications::UPDATED_AT, now.clone()),
            ])?,
            E::ApplicationRenamed { issuer, label } => update(rows, id, stamp, [(applications::ISSUER, t(issuer)), (applications::LABEL, t(label))]),
            E::ApplicationSecretReplaced { secret } => update(rows, id, stamp, [(applications::SECRET, t(secret.as_str()))]),
            E::ApplicationOtpParametersChanged { otp } => update(
                rows,
                id,
                stamp,
                [
                    (applications::OTP_TYPE, t(otp.otp_type.as_str())),
                    (applications::ALGORITHM, t(otp.algorithm.as_str())),
                    (applications::DIGITS, V::I(Some(i64::from(otp.digits)))),
                    (applications::PERIOD, V::I(Some(i64::from(otp.period)))),
                    (applications::COUNTER, V::I(Some(otp.counter as i64))),
                ],
            ),
            E::ApplicationMetadataChanged { metadata } => update(
                rows,
                id,
                stamp,
                [
                    (applications::NOTES, V::T(metadata.notes.as_ref().map(|n| n.as_str().to_owned()))),
                    (applications::URL, V::T(metadata.url.clone())),
                    (applications::ICON, V::T(metadata.icon.clone())),
                    (applications::COLOR, V::T(metadata.color.clone())),
                ],
            ),
            E::ApplicationTagsChanged { tags } => update(rows, id, stamp, [(applications::TAGS, t(json(tags)))]),
            E::ApplicationFavorited => update(rows, id, stamp, [(applications::FAVORITE, V::I(Some(1)))]),
            E::ApplicationUnfavorited => update(rows, id, stamp, [(applications::FAVORITE, V::I(Some(0)))]),
            E::ApplicationMoved { position } => update(rows, id, stamp, [(applications::POSITION, V::I(Some(*position)))]),
            E::HotpCounterAdvanced { counter } => update(rows, id, stamp, [(applications::COUNTER, V::I(Some(*counter as i64)))]),
            E::ApplicationTrashed { at } => update(rows, id, stamp, [(applications::TRASHED_AT, t(format_ts(at)))]),
            E::ApplicationRestored => update(rows, id, stamp, [(applications::TRASHED_AT, NULL)]),
            E::ApplicationPurged { .. } => rows.delete(id),
            E::ApplicationSecretRevealed { .. } => {}
        }
        Ok(())
    }

    fn session(&mut self, ev: &StoredEvent, e: &UserEvent) -> Result<(), ProjectionError> {
        let ended = |rows: &mut Table<sessions::Def>, id: &str, reason: String| {
            if matches!(rows.get(id, sessions::ENDED_AT), Some(V::T(None))) {
                rows.set(id, [(sessions::ENDED_AT, t(&ev.recorded_at)), (sessions::END_REASON, t(reason))]);
            }
        };
        match e {
            UserEvent::SessionStarted { session_id, method, refresh_token_hash, expires_at, at } => self.sessions.put([
                (sessions::ID, t(session_id.to_string())),
                (sessions::USER_ID, t(&ev.aggregate_id)),
                (sessions::METHOD, t(method.as_str())),
                (sessions::REFRESH_TOKEN_HASH, t(refresh_token_hash)),
                (sessions::STARTED_AT, t(format_ts(at))),
                (sessions::REFRESHED_AT, NULL),
                (sessions::EXPIRES_AT, t(format_ts(expires_at))),
                (sessions::IP, V::T(ev.metadata.ip.clone())),
                (sessions::USER_AGENT, V::T(ev.metadata.user_agent.clone())),
                (sessions::ENDED_AT, NULL),
                (sessions::END_REASON, NULL),
            ])?,
            UserEvent::SessionRefreshed { session_id, refresh_token_hash, expires_at, at } => self.sessions.set(
                &session_id.to_string(),
                [
                    (sessions::REFRESH_TOKEN_HASH, t(refresh_token_hash)),
                    (sessions::REFRESHED_AT, t(format_ts(at))),
                    (sessions::EXPIRES_AT, t(format_ts(expires_at))),
                ],
            ),
            UserEvent::SessionRevoked { session_id, reason } => ended(&mut self.sessions, &session_id.to_string(), reason.as_str().to_owned()),
            UserEvent::SessionExpired { session_id } => ended(&mut self.sessions, &session_id.to_string(), "expired".into()),
            UserEvent::UserDeleted { .. } => {
                for k in self.sessions.keys_where(sessions::USER_ID, &ev.aggregate_id) {
                    ended(&mut self.sessions, &k, "user_deleted".into());
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn setting(&mut self, ev: &StoredEvent, e: &SettingsEvent) -> Result<(), ProjectionError> {
        let mut state: aggregates::Settings = match self.settings.get(&ev.aggregate_id, settings::DOCUMENT) {
            Some(V::T(Some(doc))) => serde_json::from_str(doc).map_err(|err| ProjectionError::Decode {
                position: ev.position,
                event_type: ev.event_type.clone(),
                message: format!("stored settings document: {err}"),
            })?,
            _ => aggregates::Settings::default(),
        };
        // The aggregate's own `apply` is the single definition of how settings evolve.
        state.apply(e.clone());
        self.settings.put([(settings::ID, t(&ev.aggregate_id)), (settings::DOCUMENT, t(json(&state))), (settings::UPDATED_AT, t(&ev.recorded_at))])
    }

    fn audit(&mut self, ev: &StoredEvent) -> Result<(), ProjectionError> {
        let subject: Option<String> = match &ev.event {
            DomainEvent::User(_) => Some(ev.aggregate_id.clone()),
            DomainEvent::Application(ApplicationEvent::ApplicationCreated { owner_id, .. }) => {
                if !matches!(self.subjects.get(&ev.aggregate_id, audit_subjects::USER_ID), Some(V::T(Some(_)))) {
                    self.subjects.put([(audit_subjects::AGGREGATE_ID, t(&ev.aggregate_id)), (audit_subjects::USER_ID, t(owner_id.to_string()))])?;
                }
                Some(owner_id.to_string())
            }
            DomainEvent::Application(_) => match self.subjects.get(&ev.aggregate_id, audit_subjects::USER_ID) {
                Some(V::T(Some(u))) => Some(u.clone()),
                _ => None,
            },
            DomainEvent::Settings(_) | DomainEvent::Other => None,
        };
        let m = &ev.metadata;
        self.audit.put([
            (audit_index::POSITION, V::I(Some(ev.position))),
            (audit_index::RECORDED_AT, t(&ev.recorded_at)),
            (audit_index::ACTOR_ID, V::T(m.actor_id.clone())),
            (audit_index::ACTOR_KIND, t(if m.actor_kind.is_empty() { "system" } else { m.actor_kind.as_str() })),
            (audit_index::SUBJECT_USER_ID, V::T(subject)),
            (audit_index::AGGREGATE_TYPE, t(&ev.aggregate_type)),
            (audit_index::AGGREGATE_ID, t(&ev.aggregate_id)),
            (audit_index::EVENT_TYPE, t(&ev.event_type)),
            (audit_index::OUTCOME, t(outcome(ev).as_str())),
            (audit_index::IP, V::T(m.ip.clone())),
            (audit_index::REQUEST_ID, V::T(m.request_id.clone())),
        ])
    }
}

/// `failure` for events that record a refused attempt, `success` otherwise.
fn outcome(ev: &StoredEvent) -> Outcome {
    match &ev.event {
        DomainEvent::User(
            UserEvent::LoginFailed { .. }
            | UserEvent::AccountLocked { .. }
            | UserEvent::SessionRevoked { reason: aggregates::user::RevocationReason::RefreshTokenReused, .. },
        ) => Outcome::Failure,
        _ if ev.event_type.ends_with("Failed") => Outcome::Failure,
        _ => Outcome::Success,
    }
}
