//! The second factors of a `User`: authenticator app (TOTP), recovery codes, passkeys, the
//! challenge a sign-in waits under after its password passed, and step-up re-authentication.
//!
//! The domain never sees a secret: whoever holds the opened secret checks a code and names what
//! matched (a time step, a recovery-code index, a verified passkey); the aggregate decides
//! whether that may be used now, so replays and double spends are refused under the same
//! optimistic concurrency as every other command.

use chrono::Duration;
use uuid::Uuid;

use super::commands::UserCommand;
use super::errors::UserError;
use super::events::UserEvent;
use super::state::User;
use super::types::{
    FactorProof, LoginMethod, MAX_PASSKEYS, PasskeyFactor, RecoveryCodes, RevocationReason, STEP_UP_SECONDS, SessionState, TotpFactor,
};
use crate::common::{Timestamp, clean_text};

fn clean_passkey_name(name: &str) -> Result<String, UserError> {
    clean_text(name, 64).filter(|n| !n.is_empty()).ok_or(UserError::InvalidPasskeyName)
}

impl User {
    /// Whether sign-ins ask for a second factor: an authenticator app is enabled or a passkey is
    /// registered (recovery codes alone stand in for those, they are not a factor of their own).
    pub fn has_second_factor(&self) -> bool {
        self.totp.as_ref().is_some_and(|t| t.confirmed) || !self.passkeys.is_empty()
    }

    /// Recovery codes still usable.
    pub fn recovery_codes_left(&self) -> u8 {
        self.recovery.as_ref().map_or(0, RecoveryCodes::left)
    }

    /// Whether `session_id` stepped up within the last five minutes before `at`.
    pub fn stepped_up(&self, session_id: Uuid, at: Timestamp) -> bool {
        self.sessions.get(&session_id).and_then(|s| s.reauthenticated_at).is_some_and(|t| t <= at && at - t <= Duration::seconds(STEP_UP_SECONDS))
    }

    fn require_step_up(&self, session_id: Uuid, at: Timestamp) -> Result<(), UserError> {
        if self.stepped_up(session_id, at) { Ok(()) } else { Err(UserError::ReauthenticationRequired) }
    }

    fn can_sign_in(&self, at: Timestamp) -> Result<(), UserError> {
        if self.disabled {
            return Err(UserError::AccountDisabled);
        }
        if let Some(until) = self.locked_until.filter(|u| *u > at) {
            return Err(UserError::AccountLocked { until });
        }
        Ok(())
    }

    /// The events that spend `proof`, or why it cannot be used now.
    fn spend(&self, proof: FactorProof, at: Timestamp) -> Result<Vec<UserEvent>, UserError> {
        Ok(match proof {
            FactorProof::Totp { step } => {
                let totp = self.totp.as_ref().filter(|t| t.confirmed).ok_or(UserError::TotpNotEnabled)?;
                // RFC 6238 §5.2: a verifier must not accept a second attempt in the same time
                // step after a successful one (nor an earlier step).
                if totp.last_step.is_some_and(|last| step <= last) {
                    return Err(UserError::SecondFactorInvalid);
                }
                vec![UserEvent::TotpCodeAccepted { step }]
            }
            FactorProof::Recovery { index } => {
                let codes = self.recovery.as_ref().filter(|r| index < r.count && !r.used.contains(&index)).ok_or(UserError::SecondFactorInvalid)?;
                vec![UserEvent::RecoveryCodeUsed { index, remaining: codes.left() - 1, at }]
            }
            FactorProof::Passkey { credential_id, credential, counter } => {
                let passkey = self.passkeys.get(&credential_id).ok_or(UserError::SecondFactorInvalid)?;
                // WebAuthn L3 §6.1.1: a counter that did not go up means two copies of the key
                // are in use. Checked here, under optimistic concurrency, so two sign-ins racing
                // with the same counter cannot both pass.
                if (counter > 0 || passkey.counter > 0) && counter <= passkey.counter {
                    return Err(UserError::SecondFactorInvalid);
                }
                vec![UserEvent::PasskeyUsed { credential_id, credential, counter, at }]
            }
        })
    }

    /// Recovery codes go when no factor is left for them to stand in for.
    fn discard_codes_if_last(&self, removing_totp: bool, removing_passkey: Option<&str>) -> Option<UserEvent> {
        let totp_left = !removing_totp && self.totp.as_ref().is_some_and(|t| t.confirmed);
        let passkeys_left = self.passkeys.keys().any(|k| Some(k.as_str()) != removing_passkey);
        (self.recovery.is_some() && !totp_left && !passkeys_left).then_some(UserEvent::RecoveryCodesDiscarded)
    }

