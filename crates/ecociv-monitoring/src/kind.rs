//! The monitoring file kinds the CLI reads (`monitoring/air/*.csv` — hourly, or daily for the years
//! without hours —, `monitoring/water/NAME.csv`, EI from land use included, and the inputs of
//! `ecociv noise judge` and `ecociv soil development|farmland`), as the server stores them: validated first by the standards crate's own reader (so an upload is refused
//! exactly where `ecociv assess` would refuse the file, naming file, line and field), then split into
//! cells — one per (station, time, parameter) — and rebuilt into the same CSV for computation.
//!
//! A cell keeps the number where the text is one, and the text itself as the flag where it is not exactly
//! that number's shortest rendering (`0.00004L` below detection, `river`, a name, `12.0`), so the rebuilt
//! file reads as the uploaded one. Columns outside the kind's format are not kept; a row whose
//! parameter cells are all empty adds nothing. Two rows with the same station and time in one file are
//! refused (a stored reading is never overwritten).

use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::ops::ControlFlow;

use ecociv_air::EditionChoice;
use ecociv_air::hj663::DayRecord;
use ecociv_air::ingest::{DAILY_HEADER, HOURLY_HEADER, IngestError, ReadOptions, StationValues};
use ecociv_air::zone::{ZoneEngine, ZoneYear};
use ecociv_csvline::LineCounter;
use ecociv_water::evaluation2011::{PeriodAccumulator, Thresholds};
use ecociv_water::gb3838::{Item, Table, WaterClass, Waterbody};
use ecociv_water::ingest::{self as water_ingest, SampleTimes, ZoneInputs, ZoneSource, canonical_time};

/// A monitoring file kind (监测数据类型).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// Hourly air data: `station,date,hour,so2,no2,pm10,co,o3,pm25` (ecociv-air, HJ 663).
    Air,
    /// Daily air values: `station,date,so2,no2,pm10,co,o3_1h,o3_8h,pm25` (`ecociv air daily`'s input); they
    /// give 7.1/7.2 of the years without hourly data.
    AirDaily,
    /// Surface-water sections (`sections.csv`, GB 3838 samples).
    Sections,
    /// Drinking-water sources (`drinking_sources.csv`).
    DrinkingSources,
    /// The register of black-odorous water bodies (`black_odorous_bodies.csv`).
    BlackOdorousBodies,
    /// The black-odorous survey (`black_odorous.csv`).
    BlackOdorous,
    /// EI sub-indices (`ei.csv`, HJ 192).
    Ei,
    /// EI from land use, water and emissions (`ei_land_use.csv`, HJ 192: the sub-indices computed).
    EiLandUse,
    /// Noise readings: `point,class,date,start,minutes,leq[,lmax]` (`ecociv noise judge`'s input, GB 3096-2008).
    Noise,
    /// Development-land soil contents: `sample,class,item,value` (`ecociv soil development`'s input,
    /// GB 36600-2018).
    SoilDevelopment,
    /// Agricultural-land soil contents: `sample,land,ph,item,value` (`ecociv soil farmland`'s input,
    /// GB 15618-2018).
    SoilFarmland,
}

/// Water sample columns: key columns, then GB 3838 items.
fn sample_columns() -> Vec<&'static str> {
    let mut c = vec!["section", "date", "waterbody"];
    c.extend(Item::ALL.iter().map(|i| i.code()));
    c
}

impl Kind {
    /// Every kind; water kinds in the order `ecociv-water` reads a folder.
    pub const ALL: [Kind; 11] = [
        Kind::Air,
        Kind::AirDaily,
        Kind::Sections,
        Kind::DrinkingSources,
        Kind::BlackOdorousBodies,
        Kind::BlackOdorous,
        Kind::Ei,
        Kind::EiLandUse,
        Kind::Noise,
        Kind::SoilDevelopment,
        Kind::SoilFarmland,
    ];

    /// The code used in URLs and forms (for water: the file name of the CLI's folder).
    pub fn code(self) -> &'static str {
        match self {
            Kind::Air => "air",
            Kind::AirDaily => "air_daily",
            Kind::Sections => "sections",
            Kind::DrinkingSources => "drinking_sources",
            Kind::BlackOdorousBodies => "black_odorous_bodies",
            Kind::BlackOdorous => "black_odorous",
            Kind::Ei => "ei",
            Kind::EiLandUse => "ei_land_use",
            Kind::Noise => "noise",
            Kind::SoilDevelopment => "soil_development",
            Kind::SoilFarmland => "soil_farmland",
        }
    }

    /// The kind of a code.
    pub fn parse(code: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// `air`, `water`, `noise` or `soil`: the figures the kind's files feed.
    pub fn medium(self) -> &'static str {
        match self {
            Kind::Air | Kind::AirDaily => "air",
            Kind::Noise => "noise",
            Kind::SoilDevelopment | Kind::SoilFarmland => "soil",
            _ => "water",
        }
    }

    /// The store's monitoring domain of this kind: `air`, `water.sections`, ….
    pub fn domain(self) -> &'static str {
        match self {
            Kind::Air => "air",
            Kind::AirDaily => "air.daily",
            Kind::Sections => "water.sections",
            Kind::DrinkingSources => "water.drinking_sources",
            Kind::BlackOdorousBodies => "water.black_odorous_bodies",
            Kind::BlackOdorous => "water.black_odorous",
            Kind::Ei => "water.ei",
            Kind::EiLandUse => "water.ei_land_use",
            Kind::Noise => "noise",
            Kind::SoilDevelopment => "soil.development",
            Kind::SoilFarmland => "soil.farmland",
        }
    }

    /// The columns of the kind's format, key columns first.
    pub fn columns(self) -> Vec<&'static str> {
        match self {
            Kind::Air => HOURLY_HEADER.to_vec(),
            Kind::AirDaily => DAILY_HEADER.to_vec(),
            Kind::Sections | Kind::DrinkingSources => sample_columns(),
            Kind::BlackOdorousBodies => vec!["body", "name"],
            Kind::BlackOdorous => {
                vec![
                    "body",
                    "point_seq",
                    "date",
                    "depth_cm",
                    "transparency_cm",
                    "clear_to_bottom",
                    "do",
                    "orp",
                    "nh3n",
                ]
            }
            Kind::Ei => water_ingest::EI_COLUMNS
                .iter()
                .copied()
                .chain(["restriction"])
                .collect(),
            Kind::EiLandUse => std::iter::once("year")
                .chain(
                    water_ingest::EI_LAND_USE_COLUMNS
                        .iter()
                        .map(|c| c.trim_end_matches('?')),
                )
                .collect(),
            Kind::Noise => vec!["point", "class", "date", "start", "minutes", "leq", "lmax"],
            Kind::SoilDevelopment => vec!["sample", "class", "item", "value"],
            Kind::SoilFarmland => vec!["sample", "land", "ph", "item", "value"],
        }
    }

    /// The kinds a file of this kind is read together with, whose rows its reader checks against its own
    /// (`ecociv_water::ingest::read_zone_sources`): a year of EI given by both EI files, a survey's body
    /// missing from the register. An import checks the file with the stored data of these kinds, so that
    /// what is stored always reads.
    pub fn read_with(self) -> &'static [Kind] {
        match self {
            Kind::Ei => &[Kind::EiLandUse],
            Kind::EiLandUse => &[Kind::Ei],
            Kind::BlackOdorous => &[Kind::BlackOdorousBodies],
            _ => &[],
        }
    }

    /// Columns that make the station (joined by `|`).
    fn station_columns(self) -> &'static [&'static str] {
        match self {
            Kind::Air | Kind::AirDaily => &["station"],
            Kind::Sections | Kind::DrinkingSources => &["section"],
            Kind::BlackOdorousBodies => &["body"],
            Kind::BlackOdorous => &["body", "point_seq"],
            Kind::Ei | Kind::EiLandUse => &[],
            Kind::Noise => &["point"],
            // A sample's item is one reading (the soil readers refuse an item twice in a sample).
            Kind::SoilDevelopment | Kind::SoilFarmland => &["sample", "item"],
        }
    }

    /// Columns that make the time (air: `date` + `hour` as `YYYY-MM-DDTHH`).
    fn time_columns(self) -> &'static [&'static str] {
        match self {
            Kind::Air => &["date", "hour"],
            Kind::AirDaily | Kind::Sections | Kind::DrinkingSources | Kind::BlackOdorous => &["date"],
            Kind::BlackOdorousBodies | Kind::SoilDevelopment | Kind::SoilFarmland => &[],
            Kind::Ei | Kind::EiLandUse => &["year"],
            // `YYYY-MM-DDTHH:MM`.
            Kind::Noise => &["date", "start"],
        }
    }

    fn is_key(self, column: &str) -> bool {
        self.station_columns().contains(&column) || self.time_columns().contains(&column)
    }

    /// The unit of a parameter (as stored with its series).
    pub fn unit(self, parameter: &str) -> &'static str {
        match (self, parameter) {
            (Kind::Air | Kind::AirDaily, "co") => "mg/m³",
            (Kind::Air | Kind::AirDaily, _) => "μg/m³",
            (Kind::Sections | Kind::DrinkingSources, "waterbody") => "",
            (Kind::Sections | Kind::DrinkingSources, "ph") => "无量纲",
            (Kind::Sections | Kind::DrinkingSources, "fc") => "个/L",
            (Kind::Sections | Kind::DrinkingSources, _) => "mg/L",
            (Kind::BlackOdorous, "depth_cm" | "transparency_cm") => "cm",
            (Kind::BlackOdorous, "do" | "nh3n") => "mg/L",
            (Kind::BlackOdorous, "orp") => "mV",
            (Kind::EiLandUse, "mean_ndvi" | "biodiversity_index" | "restriction") => "",
            (Kind::EiLandUse, "river_length_km") => "km",
            (Kind::EiLandUse, "water_resources" | "water_resources_mean") => "10⁴ m³",
            (Kind::EiLandUse, "precipitation_mm") => "mm",
            (Kind::EiLandUse, p) if p.ends_with("_t") => "t",
            (Kind::EiLandUse, _) => "km²",
            (Kind::Noise, "leq" | "lmax") => "dB(A)",
            (Kind::Noise, "minutes") => "min",
            (Kind::SoilDevelopment | Kind::SoilFarmland, "value") => "mg/kg",
            (Kind::SoilFarmland, "ph") => "无量纲",
            _ => "",
        }
    }
}

