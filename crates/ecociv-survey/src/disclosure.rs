//! The disclosure register (信息公开台账) behind row 5, 生态环境信息公开率: the items that must be disclosed —
//! by the government on its own initiative (政府主动公开) and by enterprises obliged to (企业强制性披露) — with
//! owner, legal basis, frequency and due date, and whether and when each was published, where.
//!
//! **Row 5** for a year ([`rate`], [`RATE_EDITION`]): the items due in the year up to the `as_of` date
//! (the clock is a parameter); an item counts as disclosed when published on or before its due date. Each
//! category's rate is disclosed-on-time ÷ due × 100, and the row's value is the **lower** of the two
//! rates: the seed plan (chapter 2, 四 4) requires "政府主动公开生态环境信息和企业强制性生态环境信息公开的
//! 比例均达到100%" — both at 100 %. [M]: the national 《指标解释》 formula (已公开信息数 ÷ 应公开信息数 ×
//! 100 %) is known only from memory (standards reference §6.4) and does not say whether the two kinds are
//! pooled or judged apart, nor whether a late publication counts; the doubt is carried in every figure.
//! A category with no item due is left out (its rate is not 100 % by default); a year with none due at all
//! gives no value.
//!
//! Pure: the register arrives as CSV text; dates are civil dates (jiff).
//!
//! Superseded for the server and CLI by the ledger kind
//! `data/synthetic/disclosure-450202-SYNTHETIC/disclosure_register.toml` (the general mechanism, with a
//! field-to-field condition and `shortfall_by`); kept, with its tests, until its callers are decided.

use std::collections::{BTreeMap, BTreeSet};

use ecociv_core::format::fixed;
use ecociv_core::{Observation, Source, Value};
use jiff::civil::Date;

use crate::questionnaire::Problem;

/// The edition of the row-5 computation; recorded in every figure.
pub const RATE_EDITION: &str =
    "ecociv 信息公开率 2026-1（按期公开事项数 ÷ 应公开事项数 × 100%，政府主动公开与企业强制性公开分别计算，取较低者）";

/// The doubt carried with every row-5 figure ([M] in the standards reference; 【存疑】 where people read it).
pub const RATE_DOUBT: &str = "【存疑】《指标解释》公式“已公开信息数÷应公开信息数×100%”未见原文；两类分别计算取较低者依据规划“比例均达到100%”，逾期公开不计为按期公开";

/// The column headings of the register's CSV, in order.
pub const HEADER: [&str; 10] = [
    "事项编号",
    "类别",
    "事项",
    "责任单位",
    "依据",
    "频次",
    "应公开日期",
    "公开日期",
    "公开渠道",
    "链接或文号",
];

/// Who must disclose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Category {
    /// 政府主动公开.
    Government,
    /// 企业强制性披露 (重点排污单位 etc.).
    Enterprise,
}

impl Category {
    pub fn zh(self) -> &'static str {
        match self {
            Category::Government => "政府主动公开",
            Category::Enterprise => "企业强制性公开",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Category::Government => "government, on its own initiative",
            Category::Enterprise => "enterprises, mandatory",
        }
    }

    fn parse(text: &str) -> Option<Category> {
        match text {
            "政府主动公开" | "政府" | "government" => Some(Category::Government),
            "企业强制性公开" | "企业强制性披露" | "企业" | "enterprise" => Some(Category::Enterprise),
            _ => None,
        }
    }
}

/// A publication record (公开记录): when and where an item was published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publication {
    pub date: Date,
    /// 公开渠道, e.g. 区政府门户网站.
    pub channel: String,
    /// The link or document number (链接或文号).
    pub reference: String,
}

