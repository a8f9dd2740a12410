//! The air and water pages' figures, materialized per (zone, page, year) in the store's
//! `monitoring_result` ([`ecociv_store::monitoring_result`]), so that a page — public, anonymous — reads
//! one small row and never the readings: its cost does not grow with the readings stored (issue 20: with
//! 8.2 M readings a page cache miss took 17–47 s and gigabytes).
//!
//! **Written** when a file is imported ([`crate::api::monitoring::store_file`] calls [`after_import`]):
//! the years the file covers (air) or every year (water: its inputs are small and its figures mix kinds)
//! are computed from the stored readings by the same readers and engines as `ecociv assess`
//! (`ecociv_monitoring::kind`, `feed`) — the air year **one station at a time**, so the computation holds
//! one station-year of readings, not the zone's year. The importer pays for it, once.
//!
//! **Read** by the pages ([`page_years`], [`air_result`], [`water_result`]): a row serves only when its
//! version (files imported into the page's domains) and engine ([`engine`]) are current. A page finding
//! its year missing or stale (data imported by an older version, a crash between import and computation,
//! an upgrade) asks for a recomputation in the background ([`Refreshing::spawn`], one per zone and page at
//! a time) and says so on the page; it never computes itself.
//!
//! "Compute from monitoring" (reviewers) reads the same rows ([`observations`]), recomputing first when
//! they are stale, so the values saved equal the figures shown.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::Mutex;

use ecociv_core::{Framework, Observation, Value};
use ecociv_monitoring::kind::{self, Kind};
use ecociv_store::Store;
use ecociv_store::monitoring_result::{HEADER_YEAR, MonitoringResult, PageWrite};
use serde::{Deserialize, Serialize};

use crate::error::{ApiError, ApiResult};
use crate::spool::Import;

/// Bumped when what is computed or how changes (a new engine makes every stored row stale).
pub const ENGINE_REVISION: u32 = 1;

/// The air page.
pub const AIR: &str = "air";
/// The water page.
pub const WATER: &str = "water";

/// The monitoring domains a page's figures are computed from.
pub fn domains(page: &str) -> Vec<&'static str> {
    Kind::ALL
        .into_iter()
        .filter(|kind| kind.medium() == page)
        .map(Kind::domain)
        .collect()
}

/// The engine key: software version, this module's revision and the framework the observations name
/// (its rows' names and precision enter the water figures' texts).
pub fn engine(framework: &Framework) -> String {
    format!(
        "{}+m{}+{}@{}",
        env!("CARGO_PKG_VERSION"),
        ENGINE_REVISION,
        framework.id,
        framework.edition
    )
}

/// A computed figure as stored: row, year, number, and the source as the store writes it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredObservation {
    pub row: String,
    pub year: i32,
    pub value: f64,
    pub source: String,
}

impl StoredObservation {
    fn of(observation: &Observation) -> Option<StoredObservation> {
        match observation.value {
            Value::Number(value) => Some(StoredObservation {
                row: observation.row.clone(),
                year: observation.year,
                value,
                source: ecociv_store::values::source_json(&observation.source),
            }),
            _ => None,
        }
    }

    pub fn observation(&self) -> ApiResult<Observation> {
        Ok(Observation {
            row: self.row.clone(),
            year: self.year,
            value: Value::Number(self.value),
            assigned: None,
            recorded: None,
            source: ecociv_store::values::source_from(&self.source)?,
        })
    }
}

/// One day of the zone's AQI calendar.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AirDay {
    pub year: i32,
    pub month: u8,
    pub day: u8,
    /// `None`: not a valid day.
    pub aqi: Option<u32>,
    pub category: Option<u8>,
    pub primary: Option<String>,
}

/// A GB 3095 statistic of the year (CO in tenths of mg/m³, the rest µg/m³).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AirStat {
    pub key: String,
    pub value: Option<i64>,
    pub limit: Option<i64>,
    pub tenths: bool,
    pub days: u32,
    pub valid: bool,
    pub complies: Option<bool>,
}

/// The air page's figures of a year (点位平均法).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AirResult {
    pub stations: Vec<String>,
    /// The standards and editions (AQI, evaluation, limits; AQI days by edition).
    pub edition: String,
    pub provenance: String,
    pub days: Vec<AirDay>,
    pub annual: Vec<AirStat>,
    /// What "compute from monitoring" saves (7.1, 7.2).
    pub observations: Vec<StoredObservation>,
    pub notes: Vec<String>,
    pub files: Vec<String>,
}