/// A refused upload: where and why (the standards crate's own message) — the project's one located error,
/// `ecociv_csvline::Located`, as the standards crate's reader made it, with the file named here.
pub use ecociv_csvline::Located as Problem;

fn air_problem(file: &str, e: IngestError) -> Problem {
    match e {
        IngestError::Input(i) => i.in_file(file),
        other => Problem::new(file, other.to_string()),
    }
}

fn water_problem(file: &str, e: water_ingest::IngestError) -> Problem {
    e.in_file(file)
}

/// The first of the problems a noise or soil reader found (sorted by line), in `file`.
fn first_problem(file: &str, errors: Vec<ecociv_csvline::Located>) -> Problem {
    errors
        .into_iter()
        .min_by_key(|e| e.line)
        .map_or_else(|| Problem::new(file, "无法读取 / unreadable"), |e| e.in_file(file))
}

/// One stored cell: a parameter of a station at a time.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// The station (section, body and point, …; key columns joined by `|`; empty for zone-wide data).
    pub station: String,
    /// The time: `YYYY-MM-DDTHH` for air, the date (or year) as written otherwise; empty for a register.
    pub time: String,
    pub parameter: String,
    /// The number, where the text is one.
    pub value: Option<f64>,
    /// The text, where it is not exactly the number's shortest rendering; empty otherwise.
    pub flag: String,
}

impl Cell {
    /// The cell's text in the rebuilt CSV.
    pub fn text(&self) -> String {
        let mut text = String::new();
        write_text(&mut text, self.value, &self.flag);
        text
    }
}

/// Writes a stored cell's text — its flag where it has one (the text as given, when it is not exactly the
/// number's shortest rendering), else its number — after what `out` holds.
fn write_text(out: &mut String, value: Option<f64>, flag: &str) {
    if !flag.is_empty() {
        out.push_str(flag);
    } else if let Some(value) = value {
        use std::fmt::Write as _;
        // Writing to a String cannot fail.
        let _ = write!(out, "{value}");
    }
}

/// A stored reading of one station as a store hands it over: its parameter (the file's column), its
/// time's key ([`ecociv_core::reading_time::time_key`]), its number and its flag (as in [`Cell`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StoredReading<'a> {
    pub parameter: &'a str,
    pub at: i64,
    pub value: Option<f64>,
    pub flag: &'a str,
}

/// An upload read and validated.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    pub kind: Kind,
    /// Data rows (blank lines not counted).
    pub rows: usize,
    /// Distinct stations (sections, bodies…).
    pub stations: usize,
    /// First and last time, when any.
    pub span: Option<(String, String)>,
    pub cells: Vec<Cell>,
}

/// Validates `bytes` as a file of `kind` with its standards crate's reader, then splits it into cells.
/// `file` names the upload in errors; `zone` labels the air engine.
pub fn parse(kind: Kind, file: &str, bytes: &[u8]) -> Result<Parsed, Problem> {
    validate(kind, file, bytes)?;
    let mut cells = Vec::new();
    let summary = split(kind, file, bytes, |cell| {
        cells.push(cell);
        ControlFlow::Continue(())
    })?
    .unwrap_or_default();
    Ok(Parsed {
        kind,
        rows: summary.rows,
        stations: summary.stations,
        span: summary.span,
        cells,
    })
}

/// What [`split`] read: data rows, distinct stations, the first and last time, and the cells given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub rows: usize,
    pub stations: usize,
    pub span: Option<(String, String)>,
    pub cells: u64,
}

