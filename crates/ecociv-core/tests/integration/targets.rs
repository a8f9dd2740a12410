//! The plan's own targets judged against the standard.

use std::collections::BTreeMap;

use ecociv_core::targets::check_targets;
use ecociv_core::zone::TargetKind;
use ecociv_core::{Criterion, Status};

use crate::support::*;

#[test]
fn targets_below_the_standard_are_flagged() {
    let framework = framework(
        vec![
            share("3", Criterion::AtLeast(20.0)),
            share("19", Criterion::AtLeast(4.5)),
            share("20.1", Criterion::AtLeast(43.0)),
            share(
                "7.1",
                Criterion::AssignedTask {
                    wording: "完成上级规定的考核任务".into(),
                },
            ),
            share(
                "16",
                Criterion::AssignedTask {
                    wording: "完成上级管控目标".into(),
                },
            ),
        ],
        &[],
    );
    let mut zone = zone(vec![num("19", 2021, 7.37)]);
    zone.plan.targets = BTreeMap::from([
        (
            "3".to_string(),
            BTreeMap::from([(2025, target("≥22", TargetKind::Value(22.0)))]),
        ),
        (
            "19".to_string(),
            BTreeMap::from([(2025, target("不低于现状值", TargetKind::NotBelowBase))]),
        ),
        (
            "20.1".to_string(),
            BTreeMap::from([(2025, target("42", TargetKind::Value(42.0)))]),
        ),
        (
            "7.1".to_string(),
            BTreeMap::from([(2025, target("完成上级规定的考核任务", TargetKind::RestatesStandard))]),
        ),
        (
            "16".to_string(),
            BTreeMap::from([(2025, target("完成规划编制", TargetKind::Describes))]),
        ),
    ]);
    let checks = check_targets(&framework, &zone, 2025);
    let by_row = |id: &str| checks.iter().find(|check| check.row == id).expect("checked");
    assert_eq!(by_row("3").status, Status::Met);
    assert_eq!(by_row("19").status, Status::Met, "the base value 7.37 meets ≥4.5");
    assert_eq!(by_row("20.1").status, Status::NotMet);
    assert!(by_row("20.1").flagged());
    assert_eq!(by_row("7.1").status, Status::Met);
    assert_eq!(by_row("16").status, Status::NoData);
    assert!(check_targets(&framework, &zone, 2030).is_empty());
}
