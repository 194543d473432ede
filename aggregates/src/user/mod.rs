//! The `User` aggregate: identity, credentials, login outcomes, lockout, sessions, preferences.

use std::collections::BTreeMap;

use chrono::Duration;
use cqrs_es::event_sink::EventSink;
use cqrs_es::{Aggregate, DomainEvent};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::common::{clean_text, constant_time_eq, normalize_email, normalize_username};
use crate::settings::{LockoutPolicy, PasswordPolicy, SignupMode, SignupPolicy};
use crate::{DomainError, EVENT_VERSION_1, ErrorKind, Timestamp};

/// What a user may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Role {
    /// Manages users, settings and reads the audit log.
    Admin,
    /// Keeps a vault.
    #[default]
    User,
    /// Keeps a vault and reads the audit log (read-only).
    Auditor,
}

impl Role {
    /// The role's wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::User => "user",
            Self::Auditor => "auditor",
        }
    }
}

/// How the account came to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegistrationMethod {
    /// The person signed up.
    SelfSignup,
    /// An admin (or the CLI) created it.
    AdminCreated,
    /// First single-sign-on login provisioned it.
    OidcProvisioned,
}

/// How a login was attempted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum LoginMethod {
    /// Password (plus any second factor).
    Password,
    /// Passkey.
    Passkey,
    /// Single sign-on.
    Oidc,
}

/// Why a login failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LoginFailureReason {
    /// Wrong password.
    BadPassword,
    /// Wrong or replayed second factor.
    BadSecondFactor,
    /// The account is locked.
    Locked,
    /// The account is disabled.
    Disabled,
}

/// Why a session ended early.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RevocationReason {
    /// The user logged out.
    Logout,
    /// The user revoked it from their session list.
    RevokedByUser,
    /// An admin revoked it.
    RevokedByAdmin,
    /// The password changed.
    PasswordChanged,
    /// A rotated refresh token was presented again (token theft signal).
    RefreshTokenReused,
    /// The account was disabled.
    AccountDisabled,
}

/// Display preferences.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Preferences {
    /// `light`, `dark` or `auto`.
    pub theme: String,
    /// How codes are grouped: `none`, `pairs`, `halves` (e.g. `123 456`).
    pub code_format: String,
    /// Lock the UI after this many idle minutes (0 = never).
    pub auto_lock_minutes: u32,
    /// Seconds after which a copied code is cleared from the clipboard (0 = never).
    pub clipboard_clear_seconds: u32,
}

impl Default for Preferences {
    fn default() -> Self {
        Self { theme: "auto".into(), code_format: "halves".into(), auto_lock_minutes: 10, clipboard_clear_seconds: 30 }
    }
}

/// A new password, hashed by the caller (argon2id is CPU work done off the runtime); the length
/// is in characters, so the domain can apply the policy without seeing the password.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword {
    /// The argon2id PHC string.
    pub phc: String,
    /// Length of the plaintext in characters.
    pub length: usize,
}

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "NewPassword({} chars)", self.length)
    }
}

/// The state of one live session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionState {
    /// SHA-256 (hex) of the current refresh token.
    pub refresh_token_hash: String,
    /// When the session ends at the latest.
    pub expires_at: Timestamp,
}

/// The user aggregate state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct User {
    /// Set once registered.
    pub id: Option<Uuid>,
    /// Normalised email.
    pub email: String,
    /// Normalised username.
    pub username: String,
    /// Display name.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// Disabled by an admin.
    pub disabled: bool,
    /// Locked until this instant after too many failures.
    pub locked_until: Option<Timestamp>,
    /// Failed logins counted towards the lockout, oldest first (only those inside the window matter).
    pub recent_failures: Vec<Timestamp>,
    /// The argon2id PHC string, if the account has a password.
    pub password_hash: Option<String>,
    /// Live sessions by id; ended sessions are dropped so the state stays small.
    pub sessions: BTreeMap<Uuid, SessionState>,
    /// Preferences.
    pub preferences: Preferences,
    /// Deleted (crypto-shredded).
    pub deleted: bool,
}

