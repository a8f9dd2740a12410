//! Validation of a value on entry (form, API, import): the row exists, the year is a year, the value is a
//! number in the row's range or a state of its vocabulary (`ecociv_core::value::parse_value`), the unit is
//! the row's, the assigned and recorded cells parse — and a warning, not a refusal, when a figure jumps
//! against last year's.
//! Also the rule for uploaded file names ([`file_name`]).

use ecociv_core::value::{parse_assigned, parse_recorded, parse_value};
use ecociv_core::{Framework, Observation, Recorded, Row, Source, Value};
use serde::Deserialize;
use serde_json::{Value as Json, json};

/// A value as a client sends it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub value: String,
    #[serde(default)]
    pub assigned: Option<String>,
    #[serde(default)]
    pub recorded: Option<String>,
    /// A citation; `synthetic: …` marks synthetic data.
    #[serde(default)]
    pub source: Option<String>,
    /// If given, must be the row's unit.
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default)]
    pub evidence: Option<String>,
    /// Why (a note on the change).
    #[serde(default)]
    pub reason: Option<String>,
    /// The revision this entry follows (optimistic concurrency); the current one when omitted.
    #[serde(default)]
    pub after: Option<i64>,
}

/// One problem with an entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub field: &'static str,
    pub message: String,
}

impl Problem {
    pub fn json(&self) -> Json {
        json!({ "field": self.field, "message": self.message })
    }
}

/// A year a value may have.
pub fn check_year(year: i32) -> Result<(), Problem> {
    if ecociv_core::value::YEARS.contains(&year) {
        Ok(())
    } else {
        Err(Problem {
            field: "year",
            message: format!("“{year}”不是有效年份 (not a valid year)"),
        })
    }
}

/// Checks an entry for a row and year and makes the observation. `default_source` is used when the entry
/// names none.
pub fn observation(row: &Row, year: i32, entry: &Entry, default_source: &str) -> Result<Observation, Vec<Problem>> {
    let mut problems = Vec::new();
    if let Err(problem) = check_year(year) {
        problems.push(problem);
    }
    if let Some(unit) = entry.unit.as_deref().map(str::trim).filter(|unit| !unit.is_empty())
        && unit != row.unit
    {
        problems.push(Problem {
            field: "unit",
            message: format!("单位应为“{}”，而不是“{unit}” (wrong unit)", row.unit),
        });
    }
    let value = parse_value(row, &entry.value).map_err(|error| Problem {
        field: "value",
        message: format!("指标 {}：{error}", row.id),
    });
    let assigned = parse_assigned(row, entry.assigned.as_deref().unwrap_or("")).map_err(|error| Problem {
        field: "assigned",
        message: format!("指标 {}：{error}", row.id),
    });
    let recorded = parse_recorded(entry.recorded.as_deref().unwrap_or("")).map_err(|error| Problem {
        field: "recorded",
        message: format!("指标 {}：{error}", row.id),
    });
    let source_text = entry.source.as_deref().map(str::trim).unwrap_or("");
    let source = if let Some(note) = source_text.strip_prefix("synthetic:") {
        Source::Synthetic {
            note: note.trim().to_string(),
            files: Vec::new(),
        }
    } else if source_text.is_empty() {
        Source::Document {
            citation: default_source.to_string(),
        }
    } else {
        Source::Document {
            citation: source_text.to_string(),
        }
    };
    match (value, assigned, recorded) {
        (Ok(value), Ok(assigned), Ok(recorded)) if problems.is_empty() => Ok(Observation {
            row: row.id.clone(),
            year,
            value,
            assigned,
            recorded: recorded.map(|met| Recorded {
                met,
                source: source.describe(),
            }),
            source,
        }),
        (value, assigned, recorded) => {
            problems.extend(value.err());
            problems.extend(assigned.err());
            problems.extend(recorded.err());
            Err(problems)
        }
    }
}

/// Relative change against last year above which a figure is flagged (50 %).
pub const JUMP_RELATIVE: f64 = 0.5;
/// Change, in points, of a share (unit `%`) above which it is flagged.
pub const JUMP_POINTS: f64 = 20.0;

