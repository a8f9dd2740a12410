//! The example zone 450202 with the seed's history (2017 and 2021 from the plan) plus the SYNTHETIC
//! 2022–2024 series of `data/synthetic/progress/`: the rows at risk for 2025 and the yearly change
//! each needs.

use std::path::PathBuf;

use ecociv_progress::zone::{RowMethod, ZoneProgress, zone_progress};
use ecociv_progress::{QualitativeStatus, RiskReason, Status};

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn progress(target_year: i32, with_synthetic: bool) -> ZoneProgress {
    let mut loaded = ecociv_data::load_zone("450202").expect("bundled example zone loads");
    if with_synthetic {
        let path = repo_root().join("data/synthetic/progress/450202-2022-2024.csv");
        let observations =
            ecociv_data::load::load_values_file(&path, &loaded.framework).expect("synthetic series is valid");
        loaded.zone.override_with(observations);
    }
    zone_progress(&loaded.framework, &loaded.zone, target_year)
}

fn row<'a>(p: &'a ZoneProgress, id: &str) -> &'a ecociv_progress::zone::RowReport {
    p.rows
        .iter()
        .find(|r| r.id == id)
        .unwrap_or_else(|| panic!("row {id} present"))
}

#[test]
fn names_the_rows_at_risk_for_2025_and_the_change_each_needs() {
    let p = progress(2025, true);
    assert_eq!(p.zone, "450202");
    assert_eq!(p.target_year, 2025);
    assert_eq!(p.base_year, 2021);
    // The rows the synthetic series was built to put at risk (README of the data), and no other.
    assert_eq!(p.at_risk, ["1", "9", "10", "19", "20.1", "21.2", "24", "32", "35"]);

    // 24 村镇饮用水卫生合格率: 80 in 2024, target 100 in 2025: 20 points in one year.
    let r24 = row(&p, "24");
    assert_eq!(r24.method, RowMethod::Method2Target);
    assert_eq!(r24.target, Some(100.0));
    assert_eq!(r24.required_yearly_change, Some(20.0));
    assert_eq!(
        r24.required_change_text.as_ref().map(|t| t.zh.as_str()),
        Some("每年需提高 20 个百分点")
    );
    assert_eq!(r24.lead_departments, ["城中区卫生健康局"]);
    assert_eq!(r24.synthetic_years, [2022, 2023, 2024]);
    assert!(r24.warning.reasons.contains(&RiskReason::UnsdForecastMissesTarget));

    // 20.1 化肥利用率: 42.3 in 2024, target 44: 1.7 points.
    let r201 = row(&p, "20.1");
    let change = r201.required_yearly_change.expect("a change is needed");
    assert!((change - 1.7).abs() < 1e-9, "{change}");

    // 32 政府绿色采购比例 falls: deterioration, at risk by band, 2.4 points needed.
    let r32 = row(&p, "32");
    assert_eq!(r32.status, Status::Deterioration);
    assert!(r32.warning.reasons.contains(&RiskReason::BandBelowModerate));
    assert!((r32.required_yearly_change.expect("needed") - 2.4).abs() < 1e-9);

    // 19 不低于现状值: method 1, forecasts compared with the 2021 value 7.37.
    let r19 = row(&p, "19");
    assert_eq!(r19.method, RowMethod::Method1NoTarget);
    assert_eq!(r19.target, Some(7.37));
    assert_eq!(r19.status, Status::Deterioration);

    // 1 生态文明建设规划: still 正在制定, target 制定实施: qualitative, not achieved.
    let r1 = row(&p, "1");
    assert_eq!(r1.method, RowMethod::Qualitative);
    assert_eq!(r1.qualitative_status, Some(QualitativeStatus::NotAchieved));

    // Rows on course are not flagged: 20.2 and 30 progress substantially, 3 has met ≥22.
    assert_eq!(row(&p, "20.2").status, Status::SubstantialProgress);
    assert_eq!(row(&p, "30").status, Status::SubstantialProgress);
    assert_eq!(row(&p, "3").status, Status::TargetAchieved);
    assert_eq!(row(&p, "3").required_yearly_change, Some(0.0));

    // 17 energy intensity restates the standard: method 1 over 2021–2024 (2017 used only by the fit).
    let r17 = row(&p, "17");
    assert_eq!(r17.method, RowMethod::Method1NoTarget);
    let prog = r17.progress.as_ref().expect("measured");
    assert_eq!(prog.base_year, Some(2021));
    let fit = r17
        .forecast_detail
        .as_ref()
        .and_then(|f| f.weighted_linear.as_ref())
        .expect("fit");
    assert_eq!(fit.points.first().map(|p| p.0), Some(2017));
}

