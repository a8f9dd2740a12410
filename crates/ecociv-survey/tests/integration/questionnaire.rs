//! The questionnaire format, the default questionnaire, answers and cells.

use ecociv_survey::questionnaire::{DEFAULT_TOML, QuestionKind};
use ecociv_survey::{Answers, Questionnaire, SamplingPlan};

fn answers(pairs: &[(&str, &[&str])]) -> Answers {
    pairs
        .iter()
        .map(|(q, codes)| (q.to_string(), codes.iter().map(|c| c.to_string()).collect()))
        .collect()
}

#[test]
fn the_default_questionnaire_measures_rows_34_and_35_and_names_its_doubts() {
    let q = Questionnaire::default_zone();
    let sat = q.measure("34").expect("row 34");
    assert_eq!(
        (sat.question.as_str(), sat.counts.as_slice()),
        ("sat_overall", &["1".to_string(), "2".into()][..])
    );
    let labels: Vec<&str> = q
        .question("sat_overall")
        .unwrap()
        .choices
        .iter()
        .map(|c| c.label.as_str())
        .collect();
    assert_eq!(labels, ["满意", "比较满意", "一般", "不太满意", "不满意"]);
    let part = q.measure("35").expect("row 35");
    assert_eq!(q.question(&part.question).unwrap().kind, QuestionKind::Multiple);
    assert!(!part.counts.contains(&"none".to_string()));
    for doubt in [&q.doubt, &sat.doubt, &part.doubt] {
        assert!(doubt.starts_with("【存疑】"), "{doubt}");
    }
    assert!(q.basis.contains("指标34、35"));
}

#[test]
fn a_broken_questionnaire_is_refused_with_every_problem_named() {
    let broken = DEFAULT_TOML
        .replace(
            "show_if = { question = \"sat_overall\"",
            "show_if = { question = \"participate\"",
        )
        .replace("counts = [\"1\", \"2\"]", "counts = [\"1\", \"9\"]")
        .replace("code = \"travel\"", "code = \"sort\"");
    let problems = Questionnaire::parse(&broken).unwrap_err();
    let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
    assert!(
        fields.contains(&"dissat_reason"),
        "condition on a later question: {problems:?}"
    );
    assert!(fields.contains(&"participate"), "repeated code: {problems:?}");
    assert!(fields.contains(&"measures[0]"), "unknown counted code: {problems:?}");
    assert!(problems.iter().any(|p| p.zh.contains("没有选项代码“9”")));
    let unreadable = Questionnaire::parse("id = 3").unwrap_err();
    assert_eq!(unreadable.len(), 1);
    assert!(unreadable[0].zh.starts_with("无法读取"));
}

#[test]
fn answers_are_checked_against_scales_conditions_and_exclusive_choices() {
    let q = Questionnaire::default_zone();
    let good = answers(&[
        ("aware", &["1"]),
        ("sat_overall", &["4"]),
        ("dissat_reason", &["air", "info"]),
        ("participate", &["sort", "report"]),
    ]);
    assert_eq!(q.check_answers(&good), vec![]);
    let bad = answers(&[
        ("sat_overall", &["1", "2"]),
        ("dissat_reason", &["air"]),
        ("participate", &["sort", "none"]),
        ("age", &["3"]),
    ]);
    let problems = q.check_answers(&bad);
    let named = |field: &str, text: &str| problems.iter().any(|p| p.field == field && p.zh.contains(text));
    assert!(named("aware", "必答题未作答"), "{problems:?}");
    assert!(named("sat_overall", "单选题选了多个选项"), "{problems:?}");
    assert!(
        named("dissat_reason", "不应作答"),
        "hidden unless dissatisfied: {problems:?}"
    );
    assert!(named("participate", "都没有参加"), "{problems:?}");
    assert!(named("age", "没有这道题"), "{problems:?}");
    assert_eq!(problems.len(), 5, "{problems:?}");
}

