//! The lockout rule (the settings' `LockoutPolicy`), shared by accounts (the `User` aggregate)
//! and by login names that match no account, so that an attacker cannot tell the two apart by
//! how they lock (OWASP ASVS 4.0 V2.2.1; no account oracle).

use chrono::Duration;
use serde::{Deserialize, Serialize};

use crate::common::Timestamp;
use crate::settings::types::LockoutPolicy;

/// What one more failed sign-in amounts to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FailureTally {
    /// Failures in the sliding window, this one included; 0 while a lock is in force (a failure
    /// then neither counts nor extends the lock, so nobody can keep a victim locked out for ever).
    pub failures_in_window: u32,
    /// Set when this failure starts a lock: when it ends.
    pub locks_until: Option<Timestamp>,
    /// A lock was already in force.
    pub already_locked: bool,
}

/// Tallies a failure at `at`, given the failures still remembered and the current lock.
pub fn tally_failure(recent: &[Timestamp], locked_until: Option<Timestamp>, policy: LockoutPolicy, at: Timestamp) -> FailureTally {
    let already_locked = locked_until.is_some_and(|until| until > at);
    if already_locked {
        return FailureTally { failures_in_window: 0, locks_until: None, already_locked };
    }
    let window_start = at - Duration::minutes(i64::from(policy.window_minutes));
    let failures_in_window = u32::try_from(recent.iter().filter(|t| **t > window_start).count()).unwrap_or(u32::MAX).saturating_add(1);
    let locks_until = (failures_in_window >= policy.max_failures).then(|| at + Duration::minutes(i64::from(policy.lock_minutes)));
    FailureTally { failures_in_window, locks_until, already_locked }
}

/// The lockout state of a login name that matches no account: the same rule and the same
/// answers as an account's, kept outside any aggregate (there is no account to hold it).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NameLockout {
    /// Failures that can still count (the newest `failures_in_window`), oldest first.
    pub recent: Vec<Timestamp>,
    /// The lock in force or last in force.
    pub locked_until: Option<Timestamp>,
}

impl NameLockout {
    /// Records a failure at `at`; returns the lock in force afterwards, if any.
    pub fn fail(&mut self, policy: LockoutPolicy, at: Timestamp) -> Option<Timestamp> {
        let tally = tally_failure(&self.recent, self.locked_until, policy, at);
        if tally.already_locked {
            return self.locked_until;
        }
        if let Some(until) = tally.locks_until {
            self.locked_until = Some(until);
            self.recent.clear();
            return Some(until);
        }
        self.recent.push(at);
        let excess = self.recent.len().saturating_sub(tally.failures_in_window as usize);
        self.recent.drain(..excess);
        None
    }

    /// Whether nothing is left worth keeping at `at` (no lock in force, no failure in the window).
    pub fn is_spent(&self, policy: LockoutPolicy, at: Timestamp) -> bool {
        let window_start = at - Duration::minutes(i64::from(policy.window_minutes));
        self.locked_until.is_none_or(|until| until <= at) && self.recent.iter().all(|t| *t <= window_start)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minute: i64) -> Timestamp {
        chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap() + Duration::minutes(minute)
    }

    #[test]
    fn a_name_locks_like_an_account_and_the_lock_neither_grows_nor_counts() {
        let policy = LockoutPolicy { max_failures: 3, window_minutes: 10, lock_minutes: 15 };
        let mut name = NameLockout::default();
        assert_eq!(name.fail(policy, at(0)), None);
        assert_eq!(name.fail(policy, at(1)), None);
        assert_eq!(name.fail(policy, at(2)), Some(at(17)));
        // While locked: the same end, however many more failures.
        assert_eq!(name.fail(policy, at(3)), Some(at(17)));
        assert_eq!(name.fail(policy, at(16)), Some(at(17)));
        // After the lock, counting starts afresh.
        assert_eq!(name.fail(policy, at(17)), None);
        assert_eq!(name.fail(policy, at(18)), None);
        assert!(!name.is_spent(policy, at(20)));
        assert!(name.is_spent(policy, at(29)));
    }

    #[test]
    fn failures_outside_the_window_do_not_count() {
        let policy = LockoutPolicy { max_failures: 2, window_minutes: 5, lock_minutes: 1 };
        let mut name = NameLockout::default();
        assert_eq!(name.fail(policy, at(0)), None);
        assert_eq!(name.fail(policy, at(6)), None);
        assert_eq!(name.fail(policy, at(7)), Some(at(8)));
    }
}
