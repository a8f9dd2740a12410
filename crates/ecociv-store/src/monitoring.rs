//! Monitoring data (监测数据) of the computation issues (air, water, …): a series per (domain, station,
//! parameter) of a zone, and its timestamped readings. Readings are keyed by zone first, so at national scale
//! (hundreds of millions of rows a year) they shard with their zone; a reading is never overwritten — a batch
//! that repeats a (series, time) already stored is refused as a whole; a correction is a later row
//! ([`crate::monitoring_correction`]), which the readers apply.
//!
//! Storage (migration 0023): a series is numbered per zone, a reading is (zone, series number, time as an
//! integer ([`time_key`]), value, flag, import number) — on SQLite a `WITHOUT ROWID` row of about 30 bytes.
//! Each file is an import (`monitoring_import`): `pending` while it is being stored, `committed` once whole.
//! Every reader here leaves out the readings and series of a pending import, so a file is seen whole or not
//! at all whatever happens meanwhile.
//!
//! A batch ([`Store::begin_monitoring_batch`]) is one uploaded file. On SQLite, where one connection writes
//! at a time, it is stored in short transactions of [`TX_READINGS`] readings under its pending import —
//! other writers (a draft save) wait at most one of them — and made visible by one last short transaction
//! that marks the import committed; a batch refused or dropped removes what it stored, and the pending
//! imports of a process killed meanwhile are removed by [`Store::remove_pending_imports`] when the server
//! starts. On PostgreSQL the whole file is one transaction (readings by `COPY`), which writers of other rows
//! never wait for, and the import is written committed in it.

use std::collections::HashMap;

use sqlx::Row;

use crate::monitoring_correction::{CORRECTED_VALUE, LATEST_CORRECTION, NOT_RETRACTED};
use crate::{Backend, Result, Store, StoreError, clock};

/// The transaction a [`MonitoringBatch`] writes in: through the `Any` driver (SQLite: one short
/// transaction on the one writing connection), or on PostgreSQL a native connection's, so readings go in
/// by `COPY`.
enum Writer {
    Any(sqlx::Transaction<'static, sqlx::Any>),
    Pg(sqlx::Transaction<'static, sqlx::Postgres>),
}

/// A monitoring series.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Series {
    /// Its number in the zone.
    pub id: i64,
    pub zone_code: String,
    /// `air`, `water`, …
    pub domain: String,
    pub station: String,
    pub parameter: String,
    pub unit: String,
}

/// One reading: its time, the value (`None` when missing) and a quality flag. The time is sortable ISO 8601
/// text in the station's local time, at the precision of the source: `YYYY-MM-DD` for a dated sample (water),
/// `YYYY-MM-DDTHH` for the hour starting then (air, hourly), `YYYY` for a year; empty for a register. It is
/// stored as [`time_key`]; comparisons and year ranges work as on the text.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    pub observed_at: String,
    pub value: Option<f64>,
    pub flag: String,
}

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

/// One station's readings as [`Store::for_each_station_readings`] hands them over: each of its series
/// (parameter) with its readings in time order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StationReadings {
    pub station: String,
    pub series: Vec<(String, Vec<KeyedReading>)>,
}

/// A stored reading with its time as the key it is stored as ([`time_key`]; [`time_text`] gives the text).
#[derive(Debug, Clone, PartialEq)]
pub struct KeyedReading {
    pub at: i64,
    pub value: Option<f64>,
    pub flag: String,
}

/// Rows per multi-row INSERT (6 binds each: far below SQLite's and PostgreSQL's bind limits).
pub const CHUNK: usize = 500;

/// Readings per transaction of a batch on SQLite: the longest another writer waits for the writing
/// connection during an import is about one of these (a few tens of milliseconds).
pub const TX_READINGS: usize = 8192;

/// The condition that leaves out the readings `r` of imports still being stored (`$1` is the zone).
pub(crate) const VISIBLE: &str =
    "r.import_no NOT IN (SELECT p.no FROM monitoring_import p WHERE p.zone_code = $1 AND p.state = 'pending')";

/// The same for series `s` (a series a pending import created is not shown until the import is whole).
const SERIES_VISIBLE: &str =
    "s.import_no NOT IN (SELECT p.no FROM monitoring_import p WHERE p.zone_code = $1 AND p.state = 'pending')";

pub use ecociv_core::reading_time::{time_key, time_text};

/// The key of a range bound given as text ([`ecociv_core::reading_time::bound_key`]); a bound cut inside a
/// part (`"2023-1"`) is refused.
pub fn bound_key(bound: &str) -> Result<i64> {
    ecociv_core::reading_time::bound_key(bound)
        .ok_or_else(|| StoreError::Invalid(format!("时间范围 {bound} 不是可比较的时间 (not a time bound)")))
}

fn stored_time(text: &str) -> Result<i64> {
    time_key(text).ok_or_else(|| {
        StoreError::Invalid(format!(
            "时间 {text} 不是 YYYY[-MM[-DD[THH[:MM[:SS]]]]] 形式，未导入 (time not in a storable form)"
        ))
    })
}

/// A number for a new series or import of a zone: on SQLite the zone's highest + 1 (small integers are
/// short on disk; the one writing connection makes them in turn); on PostgreSQL, where a long import
/// transaction runs beside others, a random positive 53-bit number (a BIGINT is 8 bytes whatever its
/// value, and two transactions never take the same one).
async fn new_number(
    conn: &mut sqlx::AnyConnection,
    backend: Backend,
    table: &'static str,
    column: &'static str,
    zone_code: &str,
) -> Result<i64> {
    if backend == Backend::Postgres {
        return Ok(random_number());
    }
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT COALESCE(MAX({column}), 0) + 1 AS n FROM {table} WHERE zone_code = $1"
    )))
    .bind(zone_code)
    .fetch_one(&mut *conn)
    .await?;
    Ok(row.try_get("n")?)
}

/// A number for a new import of a zone (see [`new_number`]).
pub(crate) async fn new_import_number(
    conn: &mut sqlx::AnyConnection,
    backend: Backend,
    zone_code: &str,
) -> Result<i64> {
    new_number(conn, backend, "monitoring_import", "no", zone_code).await
}