/// Commands on a user.
#[derive(Debug, Clone, PartialEq)]
pub enum UserCommand {
    /// Create the account.
    Register {
        /// New id (UUID v7).
        user_id: Uuid,
        /// Email address.
        email: String,
        /// Username.
        username: String,
        /// Display name (defaults to the username).
        display_name: Option<String>,
        /// The password, if the method needs one.
        password: Option<NewPassword>,
        /// Role asked for (only honoured for admin-created accounts; the first user is always admin).
        role: Role,
        /// How the account is created.
        method: RegistrationMethod,
        /// The signup policy in force.
        signup: SignupPolicy,
        /// The password policy in force.
        password_policy: PasswordPolicy,
        /// How many accounts exist already (0 = this is the first, who becomes admin).
        existing_users: u64,
        /// Clock reading.
        at: Timestamp,
    },
    /// Change the email address.
    ChangeEmail {
        /// New address.
        email: String,
    },
    /// Change the username.
    ChangeUsername {
        /// New username.
        username: String,
    },
    /// Change the display name.
    ChangeDisplayName {
        /// New name.
        display_name: String,
    },
    /// Change the role.
    ChangeRole {
        /// New role.
        role: Role,
        /// Active (enabled, not deleted) admins right now, this user included.
        active_admins: u64,
    },
    /// Disable the account, ending its sessions.
    Disable {
        /// Active admins right now, this user included.
        active_admins: u64,
    },
    /// Enable a disabled account.
    Enable,
    /// The user changes their own password (the caller verified the current one).
    ChangePassword {
        /// The new password.
        new: NewPassword,
        /// Policy in force.
        policy: PasswordPolicy,
        /// The session to keep; every other session is revoked.
        keep_session: Option<Uuid>,
    },
    /// An admin sets a new password; every session is revoked.
    ResetPassword {
        /// The new password.
        new: NewPassword,
        /// Policy in force.
        policy: PasswordPolicy,
    },
    /// Record a failed login; locks the account once the policy's threshold is reached.
    RecordLoginFailure {
        /// Method tried.
        method: LoginMethod,
        /// Why it failed.
        reason: LoginFailureReason,
        /// Lockout policy in force.
        lockout: LockoutPolicy,
        /// Clock reading.
        at: Timestamp,
    },
    /// A login succeeded: start a session.
    StartSession {
        /// New session id.
        session_id: Uuid,
        /// Method used.
        method: LoginMethod,
        /// SHA-256 (hex) of the first refresh token.
        refresh_token_hash: String,
        /// End of the session at the latest.
        expires_at: Timestamp,
        /// Clock reading.
        at: Timestamp,
    },
    /// Rotate a session's refresh token. A presented token that is not the current one means a
    /// rotated token was replayed: the session is revoked instead (RFC 9700 §4.14.2).
    RefreshSession {
        /// Session id.
        session_id: Uuid,
        /// SHA-256 (hex) of the token presented.
        presented_hash: String,
        /// SHA-256 (hex) of the new token.
        new_hash: String,
        /// New end of the session.
        expires_at: Timestamp,
        /// Clock reading.
        at: Timestamp,
    },
    /// End one session.
    RevokeSession {
        /// Session id.
        session_id: Uuid,
        /// Why.
        reason: RevocationReason,
    },
    /// End every session except, optionally, one.
    RevokeAllSessions {
        /// Session to keep.
        except: Option<Uuid>,
        /// Why.
        reason: RevocationReason,
    },
    /// Record that a session ran out.
    ExpireSession {
        /// Session id.
        session_id: Uuid,
        /// Clock reading.
        at: Timestamp,
    },
    /// An admin lifts a lockout.
    Unlock {
        /// Clock reading.
        at: Timestamp,
    },
    /// Change preferences.
    ChangePreferences(Preferences),
    /// Delete the account (its data key is destroyed by the caller: crypto-shredding).
    Delete {
        /// Active admins right now, this user included.
        active_admins: u64,
        /// Clock reading.
        at: Timestamp,
    },
}

