//! Materialized monitoring results (`monitoring_result`): the figures the air and water pages show, per
//! (zone, page, year), computed by the server from the stored readings when a file is imported, so that
//! a page reads one row and never the readings (issue 20: with 8.2 M readings stored, one anonymous air
//! page took 17–47 s and gigabytes).
//!
//! A row is valid while the number of files imported into its page's monitoring domains
//! ([`Store::monitoring_file_count`]) equals its `version` and its engine equals the reader's: imports
//! only ever add a file, so a different count means new readings. Like `materialized_assessment`, this is
//! derived data, replaced in place; the store keeps the JSON it is given and knows nothing of its shape.

use sqlx::Row;

use crate::{Result, Store, clock};

/// One page's figures of a year, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonitoringResult {
    pub zone_code: String,
    /// `air` or `water`.
    pub page: String,
    pub year: i32,
    /// Files imported into the page's domains when the figures were computed.
    pub version: i64,
    /// The software that computed them.
    pub engine: String,
    /// JSON made by the server.
    pub body: String,
}

/// The year of a page's header row: written by every computation with its version and engine, so that
/// a computation that found nothing to show (no valid figure in any year) is still seen as done. Not a
/// year of figures.
pub const HEADER_YEAR: i32 = 0;

/// One computation of a zone's page, written in one transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageWrite {
    pub zone_code: String,
    pub page: String,
    /// Files imported into the page's domains, read before the readings were.
    pub version: i64,
    pub engine: String,
    /// The years computed with figures.
    pub results: Vec<MonitoringResult>,
    /// The years computed without figures: their rows are removed.
    pub remove_years: Vec<i32>,
    /// After an import of one file, computed for the years the file covers: the other years' rows,
    /// current at this version (the count before the file), are current at the new one too (the file
    /// added no reading of theirs) and move on to it. `None` when every year with readings was computed.
    pub carry_from: Option<i64>,
}

/// What a stored result says about itself, without its body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonitoringResultState {
    pub year: i32,
    pub version: i64,
    pub engine: String,
}

impl Store {
    /// The number of files imported into any of `domains` of a zone (the version of results computed
    /// from them). Reads the file records only, never the readings' series.
    pub async fn monitoring_file_count(&self, zone_code: &str, domains: &[&str]) -> Result<i64> {
        let mut total = 0;
        for domain in domains {
            let row = sqlx::query(
                "SELECT COUNT(*) AS n FROM monitoring_import WHERE zone_code = $1 AND domain = $2 AND state = 'committed'",
            )
            .bind(zone_code)
            .bind(*domain)
            .fetch_one(&self.pool)
            .await?;
            total += row.try_get::<i64, _>("n")?;
        }
        Ok(total)
    }

    /// The stations of a domain's series, ascending (a series an import still being stored created is
    /// left out). Reads the series only.
    pub async fn monitoring_stations(&self, zone_code: &str, domain: &str) -> Result<Vec<String>> {
        let rows = sqlx::query(
            "SELECT DISTINCT s.station FROM monitoring_series s
             WHERE s.zone_code = $1 AND s.domain = $2
               AND s.import_no NOT IN (SELECT p.no FROM monitoring_import p WHERE p.zone_code = $1 AND p.state = 'pending')
             ORDER BY s.station",
        )
        .bind(zone_code)
        .bind(domain)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|row| Ok(row.try_get("station")?)).collect()
    }

    /// The stored results of a zone's page, without their bodies, by year; the header row
    /// ([`HEADER_YEAR`]) first.
    pub async fn monitoring_result_states(&self, zone_code: &str, page: &str) -> Result<Vec<MonitoringResultState>> {
        let rows = sqlx::query(
            "SELECT year, version, engine FROM monitoring_result WHERE zone_code = $1 AND page = $2 ORDER BY year",
        )
        .bind(zone_code)
        .bind(page)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(MonitoringResultState {
                    year: row.try_get::<i64, _>("year")? as i32,
                    version: row.try_get("version")?,
                    engine: row.try_get("engine")?,
                })
            })
            .collect()
    }

    /// The body of (zone, page, year) if it was computed at exactly `version` by exactly `engine`; `None`
    /// when missing, stale or from another engine. One primary-key lookup.
    pub async fn monitoring_result(
        &self,
        zone_code: &str,
        page: &str,
        year: i32,
        version: i64,
        engine: &str,
    ) -> Result<Option<String>> {
        let row = sqlx::query(
            "SELECT body FROM monitoring_result
             WHERE zone_code = $1 AND page = $2 AND year = $3 AND version = $4 AND engine = $5",
        )
        .bind(zone_code)
        .bind(page)
        .bind(i64::from(year))
        .bind(version)
        .bind(engine)
        .fetch_optional(&self.pool)
        .await?;
        Ok(match row {
            Some(row) => Some(row.try_get("body")?),
            None => None,
        })
    }

    /// Writes one computation of a zone's page in one transaction ([`PageWrite`]). A stored row computed
    /// at a newer version is never replaced (a slow computation never overwrites a newer one).
    pub async fn put_monitoring_results(&self, write: &PageWrite) -> Result<()> {
        let now = clock::now();
        let mut tx = self.begin_write().await?;
        let header = MonitoringResult {
            zone_code: write.zone_code.clone(),
            page: write.page.clone(),
            year: HEADER_YEAR,
            version: write.version,
            engine: write.engine.clone(),
            body: "{}".into(),
        };
        for result in write.results.iter().chain(std::iter::once(&header)) {
            sqlx::query(
                "INSERT INTO monitoring_result (zone_code, page, year, version, engine, body, computed_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)
                 ON CONFLICT (zone_code, page, year) DO UPDATE SET
                   version = excluded.version, engine = excluded.engine, body = excluded.body,
                   computed_at = excluded.computed_at
                 WHERE monitoring_result.version <= excluded.version",
            )
            .bind(&result.zone_code)
            .bind(&result.page)
            .bind(i64::from(result.year))
            .bind(result.version)
            .bind(&result.engine)
            .bind(&result.body)
            .bind(&now)
            .execute(&mut *tx)
            .await?;
        }
        for year in &write.remove_years {
            sqlx::query(
                "DELETE FROM monitoring_result WHERE zone_code = $1 AND page = $2 AND year = $3 AND version <= $4",
            )
            .bind(&write.zone_code)
            .bind(&write.page)
            .bind(i64::from(*year))
            .bind(write.version)
            .execute(&mut *tx)
            .await?;
        }
        if let Some(before) = write.carry_from {
            sqlx::query(
                "UPDATE monitoring_result SET version = $1
                 WHERE zone_code = $2 AND page = $3 AND version = $4 AND engine = $5 AND year <> $6",
            )
            .bind(write.version)
            .bind(&write.zone_code)
            .bind(&write.page)
            .bind(before)
            .bind(&write.engine)
            .bind(i64::from(HEADER_YEAR))
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