/// A section's classes in a year (1–5 = Ⅰ–Ⅴ类, 6 = 劣Ⅴ类).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WaterSection {
    pub name: String,
    /// `ecociv_water::gb3838::Waterbody::code`.
    pub waterbody: String,
    pub monthly: [Option<u8>; 12],
    pub annual: Option<u8>,
}

/// The water page's figures of a year.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WaterResult {
    pub sections: Vec<WaterSection>,
    /// Sections with an annual class: all, Ⅰ–Ⅲ类, 劣Ⅴ类.
    pub counts: Option<(usize, usize, usize)>,
    pub samples: u32,
    pub observations: Vec<StoredObservation>,
    pub files: Vec<String>,
    pub synthetic: bool,
}

pub(crate) fn stored_problem(problem: &kind::Problem) -> ApiError {
    ApiError::internal(format!(
        "已存监测数据无法读取 (stored monitoring data unreadable): {problem}"
    ))
}

/// Stored cells as the kind's reader's cells (for [`kind::rebuild`]).
pub(crate) fn cells(stored: Vec<ecociv_store::monitoring::Cell>) -> Vec<kind::Cell> {
    stored
        .into_iter()
        .map(|c| kind::Cell {
            station: c.station,
            time: c.reading.observed_at,
            parameter: c.parameter,
            value: c.reading.value,
            flag: c.reading.flag,
        })
        .collect()
}

pub(crate) async fn zone_framework(store: &Store, code: &str) -> ApiResult<Framework> {
    Ok(crate::service::zone_framework(store, code).await?.as_ref().clone())
}

/// Computes the air figures of `years` from the stored readings — hourly, and daily values for the years
/// without hours (as `ecociv assess` reads a folder of both) — and writes them; a year without any
/// valid figure is removed. `one_file`: the computation follows the import of one file covering exactly
/// `years`, so the other years' rows current before it stay current ([`PageWrite::carry_from`]).
/// `progress`: the import being computed for, told the stations done of all to do.
/// Returns the years written.
pub async fn compute_air(
    store: &Store,
    code: &str,
    years: &[i32],
    one_file: bool,
    progress: Option<&Import>,
) -> ApiResult<Vec<i32>> {
    // The version first: readings imported after it make the rows stale, never the reverse.
    let version = store.monitoring_file_count(code, &domains(AIR)).await?;
    let framework = zone_framework(store, code).await?;
    let engine = engine(&framework);
    let mut files = Vec::new();
    let mut stations = Vec::new();
    for air_kind in [Kind::Air, Kind::AirDaily] {
        files.extend(store.monitoring_files(code, air_kind.domain()).await?);
        stations.push(store.monitoring_station_count(code, air_kind.domain()).await?);
    }
    // Each year reads each kind's stations once.
    let total = stations.iter().sum::<u64>() * years.len() as u64;
    let mut done = 0;
    if let Some(progress) = progress {
        progress.stations(0, total);
    }
    let mut results = Vec::new();
    let mut empty = Vec::new();
    for &year in years {
        // One query per kind for the year, read station by station (in byte order of station names, the
        // readers' order; the figures do not depend on it). Each station's readings go to the air engine
        // off the runtime while the next station's are read.
        let figures = std::sync::Arc::new(Mutex::new(kind::AirFigures::new(code, Some(year), "air")));
        for (air_kind, kind_stations) in [Kind::Air, Kind::AirDaily].into_iter().zip(&stations) {
            let mut pending: Option<Pending> = None;
            store
                .for_each_station_readings(
                    code,
                    air_kind.domain(),
                    &format!("{year}"),
                    &format!("{}", year + 1),
                    |station| {
                        let figures = figures.clone();
                        let this = tokio::spawn(crate::work::cpu(move || {
                            let readings = station.series.iter().flat_map(|(parameter, readings)| {
                                readings.iter().map(move |r| kind::StoredReading {
                                    parameter,
                                    at: r.at,
                                    value: r.value,
                                    flag: &r.flag,
                                })
                            });
                            let mut figures = figures.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                            figures
                                .push_readings(air_kind, &station.station, readings)
                                .map_err(|p| stored_problem(&p))
                        }));
                        let previous = pending.replace(this);
                        async move { finished(previous, progress).await }
                    },
                )
                .await?;
            finished(pending.take(), progress).await?;
            done += kind_stations;
            if let Some(progress) = progress {
                progress.stations(done, total);
            }
        }
        let figures = std::mem::replace(
            &mut *figures.lock().unwrap_or_else(|poisoned| poisoned.into_inner()),
            kind::AirFigures::new(code, Some(year), "air"),
        );
        let files = files.clone();
        let result = crate::work::cpu(move || {
            let (mut zone_years, days) = figures.finish();
            zone_years.pop().map(|zone_year| build_air(&zone_year, &days, files))
        })
        .await?;
        match result {
            Some(result) => results.push(MonitoringResult {
                zone_code: code.to_owned(),
                page: AIR.into(),
                year,
                version,
                engine: engine.clone(),
                body: serde_json::to_string(&result).map_err(ApiError::internal)?,
            }),
            None => empty.push(year),
        }
    }
    let written = results.iter().map(|r| r.year).collect();
    store
        .put_monitoring_results(&PageWrite {
            zone_code: code.to_owned(),
            page: AIR.into(),
            version,
            engine,
            results,
            remove_years: empty,
            carry_from: one_file.then_some(version - 1),
        })
        .await?;
    Ok(written)
}