/// Facts about a user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum UserEvent {
    /// The account was created.
    UserRegistered {
        /// Id.
        user_id: Uuid,
        /// Normalised email.
        email: String,
        /// Normalised username.
        username: String,
        /// Display name.
        display_name: String,
        /// Role.
        role: Role,
        /// argon2id PHC string (a hash, never the password).
        password_hash: Option<String>,
        /// How.
        method: RegistrationMethod,
        /// When.
        at: Timestamp,
    },
    /// The email address changed.
    UserEmailChanged {
        /// New address.
        email: String,
    },
    /// The username changed.
    UserUsernameChanged {
        /// New username.
        username: String,
    },
    /// The display name changed.
    UserDisplayNameChanged {
        /// New name.
        display_name: String,
    },
    /// The role changed.
    UserRoleChanged {
        /// Before.
        from: Role,
        /// After.
        to: Role,
    },
    /// An admin disabled the account.
    UserDisabled,
    /// An admin enabled the account.
    UserEnabled,
    /// The user changed their password.
    PasswordChanged {
        /// New argon2id PHC string.
        password_hash: String,
    },
    /// An admin reset the password.
    PasswordResetByAdmin {
        /// New argon2id PHC string.
        password_hash: String,
    },
    /// A login succeeded.
    LoginSucceeded {
        /// Method.
        method: LoginMethod,
        /// When.
        at: Timestamp,
    },
    /// A login failed.
    LoginFailed {
        /// Method.
        method: LoginMethod,
        /// Why.
        reason: LoginFailureReason,
        /// Failures inside the lockout window, this one included.
        failures_in_window: u32,
        /// When.
        at: Timestamp,
    },
    /// Too many failures locked the account.
    AccountLocked {
        /// Until when.
        until: Timestamp,
        /// Failures that caused it.
        failures: u32,
    },
    /// An admin lifted the lock.
    AccountUnlocked,
    /// A session began.
    SessionStarted {
        /// Session id.
        session_id: Uuid,
        /// Method.
        method: LoginMethod,
        /// SHA-256 (hex) of the refresh token.
        refresh_token_hash: String,
        /// End at the latest.
        expires_at: Timestamp,
        /// When.
        at: Timestamp,
    },
    /// A session's refresh token rotated.
    SessionRefreshed {
        /// Session id.
        session_id: Uuid,
        /// SHA-256 (hex) of the new refresh token.
        refresh_token_hash: String,
        /// New end.
        expires_at: Timestamp,
        /// When.
        at: Timestamp,
    },
    /// A session was ended early.
    SessionRevoked {
        /// Session id.
        session_id: Uuid,
        /// Why.
        reason: RevocationReason,
    },
    /// A session ran out.
    SessionExpired {
        /// Session id.
        session_id: Uuid,
    },
    /// Preferences changed.
    PreferencesChanged(Preferences),
    /// The account was deleted and its data key destroyed.
    UserDeleted {
        /// When.
        at: Timestamp,
    },
}

impl DomainEvent for UserEvent {
    fn event_type(&self) -> String {
        match self {
            Self::UserRegistered { .. } => "UserRegistered",
            Self::UserEmailChanged { .. } => "UserEmailChanged",
            Self::UserUsernameChanged { .. } => "UserUsernameChanged",
            Self::UserDisplayNameChanged { .. } => "UserDisplayNameChanged",
            Self::UserRoleChanged { .. } => "UserRoleChanged",
            Self::UserDisabled => "UserDisabled",
            Self::UserEnabled => "UserEnabled",
            Self::PasswordChanged { .. } => "PasswordChanged",
            Self::PasswordResetByAdmin { .. } => "PasswordResetByAdmin",
            Self::LoginSucceeded { .. } => "LoginSucceeded",
            Self::LoginFailed { .. } => "LoginFailed",
            Self::AccountLocked { .. } => "AccountLocked",
            Self::AccountUnlocked => "AccountUnlocked",
            Self::SessionStarted { .. } => "SessionStarted",
            Self::SessionRefreshed { .. } => "SessionRefreshed",
            Self::SessionRevoked { .. } => "SessionRevoked",
            Self::SessionExpired { .. } => "SessionExpired",
            Self::PreferencesChanged(_) => "PreferencesChanged",
            Self::UserDeleted { .. } => "UserDeleted",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        EVENT_VERSION_1.to_owned()
    }
}

/// Why a user command was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UserError {
    /// No such user (or deleted).
    #[error("user not found")]
    NotFound,
    /// Register on an existing aggregate.
    #[error("user already exists")]
    AlreadyRegistered,
    /// Bad email.
    #[error("invalid email address")]
    InvalidEmail,
    /// Bad username.
    #[error("username must be 3–32 characters: letters, digits, '.', '_' or '-'")]
    InvalidUsername,
    /// Bad display name.
    #[error("display name must be at most 100 characters without control characters")]
    InvalidDisplayName,
    /// Self-signup is closed.
    #[error("sign-up is closed")]
    SignupClosed,
    /// Self-signup needs an invitation.
    #[error("sign-up requires an invitation")]
    SignupInviteOnly,
    /// Email domain not allowed for self-signup.
    #[error("this email domain may not sign up")]
    EmailDomainNotAllowed,
    /// A password is required.
    #[error("a password is required")]
    PasswordRequired,
    /// Too short for the policy.
    #[error("password must be at least {min} characters")]
    PasswordTooShort {
        /// Policy minimum.
        min: u32,
    },
    /// Too long for the policy.
    #[error("password must be at most {max} characters")]
    PasswordTooLong {
        /// Policy maximum.
        max: u32,
    },
    /// Would leave no active admin.
    #[error("the last active admin cannot be demoted, disabled or deleted")]
    LastAdmin,
    /// Already disabled.
    #[error("account is already disabled")]
    AlreadyDisabled,
    /// Not disabled.
    #[error("account is not disabled")]
    NotDisabled,
    /// The account is disabled.
    #[error("account is disabled")]
    AccountDisabled,
    /// The account is locked.
    #[error("account is locked until {until}")]
    AccountLocked {
        /// Until when.
        until: Timestamp,
    },
    /// Unlock on an unlocked account.
    #[error("account is not locked")]
    NotLocked,
    /// No such live session.
    #[error("session not found")]
    SessionNotFound,
    /// The session ran out.
    #[error("session expired")]
    SessionExpired,
    /// A preference is out of range.
    #[error("invalid preference: {field}")]
    InvalidPreference {
        /// Which one.
        field: &'static str,
    },
}

