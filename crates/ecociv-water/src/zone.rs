//! A zone's yearly water and ecology figures for the demonstration-zone indicators, with provenance.
//! Pure: works on already-read records ([`crate::ingest`]).
//!
//! - 8.1 达到或优于III类水体比例 and 8.2 劣V类水体比例: share of the zone's assessed sections (annual class by
//!   the 2011 method) at I–III and at 劣V, and their change in percentage points against a base year.
//! - 8.3 黑臭水体消除比例: registered black-odorous bodies whose verdict for the year is 不黑臭, over all
//!   registered bodies; a body without survey data that year counts as not eliminated and is named.
//! - 9 EI (HJ 192-2015) with grade and change against the base year.
//! - 23 集中式饮用水水源地水质达标率: sources whose annual class (GB 3838 basic items, 2011 method) is I–III,
//!   over all sources with data that year (surface water only; GB/T 14848 groundwater is not implemented).

use std::collections::BTreeMap;

use crate::black_odorous::{self, Level};
use crate::edition;
use crate::hj192;
use crate::ingest::{AnnualRow, BodyRow, EiRow, SurveyRow};

/// Where a figure came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Provenance {
    /// Standards and editions that produced the figure.
    pub editions: Vec<&'static str>,
    /// Units counted (sections, sources, bodies, or 1 for EI).
    pub units: usize,
    /// Samples used.
    pub samples: u64,
    /// Human-readable explanation in Chinese (what the pages and reports show; no file names).
    pub detail: String,
    /// The same in English.
    pub detail_en: String,
    /// Input files the figure was computed from (filled by [`all_figures`]).
    pub files: Vec<String>,
}

/// One computed indicator value for a zone and year.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// Indicator row id (`8.1`, `8.2`, `8.3`, `9`, `23`).
    pub row: &'static str,
    /// Year.
    pub year: i32,
    /// Value (% for shares, index for EI).
    pub value: f64,
    /// Unit (`%` or empty).
    pub unit: &'static str,
    /// Base year used for `change`, when any.
    pub base_year: Option<i32>,
    /// Change against the base year (percentage points, or ΔEI).
    pub change: Option<f64>,
    /// Provenance.
    pub provenance: Provenance,
}

/// Sections (or sources) with their annual class, as an explanation lists them: in Chinese
/// `GX-01：Ⅱ类，GX-02：劣Ⅴ类`, in English `GX-01: II, GX-02: worse than V`.
struct ClassList(Vec<(String, crate::gb3838::WaterClass)>);

impl ClassList {
    fn zh(&self) -> String {
        self.0
            .iter()
            .map(|(name, class)| format!("{name}：{}", class.zh()))
            .collect::<Vec<_>>()
            .join("，")
    }

