//! The `LoginAttempt` aggregate: a failed sign-in that names no existing account. Each attempt
//! is its own instance, so a flood of them never contends on one stream, and each lands in the
//! audit log like every other fact.

use cqrs_es::event_sink::EventSink;
use cqrs_es::{Aggregate, DomainEvent};
use serde::{Deserialize, Serialize};

use crate::common::Timestamp;
use crate::domain::{DomainError, EVENT_VERSION_1, ErrorKind};

/// State: whether the attempt was recorded.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginAttempt {
    /// Set by the one event; each attempt is its own instance, so a second command is refused.
    pub recorded: bool,
}

/// The one request a login attempt takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginAttemptCommand {
    /// Record a sign-in for an account that does not exist.
    RecordUnknownAccount {
        /// The login name as typed (trimmed, at most 254 characters are kept).
        login: String,
        /// Clock reading.
        at: Timestamp,
    },
}

/// What a login attempt records. Stored as JSON and replayed for ever: never renamed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum LoginAttemptEvent {
    /// A sign-in named no existing account.
    UnknownAccountLoginFailed {
        /// Trimmed, without control characters, at most 254 characters.
        login: String,
        /// Clock reading from the command.
        at: Timestamp,
    },
}

impl DomainEvent for LoginAttemptEvent {
    fn event_type(&self) -> String {
        "UnknownAccountLoginFailed".to_owned()
    }
    fn event_version(&self) -> String {
        EVENT_VERSION_1.to_owned()
    }
}

/// Why a login-attempt command was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoginAttemptError {
    /// The instance holds an attempt already; each attempt needs a fresh id.
    #[error("attempt already recorded")]
    AlreadyRecorded,
}

impl DomainError for LoginAttemptError {
    fn code(&self) -> &'static str {
        "attempt_recorded"
    }
    fn kind(&self) -> ErrorKind {
        ErrorKind::Conflict
    }
}

impl Aggregate for LoginAttempt {
    const TYPE: &'static str = "login_attempt";
    type Command = LoginAttemptCommand;
    type Event = LoginAttemptEvent;
    type Error = LoginAttemptError;
    type Services = ();

    async fn handle(&mut self, command: Self::Command, (): &(), sink: &EventSink<Self>) -> Result<(), Self::Error> {
        if self.recorded {
            return Err(LoginAttemptError::AlreadyRecorded);
        }
        let LoginAttemptCommand::RecordUnknownAccount { login, at } = command;
        let login: String = login.trim().chars().filter(|c| !c.is_control()).take(254).collect();
        sink.write(LoginAttemptEvent::UnknownAccountLoginFailed { login, at }, self).await;
        Ok(())
    }

    fn apply(&mut self, _event: Self::Event) {
        self.recorded = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cqrs_es::test::TestFramework;

    fn at() -> Timestamp {
        chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap()
    }

    #[tokio::test]
    async fn records_a_trimmed_login_once() {
        TestFramework::<LoginAttempt>::with(())
            .given_no_previous_events()
            .when_async(LoginAttemptCommand::RecordUnknownAccount { login: "  mallory\n ".into(), at: at() })
            .await
            .then_expect_events(vec![LoginAttemptEvent::UnknownAccountLoginFailed { login: "mallory".into(), at: at() }]);
        TestFramework::<LoginAttempt>::with(())
            .given(vec![LoginAttemptEvent::UnknownAccountLoginFailed { login: "x".into(), at: at() }])
            .when_async(LoginAttemptCommand::RecordUnknownAccount { login: "y".into(), at: at() })
            .await
            .then_expect_error(LoginAttemptError::AlreadyRecorded);
    }
}
