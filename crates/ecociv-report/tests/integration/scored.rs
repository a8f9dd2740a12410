//! A scored edition (issue 15): the EXAMPLE edition's total recomputed by hand from its rules and from each
//! row's explanation, in the assessment JSON and read back.

use ecociv_core::{Observation, Status, Value, assess};

#[test]
fn the_example_scored_editions_total_recomputed_by_hand() {
    let framework = ecociv_data::bundled::framework("example-scored-2021").expect("example edition");
    assert!(framework.name.contains("示例") && framework.name.contains("非官方"));
    let scoring = framework.scoring.clone().expect("scoring rules");
    assert!(
        scoring
            .note
            .contains("不是《广西生态文明建设示范区（县级）建设指标及评分细则》")
    );
    let mut zone = ecociv_data::load_zone("450202").unwrap().zone;
    zone.plan.framework = framework.id.clone();
    // Two rows not met with partial credit: forest cover 35 % (linear 30 → 40, 2 points) and village drinking
    // water 75 % (linear 50 → 100, 3 points).
    for (row, figure) in [("10", 35.0), ("24", 75.0)] {
        let earlier: Observation = zone.observation(row, 2021).unwrap().clone();
        zone.override_with([Observation {
            value: Value::Number(figure),
            recorded: None,
            ..earlier
        }]);
    }
    let assessment = assess(&framework, &zone, 2021);
    let score = assessment.score.clone().expect("a scored edition reports its score");

    // By hand: 44 rows, binding 3 points, reference 2; met rows full, rows without data nothing, rows not met
    // nothing except the two linear ones: (35 − 30) ÷ (40 − 30) × 2 = 1 and (75 − 50) ÷ (100 − 50) × 3 = 1.5.
    assert_eq!(score.max, 111.0);
    assert_eq!(score.pass_score, 88.0);
    let status = |row: &str| assessment.rows.iter().find(|r| r.id == row).unwrap().status;
    assert_eq!((status("10"), status("24")), (Status::NotMet, Status::NotMet));
    let mut by_hand = 0.0;
    for (indicator, row) in framework.rows() {
        let points = if indicator.attribute == ecociv_core::Attribute::Binding {
            3.0
        } else {
            2.0
        };
        by_hand += match (row.id.as_str(), status(&row.id)) {
            (_, Status::Met) => points,
            ("10", Status::NotMet) => 1.0,
            ("24", Status::NotMet) => 1.5,
            _ => 0.0,
        };
    }
    assert!((score.total - by_hand).abs() < 1e-9, "{} vs {by_hand}", score.total);
    assert_eq!(score.passed, score.total >= 88.0);
    // Each row's explanation states its points; they add up to the total.
    let mut from_text = 0.0;
    for item in &score.items {
        let text = &item.explanation.zh;
        let earned = if let Some(rest) = text.strip_prefix("达标，得满分 ") {
            rest.trim_end_matches(" 分").parse::<f64>().unwrap()
        } else if let Some((_, tail)) = text.rsplit_once("= ") {
            tail.trim_end_matches(" 分").parse::<f64>().unwrap()
        } else {
            assert!(text.contains("得 0 分"), "{text}");
            0.0
        };
        assert_eq!(earned, item.earned, "{}: {text}", item.row);
        from_text += earned;
    }
    assert!((from_text - score.total).abs() < 1e-9);
    let forest = score.items.iter().find(|i| i.row == "10").unwrap();
    assert_eq!(
        forest.explanation.zh,
        "未达标；按比例计分：（35 − 30）÷（40 − 30）× 2 = 1 分"
    );

    // In the JSON, and read back the same.
    let json = ecociv_report::json::assessment(&assessment);
    assert_eq!(json["score"]["total"].as_f64(), Some(score.total));
    assert_eq!(json["score"]["items"].as_array().unwrap().len(), 44);
    let back = ecociv_report::json::parse_assessment(&framework, &zone, &json).expect("read back");
    assert_eq!(back.score, assessment.score);
    // The national edition carries no score.
    let national = ecociv_data::bundled::framework("national-2021").unwrap();
    assert!(assess(&national, &zone, 2021).score.is_none());
    assert!(
        ecociv_report::json::assessment(&assess(&national, &zone, 2021))
            .get("score")
            .is_none()
    );
}