    fn session_start(session_id: Uuid, method: LoginMethod, refresh_token_hash: String, expires_at: Timestamp, at: Timestamp) -> [UserEvent; 2] {
        [UserEvent::LoginSucceeded { method, at }, UserEvent::SessionStarted { session_id, method, refresh_token_hash, expires_at, at }]
    }

    /// Decides the second-factor commands (`None` for any other command).
    pub(super) fn decide_factor(&self, command: UserCommand) -> Result<Vec<UserEvent>, UserError> {
        Ok(match command {
            UserCommand::StartTotpEnrolment { session_id, secret, at } => {
                if self.totp.as_ref().is_some_and(|t| t.confirmed) {
                    return Err(UserError::TotpAlreadyEnabled);
                }
                self.require_step_up(session_id, at)?;
                vec![UserEvent::TotpEnrolmentStarted { secret }]
            }
            UserCommand::ConfirmTotp { session_id, secret, step, recovery_hashes, recovery_count, at } => {
                match &self.totp {
                    Some(t) if t.confirmed => return Err(UserError::TotpAlreadyEnabled),
                    Some(t) if t.secret == secret => {}
                    _ => return Err(UserError::TotpNotPending),
                }
                self.require_step_up(session_id, at)?;
                // The app comes with a fresh set of recovery codes (an older set stops working).
                vec![UserEvent::TotpEnabled { step, at }, UserEvent::RecoveryCodesGenerated { hashes: recovery_hashes, count: recovery_count, at }]
            }
            UserCommand::DisableTotp { session_id, proof, at } => {
                if !self.totp.as_ref().is_some_and(|t| t.confirmed) {
                    return Err(UserError::TotpNotEnabled);
                }
                self.require_step_up(session_id, at)?;
                let mut events = self.spend(proof, at)?;
                events.push(UserEvent::TotpDisabled { at });
                events.extend(self.discard_codes_if_last(true, None));
                events
            }
            UserCommand::RegenerateRecoveryCodes { session_id, hashes, count, at } => {
                if !self.has_second_factor() {
                    return Err(UserError::NoSecondFactor);
                }
                self.require_step_up(session_id, at)?;
                vec![UserEvent::RecoveryCodesGenerated { hashes, count, at }]
            }
            UserCommand::RegisterPasskey { session_id, credential_id, name, credential, counter, at } => {
                let name = clean_passkey_name(&name)?;
                self.require_step_up(session_id, at)?;
                if self.passkeys.contains_key(&credential_id) {
                    return Err(UserError::PasskeyExists);
                }
                if self.passkeys.len() >= MAX_PASSKEYS {
                    return Err(UserError::TooManyPasskeys);
                }
                vec![UserEvent::PasskeyRegistered { credential_id, name, credential, counter, at }]
            }
            UserCommand::RenamePasskey { credential_id, name } => {
                let current = self.passkeys.get(&credential_id).ok_or(UserError::PasskeyNotFound)?;
                let name = clean_passkey_name(&name)?;
                if name == current.name { vec![] } else { vec![UserEvent::PasskeyRenamed { credential_id, name }] }
            }
            UserCommand::RemovePasskey { session_id, credential_id, at } => {
                if !self.passkeys.contains_key(&credential_id) {
                    return Err(UserError::PasskeyNotFound);
                }
                self.require_step_up(session_id, at)?;
                let discard = self.discard_codes_if_last(false, Some(&credential_id));
                let mut events = vec![UserEvent::PasskeyRemoved { credential_id, at }];
                events.extend(discard);
                events
            }
            UserCommand::IssueSecondFactorChallenge { challenge_hash, expires_at, at } => {
                self.can_sign_in(at)?;
                if !self.has_second_factor() {
                    return Err(UserError::NoSecondFactor);
                }
                vec![UserEvent::SecondFactorChallengeIssued { challenge_hash, expires_at, at }]
            }
            UserCommand::CompleteSecondFactor { challenge_hash, proof, session_id, refresh_token_hash, expires_at, at } => {
                if self.challenges.get(&challenge_hash).is_none_or(|until| *until <= at) {
                    return Err(UserError::ChallengeInvalid);
                }
                self.can_sign_in(at)?;
                let method = proof.method();
                let mut events = self.spend(proof, at)?;
                events.push(UserEvent::SecondFactorChallengeConsumed { challenge_hash });
                events.push(UserEvent::SecondFactorPassed { method, at });
                events.extend(Self::session_start(session_id, LoginMethod::Password, refresh_token_hash, expires_at, at));
                events
            }
            UserCommand::SignInWithPasskey { credential_id, credential, counter, session_id, refresh_token_hash, expires_at, at } => {
                self.can_sign_in(at)?;
                let mut events = self.spend(FactorProof::Passkey { credential_id, credential, counter }, at)?;
                events.extend(Self::session_start(session_id, LoginMethod::Passkey, refresh_token_hash, expires_at, at));
                events
            }
            UserCommand::Reauthenticate { session_id, method, passkey, at } => {
                if !self.sessions.contains_key(&session_id) {
                    return Err(UserError::SessionNotFound);
                }
                // A locked account proves nothing, even with the right password.
                self.can_sign_in(at)?;
                let mut events = match passkey {
                    Some((credential_id, credential, counter)) => self.spend(FactorProof::Passkey { credential_id, credential, counter }, at)?,
                    None => vec![],
                };
                events.push(UserEvent::SessionReauthenticated { session_id, method, at });
                events
            }
            UserCommand::ResetSecondFactors { at } => {
                let mut events = vec![UserEvent::SecondFactorsReset { at }];
                events.extend(self.revoke_all(None, RevocationReason::RevokedByAdmin));
                events
            }
            other => unreachable!("not a second-factor command: {other:?}"),
        })
    }

