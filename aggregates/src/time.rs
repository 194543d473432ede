//! The one text form of an instant that the event store and the read models keep.

use crate::common::Timestamp;

/// Fixed-width UTC with microseconds (`2026-01-31T12:00:00.000000Z`): text order is time order,
/// so stores compare and sort times as text, and both backends hash identical bytes.
pub fn format_timestamp(t: &Timestamp) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_order_is_time_order() {
        let a = chrono::DateTime::from_timestamp(59, 5_000).unwrap();
        let b = chrono::DateTime::from_timestamp(1_111_111_109, 0).unwrap();
        assert_eq!(format_timestamp(&a), "1970-01-01T00:00:59.000005Z");
        assert!(format_timestamp(&a) < format_timestamp(&b));
    }
}