fn random_number() -> i64 {
    let mut bytes = [0u8; 8];
    // The OS random source failing is not recoverable usefully; the time still varies the number.
    let _ = getrandom::fill(&mut bytes);
    let random = u64::from_le_bytes(bytes) ^ (jiff::Timestamp::now().as_nanosecond() as u64);
    ((random & ((1 << 53) - 1)) | 1) as i64
}

impl Store {
    /// Checks a batch as [`Store::append_monitoring_batch`] would, storing nothing (a dry run): the zone
    /// exists, no series' unit differs, no (series, time) is already stored.
    pub async fn check_monitoring_batch(&self, zone_code: &str, domain: &str, readings: &[NewReading]) -> Result<()> {
        let mut conn = self.pool.acquire().await?;
        check_batch(&mut conn, zone_code, domain, readings).await.map(|_| ())
    }

    /// Stores one uploaded file of monitoring data — every reading or none, as any reader sees it. Refused
    /// as a whole ([`StoreError::Conflict`] naming the first repeated station, parameter and time) when any
    /// (series, time) is already stored, or when a series' unit differs. The zone's data version does not
    /// move (readings are not values; the assessment does not read them).
    /// Returns the number of readings stored. (A file of any size: [`Store::begin_monitoring_batch`].)
    pub async fn append_monitoring_batch(
        &self,
        zone_code: &str,
        domain: &str,
        file: &str,
        readings: &[NewReading],
    ) -> Result<usize> {
        let mut batch = self.begin_monitoring_batch(zone_code, domain, file).await?;
        batch.push(readings).await?;
        Ok(batch.commit().await? as usize)
    }

    /// Begins storing one file of monitoring data as a stream: readings are given in parts
    /// ([`MonitoringBatch::push`]) and written as they come, so memory holds one part and the series met,
    /// whatever the file's size; [`MonitoringBatch::commit`] makes every reading visible at once; a batch
    /// refused, rolled back or dropped removes what it stored, and the readers never see any of it. On
    /// SQLite the writing connection is taken for one short transaction at a time (see the module).
    pub async fn begin_monitoring_batch(&self, zone_code: &str, domain: &str, file: &str) -> Result<MonitoringBatch> {
        let token = clock::new_id();
        let (tx, no) = match &self.native_pg {
            // PostgreSQL: a native connection, for COPY (the `Any` driver has none); the import's row is
            // written (committed) by the same transaction at its end.
            Some(pg) => {
                let mut tx = pg.begin().await?;
                let zone = sqlx::query("SELECT zone_code FROM zone WHERE zone_code = $1")
                    .bind(zone_code)
                    .fetch_optional(&mut *tx)
                    .await?;
                if zone.is_none() {
                    return Err(StoreError::NotFound(format!("区域 (zone) {zone_code}")));
                }
                (Some(Writer::Pg(tx)), random_number())
            }
            // SQLite: the pending import, in a short transaction of its own.
            None => {
                let mut tx = self.begin_write().await?;
                Store::require_zone(&mut tx, zone_code).await?;
                let no = new_number(&mut tx, self.backend, "monitoring_import", "no", zone_code).await?;
                let now = clock::now();
                sqlx::query(
                    "INSERT INTO monitoring_import (zone_code, no, id, domain, file, state, readings, created_at, touched_at)
                     VALUES ($1, $2, $3, $4, $5, 'pending', 0, $6, $6)",
                )
                .bind(zone_code)
                .bind(no)
                .bind(&token)
                .bind(domain)
                .bind(file)
                .bind(&now)
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                (None, no)
            }
        };
        Ok(MonitoringBatch {
            tx,
            store: self.clone(),
            zone_code: zone_code.to_owned(),
            domain: domain.to_owned(),
            file: file.to_owned(),
            no,
            token,
            series: HashMap::new(),
            stored: 0,
            copy: Vec::new(),
            open: true,
        })
    }

    /// PostgreSQL: refreshes the planner's statistics of the tables a bulk write just filled (`statement` is
    /// an `ANALYZE` of them). Until autovacuum gets to them the planner sees the tables as they were before
    /// (empty, in a new deployment), and the readers' join of readings and corrections then took minutes
    /// instead of milliseconds (seen on Citus: a one-station read ran 7 minutes). Best effort: the rows are
    /// committed already, and autovacuum refreshes the statistics later in any case.
    pub(crate) async fn refresh_statistics(&self, statement: &'static str) {
        if self.backend == Backend::Postgres {
            let _ = sqlx::query(statement).execute(&self.pool).await;
        }
    }

    /// Removes every pending import of the database — on SQLite the leftovers of a server killed while it
    /// stored a file (no reader ever saw them); PostgreSQL never commits a pending import. Run when the
    /// server starts, before it takes requests: on SQLite one server stores imports into a database file.
    /// Returns the number of imports removed.
    pub async fn remove_pending_imports(&self) -> Result<usize> {
        let rows = sqlx::query("SELECT zone_code, no, id, domain FROM monitoring_import WHERE state = 'pending'")
            .fetch_all(&self.pool)
            .await?;
        for row in &rows {
            remove_import(
                self,
                &row.try_get::<String, _>("zone_code")?,
                &row.try_get::<String, _>("domain")?,
                row.try_get("no")?,
                &row.try_get::<String, _>("id")?,
            )
            .await?;
        }
        Ok(rows.len())
    }

