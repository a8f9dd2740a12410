//! CSV ingestion (the IO edge of this crate): soil sample contents, one item per line, read over any
//! `impl Read` and judged against the standard.
//!
//! Formats (UTF-8, a BOM accepted, header names case-insensitive, column order free, contents in mg/kg):
//! - development land (GB 36600-2018): `sample,class,item,value` — `class` `1`/`2` (or `第一类用地` …; empty:
//!   planned use not clear, first class per 7.1);
//! - agricultural land (GB 15618-2018): `sample,land,ph,item,value` — `land` 水田/旱地/水浇地/果园/水旱轮作/其他,
//!   `ph` the sample's soil pH.
//!
//! `item` is a code, the Chinese name or (GB 36600) a CAS number. A sample's class, land or pH must be the
//! same on all its lines and an item may appear once per sample. Errors name line, column and field; any
//! error refuses the whole file.

use std::collections::HashMap;
use std::io::Read;

use ecociv_csvline::excerpt;
use ecociv_csvrecords::{Fields, Records};

use crate::{gb15618, gb36600};

/// The most errors collected before reading stops.
pub const MAX_ERRORS: usize = 100;

/// An input error, located by line and column: the project's one located error (`ecociv_csvline::Located`,
/// built with `Located::in_stream`; the file is named by the caller, `Located::in_file`).
pub use ecociv_csvline::Located as IngestError;

/// One judged line of a development-land file.
#[derive(Debug, Clone, PartialEq)]
pub struct DevelopmentRow<'t> {
    /// The input line.
    pub line: u64,
    /// 样品编号.
    pub sample: String,
    /// The pollutant.
    pub pollutant: &'t gb36600::Pollutant,
    /// The judgement.
    pub judgement: gb36600::Judgement,
}

/// One judged line of an agricultural-land file.
#[derive(Debug, Clone, PartialEq)]
pub struct FarmlandRow<'t> {
    /// The input line.
    pub line: u64,
    /// 样品编号.
    pub sample: String,
    /// The sample's soil pH as given.
    pub ph: f64,
    /// The item.
    pub item: &'t gb15618::Item,
    /// The judgement.
    pub judgement: gb15618::Judgement,
}

/// The soil readers' own checks of a field, on the shared record reader's fields.
trait SoilFields {
    fn sample(&self, col: usize) -> Result<&str, IngestError>;
    fn content(&self, col: usize) -> Result<f64, IngestError>;
}

impl SoilFields for Fields<'_> {
    fn sample(&self, col: usize) -> Result<&str, IngestError> {
        let t = self.required(col)?;
        if let Some(problem) = ecociv_csvline::name_problem(t) {
            return Err(self.err(col, format!("{problem}: \"{}\"", excerpt(t))));
        }
        Ok(t)
    }

    fn content(&self, col: usize) -> Result<f64, IngestError> {
        let t = self.required(col)?;
        let v: f64 = t
            .parse()
            .ok()
            .filter(|v: &f64| v.is_finite())
            .ok_or_else(|| self.err(col, format!("无法解析含量 “{}” / cannot parse the content", excerpt(t))))?;
        if v < 0.0 {
            return Err(self.err(
                col,
                format!("含量不能为负 / content must not be negative: {}", excerpt(t)),
            ));
        }
        if v > ecociv_csvline::MAX_READING {
            return Err(self.err(col, ecociv_csvline::text::reading_too_large(t)));
        }
        Ok(v)
    }
}

/// Remembers each sample's attributes and items, to refuse a change within a sample or a repeated item.
struct Samples<A> {
    seen: HashMap<String, (A, u64)>,
    items: HashMap<(String, String), u64>,
}

impl<A: PartialEq + Copy> Samples<A> {
    fn new() -> Self {
        Self {
            seen: HashMap::new(),
            items: HashMap::new(),
        }
    }

    /// `Err(first line)` when the sample had other attributes; `Err` also for a repeated item.
    fn check(&mut self, sample: &str, attrs: A, item: &str, line: u64) -> Result<(), (bool, u64)> {
        match self.seen.get(sample) {
            Some(&(a, first)) if a != attrs => return Err((true, first)),
            Some(_) => {}
            None => {
                self.seen.insert(sample.to_string(), (attrs, line));
            }
        }
        if let Some(&first) = self.items.get(&(sample.to_string(), item.to_string())) {
            return Err((false, first));
        }
        self.items.insert((sample.to_string(), item.to_string()), line);
        Ok(())
    }
}

