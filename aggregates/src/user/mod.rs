//! The `User` aggregate: identity, credentials, login outcomes, lockout, sessions, preferences.

mod commands;
mod errors;
mod events;
mod factors;
mod state;
pub(crate) mod types;

use cqrs_es::Aggregate;
use cqrs_es::event_sink::EventSink;
use uuid::Uuid;

pub use commands::{NewPassword, UserCommand};
pub use errors::UserError;
pub use events::{PASSWORD_HASH_EVENTS, PASSWORD_HASH_SEALED_VERSION, UserEvent};
pub use state::User;
pub use types::{
    CHALLENGE_SECONDS, CODE_FORMATS, FactorProof, LoginFailureReason, LoginMethod, MAX_AUTO_LOCK_MINUTES, MAX_CLIPBOARD_CLEAR_SECONDS, MAX_PASSKEYS,
    PasskeyFactor, PasswordHash, Preferences, RECOVERY_CODES, RecoveryCodes, RegistrationMethod, RevocationReason, Role, STEP_UP_SECONDS,
    ROTATED_TOKENS_KEPT, SecondFactorMethod, SessionState, THEMES, TotpFactor,
};

use crate::common::Timestamp;
use crate::common::{clean_text, constant_time_eq, normalize_email, normalize_username};
use crate::settings::types::{LockoutPolicy, PasswordPolicy, SignupMode};

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
                Some(PasswordHash::Sealed(p.hash))
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
                let mut events = vec![UserEvent::PasswordChanged { password_hash: PasswordHash::Sealed(new.hash) }];
                events.extend(self.revoke_all(keep_session, RevocationReason::PasswordChanged));
                events
            }
            UserCommand::ResetPassword { new, policy } => {
                check_password(&new, policy)?;
                let mut events = vec![UserEvent::PasswordResetByAdmin { password_hash: PasswordHash::Sealed(new.hash) }];
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
                // An account with a second factor signs in through its challenge, never here.
                if self.has_second_factor() && method == LoginMethod::Password {
                    return Err(UserError::ChallengeInvalid);
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
                    // Only a token really issued for this session and since rotated is reuse (RFC
                    // 9700 §4.14.2): kill the session rather than refuse quietly. Anything else is
                    // just invalid, or anyone who learnt a session id could end that session.
                    let reused = session.rotated_hashes.iter().fold(false, |found, old| found | constant_time_eq(old.as_bytes(), presented_hash.as_bytes()));
                    if reused {
                        return Ok(vec![UserEvent::SessionRevoked { session_id, reason: RevocationReason::RefreshTokenReused }]);
                    }
                    return Err(UserError::RefreshTokenInvalid);
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
                if !THEMES.contains(&p.theme.as_str()) {
                    return Err(UserError::InvalidPreference { field: "theme" });
                }
                if !CODE_FORMATS.contains(&p.code_format.as_str()) {
                    return Err(UserError::InvalidPreference { field: "code_format" });
                }
                if p.auto_lock_minutes > MAX_AUTO_LOCK_MINUTES {
                    return Err(UserError::InvalidPreference { field: "auto_lock_minutes" });
                }
                if p.clipboard_clear_seconds > MAX_CLIPBOARD_CLEAR_SECONDS {
                    return Err(UserError::InvalidPreference { field: "clipboard_clear_seconds" });
                }
                if p == self.preferences { vec![] } else { vec![UserEvent::PreferencesChanged(p)] }
            }
            UserCommand::Delete { active_admins, at } => {
                self.guard_last_admin(active_admins)?;
                vec![UserEvent::UserDeleted { at }]
            }
            factor @ (UserCommand::StartTotpEnrolment { .. }
            | UserCommand::ConfirmTotp { .. }
            | UserCommand::DisableTotp { .. }
            | UserCommand::RegenerateRecoveryCodes { .. }
            | UserCommand::RegisterPasskey { .. }
            | UserCommand::RenamePasskey { .. }
            | UserCommand::RemovePasskey { .. }
            | UserCommand::IssueSecondFactorChallenge { .. }
            | UserCommand::CompleteSecondFactor { .. }
            | UserCommand::SignInWithPasskey { .. }
            | UserCommand::Reauthenticate { .. }
            | UserCommand::ResetSecondFactors { .. }) => self.decide_factor(factor)?,
        })
    }

    fn login_failure(&self, method: LoginMethod, reason: LoginFailureReason, lockout: LockoutPolicy, at: Timestamp) -> Vec<UserEvent> {
        // A failure while locked is recorded but neither counts nor extends the lock, so an
        // attacker cannot keep a victim locked out indefinitely by themselves.
        let tally = crate::lockout::tally_failure(&self.recent_failures, self.locked_until, lockout, at);
        let reason = if tally.already_locked { LoginFailureReason::Locked } else { reason };
        let mut events = vec![UserEvent::LoginFailed { method, reason, failures_in_window: tally.failures_in_window, at }];
        if let Some(until) = tally.locks_until {
            events.push(UserEvent::AccountLocked { until, failures: tally.failures_in_window });
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
        if self.apply_factor(&event) {
            return;
        }
        match event {
            UserEvent::UserRegistered { user_id, email, username, display_name, role, .. } => {
                self.id = Some(user_id);
                self.email = email;
                self.username = username;
                self.display_name = display_name;
                self.role = role;
            }
            UserEvent::UserEmailChanged { email } => self.email = email,
            UserEvent::UserUsernameChanged { username } => self.username = username,
            UserEvent::UserDisplayNameChanged { display_name } => self.display_name = display_name,
            UserEvent::UserRoleChanged { to, .. } => self.role = to,
            UserEvent::UserDisabled => self.disabled = true,
            UserEvent::UserEnabled => self.disabled = false,
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
            UserEvent::SessionStarted { session_id, refresh_token_hash, expires_at, .. } => {
                self.sessions.insert(session_id, factors::fresh_session(refresh_token_hash, expires_at));
            }
            UserEvent::SessionRefreshed { session_id, refresh_token_hash, expires_at, .. } => {
                // A refresh rotates the token (the old one is remembered, to recognise its reuse);
                // a step-up taken in the session stays.
                let (reauthenticated_at, mut rotated_hashes) = match self.sessions.remove(&session_id) {
                    Some(old) => {
                        let mut rotated = old.rotated_hashes;
                        rotated.push(old.refresh_token_hash);
                        (old.reauthenticated_at, rotated)
                    }
                    None => (None, Vec::new()),
                };
                let excess = rotated_hashes.len().saturating_sub(ROTATED_TOKENS_KEPT);
                rotated_hashes.drain(..excess);
                self.sessions.insert(session_id, SessionState { refresh_token_hash, expires_at, reauthenticated_at, rotated_hashes });
            }
            UserEvent::SessionRevoked { session_id, .. } | UserEvent::SessionExpired { session_id } => {
                self.sessions.remove(&session_id);
            }
            UserEvent::PreferencesChanged(p) => self.preferences = p,
            UserEvent::UserDeleted { .. } => {
                self.deleted = true;
                self.sessions.clear();
                self.totp = None;
                self.recovery = None;
                self.passkeys.clear();
                self.challenges.clear();
            }
            // Passwords are checked against the read model: the state keeps no hash, nor do its
            // snapshots. A sign-in that passed the old password may not finish with the new one.
            UserEvent::PasswordChanged { .. } | UserEvent::PasswordResetByAdmin { .. } => self.challenges.clear(),
            // Applied by `apply_factor` above.
            UserEvent::TotpEnrolmentStarted { .. }
            | UserEvent::TotpEnabled { .. }
            | UserEvent::TotpCodeAccepted { .. }
            | UserEvent::TotpDisabled { .. }
            | UserEvent::RecoveryCodesGenerated { .. }
            | UserEvent::RecoveryCodeUsed { .. }
            | UserEvent::RecoveryCodesDiscarded
            | UserEvent::PasskeyRegistered { .. }
            | UserEvent::PasskeyRenamed { .. }
            | UserEvent::PasskeyUsed { .. }
            | UserEvent::PasskeyRemoved { .. }
            | UserEvent::SecondFactorChallengeIssued { .. }
            | UserEvent::SecondFactorChallengeConsumed { .. }
            | UserEvent::SecondFactorPassed { .. }
            | UserEvent::SessionReauthenticated { .. }
            | UserEvent::SecondFactorsReset { .. } => {}
        }
    }
}
