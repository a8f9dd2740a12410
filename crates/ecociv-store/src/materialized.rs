//! Materialized assessments (like DHIS2's analytics tables): the assessment JSON of (zone, year,
//! selection), gzip-compressed, stored with the zone's `data_version` it was computed at and the engine
//! that computed it (see `ecociv-server`'s `assessments` module for what the engine key holds).
//!
//! This is derived data, a cache that survives restarts and is shared by every server instance on the
//! database — never the source of truth: values stay append-only in `value_revision`, and rows here are
//! replaced in place. A row is served only when its data version equals the zone's current one and its
//! engine key equals the reader's ([`Store::materialized_assessment`]), so a value write (which moves the
//! zone's data version on in its own transaction) or a software upgrade makes it unusable at once.
//!
//! The store compresses nothing and knows no assessment: it keeps the bytes it is given.

use sqlx::Row;

use crate::{Result, Selection, Store, clock};

/// One materialized assessment, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaterializedAssessment {
    pub zone_code: String,
    pub year: i32,
    pub selection: Selection,
    /// The zone's data version the assessment was computed at (its values were read at or after it).
    pub data_version: i64,
    /// The engine that computed it (software version and framework edition).
    pub engine: String,
    /// The assessment JSON, gzip-compressed.
    pub json_gzip: Vec<u8>,
    /// The length of the JSON before compression.
    pub json_bytes: i64,
    /// The roll-up's short summary of the assessment (`ecociv_progress::rollup::ZoneSummary`'s text), if
    /// the writer made one.
    pub summary: Option<String>,
}

/// What a materialized row says about itself, without its bytes (to find stale rows).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaterializedState {
    pub year: i32,
    pub selection: Selection,
    pub data_version: i64,
    pub engine: String,
}

/// A committed change of what a zone's assessments read (its values; a department's name, with
/// `first_year` = `i32::MIN`): which zone, and the earliest year it touched. Assessments of earlier years
/// read nothing that changed. (Monitoring readings do not feed the assessment directly:
/// values computed from them go through the value workflow.)
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueChange {
    pub zone_code: String,
    pub first_year: i32,
}

impl Selection {
    /// The code stored in `materialized_assessment.selection`.
    pub fn code(self) -> &'static str {
        match self {
            Selection::Approved => "approved",
            Selection::SubmittedOrApproved => "submitted",
        }
    }

    pub fn parse(code: &str) -> Option<Selection> {
        match code {
            "approved" => Some(Selection::Approved),
            "submitted" => Some(Selection::SubmittedOrApproved),
            _ => None,
        }
    }
}

impl Store {
    /// The compressed assessment of (zone, year, selection) if one was computed at exactly `data_version`
    /// by exactly `engine`; `None` when missing, stale or from another engine. One primary-key lookup.
    pub async fn materialized_assessment(
        &self,
        zone_code: &str,
        year: i32,
        selection: Selection,
        data_version: i64,
        engine: &str,
    ) -> Result<Option<Vec<u8>>> {
        let row = sqlx::query(
            "SELECT json_gzip FROM materialized_assessment
             WHERE zone_code = $1 AND year = $2 AND selection = $3 AND data_version = $4 AND engine = $5",
        )
        .bind(zone_code)
        .bind(i64::from(year))
        .bind(selection.code())
        .bind(data_version)
        .bind(engine)
        .fetch_optional(&self.pool)
        .await?;
        Ok(match row {
            Some(row) => Some(row.try_get("json_gzip")?),
            None => None,
        })
    }

    /// Writes materialized assessments in one transaction, replacing older rows of the same key. A row
    /// computed at an older data version than the one stored is not written (a slow computation never
    /// overwrites a newer one).
    pub async fn put_materialized_assessments(&self, assessments: &[MaterializedAssessment]) -> Result<()> {
        if assessments.is_empty() {
            return Ok(());
        }
        let now = clock::now();
        let mut tx = self.begin_write().await?;
        for assessment in assessments {
            sqlx::query(
                "INSERT INTO materialized_assessment (zone_code, year, selection, data_version, engine, json_gzip, json_bytes, computed_at, summary)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                 ON CONFLICT (zone_code, year, selection) DO UPDATE SET
                   data_version = excluded.data_version, engine = excluded.engine, json_gzip = excluded.json_gzip,
                   json_bytes = excluded.json_bytes, computed_at = excluded.computed_at, summary = excluded.summary
                 WHERE materialized_assessment.data_version <= excluded.data_version",
            )
            .bind(&assessment.zone_code)
            .bind(i64::from(assessment.year))
            .bind(assessment.selection.code())
            .bind(assessment.data_version)
            .bind(&assessment.engine)
            .bind(assessment.json_gzip.clone())
            .bind(assessment.json_bytes)
            .bind(&now)
            .bind(assessment.summary.clone())
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The materialized rows of a zone, without their bytes, by year and selection.
    pub async fn materialized_states(&self, zone_code: &str) -> Result<Vec<MaterializedState>> {
        let rows = sqlx::query(
            "SELECT year, selection, data_version, engine FROM materialized_assessment WHERE zone_code = $1 ORDER BY year, selection",
        )
        .bind(zone_code)
        .fetch_all(&self.pool)
        .await?;
        let mut states = Vec::with_capacity(rows.len());
        for row in &rows {
            let code: String = row.try_get("selection")?;
            // A selection this version does not know (written by a newer one) is skipped, not an error.
            let Some(selection) = Selection::parse(&code) else {
                continue;
            };
            states.push(MaterializedState {
                year: row.try_get::<i64, _>("year")? as i32,
                selection,
                data_version: row.try_get("data_version")?,
                engine: row.try_get("engine")?,
            });
        }
        Ok(states)
    }

    /// The number of materialized rows (for statistics and tests).
    pub async fn materialized_count(&self) -> Result<i64> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM materialized_assessment")
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get("n")?)
    }

