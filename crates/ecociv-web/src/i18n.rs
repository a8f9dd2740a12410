//! The translation layer: one message table per language (`i18n/zh-CN.toml`, `i18n/en.toml`, embedded at
//! compile time), looked up by key, with `{name}` parameters; and the locale's formatting of numbers,
//! shares, dates and timestamps.
//!
//! Every label a page shows goes through [`t`] or [`tf`]. Data (indicator names, department names, state
//! texts, explanations) is shown as the data holds it; where the data has an English form (`name_en`,
//! `explanation.en`) the English page uses it.
//!
//! A key missing from a table falls back to the other language, and when it is missing from both the page
//! shows `⟦key⟧` — the tests render every page in both languages and fail on that marker, and check that
//! the two tables hold the same keys.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::Display;
use std::sync::LazyLock;

/// The zh-CN message table, as shipped.
pub const ZH_CN_TOML: &str = include_str!("../i18n/zh-CN.toml");
/// The English message table, as shipped.
pub const EN_TOML: &str = include_str!("../i18n/en.toml");

/// A page language. Chinese (zh-CN) is the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Zh, Lang::En];

    /// The code used in URLs and cookies: `zh-CN`, `en`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// Reads a language code leniently (`zh`, `zh-CN`, `zh_cn`, `en`, `en-US`, …); `None` when unknown.
    pub fn from_code(code: &str) -> Option<Lang> {
        let code = code.trim().to_ascii_lowercase();
        if code == "zh" || code.starts_with("zh-") || code.starts_with("zh_") {
            Some(Lang::Zh)
        } else if code == "en" || code.starts_with("en-") || code.starts_with("en_") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// Picks the first supported language of an `Accept-Language` header; zh-CN when none is supported.
    pub fn from_accept_language(header: &str) -> Lang {
        header
            .split(',')
            .filter_map(|part| part.split(';').next())
            .find_map(Lang::from_code)
            .unwrap_or_default()
    }

    /// The other language (for the language switch).
    pub fn other(self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }

    /// The language's own name, shown on the switch: 中文 / English.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::Zh => "中文",
            Lang::En => "English",
        }
    }

    /// Chooses between a Chinese and an English form of a datum (e.g. `name` / `name_en`): the English
    /// form when the page is English and the datum has one, otherwise the Chinese.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::En if !en.trim().is_empty() => en,
            _ => zh,
        }
    }
}

/// A message catalog: flat keys (`nav.dashboard`) to texts, per language.
#[derive(Debug, Default)]
pub struct Catalog {
    zh: HashMap<String, String>,
    en: HashMap<String, String>,
}

impl Catalog {
    /// Parses the two tables. A table must be TOML whose leaves are all strings.
    pub fn parse(zh_toml: &str, en_toml: &str) -> Result<Catalog, String> {
        Ok(Catalog {
            zh: flatten_table("zh-CN.toml", zh_toml)?,
            en: flatten_table("en.toml", en_toml)?,
        })
    }

    /// The keys of one language's table, sorted.
    pub fn keys(&self, lang: Lang) -> Vec<&str> {
        let mut keys: Vec<&str> = self.table(lang).keys().map(String::as_str).collect();
        keys.sort_unstable();
        keys
    }

    fn table(&self, lang: Lang) -> &HashMap<String, String> {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }

    /// The message of `key` in `lang`, falling back to the other language.
    pub fn get(&self, lang: Lang, key: &str) -> Option<&str> {
        self.table(lang)
            .get(key)
            .or_else(|| self.table(lang.other()).get(key))
            .map(String::as_str)
    }
}

fn flatten_table(name: &str, text: &str) -> Result<HashMap<String, String>, String> {
    let table: toml::Table = toml::from_str(text).map_err(|error| format!("{name}: {error}"))?;
    let mut out = HashMap::new();
    flatten_into(name, "", &table, &mut out)?;
    Ok(out)
}

fn flatten_into(
    name: &str,
    prefix: &str,
    table: &toml::Table,
    out: &mut HashMap<String, String>,
) -> Result<(), String> {
    for (key, value) in table {
        let full = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            toml::Value::String(text) => {
                out.insert(full, text.clone());
            }
            toml::Value::Table(inner) => flatten_into(name, &full, inner, out)?,
            _ => return Err(format!("{name}: {full} is not a text")),
        }
    }
    Ok(())
}