    /// The number of stored readings whose series is not stored (pending imports' included) — 0 unless the
    /// store's own invariant broke. On SQLite a foreign key keeps it 0; on PostgreSQL (and Citus) that key was
    /// dropped for the import's speed (migration 0027: the store finds or creates each series in the same
    /// transaction before it writes readings of it), so this is the check (`ecociv db status`, the store's
    /// tests). It reads no reading but the first of each series: per zone met in the readings, one recursive
    /// query walks the series numbers on the readings' key (one index probe per series, `MIN(series_id)` after
    /// the last one) and gives those without their series, whose readings alone are then counted. (A query per
    /// series cost a round trip each: seconds for a province's ~17,000 series, half a minute on Citus.)
    pub async fn monitoring_orphans(&self) -> Result<u64> {
        let mut orphans = 0u64;
        let mut zone = String::new();
        loop {
            let next = sqlx::query("SELECT MIN(zone_code) AS z FROM monitoring_reading WHERE zone_code > $1")
                .bind(&zone)
                .fetch_one(&self.pool)
                .await?;
            let Some(next) = next.try_get::<Option<String>, _>("z")? else {
                break;
            };
            zone = next;
            let lost = sqlx::query(
                "WITH RECURSIVE k(id) AS (
                     SELECT MIN(series_id) FROM monitoring_reading WHERE zone_code = $1
                     UNION ALL
                     SELECT (SELECT MIN(r.series_id) FROM monitoring_reading r
                              WHERE r.zone_code = $1 AND r.series_id > k.id)
                       FROM k WHERE k.id IS NOT NULL
                 )
                 SELECT k.id FROM k
                  WHERE k.id IS NOT NULL
                    AND NOT EXISTS (SELECT 1 FROM monitoring_series s WHERE s.zone_code = $1 AND s.id = k.id)",
            )
            .bind(&zone)
            .fetch_all(&self.pool)
            .await?;
            for row in lost {
                let n =
                    sqlx::query("SELECT COUNT(*) AS n FROM monitoring_reading WHERE zone_code = $1 AND series_id = $2")
                        .bind(&zone)
                        .bind(row.try_get::<i64, _>("id")?)
                        .fetch_one(&self.pool)
                        .await?;
                orphans += n.try_get::<i64, _>("n")? as u64;
            }
        }
        Ok(orphans)
    }

    /// The readings of a domain with `from <= observed_at < to` ([`bound_key`]), with their station and
    /// parameter, in (station, parameter, time) order, as corrected.
    pub async fn monitoring_cells(&self, zone_code: &str, domain: &str, from: &str, to: &str) -> Result<Vec<Cell>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT s.station, s.parameter, r.at, {CORRECTED_VALUE} FROM monitoring_reading r
             JOIN monitoring_series s ON s.zone_code = r.zone_code AND s.id = r.series_id {LATEST_CORRECTION}
             WHERE r.zone_code = $1 AND s.domain = $2 AND r.at >= $3 AND r.at < $4 AND {NOT_RETRACTED} AND {VISIBLE}
             ORDER BY s.station, s.parameter, r.at"
        )))
        .bind(zone_code)
        .bind(domain)
        .bind(bound_key(from)?)
        .bind(bound_key(to)?)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(Cell {
                    station: row.try_get("station")?,
                    parameter: row.try_get("parameter")?,
                    reading: reading_of(row)?,
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
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT s.parameter, r.at, {CORRECTED_VALUE} FROM monitoring_series s
             JOIN monitoring_reading r ON r.zone_code = s.zone_code AND r.series_id = s.id {LATEST_CORRECTION}
             WHERE s.zone_code = $1 AND s.domain = $2 AND s.station = $3
               AND r.at >= $4 AND r.at < $5 AND {NOT_RETRACTED} AND {VISIBLE}
             ORDER BY s.parameter, r.at"
        )))
        .bind(zone_code)
        .bind(domain)
        .bind(station)
        .bind(bound_key(from)?)
        .bind(bound_key(to)?)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(Cell {
                    station: station.to_owned(),
                    parameter: row.try_get("parameter")?,
                    reading: reading_of(row)?,
                })
            })
            .collect()
    }

    /// The readings of a domain with `from <= observed_at < to` ([`bound_key`]), as corrected, handed to
    /// `each` one station at a time ([`StationReadings`]: its series in parameter order, each one's readings
    /// in time order), stations in byte order of their names, from **one** query read as a stream: memory
    /// holds one station's readings whatever the domain's size, and a year of a zone's page costs one query
    /// instead of one per station (~1.3 s each under load through the `Any` driver, issue 19). The rows
    /// carry only the series' number, the time key, the value and the flag (the series' names are read once,
    /// before). `CROSS JOIN` makes SQLite walk the series first, in (station, parameter) order on their
    /// unique key, and each one's readings on the readings' key: no sort (with a plain join it scanned the
    /// readings and sorted all of them — checked with EXPLAIN QUERY PLAN on 150 M readings). PostgreSQL walks
    /// the series the same way (a LATERAL subquery per series, see the query): no sort on disk either.
    pub async fn for_each_station_readings<F, Fut, E>(
        &self,
        zone_code: &str,
        domain: &str,
        from: &str,
        to: &str,
        mut each: F,
    ) -> std::result::Result<(), E>
    where
        F: FnMut(StationReadings) -> Fut,
        Fut: Future<Output = std::result::Result<(), E>>,
        E: From<StoreError>,
    {
        let (from, to) = (bound_key(from)?, bound_key(to)?);
        // The names of the domain's series, by number (a pending import's series have no visible reading).
        let names: HashMap<i64, (String, String)> =
            sqlx::query("SELECT id, station, parameter FROM monitoring_series WHERE zone_code = $1 AND domain = $2")
                .bind(zone_code)
                .bind(domain)
                .fetch_all(&self.pool)
                .await
                .map_err(StoreError::from)?
                .iter()
                .map(|row| Ok((row.try_get(0)?, (row.try_get(1)?, row.try_get(2)?))))
                .collect::<Result<_>>()?;
        let sql = match self.backend {
            Backend::Sqlite => format!(
                "SELECT r.series_id, r.at, {CORRECTED_VALUE} FROM monitoring_series s
                 CROSS JOIN monitoring_reading r {LATEST_CORRECTION}
                 WHERE s.zone_code = $1 AND s.domain = $2 AND r.zone_code = s.zone_code AND r.series_id = s.id
                   AND r.at >= $3 AND r.at < $4 AND {NOT_RETRACTED} AND {VISIBLE}
                 ORDER BY s.station, s.parameter, r.at"
            ),
            // The series sorted in byte order (Rust's order of names, whatever the database's collation),
            // then each one's readings on the readings' key (LATERAL; `OFFSET 0` keeps both subqueries from
            // being flattened into one join): a nested loop whose output is already in (station, parameter)
            // order, sorted by time one series at a time in memory (Incremental Sort). With a plain join
            // PostgreSQL hashed the whole year and sorted it on disk (issue 19; EXPLAIN ANALYZE on 15.8 M
            // readings in docs/benchmarks.md: 864 MB of temporary files and 39.9 s, now none and 22.9 s).
            Backend::Postgres => format!(
                "SELECT s.id, x.at, x.value, x.flag
                 FROM (SELECT id, station COLLATE \"C\" AS station, parameter COLLATE \"C\" AS parameter
                       FROM monitoring_series WHERE zone_code = $1 AND domain = $2 ORDER BY 2, 3 OFFSET 0) s
                 CROSS JOIN LATERAL (
                     SELECT r.at, {CORRECTED_VALUE} FROM monitoring_reading r {LATEST_CORRECTION}
                     WHERE r.zone_code = $1 AND r.series_id = s.id AND r.at >= $3 AND r.at < $4
                       AND {NOT_RETRACTED} AND {VISIBLE}
                     ORDER BY r.at OFFSET 0) x
                 ORDER BY s.station, s.parameter, x.at"
            ),
        };
        let mut rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(zone_code)
            .bind(domain)
            .bind(from)
            .bind(to)
            .fetch(&self.pool);
        let mut current = StationReadings::default();
        let mut series_id = None;
        while let Some(row) = futures_util::TryStreamExt::try_next(&mut rows)
            .await
            .map_err(StoreError::from)?
        {
            let id: i64 = row.try_get(0).map_err(StoreError::from)?;
            if series_id != Some(id) {
                series_id = Some(id);
                let Some((station, parameter)) = names.get(&id) else {
                    return Err(StoreError::Invalid(format!("监测序列 {id} 不存在 (series {id} not found)")).into());
                };
                if *station != current.station || current.series.is_empty() {
                    let done = std::mem::replace(
                        &mut current,
                        StationReadings {
                            station: station.clone(),
                            series: Vec::new(),
                        },
                    );
                    if !done.series.is_empty() {
                        each(done).await?;
                    }
                }
                current.series.push((parameter.clone(), Vec::new()));
            }
            let reading = KeyedReading {
                at: row.try_get(1).map_err(StoreError::from)?,
                value: row.try_get(2).map_err(StoreError::from)?,
                flag: row.try_get(3).map_err(StoreError::from)?,
            };
            if let Some((_, readings)) = current.series.last_mut() {
                readings.push(reading);
            }
        }
        if !current.series.is_empty() {
            each(current).await?;
        }
        Ok(())
    }

    /// The number of stations with series in a domain (a pending import's left out).
    pub async fn monitoring_station_count(&self, zone_code: &str, domain: &str) -> Result<u64> {
        let count: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(DISTINCT s.station) FROM monitoring_series s WHERE s.zone_code = $1 AND s.domain = $2 AND {SERIES_VISIBLE}"
        )))
        .bind(zone_code)
        .bind(domain)
        .fetch_one(&self.pool)
        .await?;
        Ok(u64::try_from(count).unwrap_or(0))
    }

    /// The names of the files imported into a domain (and of its correction batches, `更正:NAME`), in
    /// the order they were stored whole.
    pub async fn monitoring_files(&self, zone_code: &str, domain: &str) -> Result<Vec<String>> {
        let rows = sqlx::query(
            "SELECT file FROM monitoring_import WHERE zone_code = $1 AND domain = $2 AND state = 'committed'
             ORDER BY created_at, no",
        )
        .bind(zone_code)
        .bind(domain)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|row| Ok(row.try_get("file")?)).collect()
    }

    /// The years with readings in a domain, ascending. Found by seeking each series' first reading of each
    /// year on the readings' key — a few index look-ups per series and year, never a scan of the readings
    /// (the monitoring summary route asks for them: with a scan, every call read all of a zone's readings,
    /// minutes for a province's hundreds of millions) — all in one recursive query: a query per look-up
    /// cost a round trip each, 2–6 s for the ~17,000 series of a province-sized zone.
    pub async fn monitoring_years(&self, zone_code: &str, domain: &str) -> Result<Vec<i32>> {
        const YEAR: i64 = ecociv_core::reading_time::YEAR;
        // From each series' first reading on (a register's reading, with no time, has no year: its series
        // goes on from year 1), the first reading of each later year.
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "WITH RECURSIVE y(series_id, at) AS (
                 SELECT s.id, (SELECT r.at FROM monitoring_reading r
                                WHERE r.zone_code = $1 AND r.series_id = s.id AND r.at >= 0 AND {VISIBLE}
                                ORDER BY r.at LIMIT 1)
                   FROM monitoring_series s
                  WHERE s.zone_code = $1 AND s.domain = $2 AND {SERIES_VISIBLE}
                 UNION ALL
                 SELECT y.series_id, (SELECT r.at FROM monitoring_reading r
                                       WHERE r.zone_code = $1 AND r.series_id = y.series_id
                                         AND r.at >= CASE WHEN y.at / {YEAR} <= 0 THEN {YEAR}
                                                          ELSE (y.at / {YEAR} + 1) * {YEAR} END
                                         AND {VISIBLE}
                                       ORDER BY r.at LIMIT 1)
                   FROM y WHERE y.at IS NOT NULL
             )
             SELECT DISTINCT y.at / {YEAR} AS year FROM y WHERE y.at / {YEAR} > 0 ORDER BY year"
        )))
        .bind(zone_code)
        .bind(domain)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let year: i64 = row.try_get("year")?;
                // A key's year is at most i64::MAX / YEAR (under 10⁹): it fits.
                Ok(i32::try_from(year).unwrap_or(i32::MAX))
            })
            .collect()
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
        let mut tx = self.begin_write().await?;
        let id = find_or_create_series(&mut tx, self.backend, zone_code, domain, station, parameter, unit, 0).await?;
        tx.commit().await?;
        Ok(Series {
            id,
            zone_code: zone_code.to_string(),
            domain: domain.to_string(),
            station: station.to_string(),
            parameter: parameter.to_string(),
            unit: unit.to_string(),
        })
    }

    /// Appends readings to a series in one transaction: all or none (no file record: import 0). A series
    /// not stored is refused ([`StoreError::NotFound`]): checked here once, as PostgreSQL has no foreign key
    /// from the readings to their series (migration 0027).
    pub async fn append_readings(&self, series: &Series, readings: &[Reading]) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let stored = sqlx::query(
            "SELECT id FROM monitoring_series WHERE zone_code = $1 AND id = $2 AND domain = $3 AND station = $4
               AND parameter = $5",
        )
        .bind(&series.zone_code)
        .bind(series.id)
        .bind(&series.domain)
        .bind(&series.station)
        .bind(&series.parameter)
        .fetch_optional(&mut *tx)
        .await?;
        if stored.is_none() {
            return Err(StoreError::NotFound(format!(
                "监测序列 (monitoring series) {}/{} {}",
                series.station, series.parameter, series.id
            )));
        }
        for reading in readings {
            sqlx::query(
                "INSERT INTO monitoring_reading (zone_code, series_id, at, value, flag, import_no) VALUES ($1, $2, $3, $4, $5, 0)",
            )
            .bind(&series.zone_code)
            .bind(series.id)
            .bind(stored_time(&reading.observed_at)?)
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

    /// The readings of a series with `from <= observed_at < to` ([`bound_key`]), in time order, as stored.
    pub async fn readings(&self, series: &Series, from: &str, to: &str) -> Result<Vec<Reading>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT r.at, r.value, r.flag FROM monitoring_reading r
             WHERE r.zone_code = $1 AND r.series_id = $2 AND r.at >= $3 AND r.at < $4 AND {VISIBLE} ORDER BY r.at"
        )))
        .bind(&series.zone_code)
        .bind(series.id)
        .bind(bound_key(from)?)
        .bind(bound_key(to)?)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(reading_of).collect()
    }
}

