//! Monitoring data (监测数据) of the computation issues (air, water, …): a series per (domain, station,
//! parameter) of a zone, and its timestamped readings. Readings are keyed by zone first, so at national scale
//! (hundreds of millions of rows a year) they shard with their zone; a reading is never overwritten — a batch
//! that repeats a (series, time) already stored is refused as a whole.
//!
//! A batch ([`Store::append_monitoring_batch`]) is one uploaded file: its readings (creating the series
//! it needs) and a record of the file itself — a reading of the domain's series (station `""`,
//! parameter [`FILE_PARAMETER`]) whose flag is the file name — stored in one transaction.

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

/// One reading: its time, the value (`None` when missing) and a quality flag. The time is sortable ISO 8601
/// text in the station's local time, at the precision of the source: `YYYY-MM-DD` for a dated sample (water),
/// `YYYY-MM-DDTHH` for the hour starting then (air, hourly). Comparisons and year ranges work on the text.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    pub observed_at: String,
    pub value: Option<f64>,
    pub flag: String,
}

/// The parameter of the series that records the files imported into a domain (flag = file name).
pub const FILE_PARAMETER: &str = "_file";

/// Readings of a batch: one (station, parameter) cell at a time.
#[derive(Debug, Clone, PartialEq)]
pub struct NewReading {
    pub station: String,
    pub parameter: String,
    pub unit: String,
    pub observed_at: String,
    pub value: Option<f64>,
    pub flag: String,
}

/// A stored reading with its series' station and parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub station: String,
    pub parameter: String,
    pub reading: Reading,
}

/// Rows per multi-row INSERT (5 binds each: far below SQLite's and PostgreSQL's bind limits).
const CHUNK: usize = 200;

impl Store {
    /// Checks a batch as [`Store::append_monitoring_batch`] would, storing nothing (a dry run): the zone
    /// exists, no series' unit differs, no (series, time) is already stored.
    pub async fn check_monitoring_batch(&self, zone_code: &str, domain: &str, readings: &[NewReading]) -> Result<()> {
        let mut conn = self.pool.acquire().await?;
        check_batch(&mut conn, zone_code, domain, readings).await.map(|_| ())
    }

    /// Stores one uploaded file of monitoring data in one transaction — every reading or none. Refused as
    /// a whole ([`StoreError::Conflict`] naming the first repeated station, parameter and time) when any
    /// (series, time) is already stored, or when a series' unit differs. The zone's data version does not
    /// move (readings are not values; the assessment does not read them).
    /// Returns the number of readings stored.
    pub async fn append_monitoring_batch(
        &self,
        zone_code: &str,
        domain: &str,
        file: &str,
        readings: &[NewReading],
    ) -> Result<usize> {
        let now = clock::now();
        let mut tx = self.begin_write().await?;
        let file_reading = NewReading {
            station: String::new(),
            parameter: FILE_PARAMETER.into(),
            unit: String::new(),
            observed_at: format!("{now} {file}"),
            value: None,
            flag: file.to_owned(),
        };
        let all: Vec<NewReading> = readings.iter().cloned().chain(std::iter::once(file_reading)).collect();
        // Checked inside the writing transaction, so no other writer slips in between.
        let mut series = check_batch(&mut tx, zone_code, domain, &all).await?;
        for ((station, parameter), id) in &mut series {
            if id.is_some() {
                continue;
            }
            let unit = all
                .iter()
                .find(|r| r.station == *station && r.parameter == *parameter)
                .map_or("", |r| r.unit.as_str());
            let new = clock::new_id();
            sqlx::query("INSERT INTO monitoring_series (zone_code, id, domain, station, parameter, unit, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                .bind(zone_code)
                .bind(&new)
                .bind(domain)
                .bind(station.as_str())
                .bind(parameter.as_str())
                .bind(unit)
                .bind(&now)
                .execute(&mut *tx)
                .await?;
            *id = Some(new);
        }
        let series: std::collections::BTreeMap<(String, String), String> = series
            .into_iter()
            .map(|(key, id)| (key, id.unwrap_or_default()))
            .collect();
        for chunk in all.chunks(CHUNK) {
            let mut sql =
                String::from("INSERT INTO monitoring_reading (zone_code, series_id, observed_at, value, flag) VALUES ");
            for i in 0..chunk.len() {
                let b = i * 5;
                if i > 0 {
                    sql.push_str(", ");
                }
                sql.push_str(&format!("(${}, ${}, ${}, ${}, ${})", b + 1, b + 2, b + 3, b + 4, b + 5));
            }
            // Only placeholders are formatted into the text; every value is bound.
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
            for r in chunk {
                let id = series
                    .get(&(r.station.clone(), r.parameter.clone()))
                    .map_or("", String::as_str);
                query = query
                    .bind(zone_code)
                    .bind(id)
                    .bind(r.observed_at.as_str())
                    .bind(r.value)
                    .bind(r.flag.as_str());
            }
            // A NULL f64 is sent as float4 by sqlx 0.9's Any driver: keep the statement unnamed.
            query.persistent(false).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(readings.len())
    }

    /// The readings of a domain with `from <= observed_at < to`, with their station and parameter, in
    /// (station, parameter, time) order; the file records are left out.
    pub async fn monitoring_cells(&self, zone_code: &str, domain: &str, from: &str, to: &str) -> Result<Vec<Cell>> {
        let rows = sqlx::query(
            "SELECT s.station, s.parameter, r.observed_at, r.value, r.flag FROM monitoring_reading r
             JOIN monitoring_series s ON s.zone_code = r.zone_code AND s.id = r.series_id
             WHERE r.zone_code = $1 AND s.domain = $2 AND s.parameter <> $3 AND r.observed_at >= $4 AND r.observed_at < $5
             ORDER BY s.station, s.parameter, r.observed_at",
        )
        .bind(zone_code)
        .bind(domain)
        .bind(FILE_PARAMETER)
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(Cell {
                    station: row.try_get("station")?,
                    parameter: row.try_get("parameter")?,
                    reading: Reading {
                        observed_at: row.try_get("observed_at")?,
                        value: row.try_get("value")?,
                        flag: row.try_get("flag")?,
                    },
                })
            })
            .collect()
    }

