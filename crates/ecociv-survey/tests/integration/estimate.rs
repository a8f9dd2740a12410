//! The estimate: figures computed by hand, refusals naming the stratum, the observation it gives.

use ecociv_core::{Source, Value};
use ecociv_survey::{
    Answers, EstimateError, METHOD_EDITION, Questionnaire, Response, SamplingPlan, Stratum, StratumKind, estimate,
};

fn plan(strata: &[(&str, &str, u64, Option<u64>)]) -> SamplingPlan {
    SamplingPlan {
        population_basis: "测试".into(),
        strata: strata
            .iter()
            .map(|&(id, name, population, quota)| Stratum {
                id: id.into(),
                name: name.into(),
                kind: StratumKind::Community,
                population,
                quota,
            })
            .collect(),
    }
}

fn response(stratum: &str, sat: &str) -> Response {
    let mut answers = Answers::new();
    let one = |code: &str| std::iter::once(code.to_string()).collect();
    answers.insert("aware".into(), one("1"));
    answers.insert("sat_overall".into(), one(sat));
    answers.insert("participate".into(), one("none"));
    Response {
        stratum: stratum.into(),
        answers,
    }
}

/// `yes` satisfied ("1"/"2" alternately) and `no` not ("3") in a stratum.
fn responses(stratum: &str, yes: usize, no: usize) -> Vec<Response> {
    (0..yes)
        .map(|i| response(stratum, if i % 2 == 0 { "1" } else { "2" }))
        .chain((0..no).map(|_| response(stratum, "3")))
        .collect()
}

#[test]
fn the_stratified_share_its_standard_error_and_wilson_interval_equal_the_hand_computation() {
    // A: N 1000, 45 of 50 satisfied; B: N 3000, 40 of 50. By hand (python as the calculator):
    // p = 0.25·0.9 + 0.75·0.8 = 0.825
    // v = 0.25²·(1−50/1000)·0.9·0.1/49 + 0.75²·(1−50/3000)·0.8·0.2/49 = 0.0019151785714285711
    // n* = p(1−p)/v = 75.38461538461537; Wilson at z 1.959964: [0.7241024397981881, 0.8943808119784873]
    let plan = plan(&[("a", "甲社区", 1000, Some(60)), ("b", "乙社区", 3000, Some(60))]);
    let mut all = responses("a", 45, 5);
    all.extend(responses("b", 40, 10));
    let e = estimate(&Questionnaire::default_zone(), &plan, &all, "34").unwrap();
    assert!((e.share - 0.825).abs() < 1e-12, "{}", e.share);
    assert!((e.standard_error - 0.043_762_753_243_238_375).abs() < 1e-12);
    assert!((e.effective_n - 75.384_615_384_615_37).abs() < 1e-9);
    assert!((e.low - 0.724_102_439_798_188_1).abs() < 1e-12, "{}", e.low);
    assert!((e.high - 0.894_380_811_978_487_3).abs() < 1e-12, "{}", e.high);
    assert_eq!((e.responses, e.valid), (100, 100));
    assert_eq!(
        e.strata.iter().map(|s| (s.valid, s.counted)).collect::<Vec<_>>(),
        [(50, 45), (50, 40)]
    );
    // Response rate: 100 responses of a planned 120.
    assert!((e.response_rate().unwrap() - 100.0 / 120.0).abs() < 1e-12);
    assert_eq!(e.percent_value(), 82.5);
    let (zh, en) = e.explain();
    assert_eq!(
        zh,
        "满意比例估计为 82.5%（95% 置信区间 72.4%–89.4%，有效回答 100 份，2 层）"
    );
    assert!(en.starts_with("share satisfied estimated at 82.5%"), "{en}");
}

#[test]
fn an_unweighted_mean_would_differ_so_the_weights_matter() {
    // Same answers, populations swapped: the share moves from 0.825 to 0.875.
    let plan = plan(&[("a", "甲社区", 3000, None), ("b", "乙社区", 1000, None)]);
    let mut all = responses("a", 45, 5);
    all.extend(responses("b", 40, 10));
    let e = estimate(&Questionnaire::default_zone(), &plan, &all, "34").unwrap();
    assert!((e.share - 0.875).abs() < 1e-12);
    assert_eq!(e.response_rate(), None, "no quotas, no response rate");
}

#[test]
fn an_empty_stratum_is_refused_with_its_name() {
    let plan = plan(&[
        ("a", "甲社区", 1000, None),
        ("b", "乙社区", 3000, None),
        ("c", "丙村", 400, None),
    ]);
    let mut all = responses("a", 45, 5);
    all.extend(responses("b", 40, 10));
    let error = estimate(&Questionnaire::default_zone(), &plan, &all, "34").unwrap_err();
    assert_eq!(
        error,
        EstimateError::EmptyStrata {
            names: vec!["丙村（c）".into()]
        }
    );
    assert!(error.zh().contains("丙村（c）"), "{}", error.zh());
    assert!(error.en().contains("丙村（c）"), "{}", error.en());
}