/// An item that must be disclosed (应公开事项), one occurrence with its due date (a quarterly report is
/// four items).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub id: String,
    pub category: Category,
    pub title: String,
    /// 责任单位: the department or the enterprise.
    pub owner: String,
    /// 依据: the law, rule or plan clause that requires it.
    pub basis: String,
    /// 频次, as text (每季度, 每年, 动态更新 …).
    pub frequency: String,
    pub due: Date,
    pub published: Option<Publication>,
    /// The CSV line it came from (1 = header).
    pub line: u64,
}

/// Where an item stands on a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Standing {
    /// Published on or before the due date (按期公开).
    OnTime,
    /// Published after the due date (逾期公开).
    Late,
    /// Not published and past due (逾期未公开).
    Missing,
    /// Not yet due on the date (未到期).
    NotDue,
}

impl Standing {
    pub fn zh(self) -> &'static str {
        match self {
            Standing::OnTime => "按期公开",
            Standing::Late => "逾期公开",
            Standing::Missing => "逾期未公开",
            Standing::NotDue => "未到期",
        }
    }
}

impl Item {
    /// The item's standing at the end of `as_of`: a publication dated after `as_of` is not yet known then.
    pub fn standing(&self, as_of: Date) -> Standing {
        match self.published.as_ref().filter(|p| p.date <= as_of) {
            Some(p) if p.date <= self.due => Standing::OnTime,
            Some(_) => Standing::Late,
            None if self.due > as_of => Standing::NotDue,
            None => Standing::Missing,
        }
    }
}

/// Reads the register's CSV (UTF-8, optional BOM, the [`HEADER`] columns in order). All or nothing: every
/// problem is returned, each naming the line and the column.
pub fn parse_register(text: &str) -> Result<Vec<Item>, Vec<Problem>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut problems = Vec::new();
    let mut items = Vec::new();
    let mut ids = BTreeMap::new();
    let problem = |line: u64, column: &str, zh: String, en: String| Problem {
        field: format!("第{line}行“{column}”"),
        zh,
        en: format!("line {line}, column '{column}': {en}"),
    };
    for (index, record) in reader.records().enumerate() {
        let line = index as u64 + 1;
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                problems.push(problem(line, "整行", format!("无法读取：{error}"), error.to_string()));
                continue;
            }
        };
        let cells: Vec<&str> = record.iter().map(str::trim).collect();
        if line == 1 {
            if cells != HEADER {
                problems.push(problem(
                    1,
                    "表头",
                    format!("表头应为：{}", HEADER.join(",")),
                    "the header must be the register's ten columns".into(),
                ));
                return Err(problems);
            }
            continue;
        }
        if cells.iter().all(|c| c.is_empty()) {
            continue;
        }
        if cells.len() != HEADER.len() {
            problems.push(problem(
                line,
                "整行",
                format!("应有 {} 列，实有 {} 列", HEADER.len(), cells.len()),
                format!("{} columns expected, {} found", HEADER.len(), cells.len()),
            ));
            continue;
        }
        let mut bad = false;
        let mut need = |column: usize| -> String {
            if cells[column].is_empty() {
                problems.push(problem(
                    line,
                    HEADER[column],
                    "不能为空".into(),
                    "must not be empty".into(),
                ));
                bad = true;
            }
            cells[column].to_string()
        };
        let id = need(0);
        let category_text = need(1);
        let title = need(2);
        let owner = need(3);
        let basis = need(4);
        let frequency = need(5);
        let due_text = need(6);
        let category = Category::parse(&category_text);
        if category.is_none() && !category_text.is_empty() {
            problems.push(problem(
                line,
                HEADER[1],
                format!("“{category_text}”应为“政府主动公开”或“企业强制性公开”"),
                "must be 政府主动公开 or 企业强制性公开".into(),
            ));
        }
        let date = |column: usize, text: &str, problems: &mut Vec<Problem>| -> Option<Date> {
            let parsed = text.replace('/', "-").parse::<Date>().ok();
            if parsed.is_none() {
                problems.push(problem(
                    line,
                    HEADER[column],
                    format!("“{text}”不是日期（应为 YYYY-MM-DD）"),
                    "not a date (YYYY-MM-DD)".into(),
                ));
            }
            parsed
        };
        let due = if due_text.is_empty() {
            None
        } else {
            date(6, &due_text, &mut problems)
        };
        let published = match (cells[7], cells[8], cells[9]) {
            ("", "", "") => Some(None),
            (published, channel, reference) => {
                let when = if published.is_empty() {
                    problems.push(problem(
                        line,
                        HEADER[7],
                        "填写了公开渠道或链接，但没有公开日期".into(),
                        "a channel or link without the date of publication".into(),
                    ));
                    None
                } else {
                    date(7, published, &mut problems)
                };
                if channel.is_empty() {
                    problems.push(problem(
                        line,
                        HEADER[8],
                        "已公开的事项须写明公开渠道".into(),
                        "a published item needs its channel".into(),
                    ));
                }
                when.map(|date| {
                    Some(Publication {
                        date,
                        channel: channel.to_string(),
                        reference: reference.to_string(),
                    })
                })
            }
        };
        if let Some(first) = ids.insert(id.clone(), line)
            && !id.is_empty()
        {
            problems.push(problem(
                line,
                HEADER[0],
                format!("事项编号“{id}”与第{first}行重复"),
                format!("item id '{id}' repeats line {first}"),
            ));
        }
        if let (false, Some(category), Some(due), Some(published)) = (bad, category, due, published) {
            items.push(Item {
                id,
                category,
                title,
                owner,
                basis,
                frequency,
                due,
                published,
                line,
            });
        }
    }
    if items.is_empty() && problems.is_empty() {
        problems.push(problem(
            1,
            "整个文件",
            "台账没有任何事项".into(),
            "the register has no items".into(),
        ));
    }
    if problems.is_empty() { Ok(items) } else { Err(problems) }
}

