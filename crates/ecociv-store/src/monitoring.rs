//! Monitoring data (监测数据) of the computation issues (air, water, …): a series per (domain, station,
//! parameter) of a zone, and its timestamped readings. Readings are keyed by zone first, so at national scale
//! (hundreds of millions of rows a year) they shard with their zone; a reading is never overwritten — a batch
//! that repeats a (series, time) already stored is refused as a whole; a correction is a later row
//! ([`crate::monitoring_correction`]), which the readers apply.
//!
//! A batch ([`Store::append_monitoring_batch`]) is one uploaded file: its readings (creating the series
//! it needs) and a record of the file itself — a reading of the domain's series (station `""`,
//! parameter [`FILE_PARAMETER`]) whose flag is the file name — stored in one transaction.

use std::collections::HashMap;

use sqlx::Row;

use crate::monitoring_correction::{CORRECTED_VALUE, LATEST_CORRECTION, NOT_RETRACTED};
use crate::{Result, Store, StoreError, clock};

/// The transaction a [`MonitoringBatch`] writes in: through the `Any` driver (SQLite: the one writing
/// connection), or on PostgreSQL a native connection's, so readings go in by `COPY`.
enum Writer {
    Any(sqlx::Transaction<'static, sqlx::Any>),
    Pg(sqlx::Transaction<'static, sqlx::Postgres>),
}

/// Runs the same query text on either writer (`$conn` is the connection inside the transaction; the
/// body is compiled once per driver).
macro_rules! on_writer {
    ($writer:expr, |$conn:ident| $body:expr) => {
        match $writer {
            Writer::Any(tx) => {
                let $conn = &mut **tx;
                $body
            }
            Writer::Pg(tx) => {
                let $conn = &mut **tx;
                $body
            }
        }
    };
}

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
pub const CHUNK: usize = 500;

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
    /// ([`MonitoringBatch::push`]) and written in multi-row inserts inside one transaction, so memory holds
    /// one part and the series met, whatever the file's size; [`MonitoringBatch::commit`] records the
    /// file and makes every reading visible at once, and a batch dropped (an error, a client gone) or a
    /// process killed before it stores nothing. The checks are [`Store::append_monitoring_batch`]'s.
    /// On SQLite the batch holds the one writing connection until it ends: other writes wait.
    pub async fn begin_monitoring_batch(&self, zone_code: &str, domain: &str, file: &str) -> Result<MonitoringBatch> {
        // PostgreSQL: a native connection, for COPY (the `Any` driver has none).
        let mut tx = match &self.native_pg {
            Some(pg) => Writer::Pg(pg.begin().await?),
            None => Writer::Any(self.begin_write().await?),
        };
        let zone = on_writer!(&mut tx, |conn| sqlx::query(
            "SELECT zone_code FROM zone WHERE zone_code = $1"
        )
        .bind(zone_code)
        .fetch_optional(conn)
        .await?
        .is_some());
        if !zone {
            return Err(StoreError::NotFound(format!("区域 (zone) {zone_code}")));
        }
        Ok(MonitoringBatch {
            tx: Some(tx),
            backend: self.backend,
            pool: self.pool.clone(),
            zone_code: zone_code.to_owned(),
            domain: domain.to_owned(),
            file: file.to_owned(),
            series: HashMap::new(),
            stored: 0,
            copy: Vec::new(),
        })
    }

    /// The readings of a domain with `from <= observed_at < to`, with their station and parameter, in
    /// (station, parameter, time) order; the file records are left out.
    pub async fn monitoring_cells(&self, zone_code: &str, domain: &str, from: &str, to: &str) -> Result<Vec<Cell>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT s.station, s.parameter, r.observed_at, {CORRECTED_VALUE} FROM monitoring_reading r
             JOIN monitoring_series s ON s.zone_code = r.zone_code AND s.id = r.series_id {LATEST_CORRECTION}
             WHERE r.zone_code = $1 AND s.domain = $2 AND s.parameter <> $3 AND r.observed_at >= $4 AND r.observed_at < $5
               AND {NOT_RETRACTED}
             ORDER BY s.station, s.parameter, r.observed_at"
        )))
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
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT s.parameter, r.observed_at, {CORRECTED_VALUE} FROM monitoring_series s
             JOIN monitoring_reading r ON r.zone_code = s.zone_code AND r.series_id = s.id {LATEST_CORRECTION}
             WHERE s.zone_code = $1 AND s.domain = $2 AND s.station = $3 AND s.parameter <> $4
               AND r.observed_at >= $5 AND r.observed_at < $6 AND {NOT_RETRACTED}
             ORDER BY s.parameter, r.observed_at"
        )))
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

    /// The years (first four characters of the time) with readings in a domain, ascending. Found by
    /// seeking each series' first reading of each year on the readings' key — a few index look-ups per
    /// series and year, never a scan of the readings (the monitoring summary route asks for them: with a
    /// scan, every call read all of a zone's readings, minutes for a province's hundreds of millions).
    pub async fn monitoring_years(&self, zone_code: &str, domain: &str) -> Result<Vec<i32>> {
        let series =
            sqlx::query("SELECT id FROM monitoring_series WHERE zone_code = $1 AND domain = $2 AND parameter <> $3")
                .bind(zone_code)
                .bind(domain)
                .bind(FILE_PARAMETER)
                .fetch_all(&self.pool)
                .await?;
        let mut years = std::collections::BTreeSet::new();
        let mut conn = self.pool.acquire().await?;
        for row in &series {
            let id: String = row.try_get("id")?;
            // From the first reading on, the first reading of each later year: "2023" sorts before
            // every time of 2023 and after every time of 2022.
            let mut from = String::new();
            loop {
                let first = sqlx::query(
                    "SELECT MIN(observed_at) AS t FROM monitoring_reading
                     WHERE zone_code = $1 AND series_id = $2 AND observed_at >= $3",
                )
                .bind(zone_code)
                .bind(&id)
                .bind(&from)
                .fetch_one(&mut *conn)
                .await?;
                let Some(time) = first.try_get::<Option<String>, _>("t")? else {
                    break;
                };
                let Some(year) = time.get(..4).and_then(|y| y.parse::<i32>().ok()) else {
                    break;
                };
                years.insert(year);
                from = format!("{:04}", year + 1);
            }
        }
        Ok(years.into_iter().collect())
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

/// One file of monitoring data being stored (see [`Store::begin_monitoring_batch`]).
pub struct MonitoringBatch {
    tx: Option<Writer>,
    backend: crate::Backend,
    pool: sqlx::AnyPool,
    zone_code: String,
    domain: String,
    file: String,
    /// (station, parameter) → (series id, unit).
    series: HashMap<(String, String), (String, String)>,
    stored: u64,
    /// The text of a part's `COPY` (PostgreSQL), kept between parts.
    copy: Vec<u8>,
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

    /// The series id of (station, parameter), created when new; a unit that differs from the stored
    /// series' refuses the batch.
    async fn series_id(&mut self, station: &str, parameter: &str, unit: &str) -> Result<String> {
        if let Some((id, stored)) = self.series.get(&(station.to_owned(), parameter.to_owned())) {
            if stored != unit {
                return Err(unit_differs(station, parameter, stored, unit));
            }
            return Ok(id.clone());
        }
        let (zone_code, domain) = (self.zone_code.clone(), self.domain.clone());
        let tx = self.tx()?;
        let found: Option<(String, String)> = on_writer!(tx, |conn| {
            let row = sqlx::query("SELECT id, unit FROM monitoring_series WHERE zone_code = $1 AND domain = $2 AND station = $3 AND parameter = $4")
                .bind(&zone_code)
                .bind(&domain)
                .bind(station)
                .bind(parameter)
                .fetch_optional(conn)
                .await?;
            match row {
                Some(row) => Some((row.try_get("id")?, row.try_get("unit")?)),
                None => None,
            }
        });
        let (id, stored) = match found {
            Some(found) => found,
            None => {
                let id = clock::new_id();
                on_writer!(tx, |conn| {
                    sqlx::query("INSERT INTO monitoring_series (zone_code, id, domain, station, parameter, unit, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                    .bind(&zone_code)
                    .bind(&id)
                    .bind(&domain)
                    .bind(station)
                    .bind(parameter)
                    .bind(unit)
                    .bind(clock::now())
                    .execute(conn)
                    .await?;
                });
                (id, unit.to_owned())
            }
        };
        self.series
            .insert((station.to_owned(), parameter.to_owned()), (id.clone(), stored.clone()));
        if stored != unit {
            return Err(unit_differs(station, parameter, &stored, unit));
        }
        Ok(id)
    }

    /// Writes readings (any number): on SQLite in multi-row inserts of [`CHUNK`], on PostgreSQL in one
    /// `COPY` per call. A reading whose (series, time) is already stored — by an earlier batch or earlier
    /// in this one — refuses the batch: the error names it, and the batch is rolled back.
    pub async fn push(&mut self, readings: &[NewReading]) -> Result<()> {
        if matches!(self.tx, Some(Writer::Pg(_))) {
            return self.copy(readings).await;
        }
        for chunk in readings.chunks(CHUNK) {
            let mut ids = Vec::with_capacity(chunk.len());
            for r in chunk {
                ids.push(self.series_id(&r.station, &r.parameter, &r.unit).await?);
            }
            let mut sql =
                String::from("INSERT INTO monitoring_reading (zone_code, series_id, observed_at, value, flag) VALUES ");
            sql.push_str(&crate::row_placeholders(self.backend, chunk.len(), 5));
            // A repeat is not an error of the statement (which would abort a PostgreSQL transaction before
            // it could be named): it is not inserted, and the count tells.
            sql.push_str(" ON CONFLICT DO NOTHING");
            // Only placeholders are formatted into the text; every value is bound.
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
            for (r, id) in chunk.iter().zip(&ids) {
                query = query
                    .bind(self.zone_code.as_str())
                    .bind(id.as_str())
                    .bind(r.observed_at.as_str())
                    .bind(r.value)
                    .bind(r.flag.as_str());
            }
            // A NULL f64 is sent as float4 by sqlx 0.9's Any driver: keep the statement unnamed on
            // PostgreSQL; SQLite, untyped, reuses the prepared statement of a full chunk.
            let persistent = self.backend == crate::Backend::Sqlite;
            let Writer::Any(tx) = self.tx()? else {
                unreachable!("a PostgreSQL batch copies")
            };
            let inserted = query.persistent(persistent).execute(&mut **tx).await?.rows_affected();
            if inserted != chunk.len() as u64 {
                let message = self.repeat(chunk, &ids).await;
                return Err(StoreError::Conflict(message));
            }
            self.stored += inserted;
        }
        Ok(())
    }

    /// PostgreSQL: the readings in one `COPY … FROM STDIN` (text format) inside the batch's transaction.
    /// A repeated (series, time) fails the COPY with a unique violation, which aborts the transaction:
    /// the batch is rolled back and the repeat named as [`MonitoringBatch::push`] names it.
    async fn copy(&mut self, readings: &[NewReading]) -> Result<()> {
        let mut ids = Vec::with_capacity(readings.len());
        for r in readings {
            ids.push(self.series_id(&r.station, &r.parameter, &r.unit).await?);
        }
        let mut data = std::mem::take(&mut self.copy);
        data.clear();
        for (r, id) in readings.iter().zip(&ids) {
            copy_text(&mut data, &self.zone_code);
            data.push(b'\t');
            copy_text(&mut data, id);
            data.push(b'\t');
            copy_text(&mut data, &r.observed_at);
            data.push(b'\t');
            match r.value {
                // Rust's shortest round-trip form, which PostgreSQL's float8 input reads back exactly.
                Some(value) => {
                    use std::io::Write as _;
                    let _ = write!(data, "{value}");
                }
                None => data.extend_from_slice(b"\\N"),
            }
            data.push(b'\t');
            copy_text(&mut data, &r.flag);
            data.push(b'\n');
        }
        let Writer::Pg(tx) = self.tx()? else {
            unreachable!("only a PostgreSQL batch copies")
        };
        let copied = async {
            let mut copy = tx
                .copy_in_raw("COPY monitoring_reading (zone_code, series_id, observed_at, value, flag) FROM STDIN")
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
                Err(StoreError::Conflict(self.repeat(readings, &ids).await))
            }
            Err(error) => Err(error.into()),
        }
    }

    /// After a chunk's insert fell short: rolls the batch back, then names the repeated reading — the
    /// first of the chunk stored before this batch, or a repeat inside the chunk, or (a repeat of a part
    /// given earlier in this batch) the chunk's range.
    async fn repeat(&mut self, chunk: &[NewReading], ids: &[String]) -> String {
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
        for (r, id) in chunk.iter().zip(ids) {
            if !seen.insert((id.as_str(), r.observed_at.as_str())) {
                return format!("{} {} {} 在文件中重复，{tail}", r.station, r.parameter, r.observed_at);
            }
        }
        for (r, id) in chunk.iter().zip(ids) {
            let stored = sqlx::query(
                "SELECT 1 AS one FROM monitoring_reading WHERE zone_code = $1 AND series_id = $2 AND observed_at = $3",
            )
            .bind(self.zone_code.as_str())
            .bind(id.as_str())
            .bind(r.observed_at.as_str())
            .fetch_optional(&self.pool)
            .await;
            if matches!(stored, Ok(Some(_))) {
                return format!("{} {} {} 已有监测数据，{tail}", r.station, r.parameter, r.observed_at);
            }
        }
        let (first, last) = (&chunk[0], &chunk[chunk.len() - 1]);
        format!(
            "{} {} {} 至 {} {} {} 之间有重复的站点、参数和时间，{tail}",
            first.station, first.parameter, first.observed_at, last.station, last.parameter, last.observed_at
        )
    }

    /// Records the file (a reading of the domain's file series, flag = the file name) and commits:
    /// every reading becomes visible at once. Returns the number of readings stored.
    pub async fn commit(mut self) -> Result<u64> {
        let now = clock::now();
        let file = self.file.clone();
        let record = NewReading {
            station: String::new(),
            parameter: FILE_PARAMETER.into(),
            unit: String::new(),
            observed_at: format!("{now} {file}"),
            value: None,
            flag: file,
        };
        self.push(std::slice::from_ref(&record)).await?;
        let stored = self.stored - 1;
        match self.tx.take() {
            Some(Writer::Any(tx)) => tx.commit().await?,
            Some(Writer::Pg(tx)) => tx.commit().await?,
            None => return Err(StoreError::Invalid("监测数据批次已结束 (the batch has ended)".into())),
        }
        Ok(stored)
    }

    /// Ends the batch storing nothing (a dry run that made every check).
    pub async fn rollback(mut self) -> Result<()> {
        match self.tx.take() {
            Some(Writer::Any(tx)) => tx.rollback().await?,
            Some(Writer::Pg(tx)) => tx.rollback().await?,
            None => {}
        }
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