#[test]
fn aggregates_count_qualitative_rows_for_target_achieved() {
    let p = progress(2025, true);
    // Task (一): rows 3 and 5 achieved (score 5 each), but row 1 (qualitative, 正在制定) is not.
    let task1 = p.tasks.iter().find(|t| t.id == "1").expect("task 1");
    assert_eq!(task1.aggregate.score, Some(5.0));
    assert!(
        task1.aggregate.target_achieved,
        "the method alone ignores the unscored row"
    );
    assert!(!task1.target_achieved);
    assert_eq!(task1.status, Status::SubstantialProgress);
    // Indicator 2 is qualitative only and achieved.
    let ind2 = p.indicators.iter().find(|i| i.id == "2").expect("indicator 2");
    assert_eq!(ind2.status, Status::TargetAchieved);
    assert_eq!(ind2.aggregate.score, None);
    // Indicator 20 = mean of its two sub-rows' scores.
    let ind20 = p.indicators.iter().find(|i| i.id == "20").expect("indicator 20");
    let mean = (row(&p, "20.1").score.expect("scored") + row(&p, "20.2").score.expect("scored")) / 2.0;
    assert!((ind20.aggregate.score.expect("scored") - mean).abs() < 1e-12);
}

#[test]
fn seed_alone_has_too_few_years_for_most_rows() {
    // Without the synthetic series only 2021 (and 2017 before the base year) is on record: the
    // method refuses rows not yet at their target, with a message, instead of inventing a trend.
    let p = progress(2025, false);
    let r24 = row(&p, "24");
    assert_eq!(r24.status, Status::NotAvailable);
    assert_eq!(
        r24.progress.as_ref().and_then(|p| p.refusal.as_ref()).map(|n| n.code),
        Some("too_few_years")
    );
    assert_eq!(r24.required_yearly_change, Some(12.5), "(100 - 50) / 4 years");
    // 7.1 has 2017 and 2021, but the base year is 2021: one year since the base.
    assert_eq!(row(&p, "7.1").status, Status::NotAvailable);
    // A row at its target in 2021 is target_achieved by the method's short-cut.
    assert_eq!(row(&p, "5").status, Status::TargetAchieved);
}

#[test]
fn json_has_the_agreed_fields() {
    let p = progress(2030, true);
    let v = serde_json::to_value(&p).expect("serialises");
    assert_eq!(v["zone"], "450202");
    assert_eq!(v["target_year"], 2030);
    let rows = v["rows"].as_array().expect("rows");
    assert!(rows.len() >= 40);
    let allowed = [
        "target_achieved",
        "substantial_progress",
        "moderate_progress",
        "limited_progress",
        "deterioration",
        "not_available",
    ];
    for r in rows {
        for key in [
            "id",
            "method",
            "status",
            "score",
            "forecast",
            "target",
            "target_year",
            "required_yearly_change",
        ] {
            assert!(r.get(key).is_some(), "row {} lacks {key}", r["id"]);
        }
        let status = r["status"].as_str().expect("status is a string");
        assert!(allowed.contains(&status), "{status}");
        assert_eq!(r["target_year"], 2030);
    }
    let r9 = rows.iter().find(|r| r["id"] == "9").expect("row 9");
    assert_eq!(r9["target"], 62.5);
    assert!(r9["progress"]["cagr_required"].is_number());
    assert!(r9["forecast_detail"]["weighted_linear"]["slope"].is_number());
}

#[test]
fn targets_of_2030_continuing_states_and_capped_forecasts() {
    let p = progress(2030, true);
    // 持续推进 / 持续开展 are met by a state that meets the standard; 完善 is not met by 建立.
    assert_eq!(row(&p, "4").qualitative_status, Some(QualitativeStatus::Achieved));
    assert_eq!(row(&p, "6").qualitative_status, Some(QualitativeStatus::Achieved));
    assert_eq!(row(&p, "13").qualitative_status, Some(QualitativeStatus::NotAchieved));
    assert!(row(&p, "13").at_risk);
    // 24 rises 10 points a year: the UNSD extrapolation passes 100 %, shown capped at the range.
    let r24 = row(&p, "24");
    assert_eq!(r24.forecast, Some(100.0));
    let detail = r24.forecast_detail.as_ref().expect("forecast");
    assert!(detail.notes.iter().any(|n| n.code == "forecast_capped_to_range"));
    assert!(!r24.at_risk, "capped at 100 it still meets the 100 target");
    // 30 needs 0.516667 points a year: (98 - 94.9) / 6.
    let need = row(&p, "30").required_yearly_change.expect("needed");
    assert!((need - 3.1 / 6.0).abs() < 1e-9, "{need}");
}

