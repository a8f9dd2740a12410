//! The noise and soil page's figures (声环境与土壤, issue 19), materialized like the air and water pages'
//! ([`crate::monitoring_results`]) in the store's `monitoring_result`: page [`NOISE`] one row per year of
//! readings, page [`SOIL`] one row ([`SOIL_YEAR`]: soil samples are not dated). Written when a file of
//! their kinds is imported or corrected, read by the page, recomputed in the background when stale.
//!
//! The judgements are `ecociv noise judge`'s and `ecociv soil development|farmland`'s: the stored cells
//! rebuilt into the kind's CSV and read by the same readers (`ecociv_monitoring::kind::noise_periods`,
//! `soil_development`, `soil_farmland`), each with the standard edition that produced it.

use std::collections::BTreeMap;

use ecociv_monitoring::kind::{self, Kind, Problem};
use ecociv_store::Store;
use ecociv_store::monitoring_result::{HEADER_YEAR, MonitoringResult, PageWrite};
use serde::{Deserialize, Serialize};

use crate::error::{ApiError, ApiResult};
use crate::monitoring_results::{cells, domains, engine, stored_problem};
use crate::spool::Spooled;

/// The noise figures (GB 3096-2008), by year.
pub const NOISE: &str = "noise";
/// The soil judgements (GB 36600-2018, GB 15618-2018).
pub const SOIL: &str = "soil";
/// The year under which a zone's soil judgements are stored (samples carry no date).
pub const SOIL_YEAR: i32 = 1;

/// A level judged against its limit, dB(A) to 0.1 (the reader's rounding).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Judged {
    pub level: f64,
    pub limit: f64,
    /// 超标量 (dB), when it exceeds.
    pub exceedance: Option<f64>,
    /// Minutes the readings cover (Ld, Ln).
    pub minutes: Option<f64>,
    /// Minutes of the period (960 day, 480 night).
    pub period_minutes: Option<u32>,
}

/// One point's day (the night starting that day) as judged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoiseDay {
    pub point: String,
    /// The functional-area class code (`0`…`3`, `4a`, `4b`).
    pub class: String,
    pub date: String,
    pub day: Option<Judged>,
    pub night: Option<Judged>,
    /// The night's largest maximum level against the night limit + 15 dB(A) (5.4).
    pub night_max: Option<Judged>,
}

/// The noise figures of a year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoiseResult {
    pub edition: String,
    pub days: Vec<NoiseDay>,
    pub files: Vec<String>,
}

/// One judged soil content.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SoilRow {
    pub sample: String,
    /// `第二类用地`, or `水田` with the pH and its band.
    pub land: String,
    pub item: String,
    pub name: String,
    /// mg/kg.
    pub value: f64,
    pub screening: f64,
    pub intervention: Option<f64>,
    /// 0 not above screening, 1 above screening (no intervention value), 2 between, 3 above intervention.
    pub level: u8,
    /// The level in Chinese (the standard crate's text).
    pub level_zh: String,
    /// What the standard asks, with its clause (the standard crate's text).
    pub consequence: String,
    /// The table row the values come from.
    pub clause: String,
    /// Table 1 note ① (arsenic) where it applies.
    pub note: Option<String>,
}

/// The soil judgements of a zone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct SoilResult {
    /// GB 36600-2018 (development land).
    pub development: Vec<SoilRow>,
    /// GB 15618-2018 (agricultural land).
    pub farmland: Vec<SoilRow>,
    pub files: Vec<String>,
}

/// The rebuilt CSV of a kind's stored readings and the names of its files; `None` without readings.
async fn stored_csv(store: &Store, code: &str, kind: Kind) -> ApiResult<Option<(String, Vec<String>)>> {
    let stored = store.monitoring_cells(code, kind.domain(), "", "~").await?;
    if stored.is_empty() {
        return Ok(None);
    }
    let names = store.monitoring_files(code, kind.domain()).await?;
    let csv = crate::work::cpu(move || kind::rebuild(kind, &cells(stored))).await?;
    Ok(Some((csv, names)))
}

/// Before a noise or soil file is stored: the file read with the stored readings of its kind as the page
/// reads them ([`kind::check_with_stored`]); the problem when they refuse each other.
pub async fn check_with_stored(
    store: &Store,
    code: &str,
    kind: Kind,
    file: &str,
    spooled: &Spooled,
) -> ApiResult<Option<Problem>> {
    let Some((stored, _)) = stored_csv(store, code, kind).await? else {
        return Ok(None);
    };
    let (name, spooled) = (file.to_owned(), spooled.clone());
    crate::work::cpu(move || {
        let bytes = spooled.bytes().map_err(ApiError::internal)?;
        Ok(kind::check_with_stored(kind, &name, &stored, &bytes[..]).err())
    })
    .await?
}