/// A warning when a figure jumps against last year's: more than [`JUMP_POINTS`] points for a share, more
/// than [`JUMP_RELATIVE`] relative otherwise. A plausibility hint for the person entering, never a refusal.
pub fn jump_warning(row: &Row, previous: Option<&Value>, current: &Value) -> Option<String> {
    let (Some(Value::Number(before)), Value::Number(after)) = (previous, current) else {
        return None;
    };
    let (before, after) = (*before, *after);
    let jumped = if row.unit == "%" {
        (after - before).abs() > JUMP_POINTS
    } else if before == 0.0 {
        after != 0.0
    } else {
        ((after - before) / before).abs() > JUMP_RELATIVE
    };
    jumped.then(|| {
        format!(
            "指标 {} 与上年相比变化较大：{} → {}，请核实 (large change against last year: please check)",
            row.id,
            ecociv_core::num::show(before),
            ecociv_core::num::show(after)
        )
    })
}

/// The framework row, or a problem naming the id.
pub fn row<'f>(framework: &'f Framework, id: &str) -> Result<&'f Row, Problem> {
    framework.row(id).map(|(_, row)| row).ok_or_else(|| {
        let hint = if framework
            .indicator(id)
            .is_some_and(|indicator| indicator.has_sub_rows())
        {
            "；该指标有子指标，请填写子指标编号（如 7.1）"
        } else {
            ""
        };
        Problem {
            field: "indicator",
            message: format!("未知指标编号“{id}”{hint} (unknown indicator id)"),
        }
    })
}

/// A file name as uploaded (evidence, monitoring files), trimmed; `None` when it is empty, longer than 255
/// bytes, holds a path separator or any control character (it is shown on pages and sent back in
/// `Content-Disposition`).
pub fn file_name(name: &str) -> Option<&str> {
    let name = name.trim();
    let bad = name.is_empty()
        || name.len() > 255
        || name.contains(['/', '\\'])
        || name.chars().any(char::is_control)
        || name.chars().all(|c| c == '.');
    (!bad).then_some(name)
}

/// The longest username, in characters.
pub const MAX_USERNAME_CHARS: usize = 64;

/// A username as stored: Unicode NFKC form (full-width letters and compatibility forms folded), trimmed;
/// only letters and digits of any script (Chinese names included) and `-`, `_`, `.`, `@`; no control,
/// invisible (zero-width, soft hyphen), bidirectional-override or space character; Latin, Cyrillic and
/// Greek letters not mixed in one name (`аdmin` with a Cyrillic а). See [`username_skeleton`] for the
/// comparison with existing names.
pub fn username(name: &str) -> Result<String, Problem> {
    use unicode_normalization::UnicodeNormalization;
    let problem = |message: &str| Problem {
        field: "username",
        message: message.to_string(),
    };
    let name: String = name.trim().nfkc().collect();
    if name.is_empty() || name.chars().count() > MAX_USERNAME_CHARS {
        return Err(problem("用户名须为 1–64 个字符 (username: 1 to 64 characters)"));
    }
    if !name
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '@'))
    {
        return Err(problem(
            "用户名只能含字母、数字和 - _ . @，不能有空格、控制字符或不可见字符 (username: letters, digits and - _ . @ only)",
        ));
    }
    if lookalike_scripts(&name) > 1 {
        return Err(problem(
            "用户名不能混用拉丁、西里尔或希腊字母 (username mixes Latin, Cyrillic or Greek letters)",
        ));
    }
    Ok(name)
}

/// How many of the scripts whose letters look alike (Latin, Cyrillic, Greek) a name uses.
fn lookalike_scripts(name: &str) -> usize {
    use unicode_script::{Script, UnicodeScript};
    let mut seen = [false; 3];
    for c in name.chars() {
        match c.script() {
            Script::Latin => seen[0] = true,
            Script::Cyrillic => seen[1] = true,
            Script::Greek => seen[2] = true,
            _ => {}
        }
    }
    seen.iter().filter(|s| **s).count()
}

