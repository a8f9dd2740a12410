//! Every criterion kind, with met / not met / no data and the boundaries the standard's wording implies.

use ecociv_core::{Assigned, Basis, Criterion, Direction, Observation, Row, Status, assess};

use crate::support::*;

/// Judges a single row in 2021 with the given observations and returns (status, basis, explanation).
fn judge(row: Row, observations: Vec<Observation>) -> (Status, Basis, String) {
    let id = row.id.clone();
    let framework = framework(vec![row], &[]);
    let assessment = assess(&framework, &zone(observations), 2021);
    let entry = assessment
        .rows
        .iter()
        .find(|entry| entry.id == id)
        .expect("row assessed");
    (entry.status, entry.basis, entry.explanation.zh.clone())
}

fn status(row: Row, observations: Vec<Observation>) -> Status {
    judge(row, observations).0
}

fn stable() -> Criterion {
    Criterion::StableOrImproving
}

fn task() -> Criterion {
    Criterion::AssignedTask {
        wording: "完成上级规定的考核任务".into(),
    }
}

#[test]
fn at_least_boundaries() {
    let row = || share("3", Criterion::AtLeast(20.0));
    assert_eq!(
        status(row(), vec![num("3", 2021, 20.0)]),
        Status::Met,
        "exactly 20 meets ≥20"
    );
    assert_eq!(status(row(), vec![num("3", 2021, 19.99)]), Status::NotMet);
    assert_eq!(status(row(), vec![num("3", 2021, 21.4)]), Status::Met);
    assert_eq!(status(row(), vec![]), Status::NoData, "never met without a value");
    assert_eq!(
        status(row(), vec![num("3", 2020, 25.0)]),
        Status::NoData,
        "another year's value is not this year's"
    );
}

#[test]
fn at_most_boundaries() {
    let row = || row("x", Direction::LowerIsBetter, None, Criterion::AtMost(0.7));
    assert_eq!(status(row(), vec![num("x", 2021, 0.7)]), Status::Met);
    assert_eq!(status(row(), vec![num("x", 2021, 0.7001)]), Status::NotMet);
}

#[test]
fn reach_one_hundred_means_one_hundred() {
    let row = || share("5", Criterion::Reach(100.0));
    assert_eq!(status(row(), vec![num("5", 2021, 100.0)]), Status::Met);
    assert_eq!(
        status(row(), vec![num("5", 2021, 99.99)]),
        Status::NotMet,
        "99.99 does not reach 100"
    );
    let lower = row_lower_reach();
    assert_eq!(status(lower.clone(), vec![num("y", 2021, 0.0)]), Status::Met);
    assert_eq!(status(lower, vec![num("y", 2021, 0.01)]), Status::NotMet);
}

fn row_lower_reach() -> Row {
    row("y", Direction::LowerIsBetter, Some((0.0, 100.0)), Criterion::Reach(0.0))
}

#[test]
fn states_meet_fail_and_describe() {
    let plan = || {
        with_states(
            row("1", Direction::NotApplicable, None, Criterion::States),
            &["制定实施", "持续实施"],
            &["正在制定"],
            &[],
        )
    };
    assert_eq!(status(plan(), vec![state("1", 2021, "制定实施")]), Status::Met);
    assert_eq!(status(plan(), vec![state("1", 2021, "持续实施")]), Status::Met);
    assert_eq!(status(plan(), vec![state("1", 2021, "正在制定")]), Status::NotMet);
    // "None present" states meet a numeric criterion.
    let bad_water = with_states(
        row(
            "8.2",
            Direction::LowerIsBetter,
            Some((0.0, 100.0)),
            Criterion::AllOf(vec![task(), stable()]),
        ),
        &["无劣V类水体"],
        &[],
        &[],
    );
    assert_eq!(status(bad_water, vec![state("8.2", 2021, "无劣V类水体")]), Status::Met);
}