fn collect<T>(
    mut step: impl FnMut() -> Result<Option<Result<T, IngestError>>, IngestError>,
) -> Result<Vec<T>, Vec<IngestError>> {
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    loop {
        match step() {
            Ok(None) => break,
            Ok(Some(Ok(row))) => rows.push(row),
            Ok(Some(Err(e))) => errors.push(e),
            Err(e) => {
                errors.push(e);
                break;
            }
        }
        if errors.len() >= MAX_ERRORS {
            break;
        }
    }
    if errors.is_empty() { Ok(rows) } else { Err(errors) }
}

/// Reads a development-land file and judges every line against GB 36600-2018 `table`.
pub fn read_development<R: Read>(
    input: R,
    table: &gb36600::Table,
) -> Result<Vec<DevelopmentRow<'_>>, Vec<IngestError>> {
    let mut r = Records::open(input).map_err(|e| vec![e])?;
    let cols = (|| {
        Ok::<_, IngestError>((
            r.column("sample")?,
            r.column("class")?,
            r.column("item")?,
            r.column("value")?,
        ))
    })()
    .map_err(|e| vec![e])?;
    let (c_sample, c_class, c_item, c_value) = cols;
    let mut samples = Samples::new();
    collect(|| {
        let Some(line) = r.next_line()? else { return Ok(None) };
        let row = (|| {
            let f = r.fields(line)?;
            let sample = f.sample(c_sample)?;
            let class_text = f.text(c_class)?;
            let class = gb36600::LandClass::parse(class_text).ok_or_else(|| {
                f.err(
                    c_class,
                    format!(
                        "用地类别应为 1 或 2（空为规划用途不明确，按第一类）/ class must be 1 or 2: “{}”",
                        excerpt(class_text)
                    ),
                )
            })?;
            let item_text = f.required(c_item)?;
            let pollutant = table.find(item_text).ok_or_else(|| {
                f.err(
                    c_item,
                    format!(
                        "GB 36600-2018 表1 无此项目 “{}”（可用代码、中文名或 CAS 号）/ not an item of Table 1 (code, Chinese name or CAS number)",
                        excerpt(item_text)
                    ),
                )
            })?;
            let value = f.content(c_value)?;
            samples.check(sample, class, &pollutant.code, line).map_err(|(attrs, first)| {
                if attrs {
                    f.err(c_class, format!("样品 “{}” 在第 {first} 行的用地类别不同 / sample \"{}\" has another class on line {first}", excerpt(sample), excerpt(sample)))
                } else {
                    f.err(c_item, format!("样品 “{}” 的 {} 已在第 {first} 行 / sample \"{}\" already has {} on line {first}", excerpt(sample), pollutant.name_zh, excerpt(sample), pollutant.code))
                }
            })?;
            Ok(DevelopmentRow {
                line,
                sample: sample.to_string(),
                pollutant,
                judgement: table.judge(pollutant, class, value),
            })
        })();
        Ok(Some(row))
    })
}