/// Before a correction of a noise or soil kind is stored: the stored readings with the corrections applied
/// (supersede: the new value; retract: the reading gone) read as the page reads them. The problem names the
/// correction file's line that changed the refused row (or the file only).
pub async fn check_corrections(
    store: &Store,
    code: &str,
    kind: Kind,
    file: &str,
    lines: &[ecociv_monitoring::correction::Correction],
) -> ApiResult<Option<Problem>> {
    use ecociv_monitoring::correction::Action;
    let stored = store.monitoring_cells(code, kind.domain(), "", "~").await?;
    let mut by_key: BTreeMap<(String, String, String), kind::Cell> = cells(stored)
        .into_iter()
        .map(|c| ((c.station.clone(), c.time.clone(), c.parameter.clone()), c))
        .collect();
    // The correction line of each (station, time) it changes.
    let mut changed: BTreeMap<(String, String), u64> = BTreeMap::new();
    for line in lines {
        for cell in &line.cells {
            let key = (cell.station.clone(), cell.time.clone(), cell.parameter.clone());
            match line.action {
                Action::Retract => {
                    by_key.remove(&key);
                }
                Action::Supersede => {
                    by_key.insert(key, cell.clone());
                }
            }
            changed.insert((cell.station.clone(), cell.time.clone()), line.line);
        }
    }
    let name = file.to_owned();
    crate::work::cpu(move || {
        // The rebuilt file's rows, in its order (station, then time): row i is on line i + 2.
        let rows: Vec<(String, String)> = by_key
            .keys()
            .map(|(station, time, _)| (station.clone(), time.clone()))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let csv = kind::rebuild(kind, by_key.values());
        kind::validate(kind, &name, csv.as_bytes()).err().map(|mut problem| {
            let line = problem
                .line
                .and_then(|l| rows.get(usize::try_from(l).ok()?.checked_sub(2)?))
                .and_then(|row| changed.get(row).copied());
            problem.line = line;
            problem.column = None;
            problem.message = format!(
                "更正后的数据无法按标准读取 / the corrected data would not read: {}",
                problem.message
            );
            problem
        })
    })
    .await
}

fn judged(j: &ecociv_noise::gb3096::Judgement, minutes: Option<(f64, u32)>) -> Judged {
    Judged {
        level: j.level,
        limit: j.limit,
        exceedance: j.exceedance,
        minutes: minutes.map(|(m, _)| m),
        period_minutes: minutes.map(|(_, p)| p),
    }
}

/// The noise days of a rebuilt noise CSV, by year of the day.
fn noise_years(csv: &str) -> Result<BTreeMap<i32, Vec<NoiseDay>>, Problem> {
    let table = ecociv_noise::gb3096::Table::embedded();
    let periods = kind::noise_periods("noise", csv.as_bytes())?;
    let mut days: BTreeMap<(String, String), NoiseDay> = BTreeMap::new();
    for p in &periods {
        let day = days
            .entry((p.point.clone(), p.date.to_string()))
            .or_insert_with(|| NoiseDay {
                point: p.point.clone(),
                class: p.class.code().to_owned(),
                date: p.date.to_string(),
                day: None,
                night: None,
                night_max: None,
            });
        let level = judged(&p.leq, Some((p.minutes, table.period_minutes(p.period))));
        match p.period {
            ecociv_noise::gb3096::Period::Day => day.day = Some(level),
            ecociv_noise::gb3096::Period::Night => {
                day.night = Some(level);
                day.night_max = p.night_max.as_ref().map(|j| judged(j, None));
            }
        }
    }
    let mut out: BTreeMap<i32, Vec<NoiseDay>> = BTreeMap::new();
    for day in days.into_values() {
        let year = day.date.get(..4).and_then(|y| y.parse().ok()).unwrap_or_default();
        out.entry(year).or_default().push(day);
    }
    Ok(out)
}

