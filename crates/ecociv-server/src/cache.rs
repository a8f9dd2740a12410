//! In-process caches of the assessment endpoint, in front of the store's materialized assessments
//! (`ecociv_store::materialized`):
//! - [`AssessmentCache`]: the gzip-compressed assessment JSON per (zone, year, selection) and the zone's
//!   data version it was computed at, bounded by a byte budget, least recently used evicted first.
//! - [`ZoneCache`]: a zone's record and plan per data version, so that computing an assessment reads
//!   only the values.
//! - [`Versioned`]: the one versioned cache (a value per key valid at one version, bounded); the
//!   [`ZoneCache`] and the pages' zones ([`crate::web::PageCache`]) are each one of these (the monitoring
//!   figures are materialized in the store instead: [`crate::monitoring_results`]).
//!
//! Why our own LRU and not `lru` or `moka` (issue 18): the budget is *bytes* of compressed JSON — `lru`
//! bounds the number of entries; `moka` can weigh entries but evicts in the background, on its own
//! schedule, so a test cannot pin "over budget ⇒ the oldest entry is gone now", and it brings a large
//! dependency tree for one map. The LRU here is a map plus a `BTreeMap` of access ticks, evicting under the
//! same lock as the insert; the budget tests in this module pin it.
//!
//! Entries are valid only at their data version (bumped in the same transaction as every value change).
//! The version comes from the store's zone heads (`ecociv_store::materialized`): this server's own writes
//! are seen by the next request; another instance's or the CLI's within `--zone-state-max-age-ms`
//! (default 1 s; 0 reads the database on every request, for several instances sharing one database).

use std::borrow::Borrow;
use std::collections::{BTreeMap, HashMap};
use std::hash::Hash;
use std::sync::{Arc, Mutex, PoisonError, RwLock};

use axum::body::Bytes;

use ecociv_store::Selection;

type Key = (String, i32, Selection);

/// The default byte budget of [`AssessmentCache`]: 256 MiB of compressed JSON (≈ 40,000 assessments of
/// the 2021 framework at ≈ 6 KB each).
pub const DEFAULT_ASSESSMENT_CACHE_BYTES: usize = 256 * 1024 * 1024;

/// What one entry costs beside its bytes (key, map slots, recency index), counted against the budget.
const ENTRY_OVERHEAD: usize = 128;

struct Entry {
    version: i64,
    gzip: Bytes,
    /// Position in the recency order (larger = used more recently).
    tick: u64,
}

#[derive(Default)]
struct Lru {
    entries: HashMap<Key, Entry>,
    /// tick → key, oldest first.
    order: BTreeMap<u64, Key>,
    next_tick: u64,
    bytes: usize,
}

impl Lru {
    fn touch(&mut self, key: &Key) -> Option<&Entry> {
        let tick = self.next_tick;
        let entry = self.entries.get_mut(key)?;
        self.order.remove(&entry.tick);
        entry.tick = tick;
        self.order.insert(tick, key.clone());
        self.next_tick += 1;
        Some(entry)
    }

    fn remove(&mut self, key: &Key) {
        if let Some(entry) = self.entries.remove(key) {
            self.order.remove(&entry.tick);
            self.bytes -= cost(&entry.gzip);
        }
    }
}

fn cost(gzip: &Bytes) -> usize {
    gzip.len() + ENTRY_OVERHEAD
}

/// Compressed assessment JSON texts, bounded by bytes (least recently used evicted first).
pub struct AssessmentCache {
    budget: usize,
    lru: Mutex<Lru>,
    /// One computation of a key at a time ([`AssessmentCache::computing`]), striped: bounded memory.
    flights: Vec<Arc<tokio::sync::Mutex<()>>>,
}

/// How many keys may be computed at once (by different requests); more than the CPU workers.
const FLIGHTS: usize = 64;

impl Default for AssessmentCache {
    fn default() -> Self {
        AssessmentCache::with_budget(DEFAULT_ASSESSMENT_CACHE_BYTES)
    }
}

impl AssessmentCache {
    /// A cache holding at most `budget` bytes (compressed bytes plus a fixed overhead per entry); 0
    /// disables it.
    pub fn with_budget(budget: usize) -> AssessmentCache {
        AssessmentCache {
            budget,
            lru: Mutex::new(Lru::default()),
            flights: (0..FLIGHTS).map(|_| Arc::default()).collect(),
        }
    }