    /// The years for which a zone has any value revision, ascending.
    pub async fn value_years(&self, zone_code: &str) -> Result<Vec<i32>> {
        let rows = sqlx::query("SELECT DISTINCT year FROM value_revision WHERE zone_code = $1 ORDER BY year")
            .bind(zone_code)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| Ok(row.try_get::<i64, _>("year")? as i32))
            .collect()
    }

    /// Every zone's code and current data version, by code.
    pub async fn zone_versions(&self) -> Result<Vec<(String, i64)>> {
        let rows = sqlx::query("SELECT zone_code, data_version FROM zone ORDER BY zone_code")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| Ok((row.try_get("zone_code")?, row.try_get("data_version")?)))
            .collect()
    }

    /// Value changes committed through this store handle from now on (a zone and the earliest year
    /// touched), for refreshing materialized assessments in the background. Changes made by other
    /// processes are not seen here; reads stay correct regardless, since every read checks the version.
    /// A receiver that falls behind loses notices (`RecvError::Lagged`), never blocks a writer.
    pub fn value_changes(&self) -> tokio::sync::broadcast::Receiver<ValueChange> {
        self.changes.subscribe()
    }
}

/// Zone heads ([`crate::ZoneHead`]: data version, disclosure, framework) kept in memory for at most a
/// configured age ([`Store::set_zone_head_max_age`], 0 by default: always read). Changes made through
/// this store handle (or any clone of it) invalidate a zone's head at once, after their commit; changes
/// made by another process are seen once the cached head is older than the maximum age.
#[derive(Default)]
pub(crate) struct HeadCache {
    max_age_ms: std::sync::atomic::AtomicU64,
    /// Moves on with every local change: a head read while a change committed is not kept.
    epoch: std::sync::atomic::AtomicU64,
    heads: std::sync::RwLock<std::collections::HashMap<String, (crate::ZoneHead, std::time::Instant)>>,
}

impl Store {
    /// How long a zone's head may be served from memory ([`Store::zone_head_cached`]). Changes through
    /// this store handle are seen at once regardless; the age bounds how late a change made by another
    /// process (another server instance, a command-line import) is seen. Zero: always read.
    pub fn set_zone_head_max_age(&self, max_age: std::time::Duration) {
        let ms = u64::try_from(max_age.as_millis()).unwrap_or(u64::MAX);
        self.heads.max_age_ms.store(ms, std::sync::atomic::Ordering::Relaxed);
    }

    /// As [`Store::zone_head`], from memory when read less than the maximum age ago.
    pub async fn zone_head_cached(&self, code: &str) -> Result<Option<crate::ZoneHead>> {
        use std::sync::atomic::Ordering;
        let max_age = self.heads.max_age_ms.load(Ordering::Relaxed);
        if max_age == 0 {
            return self.zone_head(code).await;
        }
        if let Ok(heads) = self.heads.heads.read()
            && let Some((head, read_at)) = heads.get(code)
            && read_at.elapsed().as_millis() < u128::from(max_age)
        {
            return Ok(Some(head.clone()));
        }
        let epoch = self.heads.epoch.load(Ordering::Acquire);
        let read_at = std::time::Instant::now();
        let head = self.zone_head(code).await?;
        if let Some(head) = &head
            && let Ok(mut heads) = self.heads.heads.write()
            // A local change committed meanwhile: what was read may predate it.
            && self.heads.epoch.load(Ordering::Acquire) == epoch
        {
            if heads.len() >= 100_000 {
                heads.clear();
            }
            heads.insert(code.to_string(), (head.clone(), read_at));
        }
        Ok(head)
    }

    /// After a committed change of a zone's row: forget its head, and announce the change of its data
    /// from `first_year` on (`None`: the data did not change, e.g. its disclosure did).
    pub(crate) fn zone_changed(&self, code: &str, first_year: Option<i32>) {
        use std::sync::atomic::Ordering;
        if let Ok(mut heads) = self.heads.heads.write() {
            self.heads.epoch.fetch_add(1, Ordering::AcqRel);
            heads.remove(code);
        }
        if let Some(first_year) = first_year {
            // Nobody listening is not an error.
            let _ = self.changes.send(ValueChange {
                zone_code: code.to_string(),
                first_year,
            });
        }
    }
}