#[test]
fn a_state_standing_for_a_figure_joins_a_numeric_series() {
    // 8.2 劣V类水体比例: 2021 "无劣V类水体" (= 0 %), later years as figures; the target state is 0 too.
    let run = |csv: &str| {
        let mut loaded = ecociv_data::load_zone("450202").expect("zone");
        let obs = ecociv_data::values::parse_values("test.csv", csv, &loaded.framework).expect("valid");
        loaded.zone.override_with(obs);
        zone_progress(&loaded.framework, &loaded.zone, 2025)
    };
    let clean = run("indicator,year,value,assigned\n8.2,2022,0,\n8.2,2023,0,\n8.2,2024,0,\n");
    let r = row(&clean, "8.2");
    assert_eq!(r.method, RowMethod::Method2Target);
    assert_eq!(r.target, Some(0.0));
    assert_eq!(r.status, Status::TargetAchieved);
    assert!(!r.at_risk);

    let worse = run("indicator,year,value,assigned\n8.2,2022,0,\n8.2,2023,2,\n8.2,2024,5,\n");
    let r = row(&worse, "8.2");
    // Base 0 and target 0 (both 0.001 for the method): required growth 0 and the value moved away
    // from the target, so R < 0 without bound: deterioration with the score's floor (issue 18's
    // decision from the method's published table), and a note saying why...
    assert_eq!(r.status, Status::Deterioration);
    assert_eq!(r.score, Some(-5.0));
    let measured = r.progress.as_ref().expect("measured");
    assert_eq!(measured.refusal, None);
    assert_eq!(measured.progress_value, None, "R = -inf is not reported");
    assert!(measured.warnings.iter().any(|n| n.code == "zero_required_growth"));
    // ...the trend is still forecast against the target, and the row is flagged.
    assert!(r.at_risk);
    assert!(r.warning.reasons.contains(&RiskReason::LinearForecastMissesTarget));
    assert_eq!(r.required_yearly_change, Some(-5.0));

    // Without any figure, the row stays qualitative.
    assert_eq!(row(&progress(2025, true), "8.2").method, RowMethod::Qualitative);
}

mod robustness {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]
        /// Any figures for any numeric rows and years: no panic, every status is one of the six, a row
        /// is in `at_risk` exactly when flagged, and the gap is forecast minus target.
        #[test]
        fn zone_progress_never_panics(
            values in proptest::collection::vec((0usize..30, 2015i32..2031, 0.0f64..100.0), 0..60),
            year in prop_oneof![Just(2025), Just(2030)],
        ) {
            let mut loaded = ecociv_data::load_zone("450202").expect("zone");
            let numeric: Vec<String> = loaded
                .framework
                .rows()
                .filter(|(_, r)| r.takes_numbers())
                .map(|(_, r)| r.id.clone())
                .collect();
            let mut seen = std::collections::BTreeSet::new();
            let mut csv = String::from("indicator,year,value,assigned\n");
            for (i, y, v) in values {
                let id = &numeric[i % numeric.len()];
                if seen.insert((id.clone(), y)) {
                    csv.push_str(&format!("{id},{y},{v:.3},\n"));
                }
            }
            let obs = ecociv_data::values::parse_values("p.csv", &csv, &loaded.framework).expect("valid values");
            loaded.zone.override_with(obs);
            let p = zone_progress(&loaded.framework, &loaded.zone, year);
            for r in &p.rows {
                prop_assert_eq!(r.at_risk, p.at_risk.contains(&r.id));
                if let (Some(f), Some(t), Some(g)) = (r.forecast, r.target, r.gap_to_target) {
                    prop_assert!((f - t - g).abs() < 1e-9);
                }
                if let Some(s) = r.score {
                    prop_assert!((-5.0..=5.0).contains(&s));
                }
            }
        }
    }
}

/// Issue 17: a forecast of a share never leaves [0, 100] (nor any row's range), and a straight-line
/// extrapolation further ahead than the data reach back — PM2.5 from 38 (2017) and 29 μg/m³ (2021) to
/// 8.7 in 2030 — is marked as such in the row's result and explanation, the one place the progress table,
/// the early warning and the Word report read it from; the capping note writes its figure formatted.
#[test]
fn forecasts_stay_in_range_and_long_extrapolations_are_marked() {
    let loaded = ecociv_data::load_zone("450202").expect("bundled zone");
    for target_year in [2025, 2030] {
        let progress = zone_progress(&loaded.framework, &loaded.zone, target_year);
        for row in &progress.rows {
            let (_, framework_row) = loaded.framework.row(&row.id).unwrap();
            if let (Some(forecast), Some((low, high))) = (row.forecast, framework_row.range) {
                assert!(
                    (low..=high).contains(&forecast),
                    "{target_year} row {}: {forecast} outside {low}–{high}",
                    row.id
                );
            }
            if framework_row.unit == "%" {
                assert!(
                    row.forecast.is_none_or(|f| (0.0..=100.0).contains(&f)),
                    "row {}",
                    row.id
                );
            }
            let zh = &row.explanation.zh;
            assert!(!zh.contains("0000000"), "row {}: an unformatted figure in {zh}", row.id);
        }
        let pm = progress.rows.iter().find(|row| row.id == "7.2").expect("7.2");
        assert!(pm.forecast.is_some());
        if target_year == 2030 {
            assert!(pm.forecast_beyond_data, "9 years ahead of 4 years of data");
            assert!(
                pm.explanation
                    .zh
                    .contains("外推 9 年，长于数据覆盖的 4 年（2017—2021年）"),
                "{}",
                pm.explanation.zh
            );
        } else {
            assert!(!pm.forecast_beyond_data, "4 years ahead of 4 years of data");
            assert!(!pm.explanation.zh.contains("长于数据覆盖"));
        }
    }
}