/// One category's count for a year.
#[derive(Debug, Clone, PartialEq)]
pub struct CategoryRate {
    pub category: Category,
    /// Items due in the year up to `as_of`.
    pub due: u64,
    pub on_time: u64,
    /// on_time ÷ due × 100.
    pub rate: f64,
}

/// An item not disclosed on time, for the list by owner.
#[derive(Debug, Clone, PartialEq)]
pub struct Shortfall {
    pub owner: String,
    pub id: String,
    pub title: String,
    pub category: Category,
    pub due: Date,
    pub standing: Standing,
    pub published: Option<Date>,
}

/// Row 5 for a year, with its arithmetic.
#[derive(Debug, Clone, PartialEq)]
pub struct Rate {
    pub year: i16,
    pub as_of: Date,
    /// The categories with items due, in order (government, enterprise).
    pub categories: Vec<CategoryRate>,
    /// The row's value: the lowest category rate.
    pub value: f64,
    /// Late and missing items, by owner then due date.
    pub shortfalls: Vec<Shortfall>,
    /// Items of the year not yet due on `as_of` (left out of the rate).
    pub not_due: u64,
}

/// Why row 5 cannot be computed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RateError {
    /// No item of the register is due in the year up to the date.
    NothingDue { year: i16, as_of: Date },
}

impl std::fmt::Display for RateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RateError::NothingDue { year, as_of } => write!(
                f,
                "{year} 年截至 {as_of} 没有应公开的事项，无法计算信息公开率（no item due in {year} up to {as_of}）"
            ),
        }
    }
}