    /// Applies the second-factor events (`false` for any other event).
    pub(super) fn apply_factor(&mut self, event: &UserEvent) -> bool {
        match event {
            UserEvent::TotpEnrolmentStarted { secret } => self.totp = Some(TotpFactor { secret: secret.clone(), confirmed: false, last_step: None }),
            UserEvent::TotpEnabled { step, .. } => {
                if let Some(t) = &mut self.totp {
                    t.confirmed = true;
                    t.last_step = Some(*step);
                }
            }
            UserEvent::TotpCodeAccepted { step } => {
                if let Some(t) = &mut self.totp {
                    t.last_step = Some(*step);
                }
            }
            UserEvent::TotpDisabled { .. } => self.totp = None,
            UserEvent::RecoveryCodesGenerated { hashes, count, .. } => {
                self.recovery = Some(RecoveryCodes { hashes: hashes.clone(), count: *count, used: std::collections::BTreeSet::new() });
            }
            UserEvent::RecoveryCodeUsed { index, .. } => {
                if let Some(r) = &mut self.recovery {
                    r.used.insert(*index);
                }
            }
            UserEvent::RecoveryCodesDiscarded => self.recovery = None,
            UserEvent::PasskeyRegistered { credential_id, name, credential, counter, at } => {
                let passkey =
                    PasskeyFactor { name: name.clone(), credential: credential.clone(), registered_at: *at, last_used_at: None, counter: *counter };
                self.passkeys.insert(credential_id.clone(), passkey);
            }
            UserEvent::PasskeyRenamed { credential_id, name } => {
                if let Some(p) = self.passkeys.get_mut(credential_id) {
                    p.name.clone_from(name);
                }
            }
            UserEvent::PasskeyUsed { credential_id, credential, counter, at } => {
                if let Some(p) = self.passkeys.get_mut(credential_id) {
                    p.credential.clone_from(credential);
                    p.last_used_at = Some(*at);
                    p.counter = p.counter.max(*counter);
                }
            }
            UserEvent::PasskeyRemoved { credential_id, .. } => {
                self.passkeys.remove(credential_id);
            }
            UserEvent::SecondFactorChallengeIssued { challenge_hash, expires_at, at } => {
                // Challenges that ran out are forgotten, so the state stays small.
                self.challenges.retain(|_, until| *until > *at);
                self.challenges.insert(challenge_hash.clone(), *expires_at);
            }
            UserEvent::SecondFactorChallengeConsumed { challenge_hash } => {
                self.challenges.remove(challenge_hash);
            }
            UserEvent::SecondFactorPassed { .. } => {}
            UserEvent::SessionReauthenticated { session_id, at, .. } => {
                if let Some(s) = self.sessions.get_mut(session_id) {
                    s.reauthenticated_at = Some(*at);
                }
            }
            UserEvent::SecondFactorsReset { .. } => {
                self.totp = None;
                self.recovery = None;
                self.passkeys.clear();
                self.challenges.clear();
            }
            _ => return false,
        }
        true
    }
}

/// A new session keeps no step-up: it starts one only by proving again.
pub(super) fn fresh_session(refresh_token_hash: String, expires_at: Timestamp) -> SessionState {
    SessionState { refresh_token_hash, expires_at, reauthenticated_at: None, rotated_hashes: Vec::new() }
}
