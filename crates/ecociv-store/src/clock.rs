//! Times and ids made in Rust (the database makes neither): RFC 3339 UTC text that sorts in time order,
//! 26-character time-ordered random ids, and today's date in China for the server and the command line.
//!
//! Why our own ids and not `uuid` (v7) or `ulid` (issue 18): those are the same idea — milliseconds first,
//! then randomness — in another text form; every table has stored this 26-hex-digit form since the first
//! migration, and switching would put two forms of id in one column for no gain in order or uniqueness.

use std::sync::Mutex;

/// Today in China (UTC+8), from the system clock through jiff: the one place a calendar day is read from
/// the clock — the date on a Word report's cover, the day supervision and scores are computed for, the day
/// the administrative units in force are read at (the core takes days as parameters).
pub fn today() -> ecociv_core::division::Day {
    let date = jiff::tz::offset(8).to_datetime(jiff::Timestamp::now()).date();
    ecociv_core::division::Day {
        year: i32::from(date.year()),
        month: u8::try_from(date.month()).unwrap_or(1),
        day: u8::try_from(date.day()).unwrap_or(1),
    }
}

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

/// The last id this process issued, as (milliseconds, random part): ids are strictly increasing within a
/// process, so "oldest first" (`ORDER BY created_at, id`) holds even for rows made in the same millisecond.
static LAST: Mutex<(u64, u64)> = Mutex::new((0, 0));

const RANDOM_MASK: u64 = 0x00ff_ffff_ffff_ffff;

/// A new id: 12 hex digits of milliseconds since the epoch, then 14 hex digits that are random for the
/// first id of a millisecond and one more than the previous id's for the next ones in the same
/// millisecond (as ULID's monotonic mode does). A clock that steps back keeps the last millisecond.
pub fn new_id() -> String {
    let now = jiff::Timestamp::now().as_millisecond().max(0) as u64;
    let mut bytes = [0u8; 8];
    // The OS random source failing is not recoverable in any useful way; the increment still keeps ids unique.
    let _ = getrandom::fill(&mut bytes);
    // Half the range, so the increments of one millisecond never overflow into the next.
    let fresh = u64::from_le_bytes(bytes) & (RANDOM_MASK >> 1);
    let mut last = LAST.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let (millis, random) = if now > last.0 {
        (now, fresh)
    } else if last.1 < RANDOM_MASK {
        (last.0, last.1 + 1)
    } else {
        (last.0 + 1, fresh)
    };
    *last = (millis, random);
    format!("{millis:012x}{random:014x}")
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

    #[test]
    fn ids_made_in_one_millisecond_still_sort_in_the_order_they_were_made() {
        let ids: Vec<String> = (0..10_000).map(|_| new_id()).collect();
        assert!(ids.windows(2).all(|pair| pair[0] < pair[1]), "ids out of order");
        assert!(ids.iter().all(|id| id.len() == 26));
    }
}
