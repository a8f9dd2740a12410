//! Corrections of monitoring data (监测数据更正, issue 19): a batch that withdraws readings (retract, 撤回)
//! or replaces their values (supersede, 替换), each with its reason, the batch with its author, time and
//! file ([`Store::correct_monitoring`]). Append-only: the reading an import stored is never updated or
//! deleted; each correction is a new row of `monitoring_correction` and the latest one of a reading is what
//! the readers ([`Store::monitoring_cells`], [`Store::monitoring_station_cells`]) see. A reading's whole
//! history — the original, then each correction with who, when and why — is [`Store::reading_history`].
//!
//! A batch is all or nothing: every correction must name a reading that is stored and not withdrawn, and
//! change it; otherwise nothing is written and every refused correction is named (by its index in the
//! batch, which the caller maps to its file's line). The batch adds a record to its domain's file series
//! (`更正:FILE`, a committed row of `monitoring_import`), so the pages' figures, whose version is the count of
//! those records, are recomputed. Corrections name readings by series number and time key
//! ([`crate::monitoring::time_key`]), as the readings are stored (migration 0023).

use std::collections::HashMap;

use sqlx::Row;

use crate::monitoring::{VISIBLE, time_key};
use crate::{Result, Store, StoreError, clock};

/// What a correction does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CorrectionAction {
    /// Withdraw the reading (撤回): the readers leave it out.
    Retract,
    /// Replace its value and flag (替换).
    Supersede,
}

impl CorrectionAction {
    /// The code stored and used in files: `retract` or `supersede`.
    pub fn code(self) -> &'static str {
        match self {
            CorrectionAction::Retract => "retract",
            CorrectionAction::Supersede => "supersede",
        }
    }

    /// The action of a code.
    pub fn parse(code: &str) -> Option<CorrectionAction> {
        match code {
            "retract" => Some(CorrectionAction::Retract),
            "supersede" => Some(CorrectionAction::Supersede),
            _ => None,
        }
    }

    /// The Chinese name: 撤回 or 替换.
    pub fn zh(self) -> &'static str {
        match self {
            CorrectionAction::Retract => "撤回",
            CorrectionAction::Supersede => "替换",
        }
    }
}

/// One correction of a batch: the reading (station, parameter, time of the domain), what to do, the new
/// value and flag (supersede), the reason, and the line of the file it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct NewCorrection {
    pub station: String,
    pub parameter: String,
    pub observed_at: String,
    pub action: CorrectionAction,
    pub value: Option<f64>,
    pub flag: String,
    pub reason: String,
    pub line: u64,
}

/// A correction refused: its index in the batch and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefusedCorrection {
    pub index: usize,
    pub message: String,
}

/// A batch accepted: its id (empty for a dry run), the corrections recorded and those equal to the
/// reading's current value (not recorded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Corrected {
    pub id: String,
    pub stored: usize,
    pub unchanged: usize,
}

/// A stored batch of corrections.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorrectionBatch {
    pub id: String,
    pub domain: String,
    pub file: String,
    pub author_id: String,
    pub author_name: String,
    pub created_at: String,
    pub corrections: i64,
}

/// One step of a reading's history after its import: a correction with its batch's author and time.
#[derive(Debug, Clone, PartialEq)]
pub struct CorrectionEntry {
    pub seq: i64,
    pub action: CorrectionAction,
    pub value: Option<f64>,
    pub flag: String,
    pub reason: String,
    pub line: i64,
    pub batch: CorrectionBatch,
}

/// A reading's whole history: the value and flag the import stored, then each correction, oldest first.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadingHistory {
    pub station: String,
    pub parameter: String,
    pub unit: String,
    pub observed_at: String,
    pub value: Option<f64>,
    pub flag: String,
    pub corrections: Vec<CorrectionEntry>,
}

/// The file record of a correction batch in its domain's file series.
pub fn correction_file_name(file: &str) -> String {
    format!("更正:{file}")
}

/// The join giving each reading `r` its latest correction `c` (none: `c.action IS NULL`), for the readers;
/// `$1` is the zone. The latest corrections are found by one grouped scan of the zone's corrections and
/// hash-joined, so the cost is the readings' scan plus the corrections', whatever their number.
pub(crate) const LATEST_CORRECTION: &str = "LEFT JOIN (SELECT k.series_id, k.at, k.action, k.value, k.flag FROM monitoring_correction k
     JOIN (SELECT series_id, at, MAX(seq) AS seq FROM monitoring_correction WHERE zone_code = $1 GROUP BY series_id, at) m
       ON m.series_id = k.series_id AND m.at = k.at AND m.seq = k.seq
     WHERE k.zone_code = $1) c ON c.series_id = r.series_id AND c.at = r.at";

/// The reading's value and flag as corrected (select list of the readers).
pub(crate) const CORRECTED_VALUE: &str = "CASE WHEN c.action IS NULL THEN r.value ELSE c.value END AS value, CASE WHEN c.action IS NULL THEN r.flag ELSE c.flag END AS flag";

