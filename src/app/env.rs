//! The time and randomness every use case takes from outside, so that tests can pin both.

use std::sync::Arc;

use aggregates::Timestamp;
use uuid::Uuid;

/// A source of the current time.
pub type Clock = Arc<dyn Fn() -> Timestamp + Send + Sync>;

/// A source of random bytes (fills the buffer).
pub type Random = Arc<dyn Fn(&mut [u8]) + Send + Sync>;

/// What the application reads from the world besides its database.
#[derive(Clone)]
pub struct Env {
    /// The current time: command timestamps, session expiry, token lifetimes, OTP codes.
    pub clock: Clock,
    /// Random bytes: new ids, refresh and CSRF tokens.
    pub random: Random,
}

impl std::fmt::Debug for Env {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Env(..)")
    }
}

impl Default for Env {
    /// The system clock and the operating system's CSPRNG.
    fn default() -> Self {
        Self { clock: Arc::new(chrono::Utc::now), random: Arc::new(|buf: &mut [u8]| rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, buf)) }
    }
}

impl Env {
    /// The current time.
    pub fn now(&self) -> Timestamp {
        (self.clock)()
    }

    /// `N` random bytes.
    pub fn bytes<const N: usize>(&self) -> [u8; N] {
        let mut buf = [0; N];
        (self.random)(&mut buf);
        buf
    }

    /// A new UUID v7 (RFC 9562 §5.7): the clock's milliseconds, then 74 random bits, so ids sort
    /// roughly by creation time.
    pub fn new_id(&self) -> Uuid {
        let millis = u64::try_from(self.now().timestamp_millis()).unwrap_or(0);
        uuid::Builder::from_unix_timestamp_millis(millis, &self.bytes::<10>()).into_uuid()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_follow_the_injected_clock_and_randomness() {
        let env = Env { clock: Arc::new(|| chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap()), random: Arc::new(|b: &mut [u8]| b.fill(7)) };
        let id = env.new_id();
        assert_eq!(id.get_version_num(), 7);
        assert_eq!(id.get_timestamp().unwrap().to_unix().0, 1_700_000_000);
        assert_eq!(env.new_id(), id, "same clock, same randomness, same id");
        assert_ne!(Env::default().new_id(), Env::default().new_id());
    }
}
