//! Roll-up and comparison (issue 15): three zones of one city from the example zone's files — the example
//! itself, a copy with a worse forest cover, and one that reported nothing — summarised, encoded, decoded
//! and rolled up; the figures checked by hand.

use ecociv_core::{Observation, Status, Value, assess};
use ecociv_progress::rollup::{ZoneEntry, ZoneSummary, by_parent, rollup};

fn zones() -> (ecociv_core::Framework, Vec<ZoneEntry>, Vec<ecociv_core::Assessment>) {
    let loaded = ecociv_data::load_zone("450202").expect("example zone");
    let framework = loaded.framework.clone();
    let a = loaded.zone.clone();
    let mut b = loaded.zone;
    b.profile.code = "450203".into();
    b.profile.name = "鱼峰区（测试）".into();
    let forest: Observation = b.observation("10", 2021).expect("row 10 in 2021").clone();
    b.override_with([Observation {
        value: Value::Number(30.0),
        ..forest
    }]);
    let assessments = vec![assess(&framework, &a, 2021), assess(&framework, &b, 2021)];
    let mut entries: Vec<ZoneEntry> = assessments
        .iter()
        .map(|assessment| ZoneEntry {
            code: assessment.zone_code.clone(),
            name: assessment.zone_name.clone(),
            parent: Some("450200".into()),
            // Through the stored text, as the server keeps it.
            summary: ZoneSummary::decode(&ZoneSummary::from_assessment(assessment).encode()),
        })
        .collect();
    entries.push(ZoneEntry {
        code: "450204".into(),
        name: "柳南区（未报送）".into(),
        parent: Some("450200".into()),
        summary: None,
    });
    (framework, entries, assessments)
}

#[test]
fn a_summary_survives_its_text() {
    let (_, _, assessments) = zones();
    for assessment in &assessments {
        let summary = ZoneSummary::from_assessment(assessment);
        assert_eq!(ZoneSummary::decode(&summary.encode()), Some(summary.clone()));
        assert_eq!(summary.rows.len(), assessment.rows.len());
        assert_eq!(summary.framework_edition, assessment.framework_edition);
    }
    // A state row keeps its state (shown on the peers page where a figure would be), odd characters too.
    let summary = ZoneSummary::from_assessment(&assessments[0]);
    let state_row = summary.rows.iter().find(|row| row.id == "4").expect("row 4");
    assert_eq!(
        (state_row.figure, state_row.state.as_deref()),
        (None, Some("全面实施")),
        "{state_row:?}"
    );
    let mut odd = summary.clone();
    odd.rows[0].state = Some("完成:已;验收|100%".into());
    assert_eq!(ZoneSummary::decode(&odd.encode()), Some(odd.clone()));
    assert_eq!(ZoneSummary::decode("s0|x|y|1|"), None, "another format is refused");
    assert_eq!(
        ZoneSummary::decode("s1|x|y|1|1:m:"),
        None,
        "the format without states is refused (recomputed)"
    );
    assert_eq!(
        ZoneSummary::decode("s2|x|y|1|1:q::"),
        None,
        "an unknown status is refused"
    );
}

#[test]
fn three_zones_of_one_city_rolled_up_and_compared() {
    let (framework, entries, assessments) = zones();
    let r = rollup("450200", 2021, &framework, &entries);
    assert_eq!((r.zones, r.compared), (3, 2));
    assert_eq!(r.not_reported, vec!["450204".to_string()]);
    assert_eq!(
        (r.framework_id.as_str(), r.framework_edition.as_str()),
        ("national-2021", "2021")
    );
    // Readiness as each zone's own assessment says.
    let ready = assessments.iter().filter(|a| a.readiness.ready).count();
    assert_eq!(r.ready, ready);
    // Row 10 (林草覆盖率, ≥40 for 丘陵): 42.72 met in 450202, 30 not met in the copy.
    let forest = r.rows.iter().find(|row| row.row == "10").expect("row 10");
    assert_eq!(
        (forest.met, forest.not_met, forest.no_data, forest.figures),
        (1, 1, 0, 2)
    );
    assert_eq!((forest.min, forest.max), (Some(30.0), Some(42.72)));
    assert!((forest.median.unwrap() - 36.36).abs() < 1e-9);
    // The binding indicators each zone fails, counted by hand from the assessments.
    for (id, _, count) in &r.binding_failures {
        let by_hand = assessments
            .iter()
            .filter(|a| a.rows.iter().any(|row| &row.id == id && row.status != Status::Met))
            .count();
        assert_eq!(*count, by_hand, "binding indicator {id}");
    }
    let row_1 = r
        .binding_failures
        .iter()
        .find(|(id, _, _)| id == "1")
        .expect("row 1 (正在制定) fails in both");
    assert_eq!(row_1.2, 2);
    assert!(
        r.binding_failures.windows(2).all(|w| w[0].2 >= w[1].2),
        "most failed first"
    );
    // Standing: the copy meets one reference indicator fewer, so it stands second.
    assert_eq!(r.standings.len(), 2);
    assert_eq!((r.standings[0].code.as_str(), r.standings[0].rank), ("450202", 1));
    assert_eq!((r.standings[1].code.as_str(), r.standings[1].rank), ("450203", 2));
    assert_eq!(r.standings[0].reference_met, r.standings[1].reference_met + 1);
    assert_eq!(r.standings[0].binding_met, r.standings[1].binding_met);
    let cities = by_parent(2021, &framework, &entries);
    assert_eq!(cities.len(), 1);
    let (city, c) = &cities[0];
    assert_eq!((city.as_str(), c.zones, c.compared, c.ready), ("450200", 3, 2, ready));
    assert_eq!(c.binding_failures, r.binding_failures);
    // Two cities: the not-reporting zone and the copy moved to 桂林 (450300); each city counts its own.
    let mut split = entries;
    split[1].parent = Some("450300".into());
    split[2].parent = Some("450300".into());
    let cities = by_parent(2021, &framework, &split);
    let codes: Vec<&str> = cities.iter().map(|(code, _)| code.as_str()).collect();
    assert_eq!(codes, ["450200", "450300"]);
    let (liuzhou, guilin) = (&cities[0].1, &cities[1].1);
    assert_eq!((liuzhou.zones, liuzhou.compared), (1, 1));
    assert_eq!((guilin.zones, guilin.compared, guilin.not_reported.len()), (2, 1, 1));
    assert_eq!(liuzhou.ready + guilin.ready, ready);
    // Each binding failure of the whole is the sum of the cities' counts.
    for (id, _, count) in &r.binding_failures {
        let of = |c: &ecociv_progress::rollup::Rollup| {
            c.binding_failures.iter().find(|(i, _, _)| i == id).map_or(0, |f| f.2)
        };
        assert_eq!(of(liuzhou) + of(guilin), *count, "binding indicator {id}");
    }
}

#[test]
fn zones_of_another_edition_are_listed_apart() {
    let (framework, mut entries, _) = zones();
    if let Some(summary) = entries[1].summary.as_mut() {
        summary.framework_id = "provincial-example".into();
    }
    let r = rollup("450200", 2021, &framework, &entries);
    assert_eq!(r.other_edition, vec!["450203".to_string()]);
    assert_eq!(r.compared, 1);
    assert!(r.standings.iter().all(|s| s.code != "450203"));
}
