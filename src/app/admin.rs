//! User management and settings (admins only).

use aggregates::settings::SETTINGS_ID;
use aggregates::user::{RegistrationMethod, RevocationReason, Role};
use aggregates::{Settings, SettingsCommand, UserCommand};
use projections::read::users;

use super::caller::{Caller, Origin};
use super::credentials::{self, new_password};
use super::error::AppError;
use super::me::profile_commands;
use super::present::user_view;
use super::{App, NewUser, present};
use crate::views::admin::{CreateUser, OidcView, PatchSettings, PatchUser, ResetPassword, SettingsEnvelope, SettingsView, SmtpView, UserAction};
use crate::views::users::{UserEnvelope, UserList};

/// Largest page of users.
const MAX_USERS: i64 = 500;

fn admin(caller: &Caller) -> Result<(), AppError> {
    caller.require(&[Role::Admin])
}

/// Refuses with `user_not_found` unless the user exists (and is not deleted).
async fn exists(app: &App, id: &str) -> Result<(), AppError> {
    user_view(app, id).await.map(drop)
}

/// Users by creation time, optionally searched by email, user name or display name.
pub async fn list_users(app: &App, caller: &Caller, q: Option<String>) -> Result<UserList, AppError> {
    admin(caller)?;
    let rows = users::search(&app.db.pool, &q.unwrap_or_default(), MAX_USERS).await?;
    Ok(UserList { users: rows.into_iter().map(present::user).collect() })
}

/// One user.
pub async fn get_user(app: &App, caller: &Caller, id: &str) -> Result<UserEnvelope, AppError> {
    admin(caller)?;
    Ok(UserEnvelope { user: user_view(app, id).await? })
}

/// Creates an account with a role.
pub async fn create_user(app: &App, caller: &Caller, origin: &Origin, body: CreateUser) -> Result<UserEnvelope, AppError> {
    admin(caller)?;
    let policy = app.current_settings().await?.password;
    let password = new_password("password", body.password, policy).await?;
    let new = NewUser {
        email: &body.email,
        username: &body.username,
        display_name: body.display_name.as_deref(),
        password,
        role: body.role.unwrap_or(Role::User),
        method: RegistrationMethod::AdminCreated,
    };
    let id = app.register_user(new, &caller.meta(origin)).await?;
    Ok(UserEnvelope { user: user_view(app, &id.to_string()).await? })
}

/// Changes a user's role or profile, all in one append.
pub async fn patch_user(app: &App, caller: &Caller, origin: &Origin, id: &str, body: PatchUser) -> Result<UserEnvelope, AppError> {
    admin(caller)?;
    let current = user_view(app, id).await?;
    if body.email.as_deref().and_then(aggregates::common::normalize_email).is_some_and(|e| e != current.email) {
        // Changing someone's address hands them their account's password resets.
        super::factors::require_step_up(app, caller).await?;
    }
    let mut commands = Vec::new();
    if let Some(role) = body.role {
        commands.push(UserCommand::ChangeRole { role, active_admins: app.count_active_admins().await? });
    }
    commands.extend(profile_commands(body.email, body.username, body.display_name));
    if !commands.is_empty() {
        app.execute_all(&app.users, id, commands, &caller.meta(origin)).await?;
    }
    Ok(UserEnvelope { user: user_view(app, id).await? })
}

/// Deletes a user: their data key is destroyed with the event (crypto-shredding).
pub async fn delete_user(app: &App, caller: &Caller, origin: &Origin, id: &str) -> Result<(), AppError> {
    admin(caller)?;
    exists(app, id).await?;
    let cmd = UserCommand::Delete { active_admins: app.count_active_admins().await?, at: app.env().now() };
    app.execute(&app.users, id, cmd, &caller.meta(origin)).await?;
    Ok(())
}

/// Disables, enables, unlocks a user or ends all their sessions.
pub async fn act(app: &App, caller: &Caller, origin: &Origin, id: &str, action: UserAction) -> Result<(), AppError> {
    admin(caller)?;
    exists(app, id).await?;
    let cmd = match action {
        UserAction::Disable => UserCommand::Disable { active_admins: app.count_active_admins().await? },
        UserAction::Enable => UserCommand::Enable,
        UserAction::Unlock => UserCommand::Unlock { at: app.env().now() },
        UserAction::RevokeSessions => UserCommand::RevokeAllSessions { except: None, reason: RevocationReason::RevokedByAdmin },
    };
    app.execute(&app.users, id, cmd, &caller.meta(origin)).await?;
    Ok(())
}

/// Sets a new password and ends every session of the user.
pub async fn reset_password(app: &App, caller: &Caller, origin: &Origin, id: &str, body: ResetPassword) -> Result<(), AppError> {
    admin(caller)?;
    exists(app, id).await?;
    // With a second-factor reset, this takes over an account: the admin proves it is them.
    super::factors::require_step_up(app, caller).await?;
    let policy = app.current_settings().await?.password;
    let new = credentials::seal(&app.keyring, id, &new_password("password", body.password, policy).await?).await?;
    app.execute(&app.users, id, UserCommand::ResetPassword { new, policy }, &caller.meta(origin)).await?;
    Ok(())
}

/// The settings as the API shows them: sealed secrets only say whether they are set.
fn settings_view(s: Settings) -> SettingsView {
    SettingsView {
        signup: s.signup,
        password: s.password,
        lockout: s.lockout,
        session: s.session,
        two_factor: s.two_factor,
        smtp: s.smtp.map(|m| SmtpView {
            host: m.host,
            port: m.port,
            security: m.security,
            username: m.username,
            password: m.password.is_some(),
            from: m.from,
        }),
        oidc: s.oidc.map(|o| OidcView {
            issuer: o.issuer,
            client_id: o.client_id,
            client_secret: o.client_secret.is_some(),
            scopes: o.scopes,
            group_role_mapping: o.group_role_mapping,
            auto_provision: o.auto_provision,
            sso_only: o.sso_only,
        }),
    }
}

/// The current settings.
pub async fn get_settings(app: &App, caller: &Caller) -> Result<SettingsEnvelope, AppError> {
    admin(caller)?;
    Ok(SettingsEnvelope { settings: settings_view(app.current_settings().await?) })
}

/// Changes policies, all in one append; each is validated by the settings aggregate.
pub async fn patch_settings(app: &App, caller: &Caller, origin: &Origin, body: PatchSettings) -> Result<SettingsEnvelope, AppError> {
    admin(caller)?;
    let mut commands = Vec::new();
    if let Some(p) = body.signup {
        commands.push(SettingsCommand::ChangeSignupPolicy(p));
    }
    if let Some(p) = body.password {
        commands.push(SettingsCommand::ChangePasswordPolicy(p));
    }
    if let Some(p) = body.lockout {
        commands.push(SettingsCommand::ChangeLockoutPolicy(p));
    }
    if let Some(p) = body.session {
        commands.push(SettingsCommand::ChangeSessionPolicy(p));
    }
    if let Some(p) = body.two_factor {
        commands.push(SettingsCommand::ChangeTwoFactorPolicy { policy: p, at: app.env().now() });
    }
    if !commands.is_empty() {
        app.execute_all(&app.settings, SETTINGS_ID, commands, &caller.meta(origin)).await?;
    }
    get_settings(app, caller).await
}