/// A station's computation running ([`compute_air`]).
type Pending = tokio::task::JoinHandle<ApiResult<ApiResult<()>>>;

/// Waits for a station's computation ([`compute_air`]) and counts it done.
async fn finished(station: Option<Pending>, progress: Option<&Import>) -> ApiResult<()> {
    if let Some(station) = station {
        station.await.map_err(ApiError::internal)???;
        if let Some(progress) = progress {
            progress.station_done();
        }
    }
    Ok(())
}

fn build_air(
    zone_year: &ecociv_air::zone::ZoneYear,
    days: &[ecociv_air::hj663::DayRecord],
    files: Vec<String>,
) -> AirResult {
    let a = &zone_year.annual;
    let stat = |key: &str, stat: &ecociv_air::hj663::AnnualStat, tenths: bool| AirStat {
        key: key.to_owned(),
        value: stat.value,
        limit: stat.limit,
        tenths,
        days: stat.days,
        valid: stat.valid,
        complies: stat.complies,
    };
    let computed = ecociv_monitoring::feed::air(std::slice::from_ref(zone_year), &files);
    AirResult {
        stations: zone_year.stations.clone(),
        edition: format!(
            "{} / {} / {}；{}",
            zone_year.edition().aqi_standard(),
            zone_year.edition().evaluation_standard(),
            zone_year.edition().limits_standard(),
            ecociv_monitoring::feed::describe_aqi_editions(a.aqi_days_by_edition)
        ),
        provenance: zone_year.provenance(),
        days: days
            .iter()
            .map(|record| {
                let valid = record.valid && record.aqi.aqi.is_some();
                AirDay {
                    year: record.date.year,
                    month: record.date.month,
                    day: record.date.day,
                    aqi: if valid { record.aqi.aqi.map(u32::from) } else { None },
                    category: if valid {
                        record.aqi.level().map(|level| level.level)
                    } else {
                        None
                    },
                    primary: (valid && !record.aqi.primary.is_empty()).then(|| record.aqi.primary.to_string()),
                }
            })
            .collect(),
        annual: vec![
            stat("so2", &a.so2, false),
            stat("no2", &a.no2, false),
            stat("pm10", &a.pm10, false),
            stat("pm25", &a.pm25, false),
            stat("co_p95", &a.co_p95, true),
            stat("o3_8h_p90", &a.o3_8h_p90, false),
        ],
        observations: computed.observations.iter().filter_map(StoredObservation::of).collect(),
        notes: computed.notes,
        files,
    }
}

/// Computes the water figures of every year from the stored readings of every water kind and writes
/// them; years stored before without data now are removed. Returns the years written.
pub async fn compute_water(store: &Store, code: &str) -> ApiResult<Vec<i32>> {
    let page_domains = domains(WATER);
    let version = store.monitoring_file_count(code, &page_domains).await?;
    let framework = zone_framework(store, code).await?;
    let engine = engine(&framework);
    let mut sources = Vec::new();
    let mut files = Vec::new();
    for kind in Kind::ALL.into_iter().filter(|k| k.medium() == WATER) {
        let stored = store.monitoring_cells(code, kind.domain(), "", "~").await?;
        let names = store.monitoring_files(code, kind.domain()).await?;
        if stored.is_empty() {
            continue;
        }
        let csv = crate::work::cpu(move || kind::rebuild(kind, &cells(stored))).await?;
        // The name shown in provenance: the files imported, joined; SYNTHETIC if any was.
        sources.push((kind, names.join("+"), csv));
        files.extend(names);
    }
    let previous: Vec<i32> = store
        .monitoring_result_states(code, WATER)
        .await?
        .into_iter()
        .map(|s| s.year)
        .collect();
    let by_year = crate::work::cpu(move || water_results(&framework, &sources, &files))
        .await?
        .map_err(|p| stored_problem(&p))?;
    let mut results = Vec::new();
    for (year, result) in &by_year {
        results.push(MonitoringResult {
            zone_code: code.to_owned(),
            page: WATER.into(),
            year: *year,
            version,
            engine: engine.clone(),
            body: serde_json::to_string(result).map_err(ApiError::internal)?,
        });
    }
    let gone: Vec<i32> = previous
        .into_iter()
        .filter(|y| *y != HEADER_YEAR && !by_year.contains_key(y))
        .collect();
    store
        .put_monitoring_results(&PageWrite {
            zone_code: code.to_owned(),
            page: WATER.into(),
            version,
            engine,
            results,
            remove_years: gone,
            carry_from: None,
        })
        .await?;
    Ok(by_year.keys().copied().collect())
}