    fn en(&self) -> String {
        self.0
            .iter()
            .map(|(name, class)| format!("{name}: {}", class.en()))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

fn section_counts(rows: &[AnnualRow], year: i32) -> (crate::evaluation2011::ClassCounts, u64, ClassList) {
    let mut samples = 0u64;
    let mut names = Vec::new();
    let classes: Vec<_> = rows
        .iter()
        .filter(|r| r.year == year)
        .filter_map(|r| {
            let c = r.class?;
            samples += u64::from(r.period.samples());
            names.push((r.section.clone(), c));
            Some(c)
        })
        .collect();
    (
        crate::evaluation2011::ClassCounts::of(classes),
        samples,
        ClassList(names),
    )
}

/// 8.1 and 8.2 for `year` from the zone's section-years; change in percentage points against `base_year`
/// when that year has assessed sections. Empty when the year has no assessed section.
pub fn section_figures(rows: &[AnnualRow], year: i32, base_year: Option<i32>) -> Vec<Figure> {
    let (counts, samples, names) = section_counts(rows, year);
    let (Some(i_iii), Some(worse_v)) = (counts.share_i_iii(), counts.share_worse_v()) else {
        return Vec::new();
    };
    let base = base_year.filter(|b| *b != year).map(|b| (b, section_counts(rows, b).0));
    let base_shares = base.and_then(|(b, c)| Some((b, c.share_i_iii()?, c.share_worse_v()?)));
    let prov = |what: &str, n: usize| Provenance {
        editions: vec![edition::GB3838, edition::EVALUATION_2011],
        units: counts.total,
        samples,
        files: Vec::new(),
        detail: format!(
            "{year} 年 {} 个断面中 {n} 个{what}（年均值单因子评价）；样品 {samples} 个；断面：{}",
            counts.total,
            names.zh(),
        ),
        detail_en: format!(
            "{year}: {n} of {} sections {what_en} (annual means, single-factor); {samples} samples; sections: {}",
            counts.total,
            names.en(),
            what_en = if what.contains("劣") {
                "worse than class V"
            } else {
                "at or better than class III"
            },
        ),
    };
    vec![
        Figure {
            row: "8.1",
            year,
            value: i_iii,
            unit: "%",
            base_year: base_shares.map(|b| b.0),
            change: base_shares.map(|b| i_iii - b.1),
            provenance: prov("达到或优于III类", counts.i_iii),
        },
        Figure {
            row: "8.2",
            year,
            value: worse_v,
            unit: "%",
            base_year: base_shares.map(|b| b.0),
            change: base_shares.map(|b| worse_v - b.2),
            provenance: prov("为劣V类", counts.worse_v),
        },
    ]
}

/// 23 for `year` from drinking-water sources' source-years (annual class I–III counts as meeting the standard).
pub fn drinking_figure(rows: &[AnnualRow], year: i32) -> Option<Figure> {
    let (counts, samples, names) = section_counts(rows, year);
    let share = counts.share_i_iii()?;
    Some(Figure {
        row: "23",
        year,
        value: share,
        unit: "%",
        base_year: None,
        change: None,
        provenance: Provenance {
            editions: vec![edition::GB3838, edition::EVALUATION_2011],
            units: counts.total,
            samples,
            files: Vec::new(),
            detail: format!(
                "{year} 年 {} 个集中式饮用水水源地中 {} 个年均水质达到III类；样品 {samples} 个；水源地：{}",
                counts.total,
                counts.i_iii,
                names.zh()
            ),
            detail_en: format!(
                "{year}: {} of {} sources meet class III (annual means); {samples} samples; sources: {}",
                counts.i_iii,
                counts.total,
                names.en()
            ),
        },
    })
}

/// Verdict of each registered body for `year` (`None` when the body has no survey data that year).
pub fn body_verdicts(
    bodies: &[BodyRow],
    survey: &[SurveyRow],
    year: i32,
    t: &black_odorous::Thresholds,
) -> Vec<(String, Option<black_odorous::BodyVerdict>, usize)> {
    bodies
        .iter()
        .map(|b| {
            let mut points: BTreeMap<u32, Vec<black_odorous::Sample>> = BTreeMap::new();
            let mut n = 0;
            for s in survey.iter().filter(|s| s.year == year && s.body == b.body) {
                points.entry(s.point_seq).or_default().push(s.sample);
                n += 1;
            }
            if points.is_empty() {
                return (b.body.clone(), None, 0);
            }
            let levels: Vec<Level> = points.values().map(|samples| t.point_verdict(samples).level).collect();
            (b.body.clone(), Some(t.body_verdict(&levels)), n)
        })
        .collect()
}

/// 8.3 for `year`: share of registered bodies judged 不黑臭. `None` without registered bodies or survey data
/// for the year.
pub fn black_odorous_figure(
    bodies: &[BodyRow],
    survey: &[SurveyRow],
    year: i32,
    t: &black_odorous::Thresholds,
) -> Option<Figure> {
    if bodies.is_empty() || !survey.iter().any(|s| s.year == year) {
        return None;
    }
    let verdicts = body_verdicts(bodies, survey, year, t);
    let eliminated = verdicts
        .iter()
        .filter(|(_, v, _)| v.as_ref().is_some_and(|v| !v.is_black_odorous()))
        .count();
    let samples: usize = verdicts.iter().map(|(_, _, n)| n).sum();
    let listing: Vec<String> = verdicts
        .iter()
        .map(|(b, v, _)| match v {
            Some(v) => format!("{b}:{}", v.level.label()),
            None => format!("{b}:无监测数据(按未消除计)"),
        })
        .collect();
    let total = bodies.len();
    Some(Figure {
        row: "8.3",
        year,
        value: 100.0 * eliminated as f64 / total as f64,
        unit: "%",
        base_year: None,
        change: None,
        provenance: Provenance {
            editions: vec![edition::BLACK_ODOROUS_2015],
            units: total,
            samples: samples as u64,
            files: Vec::new(),
            detail: format!(
                "{year} 年 {total} 个黑臭水体中 {eliminated} 个经监测判定不黑臭；样品 {samples} 个；{}",
                listing.join("，")
            ),
            detail_en: format!(
                "{year}: {eliminated} of {total} registered black-odorous bodies judged not black-odorous; {samples} samples; {}",
                listing.join(", ")
            ),
        },
    })
}

/// 9 (EI) for `year`, with ΔEI against `base_year` when that year is present.
pub fn ei_figure(rows: &[EiRow], year: i32, base_year: Option<i32>, model: &hj192::Model) -> Option<Figure> {
    let row = rows.iter().find(|r| r.year == year)?;
    let ei = model.ei(&row.sub, row.restriction);
    let base = base_year
        .filter(|b| *b != year)
        .and_then(|b| rows.iter().find(|r| r.year == b))
        .map(|r| (r.year, model.ei(&r.sub, r.restriction).value));
    let change_text = base.map_or(String::new(), |(b, v)| {
        format!(
            "；较 {b} 年 ΔEI = {:.2}（{}）",
            ei.value - v,
            model.change(ei.value, v).label()
        )
    });
    Some(Figure {
        row: "9",
        year,
        value: ei.value,
        unit: "",
        base_year: base.map(|b| b.0),
        change: base.map(|(_, v)| ei.value - v),
        provenance: Provenance {
            editions: vec![edition::HJ192],
            units: 1,
            samples: 1,
            files: Vec::new(),
            detail: format!(
                "生态环境状况指数 {:.2}（{}；加权和 {:.2}，环境限制：{}）{change_text}；{}",
                ei.value,
                ei.grade.label(),
                ei.raw,
                ei.restriction.label(),
                if row.from_land_use {
                    "分指数由土地利用和排放数据计算"
                } else {
                    "采用填报的分指数"
                },
            ),
            detail_en: format!(
                "EI {:.2} from {} (HJ 192-2015 weights; input line {})",
                ei.value,
                if row.from_land_use {
                    "sub-indices computed from land use and emissions"
                } else {
                    "the given sub-indices"
                },
                row.line
            ),
        },
    })
}

/// Every figure the inputs support, for every year present: 8.1/8.2 (change against the earliest year of
/// section data), 23, 8.3 (years with survey data), 9 (ΔEI against the previous year when present).
pub fn all_figures(z: &crate::ingest::ZoneInputs, bo: &black_odorous::Thresholds, model: &hj192::Model) -> Vec<Figure> {
    let mut out = Vec::new();
    if let Some(rows) = &z.sections {
        let years: std::collections::BTreeSet<i32> = rows.iter().map(|r| r.year).collect();
        let base = years.first().copied();
        for &y in &years {
            out.extend(section_figures(rows, y, base));
        }
    }
    if let Some(rows) = &z.drinking_sources {
        let years: std::collections::BTreeSet<i32> = rows.iter().map(|r| r.year).collect();
        out.extend(years.into_iter().filter_map(|y| drinking_figure(rows, y)));
    }
    if let (Some(bodies), Some(survey)) = (&z.bodies, &z.survey) {
        let years: std::collections::BTreeSet<i32> = survey.iter().map(|s| s.year).collect();
        out.extend(
            years
                .into_iter()
                .filter_map(|y| black_odorous_figure(bodies, survey, y, bo)),
        );
    }
    if let Some(rows) = &z.ei {
        out.extend(
            rows.iter()
                .filter_map(|r| ei_figure(rows, r.year, Some(r.year - 1), model)),
        );
    }
    for f in &mut out {
        let kinds: &[&str] = match f.row {
            "8.1" | "8.2" => &["sections"],
            "23" => &["drinking_sources"],
            "8.3" => &["black_odorous_bodies", "black_odorous"],
            _ => &["ei", "ei_land_use"],
        };
        f.provenance.files = kinds
            .iter()
            .filter_map(|k| z.files.get(k))
            .map(|p| p.display().to_string())
            .collect();
    }
    out
}