/// The shipped catalog, parsed once. A parse error leaves it empty (every label then shows `⟦key⟧`);
/// the tests check that it parses.
pub static CATALOG: LazyLock<Catalog> = LazyLock::new(|| Catalog::parse(ZH_CN_TOML, EN_TOML).unwrap_or_default());

/// Checks that the shipped tables parse and hold the same keys; returns every problem found.
pub fn check_catalog() -> Vec<String> {
    let catalog = match Catalog::parse(ZH_CN_TOML, EN_TOML) {
        Ok(catalog) => catalog,
        Err(error) => return vec![error],
    };
    let mut problems = Vec::new();
    for lang in Lang::ALL {
        for key in catalog.keys(lang) {
            if !catalog.table(lang.other()).contains_key(key) {
                problems.push(format!("{key}: in {} but not in {}", lang.code(), lang.other().code()));
            }
        }
    }
    problems
}

/// The label of `key` in `lang`.
pub fn t(lang: Lang, key: &str) -> Cow<'static, str> {
    match CATALOG.get(lang, key) {
        Some(text) => Cow::Borrowed(text),
        None => Cow::Owned(format!("⟦{key}⟧")),
    }
}

/// The label of `key` in `lang` with its `{name}` parameters filled in.
pub fn tf(lang: Lang, key: &str, args: &[(&str, &dyn Display)]) -> String {
    let mut text = t(lang, key).into_owned();
    for (name, value) in args {
        text = text.replace(&format!("{{{name}}}"), &value.to_string());
    }
    text
}

/// A figure as the tables print it (no trailing zeros, at most 6 decimals), with the integer part grouped
/// by thousands when it has more than four digits (`396,229.77`). Both languages group the same way.
pub fn fmt_number(value: f64) -> String {
    let plain = ecociv_core::num::show(value);
    let (sign, rest) = match plain.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", plain.as_str()),
    };
    let (int, frac) = match rest.split_once('.') {
        Some((int, frac)) => (int, Some(frac)),
        None => (rest, None),
    };
    if int.len() <= 4 || !int.chars().all(|c| c.is_ascii_digit()) {
        return plain;
    }
    let mut grouped = String::new();
    for (index, digit) in int.chars().enumerate() {
        if index > 0 && (int.len() - index) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    match frac {
        Some(frac) => format!("{sign}{grouped}.{frac}"),
        None => format!("{sign}{grouped}"),
    }
}

/// A share (0–1) as a percentage with one decimal: `0.8` → `80.0%`.
pub fn fmt_share(share: f64) -> String {
    if share.is_finite() {
        format!("{:.1}%", share * 100.0)
    } else {
        "—".to_string()
    }
}

/// A calendar date (no time zone).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// A checked date; `None` when the day does not exist (by `jiff`'s calendar).
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        civil(year, month, day)?;
        Some(Date { year, month, day })
    }

    /// Reads `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Option<Date> {
        let mut parts = text.trim().splitn(3, '-');
        let year = parts.next()?.parse().ok()?;
        let month = parts.next()?.parse().ok()?;
        let day = parts.next()?.parse().ok()?;
        Date::new(year, month, day)
    }

    /// ISO form `YYYY-MM-DD`.
    pub fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// Day of the week, 0 = Monday … 6 = Sunday.
    pub fn weekday(self) -> u8 {
        civil(self.year, self.month, self.day).map_or(0, |date| date.weekday().to_monday_zero_offset().unsigned_abs())
    }
}

fn civil(year: i32, month: u8, day: u8) -> Option<jiff::civil::Date> {
    jiff::civil::Date::new(
        i16::try_from(year).ok()?,
        i8::try_from(month).ok()?,
        i8::try_from(day).ok()?,
    )
    .ok()
}

/// Days in a month of the Gregorian calendar (`jiff`'s); 0 for an invalid month.
pub fn days_in_month(year: i32, month: u8) -> u8 {
    civil(year, month, 1).map_or(0, |date| date.days_in_month().unsigned_abs())
}