/// Computes the noise figures of every year from the stored readings and writes them (years without
/// readings now are removed). Returns the years written.
pub async fn compute_noise(store: &Store, code: &str) -> ApiResult<Vec<i32>> {
    let version = store.monitoring_file_count(code, &domains(NOISE)).await?;
    let framework = crate::monitoring_results::zone_framework(store, code).await?;
    let engine = engine(&framework);
    let stored = stored_csv(store, code, Kind::Noise).await?;
    let (by_year, files) = match stored {
        Some((csv, files)) => (
            crate::work::cpu(move || noise_years(&csv))
                .await?
                .map_err(|p| stored_problem(&p))?,
            files,
        ),
        None => (BTreeMap::new(), Vec::new()),
    };
    let previous = store.monitoring_result_states(code, NOISE).await?;
    let mut results = Vec::new();
    for (year, days) in &by_year {
        let result = NoiseResult {
            edition: ecociv_noise::edition::GB3096.to_owned(),
            days: days.clone(),
            files: files.clone(),
        };
        results.push(MonitoringResult {
            zone_code: code.to_owned(),
            page: NOISE.into(),
            year: *year,
            version,
            engine: engine.clone(),
            body: serde_json::to_string(&result).map_err(ApiError::internal)?,
        });
    }
    let gone = previous
        .into_iter()
        .map(|s| s.year)
        .filter(|y| *y != HEADER_YEAR && !by_year.contains_key(y))
        .collect();
    store
        .put_monitoring_results(&PageWrite {
            zone_code: code.to_owned(),
            page: NOISE.into(),
            version,
            engine,
            results,
            remove_years: gone,
            carry_from: None,
        })
        .await?;
    Ok(by_year.keys().copied().collect())
}

fn soil_rows(development: Option<&str>, farmland: Option<&str>) -> Result<SoilResult, Problem> {
    use ecociv_soil::{gb15618, gb36600};
    let mut out = SoilResult::default();
    if let Some(csv) = development {
        for row in kind::soil_development("soil_development", csv.as_bytes())? {
            let j = &row.judgement;
            out.development.push(SoilRow {
                sample: row.sample.clone(),
                land: j.class.name_zh().to_owned(),
                item: row.pollutant.code.clone(),
                name: row.pollutant.name_zh.clone(),
                value: j.value,
                screening: j.screening,
                intervention: Some(j.intervention),
                level: match j.level {
                    gb36600::Level::AtOrBelowScreening => 0,
                    gb36600::Level::AboveScreening => 2,
                    gb36600::Level::AboveIntervention => 3,
                },
                level_zh: j.level.name_zh().to_owned(),
                consequence: j.level.consequence_zh().to_owned(),
                clause: row.pollutant.clause.clone(),
                note: (row.pollutant.background_note() && j.level > gb36600::Level::AtOrBelowScreening)
                    .then(|| ecociv_soil::ingest::ARSENIC_BACKGROUND_NOTE.to_owned()),
            });
        }
    }
    if let Some(csv) = farmland {
        for row in kind::soil_farmland("soil_farmland", csv.as_bytes())? {
            let j = &row.judgement;
            out.farmland.push(SoilRow {
                sample: row.sample.clone(),
                land: format!("{}，pH {}（{}）", j.land.name_zh(), row.ph, j.band.label()),
                item: row.item.code.clone(),
                name: row.item.name_zh.clone(),
                value: j.value,
                screening: j.screening,
                intervention: j.intervention,
                level: match j.level {
                    gb15618::Level::AtOrBelowScreening => 0,
                    gb15618::Level::AboveScreening => 1,
                    gb15618::Level::SafeUse => 2,
                    gb15618::Level::AboveIntervention => 3,
                },
                level_zh: j.level.name_zh().to_owned(),
                consequence: j.level.consequence_zh().to_owned(),
                clause: row.item.clauses.join("；"),
                note: None,
            });
        }
    }
    Ok(out)
}