/// Validates a file of `kind` read from `input` with its standards crate's **own reader**, as
/// `ecociv assess` reads the CLI's folder: every value, the order and the repeats the reader checks. A
/// stream: memory does not grow with the file (the air engine keeps one open day per station; the
/// water readers one record per section and year).
pub fn validate(kind: Kind, file: &str, input: impl Read) -> Result<(), Problem> {
    let bytes = input;
    let (table, thresholds) = (Table::embedded(), Thresholds::embedded());
    match kind {
        Kind::Air => {
            // The same reader and engine as `ecociv assess` over `monitoring/air/`: order and duplicates too.
            let mut engine = ZoneEngine::new("", None, EditionChoice::ByDate);
            ecociv_air::ingest::read_hourly(
                bytes,
                &ReadOptions {
                    source: file.to_owned(),
                    skip_bad: false,
                },
                |row| engine.push(row),
            )
            .map_err(|e| air_problem(file, e))?;
        }
        Kind::Sections | Kind::DrinkingSources => {
            water_ingest::annual(bytes, table, thresholds).map_err(|e| water_problem(file, e))?;
        }
        Kind::BlackOdorousBodies => {
            water_ingest::read_bodies(bytes).map_err(|e| water_problem(file, e))?;
        }
        Kind::BlackOdorous => {
            water_ingest::read_survey(bytes).map_err(|e| water_problem(file, e))?;
        }
        Kind::Ei => {
            water_ingest::read_ei(bytes).map_err(|e| water_problem(file, e))?;
        }
        Kind::AirDaily => {
            ecociv_air::ingest::read_daily(
                bytes,
                &ReadOptions {
                    source: file.to_owned(),
                    skip_bad: false,
                },
                |_| Ok(()),
            )
            .map_err(|e| air_problem(file, e))?;
        }
        Kind::EiLandUse => {
            water_ingest::read_ei_land_use(bytes, ecociv_water::hj192::Model::embedded())
                .map_err(|e| water_problem(file, e))?;
        }
        // The noise and soil readers hold the file's judgements (a point's periods, a file's contents):
        // these files are a county's few points and samples.
        Kind::Noise => {
            noise_periods(file, bytes)?;
        }
        Kind::SoilDevelopment => {
            soil_development(file, bytes)?;
        }
        Kind::SoilFarmland => {
            soil_farmland(file, bytes)?;
        }
    }
    Ok(())
}

/// Splits a validated file (see [`validate`]) read from `input` into cells, giving each to `sink` in
/// file order; a sink answering `Break` stops the reading (`Ok(None)`). A stream: for hourly and daily
/// air, memory holds the station names only (their readers, run by [`validate`] first, have refused a
/// repeated station and hour or day, keeping a line number per station-day; a repeat past them is still
/// refused by the store); for the other kinds, whose files are samples rather than hours, a repeated
/// (station, time) is refused naming both lines — for water samples, files of any size, with each
/// section's times in `ecociv_water`'s bounded [`SampleTimes`] (at most a table of days per year), for
/// the other kinds' small files each (station, time) kept.
pub fn split(
    kind: Kind,
    file: &str,
    input: impl Read,
    mut sink: impl FnMut(Cell) -> ControlFlow<()>,
) -> Result<Option<Summary>, Problem> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(LineCounter::new(input));
    let problem = |line: u64, column: Option<usize>, field: Option<String>, message: String| Problem {
        file: file.to_owned(),
        line: (line > 0).then_some(line),
        column,
        field,
        message,
        ..Default::default()
    };
    let mut rec = csv::StringRecord::new();
    let mut header: Option<Vec<String>> = None;
    let columns = kind.columns();
    let mut given = 0u64;
    let mut keys: HashMap<(String, String), u64> = HashMap::new();
    let mut sample_times: HashMap<String, SampleTimes> = HashMap::new();
    let mut stations = std::collections::HashSet::new();
    let mut rows = 0usize;
    let mut span: Option<(String, String)> = None;
    loop {
        let more = rdr.read_record(&mut rec);
        let line = |rdr: &csv::Reader<LineCounter<_>>, pos: Option<&csv::Position>| {
            pos.map_or(0, |p| rdr.get_ref().line_at(p.byte()))
        };
        let more = match more {
            Ok(more) => more,
            Err(e) => {
                let at = line(&rdr, e.position());
                return Err(problem(
                    at,
                    None,
                    None,
                    format!("CSV 格式错误或非 UTF-8 编码 / malformed CSV or not UTF-8: {e}"),
                ));
            }
        };
        if !more {
            break;
        }
        let at = line(&rdr, rec.position());
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let Some(names) = &header else {
            header = Some(ecociv_csvline::header_names(&rec));
            continue;
        };
        rows += 1;
        let get = |name: &str| {
            names
                .iter()
                .position(|n| n == name)
                .map(|i| (i, rec.get(i).unwrap_or("").trim()))
        };
        let mut station = Vec::new();
        for name in kind.station_columns() {
            let (i, text) = get(name).unwrap_or((0, ""));
            if text.contains('|') {
                return Err(problem(
                    at,
                    Some(i + 1),
                    Some((*name).to_owned()),
                    "不能含有“|” / must not contain \"|\"".into(),
                ));
            }
            station.push(if *name == "item" {
                item_code(kind, text)
            } else {
                text.to_owned()
            });
        }
        let station = station.join("|");
        let time = match kind {
            // The noise reader takes `YYYY-MM-DD` and `H:MM` or `HH:MM`: one spelling, `YYYY-MM-DDTHH:MM`.
            Kind::Noise => canonical_time(&format!(
                "{} {}",
                get("date").map_or("", |(_, t)| t),
                get("start").map_or("", |(_, t)| t)
            )),
            Kind::Air => {
                // The air reader accepts `YYYY-MM-DD` and `YYYY/MM/DD`: one spelling, so times sort by date.
                let date = get("date").map_or(String::new(), |(_, t)| t.replace('/', "-"));
                let hour: u8 = get("hour").and_then(|(_, t)| t.parse().ok()).unwrap_or(0);
                format!("{date}T{hour:02}")
            }
            // The water readers accept `2023-01-05`, `2023/1/5` and a time after the date: one spelling
            // (`YYYY-MM-DD`, then `THH:MM` when a time is given), so a sample cannot be stored twice under two
            // spellings and times sort by date.
            _ => kind
                .time_columns()
                .iter()
                .map(|name| get(name).map_or(String::new(), |(_, t)| canonical_time(t)))
                .collect::<Vec<_>>()
                .join("T"),
        };
        // The store keeps a reading's time as an integer (ecociv_core::reading_time): a time it cannot
        // keep is refused here, with its line and column, before anything is stored.
        if ecociv_core::reading_time::time_key(&time).is_none() {
            let (column, name) = kind
                .time_columns()
                .first()
                .and_then(|name| get(name).map(|(i, _)| (Some(i + 1), Some((*name).to_owned()))))
                .unwrap_or((None, None));
            return Err(problem(
                at,
                column,
                name,
                format!(
                    "时间“{time}”不是“年-月-日 时:分”形式（如 2023-01-05 或 2023-01-05 09:00）/ not a time of the form YYYY-MM-DD[ HH:MM]"
                ),
            ));
        }
        let repeat = match kind {
            Kind::Air | Kind::AirDaily => None,
            // Water samples, a file of any size: the times of each section in its bounded table.
            Kind::Sections | Kind::DrinkingSources => match sample_times.get_mut(&station) {
                Some(times) => times.insert(&time, at),
                None => sample_times.entry(station.clone()).or_default().insert(&time, at),
            },
            _ => keys.insert((station.clone(), time.clone()), at),
        };
        if let Some(first) = repeat {
            return Err(problem(
                at,
                None,
                None,
                format!("与第 {first} 行的站点（断面）和时间重复 / same station and time as line {first}"),
            ));
        }
        if !stations.contains(&station) {
            stations.insert(station.clone());
        }
        match &mut span {
            None => span = Some((time.clone(), time.clone())),
            Some((a, b)) => {
                if time < *a {
                    a.clone_from(&time);
                }
                if time > *b {
                    b.clone_from(&time);
                }
            }
        }
        for name in columns.iter().filter(|c| !kind.is_key(c)) {
            let Some((_, text)) = get(name) else { continue };
            if text.is_empty() {
                continue;
            }
            let value = text.parse::<f64>().ok().filter(|v| v.is_finite());
            let flag = if value.is_some_and(|v| v.to_string() == text) {
                String::new()
            } else {
                text.to_owned()
            };
            given += 1;
            let cell = Cell {
                station: station.clone(),
                time: time.clone(),
                parameter: (*name).to_owned(),
                value,
                flag,
            };
            if sink(cell).is_break() {
                return Ok(None);
            }
        }
    }
    Ok(Some(Summary {
        rows,
        stations: stations.len(),
        span,
        cells: given,
    }))
}

