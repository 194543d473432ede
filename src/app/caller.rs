//! Who asks and from where: what every event records about the request that caused it.

use std::net::IpAddr;

use aggregates::ErrorKind;
use aggregates::RequestMetadata;
use aggregates::user::Role;
use uuid::Uuid;

use super::error::AppError;

/// Where a request comes from.
#[derive(Debug, Clone)]
pub struct Origin {
    /// The client address (after trusted-proxy resolution).
    pub ip: IpAddr,
    /// The client's user agent (truncated).
    pub user_agent: Option<String>,
    /// The request id (also in the log).
    pub request_id: String,
}

impl Origin {
    /// Metadata for a request nobody is signed in for.
    pub fn anonymous(&self) -> RequestMetadata {
        RequestMetadata {
            actor_id: None,
            actor_kind: "anonymous".into(),
            ip: Some(self.ip.to_string()),
            user_agent: self.user_agent.clone(),
            request_id: Some(self.request_id.clone()),
            session_id: None,
        }
    }

    /// Metadata for `user` acting as `kind`, within `session` if there is one yet.
    pub fn actor(&self, user: &str, kind: &str, session: Option<&str>) -> RequestMetadata {
        RequestMetadata { actor_id: Some(user.to_owned()), actor_kind: kind.to_owned(), session_id: session.map(str::to_owned), ..self.anonymous() }
    }
}

/// The signed-in caller, admitted on a live session.
#[derive(Debug, Clone)]
pub struct Caller {
    /// User id.
    pub user_id: Uuid,
    /// Session id.
    pub session_id: Uuid,
    /// Role now (read per request, so a role change applies at once).
    pub role: Role,
    /// The two-factor policy covers the caller, who has no second factor and whose grace period
    /// is over: only enrolment is open to them.
    pub enrolment_due: bool,
}

impl Caller {
    /// The actor kind recorded in events: admins act as `admin`, everyone else as `user`.
    pub fn actor_kind(&self) -> &'static str {
        if self.role == Role::Admin { "admin" } else { "user" }
    }

    /// The metadata this caller's commands carry.
    pub fn meta(&self, origin: &Origin) -> RequestMetadata {
        origin.actor(&self.user_id.to_string(), self.actor_kind(), Some(&self.session_id.to_string()))
    }

    /// Refuses (`forbidden`) unless the caller has one of `roles`.
    pub fn require(&self, roles: &[Role]) -> Result<(), AppError> {
        if roles.contains(&self.role) { Ok(()) } else { Err(AppError::refused(ErrorKind::Forbidden, "forbidden", "your role may not do this")) }
    }
}

/// What admitting a request on a session found, kept for a second.
#[derive(Debug, Clone)]
pub struct LiveSession {
    /// The session's owner.
    pub user_id: String,
    /// The owner's role.
    pub role: Role,
    /// Whether only enrolment is open to the owner (see `Caller::enrolment_due`).
    pub enrolment_due: bool,
}