#[test]
fn unknown_state_text_is_refused_on_input_not_failed() {
    let plan = with_states(
        row("1", Direction::NotApplicable, None, Criterion::States),
        &["制定实施"],
        &["正在制定"],
        &[],
    );
    let error = ecociv_core::value::parse_value(&plan, "差不多制定了").unwrap_err();
    assert!(
        error.to_string().contains("制定实施"),
        "the error lists the allowed states: {error}"
    );
    assert!(
        ecociv_core::value::parse_value(&plan, "12").is_err(),
        "a state-only row refuses numbers"
    );
    let percent = share("3", Criterion::AtLeast(20.0));
    assert_eq!(
        ecociv_core::value::parse_value(&percent, "94.5%"),
        Ok(ecociv_core::Value::Number(94.5))
    );
    assert!(
        ecociv_core::value::parse_value(&percent, "120").is_err(),
        "a share is 0–100"
    );
    assert!(ecociv_core::value::parse_value(&percent, "NaN").is_err());
    assert!(ecociv_core::value::parse_value(&percent, "").is_err());
}

#[test]
fn assigned_task_against_assigned_value_in_the_rows_direction() {
    let pm = || row("7.2", Direction::LowerIsBetter, Some((0.0, 1000.0)), task());
    assert_eq!(
        status(pm(), vec![assigned(num("7.2", 2021, 30.0), Assigned::Value(30.0))]),
        Status::Met,
        "equal to assigned"
    );
    assert_eq!(
        status(pm(), vec![assigned(num("7.2", 2021, 31.0), Assigned::Value(30.0))]),
        Status::NotMet
    );
    assert_eq!(
        status(pm(), vec![assigned(num("7.2", 2021, 29.0), Assigned::Value(30.0))]),
        Status::Met
    );
    let good_days = || share("7.1", task());
    assert_eq!(
        status(
            good_days(),
            vec![assigned(num("7.1", 2021, 94.5), Assigned::Value(94.5))]
        ),
        Status::Met
    );
    assert_eq!(
        status(
            good_days(),
            vec![assigned(num("7.1", 2021, 94.4), Assigned::Value(94.5))]
        ),
        Status::NotMet
    );
    assert_eq!(
        status(good_days(), vec![num("7.1", 2021, 94.5)]),
        Status::NoData,
        "no assigned value, no verdict"
    );
}

#[test]
fn assigned_task_against_recorded_verdict() {
    let energy = || row("17", Direction::LowerIsBetter, None, task());
    assert_eq!(
        status(energy(), vec![assigned(num("17", 2021, 0.14), Assigned::Verdict(true))]),
        Status::Met
    );
    assert_eq!(
        status(
            energy(),
            vec![assigned(num("17", 2021, 0.14), Assigned::Verdict(false))]
        ),
        Status::NotMet
    );
    // A describing state leaves the decision to the verdict.
    let shore = || with_states(share("16", task()), &[], &[], &["已划定管理范围"]);
    assert_eq!(
        status(
            shore(),
            vec![assigned(state("16", 2021, "已划定管理范围"), Assigned::Verdict(true))]
        ),
        Status::Met
    );
    assert_eq!(
        status(shore(), vec![state("16", 2021, "已划定管理范围")]),
        Status::NoData
    );
}

#[test]
fn a_share_at_its_natural_limit_meets_any_assigned_target() {
    let toilets = || share("29", task());
    let (status, _, explanation) = judge(toilets(), vec![num("29", 2021, 100.0)]);
    assert_eq!(status, Status::Met);
    assert!(explanation.contains("上限"), "{explanation}");
    assert_eq!(super_status(toilets(), 99.9), Status::NoData);
}

fn super_status(row: Row, value: f64) -> Status {
    status(row, vec![num("29", 2021, value)])
}