/// Readings not withdrawn (a condition of the readers).
pub(crate) const NOT_RETRACTED: &str = "(c.action IS NULL OR c.action <> 'retract')";

impl Store {
    /// Checks and (unless `dry_run`) stores a batch of corrections of a domain's readings by `author_id`,
    /// in one transaction: every correction or none. `Ok(Err(refused))` names every correction refused —
    /// a reading not stored, one already withdrawn, the same reading twice in the batch, or a batch that
    /// changes nothing — and nothing is written. A supersede equal to the reading's current value and
    /// flag is not recorded (counted as unchanged).
    pub async fn correct_monitoring(
        &self,
        zone_code: &str,
        domain: &str,
        file: &str,
        author_id: &str,
        corrections: &[NewCorrection],
        dry_run: bool,
    ) -> Result<std::result::Result<Corrected, Vec<RefusedCorrection>>> {
        let mut tx = self.begin_write().await?;
        Store::require_zone(&mut tx, zone_code).await?;
        let mut series: HashMap<(String, String), Option<i64>> = HashMap::new();
        let mut seen: HashMap<(i64, i64), usize> = HashMap::new();
        let mut refused = Vec::new();
        let mut rows = Vec::with_capacity(corrections.len());
        let mut unchanged = 0;
        for (index, correction) in corrections.iter().enumerate() {
            let mut refuse = |message: String| refused.push(RefusedCorrection { index, message });
            let key = (correction.station.clone(), correction.parameter.clone());
            if !series.contains_key(&key) {
                let id = sqlx::query(
                    "SELECT id FROM monitoring_series WHERE zone_code = $1 AND domain = $2 AND station = $3 AND parameter = $4",
                )
                .bind(zone_code)
                .bind(domain)
                .bind(&correction.station)
                .bind(&correction.parameter)
                .fetch_optional(&mut *tx)
                .await?
                .map(|row| row.try_get::<i64, _>("id"))
                .transpose()?;
                series.insert(key.clone(), id);
            }
            let what = format!(
                "{} {} {}",
                correction.station, correction.parameter, correction.observed_at
            );
            let (Some(Some(series_id)), Some(at)) = (series.get(&key).copied(), time_key(&correction.observed_at))
            else {
                refuse(format!("没有 {what} 的监测数据，无法更正 (no such reading)"));
                continue;
            };
            if let Some(first) = seen.insert((series_id, at), index) {
                refuse(format!(
                    "{what} 在本批中已有更正（第 {} 条） (the same reading twice in the batch)",
                    first + 1
                ));
                continue;
            }
            let current = sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT c.action, (SELECT MAX(seq) FROM monitoring_correction WHERE zone_code = $1 AND series_id = $2 AND at = $3) AS seq, {CORRECTED_VALUE} FROM monitoring_reading r {LATEST_CORRECTION}
                 WHERE r.zone_code = $1 AND r.series_id = $2 AND r.at = $3 AND {VISIBLE}"
            )))
            .bind(zone_code)
            .bind(series_id)
            .bind(at)
            .persistent(false)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(current) = current else {
                refuse(format!("没有 {what} 的监测数据，无法更正 (no such reading)"));
                continue;
            };
            let last: Option<String> = current.try_get("action")?;
            if last.as_deref() == Some("retract") {
                refuse(format!("{what} 已撤回，不能再更正 (the reading was withdrawn)"));
                continue;
            }
            let value: Option<f64> = current.try_get("value")?;
            let flag: String = current.try_get("flag")?;
            if correction.action == CorrectionAction::Supersede && value == correction.value && flag == correction.flag
            {
                // Nothing to change (a key cell given again, e.g. a sample's waterbody): not recorded.
                unchanged += 1;
                continue;
            }
            let seq = current.try_get::<Option<i64>, _>("seq")?.unwrap_or(0) + 1;
            rows.push((series_id, at, seq, correction));
        }
        if !refused.is_empty() {
            tx.rollback().await?;
            return Ok(Err(refused));
        }
        if rows.is_empty() {
            tx.rollback().await?;
            return Ok(Err(vec![RefusedCorrection {
                index: 0,
                message: "更正后的值与现值都相同，没有需要更正的数据 (every value equals the current one: nothing to correct)"
                    .into(),
            }]));
        }
        let mut outcome = Corrected {
            id: String::new(),
            stored: rows.len(),
            unchanged,
        };
        if dry_run {
            tx.rollback().await?;
            return Ok(Ok(outcome));
        }
        let (id, now) = (clock::new_id(), clock::now());
        let stored_count = rows.len() as i64;
        sqlx::query(
            "INSERT INTO monitoring_correction_batch (zone_code, id, domain, file, author_id, created_at, corrections)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(zone_code)
        .bind(&id)
        .bind(domain)
        .bind(file)
        .bind(author_id)
        .bind(&now)
        .bind(rows.len() as i64)
        .execute(&mut *tx)
        .await?;
        for (series_id, at, seq, correction) in rows {
            sqlx::query(
                "INSERT INTO monitoring_correction (zone_code, series_id, at, seq, batch_id, action, value, flag, reason, line)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(zone_code)
            .bind(series_id)
            .bind(at)
            .bind(seq)
            .bind(&id)
            .bind(correction.action.code())
            .bind(correction.value)
            .bind(&correction.flag)
            .bind(&correction.reason)
            .bind(correction.line as i64)
            // A NULL f64 is sent as float4 by sqlx 0.9's Any driver: keep the statement unnamed.
            .persistent(false)
            .execute(&mut *tx)
            .await?;
        }
        // The file record: the domain gains one committed import (its version moves on).
        let no = crate::monitoring::new_import_number(&mut tx, self.backend(), zone_code).await?;
        sqlx::query(
            "INSERT INTO monitoring_import (zone_code, no, id, domain, file, state, readings, created_at, touched_at)
             VALUES ($1, $2, $3, $4, $5, 'committed', $6, $7, $7)",
        )
        .bind(zone_code)
        .bind(no)
        .bind(&id)
        .bind(domain)
        .bind(correction_file_name(file))
        .bind(stored_count)
        .bind(&now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        self.refresh_statistics("ANALYZE monitoring_correction, monitoring_correction_batch")
            .await;
        outcome.id = id;
        Ok(Ok(outcome))
    }

    /// A reading's history: as imported, then each correction (oldest first); `None` when not stored.
    pub async fn reading_history(
        &self,
        zone_code: &str,
        domain: &str,
        station: &str,
        parameter: &str,
        observed_at: &str,
    ) -> Result<Option<ReadingHistory>> {
        let Some(at) = time_key(observed_at) else {
            return Ok(None);
        };
        let found = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT s.id, s.unit, r.value, r.flag FROM monitoring_series s
             JOIN monitoring_reading r ON r.zone_code = s.zone_code AND r.series_id = s.id
             WHERE s.zone_code = $1 AND s.domain = $2 AND s.station = $3 AND s.parameter = $4 AND r.at = $5 AND {VISIBLE}"
        )))
        .bind(zone_code)
        .bind(domain)
        .bind(station)
        .bind(parameter)
        .bind(at)
        .fetch_optional(&self.pool)
        .await?;
        let Some(found) = found else { return Ok(None) };
        let series_id: i64 = found.try_get("id")?;
        let rows = sqlx::query(
            "SELECT c.seq, c.action, c.value, c.flag, c.reason, c.line, b.id, b.domain, b.file, b.author_id, b.created_at,
                    b.corrections, u.display_name
             FROM monitoring_correction c
             JOIN monitoring_correction_batch b ON b.zone_code = c.zone_code AND b.id = c.batch_id
             LEFT JOIN app_user u ON u.id = b.author_id
             WHERE c.zone_code = $1 AND c.series_id = $2 AND c.at = $3 ORDER BY c.seq",
        )
        .bind(zone_code)
        .bind(series_id)
        .bind(at)
        .fetch_all(&self.pool)
        .await?;
        let corrections = rows
            .iter()
            .map(|row| {
                let action: String = row.try_get("action")?;
                Ok(CorrectionEntry {
                    seq: row.try_get("seq")?,
                    action: CorrectionAction::parse(&action)
                        .ok_or_else(|| StoreError::Invalid(format!("更正类型 (correction action) {action}")))?,
                    value: row.try_get("value")?,
                    flag: row.try_get("flag")?,
                    reason: row.try_get("reason")?,
                    line: row.try_get("line")?,
                    batch: batch_of(row)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Some(ReadingHistory {
            station: station.to_owned(),
            parameter: parameter.to_owned(),
            unit: found.try_get("unit")?,
            observed_at: observed_at.to_owned(),
            value: found.try_get("value")?,
            flag: found.try_get("flag")?,
            corrections,
        }))
    }

    /// The correction batches of a zone's domains, newest first.
    pub async fn correction_batches(&self, zone_code: &str, domains: &[&str]) -> Result<Vec<CorrectionBatch>> {
        let mut out = Vec::new();
        for domain in domains {
            let rows = sqlx::query(
                "SELECT b.id, b.domain, b.file, b.author_id, b.created_at, b.corrections, u.display_name
                 FROM monitoring_correction_batch b LEFT JOIN app_user u ON u.id = b.author_id
                 WHERE b.zone_code = $1 AND b.domain = $2",
            )
            .bind(zone_code)
            .bind(*domain)
            .fetch_all(&self.pool)
            .await?;
            for row in &rows {
                out.push(batch_of(row)?);
            }
        }
        out.sort_by(|a, b| b.created_at.cmp(&a.created_at).then_with(|| b.id.cmp(&a.id)));
        Ok(out)
    }
}

fn batch_of(row: &sqlx::any::AnyRow) -> Result<CorrectionBatch> {
    Ok(CorrectionBatch {
        id: row.try_get("id")?,
        domain: row.try_get("domain")?,
        file: row.try_get("file")?,
        author_id: row.try_get("author_id")?,
        author_name: row.try_get::<Option<String>, _>("display_name")?.unwrap_or_default(),
        created_at: row.try_get("created_at")?,
        corrections: row.try_get("corrections")?,
    })
}