impl DomainError for UserError {
    fn code(&self) -> &'static str {
        match self {
            Self::NotFound => "user_not_found",
            Self::AlreadyRegistered => "user_exists",
            Self::InvalidEmail => "invalid_email",
            Self::InvalidUsername => "invalid_username",
            Self::InvalidDisplayName => "invalid_display_name",
            Self::SignupClosed => "signup_closed",
            Self::SignupInviteOnly => "signup_invite_only",
            Self::EmailDomainNotAllowed => "email_domain_not_allowed",
            Self::PasswordRequired => "password_required",
            Self::PasswordTooShort { .. } => "password_too_short",
            Self::PasswordTooLong { .. } => "password_too_long",
            Self::LastAdmin => "last_admin",
            Self::AlreadyDisabled => "already_disabled",
            Self::NotDisabled => "not_disabled",
            Self::AccountDisabled => "account_disabled",
            Self::AccountLocked { .. } => "account_locked",
            Self::NotLocked => "not_locked",
            Self::SessionNotFound => "session_not_found",
            Self::SessionExpired => "session_expired",
            Self::InvalidPreference { .. } => "invalid_preference",
        }
    }

    fn field(&self) -> Option<&'static str> {
        match self {
            Self::InvalidEmail | Self::EmailDomainNotAllowed => Some("email"),
            Self::InvalidUsername => Some("username"),
            Self::InvalidDisplayName => Some("display_name"),
            Self::PasswordRequired | Self::PasswordTooShort { .. } | Self::PasswordTooLong { .. } => Some("password"),
            Self::InvalidPreference { field } => Some(field),
            _ => None,
        }
    }

    fn kind(&self) -> ErrorKind {
        match self {
            Self::NotFound | Self::SessionNotFound => ErrorKind::NotFound,
            Self::AlreadyRegistered | Self::LastAdmin | Self::AlreadyDisabled | Self::NotDisabled | Self::NotLocked => ErrorKind::Conflict,
            Self::SignupClosed | Self::SignupInviteOnly | Self::EmailDomainNotAllowed | Self::AccountDisabled => ErrorKind::Forbidden,
            Self::AccountLocked { .. } => ErrorKind::Locked,
            Self::SessionExpired => ErrorKind::Unauthorized,
            Self::InvalidEmail
            | Self::InvalidUsername
            | Self::InvalidDisplayName
            | Self::PasswordRequired
            | Self::PasswordTooShort { .. }
            | Self::PasswordTooLong { .. }
            | Self::InvalidPreference { .. } => ErrorKind::Invalid,
        }
    }
}

