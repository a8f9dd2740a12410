//! The monitoring feeds: computed figures → core observations, with provenance (stations or sections,
//! days or samples, files, edition). One implementation for `ecociv assess` (the binary's
//! `monitoring/` folder) and for the server's "compute from monitoring" action.
//!
//! Air (`ecociv_air::zone::ZoneYear`, 点位平均法): 7.1 优良天数比例 (%) and 7.2 PM2.5 annual mean (μg/m³); a
//! year is used only where the HJ 663 coverage rule holds, otherwise a bilingual note says why not.
//! Water (`ecociv_water::zone::Figure`): every figure whose row the framework has. Inputs labelled
//! SYNTHETIC make the observations `Source::Synthetic`.

use ecociv_air::zone::ZoneYear;
use ecociv_core::{Framework, Observation, Source, Value};
use ecociv_water::ingest::ZoneInputs;
use ecociv_water::{black_odorous, hj192, zone};

/// Observations computed from monitoring data, and notes on what could not be computed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Computed {
    pub observations: Vec<Observation>,
    /// Notes in Chinese (e.g. a year with too few valid days).
    pub notes: Vec<String>,
}

/// The air feed: 7.1 and 7.2 for every year of `years`. `files` are the input files' names (provenance);
/// a name containing `SYNTHETIC` makes the observations synthetic.
pub fn air(years: &[ZoneYear], files: &[String]) -> Computed {
    let min_days = |z: &ZoneYear| ecociv_air::hj663::params(z.edition()).days_per_valid_year;
    let synthetic = files.iter().any(|f| f.contains("SYNTHETIC"));
    let source = |method: String, edition: String, provenance: String| {
        if synthetic {
            Source::Synthetic {
                note: format!("由合成的演示监测数据计算：{method}（{edition}）；{provenance}"),
                files: files.to_vec(),
            }
        } else {
            Source::Computed {
                method,
                edition,
                provenance,
                files: files.to_vec(),
            }
        }
    };
    let mut out = Computed::default();
    for z in years {
        let a = &z.annual;
        let edition = format!("{}；{}", z.edition(), describe_aqi_editions(a.aqi_days_by_edition));
        // Chinese only and without file names: this text reaches the pages and the reports.
        let provenance = z.provenance();
        match z.good_rate_tenths() {
            Some(t) if a.valid_days >= min_days(z) => out.observations.push(Observation {
                row: "7.1".into(),
                year: z.year,
                value: Value::Number(t as f64 / 10.0),
                assigned: None,
                recorded: None,
                source: source(
                    format!(
                        "按 {} 计算优良天数比例：AQI≤100 天数 {} / 有效天数 {}",
                        z.edition().evaluation_standard(),
                        a.good_days,
                        a.valid_days
                    ),
                    edition.clone(),
                    provenance.clone(),
                ),
            }),
            _ => out.notes.push(format!(
                "注意：{} 年空气有效监测天数 {} 不足 {}，未计算 7.1",
                z.year,
                a.valid_days,
                min_days(z),
            )),
        }
        match z.pm25() {
            Some((v, true)) => out.observations.push(Observation {
                row: "7.2".into(),
                year: z.year,
                value: Value::Number(v as f64),
                assigned: None,
                recorded: None,
                source: source(
                    format!(
                        "按 {} 计算 PM2.5 年平均浓度（点位平均法）",
                        z.edition().evaluation_standard()
                    ),
                    edition,
                    provenance,
                ),
            }),
            _ => out.notes.push(format!(
                "注意：{} 年 PM2.5 日均值 {} 天，不满足年均值有效性要求，未计算 7.2",
                z.year, a.pm25.days
            )),
        }
    }
    out
}

/// Which edition(s) of HJ 633 computed the daily AQI of a year, in words.
pub fn describe_aqi_editions(days: [u32; 2]) -> String {
    match days {
        [a, 0] => format!("日 AQI 均按 HJ 633-2012（{a} 天）"),
        [0, b] => format!("日 AQI 均按 HJ 633-2026（{b} 天）"),
        [a, b] => format!("日 AQI：HJ 633-2012 {a} 天、HJ 633-2026 {b} 天"),
    }
}

/// The water feed: every figure the inputs support, as observations of the rows the framework has.
pub fn water(framework: &Framework, inputs: &ZoneInputs) -> Vec<Observation> {
    let figures = zone::all_figures(inputs, black_odorous::Thresholds::embedded(), hj192::Model::embedded());
    figures
        .into_iter()
        .filter_map(|f| {
            let (_, row) = framework.row(f.row)?;
            let method = format!("{} {}", f.row, row.name);
            let edition = f.provenance.editions.join("；");
            // A change of a share in percentage points, in the row's precision (the core's formatter).
            let change = match (f.base_year, f.change) {
                (Some(b), Some(c)) => format!("；较 {b} 年变化 {}", row.format().change(c).zh),
                _ => String::new(),
            };
            // Chinese only and without file names: this text reaches the pages and the reports.
            let provenance = format!("{}{change}", f.provenance.detail);
            let source = if inputs.synthetic {
                Source::Synthetic {
                    note: format!("由合成的演示监测数据计算：{method}（{edition}）；{provenance}"),
                    files: f.provenance.files.clone(),
                }
            } else {
                Source::Computed {
                    method,
                    edition,
                    provenance,
                    files: f.provenance.files.clone(),
                }
            };
            Some(Observation {
                row: f.row.to_string(),
                year: f.year,
                value: Value::Number(f.value),
                assigned: None,
                recorded: None,
                source,
            })
        })
        .collect()
}