    /// Waits until no other request computes (zone, year, selection), and holds that until the guard is
    /// dropped: after a write, the readers of a year that became stale compute it once, not once each —
    /// the others wait, then find it here ([`AssessmentCache::get`]). Two keys may share a stripe (then
    /// they are computed one after the other).
    pub async fn computing(&self, zone: &str, year: i32, selection: Selection) -> tokio::sync::OwnedMutexGuard<()> {
        use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
        let hash = BuildHasherDefault::<DefaultHasher>::default().hash_one((zone, year, selection));
        let stripe = (hash % self.flights.len() as u64) as usize;
        self.flights[stripe].clone().lock_owned().await
    }

    /// The compressed JSON if it was computed at this data version (and marks it recently used).
    pub fn get(&self, zone: &str, year: i32, selection: Selection, version: i64) -> Option<Bytes> {
        let mut lru = self.lru.lock().ok()?;
        let key = (zone.to_string(), year, selection);
        let entry = lru.touch(&key)?;
        if entry.version == version {
            return Some(entry.gzip.clone());
        }
        // An older entry is of no further use; a newer one stays (this reader's version may be the older).
        if entry.version < version {
            lru.remove(&key);
        }
        None
    }

    /// Keeps the compressed JSON computed at `version`, evicting the least recently used entries while
    /// the budget is exceeded. An entry larger than the whole budget is not kept.
    pub fn put(&self, zone: &str, year: i32, selection: Selection, version: i64, gzip: Bytes) {
        if cost(&gzip) > self.budget {
            return;
        }
        let Ok(mut lru) = self.lru.lock() else { return };
        let key = (zone.to_string(), year, selection);
        if let Some(existing) = lru.entries.get(&key)
            && existing.version > version
        {
            return;
        }
        lru.remove(&key);
        while lru.bytes + cost(&gzip) > self.budget {
            let Some((_, oldest)) = lru.order.pop_first() else {
                break;
            };
            if let Some(entry) = lru.entries.remove(&oldest) {
                lru.bytes -= cost(&entry.gzip);
            }
        }
        let tick = lru.next_tick;
        lru.next_tick += 1;
        lru.bytes += cost(&gzip);
        lru.order.insert(tick, key.clone());
        lru.entries.insert(key, Entry { version, gzip, tick });
    }

    /// (entries, bytes counted against the budget).
    pub fn usage(&self) -> (usize, usize) {
        self.lru
            .lock()
            .map(|lru| (lru.entries.len(), lru.bytes))
            .unwrap_or_default()
    }

    pub fn budget(&self) -> usize {
        self.budget
    }
}

/// **The one versioned cache**: a value per key, valid only at the version it was computed at (a zone's
/// data version, or the count of monitoring files imported), shared as `Arc`s. A reader at another version
/// neither gets nor drops it; a writer replaces it. Above `MAX` keys it starts afresh (a clear, not an LRU:
/// the keys are zones, and `MAX` is set above every zone of the country, so a clear is an anomaly's
/// bound, never a working regime). A poisoned lock is recovered (the map holds no half-made entry).
pub struct Versioned<K, V, const MAX: usize> {
    entries: RwLock<HashMap<K, (i64, Arc<V>)>>,
}

impl<K, V, const MAX: usize> Default for Versioned<K, V, MAX> {
    fn default() -> Self {
        Versioned {
            entries: RwLock::default(),
        }
    }
}