fn check_password(new: &NewPassword, policy: PasswordPolicy) -> Result<(), UserError> {
    if new.length < policy.min_length as usize {
        return Err(UserError::PasswordTooShort { min: policy.min_length });
    }
    if new.length > policy.max_length as usize {
        return Err(UserError::PasswordTooLong { max: policy.max_length });
    }
    Ok(())
}

fn clean_display_name(name: &str) -> Result<String, UserError> {
    clean_text(name, 100).filter(|n| !n.is_empty()).ok_or(UserError::InvalidDisplayName)
}

impl User {
    /// Whether the account is locked at `now`.
    pub fn is_locked(&self, now: Timestamp) -> bool {
        self.locked_until.is_some_and(|until| until > now)
    }

    /// Whether the user counts as an active admin (enabled, not deleted).
    pub fn is_active_admin(&self) -> bool {
        self.role == Role::Admin && !self.disabled && !self.deleted
    }

    fn registered(&self) -> Result<(), UserError> {
        if self.id.is_none() || self.deleted { Err(UserError::NotFound) } else { Ok(()) }
    }

    /// The last active admin must stay: refuse if this is the only one.
    fn guard_last_admin(&self, active_admins: u64) -> Result<(), UserError> {
        if self.is_active_admin() && active_admins <= 1 { Err(UserError::LastAdmin) } else { Ok(()) }
    }

    fn register(&self, cmd: UserCommand) -> Result<Vec<UserEvent>, UserError> {
        let UserCommand::Register { user_id, email, username, display_name, password, role, method, signup, password_policy, existing_users, at } =
            cmd
        else {
            unreachable!("register is only called with Register")
        };
        if self.id.is_some() {
            return Err(UserError::AlreadyRegistered);
        }
        let email = normalize_email(&email).ok_or(UserError::InvalidEmail)?;
        let username = normalize_username(&username).ok_or(UserError::InvalidUsername)?;
        let display_name = match display_name.as_deref().map(str::trim) {
            Some(n) if !n.is_empty() => clean_display_name(n)?,
            _ => username.clone(),
        };
        let first_user = existing_users == 0;
        let role = match method {
            _ if first_user => Role::Admin,
            RegistrationMethod::SelfSignup | RegistrationMethod::OidcProvisioned => Role::User,
            RegistrationMethod::AdminCreated => role,
        };
        if method == RegistrationMethod::SelfSignup && !first_user {
            match signup.mode {
                SignupMode::Open => {}
                SignupMode::Closed => return Err(UserError::SignupClosed),
                SignupMode::Invite => return Err(UserError::SignupInviteOnly),
            }
            let domain = email.rsplit_once('@').map_or("", |(_, d)| d);
            if !signup.allowed_domains.is_empty() && !signup.allowed_domains.iter().any(|d| d == domain) {
                return Err(UserError::EmailDomainNotAllowed);
            }
        }
        let password_hash = match (method, password) {
            (RegistrationMethod::OidcProvisioned, None) => None,
            (_, None) => return Err(UserError::PasswordRequired),
            (_, Some(p)) => {
                check_password(&p, password_policy)?;
                Some(p.phc)
            }
        };
        Ok(vec![UserEvent::UserRegistered { user_id, email, username, display_name, role, password_hash, method, at }])
    }

    fn revoke_all(&self, except: Option<Uuid>, reason: RevocationReason) -> Vec<UserEvent> {
        self.sessions.keys().filter(|id| Some(**id) != except).map(|&session_id| UserEvent::SessionRevoked { session_id, reason }).collect()
    }