/// Computes the soil judgements from the stored readings of both soil kinds and writes them (removed
/// when none is stored). Returns no year: soil samples are not dated ([`SOIL_YEAR`] is the store's key).
pub async fn compute_soil(store: &Store, code: &str) -> ApiResult<Vec<i32>> {
    let version = store.monitoring_file_count(code, &domains(SOIL)).await?;
    let framework = crate::monitoring_results::zone_framework(store, code).await?;
    let engine = engine(&framework);
    let development = stored_csv(store, code, Kind::SoilDevelopment).await?;
    let farmland = stored_csv(store, code, Kind::SoilFarmland).await?;
    let mut files = Vec::new();
    for (_, names) in development.iter().chain(farmland.iter()) {
        files.extend(names.iter().cloned());
    }
    let any = development.is_some() || farmland.is_some();
    let mut result = crate::work::cpu(move || {
        soil_rows(
            development.as_ref().map(|(csv, _)| csv.as_str()),
            farmland.as_ref().map(|(csv, _)| csv.as_str()),
        )
    })
    .await?
    .map_err(|p| stored_problem(&p))?;
    result.files = files;
    let results = if any {
        vec![MonitoringResult {
            zone_code: code.to_owned(),
            page: SOIL.into(),
            year: SOIL_YEAR,
            version,
            engine: engine.clone(),
            body: serde_json::to_string(&result).map_err(ApiError::internal)?,
        }]
    } else {
        Vec::new()
    };
    store
        .put_monitoring_results(&PageWrite {
            zone_code: code.to_owned(),
            page: SOIL.into(),
            version,
            engine,
            results,
            remove_years: if any { Vec::new() } else { vec![SOIL_YEAR] },
            carry_from: None,
        })
        .await?;
    Ok(Vec::new())
}

/// The judged contents of the soil kind `kind`'s samples in `result` (`None`: `kind` is not a soil kind).
pub fn rows_of(result: &SoilResult, kind: Kind) -> Option<&[SoilRow]> {
    match kind {
        Kind::SoilDevelopment => Some(&result.development),
        Kind::SoilFarmland => Some(&result.farmland),
        _ => None,
    }
}

/// The samples of one register record (named by [`ecociv_ledger::kind::Samples::owner`]) and the worst
/// judgement among their contents.
#[derive(Debug, Clone, PartialEq)]
pub struct OwnerSamples {
    pub samples: std::collections::BTreeSet<String>,
    /// The highest [`SoilRow::level`] and its text.
    pub worst: (u8, String),
}

/// The judged contents grouped by the record their sample belongs to.
pub fn by_owner(rows: &[SoilRow]) -> BTreeMap<String, OwnerSamples> {
    let mut owners: BTreeMap<String, OwnerSamples> = BTreeMap::new();
    for row in rows {
        let owner = ecociv_ledger::kind::Samples::owner(&row.sample).to_owned();
        let entry = owners.entry(owner).or_insert_with(|| OwnerSamples {
            samples: Default::default(),
            worst: (row.level, row.level_zh.clone()),
        });
        entry.samples.insert(row.sample.clone());
        if row.level > entry.worst.0 {
            entry.worst = (row.level, row.level_zh.clone());
        }
    }
    owners
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every bundled register kind that keeps samples names a soil kind the page judges (the ledger crate
    /// does not know the monitoring kinds; a misspelt kind would show 无样品 forever).
    #[test]
    fn every_bundled_kinds_samples_are_of_a_judged_soil_kind() {
        let framework = ecociv_data::bundled::framework("national-2021").unwrap();
        let kinds = ecociv_ledger::bundled::kinds(&framework).unwrap();
        let with: Vec<_> = kinds
            .iter()
            .filter_map(|k| Some((k.id.as_str(), k.samples.as_ref()?)))
            .collect();
        assert!(with.iter().any(|(id, _)| *id == "contaminated_land"), "{with:?}");
        for (id, samples) in with {
            let kind = Kind::parse(&samples.kind).unwrap_or_else(|| panic!("{id}: unknown kind {}", samples.kind));
            assert!(
                rows_of(&SoilResult::default(), kind).is_some(),
                "{id}: {} is not judged",
                samples.kind
            );
        }
        assert!(rows_of(&SoilResult::default(), Kind::Noise).is_none());
    }

    #[test]
    fn samples_are_grouped_by_their_plot_with_the_worst_level() {
        let row = |sample: &str, level: u8, text: &str| SoilRow {
            sample: sample.into(),
            land: String::new(),
            item: String::new(),
            name: String::new(),
            value: 0.0,
            screening: 0.0,
            intervention: None,
            level,
            level_zh: text.into(),
            consequence: String::new(),
            clause: String::new(),
            note: None,
        };
        let owners = by_owner(&[
            row("甲-S1", 0, "不超过筛选值"),
            row("甲-S1", 3, "超过管制值"),
            row("甲-S2", 2, "超过筛选值、不超过管制值"),
            row("乙", 0, "不超过筛选值"),
        ]);
        assert_eq!(owners["甲"].samples.len(), 2);
        assert_eq!(owners["甲"].worst, (3, "超过管制值".to_owned()));
        assert_eq!(owners["乙"].worst.0, 0);
        assert_eq!(owners.len(), 2);
    }
}
