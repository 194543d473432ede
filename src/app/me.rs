//! The caller's own profile, password and sessions.

use aggregates::UserCommand;
use aggregates::user::RevocationReason;
use projections::read::{sessions, users};
use uuid::Uuid;

use super::caller::{Caller, Origin};
use super::credentials::{self, new_password};
use super::error::AppError;
use super::present::user_view;
use super::{App, present};
use crate::views::me::{ChangePassword, PatchMe, SessionList};
use crate::views::users::UserEnvelope;

/// One command per profile field given (each change is its own event).
pub fn profile_commands(email: Option<String>, username: Option<String>, display_name: Option<String>) -> Vec<UserCommand> {
    let mut commands = Vec::new();
    if let Some(email) = email {
        commands.push(UserCommand::ChangeEmail { email });
    }
    if let Some(username) = username {
        commands.push(UserCommand::ChangeUsername { username });
    }
    if let Some(display_name) = display_name {
        commands.push(UserCommand::ChangeDisplayName { display_name });
    }
    commands
}

/// The caller's profile.
pub async fn get(app: &App, caller: &Caller) -> Result<UserEnvelope, AppError> {
    Ok(UserEnvelope { user: user_view(app, &caller.user_id.to_string()).await? })
}

/// Changes profile fields and preferences, all in one append.
pub async fn patch(app: &App, caller: &Caller, origin: &Origin, body: PatchMe) -> Result<UserEnvelope, AppError> {
    let id = caller.user_id.to_string();
    if let Some(email) = &body.email {
        // Whoever controls the address controls password resets: a new one needs a fresh proof.
        let current = super::present::user_view(app, &id).await?.email;
        if aggregates::common::normalize_email(email).is_some_and(|e| e != current) {
            super::factors::require_step_up(app, caller).await?;
        }
    }
    let mut commands = profile_commands(body.email, body.username, body.display_name);
    if let Some(p) = body.preferences {
        commands.push(UserCommand::ChangePreferences(p));
    }
    if !commands.is_empty() {
        app.execute_all(&app.users, &id, commands, &caller.meta(origin)).await?;
    }
    get(app, caller).await
}

/// Changes the password (the current one is required) and ends every other session.
pub async fn change_password(app: &App, caller: &Caller, origin: &Origin, body: ChangePassword) -> Result<(), AppError> {
    let id = caller.user_id.to_string();
    let stored = users::password_hash(&app.db.pool, &id).await?;
    if !credentials::matches(&app.keyring, Some(&id), stored, body.current_password).await? {
        return Err(AppError::forbidden("wrong_password", "the current password is wrong").field("current_password"));
    }
    let policy = app.current_settings().await?.password;
    let new = credentials::seal(&app.keyring, &id, &new_password("new_password", body.new_password, policy).await?).await?;
    let cmd = UserCommand::ChangePassword { new, policy, keep_session: Some(caller.session_id) };
    app.execute(&app.users, &id, cmd, &caller.meta(origin)).await?;
    Ok(())
}

/// The caller's live sessions, newest first; the current one is marked.
pub async fn sessions(app: &App, caller: &Caller) -> Result<SessionList, AppError> {
    let rows = sessions::live_of_user(&app.db.pool, &caller.user_id.to_string(), &app.env().now()).await?;
    let current = caller.session_id.to_string();
    Ok(SessionList { sessions: rows.into_iter().map(|r| present::session(r, &current)).collect() })
}

/// Ends one of the caller's sessions (another user's session is "not found").
pub async fn revoke_session(app: &App, caller: &Caller, origin: &Origin, session: &str) -> Result<(), AppError> {
    let not_found = || AppError::not_found("session_not_found");
    let session_id = Uuid::parse_str(session).map_err(|_| not_found())?;
    let user = caller.user_id.to_string();
    if sessions::live_owner(&app.db.pool, &session_id.to_string()).await?.as_deref() != Some(user.as_str()) {
        return Err(not_found());
    }
    let cmd = UserCommand::RevokeSession { session_id, reason: RevocationReason::RevokedByUser };
    app.execute(&app.users, &user, cmd, &caller.meta(origin)).await?;
    Ok(())
}

/// Ends every session of the caller but the current one.
pub async fn revoke_others(app: &App, caller: &Caller, origin: &Origin) -> Result<(), AppError> {
    let cmd = UserCommand::RevokeAllSessions { except: Some(caller.session_id), reason: RevocationReason::RevokedByUser };
    app.execute(&app.users, &caller.user_id.to_string(), cmd, &caller.meta(origin)).await?;
    Ok(())
}