/// Rebuilds the CSV of `kind` from stored cells (rows ordered by station, then time).
pub fn rebuild<'a>(kind: Kind, cells: impl IntoIterator<Item = &'a Cell>) -> String {
    let columns = kind.columns();
    let mut rows: BTreeMap<(&str, &str), BTreeMap<&str, String>> = BTreeMap::new();
    for cell in cells {
        rows.entry((cell.station.as_str(), cell.time.as_str()))
            .or_default()
            .insert(cell.parameter.as_str(), cell.text());
    }
    let mut out = csv::WriterBuilder::new().from_writer(Vec::new());
    // Writing to a Vec cannot fail.
    let _ = out.write_record(&columns);
    for ((station, time), values) in rows {
        let mut key: BTreeMap<&str, String> = BTreeMap::new();
        for (name, part) in kind.station_columns().iter().zip(station.split('|')) {
            key.insert(name, part.to_owned());
        }
        match kind {
            Kind::Air => {
                let (date, hour) = time.split_once('T').unwrap_or((time, "0"));
                key.insert("date", date.to_owned());
                key.insert(
                    "hour",
                    hour.parse::<u8>().map_or_else(|_| hour.to_owned(), |h| h.to_string()),
                );
            }
            _ => {
                for (name, part) in kind.time_columns().iter().zip(time.split('T')) {
                    key.insert(name, part.to_owned());
                }
            }
        }
        let record: Vec<String> = columns
            .iter()
            .map(|c| key.get(c).or_else(|| values.get(c)).cloned().unwrap_or_default())
            .collect();
        let _ = out.write_record(&record);
    }
    String::from_utf8(out.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// The air figures of a zone from an hourly CSV (rebuilt or read), for `year` or every year: the zone's
/// years (点位平均法) and its daily records, as `ecociv assess` computes them (edition by date).
pub fn air_figures(
    zone: &str,
    year: Option<i32>,
    file: &str,
    csv: &str,
) -> Result<(Vec<ZoneYear>, Vec<DayRecord>), Problem> {
    let mut figures = AirFigures::new(zone, year, file);
    figures.push_csv(csv)?;
    Ok(figures.finish())
}

/// [`air_figures`] from an hourly CSV given in parts — each a whole CSV with its header, the parts
/// together in (station, time) order, e.g. one station at a time — so that a caller holds one part in
/// memory at a time. The same figures as [`air_figures`] over the parts joined.
pub struct AirFigures {
    engine: ZoneEngine,
    file: String,
}

impl AirFigures {
    pub fn new(zone: &str, year: Option<i32>, file: &str) -> AirFigures {
        AirFigures {
            engine: ZoneEngine::new(zone, year, EditionChoice::ByDate),
            file: file.to_owned(),
        }
    }

    /// Reads one part of daily values (the [`Kind::AirDaily`] CSV); they count for the years without
    /// hourly data ([`ecociv_air::zone::ZoneEngine::push_daily`]).
    pub fn push_daily_csv(&mut self, csv: &str) -> Result<(), Problem> {
        let engine = &mut self.engine;
        ecociv_air::ingest::read_daily(
            csv.as_bytes(),
            &ReadOptions {
                source: self.file.clone(),
                skip_bad: false,
            },
            |row| {
                engine.push_daily(row.station, row.date, &row.input);
                Ok(())
            },
        )
        .map(|_| ())
        .map_err(|e| air_problem(&self.file, e))
    }

    /// Reads one part.
    pub fn push_csv(&mut self, csv: &str) -> Result<(), Problem> {
        let engine = &mut self.engine;
        ecociv_air::ingest::read_hourly(
            csv.as_bytes(),
            &ReadOptions {
                source: self.file.clone(),
                skip_bad: false,
            },
            |row| engine.push(row),
        )
        .map(|_| ())
        .map_err(|e| air_problem(&self.file, e))
    }

    /// One station's stored readings of `kind` ([`Kind::Air`] or [`Kind::AirDaily`]), in any order: the
    /// same figures as [`AirFigures::push_csv`] (daily: [`AirFigures::push_daily_csv`]) of the CSV
    /// [`rebuild`] makes of them, without the CSV — each reading's text ([`Cell::text`]) and time are read
    /// by the air readers' own rules ([`ecociv_air::ingest::StationValues`]). A reading of a parameter
    /// that is not one of the file's columns is left out, as the rebuilt CSV leaves it out.
    pub fn push_readings<'a>(
        &mut self,
        kind: Kind,
        station: &str,
        readings: impl IntoIterator<Item = StoredReading<'a>>,
    ) -> Result<(), Problem> {
        let problem = |e| air_problem(&self.file, IngestError::Input(e));
        let mut values = match kind {
            Kind::AirDaily => StationValues::daily(&self.file, station),
            _ => StationValues::hourly(&self.file, station),
        }
        .map_err(problem)?;
        let mut text = String::new();
        for reading in readings {
            let Some(column) = values.column(reading.parameter) else {
                continue;
            };
            // An hourly time is `YYYY-MM-DDTHH`; without its hour it is hour 0, as the rebuilt CSV has it.
            let (year, [month, day, hour, minute, _]) = ecociv_core::reading_time::time_parts(reading.at);
            let (Some(month), Some(day), None) = (month, day, minute.filter(|_| kind == Kind::Air)) else {
                let time = ecociv_core::reading_time::time_text(reading.at);
                return Err(Problem::new(
                    &self.file,
                    format!("站点 {station} 的时间“{time}”不是整点 / station {station}: time {time} is not an hour"),
                ));
            };
            text.clear();
            write_text(&mut text, reading.value, reading.flag);
            values
                .push(column, (year, month, day), hour.unwrap_or(0), text.as_bytes())
                .map_err(problem)?;
        }
        values.into_engine(&mut self.engine).map_err(problem)
    }

    /// The zone's years and daily records.
    pub fn finish(self) -> (Vec<ZoneYear>, Vec<DayRecord>) {
        self.engine.finish_with_days()
    }
}

/// The water inputs of a zone from one CSV per water kind: `(kind, file name, csv)`. A file name
/// containing `SYNTHETIC` marks the inputs synthetic.
pub fn water_inputs(files: &[(Kind, String, String)]) -> Result<ZoneInputs, Problem> {
    let mut sorted: Vec<&(Kind, String, String)> = files.iter().filter(|(k, _, _)| k.medium() == "water").collect();
    sorted.sort_by_key(|(k, _, _)| *k);
    let sources = sorted.iter().map(|(kind, name, csv)| ZoneSource {
        kind: kind.code(),
        path: std::path::PathBuf::from(name),
        synthetic: name.contains("SYNTHETIC"),
        input: csv.as_bytes(),
    });
    water_ingest::read_zone_sources(sources, Table::embedded(), Thresholds::embedded()).map_err(|e| match e {
        water_ingest::DirError::Input { path, error } => water_problem(&path, *error),
        other => Problem::new("", other.to_string()),
    })
}

/// One section's classes in a year: by month (the 2011 method's mean of the month's samples) and for
/// the year (from `ecociv_water::ingest::annual`).
#[derive(Debug, Clone, PartialEq)]
pub struct SectionYear {
    pub section: String,
    pub waterbody: Waterbody,
    pub year: i32,
    pub monthly: [Option<WaterClass>; 12],
    pub annual: Option<WaterClass>,
    pub samples: u32,
}

/// The sections' classes by month and year from a sections CSV.
pub fn section_classes(file: &str, csv: &str) -> Result<Vec<SectionYear>, Problem> {
    let (table, thresholds) = (Table::embedded(), Thresholds::embedded());
    let annual = water_ingest::annual(csv.as_bytes(), table, thresholds).map_err(|e| water_problem(file, e))?;
    let mut months: BTreeMap<(String, i32, usize), PeriodAccumulator> = BTreeMap::new();
    let mut reader = water_ingest::SampleReader::new(csv.as_bytes(), thresholds).map_err(|e| water_problem(file, e))?;
    while let Some(s) = reader.next_sample().map_err(|e| water_problem(file, e))? {
        let month = s
            .date
            .split(['-', '/', '.'])
            .nth(1)
            .and_then(|m| m.trim().parse::<usize>().ok())
            .filter(|m| (1..=12).contains(m));
        if let Some(month) = month {
            months
                .entry((s.section.to_owned(), s.year, month))
                .or_insert_with(|| PeriodAccumulator::new(s.waterbody))
                .add(&s.values);
        }
    }
    Ok(annual
        .into_iter()
        .map(|row| {
            let mut monthly = [None; 12];
            for (m, slot) in monthly.iter_mut().enumerate() {
                *slot = months
                    .get(&(row.section.clone(), row.year, m + 1))
                    .and_then(|acc| acc.evaluate(table).class);
            }
            SectionYear {
                samples: row.period.samples(),
                section: row.section,
                waterbody: row.waterbody,
                year: row.year,
                monthly,
                annual: row.class,
            }
        })
        .collect())
}

/// Checks an upload of a noise or soil kind read together with `stored`, the rebuilt CSV of the same
/// kind's stored readings, as the page's computation reads them: a point's class or a sample's land use
/// or pH changed by the new file, a period covered more than once, an item given twice. The upload's rows
/// are appended to the stored ones in the kind's column order; a problem on one of them names the
/// upload's line and column, a problem elsewhere names the upload only.
pub fn check_with_stored(kind: Kind, file: &str, stored: &str, upload: impl Read) -> Result<(), Problem> {
    let columns = kind.columns();
    let stored_lines = stored.lines().count() as u64;
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(LineCounter::new(upload));
    let mut out = csv::WriterBuilder::new().from_writer(Vec::new());
    let mut rec = csv::StringRecord::new();
    let mut header: Option<Vec<String>> = None;
    // The upload's line of each row appended.
    let mut lines = Vec::new();
    // The upload has been read by its kind's reader: it is well-formed.
    while rdr.read_record(&mut rec).unwrap_or(false) {
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let Some(names) = &header else {
            header = Some(ecociv_csvline::header_names(&rec));
            continue;
        };
        let line = rec.position().map_or(0, |p| rdr.get_ref().line_at(p.byte()));
        let row: Vec<&str> = columns
            .iter()
            .map(|c| names.iter().position(|n| n == c).and_then(|i| rec.get(i)).unwrap_or(""))
            .collect();
        let _ = out.write_record(&row);
        lines.push(line);
    }
    let mut combined = stored.as_bytes().to_vec();
    combined.extend(out.into_inner().unwrap_or_default());
    validate(kind, file, &combined[..]).map_err(|mut problem| {
        let at = problem
            .line
            .filter(|l| *l > stored_lines)
            .and_then(|l| lines.get((l - stored_lines - 1) as usize).copied());
        problem.line = at;
        problem.column = at.and_then(|_| {
            let field = problem.field.as_deref()?;
            header.as_ref()?.iter().position(|n| n == field).map(|i| i + 1)
        });
        problem.message = format!(
            "与已导入的同类数据一起读取时不一致（说明中提到的其他行号指已导入数据与本文件合并后的行）/ inconsistent with the data already imported (other line numbers in the message count the merged data): {}",
            problem.message
        );
        problem
    })
}

/// A soil item as its code (`cd` for `镉`, `benzene` for `71-43-2`), so that a sample's item is one reading
/// however written; the text as given where the table does not know it (the reader has refused that).
fn item_code(kind: Kind, text: &str) -> String {
    let code = match kind {
        Kind::SoilDevelopment => ecociv_soil::gb36600::Table::embedded()
            .find(text)
            .map(|p| p.code.as_str()),
        Kind::SoilFarmland => ecociv_soil::gb15618::Table::embedded()
            .find(text)
            .map(|i| i.code.as_str()),
        _ => None,
    };
    code.unwrap_or(text).to_owned()
}

/// The judged day and night periods of a noise file (GB 3096-2008), read by `ecociv noise judge`'s reader
/// (`ecociv_noise::ingest::read_and_judge`) with the embedded table: the first problem when it refuses
/// the file.
pub fn noise_periods(file: &str, input: impl Read) -> Result<Vec<ecociv_noise::ingest::PeriodResult>, Problem> {
    ecociv_noise::ingest::read_and_judge(input, ecociv_noise::gb3096::Table::embedded())
        .map_err(|errors| first_problem(file, errors))
}

/// The judged lines of a development-land soil file (GB 36600-2018), read by `ecociv soil development`'s
/// reader with the embedded table.
pub fn soil_development(
    file: &str,
    input: impl Read,
) -> Result<Vec<ecociv_soil::ingest::DevelopmentRow<'static>>, Problem> {
    ecociv_soil::ingest::read_development(input, ecociv_soil::gb36600::Table::embedded())
        .map_err(|errors| first_problem(file, errors))
}