#[test]
fn stable_or_improving_against_latest_earlier_value() {
    let days = || share("7.1", stable());
    assert_eq!(
        status(days(), vec![num("7.1", 2017, 89.5), num("7.1", 2021, 94.5)]),
        Status::Met
    );
    assert_eq!(
        status(days(), vec![num("7.1", 2020, 94.5), num("7.1", 2021, 94.5)]),
        Status::Met,
        "equal to last year is stable"
    );
    assert_eq!(
        status(days(), vec![num("7.1", 2020, 94.6), num("7.1", 2021, 94.5)]),
        Status::NotMet
    );
    // The latest earlier value counts, not the oldest.
    assert_eq!(
        status(
            days(),
            vec![num("7.1", 2017, 99.0), num("7.1", 2020, 90.0), num("7.1", 2021, 94.5)]
        ),
        Status::Met
    );
    assert_eq!(status(days(), vec![num("7.1", 2021, 94.5)]), Status::NoData);
    let pm = || row("7.2", Direction::LowerIsBetter, Some((0.0, 1000.0)), stable());
    assert_eq!(
        status(pm(), vec![num("7.2", 2017, 38.0), num("7.2", 2021, 29.0)]),
        Status::Met
    );
    assert_eq!(
        status(pm(), vec![num("7.2", 2017, 28.0), num("7.2", 2021, 29.0)]),
        Status::NotMet
    );
    // A later override of an earlier year is the value in force for that year.
    assert_eq!(
        status(
            pm(),
            vec![num("7.2", 2020, 20.0), num("7.2", 2020, 35.0), num("7.2", 2021, 29.0)]
        ),
        Status::Met
    );
}

#[test]
fn two_part_criterion_judges_the_parts_that_can_be_judged() {
    let days = || share("7.1", Criterion::AllOf(vec![task(), stable()]));
    // Only the stability part can be judged: met, and the explanation says which parts were judged.
    let (state, basis, explanation) = judge(days(), vec![num("7.1", 2017, 89.5), num("7.1", 2021, 94.5)]);
    assert_eq!((state, basis), (Status::Met, Basis::Rule));
    assert!(explanation.contains("已判定1/2部分"), "{explanation}");
    // The label and the flag name the part judged: not a plain 达标.
    let framework = framework(vec![days()], &[]);
    let assessment = assess(
        &framework,
        &zone(vec![num("7.1", 2017, 89.5), num("7.1", 2021, 94.5)]),
        2021,
    );
    let entry = assessment.rows.iter().find(|entry| entry.id == "7.1").unwrap();
    assert_eq!(entry.label().zh, "达标（仅判定：保持稳定或持续改善）");
    assert_eq!(entry.partial.as_ref().unwrap().zh, "保持稳定或持续改善");
    assert!(
        entry
            .explanation
            .zh
            .contains("结论：达标（仅判定“保持稳定或持续改善”，“完成上级规定的考核任务”尚无法判定）"),
        "{}",
        entry.explanation.zh
    );
    // Both judged, one fails.
    assert_eq!(
        status(
            days(),
            vec![
                num("7.1", 2020, 90.0),
                assigned(num("7.1", 2021, 94.5), Assigned::Value(95.0))
            ]
        ),
        Status::NotMet
    );
    // Both judged, both met.
    assert_eq!(
        status(
            days(),
            vec![
                num("7.1", 2020, 90.0),
                assigned(num("7.1", 2021, 95.0), Assigned::Value(95.0))
            ]
        ),
        Status::Met
    );
    // No part judgeable: no data.
    assert_eq!(status(days(), vec![num("7.1", 2021, 94.5)]), Status::NoData);
}

