//! Monitoring data (监测数据) of the computation issues (air, water, …): a series per (domain, station,
//! parameter) of a zone, and its timestamped readings. Readings are keyed by zone first, so at national scale
//! (hundreds of millions of rows a year) they shard with their zone; a reading is never overwritten — a batch
//! that repeats a (series, time) already stored is refused as a whole.

use sqlx::Row;

use crate::{Result, Store, StoreError, clock};

/// A monitoring series.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Series {
    pub id: String,
    pub zone_code: String,
    /// `air`, `water`, …
    pub domain: String,
    pub station: String,
    pub parameter: String,
    pub unit: String,
}

/// One reading: its time (RFC 3339 text), the value (`None` when missing) and a quality flag.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    pub observed_at: String,
    pub value: Option<f64>,
    pub flag: String,
}

impl Store {
    /// The series of (domain, station, parameter) in a zone, created when new.
    pub async fn monitoring_series(&self, zone_code: &str, domain: &str, station: &str, parameter: &str, unit: &str) -> Result<Series> {
        let find = || {
            sqlx::query("SELECT id, unit FROM monitoring_series WHERE zone_code = $1 AND domain = $2 AND station = $3 AND parameter = $4")
                .bind(zone_code)
                .bind(domain)
                .bind(station)
                .bind(parameter)
        };
        let series = |id: String, unit: String| Series {
            id,
            zone_code: zone_code.to_string(),
            domain: domain.to_string(),
            station: station.to_string(),
            parameter: parameter.to_string(),
            unit,
        };
        if let Some(row) = find().fetch_optional(&self.pool).await? {
            let stored: String = row.try_get("unit")?;
            if stored != unit {
                return Err(StoreError::Conflict(format!("监测序列 {station}/{parameter} 的单位为 {stored}，不是 {unit} (unit differs)")));
            }
            return Ok(series(row.try_get("id")?, stored));
        }
        let id = clock::new_id();
        sqlx::query(
            "INSERT INTO monitoring_series (zone_code, id, domain, station, parameter, unit, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(zone_code)
        .bind(&id)
        .bind(domain)
        .bind(station)
        .bind(parameter)
        .bind(unit)
        .bind(clock::now())
        .execute(&self.pool)
        .await?;
        Ok(series(id, unit.to_string()))
    }

    /// Appends readings to a series in one transaction: all or none.
    pub async fn append_readings(&self, series: &Series, readings: &[Reading]) -> Result<()> {
        let mut tx = self.begin_write().await?;
        for reading in readings {
            sqlx::query("INSERT INTO monitoring_reading (zone_code, series_id, observed_at, value, flag) VALUES ($1, $2, $3, $4, $5)")
                .bind(&series.zone_code)
                .bind(&series.id)
                .bind(&reading.observed_at)
                .bind(reading.value)
                .bind(&reading.flag)
                // A NULL f64 is sent as float4 by sqlx 0.9's Any driver: keep the statement unnamed.
                .persistent(false)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The readings of a series with `from <= observed_at < to`, in time order.
    pub async fn readings(&self, series: &Series, from: &str, to: &str) -> Result<Vec<Reading>> {
        let rows = sqlx::query(
            "SELECT observed_at, value, flag FROM monitoring_reading
             WHERE zone_code = $1 AND series_id = $2 AND observed_at >= $3 AND observed_at < $4 ORDER BY observed_at",
        )
        .bind(&series.zone_code)
        .bind(&series.id)
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| Ok(Reading { observed_at: row.try_get("observed_at")?, value: row.try_get("value")?, flag: row.try_get("flag")? }))
            .collect()
    }
}