#[test]
fn a_cell_reads_codes_or_labels_with_the_platforms_separators() {
    let q = Questionnaire::default_zone();
    let part = q.question("participate").unwrap();
    let answer = q.read_cell(part, "垃圾分类┋节约用水用电| plant ").unwrap();
    assert_eq!(answer.into_iter().collect::<Vec<_>>(), ["plant", "save", "sort"]);
    assert!(q.read_cell(part, "").unwrap().is_empty());
    let sat = q.question("sat_overall").unwrap();
    assert_eq!(
        q.read_cell(sat, "比较满意").unwrap().into_iter().collect::<Vec<_>>(),
        ["2"]
    );
    let problem = q.read_cell(sat, "很满意").unwrap_err();
    assert_eq!(problem.field, "sat_overall");
    assert!(problem.zh.contains("“很满意”不是本题的选项"), "{}", problem.zh);
}

#[test]
fn a_sampling_plan_parses_and_refuses_bad_strata() {
    let plan = SamplingPlan::parse(
        r#"population_basis = "常住人口（18岁及以上），第七次人口普查"
[[strata]]
id = "cz"
name = "城中街道"
kind = "street"
population = 21000
quota = 70
[[strata]]
id = "ym"
name = "窑埠村"
kind = "village"
population = 620
quota = 15
"#,
    )
    .unwrap();
    assert_eq!((plan.population(), plan.planned()), (21_620, Some(85)));
    let problems = SamplingPlan::parse(
        r#"population_basis = "x"
[[strata]]
id = "a"
name = "甲"
kind = "village"
population = 0
[[strata]]
id = "a"
name = "乙"
kind = "community"
population = 10
quota = 11
"#,
    )
    .unwrap_err();
    let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(problems.len(), 3, "{text:?}");
    assert!(
        text.iter().any(|t| t.contains("甲（a）") && t.contains("总体规模为 0")),
        "{text:?}"
    );
    assert!(
        text.iter().any(|t| t.contains("乙（a）") && t.contains("重复")),
        "{text:?}"
    );
    assert!(text.iter().any(|t| t.contains("配额 11")), "{text:?}");
}

#[test]
fn a_plan_reads_from_a_table_and_round_trips_through_its_stored_toml() {
    let table = "代码,名称,类型,总体规模,配额\nstreet-1,城中街道,街道,21000,60\nv-1,\"环江村, 东片\",村,620,\n";
    let plan = SamplingPlan::parse_table("常住成年人口", table).unwrap();
    assert_eq!(plan.strata.len(), 2);
    assert_eq!(
        (plan.strata[1].name.as_str(), plan.strata[1].quota),
        ("环江村, 东片", None)
    );
    assert_eq!(SamplingPlan::parse(&plan.to_toml()).unwrap(), plan);
    assert_eq!(
        SamplingPlan::parse_table("常住成年人口", &plan.to_table()).unwrap(),
        plan
    );
    let problems = SamplingPlan::parse_table("x", "代码,名称,类型,总体规模,配额\na,甲,镇,abc,5\n").unwrap_err();
    let located: Vec<(Option<u64>, Option<&str>)> = problems.iter().map(|p| (p.line, p.field.as_deref())).collect();
    assert_eq!(located, [(Some(2), Some("类型")), (Some(2), Some("总体规模"))]);
    assert_eq!(
        problems[1].clone().in_file("plan.csv").to_string(),
        "plan.csv: 第 2 行，字段 总体规模 / line 2, field 总体规模: “abc”不是正整数 (not a whole number)"
    );
    let empty = SamplingPlan::parse_table("x", "代码,名称,类型,总体规模,配额\n").unwrap_err();
    assert!(
        empty[0].zh().contains("没有任何层") && empty[0].line.is_none(),
        "{empty:?}"
    );
    // The plan's own checks name the stratum's line and column.
    let repeated =
        SamplingPlan::parse_table("x", "代码,名称,类型,总体规模,配额\na,甲,村,10,\n\na,乙,村,10,11\n").unwrap_err();
    let located: Vec<(Option<u64>, Option<&str>)> = repeated.iter().map(|p| (p.line, p.field.as_deref())).collect();
    assert_eq!(
        located,
        [(Some(4), Some("代码")), (Some(4), Some("配额"))],
        "{repeated:?}"
    );
}