    fn decide(&self, command: UserCommand) -> Result<Vec<UserEvent>, UserError> {
        if matches!(command, UserCommand::Register { .. }) {
            return self.register(command);
        }
        self.registered()?;
        Ok(match command {
            UserCommand::Register { .. } => unreachable!("handled above"),
            UserCommand::ChangeEmail { email } => {
                let email = normalize_email(&email).ok_or(UserError::InvalidEmail)?;
                if email == self.email { vec![] } else { vec![UserEvent::UserEmailChanged { email }] }
            }
            UserCommand::ChangeUsername { username } => {
                let username = normalize_username(&username).ok_or(UserError::InvalidUsername)?;
                if username == self.username { vec![] } else { vec![UserEvent::UserUsernameChanged { username }] }
            }
            UserCommand::ChangeDisplayName { display_name } => {
                let display_name = clean_display_name(&display_name)?;
                if display_name == self.display_name { vec![] } else { vec![UserEvent::UserDisplayNameChanged { display_name }] }
            }
            UserCommand::ChangeRole { role, active_admins } => {
                if role == self.role {
                    return Ok(vec![]);
                }
                self.guard_last_admin(active_admins)?;
                vec![UserEvent::UserRoleChanged { from: self.role, to: role }]
            }
            UserCommand::Disable { active_admins } => {
                if self.disabled {
                    return Err(UserError::AlreadyDisabled);
                }
                self.guard_last_admin(active_admins)?;
                let mut events = vec![UserEvent::UserDisabled];
                events.extend(self.revoke_all(None, RevocationReason::AccountDisabled));
                events
            }
            UserCommand::Enable => {
                if !self.disabled {
                    return Err(UserError::NotDisabled);
                }
                vec![UserEvent::UserEnabled]
            }
            UserCommand::ChangePassword { new, policy, keep_session } => {
                check_password(&new, policy)?;
                let mut events = vec![UserEvent::PasswordChanged { password_hash: new.phc }];
                events.extend(self.revoke_all(keep_session, RevocationReason::PasswordChanged));
                events
            }
            UserCommand::ResetPassword { new, policy } => {
                check_password(&new, policy)?;
                let mut events = vec![UserEvent::PasswordResetByAdmin { password_hash: new.phc }];
                events.extend(self.revoke_all(None, RevocationReason::PasswordChanged));
                events
            }
            UserCommand::RecordLoginFailure { method, reason, lockout, at } => self.login_failure(method, reason, lockout, at),
            UserCommand::StartSession { session_id, method, refresh_token_hash, expires_at, at } => {
                if self.disabled {
                    return Err(UserError::AccountDisabled);
                }
                if let Some(until) = self.locked_until.filter(|u| *u > at) {
                    return Err(UserError::AccountLocked { until });
                }
                vec![UserEvent::LoginSucceeded { method, at }, UserEvent::SessionStarted { session_id, method, refresh_token_hash, expires_at, at }]
            }
            UserCommand::RefreshSession { session_id, presented_hash, new_hash, expires_at, at } => {
                let session = self.sessions.get(&session_id).ok_or(UserError::SessionNotFound)?;
                if self.disabled {
                    return Err(UserError::AccountDisabled);
                }
                if session.expires_at <= at {
                    return Ok(vec![UserEvent::SessionExpired { session_id }]);
                }
                if !constant_time_eq(session.refresh_token_hash.as_bytes(), presented_hash.as_bytes()) {
                    // Reuse of a rotated token: kill the session rather than refuse quietly.
                    return Ok(vec![UserEvent::SessionRevoked { session_id, reason: RevocationReason::RefreshTokenReused }]);
                }
                vec![UserEvent::SessionRefreshed { session_id, refresh_token_hash: new_hash, expires_at, at }]
            }
            UserCommand::RevokeSession { session_id, reason } => {
                if !self.sessions.contains_key(&session_id) {
                    return Err(UserError::SessionNotFound);
                }
                vec![UserEvent::SessionRevoked { session_id, reason }]
            }
            UserCommand::RevokeAllSessions { except, reason } => self.revoke_all(except, reason),
            UserCommand::ExpireSession { session_id, at } => match self.sessions.get(&session_id) {
                None => return Err(UserError::SessionNotFound),
                Some(s) if s.expires_at > at => vec![],
                Some(_) => vec![UserEvent::SessionExpired { session_id }],
            },
            UserCommand::Unlock { at } => {
                if !self.is_locked(at) {
                    return Err(UserError::NotLocked);
                }
                vec![UserEvent::AccountUnlocked]
            }
            UserCommand::ChangePreferences(p) => {
                if !["light", "dark", "auto"].contains(&p.theme.as_str()) {
                    return Err(UserError::InvalidPreference { field: "theme" });
                }
                if !["none", "pairs", "halves", "triplets"].contains(&p.code_format.as_str()) {
                    return Err(UserError::InvalidPreference { field: "code_format" });
                }
                if p.auto_lock_minutes > 1440 {
                    return Err(UserError::InvalidPreference { field: "auto_lock_minutes" });
                }
                if p.clipboard_clear_seconds > 600 {
                    return Err(UserError::InvalidPreference { field: "clipboard_clear_seconds" });
                }
                if p == self.preferences { vec![] } else { vec![UserEvent::PreferencesChanged(p)] }
            }
            UserCommand::Delete { active_admins, at } => {
                self.guard_last_admin(active_admins)?;
                vec![UserEvent::UserDeleted { at }]
            }
        })
    }