#[test]
fn spatial_rule_on_area_nature_and_function() {
    let red_line = || {
        let mut row = with_states(
            row("15.1", Direction::NotApplicable, None, Criterion::Spatial),
            &["已划定"],
            &["未划定"],
            &[],
        );
        row.spatial = true;
        row
    };
    let base = spatial("15.1", 2020, Some(12.5), Some(true), Some(true));
    assert_eq!(
        status(
            red_line(),
            vec![base.clone(), spatial("15.1", 2021, Some(12.5), Some(true), Some(true))]
        ),
        Status::Met
    );
    assert_eq!(
        status(
            red_line(),
            vec![base.clone(), spatial("15.1", 2021, Some(12.4), Some(true), Some(true))]
        ),
        Status::NotMet
    );
    assert_eq!(
        status(
            red_line(),
            vec![base.clone(), spatial("15.1", 2021, Some(13.0), Some(false), Some(true))]
        ),
        Status::NotMet
    );
    assert_eq!(
        status(
            red_line(),
            vec![base, spatial("15.1", 2021, Some(13.0), Some(true), Some(false))]
        ),
        Status::NotMet
    );
    // No earlier area: area part not judged, nature and function judged.
    assert_eq!(
        status(
            red_line(),
            vec![spatial("15.1", 2021, Some(12.5), Some(true), Some(true))]
        ),
        Status::Met
    );
    assert_eq!(
        status(red_line(), vec![spatial("15.1", 2021, None, None, None)]),
        Status::NoData
    );
    assert_eq!(status(red_line(), vec![state("15.1", 2021, "已划定")]), Status::Met);
    assert_eq!(status(red_line(), vec![state("15.1", 2021, "未划定")]), Status::NotMet);
    // The record parses from the text a department types.
    let row = red_line();
    let parsed = ecociv_core::value::parse_value(&row, "面积=12.5;性质=不变;功能=不降低").unwrap();
    assert_eq!(parsed.display(), "面积=12.5;性质=不变;功能=不降低");
    assert!(ecociv_core::value::parse_value(&row, "面积=abc").is_err());
}

#[test]
fn conditional_rule_of_indicator_22() {
    let waste = || {
        share(
            "22",
            Criterion::Conditional {
                threshold: 60.0,
                at_or_below: Box::new(Criterion::RiseAtLeast(2.0)),
                above: Box::new(stable()),
            },
        )
    };
    // ≤60 %: a rise of at least 2 points against the earlier value; 62.1 − 60.1 is exactly 2 despite float noise.
    assert_eq!(
        status(waste(), vec![num("22", 2020, 56.1), num("22", 2021, 58.1)]),
        Status::Met
    );
    assert_eq!(
        status(waste(), vec![num("22", 2020, 56.2), num("22", 2021, 58.1)]),
        Status::NotMet
    );
    assert_eq!(
        status(waste(), vec![num("22", 2020, 58.0), num("22", 2021, 60.0)]),
        Status::Met,
        "exactly 60 is the ≤60 branch"
    );
    assert_eq!(status(waste(), vec![num("22", 2021, 55.0)]), Status::NoData);
    // >60 %: stable or improving.
    assert_eq!(
        status(waste(), vec![num("22", 2020, 89.31), num("22", 2021, 89.31)]),
        Status::Met
    );
    assert_eq!(
        status(waste(), vec![num("22", 2020, 90.0), num("22", 2021, 89.31)]),
        Status::NotMet
    );
    let (status, _, explanation) = judge(waste(), vec![num("22", 2021, 89.31)]);
    assert_eq!(status, Status::NoData);
    assert!(explanation.contains("89.31% > 60%"), "{explanation}");
}

#[test]
fn rise_is_measured_against_the_direction() {
    let row = row("z", Direction::LowerIsBetter, None, Criterion::RiseAtLeast(2.0));
    assert_eq!(
        status(row.clone(), vec![num("z", 2020, 10.0), num("z", 2021, 8.0)]),
        Status::Met
    );
    assert_eq!(
        status(row, vec![num("z", 2020, 10.0), num("z", 2021, 12.0)]),
        Status::NotMet
    );
}

#[test]
fn unknown_standard_gives_no_data() {
    let row = share(
        "9",
        Criterion::Unknown {
            reason: "半干旱地区的指标值未知".into(),
        },
    );
    let (status, _, explanation) = judge(row, vec![num("9", 2021, 61.0)]);
    assert_eq!(status, Status::NoData);
    assert!(explanation.contains("半干旱"), "{explanation}");
}