/// The form two usernames are compared in: lower case, with the Cyrillic and Greek letters that look like
/// Latin ones, and the digits `0`/`1`, mapped to those letters (`i`, `l`, `1` as one) — a small subset of Unicode's confusables
/// (UTS #39 skeleton) covering the letters of Latin names; kept here rather than taking a crate for one
/// table. Two names with one skeleton cannot both exist (`admin`, `ADMIN`, `аdmin` in Cyrillic, `adm1n`).
pub fn username_skeleton(name: &str) -> String {
    name.to_lowercase()
        .chars()
        .map(|c| match c {
            'а' | 'α' => 'a',
            'в' | 'β' => 'b',
            'с' | 'ϲ' => 'c',
            'ԁ' => 'd',
            'е' | 'ё' | 'ε' => 'e',
            'һ' => 'h',
            'i' | 'і' | 'ї' | 'ι' | '1' | '|' => 'l',
            'ј' => 'j',
            'к' | 'κ' => 'k',
            'м' | 'μ' => 'm',
            'п' | 'η' => 'n',
            'о' | 'ο' | '0' => 'o',
            'р' | 'ρ' => 'p',
            'ԛ' => 'q',
            'ѕ' => 's',
            'т' | 'τ' => 't',
            'υ' => 'u',
            'ν' => 'v',
            'ԝ' | 'ω' => 'w',
            'х' | 'χ' => 'x',
            'у' | 'γ' => 'y',
            'z' | 'ζ' => 'z',
            other => other,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_normalised_and_lookalikes_refused() {
        assert_eq!(
            username("  ｅｄｉｔｏｒ ").unwrap(),
            "editor",
            "full-width folded by NFKC"
        );
        assert_eq!(username("城中区环保局-张三").unwrap(), "城中区环保局-张三");
        for bad in [
            "",
            "   ",
            "admin\u{200B}",
            "ad\u{200D}min",
            "\u{202E}nimda",
            "admin\u{2066}",
            "ad min",
            "ad\nmin",
            "admin\u{7}",
            "\u{AD}admin",
            "аdmin",
            "admin/..",
        ] {
            assert!(username(bad).is_err(), "{bad:?}");
        }
        assert!(username(&"a".repeat(65)).is_err());
        assert_eq!(username_skeleton("ADMIN"), username_skeleton("admin"));
        assert_eq!(username_skeleton("аdmin"), username_skeleton("admin"));
        assert_eq!(username_skeleton("adm1n"), username_skeleton("admin"));
        assert_eq!(username_skeleton("аdmіn"), username_skeleton("admin"));
        assert_ne!(username_skeleton("editor"), username_skeleton("admin"));
    }

    #[test]
    fn file_names_refuse_paths_and_control_characters() {
        assert_eq!(file_name("  监测报告 2021.pdf "), Some("监测报告 2021.pdf"));
        for bad in [
            "",
            "  ",
            "../etc/passwd",
            "a\\b.pdf",
            "a\0b",
            "a\nb.pdf",
            "a\u{1b}[31m.pdf",
            ".",
            "..",
            " ... ",
            &"x".repeat(256),
        ] {
            assert_eq!(file_name(bad), None, "{bad:?}");
        }
    }

    fn framework() -> Framework {
        ecociv_data::bundled::framework("national-2021").unwrap()
    }

    fn entry(value: &str) -> Entry {
        Entry {
            value: value.into(),
            ..Entry::default()
        }
    }

    #[test]
    fn entries_are_checked_for_type_range_states_unit_and_year() {
        let framework = framework();
        let share = row(&framework, "7.1").unwrap();
        assert!(observation(share, 2022, &entry("95.5"), "x").is_ok());
        let problems = observation(share, 2022, &entry("120"), "x").unwrap_err();
        assert_eq!(problems[0].field, "value");
        let states = row(&framework, "1").unwrap();
        assert!(observation(states, 2022, &entry("制定实施"), "x").is_ok());
        assert_eq!(
            observation(states, 2022, &entry("随便"), "x").unwrap_err()[0].field,
            "value"
        );
        let wrong_unit = Entry {
            unit: Some("吨".into()),
            ..entry("95")
        };
        assert_eq!(observation(share, 2022, &wrong_unit, "x").unwrap_err()[0].field, "unit");
        assert_eq!(
            observation(share, 1800, &entry("95"), "x").unwrap_err()[0].field,
            "year"
        );
        assert!(row(&framework, "7").is_err() && row(&framework, "99").is_err());
    }

    #[test]
    fn a_jump_against_last_year_warns() {
        let framework = framework();
        let share = row(&framework, "7.1").unwrap();
        assert!(jump_warning(share, Some(&Value::Number(90.0)), &Value::Number(95.0)).is_none());
        assert!(jump_warning(share, Some(&Value::Number(90.0)), &Value::Number(60.0)).is_some());
        let ratio = row(&framework, "17").unwrap();
        assert!(jump_warning(ratio, Some(&Value::Number(0.16)), &Value::Number(0.15)).is_none());
        assert!(jump_warning(ratio, Some(&Value::Number(0.16)), &Value::Number(0.40)).is_some());
        assert!(jump_warning(ratio, None, &Value::Number(0.40)).is_none());
    }
}