    /// As [`Store::monitoring_cells`], of one station only (the server computes a year station by station,
    /// so its memory holds one station-year of readings at a time).
    pub async fn monitoring_station_cells(
        &self,
        zone_code: &str,
        domain: &str,
        station: &str,
        from: &str,
        to: &str,
    ) -> Result<Vec<Cell>> {
        let rows = sqlx::query(
            "SELECT s.parameter, r.observed_at, r.value, r.flag FROM monitoring_series s
             JOIN monitoring_reading r ON r.zone_code = s.zone_code AND r.series_id = s.id
             WHERE s.zone_code = $1 AND s.domain = $2 AND s.station = $3 AND s.parameter <> $4
               AND r.observed_at >= $5 AND r.observed_at < $6
             ORDER BY s.parameter, r.observed_at",
        )
        .bind(zone_code)
        .bind(domain)
        .bind(station)
        .bind(FILE_PARAMETER)
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(Cell {
                    station: station.to_owned(),
                    parameter: row.try_get("parameter")?,
                    reading: Reading {
                        observed_at: row.try_get("observed_at")?,
                        value: row.try_get("value")?,
                        flag: row.try_get("flag")?,
                    },
                })
            })
            .collect()
    }

    /// The names of the files imported into a domain, in import order.
    pub async fn monitoring_files(&self, zone_code: &str, domain: &str) -> Result<Vec<String>> {
        let rows = sqlx::query(
            "SELECT r.flag FROM monitoring_reading r JOIN monitoring_series s ON s.zone_code = r.zone_code AND s.id = r.series_id
             WHERE r.zone_code = $1 AND s.domain = $2 AND s.station = '' AND s.parameter = $3 ORDER BY r.observed_at",
        )
        .bind(zone_code)
        .bind(domain)
        .bind(FILE_PARAMETER)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|row| Ok(row.try_get("flag")?)).collect()
    }

    /// The years (first four characters of the time) with readings in a domain, ascending.
    pub async fn monitoring_years(&self, zone_code: &str, domain: &str) -> Result<Vec<i32>> {
        let rows = sqlx::query(
            "SELECT DISTINCT substr(r.observed_at, 1, 4) AS y FROM monitoring_reading r
             JOIN monitoring_series s ON s.zone_code = r.zone_code AND s.id = r.series_id
             WHERE r.zone_code = $1 AND s.domain = $2 AND s.parameter <> $3",
        )
        .bind(zone_code)
        .bind(domain)
        .bind(FILE_PARAMETER)
        .fetch_all(&self.pool)
        .await?;
        let mut years: Vec<i32> = rows
            .iter()
            .filter_map(|row| row.try_get::<String, _>("y").ok()?.parse().ok())
            .collect();
        years.sort_unstable();
        Ok(years)
    }

    /// The series of (domain, station, parameter) in a zone, created when new.
    pub async fn monitoring_series(
        &self,
        zone_code: &str,
        domain: &str,
        station: &str,
        parameter: &str,
        unit: &str,
    ) -> Result<Series> {
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
                return Err(StoreError::Conflict(format!(
                    "监测序列 {station}/{parameter} 的单位为 {stored}，不是 {unit} (unit differs)"
                )));
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
            .map(|row| {
                Ok(Reading {
                    observed_at: row.try_get("observed_at")?,
                    value: row.try_get("value")?,
                    flag: row.try_get("flag")?,
                })
            })
            .collect()
    }
}