fn water_results(
    framework: &Framework,
    sources: &[(Kind, String, String)],
    files: &[String],
) -> Result<BTreeMap<i32, WaterResult>, kind::Problem> {
    let mut out: BTreeMap<i32, WaterResult> = BTreeMap::new();
    if sources.is_empty() {
        return Ok(out);
    }
    let inputs = kind::water_inputs(sources)?;
    let empty = || WaterResult {
        sections: Vec::new(),
        counts: None,
        samples: 0,
        observations: Vec::new(),
        files: files.to_vec(),
        synthetic: inputs.synthetic,
    };
    if let Some((_, _, csv)) = sources.iter().find(|(k, _, _)| *k == Kind::Sections) {
        let classes = kind::section_classes("sections", csv)?;
        let index = |class: ecociv_water::gb3838::WaterClass| {
            ecociv_water::gb3838::WaterClass::ALL
                .iter()
                .position(|c| *c == class)
                .map_or(6, |i| i as u8 + 1)
        };
        let years: BTreeSet<i32> = classes.iter().map(|s| s.year).collect();
        for year in years {
            let of_year: Vec<_> = classes.iter().filter(|s| s.year == year).collect();
            let counts = ecociv_water::evaluation2011::ClassCounts::of(of_year.iter().filter_map(|s| s.annual));
            let result = out.entry(year).or_insert_with(empty);
            result.counts = (counts.total > 0).then_some((counts.total, counts.i_iii, counts.worse_v));
            result.samples = of_year.iter().map(|s| s.samples).sum();
            result.sections = of_year
                .iter()
                .map(|s| WaterSection {
                    name: s.section.clone(),
                    waterbody: s.waterbody.code().to_owned(),
                    monthly: s.monthly.map(|class| class.map(index)),
                    annual: s.annual.map(index),
                })
                .collect();
        }
    }
    for observation in ecociv_monitoring::feed::water(framework, &inputs) {
        if let Some(stored) = StoredObservation::of(&observation) {
            out.entry(observation.year)
                .or_insert_with(empty)
                .observations
                .push(stored);
        }
    }
    Ok(out)
}

/// After a file of `kind` was stored: computes the page's figures of the years it covers (`from`/`to`:
/// its first and last times; water: every year).
pub async fn after_import(
    store: &Store,
    code: &str,
    kind: Kind,
    span: Option<(&str, &str)>,
    progress: Option<&Import>,
) -> ApiResult<Vec<i32>> {
    match kind.medium() {
        crate::noise_soil::NOISE => return crate::noise_soil::compute_noise(store, code).await,
        crate::noise_soil::SOIL => return crate::noise_soil::compute_soil(store, code).await,
        _ => {}
    }
    if kind.medium() == AIR {
        let year = |t: &str| t.get(..4).and_then(|y| y.parse::<i32>().ok());
        let Some((Some(from), Some(to))) = span.map(|(from, to)| (year(from), year(to))) else {
            return Ok(Vec::new());
        };
        let years: Vec<i32> = (from..=to).collect();
        compute_air(store, code, &years, true, progress).await
    } else {
        compute_water(store, code).await
    }
}

/// Recomputes what is missing or stale of a zone's page: every year with readings (air: found by one
/// scan of the zone's readings' years — the one place a page's refresh reads more than one station-year
/// at a time; it runs in the background, once per import made by an older version) or the water figures.
pub async fn refresh(store: &Store, code: &str, page: &str) -> ApiResult<()> {
    if page == crate::noise_soil::NOISE {
        crate::noise_soil::compute_noise(store, code).await?;
    } else if page == crate::noise_soil::SOIL {
        crate::noise_soil::compute_soil(store, code).await?;
    } else if page == AIR {
        let mut years = store.monitoring_years(code, Kind::Air.domain()).await?;
        years.extend(store.monitoring_years(code, Kind::AirDaily.domain()).await?);
        years.sort_unstable();
        years.dedup();
        compute_air(store, code, &years, false, None).await?;
    } else {
        compute_water(store, code).await?;
    }
    Ok(())
}

