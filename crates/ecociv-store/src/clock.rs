//! Times and ids made in Rust (the database makes neither): RFC 3339 UTC text that sorts in time order,
//! and 26-character time-ordered random ids.
//!
//! Why our own ids and not `uuid` (v7) or `ulid` (issue 18): those are the same idea — milliseconds first,
//! then randomness — in another text form; every table has stored this 26-hex-digit form since the first
//! migration, and switching would put two forms of id in one column for no gain in order or uniqueness.

use std::sync::atomic::{AtomicU64, Ordering};

/// Now, as RFC 3339 UTC text with millisecond precision (`2026-11-29T10:00:00.123Z`).
pub fn now() -> String {
    format_time(jiff::Timestamp::now())
}

/// A timestamp as the store writes it.
pub fn format_time(timestamp: jiff::Timestamp) -> String {
    timestamp.strftime("%Y-%m-%dT%H:%M:%S.%3fZ").to_string()
}

/// Now plus `seconds`, as stored text.
pub fn now_plus(seconds: i64) -> String {
    let later = jiff::Timestamp::now()
        .checked_add(jiff::SignedDuration::from_secs(seconds))
        .unwrap_or(jiff::Timestamp::MAX);
    format_time(later)
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A new id: 12 hex digits of milliseconds since the epoch, then 14 random hex digits (with a process
/// counter mixed in, so ids made in the same millisecond differ even if the random source repeats).
pub fn new_id() -> String {
    let millis = jiff::Timestamp::now().as_millisecond().max(0) as u64;
    let mut bytes = [0u8; 8];
    // The OS random source failing is not recoverable in any useful way; the counter still makes ids unique.
    let _ = getrandom::fill(&mut bytes);
    let random = u64::from_le_bytes(bytes) ^ COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("{millis:012x}{:014x}", random & 0x00ff_ffff_ffff_ffff)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_rfc3339_utc_and_ids_are_unique_and_ordered_by_time() {
        let time = now();
        assert!(time.ends_with('Z') && time.len() == 24, "{time}");
        assert!(now_plus(60) > time);
        let a = new_id();
        let b = new_id();
        assert_eq!(a.len(), 26);
        assert_ne!(a, b);
        assert!(a[..12] <= b[..12]);
    }
}