/// Computes row 5 for `year` from the register as it stands on `as_of`.
pub fn rate(items: &[Item], year: i16, as_of: Date) -> Result<Rate, RateError> {
    let mut categories: BTreeMap<Category, (u64, u64)> = BTreeMap::new();
    let mut shortfalls = Vec::new();
    let mut not_due = 0;
    for item in items.iter().filter(|item| item.due.year() == year) {
        let standing = item.standing(as_of);
        if standing == Standing::NotDue {
            not_due += 1;
            continue;
        }
        let entry = categories.entry(item.category).or_default();
        entry.0 += 1;
        if standing == Standing::OnTime {
            entry.1 += 1;
        } else {
            shortfalls.push(Shortfall {
                owner: item.owner.clone(),
                id: item.id.clone(),
                title: item.title.clone(),
                category: item.category,
                due: item.due,
                standing,
                published: item.published.as_ref().map(|p| p.date),
            });
        }
    }
    if categories.is_empty() {
        return Err(RateError::NothingDue { year, as_of });
    }
    let categories: Vec<CategoryRate> = categories
        .into_iter()
        .map(|(category, (due, on_time))| CategoryRate {
            category,
            due,
            on_time,
            rate: on_time as f64 * 100.0 / due as f64,
        })
        .collect();
    let value = categories.iter().map(|c| c.rate).fold(f64::INFINITY, f64::min);
    shortfalls.sort_by(|a, b| (&a.owner, a.due, &a.id).cmp(&(&b.owner, b.due, &b.id)));
    Ok(Rate {
        year,
        as_of,
        categories,
        value,
        shortfalls,
        not_due,
    })
}

impl Rate {
    /// The arithmetic, in Chinese: each category's count and rate, and the value taken.
    pub fn arithmetic_zh(&self) -> String {
        let parts: Vec<String> = self
            .categories
            .iter()
            .map(|c| {
                format!(
                    "{}：按期公开 {} ÷ 应公开 {} × 100% = {}%",
                    c.category.zh(),
                    c.on_time,
                    c.due,
                    fixed(c.rate, 1)
                )
            })
            .collect();
        let taken = if self.categories.len() > 1 {
            format!("；取较低者 {}%", fixed(self.value, 1))
        } else {
            String::new()
        };
        format!("{}{taken}", parts.join("；"))
    }

    /// The late and missing items by owner, in Chinese (empty when none).
    pub fn shortfalls_zh(&self) -> String {
        let mut owners: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for s in &self.shortfalls {
            let when = match s.published {
                Some(date) => format!("{}，应 {} 公开，{} 公开", s.standing.zh(), s.due, date),
                None => format!("{}，应 {} 公开", s.standing.zh(), s.due),
            };
            owners
                .entry(&s.owner)
                .or_default()
                .push(format!("{}（{}）{when}", s.title, s.id));
        }
        owners
            .into_iter()
            .map(|(owner, items)| format!("{owner}：{}", items.join("；")))
            .collect::<Vec<_>>()
            .join("。")
    }

    /// Owners with a shortfall.
    pub fn owners_short(&self) -> BTreeSet<&str> {
        self.shortfalls.iter().map(|s| s.owner.as_str()).collect()
    }

    /// Row 5's observation, with the register and the arithmetic as its source.
    pub fn observation(&self, register: &str, synthetic: bool) -> Observation {
        let method = format!("信息公开台账计算：{}", self.arithmetic_zh());
        let mut provenance = format!("{register}，截至 {}", self.as_of);
        if self.not_due > 0 {
            provenance.push_str(&format!("；另有 {} 项本年未到期，未计入", self.not_due));
        }
        let shortfalls = self.shortfalls_zh();
        if !shortfalls.is_empty() {
            provenance.push_str(&format!("；未按期公开：{shortfalls}"));
        }
        provenance.push_str(&format!("；口径说明：{RATE_DOUBT}"));
        let source = if synthetic {
            Source::Synthetic {
                note: format!("由合成的演示台账计算：{method}（{RATE_EDITION}）；{provenance}"),
                files: Vec::new(),
            }
        } else {
            Source::Computed {
                method,
                edition: RATE_EDITION.into(),
                provenance,
                files: Vec::new(),
            }
        };
        Observation {
            row: "5".into(),
            year: i32::from(self.year),
            value: Value::Number((self.value * 100.0).round() / 100.0),
            assigned: None,
            recorded: None,
            source,
        }
    }
}
