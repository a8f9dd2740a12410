//! The assessment cache: the JSON of an assessment per (zone, year, selection), valid while the zone's data
//! version (bumped in the same transaction as every value change) is unchanged. Reading the version is one
//! key lookup, so the cache stays correct across several server instances sharing one database.

use std::collections::HashMap;
use std::sync::RwLock;

use axum::body::Bytes;

use ecociv_store::Selection;

type Key = (String, i32, Selection);

/// Cached assessment JSON texts.
#[derive(Default)]
pub struct AssessmentCache {
    entries: RwLock<HashMap<Key, (i64, Bytes)>>,
}

/// Above this many entries the cache starts afresh (a crude bound on memory).
const MAX_ENTRIES: usize = 200_000;

impl AssessmentCache {
    /// The cached JSON if it was computed at this data version.
    pub fn get(&self, zone: &str, year: i32, selection: Selection, version: i64) -> Option<Bytes> {
        let entries = self.entries.read().ok()?;
        match entries.get(&(zone.to_string(), year, selection)) {
            Some((cached, json)) if *cached == version => Some(json.clone()),
            _ => None,
        }
    }

    pub fn put(&self, zone: &str, year: i32, selection: Selection, version: i64, json: Bytes) {
        if let Ok(mut entries) = self.entries.write() {
            if entries.len() >= MAX_ENTRIES {
                entries.clear();
            }
            entries.insert((zone.to_string(), year, selection), (version, json));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_is_valid_only_at_its_version() {
        let cache = AssessmentCache::default();
        cache.put("450202", 2021, Selection::Approved, 3, Bytes::from_static(b"{}"));
        assert!(cache.get("450202", 2021, Selection::Approved, 3).is_some());
        assert!(cache.get("450202", 2021, Selection::Approved, 4).is_none());
        assert!(cache.get("450202", 2021, Selection::SubmittedOrApproved, 3).is_none());
    }
}

/// A zone's record and plan per data version, so that computing an assessment reads only the values.
#[derive(Default)]
pub struct ZoneCache {
    entries: RwLock<HashMap<String, (i64, std::sync::Arc<(ecociv_store::ZoneRecord, ecociv_core::Plan)>)>>,
}

impl ZoneCache {
    pub fn get(&self, zone: &str, version: i64) -> Option<std::sync::Arc<(ecociv_store::ZoneRecord, ecociv_core::Plan)>> {
        let entries = self.entries.read().ok()?;
        match entries.get(zone) {
            Some((cached, value)) if *cached == version => Some(value.clone()),
            _ => None,
        }
    }

    pub fn put(&self, zone: &str, version: i64, value: std::sync::Arc<(ecociv_store::ZoneRecord, ecociv_core::Plan)>) {
        if let Ok(mut entries) = self.entries.write() {
            if entries.len() >= MAX_ENTRIES / 10 {
                entries.clear();
            }
            entries.insert(zone.to_string(), (version, value));
        }
    }
}