#[test]
fn recorded_verdict_only_where_the_rule_cannot_judge() {
    let water = || {
        row(
            "18",
            Direction::LowerIsBetter,
            None,
            Criterion::AllOf(vec![task(), stable()]),
        )
    };
    let (state, basis, explanation) = judge(water(), vec![recorded(num("18", 2021, 16.63), true)]);
    assert_eq!((state, basis), (Status::Met, Basis::Recorded));
    assert!(explanation.contains("规划表2-1"), "{explanation}");
    // The rule can judge: it decides, and the disagreement is a warning.
    let framework = framework(vec![water()], &[]);
    let zone = zone(vec![num("18", 2020, 15.0), recorded(num("18", 2021, 16.63), true)]);
    let assessment = assess(&framework, &zone, 2021);
    let entry = &assessment.rows[0];
    assert_eq!((entry.status, entry.basis), (Status::NotMet, Basis::Rule));
    assert_eq!(entry.warnings.len(), 1);
    assert!(entry.warnings[0].zh.contains("记载为达标"), "{:?}", entry.warnings);
}

/// A two-part criterion met only on the part that could be judged does not override a document's
/// "not met": the document may know the higher level's verdict the rule lacks.
#[test]
fn a_partial_met_yields_to_a_recorded_not_met() {
    let days = || share("7.1", Criterion::AllOf(vec![task(), stable()]));
    let (state, basis, explanation) = judge(
        days(),
        vec![num("7.1", 2017, 89.5), recorded(num("7.1", 2021, 94.5), false)],
    );
    assert_eq!((state, basis), (Status::NotMet, Basis::Recorded));
    assert!(explanation.contains("其余部分无法判定"), "{explanation}");
    // With every part judged, the rule decides and the disagreement is a warning.
    let (state, basis, _) = judge(
        days(),
        vec![
            num("7.1", 2017, 89.5),
            recorded(assigned(num("7.1", 2021, 94.5), Assigned::Value(94.0)), false),
        ],
    );
    assert_eq!((state, basis), (Status::Met, Basis::Rule));
    // A partial met with a recorded met stays a rule judgement.
    let (state, basis, _) = judge(
        days(),
        vec![num("7.1", 2017, 89.5), recorded(num("7.1", 2021, 94.5), true)],
    );
    assert_eq!((state, basis), (Status::Met, Basis::Rule));
}

#[test]
fn zone_variants_select_the_criterion_and_unknown_zone_types_give_no_data() {
    let mut ei = share("9", Criterion::AtLeast(60.0));
    ei.variants[0].when.insert("climate".into(), "湿润".into());
    let framework = framework(vec![ei], &[]);
    let mut humid = zone(vec![num("9", 2021, 61.87)]);
    humid.profile.attributes.insert("climate".into(), "湿润".into());
    assert_eq!(assess(&framework, &humid, 2021).rows[0].status, Status::Met);
    let mut arid = zone(vec![num("9", 2021, 61.87)]);
    arid.profile.attributes.insert("climate".into(), "干旱".into());
    let assessment = assess(&framework, &arid, 2021);
    assert_eq!(assessment.rows[0].status, Status::NoData);
    assert_eq!(assessment.rows[0].standard, "未知");
}

#[test]
fn indicator_with_sub_rows_is_met_only_when_all_leaves_are_met() {
    let mut framework = framework(
        vec![
            share("7.1", Criterion::AtLeast(80.0)),
            share("7.2", Criterion::AtLeast(80.0)),
        ],
        &[],
    );
    let rows: Vec<Row> = framework
        .indicators
        .drain(..)
        .flat_map(|indicator| indicator.rows)
        .collect();
    framework.indicators = vec![ecociv_core::Indicator {
        id: "7".into(),
        task: "1".into(),
        name: "环境空气质量".into(),
        name_en: "air".into(),
        attribute: ecociv_core::Attribute::Binding,
        rows,
    }];
    let check = |observations: Vec<Observation>| {
        let assessment = assess(&framework, &zone(observations), 2021);
        let ids: Vec<&str> = assessment.rows.iter().map(|row| row.id.as_str()).collect();
        assert_eq!(ids, ["7", "7.1", "7.2"]);
        (assessment.rows[0].status, assessment.readiness.ready)
    };
    assert_eq!(
        check(vec![num("7.1", 2021, 90.0), num("7.2", 2021, 90.0)]),
        (Status::Met, true)
    );
    assert_eq!(
        check(vec![num("7.1", 2021, 90.0), num("7.2", 2021, 70.0)]),
        (Status::NotMet, false)
    );
    assert_eq!(check(vec![num("7.1", 2021, 90.0)]), (Status::NoData, false));
    assert_eq!(
        check(vec![num("7.1", 2021, 70.0)]),
        (Status::NotMet, false),
        "not met wins over no data"
    );
}