    fn login_failure(&self, method: LoginMethod, reason: LoginFailureReason, lockout: LockoutPolicy, at: Timestamp) -> Vec<UserEvent> {
        let window_start = at - Duration::minutes(i64::from(lockout.window_minutes));
        let already_locked = self.is_locked(at);
        // A failure while locked is recorded but neither counts nor extends the lock, so an
        // attacker cannot keep a victim locked out indefinitely by themselves.
        let failures_in_window = if already_locked {
            0
        } else {
            u32::try_from(self.recent_failures.iter().filter(|t| **t > window_start).count()).unwrap_or(u32::MAX).saturating_add(1)
        };
        let reason = if already_locked { LoginFailureReason::Locked } else { reason };
        let mut events = vec![UserEvent::LoginFailed { method, reason, failures_in_window, at }];
        if !already_locked && failures_in_window >= lockout.max_failures {
            events.push(UserEvent::AccountLocked { until: at + Duration::minutes(i64::from(lockout.lock_minutes)), failures: failures_in_window });
        }
        events
    }
}

impl Aggregate for User {
    const TYPE: &'static str = "user";
    type Command = UserCommand;
    type Event = UserEvent;
    type Error = UserError;
    type Services = ();

    async fn handle(&mut self, command: Self::Command, (): &(), sink: &EventSink<Self>) -> Result<(), Self::Error> {
        for event in self.decide(command)? {
            sink.write(event, self).await;
        }
        Ok(())
    }

    fn apply(&mut self, event: Self::Event) {
        match event {
            UserEvent::UserRegistered { user_id, email, username, display_name, role, password_hash, .. } => {
                self.id = Some(user_id);
                self.email = email;
                self.username = username;
                self.display_name = display_name;
                self.role = role;
                self.password_hash = password_hash;
            }
            UserEvent::UserEmailChanged { email } => self.email = email,
            UserEvent::UserUsernameChanged { username } => self.username = username,
            UserEvent::UserDisplayNameChanged { display_name } => self.display_name = display_name,
            UserEvent::UserRoleChanged { to, .. } => self.role = to,
            UserEvent::UserDisabled => self.disabled = true,
            UserEvent::UserEnabled => self.disabled = false,
            UserEvent::PasswordChanged { password_hash } | UserEvent::PasswordResetByAdmin { password_hash } => {
                self.password_hash = Some(password_hash);
            }
            UserEvent::LoginSucceeded { .. } => self.recent_failures.clear(),
            UserEvent::LoginFailed { failures_in_window, at, .. } => {
                if failures_in_window > 0 {
                    // Keep only what can still count: the newest `failures_in_window`.
                    self.recent_failures.push(at);
                    let keep = failures_in_window as usize;
                    let excess = self.recent_failures.len().saturating_sub(keep);
                    self.recent_failures.drain(..excess);
                }
            }
            UserEvent::AccountLocked { until, .. } => {
                self.locked_until = Some(until);
                self.recent_failures.clear();
            }
            UserEvent::AccountUnlocked => {
                self.locked_until = None;
                self.recent_failures.clear();
            }
            UserEvent::SessionStarted { session_id, refresh_token_hash, expires_at, .. }
            | UserEvent::SessionRefreshed { session_id, refresh_token_hash, expires_at, .. } => {
                self.sessions.insert(session_id, SessionState { refresh_token_hash, expires_at });
            }
            UserEvent::SessionRevoked { session_id, .. } | UserEvent::SessionExpired { session_id } => {
                self.sessions.remove(&session_id);
            }
            UserEvent::PreferencesChanged(p) => self.preferences = p,
            UserEvent::UserDeleted { .. } => {
                self.deleted = true;
                self.sessions.clear();
                self.password_hash = None;
            }
        }
    }
}