const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A date for the locale: `2026年3月5日` / `5 Mar 2026`.
pub fn fmt_date(lang: Lang, date: Date) -> String {
    match lang {
        Lang::Zh => format!("{}年{}月{}日", date.year, date.month, date.day),
        Lang::En => format!(
            "{} {} {}",
            date.day,
            MONTHS_EN[usize::from(date.month.clamp(1, 12) - 1)],
            date.year
        ),
    }
}

/// A month name for the locale: `3月` / `Mar`.
pub fn fmt_month(lang: Lang, month: u8) -> String {
    match lang {
        Lang::Zh => format!("{month}月"),
        Lang::En => MONTHS_EN[usize::from(month.clamp(1, 12) - 1)].to_string(),
    }
}

/// An RFC 3339 timestamp (`2026-03-05T08:00:00Z`, offsets accepted) shown in China Standard Time
/// (UTC+8, no daylight saving since 1991): `2026年3月5日 16:00` / `5 Mar 2026 16:00`. A text that is not
/// such a timestamp is shown as it is.
pub fn fmt_timestamp(lang: Lang, rfc3339: &str) -> String {
    let Ok(timestamp) = rfc3339.trim().parse::<jiff::Timestamp>() else {
        return rfc3339.to_string();
    };
    let local = jiff::tz::offset(8).to_datetime(timestamp);
    let date = Date {
        year: i32::from(local.year()),
        month: local.month().unsigned_abs(),
        day: local.day().unsigned_abs(),
    };
    format!("{} {:02}:{:02}", fmt_date(lang, date), local.hour(), local.minute())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_tables_parse_and_agree() {
        assert_eq!(check_catalog(), Vec::<String>::new());
        assert!(CATALOG.keys(Lang::Zh).len() > 50);
    }

    #[test]
    fn missing_key_is_marked_and_parameters_fill_in() {
        assert_eq!(t(Lang::Zh, "no.such.key"), "⟦no.such.key⟧");
        let catalog = Catalog::parse("[a]\nb = \"共{n}项\"", "[a]\nb = \"{n} items\"").unwrap();
        assert_eq!(catalog.get(Lang::En, "a.b"), Some("{n} items"));
        assert!(Catalog::parse("a = 1", "").is_err());
    }

    #[test]
    fn languages_read_leniently() {
        assert_eq!(Lang::from_code("zh_CN"), Some(Lang::Zh));
        assert_eq!(Lang::from_code("EN-us"), Some(Lang::En));
        assert_eq!(Lang::from_code("fr"), None);
        assert_eq!(Lang::from_accept_language("fr-FR,fr;q=0.9,en;q=0.8"), Lang::En);
        assert_eq!(Lang::from_accept_language("de"), Lang::Zh);
        assert_eq!(Lang::En.pick("柳州", ""), "柳州");
    }

    #[test]
    fn numbers_and_dates_are_formatted_for_the_locale() {
        assert_eq!(fmt_number(396_229.77), "396,229.77");
        assert_eq!(fmt_number(-12_345.0), "-12,345");
        assert_eq!(fmt_number(2021.0), "2021");
        assert_eq!(fmt_number(0.1422), "0.1422");
        assert_eq!(fmt_share(0.8), "80.0%");
        let date = Date::new(2026, 3, 5).unwrap();
        assert_eq!(fmt_date(Lang::Zh, date), "2026年3月5日");
        assert_eq!(fmt_date(Lang::En, date), "5 Mar 2026");
        assert_eq!(Date::new(2023, 2, 29), None);
        assert_eq!(Date::new(2024, 2, 29).map(Date::weekday), Some(3)); // a Thursday
        assert_eq!(Date::new(1970, 1, 1).map(Date::weekday), Some(3));
        assert_eq!(fmt_timestamp(Lang::Zh, "2026-03-05T20:30:00Z"), "2026年3月6日 04:30");
        assert_eq!(fmt_timestamp(Lang::En, "2026-03-05T08:00:00+08:00"), "5 Mar 2026 08:00");
        assert_eq!(fmt_timestamp(Lang::Zh, "yesterday"), "yesterday");
        assert_eq!(fmt_timestamp(Lang::Zh, "2026-03-05 23:59Z"), "2026年3月6日 07:59");
        assert_eq!(days_in_month(2024, 2), 29);
        assert_eq!(days_in_month(1900, 2), 28);
        assert_eq!(days_in_month(2024, 13), 0);
    }
}