/// The state of a zone's page: the years with figures, and whether any is missing or stale.
#[derive(Debug, Clone)]
pub struct PageYears {
    pub years: Vec<i32>,
    /// Files imported into the page's domains (0: nothing to show).
    pub version: i64,
    pub engine: String,
    /// Some figures are missing or stale (a recomputation is due).
    pub stale: bool,
}

/// The years of a zone's page and whether they are current: two small queries (file records, result
/// states), never the readings.
pub async fn page_years(store: &Store, framework: &Framework, code: &str, page: &str) -> ApiResult<PageYears> {
    let version = store.monitoring_file_count(code, &domains(page)).await?;
    let engine = engine(framework);
    let states = store.monitoring_result_states(code, page).await?;
    let current =
        |s: &ecociv_store::monitoring_result::MonitoringResultState| s.version == version && s.engine == engine;
    // Computed at this version (the header row) and every year's row current.
    let stale =
        version > 0 && (!states.iter().any(|s| s.year == HEADER_YEAR && current(s)) || !states.iter().all(current));
    Ok(PageYears {
        years: states.iter().map(|s| s.year).filter(|y| *y != HEADER_YEAR).collect(),
        version,
        engine,
        stale,
    })
}

/// A page's figures of `year` if current (one primary-key read), as the page's type.
pub async fn stored_result<T: for<'de> Deserialize<'de>>(
    store: &Store,
    code: &str,
    page: &str,
    year: i32,
    state: &PageYears,
) -> ApiResult<Option<T>> {
    let Some(body) = store
        .monitoring_result(code, page, year, state.version, &state.engine)
        .await?
    else {
        return Ok(None);
    };
    serde_json::from_str(&body).map(Some).map_err(ApiError::internal)
}

/// The air figures of `year` if current (one primary-key read).
pub async fn air_result(store: &Store, code: &str, year: i32, state: &PageYears) -> ApiResult<Option<AirResult>> {
    stored_result(store, code, AIR, year, state).await
}

/// The water figures of `year` if current (one primary-key read).
pub async fn water_result(store: &Store, code: &str, year: i32, state: &PageYears) -> ApiResult<Option<WaterResult>> {
    stored_result(store, code, WATER, year, state).await
}

/// The figures "compute from monitoring" saves for `year` (air and water rows of the framework), and the
/// notes on what could not be computed — from the materialized figures, recomputed first when stale.
pub async fn observations(
    store: &Store,
    framework: &Framework,
    code: &str,
    year: i32,
) -> ApiResult<ecociv_monitoring::feed::Computed> {
    let mut out = ecociv_monitoring::feed::Computed::default();
    for page in [AIR, WATER] {
        let mut state = page_years(store, framework, code, page).await?;
        if state.stale {
            refresh(store, code, page).await?;
            state = page_years(store, framework, code, page).await?;
        }
        let stored = if page == AIR {
            air_result(store, code, year, &state).await?.map(|r| {
                out.notes.extend(r.notes);
                r.observations
            })
        } else {
            water_result(store, code, year, &state).await?.map(|r| r.observations)
        };
        for observation in stored.unwrap_or_default() {
            if observation.year == year && framework.row(&observation.row).is_some() {
                out.observations.push(observation.observation()?);
            }
        }
    }
    Ok(out)
}

/// The recomputations a page asked for and not finished yet: one per (zone, page) at a time.
#[derive(Debug, Default)]
pub struct Refreshing {
    running: Mutex<HashSet<(String, String)>>,
}

impl Refreshing {
    /// Starts [`refresh`] of (zone, page) in the background unless one is running.
    pub fn spawn(self: &std::sync::Arc<Self>, store: &Store, code: &str, page: &str) {
        let key = (code.to_owned(), page.to_owned());
        {
            let mut running = self.running.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            if !running.insert(key.clone()) {
                return;
            }
        }
        let (this, store) = (self.clone(), store.clone());
        tokio::spawn(async move {
            if let Err(error) = refresh(&store, &key.0, &key.1).await {
                tracing::error!(
                    "监测数据结果计算失败 (monitoring figures not computed) {} {}: {error:?}",
                    key.0,
                    key.1
                );
            }
            this.running
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .remove(&key);
        });
    }
}