#[test]
fn a_stratum_whose_respondents_all_skipped_the_question_is_empty_for_that_row() {
    let plan = plan(&[("a", "甲社区", 1000, None), ("b", "乙社区", 3000, None)]);
    let mut all = responses("a", 45, 5);
    let mut skipped = responses("b", 3, 0);
    for r in &mut skipped {
        r.answers.remove("sat_overall");
    }
    all.extend(skipped);
    let error = estimate(&Questionnaire::default_zone(), &plan, &all, "34").unwrap_err();
    assert_eq!(
        error,
        EstimateError::EmptyStrata {
            names: vec!["乙社区（b）".into()]
        }
    );
    // Row 35 still has its answers in both strata.
    let e = estimate(&Questionnaire::default_zone(), &plan, &all, "35").unwrap();
    assert_eq!(e.share, 0.0);
    assert_eq!(e.valid, 53);
}

#[test]
fn one_answer_in_a_larger_stratum_unknown_strata_and_too_many_answers_are_refused() {
    let q = Questionnaire::default_zone();
    let p = plan(&[("a", "甲社区", 1000, None), ("b", "乙社区", 3000, None)]);
    let mut all = responses("a", 45, 5);
    all.extend(responses("b", 1, 0));
    assert_eq!(
        estimate(&q, &p, &all, "34").unwrap_err(),
        EstimateError::SingleAnswer {
            names: vec!["乙社区（b）".into()]
        }
    );
    all.extend(responses("x", 2, 0));
    assert_eq!(
        estimate(&q, &p, &all, "34").unwrap_err(),
        EstimateError::UnknownStrata {
            ids: vec![("x".into(), 2)]
        }
    );
    let small = plan(&[("a", "甲社区", 40, None)]);
    assert_eq!(
        estimate(&q, &small, &responses("a", 45, 5), "34").unwrap_err(),
        EstimateError::OverPopulation {
            names: vec!["甲社区（a）".into()]
        }
    );
    assert_eq!(
        estimate(&q, &small, &[], "33").unwrap_err(),
        EstimateError::NoMeasure { row: "33".into() }
    );
}

#[test]
fn a_census_has_no_sampling_error_and_a_uniform_sample_still_gets_an_interval() {
    let q = Questionnaire::default_zone();
    let census = plan(&[("a", "甲社区", 10, None), ("b", "乙社区", 5, None)]);
    let mut all = responses("a", 9, 1);
    all.extend(responses("b", 5, 0));
    let e = estimate(&q, &census, &all, "34").unwrap();
    assert!((e.share - (10.0 / 15.0 * 0.9 + 5.0 / 15.0)).abs() < 1e-12);
    assert_eq!((e.low, e.high, e.standard_error), (e.share, e.share, 0.0));
    // Everyone satisfied in a sample: the variance estimate is 0, yet the interval is not the point.
    let sample = plan(&[("a", "甲社区", 1000, None)]);
    let e = estimate(&q, &sample, &responses("a", 30, 0), "34").unwrap();
    assert_eq!(e.share, 1.0);
    assert_eq!(e.high, 1.0);
    assert!(e.low < 0.9 && e.low > 0.85, "Wilson at n = 30: {}", e.low);
}

#[test]
fn the_observation_carries_the_method_edition_questionnaire_and_survey() {
    let plan = plan(&[("a", "甲社区", 1000, None), ("b", "乙社区", 3000, None)]);
    let mut all = responses("a", 45, 5);
    all.extend(responses("b", 40, 10));
    let e = estimate(&Questionnaire::default_zone(), &plan, &all, "34").unwrap();
    let o = e.observation(2025, "2025年度公众满意度调查", "S2025", false);
    assert_eq!((o.row.as_str(), o.year, &o.value), ("34", 2025, &Value::Number(82.5)));
    let Source::Survey {
        survey,
        survey_id,
        method,
        edition,
        valid,
        responses,
        low,
        high,
        provenance,
        synthetic,
    } = &o.source
    else {
        panic!("a survey source: {:?}", o.source)
    };
    assert_eq!(
        (survey.as_str(), survey_id.as_str()),
        ("2025年度公众满意度调查", "S2025")
    );
    assert_eq!(
        (*valid, *responses, *low, *high, *synthetic),
        (100, 100, 72.41, 89.44, false)
    );
    assert_eq!(o.source.kind(), "survey");
    assert_eq!(o.source.origin_zh(), "问卷调查计算");
    assert!(
        o.source.describe().starts_with("由问卷调查计算："),
        "{}",
        o.source.describe()
    );
    assert!(!o.source.describe().contains("监测"), "{}", o.source.describe());
    assert!(method.starts_with("问卷调查分层加权估计"), "{method}");
    assert!(
        edition.contains(METHOD_EDITION)
            && edition.contains("问卷“公众对生态文明建设的满意度和参与度调查问卷”第 2026-1 版"),
        "{edition}"
    );
    assert!(provenance.starts_with("2025年度公众满意度调查"), "{provenance}");
    assert!(provenance.contains("95% 置信区间 72.4%–89.4%"), "{provenance}");
    assert!(provenance.contains("甲社区 45/50，乙社区 40/50"), "{provenance}");
    assert!(
        provenance.contains("【存疑】"),
        "the scoring's doubt is named: {provenance}"
    );
    let synthetic = e.observation(2025, "演示调查", "S0", true);
    assert!(synthetic.source.is_synthetic());
    assert_eq!(
        synthetic.source.kind(),
        "survey",
        "a synthetic survey figure stays a survey figure"
    );
    assert!(synthetic.source.describe().starts_with("合成的演示数据"));
}