fn reading_of(row: &sqlx::any::AnyRow) -> Result<Reading> {
    Ok(Reading {
        observed_at: time_text(row.try_get("at")?),
        value: row.try_get("value")?,
        flag: row.try_get("flag")?,
    })
}

/// The number of the series (domain, station, parameter) of a zone, created (by import `import_no`) when
/// new; a stored series of another unit is refused.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn find_or_create_series(
    conn: &mut sqlx::AnyConnection,
    backend: Backend,
    zone_code: &str,
    domain: &str,
    station: &str,
    parameter: &str,
    unit: &str,
    import_no: i64,
) -> Result<i64> {
    let found = sqlx::query(
        "SELECT id, unit FROM monitoring_series WHERE zone_code = $1 AND domain = $2 AND station = $3 AND parameter = $4",
    )
    .bind(zone_code)
    .bind(domain)
    .bind(station)
    .bind(parameter)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(row) = found {
        let stored: String = row.try_get("unit")?;
        if stored != unit {
            return Err(unit_differs(station, parameter, &stored, unit));
        }
        return Ok(row.try_get("id")?);
    }
    let id = new_number(conn, backend, "monitoring_series", "id", zone_code).await?;
    sqlx::query(
        "INSERT INTO monitoring_series (zone_code, id, domain, station, parameter, unit, created_at, import_no)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(zone_code)
    .bind(id)
    .bind(domain)
    .bind(station)
    .bind(parameter)
    .bind(unit)
    .bind(clock::now())
    .bind(import_no)
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

/// Removes a pending import (SQLite): what it stored was never visible, so this is not history. Its token
/// is changed first (a batch still writing finds its import gone and stops), then its readings are deleted
/// series by series, then the series it created that are left empty, then the import — each step in short
/// transactions, so other writers are not held; a process killed meanwhile leaves the import pending, and
/// the next start removes the rest.
async fn remove_import(store: &Store, zone_code: &str, domain: &str, no: i64, token: &str) -> Result<()> {
    let removing = format!("{token}:removing");
    if !token.ends_with(":removing") {
        let mut tx = store.begin_write().await?;
        sqlx::query(
            "UPDATE monitoring_import SET id = $1 WHERE zone_code = $2 AND no = $3 AND id = $4 AND state = 'pending'",
        )
        .bind(&removing)
        .bind(zone_code)
        .bind(no)
        .bind(token)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
    }
    let series = sqlx::query("SELECT id FROM monitoring_series WHERE zone_code = $1 AND domain = $2")
        .bind(zone_code)
        .bind(domain)
        .fetch_all(&store.pool)
        .await?;
    for row in &series {
        let id: i64 = row.try_get("id")?;
        let mut tx = store.begin_write().await?;
        sqlx::query("DELETE FROM monitoring_reading WHERE zone_code = $1 AND series_id = $2 AND import_no = $3")
            .bind(zone_code)
            .bind(id)
            .bind(no)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
    }
    let mut tx = store.begin_write().await?;
    sqlx::query(
        "DELETE FROM monitoring_series WHERE zone_code = $1 AND import_no = $2
           AND NOT EXISTS (SELECT 1 FROM monitoring_reading r WHERE r.zone_code = monitoring_series.zone_code
                             AND r.series_id = monitoring_series.id)",
    )
    .bind(zone_code)
    .bind(no)
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM monitoring_import WHERE zone_code = $1 AND no = $2 AND state = 'pending'")
        .bind(zone_code)
        .bind(no)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// One file of monitoring data being stored (see [`Store::begin_monitoring_batch`]).
pub struct MonitoringBatch {
    /// PostgreSQL: the batch's one transaction; SQLite: the current short one, between parts none.
    tx: Option<Writer>,
    store: Store,
    zone_code: String,
    domain: String,
    file: String,
    /// The import's number (readings' `import_no`) and token.
    no: i64,
    token: String,
    /// (station, parameter) → (series number, unit).
    series: HashMap<(String, String), (i64, String)>,
    stored: u64,
    /// The text of a part's `COPY` (PostgreSQL), kept between parts.
    copy: Vec<u8>,
    /// Neither committed nor removed yet.
    open: bool,
}

impl Drop for MonitoringBatch {
    /// A batch dropped unfinished (an error, a client gone): on SQLite its pending import is removed in
    /// the background (the readers never see it meanwhile; a server stopped first removes it at its next
    /// start). On PostgreSQL dropping the transaction rolls it back.
    fn drop(&mut self) {
        if !self.open || self.store.backend != Backend::Sqlite {
            return;
        }
        self.open = false;
        drop(self.tx.take());
        let (store, zone, domain, no, token) = (
            self.store.clone(),
            self.zone_code.clone(),
            self.domain.clone(),
            self.no,
            self.token.clone(),
        );
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(async move {
                if let Err(error) = remove_import(&store, &zone, &domain, no, &token).await {
                    tracing::warn!(%zone, no, %error, "监测数据导入未能清除 (pending import not removed)");
                }
            });
        }
    }
}

impl MonitoringBatch {
    /// Readings stored so far in this batch (visible to others only after [`MonitoringBatch::commit`]).
    pub fn stored(&self) -> u64 {
        self.stored
    }

    fn tx(&mut self) -> Result<&mut Writer> {
        self.tx
            .as_mut()
            .ok_or_else(|| StoreError::Invalid("监测数据批次已结束 (the batch has ended)".into()))
    }

    /// The series number of (station, parameter), created when new; a unit that differs from the stored
    /// series' refuses the batch.
    async fn series_id(&mut self, station: &str, parameter: &str, unit: &str) -> Result<i64> {
        if let Some((id, stored)) = self.series.get(&(station.to_owned(), parameter.to_owned())) {
            if stored != unit {
                return Err(unit_differs(station, parameter, stored, unit));
            }
            return Ok(*id);
        }
        let (zone_code, domain, no, backend) =
            (self.zone_code.clone(), self.domain.clone(), self.no, self.store.backend);
        let tx = self.tx()?;
        let id = match tx {
            Writer::Any(tx) => {
                find_or_create_series(tx, backend, &zone_code, &domain, station, parameter, unit, no).await?
            }
            Writer::Pg(tx) => {
                let row = sqlx::query("SELECT id, unit FROM monitoring_series WHERE zone_code = $1 AND domain = $2 AND station = $3 AND parameter = $4")
                    .bind(&zone_code)
                    .bind(&domain)
                    .bind(station)
                    .bind(parameter)
                    .fetch_optional(&mut **tx)
                    .await?;
                match row {
                    Some(row) => {
                        let stored: String = row.try_get("unit")?;
                        if stored != unit {
                            return Err(unit_differs(station, parameter, &stored, unit));
                        }
                        row.try_get("id")?
                    }
                    None => {
                        let id = random_number();
                        sqlx::query("INSERT INTO monitoring_series (zone_code, id, domain, station, parameter, unit, created_at, import_no) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
                            .bind(&zone_code)
                            .bind(id)
                            .bind(&domain)
                            .bind(station)
                            .bind(parameter)
                            .bind(unit)
                            .bind(clock::now())
                            .bind(no)
                            .execute(&mut **tx)
                            .await?;
                        id
                    }
                }
            }
        };
        self.series
            .insert((station.to_owned(), parameter.to_owned()), (id, unit.to_owned()));
        Ok(id)
    }

    /// Writes readings (any number): on SQLite in transactions of [`TX_READINGS`], each of multi-row
    /// inserts of [`CHUNK`]; on PostgreSQL in one `COPY` per call. A reading whose (series, time) is already
    /// stored — by an earlier batch or earlier in this one — refuses the batch: the error names it, and
    /// what the batch stored is removed (SQLite) or rolled back (PostgreSQL).
    pub async fn push(&mut self, readings: &[NewReading]) -> Result<()> {
        if !self.open {
            return Err(StoreError::Invalid("监测数据批次已结束 (the batch has ended)".into()));
        }
        let pushed = if matches!(self.tx, Some(Writer::Pg(_))) {
            self.copy(readings).await
        } else {
            let mut pushed = Ok(());
            for part in readings.chunks(TX_READINGS) {
                pushed = self.insert_part(part).await;
                if pushed.is_err() {
                    break;
                }
            }
            pushed
        };
        if pushed.is_err() {
            self.abandon().await;
        }
        pushed
    }

    /// SQLite: one short transaction of readings, after checking the import is still this batch's.
    async fn insert_part(&mut self, part: &[NewReading]) -> Result<()> {
        let mut tx = self.store.begin_write().await?;
        let ours = sqlx::query(
            "UPDATE monitoring_import SET readings = $1, touched_at = $2
             WHERE zone_code = $3 AND no = $4 AND id = $5 AND state = 'pending'",
        )
        .bind(self.stored as i64)
        .bind(clock::now())
        .bind(self.zone_code.as_str())
        .bind(self.no)
        .bind(self.token.as_str())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if ours != 1 {
            return Err(StoreError::Conflict(
                "监测数据导入已被清除，未导入任何数据 (the pending import was removed; nothing was imported)".into(),
            ));
        }
        self.tx = Some(Writer::Any(tx));
        for chunk in part.chunks(CHUNK) {
            let mut rows = Vec::with_capacity(chunk.len());
            for r in chunk {
                rows.push((
                    self.series_id(&r.station, &r.parameter, &r.unit).await?,
                    stored_time(&r.observed_at)?,
                ));
            }
            let mut sql = String::from(
                "INSERT INTO monitoring_reading (zone_code, series_id, at, value, flag, import_no) VALUES ",
            );
            sql.push_str(&crate::row_placeholders(self.store.backend, chunk.len(), 6));
            // A repeat is not an error of the statement: it is not inserted, and the count tells.
            sql.push_str(" ON CONFLICT DO NOTHING");
            // Only placeholders are formatted into the text; every value is bound.
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
            for (r, (id, at)) in chunk.iter().zip(&rows) {
                query = query
                    .bind(self.zone_code.as_str())
                    .bind(*id)
                    .bind(*at)
                    .bind(r.value)
                    .bind(r.flag.as_str())
                    .bind(self.no);
            }
            let Some(Writer::Any(tx)) = self.tx.as_mut() else {
                return Err(StoreError::Invalid("监测数据批次已结束 (the batch has ended)".into()));
            };
            // SQLite, untyped, reuses the prepared statement of a full chunk.
            let inserted = query.persistent(true).execute(&mut **tx).await?.rows_affected();
            if inserted != chunk.len() as u64 {
                let message = self.repeat(chunk, &rows).await;
                return Err(StoreError::Conflict(message));
            }
            self.stored += inserted;
        }
        match self.tx.take() {
            Some(Writer::Any(tx)) => tx.commit().await?,
            Some(Writer::Pg(tx)) => tx.commit().await?,
            None => {}
        }
        Ok(())
    }

    /// PostgreSQL: the readings in one `COPY … FROM STDIN` (text format) inside the batch's transaction.
    /// A repeated (series, time) fails the COPY with a unique violation, which aborts the transaction:
    /// the batch is rolled back and the repeat named as [`MonitoringBatch::push`] names it.
    async fn copy(&mut self, readings: &[NewReading]) -> Result<()> {
        let mut rows = Vec::with_capacity(readings.len());
        for r in readings {
            rows.push((
                self.series_id(&r.station, &r.parameter, &r.unit).await?,
                stored_time(&r.observed_at)?,
            ));
        }
        let mut data = std::mem::take(&mut self.copy);
        data.clear();
        {
            use std::io::Write as _;
            for (r, (id, at)) in readings.iter().zip(&rows) {
                copy_text(&mut data, &self.zone_code);
                let _ = write!(data, "\t{id}\t{at}\t");
                match r.value {
                    // Rust's shortest round-trip form, which PostgreSQL's float8 input reads back exactly.
                    Some(value) => {
                        let _ = write!(data, "{value}");
                    }
                    None => data.extend_from_slice(b"\\N"),
                }
                data.push(b'\t');
                copy_text(&mut data, &r.flag);
                let _ = writeln!(data, "\t{}", self.no);
            }
        }
        let Writer::Pg(tx) = self.tx()? else {
            return Err(StoreError::Invalid("监测数据批次已结束 (the batch has ended)".into()));
        };
        let copied = async {
            let mut copy = tx
                .copy_in_raw("COPY monitoring_reading (zone_code, series_id, at, value, flag, import_no) FROM STDIN")
                .await?;
            copy.send(data.as_slice()).await?;
            copy.finish().await
        }
        .await;
        self.copy = data;
        match copied {
            Ok(n) => {
                self.stored += n;
                Ok(())
            }
            // A repeated key: SQLSTATE 23505 on PostgreSQL; Citus relays a worker's violation of a shard's
            // key (monitoring_reading_pkey_102028) under its own code, with PostgreSQL's message.
            Err(error)
                if error.as_database_error().is_some_and(|e| {
                    e.code().is_some_and(|code| code == "23505")
                        || e.message().contains("duplicate key value violates unique constraint")
                }) =>
            {
                Err(StoreError::Conflict(self.repeat(readings, &rows).await))
            }
            Err(error) => Err(error.into()),
        }
    }

    /// After a chunk's insert fell short: rolls the current transaction back, then names the repeated
    /// reading — a repeat inside the chunk, or the first of the chunk already stored (earlier in this file,
    /// or before it), or (a repeat of a part given earlier to a PostgreSQL batch) the chunk's range.
    async fn repeat(&mut self, chunk: &[NewReading], rows: &[(i64, i64)]) -> String {
        match self.tx.take() {
            Some(Writer::Any(tx)) => {
                let _ = tx.rollback().await;
            }
            Some(Writer::Pg(tx)) => {
                let _ = tx.rollback().await;
            }
            None => {}
        }
        let tail =
            "整批未导入 (a reading for this station, parameter and time is already stored; nothing was imported)";
        let mut seen = std::collections::HashSet::new();
        for (r, key) in chunk.iter().zip(rows) {
            if !seen.insert(*key) {
                return format!("{} {} {} 在文件中重复，{tail}", r.station, r.parameter, r.observed_at);
            }
        }
        for (r, (id, at)) in chunk.iter().zip(rows) {
            let stored = sqlx::query(
                "SELECT import_no FROM monitoring_reading WHERE zone_code = $1 AND series_id = $2 AND at = $3",
            )
            .bind(self.zone_code.as_str())
            .bind(*id)
            .bind(*at)
            .fetch_optional(&self.store.pool)
            .await;
            if let Ok(Some(row)) = stored {
                if row.try_get::<i64, _>("import_no").ok() == Some(self.no) {
                    return format!("{} {} {} 在文件中重复，{tail}", r.station, r.parameter, r.observed_at);
                }
                return format!("{} {} {} 已有监测数据，{tail}", r.station, r.parameter, r.observed_at);
            }
        }
        let (first, last) = (&chunk[0], &chunk[chunk.len() - 1]);
        format!(
            "{} {} {} 至 {} {} {} 之间有重复的站点、参数和时间，{tail}",
            first.station, first.parameter, first.observed_at, last.station, last.parameter, last.observed_at
        )
    }

    /// Ends a refused batch: on SQLite removes its pending import, on PostgreSQL rolls back.
    async fn abandon(&mut self) {
        if !self.open {
            return;
        }
        self.open = false;
        match self.tx.take() {
            Some(Writer::Any(tx)) => {
                let _ = tx.rollback().await;
            }
            Some(Writer::Pg(tx)) => {
                let _ = tx.rollback().await;
            }
            None => {}
        }
        if self.store.backend == Backend::Sqlite
            && let Err(error) = remove_import(&self.store, &self.zone_code, &self.domain, self.no, &self.token).await
        {
            tracing::warn!(zone = %self.zone_code, no = self.no, %error, "监测数据导入未能清除 (pending import not removed)");
        }
    }

    /// Records the file and makes every reading visible at once: on SQLite one short transaction marks the
    /// import committed; on PostgreSQL the import is written and the transaction committed. Returns the
    /// number of readings stored.
    pub async fn commit(mut self) -> Result<u64> {
        if !self.open {
            return Err(StoreError::Invalid("监测数据批次已结束 (the batch has ended)".into()));
        }
        let now = clock::now();
        let committed = match self.tx.take() {
            Some(Writer::Pg(mut tx)) => {
                sqlx::query(
                    "INSERT INTO monitoring_import (zone_code, no, id, domain, file, state, readings, created_at, touched_at)
                     VALUES ($1, $2, $3, $4, $5, 'committed', $6, $7, $7)",
                )
                .bind(&self.zone_code)
                .bind(self.no)
                .bind(&self.token)
                .bind(&self.domain)
                .bind(&self.file)
                .bind(self.stored as i64)
                .bind(&now)
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                self.store
                    .refresh_statistics("ANALYZE monitoring_series, monitoring_reading, monitoring_import")
                    .await;
                true
            }
            Some(Writer::Any(tx)) => {
                // Not reached: a SQLite part commits its own transaction.
                tx.rollback().await?;
                false
            }
            None => {
                let mut tx = self.store.begin_write().await?;
                let marked = sqlx::query(
                    "UPDATE monitoring_import SET state = 'committed', readings = $1, created_at = $2, touched_at = $2
                     WHERE zone_code = $3 AND no = $4 AND id = $5 AND state = 'pending'",
                )
                .bind(self.stored as i64)
                .bind(&now)
                .bind(&self.zone_code)
                .bind(self.no)
                .bind(&self.token)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                tx.commit().await?;
                marked == 1
            }
        };
        if !committed {
            self.abandon().await;
            return Err(StoreError::Conflict(
                "监测数据导入已被清除，未导入任何数据 (the pending import was removed; nothing was imported)".into(),
            ));
        }
        self.open = false;
        Ok(self.stored)
    }

    /// Ends the batch storing nothing (a dry run that made every check): what it stored is removed.
    pub async fn rollback(mut self) -> Result<()> {
        self.abandon().await;
        Ok(())
    }
}

/// A text field of `COPY`'s text format: backslash, tab, newline and carriage return escaped.
fn copy_text(out: &mut Vec<u8>, text: &str) {
    for &b in text.as_bytes() {
        match b {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            _ => out.push(b),
        }
    }
}

fn unit_differs(station: &str, parameter: &str, stored: &str, unit: &str) -> StoreError {
    StoreError::Conflict(format!(
        "监测序列 {station}/{parameter} 的单位为 {stored}，不是 {unit} (unit differs)"
    ))
}

/// The checks of a batch, on a connection: the zone exists, each (station, parameter) series that exists
/// has the batch's unit, and no (series, time) of the batch is stored.
async fn check_batch(
    conn: &mut sqlx::AnyConnection,
    zone_code: &str,
    domain: &str,
    readings: &[NewReading],
) -> Result<()> {
    Store::require_zone(&mut *conn, zone_code).await?;
    // Each (station, parameter) with the batch's time range.
    let mut ranges: std::collections::BTreeMap<(&str, &str), (&str, i64, i64)> = std::collections::BTreeMap::new();
    for r in readings {
        let at = stored_time(&r.observed_at)?;
        let range = ranges
            .entry((r.station.as_str(), r.parameter.as_str()))
            .or_insert((r.unit.as_str(), at, at));
        range.1 = range.1.min(at);
        range.2 = range.2.max(at);
    }
    for ((station, parameter), (unit, from, to)) in ranges {
        let found = sqlx::query("SELECT id, unit FROM monitoring_series WHERE zone_code = $1 AND domain = $2 AND station = $3 AND parameter = $4")
            .bind(zone_code)
            .bind(domain)
            .bind(station)
            .bind(parameter)
            .fetch_optional(&mut *conn)
            .await?;
        let Some(row) = found else { continue };
        let stored_unit: String = row.try_get("unit")?;
        if stored_unit != unit {
            return Err(unit_differs(station, parameter, &stored_unit, unit));
        }
        let id: i64 = row.try_get("id")?;
        let stored = sqlx::query(
            "SELECT at FROM monitoring_reading WHERE zone_code = $1 AND series_id = $2 AND at >= $3 AND at <= $4",
        )
        .bind(zone_code)
        .bind(id)
        .bind(from)
        .bind(to)
        .fetch_all(&mut *conn)
        .await?;
        if !stored.is_empty() {
            let stored: std::collections::HashSet<i64> = stored
                .iter()
                .map(|row| row.try_get::<i64, _>("at"))
                .collect::<std::result::Result<_, _>>()?;
            if let Some(r) = readings.iter().find(|r| {
                r.station == station
                    && r.parameter == parameter
                    && time_key(&r.observed_at).is_some_and(|at| stored.contains(&at))
            }) {
                return Err(StoreError::Conflict(format!(
                    "{station} {parameter} {} 已有监测数据，整批未导入 (a reading for this station, parameter and time is already stored; nothing was imported)",
                    r.observed_at
                )));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_keys_round_trip_and_sort_as_the_text() {
        let times = [
            "",
            "2022",
            "2022-12",
            "2022-12-31",
            "2022-12-31T00",
            "2022-12-31T00:00",
            "2022-12-31T00:00:00",
            "2022-12-31T00:00:59",
            "2022-12-31T00:59",
            "2022-12-31T23",
            "2023",
            "2023-01-01",
            "2023-01-01T05",
            "9999-99-99T98:98:98",
        ];
        for pair in times.windows(2) {
            assert!(pair[0] < pair[1], "{pair:?}");
            let (a, b) = (time_key(pair[0]).unwrap(), time_key(pair[1]).unwrap());
            assert!(a < b, "{pair:?}: {a} {b}");
        }
        for time in times {
            assert_eq!(time_text(time_key(time).unwrap()), time);
        }
        assert_eq!(time_key("2023-01-05T07"), Some(20230105080000));
        for bad in [
            "0000",
            "2023-00-01",
            "2023-01-00",
            "2023-1-5",
            "2023-01-05 07",
            "2023-01-05T7",
            "2023-01-05T99",
            "2023-01-05T07:00:00Z",
            "abcd",
            "２０２３",
        ] {
            assert_eq!(time_key(bad), None, "{bad}");
        }
    }

    #[test]
    fn bounds_compare_as_the_text_does() {
        let times = [
            "",
            "2022",
            "2022-01-01",
            "2022-01-01T00",
            "2022-01-01T00:00:00",
            "2022-01-01T01",
            "2023-06-30T23",
        ];
        let bounds = [
            "",
            "~",
            "2022",
            "2023",
            "2022-01-01",
            "2022-01-01T00",
            "2022-01-01T00:00:00Z",
            "2022-01-01 x",
            "2022-01-01Z",
            "2022-01-01T00:00:00",
            "2022-01-01T00:00:00.5",
        ];
        for bound in bounds {
            let key = bound_key(bound).unwrap();
            for time in times {
                assert_eq!(time_key(time).unwrap() >= key, time >= bound, "{time} >= {bound}");
            }
        }
        for bad in ["2022-1", "20", "2022-01-0", "-"] {
            assert!(bound_key(bad).is_err(), "{bad}");
        }
    }
}