#[test]
fn readiness_uses_the_frameworks_reference_share() {
    let rows: Vec<Row> = (1..=6)
        .map(|n| share(&n.to_string(), Criterion::AtLeast(50.0)))
        .collect();
    let mut framework = framework(rows, &["2", "3", "4", "5", "6"]);
    // 4 of 5 reference indicators met = 0.8: exactly the required share.
    let observations = vec![
        num("1", 2021, 60.0),
        num("2", 2021, 60.0),
        num("3", 2021, 60.0),
        num("4", 2021, 60.0),
        num("5", 2021, 60.0),
        num("6", 2021, 40.0),
    ];
    let zone = zone(observations);
    let readiness = assess(&framework, &zone, 2021).readiness;
    assert_eq!(readiness.reference_met, 4);
    assert!((readiness.reference_met_share - 0.8).abs() < 1e-12);
    assert!(readiness.ready);
    framework.designation.reference_min_share = 0.81;
    assert!(
        !assess(&framework, &zone, 2021).readiness.ready,
        "the share is a setting of the framework"
    );
    framework.designation.reference_min_share = 0.8;
    let mut missing_binding = zone;
    missing_binding.observations.retain(|obs| obs.row != "1");
    let readiness = assess(&framework, &missing_binding, 2021).readiness;
    assert!(!readiness.ready);
    assert_eq!(readiness.binding_no_data, ["1"]);
    assert!(readiness.binding_not_met.is_empty());
}

#[test]
fn counts_name_their_unit_and_no_data_is_never_good_news() {
    let days = share("7.1", Criterion::AtLeast(80.0));
    let pm = row(
        "7.2",
        Direction::LowerIsBetter,
        Some((0.0, 1000.0)),
        Criterion::AtMost(35.0),
    );
    let mut framework = framework(vec![share("3", Criterion::AtLeast(20.0))], &[]);
    let mut seven = framework.indicators[0].clone();
    seven.id = "7".into();
    seven.rows = vec![days, pm];
    framework.indicators.push(seven);
    let observations = vec![num("3", 2021, 10.0), num("7.1", 2021, 70.0), num("7.2", 2021, 40.0)];
    let assessment = assess(&framework, &zone(observations), 2021);
    let counts = assessment.counts();
    // Two indicators (3 and 7) not met, three rows (3, 7.1, 7.2).
    assert_eq!((counts.indicators.not_met, counts.indicators.total), (2, 2));
    assert_eq!((counts.rows.not_met, counts.rows.total), (3, 3));
    assert_eq!(counts.not_met_text().zh, "不达标指标 2 项（涉及 3 行）");
    assert_eq!(assessment.leaves().count(), 3);
    // A year without any value: no count reads as good news.
    let empty = assess(&framework, &zone(Vec::new()), 2019);
    let counts = empty.counts();
    assert!(counts.no_data());
    assert_eq!(counts.not_met_text().zh, "尚无数据（尚未填报）");
    assert!(!counts.summary().zh.contains("0/"), "{}", counts.summary().zh);
    assert!(empty.readiness.explanation.zh.contains("尚无数据"));
    assert!(!empty.readiness.explanation.zh.contains("0.0%"));
}