/// The judged lines of an agricultural-land soil file (GB 15618-2018), read by `ecociv soil farmland`'s
/// reader with the embedded table.
pub fn soil_farmland(file: &str, input: impl Read) -> Result<Vec<ecociv_soil::ingest::FarmlandRow<'static>>, Problem> {
    ecociv_soil::ingest::read_farmland(input, ecociv_soil::gb15618::Table::embedded())
        .map_err(|errors| first_problem(file, errors))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn air_cells_round_trip_through_the_air_reader() {
        let csv = "station,date,hour,so2,no2,pm10,co,o3,pm25\nA,2023-01-01,0,12,20,42,0.8,,25\nA,2023-01-01,1,11.50,28,36,0.6,10,27\n";
        let parsed = parse(Kind::Air, "a.csv", csv.as_bytes()).unwrap();
        assert_eq!((parsed.rows, parsed.stations), (2, 1));
        assert_eq!(parsed.cells.len(), 11, "the empty o3 cell is not stored");
        let pm = parsed
            .cells
            .iter()
            .find(|c| c.parameter == "so2" && c.time == "2023-01-01T01")
            .unwrap();
        assert_eq!((pm.value, pm.flag.as_str()), (Some(11.5), "11.50"));
        let rebuilt = rebuild(Kind::Air, &parsed.cells);
        assert_eq!(
            rebuilt,
            "station,date,hour,so2,no2,pm10,co,o3,pm25\nA,2023-01-01,0,12,20,42,0.8,,25\nA,2023-01-01,1,11.50,28,36,0.6,10,27\n"
        );
    }

    fn synthetic(relative: &str) -> Vec<u8> {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/synthetic/monitoring-450202-SYNTHETIC");
        std::fs::read(dir.join(relative)).expect("synthetic file")
    }

    /// The storage path keeps every figure: the SYNTHETIC demo folder split into cells and rebuilt gives
    /// the same air years and daily records, and the same water figures, as the files read directly.
    #[test]
    fn cells_rebuilt_from_the_synthetic_folder_give_the_same_figures_as_the_files() {
        let mut engine = ZoneEngine::new("450202", None, EditionChoice::ByDate);
        let mut cells = Vec::new();
        for file in ["air/SYNTHETIC-air-2023-A.csv", "air/SYNTHETIC-air-2023-B.csv"] {
            let bytes = synthetic(file);
            ecociv_air::ingest::read_hourly(
                &bytes[..],
                &ReadOptions {
                    source: file.into(),
                    skip_bad: false,
                },
                |row| engine.push(row),
            )
            .unwrap();
            cells.extend(parse(Kind::Air, file, &bytes).unwrap().cells);
        }
        let direct = engine.finish_with_days();
        let rebuilt = air_figures("450202", None, "rebuilt", &rebuild(Kind::Air, &cells)).unwrap();
        assert_eq!(rebuilt, direct);
        assert!(!direct.0.is_empty() && direct.1.len() > 300);

        let kinds = [
            (Kind::Sections, "water/sections.SYNTHETIC.csv"),
            (Kind::DrinkingSources, "water/drinking_sources.SYNTHETIC.csv"),
            (Kind::BlackOdorousBodies, "water/black_odorous_bodies.SYNTHETIC.csv"),
            (Kind::BlackOdorous, "water/black_odorous.SYNTHETIC.csv"),
            (Kind::Ei, "water/ei.SYNTHETIC.csv"),
        ];
        let files: Vec<(Kind, String, String)> = kinds
            .iter()
            .map(|(kind, file)| {
                let parsed = parse(*kind, file, &synthetic(file)).unwrap();
                (
                    *kind,
                    file.rsplit('/').next().unwrap().to_string(),
                    rebuild(*kind, &parsed.cells),
                )
            })
            .collect();
        let from_cells = water_inputs(&files).unwrap();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../data/synthetic/monitoring-450202-SYNTHETIC/water");
        let direct = water_ingest::read_zone_dir(&dir, Table::embedded(), Thresholds::embedded()).unwrap();
        let figures = |z: &ZoneInputs| {
            ecociv_water::zone::all_figures(
                z,
                ecociv_water::black_odorous::Thresholds::embedded(),
                ecociv_water::hj192::Model::embedded(),
            )
            .into_iter()
            .map(|f| (f.row, f.year, f.value, f.provenance.detail))
            .collect::<Vec<_>>()
        };
        assert_eq!(figures(&from_cells), figures(&direct));
        assert!(from_cells.synthetic && figures(&direct).len() >= 8);
    }

    fn format_file(name: &str) -> Vec<u8> {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/synthetic/monitoring-formats-SYNTHETIC");
        std::fs::read(dir.join(name)).expect("synthetic file")
    }

    /// Daily air values split into cells and rebuilt give the same zone years as the file read by the
    /// CLI's folder reader (`ecociv_air::ingest::read_zone_dir`), and a year with hourly cells ignores them.
    #[test]
    fn daily_air_cells_rebuilt_give_the_figures_of_the_file() {
        let bytes = format_file("air_daily-2022.SYNTHETIC.csv");
        let parsed = parse(Kind::AirDaily, "d.csv", &bytes).unwrap();
        assert_eq!((parsed.rows, parsed.stations), (730, 2));
        assert_eq!(parsed.span, Some(("2022-01-01".to_string(), "2022-12-31".to_string())));
        let mut figures = AirFigures::new("z", None, "rebuilt");
        figures.push_daily_csv(&rebuild(Kind::AirDaily, &parsed.cells)).unwrap();
        let (years, days) = figures.finish();
        let mut direct = ZoneEngine::new("z", None, EditionChoice::ByDate);
        ecociv_air::ingest::read_daily(&bytes[..], &ReadOptions::default(), |row| {
            direct.push_daily(row.station, row.date, &row.input);
            Ok(())
        })
        .unwrap();
        assert_eq!((years.clone(), days), direct.finish_with_days());
        assert_eq!(years.len(), 1);
        assert!(years[0].from_daily && years[0].annual.valid_days == 365);
        // A daily file refused where `ecociv air daily` refuses it: line and field.
        let text = String::from_utf8(bytes).unwrap();
        let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
        let mut fields: Vec<&str> = lines[9].split(',').collect();
        fields[5] = "x";
        lines[9] = fields.join(",");
        let e = parse(Kind::AirDaily, "d.csv", lines.join("\n").as_bytes()).unwrap_err();
        assert_eq!(
            (e.file.as_str(), e.line, e.field.as_deref()),
            ("d.csv", Some(10), Some("co")),
            "{e}"
        );
    }

    /// EI from land use split into cells and rebuilt gives the same EI figures as the file.
    #[test]
    fn ei_land_use_cells_rebuilt_give_the_figures_of_the_file() {
        let bytes = format_file("ei_land_use.SYNTHETIC.csv");
        let parsed = parse(Kind::EiLandUse, "ei_land_use.csv", &bytes).unwrap();
        assert_eq!(parsed.rows, 2);
        let rebuilt = rebuild(Kind::EiLandUse, &parsed.cells);
        let model = ecociv_water::hj192::Model::embedded();
        let read = |b: &[u8]| water_ingest::read_ei_land_use(b, model).unwrap();
        let strip = |rows: Vec<water_ingest::EiRow>| {
            rows.into_iter()
                .map(|r| (r.year, r.sub, r.restriction))
                .collect::<Vec<_>>()
        };
        assert_eq!(strip(read(rebuilt.as_bytes())), strip(read(&bytes)));
        let inputs = water_inputs(&[(Kind::EiLandUse, "ei_land_use.SYNTHETIC.csv".into(), rebuilt)]).unwrap();
        assert!(inputs.synthetic && inputs.ei.as_ref().is_some_and(|rows| rows.len() == 2));
        // A year given by ei.csv too is refused, naming the land-use file's line.
        let ei = "year,biological_abundance,vegetation_cover,water_network_density,land_stress,pollution_load,restriction\n2020,66,78,44,16,6,\n";
        let e = water_inputs(&[
            (Kind::Ei, "ei.csv".into(), ei.into()),
            (
                Kind::EiLandUse,
                "lu.csv".into(),
                String::from_utf8(bytes.clone()).unwrap(),
            ),
        ])
        .unwrap_err();
        assert_eq!((e.file.as_str(), e.line), ("lu.csv", Some(3)), "{e}");
        let e = parse(
            Kind::EiLandUse,
            "lu.csv",
            String::from_utf8(bytes).unwrap().replacen(",0.52,", ",,", 1).as_bytes(),
        )
        .unwrap_err();
        assert_eq!((e.line, e.field.as_deref()), (Some(2), Some("mean_ndvi")), "{e}");
    }

    /// Noise and soil files split into cells and rebuilt give the very judgements `ecociv noise judge` and
    /// `ecociv soil development|farmland` make of the files (their CSV output byte for byte).
    #[test]
    fn noise_and_soil_cells_rebuilt_give_the_judgements_of_the_files() {
        let noise = format_file("noise-2023-2024.SYNTHETIC.csv");
        let parsed = parse(Kind::Noise, "n.csv", &noise).unwrap();
        assert_eq!((parsed.rows, parsed.stations), (576, 4));
        assert_eq!(
            parsed.span,
            Some(("2023-02-15T06:00".to_string(), "2024-05-22T05:00".to_string()))
        );
        let table = ecociv_noise::gb3096::Table::embedded();
        let csv_of = |periods: &[ecociv_noise::ingest::PeriodResult]| {
            let mut out = Vec::new();
            ecociv_noise::ingest::write_csv(periods, table, &mut out).unwrap();
            String::from_utf8(out).unwrap()
        };
        let direct = noise_periods("n.csv", &noise[..]).unwrap();
        let rebuilt = rebuild(Kind::Noise, &parsed.cells);
        assert_eq!(
            csv_of(&noise_periods("r", rebuilt.as_bytes()).unwrap()),
            csv_of(&direct)
        );
        assert_eq!(direct.len(), 4 * 6 * 2);
        // A one-digit hour is one spelling with the two-digit one.
        let one = "point,class,date,start,minutes,leq\nP,2,2023-05-01,9:00,60,55.2\n";
        let cells = parse(Kind::Noise, "o.csv", one.as_bytes()).unwrap().cells;
        assert!(cells.iter().all(|c| c.time == "2023-05-01T09:00"), "{cells:?}");
        assert!(cells.iter().any(|c| c.parameter == "class" && c.text() == "2"));
        // Refused where the CLI refuses it: line and field.
        let bad = String::from_utf8(noise).unwrap().replacen(",60,", ",60,loud,", 1);
        let e = parse(Kind::Noise, "n.csv", bad.as_bytes()).unwrap_err();
        assert_eq!((e.file.as_str(), e.line), ("n.csv", Some(2)), "{e}");

        let dev = format_file("soil_development.SYNTHETIC.csv");
        let parsed = parse(Kind::SoilDevelopment, "d.csv", &dev).unwrap();
        assert_eq!(parsed.rows, 11);
        assert!(
            parsed.cells.iter().any(|c| c.station == "旧城改造地块-S1|benzene"),
            "苯 kept as its code"
        );
        let dev_csv = |rows: &[ecociv_soil::ingest::DevelopmentRow<'_>]| {
            let mut out = Vec::new();
            ecociv_soil::ingest::write_development_csv(rows, &mut out).unwrap();
            // The `line` column is the input's line, which a rebuilt file orders by sample.
            String::from_utf8(out)
                .unwrap()
                .lines()
                .map(|l| l.split_once(',').unwrap().1.to_owned())
                .collect::<std::collections::BTreeSet<_>>()
        };
        let rebuilt = rebuild(Kind::SoilDevelopment, &parsed.cells);
        assert_eq!(
            dev_csv(&soil_development("r", rebuilt.as_bytes()).unwrap()),
            dev_csv(&soil_development("d", &dev[..]).unwrap())
        );
        let farm = format_file("soil_farmland.SYNTHETIC.csv");
        let parsed = parse(Kind::SoilFarmland, "f.csv", &farm).unwrap();
        let farm_csv = |rows: &[ecociv_soil::ingest::FarmlandRow<'_>]| {
            let mut out = Vec::new();
            ecociv_soil::ingest::write_farmland_csv(rows, &mut out).unwrap();
            String::from_utf8(out)
                .unwrap()
                .lines()
                .map(|l| l.split_once(',').unwrap().1.to_owned())
                .collect::<std::collections::BTreeSet<_>>()
        };
        let rebuilt = rebuild(Kind::SoilFarmland, &parsed.cells);
        assert_eq!(
            farm_csv(&soil_farmland("r", rebuilt.as_bytes()).unwrap()),
            farm_csv(&soil_farmland("f", &farm[..]).unwrap())
        );
        // An item twice in a sample: refused naming the second line and the item column.
        let twice = format!("{}河东村-T1,水田,5.2,镉,0.5\n", String::from_utf8(farm).unwrap());
        let e = parse(Kind::SoilFarmland, "f.csv", twice.as_bytes()).unwrap_err();
        assert_eq!((e.line, e.field.as_deref()), (Some(12), Some("item")), "{e}");
    }

    /// A noise or soil upload read with the stored data of its kind: a point's class changed by the new file
    /// is refused naming the upload's line and column (its columns in another order).
    #[test]
    fn a_noise_or_soil_file_is_checked_with_the_stored_data_of_its_kind() {
        let stored = "point,class,date,start,minutes,leq\nP,2,2023-05-01,10:00,60,55.2\n";
        let cells = parse(Kind::Noise, "a.csv", stored.as_bytes()).unwrap().cells;
        let stored = rebuild(Kind::Noise, &cells);
        let fine = "leq,point,class,date,start,minutes\n51,P,2,2023-05-02,10:00,60\n";
        assert!(check_with_stored(Kind::Noise, "b.csv", &stored, fine.as_bytes()).is_ok());
        let other = "leq,point,class,date,start,minutes\n51,Q,1,2023-05-02,10:00,60\n\n50,P,3,2023-05-02,11:00,60\n";
        let e = check_with_stored(Kind::Noise, "b.csv", &stored, other.as_bytes()).unwrap_err();
        assert_eq!(
            (e.file.as_str(), e.line, e.column, e.field.as_deref()),
            ("b.csv", Some(4), Some(3), Some("class")),
            "{e}"
        );
        // A sample's land use changed by a later file.
        let farm = "sample,land,ph,item,value\nT,水田,5.2,cd,0.5\n";
        let cells = parse(Kind::SoilFarmland, "a.csv", farm.as_bytes()).unwrap().cells;
        let later = "sample,land,ph,item,value\nT,旱地,5.2,pb,50\n";
        let e = check_with_stored(
            Kind::SoilFarmland,
            "c.csv",
            &rebuild(Kind::SoilFarmland, &cells),
            later.as_bytes(),
        )
        .unwrap_err();
        assert_eq!((e.line, e.field.as_deref()), (Some(2), Some("land")), "{e}");
    }

    #[test]
    fn air_dates_written_with_slashes_are_stored_in_one_spelling() {
        let csv = "station,date,hour,so2,no2,pm10,co,o3,pm25\nA,2023/01/01,23,12,20,42,0.8,,25\nA,2023-01-02,0,11,28,36,0.6,10,27\n";
        let parsed = parse(Kind::Air, "a.csv", csv.as_bytes()).unwrap();
        let times: std::collections::BTreeSet<&str> = parsed.cells.iter().map(|c| c.time.as_str()).collect();
        assert_eq!(
            times.into_iter().collect::<Vec<_>>(),
            vec!["2023-01-01T23", "2023-01-02T00"]
        );
        // The rebuilt file is in time order, so the air reader takes it.
        let rebuilt = rebuild(Kind::Air, &parsed.cells);
        assert!(air_figures("z", Some(2023), "r", &rebuilt).is_ok());
    }

    #[test]
    fn an_error_names_file_line_and_field_from_the_standard_crates_reader() {
        let csv = "station,date,hour,so2,no2,pm10,co,o3,pm25\nA,2023-01-01,0,12,20,42,0.8,,25\n\nA,2023-01-01,1,x,28,36,0.6,10,27\n";
        let e = parse(Kind::Air, "a.csv", csv.as_bytes()).unwrap_err();
        assert_eq!(
            (e.file.as_str(), e.line, e.field.as_deref()),
            ("a.csv", Some(4), Some("so2")),
            "{e}"
        );
        let water = "section,date,waterbody,ph,do,codmn,cod,bod5,nh3n,tp,tn,cu,zn,f,se,as,hg,cd,cr6,pb,cn,phenol,oil,las,s,fc\n\
                     S,2021-03-15,river,7.4,7.8,2.6,12,2.1,abc,0.06,,,,,,,0.00004L,,,,,,,,,\n";
        let e = parse(Kind::Sections, "s.csv", water.as_bytes()).unwrap_err();
        assert_eq!((e.line, e.field.as_deref()), (Some(2), Some("nh3n")), "{e}");
    }

    #[test]
    fn water_cells_keep_text_flags_and_rebuild_to_the_same_classes() {
        let water = "section,date,waterbody,ph,do,codmn,cod,bod5,nh3n,tp,tn,cu,zn,f,se,as,hg,cd,cr6,pb,cn,phenol,oil,las,s,fc\n\
                     S,2021-03-15,river,7.4,7.8,2.6,12,2.1,0.21,0.06,,,,,,,0.00004L,,,,,,,,,\n\
                     S,2021-04-15,river,7.4,3.5,2.6,25,2.1,1.2,0.06,,,,,,,,,,,,,,,,\n";
        let parsed = parse(Kind::Sections, "sections.csv", water.as_bytes()).unwrap();
        assert!(
            parsed
                .cells
                .iter()
                .any(|c| c.parameter == "hg" && c.flag == "0.00004L" && c.value.is_none())
        );
        let rebuilt = rebuild(Kind::Sections, &parsed.cells);
        assert_eq!(
            section_classes("a", water).unwrap(),
            section_classes("b", &rebuilt).unwrap()
        );
        let classes = section_classes("b", &rebuilt).unwrap();
        // March and April each have one sample; April's DO 3.5 and COD 25 make it class IV.
        assert!(classes[0].monthly[0].is_none() && classes[0].monthly[2].is_some());
        assert_eq!(classes[0].monthly[3], Some(WaterClass::IV));
        assert_eq!(classes[0].samples, 2);
    }

    #[test]
    fn water_dates_are_stored_in_one_spelling_so_a_sample_cannot_be_stored_twice() {
        assert_eq!(canonical_time("2023/1/5"), "2023-01-05");
        assert_eq!(canonical_time("2023-01-05 10:00"), "2023-01-05T10:00");
        assert_eq!(canonical_time("2023/1/5 9:00"), "2023-01-05T09:00", "a one-digit hour");
        assert_eq!(canonical_time("2023-01-05 9:5:7"), "2023-01-05T09:05:07");
        assert_eq!(canonical_time("2023"), "2023", "a year (ei) is kept");
        let header = "section,date,waterbody,ph,do,codmn,cod,bod5,nh3n,tp,tn,cu,zn,f,se,as,hg,cd,cr6,pb,cn,phenol,oil,las,s,fc\n";
        let one = format!("{header}S,2021-03-05,river,7.4,7.8,2.6,12,2.1,0.21,0.06,,,,,,,,,,,,,,,,\n");
        let other = format!("{header}S,2021/3/5,river,7.4,7.8,2.6,12,2.1,0.21,0.06,,,,,,,,,,,,,,,,\n");
        let a = parse(Kind::Sections, "a.csv", one.as_bytes()).unwrap();
        let b = parse(Kind::Sections, "b.csv", other.as_bytes()).unwrap();
        let times = |p: &Parsed| {
            p.cells
                .iter()
                .map(|c| c.time.clone())
                .collect::<std::collections::BTreeSet<_>>()
        };
        assert_eq!(times(&a), times(&b), "the same key for the store's repeat check");
        assert_eq!(
            times(&b).into_iter().collect::<Vec<_>>(),
            vec!["2021-03-05".to_string()]
        );
        // Within one file, the two spellings are one sample twice: refused.
        let both = format!(
            "{header}S,2021-03-05,river,7.4,7.8,2.6,12,2.1,0.21,0.06,,,,,,,,,,,,,,,,\nS,2021/3/5,river,7.4,7.8,2.6,12,2.1,0.21,0.06,,,,,,,,,,,,,,,,\n"
        );
        assert!(parse(Kind::Sections, "both.csv", both.as_bytes()).is_err());
    }

    #[test]
    fn a_sample_time_the_store_cannot_keep_is_refused_with_its_line_and_column() {
        let header = "section,date,waterbody,ph,do,codmn,cod,bod5,nh3n,tp,tn,cu,zn,f,se,as,hg,cd,cr6,pb,cn,phenol,oil,las,s,fc\n";
        let row = |date: &str| format!("S,{date},river,7.4,7.8,2.6,12,2.1,0.21,0.06,,,,,,,,,,,,,,,,\n");
        // A one-digit hour is stored, with two digits.
        let fine = format!("{header}{}{}", row("2021-03-05 9:00"), row("2021-03-06 10:30"));
        let parsed = parse(Kind::Sections, "s.csv", fine.as_bytes()).unwrap();
        assert!(parsed.cells.iter().any(|c| c.time == "2021-03-05T09:00"));
        for bad in ["2021-03-06 9时", "2021-03-06T09:00+08:00", "2021-03-06 123:00"] {
            let file = format!("{header}{}{}", row("2021-03-05"), row(bad));
            let e = parse(Kind::Sections, "s.csv", file.as_bytes()).unwrap_err();
            assert_eq!(
                (e.line, e.column, e.field.as_deref()),
                (Some(3), Some(2), Some("date")),
                "{bad}: {e}"
            );
        }
    }

    /// Daily air: the split keeps no (station, day) — its memory does not grow with the file — so the
    /// repeat is the daily reader's to refuse, before the split, naming both lines, whatever the spelling
    /// of the date.
    #[test]
    fn a_repeated_station_day_of_daily_air_is_refused_by_its_reader_with_both_lines() {
        let header = "station,date,so2,no2,pm10,co,o3_1h,o3_8h,pm25\n";
        let row = |date: &str| format!("S,{date},6,28,67,0.7,100,74,36\n");
        for again in ["2022-01-01", "2022/01/01"] {
            let file = format!("{header}{}{}{}", row("2022-01-01"), row("2022-01-02"), row(again));
            let e = parse(Kind::AirDaily, "d.csv", file.as_bytes()).unwrap_err();
            assert_eq!((e.file.as_str(), e.line), ("d.csv", Some(4)), "{again}: {e}");
            assert!(e.message.contains("first on line 2"), "{again}: {e}");
        }
        let days = format!("{header}{}{}", row("2022-01-01"), row("2022/01/02"));
        let parsed = parse(Kind::AirDaily, "d.csv", days.as_bytes()).unwrap();
        let times: std::collections::BTreeSet<&str> = parsed.cells.iter().map(|c| c.time.as_str()).collect();
        assert_eq!(times.into_iter().collect::<Vec<_>>(), ["2022-01-01", "2022-01-02"]);
    }

    #[test]
    fn a_repeated_station_and_time_is_refused_with_both_lines() {
        let csv = "body,name\nB1,东沟\nB1,西沟\n";
        // The register reader refuses it first (its own rule).
        assert_eq!(
            parse(Kind::BlackOdorousBodies, "b.csv", csv.as_bytes())
                .unwrap_err()
                .line,
            Some(3)
        );
        let two = "section,date,waterbody,ph,do,codmn,cod,bod5,nh3n,tp,tn,cu,zn,f,se,as,hg,cd,cr6,pb,cn,phenol,oil,las,s,fc\n\
                   S,2021-03-15,river,7.4,,,,,,,,,,,,,,,,,,,,,,\nS,2021-03-15,river,7.5,,,,,,,,,,,,,,,,,,,,,,\n";
        let e = parse(Kind::Sections, "s.csv", two.as_bytes()).unwrap_err();
        assert_eq!(e.line, Some(3));
        assert!(e.message.contains("line 2"), "{e}");
    }
}