/// The checks of a batch, on a connection or inside a transaction: the zone exists, each (station,
/// parameter) series that exists has the batch's unit, and no (series, time) of the batch is stored.
/// Returns every (station, parameter) of the batch with its series id when the series exists.
async fn check_batch(
    conn: &mut sqlx::AnyConnection,
    zone_code: &str,
    domain: &str,
    readings: &[NewReading],
) -> Result<std::collections::BTreeMap<(String, String), Option<String>>> {
    let zone = sqlx::query("SELECT zone_code FROM zone WHERE zone_code = $1")
        .bind(zone_code)
        .fetch_optional(&mut *conn)
        .await?;
    if zone.is_none() {
        return Err(StoreError::NotFound(format!("区域 (zone) {zone_code}")));
    }
    // Each (station, parameter) with the batch's time range.
    let mut ranges: std::collections::BTreeMap<(&str, &str), (&str, &str, &str)> = std::collections::BTreeMap::new();
    for r in readings {
        let range = ranges.entry((r.station.as_str(), r.parameter.as_str())).or_insert((
            r.unit.as_str(),
            r.observed_at.as_str(),
            r.observed_at.as_str(),
        ));
        range.1 = range.1.min(r.observed_at.as_str());
        range.2 = range.2.max(r.observed_at.as_str());
    }
    let mut out = std::collections::BTreeMap::new();
    for ((station, parameter), (unit, from, to)) in ranges {
        let found = sqlx::query("SELECT id, unit FROM monitoring_series WHERE zone_code = $1 AND domain = $2 AND station = $3 AND parameter = $4")
            .bind(zone_code)
            .bind(domain)
            .bind(station)
            .bind(parameter)
            .fetch_optional(&mut *conn)
            .await?;
        let Some(row) = found else {
            out.insert((station.to_owned(), parameter.to_owned()), None);
            continue;
        };
        let stored_unit: String = row.try_get("unit")?;
        if stored_unit != unit {
            return Err(StoreError::Conflict(format!(
                "监测序列 {station}/{parameter} 的单位为 {stored_unit}，不是 {unit} (unit differs)"
            )));
        }
        let id: String = row.try_get("id")?;
        let stored = sqlx::query(
            "SELECT observed_at FROM monitoring_reading WHERE zone_code = $1 AND series_id = $2 AND observed_at >= $3 AND observed_at <= $4",
        )
        .bind(zone_code)
        .bind(&id)
        .bind(from)
        .bind(to)
        .fetch_all(&mut *conn)
        .await?;
        if !stored.is_empty() {
            let stored: std::collections::HashSet<String> = stored
                .iter()
                .map(|row| row.try_get::<String, _>("observed_at"))
                .collect::<std::result::Result<_, _>>()?;
            if let Some(r) = readings
                .iter()
                .find(|r| r.station == station && r.parameter == parameter && stored.contains(&r.observed_at))
            {
                return Err(StoreError::Conflict(format!(
                    "{station} {parameter} {} 已有监测数据，整批未导入 (a reading for this station, parameter and time is already stored; nothing was imported)",
                    r.observed_at
                )));
            }
        }
        out.insert((station.to_owned(), parameter.to_owned()), Some(id));
    }
    Ok(out)
}