/// Reads an agricultural-land file and judges every line against GB 15618-2018 `table`.
pub fn read_farmland<R: Read>(input: R, table: &gb15618::Table) -> Result<Vec<FarmlandRow<'_>>, Vec<IngestError>> {
    let mut r = Records::open(input).map_err(|e| vec![e])?;
    let cols = (|| {
        Ok::<_, IngestError>((
            r.column("sample")?,
            r.column("land")?,
            r.column("ph")?,
            r.column("item")?,
            r.column("value")?,
        ))
    })()
    .map_err(|e| vec![e])?;
    let (c_sample, c_land, c_ph, c_item, c_value) = cols;
    let mut samples = Samples::new();
    collect(|| {
        let Some(line) = r.next_line()? else { return Ok(None) };
        let row = (|| {
            let f = r.fields(line)?;
            let sample = f.sample(c_sample)?;
            let land_text = f.required(c_land)?;
            let land = gb15618::LandUse::parse(land_text).ok_or_else(|| {
                f.err(
                    c_land,
                    format!("农用地类型应为 水田、旱地、水浇地、果园、水旱轮作 或 其他 / land must be paddy, dry, orchard, rotation or other: “{}”", excerpt(land_text)),
                )
            })?;
            let ph_text = f.required(c_ph)?;
            let ph: f64 = ph_text
                .parse()
                .ok()
                .filter(|p| gb15618::PhBand::of(*p).is_some())
                .ok_or_else(|| {
                    f.err(
                        c_ph,
                        format!(
                            "pH 应为 0–14 之间的数 / pH must be a number within 0–14: “{}”",
                            excerpt(ph_text)
                        ),
                    )
                })?;
            let Some(band) = gb15618::PhBand::of(ph) else {
                return Err(f.err(c_ph, "pH 超出范围 / pH out of range".into()));
            };
            let item_text = f.required(c_item)?;
            let item = table.find(item_text).ok_or_else(|| {
                f.err(
                    c_item,
                    format!(
                        "GB 15618-2018 表1、表2 无此项目 “{}” / not an item of Tables 1–2",
                        excerpt(item_text)
                    ),
                )
            })?;
            let value = f.content(c_value)?;
            samples.check(sample, (land, ph.to_bits()), &item.code, line).map_err(|(attrs, first)| {
                if attrs {
                    f.err(c_land, format!("样品 “{}” 在第 {first} 行的农用地类型或 pH 不同 / sample \"{}\" has another land use or pH on line {first}", excerpt(sample), excerpt(sample)))
                } else {
                    f.err(c_item, format!("样品 “{}” 的 {} 已在第 {first} 行 / sample \"{}\" already has {} on line {first}", excerpt(sample), item.name_zh, excerpt(sample), item.code))
                }
            })?;
            let judgement = table.judge(item, land, band, value).ok_or_else(|| {
                f.err(
                    c_item,
                    format!(
                        "{} 无 {} 的筛选值 / no screening value for this land use",
                        item.name_zh,
                        land.name_zh()
                    ),
                )
            })?;
            Ok(FarmlandRow {
                line,
                sample: sample.to_string(),
                ph,
                item,
                judgement,
            })
        })();
        Ok(Some(row))
    })
}

/// Table 1 note ① of GB 36600-2018, shown with an arsenic content above the screening value.
pub const ARSENIC_BACKGROUND_NOTE: &str = "表1注①：超过筛选值但等于或者低于土壤环境背景值水平的，不纳入污染地块管理";

/// Writes judged development-land lines as CSV: `line,sample,class,item,name,value,screening,intervention,
/// level,consequence,note,edition` (contents in mg/kg as given).
pub fn write_development_csv<W: std::io::Write>(rows: &[DevelopmentRow<'_>], output: W) -> Result<(), csv::Error> {
    let mut out = csv::WriterBuilder::new().from_writer(output);
    out.write_record([
        "line",
        "sample",
        "class",
        "item",
        "name",
        "value",
        "screening",
        "intervention",
        "level",
        "consequence",
        "note",
        "edition",
    ])?;
    for r in rows {
        let j = &r.judgement;
        let note = if r.pollutant.background_note() && j.level > gb36600::Level::AtOrBelowScreening {
            ARSENIC_BACKGROUND_NOTE
        } else {
            ""
        };
        out.write_record([
            r.line.to_string().as_str(),
            &ecociv_csvline::neutralise_formula(&r.sample),
            j.class.name_zh(),
            &r.pollutant.code,
            &r.pollutant.name_zh,
            &j.value.to_string(),
            &j.screening.to_string(),
            &j.intervention.to_string(),
            j.level.name_zh(),
            j.level.consequence_zh(),
            note,
            crate::edition::GB36600,
        ])?;
    }
    out.flush()?;
    Ok(())
}

/// Writes judged agricultural-land lines as CSV: `line,sample,land,ph,ph_band,item,name,value,screening,
/// intervention,level,consequence,edition` (contents in mg/kg as given; no intervention value: empty).
pub fn write_farmland_csv<W: std::io::Write>(rows: &[FarmlandRow<'_>], output: W) -> Result<(), csv::Error> {
    let mut out = csv::WriterBuilder::new().from_writer(output);
    out.write_record([
        "line",
        "sample",
        "land",
        "ph",
        "ph_band",
        "item",
        "name",
        "value",
        "screening",
        "intervention",
        "level",
        "consequence",
        "edition",
    ])?;
    for r in rows {
        let j = &r.judgement;
        out.write_record([
            r.line.to_string().as_str(),
            &ecociv_csvline::neutralise_formula(&r.sample),
            j.land.name_zh(),
            &r.ph.to_string(),
            j.band.label(),
            &r.item.code,
            &r.item.name_zh,
            &j.value.to_string(),
            &j.screening.to_string(),
            &j.intervention.map(|i| i.to_string()).unwrap_or_default(),
            j.level.name_zh(),
            j.level.consequence_zh(),
            crate::edition::GB15618,
        ])?;
    }
    out.flush()?;
    Ok(())
}