impl<K: Hash + Eq, V, const MAX: usize> Versioned<K, V, MAX> {
    /// The value of `key` if it was computed at `version`.
    pub fn get<Q>(&self, key: &Q, version: i64) -> Option<Arc<V>>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        let entries = self.entries.read().unwrap_or_else(PoisonError::into_inner);
        match entries.get(key) {
            Some((cached, value)) if *cached == version => Some(value.clone()),
            _ => None,
        }
    }

    /// Keeps `value` as `key`'s at `version` (the version read with the data, not one looked up before).
    pub fn put(&self, key: K, version: i64, value: Arc<V>) {
        let mut entries = self.entries.write().unwrap_or_else(PoisonError::into_inner);
        if entries.len() >= MAX {
            entries.clear();
        }
        entries.insert(key, (version, value));
    }

    /// The number of keys held.
    pub fn len(&self) -> usize {
        self.entries.read().unwrap_or_else(PoisonError::into_inner).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A zone's record and plan per data version, so that computing an assessment reads only the values.
/// Above 20,000 zones (more than every county of the country) it starts afresh.
pub type ZoneCache = Versioned<String, (ecociv_store::ZoneRecord, ecociv_core::Plan), 20_000>;

/// A zone's record and its plan.
pub type ZoneAndPlan = Arc<(ecociv_store::ZoneRecord, ecociv_core::Plan)>;

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes(n: usize) -> Bytes {
        Bytes::from(vec![7u8; n])
    }

    #[test]
    fn an_entry_is_valid_only_at_its_version() {
        let cache = AssessmentCache::default();
        cache.put("450202", 2021, Selection::Approved, 3, Bytes::from_static(b"{}"));
        assert!(cache.get("450202", 2021, Selection::Approved, 3).is_some());
        assert!(cache.get("450202", 2021, Selection::SubmittedOrApproved, 3).is_none());
        // A reader at an older version neither gets nor drops it.
        assert!(cache.get("450202", 2021, Selection::Approved, 2).is_none());
        assert_eq!(cache.usage().0, 1);
        assert!(cache.get("450202", 2021, Selection::Approved, 4).is_none());
        // The stale entry was dropped.
        assert_eq!(cache.usage().0, 0);
    }

    #[test]
    fn an_older_version_never_replaces_a_newer_one() {
        let cache = AssessmentCache::default();
        cache.put("450202", 2021, Selection::Approved, 5, bytes(10));
        cache.put("450202", 2021, Selection::Approved, 4, bytes(20));
        assert_eq!(
            cache.get("450202", 2021, Selection::Approved, 5).map(|b| b.len()),
            Some(10)
        );
    }

    #[test]
    fn the_byte_budget_evicts_the_least_recently_used() {
        let entry = 1000;
        // Room for exactly three entries.
        let cache = AssessmentCache::with_budget(3 * (entry + ENTRY_OVERHEAD));
        for year in 2020..2023 {
            cache.put("z", year, Selection::Approved, 1, bytes(entry));
        }
        assert_eq!(cache.usage(), (3, 3 * (entry + ENTRY_OVERHEAD)));
        // 2020 used again: 2021 is now the least recently used and goes when 2023 comes in.
        assert!(cache.get("z", 2020, Selection::Approved, 1).is_some());
        cache.put("z", 2023, Selection::Approved, 1, bytes(entry));
        assert_eq!(cache.usage().0, 3);
        assert!(cache.get("z", 2021, Selection::Approved, 1).is_none());
        for year in [2020, 2022, 2023] {
            assert!(cache.get("z", year, Selection::Approved, 1).is_some(), "{year}");
        }
        // A large entry evicts as many as it needs; the bytes never exceed the budget.
        cache.put("z", 2030, Selection::Approved, 1, bytes(2 * entry + ENTRY_OVERHEAD));
        let (count, used) = cache.usage();
        assert!(used <= cache.budget(), "{used}");
        assert_eq!(count, 2);
        assert!(cache.get("z", 2030, Selection::Approved, 1).is_some());
        // One larger than the budget is not kept at all.
        cache.put("z", 2031, Selection::Approved, 1, bytes(4 * entry));
        assert!(cache.get("z", 2031, Selection::Approved, 1).is_none());
        assert!(cache.get("z", 2030, Selection::Approved, 1).is_some());
    }

    #[test]
    fn a_versioned_entry_is_valid_only_at_its_version_and_the_map_is_bounded() {
        let cache: Versioned<String, &str, 2> = Versioned::default();
        cache.put("a".into(), 1, Arc::new("one"));
        assert_eq!(cache.get("a", 1).as_deref(), Some(&"one"));
        assert!(cache.get("a", 2).is_none());
        // A reader at another version does not drop it.
        assert!(cache.get("a", 1).is_some());
        cache.put("a".into(), 2, Arc::new("two"));
        assert_eq!(cache.get("a", 2).as_deref(), Some(&"two"));
        cache.put("b".into(), 1, Arc::new("b"));
        assert_eq!(cache.len(), 2);
        // Full: a third key starts afresh.
        cache.put("c".into(), 1, Arc::new("c"));
        assert_eq!(cache.len(), 1);
        assert!(cache.get("a", 2).is_none());
        assert!(cache.get("c", 1).is_some());
    }

    #[test]
    fn a_zero_budget_keeps_nothing() {
        let cache = AssessmentCache::with_budget(0);
        cache.put("z", 2020, Selection::Approved, 1, bytes(1));
        assert_eq!(cache.usage(), (0, 0));
    }
}
